"""The documentation is checked like code.

- ``docs/platforms.md`` is exactly what ``tools/gen_platform_table.py`` renders;
- every ```python block of README.md and docs/*.md runs (a page's blocks in order,
  in one namespace; a block whose first line is ``# not run`` is skipped);
- the plugin of docs/plugins.md loads through its entry point;
- docs/api.md has a section for every public name;
- every relative link of those pages points to a file that exists (and, for a
  ``page.md#anchor`` link, to a heading of that page).
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import pytest

import crosspost_adapt
import crosspost_adapt.text
from crosspost_adapt import ENTRY_POINT_GROUP, reload_platforms

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GENERATOR = ROOT / "tools" / "gen_platform_table.py"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
PAGE_IDS = [p.relative_to(ROOT).as_posix() for p in PAGES]

# The opening fence of a block: ``` or ~~~ (3 or more), then the info string.
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n", re.MULTILINE)
# An inline link or image: [text](target "title").
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# A reference definition: [label]: target
_REF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(?P<target>[^\s>]+)>?", re.MULTILINE)
_INLINE_CODE = re.compile(r"`+[^`\n]*`+")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


class Block(NamedTuple):
    language: str
    #: Line number (1-based) of the first line of the body in the page.
    line: int
    body: str
    #: Span of the whole block, fences included, in the page's text.
    start: int
    end: int


def _blocks(text: str) -> list[Block]:
    """The fenced code blocks of ``text``, in order."""
    out: list[Block] = []
    pos = 0
    while (m := _FENCE.search(text, pos)) is not None:
        fence = m.group("fence")
        closing = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        close = closing.search(text, m.end())
        body_end, end = (close.start(), close.end()) if close else (len(text), len(text))
        language = (m.group("info").split() or [""])[0].lower()
        line = text.count("\n", 0, m.end()) + 1
        out.append(Block(language, line, text[m.end() : body_end], m.start(), end))
        pos = end
    return out


def _without_blocks(text: str) -> str:
    pieces, pos = [], 0
    for block in _blocks(text):
        pieces.append(text[pos : block.start])
        pos = block.end
    pieces.append(text[pos:])
    return "".join(pieces)


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_platform_table", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- generated page


def test_platform_table_is_up_to_date() -> None:
    expected = _load_generator().render()
    page = DOCS / "platforms.md"
    current = page.read_text(encoding="utf-8") if page.exists() else ""
    assert current == expected, (
        "docs/platforms.md does not match the platform rules: "
        "run `python tools/gen_platform_table.py` to regenerate it"
    )


# --------------------------------------------------------------------------- code blocks


def test_the_pages_are_found() -> None:
    names = {p.name for p in PAGES}
    expected = {"README.md", "index.md", "tutorial.md", "rules.md", "plugins.md"}
    expected |= {"counting.md", "errors.md", "api.md", "platforms.md"}
    assert expected <= names


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_python_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # files a page writes (a photo, drafts) stay out of the way
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    for block in _blocks(page.read_text(encoding="utf-8")):
        if block.language not in ("python", "py"):
            continue
        if block.body.lstrip().startswith("# not run"):
            continue
        # Padded with empty lines so that a traceback shows the line of the page.
        code = compile("\n" * (block.line - 1) + block.body, str(page), "exec")
        exec(code, namespace)


def test_plugin_example_loads_through_its_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plugin of docs/plugins.md, "installed" as a distribution on sys.path.

    Its module and its ``pyproject.toml`` table are the page's own blocks; the
    block that needs the plugin installed (marked ``# not run``) runs here.
    """
    blocks = _blocks((DOCS / "plugins.md").read_text(encoding="utf-8"))
    module = next(b.body for b in blocks if b.body.startswith("# lumigram_crosspost/platform.py"))
    project = tomllib.loads(next(b.body for b in blocks if b.language == "toml"))["project"]
    installed = next(b for b in blocks if b.body.startswith("# not run: needs the plugin"))

    package = tmp_path / "lumigram_crosspost"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "platform.py").write_text(module, encoding="utf-8")
    name, version = project["name"], project["version"]
    dist_info = tmp_path / f"{name.replace('-', '_')}-{version}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    table = project["entry-points"][ENTRY_POINT_GROUP]
    lines = [f"[{ENTRY_POINT_GROUP}]", *(f"{k} = {v}" for k, v in table.items())]
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")

    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert "lumigram" in reload_platforms()
        code = compile("\n" * (installed.line - 1) + installed.body, "docs/plugins.md", "exec")
        exec(code, {"__name__": "docs_plugins"})
    finally:
        monkeypatch.undo()
        for loaded in [m for m in sys.modules if m.split(".")[0] == "lumigram_crosspost"]:
            del sys.modules[loaded]
        importlib.invalidate_caches()
        assert "lumigram" not in reload_platforms()


def test_api_reference_names_every_public_name() -> None:
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^#{2,6} `([A-Za-z_]\w*)`", api, re.MULTILINE))
    public = set(crosspost_adapt.__all__) | set(crosspost_adapt.text.__all__)
    missing = sorted(public - sections)
    assert not missing, f"docs/api.md has no section for {missing}"


def test_block_reader() -> None:
    text = "a\n```python\nx = 1\n```\n\n````md\n```python\nno\n```\n````\n~~~toml\nk = 1\n~~~\n"
    assert [(b.language, b.line, b.body) for b in _blocks(text)] == [
        ("python", 3, "x = 1\n"),
        ("md", 7, "```python\nno\n```\n"),
        ("toml", 12, "k = 1\n"),
    ]
    assert _without_blocks(text) == "a\n" + "\n\n" + "\n" + "\n"


# --------------------------------------------------------------------------- links


def _targets(text: str) -> list[str]:
    """Link targets of ``text``, outside code blocks and inline code."""
    prose = _INLINE_CODE.sub("", _without_blocks(text))
    inline = [m.group("target") for m in _LINK.finditer(prose)]
    return inline + [m.group("target") for m in _REF.finditer(prose)]


def _anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings of ``text``."""
    seen: dict[str, int] = {}
    out = set()
    for m in _HEADING.finditer(_without_blocks(text)):
        slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_relative_links_exist(page: Path) -> None:
    broken = []
    for target in _targets(page.read_text(encoding="utf-8")):
        if _SCHEME.match(target):
            continue  # https:, mailto:...
        path, _, anchor = target.partition("#")
        linked = page.parent / path.split("?", 1)[0] if path else page
        if not linked.exists():
            broken.append(target)
        elif (
            anchor
            and linked.suffix == ".md"
            and anchor not in _anchors(linked.read_text(encoding="utf-8"))
        ):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.relative_to(ROOT)}: broken relative links: {broken}"


def test_link_reader() -> None:
    text = '[a](a.md) ![i](img/x.png "t") `[no](no.md)` [w](https://e.com)\n[r]: ref.md\n'
    assert _targets(text) == ["a.md", "img/x.png", "https://e.com", "ref.md"]


def test_anchors() -> None:
    text = "# Title\n## 1. The idea: `Post`\n```sh\n# not a heading\n```\n## Title\n"
    assert _anchors(text) == {"title", "1-the-idea-post", "title-1"}
