"""The change summary for the terminal, as Markdown and as one HTML page, and each document's text diff."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...i18n import _
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


def _grouped(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    return [(g, [c for c in changes if c.group == g]) for g in GROUPS if any(c.group == g for c in changes)]


def _title(result: Comparison) -> str:
    if result.new_year is not None:
        return f"Wijzigingen Uitvoeringsagenda {result.year} → {result.new_year}"
    return f"Wijzigingen {result.year}: {result.old.label} → {result.new.label}"


def terminal_report(result: Comparison, written: dict[str, Path], colour: bool = False) -> str:
    """The change summary for the terminal: plain words, old words [-so-], new words {+so+}."""
    style = _terminal_style(colour)
    lines = [_title(result), ""]
    if not result.changes:
        lines.append(f"Brongegevens: {NO_CHANGES.lower()}.")
    for group, changes in _grouped(result.changes):
        lines.append(f"{group}:")
        for change in changes:
            lines.append(f"  • {change.line()}")
            if change.words:
                lines.append(f"      {render_words(change.words, style)}")
            lines.extend(f"      {d}" for d in change.details)
        lines.append("")
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


_MD_SPECIAL = re.compile(r"([\\`*_~\[\]|<>#])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_style(op: str, text: str) -> str:
    if op == "-":
        return f"~~{md_escape(text)}~~"
    if op == "+":
        return f"**{md_escape(text)}**"
    return md_escape(text)


def _html_style(op: str, text: str) -> str:
    if op == "-":
        return f"<del>{html.escape(text)}</del>"
    if op == "+":
        return f"<ins>{html.escape(text)}</ins>"
    return html.escape(text)


def summary_markdown(result: Comparison) -> str:
    """The change summary as Markdown: deleted words ~~struck~~, inserted words **bold**."""
    out = [f"# {md_escape(_title(result))}", ""]
    if result.empty:
        out += [f"{NO_CHANGES}.", ""]
    if not result.changes:
        out += [f"Brongegevens: {NO_CHANGES.lower()}.", ""]
    for group, changes in _grouped(result.changes):
        out += [f"## {group}", ""]
        for change in changes:
            out.append(f"- {md_escape(change.line())}")
            if change.words:
                out.append(f"  - {render_words(change.words, _md_style)}")
            out += [f"  - {md_escape(d)}" for d in change.details]
        out.append("")
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
        out.append(f"- *{mark}:* {render_words(shorten(list(line.words), 12), _md_style)}")
    return "\n".join(out).rstrip() + "\n"


_CSS = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
        "del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none;font-weight:bold}"
        ".words{color:#333;margin:.2em 0 .6em 1.5em}.detail{margin-left:1.5em;color:#555}h3{margin-top:1.2em}")


def summary_html(result: Comparison) -> str:
    """The change summary and every document's text diff as one HTML page."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="nl"><head><meta charset="utf-8">', f"<title>{e(_title(result))}</title>",
           f"<style>{_CSS}</style></head><body>", f"<h1>{e(_title(result))}</h1>"]
    if result.empty:
        out.append(f"<p><strong>{NO_CHANGES}.</strong></p>")
    out.append("<h2>Brongegevens</h2>")
    if not result.changes:
        out.append(f"<p>{NO_CHANGES}.</p>")
    for group, changes in _grouped(result.changes):
        out.append(f"<h3>{e(group)}</h3><ul>")
        for change in changes:
            out.append(f"<li>{e(change.line())}")
            if change.words:
                out.append(f'<div class="words">{render_words(change.words, _html_style)}</div>')
            out += [f'<div class="detail">{e(d)}</div>' for d in change.details]
            out.append("</li>")
        out.append("</ul>")
    for doc in result.documents:
        out.append(f"<h2>Document {e(doc.name)}</h2><p>{e(_document_counts(doc))}</p>")
        heading = None
        for line in doc.lines:
            if line.heading != heading:
                if heading is not None:
                    out.append("</ul>")
                heading = line.heading
                out.append(f"<h3>{e(heading or '(begin van het document)')}</h3><ul>")
            out.append(f"<li>{render_words(shorten(list(line.words), 12), _html_style)}</li>")
        if heading is not None:
            out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


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
