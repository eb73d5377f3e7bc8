"""Word-level diff: two texts as unchanged, deleted and inserted runs of words, shortened and styled."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

CONTEXT_WORDS = 6  # unchanged words shown either side of a change

# A word-level diff: ("=", unchanged), ("-", deleted) or ("+", inserted) text.
Segment = tuple[str, str]

# A word, a number (5.953.678, -314.767) or a punctuation mark, with the space before it.
_WORD = re.compile(r"\s*(?:[-−]\d(?:[\d.,]*\d)?|\w(?:[\w.,\-’'/]*\w)?|\S)")


def _tokens(text: str) -> list[str]:
    return [(" " if tok[:1].isspace() else "") + tok.strip() for tok in _WORD.findall(" ".join(text.split()))]


def word_diff(old: str, new: str) -> list[Segment]:
    """The words of `old` and `new` as unchanged, deleted and inserted runs.

    Each run keeps the space before it, so punctuation stays attached: `Dealbreakers[-en-]{+,+}`.
    """
    a, b = _tokens(old), _tokens(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [x.strip() for x in a], [y.strip() for y in b],
                                                      autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("-", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("+", "".join(b[j1:j2])))
    return out


def shorten(segments: list[Segment], context: int = CONTEXT_WORDS) -> list[Segment]:
    """Long unchanged runs cut to a few words either side of each change."""
    out: list[Segment] = []
    for i, (op, text) in enumerate(segments):
        words = text.split()
        if op != "=" or len(words) <= 2 * context + 1:
            out.append((op, text))
            continue
        lead = " " if text[:1].isspace() else ""
        head = words[:context] if i > 0 else []
        tail = words[-context:] if i < len(segments) - 1 else []
        out.append(("=", lead + " ".join([*head, "…", *tail])))
    return out


def render_words(segments: Iterable[Segment], style: Callable[[str, str], str]) -> str:
    """A word diff as one line, each run styled by `style(op, text)`."""
    return "".join((" " if text[:1].isspace() else "") + style(op, text.strip())
                   for op, text in segments).strip()
