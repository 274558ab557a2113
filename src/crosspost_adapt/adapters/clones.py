"""Near clones: drafts of one post that read the same on two platforms.

The article this library comes from warns that the same content cloned
everywhere reads as "zero effort" to a follower who sees it twice. ``adapt_all``
compares every pair of drafts it made with :func:`similarity` and reports pairs
at or above a threshold as ``near-clone`` changes (:func:`near_clones`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Final

from crosspost_adapt.draft import Change, Draft
from crosspost_adapt.text.entities import _DOT_LETTER, _RUN_AFTER, _RUN_BEFORE, extract_urls

__all__ = ["jaccard", "near_clones", "shingles", "similarity"]

#: Where a URL may be: ``://``, or a dot before a letter (a TLD starts there).
_URL_HINT: Final = re.compile(r"://|\.(?=[^\W\d_])")


def _without_url_words(text: str) -> str:
    """``text`` without the words (runs of non-space) that hold a URL."""
    out: list[str] = []
    pos = 0
    for hint in _URL_HINT.finditer(text):
        if hint.start() < pos:
            continue
        start = _RUN_BEFORE.match(text, pos, hint.start()).start()  # type: ignore[union-attr]
        end = _RUN_AFTER.match(text, hint.start()).end()  # type: ignore[union-attr]
        word = text[start:end]
        if "://" in word or extract_urls(word):
            out.append(text[pos:start])
            pos = end
    out.append(text[pos:])
    return " ".join(out)


def _words(draft: Draft) -> list[str]:
    """The words of a draft, without its URLs and with hashtags as plain words.

    A word holding a URL (``https://...``, ``example.com/menu``, ``(x.com)``) is
    left out whole: URLs differ between drafts by their utm tags only.
    """
    text = " ".join(draft.parts)
    if "://" in text or _DOT_LETTER.search(text):
        text = _without_url_words(text)
    return text.replace("#", " ").casefold().split()


def similarity(a: Draft, b: Draft) -> float:
    """How alike two drafts read, 0 to 1: the Jaccard index of their word trigrams,
    case, spacing, URLs (which differ by their utm tags) and ``#`` ignored, so
    shared sentences count and reordered tags barely do. Linear in their length."""
    return jaccard(shingles(a), shingles(b))


def shingles(draft: Draft) -> frozenset[int]:
    """The word trigrams :func:`similarity` compares, each as its hash (compute
    once per draft; sets of integers intersect several times faster than sets
    of tuples, and two different trigrams share a 64-bit hash about never)."""
    words = _words(draft)
    if len(words) < 3:
        return frozenset([hash(tuple(words))])
    return frozenset(map(hash, zip(words, words[1:], words[2:], strict=False)))


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
    trigrams = [shingles(drafts[name]) for name in names]
    sizes = [len(t) for t in trigrams]
    for i, j in itertools.combinations(range(len(names)), 2):
        small, large = (sizes[i], sizes[j]) if sizes[i] <= sizes[j] else (sizes[j], sizes[i])
        if small < threshold * large:
            continue  # the index is at most the ratio of the sizes
        score = jaccard(trigrams[i], trigrams[j])
        if score >= threshold:
            a, b = names[i], names[j]
            for this, other in ((a, b), (b, a)):
                clones.setdefault(this, []).append(
                    Change(
                        "near-clone",
                        f"reads like the {other} draft (similarity {score:.2f}): followers "
                        "of both will see the same post twice; rewrite one with a variant",
                        data={"other": other, "similarity": round(score, 3)},
                    )
                )
    return clones
