"""The command line: draft folders, manifest, exit codes, one-line errors, safety."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from crosspost_adapt import Platform, adapt_all, platforms, reload_platforms, rules
from crosspost_adapt.adapters.registry import default_registry
from crosspost_adapt.cli import EXIT_INPUT, EXIT_OK, EXIT_PROBLEMS, ProgressBar, load_post, main
from crosspost_adapt.output import _safe_path, post_folder

LONG = (
    "Notre menu d'automne est arrivé ! Courge rôtie au miel, chaï épicé maison. "
    "Avec @{cafe}, des producteurs à moins de 50 km. Our autumn menu is here: roasted "
    "squash with honey, house-spiced chai, an apple crumble from the orchard next door "
    "and a pumpkin soup to warm you up. Come and taste it from Monday, on the terrace "
    "or to take away. 🎃🍂"
)

POST_TOML = f'''
text = "{LONG}"
hashtags = ["autumn", "menu", "Pumpkin Spice", "chai"]
campaign = "AutumnMenu"
link = "https://example.com/menu/autumn"

[mentions.cafe]
name = "Café Lune"
handles = {{ x = "cafelune", bluesky = "cafelune.bsky.social" }}

[[media]]
path = "pictures/photo.png"
alt = "A pumpkin soup on a wooden table"
'''


def _photo(path: Path, size: tuple[int, int] = (640, 480)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, (200, 120, 40))
    for x in range(0, size[0], 16):
        image.paste((90, 60, 20), (x, 0, x + 4, size[1]))
    image.save(path)


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def post_file(tmp_path: Path) -> Path:
    folder = tmp_path / "posts"
    folder.mkdir()
    _photo(folder / "pictures" / "photo.png")
    path = folder / "menu.toml"
    path.write_text(POST_TOML, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- adapt


def test_adapt_writes_a_folder_per_platform(post_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run("adapt", post_file, "-o", out)
    assert (code, stderr) == (EXIT_OK, "")
    expected = adapt_all(load_post(post_file))
    for name, draft in expected.items():
        folder = out / name
        if len(draft.parts) == 1:
            assert (folder / "post.txt").read_text("utf-8") == draft.text
        else:
            texts = [
                (folder / f"{i:02d}.txt").read_text("utf-8") for i in range(1, 1 + len(draft.parts))
            ]
            assert tuple(texts) == draft.parts
            assert not (folder / "post.txt").exists()
        for i, made in enumerate(draft.media, 1):
            ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[made.format]
            assert (folder / f"{i}.{ext}").read_bytes() == made.data
        described = json.loads((folder / "draft.json").read_text("utf-8"))
        assert described["parts"] == list(draft.parts)
        assert described["links"] == list(draft.links)
        assert [c["kind"] for c in described["changes"]] == [c.kind for c in draft.changes]
        assert all("file" in m for m in described["media"])
        assert (folder / "first_comment.txt").exists() == (draft.first_comment is not None)
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [e["platform"] for e in manifest["posts"][0]["platforms"]] == list(platforms())
    assert (out / "preview.html").is_file()
    # The summary: a row per platform, with the longest part against the limit.
    for name in platforms():
        assert f"\n  {name} " in stdout
    assert "/280" in stdout
    assert str(out / "preview.html") in stdout


def test_manifest_entries(post_file: Path, tmp_path: Path) -> None:
    code, stdout, _ = run("adapt", post_file, "-o", tmp_path / "o", "-p", "x,instagram", "--json")
    assert code == EXIT_OK
    printed = json.loads(stdout)
    assert printed == json.loads((tmp_path / "o" / "manifest.json").read_text("utf-8"))
    x, instagram = printed["posts"][0]["platforms"]
    assert (x["platform"], instagram["platform"]) == ("x", "instagram")
    assert x["limit"] == 280 and x["unit"] == "weighted"
    assert len(x["parts"]) > 1 and all(p["length"] <= 280 for p in x["parts"])
    assert x["parts"][0]["file"] == "x/01.txt"
    assert instagram["links"][0].startswith("https://example.com/menu/autumn?utm_source=instagram")
    assert instagram["images"][0]["file"] == "instagram/1.jpg"
    image = instagram["images"][0]
    assert (image["width"], image["height"], image["format"]) == (640, 480, "JPEG")  # no upscale
    assert "AutumnMenu" in instagram["hashtags"]["kept"]
    kinds = {c["kind"] for c in x["changes"]}
    assert "thread-split" in kinds
    dropped = [c["dropped"].lstrip("#") for c in x["changes"] if c["kind"] == "hashtag-dropped"]
    assert x["hashtags"]["dropped"] == dropped and dropped
    assert not (tmp_path / "o" / "facebook").exists()


def test_json_post_and_aliases(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"text": "Hello world", "hashtags": ["hi"]}), encoding="utf-8")
    code, _, err = run("adapt", path, "-p", "Twitter, bluesky,x", "-o", tmp_path / "o")
    assert (code, err) == (EXIT_OK, "")
    assert sorted(p.name for p in (tmp_path / "o").iterdir() if p.is_dir()) == ["bluesky", "x"]
    assert (tmp_path / "o" / "x" / "post.txt").read_text("utf-8").startswith("Hello world")


def test_cannot_fit_is_exit_1_and_the_others_are_written(post_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    code, stdout, _ = run("adapt", post_file, "-o", out, "--overflow", "error", "--json")
    assert code == EXIT_PROBLEMS
    entries = {e["platform"]: e for e in json.loads(stdout)["posts"][0]["platforms"]}
    assert "280" in entries["x"]["error"] and entries["x"]["parts"] == []
    assert not (out / "x").exists()
    assert entries["facebook"]["error"] is None
    assert (out / "facebook" / "post.txt").is_file()
    code, stdout, _ = run("adapt", post_file, "-o", out, "--overflow", "error")
    assert code == EXIT_PROBLEMS
    assert "cannot fit" in stdout and "x: x: text is" in stdout


BAD_INPUTS: list[tuple[str, str, bytes | None, str]] = [
    # (case, file name, content (None: not created), what the line says)
    ("missing file", "absent.toml", None, "no such file"),
    ("invalid TOML", "bad.toml", b'text = "unclosed\n', "invalid TOML"),
    ("invalid JSON", "bad.json", b'{"text": ', "invalid JSON"),
    ("unknown key", "key.toml", b'text = "hi"\ncolour = "red"\n', "colour"),
    ("wrong type", "type.toml", b"text = 3\n", "text"),
    ("not UTF-8", "latin.toml", 'text = "café"\n'.encode("latin-1"), "not UTF-8"),
    ("not a table", "list.json", b"[1, 2]", "not list"),
    ("other suffix", "post.yaml", b"text: hi\n", ".toml or .json"),
    ("unreadable image", "img.toml", b'text = "hi"\n[[media]]\npath = "fake.jpg"\n', "fake.jpg"),
    ("missing image", "noimg.toml", b'text = "hi"\n[[media]]\npath = "gone.png"\n', "gone.png"),
    ("empty post", "empty.toml", b'text = "  "\n', "post"),
]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [c[1:] for c in BAD_INPUTS],
    ids=[c[0] for c in BAD_INPUTS],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, name: str, content: bytes | None, says: str
) -> None:
    (tmp_path / "fake.jpg").write_text("this is not an image", encoding="utf-8")
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, _, err = run("adapt", path, "-o", tmp_path / "o")
    assert code == EXIT_INPUT
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("crosspost-adapt: ") and name in lines[0] and says in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["adapt", "{post}", "-p", "myspace"], "unknown platform 'myspace'"),
        (["adapt", "{post}", "-p", ","], "no platform"),
        (["adapt", "{post}", "--overflow", "wrap"], "invalid choice"),
        (["adapt"], "required"),
        ([], "required"),
        (["frobnicate"], "invalid choice"),
        (["check", "{post}"], "-p"),
        (["check", "{post}", "-p", "x,facebook"], "one platform"),
        (["adapt", "{empty_dir}"], "no .toml or .json post"),
    ],
)
def test_usage_errors_exit_2(
    post_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    (tmp_path / "empty").mkdir()
    argv = [a.format(post=post_file, empty_dir=tmp_path / "empty") for a in argv]
    code, _, err = run(*argv, "-o", tmp_path / "o") if argv[:1] == ["adapt"] else run(*argv)
    err += capsys.readouterr().err  # argparse writes its own usage errors
    assert code == EXIT_INPUT
    assert says in err
    assert "Traceback" not in err


def test_several_posts_go_to_numbered_folders(post_file: Path, tmp_path: Path) -> None:
    folder = post_file.parent
    (folder / "second.json").write_text(json.dumps({"text": "Second post"}), encoding="utf-8")
    (folder / "notes.txt").write_text("not a post", encoding="utf-8")
    out = tmp_path / "o"
    code, stdout, err = run("adapt", folder, "-o", out, "-p", "x,facebook")
    assert (code, err) == (EXIT_OK, "")  # stderr is no terminal here: no bar
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [(p["source"], p["folder"]) for p in manifest["posts"]] == [
        ("menu.toml", "post-01"),
        ("second.json", "post-02"),
    ]
    assert (out / "post-01" / "x" / "01.txt").is_file()
    assert (out / "post-02" / "facebook" / "post.txt").read_text("utf-8") == "Second post"
    assert "menu.toml -> post-01/" in stdout


def test_one_bad_post_does_not_stop_the_others(post_file: Path, tmp_path: Path) -> None:
    bad = post_file.parent / "bad.toml"
    bad.write_text("text = [", encoding="utf-8")
    out = tmp_path / "o"
    code, _, err = run("adapt", bad, post_file, "-o", out, "-p", "x")
    assert code == EXIT_INPUT
    assert err.count("\n") == 1 and "bad.toml" in err
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [p["source"] for p in manifest["posts"]] == ["menu.toml"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    terminal = _Terminal()
    bar = ProgressBar(terminal, width=10)
    bar(1, 4)
    bar(4, 4)
    assert terminal.getvalue() == "\r[##--------] 1/4 posts\r[##########] 4/4 posts\n"
    plain = io.StringIO()
    ProgressBar(plain)(1, 2)
    assert plain.getvalue() == ""


def test_progress_bar_drawn_for_several_posts(
    post_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = post_file.parent / "b.json"
    second.write_text(json.dumps({"text": "Second"}), encoding="utf-8")
    err = _Terminal()
    code = main(
        ["adapt", str(post_file), str(second), "-o", str(tmp_path / "o"), "-p", "x"],
        out=io.StringIO(),
        err=err,
    )
    assert code == EXIT_OK
    assert err.getvalue().endswith("2/2 posts\n") and "1/2 posts" in err.getvalue()
    err = _Terminal()
    main(["adapt", str(second), "-o", str(tmp_path / "o"), "-p", "x"], out=io.StringIO(), err=err)
    assert err.getvalue() == ""  # one post: no bar


# --------------------------------------------------------------------------- safety


def test_existing_out_dir_is_not_wiped(post_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    (out / "x").mkdir(parents=True)
    (out / "notes.md").write_text("mine", encoding="utf-8")
    (out / "x" / "01.txt").write_text("old", encoding="utf-8")
    (out / "x" / "keep.txt").write_text("mine too", encoding="utf-8")
    assert run("adapt", post_file, "-o", out, "-p", "x")[0] == EXIT_OK
    assert (out / "notes.md").read_text("utf-8") == "mine"
    assert (out / "x" / "keep.txt").read_text("utf-8") == "mine too"
    assert (out / "x" / "01.txt").read_text("utf-8") != "old"
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]  # no temporary left


def test_nothing_in_a_post_writes_outside_out_dir(tmp_path: Path) -> None:
    sneaky = {
        "text": "../../escape @{x} ../x/../../y /etc/passwd",
        "hashtags": ["up", "dot dot"],
        "campaign": "Escape",
        "mentions": {"x": {"name": "../../n", "handles": {"x": "dotdot"}}},
        "link": "https://example.com/../../a",
        "variants": {"x": "../../../variant"},
    }
    post = tmp_path / "a" / "..post.json"
    post.parent.mkdir()
    post.write_text(json.dumps(sneaky), encoding="utf-8")
    out = tmp_path / "a" / "out"
    code, _, err = run("adapt", post, "-o", out)
    assert (code, err) == (EXIT_OK, "")
    inside = {p.relative_to(out).parts[0] for p in out.rglob("*")}
    assert inside == {*platforms(), "manifest.json", "preview.html"}
    assert sorted(p.name for p in tmp_path.rglob("*") if out not in p.parents) == sorted(
        ["a", "..post.json", "out"]
    )


@pytest.mark.parametrize("relative", ["../x", "x/../../y", "/abs", "x/.hidden", "X", "", "a\\b"])
def test_unsafe_output_paths_are_refused(tmp_path: Path, relative: str) -> None:
    with pytest.raises(ValueError, match="unsafe output path"):
        _safe_path(tmp_path, relative)


def test_post_folders() -> None:
    assert [post_folder(1, 1), post_folder(1, 2), post_folder(12, 120)] == [
        "",
        "post-01",
        "post-012",
    ]


def test_media_paths_are_relative_to_the_post_file(
    post_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(post_file.parent.parent)  # not the post's folder
    post = load_post(post_file)
    assert post.media[0].path == post_file.parent / "pictures" / "photo.png"


# --------------------------------------------------------------------------- check


def test_check_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("Our autumn menu is here #AutumnMenu", encoding="utf-8")
    code, out, _ = run("check", clean, "-p", "x")
    assert code == EXIT_OK and "no problem" in out
    long = tmp_path / "long.txt"
    long.write_text("word " * 100 + "#a #b #c", encoding="utf-8")
    code, out, _ = run("check", long, "-p", "twitter")
    assert code == EXIT_PROBLEMS
    assert "too-long" in out and "508 of 280 weighted characters" in out
    assert "too-many-hashtags" in out
    code, out, _ = run("check", long, "-p", "x", "--json")
    problems = json.loads(out)
    assert {p["code"] for p in problems} == {"too-long", "too-many-hashtags"}
    too_long = next(p for p in problems if p["code"] == "too-long")
    assert (too_long["measured"], too_long["limit"], too_long["unit"]) == (508, 280, "weighted")
    code, _, err = run("check", tmp_path / "none.txt", "-p", "x")
    assert code == EXIT_INPUT and "none.txt: no such file" in err


# --------------------------------------------------------------------------- platforms


def test_platforms_table_and_json() -> None:
    code, out, _ = run("platforms")
    assert code == EXIT_OK
    for name in platforms():
        assert any(line.startswith(name) for line in out.splitlines())
    assert "280 weighted characters" in out and "built-in" in out
    code, out, _ = run("platforms", "--json")
    rows = json.loads(out)
    assert [r["name"] for r in rows] == list(platforms())
    x = rows[0]
    assert (x["text_limit"], x["aliases"], x["hashtags_max"]) == (280, ["twitter"], 2)


@pytest.fixture
def extra_platform() -> Any:
    import attrs

    mastodon = rules("mastodon")
    rules_ = attrs.evolve(mastodon, name="pixelfed", display_name="Pixelfed")
    default_registry().register(Platform(name="pixelfed", rules=rules_), origin="a test")
    yield
    reload_platforms()


@pytest.mark.usefixtures("extra_platform")
def test_platforms_lists_third_party_ones(tmp_path: Path) -> None:
    code, out, _ = run("platforms")
    line = next(line for line in out.splitlines() if line.startswith("pixelfed"))
    assert "Pixelfed" in line and "a test" in line
    path = tmp_path / "p.toml"
    path.write_text('text = "Hello"\n', encoding="utf-8")
    code, _, _ = run("adapt", path, "-o", tmp_path / "o", "-p", "pixelfed")
    assert code == EXIT_OK
    assert (tmp_path / "o" / "pixelfed" / "post.txt").read_text("utf-8") == "Hello"


# --------------------------------------------------------------------------- demo


def test_demo(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    code, stdout, err = run("demo", "-o", out)
    assert (code, err) == (EXIT_OK, "")
    assert str(out / "preview.html") in stdout
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    entries = manifest["posts"][0]["platforms"]
    assert [e["platform"] for e in entries] == list(platforms())
    assert all(e["error"] is None and e["parts"] for e in entries)
    assert all(e["images"] for e in entries)  # the bundled photo, made for each
    for entry in entries:
        for image in entry["images"]:
            with Image.open(out / image["file"]) as made:
                assert made.size == (image["width"], image["height"])


def test_module_entry_point(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crosspost_adapt", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("crosspost-adapt ")
    done = subprocess.run(
        [sys.executable, "-m", "crosspost_adapt", "check", str(tmp_path / "x.txt"), "-p", "x"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_INPUT
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


class _ClosedPipe(io.StringIO):
    def write(self, s: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_quietly() -> None:
    err = io.StringIO()
    assert main(["platforms"], out=_ClosedPipe(), err=err) == 141
    assert err.getvalue() == ""


def test_several_posts_with_a_bad_image_and_a_text_that_cannot_fit(
    post_file: Path, tmp_path: Path
) -> None:
    folder = post_file.parent
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (folder / "b.toml").write_text('text = "hi"\n[[media]]\npath = "broken.jpg"\n', "utf-8")
    (folder / "c.json").write_text(json.dumps({"text": "Short one"}), encoding="utf-8")
    out = tmp_path / "o"
    code, stdout, err = run("adapt", folder, "-o", out, "-p", "x,facebook", "--overflow", "error")
    assert code == EXIT_INPUT  # the bad image is an input error, which ranks first
    assert err.count("\n") == 1 and "b.toml" in err and "broken.jpg" in err
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    posts = {p["source"]: p for p in manifest["posts"]}
    assert sorted(posts) == ["c.json", "menu.toml"]  # b.toml is post-01, not written
    assert posts["c.json"]["folder"] == "post-02"  # (its place among the files)
    menu = {e["platform"]: e for e in posts["menu.toml"]["platforms"]}
    assert menu["x"]["error"] and not (out / "post-03" / "x").exists()
    assert (out / "post-03" / "facebook" / "post.txt").is_file()
    assert not (out / "post-01").exists()
    assert "cannot fit" in stdout
