"""The text diff of two documents: changed lines, word by word where a line was edited."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .words import Segment, word_diff


@dataclass(frozen=True)
class LineChange:
    """One changed line of a document's text: deleted, inserted, or changed word by word."""

    op: str  # "-", "+" or "~"
    heading: str  # the nearest heading above it
    words: tuple[Segment, ...]


def _heading_of(lines: list[str]) -> list[str]:
    current, out = "", []
    for line in lines:
        if line.startswith("#"):
            current = line.lstrip("#").strip()
        out.append(current)
    return out


_TOKEN = re.compile(r"\w+|[^\w\s]")


def similarity(a: str, b: str) -> float:
    """How alike two lines are (0..1), by words and punctuation."""
    return difflib.SequenceMatcher(None, _TOKEN.findall(a), _TOKEN.findall(b), autojunk=False).ratio()


def _pair_lines(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Lines of a replaced block paired in order with the first similar line; the rest stand alone."""
    pairs: list[tuple[int | None, int | None]] = []
    j = 0
    for i, line in enumerate(old):
        match = next((k for k in range(j, len(new)) if similarity(line, new[k]) >= 0.5), None)
        if match is None:
            pairs.append((i, None))
            continue
        pairs += [(None, k) for k in range(j, match)]
        pairs.append((i, match))
        j = match + 1
    pairs += [(None, k) for k in range(j, len(new))]
    return pairs


def diff_lines(old: list[str], new: list[str]) -> list[LineChange]:
    """The changed lines between two documents' text, word-level where a line was edited."""
    old_heads, new_heads = _heading_of(old), _heading_of(new)
    out: list[LineChange] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and (i2 - i1) * (j2 - j1) <= 2500:
            pairs = [(None if i is None else i1 + i, None if j is None else j1 + j)
                     for i, j in _pair_lines(old[i1:i2], new[j1:j2])]
        else:
            pairs = [(i, None) for i in range(i1, i2)] + [(None, j) for j in range(j1, j2)]
        for i, j in pairs:
            if i is not None and j is not None:
                out.append(LineChange("~", new_heads[j], tuple(word_diff(old[i], new[j]))))
            elif i is not None:
                out.append(LineChange("-", old_heads[i], (("-", old[i]),)))
            elif j is not None:
                out.append(LineChange("+", new_heads[j], (("+", new[j]),)))
    return out
