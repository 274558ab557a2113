"""Encoding under a byte budget: fit, best quality, few encodes, no metadata, animations."""

from __future__ import annotations

import io
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pictures import photo
from PIL import Image, ImageDraw

from crosspost_adapt.media._encode import (
    QUALITY_FLOOR,
    QUALITY_MAX,
    Encoded,
    encode,
    encode_animation,
    encode_under,
)

METADATA_KEYS = {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"}


def with_metadata(image: Image.Image) -> Image.Image:
    """The image with every kind of metadata a writer might copy from ``info``."""
    tagged = image.copy()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    tagged.info.update(
        exif=exif.tobytes(), icc_profile=b"\0" * 200, comment=b"a comment", xmp=b"<x/>"
    )
    return tagged


def check_bare(data: bytes) -> Image.Image:
    opened = Image.open(io.BytesIO(data))
    assert not METADATA_KEYS & set(opened.info), opened.info.keys()
    assert not opened.getexif()
    return opened


def check_best(image: Image.Image, result: Encoded, budget: int) -> None:
    """The quality is the highest that fits: the next one up does not."""
    assert result.quality is not None
    if result.scale == 1.0 and result.quality < QUALITY_MAX:
        bigger = encode(image, result.format, quality=result.quality + 1)
        assert len(bigger) > budget


# -- fit, size, format, no metadata -------------------------------------------------------


def budget_between(image: Image.Image, fmt: str, quality: int) -> int:
    """A budget between the sizes at *quality* and the next quality up."""
    low = len(encode(image, fmt, quality=quality))
    high = len(encode(image, fmt, quality=quality + 1))
    return (low + high) // 2


@pytest.mark.parametrize(
    ("size", "fmt", "target"),
    [
        ((640, 480), "JPEG", None),  # the budget does not bind
        ((640, 480), "JPEG", 74),
        ((1200, 900), "JPEG", 80),
        ((1200, 900), "JPEG", 88),
        ((900, 1200), "WEBP", 78),
        ((800, 600), "WEBP", None),
        ((600, 400), "PNG", None),
        ((600, 400), "GIF", None),
    ],
)
def test_fits_decodes_and_has_no_metadata(
    size: tuple[int, int], fmt: str, target: int | None
) -> None:
    image = with_metadata(photo(*size))
    budget = 10_000_000 if target is None else budget_between(image, fmt, target)
    result = encode_under(image, fmt, budget)
    assert len(result.data) <= budget
    opened = check_bare(result.data)
    assert opened.format == fmt == result.format
    assert opened.size == (result.width, result.height) == size
    assert result.scale == 1.0
    assert result.encodes >= 1
    if fmt in ("JPEG", "WEBP"):
        check_best(image, result, budget)
        if target is None:
            assert result.quality == QUALITY_MAX
        elif fmt == "JPEG":
            assert result.quality == target
    else:
        assert result.quality is None


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_encode_writes_no_metadata(fmt: str) -> None:
    check_bare(encode(with_metadata(photo(200, 150)), fmt))


def test_not_binding_is_one_encode_at_quality_max() -> None:
    result = encode_under(photo(800, 600), "JPEG", 5_000_000)
    assert (result.quality, result.encodes, result.scale) == (QUALITY_MAX, 1, 1.0)


# -- the guided search --------------------------------------------------------------------


@pytest.mark.parametrize("target", [71, 76, 83, 90])
def test_binding_budget_few_encodes_and_best_quality(target: int) -> None:
    image = photo(2000, 1500)
    budget = budget_between(image, "JPEG", target)
    result = encode_under(image, "JPEG", budget)
    assert len(result.data) <= budget
    assert result.scale == 1.0
    assert result.quality == target  # sizes grow with the quality here: the best is known
    assert result.encodes <= 4
    check_best(image, result, budget)
    check_bare(result.data)


def test_quality_bounds_are_respected() -> None:
    image = photo(800, 600)
    full = len(encode(image, "JPEG", quality=80))
    result = encode_under(image, "JPEG", full * 3, quality_max=80)
    assert result.quality == 80
    result = encode_under(image, "JPEG", full, quality_floor=75, quality_max=85)
    assert 75 <= (result.quality or 0) <= 85


def test_below_the_floor_downscales_and_still_fits() -> None:
    image = photo(1600, 1200)
    at_floor = len(encode(image, "JPEG", quality=QUALITY_FLOOR))
    budget = at_floor // 3
    result = encode_under(image, "JPEG", budget)
    assert result.scale < 1.0
    assert len(result.data) <= budget
    assert (result.quality or 0) >= QUALITY_FLOOR
    opened = check_bare(result.data)
    assert opened.size == (result.width, result.height)
    assert min(opened.size) >= 320
    assert result.width == round(1600 * result.scale)


def test_cannot_fit_raises() -> None:
    with pytest.raises(ValueError, match="cannot fit"):
        encode_under(photo(800, 600), "JPEG", 2_000)
    small = photo(400, 300)
    at_floor = len(encode(small, "JPEG", quality=QUALITY_FLOOR))
    with pytest.raises(ValueError, match="cannot fit"):
        encode_under(small, "JPEG", at_floor // 2, min_side=300)


def test_bad_arguments() -> None:
    rgba = photo(100, 100).convert("RGBA")
    with pytest.raises(ValueError, match="alpha"):
        encode_under(rgba, "JPEG", 100_000)
    with pytest.raises(ValueError, match="format"):
        encode(photo(50, 50), "TIFF")
    with pytest.raises(ValueError, match="mode"):
        encode(photo(50, 50).convert("CMYK"), "JPEG")
    with pytest.raises(ValueError, match="lossless"):
        encode(photo(50, 50), "PNG", quality=80)
    with pytest.raises(ValueError, match="positive"):
        encode_under(photo(50, 50), "JPEG", 0)


# -- lossless formats ---------------------------------------------------------------------


def test_png_too_big_is_downscaled_to_fit() -> None:
    image = photo(1000, 800)
    full = len(encode(image, "PNG"))
    result = encode_under(image, "PNG", full // 2)
    assert result.scale < 1.0
    assert len(result.data) <= full // 2
    assert result.quality is None
    opened = check_bare(result.data)
    assert (opened.format, opened.size) == ("PNG", (result.width, result.height))


def test_rgba_png_keeps_alpha() -> None:
    image = photo(300, 200).convert("RGBA")
    image.putalpha(Image.linear_gradient("L").resize(image.size))
    result = encode_under(image, "PNG", 1_000_000)
    opened = Image.open(io.BytesIO(result.data))
    assert opened.mode == "RGBA"
    assert opened.getchannel("A").getextrema() == (0, 255)
    webp = Image.open(io.BytesIO(encode_under(image, "WEBP", 1_000_000).data))
    assert webp.mode == "RGBA"


def test_gif_is_a_palette_image() -> None:
    result = encode_under(photo(300, 200), "GIF", 1_000_000)
    opened = check_bare(result.data)
    assert opened.format == "GIF"
    assert opened.mode == "P"
    assert result.quality is None


def test_modes_l_and_p() -> None:
    gray = photo(300, 200).convert("L")
    assert Image.open(io.BytesIO(encode_under(gray, "JPEG", 100_000).data)).mode == "L"
    pal = photo(300, 200).quantize(64)
    for fmt in ("PNG", "GIF", "JPEG", "WEBP"):
        result = encode_under(pal, fmt, 1_000_000)
        assert Image.open(io.BytesIO(result.data)).size == (300, 200)


# -- animations ---------------------------------------------------------------------------


def frames(count: int, size: tuple[int, int] = (160, 120)) -> list[Image.Image]:
    out = []
    for i in range(count):
        frame = Image.new("RGB", size, (30, 60, 90))
        ImageDraw.Draw(frame).ellipse((10 + 8 * i, 10, 50 + 8 * i, 50), fill=(250, 200, 0))
        out.append(frame)
    return out


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_animation_that_fits_stays_animated(fmt: str) -> None:
    result = encode_animation(frames(5), [100] * 5, fmt, 200_000)
    assert result is not None
    assert len(result.data) <= 200_000
    opened = check_bare(result.data)
    assert opened.format == fmt
    assert getattr(opened, "n_frames", 1) == 5
    assert opened.info.get("loop") == 0


def test_animation_duplicate_frames_merged() -> None:
    still = frames(3)
    result = encode_animation([still[0], still[0], still[1], still[2]], [100] * 4, "GIF", 200_000)
    assert result is not None
    opened = Image.open(io.BytesIO(result.data))
    assert getattr(opened, "n_frames", 1) == 3
    assert opened.info["duration"] == 200


def test_animation_that_cannot_fit_is_none() -> None:
    noisy = [Image.effect_noise((400, 300), 80).convert("RGB") for _ in range(4)]
    assert encode_animation(noisy, [100] * 4, "GIF", 5_000) is None
    assert encode_animation(noisy, [100] * 4, "WEBP", 2_000) is None


# -- property -----------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    width=st.integers(16, 800),
    height=st.integers(16, 800),
    budget=st.integers(500, 400_000),
    fmt=st.sampled_from(["JPEG", "WEBP", "PNG"]),
    seed=st.integers(0, 3),
)
def test_fits_or_clean_error(width: int, height: int, budget: int, fmt: str, seed: int) -> None:
    image = photo(width, height, seed)
    try:
        result = encode_under(image, fmt, budget)
    except ValueError as error:
        if "cannot fit" not in str(error):
            raise
        return
    assert len(result.data) <= budget
    opened = Image.open(io.BytesIO(result.data))
    assert opened.size == (result.width, result.height)
    assert result.scale == 1.0 or min(result.width, result.height) >= min(320, width, height)


@pytest.mark.parametrize(
    ("size", "mode", "scale", "tile", "grid"),
    [
        ((640, 480), "RGB", 1.0, 32, 12),
        ((333, 901), "L", 1.0, 16, 5),
        ((500, 500), "P", 1.0, 32, 3),
        ((700, 420), "RGBA", 0.5, 32, 4),
        ((40, 25), "RGB", 1.0, 32, 12),  # smaller than one tile
    ],
)
def test_probe_mosaic_holds_the_grid_tiles(
    size: tuple[int, int], mode: str, scale: float, tile: int, grid: int
) -> None:
    from crosspost_adapt.media._encode import _mosaic

    source = Image.effect_noise(size, 80).convert("RGB")
    image = source.quantize(32) if mode == "P" else source.convert(mode)
    width, height = size
    src = tile if scale >= 1.0 else max(tile, math.ceil(tile / scale))
    nx, ny = min(grid, max(1, width // src)), min(grid, max(1, height // src))
    tw, th = min(src, width), min(src, height)
    # Tile by tile, as the probe is specified: each cell's centre, on the 16-pixel
    # grid when the tiles are not resampled.
    expected = Image.new(image.mode, (nx * tw, ny * th))
    for j in range(ny):
        y = int((j + 0.5) * height / ny - th / 2)
        y = max(0, min(height - th, y - y % 16 if scale >= 1.0 else y))
        for i in range(nx):
            x = int((i + 0.5) * width / nx - tw / 2)
            x = max(0, min(width - tw, x - x % 16 if scale >= 1.0 else x))
            expected.paste(image.crop((x, y, x + tw, y + th)), (i * tw, j * th))
    if scale < 1.0:
        expected = expected.resize(
            (round(expected.width * tile / src), round(expected.height * tile / src)),
            Image.Resampling.LANCZOS,
        )
    made = _mosaic(image, scale, tile, grid)
    assert made.mode == image.mode
    assert made.size == expected.size
    assert made.tobytes() == expected.tobytes()
    if mode == "P":
        assert made.getpalette() == image.getpalette()


@pytest.mark.parametrize(
    ("kind", "share"),
    [("photo", 0.2), ("photo", 0.5), ("photo", 0.8), ("noise", 0.3), ("noise", 0.7)],
)
def test_downscale_scale_is_the_largest_predicted_to_fit(kind: str, share: float) -> None:
    """The scale of a downscale: predicted to fit, and within the search's step (or
    its closeness to the budget) of the largest that is, in a few probes."""
    from crosspost_adapt.media import _encode as module

    image = photo(1200, 900) if kind == "photo" else Image.effect_noise((1200, 900), 60)
    image = image.convert("RGB")

    def predicted(scale: float) -> float:
        return module._Probe(image, "JPEG", scale).size(QUALITY_FLOOR)

    budget = int(predicted(1.0) * share)
    made: list[float] = []
    real = module._Probe

    class Counted(real):  # type: ignore[misc,valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            made.append(1)
            super().__init__(*args, **kwargs)

    module._Probe = Counted  # type: ignore[misc]
    try:
        scale = module._lossy_scale(image, "JPEG", budget, QUALITY_FLOOR, 0.1, 1.0)
    finally:
        module._Probe = real  # type: ignore[misc]
    assert 0.1 <= scale < 1.0
    assert predicted(scale) <= budget
    close = predicted(scale) >= budget * module._SCALE_CLOSE
    assert close or predicted(scale + module._SCALE_STEP) > budget
    assert len(made) <= 1 + module._SCALE_PROBES
