"""Snapchat (Spotlight and Stories)."""

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
    name="snapchat",
    display_name="Snapchat",
    text=TextRules(
        # Source: Snapchat Support, Spotlight: description up to 160 characters,
        # hashtags included; Saved Story title 45 characters (M). UTF-16 units.
        limit=160,
        unit="utf16",
        title_limit=45,
    ),
    # A few #topics inside the 160-character description (M; a norm).
    hashtags=HashtagRules(max_count=3, hard_cap=False, placement="description"),
    mentions=MentionRules(syntax="none"),
    # Links are not clickable in text: handed back as a link sticker to attach.
    links=LinkRules(handling="link-sticker", clickable=False),
    media=MediaRules(
        # Source: Snap ads creative specs (M): JPEG or PNG, 9:16 at 1080x1920,
        # 20 MB accepted, 5,000,000 used (the ads spec); keep the top and bottom
        # 150 px clear of text; exactly one media item, no text-only posts.
        formats=("JPEG", "PNG"),
        max_bytes=5_000_000,
        max_count=1,
        min_count=1,
        recommended_size=(1080, 1920),
        min_aspect=9 / 16,
        max_aspect=9 / 16,
        safe_margin=150,
    ),
)

PLATFORM = Platform(name="snapchat", rules=RULES, steps=STANDARD_STEPS)
