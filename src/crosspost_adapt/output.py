"""Draft folders: each platform's draft as files a person (or a script) picks up.

For one post, ``OUT_DIR/<platform>/`` holds:

- ``post.txt`` (a single post) or ``01.txt``, ``02.txt``... (a thread), each the
  exact text to publish, in UTF-8, with no line break added at the end;
- ``first_comment.txt`` when the draft has a first comment;
- the images, ``1.jpg``, ``2.png``... in the order of ``draft.media``;
- ``draft.json``: the whole draft (:meth:`Draft.to_dict`), with each image's file name.

Several posts go to ``OUT_DIR/post-01/<platform>/``, ``OUT_DIR/post-02/...``.
``OUT_DIR/manifest.json`` describes every post and platform (the files, lengths,
limits, hashtags kept and dropped, links to attach, changes), and the preview
page is made from it. Every path is built from platform names (lowercase
letters, digits, ``_`` and ``-``, as a :class:`Platform` must be named) and
numbers only: nothing in a post can make a file be written outside ``OUT_DIR``.
Existing files are replaced one by one (each written to a temporary file, then
renamed over the old one); other files in ``OUT_DIR`` are left alone.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from crosspost_adapt.adapters.steps import _LITTLE_TAG, plain_little
from crosspost_adapt.draft import Draft
from crosspost_adapt.errors import UNIT_NAMES
from crosspost_adapt.rules import PlatformRules
from crosspost_adapt.text.counting import count
from crosspost_adapt.text.entities import extract_hashtags

__all__ = [
    "MANIFEST_FORMAT",
    "PostOutput",
    "draft_files",
    "manifest",
    "platform_entry",
    "post_entry",
    "post_folder",
    "write_files",
    "write_index",
    "write_outputs",
    "write_post",
]

#: The version of the manifest's layout (``manifest.json``'s ``format``).
MANIFEST_FORMAT: Final = 1

#: A piece of an output path: a platform name, ``post-NN``, or a file name made
#: of such a piece and an extension.
_SAFE_PIECE: Final = re.compile(r"[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9]+)?")


@attrs.frozen
class PostOutput:
    """What to write for one post: its drafts, and the platforms that failed.

    ``source`` names the post (its file name) in the manifest and the preview;
    ``rules`` are the rules each draft was made with (by platform name);
    ``errors`` maps a platform to the one-line reason it has no draft (such as
    a :class:`~crosspost_adapt.CannotFitError` with ``overflow="error"``).
    """

    source: str
    drafts: Mapping[str, Draft]
    rules: Mapping[str, PlatformRules]
    errors: Mapping[str, str] = attrs.field(factory=dict)


def post_folder(index: int, count_of_posts: int) -> str:
    """The folder of post ``index`` (from 1) under OUT_DIR: ``""`` for a single
    post, else ``post-01``, ``post-02``... (as many digits as the count needs, 2 at least)."""
    if count_of_posts <= 1:
        return ""
    return f"post-{index:0{max(2, len(str(count_of_posts)))}d}"


def _part_names(parts: int) -> list[str]:
    if parts == 1:
        return ["post.txt"]
    width = max(2, len(str(parts)))
    return [f"{i:0{width}d}.txt" for i in range(1, parts + 1)]


def _image_names(draft: Draft) -> list[str]:
    return [f"{i}{m.extension}" for i, m in enumerate(draft.media, 1)]


def draft_files(draft: Draft) -> dict[str, bytes]:
    """The files of one platform's folder, by name: the parts, the first comment,
    the images and ``draft.json`` (the draft with each image's file name)."""
    files: dict[str, bytes] = {}
    for name, part in zip(_part_names(len(draft.parts)), draft.parts, strict=True):
        files[name] = part.encode("utf-8")
    if draft.first_comment is not None:
        files["first_comment.txt"] = draft.first_comment.encode("utf-8")
    described = draft.to_dict()
    for name, made, entry in zip(_image_names(draft), draft.media, described["media"], strict=True):
        files[name] = made.data
        entry["file"] = name
    files["draft.json"] = _json(described)
    return files


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _kept_tags(draft: Draft, rules: PlatformRules) -> list[str]:
    """The hashtags a reader sees in the draft (text, parts, first comment), in order."""
    texts = [*draft.parts, *([draft.first_comment] if draft.first_comment else [])]
    seen: dict[str, str] = {}
    for text in texts:
        if rules.text.markup == "little":
            found = [plain_little(m.group(1)) for m in _LITTLE_TAG.finditer(text)]
        else:
            found = [h.value for h in extract_hashtags(text)]
        for tag in found:
            seen.setdefault(tag.casefold(), tag)
    for tag in draft.tags:  # Bluesky's tags field
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())


def platform_entry(
    platform: str,
    rules: PlatformRules,
    folder: str,
    draft: Draft | None,
    error: str | None = None,
) -> dict[str, Any]:
    """The manifest's entry for one platform of one post (``draft`` None with an
    ``error``): its files (relative to OUT_DIR), lengths, limit and unit, hashtags
    kept and dropped, links to attach, images and changes."""
    where = f"{folder}/{platform}" if folder else platform
    entry: dict[str, Any] = {
        "platform": platform,
        "display_name": rules.display_name,
        "folder": where,
        "error": error,
        "unit": rules.text.unit,
        "unit_name": UNIT_NAMES.get(rules.text.unit, rules.text.unit),
        "limit": rules.text.limit,
        "link_handling": rules.links.handling,
        "parts": [],
        "first_comment": None,
        "links": [],
        "hashtags": {"kept": [], "dropped": []},
        "images": [],
        "changes": [],
        "draft": None,
    }
    if draft is None:
        return entry
    entry["parts"] = [
        {"file": f"{where}/{name}", "text": part, "length": count(part, rules.text)}
        for name, part in zip(_part_names(len(draft.parts)), draft.parts, strict=True)
    ]
    if draft.first_comment is not None:
        entry["first_comment"] = {
            "file": f"{where}/first_comment.txt",
            "text": draft.first_comment,
            "length": count(draft.first_comment, rules.text),
        }
    entry["links"] = list(draft.links)
    entry["hashtags"] = {
        "kept": _kept_tags(draft, rules),
        "dropped": [
            (c.dropped or "").lstrip("#") for c in draft.changes if c.kind == "hashtag-dropped"
        ],
    }
    entry["images"] = [
        {
            "file": f"{where}/{name}",
            "width": made.width,
            "height": made.height,
            "format": made.format,
            "bytes": len(made.data),
            "alt": made.alt,
        }
        for name, made in zip(_image_names(draft), draft.media, strict=True)
    ]
    entry["changes"] = [
        {"kind": c.kind, "message": c.message, "dropped": c.dropped} for c in draft.changes
    ]
    entry["draft"] = f"{where}/draft.json"
    return entry


def post_entry(post: PostOutput, index: int, folder: str) -> dict[str, Any]:
    """The manifest's entry for one post: its ``index`` (from 1), ``source``,
    ``folder`` and an entry per platform (in the order of ``post.rules``)."""
    entries = [
        platform_entry(name, platform_rules, folder, post.drafts.get(name), post.errors.get(name))
        for name, platform_rules in post.rules.items()
    ]
    return {"index": index, "source": post.source, "folder": folder, "platforms": entries}


def manifest(posts: Sequence[PostOutput], *, generator: str) -> dict[str, Any]:
    """The manifest of ``posts`` (JSON-able): every post, and every platform's entry."""
    entries = [
        post_entry(post, index, post_folder(index, len(posts)))
        for index, post in enumerate(posts, 1)
    ]
    return {"format": MANIFEST_FORMAT, "generator": generator, "posts": entries}


def _safe_path(out_dir: Path, relative: str) -> Path:
    """``out_dir / relative``, where every piece of ``relative`` is a safe name."""
    pieces = relative.split("/")
    for piece in pieces:
        if _SAFE_PIECE.fullmatch(piece) is None:
            raise ValueError(f"unsafe output path {relative!r}: {piece!r} is not a plain name")
    return out_dir.joinpath(*pieces)


def write_files(out_dir: str | os.PathLike[str], files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (relative paths with ``/``, each piece a plain lowercase name)
    under ``out_dir``, making the folders; each file replaces any file of its name
    at once (a temporary file renamed over it). Returns the paths written."""
    root = Path(out_dir)
    written: list[Path] = []
    for relative, data in files.items():
        target = _safe_path(root, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(target)
    return written


def write_post(
    out_dir: str | os.PathLike[str], post: PostOutput, *, index: int, count: int
) -> dict[str, Any]:
    """Write the platform folders of post ``index`` (from 1) of ``count`` under
    ``out_dir``; return its manifest entry (for :func:`write_index`)."""
    folder = post_folder(index, count)
    files: dict[str, bytes] = {}
    for name, draft in post.drafts.items():
        where = f"{folder}/{name}" if folder else name
        for file_name, data in draft_files(draft).items():
            files[f"{where}/{file_name}"] = data
    write_files(out_dir, files)
    return post_entry(post, index, folder)


def write_index(
    out_dir: str | os.PathLike[str],
    entries: Sequence[Mapping[str, Any]],
    *,
    generator: str,
    preview: bool = True,
) -> dict[str, Any]:
    """Write ``manifest.json`` of the posts' ``entries`` (from :func:`write_post`)
    and, with ``preview``, ``preview.html``; return the manifest."""
    made = {"format": MANIFEST_FORMAT, "generator": generator, "posts": list(entries)}
    files = {"manifest.json": _json(made)}
    if preview:
        from crosspost_adapt.preview import render_preview

        files["preview.html"] = render_preview(made).encode("utf-8")
    write_files(out_dir, files)
    return made


def write_outputs(
    out_dir: str | os.PathLike[str],
    posts: Sequence[PostOutput],
    *,
    generator: str,
    preview: bool = True,
) -> dict[str, Any]:
    """Write every post's platform folders, ``manifest.json`` and (``preview``)
    ``preview.html`` under ``out_dir``; return the manifest.

    (:func:`write_post` for each post, then :func:`write_index`, which a caller
    with many posts may call itself, so as not to hold every draft at once.)"""
    entries = [
        write_post(out_dir, post, index=index, count=len(posts))
        for index, post in enumerate(posts, 1)
    ]
    return write_index(out_dir, entries, generator=generator, preview=preview)
