"""Platform rules as data: :class:`PlatformRules` and its parts.

Every limit a platform imposes, or a norm it follows, is a field here; the values
live in the platform modules (``crosspost_adapt.adapters.<name>``), each next to
its source. Change a rule with ``attrs.evolve``::

    premium = attrs.evolve(rules("x"), text=attrs.evolve(rules("x").text, limit=25_000))

Units: lengths are in the platform's counting unit (:data:`CountUnit`), sizes in
bytes, dimensions in pixels, aspect ratios as width / height.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

import attrs

__all__ = [
    "CountUnit",
    "HashtagPlacement",
    "HashtagRules",
    "LinkHandling",
    "LinkRules",
    "MediaRules",
    "MentionRules",
    "MentionSyntax",
    "PlatformRules",
    "TextRules",
    "WeightRange",
    "WeightedCounting",
]

#: How a platform counts the length of a text.
#:
#: - ``"weighted"``: twitter-text's weighted length (X): NFC, weights per code-point
#:   range, every emoji sequence and every URL at a fixed weight.
#: - ``"graphemes"``: extended grapheme clusters (what a reader sees as one character).
#: - ``"utf16"``: UTF-16 code units (what JavaScript's ``length`` and most backends
#:   count; an emoji usually counts 2, a family emoji up to 11).
#: - ``"meta"``: Meta's wording for Threads: characters, with each emoji counted by
#:   its UTF-8 byte length.
CountUnit = Literal["weighted", "graphemes", "utf16", "meta"]

#: Where hashtags go in a draft.
#:
#: - ``"inline-or-end"``: tag a word of the text where it is the hashtag, else at the end;
#: - ``"end"``: at the end of the text;
#: - ``"block"``: a separate block at the end (or in the first comment, on request);
#: - ``"facets"``: at the end, sent as facets (and the post's ``tags`` field);
#: - ``"description"``: inside the short description (Snapchat Spotlight).
HashtagPlacement = Literal["inline-or-end", "end", "block", "facets", "description"]

#: How a mention is written on a platform.
#:
#: - ``"handle"``: ``@handle``;
#: - ``"fediverse"``: ``@user@instance``;
#: - ``"linkedin"``: ``@[Name](urn:li:...)`` when a URN is known, else the name;
#: - ``"name"``: the display name (no portable mention syntax);
#: - ``"none"``: no mentions at all (the display name is written).
MentionSyntax = Literal["handle", "fediverse", "linkedin", "name", "none"]

#: What happens to a link: written in the text, or handed back to attach by hand.
LinkHandling = Literal["inline", "link-in-bio", "link-sticker"]


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"{type(instance).__name__}.{attribute.name} must be a positive integer, not {value!r}"
        )


def _count_unit(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in get_args(CountUnit):
        raise ValueError(
            f"TextRules.unit must be one of {', '.join(get_args(CountUnit))}, not {value!r}"
        )


def _pattern(instance: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    name = f"{type(instance).__name__}.{attribute.name}"
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a regular expression (a str) or None, not {value!r}")
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{name} is not a regular expression: {exc}") from None


@attrs.frozen
class WeightRange:
    """Code points ``start..end`` (inclusive) weigh ``weight`` (in 1/scale units)."""

    start: int
    end: int
    weight: int


@attrs.frozen
class WeightedCounting:
    """twitter-text's weighted-length configuration (``config/v3.json`` fields).

    ``maxWeightedTweetLength`` is :attr:`TextRules.limit` and ``transformedURLLength``
    :attr:`TextRules.url_length`, so that each figure lives in one place.
    """

    scale: int
    default_weight: int
    ranges: tuple[WeightRange, ...]
    #: Every emoji sequence weighs ``default_weight`` as a whole (``emojiParsingEnabled``).
    emoji_parsing: bool


@attrs.frozen
class TextRules:
    """Length of the text, and how it is counted."""

    #: Most units of ``unit`` one post (or one part of a thread) may hold.
    limit: int = attrs.field(validator=_positive)
    unit: CountUnit = attrs.field(validator=_count_unit)
    #: Every URL counts this many units, whatever its length (None: as written).
    url_length: int | None = None
    #: Whether a URL without ``http://`` (``example.com``) is also counted as a URL.
    urls_without_scheme: bool = False
    #: Most UTF-8 bytes of the text (Bluesky), None when there is no byte limit.
    byte_limit: int | None = None
    #: ``@user@domain`` counts as ``@user`` (Mastodon).
    mention_domain_free: bool = False
    #: twitter-text's weights (X only).
    weighting: WeightedCounting | None = None
    #: A shorter length that reads better than the hard limit (a norm), or None.
    recommended: int | None = None
    #: A separate short title and its limit, where the platform has one.
    title_limit: int | None = None
    #: Whether the platform chains posts into a thread (replies to oneself).
    threads: bool = False
    #: How the text is marked up: ``"plain"``, or LinkedIn's ``"little"`` format
    #: (reserved characters escaped, hashtags as ``{hashtag|\#|tag}``).
    markup: Literal["plain", "little"] = "plain"


@attrs.frozen
class HashtagRules:
    """How many hashtags a draft keeps, and where they go."""

    #: Hashtags kept in a draft (a norm or a hard cap; None: no cap).
    max_count: int | None
    #: True when ``max_count`` is the platform's own limit rather than a norm.
    hard_cap: bool
    placement: HashtagPlacement
    #: Keep only the campaign tag (Facebook's norm).
    campaign_only: bool = False
    #: Write multi-word tags in CamelCase (Mastodon, for screen readers).
    camel_case: bool = False
    #: Bluesky's ``tags`` field: most tags, and most graphemes per tag.
    tags_field_max: int | None = None
    tag_max_graphemes: int | None = None


@attrs.frozen
class MentionRules:
    """How people are mentioned."""

    syntax: MentionSyntax
    #: Mentions kept in a draft by default (None: no cap).
    max_count: int | None = None
    #: The platform's own hard limit on mentions (None: none known).
    hard_max: int | None = None
    #: A regular expression a handle must match whole to be written as a mention
    #: (None: any handle): one the platform cannot have would mention someone
    #: else (``@cafe.lune`` on X is ``@cafe``) or nobody; the name is written instead.
    handle_pattern: str | None = attrs.field(default=None, validator=_pattern)


@attrs.frozen
class LinkRules:
    """Whether links are clickable in the text, and how many a post may hold."""

    handling: LinkHandling
    clickable: bool
    #: Most distinct links in one post (None: no limit).
    max_links: int | None = None
    #: The platform shows a preview card for a link when the post has no media.
    preview_card: bool = False
    #: Links are shown as host + path, the path cut after this many characters
    #: with "..." (the facet keeps the full URI); None: links shown as written.
    display_path_max: int | None = None


@attrs.frozen
class MediaRules:
    """What an image must be to be accepted on first upload."""

    #: Output formats, Pillow names, preferred first.
    formats: tuple[str, ...]
    #: Most bytes of one image file (the budget aimed at, see each source).
    max_bytes: int
    #: Most images in one post.
    max_count: int
    #: Fewest images in one post (1 where a post needs an image).
    min_count: int = 0
    #: Most bytes of an animated GIF, where it differs from ``max_bytes``.
    max_bytes_animated: int | None = None
    #: Width and height bounds in pixels (None: no bound).
    min_width: int | None = None
    max_width: int | None = None
    max_height: int | None = None
    #: Longest side in pixels (None: no bound).
    max_side: int | None = None
    #: Most pixels (width x height) of one image (None: no bound).
    max_pixels: int | None = None
    #: Most width x height of an animated GIF.
    animated_max_size: tuple[int, int] | None = None
    #: The size the platform recommends, width x height: images are scaled down
    #: into this box, and made exactly this size where the ratio is fixed.
    recommended_size: tuple[int, int] | None = None
    #: Aspect ratio bounds, width / height (None: any).
    min_aspect: float | None = None
    max_aspect: float | None = None
    #: Most characters of alt text (None: no limit known; the alt text is kept).
    alt_max: int | None = None
    #: Every item of a carousel is cropped to the first one's ratio.
    same_ratio: bool = False
    #: Top and bottom bands (pixels at the recommended size) to keep clear of text.
    safe_margin: int | None = None
    #: Colour space the images must be in.
    color_space: Literal["sRGB"] = "sRGB"
    #: An animation is the post's only image (X: "4 photos, or 1 GIF"): the
    #: others are left out after a first one that is animated, flattened after a
    #: first one that is not.
    animation_alone: bool = False


@attrs.frozen
class PlatformRules:
    """Everything one platform requires of a draft, as data."""

    #: The canonical platform name (``"x"``, ``"instagram"``...).
    name: str
    #: How people call it (``"X (Twitter)"``).
    display_name: str
    text: TextRules
    hashtags: HashtagRules
    mentions: MentionRules
    links: LinkRules
    media: MediaRules
    #: Stories, where the platform has them as a separate format.
    story_media: MediaRules | None = None
