"""Hostile and absurd texts: counted and parsed in bounded work, never a hang.

URL grammars backtrack; a naive matcher is quadratic (or worse) on runs such as
``a.a.a.a...``. Each case here is 20,000 characters or more; a watchdog turns a
hang into a failure instead of a stuck test run (it is not a speed assertion:
the bound is two orders of magnitude above the normal time).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosspost_adapt import extract_entities, measure, platforms, rules
from crosspost_adapt.text import parse_weighted

N = 10_000

HOSTILE: dict[str, str] = {
    "dotted labels": "a." * N,
    "labels then a non-ASCII label": "a." * N + "\u0436.com",
    "dashes in a host": "http://" + "a-" * N + ".com",
    "underscores": "a_." * N + "com",
    "one long label": "x" * (2 * N) + ",example.com",
    "parentheses in a path": "http://a.com/" + "(a" * N,
    "dots in a path": "http://a.com/" + "a." * N + "!",
    "query punctuation": "http://a.com/?" + "a!" * N,
    "hashes": "#a" * N,
    "bare hashes": "#" * (2 * N),
    "at signs": "@a" * N,
    "retweet prefixes": "RT:@a " * (N // 3),
    "dollars": " $a" * N,
    "entity soup": "#@$." * N,
    "zero width joiners": "\u200d\U0001f383\ufe0f" * N,
    "skin tones alone": "\U0001f3fd" * N,
    "combining marks": "e" + "\u0301" * (2 * N),
    "regional indicators": "\U0001f1eb" * (2 * N + 1),
    "flags": "\U0001f1eb\U0001f1f7" * N,
    "backslashes": "\\" * (2 * N),
    "fediverse mentions": "@a@b." * N,
    "lone surrogates": "\ud800a.com " * N,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.usefixtures("watchdog")
def test_bounded_work(text: str) -> None:
    for name in platforms():
        assert measure(text, name) > 0
    entities = extract_entities(text)
    assert all(text[e.start : e.end] == e.text for e in entities)
    assert all(a.end <= b.start for a, b in itertools.pairwise(entities))
    assert parse_weighted(text, rules("x").text).weighted_length == measure(text, "x")


# The fast paths above must find exactly what the plain grammar finds.
_NEAR_ENTITIES = st.text(alphabet="@＠aRrTt:_ .-+~!#$%&*xé1/(", max_size=40)


@settings(max_examples=500, deadline=None)
@given(_NEAR_ENTITIES)
def test_mention_fast_path_is_the_grammar(text: str) -> None:
    from crosspost_adapt.text import entities

    plain = [m.span() for m in entities._MENTION.finditer(text)]
    assert [m.span() for m in entities._mention_matches(text)] == plain


_NEAR_HASHTAGS = st.text(alphabet="#＃a&_1é\ufe0f\ufe0e\u20e3 :/.x東", max_size=40)


@settings(max_examples=500, deadline=None)
@given(_NEAR_HASHTAGS)
def test_hashtag_fast_path_is_the_grammar(text: str) -> None:
    from crosspost_adapt.text import entities

    plain = [m.span() for m in entities._HASHTAG.finditer(text)]
    assert [m.span() for m in entities._hashtag_matches(text)] == plain


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab.ÉK\u212a\u017fcoм1 /:", max_size=30))
def test_url_prefilter_misses_no_tld(text: str) -> None:
    """URLs are only looked for at a dot followed by a letter: a TLD starts there."""
    from crosspost_adapt.text import entities

    tlds = {
        i for i in range(1, len(text)) if text[i - 1] == "." and entities._TLD_AT.match(text, i)
    }
    assert tlds <= {m.end() for m in entities._DOT_LETTER.finditer(text)}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab.ÉK\u212a\u017fcoм1 /:xn-.@+,К", max_size=30))
def test_tld_fast_check_is_the_pattern(text: str) -> None:
    """URL search finds TLDs with a set lookup where it can: the same answer as
    the TLD pattern at every position, and no TLD is missed by its dot filter."""
    from crosspost_adapt.text import entities

    for i in range(len(text) + 1):
        assert entities._tld_at(text, i) == (entities._TLD_AT.match(text, i) is not None)
    tlds = {
        i for i in range(1, len(text)) if text[i - 1] == "." and entities._TLD_AT.match(text, i)
    }
    assert tlds <= {m.start() + 1 for m in entities._DOT_BEFORE_TLD_START.finditer(text)}


def test_every_tld_starts_with_a_letter() -> None:
    import regex

    from crosspost_adapt.text._tlds import COUNTRY_TLDS, GENERIC_TLDS

    assert all(regex.match(r"[^\W\d_]", tld) for tld in (*COUNTRY_TLDS, *GENERIC_TLDS))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", ".", "-", "_", "com", "ж", "/", "(", "x.co", "é"]), max_size=400
    ).map("".join)
)
def test_long_token_fast_path_is_the_grammar(token: str) -> None:
    from crosspost_adapt.text import entities

    plain = [(m.span(), m.group("url")) for m in entities._URL.finditer(token)]
    fast = [(m.span(), m.group("url")) for m in entities._long_token_matches(token)]
    assert fast == plain


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))
@pytest.mark.usefixtures("watchdog")
def test_adapt_bounded_work(name: str) -> None:
    from crosspost_adapt import CannotFitError, Post, adapt_all, check

    text = HOSTILE[name][:6_000]
    post = Post(text=text if text.strip() else "x", hashtags=["a", "b"], link="https://e.com")
    try:
        drafts = adapt_all(post)
    except CannotFitError as exc:  # one grapheme longer than a post: documented
        error: CannotFitError | None = exc
    else:
        error = None
    if error is not None:
        assert error.measured > error.limit
        return
    for platform, draft in drafts.items():
        for part in draft.parts:
            assert not [p for p in check(part, platform) if p.hard], (platform, part[:80])
