"""Images made on several threads: the same pixels and bytes as on one, the knob, the pool.

Every image is generated in memory. Nothing here measures time: the speed is the
benchmark's (benchmarks/images.py); these tests hold the results to be the same.
"""

from __future__ import annotations

import io
import multiprocessing
import sys
import threading
import warnings
from collections.abc import Callable, Iterator

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pictures import noise, photo
from PIL import Image, ImageChops, ImageStat

from crosspost_adapt import Media, rules
from crosspost_adapt.media import _resample, _workers, get_workers, render_media, set_workers
from crosspost_adapt.media._encode import _save, _save_unlocked, encode, encode_under
from crosspost_adapt.media._frame import frame
from crosspost_adapt.media._resample import BAND_MIN_PIXELS, resample_filter, resize


def largest_difference(a: Image.Image, b: Image.Image) -> int:
    assert (a.mode, a.size) == (b.mode, b.size)
    diff = ImageChops.difference(a, b)
    return max(int(diff.getchannel(i).getextrema()[1]) for i in range(len(diff.getbands())))


@pytest.fixture
def small_bands() -> Iterator[None]:
    """Band even small images (the thresholds are for speed, not for the result)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_resample, "BAND_MIN_PIXELS", 1)
        patch.setattr(_resample, "_MIN_BAND", 2)
        yield


@pytest.fixture(autouse=True)
def default_workers() -> Iterator[None]:
    yield
    set_workers(None)


# -- the resize -----------------------------------------------------------------------


@st.composite
def resizes(
    draw: st.DrawFn, modes: tuple[str, ...] = ("RGB", "L", "RGBA", "LA")
) -> tuple[Image.Image, tuple[int, int], tuple[float, float, float, float] | None]:
    width, height = draw(st.integers(4, 90)), draw(st.integers(4, 90))
    mode = draw(st.sampled_from(modes))
    image = noise((width, height), mode.upper(), seed=draw(st.integers(0, 2**16)))
    image = image if image.mode == mode else image.convert(mode)
    box = None
    if draw(st.booleans()):
        left = draw(st.floats(0, width - 2, allow_nan=False))
        upper = draw(st.floats(0, height - 2, allow_nan=False))
        right = draw(st.floats(left + 1, width, allow_nan=False))
        lower = draw(st.floats(upper + 1, height, allow_nan=False))
        box = (left, upper, right, lower)
    region = (width, height) if box is None else (box[2] - box[0], box[3] - box[1])
    scale_x = draw(st.floats(0.3, 2.5))
    scale_y = draw(st.floats(0.3, 2.5)) if draw(st.booleans()) else scale_x
    size = (max(1, round(region[0] * scale_x)), max(1, round(region[1] * scale_y)))
    return image, size, box


@given(resizes(("RGB", "L", "RGBa", "La")), st.sampled_from([2, 3, 4]))
@settings(max_examples=300, deadline=None)
def test_bands_give_the_pixels_of_the_whole(
    case: tuple[Image.Image, tuple[int, int], tuple[float, float, float, float] | None],
    workers: int,
) -> None:
    """The passes in bands against the passes whole, in the modes they work in
    (RGBA and LA are resampled premultiplied, as Image.resize does)."""
    image, size, box = case
    region = box or (0.0, 0.0, float(image.width), float(image.height))
    f = resample_filter((round(region[2] - region[0]), round(region[3] - region[1])), size)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_resample, "_MIN_BAND", 2)
        whole = _resample._two_passes(image, size, region, f, 1, bands=1)
        banded = _resample._two_passes(image, size, region, f, workers, bands=workers)
        one_thread = _resample._two_passes(image, size, region, f, 1)
        threads = _resample._two_passes(image, size, region, f, workers)
    assert banded.size == size and banded.mode == image.mode
    # Only a coefficient that rounds the other way at a band's edge may differ.
    assert largest_difference(whole, banded) <= 1
    # The same bands on one thread or several: the same pixels, to the bit (the
    # drafts are the same whichever executor makes them).
    assert one_thread.tobytes() == threads.tobytes()


@given(resizes())
@settings(max_examples=150, deadline=None)
def test_the_passes_are_pillows_resample(
    case: tuple[Image.Image, tuple[int, int], tuple[float, float, float, float] | None],
) -> None:
    """Explicit passes are Pillow's own resample, in one of its two orders."""
    image, size, box = case
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_resample, "BAND_MIN_PIXELS", 1)
        patch.setattr(_resample, "BANDS", 1)  # the whole pass (bands: above)
        ours = resize(image, size, box=box, workers=1)
    x0, y0, x1, y1 = box or (0, 0, image.width, image.height)
    region = (round(x1 - x0), round(y1 - y0))
    if box is None and size == image.size:
        return  # nothing to resample: the image is copied
    if int(region[0] / size[0] / _resample.REDUCING_GAP) > 1 or (
        int(region[1] / size[1] / _resample.REDUCING_GAP) > 1
    ):
        return  # a whole-factor reduction comes first: Image.resize itself is called
    premultiplied = {"RGBA": "RGBa", "LA": "La"}.get(image.mode, image.mode)
    work = image.convert(premultiplied)
    f = resample_filter(region, size)
    rows_first = work.resize((size[0], work.height), f, box=(x0, 0, x1, work.height))
    rows_first = rows_first.resize(size, f, box=(0, y0, size[0], y1))
    columns_first = work.resize((work.width, size[1]), f, box=(0, y0, work.width, y1))
    columns_first = columns_first.resize(size, f, box=(x0, 0, x1, size[1]))
    candidates = [c.convert(image.mode) for c in (rows_first, columns_first)]
    # The first pass reads only the rows (or columns) the second needs: from a box
    # with a fractional edge, the second pass's coordinates round differently.
    whole = box is None or all(float(v).is_integer() for v in box)
    assert min(largest_difference(ours, c) for c in candidates) <= (0 if whole else 1)


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L"])
def test_a_large_resize_is_the_same_on_one_thread_or_two(mode: str) -> None:
    # 7/8 on both sides: the cuts fall on whole source pixels, so not one pixel differs
    image = noise((1600, 1200), mode)
    size = (1400, 1050)
    assert size[0] * size[1] >= BAND_MIN_PIXELS
    one = resize(image, size, workers=1)
    assert one.tobytes() == resize(image, size, workers=2).tobytes()
    # and a crop box whose bands fall between whole pixels: at most 1 apart
    box = (101.5, 37.25, 1533.0, 1190.0)
    assert (
        largest_difference(
            resize(image, (1300, 1000), box=box, workers=1),
            resize(image, (1300, 1000), box=box, workers=2),
        )
        <= 1
    )


def test_small_or_reduced_resizes_are_one_pillow_call() -> None:
    image = noise((300, 200))
    f = resample_filter((300, 200), (150, 100))
    direct = image.resize((150, 100), f, reducing_gap=_resample.REDUCING_GAP)
    assert resize(image, (150, 100), workers=2).tobytes() == direct.tobytes()
    pal = image.quantize(16)  # a mode the passes do not take
    assert resize(pal, (150, 100), workers=2).mode == "P"


def test_frame_with_threads_is_the_same() -> None:
    image = photo(2400, 1800)
    one, note = frame(image, 4 / 5, strategy="center", size=(1080, 1350), workers=1)
    two, same_note = frame(image, 4 / 5, strategy="center", size=(1080, 1350), workers=2)
    assert note == same_note
    assert largest_difference(one, two) <= 1


# -- the encodes ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_encoding_through_a_file_descriptor_gives_the_same_bytes(fmt: str) -> None:
    image = photo(400, 300)
    assert _save_unlocked(image, fmt, 83) == _save(image, fmt, 83)


def budget_between(image: Image.Image, quality: int) -> int:
    low = len(encode(image, "JPEG", quality=quality))
    high = len(encode(image, "JPEG", quality=quality + 1))
    return (low + high) // 2


@pytest.mark.parametrize("target", [70, 73, 78, 86, 93])
def test_the_search_on_two_threads_chooses_as_on_one(target: int) -> None:
    image = photo(1200, 900, seed=target)
    budget = budget_between(image, target)
    one = encode_under(image, "JPEG", budget, workers=1)
    two = encode_under(image, "JPEG", budget, workers=2)
    assert (two.data, two.quality, two.scale) == (one.data, one.quality, one.scale)
    assert len(two.data) <= budget
    assert one.encodes <= two.encodes  # an encode made ahead is counted, needed or not


def test_the_search_on_two_threads_downscales_as_on_one() -> None:
    image = photo(1600, 1200)
    budget = len(encode(image, "JPEG", quality=70)) // 3
    one = encode_under(image, "JPEG", budget, workers=1)
    two = encode_under(image, "JPEG", budget, workers=2)
    assert two.scale < 1
    assert (two.data, two.quality, two.scale, two.width) == (
        one.data,
        one.quality,
        one.scale,
        one.width,
    )


@given(st.integers(0, 10_000), st.integers(60_000, 400_000))
@settings(max_examples=25, deadline=None)
def test_any_budget_same_choice(seed: int, budget: int) -> None:
    image = photo(640, 480, seed=seed)
    one = encode_under(image, "JPEG", budget, workers=1)
    two = encode_under(image, "JPEG", budget, workers=2)
    assert (two.data, two.quality, two.scale) == (one.data, one.quality, one.scale)


def test_render_media_is_the_same_on_one_thread_or_two() -> None:
    out = io.BytesIO()
    photo(2600, 1950).save(out, "JPEG", quality=92)
    media = Media.from_bytes(out.getvalue())
    tight = attrs.evolve(rules("bluesky").media, max_bytes=350_000)
    for media_rules in (tight, rules("instagram").media):
        one, changes_one = render_media(media, media_rules, workers=1)
        two, changes_two = render_media(media, media_rules, workers=2)
        assert (two.width, two.height, two.quality) == (one.width, one.height, one.quality)
        # The resized pixels are at most 1 apart where a band's edge rounds another
        # way; through the JPEG quantisation such a pixel can move its block a little.
        decoded = [Image.open(io.BytesIO(r.data)).convert("RGB") for r in (one, two)]
        difference = ImageStat.Stat(ImageChops.difference(*decoded)).mean
        assert max(difference) < 0.05
        assert abs(len(one.data) - len(two.data)) <= len(one.data) // 1000
        assert [c.kind for c in changes_one] == [c.kind for c in changes_two]


# -- the knob and the pool ------------------------------------------------------------


def test_workers_default_set_and_reset() -> None:
    default = get_workers()
    assert 1 <= default <= 2
    set_workers(1)
    assert get_workers() == 1
    set_workers(3)
    assert get_workers() == 3
    set_workers(None)
    assert get_workers() == default


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "2"])
def test_bad_workers_are_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="workers"):
        set_workers(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="workers"):
        render_media(Media.from_bytes(b"\xff\xd8\xff"), rules("x").media, workers=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="workers"):
        encode_under(photo(64, 48), "JPEG", 100_000, workers=bad)  # type: ignore[arg-type]


def test_one_worker_starts_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("no pool with one worker")

    monkeypatch.setattr(_workers, "_executor", refuse)
    set_workers(1)
    image = photo(1200, 900)
    resize(image, (1100, 1000))
    encode_under(image, "JPEG", budget_between(image, 80))


def test_one_shared_pool() -> None:
    image = noise((1200, 1000))
    resize(image, (1100, 950), workers=2)
    pool = _workers._pool
    assert pool is not None
    resize(image, (1000, 1000), workers=2)
    encode_under(photo(900, 700), "JPEG", 60_000, workers=2)
    assert _workers._pool is pool


def test_run_all_waits_for_every_call_and_raises() -> None:
    done: list[int] = []
    release = threading.Event()

    def slow() -> int:
        release.wait(5)
        done.append(2)
        return 2

    def failing() -> int:
        release.set()
        raise RuntimeError("first call failed")

    with pytest.raises(RuntimeError, match="first call"):
        _workers.run_all([failing, slow], 2)
    assert done == [2]  # the other call had finished when the error came out
    calls: list[Callable[[], int]] = [lambda: 1, lambda: 2, lambda: 3]
    assert _workers.run_all(calls, 3) == [1, 2, 3]
    assert _workers.run_all(calls, 1) == [1, 2, 3]


def test_threads_of_the_program_share_the_pool() -> None:
    images = [noise((1100, 1000), seed=seed) for seed in range(4)]
    expected = [resize(image, (1000, 1050), workers=1).tobytes() for image in images]
    results: list[bytes | None] = [None] * len(images)

    def work(index: int) -> None:
        results[index] = resize(images[index], (1000, 1050), workers=2).tobytes()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(images))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == expected


def _resize_in_child(queue: multiprocessing.Queue[int]) -> None:
    image = noise((1100, 1000))
    queue.put(resize(image, (1000, 1050), workers=2).width)


@pytest.mark.skipif(
    sys.platform != "linux", reason="fork after threads: the POSIX case the pool guards"
)
def test_a_forked_child_makes_its_own_pool(watchdog: None) -> None:
    resize(noise((1100, 1000)), (1000, 1050), workers=2)  # the pool exists, its thread idle
    assert _workers._pool is not None
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[int] = context.Queue()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork of a threaded process
        child = context.Process(target=_resize_in_child, args=(queue,))
        child.start()
    # The parent's pool thread does not exist in the child: without a pool of its
    # own, the band given to it would never be resized and the child would hang.
    assert queue.get(timeout=30) == 1000
    child.join(30)
    assert child.exitcode == 0
