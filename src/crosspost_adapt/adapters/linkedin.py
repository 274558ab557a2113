"""LinkedIn."""

from crosspost_adapt.adapters.base import Platform
from crosspost_adapt.adapters.steps import LINKEDIN_STEPS
from crosspost_adapt.rules import (
    HashtagRules,
    LinkRules,
    MediaRules,
    MentionRules,
    PlatformRules,
    TextRules,
)

RULES = PlatformRules(
    name="linkedin",
    display_name="LinkedIn",
    text=TextRules(
        # Source: LinkedIn Posts API, commentary up to 3,000 characters (M);
        # UTF-16 code units (conservative). The "little" text format escapes
        # |{}@[]()<>#*_~ with a backslash.
        limit=3_000,
        unit="utf16",
        markup="little",
    ),
    # Source: LinkedIn's own guidance, 3-5 hashtags (M; a norm): 5 kept at most.
    hashtags=HashtagRules(max_count=5, hard_cap=False, placement="end"),
    # @[Name](urn:li:organization:ID) when a URN is known, else the display name.
    mentions=MentionRules(syntax="linkedin"),
    links=LinkRules(handling="inline", clickable=True, preview_card=True),
    media=MediaRules(
        # Source: LinkedIn Images API (M): JPEG, PNG, GIF; fewer than 36,152,320
        # pixels; up to 20 images; 5 or 8 MB depending on the source: 5,000,000 used.
        formats=("JPEG", "PNG", "GIF"),
        max_bytes=5_000_000,
        max_count=20,
        max_pixels=36_152_319,
    ),
)

PLATFORM = Platform(name="linkedin", rules=RULES, steps=LINKEDIN_STEPS)
