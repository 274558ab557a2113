"""A platform: its rules (data) and the short list of steps it runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final

import attrs
import regex

from crosspost_adapt.errors import PlatformRegistrationError
from crosspost_adapt.rules import PlatformRules

__all__ = ["Platform"]

_NAME: Final = regex.compile(r"[a-z][a-z0-9_-]{0,31}")


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str) or _NAME.fullmatch(name) is None:
        raise PlatformRegistrationError(
            f"{what} {name!r} must be lowercase letters, digits, '_' or '-' "
            "(at most 32, starting with a letter)"
        )
    return name


def _aliases(value: Iterable[str]) -> tuple[str, ...]:
    # A bare string would otherwise become one alias per letter.
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise PlatformRegistrationError(
            f"aliases must be a tuple of names, not {type(value).__name__} {value!r}"
        )
    return tuple(value)


def _steps(value: Iterable[Callable[..., Any]]) -> tuple[Callable[..., Any], ...]:
    if not isinstance(value, Iterable):
        raise PlatformRegistrationError(
            f"steps must be a tuple of callables, not {type(value).__name__}"
        )
    return tuple(value)


@attrs.frozen
class Platform:
    """A platform as the registry knows it.

    ``rules`` holds every figure; ``steps`` is the chain of small pure functions
    that turn a post into this platform's draft (filled in by the adaptation
    layer); ``aliases`` are other names the platform answers to (``twitter``).
    """

    name: str
    rules: PlatformRules
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_aliases)
    steps: tuple[Callable[..., Any], ...] = attrs.field(default=(), converter=_steps)

    def __attrs_post_init__(self) -> None:
        _check_name(self.name, "platform name")
        for alias in self.aliases:
            _check_name(alias, f"alias of {self.name!r}")
        names = (self.name, *self.aliases)
        for i, alias in enumerate(self.aliases, start=1):
            if alias in names[:i]:
                raise PlatformRegistrationError(
                    f"{self.name}: alias {alias!r} is given twice (or is the name itself)"
                )
        if not isinstance(self.rules, PlatformRules):
            raise PlatformRegistrationError(
                f"{self.name}: rules must be a PlatformRules, not {type(self.rules).__name__}"
            )
        if self.rules.name != self.name:
            raise PlatformRegistrationError(
                f"{self.name}: rules are named {self.rules.name!r}, not {self.name!r}"
            )
        for step in self.steps:
            if not callable(step):
                raise PlatformRegistrationError(f"{self.name}: step {step!r} is not callable")
