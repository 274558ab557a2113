"""Shared test helpers: where the conformance data and the reference corpus live."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

# Test runs are deterministic by default (the same examples every run, so a run
# that passed passes again); HYPOTHESIS_PROFILE=explore draws new ones each run.
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def watchdog() -> Iterator[None]:
    """Turn a hang into a failure: 60 s for the test, two orders of magnitude above
    the normal time of every test that uses it (not a speed assertion)."""

    def hang(signum: int, frame: object) -> None:
        raise TimeoutError("no answer after 60 s: unbounded work")

    previous: Callable[..., object] | int | None = signal.signal(signal.SIGALRM, hang)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


HERE = Path(__file__).resolve().parent
CONFORMANCE = HERE / "conformance"
DATA = HERE / "data"


@cache
def load_yaml(relative: str) -> Any:
    """A conformance file, read as it is published (see conformance/README.md)."""
    with (CONFORMANCE / relative).open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@cache
def load_json(relative: str) -> Any:
    with (CONFORMANCE / relative).open(encoding="utf-8") as f:
        return json.load(f)


@cache
def reference_corpus() -> dict[str, Any]:
    """Strings measured once by twitter-text 3.1.0 and @atproto/api (tools/make_corpus.py)."""
    with (DATA / "reference_corpus.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data
