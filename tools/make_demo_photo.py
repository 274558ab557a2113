"""Make src/crosspost_adapt/demo/photo.jpg, the photo of the bundled demo post.

An autumn still life for a café's menu post, drawn with Pillow alone: pumpkins and a
cup of chai on a wooden table, fallen leaves, blurred warm lights, a vignette and a
fine grain (so it encodes like a photo). Deterministic: a fixed seed. Writes a
1600x1200 JPEG, quality 85, without metadata. Usage: python tools/make_demo_photo.py
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "src" / "crosspost_adapt" / "demo" / "photo.jpg"
W, H, EDGE = 1600, 1200, 430  # EDGE: where the table's far edge meets the wall
RNG = random.Random(20241021)
RGB = tuple[int, ...]
Box = tuple[float, float, float, float]
ORANGE = ((146, 54, 6), (255, 172, 72))  # a pumpkin's shade and highlight
LEAVES = [  # fallen leaves: x, y, size, angle, colour
    (240, 1060, 70, 35, (196, 70, 30)),
    (1470, 1080, 60, -50, (214, 140, 40)),
    (760, 1110, 56, 80, (170, 52, 28)),
    (1480, 640, 48, 120, (222, 160, 60)),
    (1000, 1020, 60, -20, (230, 120, 36)),
    (110, 820, 58, 160, (160, 48, 24)),
]


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def gradient(top: RGB, bottom: RGB, height: int) -> Image.Image:
    strip = Image.new("RGB", (1, height))
    strip.putdata([mix(top, bottom, y / (height - 1)) for y in range(height)])
    return strip.resize((W, height))


def background() -> Image.Image:
    """A dim wall with out-of-focus warm lights, over a plank table."""
    img = Image.new("RGB", (W, H))
    img.paste(gradient((58, 40, 30), (112, 78, 52), EDGE))
    glow = Image.new("RGB", (W, EDGE + 60))
    spots: list[tuple[float, float, float]] = []
    while len(spots) < 18:  # bokeh: round lights that barely touch
        x, y, r = RNG.uniform(0, W), RNG.uniform(30, EDGE - 50), RNG.uniform(20, 55)
        if all(math.hypot(x - a, y - b) >= r + c for a, b, c in spots):
            spots.append((x, y, r))
            colour = mix((255, 170, 80), (255, 220, 150), RNG.random())
            ImageDraw.Draw(glow).ellipse((x - r, y - r, x + r, y + r), fill=colour)
    glow = glow.filter(ImageFilter.GaussianBlur(14))
    img.paste(Image.blend(img.crop((0, 0, W, EDGE + 60)), glow, 0.35))
    table = gradient((122, 74, 42), (84, 48, 26), H - EDGE)
    d = ImageDraw.Draw(table)
    y, plank = 0.0, 70.0
    while y < H - EDGE:  # planks widen toward the viewer: a hint of perspective
        for _ in range(int(plank / 5)):  # wavy grain lines
            gy, amp, phase = y + RNG.uniform(4, plank - 4), RNG.uniform(1, 4), RNG.uniform(0, 6)
            shade, wave = mix((70, 40, 20), (150, 96, 56), RNG.random()), RNG.uniform(90, 95)
            pts = [(x, gy + amp * math.sin(x / wave + phase)) for x in range(0, W + 20, 20)]
            d.line(pts, fill=shade, width=RNG.choice((1, 1, 2)))
        d.line([(0, y), (W, y)], fill=(44, 24, 12), width=3)
        y, plank = y + plank, plank * 1.22
    img.paste(table.filter(ImageFilter.GaussianBlur(1.2)), (0, EDGE))
    far = (0, EDGE - 30, W, EDGE + 160)  # the far end of the table, out of focus
    img.paste(img.crop(far).filter(ImageFilter.GaussianBlur(3)), far[:2])
    return img


def shaded_ellipse(d: ImageDraw.ImageDraw, box: Box, dark: RGB, light: RGB) -> None:
    """An ellipse lit from the upper left: concentric fills drifting toward the light."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    for i in range(36):
        t = i / 36
        s, cx, cy = (1 - 0.85 * t) / 2, x0 + w * (0.5 - 0.18 * t), y0 + h * (0.5 - 0.22 * t)
        d.ellipse((cx - w * s, cy - h * s, cx + w * s, cy + h * s), fill=mix(dark, light, t**1.3))


def shadow(img: Image.Image, box: Box, strength: int = 150) -> None:
    mask = Image.new("L", img.size)
    ImageDraw.Draw(mask).ellipse(box, fill=strength)
    img.paste((30, 16, 8), (0, 0), mask.filter(ImageFilter.GaussianBlur(26)))


def pumpkin(img: Image.Image, cx: float, cy: float, w: float, h: float) -> None:
    """Five shaded lobes, the outer ones first, a dimple and a stem on top."""
    shadow(img, (cx - w * 0.55, cy + h * 0.18, cx + w * 0.62, cy + h * 0.62))
    d = ImageDraw.Draw(img)
    for i in (-2, 2, -1, 1, 0):
        x, lw, lh = cx + i * w * 0.14, w * (0.24 - 0.025 * abs(i)), h * (1 - 0.05 * abs(i))
        shaded_ellipse(d, (x - lw, cy + h / 2 - lh, x + lw, cy + h / 2), *ORANGE)
    k, top = w / 420, cy - h / 2
    d.ellipse((cx - 40 * k, top - 4 * k, cx + 40 * k, top + 22 * k), fill=(170, 72, 14))
    stem = [(-16, 14), (-12, -34), (8, -56), (26, -52), (12, -30), (16, 14)]
    d.polygon([(cx + x * k, top + y * k) for x, y in stem], fill=(98, 84, 42), outline=(62, 50, 24))
    d.line([(cx, top + 6 * k), (cx + 8 * k, top - 40 * k)], fill=(140, 126, 70), width=3)


def chai(img: Image.Image, cx: float, cy: float) -> None:
    """A cup of chai on its saucer, two cinnamon sticks beside it."""
    shadow(img, (cx - 230, cy - 40, cx + 260, cy + 150), 170)
    shadow(img, (cx + 60, cy + 130, cx + 380, cy + 250), 120)
    d = ImageDraw.Draw(img)
    cream, grey = (252, 249, 243), (168, 158, 146)
    shaded_ellipse(d, (cx - 220, cy - 90, cx + 220, cy + 110), grey, (250, 246, 238))
    d.ellipse((cx - 150, cy - 45, cx + 150, cy + 65), fill=(222, 214, 202))  # the saucer's well
    d.ellipse((cx + 115, cy - 150, cx + 235, cy - 40), outline=(206, 198, 186), width=20)  # handle
    d.ellipse((cx - 112, cy - 28, cx + 112, cy + 38), fill=(150, 140, 128))  # the cup's foot
    for i in range(80):  # the body, in slices shaded from the lit left side
        t0, t1 = i / 80, (i + 1) / 80
        top = [(cx - 158 + 316 * t, cy - 190) for t in (t0, t1)]
        bottom = [(cx - 110 + 220 * t, cy + 5 + 64 * math.sqrt(t - t * t)) for t in (t1, t0)]
        d.polygon(top + bottom, fill=mix(cream, grey, min(1.0, abs(t0 - 0.3) * 1.5) ** 1.3))
    d.ellipse((cx - 158, cy - 235, cx + 158, cy - 145), fill=cream)  # rim
    shaded_ellipse(d, (cx - 144, cy - 227, cx + 144, cy - 153), (128, 74, 36), (206, 152, 98))
    d.ellipse((cx - 144, cy - 227, cx + 144, cy - 153), outline=(214, 176, 134), width=3)  # froth
    for k, (x, y) in enumerate(((cx + 70, cy + 190), (cx + 84, cy + 216))):  # cinnamon
        d.line([(x, y), (x + 270, y - 60)], fill=(116, 58, 26), width=26)
        d.line([(x, y - 7), (x + 270, y - 67)], fill=(158, 92, 50), width=5)
        d.ellipse((x + 260, y - 73, x + 280, y - 47), fill=(176, 112, 66 - 10 * k))


def leaf(img: Image.Image, cx: float, cy: float, size: float, angle: float, colour: RGB) -> None:
    """An almond-shaped leaf with its veins, rotated, casting a soft shadow."""
    c = size * 1.2
    layer = Image.new("RGBA", (int(2 * c), int(2 * c)))
    d = ImageDraw.Draw(layer)
    edge = [
        (c + 0.42 * size * math.sin(t / 40 * math.pi) ** 1.4, c - size + size * t / 20)
        for t in range(41)
    ]
    d.polygon(edge + [(2 * c - x, y) for x, y in reversed(edge)], fill=colour)
    vein = mix(colour, (60, 30, 10), 0.45)
    d.line([(c, c - size), (c, c + size * 1.15)], fill=vein, width=4)
    r = size * 0.3
    for y in (c - size + k * size * 0.38 for k in range(1, 5)):
        d.line([(c - r, y - r * 0.67), (c, y), (c + r, y - r * 0.67)], fill=vein, width=2)
    layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC)
    mask = layer.getchannel("A").point(lambda a: a // 2).filter(ImageFilter.GaussianBlur(8))
    img.paste((30, 16, 8), (int(cx - c + 8), int(cy - c + 10)), mask)
    img.paste(layer, (int(cx - c), int(cy - c)), layer)


def finish(img: Image.Image) -> Image.Image:
    """A vignette, then a fine grain of +-6 levels."""
    ring = Image.radial_gradient("L").resize((W, H)).point(lambda v: min(190, max(0, 2 * v - 220)))
    img = Image.composite(Image.new("RGB", (W, H), (20, 10, 4)), img, ring)
    grain = Image.frombytes("L", (W, H), RNG.randbytes(W * H))
    return Image.composite(img.point(lambda v: v + 6), img.point(lambda v: v - 6), grain)


def main() -> None:
    img = background()
    for spec in LEAVES:
        leaf(img, *spec)
    pumpkin(img, 300, 560, 190, 130)
    pumpkin(img, 520, 700, 420, 300)
    chai(img, 1120, 760)
    pumpkin(img, 840, 930, 210, 150)
    img = finish(img)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    img.save(OUT, "JPEG", quality=85, optimize=True)  # no exif= nor comment=: no metadata
    print(f"{OUT}: {img.width}x{img.height}, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
