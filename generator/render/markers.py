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
from dataclasses import dataclass
from typing import Any

from ..source import provenance as pv

# Private-use characters: never typed by editors, never shown (they are removed after rendering).
START, KEY_END, END = "\ue000", "\ue001", "\ue002"
PREFIX = "bron_"
_TAG = re.compile(f"[{START}{KEY_END}{END}]")
_MARKS = re.compile(f"{START}[^{KEY_END}]*{KEY_END}|{END}")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
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


def bookmark_xml(xml: str) -> str:
    """The rendered body's XML with every marked text inside a bookmark, and no marks left anywhere.

    Done on the XML text docxtpl's Jinja produced, before it is parsed: one split of the string and
    work only for the runs that hold a mark (a walk over the parsed tree cost as much as docxtpl's own
    rendering). A run `<w:r><w:rPr/>..<w:t>a[mark]b[end]c</w:t></w:r>` becomes the runs `a`, `b`
    and `c` with the run's properties, and `<w:bookmarkStart/>`/`<w:bookmarkEnd/>` between them.
    Marks nest as the values do (a stack over the whole body), so a value that docxtpl broke into
    several texts (a line break in it: `<w:br/>`) is still one bookmark. Marks outside a run's text
    (an attribute, a field code) are removed.
    """
    if START not in xml and END not in xml:
        return xml
    state = _Bookmarks()
    chunks = xml.split("</w:r>")
    for index, chunk in enumerate(chunks[:-1]):
        if START in chunk or END in chunk:
            chunks[index] = state.run(chunk)
    xml = _RUN_END.join(chunks).replace(_DROP + _RUN_END, "")
    return strip_marks(xml)


def strip_marks(xml: str) -> str:
    """XML (of a header, a footer, or marks left outside runs) without any field mark."""
    if START not in xml and KEY_END not in xml and END not in xml:
        return xml
    return _TAG.sub("", _MARKS.sub("", xml))


_RUN_END = "</w:r>"
_DROP = "\ue003"  # private use, like the marks: stands for a run left empty, removed with its "</w:r>"
_RUN_START = re.compile(r"<w:r(?: [^>]*)?>")
_RUN_PROPERTIES = re.compile(r"\s*(<w:rPr>.*?</w:rPr>|<w:rPr/>)", re.DOTALL)
_TEXT = re.compile(r"(<w:t(?: [^>]*)?>)([^<]*)</w:t>")
_PIECE = re.compile(f"({START}[^{KEY_END}]*{KEY_END}|{END})")


class _Bookmarks:
    """The bookmarks of one body: IDs handed out in order, names numbered per key, marks paired by a stack."""

    def __init__(self) -> None:
        self.next_id = _FIRST_ID
        self.names: dict[str, int] = {}
        self.open: list[int] = []  # the IDs of the bookmarks started and not yet ended

    def run(self, chunk: str) -> str:
        """`chunk` is the XML up to a `</w:r>`: its last run, with its marked texts made into bookmarks."""
        opening = None
        for match in _RUN_START.finditer(chunk):  # the last run's start
            opening = match
        if opening is None:  # not a run's end we can see the start of: the marks are only removed
            return chunk
        before, inner = chunk[:opening.start()], chunk[opening.end():]
        rpr = _RUN_PROPERTIES.match(inner)
        properties = rpr.group(1) if rpr else ""
        children = inner[rpr.end():] if rpr else inner
        out: list[str] = [before]
        current: list[str] = []  # the children of the run being made

        def close() -> None:
            if current:
                out.append(f"<w:r>{properties}{''.join(current)}</w:r>")
                current.clear()

        position = 0
        for text in _TEXT.finditer(children):
            if START not in text.group(2) and END not in text.group(2):
                continue
            if text.start() > position:
                current.append(children[position:text.start()])
            position = text.end()
            for piece in _PIECE.split(text.group(2)):
                if piece.startswith(START):
                    close()
                    out.append(self.start(piece[1:-1]))
                elif piece == END:
                    close()
                    if self.open:
                        out.append(f'<w:bookmarkEnd w:id="{self.open.pop()}"/>')
                elif piece:
                    current.append(f'<w:t xml:space="preserve">{piece}</w:t>')
        if position < len(children):
            current.append(children[position:])
        # The last run is closed by the "</w:r>" the chunk was split at; if nothing is left for it, it is dropped.
        out.append(f"<w:r>{properties}{''.join(current)}" if current else _DROP)
        return "".join(out)

    def start(self, key: str) -> str:
        count = self.names.get(key, 0) + 1
        self.names[key] = count
        ident = self.next_id
        self.next_id += 1
        self.open.append(ident)
        name = PREFIX + key + (f"_{count}" if count > 1 else "")
        return f'<w:bookmarkStart w:id="{ident}" w:name="{name}"/>'
