"""Regular expressions that match any of many strings, built as a trie."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import regex

__all__ = ["trie_pattern"]


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
