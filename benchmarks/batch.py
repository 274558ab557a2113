"""Speed-up of adapt_many's process pool over adapting posts one after the other.

40 posts (``--posts``), each with one 12-megapixel photo, are adapted to X,
Instagram, Bluesky and Mastodon in three ways, in the same run:

* serial, 1 thread: ``adapt_all(post, platforms)`` for each post in this process,
  the image pipeline on one thread (``set_workers(1)``): one core;
* serial, default threads: the same with the library's default threads
  (``set_workers(None)``, ``min(2, CPUs)``), for information;
* pool: ``list(adapt_many(posts, platforms))`` with the default pool, a process
  per core available, each making its images on one thread.

The goal (issue: "at least 1.8 times on 2 cores") is the pool against serial on
one thread. The three run one after the other in each round (``--rounds``), in
an order that rotates from round to round, so the machine's noise hits all
alike; the medians are printed, with posts per second, the speed-ups and, with
several rounds, their spread round by round. Before each run the library's
memory of decoded images is emptied, so no run (nor a pool forked from this
process) starts with an image another run decoded.

The photos: one photographic-looking image (``make_photo`` of
benchmarks/images.py), slightly larger than 4000x3000, is generated once; each
post gets a distinct 4000x3000 crop of it (another offset), with its own
brightness shift and a patch of grain of its own, saved as a JPEG (quality 90)
in a temporary folder, the post holding its path. Every file's bytes are
distinct: the library remembers decoded images by content within a process, and
identical photos would flatter the serial runs.

The drafts are checked: every post adapted without error, and the drafts of
every variant (text parts and image bytes, per platform) the same as serial on
one thread: the number of threads never changes an image.

A round takes 85 to 100 s on 2 cores (making the photos about 10 s); the
default run, 2 rounds, 3 to 3.5 minutes.

Run: python benchmarks/batch.py [--rounds N] [--posts N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from PIL import Image, ImageChops

from crosspost_adapt import Draft, Media, Post, adapt_all, adapt_many
from crosspost_adapt.media import get_workers, set_workers
from crosspost_adapt.media._render import _DECODED

sys.path.insert(0, str(Path(__file__).resolve().parent))
from images import make_photo  # the sibling benchmark's photo

PLATFORMS = ["x", "instagram", "bluesky", "mastodon"]
WIDTH, HEIGHT = 4000, 3000
MARGIN = 160  # the base photo is this much larger each way: room for distinct crops
QUALITY = 90

TOPICS = [
    ("our autumn menu", ["autumn", "menu"]),
    ("the new terrace", ["terrace", "summer", "café"]),
    ("Sunday's market", ["market", "local food"]),
    ("the pastry workshop", ["baking", "workshop", "pastry"]),
    ("our coffee roaster", ["coffee", "roastery"]),
]


# -- the photos and the posts -------------------------------------------------------------


def variant(base: Image.Image, index: int) -> Image.Image:
    """The ``index``-th distinct 4000x3000 photo cut from ``base``."""
    rng = random.Random(index)
    dx = (index * 37) % (MARGIN + 1)
    dy = (index * 23) % (MARGIN * 3 // 4 + 1)
    image = base.crop((dx, dy, dx + WIDTH, dy + HEIGHT))
    shift = index % 9 - 4  # a brightness shift, -4..+4
    if shift:
        image = image.point([min(255, max(0, v + shift)) for v in range(256)] * 3)
    w, h = rng.randrange(300, 700), rng.randrange(200, 500)  # a patch of grain of its own
    x, y = rng.randrange(WIDTH - w), rng.randrange(HEIGHT - h)
    grain = Image.merge("RGB", (Image.effect_noise((w, h), rng.randrange(8, 20)),) * 3)
    patch = ImageChops.add(image.crop((x, y, x + w, y + h)), grain, scale=1.0, offset=-128)
    image.paste(patch, (x, y))
    return image


def make_photos(folder: Path, count: int) -> list[Path]:
    """``count`` distinct 4000x3000 JPEGs written to ``folder``."""
    base = make_photo(WIDTH + MARGIN, HEIGHT + MARGIN * 3 // 4)
    paths = []
    for index in range(count):
        path = folder / f"photo-{index:03}.jpg"
        variant(base, index).save(path, "JPEG", quality=QUALITY)
        paths.append(path)
    digests = {hashlib.sha256(p.read_bytes()).digest() for p in paths}
    assert len(digests) == count, "the photos are not all distinct"
    return paths


def make_post(index: int, photo: Path) -> Post:
    topic, hashtags = TOPICS[index % len(TOPICS)]
    text = (
        f"Post {index + 1} of the week: a look at {topic}, photographed this morning. "
        f"Come and see us, we open at {7 + index % 4} am!"
    )
    return Post(
        text=text,
        hashtags=hashtags,
        link=f"https://example.com/news/{index + 1}",
        media=[Media.from_path(photo, alt=f"Photo {index + 1}: {topic}")],
    )


# -- measuring ----------------------------------------------------------------------------


def signature(drafts: Mapping[str, Draft]) -> bytes:
    """A digest of the drafts: per platform, the text parts and the images' bytes."""
    digest = hashlib.sha256()
    for name in sorted(drafts):
        draft = drafts[name]
        digest.update(repr((name, draft.parts)).encode())
        for media in draft.media:
            digest.update(hashlib.sha256(media.data).digest())
    return digest.digest()


def serial(posts: list[Post], workers: int | None) -> list[Mapping[str, Draft]]:
    set_workers(workers)
    try:
        return [adapt_all(post, PLATFORMS) for post in posts]
    finally:
        set_workers(None)


def pool(posts: list[Post]) -> list[Mapping[str, Draft]]:
    results = list(adapt_many(posts, PLATFORMS))
    for result in results:
        if result.error is not None:
            raise RuntimeError(f"post {result.index}: {result.error!r}")
        assert result.drafts is not None
    return [result.drafts for result in results if result.drafts is not None]


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads(n: int) -> str:
    return f"{n} thread" if n == 1 else f"{n} threads"


def spread(values: Iterable[float]) -> str:
    values = list(values)
    return f"{min(values):.2f}..{max(values):.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--posts", type=int, default=40)
    args = parser.parse_args()
    processes = cores()
    default_threads = get_workers()
    labels = {
        "serial1": "serial, 1 thread",
        "serial": f"serial, {threads(default_threads)}",
        "pool": f"pool, {processes} process{'es' if processes > 1 else ''}",
    }
    variants: dict[str, Callable[[list[Post]], list[Mapping[str, Draft]]]] = {
        "serial1": lambda posts: serial(posts, 1),
        "serial": lambda posts: serial(posts, None),
        "pool": pool,
    }
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        photos = make_photos(Path(tmp), args.posts)
        made = time.perf_counter() - start
        average = statistics.mean(p.stat().st_size for p in photos)
        print(
            f"photos: {args.posts} distinct {WIDTH}x{HEIGHT} JPEGs, quality {QUALITY}, "
            f"{average / 1e6:.1f} MB on average (made in {made:.1f} s)",
            flush=True,
        )
        posts = [make_post(i, p) for i, p in enumerate(photos)]
        adapt_all(posts[0], PLATFORMS)  # warm up (imports, compiled patterns) before timing

        times: dict[str, list[float]] = {name: [] for name in variants}
        differ: dict[str, set[int]] = {name: set() for name in variants}  # posts
        for round_ in range(args.rounds):  # interleaved, so the machine's noise hits all alike
            names = list(variants)
            signatures: dict[str, list[bytes]] = {}
            for name in names[round_ % 3 :] + names[: round_ % 3]:
                _DECODED.clear()  # no run starts with images an earlier run decoded
                start = time.perf_counter()
                drafts = variants[name](posts)
                times[name].append(time.perf_counter() - start)
                signatures[name] = [signature(d) for d in drafts]
                del drafts
                print(
                    f"  round {round_ + 1}: {labels[name]:20} {times[name][-1]:6.1f} s", flush=True
                )
            for name in variants:
                pairs = zip(signatures[name], signatures["serial1"], strict=True)
                differ[name].update(i for i, (a, b) in enumerate(pairs) if a != b)
        _DECODED.clear()

    t = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"{args.posts} posts x {len(PLATFORMS)} platforms, one 12-megapixel JPEG each; "
        f"{processes} CPUs; median of {args.rounds} round{'s' if args.rounds > 1 else ''}"
    )
    for name in variants:
        print(f"  {labels[name]:20} {t[name]:6.1f} s  {args.posts / t[name]:5.2f} posts/s")
    print(
        f"  speed-up  pool/serial(1 thread) {t['serial1'] / t['pool']:.2f}   "
        f"pool/serial({threads(default_threads)}) {t['serial'] / t['pool']:.2f}"
    )
    if args.rounds > 1:
        print(
            f"  rounds    pool/serial(1 thread) "
            f"{spread(s / p for s, p in zip(times['serial1'], times['pool'], strict=True))}   "
            f"pool/serial({threads(default_threads)}) "
            f"{spread(s / p for s, p in zip(times['serial'], times['pool'], strict=True))}"
        )
    differing = {name: len(posts) for name, posts in differ.items() if posts}
    print(
        "  same drafts: "
        + (
            "yes (every variant, to the byte)"
            if not differing
            else "no: " + ", ".join(f"{labels[n]} {k} posts" for n, k in differing.items())
        )
    )
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
