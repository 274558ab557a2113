"""Fitting a text under a platform's limit: truncation and threads.

Both functions take the platform's *length function* (``lambda s: measure(s, "x")``)
and a limit in its unit. A length function is not additive in general (a URL
counts 23 on X whatever its length, graphemes merge across a join), so every
part returned has been measured exactly as it will be published; pieces are
measured alone only to estimate, never to decide that a part fits.

Where text may be cut
---------------------
The text is read as a hierarchy of *cut points*, from the most to the least
natural place to cut:

===========  ===========================================================
rank         cut point
===========  ===========================================================
paragraph    whitespace holding two line breaks or more (a blank line)
sentence     whitespace after ``. ! ? …`` (closing quotes and brackets
             may follow the mark), a single line break, or right after
             ``。！？`` with no space at all (Chinese, Japanese)
word         any other whitespace
weak         no-break spaces (U+00A0, U+2007, U+202F), and the space of
             French typography before ``! ? : ; »`` or after ``«``
clause       right after ``、，；：`` inside a run without spaces
grapheme     between two grapheme clusters (``regex`` ``\\X``), never inside
             a URL, hashtag, mention or cashtag when it can be helped
===========  ===========================================================

Whitespace is never split: a cut at whitespace ends one piece before it and
starts the next after it. Cuts below *word* happen only inside a word that is
longer than the limit on its own: they are *hard cuts*, reported in
:attr:`Fitted.hard_cuts`. A grapheme cluster (an emoji ZWJ sequence such as
👨‍👩‍👧‍👦, a flag such as 🇫🇷, a letter with its marks) is never split.

Bounded work
------------
Measuring is linear in the length of the string measured. Only candidate
pieces are measured, never the whole text once per cut point.

:func:`truncate` starts where the cut would fall if the length were
proportional to the characters, and finds the furthest cut that fits by
galloping (1, 2, 4, 8... cuts) up or down from there, then bisecting; cut points
are only looked for a little beyond that place (further, doubling, while the
last one found still fits).

:func:`split_thread` measures each sentence once (each word too, inside a
sentence longer than a post), with the whitespace between them and the labels,
and packs the posts by adding these up, which is exact for the usual length
functions except where a URL is cut in pieces or a mark follows a space (a sum
too high only makes a post a little shorter than it could be). Then it
measures every post as published, once: when one is over the limit (the sum was
too low), it packs the thread again measuring every candidate post, galloping
as above from the size of the previous post. Either way the strings measured
add up to a few times the text.

For length functions that grow with the text (``len``, UTF-16, graphemes) this
finds the furthest cut that fits; for one that does not always grow (X's
URLs), it finds a cut that fits, and the result is still always under the
limit.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import sys
from collections.abc import Callable, Sequence
from typing import Final, NamedTuple, cast

import attrs
import regex

from crosspost_adapt.text.counting import flags_paired
from crosspost_adapt.text.entities import extract_entities

__all__ = ["Fitted", "remove_break_markers", "split_thread", "truncate"]

#: A platform's counting function: the length of a string in the platform's unit.
Length = Callable[[str], int]
#: Estimates of the length of a text's slices ``(a, b)`` from one analysis of it.
SliceLength = Callable[[int, int], int]


@attrs.frozen
class Fitted:
    """A text fitted under a limit.

    - ``parts``: what to publish, at least one string. :func:`truncate` gives one
      part (without its ``suffix``); :func:`split_thread` gives the posts of the
      thread as published (numbering and ``last_suffix`` included).
    - ``dropped``: for :func:`truncate`, the exact text removed from the end of
      the input (a suffix of it), or ``None`` when nothing was removed;
      :func:`split_thread` drops nothing and gives ``None``.
    - ``hard_cuts``: the words (runs without breaking whitespace, as they were in
      the input) that were longer than a part could hold and had to be cut
      inside, in order, each cut word once; ``()`` if none.
    - ``forced_breaks``: how many ``---`` break lines split the thread (a run of
      them between two texts counts once; one at the start or end splits
      nothing and counts zero). Always 0 for :func:`truncate`.
    """

    parts: tuple[str, ...]
    dropped: str | None
    hard_cuts: tuple[str, ...]
    forced_breaks: int


# --------------------------------------------------------------------------- cut points

_RANK_PARAGRAPH: Final = 0
_RANK_SENTENCE: Final = 1
_RANK_WORD: Final = 2
_RANK_WEAK: Final = 3
_RANK_CLAUSE: Final = 4
_RANK_GRAPHEME: Final = 5  # between graphemes, not inside an entity
_RANK_ANY_GRAPHEME: Final = 6  # between graphemes, anywhere (a single entity longer than the limit)


class _Cut(NamedTuple):
    """A place to cut ``s``: the piece before ends at ``end``, the next starts at ``resume``.

    ``s[end:resume]`` is whitespace (empty for a cut with no space).
    """

    end: int
    resume: int
    rank: int


#: ``_Cut`` made without the keyword handling of its ``__new__`` (hot loops).
_make_cut: Final = functools.partial(tuple.__new__, _Cut)

# Python's ``re`` ``\s`` is exactly ``str.isspace`` (the whitespace ``str.split`` uses).
_CLOSERS: Final = "\"'\u201d\u2019\u00bb\u203a)\\]}\u300d\u300f\uff09\u3011\u3009\u300b"
_SENTENCE_MARKS: Final = (
    ".!?\u2026\u203c\u2047\u2048\u2049\u3002\uff01\uff1f\uff61\uff0e\u061f\u0964"
)
#: Sentence marks after which a sentence ends without a space (CJK).
_CJK_STOP: Final = re.compile(rf"[\u3002\uff01\uff1f\uff61\uff0e]+[{_CLOSERS}]*")
#: Clause marks inside a run without spaces: a preferred place for a hard cut.
_CJK_CLAUSE: Final = re.compile(rf"[\u3001\uff0c\uff1b\uff1a\uff64]+[{_CLOSERS}]*")
_NO_BREAK_SPACES: Final = "\u00a0\u2007\u202f"
#: French typography: a space before these (or after an opening guillemet) binds.
_GLUED_AFTER_SPACE: Final = "!?:;\u00bb\u203a\u203c\u2049\u2048"
_GLUED_BEFORE_SPACE: Final = "\u00ab\u2039"
#: Line breaks as ``str.splitlines`` counts them (``\r\n`` is one).
_LINE_BREAKS: Final = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_H: Final = rf"[^\S{_LINE_BREAKS}]"  # whitespace that breaks no line
_B: Final = rf"(?>\r\n|[{_LINE_BREAKS}])"  # one line break
# Whitespace runs by kind, each as one capturing group (``(?<!\s)``: from the
# start of a run; ``(?!\s)``: to its end).
#: Two line breaks or more, or a paragraph separator: a blank line.
_BLANK_LINE: Final = rf"(?<!\s)(\s*\u2029\s*|(?:{_H}*{_B}){{2}}\s*)(?!\s)"
#: One line break.
_ONE_LINE_BREAK: Final = rf"(?<!\s)({_H}*{_B}{_H}*)(?!\s)"
#: After a sentence mark and up to 7 closing quotes or brackets (the mark and
#: closers are matched too, outside the group), unless only no-break spaces, or
#: before a mark French typography binds to the word before it ("... :", "stop. »":
#: a part would start with the mark).
_AFTER_MARK: Final = (
    rf"[{_SENTENCE_MARKS}][{_CLOSERS}]{{0,7}}((?![{_NO_BREAK_SPACES}]+(?!\s)){_H}+)"
    rf"(?![\s{_GLUED_AFTER_SPACE}])"
)
#: Only where a run of whitespace or a sentence mark starts can a match start.
_GATE: Final = rf"(?=[\s{_SENTENCE_MARKS}])"
#: Every whitespace run, classified in one pass: the first alternative that
#: matches wins, and the number of its group gives the rank (``_SPACE_RANKS``).
#: This is the definition; :func:`_cuts` finds the same cuts faster (the tests
#: compare them).
_SPACE_KINDS: Final = re.compile(
    _GATE
    + "(?:"
    + "|".join(
        (
            _BLANK_LINE,
            _ONE_LINE_BREAK,
            rf"([{_NO_BREAK_SPACES}]+)(?!\s)",
            _AFTER_MARK,
            # French typography: after an opening guillemet, before ! ? : ; »
            rf"(?<=[{_GLUED_BEFORE_SPACE}])({_H}+)(?!\s)",
            rf"({_H}+)(?=[{_GLUED_AFTER_SPACE}])",
            rf"({_H}+)(?!\s)",  # any other whitespace
        )
    )
    + ")"
)
_SPACE_RANKS: Final = (
    -1,
    _RANK_PARAGRAPH,
    _RANK_SENTENCE,
    _RANK_WEAK,
    _RANK_SENTENCE,
    _RANK_WEAK,
    _RANK_WEAK,
    _RANK_WORD,
)
_GRAPHEME: Final = regex.compile(r"\X")

#: A line holding only ``---`` (spaces and tabs around it allowed): a forced break.
_BREAK_MARKER: Final = re.compile(r"^[^\S\n]*---[^\S\n]*$", re.MULTILINE)


def remove_break_markers(text: str) -> str:
    """``text`` without its ``---`` break lines (each line's content removed, its
    line break kept, so the texts around it stay apart as paragraphs).

    A line is delimited by ``\\n``; a ``\\r`` before it counts as space. Use it
    before :func:`truncate` on a platform that takes a single post.
    """
    if "---" not in text:  # no break line: far faster than the pattern finds none
        return text
    return _BREAK_MARKER.sub("", text)


def _ends_grapheme(s: str, pos: int) -> bool:
    """Whether no grapheme cluster spans ``pos`` (judged from the character before)."""
    m = _GRAPHEME.match(flags_paired(s), pos - 1)
    return m is not None and m.end() == pos


#: A sentence mark, up to 7 closers and the whitespace run after them (no line
#: break in it, not only no-break spaces): ``_AFTER_MARK`` on its own.
_MARK_RUN: Final = re.compile(_AFTER_MARK)
_LINE_BREAK: Final = re.compile(f"[{_LINE_BREAKS}]")
_CJK_STOP_CHARS: Final = "\u3002\uff01\uff1f\uff61\uff0e"
_CJK_CLAUSE_CHARS: Final = "\u3001\uff0c\uff1b\uff1a\uff64"


def _quiet_mark(s: str, lo: int, end: int, quiet: Sequence[str]) -> bool:
    """Whether the marks before the space at ``end`` (and closers) end a ``quiet`` text."""
    while end > lo and s[end - 1] in _CLOSERS:
        end -= 1
    return any(s.endswith(q, lo, end) for q in quiet)


def _sentence_cuts(s: str, lo: int, hi: int, quiet: Sequence[str] = ()) -> list[_Cut]:
    """The cuts of :func:`_cuts` of rank sentence or better (its ``coarse``).

    ``quiet``: texts whose final marks end no sentence (links shown short, such
    as ``example.com/articles/202...``): a mark run ending one of them (closing
    brackets after it aside) makes no sentence cut.

    Found without classifying every whitespace run: the runs holding a line
    break (from each break, widened to its run) and the runs after a sentence
    mark are the only candidates, and both are rare in a text.
    """
    out: list[_Cut] = []
    done = lo
    # ``splitlines`` finds no line break far faster than the pattern does.
    no_break = len(s.splitlines()) < 2 and not (s and s[-1] in _LINE_BREAKS)
    for m in () if no_break else _LINE_BREAK.finditer(s, lo, hi):
        p = m.start()
        if p < done:
            continue
        a = p
        while a > lo and s[a - 1].isspace():
            a -= 1
        b = p + 1
        while b < hi and s[b].isspace():
            b += 1
        run = s[a:b]
        breaks = sum(run.count(c) for c in _LINE_BREAKS) - run.count("\r\n")
        paragraph = breaks >= 2 or "\u2029" in run
        out.append(_make_cut((a, b, _RANK_PARAGRAPH if paragraph else _RANK_SENTENCE)))
        done = b
    marks = [_make_cut((*m.span(1), _RANK_SENTENCE)) for m in _MARK_RUN.finditer(s, lo, hi)]
    if quiet and marks:
        marks = [c for c in marks if not _quiet_mark(s, lo, c.end, quiet)]
    if out:
        out += marks
        out.sort()
        return out
    return marks


_SPACE_RUN: Final = re.compile(r"\s+")


#: The characters French typography binds a space to (see :func:`_glued_spaces`).
_GLUED_NEIGHBOUR: Final = re.compile(f"[{_GLUED_BEFORE_SPACE}{_GLUED_AFTER_SPACE}]")
#: The resume of a one-space cut from its end (mapped over many).
_plus_one: Final = (1).__add__


def _single_spaces(s: str, lo: int, hi: int) -> list[int] | None:
    """Where the spaces of ``s[lo:hi]`` are when every whitespace run in it is
    one space (the usual text), found by a split; else None."""
    piece = s[lo:hi]
    words = piece.split(" ")
    # Printable: no whitespace but the space (nor a joiner, a control...).
    if not piece.isprintable() or "  " in piece:
        tokens = piece.split()
        if len(words) != len(tokens) or sum(map(len, tokens)) != len(piece) - len(words) + 1:
            return None
    # Space i follows words 0..i and the i spaces between them.
    return list(map(operator.add, itertools.accumulate(map(len, words[:-1])), range(lo, hi)))


def _glued_spaces(s: str, lo: int, hi: int) -> list[int]:
    """The spaces (one-space runs, found from the marks around them) of
    ``s[lo:hi]`` that French typography binds: after an opening guillemet,
    before ``! ? : ; »``. In order, each once."""
    out: list[int] = []
    for m in _GLUED_NEIGHBOUR.finditer(s, lo, hi):
        q = m.start()
        p = q + 1 if s[q] in _GLUED_BEFORE_SPACE else q - 1
        if lo < p < hi and s[p] == " " and not (out and out[-1] == p):
            out.append(p)
    return out


def _space_cuts(s: str, lo: int, hi: int, sentence: list[_Cut]) -> list[_Cut]:
    """Every whitespace run of ``s[lo:hi]`` as a cut, ranked; ``sentence`` holds
    those of rank sentence or better (from :func:`_sentence_cuts`)."""
    starts = _single_spaces(s, lo, hi)
    if starts is None:
        return _space_cuts_slow(s, lo, hi, sentence)
    # All of rank word but those after a sentence mark and those French binds.
    out = list(map(_make_cut, zip(starts, map(_plus_one, starts), itertools.repeat(_RANK_WORD))))
    for cut in sentence:
        out[bisect.bisect_left(starts, cut[0])] = cut
    for a in _glued_spaces(s, lo, hi):
        i = bisect.bisect_left(starts, a)
        if out[i][2] == _RANK_WORD:  # a sentence cut outranks French
            out[i] = _make_cut((a, a + 1, _RANK_WEAK))
    return out


def _space_cuts_slow(s: str, lo: int, hi: int, sentence: list[_Cut]) -> list[_Cut]:
    """:func:`_space_cuts` for any whitespace: run by run."""
    at = {c.end: c for c in sentence}
    out: list[_Cut] = []
    for m in _SPACE_RUN.finditer(s, lo, hi):
        a, b = m.span()
        cut = at.get(a)
        if cut is None:
            if s[a - 1] in _GLUED_BEFORE_SPACE or s[b] in _GLUED_AFTER_SPACE:
                rank = _RANK_WEAK
            else:
                rank = _RANK_WEAK if not s[a:b].strip(_NO_BREAK_SPACES) else _RANK_WORD
            cut = _make_cut((a, b, rank))
        out.append(cut)
    return out


def _cuts(
    s: str, lo: int, hi: int, *, coarse: bool = False, quiet: Sequence[str] = ()
) -> list[_Cut]:
    """Cut points of ranks paragraph to clause in ``s[lo:hi]``, sorted.

    With ``coarse``, only those of rank sentence or better. ``s[lo]`` and
    ``s[hi - 1]`` must not be whitespace. The whitespace runs are ranked as
    ``_SPACE_KINDS`` ranks them: the sentence cuts first, then each other run
    (most are one space, ranked by the characters around it). ``quiet``: see
    :func:`_sentence_cuts`.
    """
    out = _sentence_cuts(s, lo, hi, quiet)
    if coarse:
        marks: tuple[tuple[re.Pattern[str], str, int], ...] = (
            (_CJK_STOP, _CJK_STOP_CHARS, _RANK_SENTENCE),
        )
    else:
        out = _space_cuts(s, lo, hi, out)
        marks = (
            (_CJK_STOP, _CJK_STOP_CHARS, _RANK_SENTENCE),
            (_CJK_CLAUSE, _CJK_CLAUSE_CHARS, _RANK_CLAUSE),
        )
    more = False
    for pattern, chars, rank in marks:
        if not any(c in s for c in chars):
            continue
        for m in pattern.finditer(s, lo, hi):
            pos = m.end()
            if pos < hi and not s[pos].isspace() and _ends_grapheme(s, pos):
                out.append(_Cut(pos, pos, rank))
                more = True
    if more:
        out.sort()
    return out


def _word_cuts(
    s: str, lo: int, hi: int, quiet: Sequence[str] = ()
) -> tuple[list[int], list[int] | None, list[_Cut]]:
    """The cuts of rank word or better of :func:`_cuts` in ``s[lo:hi]``, as their
    ends and their resumes (None when each is its end + 1: one space), and
    those of rank sentence or better.

    Where every whitespace run is one space and no CJK mark ends a sentence
    (the usual text), found without making a cut of every space.
    """
    sentence = _sentence_cuts(s, lo, hi, quiet)
    starts = _single_spaces(s, lo, hi)
    if starts is None or any(s.find(c, lo, hi) >= 0 for c in _CJK_STOP_CHARS):
        words = [c for c in _cuts(s, lo, hi, quiet=quiet) if c[2] <= _RANK_WORD]
        return (
            [c[0] for c in words],
            [c[1] for c in words],
            [c for c in words if c[2] <= _RANK_SENTENCE],
        )
    glued = _glued_spaces(s, lo, hi)
    if glued:  # weak, unless after a sentence mark
        after_mark = {c[0] for c in sentence}
        for a in reversed(glued):
            if a not in after_mark:
                del starts[bisect.bisect_left(starts, a)]
    return starts, None, sentence


def _grapheme_cuts(s: str, a: int, b: int, *, protect: bool) -> list[_Cut]:
    """Boundaries between the graphemes of ``s[a:b]`` (a run without spaces).

    With ``protect``, none strictly inside a URL, hashtag, mention or cashtag.
    None between a backslash and the character it escapes (LinkedIn's format
    escapes its reserved characters so: ``\\(``), whatever ``protect``.
    """
    ends = [m.end() for m in _GRAPHEME.finditer(flags_paired(s), a, b)]
    ends.pop()  # the end of the run is no cut inside it
    if s.find("\\", a, b) >= 0:
        escaping = _escaping_backslashes(s, a, b)
        ends = [e for e in ends if e - 1 not in escaping]
    if not protect or not ends:
        return [_Cut(e, e, _RANK_ANY_GRAPHEME) for e in ends]
    spans = [(a + e.start, a + e.end) for e in extract_entities(s[a:b])]
    out: list[_Cut] = []
    k = 0
    for e in ends:
        while k < len(spans) and spans[k][1] <= e:
            k += 1
        if k < len(spans) and spans[k][0] < e:
            continue  # inside an entity
        out.append(_Cut(e, e, _RANK_GRAPHEME))
    return out


def _escaping_backslashes(s: str, a: int, b: int) -> set[int]:
    """The places in ``s[a:b]`` of the backslashes that escape the character after
    them: every second one of each run, counted from its start (from ``a``)."""
    out: set[int] = set()
    i = s.find("\\", a, b)
    while i >= 0:
        j = i
        while j < b and s[j] == "\\":
            j += 1
        out.update(range(i, j, 2))
        i = s.find("\\", j, b)
    return out


def _furthest(n: int, fits: Callable[[int], bool], start: int = 0, hint: int = 0) -> int:
    """The furthest ``i`` in ``[start, n)`` with ``fits(i)``, or ``start - 1``.

    Gallops from ``start`` (offsets 1, 2, 4...) to the first failure, then
    bisects: a piece is never measured much further than the piece kept. With
    a ``hint`` (the likely offset of the answer), gallops up or down from
    ``start + hint`` instead, which takes a few measures when the hint is good.
    Assumes ``fits`` holds up to some index and fails after it; when it does
    not (a length function that shrinks), the answer still satisfies ``fits``.
    """
    if start >= n:
        return start - 1
    guess = min(start + hint, n - 1)
    if guess > start and not fits(guess):
        bad, step = guess, 1
        while True:  # gallop down to a fit
            k = bad - step
            if k <= start:
                if not fits(start):
                    return start - 1
                ok = start
                break
            if fits(k):
                ok = k
                break
            bad, step = k, step * 2
    else:
        if guess == start and not fits(start):
            return start - 1
        ok, step = guess, 1
        while True:  # gallop up to a failure
            k = ok + step
            if k >= n - 1:
                if ok == n - 1 or fits(n - 1):
                    return n - 1
                bad = n - 1
                break
            if not fits(k):
                bad = k
                break
            ok, step = k, step * 2
    while bad - ok > 1:
        mid = (ok + bad) // 2
        if fits(mid):
            ok = mid
        else:
            bad = mid
    return ok


def _check_limit(limit: int) -> None:
    if limit < 0:
        raise ValueError(f"the limit must be 0 or more, not {limit}")


# --------------------------------------------------------------------------- truncate

#: What may dangle at the end of a kept text, before the ellipsis.
_DANGLING: Final = frozenset(
    ",;:.\u2026\u3001\uff0c\u3002\uff1b\uff1a\uff64\u30fb-\u2013\u2014\u2010/\\|&"
    "([{\u00ab\u2039\u201e\u201a\u00bf\u00a1\u300c\u300e\uff08\u3010\u3008\u300a"
)


def _kept_end(text: str, end: int) -> int:
    """Where the kept text ends when ``text`` is cut at ``end``.

    Trailing whitespace and dangling punctuation (commas, colons, dashes, full
    stops, opening brackets...) go, but never a character of a URL, hashtag,
    mention or cashtag; closing brackets and quotes, ``!`` and ``?`` stay. Where
    everything before the cut dangles (``-- -- --``), it all stays: a post of
    nothing but an ellipsis would say nothing.
    """
    e = end
    first = 0  # the end without trailing whitespace
    while True:
        while e > 0 and text[e - 1].isspace():
            e -= 1
        if e == 0:
            # No backslash last: it would escape the ellipsis (LinkedIn's format).
            kept = first
            while kept > 1 and text[kept - 1] == "\\":
                kept -= 1
            return kept
        if not first:
            first = e
        if text[e - 1] not in _DANGLING:
            return e
        t = e - 1  # the token text[t:e]
        while t > 0 and not text[t - 1].isspace():
            t -= 1
        k = e - 1
        while k > t and text[k - 1] in _DANGLING:
            k -= 1
        if k > t:
            for entity in extract_entities(text[t:e]):
                k = max(k, min(t + entity.end, e))
            return k
        e = t  # the whole token dangles: look at the one before


#: The start of a run of whitespace.
_SPACE_START: Final = re.compile(r"(?<!\s)\s")


def _window_end(text: str, lo: int, hi: int, size: int) -> int:
    """The end of the first word that ends ``size`` characters or more after ``lo``
    (in ``text[lo:hi]``, which starts and ends with no whitespace), or ``hi``."""
    if lo + size >= hi:
        return hi
    m = _SPACE_START.search(text, lo + size, hi)
    return hi if m is None else m.start()


def truncate(
    text: str,
    length: Length,
    limit: int,
    *,
    ellipsis: str = "\u2026",
    suffix: str = "",
    quiet: Sequence[str] = (),
) -> Fitted:
    """``text`` shortened so that ``length(part + suffix) <= limit``.

    The one part is ``kept + mark``: ``kept`` is a prefix of ``text`` and
    ``dropped`` is exactly the rest, so ``kept + dropped == text`` always, where
    ``kept = part[: len(part) - len(mark)]``:

    - ``text + suffix`` fits: the part is ``text`` unchanged, ``dropped`` is None.
    - Only trailing whitespace is too much: the part is ``text.rstrip()``, no
      mark, and ``dropped`` is that whitespace.
    - Otherwise the text is cut at whitespace: at the last *sentence* cut that
      keeps at least 2/3 of the characters the last *word* cut would keep, else
      at that word cut. A word that is longer than the limit on its own (a long
      Japanese sentence, a 300-character token) is cut inside instead, at a
      grapheme boundary (preferably after a no-break space or ``、``, never
      inside a URL, hashtag or mention unless the text starts with one longer
      than the limit), and reported in ``hard_cuts``. Whitespace and dangling
      punctuation at the cut are dropped (``,;:.…—(«`` and the like; never part
      of an entity, never ``!?`` or closing brackets and quotes), and ``mark`` is
      ``ellipsis``.
    - ``ellipsis + suffix`` alone does not fit: the mark is ``""`` and the text is
      cut the same way without it.
    - Not even one grapheme fits: ``kept`` is ``""``; the part is the mark alone
      (``"…"``), or ``""`` when the ellipsis does not fit either.

    Empty or whitespace-only text never raises: it fits, or becomes ``""`` with
    the whitespace dropped. ``---`` break lines are ordinary text here (see
    :func:`remove_break_markers`). ``quiet``: texts whose final marks end no
    sentence (links shown short, ``example.com/articles/202...``). Raises
    ``ValueError`` when ``suffix`` alone measures more than ``limit``.
    """
    _check_limit(limit)
    suffix_length = length(suffix)
    if suffix_length > limit:
        raise ValueError(f"the suffix alone measures {suffix_length}, over the limit of {limit}")
    whole = length(text + suffix)
    if whole <= limit:
        return Fitted((text,), None, (), 0)
    stripped = text.rstrip()
    if stripped != text and length(stripped + suffix) <= limit:
        return Fitted((stripped,), text[len(stripped) :], (), 0)
    marked_length = length(ellipsis + suffix)
    mark = ellipsis if marked_length <= limit else ""

    tail = mark + suffix
    # Each cut is looked at more than once (by the word and the sentence
    # searches): where it keeps the text up to, and whether that fits, once.
    kept: dict[int, int] = {}
    fitting: dict[int, bool] = {}

    def kept_end(end: int) -> int:
        k = kept.get(end)
        if k is None:
            k = kept[end] = _kept_end(text, end)
        return k

    def fits_at(end: int) -> bool:
        ok = fitting.get(end)
        if ok is None:
            ok = fitting[end] = length(text[: kept_end(end)] + tail) <= limit
        return ok

    lo = len(text) - len(text.lstrip())
    hi = len(stripped)
    # Where the cut likely falls, in characters, if the length were proportional
    # to them: the search starts there, and cut points are only found in a
    # window a little beyond it, doubled while the last word in it still fits.
    room = limit - (marked_length if mark else suffix_length)
    likely = (hi - lo) * max(room, 0) // max(whole - suffix_length, 1)
    window = _window_end(text, lo, hi, likely + likely // 4 + 64)
    while True:
        ends, resumes, sentences = _word_cuts(text, lo, window, quiet)
        hint = bisect.bisect_right(ends, lo + likely) - 1

        def fits_word(i: int, ends: list[int] = ends) -> bool:
            return fits_at(ends[i])

        w = _furthest(len(ends), fits_word, 0, max(hint, 0))
        if window == hi or w + 1 < len(ends):
            break
        window = _window_end(text, lo, hi, 2 * (window - lo))
    best = kept_end(ends[w]) if w >= 0 else 0
    hard: tuple[str, ...] = ()

    # The word after the last word cut that fits: cut inside it if it can never fit.
    word_a = (ends[w] + 1 if resumes is None else resumes[w]) if w >= 0 else lo
    word_b = ends[w + 1] if w + 1 < len(ends) else hi
    if best == 0 or length(text[word_a:word_b] + tail) > limit:
        cuts = _cuts(text, lo, window, quiet=quiet)
        inside = _hard_points(text, cuts, word_a, word_b, protect=True)
        h = _furthest(len(inside), lambda i: fits_at(inside[i].end))
        if h < 0 and best == 0:
            inside = _hard_points(text, cuts, word_a, word_b, protect=False)
            h = _furthest(len(inside), lambda i: fits_at(inside[i].end))
        if h >= 0:
            kept_h = kept_end(inside[h].end)
            # Prefer a no-break space or a clause mark not much before the cut.
            for j in range(h, -1, -1):
                if inside[j].rank in (_RANK_WEAK, _RANK_CLAUSE):
                    kept_j = kept_end(inside[j].end)
                    if 3 * (kept_j - lo) >= 2 * (kept_h - lo) and fits_at(inside[j].end):
                        kept_h = kept_j
                    break
            if kept_h > best:
                best = kept_h
                hard = (text[word_a:word_b],)

    stops = [c[0] for c in sentences]
    hint = bisect.bisect_right(stops, best) - 1
    s = _furthest(len(stops), lambda i: fits_at(stops[i]), 0, max(hint, 0))
    if s >= 0:
        kept_s = kept_end(stops[s])
        if kept_s > 0 and 3 * (kept_s - lo) >= 2 * (best - lo) and kept_s != best:
            best, hard = kept_s, ()

    dropped = text[best:]
    part = text[:best] + (mark if dropped and not dropped.isspace() else "")
    return Fitted((part,), dropped, hard, 0)


def _hard_points(s: str, cuts: Sequence[_Cut], a: int, b: int, *, protect: bool) -> list[_Cut]:
    """Every cut inside the word ``s[a:b]``: weak spaces, clause marks, graphemes."""
    i = bisect.bisect_right(cuts, a, key=lambda c: c.end)
    inner = [c for c in cuts[i:] if c.end < b]
    out: list[_Cut] = []
    start = a
    for c in [*inner, _Cut(b, b, -1)]:
        if c.rank == _RANK_CLAUSE:
            continue
        out.extend(_grapheme_cuts(s, start, c.end, protect=protect))
        if c.rank >= 0:
            out.append(c)
        start = c.resume
    out.extend(c for c in inner if c.rank == _RANK_CLAUSE)
    # A clause cut replaces the grapheme cut at the same place.
    by_end: dict[int, _Cut] = {}
    for c in out:
        if c.end not in by_end or c.rank < by_end[c.end].rank:
            by_end[c.end] = c
    return sorted(by_end.values())


# --------------------------------------------------------------------------- threads


class _Segment:
    """A text between forced breaks, stripped, with its cut points.

    The cuts of rank sentence or better are found at once, the others (inside
    sentences) only when one is needed.
    """

    __slots__ = (
        "_cuts",
        "_ends",
        "_word_cuts",
        "_word_ends",
        "quiet",
        "sentence_cuts",
        "sentence_ends",
        "text",
    )

    def __init__(self, text: str, quiet: Sequence[str] = ()) -> None:
        self.text = text
        self.quiet = quiet
        self.sentence_cuts = _cuts(text, 0, len(text), coarse=True, quiet=quiet)
        self.sentence_ends = [c[0] for c in self.sentence_cuts]
        self._cuts: list[_Cut] | None = None
        self._ends: list[int] = []
        #: The cuts of rank word or better (the limits of the words), and their ends.
        self._word_cuts: list[_Cut] = []
        self._word_ends: list[int] = []

    def _all_cuts(self) -> tuple[list[_Cut], list[int]]:
        if self._cuts is None:
            self._cuts = _cuts(self.text, 0, len(self.text), quiet=self.quiet)
            self._ends = [c[0] for c in self._cuts]
            self._word_cuts = [c for c in self._cuts if c[2] <= _RANK_WORD]
            self._word_ends = [c[0] for c in self._word_cuts]
        return self._cuts, self._ends

    def _within(self, a: int, b: int, *, coarse: bool) -> list[_Cut]:
        """The cuts strictly inside the piece ``text[a:b]`` (with ``coarse``,
        only those of rank sentence or better)."""
        cuts, ends = (self.sentence_cuts, self.sentence_ends) if coarse else self._all_cuts()
        i = bisect.bisect_right(ends, a)
        return cuts[i : bisect.bisect_left(ends, b, i)]

    def inner(self, a: int, b: int, rank: int) -> list[_Cut]:
        """The cuts of ``rank`` strictly inside the piece ``text[a:b]``."""
        if rank >= _RANK_GRAPHEME:
            return _grapheme_cuts(self.text, a, b, protect=rank == _RANK_GRAPHEME)
        return [c for c in self._within(a, b, coarse=rank <= _RANK_SENTENCE) if c[2] == rank]

    def first_inner(self, a: int, b: int, rank: int) -> tuple[list[_Cut], int]:
        """The cuts of the first rank from ``rank`` on that has some strictly
        inside ``text[a:b]``, and that rank (``([], _RANK_ANY_GRAPHEME + 1)`` if none)."""
        if rank <= _RANK_SENTENCE:
            # The coarse cuts are all of rank paragraph or sentence: one look at
            # them settles both ranks.
            within = self._within(a, b, coarse=True)
            if within:
                if rank == _RANK_PARAGRAPH:
                    paragraphs = [c for c in within if c[2] == _RANK_PARAGRAPH]
                    if paragraphs:
                        return paragraphs, _RANK_PARAGRAPH
                    return within, _RANK_SENTENCE
                sentences = [c for c in within if c[2] == _RANK_SENTENCE]
                if sentences:
                    return sentences, _RANK_SENTENCE
            rank = _RANK_WORD
        while rank <= _RANK_ANY_GRAPHEME:
            inner = self.inner(a, b, rank)
            if inner:
                return inner, rank
            rank += 1
        return [], rank

    def finer(self, a: int, b: int) -> list[_Cut]:
        """The next level of cuts inside a piece that must be split."""
        cuts = self._within(a, b, coarse=True) or self._within(a, b, coarse=False)
        if cuts:
            rank = min(c[2] for c in cuts)
            return [c for c in cuts if c[2] == rank]
        return self.inner(a, b, _RANK_GRAPHEME) or self.inner(a, b, _RANK_ANY_GRAPHEME)

    def word_at(self, cut: _Cut) -> tuple[int, int]:
        """The word (between cuts of rank word or better) that ``cut`` falls in."""
        self._all_cuts()
        words = self._word_cuts
        k = bisect.bisect_left(self._word_ends, cut[0])
        a = words[k - 1][1] if k > 0 else 0
        b = words[k][0] if k < len(words) else len(self.text)
        return a, b


def _units(seg: _Segment, size: SliceLength, room: int) -> tuple[list[_Cut], list[int | None]]:
    """The cuts between the units of ``seg``, ending with the end of ``seg``, and
    the size of each unit (None for one never measured).

    A piece ``(a, b)`` that fits in a post on its own (``size(a, b) <= room``)
    is one unit; one that does not is split at its cuts of the next rank, and
    each piece again (paragraphs, then sentences, words, weak spaces, clauses,
    graphemes).
    """
    s = seg.text
    n = len(s)
    cuts: list[_Cut] = []
    sizes: list[int | None] = []
    # Pieces still to look at, the leftmost on top (so the units come in
    # order): start, end, the cut that ends it, the first rank to split it at.
    todo = [(0, n, _make_cut((n, n, -1)), _RANK_PARAGRAPH)]
    pop, push = todo.pop, todo.append
    while todo:
        a, b, cut, rank = pop()
        if rank >= _RANK_ANY_GRAPHEME:
            if rank > _RANK_ANY_GRAPHEME:
                cuts.append(cut)
                sizes.append(None)
                continue
            # A piece between protected grapheme cuts: nothing to split in one grapheme.
            m = _GRAPHEME.match(flags_paired(s), a, b)
            if m is not None and m.end() == b:
                cuts.append(cut)
                sizes.append(None)
                continue
        measured = size(a, b)
        if measured <= room:
            cuts.append(cut)
            sizes.append(measured)
            continue
        inner, rank = seg.first_inner(a, b, rank)
        rank += 1
        for c in reversed(inner):
            push((c[1], b, cut, rank))
            b, cut = c[0], c
        push((a, b, cut, rank))
    return cuts, sizes


def _no_room(candidate: str, length: Length, limit: int) -> ValueError:
    shown = candidate if len(candidate) <= 40 else candidate[:20] + "…" + candidate[-19:]
    return ValueError(
        f"no room for the text: the post {shown!r} cannot be cut further and measures "
        f"{length(candidate)}, over the limit of {limit}"
    )


def _better_end(units: Sequence[_Cut], j: int, k: int, pos: int) -> int:
    """The unit that ends a post holding ``units[j..k]`` (from ``pos``): ``k``, or
    when ``units[k]`` is a word cut, the last paragraph cut, else the last
    sentence cut, in the post that keeps at least 2/3 of its characters.
    """
    if units[k].rank != _RANK_WORD:
        return k
    span = units[k].end - pos
    for rank in (_RANK_PARAGRAPH, _RANK_SENTENCE):
        for i in range(k - 1, j - 1, -1):
            cut = units[i]
            if 3 * (cut.end - pos) < 2 * span:
                break
            if cut.rank <= rank:
                return i
    return k


def _pack(
    seg: _Segment,
    units: list[_Cut],
    publish: Callable[[str, int, bool], str],
    length: Length,
    limit: int,
    first: int,
) -> list[_Cut]:
    """Greedy packing of the units of ``seg`` into posts numbered from ``first``.

    Returns the cut that ends each post. ``publish(body, index, at_end)`` is the
    post as published. A unit that does not fit in a post on its own is split
    at its next rank of cuts (which only happens when the numbering or the last
    suffix makes a post tighter than the units were made for).
    """
    s = seg.text
    n = len(s)
    chosen: list[_Cut] = []
    pos, j, index, hint = 0, 0, first, 0
    while pos < n:

        def fits(k: int, pos: int = pos, index: int = index) -> bool:
            end = units[k].end
            return length(publish(s[pos:end], index, end == n)) <= limit

        k = _furthest(len(units), fits, j, hint)
        if k < j:
            finer = seg.finer(pos, units[j].end)
            if not finer:
                end = units[j].end
                raise _no_room(publish(s[pos:end], index, end == n), length, limit)
            units[j:j] = finer
            continue
        b = _better_end(units, j, k, pos)
        if b != k and not fits(b):  # a length that does not grow with the text
            b = k
        chosen.append(units[b])
        pos, j, index, hint = units[b].resume, b + 1, index + 1, b - j
    return chosen


#: The units of a segment for a room, with their sizes and the whitespace
#: after each: by segment index and room.
_UnitsMemo = dict[tuple[int, int], tuple[list[_Cut], list[int], list[int]]]


class _Misestimate(Exception):
    """An estimated thread does not hold when measured: it is packed again exactly."""


def _estimator(
    seg: _Segment, length: Length, short: Length, slices: SliceLength | None = None
) -> SliceLength:
    """Estimated lengths of the pieces ``(a, b)`` of one segment, each part measured once.

    With ``slices`` (one analysis of the segment), every piece is estimated by
    it. Without, each sentence (a text between cuts of rank sentence or better)
    and each run of whitespace between two sentences is measured once; a piece
    made of whole sentences is estimated by the sum of its sentences and
    whitespace. Any other piece (a word, part of a word) is measured, once.
    """
    s = seg.text
    memo: dict[tuple[int, int], int] = {}
    if slices is not None:
        # The units are estimated while found, then packed: each slice once.
        def of_slices(a: int, b: int) -> int:
            size = memo.get((a, b))
            if size is None:
                size = memo[a, b] = slices(a, b)
            return size

        return of_slices
    bounds = seg.sentence_cuts
    starts = [0, *(c[1] for c in bounds)]
    stops = [*(c[0] for c in bounds), len(s)]
    # before[i]: the estimated length of the text before sentence i.
    before: list[int] = []
    sizes: list[int] = []
    total = 0
    for i, (a, b) in enumerate(zip(starts, stops, strict=True)):
        before.append(total)
        size = length(s[a:b])
        sizes.append(size)
        total += size + (short(s[b : bounds[i][1]]) if i < len(bounds) else 0)

    def of_sums(a: int, b: int) -> int:
        i = bisect.bisect_left(starts, a)
        if i < len(starts) and starts[i] == a:
            j = bisect.bisect_left(stops, b, i)
            if j < len(stops) and stops[j] == b:
                return before[j] - before[i] + sizes[j]
        size = memo.get((a, b))
        if size is None:
            size = memo[a, b] = length(s[a:b])
        return size

    return of_sums


def _pack_estimated(
    seg: _Segment,
    estimate: SliceLength,
    units: list[_Cut],
    sizes: list[int],
    gaps: list[int],
    short: Length,
    total: int,
    tail: int,
    limit: int,
    first: int,
) -> tuple[list[_Cut], list[int]]:
    """:func:`_pack` by estimates: the cuts ending the posts, and their bodies' estimates.

    ``sizes`` and ``gaps`` are the estimates of the units and of the whitespace
    after each (``units``, ``sizes`` and ``gaps`` grow where a unit is split). A
    post is estimated as the sum of its units, the whitespace between them, its
    label (numbering with ``total``) and, ending the segment, ``tail``. Raises
    :class:`_Misestimate` where :func:`_pack` would find no room (the estimate
    may be wrong).
    """
    s = seg.text
    chosen: list[_Cut] = []
    bodies: list[int] = []
    pos, j, index = 0, 0, first
    last = len(units) - 1
    while j <= last:
        room = limit - short(_label(index, total))
        size = sizes[j]
        if size + (tail if j == last else 0) > room:
            finer = seg.finer(pos, units[j][0])
            if not finer:
                raise _Misestimate
            pieces = zip([pos, *(c[1] for c in finer)], [*finer, units[j]], strict=True)
            sizes[j : j + 1] = [estimate(a, c[0]) for a, c in pieces]
            gaps[j:j] = [short(s[c[0] : c[1]]) for c in finer]
            units[j:j] = finer
            last = len(units) - 1
            continue
        k = j
        while k < last:
            more = size + gaps[k] + sizes[k + 1]
            if more + (tail if k + 1 == last else 0) > room:
                break
            size = more
            k += 1
        b = _better_end(units, j, k, pos) if units[k][2] == _RANK_WORD else k
        if b != k:
            size = sizes[j]
            for i in range(j, b):
                size = size + gaps[i] + sizes[i + 1]
        chosen.append(units[b])
        bodies.append(size)
        pos, j, index = units[b][1], b + 1, index + 1
    return chosen, bodies


def split_thread(
    text: str,
    length: Length,
    limit: int,
    *,
    numbering: bool = True,
    last_suffix: str = "",
    slices: Callable[[str], SliceLength | None] | None = None,
    exact: bool = False,
    quiet: Sequence[str] = (),
) -> Fitted:
    """``text`` as a thread of posts, each with ``length(post) <= limit``.

    Each post is ``body + label``, and the last one ``body + label + last_suffix``
    where ``label`` is ``f" {i}/{n}"`` (a space, the post's number from 1, a
    slash, the number of posts) when ``numbering``, else ``""``. The labels are
    counted against the limit; the number of posts is not known in advance, so
    the text is packed again when a guess of it turns out wrong.

    - A line holding only ``---`` forces a new post and is removed; no post
      spans one. ``forced_breaks`` counts the breaks it made.
    - A text without ``---`` break that fits with ``last_suffix`` in one post is
      one post, ``text.strip() + last_suffix``, without a label.
    - Otherwise posts are packed greedily from units: a paragraph that fits in a
      post on its own is a unit, one that does not gives its sentences as
      units, a sentence that does not its words, a word its pieces between
      no-break spaces, after ``、``, then its graphemes (emoji sequences and
      flags stay whole; URLs, hashtags and mentions are cut only when one alone
      is longer than the limit). Each post takes as many units as fit; the
      whitespace inside a post (paragraph breaks included) is kept as it was,
      the whitespace at a cut is removed.
    - A post that would end at a word boundary (inside a sentence) ends instead
      at the last paragraph boundary in it if that keeps at least 2/3 of the
      post's characters, else at the last sentence boundary in it if that keeps
      at least 2/3, else at the word boundary: ``"Hi.\\n\\nShort.\\n\\nA much
      longer paragraph..."`` gives a first post ``"Hi.\\n\\nShort."``, not one
      ending with the ``"A"`` of the next paragraph. The rest of the thread is
      packed from there the same way.

    What holds: the bodies (posts without label and suffix) are non-empty slices
    of ``text``, in order, without leading or trailing whitespace, and only
    whitespace and ``---`` lines lie between two of them. Hence, with
    ``squeeze = lambda s: "".join(s.split())`` and
    ``collapse = lambda s: " ".join(s.split())``::

        squeeze("".join(bodies)) == squeeze(remove_break_markers(text))  # always
        collapse(" ".join(bodies)) == collapse(remove_break_markers(text))

    the second whenever every cut fell at whitespace (no hard cut, no cut after
    ``。`` or ``、`` written without a space).

    ``slices`` (optional) makes the estimates cheaper: given a text, it returns a
    function estimating the length of the text's slices (such as
    :func:`~crosspost_adapt.text.counting.count_slices`), or None. Only the
    estimates change: every post is still measured with ``length`` as published,
    unless ``exact`` is true. ``exact`` is the caller's promise that the slice
    lengths are never short of ``length``: for a slice of the text bounded on
    each side by an end of the text or a space, tab or line break, with no
    grapheme cluster across either bound, ``length`` of the slice followed by the
    label and the last suffix is at most its slice length plus theirs (as
    :func:`~crosspost_adapt.text.counting.count` and ``count_slices`` do, the
    byte limit aside). A post whose body is such a slice, and does not end with
    a character that joins the space after it (a prepended mark), is then not
    measured again.

    ``quiet``: texts whose final marks end no sentence, such as links shown
    short (``example.com/articles/202...``): a post does not end after one as if
    a sentence ended there.

    Raises ``ValueError``: ``"nothing to fit"`` for a text that is empty or holds
    only whitespace and ``---`` lines; ``"no room for the text"`` when one
    grapheme with its label and suffix is over the limit (the message gives the
    post, its length and the limit); when ``last_suffix`` alone is over it.
    """
    _check_limit(limit)
    if "---" in text:
        segments = [seg.strip() for seg in _BREAK_MARKER.split(text)]
        segments = [seg for seg in segments if seg]
    else:  # no break line (the split would give the text whole)
        stripped = text.strip()
        segments = [stripped] if stripped else []
    if not segments:
        raise ValueError("nothing to fit: the text is empty or only whitespace and '---' lines")
    suffix_length = length(last_suffix)
    if suffix_length > limit:
        raise ValueError(
            f"the last suffix alone measures {suffix_length}, over the limit of {limit}"
        )
    forced = len(segments) - 1
    if not forced and length(segments[0] + last_suffix) <= limit:
        return Fitted((segments[0] + last_suffix,), None, (), 0)

    # Each whitespace run and label is measured once (they repeat); the last
    # suffix is measured already, and "" counts 0 whatever ``length`` says.
    measured: dict[str, int] = {last_suffix: suffix_length, "": 0}

    def short(s: str) -> int:
        size = measured.get(s)
        if size is None:
            size = measured[s] = length(s)
        return size

    # (only the texts the segments hold: most posts have none)
    prepared = [_Segment(seg, [q for q in quiet if q in seg]) for seg in segments]
    rulers = [None if slices is None else slices(seg.text) for seg in prepared]
    estimates = [
        _estimator(seg, length, short, ruler) for seg, ruler in zip(prepared, rulers, strict=True)
    ]
    # A first guess of the number of posts, from the length of the whole text;
    # only the number of its digits matters to the usual length functions.
    whole = sum(of(0, len(seg.text)) for of, seg in zip(estimates, prepared, strict=True))
    guess = max(len(segments), -(-whole // max(limit, 1))) if numbering else 0
    # The units of each segment for a room (packing again with another number
    # of posts usually leaves the room, and so the units, as they were).
    units_memo: _UnitsMemo = {}

    # Packed first by estimates (each sentence measured once), then every post
    # measured as published (but those ``exact`` slice lengths vouch for);
    # exactly, measuring every candidate, only when one is over the limit (a
    # length function far from additive).
    # (segment, start, end) of each body of the last packing: the one _settle returns.
    spans: list[tuple[int, int, int]] = []

    def pack_estimated(total: int) -> tuple[list[str], tuple[str, ...], Callable[[int], bool]]:
        bodies, hard, sizes = _pack_thread(
            prepared,
            length,
            limit,
            total,
            last_suffix,
            estimated=(estimates, short, units_memo),
            spans=spans,
        )

        def fits(total: int) -> bool:
            last = len(sizes) - 1
            return all(
                size + short(_label(i + 1, total)) + (suffix_length if i == last else 0) <= limit
                for i, size in enumerate(sizes)
            )

        return bodies, hard, fits

    def pack_exact(total: int) -> tuple[list[str], tuple[str, ...], Callable[[int], bool]]:
        bodies, hard, _ = _pack_thread(prepared, length, limit, total, last_suffix)

        def fits(total: int) -> bool:
            return all(length(p) <= limit for p in _publish_all(bodies, total, last_suffix))

        return bodies, hard, fits

    try:
        settled = _settle(pack_estimated, guess, numbering)
    except _Misestimate:
        settled = None
    if settled is not None:
        bodies, hard, total = settled
        posts = _publish_all(bodies, total, last_suffix)
        last = len(posts) - 1
        if all(
            (
                exact
                and _vouched(prepared, rulers, spans[i])
                <= limit - short(_label(i + 1, total)) - (suffix_length if i == last else 0)
            )
            or length(post) <= limit
            for i, post in enumerate(posts)
        ):
            return Fitted(tuple(posts), None, hard, forced)
    settled = _settle(pack_exact, guess, numbering)
    if settled is None:
        raise ValueError(f"the numbering of the thread does not settle under the limit of {limit}")
    bodies, hard, total = settled
    return Fitted(tuple(_publish_all(bodies, total, last_suffix)), None, hard, forced)


#: Whitespace that ends every URL, mention and tag and joins no grapheme cluster
#: with what follows it: a slice bounded by it is measured by ``exact`` slices.
_CLEAN_SPACE: Final = frozenset(" \t\n\r")


def _vouched(
    segments: Sequence[_Segment],
    rulers: Sequence[SliceLength | None],
    span: tuple[int, int, int],
) -> int:
    """The length of the body ``span`` (segment, start, end) by its segment's
    slice lengths, where they give it exactly: the body's edges are the
    segment's ends or clean whitespace, no grapheme cluster crosses its start,
    and its last character joins no space after it (whatever follows the body,
    in the text or in the post); else a length over any limit (the body must be
    measured)."""
    n, a, b = span
    ruler = rulers[n]
    s = segments[n].text
    if (
        ruler is None
        or (a > 0 and (s[a - 1] not in _CLEAN_SPACE or not _ends_grapheme(s, a)))
        or (b < len(s) and (s[b] not in _CLEAN_SPACE or not _ends_grapheme(s, b)))
        or not _ends_grapheme(s[b - 1] + " ", 1)  # a prepended mark joins what follows
        or (a > 0 and not s[a].isascii() and _dotted_word(s, a, b))
    ):
        return sys.maxsize
    return ruler(a, b)


def _dotted_word(s: str, a: int, b: int) -> bool:
    """Whether the first word of ``s[a:b]`` holds a dot: where it starts with a
    non-ASCII letter, a URL in it may start after that letter at the start of a
    post and at it after a space (X's grammar), so its length differs."""
    end = s.find(" ", a, b)
    return s.find(".", a, b if end < 0 else end) >= 0


def _settle(
    pack: Callable[[int], tuple[list[str], tuple[str, ...], Callable[[int], bool]]],
    guess: int,
    numbering: bool,
) -> tuple[list[str], tuple[str, ...], int] | None:
    """Bodies, hard cuts and number of posts (0 without numbering) of a thread.

    ``pack(total)`` packs the thread with the labels of ``total`` posts and gives
    the bodies, the hard cuts and a test of whether the posts fit with the
    labels of another total. ``None`` when the numbering does not settle.
    """
    if not numbering:
        bodies, hard, _ = pack(0)
        return bodies, hard, 0
    tried: set[int] = set()
    for _ in range(64):
        bodies, hard, fits = pack(guess)
        total = len(bodies)
        narrower = len(str(total)) < len(str(guess)) and len(str(total)) not in tried
        if not narrower and (total == guess or fits(total)):
            return bodies, hard, total
        # Pack again with the labels of the real number of posts (or, when the
        # wider labels of the guess gave fewer posts, try the narrower ones once).
        tried.add(len(str(guess)))
        guess = total if total != guess else guess + 1
    return None


def _label(index: int, total: int) -> str:
    return f" {index}/{total}" if total else ""


def _publish_all(bodies: Sequence[str], total: int, last_suffix: str) -> list[str]:
    last = len(bodies) - 1
    return [
        body + _label(i + 1, total) + (last_suffix if i == last else "")
        for i, body in enumerate(bodies)
    ]


def _pack_thread(
    segments: Sequence[_Segment],
    length: Length,
    limit: int,
    total: int,
    last_suffix: str,
    *,
    estimated: tuple[Sequence[SliceLength], Length, _UnitsMemo] | None = None,
    spans: list[tuple[int, int, int]] | None = None,
) -> tuple[list[str], tuple[str, ...], list[int]]:
    """Bodies of the posts and the words cut inside, numbering with ``total`` (0: none).

    Measuring every candidate, or with ``estimated`` (the estimates of the
    segments, the measure of whitespace and labels, and a memo of the units of
    a segment for a room) by estimates, then also giving the estimated length
    of each body. ``spans``, when given, is filled with the place of each body:
    its segment's index, its start and its end in the segment.
    """
    probe = _label(total, total)
    if spans is not None:
        spans.clear()
    bodies: list[str] = []
    sizes: list[int] = []
    hard: list[str] = []
    for n, seg in enumerate(segments):
        s = seg.text
        last_segment = n == len(segments) - 1
        if estimated is None:

            def publish(
                body: str, index: int, at_end: bool, last_segment: bool = last_segment
            ) -> str:
                tail = last_suffix if last_segment and at_end else ""
                return body + _label(index, total) + tail

            def measured_alone(a: int, b: int, s: str = s) -> int:
                return length(s[a:b] + probe)

            units = _units(seg, measured_alone, limit)[0]
            chosen = _pack(seg, units, publish, length, limit, len(bodies) + 1)
        else:
            estimate, short, units_memo = estimated[0][n], estimated[1], estimated[2]
            room = limit - short(probe)
            found = units_memo.get((n, room))
            if found is None:
                cuts, measured = _units(seg, estimate, room)
                if None in measured:  # a grapheme not measured alone
                    starts = [0, *(c[1] for c in cuts[:-1])]
                    measured = [
                        estimate(a, c[0]) if size is None else size
                        for a, c, size in zip(starts, cuts, measured, strict=True)
                    ]
                gaps = [short(s[e:r]) for e, r, _ in cuts]
                found = units_memo[n, room] = (cuts, cast(list[int], measured), gaps)
            tail = short(last_suffix) if last_segment else 0
            chosen, estimated_sizes = _pack_estimated(  # on copies: it may split units
                seg,
                estimate,
                list(found[0]),
                list(found[1]),
                list(found[2]),
                short,
                total,
                tail,
                limit,
                len(bodies) + 1,
            )
            sizes += estimated_sizes
        start = 0
        last_word: tuple[int, int] | None = None
        for cut in chosen:
            bodies.append(s[start : cut[0]])
            if spans is not None:
                spans.append((n, start, cut[0]))
            if cut[2] >= _RANK_WEAK:
                word = seg.word_at(cut)
                if word != last_word:
                    hard.append(s[word[0] : word[1]])
                    last_word = word
            start = cut[1]
    return bodies, tuple(hard), sizes
