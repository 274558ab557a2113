"""The preview page (``render_preview``): a card per platform, user text escaped,
gauges, dropped content shown, nothing loaded from the network; and the page as a
real browser (Debian's Chromium, headless) draws it: every card present, no
broken image, a screenshot.

The manifests are written by hand, or built here from real drafts, following the
manifest's schema (``OUT_DIR/manifest.json``).
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from crosspost_adapt import Draft, Mention, Post, adapt_all, measure, platforms, rules
from crosspost_adapt.output import PostOutput, manifest
from crosspost_adapt.preview import render_preview

BUILT_IN = ("x", "facebook", "instagram", "snapchat", "linkedin", "threads", "bluesky", "mastodon")
HOSTILE = "<script>alert(1)</script> & \"double\" 'single' <img src=x onerror=alert(2)>"

# --------------------------------------------------------------------------- a small DOM

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_VOID |= {"track", "wbr"}


class Node:
    """An element of the page: its tag, attributes, children and text."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            n
            for n in self.walk()
            if n is not self and (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
        ]

    def one(self, tag: str | None = None, cls: str | None = None) -> Node:
        found = self.all(tag, cls)
        assert len(found) == 1, (tag, cls, len(found))
        return found[0]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _Builder(HTMLParser):
    """Parses the page into :class:`Node` s, and fails on an end tag that does not
    close the open element (the page must be well nested)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.open = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.open)
        self.open.children.append(node)
        if tag not in _VOID:
            self.open = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.children.append(Node(tag, dict(attrs), self.open))

    def handle_endtag(self, tag: str) -> None:
        assert self.open.tag == tag, f"</{tag}> closes <{self.open.tag}>"
        assert self.open.parent is not None
        self.open = self.open.parent

    def handle_data(self, data: str) -> None:
        self.open.children.append(data)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.open is builder.root, f"<{builder.open.tag}> is never closed"
    return builder.root


def cards(page: str) -> dict[str, Node]:
    found = {n.attrs["data-platform"] or "": n for n in parse(page).all(cls="card")}
    assert all("data-platform" in n.attrs for n in parse(page).all(cls="card"))
    return found


# --------------------------------------------------------------------------- manifests


def entry(platform: str = "x", **changes: Any) -> dict[str, Any]:
    """One platform's manifest entry, as the schema has it; ``changes`` replace keys."""
    made: dict[str, Any] = {
        "platform": platform,
        "display_name": {"x": "X (Twitter)"}.get(platform, platform.title()),
        "folder": platform,
        "error": None,
        "unit": "weighted",
        "unit_name": "weighted characters",
        "limit": 280,
        "link_handling": {"instagram": "link-in-bio", "snapchat": "link-sticker"}.get(
            platform, "inline"
        ),
        "parts": [{"file": f"{platform}/post.txt", "text": "Our autumn menu", "length": 15}],
        "first_comment": None,
        "links": [],
        "hashtags": {"kept": ["AutumnMenu"], "dropped": []},
        "images": [],
        "changes": [],
        "draft": f"{platform}/draft.json",
    }
    made.update(changes)
    return made


def manifest_of(*entries: dict[str, Any], source: str = "menu.toml") -> dict[str, Any]:
    post = {"index": 1, "source": source, "folder": "", "platforms": list(entries)}
    return {"format": 1, "generator": "crosspost_adapt 0.1.0", "posts": [post]}


def real_manifest(drafts: Mapping[str, Draft]) -> dict[str, Any]:
    """The manifest of real drafts, as the command line writes it."""
    made = PostOutput("menu.toml", drafts, {name: rules(name) for name in drafts})
    return manifest([made], generator="crosspost_adapt 0.1.0")


MENU = Post(
    text=(
        "Our autumn menu is here 🎃\n\nPumpkin soup & chai <script>alert(1)</script> with "
        "@{ana}. " + "Roasted squash with sage butter and warm apple crumble. " * 6
    ),
    hashtags=["AutumnMenu", "autumn", "chai", "soup", "fall"],
    campaign="AutumnMenu",
    link="https://example.com/menu",
    mentions={"ana": Mention("Ana the Chef", {"x": "anachef", "mastodon": "ana@example.social"})},
)


@pytest.fixture(scope="module")
def menu_drafts() -> dict[str, Draft]:
    return adapt_all(MENU, cards=False, hashtags_in_first_comment=True)


@pytest.fixture(scope="module")
def menu_page(menu_drafts: dict[str, Draft]) -> str:
    return render_preview(real_manifest(menu_drafts))


# --------------------------------------------------------------------------- the real drafts


def test_every_platform_has_a_card_with_its_parts_in_order(
    menu_drafts: dict[str, Draft], menu_page: str
) -> None:
    found = cards(menu_page)
    assert list(found) == list(menu_drafts)
    assert set(BUILT_IN) <= set(platforms())
    for name, draft in menu_drafts.items():
        card = found[name]
        assert rules(name).display_name in card.one(cls="name").text()
        boxes = card.all(cls="part")
        assert [b.one(cls="text").text() for b in boxes] == list(draft.parts), name
        for part, box in zip(draft.parts, boxes, strict=True):
            gauge = box.one(cls="gauge")
            assert f"{measure(part, name)}/{rules(name).text.limit}" in gauge.text()


def test_the_real_drafts_show_their_changes_comment_and_links(
    menu_drafts: dict[str, Draft], menu_page: str
) -> None:
    found = cards(menu_page)
    for name, draft in menu_drafts.items():
        shown = [li.attrs["data-kind"] for li in found[name].all("li", "change")]
        assert shown == [c.kind for c in draft.changes], name
        if draft.first_comment is not None:
            comment = found[name].one(cls="first-comment")
            assert "First comment" in comment.text()
            assert draft.first_comment in comment.text()
        for url in draft.links:
            assert url in found[name].one("ul", "links").text()
    assert menu_drafts["instagram"].links, "Instagram moves the link out of the text"
    assert "Link in bio" in found["instagram"].one("ul", "links").text()
    assert menu_drafts["instagram"].first_comment is not None


def test_the_page_is_escaped_and_loads_nothing(menu_page: str) -> None:
    assert "<script" not in menu_page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in menu_page
    assert_nothing_from_the_network(menu_page)


# --------------------------------------------------------------------------- escaping


def _hostile(where: str) -> dict[str, Any]:
    """A manifest with the hostile text at ``where``."""
    image = {"file": "x/1.jpg", "width": 10, "height": 10, "format": "JPEG", "bytes": 9}
    comment = {"file": "x/first_comment.txt", "text": HOSTILE, "length": 3}
    cases: dict[str, dict[str, Any]] = {
        "part": {"parts": [{"file": "x/post.txt", "text": HOSTILE, "length": 70}]},
        "first comment": {"first_comment": comment},
        "hashtag kept": {"hashtags": {"kept": [HOSTILE], "dropped": []}},
        "hashtag dropped": {"hashtags": {"kept": [], "dropped": [HOSTILE]}},
        "change message": {"changes": [{"kind": "k", "message": HOSTILE, "dropped": None}]},
        "change dropped": {"changes": [{"kind": "k", "message": "m", "dropped": HOSTILE}]},
        "change kind": {"changes": [{"kind": HOSTILE, "message": "m", "dropped": None}]},
        "link": {"links": [HOSTILE]},
        "display name": {"display_name": HOSTILE},
        "unit name": {"unit_name": HOSTILE},
        "error": {"error": HOSTILE},
        "alt": {"images": [{**image, "alt": HOSTILE}]},
        "image file": {"images": [{**image, "file": HOSTILE}]},
        "draft file": {"draft": HOSTILE},
    }
    if where == "source":
        return manifest_of(entry(), source=HOSTILE)
    if where == "generator":
        return {**manifest_of(entry()), "generator": HOSTILE}
    return manifest_of(entry(**cases[where]))


ESCAPED_PLACES = [
    "part",
    "first comment",
    "hashtag kept",
    "hashtag dropped",
    "change message",
    "change dropped",
    "change kind",
    "link",
    "display name",
    "unit name",
    "error",
    "alt",
    "image file",
    "draft file",
    "source",
    "generator",
]


@pytest.mark.parametrize("where", ESCAPED_PLACES)
def test_user_text_is_escaped_everywhere(where: str) -> None:
    page = render_preview(_hostile(where))
    assert "<script" not in page.lower()
    assert "<img src=x" not in page
    assert HOSTILE not in page
    root = parse(page)
    assert [n.tag for n in root.all("img") if n.attrs.get("src") == "x"] == []
    shown = root.text() + " ".join(v or "" for n in root.walk() for v in n.attrs.values())
    if where not in ("image file", "draft file"):  # a path is percent-encoded, not shown
        assert HOSTILE in shown, where


def test_the_title_is_escaped() -> None:
    page = render_preview(manifest_of(entry()), title=HOSTILE)
    assert "<script" not in page.lower()
    assert parse(page).one("title").text() == HOSTILE


def test_line_breaks_are_kept() -> None:
    text = "Line one\n\nLine three\n  indented"
    page = render_preview(manifest_of(entry(parts=[{"file": "x/p", "text": text, "length": 9}])))
    assert cards(page)["x"].one(cls="part").one(cls="text").text() == text
    assert "white-space:pre-wrap" in page


# --------------------------------------------------------------------------- gauges


@pytest.mark.parametrize(
    ("length", "limit", "state"),
    [
        (0, 280, "ok"),
        (100, 280, "ok"),
        (252, 280, "near"),
        (271, 280, "near"),
        (280, 280, "near"),
        (281, 280, "over"),
        (2300, 2200, "over"),
        (45, 63206, "ok"),
    ],
)
def test_gauges_show_length_over_limit(length: int, limit: int, state: str) -> None:
    part = {"file": "x/post.txt", "text": "t", "length": length}
    page = render_preview(manifest_of(entry(parts=[part], limit=limit)))
    gauge = cards(page)["x"].one(cls="part").one(cls="gauge")
    assert gauge.one(cls="count").text() == f"{length}/{limit}"
    assert state in gauge.classes
    assert ("over" in gauge.classes) == (length > limit)
    assert "weighted characters" in (gauge.attrs.get("title") or "")
    if length > limit:
        assert f"over by {length - limit}" in gauge.text()
    width = re.search(r"width:([\d.]+)%", str(gauge.one("i").attrs.get("style")))
    assert width is not None
    assert float(width.group(1)) == pytest.approx(min(100, 100 * length / limit), abs=0.1)


def test_each_part_of_a_thread_has_its_own_box_and_gauge() -> None:
    parts = [
        {"file": f"x/0{i}.txt", "text": f"part {i}/3", "length": n}
        for i, n in ((1, 271), (2, 290), (3, 12))
    ]
    page = render_preview(manifest_of(entry(parts=parts)))
    boxes = cards(page)["x"].all(cls="part")
    assert [b.one(cls="text").text() for b in boxes] == ["part 1/3", "part 2/3", "part 3/3"]
    assert [b.one(cls="count").text() for b in boxes] == ["271/280", "290/280", "12/280"]
    assert ["over" in b.one(cls="gauge").classes for b in boxes] == [False, True, False]


# --------------------------------------------------------------------------- what was dropped


def test_dropped_hashtags_and_content_are_visible() -> None:
    changes = [
        {"kind": "hashtag-dropped", "message": "left out #chai: X gets 2", "dropped": "#chai"},
        {"kind": "text-truncated", "message": "cut the end", "dropped": "and the rest\nof it"},
        {"kind": "link-tagged", "message": "added utm parameters", "dropped": None},
    ]
    tags = {"kept": ["AutumnMenu", "autumn"], "dropped": ["chai"]}
    card = cards(render_preview(manifest_of(entry(changes=changes, hashtags=tags))))["x"]
    chips = {n.text(): n for n in card.all(cls="tag")}
    assert set(chips) == {"#AutumnMenu", "#autumn", "#chai"}
    assert chips["#chai"].tag == "del"
    assert "dropped" in chips["#chai"].classes
    assert chips["#autumn"].tag != "del"
    items = card.all("li", "change")
    assert [i.attrs["data-kind"] for i in items] == [c["kind"] for c in changes]
    assert [i.one("code").text() for i in items] == [c["kind"] for c in changes]
    assert items[0].one("del").text() == "#chai"
    assert items[1].one("del").text() == "and the rest\nof it"
    assert items[2].all("del") == []
    assert "added utm parameters" in items[2].text()


# --------------------------------------------------------------------------- looks


def test_each_built_in_platform_has_its_own_look_and_an_unknown_one_the_generic() -> None:
    page = render_preview(manifest_of(*(entry(n) for n in (*BUILT_IN, "myspace"))))
    found = cards(page)
    assert list(found) == [*BUILT_IN, "myspace"]
    looks = {name: {c for c in card.classes if c.startswith("p-")} for name, card in found.items()}
    assert looks["myspace"] == {"p-generic"}
    assert all(looks[n] == {f"p-{n}"} for n in BUILT_IN)
    for name in BUILT_IN:
        assert f".p-{name}" in page, f"no style for {name}"
    assert "Myspace" in found["myspace"].one(cls="name").text()


def test_instagram_shows_the_image_first_and_snapchat_a_9_16_frame() -> None:
    def image(platform: str, n: int) -> dict[str, Any]:
        return {"file": f"{platform}/{n}.jpg", "width": 1080, "height": 1350, "alt": "soup"}

    page = render_preview(
        manifest_of(
            entry("instagram", images=[image("instagram", 1), image("instagram", 2)]),
            entry("snapchat", images=[image("snapchat", 1)]),
            entry("x", images=[image("x", 1)]),
        )
    )
    found = cards(page)
    flat = [
        "img" if n.tag == "img" else "part"
        for n in found["instagram"].walk()
        if n.tag == "img" or "part" in n.classes
    ]
    assert flat == ["img", "img", "part"]
    snap = found["snapchat"].one(cls="snap")
    assert snap.one("img").attrs["src"] == "snapchat/1.jpg"
    assert snap.one(cls="part").one(cls="text").text() == "Our autumn menu"
    assert "aspect-ratio:9/16" in page
    x_part = found["x"].one(cls="part")
    assert x_part.one("img").attrs["src"] == "x/1.jpg"


def test_images_are_shown_as_cropped() -> None:
    images = [
        {"file": "x/1.jpg", "width": 1200, "height": 900, "format": "JPEG", "bytes": 123456},
        {"file": "x/2.png", "width": 800, "height": 800, "format": "PNG", "bytes": 999},
    ]
    images[0]["alt"] = "A pumpkin soup"
    images[1]["alt"] = None
    img = cards(render_preview(manifest_of(entry(images=images))))["x"].all("img")
    assert [i.attrs["src"] for i in img] == ["x/1.jpg", "x/2.png"]
    assert [(i.attrs["width"], i.attrs["height"]) for i in img] == [("1200", "900"), ("800", "800")]
    assert [i.attrs["alt"] for i in img] == ["A pumpkin soup", ""]
    assert re.search(r"img\{[^}]*max-width:100%;height:auto", render_preview(manifest_of()))


@pytest.mark.parametrize(
    "file",
    [
        "https://example.com/x.jpg",
        "http://example.com/x.jpg",
        "//example.com/x.jpg",
        "/etc/x.jpg",
        "file:///etc/x.jpg",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        "C:\\photos\\x.jpg",
    ],
)
def test_only_relative_images_are_loaded(file: str) -> None:
    image = {"file": file, "width": 10, "height": 10, "alt": "a"}
    page = render_preview(manifest_of(entry(images=[image])))
    assert parse(page).all("img") == []
    assert "image not shown" in cards(page)["x"].text()
    assert_nothing_from_the_network(page)


# --------------------------------------------------------------------------- other cards


def test_an_error_card_shows_the_message_instead_of_parts() -> None:
    failed = entry("snapchat", error="snapchat: text is 300 of 160 UTF-16 code units", parts=[])
    page = render_preview(manifest_of(entry("x"), failed))
    card = cards(page)["snapchat"]
    assert "has-error" in card.classes
    assert "300 of 160" in card.one(cls="error").text()
    assert card.all(cls="part") == []
    assert len(cards(page)["x"].all(cls="part")) == 1


def test_first_comment_and_links_to_attach() -> None:
    comment = {"file": "instagram/first_comment.txt", "text": "#AutumnMenu #chai", "length": 17}
    links = ["https://example.com/menu?utm_source=instagram", "javascript:alert(1)"]
    page = render_preview(manifest_of(entry("instagram", first_comment=comment, links=links)))
    card = cards(page)["instagram"]
    first = card.one(cls="first-comment")
    assert first.one(cls="label").text() == "First comment"
    assert first.one(cls="text").text() == "#AutumnMenu #chai"
    assert first.one(cls="count").text() == "17/280"
    listed = card.one("ul", "links")
    assert "Link in bio" in listed.text()
    assert [a.attrs["href"] for a in listed.all("a")] == [links[0]]
    assert "javascript:alert(1)" in listed.text()


def test_several_posts_each_have_their_section_in_order() -> None:
    made = {
        "format": 1,
        "generator": "crosspost_adapt 0.1.0",
        "posts": [
            {"index": i, "source": src, "folder": f"post-0{i}", "platforms": [entry("x")]}
            for i, src in enumerate(["menu.toml", "friday.toml", "sale.toml"], 1)
        ],
    }
    sections = parse(render_preview(made)).all("section", "post")
    assert [s.one(cls="src").text() for s in sections] == ["menu.toml", "friday.toml", "sale.toml"]
    assert [len(s.all(cls="card")) for s in sections] == [1, 1, 1]
    assert "Post 2" in sections[1].one("h2").text()


@pytest.mark.parametrize(
    "made",
    [
        {},
        {"posts": []},
        {"posts": [{"platforms": []}]},
        {"posts": [{"source": "a", "platforms": [{"platform": "x"}]}]},
    ],
)
def test_missing_optional_keys_are_tolerated(made: dict[str, Any]) -> None:
    page = render_preview(made)
    assert page.startswith("<!DOCTYPE html>")
    parse(page)


# --------------------------------------------------------------------------- no network

_NETWORK = [
    re.compile(r"<link\b", re.I),
    re.compile(r"<script\b", re.I),
    re.compile(r"@import", re.I),
    re.compile(r"url\(", re.I),
    re.compile(r"<(?:iframe|object|embed|video|audio|source)\b", re.I),
]


def assert_nothing_from_the_network(page: str) -> None:
    for pattern in _NETWORK:
        assert not pattern.search(page), pattern.pattern
    for node in parse(page).walk():
        for name, value in node.attrs.items():
            if name in ("src", "srcset", "poster", "data", "action", "background"):
                assert value is not None
                assert not re.match(r"(?i)\s*(?:[a-z][a-z0-9+.-]*:|//)", value), (name, value)
            if name == "href" and node.tag != "a":
                raise AssertionError(f"<{node.tag} href={value!r}> loads a resource")
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page


# --------------------------------------------------------------------------- a real browser


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("the browser test needs Chromium (apt-get install chromium); not installed")
    return found


def _run_chromium(binary: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [
            binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *args,
        ],
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


#: Appended to a copy of the page: on load, a JSON report of the cards and images.
_REPORT = """<script>
window.addEventListener("load", function () {
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card[data-platform]"));
  var images = Array.prototype.slice.call(document.images);
  var report = {
    cards: cards.map(function (c) { return c.getAttribute("data-platform"); }),
    images: images.map(function (i) {
      return {src: i.getAttribute("src"), ok: i.complete && i.naturalWidth > 0,
              width: i.naturalWidth, height: i.naturalHeight};
    }),
    resources: performance.getEntriesByType("resource").map(function (e) { return e.name; })
  };
  var pre = document.createElement("pre");
  pre.id = "report";
  pre.textContent = JSON.stringify(report);
  document.body.appendChild(pre);
});
</script>"""


def browser_report(binary: str, out_dir: Path, page: str) -> dict[str, Any]:
    """What Chromium sees of ``page`` in ``out_dir``: the cards, each image loaded or
    not, the resources fetched. The page's policy forbids scripts; the copy lets
    this one inline script run, and keeps the rest of the policy (images)."""
    policy = "default-src 'none';"
    assert policy in page
    probe = page.replace(policy, policy + " script-src 'unsafe-inline';", 1)
    probe = probe.replace("</body>", _REPORT + "\n</body>", 1)
    (out_dir / "preview-probe.html").write_text(probe, encoding="utf-8")
    done = _run_chromium(
        binary,
        out_dir.parent,
        "--dump-dom",
        "--virtual-time-budget=5000",
        (out_dir / "preview-probe.html").as_uri(),
    )
    found = re.search(r'<pre id="report">(.*?)</pre>', done.stdout, re.S)
    assert found is not None, done.stdout[-2000:]
    report: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return report


def _picture(width: int, height: int, fmt: str, hue: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (width, height), hue)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 4, height // 4, 3 * width // 4, 3 * height // 4), fill=(240, 200, 60))
    draw.rectangle((0, height - height // 6, width, height), fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def browser_manifest(out_dir: Path) -> dict[str, Any]:
    """The 8 built-in platforms, with real images written under ``out_dir``."""
    sizes = {
        "x": [(320, 240, "JPEG"), (200, 200, "PNG")],
        "facebook": [(300, 200, "JPEG")],
        "instagram": [(270, 337, "JPEG"), (270, 337, "PNG")],
        "snapchat": [(180, 320, "PNG")],
        "linkedin": [(320, 180, "JPEG")],
        "threads": [],
        "bluesky": [(240, 240, "PNG")],
        "mastodon": [(320, 200, "JPEG")],
    }
    entries = []
    for n, name in enumerate(BUILT_IN):
        images = []
        for i, (w, h, fmt) in enumerate(sizes[name], 1):
            file = f"{name}/{i}.{'jpg' if fmt == 'JPEG' else 'png'}"
            data = _picture(w, h, fmt, (40 * n % 256, 120, 200 - 20 * n))
            (out_dir / file).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / file).write_bytes(data)
            images.append(
                {"file": file, "width": w, "height": h, "format": fmt, "bytes": len(data)}
            )
            images[-1]["alt"] = f"picture {i} & <b>{name}</b>"
        parts = [
            {"file": f"{name}/01.txt", "text": "Our autumn menu 🎃\n\nPumpkin soup & chai. 1/2"},
            {"file": f"{name}/02.txt", "text": "Roasted squash <b>not bold</b>. 2/2"},
        ]
        parts[0]["length"] = 45 if name != "threads" else 530
        parts[1]["length"] = 33
        comment = None
        if name == "instagram":
            comment = {"file": "instagram/first_comment.txt", "text": "#fall #soup", "length": 11}
        entries.append(
            entry(
                name,
                display_name=rules(name).display_name,
                limit=rules(name).text.limit,
                unit_name=rules(name).text.unit,
                images=images,
                parts=parts if name in ("x", "threads", "bluesky", "mastodon") else parts[:1],
                first_comment=comment,
                links=["https://example.com/menu"] if name in ("instagram", "snapchat") else [],
                hashtags={"kept": ["AutumnMenu"], "dropped": ["chai", "soup"]},
                changes=[
                    {"kind": "hashtag-dropped", "message": "left out #chai", "dropped": "#chai"},
                    {"kind": "link-tagged", "message": "added utm parameters", "dropped": None},
                ],
            )
        )
    return manifest_of(*entries)


def test_chromium_draws_every_card_and_every_image(tmp_path: Path) -> None:
    binary = _chromium()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    made = browser_manifest(out_dir)
    page = render_preview(made)
    (out_dir / "preview.html").write_text(page, encoding="utf-8")
    report = browser_report(binary, out_dir, page)
    assert report["cards"] == list(BUILT_IN)
    wanted = [i["file"] for e in made["posts"][0]["platforms"] for i in e["images"]]
    assert [i["src"] for i in report["images"]] == wanted
    broken = [i for i in report["images"] if not i["ok"]]
    assert broken == []
    sizes = [(i["width"], i["height"]) for e in made["posts"][0]["platforms"] for i in e["images"]]
    assert [(i["width"], i["height"]) for i in report["images"]] == sizes
    assert [r for r in report["resources"] if not r.startswith("file:")] == []

    shot = tmp_path / "preview.png"
    _run_chromium(
        binary,
        tmp_path,
        "--hide-scrollbars",
        "--window-size=1400,2000",
        f"--screenshot={shot}",
        (out_dir / "preview.html").as_uri(),
    )
    assert shot.is_file()
    assert shot.stat().st_size > 20_000
    with Image.open(shot) as picture:
        assert picture.size == (1400, 2000)
        colours = picture.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None
        assert len(colours) > 200, "the screenshot is (almost) blank"


def test_chromium_detects_a_broken_image(tmp_path: Path) -> None:
    binary = _chromium()
    out_dir = tmp_path / "out"
    (out_dir / "x").mkdir(parents=True)
    (out_dir / "x" / "1.png").write_bytes(_picture(64, 48, "PNG", (10, 120, 200)))
    images = [
        {"file": "x/1.png", "width": 64, "height": 48, "alt": "here"},
        {"file": "x/2.jpg", "width": 64, "height": 48, "alt": "missing"},
    ]
    report = browser_report(binary, out_dir, render_preview(manifest_of(entry(images=images))))
    assert report["cards"] == ["x"]
    assert [(i["src"], i["ok"]) for i in report["images"]] == [
        ("x/1.png", True),
        ("x/2.jpg", False),
    ]
    assert report["images"][1]["width"] == 0
