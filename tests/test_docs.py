"""The documentation is checked like code.

- ``docs/platforms.md`` is exactly what ``tools/gen_platform_table.py`` renders;
- every ```python block of README.md and docs/*.md runs (a file's blocks in order,
  in one namespace; a block whose first line is ``# not run`` is skipped);
- every relative link of those files points to a file or folder that exists.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GENERATOR = ROOT / "tools" / "gen_platform_table.py"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

# A fenced block: its fence (``` or ~~~, 3 or more), info string, body.
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n", re.MULTILINE)
# An inline link or image: [text](target "title"), target without spaces.
_LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# A reference definition: [label]: target
_REF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s|$)", re.MULTILINE)
_INLINE_CODE = re.compile(r"`+[^`\n]*`+")


def _ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(ROOT).as_posix() for p in paths]


def _blocks(text: str) -> list[tuple[str, int, str]]:
    """Fenced blocks of ``text`` as (language, line of the first body line, body)."""
    out: list[tuple[str, int, str]] = []
    pos = 0
    while (m := _FENCE.search(text, pos)) is not None:
        fence = m.group("fence")
        closing = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        end = closing.search(text, m.end())
        body_end = end.start() if end is not None else len(text)
        language = (m.group("info").split() or [""])[0].lower()
        first_line = text.count("\n", 0, m.end()) + 1
        out.append((language, first_line, text[m.end() : body_end]))
        pos = end.end() if end is not None else len(text)
    return out


def _prose(text: str) -> str:
    """``text`` without its fenced blocks and inline code (links there are examples)."""
    pieces: list[str] = []
    pos = 0
    while (m := _FENCE.search(text, pos)) is not None:
        pieces.append(text[pos : m.start()])
        fence = m.group("fence")
        closing = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        end = closing.search(text, m.end())
        pos = end.end() if end is not None else len(text)
    pieces.append(text[pos:])
    return _INLINE_CODE.sub("", "".join(pieces))


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_platform_table", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- (a)


def test_platform_table_is_up_to_date() -> None:
    expected = _load_generator().render()
    page = DOCS / "platforms.md"
    current = page.read_text(encoding="utf-8") if page.exists() else ""
    assert current == expected, (
        "docs/platforms.md is out of date with the platform rules: "
        "run `python tools/gen_platform_table.py` and commit the result"
    )


# --------------------------------------------------------------------------- (b)


def test_the_pages_are_found() -> None:
    names = {p.name for p in PAGES}
    for required in ("README.md", "index.md", "tutorial.md", "rules.md", "plugins.md"):
        assert required in names


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_python_blocks_run(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    namespace: dict[str, Any] = {"__name__": f"docs_{page.stem}"}
    for language, line, body in _blocks(text):
        if language not in ("python", "py"):
            continue
        if body.lstrip().startswith("# not run"):
            continue
        # Pad with empty lines so that a traceback shows the line of the page.
        code = compile("\n" * (line - 1) + body, str(page), "exec")
        exec(code, namespace)


def test_block_reader() -> None:
    text = "a\n```python\nx = 1\n```\n\n````md\n```python\nno\n```\n````\n```toml\nk = 1\n```\n"
    assert _blocks(text) == [
        ("python", 3, "x = 1\n"),
        ("md", 7, "```python\nno\n```\n"),
        ("toml", 12, "k = 1\n"),
    ]


# --------------------------------------------------------------------------- (c)


def _targets(text: str) -> list[str]:
    prose = _prose(text)
    return [m.group("target") for m in _LINK.finditer(prose)] + [
        m.group("target") for m in _REF.finditer(prose)
    ]


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_relative_links_exist(page: Path) -> None:
    broken = []
    for target in _targets(page.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("#"):
            continue  # http:, https:, mailto:... or an anchor in the same page
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not (page.parent / path).exists():
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)}: broken relative links: {broken}"


def test_link_reader() -> None:
    text = '[a](a.md) ![i](img/x.png "t") `[no](no.md)` [w](https://e.com)\n[r]: ref.md\n'
    assert _targets(text) == ["a.md", "img/x.png", "https://e.com", "ref.md"]
