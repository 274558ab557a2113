"""The result: :class:`Draft`, what to publish on one platform, and its :class:`Change`\\ s.

A draft is always publishable as it is (every part within the platform's rules);
``changes`` says everything that was altered, dropped or moved on the way, with
the exact content dropped, so nothing is lost behind the user's back.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from crosspost_adapt._frozen import FrozenMap, slot_setters
from crosspost_adapt.text.facets import Facet

__all__ = ["CHANGE_KINDS", "Change", "Draft", "Problem", "RenderedMedia"]

#: Every change kind, a short stable code, and what it means.
CHANGE_KINDS: Mapping[str, str] = FrozenMap(
    {
        "character-removed": "a character no platform accepts (BOM, U+FFFE, U+FFFF, surrogate)",
        "mention-unresolved": "a mention written as the display name: no handle on this platform",
        "mention-capped": "a mention written as plain text: the platform's mention cap is reached",
        "link-tagged": "utm parameters added to the post's link",
        "link-encoded": "characters of the post's link percent-encoded, so it is linked whole",
        "link-moved": "a URL taken out of the text, to attach by hand (draft.links)",
        "link-shortened": "a long link shown shortened; its facet keeps the full address",
        "hashtag-inline": "a word of the text turned into the hashtag, to save space",
        "hashtag-unmarked": "a hashtag of the text written as a plain word (over the cap)",
        "hashtag-dropped": "a hashtag left out (over the platform's cap or out of space)",
        "hashtag-moved": "a hashtag moved out of the text (first comment, Bluesky tags field)",
        "text-truncated": "the end of the text cut to fit the limit",
        "thread-split": "the text split into a thread of several posts",
        "word-cut": "a word longer than a whole post cut in two",
        "near-clone": "this draft reads (almost) the same as another platform's",
        "media-converted": "an image turned upright, converted to sRGB or flattened",
        "media-cropped": "an image cropped to a ratio the platform accepts",
        "media-padded": "an image padded to a ratio the platform accepts",
        "media-resized": "an image resized to the platform's bounds",
        "media-recompressed": "an image encoded again, to the platform's format or weight",
        "media-dropped": "an image left out (over the platform's count)",
        "media-generated": "an image made from the text (the platform needs one)",
        "media-captioned": "the caption burnt into an image (Snapchat's caption_overlay)",
        "animation-flattened": "an animation reduced to its first frame",
        "alt-shortened": "an image's alt text cut to the platform's limit",
    }
)


_NO_DATA: FrozenMap[str, Any] = FrozenMap()


def _data(value: Mapping[str, Any] | None) -> FrozenMap[str, Any]:
    if not value:
        return _NO_DATA
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


@attrs.frozen
class Change:
    """One thing that was altered, dropped or moved to make the draft.

    ``kind`` is a stable code (see :data:`CHANGE_KINDS`), ``message`` one human
    sentence, ``dropped`` the exact content removed from the draft (None when
    nothing was removed), ``data`` machine-readable details (measured values,
    limits, units, the other platform of a near clone...).
    """

    kind: str
    message: str
    dropped: str | None = None
    data: Mapping[str, Any] = attrs.field(default=None, converter=_data)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "dropped": self.dropped,
            "data": dict(self.data),
        }


# The library's own steps make dozens of changes and a draft per platform for
# each post: they build them through the slots directly (the values are known
# to be what the classes' converters would make), several times cheaper than
# the generic attrs ``__init__``. The instances are the same in every way.
_new = object.__new__
_SET_KIND, _SET_MESSAGE, _SET_DROPPED, _SET_DATA = slot_setters(
    Change, "kind", "message", "dropped", "data"
)


def _change(
    kind: str, message: str, dropped: str | None = None, data: dict[str, Any] | None = None
) -> Change:
    """``Change(kind, message, dropped, data)``, for the library's own steps."""
    change: Change = _new(Change)
    _SET_KIND(change, kind)
    _SET_MESSAGE(change, message)
    _SET_DROPPED(change, dropped)
    _SET_DATA(change, FrozenMap(data) if data else _NO_DATA)
    return change


@attrs.frozen
class Problem:
    """What :func:`crosspost_adapt.check` finds wrong in a text for a platform.

    ``code`` is a stable code (``too-long``, ``too-many-bytes``,
    ``too-many-hashtags``, ``too-many-mentions``, ``too-many-links``,
    ``link-not-clickable``, ``invalid-character``, ``unescaped-character``);
    ``measured`` and ``limit`` are
    in ``unit``; ``hard`` tells a platform limit from a norm.
    """

    platform: str
    code: str
    message: str
    measured: int
    limit: int
    unit: str
    #: True when the platform itself refuses such a text; False for a norm (X's
    #: two hashtags, Instagram's three mentions by default).
    hard: bool = True

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


_EXTENSIONS: Mapping[str, str] = FrozenMap(
    {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
)


@attrs.frozen
class RenderedMedia:
    """An image made for one platform: the encoded file, ready to upload.

    ``data`` is the file (no metadata in it: no EXIF, GPS, XMP or comment);
    ``format`` its Pillow name (``"JPEG"``, ``"PNG"``, ``"WEBP"``, ``"GIF"``);
    ``width`` and ``height`` in pixels; ``alt`` the alt text within the
    platform's limit; ``source`` the post's ``Media`` it was made from (None for
    an image generated from the text); ``quality`` the encoder quality (None for
    lossless formats); ``frames`` more than 1 for a kept animation.
    """

    data: bytes = attrs.field(repr=lambda d: f"<{len(d):,} bytes>")
    format: str
    width: int
    height: int
    alt: str | None = None
    source: Any = None
    quality: int | None = None
    frames: int = 1

    @property
    def extension(self) -> str:
        """The file name extension of the format (``".jpg"``...)."""
        return _EXTENSIONS.get(self.format, "." + self.format.lower())

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the file to ``path`` (replaced if it exists); returns the path."""
        target = Path(path)
        target.write_bytes(self.data)
        return target

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able description (the bytes are left out: :meth:`save` them)."""
        source = self.source
        return {
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "bytes": len(self.data),
            "quality": self.quality,
            "frames": self.frames,
            "alt": self.alt,
            "source": None if source is None else source_name(source),
        }


def source_name(source: Any) -> str:
    """How an image of the post is named in messages: its path, or ``<N bytes>``."""
    path = getattr(source, "path", None)
    if path is not None:
        return str(path)
    data = getattr(source, "data", None) or b""
    return f"<{len(data)} bytes>"


@attrs.frozen
class Draft:
    """What to publish on one platform.

    ``parts`` is the text of each post of a thread (one entry for a single post);
    ``first_comment`` text to post as the first comment (Instagram hashtags, on
    request); ``links`` URLs to attach by hand where the text cannot carry them
    (Instagram's link in bio, Snapchat's link sticker, URLs cut by truncation);
    ``facets`` the Bluesky rich-text facets of each part (an empty tuple on other
    platforms); ``tags`` Bluesky's
    ``tags`` field; ``media`` the rendered images; ``changes`` everything that was
    altered on the way.
    """

    platform: str
    parts: tuple[str, ...]
    first_comment: str | None = None
    links: tuple[str, ...] = ()
    facets: tuple[tuple[Facet, ...], ...] = ()
    tags: tuple[str, ...] = ()
    media: tuple[RenderedMedia, ...] = ()
    changes: tuple[Change, ...] = ()

    @property
    def text(self) -> str:
        """The first (or only) post's text."""
        return self.parts[0]

    def changes_of(self, kind: str) -> tuple[Change, ...]:
        """The changes of one ``kind``."""
        return tuple(c for c in self.changes if c.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict of everything in the draft."""
        return {
            "platform": self.platform,
            "parts": list(self.parts),
            "text": self.text,
            "first_comment": self.first_comment,
            "links": list(self.links),
            "facets": [[f.to_atproto() for f in part] for part in self.facets],
            "tags": list(self.tags),
            "media": [m.to_dict() for m in self.media],
            "changes": [c.to_dict() for c in self.changes],
        }


(
    _SET_PLATFORM,
    _SET_PARTS,
    _SET_FIRST_COMMENT,
    _SET_LINKS,
    _SET_FACETS,
    _SET_TAGS,
    _SET_MEDIA,
    _SET_CHANGES,
) = slot_setters(
    Draft, "platform", "parts", "first_comment", "links", "facets", "tags", "media", "changes"
)


def _draft(
    platform: str,
    parts: tuple[str, ...],
    first_comment: str | None,
    links: tuple[str, ...],
    facets: tuple[tuple[Facet, ...], ...],
    tags: tuple[str, ...],
    media: tuple[RenderedMedia, ...],
    changes: tuple[Change, ...],
) -> Draft:
    """``Draft(...)`` with every field, for the library's own adapt functions."""
    draft: Draft = _new(Draft)
    _SET_PLATFORM(draft, platform)
    _SET_PARTS(draft, parts)
    _SET_FIRST_COMMENT(draft, first_comment)
    _SET_LINKS(draft, links)
    _SET_FACETS(draft, facets)
    _SET_TAGS(draft, tags)
    _SET_MEDIA(draft, media)
    _SET_CHANGES(draft, changes)
    return draft
