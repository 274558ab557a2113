"""Hypothesis strategies for the idea: hashtags, mentions, media and whole posts.

Every strategy here produces *valid* input: a ``Post`` built from it never raises.
Import them in a test module as ``from strategies import posts`` (``tests/`` is on
``sys.path`` under pytest, as for ``conftest``).

- :func:`hashtags`: lists of hashtags as a person types them (with or without
  ``#``, several words, many scripts), not yet normalised;
- :func:`mentions`: ``key -> Mention`` mappings, handles keyed by platform names
  or aliases in any case;
- :func:`media`: ``Media`` from a path (which need not exist) or from the bytes of
  a real, tiny image that Pillow can open;
- :func:`posts`: whole posts, with ``@{key}`` references in the text and variants.
"""

from __future__ import annotations

import io
import string
import unicodedata
from typing import Any

from hypothesis import strategies as st
from PIL import Image

from crosspost_adapt import Media, Mention, Post
from crosspost_adapt.text.fitting import remove_break_markers

__all__ = [
    "BUILTIN_PLATFORMS",
    "SAMPLE_WORDS",
    "hashtag",
    "hashtags",
    "image_bytes",
    "link",
    "media",
    "mention_key",
    "mentions",
    "platform_spelling",
    "posts",
    "text",
]

#: The built-in platforms, in the order ``platforms()`` lists them.
BUILTIN_PLATFORMS = (
    "x",
    "facebook",
    "instagram",
    "snapchat",
    "linkedin",
    "threads",
    "bluesky",
    "mastodon",
)

#: Words in many scripts, with the emoji sequences that length counting gets wrong
#: most often (ZWJ families, flags, skin tones, keycaps, variation selectors).
SAMPLE_WORDS = (
    "autumn",
    "Café",
    "cafe\u0301",  # decomposed é
    "naïve",
    "Straße",
    "İstanbul",
    "Ελλάδα",
    "Москва",
    "Հայաստան",
    "ქართული",
    "עברית",
    "العربية",
    "فارسی",
    "हिन्दी",
    "বাংলা",
    "தமிழ்",
    "ไทย",
    "ລາວ",
    "မြန်မာ",
    "ខ្មែរ",
    "中文",
    "日本語",
    "カタカナ",
    "한국어",
    "ᠮᠣᠩᠭᠣᠯ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "𠜎𠜱",  # outside the BMP: surrogate pairs in UTF-16
    "🎃",
    "👍🏽",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇫🇷",
    "1️⃣",
    "❤️",
    "#hash",
    "$CASH",
    "@plain",
    "example.com",
    "https://example.org/a?b=c#d",
    "\u200d",
    "\u200f",  # right-to-left mark
    "\t",
    "\n",
)

_TAG_CATEGORIES = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd"))
# Letters, marks and decimal digits of every script: the characters of a hashtag.
_TAG_CHARS = st.characters(categories=("L", "M", "Nd"))
# Letters and digits only: a hashtag needs at least one.
_TAG_ANCHOR = st.characters(categories=("L", "Nd"))
# Any assigned character a text may hold, controls and format characters included
# (lone surrogates are not text; unassigned and private-use ones are left out).
_ANY_CHAR = st.characters(exclude_categories=("Cs", "Cn", "Co"))
#: The characters no platform accepts (a byte-order mark, noncharacters): a text
#: may hold them (adapting removes them), a name, a handle or a link may not.
_UNPUBLISHABLE = "\ufeff\ufffe\uffff"
_NAME_CHAR = st.characters(exclude_categories=("Cs", "Cn", "Co"), exclude_characters=_UNPUBLISHABLE)


def _nothing(text: str) -> bool:
    """Whether ``text`` holds nothing to publish (a post needs media then)."""
    for c in _UNPUBLISHABLE:
        text = text.replace(c, "")
    return not remove_break_markers(text).strip()


def _is_tag_text(s: str) -> bool:
    return all(c == "_" or unicodedata.category(c) in _TAG_CATEGORIES for c in s)


@st.composite
def hashtag(draw: st.DrawFn) -> str:
    """One valid hashtag as typed: optional ``#``, one or more words, any script."""
    n_words = draw(st.integers(1, 3))
    words = []
    for _ in range(n_words):
        head = draw(st.text(_TAG_CHARS | st.just("_"), max_size=4))
        anchor = draw(_TAG_ANCHOR | st.sampled_from("aZ09éß中ع"))
        tail = draw(st.text(_TAG_CHARS, max_size=4))
        words.append(head + anchor + tail)
    # The words of a multi-word tag get a capital initial; the capital of a few
    # characters is no hashtag character (rare, and an invalid tag): avoid them.
    if n_words > 1:
        words = [w for w in words if _is_tag_text(w[:1].upper())] or ["tag"]
    prefix = draw(st.sampled_from(("", "", "#", "# ", "\uff03", " ")))
    suffix = draw(st.sampled_from(("", "", " ")))
    return prefix + " ".join(words) + suffix


def hashtags(max_size: int = 8) -> st.SearchStrategy[list[str]]:
    """A list of valid hashtags as typed (duplicates, in any case, included)."""
    known = st.sampled_from(("PumpkinSpice", "#pumpkinspice", "Pumpkin Spice", "café", "CAFÉ"))
    return st.lists(hashtag() | known, max_size=max_size)


def mention_key() -> st.SearchStrategy[str]:
    """A key a text may refer to as ``@{key}``."""
    first = string.ascii_letters + string.digits + "_"
    return st.builds(
        lambda a, b: a + b,
        st.sampled_from(first),
        st.text(alphabet=first + ".-", max_size=12),
    )


def platform_spelling(platform: str) -> st.SearchStrategy[str]:
    """Ways to write ``platform`` that must all mean it: aliases, any case."""
    names = ("x", "twitter") if platform == "x" else (platform,)
    return st.sampled_from(names).flatmap(
        lambda n: st.sampled_from((n, n.upper(), n.capitalize(), f" {n} "))
    )


def _handle(platform: str) -> st.SearchStrategy[str]:
    word = st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1, max_size=15)
    if platform == "mastodon":
        body = st.builds(lambda u, h: f"{u}@{h}.social", word, word)
    elif platform == "bluesky":  # a domain name
        body = st.builds(lambda u: f"{u}.bsky.social", word) | st.sampled_from(("café.fr",))
    elif platform == "linkedin":
        body = st.integers(1, 10**12).map(lambda n: f"urn:li:organization:{n}")
    else:
        body = word | st.sampled_from(("café_ok", "日本語", "user.name"))
    return st.builds(lambda at, b: at + b, st.sampled_from(("", "@", " @", "\uff20")), body)


@st.composite
def _mention(draw: st.DrawFn) -> Mention:
    name = draw(st.text(_NAME_CHAR, min_size=1, max_size=20).filter(str.strip))
    chosen = draw(st.lists(st.sampled_from(BUILTIN_PLATFORMS), unique=True, max_size=4))
    handles = {draw(platform_spelling(p)): draw(_handle(p)) for p in chosen}
    return Mention(name, handles)


def mentions(max_size: int = 4) -> st.SearchStrategy[dict[str, Mention]]:
    """A mapping ``key -> Mention`` (valid keys, names in any script, some handles)."""
    return st.dictionaries(mention_key(), _mention(), max_size=max_size)


_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")


@st.composite
def image_bytes(draw: st.DrawFn) -> bytes:
    """The encoded bytes of a tiny image (PNG, JPEG, GIF or WEBP) made in memory."""
    fmt = draw(st.sampled_from(_FORMATS))
    mode = draw(st.sampled_from(("RGB", "RGBA", "L", "P")))
    if fmt == "JPEG" and mode in ("RGBA", "P"):
        mode = "RGB"
    size = (draw(st.integers(1, 12)), draw(st.integers(1, 12)))
    colour: Any = (
        draw(st.integers(0, 255))
        if mode in ("L", "P")
        else draw(st.tuples(*[st.integers(0, 255)] * len(mode)))
    )
    buf = io.BytesIO()
    Image.new(mode, size, colour).save(buf, format=fmt)
    return buf.getvalue()


def _path() -> st.SearchStrategy[str]:
    segment = st.text(
        st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"),
        min_size=1,
        max_size=10,
    ) | st.sampled_from(("photos", "..", "IMG_0001.JPG", "café.png", "画像.webp"))
    return st.builds(
        lambda root, parts: root + "/".join(parts),
        st.sampled_from(("", "/", "./", "~/")),
        st.lists(segment, min_size=1, max_size=4),
    ).filter(str.strip)


def _focus() -> st.SearchStrategy[tuple[float, float] | list[float] | None]:
    unit = st.floats(0.0, 1.0) | st.sampled_from((0, 1, 0.5))
    return st.none() | st.tuples(unit, unit) | st.lists(unit, min_size=2, max_size=2)


def media(*, paths: bool = True, images: bool = True) -> st.SearchStrategy[Media]:
    """A ``Media``: ``from_path`` (a path that need not exist, when ``paths``) or
    ``from_bytes`` of a real tiny image (when ``images``), with alt text and focus."""
    alt = st.none() | st.text(_ANY_CHAR, max_size=40) | st.sampled_from(SAMPLE_WORDS)
    choices = []
    if paths:
        choices.append(st.builds(Media.from_path, _path(), alt, _focus()))
    if images:
        choices.append(st.builds(Media.from_bytes, image_bytes(), alt, _focus()))
    if not choices:
        raise ValueError("media() needs paths or images")
    return st.one_of(choices)


@st.composite
def text(draw: st.DrawFn, keys: tuple[str, ...] = (), max_parts: int = 12) -> str:
    """A text in many scripts with emoji, referring to some of ``keys`` as ``@{key}``.

    The random parts never hold ``@{`` themselves, so every reference is one of
    ``keys``. The text may be empty or blank.
    """
    chunk = st.text(_ANY_CHAR, max_size=12).filter(lambda s: "@{" not in s)
    part = chunk | st.sampled_from(SAMPLE_WORDS)
    if keys:
        part = part | st.sampled_from(keys).map(lambda k: f"@{{{k}}}")
    parts = draw(st.lists(part, max_size=max_parts))
    sep = draw(st.sampled_from((" ", " ", "\n", " \u3000")))
    # A separator keeps "@" at the end of one part away from "{" at the start of
    # the next; so does a reference put after a plain "@" (it stays "@@{key}").
    return sep.join(parts)


@st.composite
def link(draw: st.DrawFn) -> str:
    """An http(s) URL with a host, as a person pastes it (maybe with spaces around)."""
    label = st.text(
        st.characters(categories=("L", "Nd")) | st.sampled_from("-"), min_size=1, max_size=10
    ).filter(lambda s: s[0] != "-" and s[-1] != "-")
    host = ".".join(draw(st.lists(label, min_size=1, max_size=3)))
    tld = draw(st.sampled_from(("com", "org", "co.uk", "de", "рф", "中国", "social")))
    scheme = draw(st.sampled_from(("https://", "http://", "HTTPS://")))
    port = draw(st.sampled_from(("", "", ":8080")))
    tail = draw(st.sampled_from(("", "/", "/autumn-menu", "/a?b=c&d=e#f", "?utm_source=x", "#top")))
    extra = draw(
        st.text(
            st.characters(exclude_categories=("Cs", "Z", "Cc"), exclude_characters=_UNPUBLISHABLE),
            max_size=8,
        )
    )
    if tail and tail[0] in "/?#":
        tail += extra
    space = draw(st.sampled_from(("", "", " ", "\n")))
    return f"{space}{scheme}{host}.{tld}{port}{tail}{space}"


@st.composite
def posts(
    draw: st.DrawFn,
    *,
    media_strategy: st.SearchStrategy[Media] | None = None,
    max_media: int = 4,
    platforms: tuple[str, ...] = BUILTIN_PLATFORMS,
) -> Post:
    """A valid ``Post``: text in many scripts with ``@{key}`` references to its
    mentions, hashtags as typed, maybe a campaign and a link, media from paths and
    from bytes, variants for some of ``platforms`` (spelled by alias or in any case).

    ``media_strategy`` replaces :func:`media` (``media(paths=False)`` gives posts
    whose every image can be opened); ``max_media=0`` gives text-only posts.
    """
    people = draw(mentions())
    keys = tuple(people)
    items = draw(st.lists(media_strategy or media(), max_size=max_media))
    body = draw(text(keys))
    if _nothing(body) and not items:
        body = draw(st.sampled_from(SAMPLE_WORDS[:30]))
    variant_platforms = draw(st.lists(st.sampled_from(platforms), unique=True, max_size=3))
    variants = {}
    for p in variant_platforms:
        spelling = draw(platform_spelling(p))
        variants[spelling] = draw(text(keys, max_parts=6).filter(lambda t: not _nothing(t)))
    return Post(
        text=body,
        hashtags=draw(hashtags()),
        campaign=draw(st.none() | hashtag()),
        link=draw(st.none() | link()),
        mentions=people,
        media=items,
        variants=variants,
    )
