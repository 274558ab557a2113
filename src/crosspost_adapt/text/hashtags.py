"""What a hashtag may hold, and how a hashtag given by a person is normalised."""

from __future__ import annotations

import unicodedata

import regex

__all__ = ["HASHTAG_ALPHA", "HASHTAG_ALPHANUMERIC", "normalize_hashtag"]

# Characters that may sit inside a hashtag besides letters, marks and digits, as
# twitter-text defines them (regexp/hashtagSpecialChars): underscore, ZWNJ, ZWJ,
# and a few script-specific joiners and middle dots.
_HASHTAG_SPECIAL = (
    "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003"
    "\u0f0b\u0f0c\u00b7"
)
#: A character class (without brackets) of the letters and marks of a hashtag.
HASHTAG_ALPHA = r"\p{L}\p{M}"
#: A character class (without brackets) of everything a hashtag body may hold.
HASHTAG_ALPHANUMERIC = HASHTAG_ALPHA + r"\p{Nd}" + regex.escape(_HASHTAG_SPECIAL, special_only=True)

_HAS_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]")
_BAD_CHAR = regex.compile(rf"[^{HASHTAG_ALPHANUMERIC}]")


def _capitalize(word: str) -> str:
    """``word`` with a capital initial, unless that makes another tag: a capital of
    two letters (``ß``) or one that folds to another letter (``ı`` to ``I``, which
    folds to ``i``), tags being compared regardless of case."""
    first = word[:1]
    capital = first.upper()
    if len(capital) != 1 or capital.casefold() != first.casefold():
        return word
    return capital + word[1:]


def normalize_hashtag(raw: str) -> str:
    """Return the hashtag body of ``raw``: no ``#``, no spaces.

    ``"#café"`` -> ``"café"`` (in NFC); ``"pumpkin spice"`` -> ``"PumpkinSpice"`` (the words
    of a multi-word tag get a capital initial, so the tag stays readable and
    screen readers can say it). Raises ``ValueError`` with the problem when ``raw`` cannot be a
    hashtag (no letters or digits, or a character that would end the tag).
    """
    if not isinstance(raw, str):
        raise ValueError(f"must be a string, not {type(raw).__name__}")
    tag = raw.strip()
    if tag[:1] in ("#", "\uff03"):
        tag = tag[1:].lstrip()
    words = tag.split()
    if len(words) > 1:
        tag = "".join(_capitalize(w) for w in words)
    elif words:
        tag = words[0]
    if not tag.isascii():
        tag = unicodedata.normalize("NFC", tag)  # one spelling of "café"
    if not tag or _HAS_LETTER_OR_DIGIT.search(tag) is None:
        raise ValueError(f"{raw!r} has no letters or digits")
    bad = _BAD_CHAR.search(tag)
    if bad is not None:
        raise ValueError(
            f"{raw!r} contains {bad.group()!r} (U+{ord(bad.group()[0]):04X}), "
            "which would end the hashtag"
        )
    return tag
