"""Open an image a user sends and turn it into plain 8-bit sRGB pixels.

Two steps, so that the pipeline can decide how large to decode before paying for it:

* :func:`open_image` identifies the data (only among :data:`INPUT_FORMATS`), reads
  the header and refuses too many pixels, **without decoding any pixel**;
* :func:`normalize` decodes (at a reduced scale for a large JPEG when asked), turns
  the picture upright by its EXIF orientation, converts it to sRGB through its
  embedded colour profile, reduces it to ``RGB`` (or ``RGBA``) and strips every
  piece of metadata.

Every failure on the way, whatever Pillow raises, comes out as a
:class:`~crosspost_adapt.errors.MediaError` that names the file and says what is
wrong in words a person understands.
"""

from __future__ import annotations

import io
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Final, TypeVar

import attrs
from PIL import ExifTags, Image, ImageCms, UnidentifiedImageError, features

from crosspost_adapt.errors import MediaError

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "INPUT_FORMATS",
    "MAX_FRAMES",
    "MAX_GIF_BLOCKS",
    "MAX_GIF_EXTENSION_BLOCKS",
    "MAX_JPEG_SEGMENTS",
    "MAX_PNG_CHUNKS",
    "MAX_SOURCE_BYTES",
    "Opened",
    "normalize",
    "open_image",
    "read_source",
    "to_srgb",
]

#: The most pixels (width times height) :func:`open_image` accepts by default.
DEFAULT_MAX_PIXELS: Final = 50_000_000

#: The most bytes :func:`read_source` reads from a file.
MAX_SOURCE_BYTES: Final = 200 * 1024 * 1024

#: The frames :func:`open_image` counts: an animation of more is never kept whole
#: (1,000 frames are over 30 s at 30 frames a second, and each costs a decode),
#: so past this many only "more" matters. Pillow's own count walks every frame of
#: the file: millions of tiny GIF frames in 200 MB take half a minute, and the
#: pages of a TIFF longer still (its walk slows down as it goes).
MAX_FRAMES: Final = 1_000


def _optional_formats() -> tuple[str, ...]:
    """HEIF and AVIF, when this Pillow can open them (checked without importing
    every plugin: HEIF only through a plugin registered before this module)."""
    found: list[str] = []
    if "HEIF" in Image.OPEN:
        found.append("HEIF")
    if "AVIF" in Image.OPEN or features.check_module("avif"):
        found.append("AVIF")
    return tuple(found)


#: The Pillow formats :func:`open_image` tries; no other decoder is ever run.
INPUT_FORMATS: Final[tuple[str, ...]] = (
    "JPEG",
    "PNG",
    "GIF",
    "WEBP",
    "TIFF",
    "BMP",
    *_optional_formats(),
)

_SUPPORTED: Final = ", ".join(INPUT_FORMATS)

#: Signatures of the supported formats: data that starts like one of them but
#: cannot be identified is broken, not foreign.
_SIGNATURES: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"II+\x00", "TIFF"),
    (b"MM\x00+", "TIFF"),
    (b"BM", "BMP"),
)

#: Formats people send that are not supported, by signature, to name them.
_FOREIGN: Final[tuple[tuple[bytes, str], ...]] = (
    (b"8BPS", "a Photoshop document (PSD)"),
    (b"%PDF", "a PDF document"),
    (b"<svg", "an SVG drawing"),
    (b"<?xml", "an XML document (an SVG drawing?)"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", "a JPEG 2000 codestream"),
    (b"\xff\x0a", "a JPEG XL image"),
    (b"\x00\x00\x00\x0cJXL ", "a JPEG XL image"),
    (b"qoif", "a QOI image"),
    (b"\x00\x00\x01\x00", "an icon (ICO)"),
    (b"%!PS", "a PostScript document"),
    (b"PK\x03\x04", "a ZIP archive"),
)

#: How to undo each EXIF orientation (2-8) so that the picture stands upright.
_UPRIGHT: Final[dict[int, Image.Transpose]] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_T = TypeVar("_T")


@attrs.frozen(eq=False)
class Opened:
    """An identified image whose pixels are not decoded yet.

    ``width`` and ``height`` are those of the picture as it is meant to be seen,
    after its EXIF orientation (swapped for orientations 5 to 8). ``frames`` is 1
    for a still image, and at most ``MAX_FRAMES + 1`` (a file of more frames);
    a TIFF of several pages counts 2.
    ``orientation`` is the EXIF orientation, 1 to 8 (1 when absent or invalid).
    :func:`normalize` loads ``image``: normalize one ``Opened`` once (open the
    data again to decode at another draft size).
    """

    image: Image.Image
    format: str
    name: str
    width: int
    height: int
    frames: int
    orientation: int


# --------------------------------------------------------------------------- reading


def read_source(path: Path | None, data: bytes | None) -> tuple[bytes, str]:
    """The encoded bytes of an image and the name errors give it.

    Exactly one of ``path`` and ``data`` is given. A file is named by its path, data
    in memory ``"<N bytes>"``. A file over :data:`MAX_SOURCE_BYTES` is refused
    before it is read.

    :raises MediaError: a missing, unreadable, oversized or empty source.
    :raises TypeError: both or neither of ``path`` and ``data``.
    """
    if (path is None) == (data is None):
        raise TypeError("read_source() takes exactly one of path and data")
    if data is not None:
        name = f"<{len(data)} bytes>"
    else:
        assert path is not None
        name = str(path)
        data = _read_file(path, name)
    if not data:
        raise MediaError(name, "is empty (0 bytes)")
    return data, name


def _read_file(path: Path, name: str) -> bytes:
    try:
        # Looked at before it is opened: opening a FIFO would wait for a writer.
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise MediaError(name, "is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise MediaError(name, "is not a regular file")
        _check_weight(info.st_size, name)
        with open(path, "rb") as f:
            # One byte more than allowed: a file that grew meanwhile is caught.
            data = f.read(MAX_SOURCE_BYTES + 1)
    except MediaError:
        raise
    except FileNotFoundError:
        raise MediaError(name, "no such file") from None
    except IsADirectoryError:
        raise MediaError(name, "is a directory") from None
    except NotADirectoryError:
        raise MediaError(name, "no such file (a parent is not a directory)") from None
    except OSError as exc:
        raise MediaError(name, f"cannot be read: {exc.strerror or exc}") from None
    _check_weight(len(data), name)
    return data


def _check_weight(size: int, name: str) -> None:
    if size > MAX_SOURCE_BYTES:
        raise MediaError(
            name,
            f"file is {size:,} bytes, over the {MAX_SOURCE_BYTES // (1024 * 1024)} MB "
            "an image may weigh",
        )


# --------------------------------------------------------------------------- guarding


@contextmanager
def _bombs_as_errors() -> Iterator[None]:
    """Pillow's decompression-bomb warning raised as an error inside the block, and
    its complaints about damaged metadata (which is dropped anyway) silenced.

    ``warnings.catch_warnings`` changes process-wide state: concurrent threads see
    the filters too while the block runs.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _decode(name: str, action: Callable[[], _T]) -> _T:
    """``action()``, with whatever the decoder raises turned into a MediaError."""
    try:
        with _bombs_as_errors():
            return action()
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError(name, _bomb_reason(exc, None)) from None
    except MemoryError:
        raise MediaError(name, "image is too large to be decoded in memory") from None
    except Exception as exc:  # every decoder failure, whatever its type
        raise MediaError(name, f"truncated or corrupt image: {_describe(exc)}") from None


def _bomb_reason(exc: Exception, max_pixels: int | None) -> str:
    """The reason for Pillow's decompression-bomb refusal, in the words of ours."""
    match = re.search(r"\((\d+) pixels\)", str(exc))
    if match is None:
        return f"image has too many pixels to be decoded safely ({_describe(exc)})"
    pixels = int(match[1])
    if max_pixels is not None and pixels > max_pixels:
        return f"image is {pixels:,} pixels, over the limit of {max_pixels:,}"
    return f"image is {pixels:,} pixels, over the limit of {Image.MAX_IMAGE_PIXELS or 0:,}"


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return text if text else type(exc).__name__


def _unidentified(data: bytes) -> str:
    """Why data that no supported decoder accepts was refused."""
    head = data[:32]
    for signature, fmt in _SIGNATURES:
        if head.startswith(signature):
            return f"truncated or corrupt image: starts like a {fmt} but cannot be read"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis") and "AVIF" in INPUT_FORMATS:
        return "truncated or corrupt image: starts like an AVIF but cannot be read"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "truncated or corrupt image: starts like a WEBP but cannot be read"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for signature, what in _FOREIGN:
        if stripped.startswith(signature.lower()):
            return f"{what} is not an image in a supported format ({_SUPPORTED})"
    if head[4:8] == b"ftyp":
        return f"a HEIF/HEIC or video file is not an image in a supported format ({_SUPPORTED})"
    return f"not an image in a supported format ({_SUPPORTED})"


# --------------------------------------------------------------------------- opening


def open_image(data: bytes, name: str, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> Opened:
    """Identify ``data`` and read its header, without decoding pixels.

    Only the decoders of :data:`INPUT_FORMATS` are tried. An image of more than
    ``max_pixels`` pixels is refused here (Pillow's own decompression-bomb limit,
    ``Image.MAX_IMAGE_PIXELS``, applies as well, so a ``max_pixels`` above it
    changes nothing for larger images).

    :raises MediaError: naming ``name``: no image in a supported format, a broken
        header, too many pixels, a structure of too many pieces.
    """
    _check_pieces(data, name)
    stream = io.BytesIO(data)
    try:
        with _bombs_as_errors():
            image = Image.open(stream, formats=INPUT_FORMATS)
    except UnidentifiedImageError:
        raise MediaError(name, _unidentified(data)) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError(name, _bomb_reason(exc, max_pixels)) from None
    except MediaError:  # pragma: no cover - Pillow raises none
        raise
    except Exception as exc:  # a plugin that failed past identification
        raise MediaError(name, f"truncated or corrupt image: {_describe(exc)}") from None

    width, height = image.size
    if width < 1 or height < 1:
        raise MediaError(name, f"truncated or corrupt image: it is {width}x{height} pixels")
    _check_pixels(width, height, max_pixels, name)
    frames = _decode(name, lambda: _frame_count(image, data))
    orientation = _decode(name, lambda: _orientation(image))
    if orientation >= 5 and not _decoder_orients(image):
        width, height = height, width
    return Opened(
        image=image,
        format=str(image.format),
        name=name,
        width=width,
        height=height,
        frames=max(1, frames),
        orientation=orientation,
    )


# --------------------------------------------------------------------------- structure

#: The most pieces a file's structure may hold where Pillow walks them one by one
#: in Python (a few microseconds each): PNG chunks, JPEG segments before the
#: image data, GIF blocks and sub-blocks. Real files hold far fewer (a PNG of
#: 200 MB in 8 KB chunks: 25,600; a GIF of 200 MB in full sub-blocks: about
#: 800,000), while 200 MB of empty ones would take minutes to walk.
MAX_PNG_CHUNKS: Final = 100_000
MAX_JPEG_SEGMENTS: Final = 10_000
#: GIF: blocks and sub-blocks of all kinds (the frame count walks them), and of
#: extensions (comments, frame controls: Pillow reads those in Python).
MAX_GIF_BLOCKS: Final = 2_000_000
MAX_GIF_EXTENSION_BLOCKS: Final = 100_000


def _check_pieces(data: bytes, name: str) -> None:
    """Refuse a PNG, JPEG or GIF made of more pieces than a real image holds, before
    Pillow walks them (a broken structure is left for Pillow to report)."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        count, what, limit = _png_chunks(data), "PNG chunks", MAX_PNG_CHUNKS
    elif data[:2] == b"\xff\xd8":
        count, what, limit = (
            _jpeg_segments(data),
            "JPEG segments before its image data",
            MAX_JPEG_SEGMENTS,
        )
    elif data[:4] == b"GIF8":
        _, count, extension = _gif_walk(data, MAX_FRAMES + 1)
        what, limit = "GIF blocks", MAX_GIF_BLOCKS
        if extension > MAX_GIF_EXTENSION_BLOCKS:
            count, what, limit = extension, "GIF extension blocks", MAX_GIF_EXTENSION_BLOCKS
    else:
        return
    if count > limit:
        raise MediaError(name, f"holds over {limit:,} {what}: no real image has so many")


def _png_chunks(data: bytes) -> int:
    """The chunks of a PNG up to IEND, counted up to ``MAX_PNG_CHUNKS + 1``."""
    pos, count, end = 8, 0, len(data)
    while pos + 8 <= end and count <= MAX_PNG_CHUNKS:
        count += 1
        if data[pos + 4 : pos + 8] == b"IEND":
            break
        pos += 12 + int.from_bytes(data[pos : pos + 4], "big")
    return count


def _jpeg_segments(data: bytes) -> int:
    """The marker segments of a JPEG before its first scan, counted up to
    ``MAX_JPEG_SEGMENTS + 1``."""
    pos, count, end = 2, 0, len(data)
    while pos + 1 < end and count <= MAX_JPEG_SEGMENTS:
        if data[pos] != 0xFF:
            break  # not a marker: Pillow will say what is wrong
        marker = data[pos + 1]
        if marker == 0xFF:  # a fill byte
            pos += 1
            continue
        count += 1
        if marker == 0xDA:  # start of scan: the image data follows
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # no length
            pos += 2
            continue
        if pos + 4 > end:
            break
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return count


def _frame_count(image: Image.Image, data: bytes) -> int:
    """The frames of ``image``, counted up to ``MAX_FRAMES + 1`` (work bounded by
    that count or by the file's size, whatever the file holds)."""
    cap = MAX_FRAMES + 1
    if image.format == "GIF":
        return _gif_frames(data, cap)
    if image.format == "TIFF":
        # Only the first page of a TIFF is used (pages are no animation): 2 says
        # "more than one", and each page's directory, of up to 65,535 entries,
        # costs a walk in Python. Seeking page by page reads one more directory
        # each time (no walk to the end first, as n_frames makes).
        count = 1
        try:
            while count < 2:
                image.seek(count)
                count += 1
        except EOFError:
            pass
        image.seek(0)
        return count
    return min(int(getattr(image, "n_frames", 1)), cap)


def _gif_frames(data: bytes, cap: int) -> int:
    """The frames of a GIF as Pillow's decoder finds them (image descriptors
    before the trailer; a stray byte between blocks skipped), up to ``cap``."""
    return _gif_walk(data, cap)[0]


def _gif_walk(data: bytes, cap: int) -> tuple[int, int, int]:
    """The frames of a GIF up to ``cap`` (see :func:`_gif_frames`), the blocks and
    sub-blocks walked to count them, up to ``MAX_GIF_BLOCKS + 1``, and those of
    extensions among them (the walk stops past ``MAX_GIF_EXTENSION_BLOCKS``).

    Only the length bytes of the sub-blocks are read: at most one step per two
    bytes of the file, and no more than ``MAX_GIF_BLOCKS + 1`` steps.
    """
    end = len(data)
    flags = data[10] if end > 10 else 0
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)  # after the global palette
    count = blocks = extension = 0
    while (
        pos < end
        and count < cap
        and blocks <= MAX_GIF_BLOCKS
        and extension <= MAX_GIF_EXTENSION_BLOCKS
    ):
        byte = data[pos]
        pos += 1
        blocks += 1
        if byte == 0x3B:  # the trailer
            break
        if byte == 0x21:  # an extension: its label, then its sub-blocks
            pos, walked = _after_sub_blocks(data, pos + 1, MAX_GIF_EXTENSION_BLOCKS - extension)
            blocks += walked
            extension += 1 + walked
        elif byte == 0x2C:  # an image: 9 bytes, a local palette, the code size, its data
            if pos + 9 >= end:
                break
            flags = data[pos + 8]
            pos += 9 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
            if pos >= end:
                break
            count += 1
            pos, walked = _after_sub_blocks(data, pos + 1, MAX_GIF_BLOCKS - blocks)
            blocks += walked
    return max(count, 1), blocks, extension


def _after_sub_blocks(data: bytes, pos: int, most: int) -> tuple[int, int]:
    """Where the sub-blocks starting at ``pos`` end (after their zero-length block),
    and how many there were; the walk stops after ``most + 1`` of them."""
    end = len(data)
    walked = 0
    while pos < end and walked <= most:
        size = data[pos]
        pos += 1 + size
        walked += 1
        if not size:
            break
    return pos, walked


def _check_pixels(width: int, height: int, max_pixels: int, name: str) -> None:
    pixels = width * height
    if pixels > max_pixels:
        raise MediaError(
            name,
            f"image is {width}x{height} = {pixels:,} pixels, over the limit of {max_pixels:,}",
        )


def _decoder_orients(image: Image.Image) -> bool:
    """Whether Pillow itself turns this image upright as it loads it (and reports its
    size upright already): TIFF, in the Pillow versions that do."""
    return image.format == "TIFF" and _tiff_self_orients()


@cache
def _tiff_self_orients() -> bool:
    """Whether this Pillow's TIFF decoder applies the orientation tag, found by
    trying: a 2x1 TIFF with orientation 6 (the first pixel white)."""
    try:
        probe = Image.new("L", (2, 1))
        probe.putpixel((0, 0), 255)
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = 6
        stream = io.BytesIO()
        probe.save(stream, "TIFF", exif=exif)
        with Image.open(stream) as reopened:
            reopened.load()
            return reopened.size == (1, 2) and reopened.getpixel((0, 0)) == 255
    except Exception:  # pragma: no cover - a Pillow without TIFF support
        return False


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation, 1 to 8 (1 when absent or not a valid value).

    Read without decoding: a PNG's own ``getexif`` would load the pixels to look
    for an ``eXIf`` chunk after the image data, so only the header's is read.
    """
    exif = Image.Image.getexif(image)
    value = exif.get(ExifTags.Base.Orientation, 1)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8:
        return 1
    return value


# --------------------------------------------------------------------------- normalizing


def normalize(
    opened: Opened,
    *,
    draft_size: tuple[int, int] | None = None,
    keep_alpha: bool = False,
    background: tuple[int, int, int] = (255, 255, 255),
    frame: int = 0,
    profile: bool = True,
) -> tuple[Image.Image, list[str]]:
    """Decode ``opened`` into an upright, metadata-free sRGB image.

    With ``profile=False``, an RGB image keeps the colour space of its embedded
    profile, for :func:`to_srgb` once it is resized (fewer pixels to convert);
    CMYK, greyscale and other modes are converted here all the same.

    ``draft_size`` (width, height of the upright picture) lets a JPEG at least twice
    as large on both sides be decoded at a reduced scale, no smaller than it.
    ``frame`` picks the frame of an animated image. The result is ``RGB``, or
    ``RGBA`` when ``keep_alpha`` and some pixel is not opaque; otherwise transparency
    is flattened onto ``background``. ``image.info`` of the result is empty. The
    result may share its pixels with ``opened.image``, which is done with: normalize
    an ``Opened`` once.

    Returns the image and short sentences naming what was changed, such as
    ``"turned upright (EXIF orientation 6)"``.

    :raises MediaError: the pixels cannot be decoded, or there is no such frame.
    """
    image = opened.image
    name = opened.name
    notes: list[str] = []

    if not 0 <= frame < opened.frames:
        raise MediaError(name, f"has no frame {frame} (it has {opened.frames})")
    if opened.frames > 1 and image.tell() != frame:
        _decode(name, lambda: image.seek(frame))
        # A frame of a multi-page file may be larger than the first one.
        limit = max(DEFAULT_MAX_PIXELS, opened.width * opened.height)
        _check_pixels(image.width, image.height, limit, name)
    if draft_size is not None and opened.format in ("JPEG", "MPO"):
        _draft(image, draft_size, opened.orientation, name)
    _decode(name, image.load)

    icc = image.info.get("icc_profile")
    transparency = "transparency" in image.info
    out = _decode(name, lambda: _to_working_mode(image, transparency, notes))
    if profile or out.mode not in ("RGB", "RGBA"):
        out = _to_srgb(out, icc if isinstance(icc, bytes) else None, notes)
    out = _settle_alpha(out, keep_alpha=keep_alpha, background=background, notes=notes)

    transpose = _UPRIGHT.get(opened.orientation)
    if transpose is not None:
        if not _decoder_orients(image):
            out = out.transpose(transpose)
        notes.append(f"turned upright (EXIF orientation {opened.orientation})")
    if out is image:
        # A plain Image around the same pixels, without copying them: none of the
        # decoder's state (JPEG segments, PNG text chunks, EXIF) comes along.
        out = image._new(image.im)
    out.info.clear()
    return out, notes


def _draft(image: Image.Image, draft_size: tuple[int, int], orientation: int, name: str) -> None:
    want_w, want_h = draft_size
    if orientation >= 5:  # the draft size is upright; the stored image is not
        want_w, want_h = want_h, want_w
    if want_w < 1 or want_h < 1:
        return
    if image.width >= 2 * want_w and image.height >= 2 * want_h:
        mode = image.mode
        _decode(name, lambda: image.draft(mode, (want_w, want_h)))


# --------------------------------------------------------------------------- modes


def _to_working_mode(image: Image.Image, transparency: bool, notes: list[str]) -> Image.Image:
    """``image`` in one of RGB, RGBA, L, LA, CMYK (the modes a profile applies to)."""
    mode = image.mode
    if mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        if transparency and mode in ("RGB", "L"):
            return image.convert("RGBA")
        return image
    if mode == "1":
        return image.convert("L")
    if mode in ("P", "PA"):
        has_alpha = mode == "PA" or transparency or _palette_has_alpha(image)
        return image.convert("RGBA" if has_alpha else "RGB")
    if mode.startswith("I;16"):
        notes.append("reduced from 16 to 8 bits per channel")
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if mode == "I":
        return _rescale_to_l(image, notes)
    if mode == "F":
        return _rescale_to_l(image, notes)
    if mode == "La":
        return image.convert("LA")
    if mode == "RGBa":
        return image.convert("RGBA")
    if mode == "LAB":
        lab = ImageCms.createProfile("LAB")
        converted = ImageCms.profileToProfile(image, lab, _srgb(), outputMode="RGB")
        assert converted is not None
        notes.append("converted from CIELAB to sRGB")
        return converted
    return image.convert("RGB")  # RGBX, YCbCr, HSV...; anything else raises


def _palette_has_alpha(image: Image.Image) -> bool:
    palette = image.palette
    return palette is not None and palette.mode == "RGBA"


def _rescale_to_l(image: Image.Image, notes: list[str]) -> Image.Image:
    """A 32-bit integer or float image as 8 bits: 0-255 and 0-65535 (16-bit data held
    as ``I``) keep their meaning, 0-1 floats are stretched, anything else is mapped
    from its own range."""
    low, high = image.getextrema()
    assert isinstance(low, (int, float)) and isinstance(high, (int, float))
    if image.mode == "F" and low >= 0 and high <= 1:
        scale, offset = 255.0, 0.0
    elif low >= 0 and high <= 255:
        scale, offset = 1.0, 0.0
    elif low >= 0 and high <= 65535:
        scale, offset = 1 / 256, 0.0
    else:
        scale = 255 / (high - low) if high > low else 1.0
        offset = -low * scale
    if image.mode == "I":
        notes.append("reduced from 16 or 32 to 8 bits per channel")
    else:
        notes.append("reduced from floating-point to 8 bits per channel")
    if scale == 1.0 and offset == 0.0:
        return image.convert("L")
    return image.point(lambda v: v * scale + offset).convert("L")


def _settle_alpha(
    image: Image.Image,
    *,
    keep_alpha: bool,
    background: tuple[int, int, int],
    notes: list[str],
) -> Image.Image:
    """``image`` as RGB, or RGBA when asked and some pixel is not opaque."""
    if image.mode not in ("RGBA", "LA"):
        return image if image.mode == "RGB" else image.convert("RGB")
    alpha = image.getchannel("A")
    low, _ = alpha.getextrema()
    assert isinstance(low, int)
    if low == 255:
        return image.convert("RGB")
    if keep_alpha:
        return image if image.mode == "RGBA" else image.convert("RGBA")
    flat = Image.new("RGB", image.size, background)
    flat.paste(image.convert("RGB"), mask=alpha)
    notes.append("flattened transparency onto #{:02x}{:02x}{:02x}".format(*background))
    return flat


# --------------------------------------------------------------------------- colour


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


#: The colour space (ICC header) each working mode may be converted from.
_SPACES: Final = {"RGB": "RGB ", "RGBA": "RGB ", "CMYK": "CMYK", "L": "GRAY", "LA": "GRAY"}


def to_srgb(image: Image.Image, opened: Opened) -> tuple[Image.Image, list[str]]:
    """An RGB(A) image left in its own colour space by ``normalize(...,
    profile=False)`` converted to sRGB by the profile ``opened`` embeds, and the
    note of what was done (none for an sRGB or no profile)."""
    notes: list[str] = []
    icc = opened.image.info.get("icc_profile")
    if not isinstance(icc, bytes) or image.mode not in ("RGB", "RGBA"):
        return image, notes
    if _profile_applied_early(opened.image.mode):
        return image, notes  # normalize converted it already (CMYK, greyscale...)
    return _to_srgb(image, icc, notes), notes


def _profile_applied_early(mode: str) -> bool:
    """Whether :func:`normalize` converts an image of ``mode`` to sRGB whatever its
    ``profile`` argument: every mode but those it makes RGB or RGBA as they are."""
    return mode not in ("RGB", "RGBA", "P", "PA", "RGBa", "RGBX", "YCbCr")


def _to_srgb(image: Image.Image, icc: bytes | None, notes: list[str]) -> Image.Image:
    """``image`` in sRGB (RGB or RGBA; L and LA stay as they are without a profile)."""
    if icc:
        converted = _through_profile(image, icc, notes)
        if converted is not None:
            return converted
    if image.mode == "CMYK":
        notes.append("converted from CMYK to sRGB (no colour profile: approximate)")
        return image.convert("RGB")
    return image


def _through_profile(image: Image.Image, icc: bytes, notes: list[str]) -> Image.Image | None:
    """``image`` converted by its embedded profile, or None when there is nothing to
    do (an sRGB profile) or the profile cannot be used (then a note says so)."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = profile.profile.xcolor_space
        description = (profile.profile.profile_description or "").strip()
    except Exception:  # an unreadable profile must not cost the picture
        notes.append("ignored an embedded colour profile that cannot be read")
        return None
    if space != _SPACES.get(image.mode):
        notes.append("ignored an embedded colour profile that does not match the image")
        return None
    if space == "RGB " and description.lower().startswith("srgb"):
        return None  # already sRGB: the conversion would change nothing
    try:
        if image.mode == "LA":
            grey, alpha = image.split()
            converted = ImageCms.profileToProfile(grey, profile, _srgb(), outputMode="RGB")
            assert converted is not None
            converted.putalpha(alpha)
        else:
            mode = "RGBA" if image.mode == "RGBA" else "RGB"
            converted = ImageCms.profileToProfile(image, profile, _srgb(), outputMode=mode)
            assert converted is not None
    except Exception:
        notes.append("ignored an embedded colour profile that cannot be applied")
        return None
    source = {"CMYK": "CMYK", "GRAY": "greyscale"}.get(space, "its embedded colour profile")
    label = f" ({description})" if description else ""
    if space == "RGB ":
        notes.append(f"converted from its embedded colour profile{label} to sRGB")
    else:
        notes.append(f"converted from {source} to sRGB by its colour profile{label}")
    return converted
