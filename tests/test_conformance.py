"""The platforms' own conformance suites, replayed as they are published.

twitter-text's validate.yml (weighted length with the config each section names),
extract.yml (urls, hashtags, mentions, cashtags) and tlds.yml; Bluesky's grapheme
lengths. The files are verbatim copies of the shared conformance folder.
"""

from __future__ import annotations

import filecmp
from pathlib import Path
from typing import Any

import pytest
from conftest import CONFORMANCE, load_json, load_yaml

from crosspost_adapt import measure, rules
from crosspost_adapt.rules import TextRules, WeightedCounting, WeightRange
from crosspost_adapt.text import (
    extract_cashtags,
    extract_hashtags,
    extract_mentions,
    extract_urls,
    graphemes,
    utf8_length,
)
from crosspost_adapt.text.counting import parse_weighted


def _text_rules(config: dict[str, Any]) -> TextRules:
    """TextRules from a twitter-text config/vN.json, field for field."""
    return TextRules(
        limit=config["maxWeightedTweetLength"],
        unit="weighted",
        url_length=config["transformedURLLength"],
        urls_without_scheme=True,
        weighting=WeightedCounting(
            scale=config["scale"],
            default_weight=config["defaultWeight"],
            ranges=tuple(WeightRange(r["start"], r["end"], r["weight"]) for r in config["ranges"]),
            emoji_parsing=config.get("emojiParsingEnabled", False),
        ),
    )


CONFIGS = {v: _text_rules(load_json(f"twitter-text/config/{v}.json")) for v in ("v1", "v2", "v3")}
VALIDATE = load_yaml("twitter-text/conformance/validate.yml")["tests"]
EXTRACT = load_yaml("twitter-text/conformance/extract.yml")["tests"]
TLDS = load_yaml("twitter-text/conformance/tlds.yml")["tests"]

# The config each weighted section of validate.yml is judged with (its README).
WEIGHTED_SECTIONS = {
    "WeightedTweetsCounterTest": "v2",
    "WeightedTweetsWithDiscountedEmojiCounterTest": "v3",
    "UnicodeDirectionalMarkerCounterTest": "v3",
}


def _cases(sections: dict[str, list[dict[str, Any]]], *names: str) -> list[Any]:
    return [
        pytest.param(name, case, id=f"{name}: {case['description']}")
        for name in names
        for case in sections[name]
    ]


def test_the_copy_is_the_shared_data() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "conformance"
    if not shared.is_dir():
        pytest.skip("the shared conformance folder is not beside this checkout")
    for path in shared.rglob("*"):
        if path.is_file():
            copy = CONFORMANCE / path.relative_to(shared)
            assert filecmp.cmp(path, copy, shallow=False), f"{copy} differs from {path}"


def test_v3_config_is_the_x_rules() -> None:
    x = rules("x").text
    assert CONFIGS["v3"] == x.__class__(
        limit=x.limit,
        unit=x.unit,
        url_length=x.url_length,
        urls_without_scheme=x.urls_without_scheme,
        weighting=x.weighting,
    )


@pytest.mark.parametrize(("section", "case"), _cases(VALIDATE, *WEIGHTED_SECTIONS))
def test_weighted_length(section: str, case: dict[str, Any]) -> None:
    config = CONFIGS[WEIGHTED_SECTIONS[section]]
    result = parse_weighted(case["text"], config)
    got = {
        "weightedLength": result.weighted_length,
        "valid": result.valid,
        "permillage": result.permillage,
        "displayRangeStart": result.display_range_start,
        "displayRangeEnd": result.display_range_end,
        "validRangeStart": result.valid_range_start,
        "validRangeEnd": result.valid_range_end,
    }
    assert got == case["expected"]
    assert measure(case["text"], config) == case["expected"]["weightedLength"]


@pytest.mark.parametrize(("section", "case"), _cases(VALIDATE, "tweets"))
def test_tweet_validity_v1(section: str, case: dict[str, Any]) -> None:
    assert parse_weighted(case["text"], CONFIGS["v1"]).valid is case["expected"]


def _spans(text: str, entities: list[Any]) -> list[list[int]]:
    return [[e.start, e.end] for e in entities]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "urls", "tco_urls_with_params"))
def test_extract_urls(section: str, case: dict[str, Any]) -> None:
    assert [u.value for u in extract_urls(case["text"])] == case["expected"]


@pytest.mark.parametrize(
    ("section", "case"), _cases(EXTRACT, "urls_with_indices", "urls_with_directional_markers")
)
def test_extract_urls_with_indices(section: str, case: dict[str, Any]) -> None:
    got = [{"url": u.value, "indices": [u.start, u.end]} for u in extract_urls(case["text"])]
    assert got == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "hashtags", "hashtags_from_astral"))
def test_extract_hashtags(section: str, case: dict[str, Any]) -> None:
    assert [h.value for h in extract_hashtags(case["text"])] == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "hashtags_with_indices"))
def test_extract_hashtags_with_indices(section: str, case: dict[str, Any]) -> None:
    got = [
        {"hashtag": h.value, "indices": [h.start, h.end]} for h in extract_hashtags(case["text"])
    ]
    assert got == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "mentions"))
def test_extract_mentions(section: str, case: dict[str, Any]) -> None:
    assert [m.value for m in extract_mentions(case["text"])] == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "mentions_with_indices"))
def test_extract_mentions_with_indices(section: str, case: dict[str, Any]) -> None:
    got = [
        {"screen_name": m.value, "indices": [m.start, m.end]}
        for m in extract_mentions(case["text"])
    ]
    assert got == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "mentions_or_lists_with_indices"))
def test_extract_mentions_or_lists(section: str, case: dict[str, Any]) -> None:
    got = []
    for m in extract_mentions(case["text"], lists=True):
        name, _, slug = m.value.partition("/")
        got.append(
            {
                "screen_name": name,
                "list_slug": f"/{slug}" if slug else "",
                "indices": [m.start, m.end],
            }
        )
    assert got == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "cashtags"))
def test_extract_cashtags(section: str, case: dict[str, Any]) -> None:
    assert [c.value for c in extract_cashtags(case["text"])] == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(EXTRACT, "cashtags_with_indices"))
def test_extract_cashtags_with_indices(section: str, case: dict[str, Any]) -> None:
    got = [
        {"cashtag": c.value, "indices": [c.start, c.end]} for c in extract_cashtags(case["text"])
    ]
    assert got == case["expected"]


@pytest.mark.parametrize(("section", "case"), _cases(TLDS, "country", "generic"))
def test_tlds(section: str, case: dict[str, Any]) -> None:
    assert [u.value for u in extract_urls(case["text"])] == case["expected"]


BLUESKY = load_yaml("bluesky/grapheme_length.yml")


@pytest.mark.parametrize("case", BLUESKY["cases"], ids=lambda c: repr(c["text"])[:40])
def test_bluesky_grapheme_length(case: dict[str, Any]) -> None:
    assert graphemes(case["text"]) == case["graphemes"]
    assert measure(case["text"], "bluesky") == case["graphemes"]
    assert utf8_length(case["text"]) == case["utf8_bytes"]


def test_bluesky_limits_are_the_lexicon() -> None:
    lexicon = BLUESKY["limits_from_lexicon"]
    bsky = rules("bluesky")
    assert bsky.text.limit == lexicon["app.bsky.feed.post.text"]["maxGraphemes"]
    assert bsky.text.byte_limit == lexicon["app.bsky.feed.post.text"]["maxLength_utf8_bytes"]
    assert bsky.hashtags.tags_field_max == lexicon["app.bsky.feed.post.tags"]["maxItems"]
    assert (
        bsky.hashtags.tag_max_graphemes == lexicon["app.bsky.feed.post.tags"]["item_maxGraphemes"]
    )
    assert bsky.media.max_count == lexicon["app.bsky.embed.images"]["maxImages"]
