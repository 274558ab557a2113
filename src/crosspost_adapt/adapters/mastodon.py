"""Mastodon (figures of a default instance; each instance may differ)."""

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
    name="mastodon",
    display_name="Mastodon",
    text=TextRules(
        # Source: Mastodon API, instance configuration.statuses: max_characters 500
        # and characters_reserved_per_url 23 (H); the server counts graphemes of
        # content warning + text, with @user@domain counted as @user. An instance
        # with another limit: attrs.evolve(RULES.text, limit=1_000).
        limit=500,
        unit="graphemes",
        url_length=23,
        mention_domain_free=True,
        threads=True,
    ),
    # No limit on hashtags; CamelCase so screen readers say the words (H, docs).
    hashtags=HashtagRules(max_count=None, hard_cap=False, placement="end", camel_case=True),
    # Source: Mastodon, app/models/account.rb: USERNAME_RE for the user, and the
    # domain of MENTION_RE after an optional "@" (H).
    mentions=MentionRules(
        syntax="fediverse",
        handle_pattern=r"[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*(?:@\w+(?:[.-]+\w+)*)?",
    ),
    links=LinkRules(handling="inline", clickable=True, preview_card=True),
    media=MediaRules(
        # Source: Mastodon API, instance configuration.media_attachments (H):
        # JPEG, PNG, GIF, WEBP, HEIC, AVIF; image_size_limit 16,777,216 bytes;
        # image_matrix_limit 33,177,600 pixels (servers downscale to 3840x2160);
        # 4 attachments; descriptions up to 1,500 characters.
        formats=("JPEG", "PNG", "GIF", "WEBP", "HEIF", "AVIF"),
        max_bytes=16_777_216,
        max_count=4,
        max_pixels=33_177_600,
        alt_max=1_500,
    ),
)

PLATFORM = Platform(name="mastodon", rules=RULES, steps=STANDARD_STEPS)
