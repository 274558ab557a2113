"""Text: counting in each platform's unit, entities, emoji sequences."""

from crosspost_adapt.text.counting import (
    WeightedParse,
    count,
    count_slices,
    countable_text,
    graphemes,
    meta_length,
    parse_weighted,
    utf8_length,
    utf16_length,
    weighted_length,
)
from crosspost_adapt.text.entities import (
    Entity,
    extract_cashtags,
    extract_entities,
    extract_hashtags,
    extract_mentions,
    extract_urls,
)

__all__ = [
    "Entity",
    "WeightedParse",
    "count",
    "count_slices",
    "countable_text",
    "extract_cashtags",
    "extract_entities",
    "extract_hashtags",
    "extract_mentions",
    "extract_urls",
    "graphemes",
    "meta_length",
    "parse_weighted",
    "utf8_length",
    "utf16_length",
    "weighted_length",
]
