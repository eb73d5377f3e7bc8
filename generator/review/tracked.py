"""Read a reviewed .docx: tracked insertions and deletions per source field, and the comments.

Works on what Word and LibreOffice write: a change split over many runs, rsid attributes,
proofErr and bookmarks between the runs, deleted and inserted paragraphs, moved text (read as a
deletion and an insertion), changes in table cells, several authors. Fields are found by the
bookmarks `bron_<key>` the build puts around every source text (`render/markers.py`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ..errors import Problem, UserError
from ..i18n import _
from ..render.markers import PREFIX, w
from ..source.load import MAX_PART_BYTES, oversized_part

_INS = {w("ins"), w("moveTo")}
_DEL = {w("del"), w("moveFrom")}
# Containers whose runs are part of the paragraph's text.
_CONTAINERS = {w("hyperlink"), w("smartTag"), w("sdt"), w("sdtContent"), w("customXml"), w("fldSimple"),
               w("tbl"), w("tr"), w("tc"), w("body"), w("txbxContent")}
_SKIP = {w("pPr"), w("rPr"), w("sectPr"), w("tblPr"), w("tblGrid"), w("trPr"), w("tcPr"), w("sdtPr"),
         w("sdtEndPr"), w("tblPrEx")}
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


@dataclass
class Segment:
    """A piece of text as it stands in the reviewed document."""

    text: str
    state: str  # "normal", "ins" or "del"
    author: str
    date: str
    fields: frozenset[str]  # names of the bron_ bookmarks around it (key, and _2, _3 for a repeated value)
    paragraph: int
    is_mark: bool = False  # the paragraph mark (end of paragraph)


@dataclass
class FieldEdit:
    """One printed occurrence of a source field as the reviewer saw it and as the reviewer left it."""

    name: str  # the bookmark: the key, with _2, _3 for the second and third place the value is printed
    key: str
    seen: str  # the text before the review (unchanged and deleted text)
    new: str  # the text after the review (unchanged and inserted text)
    authors: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    split: bool = False  # a paragraph mark inside the field was inserted or deleted

    @property
    def changed(self) -> bool:
        """The reviewer changed this field."""
        return self.seen != self.new or self.split


@dataclass
class Loose:
    """A change that lies outside every source field: template text, a total, a new paragraph."""

    kind: str  # "outside", "new-paragraph", "deleted-outside"
    text: str
    author: str
    date: str
    near: str | None  # key of the nearest source field before it
    context: str  # the paragraph, as the reviewer left it


@dataclass
class Comment:
    """One comment: who, when, what, and the text it is anchored to."""

    id: str
    author: str
    date: str
    text: str
    anchor: str
    near: str | None  # key of the field it is on, or the nearest one before it


@dataclass
class Review:
    """Everything a reviewer did to one document."""

    fields: dict[str, FieldEdit]  # per bookmark name (each place a field is printed)
    loose: list[Loose]
    comments: list[Comment]
    paragraphs: list[str]  # each paragraph's text after the review, for places in the report


def read_review(source: Path | IO[bytes], shown: str) -> Review:
    """The tracked changes and comments of a reviewed .docx; raise UserError if it cannot be read."""
    try:
        with zipfile.ZipFile(source) as package:
            too_large = oversized_part(package)
            if too_large is not None:
                what = _("the part {part} of this Word file is larger than {size} MB, more than any document of "
                         "this project").format(part=too_large, size=MAX_PART_BYTES // (1024 * 1024))
                raise UserError(Problem(shown, None, "", what,
                                        _("use the document built by this project, reviewed in Word or "
                                          "LibreOffice")).format())
            document = package.read("word/document.xml")
            comments_xml = package.read("word/comments.xml") if "word/comments.xml" in package.namelist() else None
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UserError(Problem(shown, None, "", _("this is not a Word (.docx) document ({detail})").format(detail=exc),
                                _("save the reviewed file from Word or LibreOffice as .docx")).format()) from None
    try:
        root = etree.fromstring(document)
        comment_root = etree.fromstring(comments_xml) if comments_xml else None
    except etree.XMLSyntaxError as exc:
        raise UserError(Problem(shown, None, "", _("the document's XML is damaged ({detail})").format(detail=exc),
                                _("open it in Word or LibreOffice and save it again as .docx")).format()) from None
    reader = _Reader()
    body = root.find(w("body"))
    if body is None:
        raise UserError(Problem(shown, None, "", _("the document has no body"),
                                _("is this a document built by this project?")).format())
    reader.walk(body, "normal", "", "")
    if not any(name.startswith(PREFIX) for name in reader.names.values()):
        raise UserError(Problem(shown, None, "", _("the document has no source markers (bookmarks bron_...)"),
                                _("use a document built by this version of the project (make all), "
                                  "reviewed in Word or LibreOffice")).format())
    return _collect(reader, _comments(comment_root))


class _Reader:
    """Walks the body in reading order, turning runs into segments."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.names: dict[str, str] = {}  # bookmark id -> name
        self.open: dict[str, str] = {}  # open bron_ bookmark id -> bookmark name
        self.opened_at: dict[str, int] = {}  # open bron_ bookmark id -> number of segments when it opened
        self.empty: list[tuple[str, int, int]] = []  # bookmarks around nothing: (name, paragraph, segment index)
        self.paragraph = -1
        self.comment_at: dict[str, int] = {}  # comment id -> index of the first segment after its start
        self.comment_end: dict[str, int] = {}

    def walk(self, element: Any, state: str, author: str, date: str) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == w("p"):
                self.para(child, state, author, date)
            elif tag in _INS or tag in _DEL:
                self.walk(child, "ins" if tag in _INS else "del", child.get(w("author"), ""), child.get(w("date"), ""))
            elif tag == w("r"):
                self.run(child, state, author, date)
            elif tag == w("bookmarkStart"):
                name = child.get(w("name"), "")
                self.names[child.get(w("id"), "")] = name
                if name.startswith(PREFIX):
                    self.open[child.get(w("id"), "")] = name[len(PREFIX):]
                    self.opened_at[child.get(w("id"), "")] = len(self.segments)
            elif tag == w("bookmarkEnd"):
                self.close(child.get(w("id"), ""))
            elif tag == w("commentRangeStart"):
                self.comment_at.setdefault(child.get(w("id"), ""), len(self.segments))
            elif tag == w("commentRangeEnd"):
                self.comment_end[child.get(w("id"), "")] = len(self.segments)
            elif tag in _CONTAINERS or tag == f"{{{_MC}}}AlternateContent":
                self.walk(child, state, author, date)

    def close(self, ident: str) -> None:
        name = self.open.pop(ident, None)
        if name is not None and self.opened_at.pop(ident, -1) == len(self.segments):
            # Around nothing (an empty table cell): what is typed there belongs to it.
            self.empty.append((name, self.paragraph, len(self.segments)))

    def para(self, p: Any, state: str, author: str, date: str) -> None:
        self.paragraph += 1
        self.walk(p, state, author, date)
        # A value is printed within one paragraph. LibreOffice leaves the bookmark of an empty table
        # cell unclosed; read as open to the end of the document, it would take in every later text.
        mark_fields = frozenset(n for i, n in self.open.items() if self.opened_at.get(i) != len(self.segments))
        for ident in list(self.open):
            self.close(ident)
        mark_state, mark_author, mark_date = state, author, date
        rpr = p.find(f"{w('pPr')}/{w('rPr')}")
        if rpr is not None:
            for tag, name in ((w("ins"), "ins"), (w("del"), "del")):
                found = rpr.find(tag)
                if found is not None:
                    mark_state, mark_author, mark_date = name, found.get(w("author"), ""), found.get(w("date"), "")
        self.segments.append(Segment("\n", mark_state, mark_author, mark_date, mark_fields,
                                     self.paragraph, is_mark=True))

    def run(self, r: Any, state: str, author: str, date: str) -> None:
        for child in r:
            tag = child.tag
            text = None
            if tag in (w("t"), w("delText")):
                text = child.text or ""
            elif tag == w("tab"):
                text = "\t"
            elif tag in (w("br"), w("cr")):
                text = "\n"
            elif tag == w("noBreakHyphen"):
                text = "-"
            elif tag == w("commentReference"):
                self.comment_at.setdefault(child.get(w("id"), ""), len(self.segments))
            if text:
                self.segments.append(Segment(text, state, author, date, frozenset(self.open.values()),
                                             self.paragraph))


def _collect(reader: _Reader, comments: list[tuple[str, str, str, str]]) -> Review:
    segments = reader.segments
    _attach_edges(segments)
    _attach_empty(segments, reader.empty)
    paragraphs = _paragraph_texts(segments)
    loose = _loose(segments, paragraphs)  # first: a new paragraph is taken out of the fields
    fields: dict[str, FieldEdit] = {}
    for seg in segments:
        for name in seg.fields:
            edit = fields.setdefault(name, FieldEdit(name, key_of(name), "", ""))
            if seg.is_mark:
                # A field ends inside its paragraph; a changed mark inside it splits or joins paragraphs.
                edit.split = edit.split or seg.state != "normal"
                continue
            if seg.state != "ins":
                edit.seen += seg.text
            if seg.state != "del":
                edit.new += seg.text
            if seg.state != "normal":
                if seg.author not in edit.authors:
                    edit.authors.append(seg.author)
                if seg.date not in edit.dates:
                    edit.dates.append(seg.date)
    return Review(fields, loose, _place_comments(reader, comments, paragraphs), paragraphs)


def _attach_edges(segments: list[Segment]) -> None:
    """Give an insertion just before or after a field (typed at its edge) to that field.

    Word and LibreOffice do not widen a bookmark when text is typed at its very end or start.
    """
    for i, seg in enumerate(segments):
        if seg.fields or seg.state != "ins" or seg.is_mark:
            continue
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(segments) and not segments[j].fields and segments[j].state != "normal" \
                    and not segments[j].is_mark and segments[j].paragraph == seg.paragraph:
                j += step
            if 0 <= j < len(segments) and segments[j].paragraph == seg.paragraph and segments[j].fields \
                    and not segments[j].is_mark and segments[j].text.strip():
                seg.fields = segments[j].fields
                break


def _attach_empty(segments: list[Segment], empty: list[tuple[str, int, int]]) -> None:
    """Give text typed into an empty field (a cell without an amount) to that field.

    The bookmark is around nothing, so Word and LibreOffice put the insertion just before or after it.
    """
    for name, paragraph, __ in empty:
        own = [s for s in segments if s.paragraph == paragraph and not s.is_mark]
        if any(s.fields - {name} for s in own) or any(s.state == "normal" and s.text.strip() for s in own):
            continue  # other text in the paragraph: an insertion there is not clearly this field's
        for seg in own:
            if seg.state == "ins":
                seg.fields = frozenset({name})


def key_of(name: str) -> str:
    """The field key of a bookmark name: `abc123_2` (the second place it is printed) -> `abc123`."""
    return re.sub(r"_\d+$", "", name)


def _paragraph_texts(segments: list[Segment]) -> list[str]:
    texts: dict[int, str] = {}
    for seg in segments:
        if not seg.is_mark and seg.state != "del":
            texts[seg.paragraph] = texts.get(seg.paragraph, "") + seg.text
    count = max((s.paragraph for s in segments), default=-1) + 1
    return [texts.get(i, "") for i in range(count)]


def _nearest(segments: list[Segment], index: int) -> str | None:
    """The key of the field at or before a position."""
    for seg in reversed(segments[: index + 1]):
        if seg.fields:
            return sorted(seg.fields)[0]
    return None


def _loose(segments: list[Segment], paragraphs: list[str]) -> list[Loose]:
    """Changes outside every field, grouped per paragraph and kind."""
    out: list[Loose] = []
    by_paragraph: dict[int, list[int]] = {}
    for i, seg in enumerate(segments):
        if not seg.is_mark:
            by_paragraph.setdefault(seg.paragraph, []).append(i)
        elif seg.state == "del" and not seg.fields and paragraphs[seg.paragraph].strip() \
                and seg.paragraph + 1 < len(paragraphs) and paragraphs[seg.paragraph + 1].strip():
            # The end of a paragraph that stays was deleted: two paragraphs (two fields) become one.
            out.append(Loose("joined", paragraphs[seg.paragraph] + paragraphs[seg.paragraph + 1], seg.author,
                             seg.date, _nearest(segments, i), paragraphs[seg.paragraph]))
    for number, indexes in by_paragraph.items():
        texts = [segments[i] for i in indexes]
        # All of a paragraph's text inserted: a new paragraph, unless it was typed into an empty field.
        if texts and all(s.state == "ins" and not s.fields for s in texts) and "".join(s.text for s in texts).strip():
            first = texts[0]
            out.append(Loose("new-paragraph", "".join(s.text for s in texts), first.author, first.date,
                             _nearest(segments, indexes[0] - 1), paragraphs[number]))
            for s in texts:
                s.fields = frozenset()  # a new paragraph is a proposal, never part of a field
            continue
        run: list[Segment] = []
        for i in [*indexes, -1]:
            current = segments[i] if i >= 0 else None
            if current is not None and not current.fields and current.state != "normal":
                seg = current
                if run and run[-1].state != seg.state:
                    out.append(_loose_of(run, segments, indexes[0], paragraphs[number]))
                    run = []
                run.append(seg)
            elif run:
                out.append(_loose_of(run, segments, indexes[0], paragraphs[number]))
                run = []
    return out


def _loose_of(run: list[Segment], segments: list[Segment], first: int, paragraph: str) -> Loose:
    kind = "outside" if run[0].state == "ins" else "deleted-outside"
    return Loose(kind, "".join(s.text for s in run), run[0].author, run[0].date,
                 _nearest(segments, segments.index(run[0])), paragraph)


def _comments(root: Any) -> list[tuple[str, str, str, str]]:
    if root is None:
        return []
    out = []
    for comment in root.iter(w("comment")):
        paragraphs = ["".join(t.text or "" for t in p.iter(w("t"))) for p in comment.iter(w("p"))]
        out.append((comment.get(w("id"), ""), comment.get(w("author"), ""), comment.get(w("date"), ""),
                    "\n".join(p for p in paragraphs if p)))
    return out


def _place_comments(reader: _Reader, comments: list[tuple[str, str, str, str]],
                    paragraphs: list[str]) -> list[Comment]:
    segments = reader.segments
    out = []
    for ident, author, date, text in comments:
        start = reader.comment_at.get(ident)
        end = reader.comment_end.get(ident, start)
        if start is None:
            out.append(Comment(ident, author, date, text, "", None))
            continue
        anchor = "".join(s.text for s in segments[start:end] if not s.is_mark and s.state != "del")
        at = segments[start] if start < len(segments) else None
        near = sorted(at.fields)[0] if at is not None and at.fields else _nearest(segments, start - 1)
        if not anchor and at is not None:
            anchor = paragraphs[at.paragraph]
        out.append(Comment(ident, author, date, text, anchor, near))
    return out


