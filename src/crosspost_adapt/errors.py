"""The exceptions crosspost_adapt raises.

Every error the library raises on purpose derives from :class:`CrosspostError`, and
also from the builtin exception it refines, so callers can catch either::

    CrosspostError (Exception)
     ├── InvalidPostError (CrosspostError, ValueError)
     │     a post, mention or media argument that cannot make a valid idea:
     │     empty post, hashtag without letters or digits, focus outside 0..1,
     │     unknown key in ``Post.from_dict``, variant for no known platform...
     ├── CannotFitError (CrosspostError, ValueError)
     │     adapt(..., overflow="error") on a text longer than the platform allows:
     │     names the platform, the measured length, the limit and the unit
     ├── MediaError (CrosspostError, ValueError)
     │     an image that cannot be used: not a format a user would send, truncated
     │     or corrupt, over the pixel limit (a decompression bomb), unreadable file;
     │     names the file and the reason
     ├── UnknownPlatformError (CrosspostError, LookupError)
     │     a platform name that is not registered (the message lists the known ones)
     └── PlatformRegistrationError (CrosspostError, TypeError)
           a plugin in the ``crosspost_adapt.platforms`` entry-point group that is
           not a ``Platform``, or whose name or alias is already taken

Messages name the thing at fault first (the field, or the platform), then what is
wrong with it.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "CannotFitError",
    "CrosspostError",
    "InvalidPostError",
    "MediaError",
    "PlatformRegistrationError",
    "UnknownPlatformError",
]


class CrosspostError(Exception):
    """Base class of every error raised on purpose by crosspost_adapt."""


class InvalidPostError(CrosspostError, ValueError):
    """A post (or one of its parts) is not a valid idea.

    ``field`` is the dotted path of the offending field (``"hashtags[2]"``,
    ``"media[0].focus"``), ``problem`` what is wrong with it.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")

    def __reduce__(self) -> tuple[type[InvalidPostError], tuple[str, str]]:
        # Errors travel back from worker processes: rebuild from the arguments.
        return (type(self), (self.field, self.problem))


#: How each counting unit is named in messages.
UNIT_NAMES = {
    "weighted": "weighted characters",
    "graphemes": "characters",
    "utf16": "UTF-16 code units",
    "meta": "characters (emoji by UTF-8 bytes)",
    "bytes": "UTF-8 bytes",
}


class CannotFitError(CrosspostError, ValueError):
    """A text that does not fit and may be neither truncated nor threaded."""

    def __init__(self, platform: str, measured: int, limit: int, unit: str) -> None:
        self.platform = platform
        self.measured = measured
        self.limit = limit
        self.unit = unit
        super().__init__(
            f"{platform}: text is {measured:,} of {limit:,} {UNIT_NAMES.get(unit, unit)}"
        )

    def __reduce__(self) -> tuple[type[CannotFitError], tuple[str, int, int, str]]:
        return (type(self), (self.platform, self.measured, self.limit, self.unit))


class MediaError(CrosspostError, ValueError):
    """An image that cannot be opened or rendered.

    ``file`` names the image (its path, or ``"<N bytes>"`` for one held in
    memory), ``reason`` what is wrong with it.
    """

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")

    def __reduce__(self) -> tuple[type[MediaError], tuple[str, str]]:
        return (type(self), (self.file, self.reason))


class UnknownPlatformError(CrosspostError, LookupError):
    """A platform name that no registered platform answers to."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(f"unknown platform {name!r}; known platforms: {', '.join(self.known)}")

    def __str__(self) -> str:  # LookupError would otherwise repr() the message
        return str(self.args[0])

    def __reduce__(self) -> tuple[type[UnknownPlatformError], tuple[str, tuple[str, ...]]]:
        return (type(self), (self.name, self.known))


class PlatformRegistrationError(CrosspostError, TypeError):
    """A platform plugin that cannot be registered (wrong type, name taken)."""
