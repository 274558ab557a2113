"""X (Twitter)."""

from crosspost_adapt.adapters.base import Platform
from crosspost_adapt.adapters.steps import STANDARD_STEPS
from crosspost_adapt.rules import (
    HashtagRules,
    LinkRules,
    MediaRules,
    MentionRules,
    PlatformRules,
    TextRules,
    WeightedCounting,
    WeightRange,
)

#: twitter-text's v3 configuration, field for field.
#: Source: github.com/twitter/twitter-text config/v3.json (H), the counting of the
#: official npm package twitter-text 3.1.0.
WEIGHTING_V3 = WeightedCounting(
    scale=100,
    default_weight=200,
    ranges=(
        WeightRange(0, 4351, 100),  # U+0000-10FF: Latin, Greek, Cyrillic, ... Georgian
        WeightRange(8192, 8205, 100),  # U+2000-200D: spaces, ZWJ
        WeightRange(8208, 8223, 100),  # U+2010-201F: dashes, quotes
        WeightRange(8242, 8247, 100),  # U+2032-2037: primes
    ),
    emoji_parsing=True,
)

RULES = PlatformRules(
    name="x",
    display_name="X (Twitter)",
    text=TextRules(
        # Source: twitter-text config/v3.json maxWeightedTweetLength (H). X Premium
        # accounts post up to 25,000 (X Help Center, "About longer posts"):
        # attrs.evolve(RULES.text, limit=25_000).
        limit=280,
        unit="weighted",
        url_length=23,  # config/v3.json transformedURLLength (H)
        urls_without_scheme=True,  # twitter-text extracts "example.com" as a URL (H)
        weighting=WEIGHTING_V3,
        threads=True,
    ),
    # Source: X Help Center, "How to use hashtags": "no more than 2 per post" (H, a norm).
    hashtags=HashtagRules(max_count=2, hard_cap=False, placement="inline-or-end"),
    # Source: X Help Center, "Help with username registration": at most 15
    # characters, letters A-Z, digits 0-9 and underscores (H).
    mentions=MentionRules(syntax="handle", handle_pattern=r"[A-Za-z0-9_]{1,15}"),
    links=LinkRules(handling="inline", clickable=True, preview_card=True),
    media=MediaRules(
        # Source: X developer docs, media best practices / upload (H): JPEG, PNG,
        # GIF, WEBP; photos up to 5 MB (5,000,000 used), animated GIF up to 15 MB
        # and 1280x1080; 4 photos or 1 GIF; 1600x900 recommended for one image.
        formats=("JPEG", "PNG", "GIF", "WEBP"),
        max_bytes=5_000_000,
        max_bytes_animated=15_000_000,
        max_count=4,
        animated_max_size=(1280, 1080),
        recommended_size=(1600, 900),
        alt_max=1_000,  # X Help Center, image descriptions: 1,000 characters (H)
        animation_alone=True,  # 4 photos or 1 GIF (the upload docs above, H)
    ),
)

PLATFORM = Platform(name="x", rules=RULES, aliases=("twitter",), steps=STANDARD_STEPS)
