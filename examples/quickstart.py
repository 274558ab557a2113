"""One idea, measured the way each platform counts it.

Run: python examples/quickstart.py
"""

from __future__ import annotations

from crosspost_adapt import Media, Mention, Post, measure, platforms, rules


def main() -> None:
    post = Post(
        text=(
            "Notre menu d'automne est arrivé 🎃 Pumpkin spice latte, chaï et crumble maison. "
            "Our autumn menu is here, with @{cafe} 🧑🏽‍🍳 https://example.com/menu"
        ),
        hashtags=["#Automne", "pumpkin spice", "café"],
        campaign="AutumnMenu",
        link="https://example.com/menu",
        mentions={
            "cafe": Mention("Café Lune", {"x": "cafelune", "mastodon": "cafelune@piaille.fr"})
        },
        media=(
            Media.from_path("photos/latte.jpg", alt="A latte with latte art", focus=(0.5, 0.4)),
        ),
    )
    print(f"hashtags: {', '.join(post.hashtags)}  campaign: #{post.campaign}\n")
    print(f"{'platform':<10} {'length':>7} {'limit':>7}  unit")
    for name in platforms():
        r = rules(name)
        print(f"{name:<10} {measure(post.text, name):>7} {r.text.limit:>7}  {r.text.unit}")


if __name__ == "__main__":
    main()
