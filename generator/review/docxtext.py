"""The text of a .docx in reading order: headings, list items, table rows.

Used by the fidelity test, the reviewers' document diff and the git textconv
driver (`python -m generator.review.docxtext FILE`).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from typing import IO, Any

from docx.oxml.ns import qn
from docx.styles import BabelFish
from lxml import etree


def docx_lines(data: bytes) -> list[str]:
    """Every non-empty paragraph and table row of the body of a .docx given as bytes, in order.

    Read with lxml directly (the same lines as python-docx's objects give, which the tests check):
    python-docx looks up a paragraph's style and a row's cells anew each time, which makes reading
    a long document take seconds; the reviewers' diff reads six of them.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(qn("w:body"))
        names = _style_names(package.read("word/styles.xml") if "word/styles.xml" in package.namelist() else None)
    lines: list[str] = []
    for child in body.iterchildren() if body is not None else []:
        if child.tag == qn("w:p"):
            line = _line(_text(child), _style_of(child, names))
            if line:
                lines.append(line)
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = [" ".join(t for t in (_text(p).strip() for p in tc.iter(qn("w:p"))) if t)
                         for tc in row.iterchildren(qn("w:tc"))]
                lines.append("| " + " | ".join(cells) + " |")
    return lines


def _style_names(styles: bytes | None) -> dict[str, str]:
    """Paragraph style ID -> the name python-docx shows; '' -> the default paragraph style."""
    names: dict[str, str] = {}
    if styles is None:
        return names
    for style in etree.fromstring(styles).iterchildren(qn("w:style")):
        if style.get(qn("w:type")) != "paragraph":
            continue
        name_el = style.find(qn("w:name"))
        name = BabelFish.internal2ui(name_el.get(qn("w:val"), "")) if name_el is not None else ""
        names[style.get(qn("w:styleId"), "")] = name
        if style.get(qn("w:default")) in ("1", "true", "on"):
            names[""] = name
    return names


def _style_of(paragraph: Any, names: dict[str, str]) -> str:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    ident = style.get(qn("w:val"), "") if style is not None else ""
    return names.get(ident, names.get("", ""))


_RUN_TEXT = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def _text(paragraph: Any) -> str:
    """The paragraph's text as python-docx gives it: its runs and the runs of its hyperlinks."""
    out: list[str] = []
    for element in paragraph:
        if element.tag == _R:
            _run_text(element, out)
        elif element.tag == _HYPERLINK:
            for run in element:
                if run.tag == _R:
                    _run_text(run, out)
    return "".join(out)


_R, _T, _HYPERLINK = qn("w:r"), qn("w:t"), qn("w:hyperlink")


def _run_text(run: Any, out: list[str]) -> None:
    for child in run:
        if child.tag == _T:
            out.append(child.text or "")
        elif child.tag in _RUN_TEXT:
            out.append(_RUN_TEXT[child.tag])


def _line(text: str, style: str) -> str | None:
    text = text.strip()
    if not text:
        return None
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


def docx_text(path: Path | IO[bytes]) -> str:
    """The document's text, one line per paragraph or table row."""
    data = path.read_bytes() if isinstance(path, Path) else path.read()
    return "\n".join(docx_lines(data)) + "\n"


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
