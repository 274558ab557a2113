"""The project itself: type checks, lint, the README's commands, the example."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import crosspost_adapt

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_mypy_strict() -> None:
    result = _run("-m", "mypy", "--strict", "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff() -> None:
    result = _run("-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", readme, re.S)]


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2, commands
    assert all("\n" not in c for c in commands)


def test_ci_runs_the_readme_test_command() -> None:
    test_command = _readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines(), f"{test_command!r} is not a line of .ci/run"


def test_the_main_command_runs_the_demo(tmp_path: Path) -> None:
    main_command = _readme_commands()[0]
    assert main_command.split("&&")[-1].split() == ["crosspost-adapt", "demo"]
    result = subprocess.run(
        [sys.executable, "-m", "crosspost_adapt", "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    for name in crosspost_adapt.platforms():
        assert re.search(rf"^  {name}\s+\d+\s+[\d,]+/[\d,]+\s", result.stdout, re.M), result.stdout
    assert (tmp_path / "crosspost-demo" / "preview.html").is_file()
    assert "preview.html" in result.stdout


def test_the_quickstart_example_runs() -> None:
    result = _run("examples/quickstart.py")
    assert result.returncode == 0, result.stderr
    for name in crosspost_adapt.platforms():
        assert re.search(rf"^{name}\s+\d+\s+\d+\s+\d+", result.stdout, re.M), result.stdout


def test_public_api_is_sorted_and_exists() -> None:
    names = crosspost_adapt.__all__

    def kind(name: str) -> int:  # constants, then classes, then functions (isort style)
        return 0 if name.isupper() else 1 if name[0].isupper() else 2

    assert list(names) == sorted(names, key=lambda n: (kind(n), n))
    for name in names:
        assert hasattr(crosspost_adapt, name), name
    assert (ROOT / "src" / "crosspost_adapt" / "py.typed").is_file()


@pytest.mark.parametrize("suffix", [".py", ".md", ".toml", ".js", ".json"])
def test_files_speak_of_the_project_only(suffix: str) -> None:
    tracked = subprocess.run(
        ["git", "ls-files", f"*{suffix}"], cwd=ROOT, capture_output=True, text=True
    )
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    machine_paths = re.compile(r"/work/|/tmp/noderef|/root/|site-packages/")
    for rel in tracked.stdout.split():
        if rel.startswith("tests/conformance/") or rel == "tests/test_project.py":
            continue
        text = (ROOT / rel).read_text(encoding="utf-8", errors="replace")
        assert not machine_paths.search(text), f"{rel} names a path of a machine"
