"""Years written in the source's texts: the placeholders, and the numbers an editor has to check.

`{jaar}`, `{vorig_jaar}` and `{volgend_jaar}` stand for the agenda's year and the years around it
(filled in by `content.years`). A year written as a number stays the same in next year's agenda;
`make check` warns where a text seems to speak of the previous year as the current one, and
nieuw-jaar lists every text that still names a year as a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Problems
from ..i18n import _
from .load import Document, Path_, dotted

# The placeholder -> how many years after the agenda's year it means.
PLACEHOLDERS = {"jaar": 0, "vorig_jaar": -1, "volgend_jaar": 1}
PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
# Anything that looks like a placeholder, to report a misspelt one (`{Jaar}`, `{ jaar }`, `{vorigjaar}`).
_LOOKS_LIKE = re.compile(r"\{[^{}\n]{0,20}jaar[^{}\n]{0,20}\}", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\w-])(?:19|20)\d\d(?![\w-])")
# Keys whose values are codes, dates or numbers, not running text.
_NOT_TEXT = {"id", "chapter", "chapters", "year", "period", "partners", "carried_over", "naar_jaar", "peildatum",
             "datum", "referentie", "version", "version_date", "adopted_on", "status"}
# Present or future tense: a sentence that says what happens in a year speaks of it as the current one.
_NOW = r"(?:wordt|worden|zal|zullen|blijft|blijven|geldt|gelden|verwachten|zetten|loopt|lopen|vindt)"


@dataclass(frozen=True)
class YearMention:
    """A year written as a number in a text of the source."""

    file: str
    line: int | None
    field: str
    year: int
    excerpt: str


def texts(data: Any, loc: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every running text in a YAML document, with its place."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in _NOT_TEXT:
                yield from texts(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from texts(value, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


def year_mentions(doc: Document, raw: str) -> list[YearMention]:
    """Every year written as a number in the document's texts, at the line of the file where it stands.

    One entry per line of the file: a line naming two years is one place to check.
    """
    out: dict[tuple[int | None, str], YearMention] = {}
    for loc, text in texts(doc.data):
        start = doc.line_of(loc)
        cursor = _offset(raw, start)
        for match in _YEAR.finditer(text):
            line, cursor = _find(raw, match.group(0), cursor)
            key = (line or start, dotted(loc))
            if key in out:
                continue
            out[key] = YearMention(doc.display, line or start, dotted(loc), int(match.group(0)),
                                   _excerpt(text, match.start(), match.end()))
    return list(out.values())


def check_year_texts(doc: Document, raw: str, year: int, problems: Problems) -> None:
    """Warn about a misspelt placeholder and a text that speaks of the previous year as the current one."""
    previous = year - 1
    now = re.compile(rf"\b(?:[Uu]itvoeringsagenda|Acties|het jaar)\s+{previous}\b"
                     # "is in 2025 gestart" tells what happened then, not what happens now.
                     rf"|(?<!\bis )(?<!\bzijn )\b(?:[Ii]n|[Vv]oor)\s+{previous}\b(?=[^.;:]{{0,80}}?\b{_NOW}\b)"
                     rf"|\b{_NOW}\s+(?:\w+\s+)?in\s+{previous}\b")
    for loc, text in texts(doc.data):
        start = doc.line_of(loc)
        for match in _LOOKS_LIKE.finditer(text):
            if not PLACEHOLDER.fullmatch(match.group(0)):
                problems.warning(doc.display, _line_with(raw, match.group(0), start),
                                 dotted(loc), _("'{text}' is not a year placeholder, so it is printed as it is")
                                 .format(text=match.group(0)),
                                 _("write {jaar}, {vorig_jaar} or {volgend_jaar}"))
        for match in now.finditer(text):
            problems.warning(doc.display, _line_with(raw, str(previous), start,
                                                     text[:match.end()].count(str(previous)) - 1), dotted(loc),
                             _("this text speaks of {previous} as the current year in the agenda of {year}: "
                               "'{excerpt}'").format(previous=previous, year=year,
                                                     excerpt=_excerpt(text, match.start(), match.end())),
                             _("write {jaar} where the text means the agenda's year, or rewrite it"))


def _offset(raw: str, line: int | None) -> int:
    """Where a (1-based) line starts in the file's text."""
    offset = 0
    for __ in range((line or 1) - 1):
        offset = raw.find("\n", offset) + 1
        if offset == 0:
            return len(raw)
    return offset


def _find(raw: str, needle: str, cursor: int) -> tuple[int | None, int]:
    """The line (1-based) of the first `needle` at or after `cursor` outside comments, and the offset after it."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(needle)}(?![\w-])")
    for match in pattern.finditer(raw, cursor):
        line_start = raw.rfind("\n", 0, match.start()) + 1
        if not raw[line_start:match.start()].lstrip().startswith("#") and "#" not in raw[line_start:match.start()]:
            return raw.count("\n", 0, match.start()) + 1, match.end()
    return None, cursor


def _line_with(raw: str, needle: str, line: int | None, skip: int = 0) -> int | None:
    """The line of the first `needle` (after `skip` others) from the given line on, or that line."""
    found, cursor = None, _offset(raw, line)
    for __ in range(skip + 1):
        found, cursor = _find(raw, needle, cursor)
    return found or line


def _excerpt(text: str, start: int, end: int, width: int = 30) -> str:
    """The words around text[start:end] on one line."""
    left = text.rfind(" ", 0, max(start - width, 0)) + 1 if start > width else 0
    right = text.find(" ", end + width)
    piece = " ".join(text[left:right if right != -1 else len(text)].split())
    return ("…" if left else "") + piece + ("…" if right != -1 else "")
