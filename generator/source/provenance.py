"""Where every text and amount came from: file, line and field, attached when the source is loaded.

Like a Sphinx node that knows its `source` and `line` from the moment it is read, every text of the
validated model is a `Sourced` string: it reads and compares as the plain text, and carries its
`Origin`. The content layer passes these values on (and builds amounts and computed totals with an
origin of their own); the renderer marks each printed value with its origin's key, `overnemen`
writes a reviewer's change back to exactly that field, and the website edition links to its line.
Nothing is looked up afterwards by matching text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .load import dotted

Loc = tuple[str | int, ...]

# Model fields that are references or codes, not text a reviewer edits in the document.
NOT_TEXT = frozenset({"id", "partners", "kind", "chapters", "aliases", "begrotingsregels", "status", "version"})
_ACTION_ID = re.compile(r"[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{2,3}")


def is_action_id(value: Any) -> bool:
    """Whether a value is an action ID such as `S1-01`."""
    return isinstance(value, str) and _ACTION_ID.fullmatch(value) is not None


@dataclass(frozen=True)
class Origin:
    """Where a printed value comes from: a field of a source file, or (`computed`) nothing in the source.

    `file` is relative to the source folder (`2026/hoofdstukken/spoor-1.yaml`); `path` holds YAML keys
    and list indexes, or for a CSV cell (line ID, column). A computed value (a total, a count) or a
    text of the template has no file; `computed` says in words what it is, for the review report.
    """

    file: str
    path: Loc
    line: int | None = None
    action: str | None = None
    computed: str = ""
    item_line: int | None = None  # the line where its action starts (`- id: S1-01`), for a source link

    @property
    def key(self) -> str:
        """The short, stable ID of the field: the same file and place always give the same key."""
        ident = f"computed\0{self.computed}\0{dotted(self.path)}" if self.computed \
            else f"{self.file}\0{dotted(self.path)}"
        return hashlib.sha1(ident.encode()).hexdigest()[:12]

    @property
    def is_csv(self) -> bool:
        """A cell of a CSV file rather than a YAML value."""
        return self.file.endswith(".csv")


def computed(what: str, text: str = "") -> Origin:
    """The origin of a value the generator makes (a total): `what` says what it is and where to change it."""
    return Origin("", (text,) if text else (), None, None, what)


class Sourced(str):
    """A text (or a formatted amount) that knows its origin; otherwise an ordinary, immutable string."""

    origin: Origin

    def __new__(cls, text: str, origin: Origin) -> Sourced:
        value = super().__new__(cls, text)
        value.origin = origin
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        return (Sourced, (str(self), self.origin))

    def __setattr__(self, name: str, value: Any) -> None:
        if name != "origin" or "origin" in self.__dict__:
            raise AttributeError("a Sourced text cannot be changed")
        super().__setattr__(name, value)

    def replace(self, old: str, new: str, count: int = -1) -> Sourced:  # type: ignore[override]
        """Text replaced inside the same field: the origin is kept (the year itself is filled by map_text)."""
        return Sourced(str.replace(self, old, new, count), self.origin)

    def map_text(self, change: Callable[[str], str]) -> Sourced:
        """The text changed inside the same field (content/years.py fills in the year): the origin is kept."""
        return Sourced(change(str(self)), self.origin)


def derived(text: str, what: str) -> str:
    """A text the generator makes (a total, a joined list), marked as such: `what` names it for the review report."""
    return Sourced(text, computed(what, text)) if text else text


class Joined(str):
    """Text made of several pieces, some of them `Sourced`: each piece keeps its own origin."""

    parts: tuple[str, ...]

    def __new__(cls, parts: tuple[str, ...]) -> Joined:
        value = super().__new__(cls, "".join(parts))
        value.parts = parts
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.parts,))

    def map_text(self, change: Callable[[str], str]) -> str:
        """Each piece changed on its own (a year filled in), each keeping its origin."""
        return concat(*(p.map_text(change) if isinstance(p, Sourced) else change(p) for p in self.parts))


def concat(*parts: str) -> str:
    """The pieces as one text; the sourced pieces keep their origins (a plain str when none has one)."""
    flat: list[str] = []
    for part in parts:
        if isinstance(part, Joined):
            flat.extend(part.parts)
        elif part:
            flat.append(part)
    if not any(isinstance(p, Sourced) for p in flat):
        return "".join(flat)
    if len(flat) == 1:
        return flat[0]
    return Joined(tuple(flat))


def join(separator: str, parts: list[str]) -> str:
    """`separator.join(parts)`, keeping the origins of the parts."""
    out: list[str] = []
    for i, part in enumerate(parts):
        if i:
            out.append(separator)
        out.append(part)
    return concat(*out)


def sourced(value: Any, origin: Origin) -> Any:
    """`value` as a Sourced text when it is a non-empty string, else unchanged."""
    return Sourced(value, origin) if isinstance(value, str) and value else value


def attach(model: BaseModel, file: str, lines: dict[Loc, int]) -> None:
    """Give every text of a validated model its origin (file, line, field path), in place.

    Called once, right after validation: pydantic hands out plain strings, so the origin is put on
    the validated values themselves (the models are frozen; their fields are set as at construction).
    """
    _attach(model, file, (), lines, None, None)


def _attach(value: Any, file: str, loc: Loc, lines: dict[Loc, int], action: str | None,
            item_line: int | None) -> Any:
    if isinstance(value, BaseModel):
        ident = getattr(value, "id", None)
        if is_action_id(ident):
            action, item_line = ident, _line_of(lines, loc)
        fields = type(value).model_fields
        for name in value.model_fields_set:
            if name in NOT_TEXT or _is_code(fields[name].annotation):
                continue
            old = getattr(value, name)
            new = _attach(old, file, (*loc, name), lines, action, item_line)
            if new is not old:
                object.__setattr__(value, name, new)
        return value
    if isinstance(value, dict):
        changed = {k: _attach(v, file, (*loc, k), lines, *((k, _line_of(lines, (*loc, k))) if is_action_id(k)
                                                             else (action, item_line)))
                   for k, v in value.items() if isinstance(k, str)}
        if all(changed[k] is value[k] for k in changed):
            return value
        return {k: changed.get(k, v) if isinstance(k, str) else v for k, v in value.items()}
    if isinstance(value, list):
        items = [_attach(v, file, (*loc, i), lines, action, item_line) for i, v in enumerate(value)]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, str) and value and not isinstance(value, Sourced):
        return Sourced(value, Origin(file, loc, _line_of(lines, loc), action, "", item_line))
    return value


def _is_code(annotation: Any) -> bool:
    """A field whose values are a fixed set of words (a Literal): a code, not text a reviewer rewrites."""
    if get_origin(annotation) is Literal:
        return True
    return any(_is_code(arg) for arg in get_args(annotation)) if get_origin(annotation) in (Union, UnionType) else False


def _line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    for end in range(len(loc), -1, -1):
        line = lines.get(tuple(loc[:end]))
        if line is not None:
            return line
    return None


def cell(file: str, line_id: str, column: str, line: int | None, action: str | None = None) -> Origin:
    """The origin of one CSV cell: the line's ID (`lpo`, or `aanvraag/lpo` with a table) and the column."""
    return Origin(file, (line_id, column), line, action)


def origins(value: Any) -> Iterator[tuple[str, Origin]]:
    """Every sourced text inside a value (a context: dicts and lists), with its origin."""
    if isinstance(value, Sourced):
        yield value, value.origin
    elif isinstance(value, Joined):
        for part in value.parts:
            yield from origins(part)
    elif isinstance(value, dict):
        for item in value.values():
            yield from origins(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from origins(item)


def plain(value: Any) -> Any:
    """Data with every sourced text as a plain str, for writers that know only built-in types (a YAML dumper)."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value) if isinstance(value, str) else value
