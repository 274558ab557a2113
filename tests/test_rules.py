"""rules(): every figure of PLATFORMS.md, as frozen data a user can evolve."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from crosspost_adapt import PlatformRules, platforms, rules

# (platform, dotted field, value): the figures of PLATFORMS.md (verified Nov 2026).
FIGURES = [
    ("x", "text.limit", 280),
    ("x", "text.unit", "weighted"),
    ("x", "text.url_length", 23),
    ("x", "text.urls_without_scheme", True),
    ("x", "text.weighting.scale", 100),
    ("x", "text.weighting.default_weight", 200),
    ("x", "hashtags.max_count", 2),
    ("x", "hashtags.placement", "inline-or-end"),
    ("x", "media.formats", ("JPEG", "PNG", "GIF", "WEBP")),
    ("x", "media.max_bytes", 5_000_000),
    ("x", "media.max_bytes_animated", 15_000_000),
    ("x", "media.animated_max_size", (1280, 1080)),
    ("x", "media.animation_alone", True),
    ("x", "media.recommended_size", (1600, 900)),
    ("x", "media.max_count", 4),
    ("x", "media.alt_max", 1_000),
    ("facebook", "text.limit", 63_206),
    ("facebook", "text.unit", "utf16"),
    ("facebook", "hashtags.max_count", 1),
    ("facebook", "hashtags.campaign_only", True),
    ("facebook", "mentions.syntax", "name"),
    ("facebook", "media.formats", ("JPEG", "PNG")),
    ("facebook", "media.max_bytes", 4_000_000),
    ("facebook", "media.max_side", 2048),
    ("facebook", "media.max_count", 10),
    ("facebook", "media.alt_max", 1_000),
    ("instagram", "text.limit", 2_200),
    ("instagram", "text.unit", "utf16"),
    ("instagram", "hashtags.max_count", 5),
    ("instagram", "hashtags.hard_cap", True),
    ("instagram", "hashtags.placement", "block"),
    ("instagram", "mentions.max_count", 3),
    ("instagram", "mentions.hard_max", 20),
    ("instagram", "links.clickable", False),
    ("instagram", "links.handling", "link-in-bio"),
    ("instagram", "media.formats", ("JPEG",)),
    ("instagram", "media.max_bytes", 8_000_000),
    ("instagram", "media.min_aspect", 0.8),
    ("instagram", "media.max_aspect", 1.91),
    ("instagram", "media.min_width", 320),
    ("instagram", "media.max_width", 1440),
    ("instagram", "media.recommended_size", (1080, 1350)),
    ("instagram", "media.min_count", 1),
    ("instagram", "media.max_count", 10),
    ("instagram", "media.same_ratio", True),
    ("instagram", "media.alt_max", 1_000),
    ("instagram", "story_media.recommended_size", (1080, 1920)),
    ("instagram", "story_media.max_bytes", 8_000_000),
    ("snapchat", "text.limit", 160),
    ("snapchat", "text.title_limit", 45),
    ("snapchat", "hashtags.placement", "description"),
    ("snapchat", "links.handling", "link-sticker"),
    ("snapchat", "media.formats", ("JPEG", "PNG")),
    ("snapchat", "media.max_bytes", 5_000_000),
    ("snapchat", "media.recommended_size", (1080, 1920)),
    ("snapchat", "media.min_aspect", 9 / 16),
    ("snapchat", "media.max_aspect", 9 / 16),
    ("snapchat", "media.safe_margin", 150),
    ("snapchat", "media.min_count", 1),
    ("snapchat", "media.max_count", 1),
    ("linkedin", "text.limit", 3_000),
    ("linkedin", "text.unit", "utf16"),
    ("linkedin", "hashtags.max_count", 5),
    ("linkedin", "mentions.syntax", "linkedin"),
    ("linkedin", "media.formats", ("JPEG", "PNG", "GIF")),
    ("linkedin", "media.max_bytes", 5_000_000),
    ("linkedin", "media.max_pixels", 36_152_319),
    ("linkedin", "media.max_count", 20),
    ("threads", "text.limit", 500),
    ("threads", "text.unit", "meta"),
    ("threads", "hashtags.max_count", 1),
    ("threads", "links.max_links", 5),
    ("threads", "media.formats", ("JPEG", "PNG")),
    ("threads", "media.max_bytes", 8_000_000),
    ("threads", "media.min_width", 320),
    ("threads", "media.max_width", 1440),
    ("threads", "media.max_aspect", 10.0),
    ("threads", "media.max_count", 20),
    ("threads", "media.alt_max", 1_000),
    ("bluesky", "text.limit", 300),
    ("bluesky", "text.unit", "graphemes"),
    ("bluesky", "text.byte_limit", 3_000),
    ("bluesky", "hashtags.placement", "facets"),
    ("bluesky", "hashtags.tags_field_max", 8),
    ("bluesky", "hashtags.tag_max_graphemes", 64),
    ("bluesky", "links.display_path_max", 15),
    ("bluesky", "media.formats", ("JPEG", "PNG", "WEBP")),
    ("bluesky", "media.max_bytes", 1_000_000),
    ("bluesky", "media.max_side", 4000),
    ("bluesky", "media.max_count", 4),
    ("bluesky", "media.alt_max", 2_000),
    ("mastodon", "text.limit", 500),
    ("mastodon", "text.unit", "graphemes"),
    ("mastodon", "text.url_length", 23),
    ("mastodon", "text.urls_without_scheme", False),
    ("mastodon", "text.mention_domain_free", True),
    ("mastodon", "hashtags.max_count", None),
    ("mastodon", "hashtags.camel_case", True),
    ("mastodon", "mentions.syntax", "fediverse"),
    ("mastodon", "media.max_bytes", 16_777_216),
    ("mastodon", "media.max_pixels", 33_177_600),
    ("mastodon", "media.max_count", 4),
    ("mastodon", "media.alt_max", 1_500),
]


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize(("platform", "field", "value"), FIGURES)
def test_figure(platform: str, field: str, value: Any) -> None:
    assert _get(rules(platform), field) == value


@pytest.mark.parametrize("name", platforms())
def test_rules_are_consistent(name: str) -> None:
    r = rules(name)
    assert isinstance(r, PlatformRules)
    assert r.name == name
    assert r.text.limit > 0
    m = r.media
    assert m.formats and set(m.formats) <= {"JPEG", "PNG", "GIF", "WEBP", "HEIF", "AVIF"}
    assert m.max_bytes > 0
    assert 0 <= m.min_count <= m.max_count
    if m.min_aspect is not None and m.max_aspect is not None:
        assert 0 < m.min_aspect <= m.max_aspect
    if m.min_width is not None and m.max_width is not None:
        assert m.min_width <= m.max_width
    if r.hashtags.hard_cap:
        assert r.hashtags.max_count is not None
    if r.text.unit == "weighted":
        assert r.text.weighting is not None


@pytest.mark.parametrize("name", platforms())
def test_rules_are_frozen(name: str) -> None:
    r = rules(name)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.text.limit = 1  # type: ignore[misc]
    assert hash(r) == hash(rules(name))


def test_evolve_x_premium() -> None:
    x = rules("x")
    premium = attrs.evolve(x, text=attrs.evolve(x.text, limit=25_000))
    assert premium.text.limit == 25_000
    assert premium.text.unit == "weighted" and premium.media == x.media
    assert rules("x").text.limit == 280  # the registered rules are untouched


def test_evolve_mastodon_instance() -> None:
    m = rules("mastodon")
    big = attrs.evolve(m, text=attrs.evolve(m.text, limit=1_000))
    assert big.text.limit == 1_000 and rules("mastodon").text.limit == 500


def test_twitter_is_x() -> None:
    assert rules("twitter") is rules("x") is rules(" X ")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"limit": -5}, "TextRules.limit must be a positive integer, not -5"),
        ({"limit": 0}, "TextRules.limit must be a positive integer, not 0"),
        ({"unit": "bogus"}, "TextRules.unit must be one of weighted, graphemes"),
    ],
)
def test_impossible_text_rules_are_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        attrs.evolve(rules("x").text, **change)
