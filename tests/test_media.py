"""Images through ``adapt``: every platform's output satisfies its rules, nothing
is altered without a change, no metadata leaks, bad files give ``MediaError``.

All images are generated in memory.
"""

from __future__ import annotations

import io
import struct

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pictures import noise
from PIL import Image, ImageDraw

from crosspost_adapt import (
    CrosspostError,
    Media,
    MediaError,
    Post,
    RenderedMedia,
    adapt,
    adapt_all,
    platforms,
    rules,
)
from crosspost_adapt.media._encode import encode_animation


def photo(
    width: int, height: int, fmt: str = "JPEG", *, mode: str = "RGB", **save: object
) -> bytes:
    """A small photographic-looking image: gradients, shapes, noise."""
    base = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40)
    image = Image.merge("RGB", (base, noise, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, width // 2, height // 2), fill=(200, 40, 40))
    if mode != "RGB":
        image = image.convert(mode)
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def post_with(*media: Media, text: str = "Autumn menu: roasted squash and chai.") -> Post:
    return Post(text=text, hashtags=["autumn"], media=list(media))


def ratio_ok(r: RenderedMedia, platform: str) -> bool:
    m = rules(platform).media
    ratio = r.width / r.height
    # A fixed ratio (9:16) is met to a pixel of rounding; a range strictly.
    fixed = m.min_aspect is not None and m.min_aspect == m.max_aspect
    slack = 1.5 / min(r.width, r.height) if fixed else 1e-9
    if m.min_aspect is not None and ratio < m.min_aspect - slack:
        return False
    return not (m.max_aspect is not None and ratio > m.max_aspect + slack)


def satisfies(r: RenderedMedia, platform: str) -> list[str]:
    """What ``r`` breaks of ``platform``'s media rules (empty when it is accepted)."""
    m = rules(platform).media
    wrong = []
    if r.format not in m.formats:
        wrong.append(f"format {r.format}")
    budget = m.max_bytes_animated if r.frames > 1 and m.max_bytes_animated else m.max_bytes
    if len(r.data) > budget:
        wrong.append(f"{len(r.data)} bytes")
    if m.max_side is not None and max(r.width, r.height) > m.max_side:
        wrong.append("side")
    if m.max_width is not None and r.width > m.max_width:
        wrong.append("width")
    if m.min_width is not None and r.width < m.min_width:
        wrong.append("min width")
    if m.max_pixels is not None and r.width * r.height > m.max_pixels:
        wrong.append("pixels")
    if not ratio_ok(r, platform):
        wrong.append(f"ratio {r.width}x{r.height}")
    if m.alt_max is not None and r.alt is not None and len(r.alt) > m.alt_max:
        wrong.append("alt")
    with Image.open(io.BytesIO(r.data)) as decoded:
        if decoded.size != (r.width, r.height) or decoded.format != r.format:
            wrong.append("decoded size or format")
        if decoded.getexif() or {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & set(decoded.info):
            wrong.append("metadata")
    return wrong


@pytest.mark.parametrize("platform", platforms())
def test_a_landscape_photo_on_every_platform(platform: str) -> None:
    draft = adapt(post_with(Media.from_bytes(photo(1600, 1200), alt="Squash soup")), platform)
    assert len(draft.media) == 1
    r = draft.media[0]
    assert satisfies(r, platform) == []
    assert r.alt == "Squash soup"
    assert r.source is not None


def test_snapchat_pads_a_landscape_photo_to_9_16() -> None:
    draft = adapt(post_with(Media.from_bytes(photo(1200, 900))), "snapchat")
    r = draft.media[0]
    assert (r.width, r.height) == (1080, 1920)
    assert draft.changes_of("media-padded")


def test_instagram_crops_a_tall_portrait_to_4_5() -> None:
    draft = adapt(post_with(Media.from_bytes(photo(900, 1600))), "instagram")
    r = draft.media[0]
    assert abs(r.width / r.height - 0.8) < 0.01
    assert draft.changes_of("media-cropped") or draft.changes_of("media-padded")


def test_instagram_carousel_shares_the_first_ratio_and_count_is_capped() -> None:
    images = [Media.from_bytes(photo(900 + 50 * i, 1100)) for i in range(12)]
    draft = adapt(post_with(*images), "instagram")
    assert len(draft.media) == 10
    dropped = draft.changes_of("media-dropped")
    assert len(dropped) == 2
    first = draft.media[0].width / draft.media[0].height
    for r in draft.media:
        assert abs(r.width / r.height - first) < 0.01


@pytest.mark.parametrize(
    ("platform", "size", "expected"),
    [
        # framed to 2026x2532 and 2401x3001: a hair off 4:5 in whole pixels
        ("instagram", (1170, 2532), (1080, 1350)),
        ("instagram", (1000, 3001), (1080, 1350)),
    ],
)
def test_a_carousel_item_framed_to_the_first_ratio_has_the_first_size(
    platform: str, size: tuple[int, int], expected: tuple[int, int]
) -> None:
    first = Media.from_bytes(photo(1200, 1500))  # 4:5
    draft = adapt(post_with(first, Media.from_bytes(photo(*size))), platform)
    assert [(r.width, r.height) for r in draft.media] == [expected, expected]


def test_a_card_reports_what_the_font_cannot_draw() -> None:
    d = adapt(Post(text="Notre menu d'automne est arrivé 🎃 œuvre"), "instagram")
    (made,) = d.changes_of("media-generated")
    assert made.dropped == "🎃"
    assert "🎃" in made.message and "œ as oe" in made.message
    assert "é" not in made.message  # drawn, with its accent
    plain = adapt(Post(text="Our autumn menu"), "instagram").changes_of("media-generated")
    assert plain[0].dropped is None and "font" not in plain[0].message


def test_text_only_post_gets_a_card_where_an_image_is_needed() -> None:
    post = Post(text="Our autumn menu is here: roasted squash, chai and apple crumble.")
    drafts = adapt_all(post)
    for platform, draft in drafts.items():
        if rules(platform).media.min_count:
            assert len(draft.media) == 1, platform
            assert draft.changes_of("media-generated")
            assert satisfies(draft.media[0], platform) == []
        else:
            assert draft.media == ()
    assert adapt(post, "instagram", cards=False).media == ()


def test_alt_text_is_cut_at_a_word_and_reported() -> None:
    alt = "A bowl of roasted squash soup " * 60
    draft = adapt(post_with(Media.from_bytes(photo(800, 800), alt=alt)), "x")
    r = draft.media[0]
    assert r.alt is not None and len(r.alt) <= 1_000
    (change,) = draft.changes_of("alt-shortened")
    assert change.dropped and alt.startswith(r.alt.rstrip("\u2026"))


def test_gps_never_leaks() -> None:
    image = Image.open(io.BytesIO(photo(640, 480)))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"secret place")
    for platform in platforms():
        draft = adapt(post_with(Media.from_bytes(out.getvalue())), platform)
        data = draft.media[0].data
        assert b"secret place" not in data
        with Image.open(io.BytesIO(data)) as decoded:
            assert not decoded.getexif()
            assert "exif" not in decoded.info


def test_orientation_is_applied() -> None:
    image = Image.open(io.BytesIO(photo(640, 480)))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: shown 480 wide, 640 high
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    draft = adapt(post_with(Media.from_bytes(out.getvalue())), "bluesky")
    r = draft.media[0]
    assert (r.width, r.height) == (480, 640)


@pytest.mark.parametrize(
    "data",
    [
        b"hello, this is not an image",
        photo(400, 300)[:200],
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        b"%PDF-1.4\n",
    ],
    ids=["text", "truncated", "broken-png", "pdf"],
)
def test_bad_files_give_media_error(data: bytes) -> None:
    with pytest.raises(MediaError) as caught:
        adapt(post_with(Media.from_bytes(data)), "x")
    assert "bytes>" in str(caught.value)
    assert isinstance(caught.value, CrosspostError)


def test_missing_file_gives_media_error(tmp_path: object) -> None:
    from pathlib import Path

    missing = Path(str(tmp_path)) / "nope.jpg"
    with pytest.raises(MediaError, match=r"nope\.jpg"):
        adapt(post_with(Media.from_path(missing)), "x")


def test_rendered_media_saves_and_describes_itself(tmp_path: object) -> None:
    from pathlib import Path

    draft = adapt(post_with(Media.from_bytes(photo(800, 600))), "facebook")
    r = draft.media[0]
    target = r.save(Path(str(tmp_path)) / f"1{r.extension}")
    assert target.read_bytes() == r.data
    described = draft.to_dict()["media"][0]
    assert described["bytes"] == len(r.data)
    assert described["format"] == r.format


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    width=st.integers(16, 2400),
    height=st.integers(16, 2400),
    fmt=st.sampled_from(["JPEG", "PNG"]),
    platform=st.sampled_from(platforms()),
)
def test_every_output_satisfies_its_platform(
    width: int, height: int, fmt: str, platform: str
) -> None:
    draft = adapt(post_with(Media.from_bytes(photo(width, height, fmt))), platform)
    for r in draft.media:
        assert satisfies(r, platform) == []


def animated_gif(frames: int = 5, size: tuple[int, int] = (200, 150)) -> bytes:
    images = [
        Image.new("RGB", size, (40 * i % 255, 120, 200 - 30 * i)).convert("P")
        for i in range(frames)
    ]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=80, loop=0)
    return out.getvalue()


def test_an_animation_stays_where_the_platform_takes_it() -> None:
    gif = Media.from_bytes(animated_gif())
    x = adapt(post_with(gif), "x").media[0]
    assert (x.format, x.frames) == ("GIF", 5)
    assert satisfies(x, "x") == []
    instagram = adapt(post_with(gif), "instagram")
    assert instagram.media[0].frames == 1 and instagram.media[0].format == "JPEG"
    assert instagram.changes_of("animation-flattened")


def test_a_png_photo_too_heavy_for_its_pixels_becomes_a_jpeg() -> None:
    noisy = Image.effect_noise((1600, 1200), 60).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "PNG")
    assert len(out.getvalue()) > rules("bluesky").media.max_bytes
    r = adapt(post_with(Media.from_bytes(out.getvalue())), "bluesky").media[0]
    assert r.format == "JPEG" and (r.width, r.height) == (1600, 1200)


def test_a_png_graphic_stays_a_png() -> None:
    flat = Image.new("RGB", (800, 600), (250, 250, 250))
    ImageDraw.Draw(flat).rectangle((100, 100, 400, 300), fill=(20, 90, 200))
    out = io.BytesIO()
    flat.save(out, "PNG")
    r = adapt(post_with(Media.from_bytes(out.getvalue())), "bluesky").media[0]
    assert r.format == "PNG" and r.quality is None


def test_the_crop_option_names_the_framing_strategies() -> None:
    import typing

    from crosspost_adapt.adapters.steps import Crop
    from crosspost_adapt.media._frame import Strategy

    assert typing.get_args(Crop) == typing.get_args(Strategy)


@pytest.mark.parametrize("platform", ["instagram", "bluesky"])
def test_a_display_p3_photo_comes_out_in_srgb(platform: str) -> None:
    """Converted after the resize where the output is smaller (Instagram), before
    it otherwise (Bluesky keeps the size): the same colours either way."""
    from test_media_open import P3_ICC

    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 60, 60)).save(out, "JPEG", quality=95, icc_profile=P3_ICC)
    draft = adapt(post_with(Media.from_bytes(out.getvalue())), platform)
    r = draft.media[0]
    with Image.open(io.BytesIO(r.data)) as decoded:
        assert "icc_profile" not in decoded.info
        red, green, _ = decoded.convert("RGB").getpixel((r.width // 2, r.height // 2))
    assert red > 215 and green < 55  # more saturated in sRGB than the same numbers in P3
    converted = [c.message for c in draft.changes_of("media-converted")]
    assert any("Display P3" in m for m in converted)


@pytest.mark.parametrize(
    "options",
    [
        {"crop": "smart"},
        {"background": (255, 255)},
        {"background": "white"},
        {"pad_color": (0, 0, 300)},
        {"max_pixels": 0},
    ],
    ids=["crop", "background-size", "background-name", "pad-range", "pixels"],
)
def test_bad_media_options_are_clear_errors(options: dict[str, object]) -> None:
    name = next(iter(options))
    with pytest.raises(ValueError, match=name):
        adapt(post_with(Media.from_bytes(photo(64, 64))), "x", **options)


def test_a_huge_animation_is_reduced_to_its_first_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    from crosspost_adapt.media import _render

    monkeypatch.setattr(_render, "_MAX_ANIMATION_PIXELS", 5 * 300 * 200)
    draft = adapt(post_with(Media.from_bytes(animated_gif(frames=6, size=(300, 200)))), "x")
    assert draft.media[0].frames == 1
    assert draft.changes_of("animation-flattened")


# -- review cases --------------------------------------------------------------------


def _animation(colours: list[tuple[int, int, int]], fmt: str, duration: int = 100) -> bytes:
    frames = [Image.new("RGB", (60, 60), c) for c in colours]
    out = io.BytesIO()
    params: dict[str, object] = {"lossless": True} if fmt == "WEBP" else {}
    frames[0].save(
        out, fmt, save_all=True, append_images=frames[1:], duration=duration, loop=0, **params
    )
    return out.getvalue()


def _frames(data: bytes) -> list[tuple[tuple[int, ...], int]]:
    """The colour of each frame's centre and its duration."""
    image = Image.open(io.BytesIO(data))
    out = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        colour = image.convert("RGB").getpixel((30, 30))
        assert isinstance(colour, tuple)
        out.append((colour, int(image.info.get("duration", 0))))
    return out


COLOURS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)]


@pytest.mark.parametrize(
    ("fmt", "platform"), [("GIF", "x"), ("GIF", "mastodon"), ("WEBP", "x"), ("WEBP", "bluesky")]
)
def test_an_animation_kept_keeps_every_frame(fmt: str, platform: str) -> None:
    d = adapt(post_with(Media.from_bytes(_animation(COLOURS, fmt))), platform)
    (made,) = d.media
    assert made.format == fmt and made.frames == 4
    frames = _frames(made.data)
    assert [tuple(round(v / 8) for v in c) for c, _ in frames] == [
        tuple(round(v / 8) for v in c) for c in COLOURS
    ]
    assert [t for _, t in frames] == [100] * 4


def test_long_still_frames_merge_into_what_a_gif_frame_holds() -> None:
    # Ten identical frames of six minutes merge into one frame, which a GIF holds
    # for at most 655.35 s (before, adding them up failed deep inside Pillow).
    still, last = Image.new("RGB", (60, 60), (9, 9, 9)), Image.new("RGB", (60, 60), (200, 0, 0))
    made = encode_animation([still] * 10 + [last], [360_000] * 11, "GIF", 1_000_000)
    assert made is not None
    assert [t for _, t in _frames(made.data)] == [655_350, 360_000]


def test_an_animation_of_too_many_frames_is_its_first_frame() -> None:
    frames = [Image.new("L", (4, 4), i % 2 * 255) for i in range(1_001)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=40, loop=0)
    d = adapt(post_with(Media.from_bytes(out.getvalue())), "x")
    assert d.media[0].frames == 1
    [flattened] = d.changes_of("animation-flattened")
    assert "kept the first of more than 1,000 frames" in flattened.message


def test_a_tiff_of_several_pages_is_its_first_page() -> None:
    pages = [Image.new("RGB", (40, 30), c) for c in ((200, 0, 0), (0, 200, 0), (0, 0, 200))]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:])
    d = adapt(post_with(Media.from_bytes(out.getvalue())), "facebook")
    assert d.media[0].frames == 1
    (flattened,) = d.changes_of("animation-flattened")
    assert "kept the first page of a TIFF of several pages" in flattened.message
    with Image.open(io.BytesIO(d.media[0].data)) as made:
        red, green, blue = made.convert("RGB").getpixel((5, 5))  # type: ignore[misc]
    assert red > 150 and green < 60 and blue < 60


def test_an_animation_scaled_down_to_fit_is_reported() -> None:
    frames = [noise((240, 240), seed=i) for i in range(5)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    x = rules("x")
    tight = attrs.evolve(x, media=attrs.evolve(x.media, max_bytes_animated=200_000))
    d = adapt(post_with(Media.from_bytes(out.getvalue())), "x", rules=tight)
    (made,) = d.media
    assert made.frames == 5 and len(made.data) <= 200_000
    (resized,) = d.changes_of("media-resized")
    assert resized.data == {"width": made.width, "height": made.height}
    (recompressed,) = d.changes_of("media-recompressed")
    assert recompressed.data["bytes"] == len(made.data)


def test_x_takes_an_animation_as_the_only_image() -> None:
    gif = Media.from_bytes(_animation(COLOURS[:2], "GIF"))
    still = Media.from_bytes(photo(300, 200))
    first = adapt(post_with(gif, still, gif), "x")
    assert [(m.format, m.frames) for m in first.media] == [("GIF", 2)]
    assert len(first.changes_of("media-dropped")) == 2
    after = adapt(post_with(still, gif), "x")
    assert [m.frames for m in after.media] == [1, 1]
    assert after.changes_of("animation-flattened")
    # Elsewhere an animation goes with photos.
    assert [m.frames for m in adapt(post_with(still, gif), "mastodon").media] == [1, 2]


def test_snapchat_keeps_its_size_for_a_transparent_image_too_heavy_as_png() -> None:
    snapchat = rules("snapchat")
    tight = attrs.evolve(snapchat, media=attrs.evolve(snapchat.media, max_bytes=1_500_000))
    image = noise((540, 960), mode="RGBA")
    out = io.BytesIO()
    image.save(out, "PNG")
    d = adapt(post_with(Media.from_bytes(out.getvalue())), "snapchat", rules=tight)
    (made,) = d.media
    assert (made.width, made.height, made.format) == (1080, 1920, "JPEG")
    assert len(made.data) <= 1_500_000
    assert any("flattened transparency" in c.message for c in d.changes_of("media-converted"))


def _grey_profile() -> bytes:
    """A minimal ICC profile of a grey space with a gamma of 2.2 (the ICC v2 layout)."""

    def s15(v: float) -> bytes:
        return struct.pack(">i", round(v * 65536))

    white = b"XYZ " + bytes(4) + s15(0.9642) + s15(1.0) + s15(0.8249)
    text = b"Grey 2.2\0"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(8 + 3 + 67)
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, round(2.2 * 256)) + bytes(2)
    tags = [(b"desc", desc), (b"wtpt", white), (b"kTRC", curve)]
    offset, table, body = 128 + 4 + 12 * len(tags), b"", b""
    for sig, data in tags:
        data += bytes(-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (
        struct.pack(">I", offset + len(body))
        + bytes(4)
        + struct.pack(">I", 0x02100000)
        + b"mntrGRAYXYZ "
        + bytes(12)
        + b"acsp"
        + bytes(28)
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + bytes(48)
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def test_a_grey_image_with_its_profile_is_converted_once_when_downscaled() -> None:
    out = io.BytesIO()
    Image.new("L", (2400, 1800), 90).save(out, "JPEG", icc_profile=_grey_profile())
    d = adapt(post_with(Media.from_bytes(out.getvalue())), "x")
    notes = [c.message for c in d.changes_of("media-converted")]
    assert any("converted from greyscale to sRGB by its colour profile" in n for n in notes)
    assert not any("ignored" in n for n in notes), notes


def test_a_caption_names_what_the_font_cannot_draw() -> None:
    text = "Terrasse ouverte : café, crêpes et soleil ☀️"
    d = adapt(post_with(Media.from_bytes(photo(1080, 1920)), text=text), "snapchat",
              caption_overlay=True)  # fmt: skip
    (captioned,) = d.changes_of("media-captioned")
    assert captioned.data["shown"].startswith("Terrasse ouverte : café, crêpes et soleil")
    assert captioned.dropped == "☀"
    assert "cut to fit" not in captioned.message and "☀" in captioned.message


def test_the_caption_burnt_into_a_snap_is_reported() -> None:
    text = "Our autumn menu is here. " + "Pumpkin spice latte and apple pie all week long. " * 3
    d = adapt(post_with(Media.from_bytes(photo(1080, 1920)), text=text), "snapchat",
              caption_overlay=True)  # fmt: skip
    (captioned,) = d.changes_of("media-captioned")
    assert captioned.data["shown"].startswith("Our autumn menu is here.")
    assert captioned.data["shown"].endswith("…")
    assert "cut to fit" in captioned.message
