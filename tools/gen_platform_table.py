#!/usr/bin/env python3
"""Generate ``docs/platforms.md``: the main figures of every registered platform.

Run from anywhere, with a Python where crosspost_adapt is installed::

    python tools/gen_platform_table.py           # rewrite docs/platforms.md
    python tools/gen_platform_table.py --check   # exit 1 if the file is out of date

Every figure comes from ``rules(name)`` for each name of ``platforms()``, so the
page cannot drift from the data: ``tests/test_docs.py`` compares the file with
:func:`render`.
"""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path

from crosspost_adapt import platforms, rules
from crosspost_adapt.rules import (
    HashtagRules,
    LinkRules,
    MediaRules,
    MentionRules,
    PlatformRules,
    TextRules,
)

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "platforms.md"

NONE = "-"

UNIT_NAMES = {
    "weighted": "weighted (twitter-text)",
    "graphemes": "graphemes",
    "utf16": "UTF-16 code units",
    "meta": "characters, emoji by UTF-8 bytes",
}


def _n(value: int) -> str:
    """An integer with thousands separators: ``5,000,000``."""
    return f"{value:,}"


def _ratio(value: float) -> str:
    """An aspect ratio as ``w:h`` when it is a simple fraction, else ``1.91:1``."""
    frac = Fraction(value).limit_denominator(32)
    if abs(float(frac) - value) < 1e-9:
        return f"{frac.numerator}:{frac.denominator}"
    return f"{value:g}:1"


def _text(t: TextRules) -> str:
    out = f"{_n(t.limit)} {UNIT_NAMES.get(t.unit, t.unit)}"
    if t.title_limit is not None:
        out += f"; title {_n(t.title_limit)}"
    if t.threads:
        out += "; thread of posts"
    return out


def _url(t: TextRules) -> str:
    if t.url_length is None:
        return "as written"
    out = str(t.url_length)
    if t.urls_without_scheme:
        out += " (also without `https://`)"
    else:
        out += " (with `http(s)://` only)"
    return out


def _mention_count(m: MentionRules) -> str:
    parts = []
    if m.max_count is not None:
        parts.append(f"{m.max_count} by default")
    if m.hard_max is not None:
        parts.append(f"at most {m.hard_max}")
    return f" ({', '.join(parts)})" if parts else ""


MENTION_SYNTAX = {
    "handle": "`@handle`",
    "fediverse": "`@user@instance`",
    "linkedin": "`@[Name](urn:li:...)`, else the name",
    "name": "display name",
    "none": "none (display name)",
}


def _mentions(m: MentionRules) -> str:
    return MENTION_SYNTAX.get(m.syntax, m.syntax) + _mention_count(m)


def _hashtags(h: HashtagRules) -> str:
    if h.max_count is None:
        cap = "no cap"
    else:
        cap = f"{h.max_count} ({'hard cap' if h.hard_cap else 'norm'})"
    out = f"{cap}, {h.placement}"
    if h.campaign_only:
        out += ", campaign tag only"
    if h.camel_case:
        out += ", CamelCase"
    if h.tags_field_max is not None:
        out += f"; `tags` field: {h.tags_field_max}"
        if h.tag_max_graphemes is not None:
            out += f" of at most {h.tag_max_graphemes} graphemes"
    return out


def _links(lk: LinkRules) -> str:
    out = lk.handling + ("" if lk.clickable else " (not clickable)")
    if lk.max_links is not None:
        out += f", at most {lk.max_links} distinct"
    if lk.preview_card:
        out += ", preview card"
    return out


def _count(m: MediaRules) -> str:
    if m.min_count == m.max_count:
        return f"exactly {m.max_count}"
    if m.min_count:
        return f"{m.min_count}-{m.max_count}"
    return f"0-{m.max_count}"


def _aspect(m: MediaRules) -> str:
    lo, hi = m.min_aspect, m.max_aspect
    if lo is None and hi is None:
        return "any"
    if lo is not None and hi is not None:
        out = _ratio(lo) if lo == hi else f"{_ratio(lo)} to {_ratio(hi)}"
        return out + ("; carousel cropped to the first image's ratio" if m.same_ratio else "")
    if lo is not None:
        return f"at least {_ratio(lo)}"
    assert hi is not None
    return f"at most {_ratio(hi)}"


def _size(m: MediaRules) -> str:
    parts = []
    if m.min_width is not None or m.max_width is not None:
        lo = _n(m.min_width) if m.min_width is not None else "0"
        hi = _n(m.max_width) if m.max_width is not None else "any"
        parts.append(f"width {lo}-{hi}")
    if m.max_height is not None:
        parts.append(f"height at most {_n(m.max_height)}")
    if m.max_side is not None:
        parts.append(f"longest side {_n(m.max_side)}")
    if m.max_pixels is not None:
        parts.append(f"at most {_n(m.max_pixels)} pixels")
    if m.recommended_size is not None:
        w, h = m.recommended_size
        parts.append(f"{w}x{h} recommended")
    if m.animated_max_size is not None:
        w, h = m.animated_max_size
        parts.append(f"GIF at most {w}x{h}")
    if m.safe_margin is not None:
        parts.append(f"{m.safe_margin} px safe margin")
    return "; ".join(parts) or NONE


def _bytes(m: MediaRules) -> str:
    out = _n(m.max_bytes)
    if m.max_bytes_animated is not None:
        out += f" (GIF {_n(m.max_bytes_animated)})"
    return out


LEGEND = [
    "- *Text limit*: the most units of the platform's counting unit one post holds;",
    '  "thread of posts" marks the platforms that chain posts into a thread.',
    "- *URL length*: every URL counts this many units whatever its length;",
    '  "as written" means it counts like any other text.',
    '- *Hashtags*: "norm" is common practice, "hard cap" the platform\'s own limit.',
    "  Placement: `inline-or-end` tags a word of the text, else adds the tag at the end;",
    "  `end` at the end of the text; `block` a separate block at the end; `facets` at",
    "  the end, sent as rich-text facets; `description` inside the short description.",
    "- *Links*: `inline` written in the text; `link-in-bio` and `link-sticker` mean the",
    "  link is not clickable in the text and is handed back to be attached by hand.",
]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


def _media_row(label: str, m: MediaRules) -> list[str]:
    return [
        label,
        ", ".join(m.formats),
        _bytes(m),
        _count(m),
        _aspect(m),
        _size(m),
        _n(m.alt_max) if m.alt_max is not None else NONE,
    ]


def render() -> str:
    """The whole Markdown page, from the rules of every registered platform."""
    all_rules: list[PlatformRules] = [rules(name) for name in platforms()]
    text_rows = [
        [
            f"{r.display_name}, `{r.name}`",
            _text(r.text),
            _url(r.text),
            _n(r.text.byte_limit) if r.text.byte_limit is not None else NONE,
            _hashtags(r.hashtags),
            _mentions(r.mentions),
            _links(r.links),
        ]
        for r in all_rules
    ]
    media_rows: list[list[str]] = []
    for r in all_rules:
        media_rows.append(_media_row(f"{r.display_name}, `{r.name}`", r.media))
        if r.story_media is not None:
            media_rows.append(_media_row(f"{r.display_name} stories, `{r.name}`", r.story_media))

    lines = [
        "<!-- Generated by tools/gen_platform_table.py from rules(); do not edit by hand. -->",
        "",
        "# Platforms at a glance",
        "",
        "This page is generated from the rules data of every registered platform",
        "(`rules(name)` for each name of `platforms()`). Do not edit it by hand: change",
        "the rules, then run `python tools/gen_platform_table.py`. The test suite fails",
        "when the page and the data disagree.",
        "",
        "Each figure has its source in a comment next to it in",
        "`src/crosspost_adapt/adapters/<name>.py`; [rules.md](rules.md) explains every",
        "field and how to change one, and [counting.md](counting.md) how each unit counts.",
        "",
        "## Text, hashtags, mentions, links",
        "",
        *_table(
            [
                "platform",
                "text limit and unit",
                "URL length",
                "byte limit",
                "hashtags (cap, placement)",
                "mentions",
                "links",
            ],
            text_rows,
        ),
        "",
        *LEGEND,
        "",
        "## Images",
        "",
        "Sizes in bytes, dimensions in pixels, aspect ratios as width:height.",
        "",
        *_table(
            [
                "platform",
                "formats (preferred first)",
                "max bytes",
                "images per post",
                "aspect ratio",
                "dimensions",
                "alt text max (characters)",
            ],
            media_rows,
        ),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the file differs, do not write"
    )
    parser.add_argument("--out", type=Path, default=OUTPUT, help="file to write")
    args = parser.parse_args(argv)
    page = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != page:
            print(f"{args.out} is out of date: run python tools/gen_platform_table.py")
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page, encoding="utf-8", newline="\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
