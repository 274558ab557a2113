"""Encoding an image under a byte budget with few full-size encodes.

Settings fixed before any search
--------------------------------
A search over quality only works when the size is a monotone function of the
quality, so every encoder setting other than the quality is fixed up front and
identical for every encode of one search:

* JPEG: ``optimize=True`` (optimal Huffman tables, about 4 % smaller, always
  applied so sizes compare), baseline (``progressive=False``: progressive is
  about 4 % smaller again but takes twice as long to encode, and baseline is the
  safest for every decoder), chroma subsampling fixed at 4:2:0 for every
  quality. Switching to 4:4:4 at high qualities, as some encoders do, makes the
  size jump up at the switch, so the curve would not be monotone and a search
  could skip the best fitting quality; 4:2:0 is what the platforms re-encode
  to anyway.
* PNG: ``compress_level=6`` (zlib's default), not ``optimize=True``:
  ``optimize`` forces level 9 plus filter trials, which takes 1.7 to 3 times as
  long for 0.3 % (graphics) to 5 % (photos) fewer bytes.
* WEBP: ``method=4`` (libwebp's default speed/size point; ``method=6`` takes
  twice as long for about 5 % fewer bytes).
* GIF: one 256-colour palette (median cut) when the image is not already ``"P"``.

No metadata is ever written: no EXIF, ICC profile, XMP or comment. Some Pillow
writers copy such keys from ``Image.info`` when they are not passed, so empty
values are passed explicitly, and an image carrying such keys is stripped of
them (keeping only ``transparency``) before encoding.

The guided search (JPEG and WEBP)
---------------------------------
A *probe* is a mosaic of 12 x 12 tiles of 32 x 32 pixels sampled on a grid
across the image, aligned on the 16-pixel blocks of the codecs, so it has the
image's detail and noise at full resolution. Encoding the probe is cheap (about
1 % of a 12-megapixel image), and its bytes per pixel scaled to the whole image
predict the full size at any quality (0 to 7 % too high: the tile seams cost
bytes). The search encodes the highest quality predicted to fit, corrects the
prediction by the ratio measured (actual / predicted), and keeps a bracket
(highest quality encoded that fits, lowest that does not), trying next the
highest quality the corrected prediction puts under the budget inside it. The
quality above the best fit is encoded too whenever its corrected prediction is
within 1 % over the budget (the probe's quality-to-quality ratios were measured
accurate to 0.5 %), so the result is the highest quality that fits, in practice
after one to three full encodes. Images whose raw pixels fit the budget (JPEG)
skip the probe: one encode at ``quality_max``.

Two encodes at once (``workers`` > 1)
-------------------------------------
While the quality the search has chosen is encoded on one thread, the quality
it is likely to try *next* is encoded on the other: the search's own next step,
worked out from an estimate of the size about to be measured. Before the first
full encode the estimate comes from a second, coarser probe (6 x 6 tiles of
128 x 128 pixels: fewer seams, so within 1.5 % on the photos measured, where the
main probe errs up to 7 %); after it, from the corrected prediction. The search
itself is the same: it takes each size as if it had just encoded it, so the
quality chosen, the bytes returned and their checked length are those of the
search on one thread. In practice the encode made ahead is the one the search
asks for next, and two full encodes take little more than the time of one; when
it is not, it only cost the other core. The encodes then write to an in-memory file (Linux
``memfd``): Pillow releases the GIL while it encodes to a file descriptor, not
while it encodes to a ``BytesIO``. The bytes are the same.

When even ``quality_floor`` is predicted not to fit, the image is downscaled
instead: probes of the image scaled down (tiles of the source resampled to the
probe's tile size) find the scale at which ``quality_floor`` fits, the source is
resampled once (Lanczos or bicubic, by the strength of the reduction: see
:mod:`crosspost_adapt.media._resample`) and the search runs again on the result.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import wait
from functools import partial
from typing import Any, Final

import attrs
from PIL import Image

from crosspost_adapt.media._resample import resize
from crosspost_adapt.media._workers import resolve_workers, submit

__all__ = [
    "QUALITY_FLOOR",
    "QUALITY_MAX",
    "Encoded",
    "encode",
    "encode_animation",
    "encode_under",
]

QUALITY_MAX: Final = 95
"""Highest quality tried: where the budget allows, an image keeps the quality a
careful export would give it (95), never less than a plain "95, then lower by 5"
loop would; 96-100 only add bytes."""
QUALITY_FLOOR: Final = 70
"""Lowest quality used: below it the image is downscaled instead."""

_FORMATS: Final = {"JPEG": "JPEG", "JPG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF"}
_LOSSY: Final = frozenset({"JPEG", "WEBP"})
_KEEP_INFO: Final = frozenset({"transparency"})
_METADATA: Final = frozenset(
    {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "extension", "background"}
)

_TILE: Final = 32  # probe tile side: two 16-pixel JPEG MCUs / WEBP macroblocks
_GRID: Final = 12  # tiles per side of the probe mosaic
_ESTIMATE_TILE: Final = 128  # the coarser probe that picks the encode made ahead
_ESTIMATE_GRID: Final = 6
_FIT_MARGIN: Final = 1.0  # first guess: the probe itself errs 2-4 % on the large side
_STEP_UP_BAND: Final = 1.01  # encode q+1 when predicted within 1 % over the budget
_CLEARLY_OVER: Final = 1.15  # the floor predicted this far over: downscale, no encode
_MAX_ROUNDS: Final = 5  # downscale rounds at most
_SCALE_PROBES: Final = 6  # probes at most to find the scale of a downscale
_SCALE_STEP: Final = 0.01  # the scale is found to within this
_SCALE_CLOSE: Final = 0.98  # a probe this close under the budget ends the search
_SCALE_AIM: Final = 0.99  # where the interpolation aims: just under the budget
_MIN_ANIMATION_SIDE: Final = 160


@attrs.frozen
class Encoded:
    """An encoded image that fits its byte budget."""

    data: bytes
    """The encoded file, without any metadata (no EXIF, ICC, XMP or comment)."""
    format: str
    """``"JPEG"``, ``"PNG"``, ``"WEBP"`` or ``"GIF"``."""
    width: int
    height: int
    quality: int | None
    """The JPEG/WEBP quality used; ``None`` for PNG and GIF."""
    encodes: int
    """How many full-size encodes were made (cheap probe encodes not counted),
    including one made ahead, at the same time as another, that the search then
    did not need (see the module docstring)."""
    scale: float
    """1.0, or the factor by which the image was downscaled to fit."""


def _format(fmt: str) -> str:
    try:
        return _FORMATS[fmt.upper()]
    except KeyError:
        raise ValueError(f"unsupported format {fmt!r}: JPEG, PNG, WEBP or GIF") from None


def _bare(image: Image.Image) -> Image.Image:
    """The image without metadata in ``info`` (a copy only when there is some).

    Keys no writer reads (``jfif``, ``dpi``...) are left alone: copying a large
    image costs more than a probe.
    """
    if not any(key in _METADATA for key in image.info):
        return image
    bare = image.copy()
    bare.info = {k: v for k, v in image.info.items() if k in _KEEP_INFO}
    return bare


def _prepare(image: Image.Image, fmt: str) -> Image.Image:
    """The image in a mode the format takes, without metadata; ValueError otherwise."""
    mode = image.mode
    if mode not in ("RGB", "RGBA", "L", "P"):
        raise ValueError(f"unsupported image mode {mode!r}: RGB, RGBA, L or P")
    if fmt in ("JPEG", "GIF") and (mode == "RGBA" or "transparency" in image.info):
        raise ValueError(f"{fmt} has no alpha channel: flatten the image onto a background first")
    if fmt == "JPEG" and mode == "P":
        image = image.convert("RGB")
    elif fmt == "WEBP" and mode in ("L", "P"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    elif fmt == "GIF" and mode == "RGB":
        image = image.quantize(256, method=Image.Quantize.MEDIANCUT)
    return _bare(image)


def _params(fmt: str, quality: int | None) -> dict[str, Any]:
    # Empty metadata passed explicitly as well, so no writer falls back on image.info.
    if fmt == "JPEG":
        return {
            "quality": quality,
            "optimize": True,
            "progressive": False,
            "subsampling": 2,  # 4:2:0 at every quality: see the module docstring
            "exif": b"",
            "comment": b"",
        }
    if fmt == "WEBP":
        return {"quality": quality, "method": 4, "exif": b"", "icc_profile": None, "xmp": b""}
    if fmt == "PNG":
        return {"compress_level": 6, "icc_profile": None}
    return {"optimize": False, "comment": b""}  # GIF


def _save(image: Image.Image, fmt: str, quality: int | None) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **_params(fmt, quality))
    return out.getvalue()


def _save_unlocked(image: Image.Image, fmt: str, quality: int | None) -> bytes:
    """As :func:`_save`, with the GIL released during the encode where possible.

    Pillow encodes to a file descriptor in C with the GIL released, but to a
    ``BytesIO`` chunk by chunk holding it; an in-memory file (``memfd``, Linux)
    takes the encode, and is read back. Elsewhere, or when no descriptor can be
    had, a ``BytesIO``. The bytes are the same.
    """
    memfd_create = getattr(os, "memfd_create", None)
    if memfd_create is None:  # pragma: no cover - not Linux
        return _save(image, fmt, quality)
    try:
        fd = memfd_create("crosspost_adapt-encode", os.MFD_CLOEXEC)
    except OSError:  # pragma: no cover - out of descriptors
        return _save(image, fmt, quality)
    with os.fdopen(fd, "w+b") as out:
        image.save(out, fmt, **_params(fmt, quality))
        out.seek(0)
        return out.read()


def _check_quality(fmt: str, quality: int | None) -> int | None:
    if fmt not in _LOSSY:
        if quality is not None:
            raise ValueError(f"{fmt} is lossless: no quality")
        return None
    if quality is None:
        return QUALITY_MAX
    if not 1 <= quality <= 100:
        raise ValueError(f"quality {quality} is out of 1..100")
    return quality


def encode(image: Image.Image, fmt: str, *, quality: int | None = None) -> bytes:
    """Encode *image* as *fmt* with the fixed settings of this module, no metadata.

    *quality* applies to JPEG and WEBP (default :data:`QUALITY_MAX`); it must be
    ``None`` for PNG and GIF. Modes RGB, RGBA, L and P are taken; RGBA (or a
    palette with transparency) raises ValueError for JPEG and GIF.
    """
    name = _format(fmt)
    q = _check_quality(name, quality)
    return _save(_prepare(image, name), name, q)


# -- the probe ----------------------------------------------------------------------------


def _mosaic(
    image: Image.Image, scale: float = 1.0, tile: int = _TILE, grid: int = _GRID
) -> Image.Image:
    """*grid* x *grid* tiles of *tile* pixels sampled on a grid, as they would look
    with the image scaled by *scale*."""
    width, height = image.size
    src = tile if scale >= 1.0 else max(tile, math.ceil(tile / scale))
    nx = min(grid, max(1, width // src))
    ny = min(grid, max(1, height // src))
    tile_w, tile_h = min(src, width), min(src, height)
    mosaic = Image.new(image.mode, (nx * tile_w, ny * tile_h))
    if image.mode == "P" and (palette := image.getpalette()) is not None:
        mosaic.putpalette(palette)
    for j in range(ny):
        # cell centres, snapped to the 16-pixel block grid when the tile is not resampled
        y = int((j + 0.5) * height / ny - tile_h / 2)
        y = max(0, min(height - tile_h, y - y % 16 if scale >= 1.0 else y))
        for i in range(nx):
            x = int((i + 0.5) * width / nx - tile_w / 2)
            x = max(0, min(width - tile_w, x - x % 16 if scale >= 1.0 else x))
            mosaic.paste(image.crop((x, y, x + tile_w, y + tile_h)), (i * tile_w, j * tile_h))
    if scale < 1.0:
        size = (
            max(1, round(mosaic.width * tile / src)),
            max(1, round(mosaic.height * tile / src)),
        )
        mosaic = mosaic.resize(size, Image.Resampling.LANCZOS)
    return mosaic


class _Probe:
    """Predicted full size of an image at each quality, from encodes of a mosaic."""

    def __init__(
        self,
        image: Image.Image,
        fmt: str,
        scale: float = 1.0,
        *,
        tile: int = _TILE,
        grid: int = _GRID,
    ) -> None:
        self._fmt = fmt
        self._mosaic = _mosaic(image, scale, tile, grid)
        full = image.width * scale * image.height * scale
        self._ratio = full / (self._mosaic.width * self._mosaic.height)
        self._header: dict[int, int] = {}
        self._sizes: dict[int, float] = {}
        self.correction = 1.0

    def _header_bytes(self, quality: int) -> int:
        # the fixed part of a file (markers, tables): does not scale with the pixels
        if quality not in self._header:
            tiny = Image.new(self._mosaic.mode, (16, 16))
            self._header[quality] = len(_save(tiny, self._fmt, quality))
        return self._header[quality]

    def raw(self, quality: int) -> float:
        """The uncorrected prediction of the full size at *quality*."""
        if quality not in self._sizes:
            header = self._header_bytes(quality)
            data = max(0, len(_save(self._mosaic, self._fmt, quality)) - header)
            self._sizes[quality] = header + data * self._ratio
        return self._sizes[quality]

    def size(self, quality: int) -> float:
        """The prediction of the full size at *quality*, corrected by full encodes."""
        return self.raw(quality) * self.correction

    def best(self, budget: float, low: int, high: int) -> int | None:
        """The highest quality in low..high predicted to fit *budget*, or None."""
        if self.size(high) <= budget:
            return high
        if self.size(low) > budget:
            return None
        while low < high:  # size(low) fits
            mid = (low + high + 1) // 2
            if self.size(mid) <= budget:
                low = mid
            else:
                high = mid - 1
        return low


# -- search -------------------------------------------------------------------------------


@attrs.define
class _Counter:
    encodes: int = 0

    def save(self, image: Image.Image, fmt: str, quality: int | None) -> bytes:
        self.encodes += 1
        return _save(image, fmt, quality)


class _Encodes:
    """The full encodes of one search: one at a time, or with ``workers`` > 1 the
    one asked for on a thread of the pool while the calling thread encodes the one
    likely to be asked for next (kept for when it is)."""

    def __init__(self, image: Image.Image, fmt: str, counter: _Counter, workers: int) -> None:
        self._image = image
        self._fmt = fmt
        self._counter = counter
        self._workers = workers
        self._made: dict[int, bytes] = {}

    @property
    def parallel(self) -> bool:
        return self._workers > 1

    def get(self, quality: int, ahead: Callable[[], int | None] | None = None) -> bytes:
        """The image encoded at *quality*. With ``workers`` > 1 and *ahead*, the
        quality *ahead* returns (worked out meanwhile) is encoded at the same time."""
        made = self._made.pop(quality, None)
        if made is not None:
            return made
        if not self.parallel or ahead is None:
            return self._counter.save(self._image, self._fmt, quality)
        # Another Image object around the same pixels (not a copy): save() sets
        # attributes (encoderinfo) on the object it is called on.
        twin = self._image._new(self._image.im)
        self._counter.encodes += 1
        asked = submit(self._workers, partial(_save_unlocked, twin, self._fmt, quality))
        try:
            following = ahead()
            if following is not None and following != quality and following not in self._made:
                self._counter.encodes += 1
                self._made[following] = _save_unlocked(self._image, self._fmt, following)
        finally:
            wait([asked])
        return asked.result()


def _next_quality(
    probe: _Probe, max_bytes: int, quality_floor: int, quality: int, fit: int | None, over: int
) -> int | None:
    """The quality the search encodes after *quality*, or None when it is done.

    *fit* is the highest quality encoded that fits (None: none yet), *over* the
    lowest that does not, and the probe is corrected by the size of *quality*.
    """
    if fit is None:
        if quality == quality_floor:
            return None  # the floor was encoded and does not fit
        guess = probe.best(max_bytes, quality_floor, over - 1)
        if guess is None and probe.size(quality_floor) > max_bytes * _CLEARLY_OVER:
            return None  # the floor is predicted clearly over
        return quality_floor if guess is None else guess
    low = fit + 1
    if low >= over:
        return None  # the next quality up was encoded and does not fit
    guess = probe.best(max_bytes, low, over - 1)
    if guess is None:
        if probe.size(low) > max_bytes * _STEP_UP_BAND:
            return None  # no room: the next quality is predicted clearly over
        guess = low
    return guess


def _search_quality(
    image: Image.Image,
    fmt: str,
    max_bytes: int,
    quality_max: int,
    quality_floor: int,
    counter: _Counter,
    workers: int = 1,
) -> tuple[bytes, int] | float:
    """The best quality that fits as (data, quality), or the (predicted) size at the floor.

    Keeps a bracket: *fit*, the highest quality encoded that fits, and *over*, the
    lowest encoded that does not. Each full encode corrects the probe's prediction
    (the ratio actual / predicted), and the next quality tried is the highest one
    the corrected prediction puts under the budget inside the bracket. With
    *workers* > 1 the likely next one is encoded meanwhile (see the module
    docstring); the result is the same.
    """
    probe = _Probe(image, fmt)
    quality = probe.best(max_bytes * _FIT_MARGIN, quality_floor, quality_max)
    if quality is None:
        if probe.size(quality_floor) > max_bytes * _CLEARLY_OVER:
            return probe.size(quality_floor)  # no full encode needed to know
        quality = quality_floor
    encodes = _Encodes(image, fmt, counter, workers)
    lookahead = _Lookahead(image, fmt, probe, max_bytes, quality_floor)
    fit: tuple[bytes, int] | None = None
    over = quality_max + 1
    while True:
        best = None if fit is None else fit[1]
        ahead = partial(lookahead.next, quality, best, over) if encodes.parallel else None
        data = encodes.get(quality, ahead)
        lookahead.measured = True
        probe.correction = len(data) / probe.raw(quality)
        if len(data) <= max_bytes:
            fit = data, quality
        else:
            over = quality
        best = None if fit is None else fit[1]
        following = _next_quality(probe, max_bytes, quality_floor, quality, best, over)
        if following is None:
            if fit is not None:
                return fit
            return float(len(data)) if quality == quality_floor else probe.size(quality_floor)
        quality = following


class _Lookahead:
    """The quality to encode ahead: the search's next step, should the quality
    being encoded come out at the size estimated for it."""

    def __init__(
        self, image: Image.Image, fmt: str, probe: _Probe, max_bytes: int, quality_floor: int
    ) -> None:
        self._image = image
        self._fmt = fmt
        self._probe = probe
        self._max_bytes = max_bytes
        self._quality_floor = quality_floor
        self._estimate: _Probe | None = None
        self.measured = False
        """Whether a full encode has corrected the probe (then its prediction is the
        estimate; before, the coarser probe's, made on first use)."""

    def next(self, quality: int, fit: int | None, over: int) -> int | None:
        if self.measured:
            size = self._probe.size(quality)
        else:
            if self._estimate is None:
                self._estimate = _Probe(
                    self._image, self._fmt, tile=_ESTIMATE_TILE, grid=_ESTIMATE_GRID
                )
            size = self._estimate.raw(quality)
        return _what_if(self._probe, self._max_bytes, self._quality_floor, quality, fit, over, size)


def _what_if(
    probe: _Probe,
    max_bytes: int,
    quality_floor: int,
    quality: int,
    fit: int | None,
    over: int,
    size: float,
) -> int | None:
    """:func:`_next_quality` should *quality* come out at *size* bytes (the probe is
    left as it was)."""
    correction = probe.correction
    try:
        probe.correction = size / probe.raw(quality)
        if size <= max_bytes:
            fit = quality
        else:
            over = quality
        return _next_quality(probe, max_bytes, quality_floor, quality, fit, over)
    finally:
        probe.correction = correction


#: The shorter side :func:`encode_under` scales an image down to at the least.
MIN_SIDE: Final = 320


def _scaled_size(image: Image.Image, scale: float) -> tuple[int, int]:
    return max(1, round(image.width * scale)), max(1, round(image.height * scale))


def _min_scale(image: Image.Image, min_side: int) -> float:
    return min(1.0, min_side / min(image.size))


def _next_scale(image: Image.Image, scale: float, ratio: float, min_side: int) -> float:
    """The scale after *scale* when the size must shrink by *ratio*, never under min_side."""
    factor = math.sqrt(ratio) * 0.95
    return max(_min_scale(image, min_side), scale * min(factor, 0.95))


def _no_fit(image: Image.Image, fmt: str, max_bytes: int, min_side: int) -> ValueError:
    return ValueError(
        f"{image.width}x{image.height} cannot fit {max_bytes} bytes as {fmt}, "
        f"even downscaled (not below {min_side} px on the shorter side)"
    )


def _lossy_scale(
    image: Image.Image, fmt: str, max_bytes: int, quality_floor: int, low: float, high: float
) -> float:
    """The largest scale in [low, high) at which probes predict the floor to fit.

    Probes of the scaled image (no full encode), starting from the square-root
    guess: a downscale also smooths grain, so the size falls faster than the
    pixel count and the guess alone would cut too much. Then the next scale is
    read off the line through the bracket's two probes in log-log space (the size
    goes nearly as a power of the scale), aimed just under the budget, until a
    probe fits within :data:`_SCALE_CLOSE` of it or the bracket is narrower than
    :data:`_SCALE_STEP`: three to five probes where a bisection took six or seven.
    """
    target = max_bytes * _FIT_MARGIN

    def predicted(scale: float) -> float:
        return _Probe(image, fmt, scale).size(quality_floor)

    fits, fits_size = low, 0.0
    over, over_size = high, predicted(high)
    # The pixel count alone would scale by the square root of the ratio: the
    # largest scale that fits is at least that.
    guess = high * math.sqrt(target / over_size) if over_size > 0 else high
    scale = min(max(low, guess * 0.98), high)
    for _ in range(_SCALE_PROBES):
        size = predicted(scale)
        if size <= target:
            fits, fits_size = scale, size
        else:
            over, over_size = scale, size
        if over - fits < _SCALE_STEP or fits_size >= target * _SCALE_CLOSE:
            break
        if fits_size > 0 and over_size > fits_size:
            power = math.log(over_size / fits_size) / math.log(over / fits)
            aim = fits * (target * _SCALE_AIM / fits_size) ** (1 / power)
        else:
            aim = (fits + over) / 2
        # strictly inside the bracket, so that each probe narrows it
        scale = min(max(aim, fits + _SCALE_STEP / 3), over - _SCALE_STEP / 3)
    return fits


def encode_under(
    image: Image.Image,
    fmt: str,
    max_bytes: int,
    *,
    quality_max: int = QUALITY_MAX,
    quality_floor: int = QUALITY_FLOOR,
    min_side: int = MIN_SIDE,
    workers: int | None = None,
) -> Encoded:
    """Encode *image* as *fmt* in at most *max_bytes*, at the best quality that fits.

    JPEG and WEBP: the highest quality in ``quality_floor..quality_max`` that fits,
    found by a guided search (see the module docstring); when even the floor does
    not fit, the image is downscaled (never below *min_side* pixels on the shorter
    side, nor below its own size) and searched again. PNG and GIF: encoded once,
    then downscaled by the predicted factor while too big (a few rounds at most).

    The returned data always fits: its real length is checked. Raises ValueError
    when nothing fits, or on an unsupported format, mode or argument.

    *workers*: the threads the search and a downscale may use (None: the default
    of :func:`~crosspost_adapt.media.set_workers`). The search chooses as it does
    on one thread, and a downscale's bands are the same: so is the file.
    """
    name = _format(fmt)
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    if not 1 <= quality_floor <= quality_max <= 100:
        raise ValueError(
            f"need 1 <= quality_floor <= quality_max <= 100, not {quality_floor}, {quality_max}"
        )
    threads = resolve_workers(workers)
    source = _prepare(image, name)
    counter = _Counter()

    def resample(factor: float) -> Image.Image:
        return resize(source, _scaled_size(source, factor), workers=threads)

    scale = 1.0
    current = source
    for _ in range(_MAX_ROUNDS):
        if name in _LOSSY:
            if name == "JPEG" and current.width * current.height * 3 <= max_bytes:
                # obviously small (the raw pixels fit): one encode, no probe
                data = counter.save(current, name, quality_max)
                if len(data) <= max_bytes:
                    return _result(data, name, current, quality_max, counter, scale)
            found = _search_quality(
                current, name, max_bytes, quality_max, quality_floor, counter, threads
            )
            if not isinstance(found, float):
                data, quality = found
                return _result(data, name, current, quality, counter, scale)
            over = found
        else:
            data = counter.save(current, name, None)
            if len(data) <= max_bytes:
                return _result(data, name, current, None, counter, scale)
            over = float(len(data))
        floor = _min_scale(source, min_side)
        if scale <= floor:
            raise _no_fit(source, name, max_bytes, min_side)
        if name in _LOSSY:
            scale = _lossy_scale(source, name, max_bytes, quality_floor, floor, scale)
        else:
            scale = _next_scale(source, scale, max_bytes / over, min_side)
        current = resample(scale)
    raise _no_fit(source, name, max_bytes, min_side)


def _result(
    data: bytes,
    fmt: str,
    image: Image.Image,
    quality: int | None,
    counter: _Counter,
    scale: float,
) -> Encoded:
    return Encoded(
        data=data,
        format=fmt,
        width=image.width,
        height=image.height,
        quality=quality,
        encodes=counter.encodes,
        scale=scale,
    )


# -- animations ---------------------------------------------------------------------------


#: The longest a frame of each format can show, in milliseconds: GIF counts in
#: hundredths of a second in 16 bits, WEBP in milliseconds in 24 bits.
_LONGEST_FRAME: Final = {"GIF": 655_350, "WEBP": 16_777_215}


def _dedupe(
    frames: Sequence[Image.Image], durations: Sequence[int], longest: int
) -> tuple[list[Image.Image], list[int]]:
    """Consecutive identical frames merged into one, their durations added up to
    ``longest`` ms, what one frame of the format holds (the writer would merge
    them anyway, and fail past it)."""
    out: list[Image.Image] = []
    times: list[int] = []
    for frame, duration in zip(frames, durations, strict=True):
        if out and frame.mode == out[-1].mode and frame.tobytes() == out[-1].tobytes():
            times[-1] = min(times[-1] + duration, longest)
        else:
            out.append(frame)
            times.append(min(duration, longest))
    return out, times


def _gif_frames(frames: list[Image.Image]) -> list[Image.Image]:
    """Palette frames: one shared palette, or one palette per frame when there is alpha."""
    if any(f.mode == "RGBA" or f.has_transparency_data for f in frames):
        return [f.convert("RGBA").quantize(256, method=Image.Quantize.FASTOCTREE) for f in frames]
    rgb = [f.convert("RGB") for f in frames]
    # the palette of a strip of all frames, shrunk, so every frame shares it
    strip_h = max(1, min(64, rgb[0].height))
    strip_w = max(1, round(rgb[0].width * strip_h / rgb[0].height))
    strip = Image.new("RGB", (strip_w * len(rgb), strip_h))
    for i, frame in enumerate(rgb):
        strip.paste(frame.resize((strip_w, strip_h), Image.Resampling.BOX), (i * strip_w, 0))
    palette = strip.quantize(256, method=Image.Quantize.MEDIANCUT)
    return [frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in rgb]


def _save_animation(
    frames: list[Image.Image], durations: list[int], fmt: str, loop: int, quality: int | None
) -> bytes:
    out = io.BytesIO()
    first, rest = frames[0], frames[1:]
    params: dict[str, Any] = {"save_all": True, "append_images": rest, "duration": durations}
    params["loop"] = loop
    if fmt == "GIF":
        params.update(optimize=True, comment=b"")
    else:
        params.update(quality=quality, method=4, exif=b"", icc_profile=None, xmp=b"")
    first.save(out, fmt, **params)
    return out.getvalue()


def encode_animation(
    frames: Sequence[Image.Image],
    durations: Sequence[int],
    fmt: str,
    max_bytes: int,
    *,
    loop: int = 0,
) -> Encoded | None:
    """An animated GIF or WEBP of *frames* in at most *max_bytes*, or None.

    *durations* are the frames' display times in milliseconds; *loop* is 0 for
    forever. Consecutive identical frames are merged; GIF frames share one
    palette (one per frame when there is transparency). WEBP tries qualities
    :data:`QUALITY_MAX` to :data:`QUALITY_FLOOR`; both formats are then
    downscaled a few times (not below 160 px on the shorter side). Returns None
    when the animation cannot fit: the caller keeps a still frame instead.
    """
    name = _format(fmt)
    if name not in ("GIF", "WEBP"):
        raise ValueError(f"animations are GIF or WEBP, not {fmt!r}")
    if not frames or len(frames) != len(durations):
        raise ValueError("need at least one frame and one duration per frame")
    if len({f.size for f in frames}) != 1:
        raise ValueError("all frames must have the same size")
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    kept, times = _dedupe([_bare(f) for f in frames], list(durations), _LONGEST_FRAME[name])
    width, height = kept[0].size
    qualities: tuple[int | None, ...] = (
        (QUALITY_MAX, 80, QUALITY_FLOOR) if name == "WEBP" else (None,)
    )
    floor = min(1.0, _MIN_ANIMATION_SIDE / min(width, height))
    scale = 1.0
    encodes = 0
    for _ in range(3):
        size = _scaled_size(kept[0], scale)
        scaled = kept if scale == 1.0 else [f.resize(size, Image.Resampling.LANCZOS) for f in kept]
        if name == "GIF":
            scaled = _gif_frames(scaled)
        smallest = math.inf
        for quality in qualities:
            data = _save_animation(scaled, times, name, loop, quality)
            encodes += 1
            if len(data) <= max_bytes:
                return Encoded(data, name, size[0], size[1], quality, encodes, scale)
            smallest = min(smallest, len(data))
        if scale <= floor:
            return None
        scale = max(floor, scale * min(0.95, math.sqrt(max_bytes / smallest) * 0.95))
    return None
