"""adapt(), adapt_all() and check(): from one idea to native drafts, and a linter."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

import attrs

from crosspost_adapt.adapters.base import Platform
from crosspost_adapt.adapters.clones import near_clones
from crosspost_adapt.adapters.registry import Registry, default_registry
from crosspost_adapt.adapters.steps import (
    _LITTLE_MENTION,
    _LITTLE_RESERVED,
    _LITTLE_TAG,
    STANDARD_STEPS,
    UNPUBLISHABLE,
    AdaptOptions,
    _fold,
    _run_chain,
    plain_little,
)
from crosspost_adapt.draft import Draft, Problem, _draft
from crosspost_adapt.errors import UNIT_NAMES
from crosspost_adapt.model import Post
from crosspost_adapt.rules import PlatformRules
from crosspost_adapt.text.counting import count, utf8_length
from crosspost_adapt.text.entities import extract_hashtags, extract_mentions, extract_urls

__all__ = ["CLONE_THRESHOLD", "adapt", "adapt_all", "check"]

#: A character escaped with a backslash in the little format (a plain character).
_LITTLE_ESCAPED = re.compile(r"\\.", re.DOTALL)

#: Two drafts this similar (0 to 1) or more get a ``near-clone`` change.
CLONE_THRESHOLD = 0.9

_OPTION_NAMES = tuple(a.name for a in attrs.fields(AdaptOptions))


_DEFAULT_OPTIONS: Final = AdaptOptions()

#: Options built before, by their ``(name, type, value)`` items: posts are adapted
#: with the same few option sets, and building (validating) one costs more than
#: adapting a short post to a platform. Only plain values (their exact type is in
#: the key, so ``1`` is not taken for ``True``); emptied when full.
_BUILT_OPTIONS: dict[tuple[tuple[str, type, Any], ...], AdaptOptions] = {}
_PLAIN_TYPES: Final = frozenset({bool, int, str, type(None)})


def _options(options: dict[str, Any]) -> AdaptOptions:
    if not options:
        return _DEFAULT_OPTIONS
    key = tuple([(name, type(value), value) for name, value in options.items()])
    plain = all(item[1] in _PLAIN_TYPES for item in key)
    if plain:
        built = _BUILT_OPTIONS.get(key)
        if built is not None:
            return built
    unknown = sorted(set(options) - set(_OPTION_NAMES))
    if unknown:
        raise TypeError(f"unknown option {unknown[0]!r}; options: {', '.join(_OPTION_NAMES)}")
    built = AdaptOptions(**options)
    if plain:
        if len(_BUILT_OPTIONS) >= 64:
            _BUILT_OPTIONS.clear()
        _BUILT_OPTIONS[key] = built
    return built


def _platform(platform: str | Platform) -> Platform:
    if isinstance(platform, Platform):
        return platform
    return default_registry().get(platform)


#: The platforms of the last registry :func:`_every_platform` listed, with the
#: registry and its size then (a registry only grows: the same size is the same
#: platforms).
_EVERY: list[tuple[Registry, int, tuple[Platform, ...]]] = []


def _every_platform(registry: Registry) -> tuple[Platform, ...]:
    """Every platform of ``registry`` in its order (``tuple(registry)``), remembered:
    listing them sorts the names, and ``adapt_all`` lists them for every post."""
    if _EVERY:
        known, size, every = _EVERY[0]
        if known is registry and size == len(registry):
            return every
    every = tuple(registry)
    _EVERY[:] = [(registry, len(registry), every)]
    return every


def adapt(
    post: Post,
    platform: str | Platform,
    *,
    rules: PlatformRules | None = None,
    **options: Any,
) -> Draft:
    """The native draft of ``post`` for ``platform``, with every change reported.

    ``platform`` is a registered name (or alias), or a :class:`Platform`;
    ``rules`` replaces the platform's rules (e.g. ``attrs.evolve``-d for X
    Premium). ``options`` are the fields of :class:`AdaptOptions`: ``overflow``
    (``"thread"``, ``"truncate"`` or ``"error"``), ``numbering``, ``utm``,
    ``link_in_bio``, ``hashtags_in_first_comment``, ``ellipsis``.

    Raises :class:`~crosspost_adapt.CannotFitError` when ``overflow="error"`` and
    the text does not fit, ``UnknownPlatformError`` for an unknown name, and
    ``TypeError`` for an unknown option.
    """
    if not isinstance(post, Post):
        raise TypeError(f"post must be a Post, not {type(post).__name__}")
    if rules is not None and not isinstance(rules, PlatformRules):
        raise TypeError(f"rules must be a PlatformRules, not {type(rules).__name__}")
    chosen = _platform(platform)
    if rules is not None and rules.name != chosen.rules.name:
        raise ValueError(
            f"rules are {rules.name}'s, not {chosen.rules.name}'s: evolve "
            f"rules({chosen.rules.name!r}) instead"
        )
    return _adapt(post, chosen, rules if rules is not None else chosen.rules, _options(options))


def _adapt(
    post: Post, chosen: Platform, platform_rules: PlatformRules, opts: AdaptOptions
) -> Draft:
    # A platform without steps of its own runs the standard chain.
    steps = chosen.steps or STANDARD_STEPS
    work, changes = _run_chain(steps, chosen.name, post, opts, platform_rules)
    return _draft(
        chosen.name,
        work.parts or (work.body,),
        work.first_comment,
        work.links,
        work.facets,
        work.tags,
        work.media,
        changes,
    )


def adapt_all(
    post: Post,
    platforms: Iterable[str | Platform] | None = None,
    *,
    clone_threshold: float = CLONE_THRESHOLD,
    **options: Any,
) -> dict[str, Draft]:
    """A draft per platform (every registered platform when ``platforms`` is None).

    Drafts that read the same (similarity at least ``clone_threshold``) each get a
    ``near-clone`` change naming the other platform and the similarity: the
    "zero effort" smell of content cloned everywhere.
    """
    if "rules" in options:
        raise TypeError(
            "adapt_all() takes no rules: they belong to one platform; pass a Platform "
            "built with the evolved rules in platforms, or call adapt(post, name, rules=...)"
        )
    if not isinstance(post, Post):
        raise TypeError(f"post must be a Post, not {type(post).__name__}")
    if (
        not isinstance(clone_threshold, (int, float))
        or isinstance(clone_threshold, bool)
        or not 0 <= clone_threshold <= 1
    ):
        raise ValueError(f"clone_threshold must be a number from 0 to 1, not {clone_threshold!r}")
    if isinstance(platforms, str):
        raise TypeError(
            f"platforms must be a list of names, not a str: [{platforms!r}] for one platform"
        )
    registry = default_registry()
    names = _every_platform(registry) if platforms is None else tuple(platforms)
    opts = _options(options)  # checked and built once for every platform
    drafts: dict[str, Draft] = {}
    for name in names:
        chosen = name if isinstance(name, Platform) else registry.get(name)
        draft = _adapt(post, chosen, chosen.rules, opts)
        drafts[draft.platform] = draft
    clones = near_clones(drafts, clone_threshold)
    for name, extra in clones.items():
        d = drafts[name]
        drafts[name] = _draft(
            d.platform,
            d.parts,
            d.first_comment,
            d.links,
            d.facets,
            d.tags,
            d.media,
            d.changes + tuple(extra),
        )
    return drafts


def check(text: str, platform: str | Platform | PlatformRules) -> tuple[Problem, ...]:
    """Lint a hand-written draft against a platform's rules.

    Each problem names the measured value, the limit and the unit: too long, too
    many bytes (Bluesky), too many hashtags, too many mentions, links where they
    are not clickable, too many links, characters no platform accepts.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    r = platform if isinstance(platform, PlatformRules) else _platform(platform).rules
    name = r.name
    problems: list[Problem] = []

    def add(
        code: str, what: str, measured: int, limit: int, unit: str, *, hard: bool = True
    ) -> None:
        if code in ("too-long", "too-many-bytes"):
            message = f"{name}: {what} is {measured:,} of {limit:,} {UNIT_NAMES.get(unit, unit)}"
        else:
            message = f"{name}: {measured:,} {what} (at most {limit:,})"
        problems.append(Problem(name, code, message, measured, limit, unit, hard))

    length = count(text, r.text)
    if length > r.text.limit:
        add("too-long", "text", length, r.text.limit, r.text.unit)
    if r.text.byte_limit is not None:
        size = utf8_length(text)
        if size > r.text.byte_limit:
            add("too-many-bytes", "text", size, r.text.byte_limit, "bytes")
    bad = len(UNPUBLISHABLE.findall(text))
    if bad:
        add("invalid-character", "unpublishable character(s)", bad, 0, "characters")
    if r.text.markup == "little":
        # LinkedIn cuts the text at the first reserved character not escaped
        # (outside a hashtag template or a mention's markup).
        rest = _LITTLE_TAG.sub("", text) if "{" in text else text
        rest = _LITTLE_MENTION.sub("", rest) if "@[" in rest else rest
        rest = _LITTLE_ESCAPED.sub("", rest) if "\\" in rest else rest
        raw = len(_LITTLE_RESERVED.findall(rest))
        if raw:
            add("unescaped-character", "reserved character(s) not escaped", raw, 0, "characters")
    if r.hashtags.max_count is not None:
        if r.text.markup == "little":
            # An escaped "\#" is a plain character there, not a hashtag.
            plain = _LITTLE_ESCAPED.sub("  ", text) if "\\" in text else text
            found = {_fold(h.value) for h in extract_hashtags(plain)}
            found |= {_fold(plain_little(m.group(1))) for m in _LITTLE_TAG.finditer(text)}
        else:
            # One tag whatever its case or Unicode form, as adapt counts them.
            found = {_fold(h.value) for h in extract_hashtags(text)}
        if len(found) > r.hashtags.max_count:
            add(
                "too-many-hashtags",
                "distinct hashtags",
                len(found),
                r.hashtags.max_count,
                "hashtags",
                hard=r.hashtags.hard_cap,
            )
    if r.mentions.max_count is not None:
        mentions = len(extract_mentions(text))
        if mentions > r.mentions.max_count:
            hard = r.mentions.hard_max is not None and mentions > r.mentions.hard_max
            add(
                "too-many-mentions",
                "mentions",
                mentions,
                # Past the platform's own limit, that limit; else the norm.
                r.mentions.hard_max
                if hard and r.mentions.hard_max is not None
                else (r.mentions.max_count),
                "mentions",
                hard=hard,
            )
    urls = extract_urls(text)
    if urls and not r.links.clickable:
        # A norm: the platform takes the text, but the link leads nowhere.
        add(
            "link-not-clickable",
            "link(s) where links are not clickable",
            len(urls),
            0,
            "links",
            hard=False,
        )
    if r.links.max_links is not None:
        distinct = len({u.value for u in urls})
        if distinct > r.links.max_links:
            add("too-many-links", "distinct links", distinct, r.links.max_links, "links")
    return tuple(problems)
