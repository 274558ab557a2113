"""The idea: Post, Mention, Media. Tables of valid and invalid input, and properties."""

from __future__ import annotations

import base64
import copy
import json
import math
import pickle
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import BUILTIN_PLATFORMS, hashtags, media, mentions, posts

from crosspost_adapt import (
    CrosspostError,
    InvalidPostError,
    Media,
    Mention,
    Post,
    UnknownPlatformError,
)
from crosspost_adapt._frozen import FrozenMap
from crosspost_adapt.text.hashtags import normalize_hashtag

POST_KEYS = ["text", "hashtags", "campaign", "link", "mentions", "media", "variants"]
BOB = Mention("Bob", {"x": "bob"})
PHOTO = Media.from_path("photo.jpg")


# ----------------------------------------------------------------------- valid input

HASHTAG_CASES = [
    ([], ()),
    (["PumpkinSpice"], ("PumpkinSpice",)),
    (["#PumpkinSpice"], ("PumpkinSpice",)),
    (["Pumpkin Spice"], ("PumpkinSpice",)),
    (["#Pumpkin Spice"], ("PumpkinSpice",)),
    (["Pumpkin   Spice"], ("PumpkinSpice",)),
    (["  #tag  "], ("tag",)),
    (["# tag"], ("tag",)),
    (["\uff03日本語"], ("日本語",)),  # fullwidth number sign
    (["2024"], ("2024",)),  # digits are enough
    (["_a"], ("_a",)),
    (["#café"], ("café",)),
    (["العربية"], ("العربية",)),
    (["हिन्दी"], ("हिन्दी",)),  # combining marks stay in the tag
    (["b", "a", "c"], ("b", "a", "c")),  # priority order is kept
    (["PumpkinSpice", "pumpkinspice", "#PUMPKINSPICE"], ("PumpkinSpice",)),
    (["Pumpkin Spice", "#PumpkinSpice"], ("PumpkinSpice",)),
    (["a", "B", "A", "b", "c"], ("a", "B", "c")),  # first spelling wins
    (["Café", "CAFÉ", "café"], ("Café",)),
    (["Straße", "STRASSE"], ("Straße",)),  # full case folding
    (["café", "cafe\u0301"], ("café",)),  # NFC and NFD spellings are one tag
    (("a", "b"), ("a", "b")),  # any sequence
]


@pytest.mark.parametrize(("given_tags", "expected"), HASHTAG_CASES)
def test_hashtags_are_normalised(given_tags: list[str], expected: tuple[str, ...]) -> None:
    post = Post(text="hi", hashtags=given_tags)
    assert post.hashtags == expected
    assert type(post.hashtags) is tuple


VALID_POSTS: list[tuple[dict[str, Any], str, Any]] = [
    ({"text": "hi"}, "text", "hi"),
    ({"text": "hi"}, "hashtags", ()),
    ({"text": "hi"}, "campaign", None),
    ({"text": "hi"}, "link", None),
    ({"text": "hi"}, "mentions", {}),
    ({"text": "hi"}, "media", ()),
    ({"text": "hi"}, "variants", {}),
    ({"text": "  spaced  "}, "text", "  spaced  "),  # the text is the author's
    ({"text": "", "media": [PHOTO]}, "text", ""),  # an image alone is a post
    ({"text": "  ", "media": [PHOTO]}, "media", (PHOTO,)),
    ({"text": "hi", "campaign": "#Autumn Menu"}, "campaign", "AutumnMenu"),
    ({"text": "hi", "campaign": "autumn"}, "campaign", "autumn"),
    ({"text": "hi", "link": "https://example.com"}, "link", "https://example.com"),
    (
        {"text": "hi", "link": " http://example.com/a?b=c#d \n"},
        "link",
        "http://example.com/a?b=c#d",
    ),
    ({"text": "hi", "link": "HTTPS://Example.COM/X"}, "link", "HTTPS://Example.COM/X"),
    ({"text": "hi", "link": "https://пример.рф/путь"}, "link", "https://пример.рф/путь"),
    ({"text": "hi", "link": "https://a.b:8080/"}, "link", "https://a.b:8080/"),
    ({"text": "hi @{bob}", "mentions": {"bob": BOB}}, "mentions", {"bob": BOB}),
    (
        {"text": "hi @{bob}", "mentions": {"bob": {"name": "Bob", "handles": {"x": "@bob"}}}},
        "mentions",
        {"bob": BOB},
    ),
    (
        {"text": "hi", "mentions": {"a.b-c_9": {"name": "Unused"}}},  # unused is fine
        "mentions",
        {"a.b-c_9": Mention("Unused")},
    ),
    ({"text": "hi @@{bob}", "mentions": {"bob": BOB}}, "text", "hi @@{bob}"),
    ({"text": "email@example.com {braces} @ {x}"}, "text", "email@example.com {braces} @ {x}"),
    ({"text": "hi", "variants": {"x": "short"}}, "variants", {"x": "short"}),
    ({"text": "hi", "variants": {"twitter": "short"}}, "variants", {"x": "short"}),
    ({"text": "hi", "variants": {"TWITTER": "short"}}, "variants", {"x": "short"}),
    ({"text": "hi", "variants": {" Instagram ": "long"}}, "variants", {"instagram": "long"}),
    (
        {"text": "hi", "variants": {"mastodon": "a", "bluesky": "b"}},
        "variants",
        {"mastodon": "a", "bluesky": "b"},
    ),
    (
        {"text": "hi", "variants": {"x": "@{bob}"}, "mentions": {"bob": BOB}},
        "variants",
        {"x": "@{bob}"},
    ),
    ({"text": "hi", "media": [PHOTO, PHOTO]}, "media", (PHOTO, PHOTO)),
    ({"text": "hi", "media": (PHOTO,)}, "media", (PHOTO,)),
]


@pytest.mark.parametrize(("kwargs", "field", "expected"), VALID_POSTS)
def test_valid_post_fields(kwargs: dict[str, Any], field: str, expected: Any) -> None:
    post = Post(**kwargs)
    assert getattr(post, field) == expected
    # The same post from its dict form: from_dict accepts what Post accepts.
    as_dict = {k: v for k, v in kwargs.items() if k != "media"}
    as_dict["media"] = [m.to_dict() for m in kwargs.get("media", ())]
    assert Post.from_dict(as_dict) == post


MENTION_CASES: list[tuple[dict[str, str], dict[str, str]]] = [
    ({}, {}),
    ({"x": "bob"}, {"x": "bob"}),
    ({"x": "@bob"}, {"x": "bob"}),
    ({"x": "\uff20bob"}, {"x": "bob"}),  # fullwidth at sign
    ({"x": "  @bob  "}, {"x": "bob"}),
    ({"twitter": "bob"}, {"x": "bob"}),
    ({"Twitter": "bob"}, {"x": "bob"}),
    ({"mastodon": "@bob@mastodon.social"}, {"mastodon": "bob@mastodon.social"}),
    ({"linkedin": "urn:li:organization:123"}, {"linkedin": "urn:li:organization:123"}),
    (
        {"bluesky": "bob.bsky.social", "threads": "bob"},
        {"bluesky": "bob.bsky.social", "threads": "bob"},
    ),
]


@pytest.mark.parametrize(("handles", "expected"), MENTION_CASES)
def test_mention_handles_are_normalised(handles: dict[str, str], expected: dict[str, str]) -> None:
    mention = Mention("Bob", handles)
    assert mention.handles == expected
    for platform, handle in expected.items():
        assert mention.handle(platform) == handle
    assert mention.handle("facebook") is None or "facebook" in expected
    assert Mention.from_dict(mention.to_dict()) == mention


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, {"path": "photo.jpg", "alt": None, "focus": None}),
        ({"alt": "A pumpkin"}, {"path": "photo.jpg", "alt": "A pumpkin", "focus": None}),
        ({"alt": ""}, {"path": "photo.jpg", "alt": "", "focus": None}),
        ({"focus": (0.5, 0.25)}, {"path": "photo.jpg", "alt": None, "focus": [0.5, 0.25]}),
        ({"focus": [0, 1]}, {"path": "photo.jpg", "alt": None, "focus": [0.0, 1.0]}),
        ({"focus": (1.0, 0.0)}, {"path": "photo.jpg", "alt": None, "focus": [1.0, 0.0]}),
    ],
)
def test_media_from_path_to_dict(kwargs: dict[str, Any], expected: dict[str, Any]) -> None:
    m = Media.from_path("photo.jpg", **kwargs)
    assert m.path == Path("photo.jpg")
    assert m.data is None
    assert m.to_dict() == expected
    assert Media.from_dict(expected) == m


@pytest.mark.parametrize(
    "path", ["photo.jpg", Path("photo.jpg"), "dir/sub/photo.jpg", "/abs/photo.jpg", "café/画像.png"]
)
def test_media_from_path_accepts_str_and_pathlike(path: str | Path) -> None:
    m = Media.from_path(path)
    assert m.path == Path(path)
    assert isinstance(m.path, Path)
    assert m.to_dict()["path"] == Path(path).as_posix()


@pytest.mark.parametrize("data", [b"\x89PNG", bytearray(b"\xff\xd8\xff"), memoryview(b"GIF89a")])
def test_media_from_bytes_accepts_bytes_likes(data: bytes | bytearray | memoryview) -> None:
    m = Media.from_bytes(data, alt="x", focus=(0.1, 0.9))
    assert m.data == bytes(data)
    assert type(m.data) is bytes
    assert m.path is None
    assert m.focus == (0.1, 0.9)


def test_media_does_not_read_the_file() -> None:
    m = Media.from_path("/no/such/dir/photo.jpg")  # only a reference
    assert m.path == Path("/no/such/dir/photo.jpg")


def test_text_for_uses_the_variant() -> None:
    post = Post(text="long text", variants={"twitter": "short"})
    assert post.text_for("x") == "short"
    assert post.text_for("instagram") == "long text"


@pytest.mark.parametrize("platform", [["x"], None, 1, b"x"])
def test_text_for_takes_a_platform_name_only(platform: object) -> None:
    post = Post(text="long text", variants={"x": "short"})
    with pytest.raises(TypeError, match="platform must be a string"):
        post.text_for(platform)  # type: ignore[arg-type]


def test_inputs_are_copied_not_shared() -> None:
    tags, handles, variants = ["a"], {"x": "bob"}, {"x": "short"}
    people = {"bob": {"name": "Bob", "handles": handles}}
    post = Post(text="@{bob}", hashtags=tags, mentions=people, variants=variants)
    tags.append("b")
    handles["x"] = "eve"
    variants["x"] = "changed"
    people["eve"] = {"name": "Eve"}
    assert post.hashtags == ("a",)
    assert post.mentions == {"bob": BOB}
    assert post.variants == {"x": "short"}


def test_post_is_frozen() -> None:
    post = Post(text="hi", variants={"x": "a"}, mentions={"bob": BOB})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        post.text = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        post.variants["x"] = "b"  # type: ignore[index]
    with pytest.raises(TypeError):
        post.mentions["eve"] = BOB  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        BOB.name = "Eve"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        PHOTO.alt = "x"  # type: ignore[misc]


def test_posts_are_equal_by_value() -> None:
    a = Post(
        text="hi",
        hashtags=["A"],
        variants={"x": "1", "bluesky": "2"},
        mentions={"a": Mention("A"), "b": Mention("B")},
    )
    b = Post(
        text="hi",
        hashtags=["#A"],
        variants={"bluesky": "2", "twitter": "1"},
        mentions={"b": {"name": "B"}, "a": {"name": "A"}},
    )
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != attrs.evolve(a, text="ho")
    assert a != attrs.evolve(a, hashtags=["A", "B"])
    assert a != attrs.evolve(a, variants={"x": "1"})
    assert a != attrs.evolve(a, mentions={"a": Mention("A"), "b": Mention("B", {"x": "b"})})
    assert Media.from_path("a.png") != Media.from_path("a.png", focus=(0.5, 0.5))
    assert Media.from_path("a.png") != Media.from_path("b.png")


# --------------------------------------------------------------------- invalid input

# (kwargs of Post, the field named by the error, a piece of its problem)
INVALID_POSTS: list[tuple[dict[str, Any], str, str]] = [
    ({}, "text", "nothing to post"),
    ({"text": ""}, "text", "no media"),
    ({"text": "   "}, "text", "empty"),
    ({"text": "\n\t\u3000"}, "text", "empty"),
    ({"text": None}, "text", "must be a string, not NoneType"),
    ({"text": 42}, "text", "must be a string, not int"),
    ({"text": b"hi"}, "text", "must be a string, not bytes"),
    ({"text": "hi", "hashtags": ["#"]}, "hashtags[0]", "no letters or digits"),
    ({"text": "hi", "hashtags": [""]}, "hashtags[0]", "no letters or digits"),
    ({"text": "hi", "hashtags": ["ok", "___"]}, "hashtags[1]", "no letters or digits"),
    ({"text": "hi", "hashtags": ["ok", "ok2", "🎃"]}, "hashtags[2]", "no letters or digits"),
    ({"text": "hi", "hashtags": ["pumpkin🎃"]}, "hashtags[0]", "would end the hashtag"),
    ({"text": "hi", "hashtags": ["rock-n-roll"]}, "hashtags[0]", "'-'"),
    ({"text": "hi", "hashtags": ["a.b"]}, "hashtags[0]", "'.'"),
    ({"text": "hi", "hashtags": ["##tag"]}, "hashtags[0]", "'#'"),
    ({"text": "hi", "hashtags": [5]}, "hashtags[0]", "must be a string"),
    ({"text": "hi", "hashtags": [None]}, "hashtags[0]", "must be a string"),
    ({"text": "hi", "hashtags": "PumpkinSpice"}, "hashtags", "must be a list"),
    ({"text": "hi", "hashtags": b"ab"}, "hashtags", "must be a list"),
    ({"text": "hi", "hashtags": None}, "hashtags", "must be a list"),
    ({"text": "hi", "hashtags": {"a": 1}}, "hashtags", "must be a list"),
    ({"text": "hi", "campaign": "#"}, "campaign", "no letters or digits"),
    ({"text": "hi", "campaign": ""}, "campaign", "no letters or digits"),
    ({"text": "hi", "campaign": "a!"}, "campaign", "'!'"),
    ({"text": "hi", "campaign": 5}, "campaign", "must be a string"),
    ({"text": "hi", "link": "example.com"}, "link", "not an http(s) URL"),
    ({"text": "hi", "link": "ftp://example.com"}, "link", "not an http(s) URL"),
    ({"text": "hi", "link": "https://localhost"}, "link", "not an http(s) URL"),
    ({"text": "hi", "link": "https://exa mple.com"}, "link", "not an http(s) URL"),
    ({"text": "hi", "link": "https://example.com/a b"}, "link", "not an http(s) URL"),
    ({"text": "hi", "link": ""}, "link", "not an http(s) URL"),
    ({"text": "hi", "link": 5}, "link", "must be a string or None, not int"),
    ({"text": "hi", "mentions": []}, "mentions", "must be a mapping"),
    ({"text": "hi", "mentions": None}, "mentions", "must be a mapping"),
    ({"text": "hi", "mentions": {"bad key": BOB}}, "mentions", "'bad key'"),
    ({"text": "hi", "mentions": {"": BOB}}, "mentions", "key ''"),
    ({"text": "hi", "mentions": {".bob": BOB}}, "mentions", "'.bob'"),
    ({"text": "hi", "mentions": {5: BOB}}, "mentions", "key 5"),
    ({"text": "hi", "mentions": {"bob": "Bob"}}, "mentions['bob']", "must be a mapping"),
    ({"text": "hi", "mentions": {"bob": {}}}, "mentions['bob'].name", "is missing"),
    ({"text": "hi", "mentions": {"bob": {"name": " "}}}, "mentions['bob'].name", "is empty"),
    ({"text": "hi", "mentions": {"bob": {"name": 5}}}, "mentions['bob'].name", "must be a string"),
    (
        {"text": "hi", "mentions": {"bob": {"name": "Bob", "nick": "b"}}},
        "mentions['bob']",
        "unknown key 'nick'",
    ),
    (
        {"text": "hi", "mentions": {"bob": {"name": "Bob", "handles": ["x", "bob"]}}},
        "mentions['bob'].handles",
        "must be a mapping",
    ),
    (
        {"text": "hi", "mentions": {"bob": {"name": "Bob", "handles": {"myspace": "bob"}}}},
        "mentions['bob'].handles['myspace']",
        "unknown platform 'myspace'",
    ),
    (
        {"text": "hi", "mentions": {"bob": {"name": "Bob", "handles": {"x": "bob smith"}}}},
        "mentions['bob'].handles['x']",
        "not a handle",
    ),
    (
        {"text": "hi", "mentions": {"bob": {"name": "Bob", "handles": {"x": "@"}}}},
        "mentions['bob'].handles['x']",
        "not a handle",
    ),
    (
        {"text": "hi", "mentions": {"bob": {"name": "Bob", "handles": {"x": "@@bob"}}}},
        "mentions['bob'].handles['x']",
        "not a handle",
    ),
    (
        {"text": "hi", "mentions": {"bob": {"name": "Bob", "handles": {"x": 5}}}},
        "mentions['bob'].handles['x']",
        "must be a string",
    ),
    (
        {"text": "hi", "mentions": {"bob": {"name": "Bob", "handles": {"x": "a", "twitter": "b"}}}},
        "mentions['bob'].handles['twitter']",
        "already given",
    ),
    ({"text": "hi @{bob}"}, "text", "@{bob}"),
    ({"text": "hi @{bob}", "mentions": {"eve": BOB}}, "text", "known: eve"),
    ({"text": "hi @{Bob}", "mentions": {"bob": BOB}}, "text", "@{Bob}"),  # keys are exact
    ({"text": "hi @{John Smith}"}, "text", "@{John Smith}"),
    ({"text": "hi @{}"}, "text", "@{}"),
    ({"text": "hi", "variants": {"x": "@{bob}"}}, "variants['x']", "@{bob}"),
    ({"text": "hi", "variants": {"myspace": "hi"}}, "variants['myspace']", "unknown platform"),
    ({"text": "hi", "variants": {"": "hi"}}, "variants['']", "unknown platform"),
    ({"text": "hi", "variants": {"x": ""}}, "variants['x']", "is empty"),
    ({"text": "hi", "variants": {"x": " \n"}}, "variants['x']", "is empty"),
    ({"text": "hi", "variants": {"x": 5}}, "variants['x']", "must be a string"),
    ({"text": "hi", "variants": {"x": None}}, "variants['x']", "must be a string"),
    ({"text": "hi", "variants": {5: "hi"}}, "variants", "must be a string"),
    ({"text": "hi", "variants": {"x": "a", "twitter": "b"}}, "variants['twitter']", "already"),
    ({"text": "hi", "variants": ["x", "hi"]}, "variants", "must be a mapping"),
    ({"text": "hi", "variants": None}, "variants", "must be a mapping"),
    ({"text": "hi", "media": PHOTO}, "media", "must be a list"),
    ({"text": "hi", "media": "photo.jpg"}, "media", "must be a list"),
    ({"text": "hi", "media": None}, "media", "must be a list"),
    ({"text": "hi", "media": ["photo.jpg"]}, "media[0]", "must be a Media, not str"),
    ({"text": "hi", "media": [PHOTO, {"path": "a"}]}, "media[1]", "must be a Media, not dict"),
]


def _check_error(exc: InvalidPostError, field: str, piece: str) -> None:
    assert exc.field == field
    assert piece in exc.problem
    assert str(exc) == f"{field}: {exc.problem}"  # the field first, then the problem
    assert "\n" not in str(exc)
    assert isinstance(exc, ValueError)
    assert isinstance(exc, CrosspostError)


@pytest.mark.parametrize(("kwargs", "field", "piece"), INVALID_POSTS)
def test_invalid_post(kwargs: dict[str, Any], field: str, piece: str) -> None:
    with pytest.raises(InvalidPostError) as info:
        Post(**kwargs)
    _check_error(info.value, field, piece)


def test_unknown_platform_error_lists_the_known_ones() -> None:
    with pytest.raises(InvalidPostError) as info:
        Post(text="hi", variants={"myspace": "hi"})
    for name in BUILTIN_PLATFORMS:
        assert name in info.value.problem


# (a dict for Post.from_dict, the field named by the error, a piece of its problem)
INVALID_DICTS: list[tuple[Any, str, str]] = [
    ([], "post", "must be a mapping, not list"),
    ("hi", "post", "must be a mapping, not str"),
    (None, "post", "must be a mapping, not NoneType"),
    ({}, "text", "nothing to post"),
    ({"text": None}, "text", "nothing to post"),
    ({"text": 5}, "text", "must be a string"),
    ({"text": "hi", "tags": ["a"]}, "post", "unknown key 'tags'"),
    ({"text": "hi", "Text": "hi"}, "post", "unknown key 'Text'"),
    ({"text": "hi", 5: "x"}, "post", "unknown key 5"),
    ({"text": "hi", "hashtags": "a"}, "hashtags", "not a string"),
    ({"text": "hi", "hashtags": 0}, "hashtags", "must be a list"),
    ({"text": "hi", "hashtags": ["#"]}, "hashtags[0]", "no letters or digits"),
    ({"text": "hi", "mentions": []}, "mentions", "must be a mapping"),
    ({"text": "hi", "mentions": ""}, "mentions", "must be a mapping"),
    ({"text": "hi", "variants": []}, "variants", "must be a mapping"),
    ({"text": "hi", "variants": 0}, "variants", "must be a mapping"),
    ({"text": "hi", "variants": {"myspace": "x"}}, "variants['myspace']", "unknown platform"),
    (
        {"text": "hi", "mentions": {"a": {"name": "A", "handles": []}}},
        "mentions['a'].handles",
        "must be a mapping",
    ),
    ({"text": "hi", "media": "a.jpg"}, "media", "must be a list"),
    ({"text": "hi", "media": 0}, "media", "must be a list"),
    ({"text": "hi", "media": ["a.jpg"]}, "media[0]", "must be a mapping"),
    ({"text": "hi", "media": [{}]}, "media[0].path", "is missing"),
    ({"text": "hi", "media": [{"url": "a"}]}, "media[0]", "unknown key 'url'"),
    ({"text": "hi", "media": [{"path": "a", "data": "AA=="}]}, "media[0]", "exactly one"),
    ({"text": "hi", "media": [{"path": ""}]}, "media[0].path", "is empty"),
    ({"text": "hi", "media": [{"path": 5}]}, "media[0].path", "must be a path"),
    ({"text": "hi", "media": [{"path": "a", "focus": [2, 0]}]}, "media[0].focus", "outside 0..1"),
    ({"text": "hi", "media": [{"path": "a", "focus": [0.5]}]}, "media[0].focus", "a pair"),
    ({"text": "hi", "media": [{"path": "a", "alt": 5}]}, "media[0].alt", "must be a string"),
    ({"text": "hi", "media": [{"path": "a"}, {"data": "@@@"}]}, "media[1].data", "base64"),
    ({"text": "hi", "media": [{"data": 5}]}, "media[0].data", "base64 string"),
    ({"text": "hi", "media": [{"data": ""}]}, "media[0].data", "is empty"),
]


@pytest.mark.parametrize(("d", "field", "piece"), INVALID_DICTS)
def test_invalid_from_dict(d: Any, field: str, piece: str) -> None:
    with pytest.raises(InvalidPostError) as info:
        Post.from_dict(d)
    _check_error(info.value, field, piece)


def test_unknown_key_lists_the_allowed_ones() -> None:
    with pytest.raises(InvalidPostError) as info:
        Post.from_dict({"text": "hi", "tags": []})
    for key in POST_KEYS:
        assert key in info.value.problem


NAN, INF = math.nan, math.inf

# (a call building a Media or a Mention, the field of the error, a piece of its problem)
INVALID_PARTS: list[tuple[Any, str, str]] = [
    (lambda: Media.from_path(""), "media.path", "is empty"),
    (lambda: Media.from_path("  "), "media.path", "is empty"),
    (lambda: Media.from_path("a\x00b"), "media.path", "NUL"),
    (lambda: Media.from_path(5), "media.path", "must be a path, not int"),
    (lambda: Media.from_path(None), "media.path", "must be a path, not NoneType"),
    (lambda: Media.from_path(b"a.jpg"), "media.path", "must be a path, not bytes"),
    (lambda: Media.from_path("a", focus=(1.5, 0.5)), "media.focus", "1.5 is outside 0..1"),
    (lambda: Media.from_path("a", focus=(0.5, -0.1)), "media.focus", "outside 0..1"),
    (lambda: Media.from_path("a", focus=(1.0000001, 0)), "media.focus", "outside 0..1"),
    (lambda: Media.from_path("a", focus=(NAN, 0.5)), "media.focus", "outside 0..1"),
    (lambda: Media.from_path("a", focus=(INF, 0.5)), "media.focus", "outside 0..1"),
    (lambda: Media.from_path("a", focus=(0.5,)), "media.focus", "a pair"),
    (lambda: Media.from_path("a", focus=(0.5, 0.5, 0.5)), "media.focus", "a pair"),
    (lambda: Media.from_path("a", focus=0.5), "media.focus", "a pair"),
    (lambda: Media.from_path("a", focus="ab"), "media.focus", "a pair"),
    (lambda: Media.from_path("a", focus={0.1, 0.2}), "media.focus", "a pair"),
    (lambda: Media.from_path("a", focus=("0.5", 0.5)), "media.focus", "numbers"),
    (lambda: Media.from_path("a", focus=(True, 0.5)), "media.focus", "numbers"),
    (lambda: Media.from_path("a", focus=(None, 0.5)), "media.focus", "numbers"),
    (lambda: Media.from_path("a", alt=5), "media.alt", "must be a string or None"),
    (lambda: Media.from_bytes(b""), "media.data", "is empty (0 bytes)"),
    (lambda: Media.from_bytes("abc"), "media.data", "must be bytes, not str"),
    (lambda: Media.from_bytes(None), "media.data", "must be bytes"),
    (lambda: Media.from_bytes(b"x", focus=(2, 2)), "media.focus", "outside 0..1"),
    (lambda: Media(), "media", "exactly one"),
    (lambda: Media(path=Path("a"), data=b"x"), "media", "exactly one"),
    (lambda: Media(path="a.jpg"), "media.path", "must be a Path"),
    (lambda: Media(data="x"), "media.data", "must be bytes"),
    (lambda: Media.from_dict([]), "media", "must be a mapping"),
    (lambda: Mention(""), "mention.name", "is empty"),
    (lambda: Mention("  "), "mention.name", "is empty"),
    (lambda: Mention(5), "mention.name", "must be a string"),
    (lambda: Mention("A", [("x", "a")]), "mention.handles", "must be a mapping"),
    (lambda: Mention("A", {"x": "a b"}), "mention.handles['x']", "not a handle"),
    (lambda: Mention("A", {"x": ""}), "mention.handles['x']", "not a handle"),
    (lambda: Mention("A", {"myspace": "a"}), "mention.handles['myspace']", "unknown platform"),
    (lambda: Mention("A", {5: "a"}), "mention.handles", "must be a string"),
    (lambda: Mention.from_dict({"handles": {}}), "mention.name", "is missing"),
    (lambda: Mention.from_dict("Bob"), "mention", "must be a mapping"),
]


@pytest.mark.parametrize(("build", "field", "piece"), INVALID_PARTS)
def test_invalid_media_and_mentions(build: Any, field: str, piece: str) -> None:
    with pytest.raises(InvalidPostError) as info:
        build()
    _check_error(info.value, field, piece)


# ------------------------------------------------------------------------ evolve

EVOLVE_ERRORS: list[tuple[dict[str, Any], str]] = [
    ({"text": ""}, "text"),
    ({"text": "hi @{nobody}"}, "text"),
    ({"mentions": {}}, "text"),  # the text still refers to @{bob}
    ({"hashtags": ["#"]}, "hashtags[0]"),
    ({"campaign": "!"}, "campaign"),
    ({"link": "not a link"}, "link"),
    ({"variants": {"myspace": "x"}}, "variants['myspace']"),
    ({"media": ["a.jpg"]}, "media[0]"),
]


@pytest.mark.parametrize(("changes", "field"), EVOLVE_ERRORS)
def test_evolve_validates_again(changes: dict[str, Any], field: str) -> None:
    post = Post(text="hi @{bob}", mentions={"bob": BOB}, hashtags=["a"])
    with pytest.raises(InvalidPostError) as info:
        attrs.evolve(post, **changes)
    assert info.value.field == field
    assert post == Post(text="hi @{bob}", mentions={"bob": BOB}, hashtags=["a"])  # untouched


def test_evolve_to_empty_text_with_media_is_fine_and_normalises() -> None:
    post = Post(text="hi", media=[PHOTO])
    assert attrs.evolve(post, text="").text == ""
    assert attrs.evolve(post, hashtags=["Pumpkin Spice"]).hashtags == ("PumpkinSpice",)
    assert attrs.evolve(post, variants={"twitter": "x"}).variants == {"x": "x"}
    with pytest.raises(InvalidPostError) as info:
        attrs.evolve(post, text="", media=())
    assert info.value.field == "text"
    with pytest.raises(InvalidPostError) as info:
        attrs.evolve(PHOTO, focus=(0.5, 2))
    assert info.value.field == "media.focus"


# ------------------------------------------------------------------------ dict form


def test_to_dict_has_exactly_the_documented_keys() -> None:
    post = Post(
        text="Our autumn menu @{cafe}",
        hashtags=["Pumpkin Spice"],
        campaign="Autumn24",
        link="https://example.com/menu",
        mentions={"cafe": Mention("The Café", {"twitter": "@thecafe"})},
        media=[Media.from_path("menu.jpg", alt="The menu", focus=(0.5, 0.25))],
        variants={"twitter": "Autumn menu @{cafe}"},
    )
    assert post.to_dict() == {
        "text": "Our autumn menu @{cafe}",
        "hashtags": ["PumpkinSpice"],
        "campaign": "Autumn24",
        "link": "https://example.com/menu",
        "mentions": {"cafe": {"name": "The Café", "handles": {"x": "thecafe"}}},
        "media": [{"path": "menu.jpg", "alt": "The menu", "focus": [0.5, 0.25]}],
        "variants": {"x": "Autumn menu @{cafe}"},
    }
    assert list(post.to_dict()) == POST_KEYS


def test_from_dict_fills_absent_keys() -> None:
    assert Post.from_dict({"text": "hi"}) == Post(text="hi")
    nulls = dict.fromkeys(POST_KEYS)
    nulls["text"] = "hi"
    assert Post.from_dict(nulls) == Post(text="hi")


def test_media_from_bytes_round_trip() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\xff"
    m = Media.from_bytes(data, alt="pixels", focus=(0.25, 0.75))
    d = m.to_dict()
    encoded = base64.b64encode(data).decode("ascii")
    assert d == {"data": encoded, "alt": "pixels", "focus": [0.25, 0.75]}
    assert "path" not in d
    assert Media.from_dict(json.loads(json.dumps(d))) == m


@given(
    st.binary(min_size=1),
    st.none() | st.text(),
    st.none() | st.tuples(st.floats(0, 1), st.floats(0, 1)),
)
def test_media_from_bytes_round_trip_property(
    data: bytes, alt: str | None, focus: tuple[float, float] | None
) -> None:
    m = Media.from_bytes(data, alt=alt, focus=focus)
    d = m.to_dict()
    assert base64.b64decode(d["data"], validate=True) == data
    back = Media.from_dict(json.loads(json.dumps(d)))
    assert back == m
    assert back.data == data
    assert hash(back) == hash(m)


# ------------------------------------------------------------------------ properties


@given(posts())
def test_dict_round_trip(post: Post) -> None:
    d = post.to_dict()
    assert list(d) == POST_KEYS
    back = Post.from_dict(d)
    assert back == post
    assert hash(back) == hash(post)


@given(posts())
def test_json_round_trip(post: Post) -> None:
    text = json.dumps(post.to_dict())
    assert Post.from_dict(json.loads(text)) == post


@given(posts())
def test_pickle_round_trip(post: Post) -> None:
    back = pickle.loads(pickle.dumps(post))
    assert back == post
    assert hash(back) == hash(post)
    assert back.to_dict() == post.to_dict()
    assert copy.deepcopy(post) == post


@given(posts())
def test_normalisation_is_idempotent(post: Post) -> None:
    # Building a post from a post's own fields changes nothing.
    again = attrs.evolve(post)
    assert again == post
    assert again.to_dict() == post.to_dict()


@given(posts())
def test_post_invariants(post: Post) -> None:
    assert post.text.strip() or post.media
    assert set(post.variants) <= set(BUILTIN_PLATFORMS)
    for tag in (*post.hashtags, *([post.campaign] if post.campaign else [])):
        assert tag
        assert not tag.startswith(("#", "\uff03"))
        assert not any(c.isspace() for c in tag)
    for mention in post.mentions.values():
        assert set(mention.handles) <= set(BUILTIN_PLATFORMS)
        assert all(h and not h.startswith("@") for h in mention.handles.values())
    if post.link is not None:
        assert post.link == post.link.strip()


def _caseless(tag: str) -> str:
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", tag).casefold())


@given(hashtags())
def test_hashtags_keep_first_of_each_and_the_order(given_tags: list[str]) -> None:
    got = Post(text="hi", hashtags=given_tags).hashtags
    normalised = [normalize_hashtag(t) for t in given_tags]
    # No duplicates, in any case or normal form.
    assert len({_caseless(t) for t in got}) == len(got)
    # Every tag given is there, spelled as it was first given, in the order given.
    firsts: dict[str, str] = {}
    for tag in normalised:
        firsts.setdefault(_caseless(tag), tag)
    assert list(got) == list(firsts.values())


@given(mentions())
def test_mentions_round_trip(people: dict[str, Mention]) -> None:
    for mention in people.values():
        assert Mention.from_dict(json.loads(json.dumps(mention.to_dict()))) == mention
        assert pickle.loads(pickle.dumps(mention)) == mention


@given(media())
def test_media_round_trip(m: Media) -> None:
    assert Media.from_dict(json.loads(json.dumps(m.to_dict()))) == m
    assert pickle.loads(pickle.dumps(m)) == m
    if m.focus is not None:
        assert all(0.0 <= f <= 1.0 for f in m.focus)


# ------------------------------------------------------------------------ FrozenMap


def test_frozen_map_is_an_immutable_hashable_picklable_mapping() -> None:
    a = FrozenMap({"x": "1", "y": "2"})
    b = FrozenMap({"y": "2", "x": "1"})
    assert a == b == {"x": "1", "y": "2"}
    assert hash(a) == hash(b)
    assert a != FrozenMap({"x": "1"})
    assert a != {"x": "1", "y": "3"}
    assert a != [("x", "1"), ("y", "2")]
    assert list(a) == ["x", "y"]  # insertion order kept
    assert pickle.loads(pickle.dumps(a)) == a
    assert type(pickle.loads(pickle.dumps(a))) is FrozenMap
    assert FrozenMap() == {}
    assert len(a) == 2
    assert a["x"] == "1"
    with pytest.raises(KeyError):
        a["z"]
    with pytest.raises(TypeError):
        a["z"] = "3"  # type: ignore[index]
    assert not hasattr(a, "__dict__")


@pytest.mark.parametrize(
    "error",
    [
        InvalidPostError("hashtags[0]", "'!!' has no letters or digits"),
        UnknownPlatformError("myspace", ("x", "bluesky")),
    ],
    ids=["InvalidPostError", "UnknownPlatformError"],
)
def test_errors_pickle(error: Exception) -> None:
    # Errors are sent back from worker processes: they must survive pickling.
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error)
    assert back.__dict__ == error.__dict__


def test_multiword_hashtag_keeps_letters_that_grow_when_capitalised() -> None:
    assert Post(text="x", hashtags=["straße ßig"]).hashtags == ("Straßeßig",)


def test_lookups_accept_aliases() -> None:
    post = Post(
        text="hi @{bob}",
        variants={"twitter": "hey @{bob}"},
        mentions={"bob": Mention("Bob", {"twitter": "bobby"})},
    )
    assert post.text_for("twitter") == post.text_for("X") == "hey @{bob}"
    assert post.text_for("bluesky") == "hi @{bob}"
    assert post.mentions["bob"].handle("twitter") == "bobby"
    assert post.mentions["bob"].handle("mastodon") is None


def _deep(levels: int, kind: type = list) -> Any:
    value: Any = kind()
    for _ in range(levels):
        value = kind([value])
    return value


@pytest.mark.parametrize(
    ("make", "field", "problem"),
    [
        (lambda: Media.from_bytes(b"x", focus=[10**400, 0.5]), "media.focus", "is outside 0..1"),
        (lambda: Media.from_dict({"data": "é"}), "media.data", "is not valid base64"),
        (lambda: Media.from_dict({"path": "a", "focus": _deep(100_000)}), "media.focus", "pair"),
        (lambda: Post.from_dict({_deep(100_000, tuple): 1}), "post", "unknown key"),
        (lambda: Post(text="a", mentions={_deep(100_000, tuple): 1}), "mentions", "must be"),
        (lambda: Post(text="hi", link="http://a.b/\x00c"), "link", "control character"),
        (lambda: Media(path=Path("a\x00b")), "media.path", "NUL"),
    ],
)
def test_odd_values_are_invalid_posts_not_other_errors(make: Any, field: str, problem: str) -> None:
    # A value of any size or depth is shown cut short in the message: no
    # RecursionError, no OverflowError, no plain ValueError.
    with pytest.raises(InvalidPostError) as caught:
        make()
    assert caught.value.field == field and problem in caught.value.problem
    assert len(str(caught.value)) < 300
