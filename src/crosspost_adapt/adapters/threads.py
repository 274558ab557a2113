"""Threads (Meta)."""

from crosspost_adapt.adapters.base import Platform
from crosspost_adapt.adapters.steps import STANDARD_STEPS
from crosspost_adapt.rules import (
    HashtagRules,
    LinkRules,
    MediaRules,
    MentionRules,
    PlatformRules,
    TextRules,
)

RULES = PlatformRules(
    name="threads",
    display_name="Threads",
    text=TextRules(
        # Source: Threads API, posts: "a maximum of 500 characters", emoji
        # "counted by their UTF-8 byte length" (H).
        limit=500,
        unit="meta",
        threads=True,
    ),
    # Source: Threads API / Help: one topic tag per post (H).
    hashtags=HashtagRules(max_count=1, hard_cap=True, placement="end"),
    # A Threads profile has its Instagram username (Instagram Help Center: at most
    # 30 letters, digits, periods and underscores) (M).
    mentions=MentionRules(syntax="handle", handle_pattern=r"[A-Za-z0-9._]{1,30}"),
    # Source: Threads API, posts: at most 5 distinct links (H).
    links=LinkRules(handling="inline", clickable=True, max_links=5, preview_card=True),
    media=MediaRules(
        # Source: Threads API, media specifications (H): JPEG, PNG; 8 MB (8,000,000
        # used, the decimal reading); width 320-1440; aspect ratio up to 10:1;
        # sRGB; carousels of 2 to 20 items.
        formats=("JPEG", "PNG"),
        max_bytes=8_000_000,
        max_count=20,
        min_width=320,
        max_width=1440,
        min_aspect=1 / 10,
        max_aspect=10.0,
        alt_max=1_000,
    ),
)

PLATFORM = Platform(name="threads", rules=RULES, steps=STANDARD_STEPS)
