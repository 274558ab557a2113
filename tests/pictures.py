"""Test pictures made in memory, the same on every run for a seed.

Import them in a test module as ``from pictures import photo`` (``tests/`` is on
the path, as for ``strategies``).
"""

from __future__ import annotations

import random
from functools import cache

from PIL import Image, ImageChops, ImageDraw, ImageFilter


def noise(size: tuple[int, int], mode: str = "RGB", seed: int = 1) -> Image.Image:
    """Random pixels: every pixel a sharp edge, the hardest case for rounding."""
    rng = random.Random(seed)
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * len(mode)))


@cache
def _photo(width: int, height: int, seed: int) -> Image.Image:
    rng = random.Random(seed)
    size = (width, height)
    base = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").rotate(30, fillcolor=90).resize(size),
            Image.linear_gradient("L").rotate(-70, fillcolor=140).resize(size),
            Image.radial_gradient("L").resize(size),
        ],
    )
    draw = ImageDraw.Draw(base)
    for _ in range(25):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(4, max(5, min(width, height) // 4))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    image = base.filter(ImageFilter.GaussianBlur(3))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.line((x, y, x + rng.randrange(-80, 80), y + rng.randrange(-80, 80)), fill=(20, 20, 20))
    grain = noise(size, "L", seed).point(lambda v: 116 + v * 24 // 256)
    return ImageChops.add(image, Image.merge("RGB", (grain,) * 3), offset=-128)


def photo(width: int, height: int, seed: int = 1) -> Image.Image:
    """A photographic-looking image: smooth light, soft shapes, thin lines and
    grain, so that its encoded size grows with the quality (a copy: change it freely)."""
    return _photo(width, height, seed).copy()
