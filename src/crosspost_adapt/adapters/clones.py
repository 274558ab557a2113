"""Near clones: drafts of one post that read the same on two platforms.

The article this library comes from warns that the same content cloned
everywhere reads as "zero effort" to a follower who sees it twice. ``adapt_all``
compares every pair of drafts it made with :func:`similarity` and reports pairs
at or above a threshold as ``near-clone`` changes (:func:`near_clones`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from crosspost_adapt.draft import Change, Draft, _change
from crosspost_adapt.text.entities import _DOT_LETTER, _RUN_AFTER, _RUN_BEFORE, extract_urls

__all__ = ["jaccard", "near_clones", "shingles", "similarity"]

#: The rest of a run of non-space characters, as ``_RUN_AFTER`` finds it (the
#: standard engine matches this class several times faster than ``regex``).
_RUN_END: Final = re.compile(_RUN_AFTER.pattern)


def _without_url_words(text: str) -> str:
    """``text`` without the words (runs of non-space) that hold a URL.

    A URL holds ``://`` or a dot before a letter (where a TLD starts): only the
    runs around such places are looked at.
    """
    hints = [m.start() for m in _DOT_LETTER.finditer(text)]
    at = text.find("://")
    if at >= 0:
        while at >= 0:
            hints.append(at)
            at = text.find("://", at + 3)
        hints.sort()
    out: list[str] = []
    pos = 0
    for hint in hints:
        if hint < pos:
            continue
        # The run starts after the last space or line break before the hint,
        # unless another kind of space is nearer (then the slower reverse match).
        start = max(text.rfind(" ", pos, hint), text.rfind("\n", pos, hint)) + 1 or pos
        if _RUN_END.match(text, start, hint).end() != hint:  # type: ignore[union-attr]
            start = _RUN_BEFORE.match(text, pos, hint).start()  # type: ignore[union-attr]
        end = _RUN_END.match(text, hint).end()  # type: ignore[union-attr]
        word = text[start:end]
        if "://" in word or extract_urls(word):
            out.append(text[pos:start])
            pos = end
    if not out:
        return text
    out.append(text[pos:])
    return " ".join(out)


def _text_words(text: str) -> list[str]:
    """The words of ``text`` as :func:`_words` takes them."""
    if "://" in text or "." in text:
        text = _without_url_words(text)
    return text.replace("#", " ").casefold().split()


def _words(draft: Draft) -> list[str]:
    """The words of a draft, without its URLs and with hashtags as plain words.

    A word holding a URL (``https://...``, ``example.com/menu``, ``(x.com)``) is
    left out whole: URLs differ between drafts by their utm tags only.
    """
    return _text_words(" ".join(draft.parts))


def similarity(a: Draft, b: Draft) -> float:
    """How alike two drafts read, 0 to 1: the Jaccard index of their word trigrams,
    case, spacing, URLs (which differ by their utm tags) and ``#`` ignored, so
    shared sentences count and reordered tags barely do. Linear in their length."""
    return jaccard(shingles(a), shingles(b))


def _trigrams(words: list[str]) -> frozenset[int]:
    """The hashes of the trigrams of ``words`` (of all of them when under three)."""
    if len(words) < 3:
        return frozenset([hash(tuple(words))])
    return frozenset(map(hash, zip(words, words[1:], words[2:], strict=False)))


def shingles(draft: Draft) -> frozenset[int]:
    """The word trigrams :func:`similarity` compares, each as its hash (compute
    once per draft; sets of integers intersect several times faster than sets
    of tuples, and two different trigrams share a 64-bit hash about never)."""
    return _trigrams(_words(draft))


def jaccard(sa: frozenset[int], sb: frozenset[int]) -> float:
    """The Jaccard index of two sets of trigrams (1.0 for two empty sets)."""
    if not sa and not sb:
        return 1.0
    shared = len(sa & sb)
    return shared / (len(sa) + len(sb) - shared)


def near_clones(drafts: Mapping[str, Draft], threshold: float) -> dict[str, list[Change]]:
    """The ``near-clone`` changes of each platform whose draft reads like another's
    (similarity at least ``threshold``), naming the other platform."""
    clones: dict[str, list[Change]] = {}
    names = list(drafts)
    # Drafts of the same text (joined parts) share their trigrams.
    by_text: dict[str, frozenset[int]] = {}
    trigrams: list[frozenset[int]] = []
    for name in names:
        text = " ".join(drafts[name].parts)
        found = by_text.get(text)
        if found is None:
            found = by_text[text] = _trigrams(_text_words(text))
        trigrams.append(found)
    sizes = [len(t) for t in trigrams]
    count = len(names)
    for i in range(count):
        ta, la = trigrams[i], sizes[i]
        for j in range(i + 1, count):
            tb, lb = trigrams[j], sizes[j]
            # The index is at most the ratio of the sizes; the shared trigrams
            # are counted as the smaller set less those the other lacks (of two
            # near clones few are missing: a short difference is cheap to make).
            if la <= lb:
                if la < threshold * lb:
                    continue
                shared = la - len(ta - tb)
            else:
                if lb < threshold * la:
                    continue
                shared = lb - len(tb - ta)
            union = la + lb - shared
            score = shared / union if union else 1.0
            if score >= threshold:
                a, b = names[i], names[j]
                for this, other in ((a, b), (b, a)):
                    clones.setdefault(this, []).append(
                        _change(
                            "near-clone",
                            f"reads like the {other} draft (similarity {score:.2f}): followers "
                            "of both will see the same post twice; rewrite one with a variant",
                            None,
                            {"other": other, "similarity": round(score, 3)},
                        )
                    )
    return clones
