"""The platform registry, filled from the ``crosspost_adapt.platforms`` entry points.

The package registers its own platforms there (see ``pyproject.toml``), exactly as
a third-party package would. A plugin is validated when it registers; a name or
alias that is already taken is an error, never "first one wins".
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Iterable, Iterator
from importlib.metadata import EntryPoint, PackageNotFoundError, distribution, entry_points
from typing import Final

from crosspost_adapt.adapters.base import Platform
from crosspost_adapt.errors import PlatformRegistrationError, UnknownPlatformError

__all__ = ["ENTRY_POINT_GROUP", "Registry", "default_registry", "reload_platforms"]

#: The entry-point group platforms register in.
ENTRY_POINT_GROUP: Final = "crosspost_adapt.platforms"

#: The distribution that registers the built-ins.
DISTRIBUTION: Final = "crosspost-adapt"

#: The order the built-in platforms are listed in; others follow by name.
BUILTIN_ORDER: Final = (
    "x",
    "facebook",
    "instagram",
    "snapchat",
    "linkedin",
    "threads",
    "bluesky",
    "mastodon",
)


# Set while entry points are loaded: a plugin that looks platforms up while it is
# imported would load the plugins again, and fail as a circular import.
_loading = threading.local()


def _installed() -> bool:
    try:
        distribution(DISTRIBUTION)
    except PackageNotFoundError:
        return False
    return True


def _describe(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    where = f" from {dist.name} {dist.version}" if dist is not None else ""
    return f"entry point {ep.name!r} ({ep.value}){where}"


class Registry:
    """Platforms by name. Build one with :meth:`from_entry_points` or by hand."""

    def __init__(self, platforms: Iterable[Platform] = ()) -> None:
        self._platforms: dict[str, Platform] = {}
        self._origin: dict[str, str] = {}
        self._names: dict[str, str] = {}  # name or alias -> canonical name
        for platform in platforms:
            self.register(platform)

    @classmethod
    def from_entry_points(cls, group: str = ENTRY_POINT_GROUP) -> Registry:
        """Load every platform registered in the entry-point ``group``."""
        registry = cls()
        was_loading = getattr(_loading, "active", False)
        _loading.active = True
        try:
            registry._load(entry_points(group=group))
            if group == ENTRY_POINT_GROUP and not _installed():
                registry._load_builtins()
        finally:
            _loading.active = was_loading
        return registry

    def _load(self, eps: Iterable[EntryPoint]) -> None:
        for ep in eps:
            origin = _describe(ep)
            try:
                loaded = ep.load()
            except Exception as exc:  # a broken plugin is reported, not hidden
                raise PlatformRegistrationError(
                    f"{origin}: cannot be loaded: {type(exc).__name__}: {exc}"
                ) from exc
            if not isinstance(loaded, Platform):
                raise PlatformRegistrationError(
                    f"{origin}: is a {type(loaded).__name__}, not a crosspost_adapt Platform"
                )
            if loaded.name != ep.name:
                raise PlatformRegistrationError(
                    f"{origin}: the entry point is named {ep.name!r} "
                    f"but the platform is {loaded.name!r}"
                )
            self.register(loaded, origin=origin)

    def _load_builtins(self) -> None:
        """Register the built-ins directly: the package runs from a source tree
        without installed metadata, so its own entry points cannot be read."""
        for name in BUILTIN_ORDER:
            module = importlib.import_module(f"crosspost_adapt.adapters.{name}")
            if name not in self._names:
                self.register(module.PLATFORM, origin="the built-ins (no installed metadata)")

    def register(self, platform: Platform, *, origin: str = "a direct call") -> None:
        """Add ``platform``; its name and aliases must all be free."""
        if not isinstance(platform, Platform):
            raise PlatformRegistrationError(
                f"{origin}: is a {type(platform).__name__}, not a crosspost_adapt Platform"
            )
        for name in (platform.name, *platform.aliases):
            if name in self._names:
                owner = self._names[name]
                raise PlatformRegistrationError(
                    f"platform name {name!r} from {origin} is already taken by "
                    f"{owner!r} from {self._origin[owner]}"
                )
        self._platforms[platform.name] = platform
        self._origin[platform.name] = origin
        for name in (platform.name, *platform.aliases):
            self._names[name] = platform.name

    def names(self) -> tuple[str, ...]:
        """Canonical names: the built-ins in their usual order, then the rest by name."""
        order = {name: i for i, name in enumerate(BUILTIN_ORDER)}
        return tuple(sorted(self._platforms, key=lambda n: (order.get(n, len(order)), n)))

    def canonical(self, name: str) -> str:
        """The canonical name of ``name`` or of the platform it is an alias of."""
        if isinstance(name, str):
            key = name.strip().lower()
            if key in self._names:
                return self._names[key]
        raise UnknownPlatformError(str(name), self.names())

    def get(self, name: str) -> Platform:
        """The platform called ``name`` (or by that alias)."""
        return self._platforms[self.canonical(name)]

    def origin(self, name: str) -> str:
        """Where the platform called ``name`` came from: its entry point and
        distribution, the built-ins, or a direct call to :meth:`register`."""
        return self._origin[self.canonical(name)]

    def __iter__(self) -> Iterator[Platform]:
        return (self._platforms[n] for n in self.names())

    def __len__(self) -> int:
        return len(self._platforms)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.strip().lower() in self._names


@functools.cache
def default_registry() -> Registry:
    """The registry of every installed platform (loaded once, on first use)."""
    if getattr(_loading, "active", False):
        raise PlatformRegistrationError(
            "the platforms are being loaded: a plugin cannot look platforms up "
            "(rules(), get_platform(), platforms(), Post) while it is imported; "
            "import what it builds on directly, e.g. crosspost_adapt.adapters.mastodon.RULES"
        )
    return Registry.from_entry_points()


def reload_platforms() -> tuple[str, ...]:
    """Forget the loaded platforms and read the entry points again.

    Call it after installing a plugin in a running interpreter. Returns the names.
    """
    default_registry.cache_clear()
    return default_registry().names()
