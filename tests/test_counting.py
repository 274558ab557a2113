"""measure(): each platform's unit, as tables of small cases and as invariants."""

from __future__ import annotations

import itertools

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crosspost_adapt import get_platform, measure, platforms, rules
from crosspost_adapt.text import graphemes, meta_length, utf8_length, utf16_length
from crosspost_adapt.text.counting import countable_text, parse_weighted

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦
TECHNOLOGIST = "\U0001f9d1\U0001f3ff\u200d\U0001f4bb"  # 🧑🏿‍💻 (Emoji 12.1)
FLAG_FR = "\U0001f1eb\U0001f1f7"

# (text, platform, expected length in that platform's unit)
CASES = [
    # X: twitter-text v3 weighted length
    ("", "x", 0),
    ("hello", "x", 5),
    ("café", "x", 4),
    ("cafe\u0301", "x", 4),  # NFC first: e + combining acute is one code point
    ("日本語", "x", 6),  # CJK weighs 2
    ("\U0001f383", "x", 2),
    (FAMILY, "x", 2),  # a ZWJ sequence twitter-text knows weighs 2
    (TECHNOLOGIST, "x", 5),  # newer than Emoji 11: 🧑🏿 (2) + ZWJ (1) + 💻 (2)
    (FLAG_FR, "x", 2),
    ("1\ufe0f\u20e3", "x", 2),  # keycap
    ("\u00a9", "x", 1),  # © alone is text
    ("\u00a9\ufe0f", "x", 2),  # ©️ is an emoji
    ("\u2764\ufe0e", "x", 4),  # ❤︎ text style: ❤ (2) + VS15 (2)
    ("https://example.com/a/very/long/path?with=query&and=more", "x", 23),
    ("example.com", "x", 23),  # without scheme, valid TLD
    ("see example.com/menu now", "x", 4 + 23 + 4),
    ("file.txt", "x", 8),  # .txt is no TLD
    ("3.14", "x", 4),
    ("README.md", "x", 23),  # .md is Moldova's TLD: twitter-text links it
    ("\u2014 \u201cquoted\u201d \u2026", "x", 13),  # dashes and quotes weigh 1, … weighs 2
    ("x" * 280, "x", 280),
    # Bluesky: grapheme clusters
    ("hello", "bluesky", 5),
    (FAMILY, "bluesky", 1),
    (TECHNOLOGIST, "bluesky", 1),
    ("cafe\u0301", "bluesky", 4),
    ("\r\n", "bluesky", 1),
    ("https://example.com/a/very/long/path", "bluesky", 36),  # URLs count in full
    ("\u0915\u094d\u0937", "bluesky", 1),  # क्ष, one grapheme under Unicode 15.1
    # Mastodon: graphemes, URLs 23, @user@domain as @user
    ("https://example.com/a/very/long/path?with=query", "mastodon", 23),
    ("example.com", "mastodon", 11),  # no scheme: not a link on Mastodon
    ("hi @alice@mastodon.social", "mastodon", 9),
    ("hi @alice", "mastodon", 9),
    (FAMILY, "mastodon", 1),
    # Threads: characters, emoji by their UTF-8 bytes
    ("hello", "threads", 5),
    ("\U0001f383", "threads", 4),
    (FAMILY, "threads", 25),
    ("caf\u00e9", "threads", 4),
    ("\u00e9\U0001f383", "threads", 5),
    # UTF-16 code units
    ("hello", "instagram", 5),
    ("\U0001f383", "instagram", 2),
    (FAMILY, "facebook", 11),
    ("日本語", "linkedin", 3),
    ("\U0001d400", "snapchat", 2),  # mathematical bold A, outside the BMP
    ("https://example.com", "linkedin", 19),
    # twitter is an alias of x
    (TECHNOLOGIST, "twitter", 5),
]


@pytest.mark.parametrize(("text", "platform", "expected"), CASES)
def test_measure(text: str, platform: str, expected: int) -> None:
    assert measure(text, platform) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 0), ("a", 1), ("é", 2), ("€", 3), ("\U0001f383", 4), (FAMILY, 25), ("\ud800", 3)],
)
def test_utf8_length(text: str, expected: int) -> None:
    assert utf8_length(text) == expected


def test_measure_accepts_rules_objects() -> None:
    x = rules("x")
    premium = attrs.evolve(x, text=attrs.evolve(x.text, limit=25_000))
    text = "Our menu 🎃 https://example.com"
    assert measure(text, premium) == measure(text, x) == measure(text, x.text)
    assert measure(text, get_platform("x")) == measure(text, "x")
    no_emoji_rule = attrs.evolve(
        x.text, weighting=attrs.evolve(x.text.weighting, emoji_parsing=False)
    )
    assert measure(FAMILY, no_emoji_rule) == 2 + 1 + 2 + 1 + 2 + 1 + 2


def test_measure_rejects_what_is_not_a_platform_or_text() -> None:
    with pytest.raises(TypeError, match="platform must be"):
        measure("hi", 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text must be a string"):
        measure(b"hi", "x")  # type: ignore[arg-type]
    with pytest.raises(LookupError, match="unknown platform 'myspace'"):
        measure("hi", "myspace")


def test_mastodon_countable_text() -> None:
    text = "Read https://example.com/very/long/article by @bob@example.social"
    assert countable_text(text, rules("mastodon").text) == "Read " + "x" * 23 + " by @bob"


# --------------------------------------------------------------------------- invariants

EMOJI = [FAMILY, TECHNOLOGIST, FLAG_FR, "\U0001f383", "\u2764\ufe0f", "1\ufe0f\u20e3", "\u00a9"]
PIECES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            *EMOJI,
            " ",
            "\n",
            "example.com",
            "https://t.co/abc?x=1",
            "@user",
            "#tag",
            "$TWTR",
            "日本",
            "e\u0301",
            "\u200d",
            "\ufe0f",
            "\U0001f3fd",
            "www.example.org/path(x)",
            ".",
            "-",
        ]
    ),
)
TEXTS = st.lists(PIECES, max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
@example("a\u0301" * 3)
def test_fast_count_equals_the_full_parse(text: str) -> None:
    x = rules("x").text
    assert measure(text, "x") == parse_weighted(text, x).weighted_length


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
@example("", "Ñexample.com")
def test_x_length_adds_up_across_a_space(a: str, b: str) -> None:
    # No URL, emoji sequence or composition crosses a space: a length is the sum
    # of its space-separated parts, each in its place. (At the start of a text,
    # twitter-text takes a first non-ASCII letter as what precedes a URL: "Ñ"
    # and the URL "example.com" count 24, the URL "Ñexample.com" after a space
    # 23.) Catches any context leak in the counting.
    assert measure(f"{a} {b}", "x") == measure(a, "x") + measure(f" {b}", "x")
    assert measure(f" {b}", "x") == measure(b, "x") + 1 or not b[:1].isascii()


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_units_relate(text: str) -> None:
    assert graphemes(text) <= len(text) <= utf16_length(text)
    assert utf16_length(text) == len(text.encode("utf-16-le", "surrogatepass")) // 2
    assert len(text) <= meta_length(text) <= utf8_length(text) + len(text)
    for name in platforms():
        assert measure(text, name) >= 0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=300))
def test_ascii_without_urls_counts_characters(text: str) -> None:
    if "." in text:
        text = text.replace(".", " ")
    assert measure(text, "x") == len(text)
    assert measure(text, "instagram") == len(text)
    assert measure(text, "bluesky") == len(text) - text.count("\r\n")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Cs", "Lo", "So", "Mn"]), max_size=50))
def test_any_string_is_measured(text: str) -> None:
    # Lone surrogates cannot be posted anywhere, but measuring them must not crash.
    for name in platforms():
        assert measure(text, name) >= 0


@settings(max_examples=300, deadline=None)
@given(TEXTS | st.text(max_size=40))
def test_grapheme_fast_path_agrees_with_segmentation(text: str) -> None:
    import regex

    assert graphemes(text) == len(regex.findall(r"\X", text))


def test_joiner_data_is_the_regex_class() -> None:
    """``_joiners.py`` (tools/gen_joiners.py) is what ``regex`` says today."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    try:
        from gen_joiners import joiner_ranges
    finally:
        sys.path.pop(0)
    from crosspost_adapt.text._joiners import JOINER_RANGES

    assert tuple(joiner_ranges()) == JOINER_RANGES


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from("aé🎃\u0301\u200d\ufe0f\U0001f3fb\U0001f1eb\U000e0067\u1100\u0903"),
            st.characters(codec="utf-8"),
        ),
        max_size=12,
    )
)
def test_joiner_check_is_the_regex_class(text: str) -> None:
    from crosspost_adapt.text import counting

    assert counting._has_joiner(text) == (counting._CLUSTER_JOINERS.search(text) is not None)


_SLICE_TEXT = st.lists(
    st.sampled_from(
        [
            "a",
            "é",
            " ",
            "\n",
            "\r\n",
            "x.com",
            "https://e.com/p?q=1",
            "@ann@social.example",
            "🎃",
            "👨\u200d👩\u200d👧",
            "🇫🇷",
            "1\ufe0f\u20e3",
            "e\u0301",
            "東京",
            "#tag",
            "\u0301",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_SLICE_TEXT)
def test_count_slices_of_the_whole_text_is_the_count(text: str) -> None:
    from crosspost_adapt.text.counting import count, count_slices

    for name in platforms():
        text_rules = rules(name).text
        slices = count_slices(text, text_rules)
        if slices is not None:
            assert slices(0, len(text)) == count(text, text_rules), name


@settings(max_examples=300, deadline=None)
@given(_SLICE_TEXT)
def test_count_slices_between_whitespace_runs_is_the_count(text: str) -> None:
    """A slice from the end of one whitespace run to the start of another."""
    import re

    from crosspost_adapt.text.counting import count, count_slices

    runs = [m.span() for m in re.finditer(r"\s+", text)]
    bounds = [(a, b) for (_, a), (b, _) in itertools.combinations(runs, 2) if a < b]
    for name in platforms():
        text_rules = rules(name).text
        slices = count_slices(text, text_rules)
        if slices is None:
            continue
        for a, b in bounds:
            if text[a] == "\u0301":
                continue  # a mark after a space joins it: the slice cuts a cluster
            assert slices(a, b) == count(text[a:b], text_rules), (name, text[a:b])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["@", "bob", "a.b", "-", ".", "=", "/", " ", "é", "x.social", "://", "http"]
        ),
        max_size=12,
    ).map("".join)
)
def test_fediverse_mentions_are_the_pattern_matches(text: str) -> None:
    from crosspost_adapt.text import counting

    found = [m.span() for m in counting._fediverse_mentions(text)]
    assert found == [m.span() for m in counting._FEDIVERSE_MENTION.finditer(text)]


@pytest.mark.parametrize("name", ["mastodon", "x"])
@given(
    st.lists(
        st.sampled_from(
            ["https", "http", ":", "//", "://", "a.com", "example.fr/x", " ", "é", "@"]
        ),
        max_size=10,
    ).map("".join)
)
@settings(max_examples=200, deadline=None)
def test_counted_urls_are_the_extracted_urls(name: str, text: str) -> None:
    from crosspost_adapt.text import counting
    from crosspost_adapt.text.entities import extract_urls

    text_rules = rules(name).text
    expected = extract_urls(text, without_scheme=text_rules.urls_without_scheme)
    assert counting._counted_urls(text, text_rules) == expected


#: twitter-text 3.1.0 (parseTweet's weightedLength, extractUrlsWithIndices' urls)
#: on URLs glued to the text before them: after a space the URL may start at a
#: non-ASCII letter (and its long first label can make it no URL at all); at
#: the start of the text that letter is what precedes it.
SCOTLAND = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
GLUED_URLS = [
    ("Hi 新しいメニュー😊ですコーヒーカフェありがとうexample.com/" + "b" * 250, 309, []),
    (" 今日は" + SCOTLAND + "カフェで美味しいbsky.app", 33, []),
    ("x Ñexample.com/x", 25, ["Ñexample.com/x"]),
    ("Ñexample.com/x", 24, ["example.com/x"]),
    ("Hi ééééexample.com/menu", 26, ["ééééexample.com/menu"]),
    ("a\nÀ0.AL b", 27, ["À0.AL"]),
    ("À0.AL", 24, ["0.AL"]),
    ("Hi ありがとうexample.com/bbb", 36, ["example.com/bbb"]),
    ("東京example.com", 27, ["example.com"]),
    ("see (example.com) now", 33, ["example.com"]),
    # After a character beyond U+FFFF, twitter-text's domain starts at its low
    # surrogate: the first label counts it (54 letters and it are over 63 once
    # punycoded), and a domain may start right after an emoji in a path.
    ("🎃" + "a" * 53 + ".com", 25, ["a" * 53 + ".com"]),
    ("🎃" + "a" * 54 + ".com", 60, []),
    ("https://example.com/🎃.example.com", 49, ["https://example.com/", "example.com"]),
    ("See https://example.com/menu🎃.example.com", 53, ["https://example.com/menu", "example.com"]),
    ("a.co/🎃-e.fr", 48, ["a.co/", "-e.fr"]),
    ("a.co/🎃_e.co.uk", 49, ["a.co/", "e.co.uk"]),
    ("a.co/x🎃.e.fr", 49, ["a.co/x", "e.fr"]),
    ("🎃example.com/🎃", 27, ["example.com/"]),
    ("x 🎃https://例え.jp/パス🎃 y", 35, ["https://例え.jp/"]),
    ("👍🏽example.com", 25, ["example.com"]),
    # ... but a surrogate pair inside the label is one character to punycode.
    ("xمرحبا" + "🇫🇷" * 6 + "カフェeo.uk", 47, ["eo.uk"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "weighted", "urls"), GLUED_URLS)
def test_urls_glued_to_the_text_before_them_as_twitter_text(
    text: str, weighted: int, urls: list[str]
) -> None:
    assert measure(text, "x") == weighted
    from crosspost_adapt.text.entities import extract_urls

    assert [u.text for u in extract_urls(text)] == urls


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="\U0001f1eb\U0001f1f7\U0001f1ef\u200d\u0301\u0600\u0903\U0001f383\ufe0f"
        "a \r\n\u1100\u1161",
        max_size=40,
    )
)
def test_flags_paired_keeps_every_cluster_boundary(text: str) -> None:
    # The stand-in for long runs of regional indicators changes no boundary.
    import regex

    from crosspost_adapt.text.counting import flags_paired

    clusters = regex.compile(r"\X")
    paired = flags_paired(text)
    assert len(paired) == len(text)
    assert [m.span() for m in clusters.finditer(paired)] == [
        m.span() for m in clusters.finditer(text)
    ]
