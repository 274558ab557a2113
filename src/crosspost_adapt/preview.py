"""The preview page: every platform's draft of every post, side by side.

:func:`render_preview` turns the manifest (``OUT_DIR/manifest.json``, see
:mod:`crosspost_adapt.output`) into one self-contained HTML page, written as
``OUT_DIR/preview.html``. For each post, a header names its source; below it,
one card per platform in a wrapping grid, shaped like that platform's post: X
dark and compact, Instagram image first with the caption below, Snapchat a tall
9:16 frame with a caption bar, LinkedIn, Facebook, Threads, Bluesky and Mastodon
in their own colours, a neutral card for a platform it does not know. A card
shows:

- each part of the thread as its own post box, in order, with a length gauge
  (``271/280`` and a bar, red when over the limit; the unit in its tooltip
  and in the card's header);
- the images as cropped, linked relatively (the page sits in OUT_DIR), with
  their alt text, size and format;
- the hashtags kept (chips) and dropped (struck through);
- the first comment, and the links to attach by hand (the link in bio...);
- the changes made: their kind, message, and the content they dropped;
- or, for a platform with no draft, the reason instead.

The page needs no JavaScript and loads nothing from the network: no fonts,
scripts or remote images (its Content-Security-Policy forbids them too). Every
text of the manifest is escaped: posts are user content.

Hooks for tools and tests: each card is ``class="card"`` with
``data-platform="<name>"``; each post box of a thread ``class="part"``; each
change ``class="change"`` with ``data-kind="<kind>"``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final
from urllib.parse import quote

__all__ = ["render_preview"]

#: The built-in platforms' looks: the mark in the card's header.
_MARKS: Final[Mapping[str, str]] = {
    "x": "X",
    "facebook": "f",
    "instagram": "IG",
    "snapchat": "S",
    "linkedin": "in",
    "threads": "@",
    "bluesky": "B",
    "mastodon": "M",
}

#: How a link the text cannot carry is attached, by the manifest's
#: ``link_handling`` (the platform's ``rules.links.handling``).
_ATTACH: Final[Mapping[str, str]] = {
    "link-in-bio": "Link in bio",
    "link-sticker": "Link sticker",
}

#: Nothing from the network, no scripts: images from the page's own folder only.
_POLICY: Final = (
    "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)

_CSS: Final = """
:root{--ink:#1c1e21;--muted:#65676b;--line:#dadde1}
*{box-sizing:border-box}
body{margin:0;padding:24px;background:#eef0f3;color:var(--ink);
  font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif,
  "Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji"}
.page-head h1{margin:0;font-size:22px}
.page-head p{margin:2px 0 24px;color:var(--muted);font-size:12px}
.post{margin:0 0 40px}
.post-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 12px;margin:0 0 14px}
.post-head h2{margin:0;font-size:18px}
.post-head .src{font:600 14px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
  background:#fff;border:1px solid var(--line);border-radius:6px;padding:2px 8px;
  overflow-wrap:anywhere}
.post-head .meta{color:var(--muted);font-size:12px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));
  gap:20px;align-items:start}
.card{--accent:#6b7280;--stripe:var(--accent);--link:var(--accent);--bg:#fff;
  --fg:var(--ink);--sub:var(--muted);--box:#fff;--edge:var(--line);--bad:#d93025;
  --good:#1f9d55;--warn:#d68a00;
  min-width:0;overflow:hidden;background:var(--bg);color:var(--fg);
  border:1px solid var(--edge);border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.card::before{content:"";display:block;height:4px;background:var(--stripe)}
.head{display:flex;align-items:center;gap:10px;padding:12px 14px}
.logo{flex:none;display:grid;place-items:center;width:34px;height:34px;border-radius:50%;
  background:var(--accent);color:#fff;font-weight:800;font-size:14px}
.who{min-width:0;display:flex;flex-direction:column}
.name{font-weight:700}
.meta,.sub{color:var(--sub);font-size:12px}
.body{display:flex;flex-direction:column;gap:12px;padding:0 14px 14px}
.part{background:var(--box);border:1px solid var(--edge);border-radius:10px;padding:10px 12px}
.text{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.text.empty{color:var(--sub);font-style:italic}
.gauge{display:flex;align-items:center;gap:8px;margin-top:8px;font-size:12px;color:var(--sub)}
.gauge .pn{font-weight:600}
.bar{flex:1;min-width:40px;height:5px;border-radius:3px;background:rgba(127,127,127,.25);
  overflow:hidden}
.bar>i{display:block;height:100%;background:var(--good)}
.gauge .count{font-variant-numeric:tabular-nums;font-weight:600;color:var(--fg)}
.gauge.near .bar>i{background:var(--warn)}
.gauge.over .bar>i{background:var(--bad)}
.gauge.over .count,.gauge .flag{color:var(--bad)}
.gauge .flag{font-weight:700}
.media{display:grid;gap:6px;margin-top:10px}
.media.many{grid-template-columns:1fr 1fr}
figure{margin:0;min-width:0}
figure img{display:block;max-width:100%;height:auto;border-radius:8px;
  background:rgba(127,127,127,.2)}
.media.many img{width:100%}
.img-info{margin-top:3px;color:var(--sub);font-size:11px;overflow-wrap:anywhere}
.alt{display:inline-block;margin-right:4px;padding:0 4px;border-radius:3px;font-weight:700;
  font-size:10px;background:var(--fg);color:var(--bg)}
.noimg{display:grid;place-items:center;aspect-ratio:1;border-radius:8px;color:#fff;
  font-weight:600;background:linear-gradient(135deg,#9ca3af,#4b5563)}
.label{margin-bottom:4px;color:var(--sub);font-size:11px;font-weight:700;
  letter-spacing:.05em;text-transform:uppercase}
.comment{border:1px dashed var(--edge);border-radius:10px;padding:8px 12px}
.tags{display:flex;flex-wrap:wrap;gap:4px}
.tag{padding:1px 8px;border-radius:999px;font-size:12px;text-decoration:none;
  overflow-wrap:anywhere;background:rgba(127,127,127,.16);color:var(--fg)}
.tag.dropped{color:var(--bad);background:rgba(217,48,37,.1);text-decoration:line-through}
.links{margin:0;padding:0;list-style:none;font-size:13px}
.links li{margin:2px 0;overflow-wrap:anywhere}
.links .how{display:inline-block;margin-right:6px;padding:0 6px;border-radius:4px;
  font-size:11px;font-weight:700;background:var(--link);color:var(--bg)}
a{color:var(--link)}
.changes summary{cursor:pointer;color:var(--sub);font-size:12px;font-weight:700}
.changes ul{margin:6px 0 0;padding:0;list-style:none}
.change{margin:0 0 6px;font-size:12px;overflow-wrap:anywhere}
.change code{padding:0 5px;border-radius:4px;font-size:11px;background:rgba(127,127,127,.18)}
.change del{display:block;max-height:7.5em;overflow:auto;margin-top:2px;padding:2px 6px;
  white-space:pre-wrap;color:var(--bad);background:rgba(217,48,37,.08);
  border-left:3px solid var(--bad)}
.error{padding:10px 12px;border:1px solid var(--bad);border-radius:8px;color:var(--bad);
  background:rgba(217,48,37,.08);white-space:pre-wrap;overflow-wrap:anywhere}
.foot{color:var(--sub);font-size:11px}
.foot a{color:inherit}
.p-x{--accent:#1d9bf0;--bg:#000;--fg:#e7e9ea;--sub:#8b98a5;--box:#000;--edge:#2f3336;
  --bad:#ff6b6b;border-radius:16px;font-size:15px}
.p-x .logo{background:#e7e9ea;color:#000}
.p-x .part{border-width:0 0 1px;border-radius:0;padding:10px 2px}
.p-x .part+.part{margin-top:-12px}
.p-facebook{--accent:#1877f2;--box:#fff;border-radius:8px}
.p-facebook .part{border-color:transparent;background:#f0f2f5}
.p-instagram{--accent:#dd2a7b;--link:#c13584;--stripe:linear-gradient(90deg,#f58529,#dd2a7b,
  #8134af,#515bd4);border-radius:4px}
.p-instagram .logo{background:linear-gradient(45deg,#f58529,#dd2a7b,#8134af,#515bd4)}
.p-instagram .media{margin:0 -14px}
.p-instagram .media>figure img{border-radius:0;width:100%}
.p-instagram .img-info{padding:0 14px}
.thumbs{display:grid;grid-template-columns:repeat(auto-fill,minmax(110px,1fr));gap:8px;
  padding:0 14px}
.thumbs .img-info{padding:0}
.p-instagram .noimg{border-radius:0;
  background:linear-gradient(45deg,#f58529,#dd2a7b,#8134af,#515bd4)}
.p-instagram .part{border:0;padding:0}
.p-snapchat{--accent:#fffc00;--link:#0f62fe}
.p-snapchat .logo{color:#000;border:1px solid #e0d800}
.snap{position:relative;width:100%;max-width:250px;margin:0 auto;aspect-ratio:9/16;
  overflow:hidden;border-radius:16px;background:#111}
.snap>img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover}
.snap .bars{position:absolute;left:0;right:0;bottom:14%;display:flex;flex-direction:column;
  gap:4px}
.snap .part{--fg:#fff;--sub:#ddd;border:0;border-radius:0;padding:6px 10px;
  color:#fff;background:rgba(0,0,0,.62);text-align:center;font-size:13px}
.snap .noimg{position:absolute;inset:0;aspect-ratio:auto;border-radius:0;
  background:linear-gradient(160deg,#2b2b2b,#000)}
.snap-info{text-align:center}
.p-linkedin{--accent:#0a66c2;border-radius:8px;
  font-family:-apple-system,system-ui,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.p-linkedin .logo{border-radius:6px}
.p-linkedin .part{border-color:#e8e8e8}
.p-threads{--accent:#101010;--link:#0095f6;border-radius:18px}
.p-threads .part{margin-left:16px;padding:4px 0 6px 14px;border:0;border-left:2px solid #d6d6d6;
  border-radius:0}
.p-bluesky{--accent:#1185fe;--box:#f3f8ff;--edge:#d4e4f7}
.p-mastodon{--accent:#6364ff;--link:#8c8dff;--bg:#282c37;--fg:#e4e8ee;--sub:#9baec8;
  --box:#313543;--edge:#42485a;--bad:#ff7b7b;border-radius:10px}
.p-generic{--accent:#6b7280;border-style:dashed}
"""

_SCHEME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _e(value: object) -> str:
    """``value`` as HTML text (or attribute value), escaped; None is empty."""
    return "" if value is None else html.escape(str(value), quote=True)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _local(path: object) -> str | None:
    """A manifest path (relative to OUT_DIR, with ``/``) as a relative URL; None
    for anything that is not a plain relative path (so nothing is loaded from
    elsewhere)."""
    if not isinstance(path, str) or not path or "\\" in path:
        return None
    if path.startswith("/") or _SCHEME.match(path):
        return None
    return quote(path, safe="/")


def _web_link(url: str) -> str:
    """An http(s) URL as a link that opens in a new tab; anything else as text."""
    if re.match(r"(?i)https?://", url):
        return f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{_e(url)}</a>'
    return f"<span>{_e(url)}</span>"


def _size(count: int) -> str:
    if count < 1000:
        return f"{count} B"
    if count < 1_000_000:
        return f"{count / 1000:.0f} KB"
    return f"{count / 1_000_000:.1f} MB"


def _gauge(length: object, limit: object, unit_name: str, label: str = "") -> str:
    """``length/limit`` and a bar: green, amber from 90 %, red over the limit."""
    measured = _int(length)
    bound = _int(limit)
    pn = f'<span class="pn">{_e(label)}</span>' if label else ""
    if measured is None:
        return ""
    if bound is None or bound <= 0:
        return (
            f'<div class="gauge" title="{measured} {_e(unit_name)}">{pn}'
            f'<span class="count">{measured}</span></div>'
        )
    state = "over" if measured > bound else "near" if measured >= 0.9 * bound else "ok"
    title = f"{measured:,} of {bound:,} {unit_name}"
    flag = ""
    if state == "over":
        title += f": {measured - bound:,} over the limit"
        flag = f'<span class="flag">over by {measured - bound}</span>'
    width = min(100.0, 100.0 * measured / bound)
    return (
        f'<div class="gauge {state}" title="{_e(title)}">{pn}'
        f'<span class="bar"><i style="width:{width:.1f}%"></i></span>'
        f'<span class="count">{measured}/{bound}</span>{flag}</div>'
    )


def _text(text: object) -> str:
    if not isinstance(text, str) or not text:
        return '<p class="text empty">(empty)</p>'
    return f'<p class="text">{_e(text)}</p>'


def _image(image: Mapping[str, Any]) -> tuple[str, str]:
    """The ``<img>`` of one image (or a placeholder), and a line about it: alt
    text, pixel size, format and weight."""
    width, height = _int(image.get("width")), _int(image.get("height"))
    alt = image.get("alt")
    src = _local(image.get("file"))
    if src is None:
        tag = '<div class="noimg">image not shown: no local file</div>'
    else:
        size = ""
        if width is not None and width > 0 and height is not None and height > 0:
            size = f' width="{width}" height="{height}"'
        tag = f'<img src="{_e(src)}"{size} alt="{_e(alt or "")}" loading="eager">'
    described = _e(alt) if alt else "<em>none</em>"
    facts = [f'<span class="alt" title="alt text">ALT</span>{described}']
    if width is not None and height is not None:
        facts.append(f"{width}×{height}")
    if image.get("format"):
        facts.append(_e(image.get("format")))
    weight = _int(image.get("bytes"))
    if weight is not None:
        facts.append(_size(weight))
    return tag, " · ".join(facts)


def _media(images: Sequence[Mapping[str, Any]], *, carousel: bool = False) -> str:
    """The images, each with its line; ``carousel``: the first one at full width,
    the others in a row below it (as a swipe-through post shows them)."""
    if not images:
        return ""
    figures = []
    for image in images:
        tag, info = _image(image)
        figures.append(f'<figure>{tag}<figcaption class="img-info">{info}</figcaption></figure>')
    if carousel:
        rest = f'<div class="thumbs">{"".join(figures[1:])}</div>' if len(figures) > 1 else ""
        return f'<div class="media carousel">{figures[0]}{rest}</div>'
    many = " many" if len(images) > 1 else ""
    return f'<div class="media{many}">{"".join(figures)}</div>'


def _parts(entry: Mapping[str, Any], unit_name: str, media_in_first: str) -> list[str]:
    parts: Sequence[Mapping[str, Any]] = entry.get("parts") or []
    boxes = []
    for i, part in enumerate(parts, 1):
        label = f"{i}/{len(parts)}" if len(parts) > 1 else ""
        extra = media_in_first if i == 1 else ""
        boxes.append(
            f'<div class="part" data-part="{i}">{_text(part.get("text"))}{extra}'
            f"{_gauge(part.get('length'), entry.get('limit'), unit_name, label)}</div>"
        )
    if not boxes and media_in_first:
        boxes.append(media_in_first)
    return boxes


def _snap_frame(entry: Mapping[str, Any], unit_name: str) -> str:
    """Snapchat: a 9:16 frame, the first image filling it, the text as caption bars."""
    images: Sequence[Mapping[str, Any]] = entry.get("images") or []
    if images:
        tag, info = _image(images[0])
    else:
        tag, info = '<div class="noimg"></div>', "no image"
    bars = "".join(_parts(entry, unit_name, ""))
    frame = f'<div class="snap">{tag}<div class="bars">{bars}</div></div>'
    more = _media(images[1:])
    return f'{frame}<div class="img-info snap-info">{info}</div>{more}'


def _hashtags(entry: Mapping[str, Any]) -> str:
    tags = entry.get("hashtags") or {}
    kept: Sequence[str] = tags.get("kept") or []
    dropped: Sequence[str] = tags.get("dropped") or []
    if not kept and not dropped:
        return ""
    chips = [f'<span class="tag">#{_e(t)}</span>' for t in kept]
    chips += [f'<del class="tag dropped" title="dropped">#{_e(t)}</del>' for t in dropped]
    return f'<div><div class="label">Hashtags</div><div class="tags">{"".join(chips)}</div></div>'


def _first_comment(entry: Mapping[str, Any], unit_name: str) -> str:
    comment = entry.get("first_comment")
    if not comment:
        return ""
    return (
        '<div class="comment first-comment"><div class="label">First comment</div>'
        f"{_text(comment.get('text'))}"
        f"{_gauge(comment.get('length'), entry.get('limit'), unit_name)}</div>"
    )


def _links(entry: Mapping[str, Any], how: str) -> str:
    links: Sequence[str] = entry.get("links") or []
    if not links:
        return ""
    items = "".join(
        f'<li><span class="how">{_e(how)}</span>{_web_link(str(url))}</li>' for url in links
    )
    return f'<div><div class="label">Links to attach</div><ul class="links">{items}</ul></div>'


def _changes(entry: Mapping[str, Any]) -> str:
    changes: Sequence[Mapping[str, Any]] = entry.get("changes") or []
    if not changes:
        return ""
    items = []
    for change in changes:
        kind = change.get("kind") or ""
        dropped = change.get("dropped")
        gone = f'<del title="dropped">{_e(dropped)}</del>' if dropped else ""
        items.append(
            f'<li class="change" data-kind="{_e(kind)}"><code>{_e(kind)}</code> '
            f"{_e(change.get('message'))}{gone}</li>"
        )
    return (
        f'<details class="changes" open><summary>Changes ({len(changes)})</summary>'
        f"<ul>{''.join(items)}</ul></details>"
    )


def _card(entry: Mapping[str, Any]) -> str:
    name = str(entry.get("platform") or "unknown")
    display = str(entry.get("display_name") or name)
    mark = _MARKS.get(name, display[:1].upper() or "?")
    how = _ATTACH.get(str(entry.get("link_handling")), "Attach by hand")
    look = f"p-{name}" if name in _MARKS else "p-generic"
    unit_name = str(entry.get("unit_name") or entry.get("unit") or "")
    limit = _int(entry.get("limit"))
    error = entry.get("error")
    parts: Sequence[Any] = entry.get("parts") or []
    meta = []
    if limit is not None:
        meta.append(f"limit {limit} {_e(unit_name)}")
    if len(parts) > 1:
        meta.append(f"thread of {len(parts)}")
    head = (
        f'<header class="head"><span class="logo" aria-hidden="true">{_e(mark)}</span>'
        f'<span class="who"><span class="name">{_e(display)}</span>'
        f'<span class="meta">{" · ".join(meta)}</span></span></header>'
    )
    attrs = f'class="card {look}{" has-error" if error else ""}" data-platform="{_e(name)}"'
    if error:
        body = f'<div class="error" role="alert"><strong>No draft:</strong> {_e(error)}</div>'
        return f'<article {attrs}>{head}<div class="body">{body}</div></article>'
    images: Sequence[Mapping[str, Any]] = entry.get("images") or []
    blocks: list[str] = []
    if name == "instagram":
        blocks.append(
            _media(images, carousel=True)
            or '<div class="media"><div class="noimg">no image</div></div>'
        )
        blocks += _parts(entry, unit_name, "")
    elif name == "snapchat":
        blocks.append(_snap_frame(entry, unit_name))
    else:
        blocks += _parts(entry, unit_name, _media(images))
    blocks += [
        _first_comment(entry, unit_name),
        _hashtags(entry),
        _links(entry, how),
        _changes(entry),
    ]
    draft = _local(entry.get("draft"))
    folder = entry.get("folder")
    if draft is not None or folder:
        where = f"folder {_e(folder)}/" if folder else ""
        file_link = f' · <a href="{_e(draft)}">draft.json</a>' if draft is not None else ""
        blocks.append(f'<footer class="foot">{where}{file_link}</footer>')
    body = "".join(b for b in blocks if b)
    return f'<article {attrs}>{head}<div class="body">{body}</div></article>'


def _post(post: Mapping[str, Any], number: int) -> str:
    index = _int(post.get("index")) or number
    entries: Sequence[Mapping[str, Any]] = post.get("platforms") or []
    failed = sum(1 for e in entries if e.get("error"))
    changes = sum(len(e.get("changes") or []) for e in entries)
    facts = [f"{len(entries)} platform{'s' if len(entries) != 1 else ''}"]
    if failed:
        facts.append(f"{failed} without a draft")
    facts.append(f"{changes} change{'s' if changes != 1 else ''}")
    if post.get("folder"):
        facts.append(f"folder {_e(post.get('folder'))}/")
    source = post.get("source")
    src = f'<span class="src">{_e(source)}</span>' if source else ""
    cards = "".join(_card(e) for e in entries) or '<p class="meta">No platform.</p>'
    return (
        f'<section class="post" data-post="{index}">'
        f'<header class="post-head"><h2>Post {index}</h2>{src}'
        f'<span class="meta">{" · ".join(facts)}</span></header>'
        f'<div class="grid">{cards}</div></section>'
    )


def render_preview(manifest: Mapping[str, Any], *, title: str = "crosspost_adapt preview") -> str:
    """The preview page of ``manifest`` (as written to ``OUT_DIR/manifest.json``):
    a complete HTML5 page, inline CSS only, to save as ``OUT_DIR/preview.html``
    (images are linked relative to it).

    One section per post, in order, headed by the post's source; in it a card
    per platform shaped like that platform's post (``class="card"``,
    ``data-platform``), with its parts (``class="part"``) and their length
    gauges, images, hashtags kept and dropped, first comment, links to attach,
    changes (``class="change"``, ``data-kind``), or the platform's error. Every
    text of the manifest is escaped; nothing is loaded from the network.
    """
    posts: Sequence[Mapping[str, Any]] = manifest.get("posts") or []
    sections = "".join(_post(p, i) for i, p in enumerate(posts, 1))
    if not sections:
        sections = '<p class="meta">No post.</p>'
    generator = manifest.get("generator")
    facts = [f"{len(posts)} post{'s' if len(posts) != 1 else ''}"]
    if generator:
        facts.append(f"made by {_e(generator)}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<header class="page-head"><h1>{_e(title)}</h1><p>{" · ".join(facts)}</p></header>\n'
        f"<main>\n{sections}\n</main>\n</body>\n</html>\n"
    )
