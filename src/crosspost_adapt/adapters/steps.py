"""The steps that turn a post into one platform's draft, and the runner.

Each step is a pure function ``step(work, rules) -> (work, changes)``: it takes
the draft in progress (:class:`Work`, frozen) and the platform's rules, and
returns the next draft in progress and the :class:`~crosspost_adapt.draft.Change`
records of what it altered. No I/O, no globals, no mutation. A platform declares
the tuple of steps it runs (most run :data:`STANDARD_STEPS`).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable
from operator import attrgetter, itemgetter
from typing import Any, Final, Literal, TypeVar, get_args
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import attrs
import regex

from crosspost_adapt.adapters.clones import jaccard, shingles, similarity
from crosspost_adapt.draft import Change, _change, source_name
from crosspost_adapt.errors import UNIT_NAMES, CannotFitError
from crosspost_adapt.model import MENTION_REFERENCE, UNPUBLISHABLE, Post, code_points
from crosspost_adapt.rules import PlatformRules, TextRules
from crosspost_adapt.text.counting import (
    count,
    count_slices,
    graphemes,
    utf8_length,
    utf16_length,
)
from crosspost_adapt.text.entities import (
    Entity,
    extract_hashtags,
    extract_mentions,
    extract_urls,
)
from crosspost_adapt.text.facets import (
    _MAX_TAG_LENGTH,
    Facet,
    _facet,
    _percent_encode,
    detect_facets,
    shorten_link_text,
)
from crosspost_adapt.text.fitting import remove_break_markers, split_thread, truncate
from crosspost_adapt.text.hashtags import _capitalize

__all__ = [
    "BLUESKY_STEPS",
    "LINKEDIN_STEPS",
    "STANDARD_STEPS",
    "UNPUBLISHABLE",
    "AdaptOptions",
    "Crop",
    "Overflow",
    "Step",
    "Work",
    "bluesky_facets",
    "compose",
    "escape_markup",
    "fit_text",
    "jaccard",
    "linkable",
    "little",
    "little_tag",
    "place_hashtags",
    "place_links",
    "place_media",
    "plain_little",
    "report_unplaced",
    "resolve_mentions",
    "run_steps",
    "shingles",
    "shorten_links",
    "similarity",
    "text_length",
]

Overflow = Literal["thread", "truncate", "error"]
Crop = Literal["auto", "center", "focus", "attention", "entropy", "pad"]
_CROPS: Final = get_args(Crop)


def _crop(value: object) -> None:
    if value not in _CROPS:
        raise ValueError(f"crop must be one of {', '.join(map(repr, _CROPS))}, not {value!r}")


def _colour(name: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not (
        isinstance(value, tuple)
        and len(value) == 3
        and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255 for v in value)
    ):
        raise ValueError(f"{name} must be an (r, g, b) tuple of 0..255, not {value!r}")


def _pixels(value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"max_pixels must be a positive number of pixels, not {value!r}")


def _flag(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be True or False, not {value!r}")


def _words(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    """Plain words written in the draft as they are: nothing there may make it fail
    its own check (a hashtag, mention or link counted against a cap, a character no
    platform accepts)."""
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a string, not {type(value).__name__}")
    bad = UNPUBLISHABLE.findall(value)
    if bad:
        raise ValueError(
            f"{attribute.name} holds characters no platform accepts ({code_points(bad)})"
        )
    for found, what in (
        (extract_hashtags(value), "a hashtag"),
        (extract_mentions(value), "a mention"),
        (extract_urls(value), "a link"),
    ):
        if found:
            raise ValueError(
                f"{attribute.name} must be plain words: {found[0].text!r} would be {what}"
            )


def _overflow(value: Overflow | None) -> Overflow | None:
    if value not in (None, "thread", "truncate", "error"):
        raise ValueError(f"overflow must be 'thread', 'truncate' or 'error', not {value!r}")
    return value


@attrs.frozen(kw_only=True)
class AdaptOptions:
    """How :func:`crosspost_adapt.adapt` adapts; every field is a keyword of ``adapt``.

    - ``overflow``: what to do with a text over the limit: ``"thread"``,
      ``"truncate"`` or ``"error"``; None: the platform's default (thread where
      the platform chains posts: X, Bluesky, Mastodon, Threads; else truncate).
    - ``numbering``: number thread parts ``1/N`` (counted against the limit).
    - ``utm``: add ``utm_source``, ``utm_medium`` and ``utm_campaign`` to the link.
    - ``link_in_bio``: the line that replaces links where they are not clickable.
    - ``hashtags_in_first_comment``: Instagram's hashtag block in the first comment.
    - ``ellipsis``: what ends a truncated text.
    - ``crop``: how an image is framed to a ratio the platform takes:
      ``"auto"`` (the focus point, else the centre; padded when a crop would cut
      more than a third), ``"center"``, ``"focus"``, ``"attention"``,
      ``"entropy"`` (content-aware) or ``"pad"``.
    - ``background``: the colour transparency is flattened onto for JPEG.
    - ``pad_color``: pad with this solid colour instead of a blurred copy.
    - ``caption_overlay``: burn the text into Snapchat's image, in a caption bar
      inside the safe zone.
    - ``cards``: make an image of the text where the platform needs an image
      (Instagram, Snapchat) and the post has none.
    - ``max_pixels``: the most pixels an input image may have (a larger one is
      refused as a possible decompression bomb).
    """

    overflow: Overflow | None = attrs.field(default=None, validator=lambda i, a, v: _overflow(v))
    numbering: bool = attrs.field(default=True, validator=_flag)
    utm: bool = attrs.field(default=True, validator=_flag)
    link_in_bio: str = attrs.field(default="Link in bio", validator=_words)
    hashtags_in_first_comment: bool = attrs.field(default=False, validator=_flag)
    ellipsis: str = attrs.field(default="\u2026", validator=_words)
    crop: Crop = attrs.field(default="auto", validator=lambda i, a, v: _crop(v))
    background: tuple[int, int, int] = attrs.field(
        default=(255, 255, 255), validator=lambda i, a, v: _colour("background", v)
    )
    pad_color: tuple[int, int, int] | None = attrs.field(
        default=None, validator=lambda i, a, v: _colour("pad_color", v, optional=True)
    )
    caption_overlay: bool = attrs.field(default=False, validator=_flag)
    cards: bool = attrs.field(default=True, validator=_flag)
    max_pixels: int = attrs.field(default=50_000_000, validator=lambda i, a, v: _pixels(v))


@attrs.frozen(kw_only=True, slots=False)
class Work:
    """The draft in progress, handed from step to step.

    A step returns ``work.but(field=value, ...)``: a copy with those fields
    changed, as ``attrs.evolve`` makes (which works too), several times cheaper.
    """

    platform: str
    post: Post
    options: AdaptOptions
    #: The text being written (without the closing hashtags and link line).
    body: str = ""
    #: Hashtags to add after the body, in priority order (without ``#``).
    end_tags: tuple[str, ...] = ()
    #: The post's link, written after the body (so that truncation keeps it).
    end_link: str | None = None
    #: A closing line such as "Link in bio".
    link_line: str | None = None
    first_comment: str | None = None
    links: tuple[str, ...] = ()
    #: Hashtags of the post that found no place (yet), in priority order.
    unplaced: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    facets: tuple[tuple[Any, ...], ...] = ()
    tags: tuple[str, ...] = ()
    #: Links shown shortened in the text: (visible text, full URI).
    short_links: tuple[tuple[str, str], ...] = ()
    #: Hashtags of ``unplaced`` left out for lack of room (not over the cap).
    no_room: tuple[str, ...] = ()
    #: The images made for the platform (``RenderedMedia``).
    media: tuple[Any, ...] = ()

    def but(self, **changes: Any) -> Work:
        """A copy of this work with ``changes`` (field names and new values)."""
        fields = self.__dict__.copy()
        fields.update(changes)
        if len(fields) != len(_WORK_FIELDS):  # a name that is no field was added
            unknown = sorted(changes.keys() - _WORK_FIELDS)
            raise TypeError(f"Work has no field {unknown[0]!r}")
        new = _new(Work)
        _set_attr(new, "__dict__", fields)  # past the frozen class's __setattr__
        return new


_new: Final = object.__new__
_set_attr: Final = object.__setattr__
_WORK_FIELDS: Final = frozenset(f.name for f in attrs.fields(Work))
#: A new work's fields, in order, with their defaults (every default is immutable).
_WORK_DEFAULTS: Final = {
    f.name: f.default for f in attrs.fields(Work) if f.default is not attrs.NOTHING
}


class _WorkInPlace(Work):
    """A work that a chain of the library's own steps changes in place.

    Each of those steps reads the work it is given, then returns
    ``work.but(...)`` and keeps no reference to it: one work can take every
    step's changes, instead of a copy per step. It is never handed to another
    step, nor returned to the caller.
    """

    def but(self, **changes: Any) -> Work:
        self.__dict__.update(changes)
        return self


Step = Callable[[Work, PlatformRules], tuple[Work, tuple[Change, ...]]]


def run_steps(
    steps: tuple[Step, ...], work: Work, rules: PlatformRules
) -> tuple[Work, tuple[Change, ...]]:
    """Run ``steps`` in order; return the last work and every change made."""
    if _own_chain(steps):
        scratch = _new(_WorkInPlace)
        _set_attr(scratch, "__dict__", work.__dict__.copy())
        done, changes = _run(steps, scratch, rules)
        work = _new(Work)
        _set_attr(work, "__dict__", done.__dict__)
        return work, changes
    return _run(steps, work, rules)


def _run_chain(
    steps: tuple[Step, ...],
    platform: str,
    post: Post,
    options: AdaptOptions,
    rules: PlatformRules,
) -> tuple[Work, tuple[Change, ...]]:
    """``run_steps`` from ``Work(platform=..., post=..., options=...)`` (made without
    attrs' generic ``__init__``), for a caller that only reads the work returned."""
    work = _new(_WorkInPlace if _own_chain(steps) else Work)
    _set_attr(
        work, "__dict__", {"platform": platform, "post": post, "options": options, **_WORK_DEFAULTS}
    )
    return _run(steps, work, rules)


def _run(
    steps: tuple[Step, ...], work: Work, rules: PlatformRules
) -> tuple[Work, tuple[Change, ...]]:
    changes: list[Change] = []
    for step in steps:
        work, made = step(work, rules)
        if made:
            changes += made
    return work, tuple(changes)


def text_length(rules: PlatformRules) -> Callable[[str], int]:
    """The length function of ``rules``: its unit, and its byte limit folded in.

    Where the platform also limits bytes (Bluesky), a text over the byte limit
    measures more than the limit, so that one function answers "does it fit".
    Each function remembers what it measured (fitting measures the same
    candidates more than once); make a new one per text. Short strings (thread
    labels, whitespace) are remembered for every function of the same rules.
    """
    return _lengths(rules)[0]


def _lengths(rules: PlatformRules) -> tuple[Callable[[str], int], dict[str, int]]:
    """:func:`text_length`, and the dict of what it remembers (a caller that knows
    a text's length from elsewhere can put it there)."""
    text_rules = rules.text
    byte_limit = text_rules.byte_limit
    seen: dict[str, int] = {}
    short = _short_lengths(text_rules)

    def length(s: str) -> int:
        n = seen.get(s)
        if n is None:
            n = short.get(s) if len(s) <= _SHORT_TEXT else None
            if n is None:
                n = count(s, text_rules)
                if byte_limit is not None and utf8_length(s) > byte_limit:
                    n = max(n, text_rules.limit + 1)
                if len(s) <= _SHORT_TEXT and len(short) < 4096:
                    short[s] = n
            if len(seen) < 4096:
                seen[s] = n
        return n

    return length, seen


#: Strings this short (thread labels such as `` 2/3``, the whitespace between
#: sentences) are measured once per set of text rules, not once per text.
_SHORT_TEXT: Final = 16
_SHORT_LENGTHS: dict[int, tuple[object, dict[str, int]]] = {}


def _short_lengths(text_rules: TextRules) -> dict[str, int]:
    """The lengths of short strings under ``text_rules``, remembered."""
    return _memo_of(_SHORT_LENGTHS, text_rules)


_K = TypeVar("_K")
_V = TypeVar("_V")


def _memo_of(memos: dict[int, tuple[object, dict[_K, _V]]], rules: object) -> dict[_K, _V]:
    """The memo of ``rules`` in ``memos``, made empty the first time. Looked up by
    identity (hashing a rules object on every call would cost more than what is
    remembered), for at most 64 rules objects."""
    entry = memos.get(id(rules))
    if entry is None or entry[0] is not rules:
        if len(memos) >= 64:
            memos.clear()
        entry = memos[id(rules)] = (rules, {})
    return entry[1]


# --------------------------------------------------------------------------- compose


def compose(work: Work, rules: PlatformRules) -> tuple[Work, tuple[Change, ...]]:
    """Start from the platform's variant or the post's text; drop unpublishable characters."""
    post = work.post
    # Work.platform is a canonical name, as the keys of variants are.
    text = post.variants.get(work.platform, post.text) if post.variants else post.text
    found = _COMPOSED.get(text)
    if found is None:
        found = _remember(_COMPOSED, text, _composed(text))
    body, changes = found
    return work.but(body=body), changes


#: What :func:`_composed` made of the last texts: every platform of a post
#: starts from the same text (a dict emptied when full: bounded).
_COMPOSED: dict[str, tuple[str, tuple[Change, ...]]] = {}
_MEMO_SIZE: Final = 64


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> _V:
    """Put ``value`` in ``memo`` under ``key`` (emptied first when full); return it."""
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


def _composed(text: str) -> tuple[str, tuple[Change, ...]]:
    """``text`` without unpublishable characters, and the change saying so."""
    bad = () if text.isascii() else UNPUBLISHABLE.findall(text)
    if not bad:
        return text, ()
    change = _change(
        "character-removed",
        f"removed {len(bad)} character(s) no platform accepts ({code_points(bad)})",
        "".join(bad),
    )
    return UNPUBLISHABLE.sub("", text), (change,)


# --------------------------------------------------------------------------- mentions


#: ``MENTION_REFERENCE`` for the standard engine, which finds it faster.
_REFERENCE: Final = re.compile(MENTION_REFERENCE.pattern)


@functools.lru_cache(maxsize=256)
def _mention_events(body: str) -> tuple[tuple[int, int, str, str], ...]:
    """The ``@{key}`` references (``"ref"``) and typed ``@handles`` (``"raw"``) of
    ``body`` in text order (the same for every platform of a post: remembered)."""
    references = [(m.start(), m.end(), "ref", m.group(1)) for m in _REFERENCE.finditer(body)]
    if body.count("@") == len(references) and "\uff20" not in body:
        return tuple(references)  # every at sign starts a reference: no typed mention
    # Raw @handles typed in the text count against the cap, in text order.
    raw = extract_mentions(_REFERENCE.sub(lambda m: " " * len(m.group()), body))
    return tuple(sorted(references + [(e.start, e.end, "raw", e.value) for e in raw]))


def resolve_mentions(work: Work, rules: PlatformRules) -> tuple[Work, tuple[Change, ...]]:
    """Write each ``@{key}`` in the platform's syntax, or as the display name.

    The display name is used where the platform has no mention syntax or no
    handle is known for it (``mention-unresolved``), and past the platform's
    mention cap (``mention-capped``), which also applies to ``@handles`` typed
    in the text.
    """
    body = work.body
    if "@" not in body and "\uff20" not in body:
        return work, ()  # no reference, no typed mention
    syntax = rules.mentions.syntax
    cap = rules.mentions.max_count
    changes: list[Change] = []
    used = 0
    out: list[str] = []
    pos = 0
    for start, end, kind, value in _mention_events(body):
        out.append(body[pos:start])
        pos = end
        if kind == "raw":
            if cap is not None and used >= cap:
                out.append(value)
                changes.append(
                    _change(
                        "mention-capped",
                        f"wrote @{value} as plain text: {rules.display_name} shows at most "
                        f"{cap} mentions",
                        "@",
                        {"measured": used + 1, "limit": cap, "unit": "mentions"},
                    )
                )
            else:
                used += 1
                out.append(body[start:end])
            continue
        mention = work.post.mentions[value]
        handle = mention.handles.get(work.platform)  # Work.platform is canonical
        written: str | None = None
        #: Why a handle given cannot be written (None: it can, or there is none).
        unfit: str | None = None
        if syntax in ("handle", "fediverse") and handle:
            pattern = rules.mentions.handle_pattern
            if pattern is None or _handle_matcher(pattern)(handle):
                written = f"@{handle}"
            else:
                unfit = f"{handle!r} is no {rules.display_name} handle"
        elif syntax == "linkedin" and handle and handle.startswith("urn:li:"):
            if _NOT_IN_LITTLE_MENTION.search(mention.name) is None:
                written = f"@[{mention.name}]({handle})"
            else:
                unfit = (
                    f"{rules.display_name}'s mention markup cannot hold its [, ], \\ or line break"
                )
        if written is not None and cap is not None and used >= cap:
            changes.append(
                _change(
                    "mention-capped",
                    f"wrote {_plain_name(mention.name)} instead of {written}: "
                    f"{rules.display_name} shows "
                    f"at most {cap} mentions",
                    written,
                    {"measured": used + 1, "limit": cap, "unit": "mentions"},
                )
            )
            written = None
        elif written is None:
            made = _changes_made(rules)
            key = ("unresolved", mention.name, unfit)
            change = made.get(key)
            if change is None:
                if unfit is not None:
                    reason = unfit
                elif syntax in ("name", "none"):
                    reason = f"{rules.display_name} has no mention syntax"
                else:
                    reason = f"no {rules.display_name} handle is known for them"
                change = _remember(
                    made,
                    key,
                    _change(
                        "mention-unresolved",
                        f"wrote {_plain_name(mention.name)} as plain text: {reason}",
                    ),
                )
            changes.append(change)
        else:
            used += 1
            if written[0] == "@" and _GLUES_TO_HANDLE.match(body, end):
                # Written right before a letter, a digit, "_" or another mention,
                # the handle would run on into another account's ("@ana" + "Cy").
                written += " "
        out.append(written if written is not None else _plain_name(mention.name))
    out.append(body[pos:])
    return work.but(body="".join(out)), tuple(changes)


@functools.lru_cache(maxsize=64)
def _handle_matcher(pattern: str) -> Callable[[str], object]:
    """Whether a handle matches ``pattern`` whole (``MentionRules.handle_pattern``)."""
    return re.compile(pattern).fullmatch


#: What a name in LinkedIn's mention markup ``@[name](urn)`` cannot hold: the
#: bracket that ends it, an escape, a line break.
_NOT_IN_LITTLE_MENTION: Final = re.compile(r"[\[\]\\\n\r]")

#: What a handle written before it would take in (X's and Mastodon's usernames
#: are ASCII letters, digits and "_"; an at sign would start no mention).
_GLUES_TO_HANDLE: Final = re.compile(r"[A-Za-z0-9_@\uff20]")


def _plain_name(name: str) -> str:
    """``name`` written as plain text: without the at sign of a mention in it
    ("Ana @home" would mention someone else, and count against a mention cap)."""
    if "@" not in name and "\uff20" not in name:
        return name
    for m in reversed(extract_mentions(name)):
        name = name[: m.start] + name[m.start + 1 :]
    return name


# --------------------------------------------------------------------------- links


def _absolute(url: str) -> str:
    """``url`` with a scheme (``example.com/menu`` -> ``https://example.com/menu``)."""
    return url if "://" in url else f"https://{url}"


def with_utm(url: str, platform: str, campaign: str | None) -> str:
    """``url`` with utm_source, utm_medium=social and utm_campaign, unless it has utm.

    The parameters are appended to the query as it is written, so the rest of
    the URL keeps its exact spelling.
    """
    return _with_utm(url, platform, campaign)


@functools.lru_cache(maxsize=1024)
def _with_utm(url: str, platform: str, campaign: str | None) -> str:
    # Remembered: a day of posts tags the same few links for the same platforms.
    parts = urlsplit(url)
    if any(k.lower().startswith("utm_") for k, _ in parse_qsl(parts.query, keep_blank_values=True)):
        return url
    utm = [("utm_source", platform), ("utm_medium", "social")]
    if campaign:
        utm.append(("utm_campaign", campaign))
    query = f"{parts.query}&{urlencode(utm)}" if parts.query else urlencode(utm)
    return urlunsplit(parts._replace(query=query))


@functools.lru_cache(maxsize=1024)
def _tagged(url: str, platform: str, campaign: str | None) -> tuple[str, Change | None]:
    """``_with_utm(url, platform, campaign)``, and its ``link-tagged`` change (None
    when the URL already has utm parameters): remembered with it (a change is
    immutable), as every post of a campaign tags the same link."""
    tagged = _with_utm(url, platform, campaign)
    if tagged == url:
        return url, None
    return tagged, _change("link-tagged", f"added utm parameters to {url}", None, {"url": tagged})


@functools.lru_cache(maxsize=1024)
def linkable(url: str) -> str:
    """``url`` in a form that the platforms' link detection takes whole.

    twitter-text's grammar (X's, and Mastodon's) ends a URL at a character it does
    not take in a path (``パ``), or before a dot or ``!`` that ends the path: the
    rest (the utm parameters too) would be plain text, and the link would lead
    elsewhere. Such characters after the host are percent-encoded (UTF-8), which
    leaves the address the same; the host, and a URL already taken whole, are
    left as they are.
    """
    if _taken_to(url) == len(url):
        return url
    parts = urlsplit(url)
    after = len(url) - len(urlunsplit(parts._replace(scheme="", netloc="")))
    out = url[:after] + _percent_encode(url[after:], frozenset())
    for _ in range(len(out)):
        end = _taken_to(out)
        if end == len(out) or end < after or out[end] == "%":
            break  # whole; or ended in the host, or where encoding cannot help
        out = out[:end] + _percent_encode(out[end], frozenset(out[end])) + out[end + 1 :]
    return out


def _taken_to(url: str) -> int:
    """Where the link detection ends the URL ``url`` starts with (-1: none, or more
    than one URL in it)."""
    found = extract_urls(url)
    return found[0].end if len(found) == 1 and found[0].start == 0 else -1


def _over_a_post(url: str, rules: PlatformRules) -> int | None:
    """The length of ``url`` when it is longer than a whole post of the platform
    (Threads counts every character of a link), else None. (No unit counts a
    character of a link more than 4: a shorter one is not measured.)"""
    limit = rules.text.limit
    if 4 * len(url) <= limit:
        return None
    size = count(url, rules.text)
    return size if size > limit else None


#: Brackets and quotes left empty when what they held is taken out: they go too.
_ENCLOSING: Final = {"(": ")", "[": "]", "{": "}", "<": ">", '"': '"', "'": "'", "\u201c": "\u201d"}


def _remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without ``spans``, each taking one adjacent space with it so that no
    double space or space at a line's edge is left; the rest is untouched.

    What a span leaves empty goes with it: the brackets or quotes right around it
    (``menu (URL) is`` gives ``menu is``), and the line it filled (with one of the
    blank lines around it, where there is one on each side).
    """
    out: list[str] = []
    tail = ""  # the last two characters written so far
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        before = text[pos:start]
        closing = _ENCLOSING.get(before[-1:])
        if closing is not None and text[end : end + 1] == closing:
            before = before[:-1]
            end += 1
        after_char = text[end : end + 1]
        behind = (tail + before)[-2:]
        line_start = not behind or behind.endswith("\n")
        if line_start and after_char in ("\n", ""):
            # The span was the whole line: the line goes, and where a blank line is
            # on each side (or the text starts), one of them.
            if after_char == "\n":
                end += 1
                if text[end : end + 1] == "\n" and behind in ("", "\n", "\n\n"):
                    end += 1
            else:
                before = before.rstrip("\n")
        elif before.endswith((" ", "\t")) and (
            after_char in (" ", "\t", "\n", "") or after_char in ",.;:!?)]\u2026"
        ):
            before = before[:-1]
        elif after_char in (" ", "\t") and line_start:
            end += 1
        out.append(before)
        tail = (tail + before)[-2:]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def place_links(work: Work, rules: PlatformRules) -> tuple[Work, tuple[Change, ...]]:
    """Tag the post's link, then write it in the text or hand it back to attach.

    Where links are clickable the link is written in the text (where it already
    is, or at the end); elsewhere every URL leaves the text for ``draft.links``
    and a "Link in bio" line (Instagram) or nothing (Snapchat's link sticker)
    takes its place. Links past the platform's cap move to ``draft.links`` too.
    """
    post = work.post
    body = work.body
    changes: list[Change] = []
    link = post.link
    urls = extract_urls(body)
    if link is not None and work.options.utm:
        tagged, tagging = _tagged(link, work.platform, post.campaign)
        if tagging is not None:
            changes.append(tagging)
            written_before = body
            for u in reversed(urls):
                if u.text == link:  # the link itself, not a longer URL starting with it
                    body = body[: u.start] + tagged + body[u.end :]
            if body is not written_before:
                urls = extract_urls(body)
        link = tagged
    written = link is not None and any(u.text == link for u in urls)
    end_link = link if link is not None and not written and rules.links.clickable else None
    if end_link is not None:
        encoded = linkable(end_link)
        if encoded != end_link:
            changes.append(
                _change(
                    "link-encoded",
                    f"percent-encoded characters of {end_link} that would end the link early",
                    None,
                    {"url": encoded},
                )
            )
            end_link = encoded
    links: list[str] = list(work.links)
    if not rules.links.clickable:
        where = "the link in bio" if rules.links.handling == "link-in-bio" else "a link sticker"
        for url in urls:
            changes.append(
                _change(
                    "link-moved",
                    f"took {url.text} out of the text: links are not clickable on "
                    f"{rules.display_name}; attach it as {where}",
                    url.text,
                )
            )
        keep = [_absolute(u.value) for u in urls]
        if link is not None:
            keep.insert(0, link)
        for kept_url in keep:
            if kept_url not in links:
                links.append(kept_url)
        if urls:
            body = _remove_spans(body, [(u.start, u.end) for u in urls])
        body = body.strip()
        line = work.options.link_in_bio if rules.links.handling == "link-in-bio" else None
        return (
            work.but(body=body, links=tuple(links), link_line=line if links else None),
            tuple(changes),
        )
    if rules.links.display_path_max is None:
        # A URL longer than a whole post (Threads counts every character of it)
        # would be cut across posts, and lead nowhere: it is handed back to
        # attach. (Where links are shown short, none is that long.)
        size = None if end_link is None else _over_a_post(end_link, rules)
        if end_link is not None and size is not None:
            links.append(end_link)
            changes.append(
                _change(
                    "link-moved",
                    f"kept {end_link[:60]}... in the links to attach: it is longer than a "
                    f"whole post ({size:,} of {rules.text.limit:,} "
                    f"{UNIT_NAMES[rules.text.unit]})",
                    end_link,
                    {"measured": size, "limit": rules.text.limit, "unit": rules.text.unit},
                )
            )
            end_link = None
        long_urls = [u for u in urls if _over_a_post(u.text, rules) is not None]
        if long_urls:
            body = _remove_spans(body, [(u.start, u.end) for u in long_urls])
            for u in long_urls:
                value = _absolute(u.value)
                if value not in links:
                    links.append(value)
                changes.append(
                    _change(
                        "link-moved",
                        f"took {u.text[:60]}... out of the text: it is longer than a whole "
                        f"{rules.display_name} post; attach it by hand",
                        u.text,
                    )
                )
            urls = [u for u in urls if u not in long_urls]
    cap = rules.links.max_links
    if cap is not None:
        # The post's own link comes first: it is the one the post promotes.
        distinct: list[str] = [end_link] if end_link is not None else []
        for u in urls:
            if u.value not in distinct:
                distinct.append(u.value)
        over = set(distinct[cap:])
        if over:
            body = _remove_spans(body, [(u.start, u.end) for u in urls if u.value in over])
        for value in distinct[cap:]:
            links.append(value)
            changes.append(
                _change(
                    "link-moved",
                    f"took {value} out of the text: {rules.display_name} shows at most {cap} links",
                    value,
                    {"measured": len(distinct), "limit": cap, "unit": "links"},
                )
            )
    return work.but(body=body, links=tuple(links), end_link=end_link), tuple(changes)


# --------------------------------------------------------------------------- hashtags


@functools.lru_cache(maxsize=512)
def _word_pattern(tag: str) -> regex.Pattern[str]:
    # Not after an apostrophe either: "d'automne" is not the word "automne" to tag;
    # nor the start of an e-mail address, a file or host name ("brunch.pdf").
    return regex.compile(
        rf"(?<![\w#＃@＠$/.&'’-]){regex.escape(tag)}(?![\w@＠-]|[./:]\w)", regex.IGNORECASE
    )


@functools.lru_cache(maxsize=256)
def _fold(tag: str) -> str:
    """``tag`` casefolded in NFC, as a post's tags are (a hashtag written in the
    text may be decomposed: ``cafe\u0301`` is ``café``)."""
    return tag.casefold() if tag.isascii() else unicodedata.normalize("NFC", tag).casefold()


def _wanted_tags(campaign: str | None, hashtags: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """The tags a post wants, the campaign's first, and the campaign casefolded
    (the same for every platform of a post: remembered)."""
    folded = (campaign or "").casefold()
    wanted = [] if campaign is None else [campaign]
    wanted.extend(t for t in hashtags if t.casefold() != folded)
    return tuple(wanted), folded


#: Rounds of writing tags of the text as plain words (each takes away at least
#: one '#'; a second round is for a tag the first one let start).
_UNMARK_ROUNDS: Final = 8


def _unmark(
    body: str,
    unmark: list[Entity],
    cap: int | None,
    rules: PlatformRules,
    changes: list[Change],
    first: str | None = None,
) -> str:
    """``body`` with the tags ``unmark`` written as plain words (``hashtag-unmarked``),
    or left out (``hashtag-dropped``) where the plain word would make a link.
    ``first``: the campaign tag, when a place under the cap is kept for it."""
    most = f"at most {cap} hashtag(s)" + ("" if first is None else f", #{first} first")
    for e in sorted(unmark, key=lambda e: e.start, reverse=True):
        plain = body[: e.start] + body[e.start + 1 :]
        # (only a dot right after the tag can start a link with the plain word)
        if "." in body[e.end : e.end + 2] and len(extract_urls(plain)) > len(extract_urls(body)):
            body = body[: e.start] + body[e.end :]
            changes.append(
                _change(
                    "hashtag-dropped",
                    f"left out #{e.value}: {rules.display_name} gets {most}, "
                    "and as a plain word it would run on into a link",
                    e.text,
                    {"limit": cap or 0, "unit": "hashtags"},
                )
            )
            continue
        body = plain
        changes.append(
            _change(
                "hashtag-unmarked",
                f"wrote #{e.value} as the plain word {e.value}: {rules.display_name} gets {most}",
                e.text[0],
                {"limit": cap or 0, "unit": "hashtags"},
            )
        )
    return body


def place_hashtags(work: Work, rules: PlatformRules) -> tuple[Work, tuple[Change, ...]]:
    """Choose the hashtags the platform gets and where they go.

    The campaign tag first, then the post's tags in order; tags already in the
    text count (and are not repeated), but for one place kept for the campaign
    tag where the text does not hold it; past the platform's cap, tags of the
    text are written as plain words and the post's tags left out. On X a word of the
    text that is the tag becomes the hashtag; elsewhere tags go after the text.
    """
    post = work.post
    h = rules.hashtags
    body = work.body
    changes: list[Change] = []
    campaign = post.campaign
    wanted, folded_campaign = _wanted_tags(campaign, post.hashtags)
    cap = h.max_count
    campaign_only = h.campaign_only
    if campaign_only:
        cap = min(cap if cap is not None else 1, 1 if campaign else 0)

    # Tags the text already holds: they count first, the campaign's before others;
    # but the campaign has priority everywhere: where the text does not hold it,
    # one place under the cap is kept for it.
    in_text = extract_hashtags(body)
    kept_text: list[str] = []
    present: set[str] = set()
    if in_text:
        in_text.sort(key=lambda e: (_fold(e.value) != folded_campaign, e.start))
        room = cap
        first = None
        if (
            campaign is not None
            and cap
            and not campaign_only
            and _fold(in_text[0].value) != folded_campaign
            and not (h.placement == "facets" and utf16_length(campaign) > _MAX_TAG_LENGTH)
        ):
            room, first = cap - 1, campaign
        unmark: list[Any] = []
        for e in in_text:
            folded = _fold(e.value)
            if folded in present:
                continue
            allowed = room is None or len(kept_text) < room
            if campaign_only and folded != folded_campaign:
                allowed = False
            if allowed:
                kept_text.append(e.value)
                present.add(folded)
            else:
                unmark.append(e)
        # Written plain, a tag may run on into a link ("#f.com") or let a tag
        # after it start ("#f.com#g" as "f.com#g"): each is checked, and the text
        # looked at again until it holds no tag over the cap.
        for _ in range(_UNMARK_ROUNDS):
            if not unmark:
                break
            body = _unmark(body, unmark, cap, rules, changes, first)
            unmark = [e for e in extract_hashtags(body) if _fold(e.value) not in present]
    to_place = [t for t in wanted if t.casefold() not in present] if present else list(wanted)
    budget = None if cap is None else max(cap - len(kept_text), 0)
    eligible = [t for t in to_place if t == campaign] if campaign_only else to_place
    if h.placement == "facets" and any(len(t) > _MAX_TAG_LENGTH // 2 for t in eligible):
        # Over 64 UTF-16 units, a tag is no tag facet (Bluesky's detection skips
        # it): left for the post's tags field (``bluesky_facets``), or dropped.
        eligible = [t for t in eligible if utf16_length(t) <= _MAX_TAG_LENGTH]
    placed = eligible if budget is None else eligible[:budget]
    # The tags are distinct, and those placed are among those to place.
    unplaced = (
        () if len(placed) == len(to_place) else tuple([t for t in to_place if t not in placed])
    )

    end: list[str] = []
    inline = h.placement == "inline-or-end"
    for tag in placed:
        if inline:
            m = _inline_match(body, tag)
            if m is not None:
                word = m.group()
                body = f"{body[: m.start()]}#{word}{body[m.end() :]}"
                changes.append(_change("hashtag-inline", f"tagged the word {word!r} as #{word}"))
                continue
        end.append(_capitalize(tag) if h.camel_case else tag)
    return (
        work.but(body=body, end_tags=tuple(end), unplaced=work.unplaced + unplaced),
        tuple(changes),
    )


def _inline_match(body: str, tag: str) -> regex.Match[str] | None:
    """The first word of ``body`` that is ``tag``, outside URLs and mentions, where
    the casefolded body holds the casefolded tag.

    The pattern finds the tag (or finds nothing) faster than a casefolded copy of
    the body is made, so that copy, and the URLs and mentions, are only looked
    at once it has found a word (the mentions only with an at sign near it).
    """
    urls: _Spans | None = None
    mentions: _Spans | None = None
    for m in _word_pattern(tag).finditer(body):
        start, end = m.span()
        if urls is None:
            urls = _spans(extract_urls(body))
        if _in_spans(urls, start, end):
            continue
        near = max(start - _MENTION_REACH, 0)
        if body.find("@", near, end) >= 0 or body.find("\uff20", near, end) >= 0:
            if mentions is None:
                mentions = _spans(extract_mentions(body))
            if _in_spans(mentions, start, end):
                continue
        folded = tag.casefold()
        # The casefolded word is a piece of the casefolded body (casefolding
        # maps each character on its own): then no need to fold the body.
        return m if m.group().casefold() == folded or folded in body.casefold() else None
    return None


#: How far a mention reaches from its at sign: ``@``, a name of up to 20
#: characters and a ``/list`` part of up to 26 (twitter-text's grammar).
_MENTION_REACH: Final = 47

#: Spans of a text, merged and in order: their starts, and their ends.
_Spans = tuple[list[int], list[int]]


def _spans(entities: list[Entity]) -> _Spans:
    """The spans ``entities`` cover, merged (a mention may sit inside a URL)."""
    starts: list[int] = []
    ends: list[int] = []
    for e in sorted(entities, key=lambda e: e.start):
        if ends and e.start < ends[-1]:
            ends[-1] = max(ends[-1], e.end)
        else:
            starts.append(e.start)
            ends.append(e.end)
    return starts, ends


def _in_spans(spans: _Spans, start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps one of ``spans``."""
    starts, ends = spans
    # The last span starting before the end.
    k = bisect.bisect_left(starts, end) - 1
    return k >= 0 and ends[k] > start


# --------------------------------------------------------------------------- markup

#: LinkedIn's "little" text format: reserved characters (ASCII only: the standard
#: engine scans for them several times faster than ``regex``), and mention markup.
_LITTLE_RESERVED: Final = re.compile(r"[\\|{}@\[\]()<>#*_~]")
_LITTLE_MENTION: Final = regex.compile(r"@\[[^\]\n]*\]\(urn:li:[^)\s]*\)")


def _backslashed(m: re.Match[str]) -> str:
    return "\\" + m.group()


def _escape_little(text: str) -> str:
    """``text`` with the reserved characters of the little format escaped."""
    return _LITTLE_RESERVED.sub(_backslashed, text)


def little_tag(tag: str) -> str:
    """A hashtag in LinkedIn's little format."""
    return "{hashtag|\\#|" + _escape_little(tag) + "}"


def little(text: str) -> str:
    """``text`` in LinkedIn's little format: reserved characters escaped, hashtags
    as ``{hashtag|\\#|tag}``, mention markup ``@[Name](urn:li:...)`` kept."""
    keep = (
        [(m.start(), m.end(), m.group()) for m in _LITTLE_MENTION.finditer(text)]
        if "@[" in text
        else []
    )
    keep += [(h.start, h.end, little_tag(h.value)) for h in extract_hashtags(text)]
    keep.sort()
    out: list[str] = []
    pos = 0
    for start, end, new in keep:
        if start < pos:
            continue
        out.append(_escape_little(text[pos:start]))
        out.append(new)
        pos = end
    out.append(_escape_little(text[pos:]))
    return "".join(out)


_LITTLE_TAG: Final = re.compile(r"\{hashtag\|\\#\|((?:[^{}\\]|\\.)*)\}")
_LITTLE_ESCAPED: Final = re.compile(r"\\([\\|{}@\[\]()<>#*_~])")


def plain_little(text: str) -> str:
    """Text in LinkedIn's little format as it reads: hashtags as ``#tag``, escaped
    characters without their backslash (mention markup stays as it is)."""
    if "\\" not in text:
        return text
    return _LITTLE_ESCAPED.sub(r"\1", _LITTLE_TAG.sub(r"#\1", text))


def escape_markup(work: Work, rules: PlatformRules) -> tuple[Work, tuple[Change, ...]]:
    """Write the body in the platform's markup (LinkedIn's little format)."""
    if rules.text.markup != "little":
        return work, ()
    return work.but(body=little(work.body)), ()


# --------------------------------------------------------------------------- fit


def _closing(
    work: Work, tags: tuple[str, ...], rules: PlatformRules, has_body: bool
) -> tuple[str, str | None]:
    """The text after the body (link, link line, hashtags), and the first comment;
    ``has_body`` tells whether the body has more than whitespace."""
    little_markup = rules.text.markup == "little"
    end_link = work.end_link
    link_line = work.link_line
    if end_link is None and link_line is None:
        lines: list[str] = []
    else:
        lines = [line for line in (end_link, link_line) if line]
        if little_markup:
            lines = [little(line) for line in lines]
    if not tags:
        tag_line = ""
    elif little_markup:
        tag_line = " ".join([little_tag(t) for t in tags])
    else:
        tag_line = "#" + " #".join(tags)
    comment = work.first_comment
    if tag_line:
        placement = rules.hashtags.placement
        if placement == "block" and work.options.hashtags_in_first_comment:
            comment = f"{comment}\n\n{tag_line}" if comment else tag_line
        elif placement in ("inline-or-end", "description"):
            if not lines:
                return (f" {tag_line}" if has_body else tag_line), comment
            lines[-1] = f"{lines[-1]} {tag_line}"
        else:
            lines.append(tag_line)
    if not lines:
        return "", comment
    joined = "\n\n".join(lines)
    return (f"\n\n{joined}" if has_body else joined), comment


def _slices_of(
    whole: str, ruler: Callable[[int, int], int] | None, rules: PlatformRules
) -> Callable[[str], Callable[[int, int], int] | None]:
    """The slice counts of a text: ``ruler`` (made on ``whole``) for a start of
    ``whole``, where its offsets are the same; else a new analysis."""

    def slices(text: str) -> Callable[[int, int], int] | None:
        if ruler is not None and whole.startswith(text):
            return ruler
        return count_slices(text, rules.text)

    return slices


def _tags_cut(
    work: Work, body: str, kept: str, tags: tuple[str, ...], rules: PlatformRules
) -> list[str]:
    """The post's tags (campaign first) that ``body`` held as hashtags and the cut
    text ``kept`` no longer does, as the platform writes them after the text
    (none are in ``tags``, those already after it)."""
    if "#" not in body or rules.text.markup == "little":
        return []
    before = {_fold(e.value) for e in extract_hashtags(body)}
    if not before:
        return []
    after = {_fold(e.value) for e in extract_hashtags(kept)}
    after.update(t.casefold() for t in tags)
    post = work.post
    wanted = _wanted_tags(post.campaign, post.hashtags)[0]
    camel = rules.hashtags.camel_case
    return [
        _capitalize(t) if camel else t
        for t in wanted
        if t.casefold() in before and t.casefold() not in after
    ]


def _cut_links(body: str, cut: int, short_links: tuple[tuple[str, str], ...]) -> list[str]:
    """The full addresses of the links that ``body[cut:]`` holds (or starts to), in
    order: links shown short (``short_links``, in the order of the text) by the
    address they stand for, found one after the other in ``body``; other URLs
    as written, with a scheme."""
    found: list[tuple[int, str]] = []
    rest = body[cut:]
    pos = 0
    for short, full in short_links:
        at = body.find(short, pos)
        if at < 0:
            continue  # not in the body (the link at the end)
        end = at + len(short)
        pos = end
        if end > cut:
            found.append((at, full))
            a, b = max(at, cut) - cut, end - cut
            rest = rest[:a] + " " * (b - a) + rest[b:]  # not a URL of its own
    found += [(cut + u.start, _absolute(u.value)) for u in extract_urls(rest)]
    return [full for _, full in sorted(found, key=itemgetter(0))]


#: Tags after a thread's text that are given up one at a time, measuring after
#: each; more are first given up by bisection (see :func:`fit_text`).
_FEW_TAGS: Final = 16


def fit_text(work: Work, rules: PlatformRules) -> tuple[Work, tuple[Change, ...]]:
    """Fit the text under the limit: as it is, as a thread, truncated, or an error.

    Hashtags after the text are dropped from the lowest priority up (the
    campaign's last) before the text itself is truncated; in a thread they close
    the last part.
    """
    length, known = _lengths(rules)
    text_rules = rules.text
    limit = text_rules.limit
    options = work.options
    overflow = options.overflow or ("thread" if text_rules.threads else "truncate")
    # The mark is written in the platform's markup, as the text it ends.
    ellipsis = options.ellipsis
    if text_rules.markup == "little":
        ellipsis = _escape_little(ellipsis)
    tags = work.end_tags
    unplaced = list(work.unplaced)
    campaign = (work.post.campaign or "").casefold()
    body = work.body.strip()
    # No break line without "---" (the scan for them is not free).
    unmarked = remove_break_markers(body) if "---" in body else body
    breaks = unmarked != body and bool(unmarked.strip())
    if overflow != "thread" or not breaks:
        body = unmarked.strip()  # a single post: '---' lines are not text
    has_body = bool(body)
    changes: list[Change] = []
    no_room: list[str] = list(work.no_room)
    # The dots of a link shown short end no sentence: no post ends after one as
    # if a sentence ended there.
    quiet = tuple(shown for shown, _ in work.short_links)

    def drop_one() -> bool:
        nonlocal tags
        if not tags:
            return False
        # The last tag goes first, the campaign's last of all.
        i = next(
            (k for k in range(len(tags) - 1, -1, -1) if tags[k].casefold() != campaign),
            len(tags) - 1,
        )
        unplaced.insert(0, tags[i])
        no_room.append(tags[i])
        tags = tags[:i] + tags[i + 1 :]
        return True

    byte_limit = text_rules.byte_limit
    if overflow != "thread":
        droppable = sum(t.casefold() != campaign for t in tags)
        if droppable > 1 and length(body) > limit:
            # The text alone is over the limit: the loop below would drop every
            # tag but the campaign's, measuring after each; drop them at once.
            while droppable:
                drop_one()
                droppable -= 1
    elif len(tags) > _FEW_TAGS and length(_closing(work, tags, rules, has_body)[0]) > limit:
        # The tags after the text are over the limit on their own: the loop below
        # would give them up one at a time, measuring after each (thousands of
        # tags: seconds). The number to give up is found by bisection, then they
        # are given up as the loop would. (A few tags: the loop is quicker.)
        others = [i for i, t in enumerate(tags) if t.casefold() != campaign]

        def left_after(m: int) -> tuple[str, ...]:
            """The tags ``drop_one`` leaves after ``m`` calls."""
            gone = set(others[len(others) - m :] if m <= len(others) else others)
            kept = [t for i, t in enumerate(tags) if i not in gone]
            return tuple(kept[: len(kept) - max(0, m - len(others))])

        lo, hi = 0, len(tags)  # the closing is over the limit with lo drops
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if length(_closing(work, left_after(mid), rules, has_body)[0]) > limit:
                lo = mid
            else:
                hi = mid
        for _ in range(hi):
            drop_one()
    # What is published: the parts, the end of the text cut away, the words cut.
    parts: tuple[str, ...]
    dropped: str | None = None
    hard_cuts: tuple[str, ...] = ()
    while True:
        closing, comment = _closing(work, tags, rules, has_body)
        whole = body + closing
        # A thread's estimates come from one analysis of the text, which also
        # gives its exact length (the byte limit aside).
        ruler = count_slices(whole, text_rules) if overflow == "thread" else None
        if ruler is None:
            measured = length(whole)
        else:
            measured = ruler(0, len(whole))
            if byte_limit is not None and utf8_length(whole) > byte_limit:
                measured = max(measured, limit + 1)
            known[whole] = measured  # split_thread asks again
        if measured <= limit and not (breaks and overflow == "thread"):
            parts = (whole,)
            break
        if overflow in ("truncate", "error") and any(t.casefold() != campaign for t in tags):
            drop_one()
            continue
        if overflow == "error":
            raise CannotFitError(work.platform, measured, limit, text_rules.unit)
        try:
            if overflow == "thread":
                fitted = split_thread(
                    body,
                    length,
                    limit,
                    numbering=options.numbering,
                    last_suffix=closing,
                    slices=_slices_of(whole, ruler, rules),
                    # count() and count_slices() vouch for whitespace-bounded
                    # slices, but not for the bytes of a byte limit.
                    exact=byte_limit is None,
                    quiet=quiet,
                )
                parts = fitted.parts
            else:
                fitted = truncate(
                    body, length, limit, ellipsis=ellipsis, suffix=closing, quiet=quiet
                )
                parts = (fitted.parts[0] + closing,)
        except ValueError:
            if drop_one():
                continue
            raise CannotFitError(work.platform, measured, limit, text_rules.unit) from None
        dropped = fitted.dropped
        hard_cuts = fitted.hard_cuts
        break
    links = list(work.links)
    if dropped and overflow == "truncate":
        kept = parts[0][: len(parts[0]) - len(closing)]
        # The post's tags the text held (as written, or a word tagged) that the
        # cut took away go after the text if there is room; the campaign's at the
        # cost of the other tags, then of more text (a new cut: it may take more).
        rank = {
            t.casefold(): i
            for i, t in enumerate(_wanted_tags(work.post.campaign, work.post.hashtags)[0])
        }

        def with_tag(tag: str) -> tuple[str, ...]:
            """The tags after the text and ``tag``, in the post's order."""
            return tuple(sorted([*tags, tag], key=lambda t: rank.get(t.casefold(), 0)))

        handled: set[str] = set()
        lost = _tags_cut(work, body, kept, tags, rules)
        while lost:
            tag = lost.pop(0)
            handled.add(tag.casefold())
            while True:
                wanted = with_tag(tag)
                more, more_comment = _closing(work, wanted, rules, has_body)
                if length(kept + more) <= limit:
                    break
                if tag.casefold() != campaign or not drop_one():
                    break
            if length(kept + more) > limit and tag.casefold() == campaign:
                try:
                    refit = truncate(
                        body, length, limit, ellipsis=ellipsis, suffix=more, quiet=quiet
                    )
                except ValueError:
                    pass
                else:
                    kept, hard_cuts = refit.parts[0], refit.hard_cuts
                    dropped = refit.dropped or dropped  # (it cuts at least as much)
                    lost = [
                        t
                        for t in _tags_cut(work, body, kept, wanted, rules)
                        if t.casefold() not in handled
                    ]
            if length(kept + more) <= limit:
                tags, closing, comment = wanted, more, more_comment
                changes.append(
                    _change(
                        "hashtag-moved",
                        f"put #{tag} after the text: the cut took away its place in it",
                    )
                )
            else:
                unplaced.append(tag)
                no_room.append(tag)
        # Room freed by the cut (at a sentence end) may take dropped tags back.
        for tag in [t for t in no_room if t in unplaced and t.casefold() not in handled]:
            wanted = with_tag(tag)
            more, more_comment = _closing(work, wanted, rules, has_body)
            if length(kept + more) <= limit:
                tags, closing, comment = wanted, more, more_comment
                unplaced.remove(tag)
                no_room.remove(tag)
        parts = (kept + closing,)
        # A URL cut with the text is kept in draft.links, not lost.
        for full in _cut_links(body, len(body) - len(dropped), work.short_links):
            if full not in links:
                links.append(full)
                changes.append(
                    _change(
                        "link-moved",
                        f"kept {full} in the links to attach: the cut took it out of the text",
                        None,
                        {"url": full},
                    )
                )
    if not rules.links.clickable:
        # A cut can turn text that was no valid URL (over 4,096 characters) into one.
        cleaned: list[str] = []
        for part in parts:
            found = extract_urls(part)
            for u in found:
                links.append(_absolute(u.value))
                changes.append(
                    _change(
                        "link-moved",
                        f"took {u.text[:60]} out of the text: links are not clickable on "
                        f"{rules.display_name}",
                        u.text,
                    )
                )
            cleaned.append(
                _remove_spans(part, [(u.start, u.end) for u in found]) if found else part
            )
        parts = tuple(cleaned)
    if dropped:
        changes.insert(
            0,
            _change(
                "text-truncated",
                f"cut the end of the text to fit {limit:,} {UNIT_NAMES[text_rules.unit]}",
                # what was cut as the person wrote it, not in the platform's markup
                plain_little(dropped) if text_rules.markup == "little" else dropped,
                {"measured": measured, "limit": limit, "unit": text_rules.unit},
            ),
        )
    if len(parts) > 1:
        changes.append(
            _change(
                "thread-split",
                f"split the text into a thread of {len(parts)} posts (each within {limit:,})",
                None,
                {"parts": len(parts), "limit": limit, "unit": text_rules.unit},
            )
        )
    for word in hard_cuts:
        if text_rules.markup == "little":
            word = plain_little(word)
        changes.append(_change("word-cut", f"cut a word longer than a whole post: {word[:40]}"))
    if comment is not None and comment != work.first_comment and tags:
        changes.append(_change("hashtag-moved", f"put {len(tags)} hashtag(s) in the first comment"))
    return (
        work.but(
            body=body,
            parts=parts,
            no_room=tuple(no_room),
            first_comment=comment,
            end_tags=tags,
            unplaced=tuple(unplaced),
            links=tuple(links),
        ),
        tuple(changes),
    )


# --------------------------------------------------------------------------- Bluesky


def shorten_links(work: Work, rules: PlatformRules) -> tuple[Work, tuple[Change, ...]]:
    """Show long links as Bluesky's app does (host and path start, then ``...``).

    The link facet keeps the full URI, so the link still leads where it should
    while the text spends a few graphemes instead of the whole URL.
    """
    path_max = rules.links.display_path_max
    if path_max is None:
        return work, ()
    body = work.body
    pairs: list[tuple[str, str]] = []
    for url in reversed(extract_urls(body, without_scheme=False)):
        short = shorten_link_text(url.text, path_max)
        if short != url.text and len(short) < len(url.text):
            body = body[: url.start] + short + body[url.end :]
            pairs.append((short, url.text))
    end_link = work.end_link
    if end_link is not None:
        short = shorten_link_text(end_link, path_max)
        if len(short) < len(end_link):
            pairs.insert(0, (short, end_link))  # last in the text: first of the reversed list
            end_link = short
    if not pairs:
        return work, ()
    changes = tuple(
        _change(
            "link-shortened",
            f"shows {full} as {short} (the link keeps the full address)",
            None,
            {"url": full, "shown": short},
        )
        for short, full in reversed(pairs)
    )
    return (
        work.but(body=body, end_link=end_link, short_links=tuple(reversed(pairs))),
        changes,
    )


def _part_facets(
    part: str, short_links: tuple[tuple[str, str], ...]
) -> tuple[tuple[Facet, ...], tuple[tuple[str, str], ...]]:
    """The facets of one part of a thread, and the links shown short that are not
    in it (for the parts after it).

    ``short_links`` are the (shown, full) pairs of the links still to place, in
    the order of the text: each shown form is looked for after the last one
    found, and a pair is used once, so two links shown alike (the same host and
    path start) keep their own addresses, in one part or in two. A shown form is
    looked for where it stands as a link of its own (see :func:`_shown_at`), not
    inside a longer link, a handle or an e-mail address that holds the same text.
    """
    detected = detect_facets(part)
    found: list[Facet] = []
    left: list[tuple[str, str]] = []
    raw: bytes | None = None
    places: tuple[dict[int, int], list[tuple[int, int]]] | None = None
    pos = 0
    for pair in short_links:
        short, full = pair
        if short not in part:
            left.append(pair)  # (nor are its bytes in the part's)
            continue
        if raw is None:
            raw = part.encode("utf-8")
            found = list(detected)
        short_bytes = short.encode("utf-8")
        at = raw.find(short_bytes, pos)
        if at >= 0 and raw.find(short_bytes, at + 1) >= 0:
            # Shown in more than one place: the one where the link stands.
            if places is None:
                places = _link_places(part, detected)
            at = _shown_at(raw, short_bytes, pos, *places)
        if at < 0:
            left.append(pair)
            continue
        end = at + len(short_bytes)
        found = [f for f in found if f.byte_end <= at or f.byte_start >= end]
        # Facet("link", at, end, full), whose values are valid by construction.
        found.append(_facet("link", at, end, full))
        pos = end
    if raw is None:
        # No link shown short here: the detected facets, which come sorted (no
        # two start at the same byte).
        return detected, short_links
    return tuple(sorted(found, key=_SPAN)), tuple(left)


def _link_places(
    part: str, detected: tuple[Facet, ...]
) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Where links stand in ``part``: the byte span of each URL as the library finds
    them (by start), and the byte spans of the mentions and tags detected."""
    urls: dict[int, int] = {}
    for url in extract_urls(part):
        start = len(part[: url.start].encode("utf-8"))
        urls[start] = start + len(url.text.encode("utf-8"))
    taken = [(f.byte_start, f.byte_end) for f in detected if f.kind != "link"]
    return urls, taken


def _shown_at(
    raw: bytes, shown: bytes, pos: int, urls: dict[int, int], taken: list[tuple[int, int]]
) -> int:
    """Where the shown form of a link stands in ``raw`` from ``pos`` (a byte offset),
    or -1: the first place where a URL starts and ends within it (so that it is
    not the start of a longer link, ``example.com`` of ``example.com/menu``) and no
    mention or tag holds it (``@dot.example.com``); failing that, the first place."""
    first = at = raw.find(shown, pos)
    while at >= 0:
        end = at + len(shown)
        if urls.get(at, end + 1) <= end and not any(a < end and at < b for a, b in taken):
            return at
        at = raw.find(shown, at + 1)
    return first


#: The key that sorts facets by place: start, then end.
_SPAN: Final = attrgetter("byte_start", "byte_end")


def bluesky_facets(work: Work, rules: PlatformRules) -> tuple[Work, tuple[Change, ...]]:
    """Facets of every part; tags that found no place in the text go to ``tags``."""
    per_part: list[tuple[Facet, ...]] = []
    left = work.short_links
    for part in work.parts:
        part_facets, left = _part_facets(part, left)
        per_part.append(part_facets)
    facets = tuple(per_part)
    field_max = rules.hashtags.tags_field_max or 0
    longest = rules.hashtags.tag_max_graphemes
    tags: list[str] = []
    rest: list[str] = []
    for tag in work.unplaced:
        # A tag has at most as many graphemes as code points.
        fits = longest is None or len(tag) <= longest or graphemes(tag) <= longest
        (tags if len(tags) < field_max and fits else rest).append(tag)
    changes = tuple(
        _change("hashtag-moved", f"put #{t} in the post's tags field (no room in the text)")
        for t in tags
    )
    return work.but(facets=facets, tags=tuple(tags), unplaced=tuple(rest)), changes


# --------------------------------------------------------------------------- report


def report_unplaced(work: Work, rules: PlatformRules) -> tuple[Work, tuple[Change, ...]]:
    """Every hashtag of the post that found no place is a ``hashtag-dropped`` change."""
    unplaced = work.unplaced
    if not unplaced:
        return (work.but(no_room=()) if work.no_room else work), ()
    no_room = work.no_room
    made = _changes_made(rules)
    changes: list[Change] = []
    for tag in unplaced:
        key = ("dropped", tag, tag in no_room)
        change = made.get(key)
        if change is None:
            change = _remember(made, key, _dropped(rules, tag, tag in no_room))
        changes.append(change)
    return work.but(unplaced=(), no_room=()), tuple(changes)


def _dropped(rules: PlatformRules, tag: str, out_of_room: bool) -> Change:
    """The ``hashtag-dropped`` change of ``tag`` on the platform of ``rules``."""
    longest = rules.hashtags.tag_max_graphemes
    if out_of_room:
        reason = f"no room left within {rules.text.limit:,} {UNIT_NAMES[rules.text.unit]}"
    elif longest is not None and len(tag) > longest and graphemes(tag) > longest:
        reason = f"longer than {longest} graphemes, which {rules.display_name} takes as no hashtag"
    elif rules.hashtags.max_count is None:
        reason = "too long for a hashtag in the text, and the post's tags field is full"
    elif rules.hashtags.campaign_only:
        reason = f"{rules.display_name} gets only the campaign tag"
    else:
        reason = f"{rules.display_name} gets at most {rules.hashtags.max_count} hashtag(s)"
    return _change("hashtag-dropped", f"left out #{tag}: {reason}", f"#{tag}")


#: Changes made for a platform's rules (by :func:`_memo_of`, as
#: ``_SHORT_LENGTHS``) that depend only on them and on short names, by a key of
#: their own (a tag left out, a mention without handle): a change is immutable,
#: and the same few tags and mentions (a campaign's) come back post after post.
#: Bounded: each dict is emptied when full (:func:`_remember`).
_MADE: dict[int, tuple[object, dict[tuple[Any, ...], Change]]] = {}


def _changes_made(rules: PlatformRules) -> dict[tuple[Any, ...], Change]:
    """The remembered changes of ``rules``."""
    return _memo_of(_MADE, rules)


# --------------------------------------------------------------------------- media


def place_media(work: Work, rules: PlatformRules) -> tuple[Work, tuple[Change, ...]]:
    """Make each image of the post for the platform (see :mod:`crosspost_adapt.media`).

    Images past the platform's count are left out (``media-dropped``); on a
    platform whose carousel shares one ratio (Instagram) every image takes the
    first one's; where the platform needs an image and the post has none, one is
    made from the text (``media-generated``).
    """
    m = rules.media
    options = work.options
    if not work.post.media and not (m.min_count >= 1 and options.cards):
        return work, ()  # nothing to render (the media package is not even loaded)

    # Imported here: the media package loads Pillow, which text-only use never needs.
    from crosspost_adapt.media._render import render_card, render_media

    items = list(work.post.media)
    changes: list[Change] = []
    for extra in items[m.max_count :]:
        name = source_name(extra)
        changes.append(
            _change(
                "media-dropped",
                f"left out {name}: {rules.display_name} takes at most {m.max_count} image(s)",
                name,
                {"measured": len(items), "limit": m.max_count, "unit": "images"},
            )
        )
    rendered: list[Any] = []
    ratio: float | None = None
    text = work.parts[0] if work.parts else work.body
    still = m  # the rules of the images after the first (animations flattened: X)
    for index, media in enumerate(items[: m.max_count]):
        if rendered and m.animation_alone and rendered[0].frames > 1:
            name = source_name(media)
            changes.append(
                _change(
                    "media-dropped",
                    f"left out {name}: {rules.display_name} takes an animation as the "
                    "post's only image",
                    name,
                    {"measured": len(items), "limit": 1, "unit": "images"},
                )
            )
            continue
        if index == 1 and m.animation_alone:
            still = attrs.evolve(m, formats=tuple(f for f in m.formats if f not in _ANIMATED))
        caption = text if options.caption_overlay and m.safe_margin and not rendered else None
        made, made_changes = render_media(
            media,
            still,
            ratio=ratio,
            crop=options.crop,
            background=options.background,
            pad_color=options.pad_color,
            max_pixels=options.max_pixels,
            caption=caption,
        )
        if m.same_ratio and ratio is None:
            ratio = made.width / made.height
        rendered.append(made)
        changes.extend(made_changes)
    if not rendered and m.min_count >= 1 and options.cards:
        # The card shows the message: the body, without the closing hashtags and
        # link line, before any truncation (the card cuts what it cannot hold).
        card, made_changes = render_card(work.body or text, m, platform=rules.display_name)
        rendered.append(card)
        changes.extend(made_changes)
    if not rendered:
        return work, tuple(changes)
    return work.but(media=tuple(rendered)), tuple(changes)


#: The formats that hold animations.
_ANIMATED: Final = ("GIF", "WEBP")

#: The chain most platforms run.
STANDARD_STEPS: Final[tuple[Step, ...]] = (
    compose,
    resolve_mentions,
    place_links,
    place_hashtags,
    fit_text,
    place_media,
    report_unplaced,
)
#: LinkedIn's chain: the standard one, with the text in the little format.
LINKEDIN_STEPS: Final[tuple[Step, ...]] = (
    compose,
    resolve_mentions,
    place_links,
    place_hashtags,
    escape_markup,
    fit_text,
    place_media,
    report_unplaced,
)
#: Bluesky's chain: the standard one, with short links, facets and the tags field.
BLUESKY_STEPS: Final[tuple[Step, ...]] = (
    compose,
    resolve_mentions,
    place_links,
    place_hashtags,
    shorten_links,
    fit_text,
    bluesky_facets,
    place_media,
    report_unplaced,
)


def _own_chain(steps: tuple[Step, ...]) -> bool:
    """Whether ``steps`` is one of the library's chains (whose steps take a work
    changed in place)."""
    return steps is STANDARD_STEPS or steps is BLUESKY_STEPS or steps is LINKEDIN_STEPS
