"""crosspost_adapt: one post idea, one native draft per social platform.

The public API::

    from crosspost_adapt import Post, adapt, adapt_all, check, measure, rules

    post = Post(text="Our autumn menu is here 🎃", hashtags=["PumpkinSpice"])
    drafts = adapt_all(post)         # one native draft per platform, changes reported
    measure(post.text, "x")          # 26: X's weighted length
    rules("instagram").text.limit    # 2200

Platforms are found through the ``crosspost_adapt.platforms`` entry-point group.
"""

from __future__ import annotations

from crosspost_adapt.adapt import adapt, adapt_all, check
from crosspost_adapt.adapters.base import Platform
from crosspost_adapt.adapters.registry import ENTRY_POINT_GROUP, Registry, reload_platforms
from crosspost_adapt.adapters.registry import default_registry as _default_registry
from crosspost_adapt.adapters.steps import AdaptOptions
from crosspost_adapt.batch import BatchResult, adapt_many
from crosspost_adapt.draft import Change, Draft, Problem, RenderedMedia
from crosspost_adapt.errors import (
    CannotFitError,
    CrosspostError,
    InvalidPostError,
    MediaError,
    PlatformRegistrationError,
    UnknownPlatformError,
)
from crosspost_adapt.model import Media, Mention, Post
from crosspost_adapt.rules import (
    HashtagRules,
    LinkRules,
    MediaRules,
    MentionRules,
    PlatformRules,
    TextRules,
    WeightedCounting,
    WeightRange,
)
from crosspost_adapt.text.counting import count as _count
from crosspost_adapt.text.entities import Entity, extract_entities

__all__ = [
    "ENTRY_POINT_GROUP",
    "AdaptOptions",
    "BatchResult",
    "CannotFitError",
    "Change",
    "CrosspostError",
    "Draft",
    "Entity",
    "HashtagRules",
    "InvalidPostError",
    "LinkRules",
    "Media",
    "MediaError",
    "MediaRules",
    "Mention",
    "MentionRules",
    "Platform",
    "PlatformRegistrationError",
    "PlatformRules",
    "Post",
    "Problem",
    "Registry",
    "RenderedMedia",
    "TextRules",
    "UnknownPlatformError",
    "WeightRange",
    "WeightedCounting",
    "adapt",
    "adapt_all",
    "adapt_many",
    "check",
    "extract_entities",
    "get_platform",
    "measure",
    "platforms",
    "reload_platforms",
    "rules",
]

__version__ = "0.1.0"


def platforms() -> tuple[str, ...]:
    """Names of the registered platforms (built-ins first, then plugins by name)."""
    return _default_registry().names()


def get_platform(name: str) -> Platform:
    """The registered :class:`Platform` called ``name`` (``"twitter"`` is ``"x"``).

    Raises :class:`UnknownPlatformError` (a ``LookupError``) listing the known names.
    """
    return _default_registry().get(name)


def rules(platform: str) -> PlatformRules:
    """The rules of ``platform``: every limit and norm, as frozen data.

    Customise with ``attrs.evolve``; pass the result wherever a platform is taken.
    """
    return get_platform(platform).rules


def _text_rules(platform: str | Platform | PlatformRules | TextRules) -> TextRules:
    if isinstance(platform, str):
        return rules(platform).text
    if isinstance(platform, Platform):
        return platform.rules.text
    if isinstance(platform, PlatformRules):
        return platform.text
    if isinstance(platform, TextRules):
        return platform
    raise TypeError(
        "platform must be a name, a Platform, a PlatformRules or a TextRules, "
        f"not {type(platform).__name__}"
    )


def measure(text: str, platform: str | Platform | PlatformRules | TextRules) -> int:
    """The length of ``text`` exactly as ``platform`` counts it, in its unit.

    X: twitter-text's weighted length (URLs 23, emoji 2, CJK 2). Bluesky: grapheme
    clusters (its 3,000-byte limit is separate). Mastodon: graphemes with URLs at
    23 and ``@user@domain`` as ``@user``. Threads: characters with emoji counted by
    their UTF-8 bytes. Facebook, Instagram, LinkedIn, Snapchat: UTF-16 code units.
    The unit is ``rules(platform).text.unit``.
    """
    return _count(text, _text_rules(platform))
