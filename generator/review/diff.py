"""What changed between two versions of the source: in the data and in the documents.

`compare_sources` validates both versions, compares the models (actions by their
stable ID, budget lines per year, every computed total), renders every document
of `DOCUMENTS` for both and diffs their text word by word, and makes a
redline .docx per document with native Word tracked changes. `run_diff` does the
same for two git revisions and writes the results under `output/diff/`.
"""

from __future__ import annotations

import copy
import difflib
import html
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .. import format as fmt
from ..cache import Cache
from ..content.years import fill_model
from ..errors import UserError, ValidationFailed
from ..i18n import _
from ..kinds import DOCUMENTS
from ..render.documents import is_fictitious, render_documents
from ..render.write import fixed_time, normalise_docx, write_outputs
from ..source.finance import TOTAL_LABELS, computed_totals
from ..source.model import Action, ActionReport, Agenda, Block, BulletList, Chapter, NumberedList, Section
from ..source.progress import Reports, load_all
from ..source.validate import Validated
from . import gitrev
from .docxtext import fast_lines
from .gitrev import Version

REDLINE_AUTHOR = "RIEC documenten"
NO_CHANGES = "Geen wijzigingen"
CONTEXT_WORDS = 6  # unchanged words shown either side of a change

# A word-level diff: ("=", unchanged), ("-", deleted) or ("+", inserted) text.
Segment = tuple[str, str]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- word-level diff --------------------------------------------------------------


# A word, a number (5.953.678, -314.767) or a punctuation mark, with the space before it.
_WORD = re.compile(r"\s*(?:[-−]\d(?:[\d.,]*\d)?|\w(?:[\w.,\-’'/]*\w)?|\S)")


def _tokens(text: str) -> list[str]:
    return [(" " if tok[:1].isspace() else "") + tok.strip() for tok in _WORD.findall(" ".join(text.split()))]


def word_diff(old: str, new: str) -> list[Segment]:
    """The words of `old` and `new` as unchanged, deleted and inserted runs.

    Each run keeps the space before it, so punctuation stays attached: `Dealbreakers[-en-]{+,+}`.
    """
    a, b = _tokens(old), _tokens(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, [x.strip() for x in a], [y.strip() for y in b],
                                                      autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("-", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("+", "".join(b[j1:j2])))
    return out


def shorten(segments: list[Segment], context: int = CONTEXT_WORDS) -> list[Segment]:
    """Long unchanged runs cut to a few words either side of each change."""
    out: list[Segment] = []
    for i, (op, text) in enumerate(segments):
        words = text.split()
        if op != "=" or len(words) <= 2 * context + 1:
            out.append((op, text))
            continue
        lead = " " if text[:1].isspace() else ""
        head = words[:context] if i > 0 else []
        tail = words[-context:] if i < len(segments) - 1 else []
        out.append(("=", lead + " ".join([*head, "…", *tail])))
    return out


def render_words(segments: Iterable[Segment], style: Callable[[str, str], str]) -> str:
    """A word diff as one line, each run styled by `style(op, text)`."""
    return "".join((" " if text[:1].isspace() else "") + style(op, text.strip())
                   for op, text in segments).strip()


# --- data changes -----------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change in the source data, named by ID and place in the document."""

    group: str  # heading it is listed under
    subject: str  # "Actie S1-03 (Spoor 1 › Preventieve integrale jeugdaanpak)"
    summary: str  # "tekst gewijzigd"
    words: tuple[Segment, ...] = ()  # word-level diff, when text changed
    details: tuple[str, ...] = ()  # further lines, e.g. the text of an added action

    def line(self) -> str:
        return f"{self.subject}: {self.summary}"


GROUPS = ("Acties", "Hoofdstukken en tekst", "Partners", "Begroting", "Berekende totalen", "Documentgegevens")


def blocks_text(blocks: Iterable[Block]) -> str:
    """Running text flattened to words, for a word-level diff."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, BulletList):
            parts.extend("• " + b for b in block.bullets)
        elif isinstance(block, NumberedList):
            parts.extend(f"{i}. {b}" for i, b in enumerate(block.numbered, 1))
        else:
            parts.append(block)
    return " ".join(parts)


def value_text(value: Any) -> str:
    """Any source value as plain text (lists of blocks, nested models, dates)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(value_text(v) for v in value)
    if isinstance(value, BulletList | NumberedList):
        return blocks_text([value])
    if hasattr(value, "model_dump"):
        return " ".join(value_text(getattr(value, name)) for name in type(value).model_fields)
    return str(value)


def _text_change(group: str, subject: str, what: str, old: Any, new: Any) -> Change | None:
    old_text, new_text = value_text(old), value_text(new)
    if old == new or old_text == new_text:
        return None if old == new else Change(group, subject, f"{what} gewijzigd (opmaak of indeling)")
    return Change(group, subject, f"{what} gewijzigd", tuple(shorten(word_diff(old_text, new_text))))


def chapter_name(chapter: Chapter) -> str:
    return chapter.short_title or chapter.title


def section_name(section: Section, index: int) -> str:
    return section.title or section.subtitle or f"deel {index + 1}"


def place(chapter: Chapter, section: Section, index: int) -> str:
    """`Spoor 1 › Preventieve integrale jeugdaanpak`: where an item is in the document."""
    return f"{chapter_name(chapter)} › {section_name(section, index)}"


@dataclass(frozen=True)
class _Located:
    action: Action
    chapter: Chapter
    section: Section
    section_index: int
    partners: tuple[str, ...]  # effective partner IDs: the action's, else its section's

    @property
    def place(self) -> str:
        return place(self.chapter, self.section, self.section_index)

    @property
    def key(self) -> tuple[str, int, str]:
        return self.chapter.id, self.section_index, self.section.title or ""


def _located(agenda: Agenda) -> dict[str, _Located]:
    out = {}
    for chapter in agenda.chapters:
        for i, section in enumerate(chapter.sections):
            for action in section.actions:
                out[action.id] = _Located(action, chapter, section, i, tuple(action.partners or section.partners))
    return out


def action_statuses(reports: Reports | None) -> dict[str, dict[str, str]]:
    """Per action ID, its status per report: {'voortgang 30 juni 2026': 'op schema', 'jaarverslag': ...}."""
    out: dict[str, dict[str, str]] = {}
    if reports is None:
        return out
    if reports.voortgang is not None:
        label = f"voortgang {fmt.date(reports.voortgang.peildatum)}"
        for action_id, report in reports.voortgang.acties.items():
            out.setdefault(action_id, {})[label] = _status_text(report)
    if reports.jaarverslag is not None:
        for action_id, report in reports.jaarverslag.acties.items():
            out.setdefault(action_id, {})["jaarverslag"] = _status_text(report)
    return out


def _status_text(report: ActionReport) -> str:
    return f"{report.status} (naar {report.naar_jaar})" if report.naar_jaar else str(report.status)


def _status_changes(subject: str, old: dict[str, str], new: dict[str, str]) -> list[Change]:
    return [Change("Acties", subject, f"status ({label}) gewijzigd: {old.get(label) or 'nog niet gerapporteerd'}"
                                      f" → {new.get(label) or 'nog niet gerapporteerd'}")
            for label in sorted(set(old) | set(new)) if old.get(label) != new.get(label)]


_ACTION_FIELDS_COMPARED = {"id", "title", "text", "items", "partners", "partners_wording", "status"}


def _partner_names(agenda: Agenda, ids: Iterable[str]) -> list[str]:
    known = {p.id: p.name for p in agenda.partners}
    return [known.get(i, i) for i in ids]


def _action_subject(loc: _Located) -> str:
    return f"Actie {loc.action.id} ({loc.place})"


def _action_changes(old: Agenda, new: Agenda, old_reports: Reports | None = None,
                    new_reports: Reports | None = None) -> list[Change]:
    g = "Acties"
    before, after = _located(old), _located(new)
    old_status, new_status = action_statuses(old_reports), action_statuses(new_reports)
    changes: list[Change] = []
    for action_id, loc in before.items():
        if action_id not in after:
            changes.append(Change(g, _action_subject(loc), "verwijderd", details=(f"was: “{loc.action.text}”",)))
    for action_id, loc in after.items():
        subject = _action_subject(loc)
        if action_id not in before:
            details = [f"tekst: “{loc.action.text}”"]
            if loc.partners:
                details.append("partners: " + ", ".join(_partner_names(new, loc.partners)))
            changes.append(Change(g, subject, "toegevoegd", details=tuple(details)))
            continue
        was = before[action_id]
        if was.key != loc.key:
            changes.append(Change(g, subject, f"verplaatst van {was.place} naar {loc.place}"))
        a, b = was.action, loc.action
        for what, old_value, new_value in (("titel", a.title, b.title), ("tekst", a.text, b.text),
                                           ("subpunten", a.items, b.items),
                                           ("formulering betrokken partners", a.partners_wording,
                                            b.partners_wording)):
            change = _text_change(g, subject, what, old_value, new_value)
            if change:
                changes.append(change)
        added = [p for p in loc.partners if p not in was.partners]
        removed = [p for p in was.partners if p not in loc.partners]
        if added or removed:
            parts = [f"+ {name}" for name in _partner_names(new, added)]
            parts += [f"− {name}" for name in _partner_names(old, removed)]
            changes.append(Change(g, subject, "partners gewijzigd: " + "; ".join(parts)))
        elif list(loc.partners) != list(was.partners):
            changes.append(Change(g, subject, "volgorde van de partners gewijzigd"))
        changes += _status_changes(subject, old_status.get(action_id, {}), new_status.get(action_id, {}))
        for name in type(b).model_fields:
            if name not in _ACTION_FIELDS_COMPARED and getattr(a, name) != getattr(b, name):
                changes.append(Change(g, subject, f"{name} gewijzigd: {value_text(getattr(a, name)) or '(leeg)'} → "
                                                  f"{value_text(getattr(b, name)) or '(leeg)'}"))
    return changes


def _pair_sections(old: Chapter, new: Chapter) -> list[tuple[int | None, int | None]]:
    """Sections matched by title; untitled or renamed ones by position."""
    if len(old.sections) == len(new.sections):
        return [(i, i) for i in range(len(new.sections))]
    titles = {s.title: i for i, s in enumerate(old.sections) if s.title}
    pairs: list[tuple[int | None, int | None]] = []
    used = set()
    for j, section in enumerate(new.sections):
        i = titles.get(section.title) if section.title else None
        if i is None and j < len(old.sections) and j not in used and not old.sections[j].title:
            i = j
        if i is not None:
            used.add(i)
        pairs.append((i, j))
    pairs += [(i, None) for i in range(len(old.sections)) if i not in used]
    return pairs


def _chapter_changes(old: Agenda, new: Agenda) -> list[Change]:
    g = "Hoofdstukken en tekst"
    changes: list[Change] = []
    before = {c.id: c for c in old.chapters}
    after = {c.id: c for c in new.chapters}
    for cid, chapter in before.items():
        if cid not in after:
            changes.append(Change(g, f"Hoofdstuk {chapter_name(chapter)}", "verwijderd"))
    for cid, chapter in after.items():
        if cid not in before:
            changes.append(Change(g, f"Hoofdstuk {chapter_name(chapter)}", "toegevoegd"))
            continue
        was = before[cid]
        subject = f"Hoofdstuk {chapter_name(chapter)}"
        for name, what in (("title", "titel"), ("short_title", "korte titel"), ("group", "kop erboven"),
                           ("effect", "effect"), ("effect_ref", "nummer maatschappelijk effect"),
                           ("intro", "inleidende tekst")):
            change = _text_change(g, subject, what, getattr(was, name), getattr(chapter, name))
            if change:
                changes.append(change)
        for i, j in _pair_sections(was, chapter):
            if j is None:
                assert i is not None
                changes.append(Change(g, f"Deel {place(was, was.sections[i], i)}", "verwijderd"))
                continue
            section = chapter.sections[j]
            if i is None:
                changes.append(Change(g, f"Deel {place(chapter, section, j)}", "toegevoegd"))
                continue
            old_section = was.sections[i]
            sub = f"Deel {place(chapter, section, j)}"
            for name, what in (("title", "titel"), ("subtitle", "ondertitel"), ("intro", "inleidende tekst"),
                               ("closing", "slottekst"),
                               ("partners_wording", "formulering betrokken partners")):
                change = _text_change(g, sub, what, getattr(old_section, name), getattr(section, name))
                if change:
                    changes.append(change)
            if old_section.partners != section.partners:
                changes.append(Change(g, sub, "partners van het hele deel: "
                                      + ", ".join(_partner_names(old, old_section.partners)) + " → "
                                      + ", ".join(_partner_names(new, section.partners))))
            old_order = [a.id for a in old_section.actions if a.id in {b.id for b in section.actions}]
            new_order = [a.id for a in section.actions if a.id in set(old_order)]
            if old_order != new_order:
                changes.append(Change(g, sub, "volgorde van de acties gewijzigd: " + ", ".join(new_order)))
    if [c for c in old.meta.chapters if c in after] != [c for c in new.meta.chapters if c in before]:
        changes.append(Change(g, "Volgorde van de hoofdstukken", "gewijzigd: " + ", ".join(new.meta.chapters)))
    intro_names = {"inleiding": "Inleiding", "governance": "Governance", "effecten": "Effectgerichte aanpak",
                   "indeling": "Indeling"}
    for name, label in intro_names.items():
        change = _text_change(g, label, "tekst", getattr(old.introduction, name), getattr(new.introduction, name))
        if change:
            changes.append(change)
    for name, label in (("finance_notes", "Toelichting financieel"), ("friction_notes", "Toelichting frictiebudget")):
        change = _text_change(g, label, "tekst", getattr(old.meta, name), getattr(new.meta, name))
        if change:
            changes.append(change)
    return changes


def _meta_changes(old: Agenda, new: Agenda) -> list[Change]:
    g = "Documentgegevens"
    skip = {"chapters", "finance_notes", "friction_notes"}
    changes = []
    for name in type(new.meta).model_fields:
        a, b = getattr(old.meta, name), getattr(new.meta, name)
        if name not in skip and a != b:
            changes.append(Change(g, f"Veld '{name}'", f"{value_text(a) or '(leeg)'} → {value_text(b) or '(leeg)'}"))
    return changes


def _registry_changes(old: Agenda, new: Agenda) -> list[Change]:
    g = "Partners"
    before = {p.id: p for p in old.partners}
    after = {p.id: p for p in new.partners}
    changes = []
    for pid, p in before.items():
        if pid not in after:
            changes.append(Change(g, f"Partner {p.name} ({pid})", "uit het partnerregister verwijderd"))
    for pid, p in after.items():
        if pid not in before:
            changes.append(Change(g, f"Partner {p.name} ({pid})", "aan het partnerregister toegevoegd"))
        elif before[pid] != p:
            was = before[pid]
            fields = [name for name in type(p).model_fields if getattr(was, name) != getattr(p, name)]
            details = tuple(f"{name}: {value_text(getattr(was, name)) or '(leeg)'} → "
                            f"{value_text(getattr(p, name)) or '(leeg)'}" for name in fields)
            changes.append(Change(g, f"Partner {p.name} ({pid})", "gegevens gewijzigd", details=details))
    return changes


def euro(value: int | None) -> str:
    """An amount for the summary: `€ 100.000`, `€ 0`, or `(leeg)` for an empty cell."""
    if value is None:
        return "(leeg)"
    return "€ 0" if value == 0 else fmt.euro(value)


def delta(old: int | None, new: int | None) -> str:
    """`+ € 20.000` or `− € 5.000`."""
    d = (new or 0) - (old or 0)
    return f"{'+' if d >= 0 else '−'} € {fmt.number(abs(d))}"


def _amount_changes(group: str, subject: str, old: dict[int, int | None] | None,
                    new: dict[int, int | None] | None) -> list[Change]:
    old, new = old or {}, new or {}
    out = []
    for year in sorted(set(old) | set(new)):
        a, b = old.get(year), new.get(year)
        if a != b:
            out.append(Change(group, f"{subject}, {year}", f"{euro(a)} → {euro(b)} ({delta(a, b)})"))
    return out


def _line_changes(group: str, old: dict[Any, Any], new: dict[Any, Any], subject_of: Callable[[Any], str],
                  compare: Callable[[Any, Any, str], list[Change]], removed_details: bool) -> list[Change]:
    """The changes between two sets of CSV lines (budget or friction) by their key: removed, added, changed."""
    def details(line: Any) -> tuple[str, ...]:
        return tuple(f"{y}: {euro(v)}" for y, v in sorted(line.amounts.items()))

    changes = [Change(group, subject_of(line), "regel verwijderd", details=details(line) if removed_details else ())
               for key, line in old.items() if key not in new]
    for key, line in new.items():
        subject = subject_of(line)
        if key not in old:
            changes.append(Change(group, subject, "regel toegevoegd", details=details(line)))
            continue
        changes += compare(old[key], line, subject)
        changes += _amount_changes(group, subject, old[key].amounts, line.amounts)
    return changes


def _finance_changes(old: Agenda, new: Agenda) -> list[Change]:
    g = "Begroting"
    changes: list[Change] = []
    fo, fn = old.finance, new.finance
    if fo.years != fn.years:
        changes.append(Change(g, "Begrotingsjaren",
                              f"{', '.join(map(str, fo.years))} → {', '.join(map(str, fn.years))}"))
    kinds = {"baten": "Baten", "lasten": "Lasten"}

    def budget_changes(was: Any, line: Any, subject: str) -> list[Change]:
        out = []
        if was.kind != line.kind:
            out.append(Change(g, subject, f"verplaatst van {kinds[was.kind]} naar {kinds[line.kind]}"))
        if was.label != line.label:
            out.append(Change(g, subject, f"omschrijving gewijzigd (was: {was.label})"))
        return out

    changes += _line_changes(g, {line.id: line for line in fo.budget}, {line.id: line for line in fn.budget},
                             lambda line: f"Begroting › {kinds[line.kind]} › {line.label}", budget_changes,
                             removed_details=True)
    tables = {"aanvraag": "Frictiebudget (originele aanvraag)",
              "besteding": "Frictiebudget (geactualiseerde besteding)"}

    def friction_changes(was: Any, line: Any, subject: str) -> list[Change]:
        out = []
        if was.label != line.label:
            out.append(Change(g, subject, f"omschrijving gewijzigd (was: {was.label})"))
        if was.funding != line.funding:
            out.append(Change(g, subject, f"financiering gewijzigd: {was.funding} → {line.funding}"))
        return out

    changes += _line_changes(g, {(line.table, line.id): line for line in fo.friction},
                             {(line.table, line.id): line for line in fn.friction},
                             lambda line: f"{tables[line.table]} › {line.label}", friction_changes,
                             removed_details=False)
    p_old = {(p.total, p.year): p.amount for p in fo.published}
    p_new = {(p.total, p.year): p.amount for p in fn.published}
    for total in sorted(set(p_old) | set(p_new), key=_total_order):
        if p_old.get(total) != p_new.get(total):
            changes.append(Change(g, f"Gepubliceerd totaal (alleen ter controle) › {_total_name(total, new)}",
                                  f"{euro(p_old.get(total))} → {euro(p_new.get(total))}"))
    return changes


def _total_order(key: tuple[str, int | None]) -> tuple[int, int]:
    order = list(TOTAL_LABELS)
    name, year = key
    return (order.index(name) if name in order else len(order), year or 9999)


def _total_name(key: tuple[str, int | None], agenda: Agenda) -> str:
    name, year = key
    when = str(year) if year else f"{agenda.meta.period[0]}-{agenda.meta.period[1]}"
    return f"{TOTAL_LABELS.get(name, name)} {when}"


def _total_changes(old: Agenda, new: Agenda) -> list[Change]:
    before, after = computed_totals(old.finance), computed_totals(new.finance)
    changes = []
    for key in sorted(set(before) | set(after), key=_total_order):
        a, b = before.get(key), after.get(key)
        if a != b:
            changes.append(Change("Berekende totalen", _total_name(key, new), f"{euro(a)} → {euro(b)} ({delta(a, b)})"))
    return changes


def diff_agendas(old: Agenda, new: Agenda, old_reports: Reports | None = None,
                 new_reports: Reports | None = None) -> list[Change]:
    """Every change between two validated sources (and their reports), grouped and in document order."""
    # The texts as the documents print them (`{jaar}` as the year).
    old, new = fill_model(old, old.meta.year), fill_model(new, new.meta.year)
    changes = (_action_changes(old, new, old_reports, new_reports) + _chapter_changes(old, new)
               + _registry_changes(old, new) + _finance_changes(old, new) + _total_changes(old, new)
               + _meta_changes(old, new))
    return sorted(changes, key=lambda c: GROUPS.index(c.group))


def _overlap(agenda: Agenda, years: tuple[int, ...]) -> Agenda:
    """The agenda with its budget limited to `years` and no published totals (those are per year)."""
    finance = agenda.finance
    budget = [line.model_copy(update={"amounts": {y: line.amounts.get(y) for y in years}})
              for line in finance.budget]
    return agenda.model_copy(update={"finance": finance.model_copy(update={"years": years, "budget": budget,
                                                                         "published": []})})


def diff_years(old: Agenda, new: Agenda, old_reports: Reports | None = None) -> list[Change]:
    """What a new year's agenda changes against last year's: actions new, dropped, carried over or reworded,
    and the budget per line over the years both windows hold (the new window's last year listed apart)."""
    year_a, year_b = old.meta.year, new.meta.year
    shared = tuple(y for y in new.finance.years if y in old.finance.years)
    changes = diff_agendas(_overlap(old, shared), _overlap(new, shared))
    final = {a: r.status for a, r in (old_reports.jaarverslag.acties.items()
                                      if old_reports and old_reports.jaarverslag else [])}
    if old_reports and not final and old_reports.voortgang is not None:
        final = {a: r.status for a, r in old_reports.voortgang.acties.items()}
    out: list[Change] = []
    for change in changes:
        if change.subject.startswith("Actie ") and change.summary.startswith("carried_over gewijzigd"):
            continue  # every carried-over action; summarised below
        if change.group == "Acties" and change.summary == "verwijderd":
            action_id = change.subject.split()[1]
            status = final.get(action_id)
            change = Change(change.group, change.subject, f"niet overgenomen in {year_b}"
                            + (f" ({status} in {year_a})" if status else ""), details=change.details)
        elif change.group == "Acties" and change.summary == "toegevoegd":
            change = Change(change.group, change.subject, f"nieuw in {year_b}", details=change.details)
        out.append(change)
    carried = [a for _, _, a in new.actions() if a.carried_over and a.carried_over.year == year_a]
    postponed = [a.id for a in carried if a.carried_over and a.carried_over.postponed]
    if carried:
        out.insert(0, Change("Acties", f"Overgenomen uit {year_a}", f"{len(carried)} acties, met hun ID",
                             details=tuple([", ".join(a.id for a in carried)]
                                           + ([f"doorgeschoven uit {year_a}: " + ", ".join(postponed)]
                                              if postponed else []))))
    new_years = [y for y in new.finance.years if y not in shared]
    if new_years or old.finance.years != new.finance.years:
        details = [f"{line.label}, {y}: {euro(line.amounts.get(y)) or '(leeg)'}"
                   for y in new_years for line in new.finance.budget]
        out.append(Change("Begroting", "Begrotingsjaren", f"{', '.join(map(str, old.finance.years))} → "
                           f"{', '.join(map(str, new.finance.years))}; bedragen vergeleken over "
                           f"{', '.join(map(str, shared))}", details=tuple(details)))
    return sorted(out, key=lambda c: GROUPS.index(c.group))


# --- document text diff -----------------------------------------------------------


@dataclass(frozen=True)
class LineChange:
    """One changed line of a document's text: deleted, inserted, or changed word by word."""

    op: str  # "-", "+" or "~"
    heading: str  # the nearest heading above it
    words: tuple[Segment, ...]


def _heading_of(lines: list[str]) -> list[str]:
    current, out = "", []
    for line in lines:
        if line.startswith("#"):
            current = line.lstrip("#").strip()
        out.append(current)
    return out


_TOKEN = re.compile(r"\w+|[^\w\s]")


def similarity(a: str, b: str) -> float:
    """How alike two lines are (0..1), by words and punctuation."""
    return difflib.SequenceMatcher(None, _TOKEN.findall(a), _TOKEN.findall(b), autojunk=False).ratio()


def _pair_lines(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Lines of a replaced block paired in order with the first similar line; the rest stand alone."""
    pairs: list[tuple[int | None, int | None]] = []
    j = 0
    for i, line in enumerate(old):
        match = next((k for k in range(j, len(new)) if similarity(line, new[k]) >= 0.5), None)
        if match is None:
            pairs.append((i, None))
            continue
        pairs += [(None, k) for k in range(j, match)]
        pairs.append((i, match))
        j = match + 1
    pairs += [(None, k) for k in range(j, len(new))]
    return pairs


def diff_lines(old: list[str], new: list[str]) -> list[LineChange]:
    """The changed lines between two documents' text, word-level where a line was edited."""
    old_heads, new_heads = _heading_of(old), _heading_of(new)
    out: list[LineChange] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and (i2 - i1) * (j2 - j1) <= 2500:
            pairs = [(None if i is None else i1 + i, None if j is None else j1 + j)
                     for i, j in _pair_lines(old[i1:i2], new[j1:j2])]
        else:
            pairs = [(i, None) for i in range(i1, i2)] + [(None, j) for j in range(j1, j2)]
        for i, j in pairs:
            if i is not None and j is not None:
                out.append(LineChange("~", new_heads[j], tuple(word_diff(old[i], new[j]))))
            elif i is not None:
                out.append(LineChange("-", old_heads[i], (("-", old[i]),)))
            elif j is not None:
                out.append(LineChange("+", new_heads[j], (("+", new[j]),)))
    return out


def docx_lines(data: bytes) -> list[str]:
    """The text lines of a .docx given as bytes (as `document_lines` reads them, but fast)."""
    return fast_lines(data)


# --- redline ----------------------------------------------------------------------


def redline(old: bytes, new: bytes) -> bytes:
    """The new document with native Word tracked changes against the old.

    When only words inside paragraphs changed (the usual review round: a word, a sentence, an
    amount), the changes are marked directly in the new document in milliseconds; anything else
    (paragraphs or table rows added or removed, other formatting) goes to the Docxodus engine.
    """
    quick = quick_redline(old, new)
    if quick is not None:
        return normalise_docx(quick)
    try:
        from python_redlines import DocxodusEngine
        from python_redlines.engines import EngineExecutionError, EngineNotInstalledError
    except ImportError:
        raise UserError(_("the redline engine is not installed ({command}); run `make diff`, which installs it")
                        .format(command="pip install 'python-redlines[docxodus]'")) from None
    try:
        engine = DocxodusEngine()
        data, __, ___ = engine.run_redline(REDLINE_AUTHOR, original=old, modified=new,
                                        date_time=fixed_time().strftime("%Y-%m-%dT%H:%M:%SZ"))
    except EngineNotInstalledError as exc:
        raise UserError(_("the redline engine cannot run on this computer: {detail}").format(detail=exc)) from None
    except EngineExecutionError as exc:
        if "ICU" in str(exc):
            raise UserError(_("the redline engine failed (it needs the ICU library: {command}, or your system's "
                              "libicu): {detail}").format(command="apt-get install libicu72", detail=exc)) from None
        raise UserError(_("the redline engine failed: {detail}").format(detail=exc)) from None
    return normalise_docx(readable_tables(data))


_AMOUNT = re.compile(r"^[€\s\d.,\-–−]*$")
_PIECES = re.compile(r"\s+|\w+|[^\w\s]")


def quick_redline(old: bytes, new: bytes) -> bytes | None:
    """The redline made directly, if the two documents differ only in the text of some runs; else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(old)) as a, zipfile.ZipFile(io.BytesIO(new)) as b:
            names = b.namelist()
            if sorted(a.namelist()) != sorted(names):
                return None
            if any(a.read(n) != b.read(n) for n in names if n != "word/document.xml"):
                return None
            old_root = etree.fromstring(a.read("word/document.xml"))
            new_root = etree.fromstring(b.read("word/document.xml"))
            infos = b.infolist()
            parts = {n: b.read(n) for n in names}
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return None
    pairs: list[tuple[Any, str, str]] = []
    old_body, new_body = old_root.find(f"{_W}body"), new_root.find(f"{_W}body")
    if old_body is None or new_body is None or len(old_body) != len(new_body) or old_root.attrib != new_root.attrib:
        return None
    for x, y in zip(old_body, new_body, strict=True):
        # Most paragraphs are the same: compare their bytes first, the tree only where they differ.
        if etree.tostring(x) != etree.tostring(y) and not _same_shape(x, y, pairs):
            return None
    ids = iter(range(800000, 900000))
    date = fixed_time().strftime("%Y-%m-%dT%H:%M:%SZ")
    for t_new, before, after in pairs:
        run = t_new.getparent()
        if run is None or run.tag != f"{_W}r" or len(run.findall(f"{_W}t")) != 1:
            return None
        parent = run.getparent()
        at = parent.index(run)
        parent.remove(run)
        for offset, element in enumerate(_marked_runs(run, before, after, ids, date)):
            parent.insert(at + offset, element)
    _readable(new_root)
    parts["word/document.xml"] = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in infos:
            dst.writestr(info, parts[info.filename])
    return out.getvalue()


def _same_shape(a: Any, b: Any, pairs: list[tuple[Any, str, str]]) -> bool:
    """Both trees alike but for the text of w:t elements; the differing w:t of `b` are collected."""
    if a.tag != b.tag or a.attrib != b.attrib or len(a) != len(b) or (a.tail or "") != (b.tail or ""):
        return False
    if (a.text or "") != (b.text or ""):
        if a.tag != f"{_W}t":
            return False
        pairs.append((b, a.text or "", b.text or ""))
    return all(_same_shape(x, y, pairs) for x, y in zip(a, b, strict=True))


def _marked_runs(run: Any, before: str, after: str, ids: Iterable[int], date: str) -> list[Any]:
    """The run as unchanged, deleted and inserted pieces: words for text, the whole for an amount."""
    if _AMOUNT.match(before) or _AMOUNT.match(after):
        ops = [("-", before), ("+", after)]
    else:
        old_words, new_words = _PIECES.findall(before), _PIECES.findall(after)
        ops = []
        matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                ops.append(("=", "".join(old_words[i1:i2])))
            else:
                ops += [("-", "".join(old_words[i1:i2])), ("+", "".join(new_words[j1:j2]))]
    numbers = iter(ids)
    out = []
    for op, text in ops:
        if not text:
            continue
        piece = copy.deepcopy(run)
        t = piece.find(f"{_W}t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if op == "=":
            out.append(piece)
            continue
        if op == "-":
            t.tag = f"{_W}delText"
        change = etree.Element(f"{_W}{'del' if op == '-' else 'ins'}")
        change.set(f"{_W}id", str(next(numbers)))
        change.set(f"{_W}author", REDLINE_AUTHOR)
        change.set(f"{_W}date", date)
        change.append(piece)
        out.append(change)
    return out


def readable_tables(data: bytes) -> bytes:
    """A redline whose tables read well: a changed amount shows the old one, then the new one below it,
    and no table row is split across two pages."""
    src = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(src.read("word/document.xml"))
    _readable(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "word/document.xml":
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, body)
    return out.getvalue()


def _readable(root: Any) -> None:
    """`readable_tables` on the parsed document."""
    for row in root.iter(f"{_W}tr"):
        props = row.find(f"{_W}trPr")
        if props is None:
            props = etree.Element(f"{_W}trPr")
            before = row.find(f"{_W}tblPrEx")
            row.insert(0 if before is None else row.index(before) + 1, props)
        if props.find(f"{_W}cantSplit") is None:
            props.insert(0, etree.Element(f"{_W}cantSplit"))
    for cell in root.iter(f"{_W}tc"):
        for paragraph in cell.iter(f"{_W}p"):
            _old_above_new(paragraph)
    # The engine wraps a bookmark (the source markers) of inserted text in an insertion of its own:
    # an insertion of nothing, which Word lists as a change. The bookmark is kept, the wrapper dropped.
    for change in [e for tag in ("ins", "del") for e in root.iter(f"{_W}{tag}")]:
        parent = change.getparent()
        if len(change) and parent is not None and parent.tag != f"{_W}rPr" \
                and next(change.iter(f"{_W}r"), None) is None:
            at = parent.index(change)
            for offset, child in enumerate(list(change)):
                parent.insert(at + offset, child)
            parent.remove(change)


def _old_above_new(paragraph: Any) -> None:
    """A cell whose whole text was replaced: the deletion first, ending in a (deleted) line break, then
    the insertion; accepting the change leaves only the new text, rejecting it only the old."""
    children = list(paragraph)
    deleted = [c for c in children if c.tag == f"{_W}del"]
    inserted = [c for c in children if c.tag == f"{_W}ins"]
    kept = [c for c in children if c.tag == f"{_W}r" and "".join(c.itertext()).strip()]
    if not deleted or not inserted or kept:
        return
    first = min(children.index(c) for c in deleted + inserted)
    for element in deleted:
        paragraph.remove(element)
    for offset, element in enumerate(deleted):
        paragraph.insert(first + offset, element)
    last = deleted[-1]
    runs = last.findall(f"{_W}r")
    if runs and runs[-1].find(f"{_W}br") is None:
        brk = etree.SubElement(last, f"{_W}r")
        props = runs[-1].find(f"{_W}rPr")
        if props is not None:
            brk.append(copy.deepcopy(props))
        etree.SubElement(brk, f"{_W}br")


def tracked_changes(data: bytes) -> tuple[list[str], list[str]]:
    """The texts of every tracked insertion and deletion in a .docx's body."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    inserted = ["".join(t.text or "" for t in e.iter(f"{_W}t")) for e in root.iter(f"{_W}ins")]
    deleted = ["".join(t.text or "" for t in e.iter(f"{_W}delText")) for e in root.iter(f"{_W}del")]
    return inserted, deleted


# --- the whole comparison -----------------------------------------------------------


@dataclass
class DocumentDiff:
    """One document in both versions: its text diff and its redline."""

    name: str  # file name of the new version, e.g. uitvoeringsagenda-2026.docx
    lines: list[LineChange]
    redline: bytes | None  # None when the document exists in one version only
    only_in: str = ""  # "old" or "new" when it exists in one version only
    identical: bool = False  # both versions are byte for byte the same

    @property
    def stem(self) -> str:
        return self.name.removesuffix(".docx")


@dataclass
class Comparison:
    """Everything that changed between two versions."""

    old: Version
    new: Version
    year: int
    changes: list[Change] = field(default_factory=list)
    documents: list[DocumentDiff] = field(default_factory=list)
    new_year: int | None = None  # set when two years' agendas are compared

    @property
    def empty(self) -> bool:
        return not self.changes and all(d.identical for d in self.documents)


class VersionInvalid(ValidationFailed):
    """One side of the comparison has errors in its source."""

    def __init__(self, label: str, failed: ValidationFailed) -> None:
        super().__init__(failed.problems)
        self.label = label


def _load(version: Version, year: int) -> tuple[Validated, Reports]:
    try:
        return load_all(version.source, year)
    except ValidationFailed as exc:
        raise VersionInvalid(version.label, exc) from None


def _render(version: Version, loaded: tuple[Validated, Reports], kinds: list[str], store: Cache) -> dict[str, bytes]:
    present = [k for k in kinds if (version.templates / DOCUMENTS[k].template).exists()]
    # Rendered through the one cache of rendered documents: `make diff` after a small change takes
    # the documents of the revision it compares with from there, and renders only what changed.
    return render_documents(*loaded, present, version.templates, is_fictitious(version.source), store)


def compare_sources(old: Version, new: Version, year: int, kinds: list[str] | None = None,
                    make_redline: Callable[[bytes, bytes], bytes] = redline,
                    new_year: int | None = None, store: Cache | None = None) -> Comparison:
    """Validate and render both versions, then compare the data and every document.

    With `new_year`, the new version is that year's agenda (next year's against this year's); only the
    agendas are compared, paired by kind. `store`: the cache of rendered documents (default: the user's).
    """
    store = store or Cache.default()
    two_years = new_year is not None and new_year != year
    kinds = (["agenda"] if two_years else list(DOCUMENTS)) if kinds is None else kinds
    old_valid, new_valid = _load(old, year), _load(new, new_year if two_years and new_year else year)
    if two_years:
        changes = diff_years(old_valid[0].agenda, new_valid[0].agenda, old_valid[1])
    else:
        changes = diff_agendas(old_valid[0].agenda, new_valid[0].agenda, old_valid[1], new_valid[1])
    result = Comparison(old, new, year, changes, new_year=new_year if two_years else None)
    old_docs, new_docs = _render(old, old_valid, kinds, store), _render(new, new_valid, kinds, store)
    # Documents are paired by kind: uitvoeringsagenda-2026.docx with uitvoeringsagenda-2027.docx.
    renamed = {DOCUMENTS[k].filename.format(year=new_year): DOCUMENTS[k].filename.format(year=year)
               for k in DOCUMENTS} if two_years else {}
    new_docs = {renamed.get(name, name): data for name, data in new_docs.items()}
    order = [DOCUMENTS[k].filename.format(year=year) for k in DOCUMENTS]  # agenda first
    names = sorted(set(old_docs) | set(new_docs),
                   key=lambda n: (n not in new_docs, order.index(n) if n in order else len(order), n))
    both = [n for n in names if n in old_docs and n in new_docs and old_docs[n] != new_docs[n]]
    # The redline engine is a separate program: the documents' redlines run side by side.
    with ThreadPoolExecutor(max_workers=max(1, min(len(both), os.cpu_count() or 1))) as pool:
        redlines = {n: pool.submit(make_redline, old_docs[n], new_docs[n]) for n in both}
        for name in names:
            if name not in old_docs:
                result.documents.append(DocumentDiff(name, [], None, "new"))
            elif name not in new_docs:
                result.documents.append(DocumentDiff(name, [], None, "old"))
            else:
                a, b = old_docs[name], new_docs[name]
                lines = diff_lines(docx_lines(a), docx_lines(b))
                result.documents.append(DocumentDiff(name, lines, redlines[name].result() if name in redlines else b,
                                                     identical=a == b))
    back = {old_name: new_name for new_name, old_name in renamed.items()}
    for doc in result.documents:
        doc.name = back.get(doc.name, doc.name)
    return result


# --- reports ------------------------------------------------------------------------


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


# --- from git revisions to files -------------------------------------------------------


def run_year_diff(source: Path, templates: Path, year: int, new_year: int,
                  output: Path, store: Cache | None = None) -> tuple[Comparison, dict[str, Path]]:
    """Compare the agenda of `year` with that of `new_year`, both as in the working tree; write the reports."""
    for y in (year, new_year):
        if not (source / str(y)).is_dir():
            if y == new_year:
                raise UserError(_("there is no source folder {folder} (create it with: {command})").format(
                    folder=source / str(y), command=f"make nieuw-jaar VAN={new_year - 1} NAAR={new_year}"))
            raise UserError(_("there is no source folder {folder}").format(folder=source / str(y)))
    result = compare_sources(Version(str(year), source, templates), Version(str(new_year), source, templates),
                             year, new_year=new_year, store=store)
    files = report_files(result)
    write_outputs(output, files)
    return result, {name: output / name for name in files}


def run_diff(rev_a: str, rev_b: str | None, source: Path, templates: Path, year: int, output: Path,
             store: Cache | None = None, kinds: list[str] | None = None) -> tuple[Comparison, dict[str, Path]]:
    """Compare two git revisions (rev_b None: the working tree) and write the reports to `output`."""
    root = gitrev.repo_root(source if source.exists() else Path.cwd())
    with tempfile.TemporaryDirectory(prefix="riec-diff-") as tmp:
        old = gitrev.materialise(root, rev_a, source, templates, Path(tmp) / "a")
        if rev_b is None:
            if not source.is_dir():
                raise UserError(_("there is no source folder {folder} in the working tree").format(folder=source))
            new = gitrev.working_tree(source, templates)
        else:
            new = gitrev.materialise(root, rev_b, source, templates, Path(tmp) / "b")
        result = compare_sources(old, new, year, kinds, store=store)
    files = report_files(result)
    write_outputs(output, files)
    return result, {name: output / name for name in files}
