"""Length of a text exactly as each platform counts it.

One function per counting unit (see :data:`crosspost_adapt.rules.CountUnit`), all
driven by a :class:`~crosspost_adapt.rules.TextRules`; :func:`count` picks the
right one. Every function has a fast path for the common case (ASCII, no dot, no
emoji) and gives the same result as the slow path.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Final

import attrs
import regex

from crosspost_adapt.rules import TextRules, WeightedCounting
from crosspost_adapt.text._joiners import JOINER_RANGES
from crosspost_adapt.text._trie import ranges_class
from crosspost_adapt.text.emoji import emoji_matcher, twitter_emoji_matcher
from crosspost_adapt.text.entities import Entity, extract_urls

__all__ = [
    "WeightedParse",
    "count",
    "count_slices",
    "graphemes",
    "meta_length",
    "parse_weighted",
    "utf8_length",
    "utf16_length",
    "weighted_length",
]

_GRAPHEME: Final = regex.compile(r"\X")
_ASTRAL: Final = regex.compile(r"[\U00010000-\U0010FFFF]")
#: A Mastodon mention with its domain: ``@user@domain`` (Mastodon's Account::MENTION_RE).
_FEDIVERSE_MENTION: Final = regex.compile(
    r"(?<![=/\w])@(?P<user>[a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[\w.-]+\w",
    regex.IGNORECASE,
)


# --------------------------------------------------------------------------- simple units


def utf8_length(text: str) -> int:
    """UTF-8 bytes of ``text`` (Bluesky's byte limit, facet offsets)."""
    # A lone surrogate (never valid in a post) counts as the 3 bytes it would take.
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def utf16_length(text: str) -> int:
    """UTF-16 code units of ``text`` (JavaScript's ``length``)."""
    if text.isascii():
        return len(text)
    return len(text) + len(_ASTRAL.findall(text))


#: Characters that can join a grapheme cluster with a neighbour. A text without
#: any of them has one cluster per code point, and needs no segmentation.
_CLUSTER_JOINERS: Final = regex.compile(
    r"[\r\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}"
    r"\p{Grapheme_Cluster_Break=SpacingMark}\p{Grapheme_Cluster_Break=Prepend}"
    r"\p{Grapheme_Cluster_Break=Regional_Indicator}\p{Hangul_Syllable_Type=L}"
    r"\p{Hangul_Syllable_Type=V}\p{Hangul_Syllable_Type=T}]"
)


# ``_CLUSTER_JOINERS`` as data (tools/gen_joiners.py): the BMP ones as one class
# of the standard engine, tested in constant time per character; the astral ones
# (emoji modifiers, flags, tags...) checked by range on each astral character.
_BMP_JOINER: Final = re.compile(ranges_class(r for r in JOINER_RANGES if r[1] <= 0xFFFF))
_ASTRAL_JOINERS: Final = tuple(r for r in JOINER_RANGES if r[0] > 0xFFFF)
_ASTRAL_JOINER_STARTS: Final = tuple(r[0] for r in _ASTRAL_JOINERS)
_ASTRAL_CHAR: Final = re.compile("[\U00010000-\U0010ffff]")


def _has_joiner(text: str) -> bool:
    """Whether ``_CLUSTER_JOINERS`` matches somewhere in ``text``, found faster."""
    if _BMP_JOINER.search(text) is not None:
        return True
    for m in _ASTRAL_CHAR.finditer(text):
        cp = ord(m.group())
        k = bisect.bisect_right(_ASTRAL_JOINER_STARTS, cp) - 1
        if k >= 0 and cp <= _ASTRAL_JOINERS[k][1]:
            return True
    return False


def graphemes(text: str) -> int:
    """Extended grapheme clusters of ``text`` (Unicode 15.1 rules, like Bluesky's)."""
    if text.isascii():
        return len(text) - text.count("\r\n")
    if not _has_joiner(text):
        return len(text)
    return len(_GRAPHEME.findall(text))


def meta_length(text: str) -> int:
    """Threads' count: one per character, each emoji sequence by its UTF-8 bytes."""
    if text.isascii():
        return len(text)
    total = len(text)
    for start, end in emoji_matcher().spans(text):
        seq = text[start:end]
        total += len(seq.encode("utf-8", "surrogatepass")) - len(seq)
    return total


# --------------------------------------------------------------------------- weighted


@attrs.frozen
class _WeightTable:
    """A :class:`WeightedCounting` compiled for speed."""

    default: int
    #: (weight, regex of runs of code points with that weight), BMP only.
    classes: tuple[tuple[int, regex.Pattern[str]], ...]
    #: Weight of every ASCII character when they all weigh the same, else None.
    ascii_weight: int | None
    #: Weight of astral characters: twitter-text weighs the low surrogate's code.
    astral_weight: int | None


def _bmp_weight(w: WeightedCounting, cp: int) -> int:
    for r in w.ranges:
        if r.start <= cp <= r.end:
            return r.weight
    return w.default_weight


def _bmp_weight_of(w: WeightedCounting, ch: str) -> int:
    cp = ord(ch)
    return _bmp_weight(w, 0xDC00 + ((cp - 0x10000) & 0x3FF) if cp > 0xFFFF else cp)


def _table(w: WeightedCounting) -> _WeightTable:
    """The compiled table of ``w``, built once per configuration object.

    Looked up by identity first: hashing a configuration (a tuple of ranges) on
    every call would cost more than counting a short text.
    """
    cached = _TABLES_BY_ID.get(id(w))
    if cached is not None and cached[0] is w:
        return cached[1]
    table = _build_table(w)
    if len(_TABLES_BY_ID) > 64:
        _TABLES_BY_ID.clear()
    _TABLES_BY_ID[id(w)] = (w, table)
    return table


_TABLES_BY_ID: dict[int, tuple[WeightedCounting, _WeightTable]] = {}


@functools.lru_cache(maxsize=32)
def _build_table(w: WeightedCounting) -> _WeightTable:
    by_weight: dict[int, list[str]] = {}
    for r in w.ranges:
        lo, hi = max(r.start, 0), min(r.end, 0xFFFF)
        if lo > hi or r.weight == w.default_weight:
            continue
        by_weight.setdefault(r.weight, []).append(
            f"{regex.escape(chr(lo))}-{regex.escape(chr(hi))}"
        )
    # The first matching range wins in twitter-text; overlapping ranges with
    # different weights would need that order, so they are rejected here.
    seen: list[tuple[int, int, int]] = []
    for r in w.ranges:
        for lo, hi, weight in seen:
            if r.start <= hi and lo <= r.end and weight != r.weight:
                raise ValueError(f"weight ranges {lo}-{hi} and {r.start}-{r.end} overlap")
        seen.append((r.start, r.end, r.weight))
    classes = tuple(
        (weight, regex.compile("[" + "".join(parts) + "]+")) for weight, parts in by_weight.items()
    )
    ascii_weights = {_bmp_weight(w, cp) for cp in range(128)}
    surrogate_weights = {_bmp_weight(w, cp) for cp in (0xDC00, 0xDFFF)}
    surrogate_uniform = all(
        not (r.start <= 0xDFFF and r.end >= 0xDC00) or (r.start <= 0xDC00 and r.end >= 0xDFFF)
        for r in w.ranges
    )
    return _WeightTable(
        default=w.default_weight,
        classes=classes,
        ascii_weight=ascii_weights.pop() if len(ascii_weights) == 1 else None,
        astral_weight=surrogate_weights.pop()
        if surrogate_uniform and len(surrogate_weights) == 1
        else None,
    )


def _raw_weight(text: str, w: WeightedCounting, table: _WeightTable) -> int:
    """Sum of the code points' weights (no emoji, no URL rule), in 1/scale units."""
    if table.ascii_weight is not None and text.isascii():
        return table.ascii_weight * len(text)
    n = len(text)
    astral = _ASTRAL.findall(text)
    total = 0
    counted = 0
    for weight, pattern in table.classes:
        k = sum(map(len, pattern.findall(text)))
        total += weight * k
        counted += k
    if astral:
        if table.astral_weight is not None:
            total += (table.astral_weight - table.default) * len(astral)
        else:
            for ch in astral:
                low = 0xDC00 + ((ord(ch) - 0x10000) & 0x3FF)
                total += _bmp_weight(w, low) - table.default
    return total + table.default * (n - counted)


def weighted_length(
    text: str,
    w: WeightedCounting,
    *,
    url_length: int | None = 23,
    urls_without_scheme: bool = True,
) -> int:
    """twitter-text's ``parseTweet(text).weightedLength`` for configuration ``w``.

    NFC first; every URL (by default also without scheme) counts ``url_length``
    (twitter-text's ``transformedURLLength``); every emoji sequence twitter-text
    knows weighs ``default_weight``; other code points weigh by range. Rounded up
    when the scale does not divide the total.
    """
    table = _table(w)
    if text.isascii():
        if table.ascii_weight is not None and (url_length is None or "." not in text):
            # ASCII is in NFC, holds no emoji and, without a dot, no URL.
            return -(-table.ascii_weight * len(text) // w.scale)
    elif not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    total = _raw_weight(text, w, table)

    spans: list[tuple[int, int, int]] = []  # (start, order, end): URLs before emoji
    if url_length is not None and "." in text:
        urls = extract_urls(text, without_scheme=urls_without_scheme)
        spans.extend((u.start, 0, u.end) for u in urls)
    if w.emoji_parsing and not text.isascii():
        spans.extend((start, 1, end) for start, end in twitter_emoji_matcher().spans(text))
    if spans:
        spans.sort()
        pos = 0
        for start, kind, end in spans:
            if start < pos:
                continue  # inside a URL or emoji already counted as a whole
            whole = w.default_weight if kind else (url_length or 0) * w.scale
            total += whole - _raw_weight(text[start:end], w, table)
            pos = end
    return -(-total // w.scale)


# --------------------------------------------------------------------------- rules


def _rewrite(text: str, replacements: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for start, end, new in sorted(replacements):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def countable_text(text: str, rules: TextRules) -> str:
    """``text`` as the platform counts it: URLs as placeholders, short mentions.

    Used by the units that count URLs at a fixed length (Mastodon's 23) and
    mentions without their domain; the text is returned unchanged otherwise.
    """
    replacements: list[tuple[int, int, str]] = []
    if rules.url_length is not None:
        urls: list[Entity] = extract_urls(text, without_scheme=rules.urls_without_scheme)
        replacements.extend((u.start, u.end, "x" * rules.url_length) for u in urls)
    if rules.mention_domain_free and "@" in text:
        replacements.extend(
            (m.start(), m.end(), "@" + m.group("user")) for m in _FEDIVERSE_MENTION.finditer(text)
        )
    return _rewrite(text, replacements) if replacements else text


def count(text: str, rules: TextRules) -> int:
    """The length of ``text`` in ``rules.unit``, with ``rules``' URL and mention rules."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    unit = rules.unit
    if unit == "weighted":
        if rules.weighting is None:
            raise ValueError("a 'weighted' unit needs TextRules.weighting")
        return weighted_length(
            text,
            rules.weighting,
            url_length=rules.url_length,
            urls_without_scheme=rules.urls_without_scheme,
        )
    text = countable_text(text, rules)
    if unit == "graphemes":
        return graphemes(text)
    if unit == "utf16":
        return utf16_length(text)
    if unit == "meta":
        return meta_length(text)
    raise ValueError(f"unknown counting unit {unit!r}")


# --------------------------------------------------------------------------- slices


def count_slices(text: str, rules: TextRules) -> Callable[[int, int], int] | None:
    """A function of ``(a, b)`` giving ``count(text[a:b], rules)`` in O(log n).

    ``text`` is analysed once: the weight of every code point, and the pieces
    that count as a whole (URLs and fediverse mentions first, then emoji
    sequences and grapheme clusters) with what they count. A slice is then the
    sum of what it holds. That is ``count(text, rules)`` exactly for the whole
    text (``(0, len(text))``), and an estimate for a slice: exact when it starts
    and ends at whitespace, where nothing is cut and a URL sees the same context
    (a piece cut in two counts whole in the slice holding its start). Measure
    what is published with :func:`count`. None where the analysis cannot promise
    the whole text's count: a text not in NFC (weighted unit), an emoji or a
    cluster straddling a URL's or a mention's edge. ``rules.byte_limit`` is not
    counted.
    """
    unit = rules.unit
    scale = 1
    base = 1
    runs: list[tuple[int, int, int]] = []  # (start, end, delta per code point)
    entities: list[tuple[int, int, int]] = []  # (start, end, count): URLs, mentions
    pieces: list[tuple[int, int, int]] = []  # (start, end, count): emoji, clusters
    if unit == "weighted":
        w = rules.weighting
        if w is None or not unicodedata.is_normalized("NFC", text):
            return None
        table = _table(w)
        scale = w.scale
        if table.ascii_weight is not None and text.isascii():
            base = table.ascii_weight
        else:
            base = table.default
            for weight, pattern in table.classes:
                runs.extend((m.start(), m.end(), weight - base) for m in pattern.finditer(text))
            for m in _ASTRAL.finditer(text):
                low = 0xDC00 + ((ord(m.group()) - 0x10000) & 0x3FF)
                if _bmp_weight(w, low) != base:
                    runs.append((m.start(), m.end(), _bmp_weight(w, low) - base))
            runs.sort()
        if rules.url_length is not None and "." in text:
            urls = extract_urls(text, without_scheme=rules.urls_without_scheme)
            entities.extend((u.start, u.end, rules.url_length * scale) for u in urls)
        if w.emoji_parsing and not text.isascii():
            pieces.extend((a, b, w.default_weight) for a, b in twitter_emoji_matcher().spans(text))
    elif unit in ("utf16", "graphemes", "meta"):
        if rules.url_length is not None:
            urls = extract_urls(text, without_scheme=rules.urls_without_scheme)
            entities.extend((u.start, u.end, rules.url_length) for u in urls)
        if rules.mention_domain_free and "@" in text:
            entities.extend(
                (m.start(), m.end(), len(m.group("user")) + 1)
                for m in _FEDIVERSE_MENTION.finditer(text)
            )
        if not text.isascii():
            if unit == "utf16":
                runs = [(m.start(), m.end(), 1) for m in _ASTRAL.finditer(text)]
            elif unit == "meta":
                pieces.extend(
                    (a, b, utf8_length(text[a:b])) for a, b in emoji_matcher().spans(text)
                )
            elif _has_joiner(text):
                pieces.extend(
                    (m.start(), m.end(), 1)
                    for m in _GRAPHEME.finditer(text)
                    if m.end() - m.start() > 1
                )
        if unit == "graphemes" and "\r\n" in text and not pieces:
            i = text.find("\r\n")
            while i >= 0:
                pieces.append((i, i + 2, 1))
                i = text.find("\r\n", i + 2)
    else:
        return None

    run_starts = [r[0] for r in runs]
    run_before = [0]  # the deltas of the runs before each run
    for a, b, delta in runs:
        run_before.append(run_before[-1] + (b - a) * delta)

    def raw(x: int) -> int:
        """Weight of ``text[:x]`` by code point."""
        k = bisect.bisect_right(run_starts, x) - 1
        if k < 0:
            return base * x
        a, b, delta = runs[k]
        return base * x + run_before[k] + (min(x, b) - a) * delta

    # URLs and mentions as the count rewrites them (an overlapping later one is
    # left as it is), then the pieces outside them.
    kept: list[tuple[int, int, int]] = []
    for entity in sorted(entities):
        if not kept or entity[0] >= kept[-1][1]:
            kept.append(entity)
    if pieces and kept:
        starts = [e[0] for e in kept]
        inside: list[tuple[int, int, int]] = []
        for piece in pieces:
            k = bisect.bisect_right(starts, piece[0]) - 1
            if k >= 0 and piece[0] < kept[k][1]:
                if piece[1] > kept[k][1]:
                    return None  # straddles the entity's end
                continue  # inside it: counted with it
            if k + 1 < len(kept) and piece[1] > kept[k + 1][0]:
                return None  # straddles the next entity's start
            inside.append(piece)
        pieces = inside
    whole_starts: list[int] = []
    whole_before = [0]
    for a, b, value in sorted(kept + pieces):
        whole_starts.append(a)
        whole_before.append(whole_before[-1] + value - (raw(b) - raw(a)))

    def length(a: int, b: int) -> int:
        i = bisect.bisect_left(whole_starts, a)
        j = bisect.bisect_left(whole_starts, b, i)
        return -(-(raw(b) - raw(a) + whole_before[j] - whole_before[i]) // scale)

    return length


# --------------------------------------------------------------------------- full parse

#: Characters that make a post invalid on X (twitter-text hasInvalidCharacters).
_X_INVALID_CHARS: Final = frozenset("\ufffe\ufeff\uffff")


@attrs.frozen
class WeightedParse:
    """twitter-text's ``parseTweet`` result, field for field.

    Ranges are inclusive UTF-16 indices into the text as given (before NFC), as
    twitter-text returns them; ``valid_range_end`` is the last code unit that
    still fits the limit. ``weighted_length`` is a float where the scale does not
    divide the total (configuration v1 never, v2 and v3 always do).
    """

    weighted_length: float
    valid: bool
    permillage: int
    valid_range_start: int
    valid_range_end: int
    display_range_start: int
    display_range_end: int


def parse_weighted(text: str, rules: TextRules) -> WeightedParse:
    """twitter-text's ``parseTweet(text, config)`` for ``rules`` (a "weighted" unit).

    Slower than :func:`weighted_length` (it walks every character to find where
    the limit falls) and gives the same length.
    """
    w = rules.weighting
    if w is None:
        raise ValueError("parse_weighted needs TextRules.weighting")
    norm = unicodedata.normalize("NFC", text)
    ends: dict[int, tuple[int, int]] = {}  # start -> (end, weight), URLs win
    if w.emoji_parsing:
        for start, end in twitter_emoji_matcher().spans(norm):
            ends[start] = (end, w.default_weight)
    if rules.url_length is not None:
        for u in extract_urls(norm, without_scheme=rules.urls_without_scheme):
            ends[u.start] = (u.end, rules.url_length * w.scale)
    limit = rules.limit * w.scale
    total = 0
    valid = True
    display_index = 0
    i = u16 = 0
    while i < len(norm):
        if i in ends:
            end, weight = ends[i]
        else:
            end = i + 1
            weight = _bmp_weight_of(w, norm[i])
        total += weight
        last = u16 + utf16_length(norm[i:end]) - 1
        last_char = norm[end - 1]  # the code unit twitter-text checks is in it
        if valid:
            valid = last_char not in _X_INVALID_CHARS
        if valid and total <= limit:
            display_index = last
        u16 = last + 1
        i = end
    length: float = total / w.scale
    if length == int(length):
        length = int(length)
    return WeightedParse(
        weighted_length=length,
        valid=valid and 0 < length <= rules.limit,
        permillage=int(length / rules.limit * 1000 // 1),
        valid_range_start=0,
        valid_range_end=display_index + utf16_length(text) - utf16_length(norm),
        display_range_start=0,
        display_range_end=utf16_length(text) - 1 if text else 0,
    )
