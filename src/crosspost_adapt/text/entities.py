"""URLs, hashtags, mentions and cashtags, found as the platforms find them.

The rules are twitter-text's (the grammar behind X's counting, which Mastodon and
most schedulers reuse), re-expressed with the ``regex`` module so that the results,
and therefore the lengths, agree with the official implementation: the shared
conformance suite (``extract.yml``, ``tlds.yml``) and a differential corpus
measured by the npm package ``twitter-text`` 3.1.0 check it.

Positions are indices into the Python string (code points), end exclusive.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from typing import Final, Literal

import attrs
import regex

from crosspost_adapt._frozen import slot_setters
from crosspost_adapt.text._tlds import COUNTRY_TLDS, GENERIC_TLDS
from crosspost_adapt.text._trie import trie_pattern
from crosspost_adapt.text.emoji import places_of
from crosspost_adapt.text.hashtags import HASHTAG_ALPHA, HASHTAG_ALPHANUMERIC

__all__ = [
    "Entity",
    "EntityKind",
    "extract_cashtags",
    "extract_entities",
    "extract_hashtags",
    "extract_mentions",
    "extract_urls",
]

EntityKind = Literal["url", "hashtag", "mention", "cashtag"]


@attrs.frozen
class Entity:
    """A URL, hashtag, mention or cashtag found in a text.

    ``text`` is the matched slice ``source[start:end]``; ``value`` what it stands
    for: the URL, the tag without ``#``, the screen name without ``@`` (with
    ``/list`` for a list), the symbol without ``$``.
    """

    kind: EntityKind
    start: int
    end: int
    text: str
    value: str


# --------------------------------------------------------------------------- classes
# Character sets of twitter-text's regexp/ folder, by the same names.
_PUNCT: Final = r"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$"
_SPACES: Final = r"\x09-\x0D\x20\x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
_INVALID: Final = r"\uFFFE\uFEFF\uFFFF"
_DIRECTIONAL: Final = r"\u202A-\u202E\u061C\u200E\u200F\u2066-\u2069"
_LATIN_ACCENTS: Final = (
    r"\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263"
    r"\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF"
)
#: JavaScript's ``\s``, which the cashtag rule and Bluesky's facets use
#: (Python's ``\s`` differs, on U+FEFF for one).
JS_SPACE: Final = r"\t\n\x0B\x0C\r \xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF"

_DOMAIN_CHAR: Final = rf"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
_SUBDOMAIN: Final = rf"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_DOMAIN_NAME: Final = rf"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_TLD_END: Final = r"(?=[^0-9a-zA-Z@+-]|\Z)"
# The TLD lists as tries: the longest TLD first, as twitter-text's reverse-sorted
# alternation does, without trying 1,574 alternatives one by one.
_TLD: Final = (
    rf"(?:{trie_pattern(GENERIC_TLDS)}{_TLD_END}|{trie_pattern(COUNTRY_TLDS)}{_TLD_END}"
    r"|xn--[\-0-9a-z]+)"
)
_DOMAIN: Final = rf"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}{_TLD})"

_PATH_CHAR: Final = rf"[a-z\u0400-\u04FF0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{_LATIN_ACCENTS}]"
_BALANCED_PARENS: Final = rf"\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\({_PATH_CHAR}+\){_PATH_CHAR}*))\)"
_PATH_END_CHAR: Final = rf"[+\-a-z\u0400-\u04FF0-9=_#/{_LATIN_ACCENTS}]"
_PATH_SEGMENT: Final = (
    rf"(?:(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_END_CHAR}"
    rf"|(?:{_BALANCED_PARENS}))|(?:@{_PATH_CHAR}+/))"
)
_QUERY: Final = r"\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]"

_URL: Final = regex.compile(
    rf"(?P<before>[^A-Za-z0-9@＠$#＃{_INVALID}]|[{_DIRECTIONAL}]|^)"
    rf"(?P<url>(?P<protocol>https?://)?(?P<domain>{_DOMAIN})(?::(?P<port>[0-9]+))?"
    rf"(?P<path>/{_PATH_SEGMENT}*)?(?P<query>{_QUERY})?)",
    regex.IGNORECASE | regex.VERSION0,
)
_ASCII_DOMAIN: Final = regex.compile(
    rf"(?:(?:[\-a-z0-9{_LATIN_ACCENTS}]+)\.)+{_TLD}",
    regex.IGNORECASE | regex.VERSION0,
)
_RUN_AFTER: Final = regex.compile(rf"[^{_SPACES}]*")
_RUN_BEFORE: Final = regex.compile(rf"(?r)[^{_SPACES}]*")
_TLD_AT: Final = regex.compile(_TLD, regex.IGNORECASE | regex.VERSION0)
#: A dot followed by a letter: every TLD starts with one, so no URL without this.
#: (The standard engine finds it several times faster than ``regex`` finds a TLD.)
_DOT_LETTER: Final = re.compile(r"\.(?=[^\W\d_])")
_ASCII_LABELS: Final = regex.compile(
    rf"(?:[\-a-z0-9{_LATIN_ACCENTS}]+\.)+", regex.IGNORECASE | regex.VERSION0
)
_INVALID_BEFORE_SCHEMELESS: Final = regex.compile(r"[-_./]\Z")
_TCO: Final = regex.compile(
    r"https?://t\.co/([a-z0-9]+)(?:\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/])?",
    regex.IGNORECASE,
)
_NON_PRINTABLE_ASCII: Final = regex.compile(r"[^\x20-\x7E]")
_LABEL_SEPARATORS: Final = regex.compile(r"[.\u3002\uFF0E\uFF61]")

MAX_URL_LENGTH: Final = 4096  # twitter-text extractUrlsWithIndices
MAX_TCO_SLUG_LENGTH: Final = 40  # idem
MAX_DOMAIN_LABEL_LENGTH: Final = 63  # RFC 1035, as twitter-text's lib/idna checks it
_DEFAULT_PROTOCOL: Final = "https://"


def _label_ascii_length(label: str) -> int:
    """Length of ``label`` once IDNA-encoded the way punycode.js 1.4.1 encodes it
    (which takes a surrogate pair as its character, and a lone surrogate as is)."""
    if _SURROGATE.search(label):
        label = _joined(label)
    total = 0
    for i, part in enumerate(_LABEL_SEPARATORS.split(label)):
        if i:
            total += 1
        if _NON_PRINTABLE_ASCII.search(part):
            try:
                total += 4 + len(part.encode("punycode"))
            except UnicodeError:  # lone surrogates cannot be encoded: not a host
                return -1
        else:
            total += len(part)
    return total


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _ascii_domains(domain: str) -> Iterator[regex.Match[str]]:
    """The matches of ``_ASCII_DOMAIN.finditer(domain)``, in linear time.

    A match lies in one maximal run of ``label.`` pieces and ends at the last dot
    of that run followed by a TLD; runs without such a dot are skipped instead of
    being retried from every position (quadratic on ``a.a.a...a.ж``).
    """
    pos = 0
    for run in _ASCII_LABELS.finditer(domain):
        a, b = run.span()
        start = max(a, pos)
        if start < b and domain[start] == ".":
            start += 1
        if start >= b:
            continue
        last_ok = -1
        dot = b - 1
        while dot >= start:
            if domain[dot] == "." and _TLD_AT.match(domain, dot + 1):
                last_ok = dot
                break
            dot -= 1
        if last_ok < domain.index(".", start):
            continue
        m = _ASCII_DOMAIN.match(domain, start)
        if m is not None:
            yield m
            pos = m.end()


def _valid_host(url: str, protocol: str, domain: str) -> bool:
    if domain[:4] == "xn--" and next(_ascii_domains(domain), None) is None:
        return False  # punycode with non-ASCII characters in it
    for label in domain.split("."):
        length = _label_ascii_length(label)
        if not 1 <= length <= MAX_DOMAIN_LABEL_LENGTH:
            return False
    return len(protocol) + len(url) <= MAX_URL_LENGTH


def extract_urls(text: str, *, without_scheme: bool = True) -> list[Entity]:
    """URLs of ``text``: with a scheme, and (by default) bare domains with a known TLD.

    ``without_scheme=False`` keeps only URLs written with ``http://`` or ``https://``
    (what Mastodon counts as links).
    """
    if without_scheme:
        if "." not in text:  # a TLD follows a dot
            return []
    elif "://" not in text:  # every URL kept holds its scheme's "://"
        return []
    return _remembered(_URL_MEMO, _find_urls, text, without_scheme)


#: A dot and an ASCII letter or a character beyond ASCII: where a TLD may start
#: (none starts with another ASCII character; see :func:`_tld_at`). Most dots
#: end a sentence, and this finds none of them.
_DOT_BEFORE_TLD_START: Final = re.compile(r"\.[A-Za-z\x80-\U0010FFFF]")
#: ``_RUN_AFTER`` and a space of ``_SPACES`` for the standard engine, whose calls
#: cost less.
_RUN_END: Final = re.compile(rf"[^{_SPACES}]*")
_SPACE: Final = re.compile(rf"[{_SPACES}]")


def _find_urls(text: str, without_scheme: bool) -> list[Entity]:
    urls: list[Entity] = []
    done = 0
    space_in = _SPACE.search
    # No URL without a TLD right after a dot: only the runs of non-space
    # characters around such a place are matched.
    for hit in _DOT_BEFORE_TLD_START.finditer(text):
        dot = hit.start()
        if dot < done or not _tld_at(text, dot + 1):
            continue
        # The run starts after the last space before the dot (``_RUN_BEFORE``):
        # after the last " ", or after another space between it and the dot.
        start = text.rfind(" ", 0, dot) + 1
        space = space_in(text, start, dot)
        while space is not None:
            start = space.end()
            space = space_in(text, start, dot)
        end = _RUN_END.match(text, dot).end()  # type: ignore[union-attr]
        # After a space, the space is what precedes the URL: at the start of the
        # text, the grammar takes a first non-ASCII letter for it instead
        # ("Ñexample.com" is one URL after a space, "example.com" at the start).
        # (Any space does: the token starts with " ", so that one memo entry
        # serves a link after a line break and after a space.)
        if start:
            start -= 1
            token = " " + text[start + 1 : end]
        else:
            token = text[start:end]
        token_memo = _TOKEN_MEMO[without_scheme]
        found = token_memo.get(token)
        if found is None:
            in_token: list[Entity] = []
            _extract_urls_in_token(token, 0, token, without_scheme, in_token)
            found = tuple(in_token)
            _remember(token_memo, token, found)
        if start:
            urls.extend(
                _entity("url", e.start + start, e.end + start, e.text, e.value) for e in found
            )
        else:
            urls.extend(found)
        done = end
    return urls


# --------------------------------------------------------------------------- TLDs

#: The ASCII TLDs, in lower case: letters only (checked below).
_ASCII_TLDS: Final = frozenset(t.lower() for t in (*GENERIC_TLDS, *COUNTRY_TLDS) if t.isascii())
_ASCII_LETTERS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: The ASCII characters ``_TLD_END`` accepts after a TLD: not a letter, a digit,
#: ``@``, ``+`` or ``-``.
_ASCII_TLD_END: Final = "".join(
    c for c in map(chr, range(0x80)) if not c.isalnum() and c not in "@+-"
)
#: A run of ASCII letters up to the end of the text or one of ``_ASCII_TLD_END``.
_ASCII_WORD_AT_END: Final = re.compile(rf"[A-Za-z]+(?=[{re.escape(_ASCII_TLD_END)}]|\Z)")


def _fast_tlds_hold() -> bool:
    """Whether :func:`_tld_at` may answer from ``_ASCII_TLDS``: every ASCII TLD is
    letters, and no other TLD holds an ASCII character other than a letter, or a
    character that matches an ASCII one regardless of case (as the Kelvin sign
    matches ``k``)."""
    ascii_case = regex.compile(r"[\x00-\x7F]", regex.IGNORECASE | regex.VERSION0)
    for tld in (*GENERIC_TLDS, *COUNTRY_TLDS):
        for ch in tld:
            if ch < "\x80" and ch not in _ASCII_LETTERS:
                return False
            if ch >= "\x80" and ascii_case.match(ch):
                return False
    return True


_FAST_TLDS: Final = _fast_tlds_hold()


def _tld_at(text: str, i: int) -> bool:
    """Whether ``_TLD_AT.match(text, i)`` matches, answered without it in most texts.

    Where ``text`` holds, from ``i``, ASCII letters up to its end or up to an
    ASCII character other than a letter, digit, ``@``, ``+`` or ``-``, a TLD
    matches there only if it is those letters: a shorter one is followed by a
    letter (``_TLD_END`` refuses it), a longer one would have to match the
    character after them (TLDs hold letters, none matching an ASCII character
    regardless of case but the letters themselves), and ``xn--`` would need a
    ``-``. Where ``text`` holds another ASCII character at ``i``, no TLD starts
    there (they start with a letter). Else the grammar decides.
    """
    c = text[i : i + 1]
    if c < "\x80" and _FAST_TLDS:
        if c not in _ASCII_LETTERS:
            return False
        m = _ASCII_WORD_AT_END.match(text, i)
        if m is not None:
            return m.group().lower() in _ASCII_TLDS
    elif not (c.isalnum() and not c.isdecimal()):  # ``_DOT_LETTER``'s letter
        return False
    return _TLD_AT.match(text, i) is not None


# --------------------------------------------------------------------------- memo

#: Texts up to this length have their entities remembered: adapting a post
#: looks for them in the same text from several steps and platforms.
_MEMO_MAX_TEXT: Final = 20_000
#: Entries of each memo; it is emptied when full (cheaper than LRU bookkeeping).
_MEMO_SIZE: Final = 2048
_Memo = dict[str, tuple[Entity, ...]]
#: Each memo by the flag of its function (``without_scheme``, ``check_url_overlap``,
#: ``lists``): ``_URL_MEMO[True]`` holds the texts of ``extract_urls(text)``.
_URL_MEMO: Final[tuple[_Memo, _Memo]] = ({}, {})
_HASHTAG_MEMO: Final[tuple[_Memo, _Memo]] = ({}, {})
_MENTION_MEMO: Final[tuple[_Memo, _Memo]] = ({}, {})
#: The URLs of one run of non-space characters, at offsets in the run: a link
#: is found in every candidate post that holds it.
_TOKEN_MEMO: Final[tuple[_Memo, _Memo]] = ({}, {})


def _remembered(
    memos: tuple[_Memo, _Memo],
    find: Callable[[str, bool], list[Entity]],
    text: str,
    flag: bool,
) -> list[Entity]:
    """``find(text, flag)``, remembered in ``memos[flag]`` (a fresh list each time)."""
    memo = memos[flag]
    found = memo.get(text)
    if found is None:
        found = tuple(find(text, flag))
        _remember(memo, text, found)
    return list(found)


def _remember(memo: _Memo, text: str, found: tuple[Entity, ...]) -> None:
    if len(text) <= _MEMO_MAX_TEXT:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[text] = found


def _entity(kind: EntityKind, start: int, end: int, text: str, value: str) -> Entity:
    """``Entity(kind, start, end, text, value)``, set without ``__init__``'s call."""
    entity: Entity = _new(Entity)
    _set_kind(entity, kind)
    _set_start(entity, start)
    _set_end(entity, end)
    _set_text(entity, text)
    _set_value(entity, value)
    return entity


# The slots of Entity, as ``__init__`` sets them.
_new: Final = object.__new__
_set_kind, _set_start, _set_end, _set_text, _set_value = slot_setters(
    Entity, "kind", "start", "end", "text", "value"
)


#: A character beyond the Basic Multilingual Plane (two UTF-16 code units).
_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")


def _utf16_units(text: str) -> str:
    """``text`` with each character beyond U+FFFF as its two surrogates."""
    return "".join(c if c < "\U00010000" else _surrogates(c) for c in text)


def _surrogates(c: str) -> str:
    n = ord(c) - 0x10000
    return chr(0xD800 + (n >> 10)) + chr(0xDC00 + (n & 0x3FF))


def _extract_urls_in_token(
    text: str, offset: int, token: str, without_scheme: bool, urls: list[Entity]
) -> None:
    """Add the URLs of ``token`` (a run of non-space characters at ``offset``) to ``urls``.

    No URL contains a space, and a space before a URL or after its TLD satisfies
    the grammar exactly as the start or end of the string does, so matching each
    dotted run on its own finds what matching the whole text finds, faster.

    twitter-text matches UTF-16 code units: an emoji (or any character beyond
    U+FFFF) right before a domain is, to its grammar, a high surrogate before the
    URL and a low one starting the domain's first label (which then counts
    against the 63 characters of a label, and lets a domain start right after
    the emoji: ``https://e.com/🎃.example.com`` holds two URLs). So a token with
    such characters is matched as code units, and the positions mapped back.
    """
    if not _ASTRAL.search(token):
        _urls_in_token(text, offset, token, without_scheme, urls)
        return
    units = _utf16_units(token)
    found: list[Entity] = []
    _urls_in_token(units, 0, units, without_scheme, found)
    # The code point of each code unit (a URL starts and ends at a character of
    # the Basic Plane: the units of a pair never part).
    point: list[int] = []
    for i, c in enumerate(token):
        point.append(i)
        if c >= "\U00010000":
            point.append(i)
    point.append(len(token))
    for e in found:
        start, end = point[e.start], point[e.end]
        value = e.value if e.value.isascii() else _joined(e.value)
        urls.append(
            _entity("url", start + offset, end + offset, text[offset + start : offset + end], value)
        )


def _joined(units: str) -> str:
    """Surrogate pairs of ``units`` joined into their characters again."""
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _urls_in_token(
    text: str, offset: int, token: str, without_scheme: bool, urls: list[Entity]
) -> None:
    """:func:`_extract_urls_in_token` for a token without characters beyond U+FFFF
    (or written as code units)."""
    matches = _URL.finditer(token) if len(token) <= _SHORT_TOKEN else _long_token_matches(token)
    for m in matches:
        url, protocol, domain = m.group("url"), m.group("protocol"), m.group("domain")
        start, end = m.start("url") + offset, m.end("url") + offset
        if not _valid_host(url, protocol or _DEFAULT_PROTOCOL, domain):
            continue
        if not protocol:
            if not without_scheme or _INVALID_BEFORE_SCHEMELESS.search(m.group("before")):
                continue
            last: Entity | None = None
            for am in _ascii_domains(domain):
                a_start, a_end = am.span()
                last = Entity("url", start + a_start, start + a_end, am.group(), am.group())
                urls.append(last)
            if last is None:
                continue
            if m.group("path"):
                full = url.replace(domain, last.text, 1)
                urls[-1] = Entity("url", last.start, end, text[last.start : end], full)
        else:
            tco = _TCO.match(url)
            if tco is not None:
                if len(tco.group(1)) > MAX_TCO_SLUG_LENGTH:
                    continue
                url = tco.group()
                end = start + len(url)
            urls.append(Entity("url", start, end, url, url))


#: Tokens up to this length are matched directly; longer ones through
#: :func:`_long_token_matches`, which keeps the matching linear.
_SHORT_TOKEN: Final = 256
_DOMAIN_CHAR_RE: Final = regex.compile(_DOMAIN_CHAR)
_NOT_LABEL_CHAR: Final = regex.compile(rf"(?![-_.])[{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}]")
_PROTOCOL_AT: Final = regex.compile(r"https?://", regex.IGNORECASE)
_URL_START: Final = regex.compile(rf"[^A-Za-z0-9@＠$#＃{_INVALID}]|[{_DIRECTIONAL}]")


def _long_token_matches(token: str) -> Iterator[regex.Match[str]]:
    """The matches ``_URL.finditer(token)`` gives, found in linear time.

    The URL grammar backtracks over every count of ``label.`` pieces at every
    start, which is quadratic on a long run such as ``a.a.a.a...``. Whether a
    domain can start at a position only depends on the label there and on whether
    one can start after its dot, so that is computed once per dot, right to left;
    the grammar then runs only where it will match.
    """
    dots = [i for i, ch in enumerate(token) if ch == "."]
    if not dots:
        return
    # Characters no label may hold, and underscores (subdomain labels only).
    bad = [m.start() for m in _NOT_LABEL_CHAR.finditer(token)]
    underscores = [i for i, ch in enumerate(token) if ch == "_"]

    def holds(positions: list[int], lo: int, hi: int) -> bool:
        k = bisect.bisect_left(positions, lo)
        return k < len(positions) and positions[k] < hi

    def label(start: int, dot: int, underscore: bool) -> bool:
        return (
            _DOMAIN_CHAR_RE.match(token, start) is not None
            and _DOMAIN_CHAR_RE.match(token, dot - 1) is not None
            and not holds(bad, start, dot)
            and (underscore or not holds(underscores, start, dot))
        )

    good_after: dict[int, bool] = {}  # dot index -> a domain can start after it

    def good(start: int) -> bool:
        k = bisect.bisect_left(dots, start)
        if k == len(dots) or dots[k] == start:
            return False
        dot = dots[k]
        if label(start, dot, False) and _TLD_AT.match(token, dot + 1):
            return True
        return good_after[dot] and label(start, dot, True)

    for dot in reversed(dots):
        good_after[dot] = good(dot + 1)

    search_from = 0
    starts = [0, *(m.end() for m in _URL_START.finditer(token))]
    for start in starts:
        if start < search_from or (start > 0 and start - 1 < search_from):
            continue
        proto = _PROTOCOL_AT.match(token, start)
        if not (good(start) or (proto is not None and good(proto.end()))):
            continue
        m = _URL.match(token, start - 1 if start else 0)
        if m is not None:
            yield m
            search_from = m.end()


# --------------------------------------------------------------------------- hashtags

_HASHTAG: Final = regex.compile(
    rf"(?P<before>^|\uFE0E|\uFE0F|(?![{HASHTAG_ALPHANUMERIC}&]).)"
    rf"(?P<hash>[#＃])(?!\uFE0F|\u20E3)"
    rf"(?P<tag>[{HASHTAG_ALPHANUMERIC}]*[{HASHTAG_ALPHA}][{HASHTAG_ALPHANUMERIC}]*)",
    regex.IGNORECASE | regex.DOTALL | regex.VERSION0,
)
_HASHTAG_END: Final = regex.compile(r"[#＃]|://")


def _remove_overlaps(entities: list[Entity]) -> list[Entity]:
    """Sort by start and drop every entity that overlaps the one kept before it."""
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda e: e.start):
        if kept and kept[-1].end > entity.start:
            continue
        kept.append(entity)
    return kept


_HASH_SIGN: Final = re.compile("[#\uff03]")


def _hashtag_matches(text: str) -> Iterator[regex.Match[str]]:
    """The matches of ``_HASHTAG.finditer(text)``, tried only at each ``#``.

    A match starts at its ``#`` or one character before it, so trying those two
    starts in order, for each ``#`` in order, finds the same leftmost matches
    without trying the pattern at every place of the text.
    """
    search_from = 0
    for sign in _HASH_SIGN.finditer(text):
        p = sign.start()
        if p < search_from:
            continue
        for start in range(max(search_from, p - 1), p + 1):
            m = _HASHTAG.match(text, start)
            if m is not None and m.start("hash") == p:
                yield m
                search_from = m.end()
                break


def extract_hashtags(text: str, *, check_url_overlap: bool = True) -> list[Entity]:
    """Hashtags of ``text`` in any script (``#café``, ``#東京``), not inside URLs."""
    if "#" not in text and "＃" not in text:
        return []
    return _remembered(_HASHTAG_MEMO, _find_hashtags, text, check_url_overlap)


def _find_hashtags(text: str, check_url_overlap: bool) -> list[Entity]:
    tags: list[Entity] = []
    for m in _hashtag_matches(text):
        if _HASHTAG_END.match(text, m.end()):
            continue
        start = m.start("hash")
        tags.append(Entity("hashtag", start, m.end(), text[start : m.end()], m.group("tag")))
    if check_url_overlap and tags:
        urls = extract_urls(text)
        if urls:
            tags = [e for e in _remove_overlaps(tags + urls) if e.kind == "hashtag"]
    return tags


# --------------------------------------------------------------------------- mentions

_MENTION: Final = regex.compile(
    r"(?P<before>^|[^a-zA-Z0-9_!#$%&*@＠]|(?:^|[^a-zA-Z0-9_+~.-])(?:rt|RT|rT|Rt):?)"
    r"(?P<at>[@＠])(?P<name>[a-zA-Z0-9_]{1,20})(?P<list>/[a-zA-Z][a-zA-Z0-9_-]{0,24})?",
    regex.VERSION0,
)
_MENTION_END: Final = re.compile(rf"[@＠]|[{_LATIN_ACCENTS}]|://")


#: The longest text before the ``@`` that a mention match takes ("xRT:").
_MENTION_LEAD: Final = 4


def _mention_matches(text: str) -> Iterator[regex.Match[str]]:
    """The matches of ``_MENTION.finditer(text)``, tried only near each ``@``.

    A match starts at most :data:`_MENTION_LEAD` characters before its ``@`` and
    holds no other ``@`` before it, so trying those few starts in order, for each
    ``@`` in order, finds the same leftmost matches without scanning every place.
    """
    search_from = 0
    signs = places_of(text, "@")
    if "＠" in text:
        signs = sorted(signs + places_of(text, "＠"))
    for p in signs:
        if p < search_from:
            continue
        first = max(search_from, p - _MENTION_LEAD)
        if "rt" not in text[first:p].lower():
            # Without "rt" before it, a match starts at the "@" or one before.
            first = max(first, p - 1)
        for start in range(first, p + 1):
            m = _MENTION.match(text, start)
            if m is not None and m.start("at") == p:
                yield m
                search_from = m.end()
                break


def extract_mentions(text: str, *, lists: bool = False) -> list[Entity]:
    """``@screen_name`` mentions of ``text`` (and ``@user/list`` when ``lists``)."""
    if "@" not in text and "＠" not in text:
        return []
    return _remembered(_MENTION_MEMO, _find_mentions, text, lists)


def _find_mentions(text: str, lists: bool) -> list[Entity]:
    out: list[Entity] = []
    for m in _mention_matches(text):
        if _MENTION_END.match(text, m.end()):
            continue
        if m.group("list") and not lists:
            continue
        start = m.start("at")
        value = m.group("name") + (m.group("list") or "")
        out.append(Entity("mention", start, m.end(), text[start : m.end()], value))
    return out


# --------------------------------------------------------------------------- cashtags

_CASHTAG: Final = regex.compile(
    rf"(?P<before>^|[{_SPACES}])\$(?P<tag>[a-z]{{1,6}}(?:[._][a-z]{{1,2}})?)"
    rf"(?=\Z|[{JS_SPACE}]|[{_PUNCT}])",
    regex.IGNORECASE | regex.VERSION0,
)


def extract_cashtags(text: str) -> list[Entity]:
    """``$SYMBOL`` cashtags of ``text``."""
    if "$" not in text:
        return []
    return [
        Entity(
            "cashtag",
            m.start() + len(m.group("before")),
            m.end(),
            text[m.start() + len(m.group("before")) : m.end()],
            m.group("tag"),
        )
        for m in _CASHTAG.finditer(text)
    ]


def extract_entities(text: str) -> list[Entity]:
    """Every URL, hashtag, mention and cashtag of ``text``, in order, no overlaps."""
    found = (
        extract_urls(text)
        + extract_hashtags(text, check_url_overlap=False)
        + extract_mentions(text, lists=True)
        + extract_cashtags(text)
    )
    return _remove_overlaps(found)
