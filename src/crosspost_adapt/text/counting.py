"""Length of a text exactly as each platform counts it.

One function per counting unit (see :data:`crosspost_adapt.rules.CountUnit`), all
driven by a :class:`~crosspost_adapt.rules.TextRules`; :func:`count` picks the
right one. Every function has a fast path for the common case (ASCII, no dot, no
emoji) and gives the same result as the slow path.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Final

import attrs
import regex

from crosspost_adapt.rules import TextRules, WeightedCounting
from crosspost_adapt.text._joiners import JOINER_RANGES
from crosspost_adapt.text._trie import ranges_class
from crosspost_adapt.text.emoji import (
    beyond_latin1,
    emoji_matcher,
    twitter_emoji_matcher,
    with_places_of,
)
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
    # The codec counts faster than a search for astral characters; a lone
    # surrogate is one unit, as in JavaScript.
    return len(text.encode("utf-16-le", "surrogatepass")) >> 1


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


_JOINER_STARTS: Final = tuple(r[0] for r in JOINER_RANGES)
_JOINER_ENDS: Final = tuple(r[1] for r in JOINER_RANGES)
#: The joiners of Latin-1 (carriage return).
_LATIN1_JOINERS: Final = "".join(
    chr(cp) for a, b in JOINER_RANGES for cp in range(a, min(b, 0xFF) + 1)
)


def _has_joiner(text: str) -> bool:
    """Whether ``_CLUSTER_JOINERS`` matches somewhere in ``text``, found faster."""
    wide = beyond_latin1(text)
    if wide is not None:
        # Few characters beyond Latin-1 (often none): each is looked up.
        if any(c in text for c in _LATIN1_JOINERS):
            return True
        starts, ends = _JOINER_STARTS, _JOINER_ENDS
        for p in wide:
            cp = ord(text[p])
            k = bisect.bisect_right(starts, cp) - 1
            if k >= 0 and cp <= ends[k]:
                return True
        return False
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
    return len(_GRAPHEME.findall(flags_paired(text)))


#: Three regional indicators or more in a row (flags side by side).
_FLAG_RUN: Final = re.compile("[\U0001f1e6-\U0001f1ff]{3,}")


@functools.lru_cache(maxsize=16)
def flags_paired(text: str) -> str:
    """``text`` with each pair of regional indicators of a run of three or more
    (a flag) written ``a`` and a combining acute: the same length, and the same
    grapheme clusters, here and around. The ``regex`` module's grapheme rule looks
    back over the whole run at each indicator (to pair them), which takes time
    growing with the square of a long run; this takes none. For counting and
    finding cluster boundaries, never for output."""
    if _FLAG_RUN.search(text) is None:
        return text
    return _FLAG_RUN.sub(_paired, text)


def _paired(m: re.Match[str]) -> str:
    n = len(m.group())
    return "a\u0301" * (n // 2) + m.group()[-1] * (n % 2)


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
    #: With ``ascii_weight``: one class of the characters worth a look of their
    #: own (those weighing otherwise, every astral one, and with emoji parsing
    #: the emoji matcher's leads). In a text of Latin letters they are few, so one
    #: search of the standard engine does the work of a pass per weight.
    special: re.Pattern[str] | None
    #: The special characters of Latin-1 (©, ®), when they are few, else None.
    latin1_special: str | None
    #: How much more than ``ascii_weight`` a character weighs, filled as
    #: characters are met (a bounded memo: single characters).
    deltas: dict[str, int] = attrs.field(factory=dict, eq=False)


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
    ascii_weight = ascii_weights.pop() if len(ascii_weights) == 1 else None
    special = None
    latin1 = ""
    if ascii_weight is not None:
        # Weights are constant between the range bounds: weigh one code point each.
        ends = (b for r in w.ranges for b in (r.start, r.end + 1) if 0 < b < 0x10000)
        bounds = sorted({0, 0x10000, *ends})
        heavy = [
            (lo, hi - 1)
            for lo, hi in itertools.pairwise(bounds)
            if hi <= 0x10000 and _bmp_weight(w, lo) != ascii_weight
        ]
        heavy.append((0x10000, 0x10FFFF))
        if w.emoji_parsing:
            heavy.extend((ord(c), ord(c)) for c in twitter_emoji_matcher().leads)
        special = re.compile(ranges_class(_merged(heavy)))
        latin1 = "".join(special.findall("".join(map(chr, range(256)))))
    return _WeightTable(
        default=w.default_weight,
        classes=classes,
        ascii_weight=ascii_weight,
        astral_weight=surrogate_weights.pop()
        if surrogate_uniform and len(surrogate_weights) == 1
        else None,
        special=special,
        latin1_special=latin1 if special is not None and len(latin1) <= _FEW_LATIN1 else None,
    )


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``ranges`` (inclusive) sorted, with the overlapping and adjacent ones merged."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


_MAX_DELTAS: Final = 4096
#: Latin-1 special characters found one by one (``str.find``) at most.
_FEW_LATIN1: Final = 4


def _wide_places(text: str, table: _WeightTable) -> list[int] | None:
    """:func:`beyond_latin1` of ``text``, or None where ``table`` cannot use it."""
    return beyond_latin1(text) if table.latin1_special is not None else None


def _specials(
    text: str, w: WeightedCounting, table: _WeightTable, wide: list[int] | None
) -> tuple[list[int], list[int]]:
    """Places of ``text`` holding its special characters (``table.special``), in
    order, and how much more than ``table.ascii_weight`` each weighs.

    ``wide`` is :func:`_wide_places` of ``text``: the places of its characters
    beyond Latin-1 (some may weigh ``ascii_weight``, 0 more), or None, and the
    special characters are searched for.
    """
    base = table.ascii_weight
    assert table.special is not None and base is not None
    if wide is None:
        places = [m.start() for m in table.special.finditer(text)]
    elif table.latin1_special:
        places = with_places_of(text, table.latin1_special, wide)
    else:
        places = wide
    known = table.deltas
    deltas: list[int] = []
    for p in places:
        ch = text[p]
        delta = known.get(ch)
        if delta is None:
            delta = _bmp_weight_of(w, ch) - base
            if len(known) >= _MAX_DELTAS:
                known.clear()
            known[ch] = delta
        deltas.append(delta)
    return places, deltas


def _in_nfc(text: str, wide: list[int] | None) -> bool:
    """Whether ``text`` is in NFC; ``wide`` is :func:`_wide_places` of it."""
    # Latin-1 alone is in NFC: no character of it combines with another.
    return wide == [] or unicodedata.is_normalized("NFC", text)


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
    base = table.ascii_weight
    places: list[int] = []
    deltas: list[int] = []
    if text.isascii():
        if base is not None and (url_length is None or "." not in text):
            # ASCII is in NFC, holds no emoji and, without a dot, no URL.
            return -(-base * len(text) // w.scale)
        total = _raw_weight(text, w, table)
    else:
        wide = _wide_places(text, table)
        if not _in_nfc(text, wide):
            text = unicodedata.normalize("NFC", text)
            wide = _wide_places(text, table)
        if base is None:
            total = _raw_weight(text, w, table)
        else:
            places, deltas = _specials(text, w, table, wide)
            total = base * len(text) + sum(deltas)

    spans: list[tuple[int, int, int]] = []  # (start, order, end): URLs before emoji
    if url_length is not None and "." in text:
        urls = extract_urls(text, without_scheme=urls_without_scheme)
        spans.extend((u.start, 0, u.end) for u in urls)
    if w.emoji_parsing and not text.isascii():
        matcher = twitter_emoji_matcher()
        found = matcher.spans(text) if base is None else matcher.spans_from(text, places)
        spans.extend((start, 1, end) for start, end in found)
    if spans:
        spans.sort()
        pos = 0
        for start, kind, end in spans:
            if start < pos:
                continue  # inside a URL or emoji already counted as a whole
            whole = w.default_weight if kind else (url_length or 0) * w.scale
            if base is None:
                total += whole - _raw_weight(text[start:end], w, table)
            else:
                i = bisect.bisect_left(places, start)
                j = bisect.bisect_left(places, end, i)
                total += whole - base * (end - start) - sum(deltas[i:j])
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
        urls = _counted_urls(text, rules)
        replacements.extend((u.start, u.end, "x" * rules.url_length) for u in urls)
    if rules.mention_domain_free and "@" in text:
        replacements.extend(
            (m.start(), m.end(), "@" + m.group("user")) for m in _fediverse_mentions(text)
        )
    return _rewrite(text, replacements) if replacements else text


def _counted_urls(text: str, rules: TextRules) -> list[Entity]:
    """The URLs ``rules`` count at ``url_length`` in ``text``.

    Without the URLs written without a scheme, every URL holds ``://``: a text
    without it (most) needs no search.
    """
    if not rules.urls_without_scheme and "://" not in text:
        return []
    return extract_urls(text, without_scheme=rules.urls_without_scheme)


def _fediverse_mentions(text: str) -> Iterator[regex.Match[str]]:
    """The matches of ``_FEDIVERSE_MENTION.finditer(text)``, tried only at each ``@``.

    Every match starts at its ``@`` and holds a second one: trying the pattern
    at each ``@`` followed by another, in order, from the end of the last
    match, finds the same matches without a scan.
    """
    match = _FEDIVERSE_MENTION.match
    i = text.find("@")
    while i >= 0:
        after = text.find("@", i + 1)
        if after < 0:
            return
        m = match(text, i)
        if m is not None:
            yield m
            i = text.find("@", m.end())
        else:
            i = after


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
    if rules.url_length is not None or rules.mention_domain_free:
        text = countable_text(text, rules)
    if unit == "utf16":
        return utf16_length(text)
    if unit == "graphemes":
        return graphemes(text)
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
    (a piece cut in two counts whole in the slice holding its start), but where
    its first word starts with a non-ASCII letter and holds a dot: at the start
    of a text, X's grammar takes that letter as what precedes a URL. Measure
    what is published with :func:`count`. None where the analysis cannot promise
    the whole text's count: a text not in NFC (weighted unit), an emoji or a
    cluster straddling a URL's or a mention's edge. ``rules.byte_limit`` is not
    counted.
    """
    unit = rules.unit
    scale = 1
    base = 1
    runs: list[tuple[int, int, int]] = []  # (start, end, delta per code point)
    #: Whether every run is one code point (all but the weight classes' runs).
    single = True
    entities: list[tuple[int, int, int]] = []  # (start, end, count): URLs, mentions
    pieces: list[tuple[int, int, int]] = []  # (start, end, count): emoji, clusters
    if unit == "weighted":
        w = rules.weighting
        if w is None:
            return None
        table = _table(w)
        scale = w.scale
        places: list[int] = []
        ascii = text.isascii()
        wide = None if ascii else _wide_places(text, table)
        if not ascii and not _in_nfc(text, wide):
            return None
        if table.ascii_weight is not None:
            base = table.ascii_weight
            if not ascii:
                places, deltas = _specials(text, w, table, wide)
                runs = [(p, p + 1, d) for p, d in zip(places, deltas, strict=True) if d]
        else:
            base = table.default
            single = False
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
        if w.emoji_parsing and not ascii:
            matcher = twitter_emoji_matcher()
            found = (
                matcher.spans(text)
                if table.ascii_weight is None
                else matcher.spans_from(text, places)
            )
            pieces.extend((a, b, w.default_weight) for a, b in found)
    elif unit in ("utf16", "graphemes", "meta"):
        if rules.url_length is not None:
            urls = _counted_urls(text, rules)
            entities.extend((u.start, u.end, rules.url_length) for u in urls)
        if rules.mention_domain_free and "@" in text:
            entities.extend(
                (m.start(), m.end(), len(m.group("user")) + 1) for m in _fediverse_mentions(text)
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
                    for m in _GRAPHEME.finditer(flags_paired(text))
                    if m.end() - m.start() > 1
                )
        if unit == "graphemes" and not pieces and "\r\n" in text:
            i = text.find("\r\n")
            while i >= 0:
                pieces.append((i, i + 2, 1))
                i = text.find("\r\n", i + 2)
    else:
        return None

    # URLs and mentions as the count rewrites them (an overlapping later one is
    # left as it is), then the pieces outside them.
    kept = entities
    if len(entities) > 1:
        kept = []
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
    wholes = kept + pieces
    wholes.sort()
    if not single:
        return _slices_by_runs(runs, base, scale, wholes)
    # Runs of one code point cannot be cut: each is an event at its place, as is
    # a whole piece (what it adds to its code points), and the count of a slice
    # is ``base`` per code point plus the events in it.
    if runs:
        run_starts = [r[0] for r in runs]
        run_before = list(itertools.accumulate([r[2] for r in runs], initial=0))
        events = [
            (
                a,
                value
                - base * (b - a)
                - run_before[bisect.bisect_left(run_starts, b)]
                + run_before[bisect.bisect_left(run_starts, a)],
            )
            for a, b, value in wholes
        ]
        events.extend((r[0], r[2]) for r in runs)
        events.sort()
    else:
        events = [(a, value - base * (b - a)) for a, b, value in wholes]
    starts_at = [e[0] for e in events]
    # The sum of the events before each event.
    before = list(itertools.accumulate([e[1] for e in events], initial=0))
    bisect_left = bisect.bisect_left

    def length(a: int, b: int) -> int:
        i = bisect_left(starts_at, a)
        j = bisect_left(starts_at, b, i)
        return -(-(base * (b - a) + before[j] - before[i]) // scale)

    def length_in_units(a: int, b: int) -> int:  # base and scale 1
        i = bisect_left(starts_at, a)
        return b - a + before[bisect_left(starts_at, b, i)] - before[i]

    return length_in_units if base == 1 and scale == 1 else length


def _slices_by_runs(
    runs: list[tuple[int, int, int]], base: int, scale: int, wholes: list[tuple[int, int, int]]
) -> Callable[[int, int], int]:
    """:func:`count_slices`' function where runs may be longer than a code point."""
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

    whole_starts = [w[0] for w in wholes]
    whole_before = [0]
    for a, b, value in wholes:
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
