"""The text of a .docx in reading order: headings, list items, table rows.

Used by the fidelity test, the reviewers' document diff and the git textconv
driver (`python -m generator.review.docxtext FILE`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def _paragraph_line(paragraph: Paragraph) -> str | None:
    text = paragraph.text.strip()
    if not text:
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    if style.startswith("Heading"):
        level = style.removeprefix("Heading").strip()
        return "#" * (int(level) if level.isdigit() else 1) + " " + text
    if style == "Title":
        return "# " + text
    if style.startswith("List Bullet"):
        depth = style.removeprefix("List Bullet").strip()
        return "  " * (int(depth) - 1 if depth.isdigit() else 0) + "• " + text
    if style.startswith("List Number"):
        return "1. " + text
    return text


def _table_lines(table: Table) -> list[str]:
    lines = []
    for row in table.rows:
        cells: list[tuple[object, str]] = []
        for cell in row.cells:
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if not cells or cell._tc is not cells[-1][0]:
                cells.append((cell._tc, text))
        lines.append("| " + " | ".join(text for _, text in cells) + " |")
    return lines


def document_lines(doc: DocumentObject) -> list[str]:
    """Every non-empty paragraph and table row of the body, in order."""
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            line = _paragraph_line(Paragraph(child, doc))
            if line:
                lines.append(line)
        elif child.tag == qn("w:tbl"):
            lines.extend(_table_lines(Table(child, doc)))
    return lines


def docx_text(path: Path | IO[bytes]) -> str:
    """The document's text, one line per paragraph or table row."""
    source = str(path) if isinstance(path, Path) else path
    return "\n".join(document_lines(Document(source))) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m generator.review.docxtext FILE.docx", file=sys.stderr)
        return 2
    try:
        sys.stdout.write(docx_text(Path(argv[0])))
    except Exception as exc:  # a textconv driver must never fail loudly on a bad file
        print(f"(cannot read {argv[0]} as a Word document: {exc})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
