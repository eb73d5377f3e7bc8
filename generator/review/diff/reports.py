"""The change summary for the terminal, as Markdown and as one HTML page, and each document's text diff."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ...i18n import _
from ..report import html_page, html_words, md_escape, md_words
from .model import GROUPS, Change
from .words import render_words, shorten

if TYPE_CHECKING:
    from .compare import Comparison, DocumentDiff

NO_CHANGES = "Geen wijzigingen"


def _terminal_style(colour: bool) -> Callable[[str, str], str]:
    def style(op: str, text: str) -> str:
        if op == "-":
            marked = f"[-{text}-]"
            return f"\x1b[31m{marked}\x1b[0m" if colour else marked
        if op == "+":
            marked = f"{{+{text}+}}"
            return f"\x1b[32m{marked}\x1b[0m" if colour else marked
        return text
    return style


def source_place(change: Change, result: Comparison) -> str:
    """Where a change is in the source, in words: `bron: source/2026/hoofdstukken/spoor-1.yaml, regel 12`
    (`bron in <old version>: ...` for what was removed); for a computed total what it is computed from;
    '' when no one place holds it (the order of the chapters)."""
    origin = change.origin
    if origin is None:
        return ""
    if origin.computed:
        return origin.computed
    folder = result.old_folder if change.in_old else result.folder
    path = f"{folder}/{origin.file}" if folder else origin.file
    label = f"bron in {result.old.label}" if change.in_old else "bron"
    return f"{label}: {path}, regel {origin.line}" if origin.line else f"{label}: {path}"


def _grouped(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    return [(g, [c for c in changes if c.group == g]) for g in GROUPS if any(c.group == g for c in changes)]


def _title(result: Comparison) -> str:
    if result.new_year is not None:
        return f"Wijzigingen Uitvoeringsagenda {result.year} → {result.new_year}"
    return f"Wijzigingen {result.year}: {result.old.label} → {result.new.label}"


@dataclass(frozen=True)
class _Layout:
    """How one report format lays out the list of changes (the list is walked once, in `_change_lines`)."""

    group: Callable[[str], str]  # the heading of a group
    item: Callable[[str], str]  # the change itself, in words
    sub: Callable[[str], str]  # a line under it: where it is in the source, a detail
    words: Callable[[str], str]  # the word diff, already styled
    word_style: Callable[[str, str], str]
    end_item: str = ""
    end_group: str = ""


def _change_lines(result: Comparison, layout: _Layout) -> list[str]:
    """Every change under its group: what changed, its words, where it is in the source, its details."""
    out: list[str] = []
    for group, changes in _grouped(result.changes):
        out.append(layout.group(group))
        for change in changes:
            out.append(layout.item(change.line()))
            if change.words:
                out.append(layout.words(render_words(change.words, layout.word_style)))
            where = source_place(change, result)
            out += [layout.sub(text) for text in ([where] if where else []) + list(change.details)]
            if layout.end_item:
                out.append(layout.end_item)
        out.append(layout.end_group)
    return out


def terminal_report(result: Comparison, written: dict[str, Path], colour: bool = False) -> str:
    """The change summary for the terminal: plain words, old words [-so-], new words {+so+}."""
    lines = [_title(result), ""]
    if not result.changes:
        lines.append(f"Brongegevens: {NO_CHANGES.lower()}.")
    indent: Callable[[str], str] = "      {}".format
    lines += _change_lines(result, _Layout("{}:".format, "  • {}".format, indent, indent, _terminal_style(colour)))
    lines.append("Documenten:")
    for doc in result.documents:
        lines.append(f"  • {doc.name}: {_document_counts(doc)}")
    lines.append("")
    if result.empty:
        lines.append(NO_CHANGES + ".")
    if written:
        lines.append(_("Written:"))
    lines.extend(f"  {path}" for path in written.values())
    return "\n".join(lines).rstrip() + "\n"


def _document_counts(doc: DocumentDiff) -> str:
    if doc.only_in == "new":
        return "nieuw document (alleen in de nieuwe versie)"
    if doc.only_in == "old":
        return "vervallen (alleen in de oude versie)"
    if not doc.lines:
        return "ongewijzigd" if doc.identical else "tekst ongewijzigd, opmaak gewijzigd (zie de redline)"
    n = {op: sum(1 for line in doc.lines if line.op == op) for op in "~+-"}
    # Dutch in every language: this is the diff summary, the same text as in wijzigingen.md.
    return f"{n['~']} {'regel' if n['~'] == 1 else 'regels'} gewijzigd, {n['+']} toegevoegd, {n['-']} verwijderd"


def summary_markdown(result: Comparison) -> str:
    """The change summary as Markdown: deleted words ~~struck~~, inserted words **bold**."""
    out = [f"# {md_escape(_title(result))}", ""]
    if result.empty:
        out += [f"{NO_CHANGES}.", ""]
    if not result.changes:
        out += [f"Brongegevens: {NO_CHANGES.lower()}.", ""]
    out += _change_lines(result, _Layout(lambda g: f"## {g}\n", lambda s: f"- {md_escape(s)}",
                                         lambda s: f"  - {md_escape(s)}", "  - {}".format, md_words))
    out += ["## Documenten", ""]
    for doc in result.documents:
        out.append(f"- {md_escape(doc.name)}: {_document_counts(doc)}")
    return "\n".join(out).rstrip() + "\n"


def document_markdown(result: Comparison, doc: DocumentDiff) -> str:
    """The text diff of one document, grouped under the nearest heading."""
    out = [f"# {md_escape(doc.name)}: tekstwijzigingen", "",
           f"{md_escape(result.old.label)} → {md_escape(result.new.label)}. "
           "Verwijderde woorden ~~doorgehaald~~, nieuwe woorden **vet**.", ""]
    if not doc.lines:
        out.append(f"{NO_CHANGES} in de tekst." if not doc.only_in else _document_counts(doc) + ".")
        if not doc.identical and not doc.only_in:
            out.append("De opmaak is wel gewijzigd: zie de redline.")
    heading = None
    for line in doc.lines:
        if line.heading != heading:
            heading = line.heading
            out += ["", f"## {md_escape(heading or '(begin van het document)')}", ""]
        mark = {"~": "gewijzigd", "+": "nieuw", "-": "verwijderd"}[line.op]
        out.append(f"- *{mark}:* {render_words(shorten(list(line.words), 12), md_words)}")
    return "\n".join(out).rstrip() + "\n"


def summary_html(result: Comparison) -> str:
    """The change summary and every document's text diff as one HTML page."""
    e = html.escape
    out = []
    if result.empty:
        out.append(f"<p><strong>{NO_CHANGES}.</strong></p>")
    out.append("<h2>Brongegevens</h2>")
    if not result.changes:
        out.append(f"<p>{NO_CHANGES}.</p>")
    out += _change_lines(result, _Layout(lambda g: f"<h3>{e(g)}</h3><ul>", lambda s: f"<li>{e(s)}",
                                         lambda s: f'<div class="detail">{e(s)}</div>',
                                         '<div class="words">{}</div>'.format, html_words, "</li>", "</ul>"))
    for doc in result.documents:
        out.append(f"<h2>Document {e(doc.name)}</h2><p>{e(_document_counts(doc))}</p>")
        heading = None
        for line in doc.lines:
            if line.heading != heading:
                if heading is not None:
                    out.append("</ul>")
                heading = line.heading
                out.append(f"<h3>{e(heading or '(begin van het document)')}</h3><ul>")
            out.append(f"<li>{render_words(shorten(list(line.words), 12), html_words)}</li>")
        if heading is not None:
            out.append("</ul>")
    return html_page(_title(result), out)


def report_files(result: Comparison) -> dict[str, bytes]:
    """Every file the diff writes: name -> bytes (deterministic)."""
    files = {
        "wijzigingen.md": summary_markdown(result).encode(),
        "wijzigingen.html": summary_html(result).encode(),
    }
    for doc in result.documents:
        files[f"{doc.stem}.tekstdiff.md"] = document_markdown(result, doc).encode()
        if doc.redline is not None:
            files[f"{doc.stem}.redline.docx"] = doc.redline
    return files
