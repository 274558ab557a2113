"""The command line: ``crosspost-adapt`` (also ``python -m crosspost_adapt``).

Commands::

    crosspost-adapt adapt POST_FILE... [-p x,instagram,...] [-o OUT_DIR]
                          [--overflow thread|truncate|error] [--json]
    crosspost-adapt check TEXT_FILE -p PLATFORM [--json]
    crosspost-adapt platforms [--json]
    crosspost-adapt demo [-o OUT_DIR]

Exit codes: 0 ok; 1 problems found (``check``) or a text that cannot fit
(``--overflow error``); 2 a usage or input error (a missing or invalid file, an
unknown key or platform, an unreadable image), told in one line on stderr that
names the file and the problem.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final, TextIO

from crosspost_adapt import __version__
from crosspost_adapt.adapt import adapt, adapt_all, check
from crosspost_adapt.adapters.registry import BUILTIN_ORDER, DISTRIBUTION, default_registry
from crosspost_adapt.batch import BatchResult, adapt_many
from crosspost_adapt.draft import Draft
from crosspost_adapt.errors import UNIT_NAMES, CannotFitError, CrosspostError
from crosspost_adapt.model import Post
from crosspost_adapt.output import PostOutput, write_index, write_post
from crosspost_adapt.rules import PlatformRules

__all__ = [
    "EXIT_INPUT",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "InputError",
    "ProgressBar",
    "build_parser",
    "load_post",
    "main",
]

PROG: Final = "crosspost-adapt"
EXIT_OK: Final = 0
#: Problems found by ``check``, or a text that cannot fit (``--overflow error``).
EXIT_PROBLEMS: Final = 1
#: A usage or input error.
EXIT_INPUT: Final = 2
#: The reader of the output went away (128 + SIGPIPE, as a shell reports it).
EXIT_BROKEN_PIPE: Final = 141
#: The file types a post is read from.
POST_SUFFIXES: Final = (".toml", ".json")
GENERATOR: Final = f"crosspost_adapt {__version__}"


class InputError(Exception):
    """A bad input: the message names the file and the problem (one line)."""


# --------------------------------------------------------------------------- posts


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None


def load_post(path: str | os.PathLike[str]) -> Post:
    """Read a post from a TOML or JSON file with the keys of :meth:`Post.from_dict`.

    A media ``path`` that is relative is taken from the post file's folder.
    Raises :class:`InputError` (one line naming the file and the problem).
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in POST_SUFFIXES:
        raise InputError(f"{file}: a post is a .toml or .json file, not {suffix or 'no suffix'!r}")
    text = _read_text(file)
    try:
        data: Any = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{file}: invalid TOML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{file}: invalid JSON: {exc.msg} (line {exc.lineno})") from None
    except RecursionError:
        raise InputError(f"{file}: nested too deeply") from None
    if not isinstance(data, dict):
        raise InputError(f"{file}: a post is a table of keys, not {type(data).__name__}")
    media = data.get("media")
    if isinstance(media, list):
        data = {**data, "media": [_from_folder(m, file.parent) for m in media]}
    try:
        return Post.from_dict(data)
    except CrosspostError as exc:
        raise InputError(f"{file}: {exc}") from None
    except (TypeError, ValueError, RecursionError) as exc:
        raise InputError(f"{file}: invalid post: {exc}") from None


def _from_folder(item: Any, folder: Path) -> Any:
    """A media entry with a relative ``path`` made relative to ``folder``."""
    if isinstance(item, dict) and isinstance(item.get("path"), str) and "\0" not in item["path"]:
        path = Path(item["path"])
        if not path.is_absolute():
            return {**item, "path": str(folder / path)}
    return item


def _post_files(arguments: Sequence[str]) -> list[Path]:
    """The post files named, a folder giving its .toml and .json files (sorted)."""
    files: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.suffix.lower() in POST_SUFFIXES and p.is_file()
            )
            if not found:
                raise InputError(f"{path}: no .toml or .json post in this folder")
            files.extend(found)
        else:
            files.append(path)
    return files


# --------------------------------------------------------------------------- progress


class ProgressBar:
    """A progress bar on a terminal: call it with ``(done, total)``.

    Draws on ``stream`` (stderr by default) only when it is a terminal; ends the
    line when ``done == total``.
    """

    def __init__(self, stream: TextIO | None = None, *, label: str = "posts", width: int = 30):
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.width = width
        self.active = self.stream.isatty()

    def __call__(self, done: int, total: int | None) -> None:
        if not self.active:
            return
        if total is None or total <= 0:
            self.stream.write(f"\r{done} {self.label}")
            self.stream.flush()
            return
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done >= total else ""
        self.stream.write(f"\r[{bar}] {done}/{total} {self.label}{end}")
        self.stream.flush()


# --------------------------------------------------------------------------- adapting


def _platform_names(option: str | None) -> list[str]:
    """The registered names of ``-p`` (comma-separated names or aliases; all when None)."""
    registry = default_registry()
    if option is None:
        return list(registry.names())
    names: list[str] = []
    for word in option.split(","):
        word = word.strip()
        if not word:
            continue
        try:
            name = registry.get(word.lower()).name
        except CrosspostError as exc:
            raise InputError(f"-p: {exc}") from None
        if name not in names:
            names.append(name)
    if not names:
        raise InputError("-p: no platform named")
    return names


def _fitting_drafts(
    post: Post, names: Sequence[str], options: dict[str, Any]
) -> tuple[dict[str, Draft], dict[str, str]]:
    """For a post whose ``adapt_all`` raised :class:`CannotFitError`: the drafts of
    the platforms where it fits, and why it does not fit on the others.

    Raises :class:`MediaError` for an image that cannot be made (the post's input).
    """
    errors: dict[str, str] = {}
    for name in names:
        try:
            adapt(post, name, **options)
        except CannotFitError as exc:
            errors[name] = str(exc)
    fitting = [n for n in names if n not in errors]
    drafts = adapt_all(post, fitting, **options) if fitting else {}
    return drafts, errors


def _adapt_files(
    files: Sequence[Path],
    names: Sequence[str],
    options: dict[str, Any],
    out_dir: Path,
    progress: Callable[[int, int | None], None] | None,
    complain: Callable[[str], None],
) -> tuple[list[dict[str, Any]], bool]:
    """Each post file adapted and written under ``out_dir`` as soon as it is done:
    the manifest entries, and whether a file was bad (told with ``complain``; the
    other files go on). Several posts are adapted in parallel (``adapt_many``)."""
    registry = default_registry()
    rules: dict[str, PlatformRules] = {n: registry.get(n).rules for n in names}
    loaded: list[tuple[int, Path, Post]] = []
    bad = False
    for position, file in enumerate(files, 1):
        try:
            loaded.append((position, file, load_post(file)))
        except InputError as exc:
            complain(str(exc))
            bad = True
    posts = [post for _, _, post in loaded]
    if len(posts) > 1:
        results: Iterable[BatchResult] = adapt_many(posts, names, progress=progress, **options)
    else:
        results = (_in_process(i, post, names, options) for i, post in enumerate(posts))
    entries: list[dict[str, Any]] = []
    for result in results:
        position, file, post = loaded[result.index]
        drafts: Mapping[str, Draft] | None = result.drafts
        errors: dict[str, str] = {}
        if isinstance(result.error, CannotFitError):
            try:  # which platforms cannot fit, and the drafts of the others
                drafts, errors = _fitting_drafts(post, names, options)
            except CrosspostError as exc:
                result = BatchResult(result.index, post, None, exc)
        if result.error is not None and drafts is None:
            complain(f"{file}: {result.error}")
            bad = True
            continue
        output = PostOutput(file.name, drafts or {}, rules, errors)
        entries.append(write_post(out_dir, output, index=position, count=len(files)))
    return entries, bad


def _in_process(
    index: int, post: Post, names: Sequence[str], options: dict[str, Any]
) -> BatchResult:
    """One post adapted here (no pool for a single post), as ``adapt_many`` gives it."""
    try:
        return BatchResult(index, post, adapt_all(post, names, **options))
    except CrosspostError as exc:
        return BatchResult(index, post, None, exc)


def _summary(made: dict[str, Any], out: TextIO) -> None:
    """The table of each post's platforms: parts, longest part/limit, hashtags
    kept/dropped, images, changes."""
    header = ("platform", "parts", "length/limit", "hashtags", "images", "changes")
    for post in made["posts"]:
        rows: list[tuple[str, ...]] = [header]
        for entry in post["platforms"]:
            if entry["error"] is not None:
                rows.append((entry["platform"], "-", "cannot fit", "-", "-", "-"))
                continue
            longest = max((p["length"] for p in entry["parts"]), default=0)
            tags = entry["hashtags"]
            rows.append(
                (
                    entry["platform"],
                    str(len(entry["parts"])),
                    f"{longest:,}/{entry['limit']:,}",
                    f"{len(tags['kept'])} kept, {len(tags['dropped'])} dropped",
                    str(len(entry["images"])),
                    str(len(entry["changes"])),
                )
            )
        where = f" -> {post['folder']}/" if post["folder"] else ""
        out.write(f"{post['source']}{where}\n")
        _table(rows, out, indent="  ")
        for entry in post["platforms"]:
            if entry["error"] is not None:
                out.write(f"  {entry['platform']}: {entry['error']}\n")


def _table(rows: Sequence[Sequence[str]], out: TextIO, *, indent: str = "") -> None:
    """``rows`` (the first one the header) in aligned columns."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        out.write(indent + "  ".join(cells).rstrip() + "\n")


def _options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if args.overflow is not None:
        options["overflow"] = args.overflow
    return options


def _run_adapt(
    files: Sequence[Path],
    names: Sequence[str],
    options: dict[str, Any],
    out_dir: Path,
    as_json: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    progress = ProgressBar(err) if len(files) > 1 else None
    entries, bad = _adapt_files(files, names, options, out_dir, progress, _complainer(err))
    made = write_index(out_dir, entries, generator=GENERATOR) if entries else None
    if as_json:
        out.write(json.dumps(made or {"posts": []}, ensure_ascii=False, indent=2) + "\n")
    elif made is not None:
        _summary(made, out)
        out.write(f"drafts in {out_dir}{os.sep}; preview: {out_dir / 'preview.html'}\n")
    if bad:
        return EXIT_INPUT
    if any(e["error"] for entry in entries for e in entry["platforms"]):
        return EXIT_PROBLEMS
    return EXIT_OK


def _complainer(err: TextIO) -> Callable[[str], None]:
    def complain(message: str) -> None:
        err.write(f"{PROG}: {message}\n")

    return complain


# --------------------------------------------------------------------------- commands


def _cmd_adapt(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    names = _platform_names(args.platforms)
    files = _post_files(args.posts)
    return _run_adapt(files, names, _options(args), Path(args.out), args.json, out, err)


def _cmd_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    names = _platform_names(None)
    with resources.as_file(resources.files("crosspost_adapt.demo")) as folder:
        code = _run_adapt([folder / "post.toml"], names, {}, Path(args.out), args.json, out, err)
    return code


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    names = _platform_names(args.platform)
    if len(names) != 1:
        raise InputError("-p: check takes one platform")
    path = Path(args.text)
    text = _read_text(path)
    problems = check(text, names[0])
    if args.json:
        out.write(json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2))
        out.write("\n")
    elif problems:
        for problem in problems:
            kind = "" if problem.hard else " (a norm)"
            out.write(f"{path}: {problem.code}{kind}: {problem.message}\n")
    else:
        out.write(f"{path}: no problem for {names[0]}\n")
    return EXIT_PROBLEMS if problems else EXIT_OK


def _platform_rows() -> Iterator[dict[str, Any]]:
    registry = default_registry()
    for name in registry.names():
        platform = registry.get(name)
        r = platform.rules
        yield {
            "name": name,
            "display_name": r.display_name,
            "aliases": list(platform.aliases),
            "text_limit": r.text.limit,
            "unit": r.text.unit,
            "byte_limit": r.text.byte_limit,
            "threads": r.text.threads,
            "hashtags_max": r.hashtags.max_count,
            "links_clickable": r.links.clickable,
            "image_formats": list(r.media.formats),
            "image_max_bytes": r.media.max_bytes,
            "images_max": r.media.max_count,
            "origin": registry.origin(name),
        }


def _size(n: int) -> str:
    """A byte budget as platforms give it: MiB when it is a whole number of them."""
    if n % 2**20 == 0:
        return f"{n // 2**20} MiB"
    return f"{n / 1_000_000:g} MB"


def _origin(name: str, origin: str) -> str:
    """``built-in`` for the library's own platforms, else the distribution (or
    the entry point) that registered ``name``."""
    if name in BUILTIN_ORDER and (f" from {DISTRIBUTION} " in origin or "built-ins" in origin):
        return "built-in"
    _, found, dist = origin.partition(" from ")
    return dist if found else origin


def _cmd_platforms(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rows = list(_platform_rows())
    if args.json:
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    table: list[tuple[str, ...]] = [
        ("platform", "name", "text", "hashtags", "links", "images", "image budget", "from")
    ]
    for row in rows:
        unit = UNIT_NAMES.get(row["unit"], row["unit"])
        text = f"{row['text_limit']:,} {unit}" + (", threads" if row["threads"] else "")
        table.append(
            (
                row["name"] + (f" ({', '.join(row['aliases'])})" if row["aliases"] else ""),
                row["display_name"],
                text,
                "-" if row["hashtags_max"] is None else f"at most {row['hashtags_max']}",
                "clickable" if row["links_clickable"] else "not clickable",
                f"{row['images_max']} x {'/'.join(row['image_formats'])}",
                _size(row["image_max_bytes"]),
                _origin(row["name"], row["origin"]),
            )
        )
    _table(table, out)
    return EXIT_OK


# --------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line and exit code 2."""

    def error(self, message: str) -> Any:
        self.exit(EXIT_INPUT, f"{self.prog}: {message} (see {PROG} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of the command line (also for documentation tools)."""
    parser = _Parser(
        prog=PROG,
        description="One post idea in, a native draft per social platform out.",
        epilog="Exit codes: 0 ok, 1 problems found or text cannot fit, 2 usage or input error.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    p = commands.add_parser(
        "adapt",
        help="adapt post files to every platform, into draft folders and a preview",
        description="Adapt each post (TOML or JSON with the keys of Post.from_dict; media "
        "paths relative to the post file; a folder gives its .toml and .json files) "
        "and write OUT_DIR/<platform>/ folders, OUT_DIR/manifest.json and "
        "OUT_DIR/preview.html.",
    )
    p.add_argument("posts", nargs="+", metavar="POST_FILE", help="a post file, or a folder of them")
    p.add_argument("-p", "--platforms", help="comma-separated platforms (default: every one)")
    p.add_argument("-o", "--out", default="crosspost-drafts", help="output folder")
    p.add_argument("--overflow", choices=("thread", "truncate", "error"))
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(run=_cmd_adapt)

    p = commands.add_parser("check", help="lint a hand-written draft against a platform's rules")
    p.add_argument("text", metavar="TEXT_FILE", help="the draft, a UTF-8 text file")
    p.add_argument("-p", "--platform", required=True, help="the platform")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")
    p.set_defaults(run=_cmd_check)

    p = commands.add_parser("platforms", help="the registered platforms and their limits")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    p.set_defaults(run=_cmd_platforms)

    p = commands.add_parser(
        "demo", help="adapt the bundled example post to every platform, with its preview"
    )
    p.add_argument("-o", "--out", default="crosspost-demo", help="output folder")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")
    p.set_defaults(run=_cmd_demo)
    return parser


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line with ``argv`` (``sys.argv[1:]`` when None); return the
    exit code. Input errors are one line on ``err``, never a traceback."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    try:
        code: int = args.run(args, out, err)
        return code
    except InputError as exc:
        err.write(f"{PROG}: {exc}\n")
        return EXIT_INPUT
    except CrosspostError as exc:
        err.write(f"{PROG}: {exc}\n")
        return EXIT_INPUT
    except BrokenPipeError:
        # The reader of the output has gone (``| head``): stop quietly, as
        # command-line tools do, without Python's complaint when it flushes.
        if out is sys.stdout:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        err.write(f"{PROG}: {where}{exc.strerror or exc}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        err.write(f"{PROG}: interrupted\n")
        return 130


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())
