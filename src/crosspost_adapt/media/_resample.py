"""The one resample of the pipeline: which filter, for how strong a change of size,
and how a large one is split across threads.

A large resample (at least :data:`BAND_MIN_PIXELS` of output) is made as two
explicit one-dimensional passes of Pillow's own resample (``Image.resize`` with
a ``box`` along one axis), in the order that costs fewer multiplications (the
horizontal pass first on a tie), and split in :data:`BANDS` bands along the
axis of the second pass, made on as many threads as are given (Pillow releases
the GIL while it resamples):

* each band takes the source rows (or columns) its output reads, the filter's
  reach around them included, and makes the first pass on them alone: those are
  the very pixels of the first pass over the whole image;
* then the second pass for its own output only, from its own source span. The
  filter's reach goes outside that span (clipped only by the image), as it does
  for the whole, so the band's pixels are the whole's; but where the band's edge
  is not a whole source pixel, its coordinates round (Pillow takes them in single
  precision) and a filter coefficient can round the other way: rare pixels then
  differ by 1 from one whole pass. The cuts are moved onto whole source pixels
  when one is near, which leaves the result identical, as it is where only one
  axis changes. The bands are the same whatever the number of threads (one
  thread makes them one after the other), so the picture never depends on it.

Two explicit passes rather than one ``Image.resize`` call, even on one thread:
Pillow 13 chooses the order of its two passes from the sizes of the call, and a
band's sizes are not the whole's, so banded calls would not give the picture of
one call (the order changes where an overshooting edge is clipped: up to 20
levels). With the order chosen here, the bands give the picture of the whole
pass, but for those rare pixels 1 apart.
"""

from __future__ import annotations

import itertools
import math
from functools import partial
from typing import Final

from PIL import Image

from crosspost_adapt.media._workers import resolve_workers, run_all

__all__ = ["BAND_MIN_PIXELS", "resample_filter", "resize"]

#: Below this scale (the output less than half the input) Lanczos' extra lobes
#: matter against aliasing; above it, bicubic gives the same picture in about
#: half the time (a 12-megapixel photo scaled by 0.9: some 150 ms saved).
LANCZOS_BELOW: Final = 0.5
#: Pillow first reduces by whole factors while the image stays this many times
#: the output (``reducing_gap``): far faster, and the final filter still decides.
REDUCING_GAP: Final = 3.0
#: Outputs of at least this many pixels are resampled in two explicit passes,
#: split in bands across threads; smaller ones in one ``Image.resize`` call
#: (splitting them would gain less than it costs to start the threads).
BAND_MIN_PIXELS: Final = 1_000_000
#: The modes resampled in explicit passes, and the mode each pass works in:
#: colours premultiplied by alpha, as ``Image.resize`` does.
_PASS_MODES: Final = {"RGB": "RGB", "L": "L", "RGBA": "RGBa", "LA": "La"}
#: Half the width of each filter's kernel, in source pixels at scale 1.
_SUPPORT: Final = {
    Image.Resampling.BOX: 0.5,
    Image.Resampling.BILINEAR: 1.0,
    Image.Resampling.HAMMING: 1.0,
    Image.Resampling.BICUBIC: 2.0,
    Image.Resampling.LANCZOS: 3.0,
}
#: The bands of a large resample, however many threads make them (as many as
#: threads are useful on one image): the picture is then the same on one thread
#: as on two, to the bit, and so are the drafts whichever executor makes them.
BANDS: Final = 2
#: No band narrower than this along the axis of its pass.
_MIN_BAND: Final = 64

Box = tuple[float, float, float, float]


def resample_filter(source: tuple[int, int], target: tuple[int, int]) -> Image.Resampling:
    """Lanczos for a strong reduction, bicubic for a mild one or an enlargement."""
    scale = min(target[0] / source[0], target[1] / source[1])
    return Image.Resampling.LANCZOS if scale < LANCZOS_BELOW else Image.Resampling.BICUBIC


def resize(
    image: Image.Image,
    size: tuple[int, int],
    *,
    box: Box | None = None,
    workers: int | None = None,
) -> Image.Image:
    """``image`` (or its ``box``) resized to ``size`` with :func:`resample_filter`.

    ``workers``: the threads a large resample's bands are made on (None: the
    default of :func:`~crosspost_adapt.media.set_workers`); the result is the same
    for any number (the bands are the same).
    """
    threads = resolve_workers(workers)
    region = box if box is not None else (0.0, 0.0, float(image.width), float(image.height))
    width, height = region[2] - region[0], region[3] - region[1]
    resample = resample_filter((round(width), round(height)), size)
    if not _in_passes(image, size, region):
        return image.resize(size, resample, box=box, reducing_gap=REDUCING_GAP)
    image.load()  # here, not in two threads at once
    work_mode = _PASS_MODES[image.mode]
    work = image if work_mode == image.mode else image.convert(work_mode)
    out = _two_passes(work, size, region, resample, threads)
    return out if work_mode == image.mode else out.convert(image.mode)


def _in_passes(image: Image.Image, size: tuple[int, int], box: Box) -> bool:
    """Whether to resample in explicit passes: large enough, a mode they take, and
    no whole-factor reduction first (``reducing_gap`` then leaves little to split)."""
    if image.mode not in _PASS_MODES or size[0] * size[1] < BAND_MIN_PIXELS:
        return False
    if size == image.size and box == (0, 0, image.width, image.height):
        return False  # nothing to resample: Image.resize copies
    # Image.resize reduces first when a side shrinks by at least twice the gap.
    reduce_x = int((box[2] - box[0]) / size[0] / REDUCING_GAP)
    reduce_y = int((box[3] - box[1]) / size[1] / REDUCING_GAP)
    return reduce_x <= 1 and reduce_y <= 1


def _taps(source: float, target: int, resample: Image.Resampling) -> float:
    """Source pixels each output pixel of a one-dimensional pass reads."""
    return 2 * _SUPPORT[resample] * max(1.0, source / target)


def _span(
    box_start: float, box_end: float, length: int, extent: int, resample: Image.Resampling
) -> tuple[int, int]:
    """The source pixels a pass along one axis reads for the span ``box_start..box_end``
    resampled to ``length`` pixels: the span and the filter's reach around it (one
    pixel more on each side, for rounding), within ``0..extent``."""
    reach = _SUPPORT[resample] * max(1.0, (box_end - box_start) / length)
    return max(0, math.floor(box_start - reach) - 1), min(extent, math.ceil(box_end + reach) + 1)


def _box(image: Image.Image, horizontal: bool, start: float, end: float) -> Box:
    """The region of ``image`` from ``start`` to ``end`` along one axis, all of the other."""
    return (start, 0, end, image.height) if horizontal else (0, start, image.width, end)


def _size(image: Image.Image, horizontal: bool, length: int) -> tuple[int, int]:
    """``image``'s size with ``length`` along one axis."""
    return (length, image.height) if horizontal else (image.width, length)


def _two_passes(
    image: Image.Image,
    size: tuple[int, int],
    box: Box,
    resample: Image.Resampling,
    workers: int,
    bands: int | None = None,
) -> Image.Image:
    """``box`` of ``image`` resampled to ``size``: two one-dimensional passes, in
    ``bands`` bands (fewer where a band would be under ``_MIN_BAND``), made on up
    to ``workers`` threads: the number of threads never changes the picture.

    The bands run along the axis of the second pass: each band takes the source
    rows (or columns) its output reads, makes the first pass on them alone (the
    very pixels of that pass over the whole image) and the second pass for its own
    output. Where only one axis changes, the bands run along the other one, and
    each is exact.
    """
    width, height = size
    x0, y0, x1, y1 = box
    across = width != image.width or x0 != 0 or x1 != width
    down = height != image.height or y0 != 0 or y1 != height
    horizontal_first = across
    if across and down:
        # The first pass reads only the rows (or columns) the second one needs.
        taps_x, taps_y = _taps(x1 - x0, width, resample), _taps(y1 - y0, height, resample)
        rows = _span(y0, y1, height, image.height, resample)
        columns = _span(x0, x1, width, image.width, resample)
        rows_first = width * (rows[1] - rows[0]) * taps_x + width * height * taps_y
        columns_first = (columns[1] - columns[0]) * height * taps_y + width * height * taps_x
        horizontal_first = rows_first <= columns_first
    # The first pass is along x (horizontal_first) or y; the bands along the other axis.
    first_start, first_end, first_length, first_needed = (
        (x0, x1, width, across) if horizontal_first else (y0, y1, height, down)
    )
    start, end, length, needed = (
        (y0, y1, height, down) if horizontal_first else (x0, x1, width, across)
    )
    extent = image.height if horizontal_first else image.width

    def band(low_index: int, high_index: int) -> Image.Image:
        """Output rows (or columns) ``low_index..high_index``."""
        if needed:
            span = end - start
            # span * index is exact for a whole span: the division rounds only once
            low = start if low_index == 0 else start + span * low_index / length
            high = end if high_index == length else start + span * high_index / length
            read = _span(low, high, high_index - low_index, extent, resample)
        else:  # the band's own rows (or columns), unchanged
            low, high = float(low_index), float(high_index)
            read = (low_index, high_index)
        part = image
        if read != (0, extent):
            rows = (0, read[0], image.width, read[1])
            part = image.crop(rows if horizontal_first else (read[0], 0, read[1], image.height))
        if first_needed:
            part = part.resize(
                _size(part, horizontal_first, first_length),
                resample,
                box=_box(part, horizontal_first, first_start, first_end),
            )
        if needed:
            part = part.resize(
                _size(part, not horizontal_first, high_index - low_index),
                resample,
                box=_box(part, not horizontal_first, low - read[0], high - read[0]),
            )
        return part

    parts = min(BANDS if bands is None else bands, length // _MIN_BAND)
    if parts <= 1:
        return band(0, length)
    out = Image.new(image.mode, size, None)  # not filled: the bands cover it
    cuts = _cuts(length, end - start, parts) if needed else _even(length, parts)

    def job(low_index: int, high_index: int) -> None:
        # pasted here, in the band's thread: the bands write disjoint rows or columns
        out.paste(
            band(low_index, high_index), (0, low_index) if horizontal_first else (low_index, 0)
        )

    run_all([partial(job, a, b) for a, b in itertools.pairwise(cuts)], workers)
    return out


def _even(length: int, parts: int) -> list[int]:
    return [length * i // parts for i in range(parts + 1)]


def _cuts(length: int, span: float, parts: int) -> list[int]:
    """Where to split ``length`` output pixels in ``parts`` bands of nearly equal size.

    A cut is moved (by at most ``length / 32``) to the nearest output pixel whose
    source position is a whole number of pixels from the start, when the span is
    whole: the band's box is then exact in Pillow's single-precision coordinates
    (for a whole or half-pixel start), its scale is the whole pass's to the bit,
    and so are its filter coefficients.
    """
    step = length
    if span == int(span):
        step = length // math.gcd(length, int(span))
    cuts = [0]
    for ideal in _even(length, parts)[1:-1]:
        nearest = round(ideal / step) * step
        near = 0 < nearest < length and abs(nearest - ideal) <= length / 32
        cuts.append(nearest if near else ideal)
    cuts.append(length)
    return sorted(set(cuts))
