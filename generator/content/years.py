"""The agenda's year in the source's texts: `{jaar}`, `{vorig_jaar}` and `{volgend_jaar}` become numbers.

Editors write `In {jaar} wordt ...` where a text speaks of the agenda's own year, so that the text
is right again in next year's agenda (nieuw-jaar copies it unchanged). The documents print the
number; the source keeps the placeholder. Only these three exact words in braces are placeholders:
any other text in braces is printed as it is (and `make check` warns about it).
"""

from __future__ import annotations

import difflib
from typing import Any, TypeVar, cast

from pydantic import BaseModel

from ..source.yeartexts import PLACEHOLDER, PLACEHOLDERS

T = TypeVar("T")


def fill_years(text: str, year: int) -> str:
    """`text` with each year placeholder replaced by its number; the same object when it has none.

    A text that carries where it came from (source.provenance's `Sourced` and `Joined`) keeps it: its
    `map_text` fills each sourced piece in place.
    """
    if "{" not in text:
        return text

    def fill(plain: str) -> str:
        return PLACEHOLDER.sub(lambda m: str(year + PLACEHOLDERS[m.group(1)]), plain)

    filled = fill(str(text))
    if filled == text:
        return text
    map_text = getattr(text, "map_text", None)
    return map_text(fill) if callable(map_text) and type(text) is not str else filled


def fill_context(value: Any, year: int) -> Any:
    """A template context with every text's year placeholders filled (dicts and lists are copied only where changed)."""
    if isinstance(value, str):
        return fill_years(value, year)
    if isinstance(value, list):
        items = [fill_context(v, year) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        out = {k: fill_context(v, year) for k, v in value.items()}
        return value if all(out[k] is v for k, v in value.items()) else out
    return value


def fill_model(value: T, year: int) -> T:
    """A copy of a loaded model (an Agenda) whose texts print their year; unchanged parts are shared."""
    if isinstance(value, BaseModel):
        changed = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = fill_model(old, year)
            if new is not old:
                changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if isinstance(value, list | tuple):
        items = [fill_model(v, year) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return cast(T, items if isinstance(value, list) else tuple(items))
    if isinstance(value, dict):
        out = {k: fill_model(v, year) for k, v in value.items()}
        return value if all(out[k] is v for k, v in value.items()) else cast(T, out)
    if isinstance(value, str):
        return cast(T, fill_years(value, year))
    return value


def keep_placeholders(source: str, new: str, year: int) -> str:
    """The new text (a reviewer's, shown with numbers) written back with the source's placeholders.

    Every placeholder whose number the reviewer left as it was stays a placeholder; one whose number
    was changed or deleted takes the reviewer's words. Nothing else of `new` changes.
    """
    if not PLACEHOLDER.search(source):
        return new
    # The filled text, and where each placeholder's number stands in it.
    filled, spans, pos = "", [], 0
    for match in PLACEHOLDER.finditer(source):
        filled += source[pos:match.start()]
        number = str(year + PLACEHOLDERS[match.group(1)])
        spans.append((len(filled), len(filled) + len(number), match.group(0)))
        filled += number
        pos = match.end()
    filled += source[pos:]
    # Where each character of the filled text stands in `new`, if the reviewer left it.
    aligned: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, filled, new, autojunk=False).get_matching_blocks():
        for offset in range(block.size):
            aligned[block.a + offset] = block.b + offset
    out, pos = [], 0
    for start, end, placeholder in spans:
        first = aligned.get(start)
        # Kept only when the whole number is still there, in one piece.
        if first is None or any(aligned.get(start + i) != first + i for i in range(end - start)):
            continue
        last = first + end - start
        if (first and new[first - 1].isdigit()) or (last < len(new) and new[last].isdigit()):
            continue  # a digit typed against the year made it another number
        out += [new[pos:first], placeholder]
        pos = first + end - start
    out.append(new[pos:])
    return "".join(out)
