"""Read source files into plain data with source positions. I/O only.

YAML is parsed with PyYAML's *safe* loader, node by node, so that every value
keeps its line number, a key written twice in one mapping is an error (PyYAML
would silently keep the last one), and no Python object can be constructed.
CSV files keep their line numbers too. Problems are collected, not raised, so
that one run reports every mistake at once.
"""

from __future__ import annotations

import csv
import errno
import io
import math
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, Problems
from ..i18n import N_, _

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceFiles:
    """Where one year's source files are."""

    root: Path
    year: int

    @property
    def year_dir(self) -> Path:
        return self.root / str(self.year)

    @property
    def partners(self) -> Path:
        return self.root / "partners.yaml"

    @property
    def meta(self) -> Path:
        return self.year_dir / "agenda.yaml"

    @property
    def introduction(self) -> Path:
        return self.year_dir / "inleiding.yaml"

    def chapter(self, chapter_id: str) -> Path:
        return self.year_dir / "hoofdstukken" / f"{chapter_id}.yaml"

    @property
    def budget(self) -> Path:
        return self.year_dir / "financien" / "begroting.csv"

    @property
    def friction(self) -> Path:
        return self.year_dir / "financien" / "frictiebudget.csv"

    @property
    def published(self) -> Path:
        return self.year_dir / "financien" / "gepubliceerd.csv"



@dataclass
class Document:
    """One parsed YAML file: its data and the line of every value in it."""

    path: Path
    display: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    reported: set[Path_] = field(default_factory=set)  # already reported while loading
    name: str = ""  # relative to the source folder (`2026/agenda.yaml`): the file of every value's origin

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


def source_name(path: Path, root: Path) -> str:
    """The path relative to the source folder, with '/': how origins and review reports name a file."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def display_path(path: Path, root: Path | None = None) -> str:
    """The path as the user knows it: relative to the working folder if possible, else to `root`'s parent.

    Only the folder is resolved, never the file's own name: a symbolic link is shown under its own
    name (also when it points nowhere, or to itself), and a deleted working folder is no error.
    """
    try:
        folder = path.parent.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links among the folders
        return str(path)
    for base in (_cwd(), root.parent if root is not None else None):
        try:
            if base is not None:
                return str((folder / path.name).relative_to(base.resolve()))
        except (ValueError, OSError, RuntimeError):
            continue
    return str(path)


def _cwd() -> Path | None:
    """The working folder, or None when it was deleted."""
    try:
        return Path.cwd()
    except OSError:
        return None


# Excel's "CSV UTF-8" and Windows Notepad start a UTF-8 file with this mark; it is not text.
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# What a file that is UTF-8 in places, read as Windows-1252, would show: UTF-8's bytes for the letters
# with accents, the no-break space and the typographic quotes and dashes ("Ã©", "â€™"). Text typed in
# Windows-1252 never holds them (a capital A with a tilde or circumflex before such a character).
_UTF8_SEQUENCE = re.compile(rb"[\xc2\xc3][\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")
# Characters XML 1.0 cannot hold (a Word document is XML): C0 controls other than tab, line feed and
# carriage return, lone surrogates, U+FFFE and U+FFFF. Text holding one cannot be written faithfully.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def control_character(text: str) -> str | None:
    """'U+000B' for the first character of `text` that a Word document cannot hold, else None."""
    found = _NOT_IN_XML.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def control_character_problem(char: str) -> tuple[str, str]:
    """Message and hint for a control character in a value."""
    if char == "U+000B":
        return (_("contains an invisible control character ({char}, a line break pasted from Word)").format(char=char),
                _("delete it and type a space instead; a new paragraph is a new block in the list"))
    return (_("contains an invisible control character ({char}) that a Word document cannot hold").format(char=char),
            _("delete it; it usually comes with text pasted from another program"))


# Characters a text can hold that would not reach the documents as they are: the private-use area
# (U+E000 to U+F8FF; the renderer marks fields with three of them, and a symbol font's characters
# show as empty boxes elsewhere), and the line and paragraph separators U+0085, U+2028 and U+2029
# (YAML, Word and the website each treat them differently: as a line break, a space or nothing).
_NOT_KEPT = re.compile("[\x85\u2028\u2029\ue000-\uf8ff]")


def unkept_character(text: str) -> str | None:
    """'U+2028' for the first character of `text` that would not reach the documents unchanged, else None."""
    found = _NOT_KEPT.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def unkept_character_problem(char: str) -> tuple[str, str]:
    """Message and hint for a character that would not reach the documents unchanged."""
    if char in ("U+0085", "U+2028", "U+2029"):
        return (_("contains an invisible line separator ({char}) that Word and the website would each show "
                  "differently").format(char=char),
                _("replace it by a space; a new paragraph is a new block in the list"))
    return (_("contains a private-use character ({char}) that the documents cannot show").format(char=char),
            _("delete it or type the character itself; it usually comes from a symbol font in Word"))


class NotAFile(OSError):
    """The path is a folder, a pipe (FIFO) or a device, not an ordinary file."""


# The largest source file read: a hundred times the actions of the real source is under 2 MB.
MAX_SOURCE_BYTES = 32 * 1024 * 1024


class TooLarge(OSError):
    """The file is larger than any source file (MAX_SOURCE_BYTES)."""


def read_bytes(path: Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of an ordinary file; anything else (a FIFO, a device) raises NotAFile instead of hanging.

    A file over `limit` bytes raises TooLarge before it is read (a sparse file of gigabytes costs
    nothing to make and would take all memory).
    """
    # O_NONBLOCK: opening a FIFO without a writer would otherwise wait for ever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise NotAFile(f"not an ordinary file: {path}")
        if status.st_size > limit:
            raise TooLarge(f"larger than {limit} bytes: {path}")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)  # a file that grows while it is read is still bounded
        if len(data) > limit:
            raise TooLarge(f"larger than {limit} bytes: {path}")
        return data
    finally:
        os.close(fd)


# The largest part of a Word or Excel file (document.xml, a sheet, the shared strings) read, expanded
# and compressed. A document of a hundred times the actions has a document.xml of about 50 MB; a
# "zip bomb" expands a few kilobytes into gigabytes.
MAX_PART_BYTES = 256 * 1024 * 1024


def oversized_part(archive: zipfile.ZipFile, limit: int = MAX_PART_BYTES) -> str | None:
    """The name of the first part of a Word or Excel file larger than `limit` bytes, expanded or compressed.

    The sizes checked are the ones the zip file declares; Python's zipfile never expands a part
    past its declared size (it reports the file as damaged instead), so they bound what is read.
    """
    return next((info.filename for info in archive.infolist()
                 if info.file_size > limit or info.compress_size > limit), None)


def read_text(path: Path, display: str, problems: Problems) -> str | None:
    """The text of a source file, or None (with a problem) if it cannot be used."""
    try:
        raw = read_bytes(path)
    except FileNotFoundError:
        what = (_("the file is a symbolic link to a file that does not exist") if path.is_symlink()
                else _("file is missing"))
        problems.error(display, None, "", what, _("restore it from git or create it"))
        return None
    except (NotAFile, IsADirectoryError):
        problems.error(display, None, "", _("this is not an ordinary file (a folder, a pipe or a device)"),
                       _("replace it by the source file itself"))
        return None
    except TooLarge:
        problems.error(display, None, "", _("the file is larger than {size} MB, more than any source file")
                       .format(size=MAX_SOURCE_BYTES // (1024 * 1024)),
                       _("check that this is the right file; restore it from git"))
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problems.error(display, None, "", _("the file is a symbolic link that points to itself"),
                           _("replace the link by the source file itself"))
        else:
            problems.error(display, None, "", _("cannot read the file: {detail}").format(detail=exc.strerror))
        return None
    text = decode_source(raw, path, display, problems)
    if text is not None and not text.strip():
        problems.error(display, None, "", _("file is empty"), _("restore its content from git"))
        return None
    return text


def decode_source(raw: bytes, path: Path, display: str, problems: Problems) -> str | None:
    """The text of a source file's bytes, or None (with a problem): the one decoding of every text source file.

    Reads what Excel and Windows editors write, decided for the whole file: UTF-8 with or without
    a byte-order mark, or else Windows-1252 (Dutch Excel's "CSV (gescheiden door
    lijstscheidingsteken)"), which is said once as a note. Windows line ends (CRLF) become plain ones.
    """
    text, encoding = _decoded(raw)
    if text is None:
        if encoding == "utf-16":
            problems.error(display, 1, "", _("file is saved as Unicode text (UTF-16)"),
                           _("save it as 'CSV UTF-8' (Excel) or with the encoding UTF-8"))
            return None
        line = None
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
        if _UTF8_SEQUENCE.search(raw):
            problems.error(display, line, "", _("file mixes two encodings: UTF-8, and another one from "
                           "this line"), _("retype the accented letters or quotes on this line, and save "
                           "the file with the encoding UTF-8"))
        else:
            problems.error(display, line, "", _("file is neither UTF-8 nor Windows-1252 text"),
                           _("save it with the encoding UTF-8 (in Excel: 'CSV UTF-8')"))
        return None
    if encoding == "cp1252":
        if path.suffix.lower() == ".csv":
            problems.note(display, None, "", _("read as Windows-1252 (how Excel saves 'CSV (gescheiden door "
                          "lijstscheidingsteken)'); this is fine"),
                          _("to read it as UTF-8 instead, save it as 'CSV UTF-8 (door komma's gescheiden)'"))
        else:
            problems.note(display, None, "", _("read as Windows-1252 (ANSI); this is fine"),
                          _("to read it as UTF-8 instead, save it with the encoding UTF-8"))
    return text.replace("\r\n", "\n")


def _decoded(raw: bytes) -> tuple[str | None, str]:
    """(text, encoding): UTF-8 (a byte-order mark dropped) if the whole file is UTF-8, else Windows-1252.

    The text is None when the file is UTF-16, holds UTF-8's characters among Windows-1252 ones, or
    holds one of the five byte values Windows-1252 leaves undefined.
    """
    if raw.startswith(_UTF16_BOMS):
        return None, "utf-16"
    try:
        return raw.removeprefix(_UTF8_BOM).decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(raw):
        return None, "cp1252"
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return None, "cp1252"


def source_encoding(raw: bytes) -> str | None:
    """How `decode_source` reads these bytes ("utf-8" or "cp1252"), for writing a changed file back; None if not."""
    text, encoding = _decoded(raw)
    return encoding if text is not None else None


# YAML 1.2's core schema for plain values: `true`/`false` only, decimal, 0o octal and 0x hexadecimal
# integers, and floats. PyYAML follows YAML 1.1, which reads `1:30` as 90 (base 60), `yes`/`no`/`on`/
# `off` as true or false, `010` as 8 and `1_000` as 1000; with YAML 1.2, yes/no/on/off are text.
_BOOL, _INT, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
# Plain values the two versions read differently (as two different numbers, or as a number and a
# text): which one the editor meant cannot be known, so each is an error asking for quotes.
AMBIGUOUS = "tag:riec,2026:ambiguous"
_CORE_RESOLVERS: list[tuple[str, re.Pattern[str], str]] = [
    (AMBIGUOUS, re.compile(r"""^(?:[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?
                            |[-+]?[0-9][0-9]*_[0-9_]*(?:\.[0-9_]*)?
                            |[-+]?0[0-9]+
                            |[-+]?0b[0-1_]+
                            |[-+]?0o[0-7]+
                            |[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][0-9]+
                            |[-+]?[0-9]+[eE][-+][0-9]+)$""", re.X), "-+0123456789."),
    (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    (_INT, re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$"), "-+0123456789"),
    (_FLOAT, re.compile(r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+][0-9]+)?
                        |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""", re.X), "-+0123456789."),
]


def _core_schema(loader: type) -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """`loader`'s implicit resolvers with YAML 1.2's core rules for booleans and numbers."""
    resolvers = {first: [(tag, rx) for tag, rx in items if tag not in (_BOOL, _INT, _FLOAT)]
                 for first, items in loader.yaml_implicit_resolvers.items()}  # type: ignore[attr-defined]
    for tag, pattern, first in reversed(_CORE_RESOLVERS):
        for char in first:
            resolvers.setdefault(char, []).insert(0, (tag, pattern))
    return resolvers


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses to build Python objects (inherited) and refuses aliases."""

    yaml_implicit_resolvers = _core_schema(yaml.SafeLoader)

    def compose_node(self, parent: Any, index: Any) -> Any:
        # An alias ('*name') can make a value repeat itself endlessly, and editors do not need it.
        if self.check_event(yaml.AliasEvent):
            raise _AliasUsed(self.peek_event().start_mark)
        return super().compose_node(parent, index)


class _AliasUsed(yaml.MarkedYAMLError):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(problem="alias", problem_mark=mark)


class _TooDeep(yaml.MarkedYAMLError):
    def __init__(self, mark: yaml.Mark | None) -> None:
        super().__init__(problem="too deep", problem_mark=mark)


# Blocks and lists nested deeper than this are a mistake (the source needs six levels); deeper
# still, the YAML parser would run out of stack.
MAX_DEPTH = 50
# Spaces and tabs at the end of a line, unless escaped ('\ ' is a space inside double quotes).
_TRAILING_SPACE = re.compile(r"((?:^|[^\\ \t]))[ \t]+$", re.MULTILINE)
# Numbers beyond this are typing mistakes, and too large to print exactly (a float has 15 digits).
MAX_NUMBER = 10**15


def _too_deep(display: str, mark: yaml.Mark | None) -> Problem:
    return Problem(display, mark.line + 1 if mark else None, "",
                   _("blocks or lists are nested more than {depth} levels deep").format(depth=MAX_DEPTH),
                   _("check the indentation and that every '[' and '{{' is closed").format())


# PyYAML's wording -> (our message, hint), translated where used. Checked in order; the first match wins.
_YAML_MESSAGES: list[tuple[str, str, str]] = [
    ("could not determine a constructor for the tag",
     N_("the tag '{tag}' is not allowed"),
     N_("remove the part starting with '!'; source files hold only text, numbers, lists and "
        "'key: value' lines")),
    ("but found another document",
     N_("the file holds more than one YAML document (a line '---' in the middle)"),
     N_("remove the '---' line, or move the second part to its own file")),
    ("mapping values are not allowed here",
     N_("YAML syntax error, column {column}: a ':' where YAML does not expect one"),
     N_("check that this line is indented like the lines above it, and put text that contains ': ' "
        "between double quotes")),
    ("found character '\\t' that cannot start any token",
     N_("YAML syntax error, column {column}: a tab character"),
     N_("use spaces instead of tabs")),
    ("found undefined alias", N_("YAML syntax error, column {column}: '*' starts an alias"),
     N_("put text that starts with '*' between double quotes")),
    ("expected <block end>",
     N_("YAML syntax error, column {column}: this line is indented differently from the lines above"),
     N_("give the keys of one block the same number of spaces in front")),
    ("found unhashable key", N_("a list or block cannot be used as a key"),
     N_("check the indentation and the position of ':'")),
]
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_DEFAULT_HINT = N_("check the indentation, and put text that contains ':' or '#' or starts with a quote "
                   "between double quotes")


def load_yaml(path: Path, root: Path, problems: Problems) -> Document | None:
    """Parse one YAML file; None (with problems recorded) if it cannot be parsed."""
    display = display_path(path, root)
    text = read_text(path, display, problems)
    if text is None:
        return None
    tab = re.search(r"^[ \t-]*\t", text, re.MULTILINE)
    if tab:
        line = text[: tab.start()].count("\n") + 1
        problems.error(display, line, "", _("a tab is used for indentation"), _("indent with spaces only"))
        return None
    unkept = [(text[: m.start()].count("\n") + 1, f"U+{ord(m.group()):04X}") for m in _NOT_KEPT.finditer(text)]
    if unkept:  # YAML itself would turn the separators into line breaks: found in the text, before it
        for line, char in dict.fromkeys(unkept):
            problems.error(display, line, "", *unkept_character_problem(char))
        return None
    # YAML keeps spaces at the end of a line inside a '>' or '|' block, which the document would
    # show as runs of spaces mid-sentence; they are never meant (editors do not see them).
    text = _TRAILING_SPACE.sub(r"\1", text)
    try:
        fast = _parse_fast(text, path, display, root)
    except _TooDeep as exc:
        problems.add(_too_deep(display, exc.problem_mark))
        return None
    if fast is not None:
        doc, found = fast
        problems.extend(found.items)
        return doc
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            problems.error(display, None, "", _("file is empty (it holds only comments)"),
                           _("restore its content from git"))
            return None
        doc = Document(path, display, None, name=source_name(path, root))
        doc.data = _construct(loader, node, (), doc, problems)
        return doc
    except _TooDeep as exc:
        problems.add(_too_deep(display, exc.problem_mark))
        return None
    except RecursionError:
        problems.add(_too_deep(display, None))
        return None
    except _AliasUsed as exc:
        mark = exc.problem_mark
        problems.error(display, mark.line + 1 if mark else None, "",
                       _("YAML syntax error, column {column}: '*' (an alias) is not supported")
                       .format(column=mark.column + 1 if mark else "?"),
                       _("write the text out in full; put text that starts with '*' between double quotes"))
        return None
    except yaml.MarkedYAMLError as exc:
        problems.add(_syntax_problem(display, exc))
        return None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        problems.error(display, line, "", _("the file contains an invisible control character "
                       "({char}) that is not allowed").format(char=f"U+{ord(char):04X}"),
                       _("delete it; it usually comes with text pasted from another program"))
        return None
    except yaml.YAMLError as exc:
        problems.error(display, None, "", _("YAML error: {detail}").format(detail=exc), _(_DEFAULT_HINT))
        return None
    finally:
        if loader is not None:
            loader.dispose()


# libyaml's parser (in C, shipped in PyYAML's wheels) is about ten times faster than the pure-Python
# one, which matters for big sources. It is used only where both must agree: whenever the text holds
# something unusual (a control character, an alias, a syntax error), the pure-Python loader above
# decides, so editors see the same messages whether libyaml is installed or not.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)
if _FAST_LOADER is not None:
    _FAST_LOADER = type("_FastLoader", (_FAST_LOADER,), {"yaml_implicit_resolvers": _core_schema(_FAST_LOADER)})


def _parse_fast(text: str, path: Path, display: str, root: Path) -> tuple[Document, Problems] | None:
    """Parse with libyaml; None when the pure-Python loader must do it."""
    if _FAST_LOADER is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    loader = _FAST_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None or ("&" in text and _has_alias(node)):
            return None
        problems = Problems()
        doc = Document(path, display, None, name=source_name(path, root))
        doc.data = _construct(loader, node, (), doc, problems)
        return doc, problems
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc):  # libyaml's own limit (1000 levels)
            raise _TooDeep(getattr(exc, "problem_mark", None)) from None
        return None
    finally:
        loader.dispose()


def _has_alias(root: yaml.Node) -> bool:
    """Whether a node occurs twice in the tree: what an alias ('*name') composes to."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _syntax_problem(display: str, exc: yaml.MarkedYAMLError) -> Problem:
    start = exc.context_mark
    if start and exc.context == "while scanning a quoted scalar":
        return Problem(display, start.line + 1, "",
                       _("YAML syntax error, column {column}: the quoted text that starts here "
                         "is never closed").format(column=start.column + 1),
                       _("add the closing quote at the end of the text"))
    if start and exc.context in ("while parsing a flow sequence", "while parsing a flow mapping"):
        bracket = "[" if "sequence" in exc.context else "{"
        closing = "]" if bracket == "[" else "}"
        return Problem(display, start.line + 1, "",
                       _("YAML syntax error, column {column}: the '{bracket}' that starts here is not "
                         "closed properly").format(column=start.column + 1, bracket=bracket),
                       _("end the list with '{closing}', and put text that contains ',' "
                         "or ':' between double quotes").format(closing=closing))
    if start and exc.context == "while scanning a simple key":
        return Problem(display, start.line + 1, "",
                       _("YAML syntax error, column {column}: a line without ':' where a "
                         "'key: value' line is expected").format(column=start.column + 1),
                       _("add the ':' or join the line to the text above it"))
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else "?"
    what = exc.problem or exc.context or _("invalid YAML")  # else PyYAML's own English words
    if "<stream end>" in what or "end of stream" in what:
        return Problem(display, line, "", _("YAML syntax error: the file ends in the middle of a value"),
                       _("close every '[', '{{' and quote that is opened, and check the last lines").format())
    tag = re.search(r"tag '([^']*)'", what)
    for pattern, message, hint in _YAML_MESSAGES:
        if pattern in what:
            shown_tag = tag.group(1).replace("tag:yaml.org,2002:", "!!") if tag else ""
            return Problem(display, line, "", _(message).format(column=column, tag=shown_tag), _(hint))
    return Problem(display, line, "",
                   _("YAML syntax error, column {column}: {detail}").format(column=column, detail=what),
                   _(_DEFAULT_HINT))


def _construct(loader: _Loader, node: yaml.Node, loc: Path_, doc: Document, problems: Problems) -> Any:
    doc.lines.setdefault(loc, node.start_mark.line + 1)  # a value is located at its key
    if len(loc) > MAX_DEPTH:
        raise _TooDeep(node.start_mark)
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(
            None, None, f"could not determine a constructor for the tag '{node.tag}'", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            key = _scalar(loader, key_node, loc, doc, problems) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else _("a list or block")
                problems.error(doc.display, key_line, dotted(loc),
                               _("'{key}' cannot be used as a key").format(key=shown),
                               _("keys are names such as 'title'; check the spelling and the indentation"))
                doc.reported.add(loc)
                continue
            if key in result:
                problems.error(
                    doc.display, key_line, dotted((*loc, key)),
                    _("key '{key}' is written twice in the same block (first on line {line})")
                    .format(key=key, line=doc.lines[(*loc, key)]),
                    _("merge the two into one; otherwise one of them would be lost"),
                )
                continue
            doc.lines[(*loc, key)] = key_line
            result[key] = _construct(loader, value_node, (*loc, key), doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*loc, i), doc, problems) for i, item in enumerate(node.value)]
    return _scalar(loader, node, loc, doc, problems)


def _scalar(loader: _Loader, node: yaml.Node, loc: Path_, doc: Document, problems: Problems) -> Any:
    """One scalar value; a value YAML recognises but cannot convert (a date 2026-13-45) is a problem."""
    if node.tag == AMBIGUOUS:
        problems.error(doc.display, node.start_mark.line + 1, dotted(loc),
                       _("'{value}' can be read as a number in more than one way").format(value=node.value),
                       _("put it between quotes (\"{value}\") if it is a text; write a number in plain digits, "
                         "e.g. 1000 or 1.5").format(value=node.value))
        doc.reported.add(loc)
        return node.value
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):
        invalid = (_("'{value}' is not a valid date") if re.match(r"^[0-9]{4}-", str(node.value))
                   else _("'{value}' is not a valid number"))
        problems.error(doc.display, node.start_mark.line + 1, dotted(loc),
                       invalid.format(value=str(node.value)[:40]),
                       _("dates are written YYYY-MM-DD; put text between double quotes"))
        doc.reported.add(loc)
        return node.value
    problem: tuple[str, str] | None = None
    if isinstance(value, str) and (char := control_character(value)):
        problem = control_character_problem(char)
    elif isinstance(value, float) and not math.isfinite(value):
        problem = (_("'{value}' is not a number a document can show").format(value=node.value),
                   _("write the number in digits, e.g. 3.4; put text between double quotes"))
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= MAX_NUMBER:
        problem = (_("'{value}' is too large a number").format(value=str(node.value)[:40]),
                   _("check the number of digits"))
    if problem:
        problems.error(doc.display, node.start_mark.line + 1, dotted(loc), *problem)
        doc.reported.add(loc)
        return "" if isinstance(value, str) else 0
    return value


def dotted(loc: Path_) -> str:
    """`('sections', 0, 'actions')` -> `sections[0].actions`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out




def load_csv(path: Path, root: Path, problems: Problems) -> Table | None:
    """Parse one CSV file: first row is the header; cells separated by ',' or ';' (as Dutch Excel writes)."""
    display = display_path(path, root)
    text = read_text(path, display, problems)
    if text is None:
        return None
    delimiter = _delimiter(text)
    return table_of(csv_rows(text, display, delimiter, problems), path, display, delimiter, problems)


def csv_rows(text: str, display: str, delimiter: str, problems: Problems) -> list[tuple[int, list[str]]] | None:
    """Every row of a CSV text with the line it ends on; None (with a located problem) on a syntax error.

    The one CSV reader: the build's source files and the administration's exports are read by it alike.
    """
    sep_words = _("a comma") if delimiter == "," else _("a semicolon (;)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 0  # last line of the previous row
    try:
        for cells in reader:
            line = reader.line_num
            rows.append((line, cells))
    except csv.Error as exc:
        start = line + 1  # the row that could not be read starts after the last good one
        what = (_("a double quote opened in this row is never closed") if "unexpected end of data" in str(exc)
                else _("CSV syntax error: {detail}").format(detail=exc))
        problems.error(display, start, "", what,
                       _("put text that contains {separator} or a double quote between double quotes, "
                         "and write a double quote inside it as two double quotes").format(separator=sep_words))
        return None
    return rows


def table_of(rows: list[tuple[int, list[str]]] | None, path: Path, display: str, delimiter: str,
             problems: Problems) -> Table | None:
    """Rows whose first is the header -> a Table; every row checked against the header."""
    if rows is None:
        return None
    sep_words = _("a comma") if delimiter == "," else _("a semicolon (;)")
    header: list[str] | None = None
    table_rows: list[tuple[int, dict[str, str]]] = []
    empty: list[int] = []  # empty rows; Excel writes some at the end, which are harmless
    for line, cells in rows:
        if header is None:
            header = [c.strip() for c in cells]
            if not any(header):
                problems.error(display, line, "", _("the first line is empty; it must be the header"),
                               _("put the column names on the first line"))
                return None
            for i, name in enumerate(header):
                if name in header[:i]:
                    problems.error(display, line, name or _("column {n}").format(n=i + 1),
                                   _("column '{column}' appears twice in the header").format(column=name),
                                   _("every column name must be different"))
                    return None
            continue
        if not any(c.strip() for c in cells):
            empty.append(line)
            continue
        for blank in empty:
            problems.error(display, blank, "", _("empty row"), _("delete the row"))
        empty = []
        if len(cells) != len(header):
            problems.error(
                display, line, "",
                _("row has {cells} cells, the header has {header}").format(cells=len(cells), header=len(header)),
                _("put text that contains {separator} between double quotes, and write amounts "
                  "without separators").format(separator=sep_words),
            )
            continue
        bad = [(h, char) for h, c in zip(header, cells, strict=False) if (char := control_character(c))]
        for name, char in bad:
            problems.error(display, line, name, *control_character_problem(char))
        unkept = [(h, char) for h, c in zip(header, cells, strict=False) if (char := unkept_character(c))]
        for name, char in unkept:
            problems.error(display, line, name, *unkept_character_problem(char))
        if bad or unkept:
            continue
        table_rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=False)}))
    if header is None:
        problems.error(display, None, "", _("file is empty"), _("restore its content from git"))
        return None
    return Table(path, display, header, table_rows)


def delimiter_of(line: str) -> str:
    """',' or ';' (or a tab): whichever splits a header line into more cells."""
    try:
        counts = {sep: len(next(csv.reader([line], delimiter=sep), [])) for sep in (",", ";", "\t")}
    except csv.Error:  # the reader reports it, with its line
        return ","
    best = max(counts.values())
    return next(sep for sep in (",", ";", "\t") if counts[sep] == best)


def _delimiter(text: str) -> str:
    """',' or ';': whichever splits the header line into more cells (Dutch Excel writes ';')."""
    first = re.split(r"[\r\n]", text, maxsplit=1)[0]
    try:
        counts = {sep: len(next(csv.reader([first], delimiter=sep), [])) for sep in (",", ";")}
    except csv.Error:  # the reader below reports it, with its line
        return ","
    return ";" if counts[";"] > counts[","] else ","
