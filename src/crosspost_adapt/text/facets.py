"""Bluesky rich-text facets: links, mentions and tags, found as Bluesky finds them.

A Bluesky post is plain text plus *facets*: byte ranges of the text annotated
with a link, a mention or a tag. The official client library (npm
``@atproto/api``, ``RichText.detectFacetsWithoutResolution``) decides what is a
facet, and the Bluesky app publishes what it decides; :func:`detect_facets`
gives the same facets, checked against the library's own tests (the shared
conformance file ``bluesky/richtext_facets.yml``) and against a differential
corpus measured by ``@atproto/api`` 0.19.19.

The rules, as ``@atproto/api`` applies them (``\\s`` below is JavaScript's white
space: ``\\t \\n \\v \\f \\r``, space, U+00A0, U+1680, U+2000-U+200A, U+2028,
U+2029, U+202F, U+205F, U+3000, U+FEFF):

* **Mention**: ``@`` at the start, after ``\\s`` or after ``(``; then the longest
  run of ``[A-Za-z0-9.-]`` that ends on an ASCII word boundary (a trailing ``.``
  or ``-`` is left out, ``@a.com_`` gives nothing). It counts only when it ends
  with ``.`` and a known top-level domain, *in lower case* (``@Bob.COM`` is no
  mention), or with ``.test``. The value is the handle; the DID comes later.
* **Link**: at the start, after ``\\s`` or after ``(``, either ``http://`` or
  ``https://`` (any case) and the rest of the non-space run, or a domain
  ``[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9]+)+`` and the rest of the run. The link
  ends at the next ``\\s`` (it takes ``"``, ``<``, ``)``...), less one final
  ``. , ; : ! ?`` and then one final ``)`` when the link has no ``(``. A link that
  does not start with a lower-case ``http`` is kept only if its domain (the
  longest, ``a.com.jpg`` and not ``a.com``) ends with a known top-level domain in
  lower case, and gets ``https://`` in front. So ``HTTPS://a.com`` is no link at
  all, and ``httpbin.org`` is a link whose URI is ``httpbin.org``, without scheme.
* **Hashtag**: ``#`` or ``＃`` at the start or after ``\\s``, not followed by
  U+FE0F; then the run of characters up to the next ``\\s`` or zero-width
  character (U+00AD, U+2060, U+200B-U+200D, U+20E2), which must hold one
  character that is neither an ASCII digit nor punctuation (``\\p{P}``): symbols
  and emoji count, ``#1`` and ``#?!`` do not. Trailing punctuation is then cut
  (``#tag!`` -> ``tag``), inner punctuation kept (``#double#rainbow``,
  ``##tag`` -> ``#tag``); a tag of more than 64 UTF-16 code units is dropped. The
  value is the tag without its ``#``.
* **Cashtag**: ``$`` at the start, after ``\\s`` or after ``(``, then a letter and
  at most four letters or digits, followed by the end, ``\\s`` or one of
  ``. , ; : ! ? ) " '`` and U+2019. It is a tag facet whose value is ``$`` and the
  symbol in upper case (``$aapl`` -> ``$AAPL``).

Known top-level domains are those of the npm package ``tlds`` 1.261.0 (the
version ``@atproto/api`` 0.19.19 resolved to), ASCII ones only: handles and
scheme-less domains are ASCII by construction, so no other can match.

Facets may overlap, exactly as ``@atproto/api``'s do: a mention, cashtag or link
written right after a ``(`` inside a link or a hashtag is a facet of its own
(``https://a.com/(@bob.test)``, ``#x($AB)``), and a link after ``(`` in a
hashtag may run past the hashtag's end (links do not stop at zero-width
characters). Facets never overlap otherwise; the Bluesky app, rendering, skips a
facet that starts inside the previous one.

Offsets are UTF-8 byte offsets, end exclusive (AT Protocol ``facet.index``).
"""

from __future__ import annotations

import bisect
import functools
import ipaddress
import re
import unicodedata
from collections.abc import Iterator
from operator import itemgetter
from typing import Any, Final, Literal

import attrs
import regex

from crosspost_adapt._frozen import slot_setters
from crosspost_adapt.text.emoji import beyond_ascii, places_of
from crosspost_adapt.text.entities import JS_SPACE

__all__ = ["Facet", "FacetKind", "detect_facets", "shorten_link_text"]

FacetKind = Literal["link", "mention", "tag"]

_FACET_KINDS: Final = ("link", "mention", "tag")
_FEATURE_TYPES: Final = {
    "link": "app.bsky.richtext.facet#link",
    "mention": "app.bsky.richtext.facet#mention",
    "tag": "app.bsky.richtext.facet#tag",
}
#: The DID syntax of the AT Protocol (atproto.com/specs/did), at most 2,048 characters.
_DID: Final = regex.compile(r"did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]")
_MAX_DID_LENGTH: Final = 2048


def _check_kind(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in _FACET_KINDS:
        raise ValueError(f"facet kind must be one of {_FACET_KINDS}, not {value!r}")


def _check_end(instance: Facet, attribute: attrs.Attribute[int], value: int) -> None:
    if value < instance.byte_start:
        raise ValueError(f"facet ends at byte {value}, before its start {instance.byte_start}")


@attrs.frozen
class Facet:
    """A link, mention or tag of a text, by UTF-8 byte offsets (end exclusive).

    ``value`` is what ``@atproto/api`` stores: for a link the URI (``https://``
    added to a link written without scheme); for a mention the handle, without
    ``@``; for a hashtag the tag without ``#``; for a cashtag ``$`` and the symbol
    in upper case (both are ``tag`` facets).
    """

    kind: FacetKind = attrs.field(validator=_check_kind)
    byte_start: int = attrs.field(validator=attrs.validators.ge(0))
    byte_end: int = attrs.field(validator=_check_end)
    value: str

    def to_atproto(self, did: str | None = None) -> dict[str, Any]:
        """The facet as an ``app.bsky.richtext.facet`` record object.

        A mention needs the DID its handle resolves to (the app resolves it with
        ``com.atproto.identity.resolveHandle`` before publishing): pass it as
        ``did``. Without it, the mention feature carries ``"did": None`` and the
        handle under ``"handle"``: a visible placeholder, which a PDS rejects (the
        lexicon requires a DID string), so an unresolved mention cannot be
        published by mistake. ``@atproto/api`` puts the handle itself in ``did``
        instead; that record would be rejected too, less clearly.

        Raises ``ValueError`` for a ``did`` that is not a DID, or given for a link
        or a tag.
        """
        feature: dict[str, Any] = {"$type": _FEATURE_TYPES[self.kind]}
        if did is not None:
            if self.kind != "mention":
                raise ValueError(f"a DID belongs to a mention, not to a {self.kind} facet")
            if len(did) > _MAX_DID_LENGTH or _DID.fullmatch(did) is None:
                raise ValueError(f"{did!r} is not a DID (did:method:identifier)")
        if self.kind == "link":
            feature["uri"] = self.value
        elif self.kind == "tag":
            feature["tag"] = self.value
        elif did is not None:
            feature["did"] = did
        else:
            feature["did"] = None
            feature["handle"] = self.value
        return {
            "index": {"byteStart": self.byte_start, "byteEnd": self.byte_end},
            "features": [feature],
        }


# --------------------------------------------------------------------------- classes

#: Characters that end a hashtag besides white space ("zero-width spaces").
_ZERO_WIDTH: Final = r"\u00AD\u2060\u200A\u200B\u200C\u200D\u20E2"
#: Empty, or preceded by white space or an opening parenthesis.
_AFTER_SPACE_OR_PAREN: Final = rf"(?<![^{JS_SPACE}(])"
#: JavaScript's ``\b`` without the ``u`` flag: a change between ASCII word
#: characters and anything else.
_ASCII_WORD_BOUNDARY: Final = (
    r"(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))"
)

_MENTION: Final = regex.compile(
    rf"{_AFTER_SPACE_OR_PAREN}@(?P<handle>[a-zA-Z0-9.-]+)"
    rf"{_ASCII_WORD_BOUNDARY}"
)


def _link_pattern(possessive: str) -> str:
    """The grammar of a link; ``possessive`` is ``"+"`` to make its repetitions
    possessive, or empty."""
    p = possessive
    return (
        rf"{_AFTER_SPACE_OR_PAREN}"
        rf"(?:[hH][tT][tT][pP][sS]?://[^{JS_SPACE}]+{p}"
        rf"|(?P<domain>[a-zA-Z][a-zA-Z0-9]*{p}(?:\.[a-zA-Z0-9]+{p})+{p})[^{JS_SPACE}]*{p})"
    )


# Possessive: the greedy match is the only one the rest of the pattern accepts,
# so backtracking could only waste time.
_LINK: Final = regex.compile(_link_pattern("+"))
# The same grammars for the standard engine, whose calls cost several times
# less; they use nothing its engine reads otherwise (plain classes and
# lookarounds, no case folding). ``_LINK`` there is greedy, not possessive,
# which gives the same matches (see above), on every version of the engine.
_MENTION_FAST: Final = re.compile(_MENTION.pattern)
_LINK_FAST: Final = re.compile(_link_pattern(""))
_LINK_END_PUNCT: Final = frozenset(".,;:!?")
#: The letters and digits a link's dot is followed by.
_ALNUM: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
#: The ASCII letters.
_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: White space (``JS_SPACE``), which ends a word.
_WORD_END: Final = re.compile(rf"[{JS_SPACE}]")


def _link_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_LINK.finditer(text)``, tried only in words with a hint.

    A link holds no space, and ``://`` or a dot before a letter or digit, and it
    runs to the end of its word (a run without ``JS_SPACE``). So only the words
    with such a hint are tried, once each, at the places ``_LINK`` may start in
    them (the word's start, after each ``(``), in order: the same leftmost
    matches, without trying the pattern at every word.
    """
    done = 0  # where the last word tried ends
    space_in = _WORD_END.search
    letters = _LETTERS
    for h in _link_hints(text):
        if h < done:
            continue
        # The word starts after the last space before the hint: after the last
        # " ", or after another space between it and the hint.
        start = max(done, text.rfind(" ", done, h) + 1)
        space = space_in(text, start, h)
        while space is not None:
            start = space.end()
            space = space_in(text, start, h)
        after = space_in(text, h)
        done = after.start() if after is not None else len(text)
        p = start
        while p >= 0:
            # A link starts with a letter (of "http" or of its domain).
            if text[p : p + 1] in letters:
                m = _LINK_FAST.match(text, p)
                if m is not None:
                    yield m  # it runs to the end of the word
                    break
            p = text.find("(", p, done)
            if p >= 0:
                p += 1


def _link_hints(text: str) -> list[int]:
    """Where ``text`` holds ``://`` or a dot before an ASCII letter or digit, in order
    (found by ``str.find``, faster than a scan by a regular expression)."""
    alnum = _ALNUM
    hints = [i for i in places_of(text, ".") if text[i + 1 : i + 2] in alnum]
    if "://" in text:
        hints += places_of(text, "://")
        hints.sort()
    return hints


_TAG_LETTER: Final = regex.compile(rf"[^0-9{JS_SPACE}\p{{P}}{_ZERO_WIDTH}]")
_TRAILING_PUNCT: Final = regex.compile(r"\p{P}+", regex.REVERSE)
_LATIN1: Final = "".join(map(chr, range(256)))
#: ``_TAG_LETTER`` and ``\p{P}`` on Latin-1, where tags are checked without
#: the ``regex`` engine (whose calls cost more than these short tags).
_LATIN1_TAG_LETTER: Final = re.compile(
    "[" + "".join(re.escape(c) for c in _TAG_LETTER.findall(_LATIN1)) + "]"
)
_LATIN1_PUNCT: Final = "".join(regex.findall(r"\p{P}", _LATIN1))
#: The characters of ``_LATIN1_TAG_LETTER`` (a tag usually starts with one).
_LATIN1_TAG_LETTERS: Final = frozenset(_LATIN1_TAG_LETTER.findall(_LATIN1))
#: A ``#`` or ``＃`` at the start or after white space, not followed by U+FE0F,
#: and its run, up to white space or a zero-width character.
_TAG_RUN: Final = re.compile(
    rf"[#\uff03](?<![^{JS_SPACE}][#\uff03])(?!\ufe0f)([^{JS_SPACE}{_ZERO_WIDTH}]*)"
)
_CASHTAG: Final = regex.compile(
    rf"{_AFTER_SPACE_OR_PAREN}\$(?P<symbol>[A-Za-z][A-Za-z0-9]{{0,4}}+)"
    rf"(?=[{JS_SPACE}.,;:!?)\"'\u2019]|\Z)"
)
_ASTRAL: Final = regex.compile(r"[\U00010000-\U0010FFFF]")

_MAX_TAG_LENGTH: Final = 64  # UTF-16 code units (@atproto/api detectFacets)


def _utf16_length(text: str) -> int:
    return len(text) + len(_ASTRAL.findall(text)) if not text.isascii() else len(text)


def _is_known_domain(domain: str) -> bool:
    """``@atproto/api``'s ``isValidDomain``: a ``.`` then a known TLD, case-sensitive."""
    _, dot, tld = domain.rpartition(".")
    return bool(dot) and tld in _TLDS


# --------------------------------------------------------------------------- detection


def detect_facets(text: str) -> tuple[Facet, ...]:
    """Links, mentions and tags as ``@atproto/api`` finds them, sorted by ``byte_start``.

    The facets of ``RichText.detectFacetsWithoutResolution``, in the same order.
    Mentions carry the handle; resolve it to a DID before publishing (see
    :meth:`Facet.to_atproto`). The rules are in this module's docstring.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    found: list[tuple[FacetKind, int, int, str]] = []  # code-point offsets
    if "@" in text:
        # Every mention starts at its "@" (and holds no other).
        i = text.find("@")
        while i >= 0:
            m = _MENTION_FAST.match(text, i)
            if m is not None:
                handle = m.group("handle")
                if _is_known_domain(handle) or handle.endswith(".test"):
                    found.append(("mention", i, m.end(), handle))
            i = text.find("@", i + 1)
    if "." in text or "://" in text:
        for m in _link_matches(text):
            uri = m.group()
            end = m.end()
            if not uri.startswith("http"):
                domain = m.group("domain")
                if domain is None or not _is_known_domain(domain):
                    continue
                uri = "https://" + uri
            if uri[-1] in _LINK_END_PUNCT:
                uri = uri[:-1]
                end -= 1
            if uri.endswith(")") and "(" not in uri:
                uri = uri[:-1]
                end -= 1
            found.append(("link", m.start(), end, uri))
    if "#" in text or "\uff03" in text:
        _tags(text, found)
    if "$" in text:
        for cash in _CASHTAG.finditer(text):
            found.append(("tag", cash.start(), cash.end(), "$" + cash.group("symbol").upper()))
    if not found:
        return ()
    # A stable sort, as the JavaScript one is; no two facets start at the same place.
    found.sort(key=itemgetter(1))
    if text.isascii():  # one byte a character
        return tuple([_facet(kind, start, end, value) for kind, start, end, value in found])
    wide = beyond_ascii(text) if 2 * len(found) > _FEW_OFFSETS else None
    if wide is not None:
        # Few characters beyond ASCII: the bytes each adds to what follows it.
        added = _added_bytes(text, wide)
        at = bisect.bisect_left
        return tuple(
            [
                _facet(kind, start + added[at(wide, start)], end + added[at(wide, end)], value)
                for kind, start, end, value in found
            ]
        )
    to_byte = _byte_offsets(text, [i for f in found for i in f[1:3]])
    return tuple(
        [_facet(kind, to_byte[start], to_byte[end], value) for kind, start, end, value in found]
    )


def _facet(kind: FacetKind, byte_start: int, byte_end: int, value: str) -> Facet:
    """``Facet(kind, byte_start, byte_end, value)`` of values valid by construction,
    set without the validators' calls (a draft makes a few per part)."""
    facet: Facet = _new(Facet)
    _set_kind(facet, kind)
    _set_byte_start(facet, byte_start)
    _set_byte_end(facet, byte_end)
    _set_value(facet, value)
    return facet


# The slots of Facet, as ``__init__`` sets them.
_new: Final = object.__new__
_set_kind, _set_byte_start, _set_byte_end, _set_value = slot_setters(
    Facet, "kind", "byte_start", "byte_end", "value"
)


def _tags(text: str, found: list[tuple[FacetKind, int, int, str]]) -> None:
    """Add the hashtag facets of ``text`` (code-point offsets) to ``found``, in order.

    A hashtag is a ``#`` or ``＃`` at the start or after white space, not followed
    by U+FE0F. Its run (up to white space or a zero-width character) must hold a
    character that is neither a digit nor punctuation; trailing punctuation is
    cut. A run in Latin-1 (the usual one) is checked with tables of it.

    The hashtags' signs and runs are found in one scan (``_TAG_RUN``): a sign
    inside the run of another follows a character of that run, never white
    space, so it starts no hashtag.
    """
    letters = _LATIN1_TAG_LETTERS
    for m in _TAG_RUN.finditer(text):
        p = m.start()
        run = m.group(1)
        if run.isascii() or max(run) <= "\xff":
            if run[:1] not in letters and _LATIN1_TAG_LETTER.search(run) is None:
                continue
            tag = run.rstrip(_LATIN1_PUNCT)
            if len(tag) > _MAX_TAG_LENGTH:  # one UTF-16 code unit each
                continue
        else:
            run_start, run_end = p + 1, m.end()
            if _TAG_LETTER.search(text, run_start, run_end) is None:
                continue
            trailing = _TRAILING_PUNCT.match(text, run_start, run_end)
            tag = text[run_start : trailing.start()] if trailing is not None else run
            if _utf16_length(tag) > _MAX_TAG_LENGTH:
                continue
        found.append(("tag", p, p + 1 + len(tag), tag))


#: Up to this many offsets (two a facet), each is found by encoding the text
#: before it; more, from the places of the characters beyond ASCII.
_FEW_OFFSETS: Final = 6


def _added_bytes(text: str, wide: list[int]) -> list[int]:
    """``added[k]``: the UTF-8 bytes that the characters at ``wide[:k]`` take
    beyond one each (1 to 3 each), ``wide`` being the places of the characters
    beyond ASCII, in order."""
    added = [0]
    total = 0
    for p in wide:
        ch = text[p]
        total += 1 if ch < "\u0800" else 2 if ch < "\U00010000" else 3
        added.append(total)
    return added


def _byte_offsets(text: str, indices: list[int]) -> dict[int, int]:
    """UTF-8 byte offset of each code-point index of ``text``, found by encoding
    the text between them.

    A lone surrogate counts 3 bytes, as the U+FFFD a JavaScript TextEncoder
    writes in its place (and as :func:`_added_bytes` counts it).
    """
    offsets: dict[int, int] = {}
    pos = byte = 0
    for i in sorted(set(indices)):
        byte += len(text[pos:i].encode("utf-8", "surrogatepass"))
        offsets[i] = byte
        pos = i
    return offsets


# --------------------------------------------------------------------------- link text

#: The app's rule (social-app ``toShortUrl``): a path, query and fragment longer
#: than 15 characters keep their first 13, then ``...``.
DEFAULT_MAX_PATH_LENGTH: Final = 15
_ELLIPSIS: Final = "..."


def shorten_link_text(url: str, max_path_length: int = DEFAULT_MAX_PATH_LENGTH) -> str:
    """The text the Bluesky app puts in a post in place of the link ``url``.

    The app (social-app ``shortenLinks`` and ``toShortUrl``, applied to the post
    before it is published and before its 300 graphemes are counted) parses the
    link's text as a URL: when that is an ``http`` or ``https`` URL, the text
    becomes its host (lower case, IDNA-encoded, with a port other than the
    default) and its path, query and fragment as the URL standard serialises them
    (non-ASCII characters percent-encoded, ``/./`` and ``/../`` resolved); when
    those are longer than ``max_path_length`` characters, only their first
    ``max_path_length - 2`` are kept, followed by ``...``. The link's facet keeps
    the full URI.

    ``url`` is returned unchanged when it is not such a URL; in particular a link
    written without scheme (``example.com/a/long/path``) is never shortened,
    since the app passes the visible text, not the facet's URI.

    Hosts follow the URL standard's UTS 46 processing closely, not exactly: a few
    exotic characters (joiners, unassigned code points) may be judged differently.
    """
    if max_path_length < 2:
        raise ValueError(f"max_path_length must be at least 2, not {max_path_length}")
    return _shortened(url, max_path_length)


@functools.lru_cache(maxsize=1024)
def _shortened(url: str, max_path_length: int) -> str:
    # Remembered: a day of posts shows the same few links (parsing one is not cheap).
    parsed = _parse_http_url(url)
    if parsed is None:
        return url
    host, pathname, search, fragment = parsed
    path = ("" if pathname == "/" else pathname) + search + fragment
    if len(path) > max_path_length:
        return host + path[: max_path_length - 2] + _ELLIPSIS
    return host + path


# The WHATWG URL standard (url.spec.whatwg.org) for the special schemes http and
# https, reduced to what ``new URL(url)``'s host, pathname, search and hash need.

_SCHEME: Final = regex.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_TAB_OR_NEWLINE: Final = regex.compile(r"[\t\n\r]")
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_C0_CONTROL_OR_SPACE: Final = "".join(map(chr, range(0x21)))
_FRAGMENT_SET: Final = frozenset(map(chr, range(0x20))) | frozenset(' "<>`\x7f')
_QUERY_SET: Final = frozenset(map(chr, range(0x20))) | frozenset(" \"#<>'\x7f")
_PATH_SET: Final = _QUERY_SET - {"'"} | frozenset("?`{}")
_FORBIDDEN_DOMAIN: Final = frozenset(map(chr, range(0x21))) | frozenset("#%/:<>?@[\\]^|\x7f")
_SINGLE_DOT: Final = frozenset({".", "%2e"})
_DOUBLE_DOT: Final = frozenset({"..", ".%2e", "%2e.", "%2e%2e"})
_LABEL_DOTS: Final = regex.compile(r"[.\u3002\uFF0E\uFF61]")
#: Code points UTS 46 maps to nothing (the common ones).
_IDNA_IGNORED: Final = regex.compile(
    r"[\u00AD\u034F\u180B-\u180D\u200B\u2060\uFE00-\uFE0F\uFEFF\U000E0100-\U000E01EF]"
)
#: What UTS 46 rejects, approximately: controls, format characters (joiners
#: included: their context rules are not checked), unassigned, private use,
#: surrogates, separators, specials (U+FFFD stands for an invalid byte).
_IDNA_DISALLOWED: Final = regex.compile(r"[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}\p{Z}\uFFF9-\uFFFD]")
_IDNA_DEVIATIONS: Final = frozenset("\u00df\u03c2")  # ß, ς: kept by nontransitional processing
_COMBINING_MARK: Final = regex.compile(r"\p{M}")
#: Bidi classes an RTL label may hold, and may end with (RFC 5893, section 2).
_RTL_ALLOWED: Final = frozenset({"R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"})
_RTL_END: Final = frozenset({"R", "AL", "AN", "EN"})
_HEX: Final = regex.compile(r"[0-9A-Fa-f]*")
_PERCENT_BYTE: Final = regex.compile(rb"%([0-9A-Fa-f]{2})")
_DIGITS: Final = regex.compile(r"[0-9]+")


def _percent_encode(text: str, encode_set: frozenset[str]) -> str:
    out: list[str] = []
    for ch in text:
        if ch in encode_set or ord(ch) > 0x7E:
            # A lone surrogate is encoded as U+FFFD, as JavaScript's URL does.
            data = ("\ufffd" if "\ud800" <= ch <= "\udfff" else ch).encode("utf-8")
            out.append("".join(f"%{b:02X}" for b in data))
        else:
            out.append(ch)
    return "".join(out)


def _percent_decode(text: str) -> str:
    """``text`` with its ``%XX`` sequences decoded as UTF-8 (U+FFFD where invalid)."""
    data = text.encode("utf-8", "surrogatepass")
    decoded = _PERCENT_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    return decoded.decode("utf-8", "replace")


def _parse_http_url(url: str) -> tuple[str, str, str, str] | None:
    """``(host, pathname, search, hash)`` of ``new URL(url)``, or None when it throws
    or is not http(s)."""
    url = _TAB_OR_NEWLINE.sub("", url.strip(_C0_CONTROL_OR_SPACE))
    scheme = _SCHEME.match(url)
    if scheme is None or scheme.group()[:-1].lower() not in _DEFAULT_PORTS:
        return None
    name = scheme.group()[:-1].lower()
    rest = url[scheme.end() :].lstrip("/\\")
    end = len(rest)
    for sep in "/\\?#":
        k = rest.find(sep)
        if k != -1:
            end = min(end, k)
    authority, rest = rest[:end], rest[end:]
    hostport = authority.rpartition("@")[2]
    if "@" in authority and not hostport:
        return None
    if hostport.startswith("["):
        close = hostport.find("]")
        if close == -1:
            return None
        raw_host, port_part = hostport[: close + 1], hostport[close + 1 :]
        if port_part and not port_part.startswith(":"):
            return None
        port = port_part[1:]
    else:
        raw_host, _, port = hostport.partition(":")
    host = _parse_host(raw_host)
    if host is None:
        return None
    if port:
        if _DIGITS.fullmatch(port) is None or int(port) > 0xFFFF:
            return None
        if int(port) != _DEFAULT_PORTS[name]:
            host += f":{int(port)}"

    rest, _, fragment = rest.partition("#")
    rest, _, query = rest.partition("?")
    segments: list[str] = []
    if rest:
        parts = rest.replace("\\", "/").split("/")[1:]
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            if part.lower() in _DOUBLE_DOT:
                if segments:
                    segments.pop()
                if last:
                    segments.append("")
            elif part.lower() in _SINGLE_DOT:
                if last:
                    segments.append("")
            else:
                segments.append(_percent_encode(part, _PATH_SET))
    pathname = "/" + "/".join(segments)
    search = "?" + _percent_encode(query, _QUERY_SET) if query else ""
    hash_ = "#" + _percent_encode(fragment, _FRAGMENT_SET) if fragment else ""
    return host, pathname, search, hash_


def _parse_host(raw: str) -> str | None:
    if not raw:
        return None
    if raw.startswith("["):
        return _parse_ipv6(raw[1:-1])
    ascii_host = _domain_to_ascii(_percent_decode(raw))
    if ascii_host is None or any(ch in _FORBIDDEN_DOMAIN for ch in ascii_host):
        return None
    labels = ascii_host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    last = labels[-1]
    if _DIGITS.fullmatch(last) or (last[:2] == "0x" and _HEX.fullmatch(last[2:])):
        return _parse_ipv4(ascii_host)
    return ascii_host


def _domain_to_ascii(domain: str) -> str | None:
    """UTS 46 ``ToASCII`` as the URL standard calls it, or None where it fails."""
    labels = []
    for label in _LABEL_DOTS.split(_IDNA_IGNORED.sub("", domain)):
        if label.isascii():
            label = label.lower()
        else:
            label = _idna_map(label)
            if "." in label:  # a character that maps to a full stop (U+2024...)
                return None
        if label.startswith("xn--"):
            try:
                decoded = label[4:].encode("ascii").decode("punycode")
            except UnicodeError:
                return None
            if decoded.isascii() or not _valid_idna_label(decoded):
                return None
        elif not label.isascii():
            if not _valid_idna_label(label):
                return None
            label = "xn--" + label.encode("punycode").decode("ascii")
        labels.append(label)
    host = ".".join(labels)
    return host or None


def _idna_map(label: str) -> str:
    """UTS 46 mapping, nontransitional: NFKC and case folding, keeping ß and ς."""
    folded = "".join(
        ch if ch in _IDNA_DEVIATIONS else ch.casefold()
        for ch in unicodedata.normalize("NFKC", label)
    )
    return unicodedata.normalize("NFKC", folded)


def _valid_idna_label(label: str) -> bool:
    return (
        _IDNA_DISALLOWED.search(label) is None
        and _valid_rtl_label(label)
        and _COMBINING_MARK.match(label) is None
        and unicodedata.is_normalized("NFC", label)
    )


def _valid_rtl_label(label: str) -> bool:
    """RFC 5893's rules for a label that starts right-to-left (others pass)."""
    classes = [unicodedata.bidirectional(ch) for ch in label]
    if not classes or classes[0] not in ("R", "AL"):
        return True
    if not _RTL_ALLOWED.issuperset(classes):
        return False
    strong = [c for c in classes if c != "NSM"]
    return strong[-1] in _RTL_END and not ("EN" in classes and "AN" in classes)


def _parse_ipv4(host: str) -> str | None:
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        return None
    numbers: list[int] = []
    for part in parts:
        if not part:
            return None
        if part[:2].lower() == "0x":
            digits, base = part[2:], 16
        elif len(part) > 1 and part[0] == "0":
            digits, base = part[1:], 8
        else:
            digits, base = part, 10
        if not digits:
            numbers.append(0)
            continue
        try:
            numbers.append(int(digits, base))
        except ValueError:
            return None
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    address = numbers[-1]
    for k, n in enumerate(numbers[:-1]):
        address += n * 256 ** (3 - k)
    return ".".join(str((address >> shift) & 0xFF) for shift in (24, 16, 8, 0))


def _parse_ipv6(inner: str) -> str | None:
    if "%" in inner:
        return None
    try:
        packed = ipaddress.IPv6Address(inner).packed
    except ValueError:
        return None
    pieces = [int.from_bytes(packed[k : k + 2], "big") for k in range(0, 16, 2)]
    best_start, best_len = -1, 1
    k = 0
    while k < 8:
        if pieces[k] == 0:
            run = k
            while run < 8 and pieces[run] == 0:
                run += 1
            if run - k > best_len:
                best_start, best_len = k, run - k
            k = run
        else:
            k += 1
    if best_start == -1:
        return "[" + ":".join(f"{p:x}" for p in pieces) + "]"
    head = ":".join(f"{p:x}" for p in pieces[:best_start])
    tail = ":".join(f"{p:x}" for p in pieces[best_start + best_len :])
    return f"[{head}::{tail}]"


# --------------------------------------------------------------------------- data

# ASCII top-level domains of the npm package ``tlds`` 1.261.0 (IANA's root zone),
# which ``@atproto/api`` 0.19.19 checks handles and scheme-less links against.
_TLD_LIST: Final = """
aaa aarp abb abbott abbvie abc able abogado abudhabi ac academy accenture accountant accountants
aco actor ad ads adult ae aeg aero aetna af afl africa ag agakhan agency ai aig airbus airforce
airtel akdn al alibaba alipay allfinanz allstate ally alsace alstom am amazon americanexpress
americanfamily amex amfam amica amsterdam analytics android anquan anz ao aol apartments app
apple aq aquarelle ar arab aramco archi army arpa art arte as asda asia associates at athleta
attorney au auction audi audible audio auspost author auto autos aw aws ax axa az azure ba baby
baidu banamex band bank bar barcelona barclaycard barclays barefoot bargains baseball basketball
bauhaus bayern bb bbc bbt bbva bcg bcn bd be beats beauty beer berlin best bestbuy bet bf bg bh
bharti bi bible bid bike bing bingo bio biz bj black blackfriday blockbuster blog bloomberg blue
bm bms bmw bn bnpparibas bo boats boehringer bofa bom bond boo book booking bosch bostik boston
bot boutique box br bradesco bridgestone broadway broker brother brussels bs bt build builders
business buy buzz bv bw by bz bzh ca cab cafe cal call calvinklein cam camera camp canon
capetown capital capitalone car caravan cards care career careers cars casa case cash casino cat
catering catholic cba cbn cbre cc cd center ceo cern cf cfa cfd cg ch chanel channel charity
chase chat cheap chintai christmas chrome church ci cipriani circle cisco citadel citi citic
city ck cl claims cleaning click clinic clinique clothing cloud club clubmed cm cn co coach
codes coffee college cologne com commbank community company compare computer comsec condos
construction consulting contact contractors cooking cool coop corsica country coupon coupons
courses cpa cr credit creditcard creditunion cricket crown crs cruise cruises cu cuisinella cv
cw cx cy cymru cyou cz dad dance data date dating datsun day dclk dds de deal dealer deals
degree delivery dell deloitte delta democrat dental dentist desi design dev dhl diamonds diet
digital direct directory discount discover dish diy dj dk dm dnp do docs doctor dog domains dot
download drive dtv dubai dupont durban dvag dvr dz earth eat ec eco edeka edu education ee eg
email emerck energy engineer engineering enterprises epson equipment er ericsson erni es esq
estate et eu eurovision eus events exchange expert exposed express extraspace fage fail
fairwinds faith family fan fans farm farmers fashion fast fedex feedback ferrari ferrero fi
fidelity fido film final finance financial fire firestone firmdale fish fishing fit fitness fj
fk flickr flights flir florist flowers fly fm fo foo food football ford forex forsale forum
foundation fox fr free fresenius frl frogans frontier ftr fujitsu fun fund furniture futbol fyi
ga gal gallery gallo gallup game games gap garden gay gb gbiz gd gdn ge gea gent genting george
gf gg ggee gh gi gift gifts gives giving gl glass gle global globo gm gmail gmbh gmo gmx gn
godaddy gold goldpoint golf goo goodyear goog google gop got gov gp gq gr grainger graphics
gratis green gripe grocery group gs gt gu gucci guge guide guitars guru gw gy hair hamburg
hangout haus hbo hdfc hdfcbank health healthcare help helsinki here hermes hiphop hisamitsu
hitachi hiv hk hkt hm hn hockey holdings holiday homedepot homegoods homes homesense honda horse
hospital host hosting hot hotels hotmail house how hr hsbc ht hu hughes hyatt hyundai ibm icbc
ice icu id ie ieee ifm ikano il im imamat imdb immo immobilien in inc industries infiniti info
ing ink institute insurance insure int international intuit investments io ipiranga iq ir irish
is ismaili ist istanbul it itau itv jaguar java jcb je jeep jetzt jewelry jio jll jm jmp jnj jo
jobs joburg jot joy jp jpmorgan jprs juegos juniper kaufen kddi ke kerryhotels kerryproperties
kfh kg kh ki kia kids kim kindle kitchen kiwi km kn koeln komatsu kosher kp kpmg kpn kr krd kred
kuokgroup kw ky kyoto kz la lacaixa lamborghini lamer land landrover lanxess lasalle lat latino
latrobe law lawyer lb lc lds lease leclerc lefrak legal lego lexus lgbt li lidl life
lifeinsurance lifestyle lighting like lilly limited limo lincoln link live living lk llc llp
loan loans locker locus lol london lotte lotto love lpl lplfinancial lr ls lt ltd ltda lu
lundbeck luxe luxury lv ly ma madrid maif maison makeup man management mango map market
marketing markets marriott marshalls mattel mba mc mckinsey md me med media meet melbourne meme
memorial men menu merckmsd mg mh miami microsoft mil mini mint mit mitsubishi mk ml mlb mls mm
mma mn mo mobi mobile moda moe moi mom monash money monster mormon mortgage moscow moto
motorcycles mov movie mp mq mr ms msd mt mtn mtr mu museum music mv mw mx my mz na nab nagoya
name navy nba nc ne nec net netbank netflix network neustar new news next nextdirect nexus nf
nfl ng ngo nhk ni nico nike nikon ninja nissan nissay nl no nokia norton now nowruz nowtv np nr
nra nrw ntt nu nyc nz obi observer office okinawa olayan olayangroup ollo om omega one ong onl
online ooo open oracle orange org organic origins osaka otsuka ott ovh pa page panasonic paris
pars partners parts party pay pccw pe pet pf pfizer pg ph pharmacy phd philips phone photo
photography photos physio pics pictet pictures pid pin ping pink pioneer pizza pk pl place play
playstation plumbing plus pm pn pnc pohl poker politie porn post pr praxi press prime pro prod
productions prof progressive promo properties property protection pru prudential ps pt pub pw
pwc py qa qpon quebec quest racing radio re read realestate realtor realty recipes red
redumbrella rehab reise reisen reit reliance ren rent rentals repair report republican rest
restaurant review reviews rexroth rich richardli ricoh ril rio rip ro rocks rodeo rogers room rs
rsvp ru rugby ruhr run rw rwe ryukyu sa saarland safe safety sakura sale salon samsclub samsung
sandvik sandvikcoromant sanofi sap sarl sas save saxo sb sbi sbs sc scb schaeffler schmidt
scholarships school schule schwarz science scot sd se search seat secure security seek select
sener services seven sew sex sexy sfr sg sh shangrila sharp shell shia shiksha shoes shop
shopping shouji show si silk sina singles site sj sk ski skin sky skype sl sling sm smart smile
sn sncf so soccer social softbank software sohu solar solutions song sony soy spa space sport
spot sr srl ss st stada staples star statebank statefarm stc stcgroup stockholm storage store
stream studio study style su sucks supplies supply support surf surgery suzuki sv swatch swiss
sx sy sydney systems sz tab taipei talk taobao target tatamotors tatar tattoo tax taxi tc tci td
tdk team tech technology tel temasek tennis teva tf tg th thd theater theatre tiaa tickets
tienda tips tires tirol tj tjmaxx tjx tk tkmaxx tl tm tmall tn to today tokyo tools top toray
toshiba total tours town toyota toys tr trade trading training travel travelers
travelersinsurance trust trv tt tube tui tunes tushu tv tvs tw tz ua ubank ubs ug uk unicom
university uno uol ups us uy uz va vacations vana vanguard vc ve vegas ventures verisign
versicherung vet vg vi viajes video vig viking villas vin vip virgin visa vision viva vivo
vlaanderen vn vodka volvo vote voting voto voyage vu wales walmart walter wang wanggou watch
watches weather weatherchannel webcam weber website wed wedding weibo weir wf whoswho wien wiki
williamhill win windows wine winners wme wolterskluwer woodside work works world wow ws wtc wtf
xbox xerox xihuan xin xxx xyz yachts yahoo yamaxun yandex ye yodobashi yoga yokohama you youtube
yt yun za zappos zara zero zip zm zone zuerich zw
"""
_TLDS: Final = frozenset(_TLD_LIST.split())
