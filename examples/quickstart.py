"""One idea, eight native drafts: what each platform gets, and what changed.

Run: python examples/quickstart.py
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from crosspost_adapt import Media, Mention, Post, adapt_all, measure, rules


def latte_photo() -> bytes:
    """A stand-in for a real photo (Media.from_path("photos/latte.jpg") in real use)."""
    image = Image.new("RGB", (2400, 1800), (110, 72, 44))
    draw = ImageDraw.Draw(image)
    draw.ellipse((750, 450, 1650, 1350), fill=(238, 222, 196))
    draw.ellipse((950, 650, 1450, 1150), fill=(176, 122, 80))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def main() -> None:
    post = Post(
        text=(
            "Notre menu d'automne est arrivé 🎃 Courge rôtie, chaï épicé et crumble maison, "
            "préparés avec @{cafe}. Our autumn menu is here: brunch every Sunday from 10am!"
        ),
        hashtags=["#brunch", "pumpkin spice", "automne"],
        campaign="AutumnMenu",
        link="https://example.com/menu",
        mentions={
            "cafe": Mention(
                "Café Lune",
                {"x": "cafelune", "bluesky": "cafelune.bsky.social", "mastodon": "cafe@piaille.fr"},
            )
        },
        media=(Media.from_bytes(latte_photo(), alt="A latte with latte art", focus=(0.5, 0.4)),),
        variants={"snapchat": "Le menu d'automne est là 🎃 Brunch tous les dimanches !"},
    )
    drafts = adapt_all(post)
    print(f"{'platform':<10} {'parts':>5} {'length':>7} {'limit':>7}  changes")
    for name, draft in drafts.items():
        longest = max(measure(part, name) for part in draft.parts)
        kinds = ", ".join(sorted({c.kind for c in draft.changes})) or "-"
        print(f"{name:<10} {len(draft.parts):>5} {longest:>7} {rules(name).text.limit:>7}  {kinds}")
    print()
    for name, draft in drafts.items():
        print(f"--- {name}")
        for part in draft.parts:
            print(part)
        if draft.links:
            print(f"[links to attach: {', '.join(draft.links)}]")
        for image in draft.media:
            print(
                f"[image: {image.format} {image.width}x{image.height}, {len(image.data):,} bytes]"
            )


if __name__ == "__main__":
    main()
