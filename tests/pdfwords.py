"""Words broken across lines in a PDF: what a reader sees as 'nog niet gerapporteer' / 'd'.

Every word of the PDF's text (pdftotext) must be a word of the .docx it was made from. A line
break at a hyphen the text already has ('RIEC-' / 'bureau') is an ordinary break in running
text; a word cut anywhere else, or an amount split from its euro sign, is a broken word.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

from docx import Document
from docx.oxml.ns import qn

SOFT_HYPHEN = "\u00ad"


def docx_words(path: Path) -> set[str]:
    """Every whitespace-separated word of the document's visible text (body, headers, footers)."""
    doc = Document(str(path))
    parts = [doc.element.body]
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            parts.append(part._element)
    words: set[str] = set()
    for part in parts:
        for paragraph in part.iter(qn("w:p")):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            words.update(text.replace(SOFT_HYPHEN, "").split())
    return words


def pdf_lines(pdf: Path) -> list[list[list[str]]]:
    """The PDF's words as poppler lays them out: per text block (a cell, a paragraph), per line.

    `pdftotext -bbox-layout` gives the words as printed; plain pdftotext would join a word broken at
    a hyphen back together and so hide the break.
    """
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    root = ElementTree.fromstring(xhtml)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    return [[[word.text or "" for word in line.iterfind("x:word", ns)] for line in block.iterfind("x:line", ns)]
            for block in root.iterfind(".//x:block", ns)]


def _hyphen_parts(words: set[str]) -> set[str]:
    """The pieces of every hyphenated word a line may end or begin with: 'RIEC-' and 'bureau'."""
    parts = set()
    for word in words:
        for i, char in enumerate(word):
            if char == "-" and 0 < i < len(word) - 1:
                parts.update((word[:i + 1], word[i + 1:]))
    return parts


def broken_words(pdf: Path, docx: Path) -> list[str]:
    """The fragments in the PDF that are no word of the .docx, each with the line it is on."""
    known = docx_words(docx)
    parts = _hyphen_parts(known)
    broken = []
    for block in pdf_lines(pdf):
        for words in block:
            if words and words[-1] == "€":
                broken.append(f"amount split from its euro sign: {' '.join(words)}")
            for word in words:
                # The table of contents' leader dots and the page numbers LibreOffice fills in.
                word = re.sub(r"\.{3,}\d*$", "", word)
                if not word or word in known or word in parts or re.fullmatch(r"[\d.,]+", word):
                    continue
                if all(0xE000 <= ord(c) <= 0xF8FF for c in word):
                    continue  # a list bullet (a symbol font's private-use character)
                broken.append(f"{word!r} (in: {' '.join(words)[:80]})")
    return broken
