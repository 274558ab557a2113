"""Facebook."""

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
    name="facebook",
    display_name="Facebook",
    text=TextRules(
        # Source: no official page; 63,206 is the figure maintained schedulers
        # enforce (M). Counted in UTF-16 code units, the conservative unit.
        limit=63_206,
        unit="utf16",
    ),
    # Source: the seed article and common practice (a norm, not a limit): as few
    # hashtags as possible, only the current campaign's.
    hashtags=HashtagRules(max_count=1, hard_cap=False, placement="end", campaign_only=True),
    # Page names have no portable mention syntax: the display name is written.
    mentions=MentionRules(syntax="name"),
    links=LinkRules(handling="inline", clickable=True, preview_card=True),
    media=MediaRules(
        # Source: Meta Business Help Center image specs (M): JPEG, PNG, GIF, BMP,
        # TIFF accepted, output JPEG/PNG; 10 MB accepted, 4,000,000 used so the
        # upload is quick; longest side 2048 suggested; 10 images.
        formats=("JPEG", "PNG"),
        max_bytes=4_000_000,
        max_count=10,
        max_side=2048,
        alt_max=1_000,  # PLATFORMS.md "use" figure (M)
    ),
)

PLATFORM = Platform(name="facebook", rules=RULES, steps=STANDARD_STEPS)
