"""adapt(), adapt_all(), check(): tables of hand-written cases, and invariants."""

from __future__ import annotations

import io
import json
import random
import re
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from crosspost_adapt import (
    CannotFitError,
    Draft,
    InvalidPostError,
    Media,
    Mention,
    Post,
    adapt,
    adapt_all,
    check,
    measure,
    platforms,
    rules,
)
from crosspost_adapt.adapters.steps import linkable, little, plain_little
from crosspost_adapt.text import extract_hashtags, extract_mentions, extract_urls
from crosspost_adapt.text.fitting import remove_break_markers

LINK = "https://example.com/menu"
FR = (
    "Notre menu d'automne est arrivé ! Courge rôtie, chaï épicé et crumble maison. "
    "Venez le goûter dès lundi, en terrasse ou à emporter."
)
JA = "秋の新メニューが登場しました。かぼちゃのラテと自家製クランブルをお楽しみください！"
EN = "Our autumn menu is here. Roasted squash, spiced chai and a homemade crumble."


def _post(**kw: Any) -> Post:
    base: dict[str, Any] = {"text": EN}
    base.update(kw)
    return Post(**base)


def _numbering_removed(part: str) -> str:
    return re.sub(r" \d+/\d+$", "", part)


def _plain(text: str) -> str:
    """LinkedIn's little format back to plain text (hashtags, escapes)."""
    text = re.sub(r"\{hashtag\|\\#\|((?:[^{}\\]|\\.)*)\}", r"#\1", text)
    return re.sub(r"\\([\\|{}@\[\]()<>#*_~])", r"\1", text)


def _all_tags(draft: Draft) -> set[str]:
    found = {h.value.casefold() for p in draft.parts for h in extract_hashtags(_plain(p))}
    if draft.first_comment:
        found |= {h.value.casefold() for h in extract_hashtags(draft.first_comment)}
    return found | {t.casefold() for t in draft.tags}


# --------------------------------------------------------------------------- tables


def test_single_post_is_one_part_with_the_text() -> None:
    d = adapt(_post(), "x")
    assert d.parts == (EN,)
    assert d.text == EN
    assert d.changes == ()


@pytest.mark.parametrize(
    ("platform", "kept", "dropped"),
    [
        ("x", ["Autumn", "Menu"], ["Chai", "Crumble"]),
        ("facebook", ["Autumn"], ["Menu", "Chai", "Crumble"]),
        ("instagram", ["Autumn", "Menu", "Chai", "Crumble"], []),
        ("linkedin", ["Autumn", "Menu", "Chai", "Crumble"], []),
        ("threads", ["Autumn"], ["Menu", "Chai", "Crumble"]),
        ("mastodon", ["Autumn", "Menu", "Chai", "Crumble"], []),
        ("bluesky", ["Autumn", "Menu", "Chai", "Crumble"], []),
        ("snapchat", ["Autumn", "Menu", "Chai"], ["Crumble"]),
    ],
)
def test_hashtag_caps_keep_the_campaign_first(
    platform: str, kept: list[str], dropped: list[str]
) -> None:
    post = _post(
        text="Fresh from the oven.", campaign="Autumn", hashtags=["menu", "chai", "crumble"]
    )
    d = adapt(post, platform)
    tags = _all_tags(d)
    for t in kept:
        assert t.casefold() in tags, (t, d.parts)
    for t in dropped:
        assert t.casefold() not in tags
        assert [
            c
            for c in d.changes_of("hashtag-dropped")
            if c.dropped == f"#{t}".lower() or (c.dropped or "").casefold() == f"#{t}".casefold()
        ]


def test_x_tags_a_word_of_the_text_inline() -> None:
    d = adapt(_post(text="Our autumn menu is here.", hashtags=["autumn", "Cafe"]), "x")
    assert d.text == "Our #autumn menu is here. #Cafe"
    assert d.changes_of("hashtag-inline")


def test_tags_already_in_the_text_are_not_repeated() -> None:
    d = adapt(_post(text="Fresh #Autumn menu", hashtags=["autumn", "chai"]), "mastodon")
    assert d.text == "Fresh #Autumn menu\n\n#Chai"


def test_tags_over_the_cap_in_the_text_become_words() -> None:
    d = adapt(_post(text="#one #two #three #four"), "threads")
    assert d.text == "#one two three four"
    assert len(d.changes_of("hashtag-unmarked")) == 3
    assert check(d.text, "threads") == ()


@pytest.mark.parametrize(
    ("platform", "handle", "expected"),
    [
        ("x", {"x": "cafelune"}, "Coffee with @cafelune today"),
        ("twitter", {"twitter": "cafelune"}, "Coffee with @cafelune today"),
        ("mastodon", {"mastodon": "cafe@piaille.fr"}, "Coffee with @cafe@piaille.fr today"),
        ("bluesky", {"bluesky": "cafe.bsky.social"}, "Coffee with @cafe.bsky.social today"),
        (
            "linkedin",
            {"linkedin": "urn:li:organization:42"},
            "Coffee with @[Café Lune](urn:li:organization:42) today",
        ),
        ("linkedin", {}, "Coffee with Café Lune today"),
        ("facebook", {"facebook": "cafelune"}, "Coffee with Café Lune today"),
        ("x", {}, "Coffee with Café Lune today"),
    ],
)
def test_mentions(platform: str, handle: dict[str, str], expected: str) -> None:
    post = _post(text="Coffee with @{cafe} today", mentions={"cafe": Mention("Café Lune", handle)})
    d = adapt(post, platform)
    assert d.text == expected
    resolved = expected.startswith("Coffee with @")
    assert bool(d.changes_of("mention-unresolved")) is not resolved


def test_instagram_caps_mentions_at_three() -> None:
    people = {f"p{i}": Mention(f"Person {i}", {"instagram": f"person{i}"}) for i in range(5)}
    text = " ".join(f"@{{p{i}}}" for i in range(5))
    d = adapt(_post(text=text, mentions=people), "instagram")
    assert d.text == "@person0 @person1 @person2 Person 3 Person 4"
    assert len(d.changes_of("mention-capped")) == 2
    assert check(d.text, "instagram") == ()


def test_links_get_utm_and_stay_clickable() -> None:
    d = adapt(_post(link=LINK, campaign="AutumnMenu"), "x")
    assert d.text == (
        f"{EN}\n\n{LINK}?utm_source=x&utm_medium=social&utm_campaign=AutumnMenu #AutumnMenu"
    )
    assert measure(d.text, "x") == len(EN) + 2 + 23 + len(" #AutumnMenu")
    assert d.changes_of("link-tagged")


def test_utm_is_not_added_twice_nor_when_turned_off() -> None:
    tagged = f"{LINK}?utm_source=news"
    assert adapt(_post(link=tagged), "x").text.endswith(tagged)
    assert adapt(_post(link=LINK), "x", utm=False).text.endswith(LINK)


@pytest.mark.parametrize("platform", ["instagram", "snapchat"])
def test_links_leave_the_text_where_not_clickable(platform: str) -> None:
    post = _post(text=f"Menu at {LINK} and example.org now !", link=LINK)
    d = adapt(post, platform)
    assert d.text.startswith("Menu at and now !")
    assert extract_urls(" ".join(d.parts)) == []
    assert d.links[0].startswith(LINK + "?utm_source=" + platform)
    assert "https://example.org" in d.links
    assert len(d.changes_of("link-moved")) == 2
    if platform == "instagram":
        assert d.text.endswith("Link in bio")
    else:
        assert "Link in bio" not in d.text


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("Read it here https://example.com/menu and enjoy.", "Read it here and enjoy."),
        ("Our menu (https://example.com/menu) is out.", "Our menu is out."),
        ("Our menu [https://example.com/menu] is out.", "Our menu is out."),
        ('Look: "https://example.com/menu" now', "Look: now"),
        ("New menu!\n\nhttps://example.com/menu\n\nSee you.", "New menu!\n\nSee you."),
        ("New menu!\nhttps://example.com/menu\nSee you.", "New menu!\nSee you."),
        ("https://example.com/menu\n\nSee you.", "See you."),
        ("See you.\n\nhttps://example.com/menu", "See you."),
        ("A\n\nhttps://a.com\nhttps://b.com\n\nB", "A\n\nB"),
        ("A https://a.com https://b.com B", "A B"),
        ("A (see https://a.com) B", "A (see) B"),
        ("New soup (https://a.com)\u2026 Next https://b.com\u2026", "New soup\u2026 Next\u2026"),
        ("A\n\n\nhttps://a.com\n\nB", "A\n\n\nB"),  # the person's own blank lines
    ],
)
def test_a_link_taken_out_leaves_no_empty_brackets_or_lines(text: str, left: str) -> None:
    for platform in ("instagram", "snapchat"):
        d = adapt(Post(text=text), platform, cards=False)
        body = d.text.removesuffix("\n\nLink in bio")
        assert body == left, platform


@pytest.mark.parametrize(
    ("platform", "text"),
    [
        ("x", "Brunch #café automne brunch #CafeLune"),
        ("threads", "Brunch café brunch\n\n#CafeLune"),
        ("snapchat", "Brunch #café #brunch #CafeLune"),
        ("facebook", "Brunch café brunch\n\n#CafeLune"),
        ("instagram", "Brunch #café #brunch\n\n#CafeLune #automne"),
    ],
)
def test_the_campaign_tag_has_priority_over_tags_of_the_text(platform: str, text: str) -> None:
    post = Post(
        text="Brunch #café #brunch" if platform != "x" else "Brunch #café #automne #brunch",
        hashtags=["automne"],
        campaign="CafeLune",
    )
    d = adapt(post, platform, cards=False)
    assert d.text == text
    for change in d.changes_of("hashtag-unmarked"):
        # (Facebook takes the campaign's tag only: no place is kept for it)
        assert change.message.endswith("#CafeLune first") == (platform != "facebook")


def test_the_campaign_written_in_the_text_takes_its_place_under_the_cap() -> None:
    d = adapt(Post(text="Brunch #CafeLune #café #brunch", campaign="CafeLune"), "threads")
    assert d.text == "Brunch #CafeLune café brunch"
    assert "first" not in d.changes_of("hashtag-unmarked")[0].message


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("At example.com today. Squash #soup. Apple", "At example.com today. Squash soup. Apple"),
        (
            "Squash #soup. Apple https://example.com/menu",
            "Squash soup. Apple https://example.com/menu",
        ),
        ("Go #f.com now", "Go .com now"),  # as a plain word it would be a link: left out
    ],
)
def test_a_tag_before_a_full_stop_is_unmarked_where_links_are_elsewhere(
    text: str, written: str
) -> None:
    d = adapt(Post(text=text), "facebook", utm=False)
    assert d.text == written


@pytest.mark.parametrize("seed", range(12))
def test_a_bluesky_post_does_not_end_after_a_link_shown_short(seed: int) -> None:
    """The dots of a link shown short are no sentence's end: a post of a thread
    ends after a full stop where there is one, not after the link."""
    rng = random.Random(seed)
    words = [
        "our",
        "new",
        "autumn",
        "menu",
        "is",
        "here",
        "with",
        "roasted",
        "squash",
        "chai",
        "apple",
        "and",
        "soup",
    ]
    sentences = []
    for _ in range(10):
        sentence = [rng.choice(words) for _ in range(rng.randint(8, 20))]
        if rng.random() < 0.5:
            link = f"https://example.com/articles/2026/autumn-menu-{rng.randrange(1000)}"
            sentence.insert(rng.randrange(1, len(sentence)), link)
        sentences.append(" ".join(sentence).capitalize() + ".")
    d = adapt(Post(text=" ".join(sentences)), "bluesky")
    assert len(d.parts) > 1
    for part in d.parts[:-1]:
        body = part.rsplit(" ", 1)[0]  # without the label
        assert body.endswith("."), part[-60:]
        assert not body.endswith("..."), part[-60:]


def test_link_in_bio_wording_is_an_option() -> None:
    d = adapt(_post(link=LINK), "instagram", link_in_bio="Lien dans la bio 👆")
    assert d.text.endswith("Lien dans la bio 👆")


def test_threads_keeps_five_links() -> None:
    urls = [f"https://example.com/{i}" for i in range(7)]
    d = adapt(_post(text=" ".join(urls)), "threads")
    assert len({u.value for u in extract_urls(d.text)}) == 5
    assert d.links == tuple(urls[5:])


def test_instagram_hashtags_in_first_comment() -> None:
    d = adapt(_post(hashtags=["a", "b"]), "instagram", hashtags_in_first_comment=True)
    assert d.text == EN
    assert d.first_comment == "#a #b"


def test_long_text_threads_on_x_with_numbering() -> None:
    text = " ".join([EN] * 10)
    d = adapt(_post(text=text), "x")
    assert len(d.parts) > 1
    n = len(d.parts)
    for i, part in enumerate(d.parts, 1):
        assert part.endswith(f" {i}/{n}")
        assert measure(part, "x") <= 280
    joined = " ".join(_numbering_removed(p) for p in d.parts)
    assert joined.split() == text.split()
    assert d.changes_of("thread-split")


def test_numbering_off() -> None:
    d = adapt(_post(text=" ".join([EN] * 10)), "x", numbering=False)
    assert not any(re.search(r"\d+/\d+$", p) for p in d.parts)


def test_manual_break_forces_a_split() -> None:
    d = adapt(_post(text="First part.\n---\nSecond part."), "mastodon")
    assert [_numbering_removed(p) for p in d.parts] == ["First part.", "Second part."]


@pytest.mark.parametrize("platform", ["instagram", "linkedin", "snapchat"])
def test_truncation_reports_what_it_drops(platform: str) -> None:
    limit = rules(platform).text.limit
    text = " ".join([FR] * (limit // len(FR) + 2))
    d = adapt(_post(text=text), platform)
    assert len(d.parts) == 1
    assert d.text.endswith("…")
    assert measure(d.text, platform) <= limit
    (cut,) = d.changes_of("text-truncated")
    assert cut.dropped
    assert text.startswith(d.text[:-1].rstrip(" ,;:"))
    assert cut.dropped.strip() in text


def test_facebook_keeps_a_long_text() -> None:
    text = " ".join([FR] * 40)
    assert adapt(_post(text=text), "facebook").text == text


@pytest.mark.parametrize("platform", platforms())
def test_text_exactly_at_the_limit_is_kept(platform: str) -> None:
    limit = rules(platform).text.limit
    text = "a" * limit
    d = adapt(_post(text=text), platform)
    assert d.parts == (text,)
    over = adapt(_post(text=text + " b"), platform)
    assert over.parts != (text + " b",)
    for part in over.parts:
        assert check(part, platform) == ()


def test_overflow_error_names_platform_length_limit_unit() -> None:
    with pytest.raises(CannotFitError) as info:
        adapt(_post(text="日本語" * 100), "x", overflow="error")
    assert str(info.value) == "x: text is 600 of 280 weighted characters"
    assert (info.value.measured, info.value.limit, info.value.unit) == (600, 280, "weighted")
    assert isinstance(info.value, ValueError)


def test_unknown_option_and_platform() -> None:
    with pytest.raises(TypeError, match="unknown option 'colour'"):
        adapt(_post(), "x", colour="red")
    with pytest.raises(ValueError, match="overflow must be"):
        adapt(_post(), "x", overflow="shrink")
    with pytest.raises(LookupError, match="unknown platform 'myspace'"):
        adapt(_post(), "myspace")


def test_japanese_and_french_drafts() -> None:
    post = _post(text=f"{JA}\n\n{FR}", hashtags=["秋", "automne"], link=LINK)
    drafts = adapt_all(post)
    for name, d in drafts.items():
        for part in d.parts:
            assert check(part, name) == (), (name, part)


def test_a_word_longer_than_the_limit_is_cut() -> None:
    d = adapt(_post(text="x" * 1000), "bluesky")
    assert all(measure(p, "bluesky") <= 300 for p in d.parts)
    assert d.changes_of("word-cut")


def test_variants_replace_the_text() -> None:
    post = _post(variants={"twitter": "Short and sweet for X."})
    assert adapt(post, "x").text == "Short and sweet for X."
    assert adapt(post, "mastodon").text == EN


def test_bluesky_facets_and_tags_field() -> None:
    post = _post(
        text="Autumn menu https://example.com/menu with @{cafe}",
        mentions={"cafe": Mention("Café", {"bluesky": "cafe.bsky.social"})},
        hashtags=["autumn"],
    )
    d = adapt(post, "bluesky", utm=False)
    kinds = sorted(f.kind for f in d.facets[0])
    assert kinds == ["link", "mention", "tag"]
    raw = d.text.encode()
    for f in d.facets[0]:
        assert raw[f.byte_start : f.byte_end].decode()


def test_near_clones_are_flagged() -> None:
    drafts = adapt_all(_post(), ["x", "mastodon", "bluesky"])
    for d in drafts.values():
        (clone, *_) = d.changes_of("near-clone")
        assert clone.data["similarity"] >= 0.9
    varied = _post(variants={"x": "Something else entirely for X, with its own words."})
    assert not adapt_all(varied, ["x", "mastodon"])["x"].changes_of("near-clone")


def test_draft_to_dict_is_json() -> None:
    post = _post(link=LINK, hashtags=["autumn"], campaign="Menu")
    for d in adapt_all(post).values():
        data = json.loads(json.dumps(d.to_dict()))
        assert data["platform"] == d.platform
        assert data["text"] == d.text


# --------------------------------------------------------------------------- check


@pytest.mark.parametrize(
    ("text", "platform", "code", "measured", "limit"),
    [
        ("x" * 281, "x", "too-long", 281, 280),
        ("🎃" * 141, "x", "too-long", 282, 280),
        ("#a #b #c", "x", "too-many-hashtags", 3, 2),
        ("#a #b", "threads", "too-many-hashtags", 2, 1),
        ("see https://example.com", "instagram", "link-not-clickable", 1, 0),
        ("@a @b @c @d", "instagram", "too-many-mentions", 4, 3),
        (" ".join(f"https://e.com/{i}" for i in range(6)), "threads", "too-many-links", 6, 5),
        ("é" * 1501, "bluesky", "too-many-bytes", 3002, 3000),
        ("a\ufeffb", "x", "invalid-character", 1, 0),
    ],
)
def test_check(text: str, platform: str, code: str, measured: int, limit: int) -> None:
    problems = check(text, platform)
    (p,) = [p for p in problems if p.code == code]
    assert (p.measured, p.limit) == (measured, limit)
    assert p.platform == rules(platform).name
    assert f"{measured:,} of {limit:,}" in p.message or (
        f"{measured:,} " in p.message and f"(at most {limit:,})" in p.message
    )


def test_check_accepts_evolved_rules() -> None:
    x = rules("x")
    premium = attrs.evolve(x, text=attrs.evolve(x.text, limit=25_000))
    assert check("x" * 1000, premium) == ()
    assert check("x" * 1000, "x")


# --------------------------------------------------------------------------- invariants

SENTENCES = [
    EN,
    FR,
    JA,
    "👨‍👩‍👧‍👦 🇫🇷 🧑🏿‍💻 ✨",
    "Plus d'infos : example.com/info.",
    "再見！",
    "Ok.",
]
WORDS = st.sampled_from(
    ["autumn", "Menu", "café", "東京", "ラテ", "chai", "Crumble", "x" * 30, "🎃", "#inline", "@bob"]
)


@st.composite
def long_posts(draw: st.DrawFn) -> Post:
    pieces = draw(
        st.lists(
            st.one_of(st.sampled_from(SENTENCES), WORDS, st.just("\n\n"), st.just("\n---\n")),
            min_size=1,
            max_size=40,
        )
    )
    text = " ".join(pieces)
    if not remove_break_markers(text).strip():  # only '---' lines: nothing to post
        text = "Ok."
    links = draw(
        st.lists(st.sampled_from([f"https://example.com/{i}" for i in range(9)]), max_size=8)
    )
    text += " " + " ".join(links)
    tags = draw(
        st.lists(
            st.sampled_from(
                ["autumn", "menu", "chai", "東京", "PumpkinSpice", "café", "z" * 70]
                + [f"t{i}" for i in range(40)]
            ),
            max_size=40,
        )
    )
    return Post(
        text=text,
        hashtags=tags,
        campaign=draw(st.none() | st.sampled_from(["Autumn", "Launch2026"])),
        link=draw(st.none() | st.just(LINK)),
        mentions={"bob": Mention("Bob", {"x": "bob", "bluesky": "bob.bsky.social"})}
        if "@{bob}" in text
        else {},
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_posts(), st.sampled_from([None, "thread", "truncate"]))
def test_every_part_passes_check_and_nothing_is_lost(post: Post, overflow: str | None) -> None:
    drafts = adapt_all(post, overflow=overflow)
    assert adapt_all(post, overflow=overflow) == drafts  # deterministic
    for name, d in drafts.items():
        for part in d.parts:
            assert check(part, name) == (), (name, part)
        dropped = _plain(" ".join(c.dropped or "" for c in d.changes))
        for c in d.changes_of("link-shortened"):  # a shortened link dropped by truncation
            dropped = dropped.replace(c.data["shown"], c.data["url"])
        dropped = dropped.casefold()
        present = _all_tags(d)
        # A tag of the post is in the draft, or said left out: in the text that a
        # cut took away is not enough (the cut may take a word tagged inline).
        left_out = {(c.dropped or "").casefold() for c in d.changes_of("hashtag-dropped")}
        for tag in ([post.campaign] if post.campaign else []) + list(post.hashtags):
            assert tag.casefold() in present or f"#{tag}".casefold() in left_out, (name, tag)
        text = _plain(" ".join(d.parts))
        urls = {u.value for u in extract_urls(text)} | set(d.links)
        urls |= {f.value for part in d.facets for f in part if f.kind == "link"}
        for u in extract_urls(post.text_for(name)):
            assert any(u.value in x for x in urls) or u.text in dropped or u.value in text, (
                name,
                u.value,
            )
        if post.link:
            # As written, or percent-encoded where the platform would cut it short.
            written = [post.link] + [c.data["url"] for c in d.changes_of("link-encoded")]
            assert any(w in x for w in written for x in urls) or any(
                w.casefold() in dropped for w in written
            ), name


def test_linkedin_text_is_in_the_little_format() -> None:
    post = _post(
        text="Meet @{ana} (our chef) at *the* café_bar #food",
        mentions={"ana": Mention("Ana", {"linkedin": "urn:li:person:7"})},
        hashtags=["autumn"],
    )
    d = adapt(post, "linkedin")
    assert d.text == (
        "Meet @[Ana](urn:li:person:7) \\(our chef\\) at \\*the\\* caf\u00e9\\_bar "
        "{hashtag|\\#|food}\n\n{hashtag|\\#|autumn}"
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([s for s in SENTENCES if "example.com" not in s] + ["\n\n", "🎃", "東京"]),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from(["x", "bluesky", "mastodon", "threads", "instagram", "snapchat"]),
)
def test_the_parts_give_back_the_text(pieces: list[str], platform: str) -> None:
    text = " ".join(pieces).strip() or "Ok."
    d = adapt(Post(text=text), platform, utm=False)
    kept = " ".join(_numbering_removed(p) for p in d.parts)
    (cut,) = d.changes_of("text-truncated") or (None,)
    if cut is None:
        assert "".join(kept.split()) == "".join(text.split())
    else:
        assert cut.dropped
        assert kept.endswith("…")
        # what is kept and what is dropped make the whole text again
        assert "".join((kept[:-1] + cut.dropped).split()) == "".join(text.split())


@pytest.mark.parametrize("platform", ["mastodon", "bluesky"])
def test_thousands_of_hashtags_are_given_up_as_one_by_one(platform: str) -> None:
    # The tags after the text are over the limit on their own: how many to give
    # up is found by bisection; the kept ones are the campaign's and the first.
    tags = [f"tag{i}" for i in range(3000)]
    d = adapt(Post(text="Hello there", hashtags=tags, campaign="Camp"), platform)
    kept = [t for t in tags if t.casefold() in _all_tags(d)]
    assert "camp" in _all_tags(d)
    assert kept == tags[: len(kept)] and 0 < len(kept) < len(tags)
    dropped = {(c.dropped or "").casefold() for c in d.changes_of("hashtag-dropped")}
    assert dropped == {f"#{t}" for t in tags[len(kept) :]}
    assert all(check(part, platform) == () for part in d.parts)


@pytest.mark.parametrize(
    ("text", "platform", "expected"),
    [
        (" ".join(f"@u{i}" for i in range(21)), "instagram", [("too-many-mentions", 21, 20, True)]),
        (" ".join(f"@u{i}" for i in range(5)), "instagram", [("too-many-mentions", 5, 3, False)]),
        ("see e.com", "instagram", [("link-not-clickable", 1, 0, False)]),
        ("#café #cafe\u0301 #CAFÉ #b #c #d", "instagram", []),  # one tag in three forms
        ("#café #b #c #d #e #f", "instagram", [("too-many-hashtags", 6, 5, True)]),
        # LinkedIn cuts the text at a reserved character not escaped.
        ("Our menu (new) is here", "linkedin", [("unescaped-character", 2, 0, True)]),
        ("Our menu \\(new\\) {hashtag|\\#|a\\_b} @[Ana](urn:li:person:7)", "linkedin", []),
    ],
)
def test_check_counts_as_the_platform_and_adapt_do(
    text: str, platform: str, expected: list[tuple[str, int, int, bool]]
) -> None:
    found = [(p.code, p.measured, p.limit, p.hard) for p in check(text, platform)]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("#a #b #c #d #e #f.com#g", "instagram"),  # "f.com" a link, "#g" a tag
        ("#go a.com b.com c.com d.com e.com #f.com", "threads"),  # a sixth link
        ("#g aïve🇫🇷#Caféautumn👨‍👩‍👧‍👦தமிழ்ex.om/#y", "threads"),
    ],
)
def test_a_tag_written_plain_makes_no_new_tag_or_link(text: str, platform: str) -> None:
    d = adapt(Post(text=text), platform)
    assert all(check(part, platform) == () for part in d.parts)
    assert d.changes_of("hashtag-unmarked") or d.changes_of("hashtag-dropped")


def test_forty_hashtags() -> None:
    tags = [f"tag{i}" for i in range(40)]
    for name, d in adapt_all(_post(hashtags=tags, campaign="Launch")).items():
        present = _all_tags(d)
        reported = {(c.dropped or "").casefold() for c in d.changes_of("hashtag-dropped")}
        for t in tags:
            assert t in present or f"#{t}" in reported, (name, t)
        assert "launch" in present, name
        for part in d.parts:
            assert check(part, name) == ()


@pytest.mark.parametrize(
    ("url", "campaign", "expected"),
    [
        ("https://e.com", None, "https://e.com?utm_source=x&utm_medium=social"),
        (
            "https://e.com/a?q=a%20b#top",
            "Fall",
            "https://e.com/a?q=a%20b&utm_source=x&utm_medium=social&utm_campaign=Fall#top",
        ),
        ("https://e.com/?UTM_source=news", "Fall", "https://e.com/?UTM_source=news"),
    ],
)
def test_with_utm(url: str, campaign: str | None, expected: str) -> None:
    from crosspost_adapt.adapters.steps import with_utm

    assert with_utm(url, "x", campaign) == expected


def test_no_inline_tag_after_an_apostrophe() -> None:
    d = adapt(Post(text="Notre menu d'automne est arrivé.", hashtags=["automne"]), "x")
    assert d.text == "Notre menu d'automne est arrivé. #automne"


def test_utm_tags_do_not_hide_a_clone() -> None:
    drafts = adapt_all(_post(link=LINK), ["x", "facebook"])
    assert drafts["x"].changes_of("near-clone")


def test_adapt_all_refuses_rules_meant_for_one_platform() -> None:
    with pytest.raises(TypeError, match="adapt_all\\(\\) takes no rules"):
        adapt_all(_post(), rules=rules("x"))


def test_tags_dropped_for_room_come_back_when_the_cut_frees_room() -> None:
    text = "A" * 100 + ". " + "b" * 60 + " " + "c" * 30
    d = adapt(Post(text=text, hashtags=["alpha", "beta"]), "snapchat")
    # Both tags did not fit before the cut; the cut at the sentence end freed room.
    assert d.text == "A" * 100 + "… #alpha #beta"
    assert not d.changes_of("hashtag-dropped")
    for part in d.parts:
        assert check(part, "snapchat") == ()
    assert measure(d.text, "snapchat") <= 160


def test_truncation_keeps_the_post_link_and_lists_cut_urls() -> None:
    text = "Le menu d'automne, plat par plat. " * 10 + "Détails : https://example.org/x"
    d = adapt(
        Post(text=text, link="https://example.com/menu/automne-2026"),
        "bluesky",
        overflow="truncate",
    )
    uris = [f.value for f in d.facets[0] if f.kind == "link"]
    assert uris == ["https://example.com/menu/automne-2026?utm_source=bluesky&utm_medium=social"]
    assert "https://example.org/x" in d.links
    assert d.changes_of("link-moved")


def test_check_reads_linkedin_little_hashtags_and_tells_norms() -> None:
    text = " ".join("{hashtag|\\#|" + t + "}" for t in "abcdef")
    (p,) = check(text, "linkedin")
    assert (p.code, p.measured, p.limit, p.hard) == ("too-many-hashtags", 6, 5, False)
    assert check("#a #b", "threads")[0].hard is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "see https://e.com/@autumn/autumn-menu then autumn",
            "see https://e.com/@autumn/autumn-menu then #autumn",
        ),
        ("see https://e.com/@autumn/autumn-menu", "see https://e.com/@autumn/autumn-menu #autumn"),
        ("ask @autumn about autumn", "ask @autumn about #autumn"),
    ],
)
def test_inline_tags_skip_urls_and_mentions(text: str, expected: str) -> None:
    assert adapt(Post(text=text, hashtags=["autumn"]), "x", utm=False).text == expected


# --------------------------------------------------------------------------- review cases


def test_links_shown_alike_keep_their_own_addresses_in_every_part() -> None:
    # Two links whose short forms are the same text, in two parts of a thread.
    old, new = "https://cafelune.fr/menus/autumn-2025", "https://cafelune.fr/menus/autumn-2026"
    d = adapt(Post(text=f"Old: {old} " + "Lots of words about food. " * 12, link=new), "bluesky")
    assert len(d.parts) == 2
    links = [
        (part.encode()[f.byte_start : f.byte_end].decode(), f.value)
        for part, facets in zip(d.parts, d.facets, strict=True)
        for f in facets
        if f.kind == "link"
    ]
    assert links == [
        ("cafelune.fr/menus/autumn...", old),
        ("cafelune.fr/menus/autumn...", f"{new}?utm_source=bluesky&utm_medium=social"),
    ]


def test_links_shown_alike_in_one_part_keep_their_order() -> None:
    a, b = "https://cafelune.fr/menus/autumn-2025", "https://cafelune.fr/menus/autumn-2026"
    d = adapt(Post(text=f"Old {a} and new {b} menus."), "bluesky", utm=False)
    (facets,) = d.facets
    assert [f.value for f in facets if f.kind == "link"] == [a, b]


def test_linkedin_reports_what_it_cut_as_written() -> None:
    # The cut is made in the little format; what it reports is the text as the
    # person wrote it, without the format's escapes and hashtag templates.
    sentence = "Our menu (with *stars*, a_b and [brackets]) is here \\ #chai_latte. "
    d = adapt(Post(text=sentence * 80), "linkedin")
    (cut,) = d.changes_of("text-truncated")
    assert cut.dropped is not None and "\\(" not in cut.dropped and "{hashtag" not in cut.dropped
    assert (sentence * 80).rstrip().endswith(cut.dropped)
    assert _plain(d.text).rstrip("…") + cut.dropped == (sentence * 80).rstrip()


@pytest.mark.parametrize(
    "text",
    [
        "a_b",
        "x\\y",
        "#tag_1 and (x)",
        "{hashtag|x}",
        "\\{hashtag|\\#|x\\}",
        "@[Ana](urn:li:person:7)",
        "plain",
    ],
)
def test_plain_little_reads_the_little_format_back(text: str) -> None:
    assert plain_little(little(text)) == text


@pytest.mark.parametrize(
    ("post", "links"),
    [
        # The link shown "example.com" also starts a longer link before it.
        (
            Post(text="Our menu: example.com/menu", link="https://example.com/"),
            [
                ("example.com/menu", "https://example.com/menu"),
                ("example.com", "https://example.com/"),
            ],
        ),
        # ... or ends a handle, or an e-mail address.
        (
            Post(
                text="Hi @{dot}, see https://example.com/",
                mentions={"dot": Mention("Dot", {"bluesky": "dot.example.com"})},
            ),
            [("example.com", "https://example.com/")],
        ),
        (
            Post(text="Write to hello@example.com or see https://example.com/"),
            [("example.com", "https://example.com/")],
        ),
    ],
)
def test_a_link_shown_short_is_faceted_where_it_stands(
    post: Post, links: list[tuple[str, str]]
) -> None:
    d = adapt(post, "bluesky", utm=False)
    raw = d.text.encode("utf-8")
    faceted = [(raw[f.byte_start : f.byte_end].decode(), f.value) for f in d.facets[0]]
    assert [f for f in faceted if f[1].startswith("https://")] == links
    assert d.text.endswith(links[-1][0])
    if post.mentions:
        assert ("@dot.example.com", "dot.example.com") in faceted


@pytest.mark.parametrize(
    ("url", "written"),
    [
        ("https://example.com/menu", "https://example.com/menu"),
        ("https://例え.jp/パス", "https://例え.jp/%E3%83%91%E3%82%B9"),  # the host stays
        ("https://example.com/x.", "https://example.com/x%2E"),
        ("https://example.com/a!?q=1", "https://example.com/a%21?q=1"),
        ("https://example.com/ok?q=été", "https://example.com/ok?q=%C3%A9t%C3%A9"),
        ("https://example.com/a-?q=1", "https://example.com/a-?q=1"),
    ],
)
def test_the_posts_link_is_written_so_that_it_is_linked_whole(url: str, written: str) -> None:
    assert linkable(url) == written
    assert [u.text for u in extract_urls(written)] == [written]
    d = adapt(Post(text="Bonjour", link=url), "x")
    (tagged,) = d.changes_of("link-tagged")
    assert [u.text for u in extract_urls(d.text)] == [linkable(tagged.data["url"])]
    assert bool(d.changes_of("link-encoded")) is (written != url)


def test_a_link_longer_than_a_whole_post_is_handed_back() -> None:
    url = "https://example.com/" + "x" * 600
    d = adapt(Post(text="Hello", link=url), "threads", utm=False)
    assert d.parts == ("Hello",) and d.links == (url,)
    (moved,) = d.changes_of("link-moved")
    assert moved.data == {"measured": 620, "limit": 500, "unit": "meta"}
    # X counts every link as 23: it stays in the text there.
    assert adapt(Post(text="Hello", link=url), "x", utm=False).text.endswith(url)
    # Typed in the text, it would be cut across two posts and lead nowhere.
    typed = adapt(Post(text=f"Read {url} today."), "threads")
    assert typed.parts == ("Read today.",) and typed.links == (url,)
    assert typed.changes_of("link-moved")[0].dropped == url


def test_a_short_link_cut_away_is_kept_whole_in_the_links() -> None:
    url = "https://example.com/articles/2026/autumn-menu"
    d = adapt(Post(text="Intro. " * 40 + f"Read {url} today."), "bluesky", overflow="truncate")
    assert d.links == (url,)
    (moved,) = d.changes_of("link-moved")
    assert moved.data["url"] == url
    (cut,) = d.changes_of("text-truncated")
    assert cut.dropped is not None and "example.com/articles/202..." in cut.dropped


@pytest.mark.parametrize(
    ("platform", "text", "hashtags", "campaign", "placed"),
    [
        # X tags the word inline; the cut takes the word: the tag goes after the text.
        ("x", "Our new menu is here. " * 14 + "Come for brunch on Sunday!", [], "brunch", True),
        # The campaign written in the text, cut away: after the text, more text cut.
        (
            "snapchat",
            "Our new menu is here. " * 8 + "See #brunch on Sunday! #extra",
            ["extra", "other"],
            "brunch",
            True,
        ),
        # Another tag written in the text and cut, no room left for it: said left out.
        (
            "snapchat",
            "Our new menu is here. " * 8 + "See #brunch on Sunday!",
            ["brunch"],
            None,
            False,
        ),
    ],
)
def test_a_tag_the_cut_takes_away_goes_after_the_text_or_is_reported(
    platform: str, text: str, hashtags: list[str], campaign: str | None, placed: bool
) -> None:
    d = adapt(Post(text=text, hashtags=hashtags, campaign=campaign), platform, overflow="truncate")
    assert d.changes_of("text-truncated")
    assert check(d.text, platform) == ()
    tag = campaign or hashtags[0]
    dropped = {c.dropped for c in d.changes_of("hashtag-dropped")}
    assert (tag.casefold() in _all_tags(d)) is placed
    assert (f"#{tag}" in dropped) is not placed
    if placed:
        assert d.text.endswith(f"#{tag}") or f"#{tag} " in d.text.rsplit("…", 1)[1]
        assert any(tag in c.message for c in d.changes_of("hashtag-moved"))


@pytest.mark.parametrize("text", ["---", "\ufeff", "\n---\n---\n", " \ufeff\n---  \n"])
def test_a_post_with_nothing_to_publish_is_refused(text: str) -> None:
    with pytest.raises(InvalidPostError, match="text: holds nothing to publish"):
        Post(text=text)
    with pytest.raises(InvalidPostError, match=r"variants\['x'\]: holds nothing to publish"):
        Post(text="Hello", variants={"x": text})


def test_a_post_with_only_break_lines_and_an_image_is_an_image_post() -> None:
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, "PNG")
    post = Post(text="---", media=[Media.from_bytes(image.getvalue())])
    assert adapt(post, "facebook", cards=False).media


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Mention("\ufeffCafé Lune"), "mention.name"),
        (lambda: Mention("Café Lune", {"x": "\ufeffcafelune"}), r"mention.handles\['x'\]"),
        (lambda: Post(text="Hi", link="https://example.com/\ufeff"), "link"),
        (lambda: Post(text="Hi", link="https://example.com/a\uffff"), "link"),
    ],
)
def test_names_handles_and_links_refuse_unpublishable_characters(build: Any, field: str) -> None:
    with pytest.raises(InvalidPostError, match=f"^{field}: holds a character no platform accepts"):
        build()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Book a table: brunch@cafelune.fr", "Book a table: brunch@cafelune.fr #brunch"),
        ("See brunch.pdf", "See brunch.pdf #brunch"),
        ("At brunch.fr now", "At brunch.fr now #brunch"),
        ("Come for brunch.", "Come for #brunch."),
        ("Brunch: yes!", "#Brunch: yes!"),
        ("Brunch? Yes.", "#Brunch? Yes."),
    ],
)
def test_x_tags_a_word_not_an_address_or_a_file_name(text: str, expected: str) -> None:
    assert adapt(Post(text=text, hashtags=["brunch"]), "x").text == expected


def test_linkedin_checks_an_escaped_hash_as_no_hashtag() -> None:
    post = Post(text="Read the FAQ", link="https://example.com/faq#pricing", hashtags=list("abcde"))
    d = adapt(post, "linkedin")
    assert "\\#pricing" in d.text
    assert check(d.text, "linkedin") == ()
    # Six hashtags in the little format are still six.
    assert [p.code for p in check(d.text + " {hashtag|\\#|f}", "linkedin")] == ["too-many-hashtags"]


def test_bluesky_leaves_out_a_tag_too_long_for_a_tag() -> None:
    long_letters = "z" * 70  # over 64 graphemes: no tag facet, not in the tags field
    long_units = "\U0001d51e" * 33  # 66 UTF-16 units (no facet) but 33 graphemes
    d = adapt(Post(text="Hello", hashtags=[long_letters, long_units, "ok"]), "bluesky")
    assert d.text == "Hello\n\n#ok"
    assert d.tags == (long_units,)
    (dropped,) = d.changes_of("hashtag-dropped")
    assert dropped.dropped == f"#{long_letters}"
    assert "longer than 64 graphemes" in dropped.message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"ellipsis": None}, "ellipsis must be a string, not NoneType"),
        ({"link_in_bio": 5}, "link_in_bio must be a string, not int"),
        ({"numbering": "no"}, "numbering must be True or False, not 'no'"),
        ({"utm": 0}, "utm must be True or False, not 0"),
        ({"hashtags_in_first_comment": None}, "hashtags_in_first_comment must be True or False"),
        ({"cards": "yes"}, "cards must be True or False"),
        ({"caption_overlay": 1}, "caption_overlay must be True or False"),
        ({"rules": "x"}, "rules must be a PlatformRules, not str"),
    ],
)
def test_an_option_of_the_wrong_type_is_a_type_error(options: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=f"^{re.escape(message)}"):
        adapt(Post(text="Hello"), "x", **options)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"link_in_bio": "#x"}, "link_in_bio must be plain words: '#x' would be a hashtag"),
        ({"link_in_bio": "@a @b"}, "link_in_bio must be plain words: '@a' would be a mention"),
        ({"link_in_bio": "see e.com"}, "link_in_bio must be plain words: 'e.com' would be a link"),
        ({"link_in_bio": "\ufeff"}, "link_in_bio holds characters no platform accepts (U+FEFF)"),
        ({"ellipsis": "\ufeff"}, "ellipsis holds characters no platform accepts (U+FEFF)"),
    ],
)
def test_words_an_option_writes_in_the_draft_are_plain(
    options: dict[str, Any], message: str
) -> None:
    # Written as they are, they would make the draft fail its own check.
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        adapt(Post(text="Menu", link="https://e.com"), "instagram", **options)


def test_the_ellipsis_is_written_in_linkedins_format() -> None:
    d = adapt(Post(text="Our menu is here. " * 300), "linkedin", ellipsis=" [...]")
    assert d.text.endswith("here \\[...\\]")
    assert check(d.text, "linkedin") == ()


def test_another_platforms_rules_or_a_bare_name_are_refused() -> None:
    post = Post(text="Hello")
    with pytest.raises(ValueError, match=r"^rules are instagram's, not x's"):
        adapt(post, "x", rules=rules("instagram"))
    with pytest.raises(TypeError, match=r"platforms must be a list of names, not a str"):
        adapt_all(post, "bluesky")


@pytest.mark.parametrize("threshold", ["a", 2, -0.1, True, float("nan")])
def test_a_clone_threshold_out_of_range_is_a_value_error(threshold: Any) -> None:
    with pytest.raises(ValueError, match="clone_threshold must be a number from 0 to 1"):
        adapt_all(Post(text="Hello"), clone_threshold=threshold)


@pytest.mark.parametrize("platform", ["x", "instagram", "mastodon", "bluesky"])
def test_a_tag_in_another_unicode_form_is_the_same_tag(platform: str) -> None:
    # The text holds "#café" (one code point é), the tag is given decomposed.
    d = adapt(Post(text="Un #café ici", hashtags=["cafe\u0301"]), platform)
    assert d.text.count("#café") + d.text.count("#Café") == 1
    assert "cafe\u0301" not in d.text


@pytest.mark.parametrize(
    ("tag", "written"),
    [("ßeta", "ßeta"), ("ıyi", "ıyi"), ("émile", "Émile"), ("autumn", "Autumn")],
)
def test_mastodon_capitalizes_a_tag_only_where_it_stays_the_same_tag(
    tag: str, written: str
) -> None:
    # ß has a capital of two letters; ı's capital I folds to i, another tag.
    d = adapt(Post(text="Hello", hashtags=[tag]), "mastodon")
    assert d.text == f"Hello\n\n#{written}"
    assert written.casefold() == tag.casefold()


def test_a_bluesky_handle_is_a_domain_name() -> None:
    with pytest.raises(InvalidPostError, match=r"handles\['bluesky'\]: 'cafelune' is not a"):
        Mention("Café Lune", {"bluesky": "cafelune"})
    assert Mention("Café Lune", {"bluesky": "@cafelune.bsky.social"}).handle("bluesky") == (
        "cafelune.bsky.social"
    )


@pytest.mark.parametrize(
    "urn",
    ["urn:li:person:7)", "urn:li:", "urn:li:person:", "urn:li:company:9", "urn:li:person:a.b"],
)
def test_a_broken_linkedin_urn_is_refused(urn: str) -> None:
    with pytest.raises(InvalidPostError, match=r"handles\['linkedin'\]: .* is not a LinkedIn"):
        Mention("Ana", {"linkedin": urn})


@pytest.mark.parametrize(
    ("handle", "text"),
    [
        ("urn:li:person:a1B2-c_3", "Hi @[Ana](urn:li:person:a1B2-c_3)!"),
        ("urn:li:organization:2414183", "Hi @[Ana](urn:li:organization:2414183)!"),
        ("ana-vanity", "Hi Ana!"),  # no URN: the name, unresolved
    ],
)
def test_linkedin_mentions_by_urn(handle: str, text: str) -> None:
    post = Post(text="Hi @{a}!", mentions={"a": Mention("Ana", {"linkedin": handle})})
    assert adapt(post, "linkedin").text == text


@pytest.mark.parametrize(
    ("platform", "handle", "kept"),
    [
        ("x", "cafe_lune", True),
        ("x", "cafe.lune", False),  # X would mention @cafe, someone else
        ("x", "café", False),
        ("x", "a" * 16, False),  # X usernames are at most 15 characters
        ("instagram", "cafe.lune", True),
        ("instagram", "cafe-lune", False),
        ("threads", "cafe.lune_", True),
        ("bluesky", "cafelune.bsky.social", True),
        ("bluesky", "café.bsky.social", False),
        ("bluesky", "-cafe.bsky.social", False),
        ("bluesky", "cafe.123", False),  # the last label starts with a letter
        ("mastodon", "cafelune@piaille.fr", True),
        ("mastodon", "cafe.lune", True),
        ("mastodon", "café@piaille.fr", False),
    ],
)
def test_a_handle_the_platform_cannot_have_is_not_written(
    platform: str, handle: str, kept: bool
) -> None:
    post = Post(text="Hi @{a}!", mentions={"a": Mention("Ana", {platform: handle})})
    d = adapt(post, platform)
    if kept:
        assert d.text.startswith(f"Hi @{handle}!")
        assert not d.changes_of("mention-unresolved")
    else:
        assert d.text.startswith("Hi Ana!")
        (unresolved,) = d.changes_of("mention-unresolved")
        assert f"{handle!r} is no {rules(platform).display_name} handle" in unresolved.message


def test_a_handle_pattern_is_a_rule() -> None:
    x = rules("x")
    assert x.mentions.handle_pattern is not None
    post = Post(text="Hi @{a}!", mentions={"a": Mention("Ana", {"x": "cafe.lune"})})
    anything = attrs.evolve(x, mentions=attrs.evolve(x.mentions, handle_pattern=None))
    assert adapt(post, "x", rules=anything).text == "Hi @cafe.lune!"
    with pytest.raises(
        ValueError, match=r"MentionRules.handle_pattern is not a regular expression"
    ):
        attrs.evolve(x.mentions, handle_pattern="[a-")


def test_a_display_name_written_out_mentions_nobody() -> None:
    people = {
        k: Mention(name, {"instagram": f"{k}_ig"})
        for k, name in [("a", "Ana @home"), ("b", "Bo"), ("c", "Cy"), ("d", "Di @work")]
    }
    post = Post(text="With @{a}, @{b}, @{c} and @{d}.", mentions=people)
    instagram = adapt(post, "instagram")  # the fourth is past Instagram's 3 mentions
    assert instagram.text == "With @a_ig, @b_ig, @c_ig and Di work."
    assert check(instagram.text, "instagram") == ()
    assert adapt(post, "x").text == "With Ana home, Bo, Cy and Di work."
    # The changes name them as written.
    (capped,) = instagram.changes_of("mention-capped")
    assert capped.message.startswith("wrote Di work instead of @d_ig:")
    unresolved = adapt(post, "x").changes_of("mention-unresolved")
    assert unresolved[0].message.startswith("wrote Ana home as plain text:")
    assert adapt(Post(text="By @{m}", mentions={"m": Mention("Ana@home.fr")}), "x").text == (
        "By Ana@home.fr"
    )


@pytest.mark.parametrize(
    ("name", "text", "fits"),
    [
        ("Ana (chef)", "Hi @[Ana (chef)](urn:li:person:7)!", True),
        ("A_b", "Hi @[A_b](urn:li:person:7)!", True),
        ("Ana [chef]", "Hi Ana \\[chef\\]!", False),  # "]" would end the name
        ("Ana\nB", "Hi Ana\nB!", False),
        ("A\\B", "Hi A\\\\B!", False),  # an escape in the markup
    ],
)
def test_a_linkedin_name_its_mention_markup_cannot_hold_is_plain_text(
    name: str, text: str, fits: bool
) -> None:
    post = Post(text="Hi @{a}!", mentions={"a": Mention(name, {"linkedin": "urn:li:person:7"})})
    d = adapt(post, "linkedin")
    assert d.text == text
    assert check(d.text, "linkedin") == ()
    unresolved = d.changes_of("mention-unresolved")
    assert bool(unresolved) is not fits
    if not fits:
        assert "mention markup cannot hold" in unresolved[0].message


def test_a_handle_written_before_a_word_runs_on_into_no_other_account() -> None:
    people = {
        "ana": Mention("Ana", {"x": "ana_cuisine", "mastodon": "ana@piaille.fr"}),
        "cy": Mention("Cy", {"x": "cy_x"}),
    }
    post = Post(text="Merci @{ana}@{cy} ! Et @{ana}, @{ana}.", mentions=people)
    x = adapt(post, "x")
    assert x.text == "Merci @ana_cuisine @cy_x ! Et @ana_cuisine, @ana_cuisine."
    assert [m.value for m in extract_mentions(x.text)] == ["ana_cuisine", "cy_x"] + [
        "ana_cuisine"
    ] * 2
    assert adapt(post, "mastodon").text.startswith("Merci @ana@piaille.fr Cy !")
