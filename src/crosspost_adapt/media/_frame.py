"""Framing: the output ratio and size a platform needs, and the crop or pad that gets there.

The pipeline asks three questions of an image of ``width x height``:

1. :func:`target_ratio`: must it be reframed, and to which ratio (width / height)?
2. :func:`frame`: reframe it, by cropping (:func:`crop_box` chooses the window) or by
   padding onto a blurred copy of itself (or a solid colour);
3. :func:`output_size`: the size to resize the framed image to.

Sizes are integers, so an exact ratio is rarely reachable: an image "has" a ratio
when it is the nearest whole-pixel box of that ratio (one side is the other times
the ratio, rounded). :func:`framed_size` gives the size :func:`frame` produces
without making it, so that the final size is known before any pixel is touched and
the padded result can be made directly at that size (``frame(..., size=...)``).

Content analysis (``"attention"``, ``"entropy"``) runs on a thumbnail whose longest
side is at most 128 px; crops are lazy (``Image.crop``) and the blurred background of
a pad is made from a small copy, so 12-24 MP inputs stay cheap.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final, Literal

from PIL import Image, ImageChops, ImageFilter

from crosspost_adapt.media._resample import resize
from crosspost_adapt.rules import MediaRules

__all__ = [
    "Strategy",
    "crop_box",
    "fixed_ratio",
    "frame",
    "framed_size",
    "output_size",
    "ratio_label",
    "target_ratio",
]

#: How an image is reframed to a ratio.
#:
#: - ``"auto"``: crop around the focus point when there is one, else around the
#:   centre; but pad when the crop would cut more than ``pad_threshold`` of a side;
#: - ``"center"``: crop around the centre;
#: - ``"focus"``: crop around the focus point (the centre when there is none);
#: - ``"attention"``: crop to the most salient window (edges, saturation, skin tones);
#: - ``"entropy"``: crop to the window of most detail (histogram entropy);
#: - ``"pad"``: never crop: pad the image to the ratio.
Strategy = Literal["auto", "center", "focus", "attention", "entropy", "pad"]

#: Longest side of the thumbnail the content analysis runs on.
_THUMB_SIDE: Final = 128
#: Longest side of the small copy the padding background is blurred on.
_BLUR_SIDE: Final = 96
#: Brightness of the blurred padding background (1.0: as the image).
_BLUR_BRIGHTNESS: Final = 0.8
#: Weights of the parts of the saliency map (each part is 0..255).
_EDGE_WEIGHT: Final = 1.0
_SATURATION_WEIGHT: Final = 0.5
_SKIN_WEIGHT: Final = 1.5
#: Modes framed as they are; other modes are converted for padding and resizing.
_WORK_MODES: Final = ("RGB", "RGBA", "L", "LA")
#: Ratios named as platforms name them.
_NAMED_RATIOS: Final = (
    ("1:1", 1.0),
    ("4:5", 4 / 5),
    ("5:4", 5 / 4),
    ("3:4", 3 / 4),
    ("4:3", 4 / 3),
    ("2:3", 2 / 3),
    ("3:2", 3 / 2),
    ("9:16", 9 / 16),
    ("16:9", 16 / 9),
    ("1.91:1", 1.91),
    ("1:10", 1 / 10),
    ("10:1", 10.0),
)
#: What crop_box's strategies say in a note.
_WHERE: Final = {
    "center": "around the centre",
    "focus": "around the focus point",
    "attention": "around the most salient area",
    "entropy": "around the most detailed area",
}


# -- ratios and sizes ------------------------------------------------------------------


def _check_size(width: int, height: int) -> None:
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, not {value!r}")


def _check_ratio(ratio: float) -> None:
    if not (isinstance(ratio, int | float) and math.isfinite(ratio) and ratio > 0):
        raise ValueError(f"ratio must be a positive finite number, not {ratio!r}")


#: Slack for whole pixels computed in floating point (1080 / 0.8 is 1350).
_EPS: Final = 1e-9


def _crop_dims(width: int, height: int, ratio: float) -> tuple[int, int]:
    """The largest whole-pixel box of ``ratio`` inside ``width x height``."""
    if width / height > ratio:
        return max(1, min(width, round(height * ratio))), height
    return width, max(1, min(height, round(width / ratio)))


def _pad_dims(width: int, height: int, ratio: float) -> tuple[int, int]:
    """The smallest whole-pixel box of ``ratio`` around ``width x height``."""
    if width / height > ratio:
        return width, max(height, round(width / ratio))
    return max(width, round(height * ratio)), height


def _has_ratio(width: int, height: int, ratio: float) -> bool:
    """Whether ``width x height`` is a nearest whole-pixel box of ``ratio``."""
    return _crop_dims(width, height, ratio) == (width, height) or _pad_dims(
        width, height, ratio
    ) == (width, height)


def fixed_ratio(rules: MediaRules) -> bool:
    """Whether the rules take one ratio only (Snapchat's and stories' 9:16)."""
    lo, hi = rules.min_aspect, rules.max_aspect
    return lo is not None and hi is not None and math.isclose(lo, hi, rel_tol=1e-9)


def _clamp(ratio: float, rules: MediaRules) -> float:
    if rules.min_aspect is not None and ratio < rules.min_aspect:
        ratio = rules.min_aspect
    if rules.max_aspect is not None and ratio > rules.max_aspect:
        ratio = rules.max_aspect
    return ratio


def ratio_label(ratio: float) -> str:
    """``ratio`` as platforms write it: ``"4:5"``, ``"9:16"``, ``"1.91:1"``; else w/h
    with two decimals (``"1.25"`` is 5:4, so that one is named; ``"2.35"``)."""
    for name, value in _NAMED_RATIOS:
        if abs(ratio - value) <= 1e-3 * value:
            return name
    return f"{ratio:.2f}"


def target_ratio(
    width: int, height: int, rules: MediaRules, *, ratio: float | None = None
) -> float | None:
    """The ratio (width / height) to reframe a ``width x height`` image to, or None.

    ``ratio`` is the ratio asked for (an Instagram carousel uses its first image's),
    brought into the rules' ``[min_aspect, max_aspect]``; without it, the image's own
    ratio brought into that range. None when the image already has that ratio, to
    the pixel (the nearest whole-pixel box of it), so that no reframing is needed:
    a framed image always gives None.
    """
    _check_size(width, height)
    if ratio is not None:
        _check_ratio(ratio)
        wanted = _clamp(float(ratio), rules)
        return None if _has_ratio(width, height, wanted) else wanted
    own = width / height
    wanted = _clamp(own, rules)
    if wanted == own or _has_ratio(width, height, wanted):
        return None
    return wanted


def _pads(width: int, height: int, ratio: float, strategy: Strategy, threshold: float) -> bool:
    """Whether :func:`frame` pads (rather than crops) ``width x height`` to ``ratio``."""
    if strategy == "pad":
        return True
    if strategy != "auto":
        return False
    crop_w, crop_h = _crop_dims(width, height, ratio)
    return 1 - (crop_w * crop_h) / (width * height) > threshold


def framed_size(
    width: int,
    height: int,
    ratio: float | None,
    *,
    strategy: Strategy = "auto",
    pad_threshold: float = 1 / 3,
) -> tuple[int, int]:
    """The size :func:`frame` gives a ``width x height`` image (without ``size``).

    The crop box of ``ratio``, or the padded canvas when ``strategy`` pads; the image's
    own size when ``ratio`` is None or already the image's.
    """
    _check_size(width, height)
    if ratio is None:
        return width, height
    _check_ratio(ratio)
    if _has_ratio(width, height, ratio):
        return width, height
    if _pads(width, height, ratio, strategy, pad_threshold):
        return _pad_dims(width, height, ratio)
    return _crop_dims(width, height, ratio)


def output_size(
    width: int, height: int, rules: MediaRules, *, ratio: float | None = None
) -> tuple[int, int]:
    """The size to resize a framed ``width x height`` image to for ``rules``.

    ``ratio``: the ratio the image was framed to, where it was (a frame has whole
    pixels, so its own ratio can be a hair off): a scaled image gets that ratio
    (an Instagram carousel item padded from 1170x2532 to 2026x2532 becomes
    1080x1350, as the 4:5 photo before it, not 1080x1349).

    Scaled down, keeping the ratio, to fit ``max_width``, ``max_height``, ``max_side``,
    ``max_pixels`` and the ``recommended_size`` (a box the image must fit in: Instagram
    1080x1350 makes every post 1080 wide; where the platform takes any ratio, X, the
    box is turned to the image's orientation). Scaled up only to reach ``min_width``
    (Instagram and Threads: 320) and, on a fixed-ratio platform with a recommended
    size (Snapchat, stories), to that size exactly: 1080x1920. Never upscaled
    otherwise. An image the rules already take is returned at its size (so this is
    idempotent); a scaled one gets the ratio brought into the rules' range, which
    only differs from its own by rounding when it was framed. Sides are whole pixels,
    at least 1; the upper limits win over ``min_width`` should they ever conflict.
    """
    _check_size(width, height)
    lo, hi = rules.min_aspect, rules.max_aspect
    fixed = fixed_ratio(rules)
    rec = rules.recommended_size
    if rec is not None and lo is None and hi is None and (width < height) != (rec[0] < rec[1]):
        rec = (rec[1], rec[0])

    def fits_upper(w: int, h: int) -> bool:
        return not (
            (rules.max_width is not None and w > rules.max_width)
            or (rules.max_height is not None and h > rules.max_height)
            or (rules.max_side is not None and max(w, h) > rules.max_side)
            or (rules.max_pixels is not None and w * h > rules.max_pixels)
        )

    # Taken as it is?
    as_is = fits_upper(width, height) and (rules.min_width is None or width >= rules.min_width)
    if rec is not None:
        as_is = as_is and (
            (width, height) == rec if fixed else width <= rec[0] and height <= rec[1]
        )
    if as_is:
        # (A nearest whole-pixel box of a bound may be a hair outside the range.)
        return _within_range(width, height, rules, fits_upper, grow=False)

    ratio = _clamp(width / height if ratio is None else ratio, rules)
    # Scale the longer side (x) and round the other, so that the ratio is kept best.
    by_width = ratio >= 1
    k_w = 1.0 if by_width else ratio  # width = x * k_w
    k_h = 1 / ratio if by_width else 1.0  # height = x * k_h

    caps: list[float] = []
    if not fixed or rec is None:
        caps += [width / k_w, height / k_h]  # never upscale
    if rec is not None:
        caps += [rec[0] / k_w, rec[1] / k_h]
    if rules.max_width is not None:
        caps.append(rules.max_width / k_w)
    if rules.max_height is not None:
        caps.append(rules.max_height / k_h)
    if rules.max_side is not None:
        caps += [rules.max_side / k_w, rules.max_side / k_h]
    if rules.max_pixels is not None:
        caps.append(math.sqrt(rules.max_pixels / (k_w * k_h)))
    x = max(1, math.floor(min(caps) + 1e-6))
    if rules.min_width is not None and x * k_w < rules.min_width:
        x = max(x, math.ceil(rules.min_width / k_w - 1e-6))

    def dims(x: int) -> tuple[int, int]:
        if by_width:
            return x, max(1, round(x * k_h))
        return max(1, round(x * k_w)), x

    w, h = dims(x)
    while x > 1 and not fits_upper(w, h):
        x -= 1
        w, h = dims(x)

    def fits(a: int, b: int) -> bool:
        return fits_upper(a, b) and (rec is None or fixed or (a <= rec[0] and b <= rec[1]))

    return _within_range(w, h, rules, fits, grow=True)


def _within_range(
    w: int, h: int, rules: MediaRules, fits: Callable[[int, int], bool], *, grow: bool
) -> tuple[int, int]:
    """``w x h`` brought into the rules' ratio range where rounding left it a hair
    outside (a platform checking the range strictly would refuse it): by a pixel
    more on one side (with ``grow``, where ``fits`` takes it), else less on the
    other. A fixed ratio (Snapchat's 9:16) has its exact size elsewhere."""
    if fixed_ratio(rules):
        return w, h
    lo, hi = rules.min_aspect, rules.max_aspect
    if lo is not None and w / h < lo - _EPS:
        wider = math.ceil(h * lo - _EPS)
        if grow and wider - w <= 1 and fits(wider, h):
            return wider, h
        return w, max(1, min(h, math.floor(w / lo + _EPS)))
    if hi is not None and w / h > hi + _EPS:
        taller = math.ceil(w / hi - _EPS)
        if grow and taller - h <= 1 and fits(w, taller):
            return w, taller
        return max(1, min(w, math.floor(h * hi + _EPS))), h
    return w, h


# -- cropping --------------------------------------------------------------------------


def _rgb(image: Image.Image) -> Image.Image:
    return image if image.mode == "RGB" else image.convert("RGB")


def _thumbnail(image: Image.Image) -> Image.Image:
    """An RGB copy whose longest side is at most :data:`_THUMB_SIDE` px."""
    scale = min(1.0, _THUMB_SIDE / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    if image.mode not in _WORK_MODES:
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    if size != image.size:
        image = image.resize(size, Image.Resampling.BOX, reducing_gap=2.0)
    return _rgb(image)


def _profile(channel: Image.Image, horizontal: bool) -> list[float]:
    """Mean of an L image down each column (``horizontal``) or along each row."""
    size = (channel.width, 1) if horizontal else (1, channel.height)
    return [float(v) for v in channel.resize(size, Image.Resampling.BOX).tobytes()]


def _saliency(thumb: Image.Image, horizontal: bool) -> list[float]:
    """Saliency of each column (or row) of ``thumb``: edges, saturation, skin tones."""
    n = thumb.width if horizontal else thumb.height
    grey = thumb.convert("L")
    edges = [0.0] * n
    if thumb.width > 2 and thumb.height > 2:
        # FIND_EDGES copies the border pixels: leave the border out.
        inner = grey.filter(ImageFilter.FIND_EDGES).crop((1, 1, thumb.width - 1, thumb.height - 1))
        edges[1:-1] = _profile(inner, horizontal)
    saturation = _profile(thumb.convert("HSV").getchannel("S"), horizontal)
    _, cb, cr = thumb.convert("YCbCr").split()
    skin_cb = cb.point(lambda v: 255 if 77 <= v <= 127 else 0)
    skin_cr = cr.point(lambda v: 255 if 133 <= v <= 173 else 0)
    skin = _profile(ImageChops.multiply(skin_cb, skin_cr), horizontal)
    return [
        _EDGE_WEIGHT * e + _SATURATION_WEIGHT * s + _SKIN_WEIGHT * k
        for e, s, k in zip(edges, saturation, skin, strict=True)
    ]


def _best_offset(
    image: Image.Image, box_w: int, box_h: int, strategy: Literal["attention", "entropy"]
) -> int:
    """The offset along the cut axis of the best ``box_w x box_h`` window."""
    horizontal = box_w < image.width  # sliding left to right
    slack = (image.width - box_w) if horizontal else (image.height - box_h)
    thumb = _thumbnail(image)
    scale = (thumb.width / image.width) if horizontal else (thumb.height / image.height)
    thumb_len = thumb.width if horizontal else thumb.height
    steps = max(1, min(slack, math.ceil(slack * scale) * 2))
    offsets = sorted({round(slack * i / steps) for i in range(steps + 1)})

    def span(offset: int) -> tuple[int, int]:
        length = box_w if horizontal else box_h
        start = min(thumb_len - 1, round(offset * scale))
        end = max(start + 1, min(thumb_len, round((offset + length) * scale)))
        return start, end

    scores: list[float] = []
    if strategy == "entropy":
        for offset in offsets:
            start, end = span(offset)
            window = (start, 0, end, thumb.height) if horizontal else (0, start, thumb.width, end)
            scores.append(thumb.crop(window).entropy())
    else:
        sums = [0.0]
        for value in _saliency(thumb, horizontal):
            sums.append(sums[-1] + value)
        for offset in offsets:
            start, end = span(offset)
            scores.append(sums[end] - sums[start])
    best = max(scores)
    tolerance = 1e-9 * max(1.0, abs(best))
    centre = slack / 2
    return min(
        (
            offset
            for offset, score in zip(offsets, scores, strict=True)
            if score >= best - tolerance
        ),
        key=lambda offset: abs(offset - centre),
    )


def crop_box(
    image: Image.Image,
    ratio: float,
    *,
    strategy: Strategy = "center",
    focus: tuple[float, float] | None = None,
) -> tuple[int, int, int, int]:
    """The largest box ``(left, upper, right, lower)`` of ``ratio`` inside ``image``.

    ``strategy`` chooses where along the cut side: ``"center"``; ``"focus"``: centred
    on ``focus`` (fractions of width and height, the centre when None) as far as the
    image allows; ``"attention"``: the window holding the most saliency (edges,
    saturation, skin tones); ``"entropy"``: the window of highest histogram entropy.
    Both are computed on a thumbnail; among equal windows the most central wins.
    ``"auto"`` is ``"focus"`` with a focus point, else ``"center"``; ``"pad"`` is
    refused (a ValueError): padding has no crop box.
    """
    _check_ratio(ratio)
    if strategy == "pad":
        raise ValueError("the 'pad' strategy has no crop box")
    if strategy == "auto":
        strategy = "focus" if focus is not None else "center"
    width, height = image.size
    box_w, box_h = _crop_dims(width, height, ratio)
    if (box_w, box_h) == (width, height):
        return 0, 0, width, height
    if strategy in ("attention", "entropy"):
        offset = _best_offset(image, box_w, box_h, strategy)
        if box_w < width:
            return offset, 0, offset + box_w, height
        return 0, offset, width, offset + box_h
    if strategy == "focus" and focus is not None:
        fx, fy = (min(1.0, max(0.0, float(v))) if math.isfinite(v) else 0.5 for v in focus)
    elif strategy in ("focus", "center"):
        fx, fy = 0.5, 0.5
    else:
        raise ValueError(f"unknown strategy {strategy!r}")
    left = min(width - box_w, max(0, round(fx * width - box_w / 2)))
    upper = min(height - box_h, max(0, round(fy * height - box_h / 2)))
    return left, upper, left + box_w, upper + box_h


# -- framing ---------------------------------------------------------------------------


def _workable(image: Image.Image) -> Image.Image:
    """``image`` in a mode Pillow resizes and blurs well (RGB, RGBA, L, LA)."""
    if image.mode in _WORK_MODES:
        return image
    alpha = "A" in image.getbands() or "transparency" in image.info
    return image.convert("RGBA" if alpha else "RGB")


def _resize(
    image: Image.Image,
    size: tuple[int, int],
    box: tuple[int, int, int, int],
    workers: int | None,
) -> Image.Image:
    if size == (box[2] - box[0], box[3] - box[1]):
        return image.crop(box) if box != (0, 0, *image.size) else image
    return resize(image, size, box=box, workers=workers)


def _background(
    image: Image.Image, size: tuple[int, int], pad_color: tuple[int, int, int] | None
) -> Image.Image:
    """A ``size`` canvas in ``image``'s mode: ``pad_color``, or a blurred, slightly
    darkened copy of ``image`` covering it (blurred small, then scaled up)."""
    base = "L" if image.mode in ("L", "LA") else "RGB"
    if pad_color is not None:
        return Image.new("RGB", size, tuple(pad_color)).convert(image.mode)
    scale = min(1.0, _BLUR_SIDE / max(size))
    small = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
    cover = crop_box(image, size[0] / size[1])
    copy = image.resize(small, Image.Resampling.BILINEAR, box=cover, reducing_gap=2.0)
    copy = copy.convert(base)
    copy = copy.filter(ImageFilter.GaussianBlur(max(1.0, max(small) / 16)))
    copy = copy.point(lambda v: round(v * _BLUR_BRIGHTNESS))
    return copy.resize(size, Image.Resampling.BICUBIC).convert(image.mode)


def _matching_size(width: int, height: int, ratio: float, size: tuple[int, int]) -> bool:
    """Whether ``size`` has ``ratio`` up to rounding at either scale."""
    tolerance = 1 / min(size) + 2 / min(width, height) + 1e-9
    return abs(math.log((size[0] / size[1]) / ratio)) <= tolerance


def frame(
    image: Image.Image,
    ratio: float | None,
    *,
    strategy: Strategy = "auto",
    focus: tuple[float, float] | None = None,
    pad_color: tuple[int, int, int] | None = None,
    pad_threshold: float = 1 / 3,
    size: tuple[int, int] | None = None,
    workers: int | None = None,
) -> tuple[Image.Image, str | None]:
    """``image`` reframed to ``ratio`` (width / height), and a note of what was done.

    ``strategy`` (see :data:`Strategy`): ``"auto"`` crops around ``focus`` when given,
    else around the centre, but pads when the crop would cut more than
    ``pad_threshold`` of the image (a 4:3 landscape made 9:16 keeps its subject);
    ``"pad"`` always pads; the others always crop (see :func:`crop_box`). Padding
    centres the image, unscaled, on a blurred and slightly darkened copy of itself
    covering the canvas, or on ``pad_color``.

    ``size``: the exact size of the result (``output_size`` of :func:`framed_size`),
    reached with one resample of the content (the pipeline's filter: Lanczos for a
    strong reduction, else bicubic): the crop box is resized at once,
    and a pad is made directly at that size, which is much cheaper than padding at
    full size and resizing. ``size`` must have ``ratio`` (up to rounding), else
    ValueError; with ``ratio`` None (or already the image's) the image is resized.
    ``workers``: the threads that resample may use (see
    :func:`~crosspost_adapt.media.set_workers`); the result is the same for any
    number.

    The note is None when nothing was framed (a resize alone is the caller's to
    report), e.g. ``"cropped 4032x3024 to 1701x3024 around the centre to 9:16"`` or
    ``"padded 4032x3024 to 4032x7168 (9:16) onto a blurred copy of the image"``.
    RGB, RGBA, L and LA images keep their mode; other modes are kept by a crop and
    become RGB (RGBA with transparency) when padded or resized. Without ``size`` and
    framing, the image itself is returned.
    """
    if strategy not in ("auto", "center", "focus", "attention", "entropy", "pad"):
        raise ValueError(f"unknown strategy {strategy!r}")
    if not 0 <= pad_threshold <= 1:
        raise ValueError(f"pad_threshold must be within 0..1, not {pad_threshold!r}")
    width, height = image.size
    _check_size(width, height)
    if size is not None:
        _check_size(*size)
        size = (size[0], size[1])
    if ratio is not None:
        _check_ratio(ratio)
        if _has_ratio(width, height, ratio):
            ratio = None
    if ratio is None:
        if size is None or size == image.size:
            return image, None
        if not _matching_size(width, height, width / height, size):
            raise ValueError(f"size {size[0]}x{size[1]} does not have the image's ratio")
        return _resize(_workable(image), size, (0, 0, width, height), workers), None
    if size is not None and not _matching_size(width, height, ratio, size):
        raise ValueError(f"size {size[0]}x{size[1]} does not have the ratio {ratio_label(ratio)}")
    # With a size, its own ratio is the exact one to frame to.
    exact = ratio if size is None else size[0] / size[1]
    label = ratio_label(ratio)
    resized = "" if size is None else f", resized to {size[0]}x{size[1]}"

    if not _pads(width, height, ratio, strategy, pad_threshold):
        kind = "focus" if strategy == "auto" and focus is not None else strategy
        kind = "center" if kind == "auto" or (kind == "focus" and focus is None) else kind
        box = crop_box(image, exact, strategy=kind, focus=focus)
        box_w, box_h = box[2] - box[0], box[3] - box[1]
        framed = image.crop(box) if size is None else _resize(_workable(image), size, box, workers)
        note = f"cropped {width}x{height} to {box_w}x{box_h} {_WHERE[kind]} to {label}{resized}"
        return framed, note

    work = _workable(image)
    if size is None:
        canvas_size = _pad_dims(width, height, exact)
        content = work
    else:
        canvas_size = size
        scale = min(size[0] / width, size[1] / height)
        content_size = (
            max(1, min(size[0], round(width * scale))),
            max(1, min(size[1], round(height * scale))),
        )
        content = _resize(work, content_size, (0, 0, width, height), workers)
    canvas = _background(work, canvas_size, pad_color)
    canvas.paste(
        content,
        ((canvas_size[0] - content.width) // 2, (canvas_size[1] - content.height) // 2),
    )
    onto = (
        "a blurred copy of the image" if pad_color is None else "rgb({}, {}, {})".format(*pad_color)
    )
    scaled = (
        "" if content.size == (width, height) else f" (scaled to {content.width}x{content.height})"
    )
    note = (
        f"padded {width}x{height}{scaled} to {canvas_size[0]}x{canvas_size[1]} ({label}) "
        f"onto {onto}"
    )
    return canvas, note
