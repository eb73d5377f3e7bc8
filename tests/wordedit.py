"""Edit a built .docx the way Word writes a review: tracked changes, comments, several authors.

Test helper: the XML shapes follow what Word writes (w:ins/w:del with w:author and w:date, changes
split over runs with rsid attributes, proofErr and bookmarks between the runs, a deleted paragraph,
a change in a table cell, commentRangeStart/commentRangeEnd/commentReference).
"""

from __future__ import annotations

import io
import zipfile
from copy import deepcopy
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XS = "{http://www.w3.org/XML/1998/namespace}space"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


class WordReview:
    """A built document opened for editing as a reviewer in Word would."""

    def __init__(self, data: bytes) -> None:
        self.package = zipfile.ZipFile(io.BytesIO(data))
        self.root = etree.fromstring(self.package.read("word/document.xml"))
        self.comments: list[tuple[int, str, str, str]] = []
        self.next_id = 5000
        self._bookmarks: dict[str, tuple[Any, list[Any]]] | None = None
        self._ends: dict[str, Any] = {}

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def field_run(self, text: str, nth: int = 0) -> Any:
        """The run of the `nth` bookmarked field whose text contains `text`."""
        for start in self.root.iter(w("bookmarkStart")):
            if not start.get(w("name"), "").startswith("bron_"):
                continue
            run = start.getnext()
            if run is not None and run.tag == w("r") and text in "".join(run.itertext()):
                if nth == 0:
                    return run
                nth -= 1
        raise AssertionError(f"no field with {text!r}")

    def bookmarks(self) -> dict[str, tuple[Any, list[Any]]]:
        """Every bron_ bookmark: name -> (its start, the runs inside it, in its paragraph), as the document was built.

        Read once: the edits keep the elements (a retyped run moves into its w:del), not their order.
        """
        if self._bookmarks is None:
            self._bookmarks = self._read_bookmarks()
        return self._bookmarks

    def _read_bookmarks(self) -> dict[str, tuple[Any, list[Any]]]:
        ends = {e.get(w("id")): e for e in self.root.iter(w("bookmarkEnd"))}
        self._ends = ends
        out: dict[str, tuple[Any, list[Any]]] = {}
        for start in self.root.iter(w("bookmarkStart")):
            name = start.get(w("name"), "")
            if not name.startswith("bron_"):
                continue
            end = ends.get(start.get(w("id")))
            runs, node = [], start.getnext()
            while node is not None and node is not end:
                if node.tag == w("r"):
                    runs.append(node)
                node = node.getnext()
            out[name[len("bron_"):]] = (start, runs)
        return out

    def field_text(self, name: str) -> str:
        """The text of the field with bookmark `bron_<name>`."""
        return "".join("".join(t.text or "" for t in r.iter(w("t"))) for r in self.bookmarks()[name][1])

    def insert_in_field(self, name: str, new: str, author: str, date: str = "2026-03-05T10:00:00Z") -> None:
        """Type `new` at the start of the field (inside its bookmark), as Word records it."""
        start, runs = self.bookmarks()[name]
        template = runs[0] if runs else etree.Element(w("r"))
        start.addnext(self._change("ins", author, date, self._run(template, new)))

    def retype_field(self, name: str, new: str, author: str, date: str = "2026-03-05T10:00:00Z") -> None:
        """Select the whole field and type `new` over it: every run deleted, the new text inserted after them."""
        __, runs = self.bookmarks()[name]
        if not runs:
            self.type_into_empty(name, new, author, date)
            return
        for run in runs:
            for t in run.findall(w("t")):
                t.tag = w("delText")
            holder = self._change("del", author, date)
            run.addprevious(holder)
            holder.append(run)
        runs[-1].getparent().addnext(self._change("ins", author, date, self._run(runs[-1], new)))

    def type_into_empty(self, name: str, new: str, author: str, date: str = "2026-03-05T10:00:00Z") -> None:
        """Type into an empty field (a cell without an amount): the insertion lands after its collapsed bookmark."""
        start, runs = self.bookmarks()[name]
        assert not runs, name
        end = self._ends[start.get(w("id"))]
        end.addnext(self._change("ins", author, date, self._run(etree.Element(w("r")), new)))

    def unclose_empty_bookmarks(self) -> int:
        """What LibreOffice writes for the bookmark of an empty table cell: a start without an end."""
        removed = 0
        for start in list(self.root.iter(w("bookmarkStart"))):
            end = start.getnext()
            if start.get(w("name"), "").startswith("bron_") and end is not None and end.tag == w("bookmarkEnd") \
                    and end.get(w("id")) == start.get(w("id")):
                end.getparent().remove(end)
                removed += 1
        return removed

    def _run(self, template: Any, text: str, deleted: bool = False, rsid: str = "00A1B2C3") -> Any:
        run = etree.Element(w("r"))
        run.set(w("rsidR"), rsid)
        rpr = template.find(w("rPr"))
        if rpr is not None:
            run.append(deepcopy(rpr))
        t = etree.SubElement(run, w("delText") if deleted else w("t"))
        t.text = text
        t.set(_XS, "preserve")
        return run

    def _change(self, kind: str, author: str, date: str, *runs: Any) -> Any:
        change = etree.Element(w(kind))
        change.set(w("id"), self._id())
        change.set(w("author"), author)
        change.set(w("date"), date)
        change.extend(runs)
        return change

    def replace(self, text: str, old: str, new: str, author: str, date: str = "2026-03-02T10:15:00Z",
                nth: int = 0) -> None:
        """Replace the word `old` by `new` in the field containing `text`, split the way Word splits runs."""
        run = self.field_run(text, nth)
        full = "".join(run.itertext())
        at = full.index(old)
        before, after = full[:at], full[at + len(old):]
        half = len(before) // 2
        parent, index = run.getparent(), run.getparent().index(run)
        parent.remove(run)
        go_back = self._id()
        pieces = [self._run(run, before[:half]), etree.Element(w("proofErr"), {w("type"): "spellStart"}),
                  self._run(run, before[half:], rsid="00D4E5F6"),
                  etree.Element(w("bookmarkStart"), {w("id"): go_back, w("name"): "_GoBack"}),
                  etree.Element(w("bookmarkEnd"), {w("id"): go_back}),
                  etree.Element(w("proofErr"), {w("type"): "spellEnd"}),
                  self._change("del", author, date, self._run(run, old[:2], deleted=True),
                               self._run(run, old[2:], deleted=True, rsid="00D4E5F6")),
                  self._change("ins", author, date, self._run(run, new)),
                  self._run(run, after)]
        for offset, piece in enumerate(p for p in pieces if p.tag != w("r") or "".join(p.itertext())):
            parent.insert(index + offset, piece)

    def delete_paragraph(self, text: str, author: str, date: str = "2026-03-02T11:00:00Z") -> None:
        """Delete the whole paragraph holding the field with `text` (its mark too)."""
        paragraph = self.field_run(text).getparent()
        for run in [r for r in paragraph if r.tag == w("r")]:
            for t in run.findall(w("t")):
                t.tag = w("delText")
            index = paragraph.index(run)
            paragraph.remove(run)
            paragraph.insert(index, self._change("del", author, date, run))
        ppr = paragraph.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            paragraph.insert(0, ppr)
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self._change("del", author, date))

    def insert_paragraph_after(self, text: str, new: str, author: str, date: str = "2026-03-03T09:00:00Z") -> None:
        """A new paragraph after the one holding `text`, as Word marks it."""
        paragraph = self.field_run(text).getparent()
        added = etree.Element(w("p"))
        ppr = deepcopy(paragraph.find(w("pPr"))) if paragraph.find(w("pPr")) is not None else etree.Element(w("pPr"))
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, w("rPr"))
        rpr.append(self._change("ins", author, date))
        added.append(ppr)
        added.append(self._change("ins", author, date, self._run(etree.Element(w("r")), new)))
        paragraph.addnext(added)

    def insert_at(self, paragraph_text: str, new: str, author: str, date: str = "2026-03-03T09:30:00Z") -> None:
        """Insert text at the end of the first paragraph whose text contains `paragraph_text` (no field)."""
        for paragraph in self.root.iter(w("p")):
            if paragraph_text in "".join(t.text or "" for t in paragraph.iter(w("t"))):
                paragraph.append(self._change("ins", author, date, self._run(etree.Element(w("r")), new)))
                return
        raise AssertionError(paragraph_text)

    def comment(self, text: str, comment: str, author: str, date: str = "2026-03-04T14:00:00Z") -> None:
        """A comment on the field with `text` (range start, range end, reference run)."""
        run = self.field_run(text)
        ident = len(self.comments)
        run.addprevious(etree.Element(w("commentRangeStart"), {w("id"): str(ident)}))
        end = etree.Element(w("commentRangeEnd"), {w("id"): str(ident)})
        run.addnext(end)
        reference = etree.Element(w("r"))
        etree.SubElement(reference, w("commentReference"), {w("id"): str(ident)})
        end.addnext(reference)
        self.comments.append((ident, author, date, comment))

    def save(self) -> bytes:
        """The edited document as .docx bytes (comments part, relationship and content type added)."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in self.package.infolist():
                data = self.package.read(info.filename)
                if info.filename == "word/document.xml":
                    data = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)
                elif info.filename == "[Content_Types].xml" and self.comments:
                    data = data.replace(b"</Types>", b'<Override PartName="/word/comments.xml" ContentType="'
                                        b'application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
                                        b"</Types>")
                elif info.filename == "word/_rels/document.xml.rels" and self.comments:
                    data = data.replace(b"</Relationships>", b'<Relationship Id="rIdComments9" Type="http://schemas.'
                                        b'openxmlformats.org/officeDocument/2006/relationships/comments" '
                                        b'Target="comments.xml"/></Relationships>')
                dst.writestr(info, data)
            if self.comments:
                root = etree.Element(w("comments"), nsmap={"w": W})
                for ident, author, date, text in self.comments:
                    c = etree.SubElement(root, w("comment"), {w("id"): str(ident), w("author"): author,
                                                              w("date"): date, w("initials"): author[:2]})
                    p = etree.SubElement(c, w("p"))
                    r = etree.SubElement(p, w("r"))
                    etree.SubElement(r, w("t")).text = text
                dst.writestr("word/comments.xml", etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                                  standalone=True))
        return out.getvalue()
