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
from collections.abc import Iterable
from typing import Any, Final

import emoji as _emoji
import regex

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


def _first_chars_class(strings: Iterable[str]) -> str:
    """A character class (with brackets) of the first characters of ``strings``."""
    cps = sorted({ord(s[0]) for s in strings})
    parts: list[str] = []
    start = prev = cps[0]
    for cp in [*cps[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        a, b = regex.escape(chr(start)), regex.escape(chr(prev))
        parts.append(a if start == prev else f"{a}-{b}")
        start = prev = cp
    return "[" + "".join(parts) + "]"


class EmojiMatcher:
    """Finds the longest known sequence at each place, left to right, no overlaps.

    A dictionary trie walked from the positions where a sequence can start (found
    by one character-class search): a regular expression with some 1,400
    alternatives would try them one by one at each of those positions.
    """

    __slots__ = ("_starts", "_trie")

    def __init__(self, sequences: Iterable[str]) -> None:
        sequences = list(sequences)
        self._trie: dict[str, Any] = {}
        for seq in sequences:
            node = self._trie
            for ch in seq:
                node = node.setdefault(ch, {})
            node[""] = True
        self._starts = regex.compile(_first_chars_class(sequences))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` of every sequence found in ``text``."""
        out: list[tuple[int, int]] = []
        trie = self._trie
        n = len(text)
        pos = 0
        search = self._starts.search
        while True:
            m = search(text, pos)
            if m is None:
                return out
            start = i = m.start()
            node: dict[str, Any] | None = trie
            end = -1
            while i < n:
                node = node.get(text[i]) if node is not None else None
                if node is None:
                    break
                i += 1
                if "" in node:
                    end = i
            if end > 0:
                out.append((start, end))
                pos = end
            else:
                pos = start + 1


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
