"""Instagram (feed posts; stories as ``story_media``)."""

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
    name="instagram",
    display_name="Instagram",
    text=TextRules(
        # Source: Instagram Graph API content publishing reference, caption
        # "maximum 2,200 characters" (H); counted in UTF-16 code units (conservative).
        limit=2_200,
        unit="utf16",
    ),
    # Source: Instagram's December 2025 change, at most 5 hashtags per post (H);
    # the API reference still says 30: 5 is used. A block at the end of the caption.
    hashtags=HashtagRules(max_count=5, hard_cap=True, placement="block"),
    # Source: Graph API reference, at most 20 mentions per caption (H); 3 by default.
    # Usernames: at most 30 letters, digits, periods and underscores (Instagram
    # Help Center) (H).
    mentions=MentionRules(
        syntax="handle", max_count=3, hard_max=20, handle_pattern=r"[A-Za-z0-9._]{1,30}"
    ),
    # Links in captions are not clickable: "link in bio" and the URL handed back.
    links=LinkRules(handling="link-in-bio", clickable=False),
    media=MediaRules(
        # Source: Instagram Graph API content publishing, image specifications (H):
        # JPEG only, 8 MB (8,000,000 used), width 320-1440, aspect ratio 4:5 to
        # 1.91:1, sRGB, 1 to 10 images (a carousel crops all to the first one's
        # ratio); 1080x1350 recommended. An image is required.
        formats=("JPEG",),
        max_bytes=8_000_000,
        max_count=10,
        min_count=1,
        min_width=320,
        max_width=1440,
        recommended_size=(1080, 1350),
        min_aspect=4 / 5,
        max_aspect=1.91,
        alt_max=1_000,  # PLATFORMS.md (H)
        same_ratio=True,
    ),
    story_media=MediaRules(
        # Source: Instagram Graph API, story images (H): JPEG, 8 MB, 9:16, 1080x1920.
        formats=("JPEG",),
        max_bytes=8_000_000,
        max_count=1,
        min_count=1,
        recommended_size=(1080, 1920),
        min_aspect=9 / 16,
        max_aspect=9 / 16,
    ),
)

PLATFORM = Platform(name="instagram", rules=RULES, steps=STANDARD_STEPS)
