"""Framing (ratio, size, crop, pad) and generated text images: every image is made in memory."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw

from crosspost_adapt import rules
from crosspost_adapt.media._card import (
    _break_word,
    _font,
    _width,
    caption_overlay,
    card_losses,
    text_card,
)
from crosspost_adapt.media._frame import (
    crop_box,
    frame,
    framed_size,
    output_size,
    ratio_label,
    target_ratio,
)
from crosspost_adapt.rules import MediaRules

BUILT_IN = ("x", "facebook", "instagram", "snapchat", "linkedin", "threads", "bluesky", "mastodon")


def media_rules(name: str) -> MediaRules:
    if name == "instagram-story":
        story = rules("instagram").story_media
        assert story is not None
        return story
    return rules(name).media


ALL_RULES = (*BUILT_IN, "instagram-story")


def noise(size: tuple[int, int], seed: int = 1) -> Image.Image:
    rng = random.Random(seed)
    return Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))


def halves(
    size: tuple[int, int], left: Image.Image | None, right: Image.Image | None
) -> Image.Image:
    """A grey image with ``left`` / ``right`` pasted on its halves."""
    image = Image.new("RGB", size, (128, 128, 128))
    half = size[0] // 2
    if left is not None:
        image.paste(left.resize((half, size[1])), (0, 0))
    if right is not None:
        image.paste(right.resize((size[0] - half, size[1])), (half, 0))
    return image


def stripes(size: tuple[int, int]) -> Image.Image:
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 6):
        draw.rectangle((x, 0, x + 2, size[1]), fill=(0, 0, 0))
    return image


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.mode == b.mode and a.size == b.size and a.tobytes() == b.tobytes()


# -- target_ratio and output_size -------------------------------------------------------

RATIO_TABLE = [
    # platform, size, target ratio (None: no reframing)
    ("instagram", (4000, 3000), None),
    ("instagram", (3000, 4000), 4 / 5),
    ("instagram", (6000, 1000), 1.91),
    ("instagram", (1080, 1350), None),
    ("instagram", (1080, 566), None),  # 1.908: inside 4:5..1.91:1
    ("instagram", (999, 1249), None),  # 0.79984: 4:5 to the pixel
    ("instagram", (1000, 1251), 4 / 5),  # 0.79936: a pixel too tall
    ("instagram-story", (4032, 3024), 9 / 16),
    ("snapchat", (4032, 3024), 9 / 16),
    ("snapchat", (3024, 4032), 9 / 16),
    ("snapchat", (1080, 1920), None),
    ("snapchat", (1081, 1920), 9 / 16),
    ("threads", (5000, 100), 10.0),
    ("threads", (100, 5000), 1 / 10),
    ("threads", (4000, 3000), None),
    *((name, (5000, 100), None) for name in ("x", "facebook", "linkedin", "bluesky", "mastodon")),
    *((name, (100, 5000), None) for name in ("x", "facebook", "linkedin", "bluesky", "mastodon")),
]


@pytest.mark.parametrize(("platform", "size", "expected"), RATIO_TABLE)
def test_target_ratio(platform: str, size: tuple[int, int], expected: float | None) -> None:
    got = target_ratio(*size, media_rules(platform))
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def test_target_ratio_asked_for() -> None:
    instagram = media_rules("instagram")
    # A carousel: the first image's ratio, for an image of another ratio.
    assert target_ratio(4000, 3000, instagram, ratio=0.8) == pytest.approx(0.8)
    # Already that ratio: nothing to do.
    assert target_ratio(1080, 1350, instagram, ratio=0.8) is None
    # Brought into the platform's range.
    assert target_ratio(1000, 1000, instagram, ratio=0.5) == pytest.approx(0.8)
    assert target_ratio(100, 100, media_rules("linkedin"), ratio=2.0) == 2.0
    with pytest.raises(ValueError, match="ratio"):
        target_ratio(100, 100, instagram, ratio=0.0)
    with pytest.raises(ValueError, match="width"):
        target_ratio(0, 100, instagram)


SIZE_TABLE = [
    # platform, framed size, output size
    ("instagram", (4000, 3000), (1080, 810)),  # 1080 wide, Instagram's recommended width
    ("instagram", (3000, 3750), (1080, 1350)),  # a portrait framed to 4:5
    ("instagram", (1910, 1000), (1080, 566)),  # 1.91:1 (565 would be 1.9115: over it)
    ("instagram", (1081, 1351), (1080, 1349)),  # 4:5 (1079x1349 would be 0.79985: under it)
    ("instagram", (999, 1249), (999, 1248)),  # 0.79984 taken as 4:5, brought into the range
    ("instagram", (1000, 1000), (1000, 1000)),  # not upscaled
    ("instagram", (100, 100), (320, 320)),  # up to the 320 px minimum width
    ("instagram", (191, 100), (320, 168)),
    ("instagram-story", (1701, 3024), (1080, 1920)),
    ("snapchat", (1701, 3024), (1080, 1920)),
    ("snapchat", (4032, 7168), (1080, 1920)),  # a padded 4:3
    ("snapchat", (540, 960), (1080, 1920)),  # up to the size Snapchat needs
    ("snapchat", (9, 16), (1080, 1920)),
    ("bluesky", (6000, 4000), (4000, 2667)),
    ("bluesky", (3000, 4000), (3000, 4000)),  # up to 4000 px kept
    ("bluesky", (4000, 4000), (4000, 4000)),
    ("facebook", (4032, 3024), (2048, 1536)),
    ("facebook", (1000, 3000), (683, 2048)),
    ("facebook", (2048, 100), (2048, 100)),
    ("linkedin", (8000, 6000), (6942, 5206)),  # under 36,152,320 pixels
    ("linkedin", (6000, 6000), (6000, 6000)),  # 36,000,000 pixels: under the limit
    ("mastodon", (8000, 6000), (6651, 4988)),
    ("mastodon", (3840, 2160), (3840, 2160)),
    ("threads", (4000, 3000), (1440, 1080)),  # 320..1440 wide
    ("threads", (200, 100), (320, 160)),
    ("threads", (1000, 100), (1000, 100)),
    ("x", (4000, 3000), (1200, 900)),  # inside the recommended 1600x900
    ("x", (3000, 4000), (900, 1200)),  # the box turned for a portrait
    ("x", (1600, 900), (1600, 900)),
    ("x", (800, 600), (800, 600)),
    *((name, (10, 10), (10, 10)) for name in ("x", "facebook", "linkedin", "bluesky", "mastodon")),
]


@pytest.mark.parametrize(("platform", "size", "expected"), SIZE_TABLE)
def test_output_size(platform: str, size: tuple[int, int], expected: tuple[int, int]) -> None:
    m = media_rules(platform)
    got = output_size(*size, m)
    assert got == expected
    assert output_size(*got, m) == got  # idempotent


def test_photo_to_each_platform() -> None:
    """A 4032x3024 phone photo and a 3024x4032 portrait, end to end in sizes."""
    expected = {
        "x": ((1200, 900), (900, 1200)),
        "facebook": ((2048, 1536), (1536, 2048)),
        "instagram": ((1080, 810), (1080, 1350)),
        "snapchat": ((1080, 1920), (1080, 1920)),
        "linkedin": ((4032, 3024), (3024, 4032)),
        "threads": ((1440, 1080), (1440, 1920)),
        "bluesky": ((4000, 3000), (3000, 4000)),
        "mastodon": ((4032, 3024), (3024, 4032)),
        "instagram-story": ((1080, 1920), (1080, 1920)),
    }
    for name, (landscape, portrait) in expected.items():
        m = media_rules(name)
        for size, want in (((4032, 3024), landscape), ((3024, 4032), portrait)):
            framed = framed_size(*size, target_ratio(*size, m))
            assert output_size(*framed, m) == want, (name, size)


# -- crop_box -----------------------------------------------------------------------------


def assert_box(image: Image.Image, box: tuple[int, int, int, int], ratio: float) -> None:
    left, upper, right, lower = box
    assert 0 <= left < right <= image.width
    assert 0 <= upper < lower <= image.height
    w, h = right - left, lower - upper
    # The largest box: one side is the image's, the other the ratio's to the pixel.
    assert w == image.width or h == image.height
    assert abs(w - h * ratio) <= 1 or abs(h - w / ratio) <= 1


@pytest.mark.parametrize("strategy", ["center", "focus", "attention", "entropy", "auto"])
@pytest.mark.parametrize("ratio", [9 / 16, 4 / 5, 1.0, 1.91, 3.0])
def test_crop_box_has_the_ratio_inside_the_image(strategy: str, ratio: float) -> None:
    image = noise((301, 199))
    box = crop_box(image, ratio, strategy=strategy, focus=(0.3, 0.7))  # type: ignore[arg-type]
    assert_box(image, box, ratio)


def test_crop_box_center_and_focus() -> None:
    image = Image.new("RGB", (400, 300))
    assert crop_box(image, 1.0) == (50, 0, 350, 300)
    assert crop_box(image, 4 / 3) == (0, 0, 400, 300)  # already the ratio
    assert crop_box(image, 1.0, strategy="focus", focus=(0.25, 0.5)) == (0, 0, 300, 300)
    assert crop_box(image, 1.0, strategy="focus", focus=(0.6, 0.5)) == (90, 0, 390, 300)
    # Near an edge: clamped inside.
    assert crop_box(image, 1.0, strategy="focus", focus=(1.0, 1.0)) == (100, 0, 400, 300)
    assert crop_box(image, 1.0, strategy="focus", focus=(0.0, 0.0)) == (0, 0, 300, 300)
    assert crop_box(image, 2.0, strategy="focus", focus=(0.5, 0.0)) == (0, 0, 400, 200)
    assert crop_box(image, 2.0, strategy="focus", focus=(0.5, 1.0)) == (0, 100, 400, 300)
    # "auto" is the focus point when there is one, else the centre; "focus" without one too.
    assert crop_box(image, 1.0, strategy="auto", focus=(0.0, 0.5)) == (0, 0, 300, 300)
    assert crop_box(image, 1.0, strategy="auto") == (50, 0, 350, 300)
    assert crop_box(image, 1.0, strategy="focus") == (50, 0, 350, 300)
    with pytest.raises(ValueError, match="pad"):
        crop_box(image, 1.0, strategy="pad")


DETAIL = {
    "noise": lambda size: noise(size),
    "saturated": lambda size: Image.new("RGB", size, (220, 30, 40)),
    "skin": lambda size: Image.new("RGB", size, (224, 172, 140)),
    "edges": stripes,
}


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize(
    ("strategy", "kind"),
    [
        ("entropy", "noise"),
        ("entropy", "edges"),
        ("attention", "noise"),
        ("attention", "saturated"),
        ("attention", "skin"),
        ("attention", "edges"),
    ],
)
def test_content_aware_crop_finds_the_interesting_half(strategy: str, kind: str, side: str) -> None:
    part = DETAIL[kind]((300, 300))
    image = halves((600, 300), part if side == "left" else None, part if side == "right" else None)
    box = crop_box(image, 1.0, strategy=strategy)  # type: ignore[arg-type]
    assert_box(image, box, 1.0)
    if side == "left":
        assert box[0] <= 30, box
    else:
        assert box[0] >= 270, box


def test_content_aware_crop_vertical_and_big() -> None:
    image = Image.new("RGB", (3000, 4000), (128, 128, 128))
    image.paste(noise((3000, 1000)), (0, 3000))
    for strategy in ("entropy", "attention"):
        box = crop_box(image, 1.0, strategy=strategy)
        assert box[2] - box[0] == 3000
        assert box[3] == 4000, (strategy, box)


@pytest.mark.parametrize("strategy", ["entropy", "attention"])
def test_content_aware_crop_of_a_flat_image_is_centred(strategy: str) -> None:
    image = Image.new("RGB", (600, 300), (40, 90, 200))
    assert crop_box(image, 1.0, strategy=strategy) == (150, 0, 450, 300)  # type: ignore[arg-type]


def test_content_aware_crop_in_other_modes() -> None:
    for mode in ("L", "RGBA", "P", "LA", "I;16"):
        image = halves((200, 100), None, noise((100, 100))).convert(mode)
        for strategy in ("entropy", "attention"):
            box = crop_box(image, 1.0, strategy=strategy)
            assert_box(image, box, 1.0)


# -- frame ----------------------------------------------------------------------------------


def test_auto_pads_a_landscape_to_nine_sixteen() -> None:
    image = noise((400, 300))
    framed, note = frame(image, 9 / 16)
    assert framed.size == (400, 711)
    assert abs(framed.width - framed.height * 9 / 16) <= 1
    top = (711 - 300) // 2
    assert same(framed.crop((0, top, 400, top + 300)), image)  # the image, unscaled, centred
    assert note == "padded 400x300 to 400x711 (9:16) onto a blurred copy of the image"
    # The padding is a blurred, darkened copy: not black, not the image.
    band = framed.crop((0, 0, 400, top))
    assert max(band.convert("L").tobytes()) > 10
    assert target_ratio(*framed.size, media_rules("snapchat")) is None


def test_auto_crops_a_portrait_to_four_five() -> None:
    image = noise((300, 400))
    framed, note = frame(image, 0.8)
    assert framed.size == (300, 375)
    assert same(framed, image.crop((0, 12, 300, 387)))
    assert note == "cropped 300x400 to 300x375 around the centre to 4:5"
    framed, note = frame(image, 0.8, focus=(0.5, 0.0))
    assert same(framed, image.crop((0, 0, 300, 375)))
    assert note == "cropped 300x400 to 300x375 around the focus point to 4:5"


def test_pad_threshold_and_strategies() -> None:
    image = noise((400, 300))
    # Cropping 4:3 to 1:1 cuts a quarter: cropped under the default threshold...
    assert frame(image, 1.0)[0].size == (300, 300)
    # ... padded under a lower one, or when asked.
    assert frame(image, 1.0, pad_threshold=0.2)[0].size == (400, 400)
    assert frame(image, 1.0, strategy="pad")[0].size == (400, 400)
    # Explicit crop strategies always crop.
    for strategy in ("center", "focus", "attention", "entropy"):
        framed, note = frame(image, 9 / 16, strategy=strategy)
        assert framed.size == (169, 300)
        assert note is not None and note.startswith("cropped 400x300 to 169x300 around the ")
    with pytest.raises(ValueError, match="strategy"):
        frame(image, 1.0, strategy="fill")  # type: ignore[arg-type]


def test_pad_with_a_solid_colour() -> None:
    image = Image.new("RGB", (300, 100), (0, 255, 0))
    framed, note = frame(image, 1.0, strategy="pad", pad_color=(255, 0, 0))
    assert framed.size == (300, 300)
    assert framed.getpixel((0, 0)) == (255, 0, 0)
    assert framed.getpixel((150, 150)) == (0, 255, 0)
    assert framed.getpixel((299, 299)) == (255, 0, 0)
    assert note == "padded 300x100 to 300x300 (1:1) onto rgb(255, 0, 0)"


def test_nothing_to_do() -> None:
    image = noise((100, 80))
    assert frame(image, None) == (image, None)
    assert frame(image, 1.25)[0] is image  # already 5:4
    assert frame(image, 1.25)[1] is None
    resized, note = frame(image, None, size=(50, 40))
    assert resized.size == (50, 40) and note is None


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "LA"])
@pytest.mark.parametrize("size", [None, (90, 160)])
@pytest.mark.parametrize("strategy", ["auto", "center", "entropy", "pad"])
def test_modes_are_kept(mode: str, size: tuple[int, int] | None, strategy: str) -> None:
    image = noise((400, 300)).convert(mode)
    framed, note = frame(image, 9 / 16, strategy=strategy, size=size)  # type: ignore[arg-type]
    assert framed.mode == mode
    assert note is not None
    if size is not None:
        assert framed.size == size
    if mode in ("RGBA", "LA") and strategy in ("auto", "pad"):
        assert framed.getchannel("A").getextrema() == (255, 255)  # padding is opaque


def test_transparent_content_stays_transparent_when_padded() -> None:
    image = Image.new("RGBA", (200, 100), (10, 20, 30, 0))
    framed, _ = frame(image, 1.0, strategy="pad")
    assert framed.getpixel((100, 100)) == (10, 20, 30, 0)
    assert framed.getpixel((100, 10))[3] == 255  # type: ignore[index]


def test_other_modes() -> None:
    image = noise((400, 300)).convert("P")
    assert frame(image, 1.0)[0].mode == "P"  # a crop keeps any mode
    assert frame(image, 9 / 16)[0].mode == "RGB"  # a pad converts
    cmyk = noise((400, 300)).convert("CMYK")
    assert frame(cmyk, 9 / 16, size=(90, 160))[0].size == (90, 160)


@pytest.mark.parametrize(
    ("platform", "framed", "ratio", "expected"),
    [
        ("instagram", (2026, 2532), 0.8, (1080, 1350)),
        ("instagram", (2401, 3001), 0.8, (1080, 1350)),
        ("facebook", (2401, 3001), 0.8, (1638, 2048)),
        ("threads", (2401, 3001), 0.8, (1440, 1800)),
        ("snapchat", (1081, 1921), 9 / 16, (1080, 1920)),
        ("instagram", (800, 1001), 0.8, (800, 1000)),  # small: into the range, not upscaled
    ],
)
def test_output_size_keeps_the_ratio_framed_to(
    platform: str, framed: tuple[int, int], ratio: float, expected: tuple[int, int]
) -> None:
    assert output_size(*framed, media_rules(platform), ratio=ratio) == expected


def test_frame_directly_at_the_output_size() -> None:
    image = noise((4032, 3024))
    snapchat = media_rules("snapchat")
    ratio = target_ratio(*image.size, snapchat)
    assert ratio is not None
    size = output_size(*framed_size(*image.size, ratio), snapchat)
    assert size == (1080, 1920)
    framed, note = frame(image, ratio, size=size)
    assert framed.size == (1080, 1920)
    assert note == (
        "padded 4032x3024 (scaled to 1080x810) to 1080x1920 (9:16) onto a blurred copy of the image"
    )
    # The content is one resample of the image; the same as resizing it directly.
    content = framed.crop((0, 555, 1080, 1365))
    direct = image.resize((1080, 810), Image.Resampling.LANCZOS, reducing_gap=3.0)
    assert same(content, direct)
    # Cropping at a size: one resize of the box.
    framed, note = frame(image, ratio, strategy="center", size=size)
    assert framed.size == (1080, 1920)
    assert note == "cropped 4032x3024 to 1701x3024 around the centre to 9:16, resized to 1080x1920"
    with pytest.raises(ValueError, match="ratio"):
        frame(image, ratio, size=(1080, 1350))
    with pytest.raises(ValueError, match="ratio"):
        frame(image, None, size=(1080, 1920))


def test_framed_size_matches_frame() -> None:
    image = noise((400, 300))
    for ratio in (9 / 16, 0.8, 1.0, 1.91, 4 / 3):
        for strategy in ("auto", "pad", "center"):
            framed, _ = frame(image, ratio, strategy=strategy)
            assert framed.size == framed_size(400, 300, ratio, strategy=strategy)


@pytest.mark.parametrize(
    ("ratio", "label"),
    [
        (0.8, "4:5"),
        (9 / 16, "9:16"),
        (1.91, "1.91:1"),
        (1.0, "1:1"),
        (16 / 9, "16:9"),
        (2.35, "2.35"),
    ],
)
def test_ratio_label(ratio: float, label: str) -> None:
    assert ratio_label(ratio) == label


# -- text_card --------------------------------------------------------------------------------

BACKGROUND = (250, 247, 242)


def ink_box(
    image: Image.Image, background: tuple[int, int, int]
) -> tuple[int, int, int, int] | None:
    plain = Image.new("RGB", image.size, background)
    return ImageChops.difference(image, plain).getbbox()


def assert_inside_margins(card: Image.Image) -> tuple[int, int, int, int]:
    box = ink_box(card, BACKGROUND)
    assert box is not None, "no text drawn"
    mx, my = card.width * 0.08, card.height * 0.08
    assert box[0] >= mx - 4 and box[2] <= card.width - mx + 4, box
    assert box[1] >= my - 4 and box[3] <= card.height - my + 4, box
    return box


@pytest.mark.parametrize("word", ["a" * 500, "@a" * 300, "W" * 77, "x", "éèê" * 60])
def test_a_long_word_breaks_where_one_character_more_would_not_fit(word: str) -> None:
    font, room = _font(40), 300.0
    pieces = _break_word(font, word, room)
    assert "".join(pieces) == word
    for piece, after in itertools.pairwise(pieces):
        # as the card measures (an accented letter as wide as its letter)
        assert _width(font, piece) <= room < _width(font, piece + after[0])
    # A card holds so many lines: the word is not measured much further.
    assert len(_break_word(font, word * 20, room, most=3)) <= 4


@pytest.mark.parametrize("size", [(1080, 1350), (1080, 1920), (400, 300)])
def test_text_card(size: tuple[int, int]) -> None:
    card = text_card("Our autumn menu is here: pumpkin soup, apple pie and cider.", size)
    assert card.size == size and card.mode == "RGB"
    assert card.getpixel((0, 0)) == BACKGROUND
    assert_inside_margins(card)


def test_short_text_is_set_larger_than_long_text() -> None:
    short = assert_inside_margins(text_card("Hello", (1080, 1350)))
    assert short[3] - short[1] > 60  # near the 96 px size: "H" alone is ~70 px tall
    # Two words on a 400 px wide card: the font is scaled with the width.
    small = assert_inside_margins(text_card("Hello", (400, 500)))
    assert small[3] - small[1] < short[3] - short[1]
    # A long text fills the width, on many lines of a smaller font.
    long = assert_inside_margins(text_card("Hello " + "there " * 120, (1080, 1350)))
    assert long[2] - long[0] > 700


def test_long_text_fits_or_is_cut() -> None:
    rng = random.Random(3)
    words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"]
    text = " ".join(rng.choice(words) for _ in range(400))[:2000]
    card = text_card(text, (1080, 1350))
    assert card.size == (1080, 1350)
    assert_inside_margins(card)
    # One unbreakable word, far too long for a line.
    assert_inside_margins(text_card("x" * 3000, (1080, 1350)))
    assert_inside_margins(text_card("line\n" * 200, (1080, 1920)))


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "😀😀😀", "\u200d\ufe0f"])
def test_empty_text_gives_a_plain_card(text: str) -> None:
    card = text_card(text, (1080, 1350))
    assert card.size == (1080, 1350)
    assert ink_box(card, BACKGROUND) is None


def test_emoji_and_accents_do_not_crash() -> None:
    card = text_card("Café 🎃 pumpkin spice 👩‍👩‍👧‍👦 — 10 € «Straße» 中文", (1080, 1350))
    assert_inside_margins(card)
    card = text_card("ok", (1080, 1350), background=(0, 0, 0), color=(255, 255, 255))
    assert card.getpixel((0, 0)) == (0, 0, 0)
    assert ink_box(card, (0, 0, 0)) is not None


@pytest.mark.parametrize(
    ("text", "left_out", "plain"),
    [
        ("Café naïve rôtie façon niño Åsa čaj Győr île", "", ""),  # accents drawn
        ("Café 🎃 œuvre — 中文 naïve", "🎃中文", "œ—"),
        ("ę ą ł Ø", "", ""),  # an ogonek, a stroke: drawn too
        ("ħ đ", "ħđ", ""),  # other strokes cannot be: left out
        ("👩\u200d👩\u200d👧 ok", "👩👧", ""),
        ("plain ASCII", "", ""),
    ],
)
def test_card_losses_name_what_a_card_cannot_show(text: str, left_out: str, plain: str) -> None:
    assert card_losses(text) == (left_out, plain)


@pytest.mark.parametrize(
    ("plain", "accented", "where"),
    [("e", "é", "above"), ("o", "ô", "above"), ("i", "ï", "dot"), ("c", "ç", "below")],
)
def test_accents_are_drawn_on_their_letter(plain: str, accented: str, where: str) -> None:
    """The accented letter is its letter plus ink above it (or below, a cedilla),
    centred on it; on an ``i`` the accent takes the place of the dot."""
    bare_card, marked_card = text_card(plain * 3, (600, 400)), text_card(accented * 3, (600, 400))
    assert bare_card.tobytes() != marked_card.tobytes()
    bare, marked = ink_box(bare_card, BACKGROUND), ink_box(marked_card, BACKGROUND)
    assert bare is not None and marked is not None
    assert abs(bare[0] - marked[0]) <= 12 and abs(bare[2] - marked[2]) <= 12
    if where == "above":
        assert marked[1] < bare[1] - 4 and abs(marked[3] - bare[3]) <= 2
    elif where == "dot":
        assert marked[1] <= bare[1] and abs(marked[3] - bare[3]) <= 2
    else:
        assert marked[3] > bare[3] + 4 and abs(marked[1] - bare[1]) <= 2


# -- caption_overlay --------------------------------------------------------------------------


def gradient(size: tuple[int, int]) -> Image.Image:
    column = Image.linear_gradient("L").resize((1, size[1]))
    grey = column.resize(size)
    return Image.merge("RGB", (grey, grey.transpose(Image.Transpose.FLIP_TOP_BOTTOM), grey))


@pytest.mark.parametrize(
    "caption",
    ["Autumn menu 🎃", "A caption that is long enough to need two lines at this size " * 6],
)
def test_caption_bar_is_inside_the_safe_zone(caption: str) -> None:
    image = gradient((1080, 1920))
    out = caption_overlay(image, caption)
    assert out.size == image.size and out.mode == "RGB"
    assert same(out.crop((0, 0, 1080, 150)), image.crop((0, 0, 1080, 150)))
    assert same(out.crop((0, 1770, 1080, 1920)), image.crop((0, 1770, 1080, 1920)))
    changed = ImageChops.difference(out, image).getbbox()
    assert changed is not None
    assert changed[0] == 0 and changed[2] == 1080  # full width
    assert changed[1] >= 150 and changed[3] <= 1770
    assert abs((changed[1] + changed[3]) / 2 - 1280) < 80  # around two thirds
    assert changed[3] - changed[1] < 200  # one or two lines


def test_caption_scaled_safe_zone_and_odd_inputs() -> None:
    image = gradient((540, 960))
    out = caption_overlay(image, "Hello there", safe_margin=150)
    changed = ImageChops.difference(out, image).getbbox()
    assert changed is not None and changed[1] >= 75 and changed[3] <= 960 - 75
    # A tall safe margin pushes the bar up out of the bottom band.
    out = caption_overlay(image, "Hello there", safe_margin=900)
    changed = ImageChops.difference(out, image).getbbox()
    assert changed is not None and changed[1] >= 450 and changed[3] <= 960 - 450
    assert same(caption_overlay(image, ""), image)
    assert same(caption_overlay(image, "🎃"), image)
    tiny = gradient((60, 20))
    assert caption_overlay(tiny, "Hello").size == (60, 20)
    rgba = Image.new("RGBA", (108, 192), (255, 0, 0, 0))
    out = caption_overlay(rgba, "Hi")
    assert out.mode == "RGB" and out.getpixel((0, 0)) == (0, 0, 0)


# -- properties -------------------------------------------------------------------------------


def ratio_ok(w: int, h: int, lo: float | None, hi: float | None) -> bool:
    """``w x h`` is within [lo, hi] allowing a pixel of rounding on either side."""
    if lo is not None and (w + 1) / max(h - 1, 0.5) < lo:
        return False
    return hi is None or (w - 1) / (h + 1) <= hi


@settings(max_examples=400, deadline=None)
@given(
    width=st.integers(1, 5000),
    height=st.integers(1, 5000),
    platform=st.sampled_from(ALL_RULES),
    strategy=st.sampled_from(["auto", "center", "pad"]),
)
def test_sizes_within_rules(width: int, height: int, platform: str, strategy: str) -> None:
    m = media_rules(platform)
    ratio = target_ratio(width, height, m)
    framed = framed_size(width, height, ratio, strategy=strategy)  # type: ignore[arg-type]
    if ratio is None:
        assert framed == (width, height)
    assert target_ratio(*framed, m) is None  # framing is final
    assert ratio_ok(*framed, m.min_aspect, m.max_aspect)
    w, h = output_size(*framed, m)
    assert w >= 1 and h >= 1
    assert ratio_ok(w, h, m.min_aspect, m.max_aspect)
    fixed = m.min_aspect is not None and m.min_aspect == m.max_aspect
    if not fixed:  # a range is kept to the pixel: a strict check of it passes
        assert m.min_aspect is None or w / h >= m.min_aspect - 1e-9
        assert m.max_aspect is None or w / h <= m.max_aspect + 1e-9
    assert m.max_width is None or w <= m.max_width
    assert m.max_height is None or h <= m.max_height
    assert m.max_side is None or max(w, h) <= m.max_side
    assert m.max_pixels is None or w * h <= m.max_pixels
    assert m.min_width is None or w >= m.min_width
    if m.recommended_size is not None and m.min_aspect is not None:
        assert w <= m.recommended_size[0] and h <= m.recommended_size[1]
    if not fixed and (m.min_width is None or framed[0] >= m.min_width):
        assert w <= framed[0] and h <= framed[1]  # never upscaled
    if (w, h) != framed:
        # The framed ratio is kept, to a pixel at the smaller of the two scales.
        scale = min(w / framed[0], h / framed[1], 1.0)
        assert abs(w / h - framed[0] / framed[1]) <= (
            (1 / min(w, h) + 1 / (scale * min(framed))) * (w / h) * 1.5
        )
    assert output_size(w, h, m) == (w, h)


@settings(max_examples=60, deadline=None)
@given(
    width=st.integers(1, 300),
    height=st.integers(1, 300),
    platform=st.sampled_from(ALL_RULES),
    strategy=st.sampled_from(["auto", "center", "focus", "attention", "entropy", "pad"]),
    mode=st.sampled_from(["RGB", "RGBA", "L"]),
)
def test_frame_gives_an_allowed_ratio(
    width: int, height: int, platform: str, strategy: str, mode: str
) -> None:
    m = media_rules(platform)
    image = Image.new(mode, (width, height))
    ratio = target_ratio(width, height, m)
    framed, note = frame(image, ratio, strategy=strategy, focus=(0.2, 0.9))  # type: ignore[arg-type]
    assert framed.mode == mode
    assert (note is None) == (ratio is None)
    expected_strategy = strategy if strategy in ("auto", "pad") else "center"
    assert framed.size == framed_size(width, height, ratio, strategy=expected_strategy)  # type: ignore[arg-type]
    assert target_ratio(*framed.size, m) is None
    assert ratio_ok(*framed.size, m.min_aspect, m.max_aspect)
    size = output_size(*framed.size, m)
    if ratio is not None and max(size) <= 2000:
        at_size, _ = frame(image, ratio, strategy=strategy, size=size)  # type: ignore[arg-type]
        assert at_size.size == size
