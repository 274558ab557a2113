"""Emoji sequences, found fast and as each platform's counter finds them.

Two sets, both built once from the ``emoji`` package's data:

- :func:`emoji_matcher` finds every emoji sequence Unicode knows (ZWJ sequences,
  skin tones, flags, keycaps, tag sequences), longest first. Threads counts these
  by their UTF-8 bytes; fitting text never cuts inside one.
- :func:`twitter_emoji_matcher` finds exactly the sequences X's official counter
  (npm ``twitter-text`` 3.1.0) weighs as one emoji. That counter uses
  ``twemoji-parser`` 11.0.2, which knows the emoji of Emoji 11.0 only: a newer
  sequence such as 🧑🏿‍💻 (Emoji 12.1) is weighed piece by piece (🧑🏿 + ZWJ + 💻 = 5),
  and that is what X shows. The exceptions below were found by replaying every
  emoji of the ``emoji`` package through twitter-text 3.1.0 (the differential
  corpus in ``tests/data/reference_corpus.json``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any, Final

import emoji as _emoji

from crosspost_adapt.text._trie import ranges_class

__all__ = [
    "TWITTER_EMOJI_VERSION",
    "EmojiMatcher",
    "emoji_matcher",
    "twitter_emoji_matcher",
    "twitter_emoji_sequences",
]

#: The Emoji version of twemoji-parser 11.0.2, the parser of twitter-text 3.1.0.
TWITTER_EMOJI_VERSION: Final = 11.0

#: Sequences twemoji-parser 11.0.2 knows beyond the rule "fully-qualified emoji of
#: Emoji 11.0 or older": the Emoji 11.0 spelling of the eye in a speech bubble, and
#: the gendered people in tuxedo it shipped before Emoji 13.0 made them official.
_TWEMOJI_EXTRA: Final = (
    "\U0001f441\u200d\U0001f5e8",
    *(
        f"\U0001f935{tone}\u200d{sign}\ufe0f"
        for tone in ("", *(chr(cp) for cp in range(0x1F3FB, 0x1F400)))
        for sign in ("\u2640", "\u2642")
    ),
)
#: Emoji-presentation characters that twemoji-parser 11.0.2 also takes with a
#: redundant U+FE0F after them as one emoji (Unicode 11's emoji variation sequences).
_TWEMOJI_VS16_SINGLES: Final = (
    "\u231a\u231b\u25fd\u25fe\u2614\u2615\u2648\u2649\u264a\u264b\u264c\u264d\u264e"
    "\u264f\u2650\u2651\u2652\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4"
    "\u26c5\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2757\u2b1b\u2b1c\u2b50\u2b55"
    "\U0001f004\U0001f21a\U0001f22f"
)
#: Text-default modifier bases that twemoji-parser 11.0.2 takes as one emoji when
#: written base + U+FE0F + skin tone.
_TWEMOJI_VS16_MODIFIER_BASES: Final = (
    "\u261d\u26f9\u270c\u270d\U0001f3cb\U0001f3cc\U0001f574\U0001f575\U0001f590"
)
_SKIN_TONES: Final = tuple(chr(cp) for cp in range(0x1F3FB, 0x1F400))

#: Emoji 11.0 sequences twemoji-parser 11.0.2 does not know as one emoji.
_TWEMOJI_MISSING: Final = frozenset(
    {
        "\u265f",  # chess pawn, bare
        "\u267e\ufe0f",  # infinity with VS16
        "\U0001f441\ufe0f\u200d\U0001f5e8\ufe0f",  # the Emoji 12.0 spelling
        "\U0001f9b0",  # hair components, bare
        "\U0001f9b1",
        "\U0001f9b2",
        "\U0001f9b3",
    }
)
#: Characters that are emoji only with U+FE0F after them, for twemoji-parser.
_TEXT_ONLY_BARE: Final = frozenset({"\u00a9", "\u00ae", "\u2122"})

_FULLY_QUALIFIED: Final = _emoji.STATUS["fully_qualified"]


def _class(chars: Iterable[str], gap: int = 0) -> str:
    """A character class of ``chars`` as ranges, closed over gaps up to ``gap``."""
    ranges: list[list[int]] = []
    for cp in sorted({ord(c) for c in chars}):
        if ranges and cp - ranges[-1][1] <= gap + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ranges_class((a, b) for a, b in ranges)


#: First characters of emoji sequences closer than this share one range.
_RANGE_GAP: Final = 0x100

#: At most this many characters beyond Latin-1 (or ASCII) are found by
#: :func:`beyond_latin1` (or :func:`beyond_ascii`).
_FEW_WIDE: Final = 24


def beyond_latin1(text: str) -> list[int] | None:
    """Places of the characters of ``text`` beyond Latin-1 (U+0100 and up), in order.

    Texts in Latin scripts hold few or none (emoji, typographic quotes), and the
    codec finds them several times faster than a regular expression scans the
    text: each is written as an escape (``\\uXXXX`` or ``\\UXXXXXXXX``) and its
    place follows from the bytes before it. None when that would not pay (more
    than a few such characters), or when ``text`` holds a backslash, which would
    be taken for an escape: the caller searches itself.
    """
    return _escaped(text, "latin-1", 9 * _FEW_WIDE)


def beyond_ascii(text: str) -> list[int] | None:
    """:func:`beyond_latin1` for the characters beyond ASCII (U+0080 and up)."""
    return _escaped(text, "ascii", 3 * _FEW_WIDE)


#: The bytes after the backslash of a ``\xXX`` and of a ``\uXXXX`` escape.
_X: Final = ord("x")
_U: Final = ord("u")


def _escaped(text: str, codec: str, most: int) -> list[int] | None:
    """The places of the characters ``codec`` writes as escapes, or None when the
    escapes add more than ``most`` bytes or ``text`` holds a backslash."""
    data = text.encode(codec, "backslashreplace")
    extra = len(data) - len(text)  # 3 bytes more for \xXX, 5 for \uXXXX, 9 for \UXXXXXXXX
    if not extra:
        return []
    if extra > most or "\\" in text:
        return None
    # Each escape is a backslash, "x", "u" or "U" and 2, 4 or 8 hexadecimal digits
    # for one character: the bytes between two backslashes give the next place.
    pieces = data.split(b"\\")
    places: list[int] = []
    p = len(pieces[0])
    for piece in pieces[1:]:
        places.append(p)
        kind = piece[0]
        p += len(piece) - (2 if kind == _X else 4 if kind == _U else 8)
    return places


def with_places_of(text: str, chars: str, places: list[int]) -> list[int]:
    """``places`` (in order) and the places of ``chars``' characters in ``text``, in order."""
    more = [i for c in chars if c in text for i in places_of(text, c)]
    return sorted(places + more) if more else places


def places_of(text: str, sub: str) -> list[int]:
    """Where ``sub`` starts in ``text``, in order, without overlaps (``str.find`` is
    faster than a scan by a regular expression for what is seldom there)."""
    out: list[int] = []
    find = text.find
    step = len(sub)
    i = find(sub)
    while i >= 0:
        out.append(i)
        i = find(sub, i + step)
    return out


class EmojiMatcher:
    """Finds the longest known sequence at each place, left to right, no overlaps.

    A dictionary trie walked from the places where a sequence can start: a
    regular expression with some 1,400 alternatives would try them one by one at
    each place. The places are those of the non-ASCII first characters, and of
    the characters that may follow an ASCII first character (``#``, ``*``,
    digits: keycaps), each of which makes the place before it a candidate. In a
    text of Latin letters they are found with :func:`beyond_latin1` (those of
    Latin-1, © and ®, by ``str.find``); else in one search of a character class by
    the standard library's engine (fast there, unlike an alternation): exact in
    the BMP and as a few ranges closed over small gaps beyond (a place that
    starts no sequence fails at the first step of the walk).
    """

    __slots__ = (
        "_ascii",
        "_ascii_firsts",
        "_ascii_needs",
        "_latin1_leads",
        "_lead",
        "_trie",
        "leads",
    )

    def __init__(self, sequences: Iterable[str]) -> None:
        sequences = list(sequences)
        self._trie: dict[str, Any] = {}
        for seq in sequences:
            node = self._trie
            for ch in seq:
                node = node.setdefault(ch, {})
            node[""] = True
        wide = {s[0] for s in sequences if not s[0].isascii()}
        ascii_firsts = {s[0] for s in sequences if s[0].isascii()}
        self._ascii_firsts: frozenset[str] = frozenset(ascii_firsts)
        #: The characters that may follow an ASCII first character, when none is
        #: a sequence alone and all are non-ASCII; else None, and the ASCII first
        #: characters are searched for themselves.
        self._ascii_needs: frozenset[str] | None = None
        self._ascii: re.Pattern[str] | None = None
        needs = {s[1] for s in sequences if s[0].isascii() and len(s) > 1}
        if all(len(s) > 1 and not s[1].isascii() for s in sequences if s[0].isascii()):
            self._ascii_needs = frozenset(needs)
        else:
            self._ascii = re.compile(_class(ascii_firsts))
        #: Every non-ASCII character whose place :meth:`spans_from` must be told.
        self.leads: frozenset[str] = frozenset(wide | (needs if self._ascii is None else set()))
        bmp = [c for c in self.leads if c <= "\uffff"]
        astral = [c for c in self.leads if c > "\uffff"]
        self._lead = (
            re.compile(_class(bmp)[:-1] + _class(astral, _RANGE_GAP)[1:]) if self.leads else None
        )
        #: The leads :func:`beyond_latin1` does not find (©, ®).
        self._latin1_leads = "".join(sorted(c for c in self.leads if c <= "\xff"))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every sequence found in ``text``."""
        if text.isascii() and self._ascii is None:
            return []
        found = beyond_latin1(text)
        if found is None:
            lead = self._lead
            found = [m.start() for m in lead.finditer(text)] if lead is not None else []
        elif self._latin1_leads:
            found = with_places_of(text, self._latin1_leads, found)
        return self.spans_from(text, found)

    def spans_from(self, text: str, found: list[int]) -> list[tuple[int, int]]:
        """:meth:`spans` of ``text``, given the places (in order) of its characters of
        :attr:`leads` (other places may be given too: they start nothing)."""
        if self._ascii is not None:
            more = [m.start() for m in self._ascii.finditer(text)]
            if more:
                found = sorted({*found, *more})
        out: list[tuple[int, int]] = []
        if not found:
            return out
        trie = self._trie
        needs = self._ascii_needs
        ascii_firsts = self._ascii_firsts
        n = len(text)
        pos = 0
        for p in found:
            if p < pos:
                continue
            # A keycap's ASCII first character is a candidate when its second follows.
            if needs is not None and p > pos and text[p] in needs and text[p - 1] in ascii_firsts:
                end = _longest(trie, text, p - 1)
                if end > 0:
                    out.append((p - 1, end))
                    pos = end
                    if p < pos:
                        continue
            # The longest sequence at p (as _longest finds it, written out here:
            # this loop runs for every candidate place).
            node = trie.get(text[p])
            if node is None:
                continue
            i = p + 1
            end = i if "" in node else -1
            while i < n:
                child = node.get(text[i])
                if child is None:
                    break
                node = child
                i += 1
                if "" in node:
                    end = i
            if end > 0:
                out.append((p, end))
                pos = end
        return out


def _longest(trie: dict[str, Any], text: str, start: int) -> int:
    """The end of the longest sequence of ``trie`` at ``start`` in ``text``, or -1."""
    node = trie
    end = -1
    for i in range(start, len(text)):
        child = node.get(text[i])
        if child is None:
            break
        node = child
        if "" in node:
            end = i + 1
    return end


@functools.cache
def emoji_matcher() -> EmojiMatcher:
    """Every emoji sequence of the ``emoji`` package's data, longest match first."""
    return EmojiMatcher(_emoji.EMOJI_DATA)


@functools.cache
def twitter_emoji_matcher() -> EmojiMatcher:
    """The sequences twitter-text 3.1.0 weighs as one emoji (see the module doc)."""
    return EmojiMatcher(twitter_emoji_sequences())


@functools.cache
def twitter_emoji_sequences() -> frozenset[str]:
    """The sequences of :func:`twitter_emoji_matcher`."""
    keep: list[str] = []
    for seq, data in _emoji.EMOJI_DATA.items():
        if data["E"] > TWITTER_EMOJI_VERSION or seq in _TWEMOJI_MISSING:
            continue
        fully = data["status"] == _FULLY_QUALIFIED
        bare_single = len(seq) == 1 and seq not in _TEXT_ONLY_BARE
        keycap = seq.endswith("\u20e3")
        if fully or bare_single or keycap:
            keep.append(seq)
    keep.extend(_TWEMOJI_EXTRA)
    keep.extend(c + "\ufe0f" for c in _TWEMOJI_VS16_SINGLES)
    keep.extend(c + "\ufe0f" + t for c in _TWEMOJI_VS16_MODIFIER_BASES for t in _SKIN_TONES)
    return frozenset(keep)
