"""The one registry of document kinds: file name, Word template, website page and title of each.

Part of the foundation, so that staleness (before the pipeline is imported), the renderer, the
website edition, the diff and the tests all read the same list. To add a kind: add an entry here,
its Word template in `templates/`, its website template in `templates/html/`, and its context
builder in `render/documents.py` (CONTEXTS).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document the pipeline produces."""

    name: str
    template: str  # the Word template, in templates/
    filename: str  # the .docx written, with {year}
    page: str  # the website page, with {year}
    html_template: str  # its Jinja template, in templates/html/
    title: str  # document property; with {year}


DOCUMENTS: dict[str, DocumentKind] = {kind.name: kind for kind in (
    DocumentKind("agenda", "uitvoeringsagenda.docx", "uitvoeringsagenda-{year}.docx",
                 "uitvoeringsagenda-{year}.html", "agenda.html", "Uitvoeringsagenda {year}"),
    DocumentKind("voortgang", "voortgangsrapportage.docx", "voortgangsrapportage-{year}.docx",
                 "voortgangsrapportage-{year}.html", "voortgang.html", "Voortgangsrapportage {year}"),
    DocumentKind("jaarverslag", "jaarverslag.docx", "jaarverslag-{year}.docx",
                 "jaarverslag-{year}.html", "jaarverslag.html", "Jaarverslag {year}"),
)}
