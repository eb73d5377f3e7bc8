"""Field markers: every source text in a built document is wrapped in a Word bookmark `bron_<key>`.

A reviewer's tracked change can then be traced back to the source field it was made in
(`review/overnemen.py`). The context's strings are tagged with invisible private-use characters
before rendering; after rendering the tags become bookmarks around the field's runs and are removed,
so the visible text is unchanged. The key is a short hash of the field's file and place, so a
document says which field each text came from without storing the source in it.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pydantic import BaseModel

from .. import format as fmt
from ..content.years import fill_years
from ..i18n import _
from ..source.model import Agenda
from ..source.progress import Reports

# Private-use characters: never typed by editors, never shown (they are removed after rendering).
START, KEY_END, END = "\ue000", "\ue001", "\ue002"
PREFIX = "bron_"
_TAG = re.compile(f"[{START}{KEY_END}{END}]")
_MARKS = re.compile(f"{START}[^{KEY_END}]*{KEY_END}|{END}")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Model fields that are references or codes, not text a reviewer edits in the document.
_NOT_TEXT = {"id", "partners", "kind", "chapters", "aliases", "begrotingsregels", "status", "version"}
_FRICTION_TABLES = ("aanvraag", "besteding")
# The first bookmark ID we hand out, far above those a template or Word uses.
_FIRST_ID = 900000


def w(name: str) -> str:
    """A WordprocessingML tag in Clark notation."""
    return f"{{{_W}}}{name}"


@dataclass(frozen=True)
class Field:
    """One text of the source as the documents show it."""

    key: str  # short, stable ID; the bookmark is PREFIX + key
    file: str  # relative to the source folder, e.g. 2026/hoofdstukken/spoor-1.yaml
    path: tuple[str | int, ...]  # YAML: keys and list indexes; CSV: (line ID, column)
    text: str  # as the document shows it
    action: str | None  # the action it belongs to, if any
    amount: int | None = None  # CSV fields: the amount the text shows
    source: str | None = None  # the text in the source, when it differs (year placeholders: `{jaar}`)

    @property
    def is_csv(self) -> bool:
        """An amount in a CSV file rather than a YAML text."""
        return self.file.endswith(".csv")

    @property
    def place(self) -> str:
        """Where the field is, for people: `2026/hoofdstukken/spoor-1.yaml: sections[0].actions[2].text`."""
        if self.is_csv:
            return _("{file}: line '{line}', column {column}").format(file=self.file, line=self.path[0],
                                                                        column=self.path[1])
        return f"{self.file}: {dotted(self.path)}"


def dotted(path: tuple[str | int, ...]) -> str:
    """`('sections', 0, 'title')` -> `sections[0].title`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def field_key(file: str, path: tuple[str | int, ...]) -> str:
    """The short ID of a field: the same file and place always give the same key."""
    return hashlib.sha1(f"{file}\0{dotted(path)}".encode()).hexdigest()[:12]


def field_index(agenda: Agenda, reports: Reports | None = None) -> list[Field]:
    """Every text and amount of the source that the documents show, in source order."""
    year = agenda.meta.year
    fields: list[Field] = []
    fields += _model_fields(agenda.meta, f"{year}/agenda.yaml", (), None, year)
    fields += _model_fields(agenda.introduction, f"{year}/inleiding.yaml", (), None, year)
    for chapter in agenda.chapters:
        fields += _model_fields(chapter, f"{year}/hoofdstukken/{chapter.id}.yaml", (), None, year)
    for line in agenda.finance.budget:
        for column, amount in line.amounts.items():
            fields.append(_amount_field(f"{year}/financien/begroting.csv", line.id, str(column), amount))
    for friction in agenda.finance.friction:
        for column, amount in friction.amounts.items():
            # Friction lines are unique per table, and the table is the first column.
            fields.append(_amount_field(f"{year}/financien/frictiebudget.csv", f"{friction.table}/{friction.id}",
                                        str(column), amount))
    if reports is not None:
        if reports.voortgang is not None:
            fields += _model_fields(reports.voortgang, f"{year}/voortgang/{reports.peildatum.isoformat()}.yaml",
                                    (), None, year)
        if reports.jaarverslag is not None:
            fields += _model_fields(reports.jaarverslag, f"{year}/jaarverslag.yaml", (), None, year)
    return fields


def _amount_field(file: str, line_id: str, column: str, amount: int | None) -> Field:
    path: tuple[str | int, ...] = (line_id, column)
    return Field(field_key(file, path), file, path, fmt.euro(amount), None, amount)


def _model_fields(value: Any, file: str, path: tuple[str | int, ...], action: str | None,
                  year: int) -> Iterator[Field]:
    if isinstance(value, BaseModel):
        action = getattr(value, "id", None) if _is_action_id(getattr(value, "id", None)) else action
        for name in value.model_fields_set:
            if name not in _NOT_TEXT:
                yield from _model_fields(getattr(value, name), file, (*path, name), action, year)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                yield from _model_fields(item, file, (*path, key), key if _is_action_id(key) else action, year)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _model_fields(item, file, (*path, i), action, year)
    elif isinstance(value, str) and value:
        # The documents print the year where the source has a placeholder (`content.years`).
        shown = fill_years(value, year)
        yield Field(field_key(file, path), file, path, shown, action, source=value if shown != value else None)


def _is_action_id(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{2,3}", value) is not None


def tag(text: str, key: str) -> str:
    """The text with the invisible marks that become a bookmark around it."""
    return f"{START}{key}{KEY_END}{text}{END}"


def mark_context(context: Any, fields: list[Field]) -> Any:
    """A copy of the context in which every string that is a source field carries that field's marks.

    A text found in more than one field is given to the field of the enclosing action, else to
    the first field with that text not yet given out (documents follow the source's order).
    """
    by_text: dict[str, list[Field]] = {}
    by_text_action: dict[tuple[str, str | None], list[Field]] = {}
    amounts: dict[tuple[str, str, str], Field] = {}
    for f in fields:
        if f.is_csv:
            table, _, line_id = str(f.path[0]).rpartition("/")
            amounts[(table, line_id, str(f.path[1]))] = f
        else:
            by_text.setdefault(f.text, []).append(f)
            by_text_action.setdefault((f.text, f.action), []).append(f)
    used: set[str] = set()
    # Where the first field not yet given out may be, per pool: `used` only grows, so it never moves
    # back, and a text shared by many fields (a copied section) costs no scan of them all per use.
    first_fresh: dict[tuple[Any, ...], int] = {}

    def fresh(pool_key: tuple[Any, ...], pool: list[Field]) -> Field | None:
        index = first_fresh.get(pool_key, 0)
        while index < len(pool) and pool[index].key in used:
            index += 1
        first_fresh[pool_key] = index
        return pool[index] if index < len(pool) else None

    def pick(text: str, action: str | None) -> Field | None:
        candidates = by_text.get(text)
        if not candidates:
            return None
        # The enclosing action's fields with this text if there are any, else all fields with it;
        # the first not yet given out, else the first.
        own = by_text_action.get((text, action))
        pool_key, pool = ((text, action), own) if own else ((text,), candidates)
        chosen = fresh(pool_key, pool) or pool[0]
        used.add(chosen.key)
        return chosen

    def walk(value: Any, action: str | None, years: list[Any] | None, table: str = "") -> Any:
        if isinstance(value, str):
            found = pick(value, action)
            return tag(value, found.key) if found else value
        if isinstance(value, list):
            return [walk(v, action, years, table) for v in value]
        if isinstance(value, dict):
            ident = value.get("id")
            action = ident if _is_action_id(ident) else action
            years = value.get("years") if isinstance(value.get("years"), list) else years
            out = {}
            for k, v in value.items():
                if k == "id" or k == "years":
                    out[k] = v
                elif k == "amounts" and isinstance(ident, str) and years and isinstance(v, list):
                    out[k] = [_tag_amount(a, amounts.get((table, ident, str(y))))
                              for a, y in zip(v, years, strict=False)]
                else:
                    # The friction tables hold the same line IDs; the key names the table.
                    out[k] = walk(v, action, years, k if k in _FRICTION_TABLES else table)
            return out
        return value

    return walk(context, None, None)


def _tag_amount(text: Any, found: Field | None) -> Any:
    return tag(text, found.key) if found and isinstance(text, str) and text == found.text else text


# --- after rendering: marks -> bookmarks ------------------------------------------------------------


def unmarked(text: str) -> str:
    """`text` as the reader will see it: without the field marks (they become bookmarks after rendering)."""
    return _MARKS.sub("", text) if START in text or END in text else text


def add_bookmarks(docx: bytes) -> bytes:
    """The rendered document with every marked text inside a bookmark and no marks left anywhere."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    # Stored, not compressed: normalise_docx compresses every part right after.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            info.compress_type = zipfile.ZIP_STORED
            if info.filename.endswith(".xml") and START.encode() in data:
                root = etree.fromstring(data)
                _unmark(root, info.filename == "word/document.xml")
                data = _serialise(root)
            dst.writestr(info, data)
    return out.getvalue()


def bookmark_document(document: Any) -> None:
    """`add_bookmarks` on a python-docx document in memory, before it is saved.

    The same parts are changed in the same way, but the document's XML is not serialised, zipped,
    unzipped and parsed once more in between: at 100x the actions that second tree was 400 MB.
    """
    for part in document.part.package.iter_parts():
        name = str(part.partname).lstrip("/")
        if not name.endswith(".xml"):
            continue
        element = getattr(part, "_element", None)  # an XmlPart: its tree is what will be saved
        if element is not None:
            # Serialised to look for a mark, as in the saved part (faster than an XPath over every
            # text and attribute: the styles alone are 350 KB).
            if START.encode() in etree.tostring(element, encoding="UTF-8"):
                _as_parsed(element)
                _unmark(element, name == "word/document.xml")
        elif START.encode() in part.blob:  # a part python-docx keeps as bytes
            root = etree.fromstring(part.blob)
            _unmark(root, False)
            part._blob = _serialise(root)


def _as_parsed(root: Any) -> None:
    """The tree as parsing its saved XML gives it, which is what add_bookmarks works on.

    The one difference a reader of the XML could see: an element whose text was set to '' is saved
    as <a></a>, and parsed back without a text (then saved as <a/>).
    """
    for text in _EMPTY_TEXTS(root):
        parent = text.getparent()
        if text.is_text and parent.text == "":  # not when an adjacent text node has characters
            parent.text = None


_EMPTY_TEXTS = etree.XPath("//text()[string-length(.) = 0]")


def _unmark(root: Any, is_body: bool) -> None:
    """Marks -> bookmarks in the document's body; marks removed from every other part."""
    if is_body:
        _bookmark_runs(root)
        # The bookmarks took every mark out of the text runs: the search for marks left elsewhere (a
        # walk over every element and attribute) is only needed if any are (serialising is faster).
        if not _MARKED.search(etree.tostring(root, encoding="UTF-8")):
            return
    _strip_marks(root)


# Each mark as UTF-8 (a byte class would also match other characters sharing their bytes, as '€').
_MARKED = re.compile(b"|".join(re.escape(mark.encode()) for mark in (START, KEY_END, END)))
_R, _RPR, _T = w("r"), w("rPr"), w("t")
_BOOKMARK_START, _BOOKMARK_END, _ID, _NAME = w("bookmarkStart"), w("bookmarkEnd"), w("id"), w("name")
_MARKED_TEXTS = etree.XPath(f"//w:t[contains(., '{START}') or contains(., '{END}')]", namespaces={"w": _W})
_ANY_MARK = f"contains(., '{START}') or contains(., '{KEY_END}') or contains(., '{END}')"
_MARKED_ELEMENTS = etree.XPath(f"//*[text()[{_ANY_MARK}]] | //*[@*[{_ANY_MARK}]]")


def _serialise(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)  # type: ignore[no-any-return]


def _bookmark_runs(root: Any) -> None:
    next_id = _FIRST_ID
    names: dict[str, int] = {}
    open_ids: dict[str, list[int]] = {}
    # Only the runs holding a mark are visited (XPath finds them without a Python loop over all runs).
    texts = _MARKED_TEXTS(root)
    runs = list(dict.fromkeys(t.getparent() for t in texts if t.getparent() is not None))
    for run in runs:
        if run.tag != _R:
            continue
        pieces: list[Any] = []  # elements of the run, text pieces and ("start"|"end", key)
        rpr = None
        for child in run:
            tag = child.tag
            if tag == _RPR:
                rpr = child if rpr is None else rpr  # the first, as find() gives it
                continue
            if tag == _T and _TAG.search(child.text or ""):
                pieces.extend(_split(child.text or ""))
            else:
                pieces.append(child)
        # New elements are made in the document they go into (etree.Element would make a document
        # for each), and put in place just before the run, which is then removed: what inserting
        # them at the run's index after removing it did, without counting the paragraph's children.
        new: list[Any] = []
        current: Any = None
        for piece in pieces:
            if isinstance(piece, tuple) and piece[0] in ("start", "end"):
                current = None
                key = piece[1]
                if piece[0] == "start":
                    count = names.get(key, 0) + 1
                    names[key] = count
                    mark = run.makeelement(_BOOKMARK_START)
                    mark.set(_ID, str(next_id))
                    mark.set(_NAME, PREFIX + key + (f"_{count}" if count > 1 else ""))
                    open_ids.setdefault(key, []).append(next_id)
                    next_id += 1
                else:
                    if not open_ids.get(key):
                        continue
                    mark = run.makeelement(_BOOKMARK_END)
                    mark.set(_ID, str(open_ids[key].pop()))
                new.append(mark)
                continue
            if current is None:
                current = run.makeelement(_R)
                if rpr is not None:
                    current.append(deepcopy(rpr))
                new.append(current)
            if isinstance(piece, str):
                if piece:
                    t = etree.SubElement(current, _T)
                    t.text = piece
                    t.set(_XML_SPACE, "preserve")
            else:
                current.append(piece)
        empty = 1 if rpr is not None else 0
        for element in new:
            if not (element.tag == _R and len(element) == empty):
                run.addprevious(element)
        run.getparent().remove(run)


def _split(text: str) -> list[Any]:
    """Text with marks -> text pieces and ("start", key) / ("end", key)."""
    pieces: list[Any] = []
    stack: list[str] = []
    for part in re.split(f"({START}[^{KEY_END}]*{KEY_END}|{END})", text):
        if part.startswith(START):
            stack.append(part[1:-1])
            pieces.append(("start", part[1:-1]))
        elif part == END:
            if stack:
                pieces.append(("end", stack.pop()))
        else:
            pieces.append(part)
    return pieces


def _strip_marks(root: Any) -> None:
    for element in _MARKED_ELEMENTS(root):
        if element.text and _TAG.search(element.text):
            element.text = _MARKS.sub("", element.text)
            element.text = _TAG.sub("", element.text)
        if element.tail and _TAG.search(element.tail):
            element.tail = _TAG.sub("", element.tail)
        for name, value in element.attrib.items():
            if _TAG.search(value):
                element.set(name, re.sub(f"{START}[^{KEY_END}]*{KEY_END}|{END}", "", value))
