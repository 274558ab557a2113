"""Bluesky (AT Protocol)."""

from crosspost_adapt.adapters.base import Platform
from crosspost_adapt.adapters.steps import BLUESKY_STEPS
from crosspost_adapt.rules import (
    HashtagRules,
    LinkRules,
    MediaRules,
    MentionRules,
    PlatformRules,
    TextRules,
)

RULES = PlatformRules(
    name="bluesky",
    display_name="Bluesky",
    text=TextRules(
        # Source: lexicon app.bsky.feed.post: text maxGraphemes 300 and maxLength
        # 3,000 UTF-8 bytes (H; shared conformance/bluesky/grapheme_length.yml).
        limit=300,
        unit="graphemes",
        byte_limit=3_000,
        threads=True,
    ),
    # Links, mentions and hashtags are facets; the post's `tags` field holds at
    # most 8 tags of at most 64 graphemes (lexicon app.bsky.feed.post.tags, H).
    hashtags=HashtagRules(
        max_count=None,
        hard_cap=False,
        placement="facets",
        tags_field_max=8,
        tag_max_graphemes=64,
    ),
    # Source: AT Protocol specs, "Handle": an ASCII host name of at least two
    # labels of 1 to 63 letters, digits and hyphens (none first or last), the
    # last label starting with a letter, at most 253 characters (H).
    mentions=MentionRules(
        syntax="handle",
        handle_pattern=(
            r"(?=.{1,253}\Z)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
            r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        ),
    ),
    links=LinkRules(
        handling="inline",
        clickable=True,
        preview_card=True,
        # Source: the Bluesky app (bluesky-social/social-app, toShortUrl) shows a
        # link's path, query and fragment cut after 15 characters with "..." (H).
        display_path_max=15,
    ),
    media=MediaRules(
        # Source: lexicon app.bsky.embed.images (H): 4 images; 2,000,000 bytes since
        # April 2026, 1,000,000 before: 1,000,000 targeted so older servers accept
        # it. JPEG, PNG, WEBP; the app caps sides at 4000 px; alt text 2,000.
        formats=("JPEG", "PNG", "WEBP"),
        max_bytes=1_000_000,
        max_count=4,
        max_side=4000,
        alt_max=2_000,
    ),
)

PLATFORM = Platform(name="bluesky", rules=RULES, steps=BLUESKY_STEPS)
