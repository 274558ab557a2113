"""Bluesky facets: detected exactly as ``@atproto/api`` detects them.

Three sources of truth, replayed as they are:

- ``conformance/bluesky/richtext_facets.yml``: the library's own detection tests
  (segments with resolved mentions and link URIs; hashtags; cashtags);
- the differential corpus (``tests/data/reference_corpus.json``): the raw output
  of ``RichText.detectFacetsWithoutResolution()`` for 8,014 strings, compared
  JSON for JSON, section by section;
- a table of the rules' corners below, every expectation measured with
  ``@atproto/api`` 0.19.19 (and, for link text, with the Bluesky app's
  ``toShortUrl`` on node 20's ``URL``).

Then hostile texts under a watchdog, and properties for any text.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from conftest import load_yaml, reference_corpus
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crosspost_adapt.text.facets import Facet, detect_facets, shorten_link_text

FACETS_YML = load_yaml("bluesky/richtext_facets.yml")
CORPUS = reference_corpus()
SECTIONS = [(name, CORPUS["cases"][a:b]) for name, a, b in CORPUS["sections"]]

_FEATURE = "app.bsky.richtext.facet#"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _visible(text: str, facet: Facet) -> str:
    return _utf8(text)[facet.byte_start : facet.byte_end].decode("utf-8", "surrogatepass")


# --------------------------------------------------------------------------- conformance


def _segments(text: str, facets: tuple[Facet, ...]) -> list[list[str]]:
    """``RichText.segments()`` as the atproto test prints it: ``[text]`` or
    ``[text, uri or did]``, mentions resolved to ``did:fake:<handle>``."""
    data = _utf8(text)
    out: list[list[str]] = []
    cursor = 0
    for facet in facets:
        if facet.byte_start < cursor:
            continue  # starts inside the previous facet: the app skips it
        if cursor < facet.byte_start:
            out.append([data[cursor : facet.byte_start].decode()])
        if facet.byte_start < facet.byte_end:
            sub = data[facet.byte_start : facet.byte_end].decode()
            if not sub.strip():
                out.append([sub])
            elif facet.kind == "mention":
                out.append([sub, "did:fake:" + facet.value])
            else:
                out.append([sub, facet.value])
        cursor = facet.byte_end
    if cursor < len(data) or not out:
        out.append([data[cursor:].decode()])
    return out


@pytest.mark.parametrize(
    "case", FACETS_YML["facet_segments"], ids=[c["text"] for c in FACETS_YML["facet_segments"]]
)
def test_conformance_segments(case: dict[str, Any]) -> None:
    text = case["text"]
    assert _segments(text, detect_facets(text)) == case["segments"]


TAG_CASES = [("hashtags", c) for c in FACETS_YML["hashtags"]] + [
    ("cashtags", c) for c in FACETS_YML["cashtags"]
]


@pytest.mark.parametrize(("section", "case"), TAG_CASES, ids=[c["text"] for _, c in TAG_CASES])
def test_conformance_tags(section: str, case: dict[str, Any]) -> None:
    tags = [f for f in detect_facets(case["text"]) if f.kind == "tag"]
    assert [f.value for f in tags] == case["tags"]
    assert [[f.byte_start, f.byte_end] for f in tags] == case["byte_ranges"]


def test_conformance_file_is_complete() -> None:
    counts = {k: len(FACETS_YML[k]) for k in ("facet_segments", "hashtags", "cashtags")}
    assert counts == {"facet_segments": 40, "hashtags": 39, "cashtags": 18}


# --------------------------------------------------------------------------- corpus


def _as_detected(facet: Facet) -> dict[str, Any]:
    """The facet as ``detectFacetsWithoutResolution`` leaves it, key for key: the
    handle in ``did``, and a ``$type`` on mention facets only."""
    index = {"byteStart": facet.byte_start, "byteEnd": facet.byte_end}
    if facet.kind == "link":
        return {"index": index, "features": [{"$type": _FEATURE + "link", "uri": facet.value}]}
    if facet.kind == "tag":
        return {"index": index, "features": [{"$type": _FEATURE + "tag", "tag": facet.value}]}
    return {
        "$type": "app.bsky.richtext.facet",
        "index": index,
        "features": [{"$type": _FEATURE + "mention", "did": facet.value}],
    }


def test_corpus_is_the_expected_one() -> None:
    assert CORPUS["atproto_api_version"] == "0.19.19"
    assert len(CORPUS["cases"]) == CORPUS["count"] == 8014
    assert all("bsky_facets" in case for case in CORPUS["cases"])
    assert sum(1 for case in CORPUS["cases"] if case["bsky_facets"]) > 500


@pytest.mark.parametrize(("section", "cases"), SECTIONS, ids=[s for s, _ in SECTIONS])
def test_corpus_facets(section: str, cases: list[dict[str, Any]]) -> None:
    bad = []
    for case in cases:
        got = [_as_detected(f) for f in detect_facets(case["text"])]
        if got != case["bsky_facets"]:
            bad.append(f"{case['text']!r}: got {got!r}, atproto says {case['bsky_facets']!r}")
    assert not bad, f"{len(bad)} of {len(cases)} differ:\n" + "\n".join(bad[:20])


# --------------------------------------------------------------------------- the rules

F = Facet
#: (text, facets), every line measured with @atproto/api 0.19.19.
RULES: list[tuple[str, list[Facet]]] = [
    # Links: a scheme in lower case, or a domain ending in a known TLD in lower case.
    ("HTTPS://example.com/path", []),
    ("Https://example.com", []),
    ("see httpbin.org/get", [F("link", 4, 19, "httpbin.org/get")]),  # no https:// added
    ("http.cat/404 is fun", [F("link", 0, 12, "http.cat/404")]),
    ("Example.com", [F("link", 0, 11, "https://Example.com")]),
    ("example.COM", []),
    ("a.com.jpg", []),  # the longest domain decides
    ("readme.md", [F("link", 0, 9, "https://readme.md")]),  # .md is Moldova
    ("node.js", []),
    ("x.test", []),
    ("a.co", [F("link", 0, 4, "https://a.co")]),
    ("1.com", []),
    ("a_b.com", []),
    ("café.com", []),  # scheme-less domains are ASCII
    ("http://a", [F("link", 0, 8, "http://a")]),  # with a scheme, anything goes
    ("https://", []),
    ("<https://example.com>", []),  # only after a space or "(" or at the start
    ('"https://example.com"', []),
    ("url:https://example.com", []),
    (
        "sub.example.co.uk/path?q=1#frag",
        [F("link", 0, 31, "https://sub.example.co.uk/path?q=1#frag")],
    ),
    # One final . , ; : ! ? then one final ) when there is no "(".
    ("https://example.com/foo...", [F("link", 0, 25, "https://example.com/foo..")]),
    ("https://example.com/foo)!", [F("link", 0, 23, "https://example.com/foo")]),
    ("example.com/foo).", [F("link", 0, 15, "https://example.com/foo")]),
    ("example.com/(foo).", [F("link", 0, 17, "https://example.com/(foo)")]),
    ("https://ex.com/a_(b)", [F("link", 0, 20, "https://ex.com/a_(b)")]),
    # Mentions: a known TLD in lower case or .test; the handle ends on a word boundary.
    ("@Bob.COM hi", []),
    ("@alice.bsky.social.", [F("mention", 0, 18, "alice.bsky.social")]),
    ("@a.com-", [F("mention", 0, 6, "a.com")]),
    ("@a.com._x", []),  # the handle is "a.com.", which is no domain
    ("@.com", [F("mention", 0, 5, ".com")]),
    ("@localhost", []),
    ("email me@bob.com", []),
    ("(@bob.test)", [F("mention", 1, 10, "bob.test")]),
    ("[@bob.test]", []),
    # Hashtags.
    ("#$a", [F("tag", 0, 3, "$a")]),  # a symbol is no punctuation
    ("#🔥", [F("tag", 0, 5, "🔥")]),
    ("#1", []),
    ("#1a.", [F("tag", 0, 3, "1a")]),
    ("##tag", [F("tag", 0, 5, "#tag")]),
    ("(#tag", []),
    ("a#tag", []),
    ("#tag\u200bmore", [F("tag", 0, 4, "tag")]),
    ("#\ufe0ftag", []),
    ("#x\ufe0f", [F("tag", 0, 5, "x\ufe0f")]),
    ("\u200b#zw", []),
    ("\u180e#mvs", []),  # U+180E is no longer white space
    ("\xa0#nbsp", [F("tag", 2, 7, "nbsp")]),
    ("\ufeff#bom", [F("tag", 3, 7, "bom")]),
    (
        "café #café #東京 #한국어",
        [F("tag", 6, 12, "café"), F("tag", 13, 20, "東京"), F("tag", 21, 31, "한국어")],
    ),
    # 64 UTF-16 code units: 32 butterflies (129 bytes) fit, one more letter does not.
    ("#" + "🦋" * 32, [F("tag", 0, 129, "🦋" * 32)]),
    ("#" + "🦋" * 32 + "a", []),
    ("#" + "a" * 64 + "!!!", [F("tag", 0, 65, "a" * 64)]),
    # Cashtags.
    ("$AAPL's", [F("tag", 0, 5, "$AAPL")]),
    ("$aapl\u2019", [F("tag", 0, 5, "$AAPL")]),
    ('$AB"', [F("tag", 0, 3, "$AB")]),
    ("($AB)", [F("tag", 1, 4, "$AB")]),
    ("$AB(", []),
    # Overlaps: after "(" inside a link or a hashtag.
    (
        "x.com/(@bob.test)",
        [F("link", 0, 17, "https://x.com/(@bob.test)"), F("mention", 7, 16, "bob.test")],
    ),
    ("#x($AB", [F("tag", 0, 6, "x($AB"), F("tag", 3, 6, "$AB")]),
    (
        "#a(b.com\u200bxyz",
        [F("tag", 0, 8, "a(b.com"), F("link", 3, 14, "https://b.com\u200bxyz")],
    ),
    # Any white space separates, offsets are UTF-8 bytes.
    (
        "\u3000#tag\u3000@bob.test\u3000x.com",
        [
            F("tag", 3, 7, "tag"),
            F("mention", 10, 19, "bob.test"),
            F("link", 22, 27, "https://x.com"),
        ],
    ),
    (
        "🦋 @bob.test 🦋 https://bsky.app 🦋 #🦋",
        [
            F("mention", 5, 14, "bob.test"),
            F("link", 20, 36, "https://bsky.app"),
            F("tag", 42, 47, "🦋"),
        ],
    ),
    ("", []),
    ("no facets at all.", []),
]


@pytest.mark.parametrize(("text", "expected"), RULES, ids=[t[:40] for t, _ in RULES])
def test_rules(text: str, expected: list[Facet]) -> None:
    assert list(detect_facets(text)) == expected


def test_unicode_punctuation_is_the_regex_modules() -> None:
    # U+2E60..U+2E63 are punctuation in Unicode 18 (the regex module's data) and
    # unassigned in Unicode 17 (node 20's): @atproto/api on node 20 keeps them in a
    # tag, this module cuts them like any trailing punctuation.
    assert detect_facets("#tag\u2e60") == (F("tag", 0, 4, "tag"),)


def test_not_a_string() -> None:
    with pytest.raises(TypeError, match="must be a string"):
        detect_facets(b"#tag")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- records


def test_to_atproto_link_and_tag() -> None:
    link, tag = detect_facets("https://bsky.app #tag")
    assert link.to_atproto() == {
        "index": {"byteStart": 0, "byteEnd": 16},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://bsky.app"}],
    }
    assert tag.to_atproto() == {
        "index": {"byteStart": 17, "byteEnd": 21},
        "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "tag"}],
    }


def test_to_atproto_mention() -> None:
    (mention,) = detect_facets("hi @alice.test")
    did = "did:plc:z72i7hdynmk6r22z27h6tvur"
    assert mention.to_atproto(did) == {
        "index": {"byteStart": 3, "byteEnd": 14},
        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
    }
    # Unresolved: an explicit empty DID and the handle, never the handle as a DID.
    assert mention.to_atproto()["features"] == [
        {"$type": "app.bsky.richtext.facet#mention", "did": None, "handle": "alice.test"}
    ]


@pytest.mark.parametrize("did", ["alice.test", "did:", "did:PLC:abc", "did:plc:abc#", ""])
def test_to_atproto_rejects_what_is_no_did(did: str) -> None:
    (mention,) = detect_facets("@alice.test")
    with pytest.raises(ValueError, match="is not a DID"):
        mention.to_atproto(did)


def test_to_atproto_did_only_for_mentions() -> None:
    (link,) = detect_facets("bsky.app")
    with pytest.raises(ValueError, match="belongs to a mention"):
        link.to_atproto("did:plc:abc")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("hashtag", 0, 1, "x"), "facet kind"),
        (("tag", -1, 1, "x"), ">= 0"),
        (("tag", 5, 4, "x"), "before its start"),
    ],
)
def test_facet_is_validated(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Facet(*args)


# --------------------------------------------------------------------------- link text

#: (link text, what the Bluesky app shows): social-app's toShortUrl on node 20.
SHORT_LINKS = [
    ("https://example.com", "example.com"),
    ("https://example.com/", "example.com"),
    ("https://example.com/abcdefghijklmn", "example.com/abcdefghijklmn"),  # 15
    ("https://example.com/abcdefghijklmno", "example.com/abcdefghijkl..."),  # 16
    ("https://www.example.com/a/b/c?d=e#f", "www.example.com/a/b/c?d=e#f"),
    (
        "https://bsky.app/profile/alice.bsky.social/post/3k2abcdefgh",
        "bsky.app/profile/alic...",
    ),
    ("HTTPS://EXAMPLE.COM/PATH/TO/SOMETHING", "example.com/PATH/TO/SOME..."),
    ("https://A.COM:443/./x/../y", "a.com/y"),
    ("http://a.com:80/x", "a.com/x"),
    ("https://u:p@x.com:8080", "x.com:8080"),
    ("http:example.com", "example.com"),
    ("https://x.com?", "x.com"),
    ("https://x.com#", "x.com"),
    ("https://a.com/^|{}`x", "a.com/^|%7B%7D%60x"),
    ("https://a.com/?'a b", "a.com?%27a%20b"),
    ("https://a.com/%2e%2E/x", "a.com/x"),
    ("https://a.com\\b\\c", "a.com/b/c"),
    ("https://bücher.de/café", "xn--bcher-kva.de/caf%C3%A9"),
    ("https://straße.de/", "xn--strae-oqa.de"),
    ("https://\u2163.com", "iv.com"),
    ("https://a\u200bb.com", "ab.com"),
    ("https://a。b.com", "a.b.com"),
    ("https://😀.com", "xn--e28h.com"),
    ("https://ja.wikipedia.org/wiki/東京", "ja.wikipedia.org/wiki/%E6%9D%..."),
    ("https://1.2.3/", "1.2.0.3"),
    ("https://0x7f.1", "127.0.0.1"),
    ("https://[::ffff:1.2.3.4]/", "[::ffff:102:304]"),
    ("https://[1:0:0:2:0:0:0:3]/", "[1:0:0:2::3]"),
    # Unchanged: no scheme (what a scheme-less link shows), another scheme, or an
    # address that does not parse.
    ("example.com/a/very/long/path", "example.com/a/very/long/path"),
    ("ftp://example.com/a/long/path/here", "ftp://example.com/a/long/path/here"),
    ("mailto:a@b.com", "mailto:a@b.com"),
    ("https://", "https://"),
    ("https://a b", "https://a b"),
    ("https://a.1/", "https://a.1/"),
    ("https://256.1", "https://256.1"),
    ("https://a.com:99999/", "https://a.com:99999/"),
    ("https://xn--a.com", "https://xn--a.com"),
    ("https://a\u200db.com", "https://a\u200db.com"),
    ("https://a…b.com", "https://a…b.com"),
    ("https://ا!", "https://ا!"),
]


@pytest.mark.parametrize(("url", "shown"), SHORT_LINKS, ids=[u for u, _ in SHORT_LINKS])
def test_shorten_link_text(url: str, shown: str) -> None:
    assert shorten_link_text(url) == shown


def test_shorten_link_text_limit() -> None:
    url = "https://example.com/abcdefghij"
    assert shorten_link_text(url, 10) == "example.com/abcdefg..."
    assert shorten_link_text(url, 11) == "example.com/abcdefghij"
    with pytest.raises(ValueError, match="at least 2"):
        shorten_link_text(url, 1)


# --------------------------------------------------------------------------- hostile

N = 10_000

HOSTILE: dict[str, str] = {
    "dotted labels": "a." * N,
    "bare hashes": "#" * (2 * N),
    "dotted mentions": "@a." * N,
    "spaced hashes": "# " * N,
    "hashtags": "#a " * N,
    "punctuation in a tag": "#a" + "!" * (2 * N) + "b",
    "punctuation around a letter": "#" + "!" * N + "a" + "!" * N,
    "mentions": "@a.com " * N,
    "mentions in parentheses": "(@bob.test" * N,
    "dashes in a handle": "@" + "a-" * N,
    "dashes only": "@" + "-" * (2 * N),
    "cashtags": " $a" * N,
    "cashtags in parentheses": "($AB" * N,
    "links": "a.com " * N,
    "schemes": "https://" * N,
    "two long labels": "a" * N + "." + "b" * N,
    "domains in parentheses": "(a.a" * N,
    "links in parentheses": "(http://a.com/" * N,
    "parentheses": "(" * (2 * N),
    "emoji tags": "#🦋 " * N,
    "entity soup": "#@$.( " * N,
    "non-ASCII": "é #é @é.com " * N,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.usefixtures("watchdog")
def test_bounded_work(text: str) -> None:
    _check_invariants(text, detect_facets(text))
    for facet in detect_facets(text)[:100]:
        if facet.kind == "link":
            shorten_link_text(_visible(text, facet))


# --------------------------------------------------------------------------- properties


def _check_invariants(text: str, facets: tuple[Facet, ...]) -> None:
    data = _utf8(text)
    boundaries = {0, *itertools.accumulate(len(_utf8(ch)) for ch in text)}
    starts = [f.byte_start for f in facets]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)
    open_facets: list[Facet] = []  # earlier facets that end after the current start
    for f in facets:
        assert 0 <= f.byte_start < f.byte_end <= len(data)
        assert f.byte_start in boundaries
        assert f.byte_end in boundaries
        visible = _visible(text, f)
        if f.kind == "link":
            assert f.value in (visible, "https://" + visible)
        elif f.kind == "mention":
            assert visible == "@" + f.value
        elif visible[0] == "$":
            assert f.value == visible.upper()
        else:
            assert visible[0] in "#＃"
            assert visible[1:] == f.value
        # Facets overlap only where atproto's do: one that starts after "(" inside
        # a link or a hashtag.
        open_facets = [a for a in open_facets if a.byte_end > f.byte_start]
        if open_facets:
            assert data[f.byte_start - 1 : f.byte_start] == b"("
            for a in open_facets:
                assert a.kind == "link" or (a.kind == "tag" and _visible(text, a)[0] in "#＃")
        open_facets.append(f)


PIECES = st.sampled_from(
    [
        " ",
        " ",
        "\n",
        "\u3000",
        "\xa0",
        "(",
        ")",
        ".",
        ",",
        "!",
        "?",
        "-",
        "_",
        "/",
        "'",
        "@",
        "@",
        "#",
        "#",
        "＃",
        "$",
        "$",
        "\u200b",
        "\u200d",
        "\ufe0f",
        "\u20e3",
        "https://",
        "http://",
        "HTTP://",
        "httpbin",
        "a",
        "Z",
        "1",
        "com",
        "test",
        "co.uk",
        "bsky.social",
        "example.com",
        "AAPL",
        "jpg",
        "🦋",
        "é",
        "東京",
        "ا",
        "e\u0301",
    ]
) | st.text(max_size=4)
TEXTS = st.lists(PIECES, max_size=20).map("".join)


@settings(max_examples=500, deadline=None)
@given(TEXTS)
@example("x.com/(@bob.test) #x($AB #a(b.com\u200bxyz")
@example("🦋 @bob.test 🦋 https://bsky.app 🦋 #🦋 $AB")
def test_invariants(text: str) -> None:
    _check_invariants(text, detect_facets(text))


@settings(max_examples=300, deadline=None)
@given(TEXTS.filter(lambda t: "(" not in t))
def test_no_overlap_without_parentheses(text: str) -> None:
    facets = detect_facets(text)
    assert all(a.byte_end <= b.byte_start for a, b in itertools.pairwise(facets))


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS)
def test_white_space_separates_completely(left: str, right: str) -> None:
    # A space acts as the start of the text for what follows and as the end for
    # what precedes, and no facet crosses one.
    offset = len(_utf8(left + " "))
    shifted = tuple(
        Facet(f.kind, f.byte_start + offset, f.byte_end + offset, f.value)
        for f in detect_facets(right)
    )
    assert detect_facets(left + " " + right) == detect_facets(left) + shifted


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_link_text_is_host_and_short_path(text: str) -> None:
    for facet in detect_facets(text):
        if facet.kind != "link":
            continue
        visible = _visible(text, facet)
        shown = shorten_link_text(visible)
        if shown == visible:
            continue
        assert shown.isascii()
        assert not any(ch.isspace() for ch in shown)
        rest = shown[len(shown.split("/")[0].split("?")[0].split("#")[0]) :]
        assert len(rest) <= 15 or (len(rest) == 16 and rest.endswith("..."))


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet="ab1.:/(h tps\u00a0\ufeff\n,é-", max_size=40))
def test_link_fast_path_is_the_grammar(text: str) -> None:
    from crosspost_adapt.text import facets

    plain = [m.span() for m in facets._LINK.finditer(text)]
    assert [m.span() for m in facets._link_matches(text)] == plain
