"""Opening and normalizing images (crosspost_adapt.media._open).

Every image is made here, in memory, with Pillow: no binary file is kept.
"""

from __future__ import annotations

import io
import os
import random
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms, ImageFile, features

from crosspost_adapt.errors import MediaError
from crosspost_adapt.media._open import (
    DEFAULT_MAX_PIXELS,
    INPUT_FORMATS,
    MAX_FRAMES,
    MAX_GIF_EXTENSION_BLOCKS,
    MAX_JPEG_SEGMENTS,
    MAX_PNG_CHUNKS,
    MAX_SOURCE_BYTES,
    Opened,
    normalize,
    open_image,
    read_source,
)

RED = (255, 0, 0)
BLUE = (0, 0, 255)


# --------------------------------------------------------------------------- helpers


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def open_and_normalize(
    data: bytes, name: str = "photo.jpg", *, max_pixels: int = DEFAULT_MAX_PIXELS, **kw: object
) -> tuple[Image.Image, list[str]]:
    opened = open_image(data, name, max_pixels=max_pixels)
    return normalize(opened, **kw)  # type: ignore[arg-type]


def close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 6) -> bool:
    return len(actual) == len(expected) and all(
        abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True)
    )


def pixel(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    value = image.getpixel(xy)
    assert isinstance(value, tuple)
    return value


def assert_no_metadata(image: Image.Image) -> None:
    assert image.info == {}
    assert type(image) is Image.Image  # not a decoder's object, which keeps its segments
    assert len(image.getexif()) == 0
    for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "dpi"):
        assert key not in image.info


# ICC profiles built by hand (ICC v2 display profiles): ImageCms only creates sRGB.


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def _desc(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    return (
        b"desc\0\0\0\0"
        + struct.pack(">I", len(ascii_text))
        + ascii_text
        + b"\0" * 8  # no Unicode description
        + b"\0\0\0"
        + b"\0" * 67  # no ScriptCode description
    )


def _curve(gamma: float) -> bytes:
    return b"curv\0\0\0\0" + struct.pack(">IH", 1, round(gamma * 256)) + b"\0\0"


def make_icc(space: bytes, description: str, tags: dict[bytes, bytes]) -> bytes:
    """An ICC v2 display profile with ``tags`` plus a description and D50 white."""
    tags = {b"desc": _desc(description), b"wtpt": _xyz(0.9642, 1.0, 0.8249), **tags}
    table = struct.pack(">I", len(tags))
    body = b""
    offset = 128 + 4 + 12 * len(tags)
    for signature, data in tags.items():
        data += b"\0" * (-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = 128 + len(table) + len(body)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntr"
        + space
        + b"XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + table + body


#: Display P3 (D50-adapted colorants) with a 2.2 gamma, near enough for a test.
P3_ICC = make_icc(
    b"RGB ",
    "Display P3",
    {
        b"rXYZ": _xyz(0.515121, 0.241196, -0.001053),
        b"gXYZ": _xyz(0.291977, 0.692245, 0.041885),
        b"bXYZ": _xyz(0.157104, 0.066574, 0.784073),
        b"rTRC": _curve(2.2),
        b"gTRC": _curve(2.2),
        b"bTRC": _curve(2.2),
    },
)
#: A grey profile whose gamma 1.0 makes mid-grey much lighter in sRGB.
LINEAR_GREY_ICC = make_icc(b"GRAY", "Linear Grey", {b"kTRC": _curve(1.0)})
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def png_with_size(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` (IHDR and CRC rewritten)."""
    data = bytearray(encode(Image.new("1", (8, 8)), "PNG"))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


# --------------------------------------------------------------------------- constants


def test_input_formats() -> None:
    assert INPUT_FORMATS[:6] == ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP")
    assert set(INPUT_FORMATS) <= {"JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP", "HEIF", "AVIF"}
    assert ("AVIF" in INPUT_FORMATS) == bool(features.check_module("avif"))
    assert DEFAULT_MAX_PIXELS == 50_000_000


# --------------------------------------------------------------------------- modes


def _p_with_transparency() -> Image.Image:
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 200, 10, 10] + [0, 0, 0] * 254)
    image.paste(0, (0, 0, 4, 8))
    image.info["transparency"] = 0
    return image


def _i16() -> Image.Image:
    return Image.new("I;16", (8, 8), 32768)


MODE_CASES: list[tuple[str, Callable[[], bytes], tuple[int, ...], tuple[int, ...] | None]] = [
    # id, data, pixel at (6, 6) as RGB, pixel as RGBA with keep_alpha (None: stays RGB)
    ("1", lambda: encode(Image.new("1", (8, 8), 1), "PNG"), (255, 255, 255), None),
    ("L", lambda: encode(Image.new("L", (8, 8), 100), "PNG"), (100, 100, 100), None),
    ("LA", lambda: encode(Image.new("LA", (8, 8), (100, 128)), "PNG"), (177, 177, 177),
     (100, 100, 100, 128)),
    ("LA opaque", lambda: encode(Image.new("LA", (8, 8), (100, 255)), "PNG"), (100,) * 3, None),
    ("P", lambda: encode(Image.new("P", (8, 8), 0), "GIF"), (0, 0, 0), None),
    ("P transparency PNG", lambda: encode(_p_with_transparency(), "PNG"), (200, 10, 10),
     (200, 10, 10, 255)),
    ("P transparency GIF", lambda: encode(_p_with_transparency(), "GIF"), (200, 10, 10),
     (200, 10, 10, 255)),
    ("RGB JPEG", lambda: encode(Image.new("RGB", (8, 8), (30, 200, 90)), "JPEG", quality=95),
     (30, 200, 90), None),
    ("RGB BMP", lambda: encode(Image.new("RGB", (8, 8), (30, 200, 90)), "BMP"), (30, 200, 90),
     None),
    ("RGB TIFF", lambda: encode(Image.new("RGB", (8, 8), (30, 200, 90)), "TIFF"),
     (30, 200, 90), None),
    ("RGBA", lambda: encode(Image.new("RGBA", (8, 8), (0, 0, 255, 0)), "PNG"),
     (255, 255, 255), (0, 0, 255, 0)),
    ("RGBA half", lambda: encode(Image.new("RGBA", (8, 8), (0, 0, 0, 128)), "WEBP",
                                 lossless=True), (127, 127, 127), (0, 0, 0, 128)),
    ("RGBA opaque", lambda: encode(Image.new("RGBA", (8, 8), (9, 9, 9, 255)), "PNG"),
     (9, 9, 9), None),
    ("RGB tRNS", lambda: encode(Image.new("RGB", (8, 8), (1, 2, 3)), "PNG",
                                transparency=(1, 2, 3)), (255, 255, 255), (1, 2, 3, 0)),
    ("CMYK JPEG", lambda: encode(Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG",
                                 quality=95), (255, 0, 0), None),
    ("I;16 PNG", lambda: encode(_i16(), "PNG"), (128, 128, 128), None),
    ("I TIFF", lambda: encode(Image.new("I", (8, 8), 32768), "TIFF"), (128, 128, 128), None),
    ("F TIFF", lambda: encode(Image.new("F", (8, 8), 0.5), "TIFF"), (128, 128, 128), None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "rgb", "rgba"),
    [pytest.param(make, rgb, rgba, id=case) for case, make, rgb, rgba in MODE_CASES],
)
def test_every_mode_comes_out_rgb(
    data: Callable[[], bytes], rgb: tuple[int, ...], rgba: tuple[int, ...] | None
) -> None:
    encoded = data()
    flat, _ = open_and_normalize(encoded)
    assert flat.mode == "RGB"
    assert close(pixel(flat, (6, 6)), rgb, tolerance=3), pixel(flat, (6, 6))
    assert_no_metadata(flat)

    kept, _ = open_and_normalize(encoded, keep_alpha=True)
    if rgba is None:
        assert kept.mode == "RGB"
    else:
        assert kept.mode == "RGBA"
        assert close(pixel(kept, (6, 6)), rgba, tolerance=3), pixel(kept, (6, 6))
    assert_no_metadata(kept)


def test_16_bit_png_is_not_white() -> None:
    ramp = Image.new("I;16", (256, 1))
    ramp.putdata([v * 257 for v in range(256)])
    out, notes = open_and_normalize(encode(ramp, "PNG"))
    assert [pixel(out, (v, 0))[0] for v in range(256)] == list(range(256))
    assert any("16" in note for note in notes)


def test_transparency_is_flattened_onto_the_background() -> None:
    data = encode(_p_with_transparency(), "PNG")
    out, notes = open_and_normalize(data, background=(0, 128, 255))
    assert pixel(out, (1, 1)) == (0, 128, 255)
    assert pixel(out, (6, 6)) == (200, 10, 10)
    assert "flattened transparency onto #0080ff" in notes
    _, none = open_and_normalize(data, keep_alpha=True)
    assert none == []


def test_cmyk_without_profile_is_noted() -> None:
    data = encode(Image.new("CMYK", (8, 8), (0, 0, 0, 0)), "JPEG")
    out, notes = open_and_normalize(data)
    assert close(pixel(out, (2, 2)), (255, 255, 255))
    assert any(note.startswith("converted from CMYK to sRGB") for note in notes)


@pytest.mark.skipif("AVIF" not in INPUT_FORMATS, reason="this Pillow cannot open AVIF")
def test_avif_opens() -> None:
    data = encode(Image.new("RGB", (16, 8), (30, 200, 90)), "AVIF", quality=90)
    opened = open_image(data, "a.avif")
    assert (opened.format, opened.width, opened.height) == ("AVIF", 16, 8)
    out, _ = normalize(opened)
    assert close(pixel(out, (4, 4)), (30, 200, 90), tolerance=8)


# --------------------------------------------------------------------------- colour profiles


def test_display_p3_is_converted_to_srgb() -> None:
    colour = (200, 100, 100)
    data = encode(Image.new("RGB", (8, 8), colour), "PNG", icc_profile=P3_ICC)
    out, notes = open_and_normalize(data)
    assert notes == ["converted from its embedded colour profile (Display P3) to sRGB"]
    r, g, b = pixel(out, (3, 3))
    # P3 is wider: the same numbers mean a more saturated red in sRGB.
    assert r >= colour[0] + 10 and g <= colour[1] - 5 and b < colour[2]
    assert_no_metadata(out)


def test_display_p3_with_alpha_keeps_alpha() -> None:
    data = encode(Image.new("RGBA", (8, 8), (200, 100, 100, 77)), "PNG", icc_profile=P3_ICC)
    out, notes = open_and_normalize(data, keep_alpha=True)
    assert out.mode == "RGBA"
    assert pixel(out, (3, 3))[3] == 77
    assert pixel(out, (3, 3))[0] > 205
    assert notes[0].startswith("converted from its embedded colour profile (Display P3)")


def test_srgb_profile_changes_nothing() -> None:
    data = encode(Image.new("RGB", (8, 8), (200, 100, 100)), "PNG", icc_profile=SRGB_ICC)
    out, notes = open_and_normalize(data)
    assert notes == []
    assert pixel(out, (3, 3)) == (200, 100, 100)
    assert_no_metadata(out)


@pytest.mark.parametrize("mode", ["L", "LA"])
def test_grey_profile_is_applied(mode: str) -> None:
    fill = 128 if mode == "L" else (128, 200)
    data = encode(Image.new(mode, (8, 8), fill), "PNG", icc_profile=LINEAR_GREY_ICC)
    out, notes = open_and_normalize(data, keep_alpha=True)
    assert out.mode == ("RGB" if mode == "L" else "RGBA")
    value = pixel(out, (3, 3))
    assert value[0] == value[1] == value[2] and value[0] > 170  # linear 0.5 is light in sRGB
    if mode == "LA":
        assert value[3] == 200
    assert notes == ["converted from greyscale to sRGB by its colour profile (Linear Grey)"]


@pytest.mark.parametrize(
    ("icc", "note"),
    [
        (b"not a profile at all", "ignored an embedded colour profile that cannot be read"),
        (LINEAR_GREY_ICC, "ignored an embedded colour profile that does not match the image"),
    ],
)
def test_unusable_profile_is_ignored(icc: bytes, note: str) -> None:
    data = encode(Image.new("RGB", (8, 8), (10, 20, 30)), "PNG", icc_profile=icc)
    out, notes = open_and_normalize(data)
    assert notes == [note]
    assert pixel(out, (1, 1)) == (10, 20, 30)


# --------------------------------------------------------------------------- orientation

#: The operation that turns an upright picture into what a camera stores with
#: each orientation: the inverse of the one that makes it upright.
STORED: dict[int, Image.Transpose | None] = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def upright_picture(width: int = 40, height: int = 20) -> Image.Image:
    """Blue, with a red top-left quadrant: every orientation shows differently."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height // 2))
    return image


def camera_file(
    orientation: int, fmt: str, picture: Image.Image | None = None, **params: object
) -> bytes:
    picture = picture if picture is not None else upright_picture()
    operation = STORED[orientation]
    stored = picture if operation is None else picture.transpose(operation)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Camera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 1.5)
    extra: dict[str, object] = {"exif": exif.tobytes(), "icc_profile": SRGB_ICC}
    if fmt == "JPEG":
        extra.update(quality=95, comment=b"taken at home", xmp=b"<x:xmpmeta>home</x:xmpmeta>")
    elif fmt == "WEBP":
        extra.update(lossless=True, xmp=b"<x:xmpmeta>home</x:xmpmeta>")
    return encode(stored, fmt, **extra, **params)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_is_applied_and_metadata_dropped(orientation: int, fmt: str) -> None:
    opened = open_image(camera_file(orientation, fmt), "camera.jpg")
    assert opened.orientation == orientation
    assert (opened.width, opened.height) == (40, 20)
    assert opened.frames == 1
    out, notes = normalize(opened)
    assert out.size == (40, 20)
    assert close(pixel(out, (5, 5)), RED, tolerance=12)
    for xy in [(35, 5), (5, 15), (35, 15)]:
        assert close(pixel(out, xy), BLUE, tolerance=12), (xy, pixel(out, xy))
    if orientation == 1:
        assert notes == []
    else:
        assert notes == [f"turned upright (EXIF orientation {orientation})"]
    assert_no_metadata(out)
    # And the encoded result carries nothing either.
    again = Image.open(io.BytesIO(encode(out, "JPEG")))
    assert len(again.getexif()) == 0
    assert not {"exif", "icc_profile", "xmp", "comment"} & set(again.info)


@pytest.mark.parametrize("value", [0, 9, 300])
def test_invalid_orientation_counts_as_1(value: int) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = value
    data = encode(upright_picture(), "JPEG", exif=exif.tobytes())
    opened = open_image(data, "x.jpg")
    assert opened.orientation == 1
    out, notes = normalize(opened)
    assert out.size == (40, 20) and notes == []


def test_draft_size_is_taken_upright() -> None:
    # Stored 400x800 with orientation 6: upright it is 800x400.
    data = camera_file(6, "JPEG", upright_picture(800, 400))
    opened = open_image(data, "big.jpg")
    assert (opened.width, opened.height) == (800, 400)
    out, _ = normalize(opened, draft_size=(200, 100))
    assert out.size == (200, 100)  # decoded at 1/4 scale, then turned upright
    assert close(pixel(out, (10, 10)), RED, tolerance=12)
    assert close(pixel(out, (190, 90)), BLUE, tolerance=12)


def test_draft_needs_twice_the_target() -> None:
    data = encode(upright_picture(300, 300), "JPEG")
    out, _ = normalize(open_image(data, "x.jpg"), draft_size=(200, 200))
    assert out.size == (300, 300)
    out, _ = normalize(open_image(data, "x.jpg"), draft_size=(100, 100))
    assert out.size == (150, 150)
    png = encode(upright_picture(300, 300), "PNG")  # only JPEG decodes at a scale
    out, _ = normalize(open_image(png, "x.png"), draft_size=(50, 50))
    assert out.size == (300, 300)


# --------------------------------------------------------------------------- frames


def animated_gif() -> bytes:
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    frames = [Image.new("RGB", (8, 8), c) for c in colours]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)


def test_frames_are_counted_and_chosen() -> None:
    opened = open_image(animated_gif(), "anim.gif")
    assert opened.frames == 3
    out, _ = normalize(opened, frame=2)
    assert close(pixel(out, (1, 1)), (0, 0, 255))
    assert_no_metadata(out)
    with pytest.raises(MediaError, match=r"anim\.gif: has no frame 3 \(it has 3\)"):
        normalize(open_image(animated_gif(), "anim.gif"), frame=3)


def tiny_gif(frames: int, *, between: bytes = b"", trailer: bool = True) -> bytes:
    """A 1x1 GIF of ``frames`` minimal frames (23 bytes each), ``between`` them."""
    head = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    control = b"\x21\xf9\x04\x00\x01\x00\x00\x00"  # a delay of 10 ms
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return head + between.join([control + image] * frames) + (b"\x3b" if trailer else b"")


def pillow_gif(count: int, **params: object) -> bytes:
    """A GIF of ``count`` frames of different colours, saved by Pillow."""
    frames = [
        Image.new("RGB", (6, 4), (40 * i % 256, 255 - 9 * i % 256, 7 * i % 256))
        for i in range(count)
    ]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], **params)


@pytest.mark.parametrize(
    "data",
    [
        pillow_gif(1),
        pillow_gif(2, duration=50, loop=0),
        pillow_gif(7, duration=[10, 20, 30, 40, 50, 60, 70], comment=b"made here"),
        pillow_gif(40, transparency=0, disposal=2),
        tiny_gif(3),
        tiny_gif(5, between=b"\x21\xfe\x03abc\x02de\x00"),  # comments between frames
        tiny_gif(4, between=b"\x00\x17"),  # stray bytes between blocks
        tiny_gif(6, trailer=False),
        tiny_gif(MAX_FRAMES),
    ],
    ids=[
        "1",
        "2-loop",
        "7-comment",
        "40-transparent",
        "tiny-3",
        "comments",
        "stray",
        "no-trailer",
        "max",
    ],
)
def test_gif_frames_are_counted_as_pillow_counts_them(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        expected = image.n_frames
    assert open_image(data, "anim.gif").frames == expected


def test_a_long_gif_is_counted_no_further_than_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    # 100,000 frames in 2.3 MB: Pillow's count walks every one of them (200 MB of
    # such frames take about half a minute); past MAX_FRAMES only "more" matters.
    def refuse(self: object) -> int:
        raise AssertionError("every frame counted")

    monkeypatch.setattr("PIL.GifImagePlugin.GifImageFile.n_frames", property(refuse))
    assert open_image(tiny_gif(100_000), "long.gif").frames == MAX_FRAMES + 1
    assert open_image(tiny_gif(MAX_FRAMES), "long.gif").frames == MAX_FRAMES


def test_tiff_pages_are_counted_no_further_than_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    def pages(count: int) -> bytes:
        images = [Image.new("L", (2, 2), i % 256) for i in range(count)]
        return encode(images[0], "TIFF", save_all=True, append_images=images[1:])

    def refuse(self: object) -> int:
        raise AssertionError("every page counted")

    three = open_image(pages(3), "pages.tif")
    assert three.frames == 2
    out, _ = normalize(three)  # counting left the file at its first page
    assert pixel(out, (0, 0)) == (0, 0, 0)
    monkeypatch.setattr("PIL.TiffImagePlugin.TiffImageFile.n_frames", property(refuse))
    # Only the first page is used: past it, each page's directory is a walk.
    assert open_image(pages(MAX_FRAMES + 40), "pages.tif").frames == 2


def _png_chunk(kind: bytes, body: bytes = b"") -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _many_pieces(fmt: str, count: int) -> bytes:
    """A 1x1 image of ``fmt`` with ``count`` empty pieces that Pillow walks one by one."""
    data = encode(Image.new("L", (1, 1)), fmt)
    if fmt == "PNG":  # private chunks after the header
        return data[:33] + _png_chunk(b"prVt") * count + data[33:]
    if fmt == "JPEG":  # empty comments after SOI
        return data[:2] + b"\xff\xfe\x00\x02" * count + data[2:]
    at = data.index(b"\x2c")  # GIF: one-letter comments before the image
    return data[:at] + b"\x21\xfe\x01a\x00" * (count // 3 + 1) + data[at:]


@pytest.mark.parametrize(
    ("fmt", "limit", "what"),
    [
        ("PNG", MAX_PNG_CHUNKS, "PNG chunks"),
        ("JPEG", MAX_JPEG_SEGMENTS, "JPEG segments before its image data"),
        ("GIF", MAX_GIF_EXTENSION_BLOCKS, "GIF extension blocks"),
    ],
)
def test_a_file_of_too_many_pieces_is_refused_before_pillow_walks_them(
    fmt: str, limit: int, what: str
) -> None:
    # 200 MB of such pieces would take Pillow minutes to walk, a few microseconds each.
    assert open_image(_many_pieces(fmt, limit // 10), "ok").frames == 1
    with pytest.raises(MediaError, match=rf"many\.x: holds over {limit:,} {what}"):
        open_image(_many_pieces(fmt, limit + 10), "many.x")


def test_a_png_in_many_data_chunks_opens() -> None:
    # Real encoders split the data in chunks (libpng: 8 KB): those are no bomb.
    data = encode(Image.effect_noise((64, 64), 60).convert("RGB"), "PNG")
    start = data.index(b"IDAT") - 4
    length = int.from_bytes(data[start : start + 4], "big")
    idat = data[start + 8 : start + 8 + length]
    pieces = b"".join(_png_chunk(b"IDAT", idat[i : i + 1]) for i in range(len(idat)))
    rebuilt = data[:start] + pieces + data[start + 12 + length :]
    assert len(idat) > 1000  # that many chunks
    out, _ = normalize(open_image(rebuilt, "split.png"))
    assert out.size == (64, 64)


def test_opened_is_lazy(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("open_image decoded pixels")

    data = camera_file(6, "JPEG")
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    for encoded in (data, camera_file(8, "PNG"), animated_gif()):
        opened = open_image(encoded, "x")
        assert isinstance(opened, Opened)
        assert opened.image.format == opened.format


def test_nothing_to_change_still_gives_a_plain_image() -> None:
    opened = open_image(encode(Image.new("RGB", (8, 8), (1, 2, 3)), "PNG"), "x.png")
    out, notes = normalize(opened)
    assert notes == []
    assert out is not opened.image
    assert_no_metadata(out)


# --------------------------------------------------------------------------- bad inputs


def _garbage() -> bytes:
    return random.Random(7).randbytes(4096)


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _photo(fmt: str) -> bytes:
    picture = Image.effect_noise((128, 128), 64).convert("RGB")
    return encode(picture, fmt)


BAD_CASES: list[tuple[str, Callable[[], bytes], str, int]] = [
    # id, data, expected reason (regex), max_pixels
    ("text", lambda: b"hello", r"not an image in a supported format \(JPEG, PNG, GIF", 0),
    ("empty", lambda: b"", "not an image in a supported format", 0),
    ("garbage", _garbage, "not an image in a supported format", 0),
    ("truncated JPEG", lambda: _half(_photo("JPEG")), "truncated or corrupt image", 0),
    ("truncated PNG", lambda: _half(_photo("PNG")), "truncated or corrupt image", 0),
    ("truncated GIF", lambda: _half(_photo("GIF")), "truncated or corrupt image", 0),
    ("truncated WEBP", lambda: _half(_photo("WEBP")), "truncated or corrupt image", 0),
    ("truncated TIFF", lambda: _half(_photo("TIFF")), "truncated or corrupt image", 0),
    ("JPEG header only", lambda: _photo("JPEG")[:20], "starts like a JPEG", 0),
    ("PNG signature only", lambda: b"\x89PNG\r\n\x1a\n", "starts like a PNG", 0),
    ("bomb 100000x100000", lambda: png_with_size(100_000, 100_000),
     r"image is 10,000,000,000 pixels, over the limit of 50,000,000", 0),
    ("bomb over Pillow's limit", lambda: png_with_size(10_000, 10_000),
     r"image is 100,000,000 pixels, over the limit of 1,000,000", 1_000_000),
    ("over max_pixels", lambda: png_with_size(3_000, 2_000),
     r"image is 3000x2000 = 6,000,000 pixels, over the limit of 1,000,000", 1_000_000),
    ("claims more than it holds", lambda: png_with_size(3_000, 2_000),
     "truncated or corrupt image", 0),
    ("zero width", lambda: png_with_size(0, 10), "truncated or corrupt image", 0),
    ("SVG", lambda: b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
     r"SVG drawing\?\) is not an image in a supported format", 0),
    ("bare SVG", lambda: b"<svg width='10' height='10'></svg>", "an SVG drawing is not", 0),
    ("PDF", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "a PDF document", 0),
    ("PSD", lambda: b"8BPS\x00\x01" + b"\x00" * 6 + b"\x00\x03\x00\x00\x00\x10\x00\x00\x00\x10"
     + b"\x00\x08\x00\x03" + b"\x00" * 64, "Photoshop document", 0),
    ("ICO made by Pillow", lambda: encode(Image.new("RGB", (16, 16)), "ICO"), r"icon \(ICO\)", 0),
    ("PCX made by Pillow", lambda: encode(Image.new("RGB", (16, 16)), "PCX"),
     "not an image in a supported format", 0),
    ("PPM made by Pillow", lambda: encode(Image.new("RGB", (16, 16)), "PPM"),
     "not an image in a supported format", 0),
]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "reason", "max_pixels"),
    [pytest.param(make, reason, limit, id=case) for case, make, reason, limit in BAD_CASES],
)
def test_bad_input_is_a_media_error(
    data: Callable[[], bytes], reason: str, max_pixels: int, watchdog: None
) -> None:
    name = "holiday/photo.jpg"
    with pytest.raises(MediaError) as caught:
        open_and_normalize(data(), name, max_pixels=max_pixels or DEFAULT_MAX_PIXELS)
    assert caught.value.file == name
    assert str(caught.value).startswith(f"{name}: ")
    assert caught.match(reason)


def test_pixel_limit_is_checked_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    for width, height in [(100_000, 100_000), (10_000, 10_000), (3_000, 2_000)]:
        with pytest.raises(MediaError, match="pixels, over the limit of 1,000,000"):
            open_image(png_with_size(width, height), "bomb.png", max_pixels=1_000_000)


# --------------------------------------------------------------------------- fuzzing


def _samples() -> list[bytes]:
    picture = Image.effect_noise((24, 16), 50).convert("RGB")
    samples = [encode(picture, fmt) for fmt in ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP")]
    samples += [camera_file(6, "JPEG"), animated_gif(), encode(_i16(), "PNG")]
    samples.append(encode(picture.convert("CMYK"), "JPEG"))
    samples.append(encode(picture, "PNG", icc_profile=P3_ICC))
    return samples


SAMPLES = _samples()


def _survives(data: bytes) -> None:
    """Open and normalize ``data``: either an image comes out, or a MediaError."""
    result: Image.Image | MediaError
    try:
        opened = open_image(data, "fuzz", max_pixels=1_000_000)
        result, _ = normalize(opened, draft_size=(8, 8), frame=opened.frames - 1)
    except MediaError as exc:
        result = exc
    if isinstance(result, MediaError):
        assert result.file == "fuzz"
    else:
        assert result.mode in ("RGB", "RGBA")
        assert result.info == {}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_random_bytes_raise_only_media_error(data: bytes) -> None:
    _survives(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=6),
    st.floats(0.05, 1),
)
def test_damaged_images_raise_only_media_error(
    sample: bytes, edits: list[tuple[float, int]], keep: float
) -> None:
    data = bytearray(sample[: max(1, int(len(sample) * keep))])
    for where, value in edits:
        data[int(where * len(data))] = value
    _survives(bytes(data))


# --------------------------------------------------------------------------- read_source


def test_read_source_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"\x89PNG...")
    assert read_source(path, None) == (b"\x89PNG...", str(path))


def test_read_source_in_memory() -> None:
    assert read_source(None, b"abc") == (b"abc", "<3 bytes>")
    with pytest.raises(MediaError, match=r"^<0 bytes>: is empty \(0 bytes\)$"):
        read_source(None, b"")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p / "missing.jpg", "no such file"),
        (lambda p: p / "missing" / "deeper.jpg", "no such file"),
        (lambda p: p, "is a directory"),
    ],
)
def test_read_source_refuses(tmp_path: Path, make: Callable[[Path], Path], reason: str) -> None:
    path = make(tmp_path)
    with pytest.raises(MediaError) as caught:
        read_source(path, None)
    assert caught.value.file == str(path)
    assert caught.value.reason == reason


def test_read_source_refuses_other_kinds(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(MediaError, match="a parent is not a directory"):
        read_source(tmp_path / "file" / "photo.jpg", None)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(MediaError, match=r"fifo: is not a regular file$"):
        read_source(fifo, None)  # refused, not waited on


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_read_source_of_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.jpg"
    path.write_bytes(b"x")
    path.chmod(0)
    with pytest.raises(MediaError, match=r"secret\.jpg: cannot be read: Permission denied$"):
        read_source(path, None)


def test_read_source_of_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.touch()
    with pytest.raises(MediaError, match=r"empty\.jpg: is empty \(0 bytes\)$"):
        read_source(path, None)


def test_read_source_refuses_a_heavy_file_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.tif"
    with path.open("wb") as f:
        f.truncate(MAX_SOURCE_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(MediaError, match=r"file is 209,715,201 bytes, over the 200 MB"):
        read_source(path, None)


def test_read_source_wants_one_source() -> None:
    with pytest.raises(TypeError):
        read_source(None, None)
    with pytest.raises(TypeError):
        read_source(Path("x"), b"x")


def test_media_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not an image"):
        open_image(b"hello", "photo.jpg")
