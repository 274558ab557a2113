"""One image of a post made for one platform: the pipeline, and the media step.

open safely -> (JPEG draft decode) -> orient, sRGB, flatten -> frame to an allowed
ratio (crop or pad) -> one resize -> encode under the byte budget. Every step that
alters the image is reported as a :class:`~crosspost_adapt.draft.Change`.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Final

from PIL import Image

from crosspost_adapt.draft import Change, RenderedMedia
from crosspost_adapt.errors import MediaError
from crosspost_adapt.media._card import caption_lines, caption_text, font_note, text_card
from crosspost_adapt.media._encode import MIN_SIDE, Encoded, encode_animation, encode_under
from crosspost_adapt.media._frame import (
    Strategy,
    fixed_ratio,
    frame,
    framed_size,
    output_size,
    ratio_label,
    target_ratio,
)
from crosspost_adapt.media._open import (
    DEFAULT_MAX_PIXELS,
    MAX_FRAMES,
    Opened,
    _settle_alpha,
    normalize,
    open_image,
    read_source,
    to_srgb,
)
from crosspost_adapt.media._resample import resize
from crosspost_adapt.media._workers import resolve_workers
from crosspost_adapt.model import Media
from crosspost_adapt.rules import MediaRules

__all__ = ["CARD_SIZE", "render_card", "render_media", "shorten_alt"]

#: The most pixels of all the frames of an animation kept as one (about 150 MB
#: decoded); a longer or larger animation is reduced to its first frame.
_MAX_ANIMATION_PIXELS: Final = 50_000_000
#: The card of a platform that needs an image but recommends no size: the 4:5
#: portrait a feed shows largest (Instagram's recommended feed size, PLATFORMS.md).
CARD_SIZE: Final = (1080, 1350)
#: Formats kept as they are when the platform takes them (photos become JPEG).
_KEPT_FORMATS: Final = ("PNG", "WEBP")


def _output_format(input_format: str, has_alpha: bool, rules: MediaRules) -> str:
    """The format to write: the input's where the platform takes it and it is not a
    photo format, else the platform's first (JPEG on every built-in platform)."""
    if input_format in _KEPT_FORMATS and input_format in rules.formats:
        return input_format
    if has_alpha:
        for fmt in ("PNG", "WEBP"):
            if fmt in rules.formats:
                return fmt
    return "JPEG" if "JPEG" in rules.formats else rules.formats[0]


def shorten_alt(alt: str | None, limit: int | None) -> tuple[str | None, str | None]:
    """``alt`` within ``limit`` characters, cut at a word boundary, and what was cut."""
    if alt is None or limit is None or len(alt) <= limit:
        return alt, None
    cut = alt[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    kept = cut.rstrip() + "\u2026"
    return kept, alt[len(cut.rstrip()) :]


def _draft_request(opened: Opened, scale: float) -> tuple[int, int] | None:
    """The reduced size to ask of the JPEG decoder (None: full size), as the
    decoder's own scales (1/2, 1/4, 1/8) so that platforms asking for nearly the
    same size share one decode."""
    if opened.format != "JPEG" or scale >= 0.5:
        return None
    need_w, need_h = opened.width * scale, opened.height * scale
    for reduction in (8, 4, 2):
        if opened.width / reduction >= need_w and opened.height / reduction >= need_h:
            return math.ceil(opened.width / reduction), math.ceil(opened.height / reduction)
    return None


#: Images decoded and normalised lately, by source and decoding: ``adapt_all``
#: makes one photo for eight platforms, most of which need the same decode.
_DECODED: OrderedDict[tuple[object, ...], tuple[bytes, Image.Image, list[str]]] = OrderedDict()
#: The most pixels the remembered images may hold together (about 120 MB of RGB).
_DECODED_PIXELS: Final = 40_000_000


def _normalized(
    data: bytes,
    opened: Opened,
    draft: tuple[int, int] | None,
    keep_alpha: bool,
    background: tuple[int, int, int],
    profile: bool,
) -> tuple[Image.Image, list[str]]:
    """:func:`normalize`, remembered for the few last sources (the image is never
    changed in place afterwards: framing, resizing and encoding make new ones)."""
    key = (hash(data), len(data), draft, keep_alpha, background, profile)
    found = _DECODED.get(key)
    if found is not None and (found[0] is data or found[0] == data):
        _DECODED.move_to_end(key)
        return found[1], list(found[2])
    image, notes = normalize(
        opened, draft_size=draft, keep_alpha=keep_alpha, background=background, profile=profile
    )
    _DECODED[key] = (data, image, list(notes))
    while sum(i.width * i.height for _, i, _ in _DECODED.values()) > _DECODED_PIXELS:
        _DECODED.popitem(last=False)
        if not _DECODED:
            break
    return image, notes


def render_media(
    media: Media,
    rules: MediaRules,
    *,
    ratio: float | None = None,
    crop: Strategy = "auto",
    background: tuple[int, int, int] = (255, 255, 255),
    pad_color: tuple[int, int, int] | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    caption: str | None = None,
    workers: int | None = None,
) -> tuple[RenderedMedia, tuple[Change, ...]]:
    """``media`` made for a platform whose media rules are ``rules``.

    ``ratio`` forces the output ratio (Instagram's carousel: the first image's);
    ``crop`` the framing strategy; ``background`` what transparency is flattened
    onto for JPEG; ``pad_color`` a solid padding instead of a blurred copy;
    ``caption`` text burnt in a caption bar (Snapchat's ``caption_overlay``).
    ``workers``: the threads the resize and the byte-budget search may use (None:
    the default of :func:`~crosspost_adapt.media.set_workers`, ``min(2, CPUs)``);
    the image made is the same, to the byte. Raises
    :class:`~crosspost_adapt.errors.MediaError` for an image that cannot be used,
    ValueError for a ``workers`` that is not a positive integer.
    """
    threads = resolve_workers(workers)
    data, name = read_source(media.path, media.data)
    opened = open_image(data, name, max_pixels=max_pixels)
    changes: list[Change] = []
    alt, cut = shorten_alt(media.alt, rules.alt_max)
    if cut is not None:
        changes.append(
            Change(
                "alt-shortened",
                f"{name}: cut the alt text to {rules.alt_max:,} characters",
                dropped=cut,
                data={
                    "measured": len(media.alt or ""),
                    "limit": rules.alt_max,
                    "unit": "characters",
                },
            )
        )

    if opened.frames > 1:
        kept = _keep_animation(opened, rules, alt, media, name, len(data))
        if kept is not None:
            animated, made = kept
            return animated, (*changes, *made)
        if opened.format == "TIFF":
            kept_what = "kept the first page of a TIFF of several pages"
        else:
            count = (
                f"{opened.frames}" if opened.frames <= MAX_FRAMES else f"more than {MAX_FRAMES:,}"
            )
            kept_what = (
                f"kept the first of {count} frames (the platform does not take this "
                "animation within its format or weight)"
            )
        changes.append(Change("animation-flattened", f"{name}: {kept_what}"))

    wanted = target_ratio(opened.width, opened.height, rules, ratio=ratio)
    framed = framed_size(opened.width, opened.height, wanted, strategy=crop)
    reframed = wanted is not None and framed != (opened.width, opened.height)
    final = output_size(*framed, rules, ratio=wanted if reframed else None)
    # Decode a JPEG at a reduced scale where the output is much smaller: the
    # decoder is asked for the size that still covers the output.
    scale = max(final[0] / framed[0], final[1] / framed[1])
    draft = _draft_request(opened, scale)
    probe_alpha = opened.image.mode in ("RGBA", "LA", "PA") or "transparency" in opened.image.info
    fmt = _output_format(opened.format, probe_alpha, rules)
    # Colours converted after the resize when it shrinks (fewer pixels to convert),
    # unless a solid padding colour, given in sRGB, would be converted with them.
    later = final[0] * final[1] < opened.width * opened.height and pad_color is None
    image, notes = _normalized(data, opened, draft, fmt != "JPEG", background, not later)
    if fmt != "JPEG" and image.mode != "RGBA" and opened.format not in _KEPT_FORMATS:
        fmt = _output_format(opened.format, False, rules)
    changes.extend(Change("media-converted", f"{name}: {converted}") for converted in notes)

    if wanted is not None and framed != (opened.width, opened.height):
        image, framing = frame(
            image,
            wanted,
            strategy=crop,
            focus=media.focus,
            pad_color=pad_color,
            size=final,
            workers=threads,
        )
        padded = framed[0] > opened.width or framed[1] > opened.height
        if framing is not None:
            changes.append(
                Change(
                    "media-padded" if padded else "media-cropped",
                    f"{name}: {framing}",
                    data={"ratio": ratio_label(wanted), "width": final[0], "height": final[1]},
                )
            )
    elif image.size != final:
        image = resize(image, final, workers=threads)
    if (wanted is None or framed == (opened.width, opened.height)) and final != (
        opened.width,
        opened.height,
    ):
        changes.append(
            Change(
                "media-resized",
                f"{name}: resized from {opened.width}x{opened.height} to {final[0]}x{final[1]}",
                data={"width": final[0], "height": final[1]},
            )
        )
    if later:
        image, converted = to_srgb(image, opened)
        changes.extend(Change("media-converted", f"{name}: {note}") for note in converted)
    if caption:
        image, lines = caption_lines(image, caption, safe_margin=_safe_margin(rules, image))
        if lines:
            shown = " ".join(lines)
            note, left_out = font_note(caption)
            shortened = shown != caption_text(caption)
            changes.append(
                Change(
                    "media-captioned",
                    f"{name}: burnt the caption into the image"
                    + (" (cut to fit)" if shortened else "")
                    + f": {shown!r}{note}",
                    dropped=left_out or None,
                    data={"shown": shown},
                )
            )
    budget = rules.max_bytes
    # Where the platform takes one size only (Snapchat's 1080x1920), the image is
    # never scaled down to fit its weight: a PNG that does not fit becomes a JPEG.
    exact = _exact_size(rules)
    min_side = min(image.size) if exact else MIN_SIDE
    try:
        encoded: Encoded | None = None
        try:
            encoded = encode_under(image, fmt, budget, workers=threads, min_side=min_side)
        except ValueError:
            if not (exact and fmt == "PNG" and "JPEG" in rules.formats):
                raise
        if encoded is None or (
            encoded.scale < 1 and fmt == "PNG" and image.mode != "RGBA" and "JPEG" in rules.formats
        ):
            # A PNG photo that must lose pixels to fit keeps them as a JPEG.
            if image.mode == "RGBA":
                flattened: list[str] = []
                image = _settle_alpha(
                    image, keep_alpha=False, background=background, notes=flattened
                )
                changes.extend(
                    Change("media-converted", f"{name}: {note} to keep the size")
                    for note in flattened
                )
            encoded = encode_under(image, "JPEG", budget, workers=threads, min_side=min_side)
    except ValueError as exc:
        raise MediaError(name, f"cannot fit {budget:,} bytes: {exc}") from None
    recompressed = encoded.format != opened.format or len(encoded.data) != len(data)
    changes.extend(_encode_changes(name, encoded, len(data), budget, recompressed, "the image"))
    return _rendered(encoded, alt, media), tuple(changes)


def _encode_changes(
    name: str, encoded: Encoded, weight: int, budget: int, recompressed: bool, what: str
) -> list[Change]:
    """The changes of the last encode of ``what`` (``weight`` bytes before): encoded
    again (``recompressed``, or whenever it was scaled down), scaled down to fit."""
    changes: list[Change] = []
    if recompressed or encoded.scale < 1:
        quality = f" at quality {encoded.quality}" if encoded.quality is not None else ""
        changes.append(
            Change(
                "media-recompressed",
                f"{name}: encoded {what} as {encoded.format}{quality}, {weight:,} -> "
                f"{len(encoded.data):,} bytes (at most {budget:,})",
                data={
                    "bytes": len(encoded.data),
                    "source_bytes": weight,
                    "limit": budget,
                    "quality": encoded.quality,
                    "format": encoded.format,
                    "encodes": encoded.encodes,
                },
            )
        )
    if encoded.scale < 1:
        changes.append(
            Change(
                "media-resized",
                f"{name}: scaled {what} down to {encoded.width}x{encoded.height} to weigh "
                f"at most {budget:,} bytes",
                data={"width": encoded.width, "height": encoded.height},
            )
        )
    return changes


def _exact_size(rules: MediaRules) -> bool:
    """Whether the platform takes one size only (a fixed ratio and its recommended
    size: Snapchat's and stories' 1080x1920)."""
    return rules.recommended_size is not None and fixed_ratio(rules)


def _rendered(
    encoded: Encoded, alt: str | None, source: Media | None, *, frames: int = 1
) -> RenderedMedia:
    return RenderedMedia(
        data=encoded.data,
        format=encoded.format,
        width=encoded.width,
        height=encoded.height,
        alt=alt,
        source=source,
        quality=encoded.quality if frames == 1 else None,
        frames=frames,
    )


def _safe_margin(rules: MediaRules, image: Image.Image) -> int:
    margin = rules.safe_margin or 0
    if rules.recommended_size is not None and margin:
        margin = round(margin * image.height / rules.recommended_size[1])
    return margin


def _keep_animation(
    opened: Opened, rules: MediaRules, alt: str | None, media: Media, name: str, weight: int
) -> tuple[RenderedMedia, list[Change]] | None:
    """The animation as it is, where the platform takes its format, ratio and size,
    with the changes made on the way (recompressed, scaled down to fit)."""
    fmt = opened.format
    if fmt not in ("GIF", "WEBP") or fmt not in rules.formats:
        return None
    if opened.frames > MAX_FRAMES:
        return None  # a slideshow of that many frames is no post: the first frame only
    if opened.frames * opened.width * opened.height > _MAX_ANIMATION_PIXELS:
        return None  # decoding every frame would cost too much: the first frame only
    if target_ratio(opened.width, opened.height, rules) is not None:
        return None
    if rules.animated_max_size is not None and (
        opened.width > rules.animated_max_size[0] or opened.height > rules.animated_max_size[1]
    ):
        return None
    if output_size(opened.width, opened.height, rules) != (opened.width, opened.height):
        return None
    frames: list[Image.Image] = []
    durations: list[int] = []
    for index in range(opened.frames):
        image, _ = normalize(opened, keep_alpha=True, frame=index)
        # A copy: the frame may share its pixels with the decoder, which the next
        # frame overwrites.
        frames.append(image.copy())
        durations.append(int(opened.image.info.get("duration", 100) or 100))
    budget = rules.max_bytes_animated or rules.max_bytes
    encoded = encode_animation(frames, durations, fmt, budget)
    if encoded is None:
        return None
    changes = _encode_changes(
        name, encoded, weight, budget, len(encoded.data) != weight, "the animation"
    )
    return _rendered(encoded, alt, media, frames=len(frames)), changes


def render_card(
    text: str, rules: MediaRules, *, platform: str, workers: int | None = None
) -> tuple[RenderedMedia, tuple[Change, ...]]:
    """A text card of the platform's recommended size (else :data:`CARD_SIZE`) from ``text``.

    ``workers`` as for :func:`render_media`.
    """
    size = rules.recommended_size or CARD_SIZE
    image = text_card(text, size)
    fmt = "JPEG" if "JPEG" in rules.formats else rules.formats[0]
    encoded = encode_under(image, fmt, rules.max_bytes, workers=workers)
    rendered = _rendered(encoded, None, None)
    note, left_out = font_note(text)
    change = Change(
        "media-generated",
        f"made a {size[0]}x{size[1]} image of the text: {platform} posts need an image{note}",
        dropped=left_out or None,
        data={"width": size[0], "height": size[1]},
    )
    return rendered, (change,)
