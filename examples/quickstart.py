"""One idea, eight native drafts: what each platform gets, and what changed.

Run: python examples/quickstart.py
"""

from __future__ import annotations

from crosspost_adapt import Media, Mention, Post, adapt_all, measure, rules


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
        media=(
            Media.from_path("photos/latte.jpg", alt="A latte with latte art", focus=(0.5, 0.4)),
        ),
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


if __name__ == "__main__":
    main()
