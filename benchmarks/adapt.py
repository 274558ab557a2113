"""Posts per second: one text-only post adapted to all eight platforms, repeated.

The post is about 600 characters of French and English text with 6 hashtags, a
link and a mention: long enough that X, Bluesky and Threads thread it, Snapchat
truncates it and Instagram moves its link. Every post of the run is a distinct
text (the distance in it changes), so nothing one post computed is reused for
the next, as on a real day of posts. Prints posts per second (8 drafts each) and
drafts per second, the median of several rounds, with the time of measure() over
the same texts in the same run as a baseline. The text is what is measured:
``cards=False`` leaves out the image Instagram and Snapchat would otherwise get
made from the text (that is the images benchmark's subject, benchmarks/images.py).

Run: python benchmarks/adapt.py [--rounds N] [--posts N]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time

import attrs

from crosspost_adapt import Mention, Post, adapt_all, measure, platforms

TEXT = (
    "Notre menu d'automne est arrivé ! Courge rôtie au miel, chaï épicé maison, "
    "crumble aux pommes du verger et une soupe de potimarron qui réchauffe. "
    "Avec @{cafe}, nous avons choisi des producteurs à moins de {km} km. "
    "Our autumn menu is here: roasted squash with honey, house-spiced chai, an "
    "apple crumble from the orchard next door and a pumpkin soup to warm you up. "
    "Come and taste it from Monday, on the terrace or to take away. 🎃🍂 "
    "Réservez votre table en ligne, les places en terrasse partent vite ! "
    "See you soon, and thank you for supporting local farms. ☕"
)


def post(km: int = 50) -> Post:
    """The benchmark's post; ``km`` makes its text distinct."""
    return attrs.evolve(POST, text=TEXT.replace("{km}", str(km)))


POST = Post(
    text=TEXT.replace("{km}", "50"),
    hashtags=["autumn", "menu", "Pumpkin Spice", "chai", "local food", "café"],
    campaign="AutumnMenu",
    link="https://example.com/menu/autumn",
    mentions={
        "cafe": Mention(
            "Café Lune",
            {"x": "cafelune", "bluesky": "cafelune.bsky.social", "mastodon": "cafelune@piaille.fr"},
        )
    },
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--posts", type=int, default=300)
    args = parser.parse_args()
    names = platforms()
    drafts = adapt_all(POST, cards=False)  # warm caches (compiled patterns) before timing
    texts = [p for d in drafts.values() for p in d.parts]

    distances = itertools.count(1000)
    rates, baseline = [], []
    for _ in range(args.rounds):
        posts = [post(next(distances)) for _ in range(args.posts)]
        t0 = time.perf_counter()
        for p in posts:
            adapt_all(p, cards=False)
        rates.append(args.posts / (time.perf_counter() - t0))
        posts = [post(next(distances)) for _ in range(args.posts)]
        t0 = time.perf_counter()
        for p in posts:
            for name in names:
                measure(p.text, name)
        baseline.append(args.posts / (time.perf_counter() - t0))

    posts_per_s = statistics.median(rates)
    print(
        f"post: {len(POST.text)} characters, {len(POST.hashtags)} hashtags + campaign, 1 link, "
        f"1 mention; {len(names)} platforms; {sum(len(d.parts) for d in drafts.values())} "
        f"parts in all ({len(texts)} texts)"
    )
    print(
        f"adapt_all: {posts_per_s:,.0f} posts/s = {posts_per_s * len(names):,.0f} drafts/s "
        f"(median of {args.rounds} rounds of {args.posts}; min {min(rates):,.0f}, "
        f"max {max(rates):,.0f} posts/s)"
    )
    print(
        f"baseline, measure() of the text on every platform: "
        f"{statistics.median(baseline):,.0f} posts/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
