"""Throughput of measure(text, "x") against twitter-text-parser, side by side.

Both count X's weighted length over the same corpus (the varied strings of
tests/data/reference_corpus.json: posts in many languages, URLs, mentions,
hashtags, emoji, texts around the 280 limit), in alternating rounds in the same
process, so the machine's noise hits both alike. Prints texts per second for each
and their ratio (median of the per-round ratios), plus how often each agrees with
the official counter (npm twitter-text 3.1.0, recorded in the corpus).

Run: pip install -e '.[bench]' && python benchmarks/measure.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from crosspost_adapt import measure

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "reference_corpus.json"


def load_corpus() -> tuple[list[str], list[int]]:
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    start = {name: (a, b) for name, a, b in data["sections"]}["emoji_data"][1]
    cases = data["cases"][start:]  # the varied strings, not the lone-emoji table
    return [c["text"] for c in cases], [c["x"]["weightedLength"] for c in cases]


def time_pass(fn: Callable[[str], object], texts: list[str]) -> float:
    t0 = time.perf_counter()
    for text in texts:
        fn(text)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    try:
        from twitter_text import parse_tweet  # type: ignore[import-untyped]
    except ImportError:
        print("twitter-text-parser is missing: pip install -e '.[bench]'", file=sys.stderr)
        return 2

    texts, expected = load_corpus()

    def ours(text: str) -> int:
        return measure(text, "x")

    def port(text: str) -> int:
        return int(parse_tweet(text).weightedLength)

    ours_ok = sum(ours(t) == e for t, e in zip(texts, expected, strict=True))
    port_ok = sum(port(t) == e for t, e in zip(texts, expected, strict=True))

    ratios, ours_rates, port_rates = [], [], []
    for _ in range(args.rounds):
        a = time_pass(ours, texts)
        b = time_pass(port, texts)
        ours_rates.append(len(texts) / a)
        port_rates.append(len(texts) / b)
        ratios.append(b / a)

    print(f"corpus: {len(texts)} texts, {sum(map(len, texts)):,} characters, {args.rounds} rounds")
    print(
        f"agreement with twitter-text 3.1.0: crosspost_adapt {ours_ok}/{len(texts)}, "
        f"twitter-text-parser {port_ok}/{len(texts)}"
    )
    print(f"crosspost_adapt.measure(text, 'x'): {statistics.median(ours_rates):>10,.0f} texts/s")
    print(f"twitter_text.parse_tweet(text):    {statistics.median(port_rates):>10,.0f} texts/s")
    print(
        f"ratio (median of rounds): {statistics.median(ratios):.1f}x "
        f"(min {min(ratios):.1f}x, max {max(ratios):.1f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
