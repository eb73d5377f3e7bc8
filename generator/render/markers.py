"""Field markers: every source text in a built document is wrapped in a Word bookmark `bron_<key>`.

A reviewer's tracked change can then be traced back to the source field it was made in
(`review/overnemen.py`). Every value of the context that knows its origin (`source.provenance`: set
when the source was loaded, never found afterwards by matching text) is tagged with invisible
private-use characters before rendering; after rendering the tags become bookmarks around the
value's runs and are removed, so the visible text is unchanged. The key is a short hash of the
field's file and place (or, for a computed total, of what it is), so a document says which field
each text came from without storing the source in it.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..source import provenance as pv

# Private-use characters: never typed by editors, never shown (they are removed after rendering).
START, KEY_END, END = "\ue000", "\ue001", "\ue002"
PREFIX = "bron_"
_TAG = re.compile(f"[{START}{KEY_END}{END}]")
_MARKS = re.compile(f"{START}[^{KEY_END}]*{KEY_END}|{END}")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The first bookmark ID we hand out, far above those a template or Word uses.
_FIRST_ID = 900000


def w(name: str) -> str:
    """A WordprocessingML tag in Clark notation."""
    return f"{{{_W}}}{name}"


@dataclass(frozen=True)
class Field:
    """One printed value and where it came from: a field of the source, or something computed."""

    key: str  # short, stable ID; the bookmark is PREFIX + key
    file: str  # relative to the source folder, e.g. 2026/hoofdstukken/spoor-1.yaml ('' when computed)
    path: tuple[str | int, ...]  # YAML: keys and list indexes; CSV: (line ID, column)
    text: str  # as the document shows it
    action: str | None  # the action it belongs to, if any
    line: int | None = None  # the line in the file
    computed: str = ""  # not from the source: what it is and where to change it, in words

    @property
    def is_csv(self) -> bool:
        """A cell of a CSV file rather than a YAML value."""
        return self.file.endswith(".csv")

    @property
    def is_amount(self) -> bool:
        """A CSV cell holding an amount (not a description or a toelichting)."""
        return self.is_csv and str(self.path[-1]) not in _CSV_TEXT

    @property
    def place(self) -> str:
        """Where the field is, in words (the review report is Dutch): `2026/hoofdstukken/spoor-1.yaml, regel 42
        (actie S1-03, tekst)`; a computed value says what it is."""
        if self.computed:  # the reason (`computed`) names it; the place is the text itself
            short = " ".join(self.text.split())
            return f"\"{short if len(short) <= 60 else short[:57] + '...'}\""
        return f"{self.file}" + (f", regel {self.line}" if self.line else "") + \
            f" ({describe(self.path, self.action, self.is_csv)})"


_CSV_TEXT = {"omschrijving", "toelichting"}
# The words a review report uses for the keys of the source (never the internal path).
_WORDS = {
    "title": "titel", "text": "tekst", "subtitle": "ondertitel", "short_title": "korte titel", "intro": "inleiding",
    "closing": "slot", "items": "onderdeel", "bullets": "opsomming", "numbered": "genummerde lijst",
    "partners_wording": "partnerregel", "group": "groepskop", "effect": "effect", "toelichting": "toelichting",
    "resultaat": "resultaat", "waarom": "reden van het voorstel", "referentie": "referentie van het besluit",
    "naam": "naam", "waarde": "waarde", "vorig_jaar": "waarde vorig jaar", "gedaan": "wat er is gedaan",
    "finance_title": "kop van het hoofdstuk financiën", "friction_title": "kop van het frictiebudget",
    "finance_notes": "toelichting bij de begroting", "friction_notes": "toelichting bij het frictiebudget",
    "indeling": "indeling", "effecten": "effect", "indicatoren": "indicator", "kerncijfers": "kerncijfer",
    "periode": "periode", "name": "naam",
    "omschrijving": "omschrijving", "realisatie": "realisatie", "prognose": "prognose",
    "tot_peildatum": "besteed tot de peildatum", "campaign_messages": "campagneboodschap",
}


def describe(path: tuple[str | int, ...], action: str | None, is_csv: bool = False) -> str:
    """A field's place in words, never the internal path: `actie S1-03, tekst`, `regel 'lpo', kolom 2027`."""
    if is_csv:
        return f"regel '{path[0]}', kolom {path[-1]}"
    words: list[str] = []
    skipping = False
    for part in path:
        if isinstance(part, int):
            if words and not skipping:
                words[-1] += f" {part + 1}"
            continue
        skipping = part in ("sections", "actions", "acties", "hoofdstukken") or part == action
        if not skipping:
            words.append(_WORDS.get(part, part.replace("_", " ")))
    return ", ".join([f"actie {action}"] * bool(action) + words)


def field_of(value: pv.Sourced) -> Field:
    """The field a printed value came from."""
    origin = value.origin
    return Field(origin.key, origin.file, origin.path, str(value), origin.action, origin.line, origin.computed)


def field_index(contexts: list[Any]) -> dict[str, list[Field]]:
    """Every printed value of the contexts by key: one field, printed once or more."""
    found: dict[str, list[Field]] = {}
    for context in contexts:
        for value, __ in pv.origins(context):
            assert isinstance(value, pv.Sourced)
            found.setdefault(value.origin.key, []).append(field_of(value))
    return found


def tag(text: str, key: str) -> str:
    """The text with the invisible marks that become a bookmark around it."""
    return f"{START}{key}{KEY_END}{text}{END}"


def mark_context(context: Any) -> Any:
    """A copy of the context in which every value that knows its origin carries that origin's marks."""
    if isinstance(context, pv.Sourced):
        return tag(str(context), context.origin.key)
    if isinstance(context, pv.Joined):
        return "".join(mark_context(part) for part in context.parts)
    if isinstance(context, dict):
        return {k: mark_context(v) for k, v in context.items()}
    if isinstance(context, list):
        return [mark_context(v) for v in context]
    if isinstance(context, tuple):
        return tuple(mark_context(v) for v in context)
    return context


# --- after rendering: marks -> bookmarks ------------------------------------------------------------


def unmarked(text: str) -> str:
    """`text` as the reader will see it: without the field marks (they become bookmarks after rendering)."""
    return _MARKS.sub("", text) if START in text or END in text else text


def bookmark_document(document: Any) -> None:
    """Every marked text of a python-docx document in memory inside a bookmark, and no marks left anywhere.

    Done on the tree before it is saved: the document's XML is not serialised, zipped, unzipped and
    parsed once more (at 100x the actions that second tree was 400 MB).
    """
    for part in document.part.package.iter_parts():
        name = str(part.partname).lstrip("/")
        if not name.endswith(".xml"):
            continue
        element = getattr(part, "element", None)  # an XmlPart's tree, which is what will be saved
        if element is not None:
            # Serialised to look for a mark, as in the saved part (faster than an XPath over every
            # text and attribute: the styles alone are 350 KB).
            if START.encode() in etree.tostring(element, encoding="UTF-8"):
                _as_parsed(element)
                _unmark(element, name == "word/document.xml")
        elif START.encode() in part.blob:  # a part python-docx keeps as bytes
            root = etree.fromstring(part.blob)
            _unmark(root, False)
            part._blob = _serialise(root)  # python-docx has no public way to change a plain part's bytes


def _as_parsed(root: Any) -> None:
    """The tree as parsing its saved XML gives it (so the bookmarks are placed as in the saved document).

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
