"""Read source files into plain data with source positions. I/O only.

YAML is parsed with PyYAML's *safe* loader, node by node, so that every value
keeps its line number, a key written twice in one mapping is an error (PyYAML
would silently keep the last one), and no Python object can be constructed.
CSV files keep their line numbers too. Problems are collected, not raised, so
that one run reports every mistake at once.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problems

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """One parsed YAML file: its data and the line of every value in it."""

    path: Path
    display: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, loc: Path_) -> int | None:
        """Line of the value at `loc`, or of its nearest parent that has one."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None


@dataclass
class Table:
    """One parsed CSV file: header and rows, each row with its line number."""

    path: Path
    display: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def display_path(path: Path, root: Path) -> str:
    """The path as the user knows it: relative to the working folder if possible."""
    for base in (Path.cwd(), root.parent):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def read_text(path: Path, display: str, problems: Problems) -> str | None:
    """The text of a source file, or None (with a problem) if it cannot be used."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.error(display, None, "", "file is missing", "restore it from git or create it")
        return None
    except OSError as exc:
        problems.error(display, None, "", f"cannot read the file: {exc.strerror}")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.error(
            display, 1, "", "file starts with a byte-order mark (BOM)",
            "save it as 'UTF-8' without BOM",
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(
            display, line, "", "file is not UTF-8 text",
            "save it with the encoding 'UTF-8' (not Windows-1252 or Latin-1)",
        )
        return None
    if not text.strip():
        problems.error(display, None, "", "file is empty", "restore its content from git")
        return None
    return text


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses to build Python objects (inherited) and keeps nodes."""


# libyaml's parser (in C, shipped in PyYAML's wheels) is about ten times faster than the pure-Python
# one: that matters for big sources. Broken YAML is parsed again with the pure-Python loader, so the
# messages editors see are the same whether libyaml is there or not.
_FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", _Loader)


def load_yaml(path: Path, root: Path, problems: Problems) -> Document | None:
    """Parse one YAML file; None (with problems recorded) if it cannot be parsed."""
    display = display_path(path, root)
    text = read_text(path, display, problems)
    if text is None:
        return None
    tab = re.search(r"^( *)\t", text, re.MULTILINE)
    if tab:
        line = text[: tab.start()].count("\n") + 1
        problems.error(display, line, "", "a tab is used for indentation", "indent with spaces only")
        return None
    if _FastLoader is not _Loader:
        try:
            return _parse(_FastLoader, text, path, display, problems)
        except yaml.YAMLError:
            pass  # report it with the pure-Python parser's message and position, below
    try:
        return _parse(_Loader, text, path, display, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        problems.error(
            display, where, "", f"YAML syntax error{column}: {what}",
            "check the indentation and that text with ':' or '#' is in quotes",
        )
        return None
    except yaml.YAMLError as exc:
        problems.error(display, None, "", f"YAML error: {exc}")
        return None


def _parse(loader_class: type[yaml.SafeLoader], text: str, path: Path, display: str,
           problems: Problems) -> Document | None:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.error(display, None, "", "file is empty", "restore its content from git")
            return None
        doc = Document(path, display, None)
        doc.data = _construct(loader, node, (), doc, problems)
        return doc
    finally:
        loader.dispose()


def _construct(loader: yaml.SafeLoader, node: yaml.Node, loc: Path_, doc: Document, problems: Problems) -> Any:
    doc.lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)):
                problems.error(doc.display, key_node.start_mark.line + 1, dotted(loc), f"invalid key {key!r}")
                continue
            if key in result:
                problems.error(
                    doc.display, key_node.start_mark.line + 1, dotted((*loc, key)),
                    f"key '{key}' is written twice in the same block "
                    f"(first on line {doc.lines[(*loc, key)]})",
                    "merge the two into one; otherwise one of them would be lost",
                )
                continue
            doc.lines[(*loc, key)] = key_node.start_mark.line + 1
            result[key] = _construct(loader, value_node, (*loc, key), doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*loc, i), doc, problems) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def dotted(loc: Path_) -> str:
    """`('sections', 0, 'actions')` -> `sections[0].actions`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out




def load_csv(path: Path, root: Path, problems: Problems) -> Table | None:
    """Parse one CSV file (comma separated, first row is the header)."""
    display = display_path(path, root)
    text = read_text(path, display, problems)
    if text is None:
        return None
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header: list[str] | None = None
        rows: list[tuple[int, dict[str, str]]] = []
        for cells in reader:
            line = reader.line_num
            if header is None:
                header = [c.strip() for c in cells]
                continue
            if not any(c.strip() for c in cells):
                problems.error(display, line, "", "empty row", "delete the row")
                continue
            if len(cells) != len(header):
                problems.error(
                    display, line, "",
                    f"row has {len(cells)} cells, the header has {len(header)}",
                    "put text containing a comma between double quotes",
                )
                continue
            rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=False)}))
    except csv.Error as exc:
        problems.error(display, reader.line_num, "", f"CSV syntax error: {exc}")
        return None
    if header is None:
        problems.error(display, None, "", "file is empty", "restore its content from git")
        return None
    return Table(path, display, header, rows)
