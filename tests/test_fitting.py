"""Fitting a text under a limit: truncate() and split_thread().

Tables of small hand-written cases (French, Japanese, emoji sequences, URLs, at
the limit and one over), invariants checked with hypothesis for several length
functions, and hostile inputs under a watchdog.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

import attrs
import pytest
import regex
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from strategies import SAMPLE_WORDS

from crosspost_adapt import extract_entities, measure, rules
from crosspost_adapt.text import fitting, graphemes, utf16_length
from crosspost_adapt.text.counting import count, count_slices
from crosspost_adapt.text.fitting import Fitted, remove_break_markers, split_thread, truncate

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦
FLAG_FR = "\U0001f1eb\U0001f1f7"  # 🇫🇷
JA = (
    "今日はとても良い天気です。公園に行きました、そしてお弁当を食べました。"
    "明日も晴れるといいですね！"
)


def x_length(s: str) -> int:
    return measure(s, "x")


def mastodon_length(s: str) -> int:
    return measure(s, "mastodon")


LENGTHS: dict[str, Callable[[str], int]] = {
    "len": len,
    "utf16": utf16_length,
    "graphemes": graphemes,
    "x": x_length,
    "mastodon": mastodon_length,
}

GRAPHEME = regex.compile(r"\X")
#: What truncate() may strip before the ellipsis.
DANGLING = ",;:.…、，。；：･・-–—‐/\\|&([{«‹„‚¿¡「『（【〈《"
MARKER = re.compile(r"^[^\S\n]*---[^\S\n]*$", re.MULTILINE)


# --------------------------------------------------------------------------- truncate table

# (text, length, limit, options, expected part, expected dropped, expected hard cuts)
TRUNCATE_CASES: list[tuple[str, str, int, dict[str, str], str, str | None, tuple[str, ...]]] = [
    # at the limit, one over
    ("hello world", "len", 11, {}, "hello world", None, ()),
    ("hello world", "len", 10, {}, "hello…", " world", ()),
    ("x" * 280, "x", 280, {}, "x" * 280, None, ()),
    ("x" * 140 + " y", "x", 142, {}, "x" * 140 + " y", None, ()),
    ("x" * 140 + " yz", "x", 142, {}, "x" * 140 + "…", " yz", ()),
    # a sentence boundary wins when it keeps 2/3 of what a word boundary keeps
    (
        "One two three four five. Six seven",
        "len",
        30,
        {},
        "One two three four five…",
        ". Six seven",
        (),
    ),
    (
        "First sentence here. Second one goes on",
        "len",
        33,
        {},
        "First sentence here. Second one…",
        " goes on",
        (),
    ),
    ("Stop. Go on now please", "len", 12, {}, "Stop. Go on…", " now please", ()),
    # dangling punctuation goes, closing brackets and marks stay
    ("Pumpkin soup, roasted squash", "len", 15, {}, "Pumpkin soup…", ", roasted squash", ()),
    (
        "(see the menu) tonight and tomorrow",
        "len",
        16,
        {},
        "(see the menu)…",
        " tonight and tomorrow",
        (),
    ),
    ("The café is open — come by soon", "len", 20, {}, "The café is open…", " — come by soon", ()),
    ("Big news: we open today", "len", 11, {}, "Big news…", ": we open today", ()),
    ("Wait... what happened here", "len", 12, {}, "Wait…", "... what happened here", ()),
    # never inside a URL, a mention or a hashtag
    (
        "Menu: https://example.com/autumn/menu/2024 today",
        "len",
        30,
        {},
        "Menu…",
        ": https://example.com/autumn/menu/2024 today",
        (),
    ),
    (
        "Menu: https://example.com/autumn/menu/2024 today",
        "x",
        31,
        {},
        "Menu: https://example.com/autumn/menu/2024…",
        " today",
        (),
    ),
    (
        "Read https://example.com/a-very-long-path-that-goes-on-and-on",
        "len",
        20,
        {},
        "Read…",
        " https://example.com/a-very-long-path-that-goes-on-and-on",
        (),
    ),
    (
        "Thanks @alice_smith #PumpkinSpice",
        "len",
        25,
        {},
        "Thanks @alice_smith…",
        " #PumpkinSpice",
        (),
    ),
    ("See example.com/menu.", "len", 20, {}, "See…", " example.com/menu.", ()),
    # ...unless the text starts with one longer than the limit
    (
        "https://example.com/a-very-long-path-that-goes-on-and-on",
        "len",
        20,
        {},
        "https://example.com…",
        "/a-very-long-path-that-goes-on-and-on",
        ("https://example.com/a-very-long-path-that-goes-on-and-on",),
    ),
    # a word longer than the limit is cut between graphemes
    ("x" * 30, "len", 10, {}, "x" * 9 + "…", "x" * 21, ("x" * 30,)),
    (FAMILY * 5, "graphemes", 3, {}, FAMILY * 2 + "…", FAMILY * 3, (FAMILY * 5,)),
    (FLAG_FR * 3, "graphemes", 2, {}, FLAG_FR + "…", FLAG_FR * 2, (FLAG_FR * 3,)),
    (FLAG_FR * 3, "utf16", 9, {}, FLAG_FR * 2 + "…", FLAG_FR, (FLAG_FR * 3,)),
    ("go " + FAMILY * 4, "x", 7, {}, "go " + FAMILY + "…", FAMILY * 3, (FAMILY * 4,)),
    # Japanese: sentences end without a space; a long run is cut after 、 if it can
    (
        "今日はとても良い天気です。公園に行きました。",
        "x",
        30,
        {},
        "今日はとても良い天気です…",
        "。公園に行きました。",
        (),
    ),
    (
        "公園に行きました、そしてお弁当を食べました",
        "len",
        12,
        {},
        "公園に行きました…",
        "、そしてお弁当を食べました",
        ("公園に行きました、そしてお弁当を食べました",),
    ),
    (
        "今日はとても良い天気です",
        "len",
        6,
        {},
        "今日はとて…",
        "も良い天気です",
        ("今日はとても良い天気です",),
    ),
    # French: a space before ! ? : ; » and after « binds
    (
        "Bonjour à tous ! Ça va très bien",
        "len",
        17,
        {},
        "Bonjour à tous !…",
        " Ça va très bien",
        (),
    ),
    (
        "Bonjour à tous ! Ça va très bien",
        "len",
        16,
        {},
        "Bonjour à…",
        " tous ! Ça va très bien",
        (),
    ),
    ("C'est « super » vraiment", "len", 17, {}, "C'est « super »…", " vraiment", ()),
    ("Il a dit : « oui » hier", "len", 12, {}, "Il a dit…", " : « oui » hier", ()),
    ("Enfin\u00a0! Voilà la suite", "len", 10, {}, "Enfin\u00a0!…", " Voilà la suite", ()),
    # suffix, custom ellipsis
    (
        "Our autumn menu is here",
        "len",
        25,
        {"suffix": " https://x.co/a"},
        "Our…",
        " autumn menu is here",
        (),
    ),
    ("Our autumn menu", "len", 25, {"suffix": " #a"}, "Our autumn menu", None, ()),
    ("one two three four", "len", 14, {"ellipsis": " [...]"}, "one two [...]", " three four", ()),
    ("one two three four", "len", 8, {"ellipsis": ""}, "one two", " three four", ()),
    # no room: the ellipsis alone, or nothing at all
    ("abcdef", "len", 1, {}, "…", "abcdef", ()),
    ("abcdef", "len", 1, {"suffix": "x"}, "", "abcdef", ()),
    ("abcdef", "len", 0, {}, "", "abcdef", ()),
    ("ab cdef", "len", 2, {"suffix": "x"}, "…", "ab cdef", ()),
    # empty and blank texts
    ("", "len", 0, {}, "", None, ()),
    ("   ", "len", 3, {}, "   ", None, ()),
    ("   ", "len", 1, {}, "", "   ", ()),
    ("hello   ", "len", 5, {}, "hello", "   ", ()),
    ("  hello world", "len", 9, {}, "  hello…", " world", ()),
    # break lines are plain text here
    ("a\n---\nb", "len", 7, {}, "a\n---\nb", None, ()),
    # nothing but dangling punctuation: it stays, rather than only an ellipsis
    ("-- -- -- --", "len", 7, {}, "-- --…", " -- --", ()),
    (
        "\u2026\u2026 \u2026\u2026 \u2026",
        "len",
        6,
        {},
        "\u2026\u2026 \u2026\u2026\u2026",
        " \u2026",
        (),
    ),
    ("... ... ...", "len", 8, {}, "... ...…", " ...", ()),
    # an escape's backslash is not left before the ellipsis
    ("\\(\\(\\( \\(\\(", "len", 10, {}, "\\(\\(\\(…", " \\(\\(", ()),
    ("-- \\( \\(\\(", "len", 8, {}, "-- \\(…", " \\(\\(", ()),
    ("\\(\\(\\(\\(\\(", "len", 4, {}, "\\(…", "\\(\\(\\(\\(", ("\\(\\(\\(\\(\\(",)),
]


@pytest.mark.parametrize(
    ("text", "length", "limit", "options", "part", "dropped", "hard"), TRUNCATE_CASES
)
def test_truncate_table(
    text: str,
    length: str,
    limit: int,
    options: dict[str, str],
    part: str,
    dropped: str | None,
    hard: tuple[str, ...],
) -> None:
    fitted = truncate(text, LENGTHS[length], limit, **options)
    assert fitted == Fitted((part,), dropped, hard, 0)
    check_truncated(text, LENGTHS[length], limit, fitted, **options)


def test_truncate_suffix_alone_over_the_limit() -> None:
    with pytest.raises(ValueError, match="suffix alone measures 12, over the limit of 10"):
        truncate("hello", len, 10, suffix=" #autumnmenu")


def test_negative_limit() -> None:
    with pytest.raises(ValueError, match="limit"):
        truncate("hello", len, -1)
    with pytest.raises(ValueError, match="limit"):
        split_thread("hello", len, -1)


def test_truncate_measures_the_text_as_published() -> None:
    # On X a URL weighs 23 however long; the ellipsis weighs 2.
    url = "https://example.com/" + "a" * 100
    fitted = truncate(f"Look {url} and more words here", x_length, 30)
    assert fitted.parts == (f"Look {url}…",)
    assert x_length(fitted.parts[0]) == 30


# --------------------------------------------------------------------------- thread table

# (text, length, limit, options, expected parts, expected hard cuts, forced breaks)
THREAD_CASES: list[tuple[str, str, int, dict[str, Any], tuple[str, ...], tuple[str, ...], int]] = [
    # one part, without numbering, when it fits (with last_suffix)
    ("hello world", "len", 11, {}, ("hello world",), (), 0),
    ("  hello world\n", "len", 11, {}, ("hello world",), (), 0),
    ("hello world", "len", 14, {"last_suffix": " #a"}, ("hello world #a",), (), 0),
    ("hello world", "len", 13, {"last_suffix": " #a"}, ("hello 1/2", "world 2/2 #a"), (), 0),
    ("hello world", "len", 10, {"numbering": False}, ("hello", "world"), (), 0),
    # paragraphs first, kept whole when they fit; blank lines kept inside a part
    (
        "Para one is here.\n\nPara two is here.",
        "len",
        25,
        {},
        ("Para one is here. 1/2", "Para two is here. 2/2"),
        (),
        0,
    ),
    (
        "Hi.\n\nShort.\n\nA much longer third paragraph here.",
        "len",
        20,
        {},
        ("Hi.\n\nShort. 1/4", "A much longer 2/4", "third paragraph 3/4", "here. 4/4"),
        (),
        0,
    ),
    (
        "One.\n\nTwo.\n\nThree is a much longer one.",
        "len",
        30,
        {"numbering": False},
        ("One.\n\nTwo.", "Three is a much longer one."),
        (),
        0,
    ),
    # a post that would end at a word ends at the last paragraph break in it
    # that keeps 2/3 of it, else at the last sentence end that does, else there
    (
        "Our autumn menu is out now.\n\nNew. A pumpkin and chestnut soup with sage.",
        "len",
        36,
        {"numbering": False},
        ("Our autumn menu is out now.", "New. A pumpkin and chestnut soup", "with sage."),
        (),
        0,
    ),
    (
        "Autumn menu is out.\n\nNew: soup. A pumpkin and chestnut soup with sage and cream.",
        "len",
        34,
        {"numbering": False},
        (
            "Autumn menu is out.\n\nNew: soup.",
            "A pumpkin and chestnut soup with",
            "sage and cream.",
        ),
        (),
        0,
    ),
    (
        "Fresh bread daily. Our sourdough is proofed for two days and baked at dawn.",
        "len",
        30,
        {},
        (
            "Fresh bread daily. 1/4",
            "Our sourdough is proofed 2/4",
            "for two days and baked at 3/4",
            "dawn. 4/4",
        ),
        (),
        0,
    ),
    (
        "Yes. We open every day of the week from nine.",
        "len",
        20,
        {"numbering": False},
        ("Yes. We open every", "day of the week from", "nine."),
        (),
        0,
    ),
    (
        "One long sentence that goes on and on without any stop at all",
        "len",
        20,
        {},
        (
            "One long 1/5",
            "sentence that 2/5",
            "goes on and on 3/5",
            "without any stop 4/5",
            "at all 5/5",
        ),
        (),
        0,
    ),
    # then sentences, lines, words
    ("One. Two. Three. Four.", "len", 14, {}, ("One. Two. 1/3", "Three. 2/3", "Four. 3/3"), (), 0),
    (
        "Line one\nLine two\nLine three",
        "len",
        20,
        {},
        ("Line one 1/3", "Line two 2/3", "Line three 3/3"),
        (),
        0,
    ),
    # numbering: 1/N..N/N, counted, re-split when N gets a digit more
    (" ".join(["aaaa"] * 9), "len", 8, {}, tuple(f"aaaa {i}/9" for i in range(1, 10)), (), 0),
    (" ".join(["aaaa"] * 10), "len", 8, {"numbering": False}, ("aaaa",) * 10, (), 0),
    (" ".join(["aaaa"] * 10), "len", 10, {}, tuple(f"aaaa {i}/10" for i in range(1, 11)), (), 0),
    (
        " ".join(["aaaa"] * 10),
        "len",
        9,
        {},
        (*(f"aaaa {i}/11" for i in range(1, 10)), "aaa 10/11", "a 11/11"),
        ("aaaa",),
        0,
    ),
    # 10 words at 8: one word per post until the labels get a digit more
    (
        " ".join(["aaaa"] * 10),
        "len",
        8,
        {},
        (
            "aaa 1/17",
            "a a 2/17",
            "aaa 3/17",
            "aaa 4/17",
            "a a 5/17",
            "aaa 6/17",
            "aaa 7/17",
            "a a 8/17",
            "aaa 9/17",
            *(f"aa {i}/17" for i in range(10, 18)),
        ),
        ("aaaa",) * 10,
        0,
    ),
    # forced breaks
    ("a\n---\nb", "len", 280, {}, ("a 1/2", "b 2/2"), (), 1),
    ("a\r\n  ---\t\r\nb", "len", 280, {"numbering": False}, ("a", "b"), (), 1),
    ("---\na\n  ---  \n", "len", 280, {}, ("a",), (), 0),
    ("a\n----\nb", "len", 280, {}, ("a\n----\nb",), (), 0),
    ("a --- b", "len", 280, {}, ("a --- b",), (), 0),
    ("a\n---\n---\nb\n---\nc", "len", 280, {"numbering": False}, ("a", "b", "c"), (), 2),
    ("a\n---\nb", "len", 280, {"last_suffix": " #tag"}, ("a 1/2", "b 2/2 #tag"), (), 1),
    # Japanese: sentences without spaces, then after 、, then graphemes
    (
        JA,
        "x",
        30,
        {},
        (
            "今日はとても良い天気です。 1/4",
            "公園に行きました、 2/4",
            "そしてお弁当を食べました。 3/4",
            "明日も晴れるといいですね！ 4/4",
        ),
        ("公園に行きました、そしてお弁当を食べました。",),
        0,
    ),
    (
        "今日はとても良い天気です。公園に行きました、そしてお弁当を食べました。",
        "len",
        12,
        {"numbering": False},
        ("今日はとても良い天気です", "。公園に行きました、そし", "てお弁当を食べました。"),
        ("今日はとても良い天気です。", "公園に行きました、そしてお弁当を食べました。"),
        0,
    ),
    # emoji sequences are never split
    (
        (FAMILY + " ") * 6 + FLAG_FR * 4,
        "graphemes",
        8,
        {},
        (
            f"{FAMILY} {FAMILY} 1/4",
            f"{FAMILY} {FAMILY} 2/4",
            f"{FAMILY} {FAMILY} 3/4",
            f"{FLAG_FR * 4} 4/4",
        ),
        (),
        0,
    ),
    (
        FAMILY * 10,
        "x",
        9,
        {"numbering": False},
        (FAMILY * 4, FAMILY * 4, FAMILY * 2),
        (FAMILY * 10,),
        0,
    ),
    (FLAG_FR * 5, "utf16", 12, {"numbering": False}, (FLAG_FR * 3, FLAG_FR * 2), (FLAG_FR * 5,), 0),
    # URLs: whole when they fit (23 on X), cut only when longer than a post
    (
        "See https://example.com/autumn/menu/2024/pumpkin-soup for details",
        "x",
        30,
        {},
        ("See 1/3", "https://example.com/autumn/menu/2024/pumpkin-soup 2/3", "for details 3/3"),
        (),
        0,
    ),
    (
        "See https://example.com/autumn/menu/2024/pumpkin-soup for details",
        "len",
        30,
        {},
        ("See https://example.com/au 1/3", "tumn/menu/2024/pumpkin-sou 2/3", "p for details 3/3"),
        ("https://example.com/autumn/menu/2024/pumpkin-soup",),
        0,
    ),
    # French spacing binds
    (
        "Bonjour à tous ! Ça va ? « Oui », dit-il.",
        "len",
        16,
        {},
        ("Bonjour à 1/5", "tous ! 2/5", "Ça va ? 3/5", "« Oui », 4/5", "dit-il. 5/5"),
        (),
        0,
    ),
    # a word longer than a post
    ("x" * 25, "len", 10, {}, (*(f"xxxxxx {i}/5" for i in range(1, 5)), "x 5/5"), ("x" * 25,), 0),
    (
        "Menu tonight",
        "len",
        12,
        {"last_suffix": " #food"},
        ("Menu 1/3", "tonigh 2/3", "t 3/3 #food"),
        ("tonight",),
        0,
    ),
]


@pytest.mark.parametrize(
    ("text", "length", "limit", "options", "parts", "hard", "forced"), THREAD_CASES
)
def test_split_thread_table(
    text: str,
    length: str,
    limit: int,
    options: dict[str, Any],
    parts: tuple[str, ...],
    hard: tuple[str, ...],
    forced: int,
) -> None:
    fitted = split_thread(text, LENGTHS[length], limit, **options)
    assert fitted == Fitted(parts, None, hard, forced)
    check_thread(text, LENGTHS[length], limit, fitted, **options)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "---", " --- \n---\n\n---"])
def test_split_thread_nothing_to_fit(text: str) -> None:
    with pytest.raises(ValueError, match="nothing to fit"):
        split_thread(text, len, 280)


def test_split_thread_no_room() -> None:
    with pytest.raises(ValueError, match=r"no room .* measures 5, over the limit of 3"):
        split_thread("abc def", len, 3)
    with pytest.raises(ValueError, match="no room"):
        split_thread("e" + "\u0301" * 50, len, 10, numbering=False)  # one grapheme
    with pytest.raises(ValueError, match="last suffix alone measures 6, over the limit of 5"):
        split_thread("a b c d e f", len, 5, last_suffix="123456")


def test_split_thread_no_room_message_is_short() -> None:
    with pytest.raises(ValueError, match="no room") as info:
        split_thread("e" + "\u0301" * 5000, len, 10)
    assert len(str(info.value)) < 200


def test_remove_break_markers() -> None:
    assert remove_break_markers("a\n---\nb\n --- \n----\n") == "a\n\nb\n\n----\n"
    assert remove_break_markers("a---b") == "a---b"


@pytest.mark.parametrize("word", ["a\\(b\\)" * 40, "\\(" * 80, "x\\\\\\_" * 40])
@pytest.mark.parametrize("limit", [7, 10, 13, 29])
def test_a_hard_cut_never_parts_an_escape_from_its_character(word: str, limit: int) -> None:
    # LinkedIn's format escapes reserved characters with a backslash: a post
    # ending with the backslash would leave the next one's character unescaped.
    def escape_split(part: str) -> bool:
        return (len(part) - len(part.rstrip("\\"))) % 2 == 1

    thread = split_thread(word, len, limit, numbering=False)
    assert "".join(thread.parts) == word
    assert not any(escape_split(p) for p in thread.parts)
    cut = truncate(word, len, limit, ellipsis="")
    assert not escape_split(cut.parts[0])
    assert word.startswith(cut.parts[0])


def test_split_thread_length_not_additive() -> None:
    # Pieces measured alone undercount here (a post over 20 characters counts 5
    # more): the posts packed by adding up pieces are over the limit when
    # measured as published, so the thread is packed again measuring every post.
    def lumpy(s: str) -> int:
        return len(s) + (5 if len(s) > 20 else 0)

    text = "Soup is back. " + "pumpkin soup " * 12
    fitted = split_thread(text, lumpy, 30)
    check_thread(text, lumpy, 30, fitted)
    assert fitted.parts[:3] == (
        "Soup is back. pumpkin 1/9",
        "soup pumpkin soup 2/9",
        "pumpkin soup pumpkin 3/9",
    )
    assert split_thread(text, len, 30).parts[0] == "Soup is back. pumpkin soup 1/7"


# --------------------------------------------------------------------------- cut points

_CUT_ALPHABET = st.sampled_from(
    [
        *"ab.!?\u2026\u00bb\u00ab\u2039\"')]\u3002\uff01\u3001:;",
        "\r\n",
        *" \t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029\u3000\u00a0\u2007\u202f",
    ]
)


@pytest.mark.parametrize(
    ("text", "ranks"),
    [
        ("Fin... : suite", [3, 2]),  # no part starts with the colon
        ("(voir le site...) : ici", [2, 2, 3, 2]),
        ("Il a dit « stop. » Puis", [2, 2, 2, 3, 3, 2]),
        ("Quoi ? ! Non", [3, 3, 1]),
        ("Fin. Suite : ici", [1, 3, 2]),
    ],
)
def test_no_sentence_cut_before_a_mark_french_binds(text: str, ranks: list[int]) -> None:
    from crosspost_adapt.text.fitting import _cuts

    assert [c.rank for c in _cuts(text, 0, len(text))] == ranks


@pytest.mark.parametrize(
    ("text", "quiet", "ranks"),
    [
        ("See example.com/ab... now. Bye", (), [2, 1, 1]),
        ("See example.com/ab... now. Bye", ("example.com/ab...",), [2, 2, 1]),
        ("(example.com/ab...) now", ("example.com/ab...",), [2]),  # closers after it
        ("Wait... now", ("example.com/ab...",), [1]),  # other dots end a sentence
    ],
)
def test_quiet_texts_end_no_sentence(text: str, quiet: tuple[str, ...], ranks: list[int]) -> None:
    from crosspost_adapt.text.fitting import _cuts

    assert [c.rank for c in _cuts(text, 0, len(text), quiet=quiet)] == ranks


def reference_rank(s: str, a: int, b: int) -> int:
    """The rank of the whitespace run ``s[a:b]``, as the module's table says."""
    run = s[a:b]
    breaks = len((run + "x").splitlines()) - 1
    if breaks >= 2 or "\u2029" in run:
        return 0  # paragraph
    if breaks == 1:
        return 1  # sentence
    if all(c in "\u00a0\u2007\u202f" for c in run):
        return 3  # weak
    if s[b] in "!?:;\u00bb\u203a\u203c\u2049\u2048":
        return 3  # weak: before a mark French binds, even after a sentence's end
    closers = "\"'\u201d\u2019\u00bb\u203a)\\]}\u300d\u300f\uff09\u3011\u3009\u300b"
    marks = ".!?\u2026\u203c\u2047\u2048\u2049\u3002\uff01\uff1f\uff61\uff0e\u061f\u0964"
    if re.search(rf"[{marks}][{closers}]*\Z", s[max(0, a - 8) : a]):
        return 1  # sentence
    if s[a - 1] in "\u00ab\u2039":
        return 3  # weak
    return 2  # word


@settings(max_examples=500, deadline=None)
@given(text=st.lists(_CUT_ALPHABET, max_size=30).map("".join))
def test_cut_points_match_the_table(text: str) -> None:
    lo, hi = len(text) - len(text.lstrip()), len(text.rstrip())
    if lo >= hi:
        return
    cuts = fitting._cuts(text, lo, hi)
    runs = [(m.start(), m.end()) for m in re.finditer(r"\s+", text[:hi]) if m.start() > lo]
    assert [tuple(c) for c in cuts if c.end < c.resume] == [
        (a, b, reference_rank(text, a, b)) for a, b in runs
    ]
    assert fitting._cuts(text, lo, hi, coarse=True) == [c for c in cuts if c.rank <= 1]


# --------------------------------------------------------------------------- invariants


def check_truncated(
    text: str,
    length: Callable[[str], int],
    limit: int,
    fitted: Fitted,
    *,
    ellipsis: str = "…",
    suffix: str = "",
) -> None:
    """What truncate() promises, checked on one result."""
    assert len(fitted.parts) == 1 and fitted.forced_breaks == 0
    (part,) = fitted.parts
    assert length(part + suffix) <= limit
    if fitted.dropped is None:
        assert part == text and fitted.hard_cuts == ()
        return
    dropped = fitted.dropped
    assert dropped and text.endswith(dropped)
    marked = bool(dropped.strip()) and length(ellipsis + suffix) <= limit
    kept = part[: len(part) - len(ellipsis)] if marked else part
    if marked:
        assert part.endswith(ellipsis)
    assert kept + dropped == text
    assert kept == kept.rstrip()
    assert len(fitted.hard_cuts) <= 1
    if not fitted.hard_cuts and kept:
        # Cut at whitespace (after dangling punctuation) or after a CJK full stop.
        head = len(dropped) - len(dropped.lstrip(DANGLING))
        rest = dropped[head:]
        before = text[: len(kept) + head]
        assert not rest or rest[0].isspace() or re.search(r"[。！？｡．][」』）】\"'”’]*$", before)
        for entity in extract_entities(text):
            assert not entity.start < len(kept) < entity.end, entity
    if kept:
        # Never inside a grapheme cluster.
        assert len(kept) in grapheme_boundaries(text)


def grapheme_boundaries(text: str) -> set[int]:
    return {0, *(m.end() for m in GRAPHEME.finditer(text))}


def label_of(index: int, total: int) -> str:
    return f" {index}/{total}"


def bodies_of(fitted: Fitted, *, numbering: bool, last_suffix: str) -> list[str]:
    parts = list(fitted.parts)
    assert parts[-1].endswith(last_suffix)
    parts[-1] = parts[-1][: len(parts[-1]) - len(last_suffix)]
    total = len(parts)
    if numbering and (total > 1 or fitted.forced_breaks):
        for i, part in enumerate(parts):
            label = label_of(i + 1, total)
            assert part.endswith(label), (part, label)
            parts[i] = part[: len(part) - len(label)]
    return parts


def check_thread(
    text: str,
    length: Callable[[str], int],
    limit: int,
    fitted: Fitted,
    *,
    numbering: bool = True,
    last_suffix: str = "",
) -> None:
    """What split_thread() promises, checked on one result."""
    assert fitted.parts and fitted.dropped is None
    for part in fitted.parts:
        assert length(part) <= limit, (part, length(part), limit)
    segments = [s for s in MARKER.split(text) if s.strip()]
    assert fitted.forced_breaks == len(segments) - 1
    bodies = bodies_of(fitted, numbering=numbering, last_suffix=last_suffix)
    if len(bodies) == 1 and not fitted.forced_breaks:
        assert bodies[0] == remove_break_markers(text).strip()
    cleaned = remove_break_markers(text)
    # Bodies are slices of the text, in order, with only whitespace between them.
    boundaries = grapheme_boundaries(cleaned)
    pos = 0
    for body in bodies:
        assert body and body == body.strip()
        assert not MARKER.search(body)
        at = cleaned.find(body, pos)
        assert at >= 0 and not cleaned[pos:at].strip(), (body, cleaned[pos:at])
        # A cut without a space never falls inside a grapheme cluster.
        if at == pos and pos:
            assert at in boundaries
        end = at + len(body)
        assert end in boundaries
        pos = end
    assert not cleaned[pos:].strip()
    # Nothing lost or reordered: the joining invariant.
    assert "".join("".join(b.split()) for b in bodies) == "".join(cleaned.split())
    if not fitted.hard_cuts and not re.search(r"[。！？｡．、，；：､]", text):
        assert " ".join(" ".join(bodies).split()) == " ".join(cleaned.split())
    for word in fitted.hard_cuts:
        assert word in cleaned and word == word.strip()
    for sequence in (FAMILY, FLAG_FR):
        assert sum(b.count(sequence) for b in bodies) == cleaned.count(sequence)


# --------------------------------------------------------------------------- hypothesis

_WORD = st.sampled_from(
    (
        *SAMPLE_WORDS,
        "Bonjour",
        "!",
        "?",
        "«",
        "»",
        ":",
        "—",
        "(menu)",
        "\u00a0!",
        "Pumpkin,",
        "soup.",
        "Done!",
        "Why?",
        "今日は晴れです。",
        "公園に行きました、そしてお弁当を食べました。",
        "明日も！",
        "https://example.com/autumn/menu",
        "@alice_smith",
        "#PumpkinSpice",
        FAMILY * 3,
        FLAG_FR * 4,
    )
) | st.text(st.sampled_from("abcdeé.,!?"), min_size=1, max_size=60)
_SEPARATOR = st.sampled_from(
    (" ",) * 12 + ("  ", "\n", "\n\n", " \n \n ", "", "\u3000", "\t", "\n---\n", "\n  --- \n")
)


@st.composite
def texts(draw: st.DrawFn, max_words: int = 80) -> str:
    words = draw(st.lists(_WORD, max_size=max_words))
    out = draw(st.sampled_from(("", " ", "\n---\n")))
    for word in words:
        out += word + draw(_SEPARATOR)
    return out


#: Limits from 5 to 600, small ones more often: they make threads of many posts.
LIMITS = st.integers(5, 40) | st.integers(5, 600)
_LAST_SUFFIXES = ("", " #food", "\n\nhttps://example.com/menu", " 🎃", "!")
# Printable text of any script for the whole-Unicode property (no controls:
# a prepended mark before a space makes one grapheme of both).
_PREPEND = regex.compile(r"\p{Grapheme_Cluster_Break=Prepend}")
_ANY_TEXT = st.text(
    st.characters(exclude_categories=("Cs", "Cn", "Co", "Cc", "Cf")).filter(
        lambda c: not _PREPEND.match(c)
    )
    | st.sampled_from(" \n—"),
    max_size=300,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=texts(),
    length=st.sampled_from(sorted(LENGTHS)),
    limit=LIMITS,
    numbering=st.booleans(),
    last_suffix=st.sampled_from(_LAST_SUFFIXES),
)
@example(text=JA * 3, length="x", limit=40, numbering=True, last_suffix=" #food")
@example(text=FAMILY * 50, length="graphemes", limit=5, numbering=False, last_suffix="")
def test_split_thread_invariants(
    text: str, length: str, limit: int, numbering: bool, last_suffix: str
) -> None:
    measure_ = LENGTHS[length]
    if measure_(last_suffix) * 3 > limit:
        last_suffix = ""
    try:
        fitted = split_thread(text, measure_, limit, numbering=numbering, last_suffix=last_suffix)
    except ValueError as error:
        message = str(error)
        event(message[:14])
        if "nothing to fit" in message:
            assert not remove_break_markers(text).strip()
            return
        assert "no room" in message
        # Justified: some grapheme does not fit with the widest label possible.
        cleaned = remove_break_markers(text)
        widest = label_of(len(cleaned), len(cleaned)) if numbering else ""
        assert any(measure_(g + widest + last_suffix) > limit for g in GRAPHEME.findall(cleaned))
        return
    event(f"posts: {min(len(fitted.parts), 4)}{'+' if len(fitted.parts) >= 4 else ''}")
    event(f"hard cuts: {bool(fitted.hard_cuts)}, forced breaks: {bool(fitted.forced_breaks)}")
    check_thread(text, measure_, limit, fitted, numbering=numbering, last_suffix=last_suffix)
    again = split_thread(text, measure_, limit, numbering=numbering, last_suffix=last_suffix)
    assert again == fitted  # deterministic


@settings(max_examples=150, deadline=None)
@given(text=_ANY_TEXT, length=st.sampled_from(sorted(LENGTHS)), limit=LIMITS)
def test_split_thread_any_text(text: str, length: str, limit: int) -> None:
    measure_ = LENGTHS[length]
    try:
        fitted = split_thread(text, measure_, limit, numbering=False)
    except ValueError as error:
        message = str(error)
        assert "nothing to fit" in message or "no room" in message
        return
    for part in fitted.parts:
        assert measure_(part) <= limit
    cleaned = remove_break_markers(text)
    assert "".join("".join(p.split()) for p in fitted.parts) == "".join(cleaned.split())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts(), limit=st.integers(8, 80), numbering=st.booleans())
def test_split_thread_invariants_length_not_additive(
    text: str, limit: int, numbering: bool
) -> None:
    # Pieces alone measure less than they do together: every guarantee still holds.
    def lumpy(s: str) -> int:
        return len(s) + (5 if len(s) > limit // 2 else 0)

    try:
        fitted = split_thread(text, lumpy, limit, numbering=numbering)
    except ValueError as error:
        message = str(error)
        assert "nothing to fit" in message or "no room" in message
        return
    check_thread(text, lumpy, limit, fitted, numbering=numbering)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=texts() | _ANY_TEXT,
    length=st.sampled_from(sorted(LENGTHS)),
    limit=st.integers(0, 10) | LIMITS,
    suffix=st.sampled_from(("", " #food", " https://example.com/menu", "🎃")),
    ellipsis=st.sampled_from(("…", "...", "", " [more]")),
)
def test_truncate_invariants(
    text: str, length: str, limit: int, suffix: str, ellipsis: str
) -> None:
    measure_ = LENGTHS[length]
    if measure_(suffix) > limit:
        with pytest.raises(ValueError, match="suffix alone"):
            truncate(text, measure_, limit, ellipsis=ellipsis, suffix=suffix)
        return
    fitted = truncate(text, measure_, limit, ellipsis=ellipsis, suffix=suffix)
    event(f"dropped: {fitted.dropped is not None}, hard cuts: {bool(fitted.hard_cuts)}")
    check_truncated(text, measure_, limit, fitted, ellipsis=ellipsis, suffix=suffix)
    assert truncate(text, measure_, limit, ellipsis=ellipsis, suffix=suffix) == fitted


# --------------------------------------------------------------------------- bounded work


def _long_text() -> str:
    words = [
        *("the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog.", "Café", "日本語"),
        *("🎃", "https://example.com/a?b=c", "#tag", "@user", "«", "oui", "»", "!"),
        "今日は晴れです。",
    ]
    out: list[str] = []
    size, i = 0, 0
    while size < 50_000:
        word = words[(i * 7919) % len(words)]
        sep = "\n\n" if i % 37 == 36 else (". " if i % 11 == 10 else " ")
        out.append(word + sep)
        size += len(word) + len(sep)
        i += 1
    return "".join(out)


HOSTILE: dict[str, str] = {
    "50,000 characters of prose": _long_text(),
    "one 20,000-character word": "x" * 20_000,
    "10,000 one-letter words": "a " * 10_000,
    "5,000 break lines": "---\n" * 5_000,
    "5,000 break lines between words": "a\n---\n" * 5_000,
    "only whitespace": " \n\t" * 10_000,
    "a 24,000-character Japanese run": "今日はとても良い天気です" * 2_000,
    "a 20,000-character URL": "https://example.com/" + "a" * 20_000,
    "20,000 emoji families": FAMILY * 20_000,
    "dotted labels": "a." * 10_000,
    "20,000 full stops": "。" * 20_000,
    "20,000 commas": "a、" * 10_000,
    "20,000 blank lines between words": "a\n\n" * 10_000,
    "20,000 no-break spaces": "a\u00a0" * 10_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("length", ["len", "x", "graphemes"])
@pytest.mark.usefixtures("watchdog")
def test_bounded_work(text: str, length: str) -> None:
    measure_ = LENGTHS[length]
    measured = 0

    def counting(s: str) -> int:
        nonlocal measured
        measured += len(s)
        return measure_(s)

    fitted = truncate(text, counting, 280, suffix=" #tag")
    check_truncated(text, measure_, 280, fitted, suffix=" #tag")
    assert measured <= 4 * len(text) + 100_000
    measured = 0
    try:
        thread = split_thread(text, counting, 280, last_suffix=" #tag")
    except ValueError as error:
        message = str(error)
        assert "nothing to fit" in message
        assert not remove_break_markers(text).strip()
        return
    check_thread(text, measure_, 280, thread, last_suffix=" #tag")
    # Candidates only, never the whole rest of the text once per post: a
    # quadratic packing would measure hundreds of times the text.
    assert measured <= 60 * len(text) + 100_000


# The sentence cuts are found by a faster route than the classification of every
# whitespace run: they must be exactly that classification's paragraph and
# sentence cuts.
_CUT_ALPHABET = "ab.!?…»)\"' \t\n\r\u2029\u00a0\u202f«:;。、，"


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=_CUT_ALPHABET, max_size=40))
def test_sentence_cuts_are_the_coarse_classification(text: str) -> None:
    from crosspost_adapt.text import fitting

    s = text.strip()
    if not s:
        return
    everything = fitting._cuts(s, 0, len(s))
    coarse = fitting._cuts(s, 0, len(s), coarse=True)
    assert coarse == [c for c in everything if c.rank <= fitting._RANK_SENTENCE]


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=_CUT_ALPHABET + "\u2007\u00ab\u2039\u203a\u00bb\x0b\x85", max_size=40))
def test_cuts_are_the_space_kinds_grammar(text: str) -> None:
    from crosspost_adapt.text import fitting

    s = text.strip()
    if not s:
        return
    ranks = fitting._SPACE_RANKS
    spaces = [
        (m.start(g), m.end(g), ranks[g])
        for m in fitting._SPACE_KINDS.finditer(s)
        for g in (m.lastindex or 0,)
    ]
    # The cuts at whitespace (those after 。 or 、 hold none).
    assert [tuple(c) for c in fitting._cuts(s, 0, len(s)) if c.end != c.resume] == spaces


# Truncation finds the word cuts of its window by a faster route (without a cut
# for every space, where every run of whitespace is one space): they must be
# those of _cuts, of rank word or better, with the sentence cuts among them.
_WINDOW_PIECES = ["ab", "a.", "b!", "?", "!", "«", "»", ":", ";", "。", "、", "é", "\u00a0"]
_WINDOW_PIECES += [" "] * 8 + ["  ", "\n", "\t", "\u200d", "\u202f"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_WINDOW_PIECES), max_size=40).map("".join), st.data())
def test_word_cuts_are_those_of_cuts(text: str, data: st.DataObject) -> None:
    s = text.strip()
    if not s:
        return
    # A window as truncate() takes one: from a word start to a word end.
    starts = [i for i in range(len(s)) if not s[i].isspace() and (i == 0 or s[i - 1].isspace())]
    lo = data.draw(st.sampled_from(starts))
    ends = [i for i in range(lo + 1, len(s) + 1) if not s[i - 1].isspace()]
    hi = data.draw(st.sampled_from(ends))
    words = [c for c in fitting._cuts(s, lo, hi) if c.rank <= fitting._RANK_WORD]
    ends, resumes, sentences = fitting._word_cuts(s, lo, hi)
    assert ends == [c.end for c in words]
    assert (resumes or [end + 1 for end in ends]) == [c.resume for c in words]
    assert sentences == [c for c in words if c.rank <= fitting._RANK_SENTENCE]


# The units of a segment come in order, each with the size it was found to
# fit with (None for a grapheme never measured alone).
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts(max_words=40), room=st.integers(1, 60))
def test_units_come_in_order_with_their_sizes(text: str, room: int) -> None:
    s = remove_break_markers(text).strip()
    if not s:
        return
    cuts, sizes = fitting._units(fitting._Segment(s), lambda a, b: len(s[a:b]), room)
    assert cuts == sorted(set(cuts))
    assert cuts[-1] == (len(s), len(s), -1)
    start = 0
    for cut, size in zip(cuts, sizes, strict=True):
        assert size is None or size == cut.end - start <= room
        start = cut.resume


# ------------------------------------------------------------- exact slice lengths
#: Platforms' text rules whose slice lengths vouch for whitespace-bounded posts:
#: every unit (Bluesky's graphemes without its byte limit).
_EXACT_RULES = {
    name: attrs.evolve(rules(name).text, byte_limit=None)
    for name in ("x", "threads", "bluesky", "mastodon", "facebook")
}
#: Text around the edges of cuts: spaces of every kind, combining and prepended
#: marks, joiners, URLs, mentions, tags, emoji, text not in NFC.
_EDGY_TEXT = st.lists(
    st.sampled_from(
        (
            *" \n\t\r\x1c\x85\u00a0\u2029.!?",
            "\u0301",  # combining acute
            "\u0600",  # a prepended mark (Arabic number sign)
            "\u200d",
            "\U0001f3fd",  # skin tone
            "\U0001f468\u200d\U0001f469",
            "🎃",
            "e\u0301",
            "word",
            "mot",
            "日本語。",
            "example.com",
            "https://example.com/a",
            "@bob",
            "@bob@example.social",
            "#tag",
            "$CASH",
        )
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=texts() | _EDGY_TEXT,
    name=st.sampled_from(sorted(_EXACT_RULES)),
    limit=LIMITS,
    numbering=st.booleans(),
    last_suffix=st.sampled_from(("", " #food", "\n\nhttps://example.com/menu", " 🎃")),
)
# A combining mark after the space of a cut: one cluster with the space in the
# text, the first grapheme of the post on its own.
@example(text="aaaa \u0301bbbb", name="bluesky", limit=4, numbering=False, last_suffix="")
# Slices the slice lengths do not vouch for: a cut inside a URL (a piece of a
# URL counts as the URL in the slice holding its start), and at spaces URLs do
# not end at (``\x85``, ``\u2029``).
@example(
    text=" https://example.com/autumn/menu autumn ",
    name="mastodon",
    limit=17,
    numbering=False,
    last_suffix=" 🎃",
)
@example(
    text="!\u200d??https://example.com/aexample.com\x85",
    name="x",
    limit=15,
    numbering=False,
    last_suffix=" 🎃",
)
@example(text="\n@bob@example.social\n\u2029", name="x", limit=14, numbering=True, last_suffix="")
# A prepended mark ending a post: one cluster with the space after it in the text.
@example(text="aaa\u0600 bbb", name="bluesky", limit=3, numbering=False, last_suffix="")
@example(text="aaa\u0600 bbb", name="bluesky", limit=9, numbering=False, last_suffix=" #food")
def test_exact_slices_give_the_thread_measured(
    text: str, name: str, limit: int, numbering: bool, last_suffix: str
) -> None:
    """Posts the slice lengths vouch for (``exact``) are the posts measuring them
    would give: the same thread, each post within the limit."""
    text_rules = _EXACT_RULES[name]

    def length(s: str) -> int:
        return count(s, text_rules)

    def slices(s: str) -> Callable[[int, int], int] | None:
        return count_slices(s, text_rules)

    def fit(exact: bool) -> Fitted | str:
        try:
            return split_thread(
                text,
                length,
                limit,
                numbering=numbering,
                last_suffix=last_suffix,
                slices=slices,
                exact=exact,
            )
        except ValueError as error:
            return str(error)

    vouched = fit(True)
    assert vouched == fit(False)
    if isinstance(vouched, Fitted):
        assert all(length(part) <= limit for part in vouched.parts)


#: Characters at the edges of clusters and entities, for the slices' contract.
_EDGE_PIECES = st.sampled_from(
    (
        *"ab \n\t\r.!\u00a0\x1c\u0600\u0d4e\u0301\u200d\u1100\u1161éÅ",
        "🎃",
        "\U0001f3fd",
        "\U0001f1eb",
        "\U0001f1f7",
        "\u0915\u094d",
        "e\u0301",
        "x.co",
        "Ñx.co",
        "東京x.co",
        "https://e.co/a",
        "@b",
        "@b@e.social",
        "#t",
        "$A",
    )
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    # Stripped, as the segments split_thread cuts are.
    text=st.lists(_EDGE_PIECES, min_size=1, max_size=30).map("".join).map(str.strip).filter(bool),
    name=st.sampled_from(sorted(_EXACT_RULES)),
    data=st.data(),
    label=st.sampled_from(("", " 1/3", " 12/12")),
    suffix=st.sampled_from(("", " #food", "\n\nhttps://example.com/menu", " 🎃", " x.co")),
    after=st.sampled_from(("", " #food", "\n\nhttps://example.com/menu")),
)
@example(text="aaa\u0600 bbb", name="bluesky", data=None, label="", suffix="\n\n#food", after="")
@example(text="Å\n\r\n\u0d4e", name="bluesky", data=None, label="", suffix=" #food", after="")
@example(text="aaa\u0600", name="bluesky", data=None, label="", suffix="\n\n#food", after=" #food")
# A URL after a space starts at a first non-ASCII letter; at the start of a post
# that letter is what precedes it ("Ñ" + "example.com": 24, not 23).
@example(text="a Ñexample.com b", name="x", data=None, label="", suffix="", after="")
def test_vouched_slices_are_never_short(
    text: str, name: str, data: st.DataObject | None, label: str, suffix: str, after: str
) -> None:
    """A body the slice lengths vouch for measures, with a label and a suffix
    after it, at most its slice length plus theirs (split_thread's ``exact``).
    The slice lengths are those of the text followed by ``after``, as fit_text
    analyses the body and its closing at once."""
    text_rules = _EXACT_RULES[name]
    ruler = count_slices(text + after, text_rules)
    if ruler is None:
        return
    if data is None:  # the examples: every slice
        spans = [(a, b) for a in range(len(text)) for b in range(a + 1, len(text) + 1)]
    else:
        a = data.draw(st.integers(0, len(text) - 1))
        spans = [(a, data.draw(st.integers(a + 1, len(text))))]
    segment = fitting._Segment(text)
    for a, b in spans:
        vouched = fitting._vouched([segment], [ruler], (0, a, b))
        if vouched < sys.maxsize:
            real = count(text[a:b] + label + suffix, text_rules)
            assert real <= vouched + count(label, text_rules) + count(suffix, text_rules)
