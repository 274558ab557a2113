"""Regular expressions that match any of many strings (a trie) or characters (ranges)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import regex

__all__ = ["ranges_class", "trie_pattern"]


def trie_pattern(strings: Iterable[str]) -> str:
    """A regular expression matching any of ``strings``, the longest first."""
    trie: dict[str, Any] = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        branches: list[str] = []
        leaves: list[str] = []
        for ch in sorted(k for k in node if k):
            child = node[ch]
            if len(child) == 1 and "" in child:
                leaves.append(ch)
            else:
                branches.append(regex.escape(ch) + build(child))
        if leaves:
            escaped = "".join(regex.escape(c) for c in leaves)
            branches.append(escaped if len(leaves) == 1 else f"[{escaped}]")
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def ranges_class(ranges: Iterable[tuple[int, int]]) -> str:
    """A character class (with brackets) of the code point ranges ``(first, last)``,
    for either engine (``re`` or ``regex``)."""
    return (
        "["
        + "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
            for a, b in ranges
        )
        + "]"
    )
