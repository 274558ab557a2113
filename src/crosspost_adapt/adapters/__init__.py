"""Platform adapters: one module per built-in platform, the registry, the base class.

Each built-in module declares its :class:`~crosspost_adapt.rules.PlatformRules`
(every figure with its source) and exposes ``PLATFORM``, which the package
registers in the ``crosspost_adapt.platforms`` entry-point group.
"""

from crosspost_adapt.adapters.base import Platform
from crosspost_adapt.adapters.registry import (
    ENTRY_POINT_GROUP,
    Registry,
    default_registry,
    reload_platforms,
)

__all__ = ["ENTRY_POINT_GROUP", "Platform", "Registry", "default_registry", "reload_platforms"]
