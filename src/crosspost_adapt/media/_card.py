"""Generated text images: a text card (a post that needs an image but has none) and
a Snapchat-style caption bar burnt into an image.

Both use Pillow's built-in scalable font (``ImageFont.load_default(size=...)``), so
no font file is needed. That font only covers basic Latin (ASCII and a few signs):
characters it lacks are written without their accents (``é`` as ``e``) or as a plain
stand-in (``—`` as ``-``) where they have one, else left out rather than drawn as
boxes (emoji, scripts other than Latin).
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Final

from PIL import Image, ImageDraw, ImageFont

__all__ = ["caption_lines", "caption_overlay", "text_card"]

_Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

#: Font sizes of a card at 1080 px wide (scaled with the width).
_CARD_MIN_PX: Final = 28
_CARD_MAX_PX: Final = 96
#: Margins of a card, as a fraction of its width and height.
_CARD_MARGIN: Final = 0.08
#: Line height as a multiple of the font size.
_LINE_SPACING: Final = 1.3
#: Caption font sizes and side padding at 1080x1920 (scaled with the image).
_CAPTION_PX: Final = 44
_CAPTION_MIN_PX: Final = 34
_CAPTION_PAD_X: Final = 48
#: Opacity of the caption bar (0..255).
_CAPTION_ALPHA: Final = 140
_CAPTION_LINES: Final = 2
_ELLIPSIS: Final = "\u2026"
#: A code point no font maps: what the font draws for a missing glyph.
_MISSING: Final = "\U0010fffd"


@functools.lru_cache(maxsize=64)
def _font(size: int) -> _Font:
    return ImageFont.load_default(size=max(1, size))


def _glyph(font: _Font, char: str) -> bytes:
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 8), char, font=font, fill=255)
    return image.tobytes()


@functools.lru_cache(maxsize=4096)
def _drawable(char: str) -> bool:
    """Whether the built-in font has a glyph for ``char`` (white space counts)."""
    if char.isspace():
        return True
    if unicodedata.category(char).startswith("C"):  # controls, format, unassigned
        return False
    font = _font(40)
    return _glyph(font, char) != _glyph(font, _MISSING)


#: Stand-ins for common characters the built-in font lacks.
_STAND_INS: Final = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2022": "-",
    "\u00b7": "-",
    "\u20ac": "EUR",
    "\u00a3": "GBP",
    "\u00df": "ss",
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u0142": "l",
    "\u0141": "L",
}


@functools.lru_cache(maxsize=4096)
def _drawn_as(char: str) -> str:
    """What stands for ``char`` on the card: itself when the font has it, else its
    unaccented letter (``é`` -> ``e``) or a stand-in, else nothing."""
    if _drawable(char):
        return char
    if char in _STAND_INS:
        return _STAND_INS[char]
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed != char:
        return "".join(_drawn_as(c) for c in decomposed if not unicodedata.combining(c))
    return ""


def _clean(text: str) -> str:
    """``text`` as the font can draw it (see :func:`_drawn_as`), spaces tidied per line."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        kept = "".join(_drawn_as(c) for c in unicodedata.normalize("NFC", line))
        lines.append(" ".join(kept.split()))
    return "\n".join(lines).strip("\n")


def _width(font: _Font, text: str) -> float:
    return float(font.getlength(text))


def _break_word(font: _Font, word: str, max_width: float, most: int | None = None) -> list[str]:
    """``word`` cut into pieces no wider than ``max_width`` (at least a character each);
    with ``most``, no further than ``most`` pieces and one (a card holds so many lines:
    a word of thousands of characters is not measured to its end)."""
    pieces: list[str] = []
    rest = word
    while rest:
        # The longest start of ``rest`` that fits (widths grow with the text): a
        # gallop, then a bisection, each step one measure (a measure costs).
        fits, step = 1, 1
        while fits + step <= len(rest) and _width(font, rest[: fits + step]) <= max_width:
            fits += step
            step *= 2
        over = min(fits + step, len(rest) + 1)  # too wide, or past the end
        while over - fits > 1:
            mid = (fits + over) // 2
            if _width(font, rest[:mid]) <= max_width:
                fits = mid
            else:
                over = mid
        pieces.append(rest[:fits])
        rest = rest[fits:]
        if most is not None and len(pieces) > most:
            break
    return pieces


def _wrap(font: _Font, text: str, max_width: float, max_lines: int | None = None) -> list[str]:
    """``text`` word-wrapped to ``max_width``; stops after ``max_lines`` + 1 lines."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            if not word:
                continue
            candidate = f"{current} {word}" if current else word
            if _width(font, candidate) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            most = None if max_lines is None else max_lines - len(lines) + 1
            pieces = (
                _break_word(font, word, max_width, most)
                if _width(font, word) > max_width
                else [word]
            )
            lines.extend(pieces[:-1])
            current = pieces[-1]
            if max_lines is not None and len(lines) > max_lines:
                return lines
        lines.append(current)
        if max_lines is not None and len(lines) > max_lines:
            return lines
    return lines


def _with_ellipsis(font: _Font, line: str, max_width: float) -> str:
    """``line`` cut at a word boundary (a character one for a single word) to end in …."""
    line = line.rstrip()
    while line:
        candidate = line.rstrip(" ,;:.-") + _ELLIPSIS
        if _width(font, candidate) <= max_width:
            return candidate
        cut = line.rfind(" ")
        line = line[:cut] if cut > 0 else line[:-1]
    return _ELLIPSIS


def _line_height(size: int) -> int:
    return max(1, round(size * _LINE_SPACING))


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    font: _Font,
    lines: list[str],
    centre_x: float,
    top: float,
    line_height: int,
    fill: tuple[int, ...],
) -> None:
    for index, line in enumerate(lines):
        y = top + index * line_height + line_height / 2
        draw.text((centre_x, y), line, font=font, fill=fill, anchor="mm")


def text_card(
    text: str,
    size: tuple[int, int],
    *,
    background: tuple[int, int, int] = (250, 247, 242),
    color: tuple[int, int, int] = (30, 30, 30),
) -> Image.Image:
    """An RGB image of ``size`` with ``text`` word-wrapped and centred on ``background``.

    The text is set at the largest font size (28 to 96 px at 1080 px wide, scaled with
    the width) at which all of it fits inside 8 % margins; line breaks in ``text`` are
    kept. When it does not fit even at the smallest size, it is cut at a word
    boundary and ends with "…". Characters the built-in font cannot draw lose their
    accents or are left out (emoji; see the module); an empty text gives a plain card.
    """
    width, height = size
    if width < 1 or height < 1:
        raise ValueError(f"size must be positive, not {width}x{height}")
    card = Image.new("RGB", (width, height), tuple(background))
    text = _clean(text)
    if not text.strip():
        return card
    max_w = width * (1 - 2 * _CARD_MARGIN)
    max_h = height * (1 - 2 * _CARD_MARGIN)
    scale = width / 1080
    smallest = max(6, round(_CARD_MIN_PX * scale))
    largest = max(smallest, round(_CARD_MAX_PX * scale))

    def layout(px: int) -> list[str] | None:
        rows = max(1, int(max_h // _line_height(px)))
        lines = _wrap(_font(px), text, max_w, rows)
        return lines if len(lines) <= rows else None

    lo, hi = smallest, largest
    chosen: tuple[int, list[str]] | None = None
    while lo <= hi:  # the largest size that fits (fitting is monotonic enough)
        mid = (lo + hi) // 2
        lines = layout(mid)
        if lines is None:
            hi = mid - 1
        else:
            chosen = (mid, lines)
            lo = mid + 1
    if chosen is None:
        rows = max(1, int(max_h // _line_height(smallest)))
        font = _font(smallest)
        lines = _wrap(font, text, max_w, rows)[:rows]
        lines[-1] = _with_ellipsis(font, lines[-1], max_w)
        chosen = (smallest, lines)
    px, lines = chosen
    line_h = _line_height(px)
    top = (height - line_h * len(lines)) / 2
    draw = ImageDraw.Draw(card)
    _draw_lines(draw, _font(px), lines, width / 2, top, line_h, tuple(color))
    return card


def caption_overlay(image: Image.Image, caption: str, *, safe_margin: int = 150) -> Image.Image:
    """A new RGB copy of ``image`` with ``caption`` in a Snapchat-style bar (see
    :func:`caption_lines`, which also gives the lines drawn)."""
    return caption_lines(image, caption, safe_margin=safe_margin)[0]


def caption_lines(
    image: Image.Image, caption: str, *, safe_margin: int = 150
) -> tuple[Image.Image, list[str]]:
    """A new RGB copy of ``image`` with ``caption`` in a Snapchat-style bar, and the
    lines of the caption drawn in it (none when no bar was drawn).

    The bar spans the full width, semi-transparent black, the caption white and
    centred on one or two lines (cut with "…" beyond). It is centred around two thirds
    of the height and kept inside the safe zone: never in the top or bottom
    ``safe_margin`` px, scaled by ``height / 1920``. Transparency is flattened onto
    black. An empty caption, or an image too small for a bar in its safe zone, gives
    the copy unchanged.
    """
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        out = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
        out.alpha_composite(rgba)
        result = out.convert("RGB")
    else:
        result = image.convert("RGB")
    caption = " ".join(_clean(caption).split())
    width, height = result.size
    if not caption:
        return result, []
    safe = max(0, round(safe_margin * height / 1920))
    room = height - 2 * safe
    scale = min(width / 1080, height / 1920)
    pad_x = round(_CAPTION_PAD_X * scale)
    max_w = width - 2 * pad_x
    if max_w < 1:
        return result, []
    px = max(6, round(_CAPTION_PX * scale))
    smallest = max(6, round(_CAPTION_MIN_PX * scale))
    while True:
        font = _font(px)
        lines = _wrap(font, caption, max_w, _CAPTION_LINES)
        if len(lines) <= _CAPTION_LINES or px <= smallest:
            break
        px -= 1
    line_h = _line_height(px)
    pad_y = round(line_h * 0.4)
    max_lines = min(_CAPTION_LINES, (room - 2 * pad_y) // line_h)
    if max_lines < 1:
        return result, []
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _with_ellipsis(font, lines[-1], max_w)
    bar_h = len(lines) * line_h + 2 * pad_y
    top = round(height * 2 / 3 - bar_h / 2)
    top = max(safe, min(top, height - safe - bar_h))
    band = result.crop((0, top, width, top + bar_h)).convert("RGBA")
    overlay = Image.new("RGBA", band.size, (0, 0, 0, _CAPTION_ALPHA))
    _draw_lines(
        ImageDraw.Draw(overlay), font, lines, width / 2, pad_y, line_h, (255, 255, 255, 255)
    )
    band.alpha_composite(overlay)
    result.paste(band.convert("RGB"), (0, top))
    return result, lines
