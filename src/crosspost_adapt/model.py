"""The idea: :class:`Post`, :class:`Mention` and :class:`Media`.

These are frozen values, validated when they are built: a value that exists is a
valid idea. Change one with ``attrs.evolve`` (which validates again).
"""

from __future__ import annotations

import base64
import binascii
import math
import os
import re
import reprlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import regex

from crosspost_adapt._frozen import FrozenMap
from crosspost_adapt.errors import InvalidPostError, UnknownPlatformError
from crosspost_adapt.text.fitting import remove_break_markers
from crosspost_adapt.text.hashtags import normalize_hashtag

__all__ = ["Media", "Mention", "Post"]

#: How the text refers to a mention: ``@{key}``. Whatever stands between the braces
#: is taken as a key, so that ``@{John Smith}`` is reported rather than kept as text.
MENTION_REFERENCE: Final = regex.compile(r"@\{([^{}]*)\}")
_MENTION_KEY: Final = regex.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_LINK: Final = regex.compile(r"(?i)https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?")
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _canonical_platform(name: str, field: str) -> str:
    from crosspost_adapt.adapters.registry import default_registry

    try:
        return default_registry().canonical(name)
    except UnknownPlatformError as exc:
        raise InvalidPostError(field, str(exc)) from None


def _lookup_name(platform: str) -> str:
    """The canonical name of ``platform``, or ``platform`` itself when unknown."""
    from crosspost_adapt.adapters.registry import default_registry

    registry = default_registry()
    return registry.canonical(platform) if platform in registry else platform


def _check_str(value: object, field: str, *, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if not isinstance(value, str):
        expected = "a string or None" if allow_none else "a string"
        raise InvalidPostError(field, f"must be {expected}, not {type(value).__name__}")


#: Characters no platform accepts: BOM, the noncharacters twitter-text rejects,
#: and lone surrogates (not encodable in UTF-8). Adapting removes them.
UNPUBLISHABLE: Final = re.compile(r"[\ufeff\ufffe\uffff\ud800-\udfff]")


_NOTHING_IN_IT: Final = (
    "holds nothing to publish (only whitespace, '---' break lines or characters no "
    "platform accepts)"
)


def code_points(chars: Iterable[str]) -> str:
    """The distinct code points of ``chars``, sorted: ``"U+FEFF, U+FFFF"``."""
    return ", ".join(sorted({f"U+{ord(c):04X}" for c in chars}))


def _check_publishable(value: str, field: str) -> None:
    """Raise when ``value`` (a handle, a name, a link) holds a character no platform accepts."""
    if value.isascii():
        return
    bad = UNPUBLISHABLE.findall(value)
    if bad:
        raise InvalidPostError(field, f"holds a character no platform accepts ({code_points(bad)})")


def _blank(text: str) -> bool:
    """Whether ``text`` leaves nothing to publish: only whitespace, ``---`` break
    lines and characters no platform accepts."""
    if text.isascii():
        return not remove_break_markers(text).strip()
    return not remove_break_markers(UNPUBLISHABLE.sub("", text)).strip()


# --------------------------------------------------------------------------- Mention


#: The URNs a LinkedIn mention takes: a member's or an organization's (the little
#: text format's MentionElement, Microsoft Learn "little text format").
_LINKEDIN_URN: Final = re.compile(r"urn:li:(?:person|organization):[A-Za-z0-9_-]+\Z")


_SHOWN: Final = reprlib.Repr()
_SHOWN.maxlevel = 3
_SHOWN.maxstring = 80
_SHOWN.maxother = 80
_SHOWN.maxlong = 24


def _shown(value: object) -> str:
    """``repr(value)`` for an error message, cut short: a value of any size or depth
    (a nested list a million levels deep) is shown in bounded time and length."""
    return _SHOWN.repr(value)


def _handles(value: Mapping[str, str] | None) -> FrozenMap[str, str]:
    if value is None:
        return FrozenMap()
    if not isinstance(value, Mapping):
        raise InvalidPostError(
            "mention.handles",
            f"must be a mapping of platform to handle, not {type(value).__name__}",
        )
    out: dict[str, str] = {}
    for platform, handle in value.items():
        _check_str(platform, "mention.handles")
        field = f"mention.handles[{_shown(platform)}]"
        _check_str(handle, field)
        name = _canonical_platform(platform, field)
        _check_publishable(handle, field)
        cleaned = handle.strip()
        if cleaned.startswith(("@", "\uff20")):
            cleaned = cleaned[1:]
        if not cleaned or any(c.isspace() for c in cleaned) or cleaned.startswith(("@", "\uff20")):
            raise InvalidPostError(
                field,
                f"{_shown(handle)} is not a handle (empty, with spaces, or with a second '@')",
            )
        if name == "bluesky" and "." not in cleaned:
            # Bluesky's mention facets need a domain name: a bare name links nowhere.
            raise InvalidPostError(
                field,
                f"{_shown(handle)} is not a Bluesky handle (a domain name: 'cafelune.bsky.social')",
            )
        if name == "linkedin" and cleaned.startswith("urn:") and not _LINKEDIN_URN.match(cleaned):
            # A broken URN would break the mention markup @[name](urn) it goes in.
            raise InvalidPostError(
                field,
                f"{_shown(handle)} is not a LinkedIn member or organization URN "
                "('urn:li:person:ID' or 'urn:li:organization:ID')",
            )
        if name in out:
            raise InvalidPostError(field, f"a handle for {_shown(name)} is already given")
        out[name] = cleaned
    return FrozenMap(out)


@attrs.frozen
class Mention:
    """Someone the post refers to as ``@{key}``.

    ``name`` is the display name, used where a platform has no handle for them;
    ``handles`` maps a platform name (``"x"``, ``"mastodon"``...) to the handle on
    that platform, without the ``@`` (``"user@instance"`` on Mastodon, a URN such
    as ``"urn:li:organization:123"`` on LinkedIn).
    """

    name: str
    handles: Mapping[str, str] = attrs.field(factory=FrozenMap, converter=_handles)

    def __attrs_post_init__(self) -> None:
        _check_str(self.name, "mention.name")
        if not self.name.strip():
            raise InvalidPostError("mention.name", "is empty")
        _check_publishable(self.name, "mention.name")

    def handle(self, platform: str) -> str | None:
        """The handle on ``platform`` (a name or an alias such as ``twitter``), or None."""
        return self.handles.get(_lookup_name(platform))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, field: str = "mention") -> Mention:
        """Build from ``{"name": ..., "handles": {platform: handle}}``."""
        if not isinstance(d, Mapping):
            raise InvalidPostError(field, f"must be a mapping, not {type(d).__name__}")
        _reject_unknown_keys(d, {"name", "handles"}, field)
        if "name" not in d:
            raise InvalidPostError(f"{field}.name", "is missing")
        try:
            handles = d.get("handles")
            return cls(name=d["name"], handles={} if handles is None else handles)
        except InvalidPostError as exc:
            raise InvalidPostError(exc.field.replace("mention", field, 1), exc.problem) from None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "handles": dict(self.handles)}


# --------------------------------------------------------------------------- Media


def _focus(value: Sequence[float] | None) -> tuple[float, float] | None:
    if value is None:
        return None
    if isinstance(value, str | bytes) or not isinstance(value, Sequence) or len(value) != 2:
        raise InvalidPostError("media.focus", f"must be a pair [x, y], not {_shown(value)}")
    out = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise InvalidPostError("media.focus", f"must hold numbers, not {_shown(v)}")
        try:
            f = float(v)
        except OverflowError:  # an integer too large for a float: far outside
            f = math.inf
        if math.isnan(f) or not 0.0 <= f <= 1.0:
            raise InvalidPostError("media.focus", f"{_shown(v)} is outside 0..1")
        out.append(f)
    return (out[0], out[1])


@attrs.frozen
class Media:
    """An image of the post: a reference to its bytes, its alt text, a focus point.

    Build one with :meth:`from_path` or :meth:`from_bytes`. ``focus`` is the point
    to keep in frame when cropping, as fractions of width and height (``(0.5,
    0.5)`` is the centre). Pixels are only read when a draft is rendered.
    """

    path: Path | None = None
    data: bytes | None = attrs.field(
        default=None, repr=lambda d: f"<{len(d)} bytes>" if d else "None"
    )
    alt: str | None = None
    focus: tuple[float, float] | None = attrs.field(default=None, converter=_focus)

    def __attrs_post_init__(self) -> None:
        if (self.path is None) == (self.data is None):
            raise InvalidPostError("media", "needs exactly one of a path or bytes")
        if self.path is not None and not isinstance(self.path, Path):
            raise InvalidPostError("media.path", f"must be a Path, not {type(self.path).__name__}")
        if self.path is not None and "\x00" in str(self.path):
            raise InvalidPostError("media.path", "contains a NUL character")
        if self.data is not None:
            if not isinstance(self.data, bytes):
                raise InvalidPostError(
                    "media.data", f"must be bytes, not {type(self.data).__name__}"
                )
            if not self.data:
                raise InvalidPostError("media.data", "is empty (0 bytes)")
        _check_str(self.alt, "media.alt", allow_none=True)

    @classmethod
    def from_path(
        cls,
        path: str | os.PathLike[str],
        alt: str | None = None,
        focus: Sequence[float] | None = None,
    ) -> Media:
        """An image read from ``path`` when the draft is rendered."""
        if not isinstance(path, str | os.PathLike):
            raise InvalidPostError("media.path", f"must be a path, not {type(path).__name__}")
        text = os.fspath(path)
        if not isinstance(text, str):
            raise InvalidPostError("media.path", f"must be a str path, not {type(text).__name__}")
        if not text.strip():
            raise InvalidPostError("media.path", "is empty")
        if "\x00" in text:
            raise InvalidPostError("media.path", "contains a NUL character")
        return cls(path=Path(text), alt=alt, focus=focus)

    @classmethod
    def from_bytes(
        cls,
        data: bytes | bytearray | memoryview,
        alt: str | None = None,
        focus: Sequence[float] | None = None,
    ) -> Media:
        """An image held in memory (the encoded file, e.g. JPEG or PNG bytes)."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise InvalidPostError("media.data", f"must be bytes, not {type(data).__name__}")
        return cls(data=bytes(data), alt=alt, focus=focus)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, field: str = "media") -> Media:
        """Build from ``{"path": ..., "alt": ..., "focus": [x, y]}``.

        ``{"data": <base64>}`` stands for an image held in memory.
        """
        if not isinstance(d, Mapping):
            raise InvalidPostError(field, f"must be a mapping, not {type(d).__name__}")
        _reject_unknown_keys(d, {"path", "data", "alt", "focus"}, field)
        try:
            if "data" in d and "path" in d:
                raise InvalidPostError("media", "needs exactly one of a path or bytes")
            if "data" in d:
                raw = d["data"]
                if not isinstance(raw, str):
                    raise InvalidPostError("media.data", "must be a base64 string")
                try:
                    data = base64.b64decode(raw, validate=True)
                except (binascii.Error, ValueError):  # ValueError: not ASCII
                    raise InvalidPostError("media.data", "is not valid base64") from None
                return cls.from_bytes(data, alt=d.get("alt"), focus=d.get("focus"))
            if "path" not in d:
                raise InvalidPostError("media.path", "is missing")
            return cls.from_path(d["path"], alt=d.get("alt"), focus=d.get("focus"))
        except InvalidPostError as exc:
            raise InvalidPostError(exc.field.replace("media", field, 1), exc.problem) from None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.path is not None:
            out["path"] = self.path.as_posix()
        else:
            assert self.data is not None
            out["data"] = base64.b64encode(self.data).decode("ascii")
        out["alt"] = self.alt
        out["focus"] = list(self.focus) if self.focus is not None else None
        return out


# --------------------------------------------------------------------------- Post


def _hashtags(value: Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | set | frozenset):
        raise InvalidPostError("hashtags", f"must be a list of strings, not {type(value).__name__}")
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(value):
        try:
            tag = normalize_hashtag(raw)
        except ValueError as exc:
            raise InvalidPostError(f"hashtags[{i}]", str(exc)) from None
        # Canonical caseless matching (Unicode 3.13, D145): "Café", "CAFÉ" and a
        # decomposed "café" are one tag.
        key = unicodedata.normalize("NFD", unicodedata.normalize("NFD", tag).casefold())
        if key not in seen:  # case-insensitive duplicates keep the first spelling
            seen.add(key)
            out.append(tag)
    return tuple(out)


def _campaign(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalize_hashtag(value)
    except ValueError as exc:
        raise InvalidPostError("campaign", str(exc)) from None


def _link(value: str | None) -> str | None:
    if value is None:
        return None
    _check_str(value, "link", allow_none=True)
    link = value.strip()
    _check_publishable(link, "link")
    control = _CONTROL.search(link)
    if control is not None:
        raise InvalidPostError(
            "link", f"holds a control character (U+{ord(control.group()):04X}): no URL does"
        )
    if _LINK.fullmatch(link) is None:
        raise InvalidPostError("link", f"{_shown(value)} is not an http(s) URL with a host")
    return link


def _mentions(value: Mapping[str, Mention | Mapping[str, Any]]) -> FrozenMap[str, Mention]:
    if not isinstance(value, Mapping):
        raise InvalidPostError("mentions", f"must be a mapping, not {type(value).__name__}")
    out: dict[str, Mention] = {}
    for key, mention in value.items():
        if not isinstance(key, str) or _MENTION_KEY.fullmatch(key) is None:
            raise InvalidPostError(
                "mentions", f"key {_shown(key)} must be ASCII letters, digits, '_', '.' or '-'"
            )
        if isinstance(mention, Mention):
            out[key] = mention
        else:
            out[key] = Mention.from_dict(mention, field=f"mentions[{_shown(key)}]")
    return FrozenMap(out)


def _media(value: Sequence[Media]) -> tuple[Media, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InvalidPostError("media", f"must be a list of Media, not {type(value).__name__}")
    for i, m in enumerate(value):
        if not isinstance(m, Media):
            raise InvalidPostError(f"media[{i}]", f"must be a Media, not {type(m).__name__}")
    return tuple(value)


def _variants(value: Mapping[str, str]) -> FrozenMap[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidPostError("variants", f"must be a mapping, not {type(value).__name__}")
    out: dict[str, str] = {}
    for platform, text in value.items():
        _check_str(platform, "variants")
        field = f"variants[{_shown(platform)}]"
        name = _canonical_platform(platform, field)
        _check_str(text, field)
        if _blank(text):
            raise InvalidPostError(field, _NOTHING_IN_IT if text.strip() else "is empty")
        if name in out:
            raise InvalidPostError(field, f"a variant for {_shown(name)} is already given")
        out[name] = text
    return FrozenMap(out)


_POST_KEYS: Final = ("text", "hashtags", "campaign", "link", "mentions", "media", "variants")


def _reject_unknown_keys(
    d: Mapping[str, Any], allowed: set[str] | tuple[str, ...], field: str
) -> None:
    unknown = [k for k in d if k not in allowed]
    if unknown:
        raise InvalidPostError(
            field,
            f"unknown key {_shown(unknown[0])}; allowed keys: {', '.join(sorted(allowed))}",
        )


@attrs.frozen
class Post:
    """One post idea, before it is adapted to any platform.

    - ``text``: the message. Mentions are written ``@{key}``.
    - ``hashtags``: in priority order, with or without ``#``; normalised (no ``#``,
      no spaces) and de-duplicated case-insensitively.
    - ``campaign``: the one campaign tag, which every platform keeps first.
    - ``link``: the URL the post promotes (http or https).
    - ``mentions``: ``key -> Mention`` for every ``@{key}`` of the texts.
    - ``media``: the images, in order.
    - ``variants``: a platform's own text, replacing ``text`` on that platform.
    """

    text: str = ""
    hashtags: tuple[str, ...] = attrs.field(default=(), converter=_hashtags)
    campaign: str | None = attrs.field(default=None, converter=_campaign)
    link: str | None = attrs.field(default=None, converter=_link)
    mentions: Mapping[str, Mention] = attrs.field(factory=FrozenMap, converter=_mentions)
    media: tuple[Media, ...] = attrs.field(default=(), converter=_media)
    variants: Mapping[str, str] = attrs.field(factory=FrozenMap, converter=_variants)

    def __attrs_post_init__(self) -> None:
        _check_str(self.text, "text")
        if not self.media and _blank(self.text):
            if not self.text.strip():
                raise InvalidPostError(
                    "text", "is empty and the post has no media: nothing to post"
                )
            raise InvalidPostError("text", f"{_NOTHING_IN_IT}, and the post has no media")
        texts = [("text", self.text)]
        texts += [(f"variants[{_shown(k)}]", v) for k, v in self.variants.items()]
        for field, text in texts:
            for match in MENTION_REFERENCE.finditer(text):
                key = match.group(1)
                if key not in self.mentions:
                    known = ", ".join(sorted(self.mentions)) or "none"
                    raise InvalidPostError(
                        field,
                        f"refers to @{{{key}}} but mentions has no {_shown(key)} (known: {known})",
                    )

    def text_for(self, platform: str) -> str:
        """The text written for ``platform`` (a name or an alias): its variant or ``text``.

        Raises TypeError when ``platform`` is not a string."""
        if not isinstance(platform, str):
            raise TypeError(f"platform must be a string, not {type(platform).__name__}")
        return self.variants.get(_lookup_name(platform), self.text)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Post:
        """Build a post from a JSON-able mapping with the keys of :meth:`to_dict`."""
        if not isinstance(d, Mapping):
            raise InvalidPostError("post", f"must be a mapping, not {type(d).__name__}")
        _reject_unknown_keys(d, _POST_KEYS, "post")

        def get(key: str, absent: Any) -> Any:
            value = d.get(key)
            return absent if value is None else value

        media = get("media", [])
        if isinstance(media, str | bytes) or not isinstance(media, Sequence):
            raise InvalidPostError("media", f"must be a list, not {type(media).__name__}")
        hashtags = get("hashtags", ())
        if isinstance(hashtags, str):
            raise InvalidPostError("hashtags", "must be a list of strings, not a string")
        return cls(
            text=get("text", ""),
            hashtags=hashtags,
            campaign=d.get("campaign"),
            link=d.get("link"),
            mentions=get("mentions", {}),
            media=tuple(Media.from_dict(m, field=f"media[{i}]") for i, m in enumerate(media)),
            variants=get("variants", {}),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict that :meth:`from_dict` turns back into an equal post."""
        return {
            "text": self.text,
            "hashtags": list(self.hashtags),
            "campaign": self.campaign,
            "link": self.link,
            "mentions": {k: m.to_dict() for k, m in self.mentions.items()},
            "media": [m.to_dict() for m in self.media],
            "variants": dict(self.variants),
        }
