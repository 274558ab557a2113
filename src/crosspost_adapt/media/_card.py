"""Generated text images: a text card (a post that needs an image but has none) and
a Snapchat-style caption bar burnt into an image.

Both use Pillow's built-in scalable font (``ImageFont.load_default(size=...)``), so
no font file is needed. That font only covers basic Latin (ASCII and a few signs,
among them the accents ``´ ` ^ ~ °``). A Latin letter with accents it lacks
(``é``, ``ô``, ``ï``, ``ç``, ``ñ``, ``å``, ``č``, ``ő``, ``ą``, ``ø``, ``ł``...) is
drawn as its letter with the accents set on it from those glyphs: a dot for a
diaeresis, a comma for a cedilla or an ogonek, a turned circumflex for a caron, a
slash across ``ø`` and ``ł``. Other characters it lacks are written as a plain
stand-in (``—`` as ``-``, ``œ`` as ``oe``) where they have one, or without the
accents that cannot be drawn, else left out rather than drawn as boxes (emoji,
scripts other than Latin): :func:`card_losses` names them.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Final

from PIL import Image, ImageChops, ImageDraw, ImageFont

__all__ = [
    "caption_lines",
    "caption_overlay",
    "caption_text",
    "card_losses",
    "font_note",
    "text_card",
]

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
}


#: The accents drawn on a letter, by combining mark: the glyph that draws each,
#: where (above or below the letter), how many side by side, whether turned
#: upside down (a caron is a turned circumflex), and at what scale of the glyph.
_ACCENTS: Final = {
    "\u0301": ("\u00b4", "above", 1, False, 1.0),  # acute
    "\u0300": ("`", "above", 1, False, 1.0),  # grave
    "\u0302": ("^", "above", 1, False, 0.6),  # circumflex (the caret is wide and tall)
    "\u0303": ("~", "above", 1, False, 0.8),  # tilde
    "\u0308": (".", "above", 2, False, 1.0),  # diaeresis
    "\u030a": ("\u00b0", "above", 1, False, 0.8),  # ring
    "\u0307": (".", "above", 1, False, 1.0),  # dot
    "\u030b": ("\u00b4", "above", 2, False, 1.0),  # double acute
    "\u030c": ("^", "above", 1, True, 0.6),  # caron
    "\u0327": (",", "below", 1, False, 1.0),  # cedilla
    "\u0328": (",", "ogonek", 1, False, 0.7),  # ogonek: under the letter's right end
    "\u0337": ("/", "across", 1, False, 0.55),  # short solidus: the stroke of ł
    "\u0338": ("/", "across", 1, False, 1.0),  # long solidus: the stroke of ø
}
#: Letters with a stroke, which Unicode does not decompose: as their letter and
#: the solidus that crosses it.
_STROKED: Final = {
    "\u0142": "l\u0337",  # ł
    "\u0141": "L\u0337",  # Ł
    "\u00f8": "o\u0338",  # ø
    "\u00d8": "O\u0338",  # Ø
}


@functools.lru_cache(maxsize=4096)
def _composed(char: str) -> tuple[str, str] | None:
    """``char`` as a letter the font has and the marks of :data:`_ACCENTS` on it
    (``é``: ``("e", "\u0301")``), or None."""
    if len(char) != 1 or _drawable(char):
        return None
    decomposed = _STROKED.get(char) or unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not base.isalpha() or not _drawable(base):
        return None
    if len(marks) > 2 or any(m not in _ACCENTS for m in marks):
        return None
    return base, marks


def _bases(text: str) -> str:
    """``text`` with each letter of :func:`_composed` as its base letter: what the
    font draws, and how wide (accents take no room of their own)."""
    if text.isascii():
        return text
    return "".join(found[0] if (found := _composed(c)) is not None else c for c in text)


@functools.lru_cache(maxsize=4096)
def _drawn_as(char: str) -> str:
    """What stands for ``char`` on the card: itself when the font has it or it is a
    letter whose accents are drawn on it (``é``), else its letter without the accents
    that cannot be drawn, or a stand-in, else nothing."""
    if _drawable(char) or _composed(char) is not None:
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


def card_losses(text: str) -> tuple[str, str]:
    """What a card or caption of ``text`` cannot show as written: the characters left
    out (emoji, other scripts), and those written otherwise (a stand-in, or without
    an accent), each once, in order."""
    left_out: dict[str, None] = {}
    changed: dict[str, None] = {}
    for char in unicodedata.normalize("NFC", text):
        if char.isspace() or char in left_out or char in changed:
            continue
        drawn = _drawn_as(char)
        if not drawn:
            if not unicodedata.category(char).startswith(("M", "C")):  # (joiners, marks)
                left_out[char] = None
        elif drawn != char:
            changed[char] = None
    return "".join(left_out), "".join(changed)


def font_note(text: str) -> tuple[str, str]:
    """What the built-in font cannot show of ``text`` (:func:`card_losses`), as a
    note to end a change's message (``""`` when nothing), and the characters left out."""
    left_out, plain = card_losses(text)
    note = ""
    if plain:
        shown = ", ".join(f"{c} as {_drawn_as(c)}" for c in plain)
        note += f"; written as the built-in font can: {shown}"
    if left_out:
        note += f"; left out, the built-in font has no glyph for them: {' '.join(left_out)}"
    return note, left_out


def caption_text(caption: str) -> str:
    """``caption`` as a caption bar writes it, whole: what the font can draw, on one line."""
    return " ".join(_clean(caption).split())


def _width(font: _Font, text: str) -> float:
    return float(font.getlength(_bases(text)))


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
        bases = _bases(line)
        if bases == line or not isinstance(font, ImageFont.FreeTypeFont):
            draw.text((centre_x, y), bases, font=font, fill=fill, anchor="mm")
        else:
            _draw_accented(draw, font, line, bases, (centre_x, y), fill)


def _draw_accented(
    draw: ImageDraw.ImageDraw,
    font: ImageFont.FreeTypeFont,
    line: str,
    bases: str,
    centre: tuple[float, float],
    fill: tuple[int, ...],
) -> None:
    """``line`` centred on ``centre``, its letters of :func:`_composed` drawn as their
    base letter with the accents set on it: the line is drawn in a coverage mask,
    the dot of an accented ``i`` or ``j`` taken out, the accents added, and the
    mask filled with ``fill``."""
    size = int(font.size)
    ascent, descent = font.getmetrics()
    width = _width(font, line)
    pad = size  # room above and below the line for the accents
    mask = Image.new("L", (max(1, round(width) + 2 * pad), ascent + descent + 2 * pad))
    pen = ImageDraw.Draw(mask)
    left, baseline = pad, pad + ascent
    pen.text((left, baseline), bases, font=font, fill=255, anchor="ls")
    gap = max(1, round(size * 0.06))
    x_height = _ink(font, "x")[0][1]  # negative: above the baseline
    for index, char in enumerate(line):
        found = _composed(char)
        if found is None:
            continue
        base, marks = found
        x0 = left + font.getlength(bases[:index])
        (b_left, b_top, b_right, b_bottom), _ = _ink(font, base)
        middle = x0 + (b_left + b_right) / 2
        if base in "ij":  # the dot gives way to the accent (a dotless i or j)
            pen.rectangle(
                (x0 + b_left, baseline + b_top, x0 + b_right, baseline + x_height - gap), fill=0
            )
            b_top = x_height
        above = b_top - gap  # where the next accent's ink ends, over the letter
        for mark in marks:
            glyph, where, count, turned, scale = _ACCENTS[mark]
            ink = _ink(font, glyph)[1]
            if scale != 1.0:
                small = (max(1, round(ink.width * scale)), max(1, round(ink.height * scale)))
                ink = ink.resize(small, Image.Resampling.LANCZOS)
            if turned:
                ink = ink.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
            g_width, g_height = ink.width, ink.height
            span = g_width * 1.6  # from the first one's middle to the last one's
            if where == "above":  # the ink's bottom a gap over the letter
                y = baseline + above - g_height
            elif where == "across":  # centred on the letter's ink
                y = round(baseline + (b_top + b_bottom - g_height) / 2)
            else:  # below: from the baseline
                y = baseline - 1
            for k in range(count):
                cx = middle + (span * (k / (count - 1) - 0.5) if count > 1 else 0.0)
                if where == "ogonek":  # under the right end, hooked leftwards
                    cx = x0 + b_right - g_width * 0.6
                elif where == "across" and base == "L":  # across the stem
                    cx = x0 + b_left + (b_right - b_left) * 0.3
                x = round(cx - g_width / 2)
                box = (x, y, x + ink.width, y + ink.height)
                mask.paste(ImageChops.lighter(mask.crop(box), ink), box[:2])
            if where == "above":
                above -= g_height + gap
    draw.bitmap(
        (round(centre[0] - width / 2 - pad), round(centre[1] - (ascent + descent) / 2 - pad)),
        mask,
        fill=fill,
    )


@functools.lru_cache(maxsize=256)
def _ink(font: ImageFont.FreeTypeFont, glyph: str) -> tuple[tuple[int, int, int, int], Image.Image]:
    """The box of the ink of ``glyph`` from the left end of its baseline (its top
    negative), and the ink itself (the glyph's own box reaches the baseline)."""
    size = int(font.size)
    canvas = Image.new("L", (3 * size + 8, 3 * size + 8))
    ImageDraw.Draw(canvas).text((size, 2 * size), glyph, font=font, fill=255, anchor="ls")
    box = canvas.getbbox() or (size, 2 * size, size + 1, 2 * size + 1)
    ink = canvas.crop(box)
    return (box[0] - size, box[1] - 2 * size, box[2] - size, box[3] - 2 * size), ink


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
    caption = caption_text(caption)
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
