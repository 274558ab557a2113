"""The differential corpus: 8,014 strings measured once by the official counters.

tests/data/reference_corpus.json was produced by tools/make_corpus.py, which ran
every string through the npm packages twitter-text 3.1.0 (X's official counter)
and @atproto/api (Bluesky). Every field recorded there must agree, section by
section (emoji table, scripts, URLs, mentions, hashtags, lengths around 280...).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import reference_corpus

from crosspost_adapt import measure, rules
from crosspost_adapt.text import (
    extract_cashtags,
    extract_hashtags,
    extract_mentions,
    extract_urls,
    graphemes,
    utf8_length,
)
from crosspost_adapt.text.counting import parse_weighted

CORPUS = reference_corpus()
SECTIONS = [(name, CORPUS["cases"][a:b]) for name, a, b in CORPUS["sections"]]


def _code_points(text: str, utf16_index: int) -> int:
    """The code-point index of a UTF-16 index of ``text`` (the JS packages' unit)."""
    return len(
        text.encode("utf-16-le", "surrogatepass")[: 2 * utf16_index].decode(
            "utf-16-le", "surrogatepass"
        )
    )


def _entities(text: str, ref: list[list[Any]]) -> list[tuple[str, int, int]]:
    return [(value, _code_points(text, a), _code_points(text, b)) for value, a, b in ref]


def _mismatches(cases: list[dict[str, Any]], check: Any) -> list[str]:
    out = []
    for case in cases:
        got, want = check(case)
        if got != want:
            out.append(f"{case['text']!r}: got {got!r}, twitter-text/atproto say {want!r}")
    return out


def test_corpus_is_large_and_clean() -> None:
    assert CORPUS["twitter_text_version"] == "3.1.0"
    assert len(CORPUS["cases"]) == CORPUS["count"] >= 2000
    assert not [c for c in CORPUS["cases"] if "error" in c]


@pytest.mark.parametrize(("section", "cases"), SECTIONS, ids=[s for s, _ in SECTIONS])
def test_x_weighted_length(section: str, cases: list[dict[str, Any]]) -> None:
    x = rules("x")
    bad = _mismatches(cases, lambda c: (measure(c["text"], x), c["x"]["weightedLength"]))
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize(("section", "cases"), SECTIONS, ids=[s for s, _ in SECTIONS])
def test_x_parse_tweet_fields(section: str, cases: list[dict[str, Any]]) -> None:
    x = rules("x").text

    def check(case: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        p = parse_weighted(case["text"], x)
        got = {
            "weightedLength": p.weighted_length,
            "valid": p.valid,
            "permillage": p.permillage,
            "validRangeStart": p.valid_range_start,
            "validRangeEnd": p.valid_range_end,
            "displayRangeStart": p.display_range_start,
            "displayRangeEnd": p.display_range_end,
        }
        return got, case["x"]

    bad = _mismatches(cases, check)
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize(("section", "cases"), SECTIONS, ids=[s for s, _ in SECTIONS])
def test_x_entities(section: str, cases: list[dict[str, Any]]) -> None:
    def check(case: dict[str, Any]) -> tuple[list[Any], list[Any]]:
        t = case["text"]
        got = [
            [(u.value, u.start, u.end) for u in extract_urls(t)],
            [(h.value, h.start, h.end) for h in extract_hashtags(t)],
            [(m.value, m.start, m.end) for m in extract_mentions(t)],
            [(c.value, c.start, c.end) for c in extract_cashtags(t)],
        ]
        want = [
            _entities(t, case[key]) for key in ("x_urls", "x_hashtags", "x_mentions", "x_cashtags")
        ]
        return got, want

    bad = _mismatches(cases, check)
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize(("section", "cases"), SECTIONS, ids=[s for s, _ in SECTIONS])
def test_bluesky_graphemes_and_bytes(section: str, cases: list[dict[str, Any]]) -> None:
    def check(case: dict[str, Any]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        t = case["text"]
        got = (graphemes(t), measure(t, "bluesky"), utf8_length(t))
        want = (case["bsky"]["graphemes"],) * 2 + (case["bsky"]["utf8_bytes"],)
        return got, want

    bad = _mismatches(cases, check)
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize(
    "needle",
    [
        "\U0001f9d1\U0001f3ff\u200d\U0001f4bb",  # 🧑🏿‍💻, newer than twitter-text's emoji
        "\U0001f3f3\ufe0f\u200d\u26a7\ufe0f",  # 🏳️‍⚧️
        "\u00a9",
        "\u00a9\ufe0f",
        "\u00a9\ufe0e",
        "\u2122",
        "\u2122\ufe0f",
        "1\ufe0f\u20e3",
        "1\u20e3",
        "\U0001f1eb\U0001f1f7",
        "e\u0301",
        "\uff28\uff45",  # full-width forms
        "https://",
        "example.com",
    ],
)
def test_corpus_covers_the_hard_cases(needle: str) -> None:
    assert any(needle in case["text"] for case in CORPUS["cases"])
