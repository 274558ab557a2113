"""Time of adapting a 12-megapixel JPEG to a platform: floor, naive and ours.

A photographic-looking 4000x3000 JPEG (quality 92) is generated in memory
(gradients, blurred shapes, mid-frequency texture, thin sharp lines, grain),
then adapted to two targets, each variant repeated and timed (median):

* floor: the least work that gives our output, knowing its size and quality in
  advance: reduced (draft) decode, one resize (the pipeline's filter), one encode;
* naive: full decode, Lanczos resize, then quality 95, 90, 85... until it fits;
* ours:  the library's own pipeline, ``crosspost_adapt.media.render_media`` with
  the platform's rules (safe open, reduced decode, orientation, sRGB, framing,
  one resize, the guided search under the byte budget).

Threads: the floor and the naive loop run on one thread (the floor as issue 4
defines it). Ours uses the library's default, ``min(2, CPUs)`` threads
(``--workers N`` to change it), so it may use 2 for the resize (two bands) and
for candidate encodes (the quality the search tries and the one it will likely
try next, at once); the decode and every other step run on one thread in all
three. ``ours N full encodes`` counts the encodes made ahead.

Targets: Instagram (4:5 crop to 1080x1350, JPEG, 8,000,000 bytes: the budget
does not bind) and Bluesky (longest side at most 4000 px, JPEG, 1,000,000 bytes:
the budget binds).

Printed per target: the medians and their ratios, the spread of the ratios
round by round, and the ratios of the fastest run of each variant (the least
disturbed by other work on a shared machine).

``--memory`` measures, in a separate process, the peak RSS of adapting a
24-megapixel JPEG to the Instagram target.

Run: python benchmarks/images.py [--repeat N] [--workers N] [--memory]
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from crosspost_adapt import Media, rules
from crosspost_adapt.media import get_workers, render_media, set_workers
from crosspost_adapt.media._encode import QUALITY_MAX, encode
from crosspost_adapt.media._render import _DECODED
from crosspost_adapt.media._resample import resize

DRAFT_GAP = 1.0
"""Decode at a reduced JPEG scale while the kept region stays >= DRAFT_GAP x the target."""


@dataclass(frozen=True)
class Target:
    name: str
    platform: str
    width: int  # the exact size (crop) or the bounding box (fit)
    height: int
    crop: bool
    fmt: str
    budget: int
    ratio: float | None  # the ratio asked of the platform's pipeline


INSTAGRAM = Target("Instagram", "instagram", 1080, 1350, True, "JPEG", 8_000_000, 4 / 5)
BLUESKY = Target("Bluesky", "bluesky", 4000, 4000, False, "JPEG", 1_000_000, None)


# -- the source image ---------------------------------------------------------------------


def make_photo(width: int, height: int, seed: int = 1) -> Image.Image:
    """A photographic-looking RGB image: smooth light, soft shapes, texture, grain."""
    rng = random.Random(seed)
    gradient = Image.linear_gradient("L")
    red = gradient.rotate(30, resample=Image.Resampling.BICUBIC, fillcolor=90)
    green = gradient.rotate(-70, resample=Image.Resampling.BICUBIC, fillcolor=140)
    blue = Image.radial_gradient("L")
    size = (width, height)
    base = Image.merge(
        "RGB", [c.resize(size, Image.Resampling.BILINEAR) for c in (red, green, blue)]
    )
    layer = Image.new("RGB", size)
    mask = Image.new("L", size, 0)
    draw, draw_mask = ImageDraw.Draw(layer), ImageDraw.Draw(mask)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        rx, ry = rng.randrange(width // 30, width // 6), rng.randrange(height // 30, height // 6)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        alpha = rng.randrange(120, 255)
        if rng.random() < 0.5:
            box = (x - rx, y - ry, x + rx, y + ry)
            draw.ellipse(box, fill=colour)
            draw_mask.ellipse(box, fill=alpha)
        else:
            points = [(x + rng.randrange(-rx, rx), y + rng.randrange(-ry, ry)) for _ in range(5)]
            draw.polygon(points, fill=colour)
            draw_mask.polygon(points, fill=alpha)
    layer = layer.filter(ImageFilter.GaussianBlur(6))
    image = Image.composite(layer, base, mask.filter(ImageFilter.GaussianBlur(12)))
    # mid-frequency texture (foliage, fabric) strongest away from the centre
    texture = Image.effect_noise((width // 6, height // 6), 50).resize(
        size, Image.Resampling.BICUBIC
    )
    texture_mask = Image.radial_gradient("L").resize(size).point(lambda v: min(255, v) * 3 // 4)
    textured = Image.blend(image, Image.merge("RGB", (texture,) * 3), 0.25)
    image = Image.composite(textured, image, texture_mask)
    draw = ImageDraw.Draw(image)
    for _ in range(300):  # sharp detail: twigs, wires
        x, y = rng.randrange(width), rng.randrange(height)
        end = (x + rng.randrange(-200, 200), y + rng.randrange(-200, 200))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.line((x, y, *end), fill=colour, width=rng.randrange(1, 4))
    grain = Image.effect_noise(size, 5)
    return ImageChops.add(image, Image.merge("RGB", (grain,) * 3), scale=1.0, offset=-128)


def make_jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    make_photo(width, height).save(out, "JPEG", quality=92)
    return out.getvalue()


# -- decode and geometry ------------------------------------------------------------------


def geometry(size: tuple[int, int], target: Target) -> tuple[tuple[float, ...], tuple[int, int]]:
    """The region of the source kept (crop box) and the output size."""
    width, height = size
    if target.crop:
        aspect = target.width / target.height
        if width / height > aspect:
            kept = height * aspect
            box = ((width - kept) / 2, 0.0, (width + kept) / 2, float(height))
        else:
            kept = width / aspect
            box = (0.0, (height - kept) / 2, float(width), (height + kept) / 2)
        return box, (target.width, target.height)
    factor = min(1.0, target.width / width, target.height / height)
    return (0.0, 0.0, float(width), float(height)), (round(width * factor), round(height * factor))


def decode(data: bytes, target: Target, *, draft: bool) -> tuple[Image.Image, tuple[int, int]]:
    """Decoded and resized to the target (a reduced JPEG decode when *draft*)."""
    image: Image.Image = Image.open(io.BytesIO(data))
    full = image.size
    box, out = geometry(full, target)
    if draft:
        # the whole image at the scale where the kept region is still >= the output
        kept_w, kept_h = box[2] - box[0], box[3] - box[1]
        request = (
            int(full[0] * out[0] * DRAFT_GAP / kept_w),
            int(full[1] * out[1] * DRAFT_GAP / kept_h),
        )
        image.draft("RGB", request)
    image = image.convert("RGB")
    sx, sy = image.width / full[0], image.height / full[1]
    box = (box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy)
    if out == image.size and box == (0.0, 0.0, float(image.width), float(image.height)):
        return image, out
    if draft:  # the floor: the same resample as the pipeline's, on one thread
        return resize(image, out, box=box, workers=1), out
    return image.resize(out, Image.Resampling.LANCZOS, box=box), out


# -- the variants -------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    data: bytes
    quality: int | None
    encodes: int
    size: tuple[int, int]


def floor(data: bytes, target: Target, size: tuple[int, int], quality: int | None) -> Result:
    image, _ = decode(data, target, draft=True)
    if image.size != size:
        image = resize(image, size, workers=1)
    return Result(encode(image, target.fmt, quality=quality), quality, 1, size)


def naive(data: bytes, target: Target) -> Result:
    image, size = decode(data, target, draft=False)
    for encodes, quality in enumerate(range(95, 0, -5), start=1):
        out = encode(image, target.fmt, quality=quality)
        if len(out) <= target.budget:
            return Result(out, quality, encodes, size)
    raise ValueError("naive: nothing fits")


def ours(data: bytes, target: Target) -> Result:
    media_rules = rules(target.platform).media
    assert media_rules.max_bytes == target.budget
    _DECODED.clear()  # no image decoded by an earlier run: each run starts from the bytes
    made, changes = render_media(
        Media.from_bytes(data),
        media_rules,
        ratio=target.ratio,
        crop="center",  # as the floor and the naive loop do (auto would pad a 4:3 to 4:5)
    )
    encodes = sum(c.data.get("encodes", 0) for c in changes)
    return Result(made.data, made.quality, encodes, (made.width, made.height))


# -- measuring ----------------------------------------------------------------------------


def run_target(data: bytes, target: Target, repeat: int) -> None:
    first = ours(data, target)  # warm up; the floor needs its size and quality
    times: dict[str, list[float]] = {"floor": [], "naive": [], "ours": []}
    results: dict[str, Result] = {}
    variants: dict[str, Callable[[], Result]] = {
        "floor": lambda: floor(data, target, first.size, first.quality),
        "naive": lambda: naive(data, target),
        "ours": lambda: ours(data, target),
    }
    for round_ in range(repeat):  # interleaved, so the machine's noise hits all alike
        names = list(variants)
        for name in names[round_ % 3 :] + names[: round_ % 3]:
            start = time.perf_counter()
            results[name] = variants[name]()
            times[name].append(time.perf_counter() - start)
    t = {name: statistics.median(values) for name, values in times.items()}
    binding = (
        results["ours"].quality != QUALITY_MAX or results["ours"].size != results["naive"].size
    )
    binds = "binds" if binding else "does not bind"
    print(f"{target.name}: {target.fmt} under {target.budget:,} bytes (the budget {binds})")
    for name in variants:
        print(f"  time   {name:5} {t[name] * 1000:7.1f} ms")
    print(
        f"  ratio  ours/floor {t['ours'] / t['floor']:.2f}   "
        f"naive/ours {t['naive'] / t['ours']:.2f}"
    )
    # The ratios of each round (the three variants ran one after the other): their
    # spread shows how much the machine's noise moves the medians above.
    spread = {
        "ours/floor": [o / f for o, f in zip(times["ours"], times["floor"], strict=True)],
        "naive/ours": [n / o for n, o in zip(times["naive"], times["ours"], strict=True)],
    }
    print("  rounds " + "   ".join(f"{k} {min(v):.2f}..{max(v):.2f}" for k, v in spread.items()))
    # The fastest run of each: the least disturbed by the machine's other work.
    best = {name: min(values) for name, values in times.items()}
    print(
        f"  best   ours/floor {best['ours'] / best['floor']:.2f}   "
        f"naive/ours {best['naive'] / best['ours']:.2f}   (fastest run of each)"
    )
    for name in ("naive", "ours"):
        r = results[name]
        w, h = r.size
        print(
            f"  {name:5}  {r.encodes} full encodes, {w}x{h}, quality {r.quality}, "
            f"{len(r.data):,} bytes"
        )


def threads(n: int) -> str:
    return f"{n} thread" if n == 1 else f"{n} threads"


def memory_child(path: str) -> None:
    data = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = ours(data, INSTAGRAM)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{before} {after} {len(result.data)}")


def run_memory(workers: int | None) -> None:
    # Linux keeps ru_maxrss across fork and exec: the 24 MP image is generated in one
    # child process and adapted in another, both started from this small process.
    print("generating a 6000x4000 JPEG (in a separate process)...", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "source.jpg")
        subprocess.run([sys.executable, __file__, "--make-jpeg", path], check=True)
        source_bytes = Path(path).stat().st_size
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", path]
            + ([] if workers is None else ["--workers", str(workers)]),
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    before, after, size = (int(v) for v in out)
    print(
        f"24 MP JPEG ({source_bytes:,} bytes) to Instagram, "
        f"{threads(workers or get_workers())}: peak RSS {after / 1024:.0f} MB "
        f"(after imports and reading the file: {before / 1024:.0f} MB), "
        f"output {size:,} bytes"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--workers", type=int, help="threads of ours (default: min(2, CPUs))")
    parser.add_argument("--memory", action="store_true", help="peak RSS, 24 MP to Instagram")
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    parser.add_argument("--make-jpeg", help=argparse.SUPPRESS)
    args = parser.parse_args()
    set_workers(args.workers)
    if args.make_jpeg:
        Path(args.make_jpeg).write_bytes(make_jpeg(6000, 4000))
        return 0
    if args.memory_child:
        memory_child(args.memory_child)
        return 0
    if args.memory:
        run_memory(args.workers)
        return 0
    start = time.perf_counter()
    data = make_jpeg(4000, 3000)
    print(
        f"source: 4000x3000 JPEG q92, {len(data):,} bytes "
        f"(generated in {time.perf_counter() - start:.1f} s); median of {args.repeat} runs; "
        f"ours on {threads(get_workers())}, floor and naive on 1"
    )
    for target in (INSTAGRAM, BLUESKY):
        run_target(data, target, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
