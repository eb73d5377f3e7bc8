"""What changed in the source data: actions by their stable ID, chapters, partners, budget lines per year
and every computed total, each as a `Change` in words."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from pydantic import BaseModel

from ... import format as fmt
from ...content.context import budget_file, friction_file, published_file
from ...content.years import fill_model
from ...source.finance import TOTAL_LABELS, computed_totals
from ...source.model import Action, ActionReport, Agenda, Block, BulletList, Chapter, NumberedList, Section
from ...source.progress import Reports
from ...source.provenance import Joined, Origin, Sourced, cell, computed
from .words import Segment, shorten, word_diff


@dataclass(frozen=True)
class Change:
    """One change in the source data, named by ID and place in the document."""

    group: str  # heading it is listed under
    subject: str  # "Actie S1-03 (Spoor 1 › Preventieve integrale jeugdaanpak)"
    summary: str  # "tekst gewijzigd"
    words: tuple[Segment, ...] = ()  # word-level diff, when text changed
    details: tuple[str, ...] = ()  # further lines, e.g. the text of an added action
    # Where it is in the source: the new version's file and line (the old version's for something
    # removed); a computed origin for a total; None for what no one line holds (the order of chapters).
    origin: Origin | None = None
    in_old: bool = False  # the origin is a place in the old version (what was removed)

    def line(self) -> str:
        return f"{self.subject}: {self.summary}"


COMPUTED_TOTAL = computed("berekend uit de begrotingsregels, staat niet in de bron")

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


def _texts(value: Any) -> Iterator[str]:
    """Every text inside a source value (lists, blocks, nested models), in document order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name))


def _origin(text: str) -> Origin | None:
    if isinstance(text, Sourced):
        return text.origin
    if isinstance(text, Joined):
        return next((p.origin for p in text.parts if isinstance(p, Sourced)), None)
    return None


def origin_of(value: Any) -> Origin | None:
    """The origin of the first text inside a value that has one (set when the source was loaded)."""
    return next((o for o in map(_origin, _texts(value)) if o is not None), None)


def changed_origin(old: Any, new: Any) -> Origin | None:
    """The origin, in the new version, of the first text that differs between two values (None: none left)."""
    before, after = list(_texts(old)), list(_texts(new))
    differs = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
                   min(len(before), len(after)))
    # The differing text, else (a text removed at the end) the nearest one before it.
    return next((o for o in map(_origin, [*after[differs:], *reversed(after[:differs])]) if o is not None), None)


def _places(old: Any, new: Any) -> tuple[Origin | None, bool]:
    """Where a changed value is: in the new version, or (when it was emptied) where it was in the old."""
    where = changed_origin(old, new)
    return (where, False) if where is not None else (origin_of(old), True)


def _text_change(group: str, subject: str, what: str, old: Any, new: Any) -> Change | None:
    old_text, new_text = value_text(old), value_text(new)
    where, in_old = _places(old, new)
    if old == new or old_text == new_text:
        return None if old == new else Change(group, subject, f"{what} gewijzigd (opmaak of indeling)",
                                              origin=where, in_old=in_old)
    return Change(group, subject, f"{what} gewijzigd", tuple(shorten(word_diff(old_text, new_text))),
                  origin=where, in_old=in_old)


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
    def origin(self) -> Origin | None:
        """The action's file and the line where it starts (`- id: S1-01`)."""
        where = origin_of(self.action)
        return dataclasses.replace(where, path=(), line=where.item_line or where.line) if where else None

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


def action_reports(reports: Reports | None) -> dict[str, dict[str, ActionReport]]:
    """Per action ID, what each report says of it: {'voortgang 30 juni 2026': ..., 'jaarverslag': ...}."""
    out: dict[str, dict[str, ActionReport]] = {}
    if reports is None:
        return out
    if reports.voortgang is not None:
        label = f"voortgang {fmt.date(reports.voortgang.peildatum)}"
        for action_id, report in reports.voortgang.acties.items():
            out.setdefault(action_id, {})[label] = report
    if reports.jaarverslag is not None:
        for action_id, report in reports.jaarverslag.acties.items():
            out.setdefault(action_id, {})["jaarverslag"] = report
    return out


def _status_text(report: ActionReport | None) -> str:
    if report is None:
        return "nog niet gerapporteerd"
    return f"{report.status} (naar {report.naar_jaar})" if report.naar_jaar else str(report.status)


def _report_origin(report: ActionReport | None) -> Origin | None:
    """The report file and the line of the action's entry in it (a status alone carries no origin: None)."""
    where = origin_of(report)
    return dataclasses.replace(where, path=(), line=where.item_line or where.line) if where else None


def _status_changes(subject: str, old: dict[str, ActionReport], new: dict[str, ActionReport]) -> list[Change]:
    return [Change("Acties", subject, f"status ({label}) gewijzigd: {_status_text(old.get(label))}"
                                      f" → {_status_text(new.get(label))}",
                   origin=_report_origin(new.get(label) or old.get(label)), in_old=label not in new)
            for label in sorted(set(old) | set(new)) if _status_text(old.get(label)) != _status_text(new.get(label))]


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
    old_status, new_status = action_reports(old_reports), action_reports(new_reports)
    changes: list[Change] = []
    for action_id, loc in before.items():
        if action_id not in after:
            changes.append(Change(g, _action_subject(loc), "verwijderd", details=(f"was: “{loc.action.text}”",),
                                  origin=loc.origin, in_old=True))
    for action_id, loc in after.items():
        subject = _action_subject(loc)
        if action_id not in before:
            details = [f"tekst: “{loc.action.text}”"]
            if loc.partners:
                details.append("partners: " + ", ".join(_partner_names(new, loc.partners)))
            changes.append(Change(g, subject, "toegevoegd", details=tuple(details), origin=loc.origin))
            continue
        was = before[action_id]
        if was.key != loc.key:
            changes.append(Change(g, subject, f"verplaatst van {was.place} naar {loc.place}", origin=loc.origin))
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
            changes.append(Change(g, subject, "partners gewijzigd: " + "; ".join(parts), origin=loc.origin))
        elif list(loc.partners) != list(was.partners):
            changes.append(Change(g, subject, "volgorde van de partners gewijzigd", origin=loc.origin))
        changes += _status_changes(subject, old_status.get(action_id, {}), new_status.get(action_id, {}))
        for name in type(b).model_fields:
            if name not in _ACTION_FIELDS_COMPARED and getattr(a, name) != getattr(b, name):
                changes.append(Change(g, subject, f"{name} gewijzigd: {value_text(getattr(a, name)) or '(leeg)'} → "
                                                  f"{value_text(getattr(b, name)) or '(leeg)'}",
                                      origin=changed_origin(getattr(a, name), getattr(b, name)) or loc.origin))
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
            changes.append(Change(g, f"Hoofdstuk {chapter_name(chapter)}", "verwijderd", origin=origin_of(chapter),
                                  in_old=True))
    for cid, chapter in after.items():
        if cid not in before:
            changes.append(Change(g, f"Hoofdstuk {chapter_name(chapter)}", "toegevoegd", origin=origin_of(chapter)))
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
                changes.append(Change(g, f"Deel {place(was, was.sections[i], i)}", "verwijderd",
                                      origin=origin_of(was.sections[i]), in_old=True))
                continue
            section = chapter.sections[j]
            if i is None:
                changes.append(Change(g, f"Deel {place(chapter, section, j)}", "toegevoegd",
                                      origin=origin_of(section)))
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
                                      + ", ".join(_partner_names(new, section.partners)), origin=origin_of(section)))
            old_order = [a.id for a in old_section.actions if a.id in {b.id for b in section.actions}]
            new_order = [a.id for a in section.actions if a.id in set(old_order)]
            if old_order != new_order:
                changes.append(Change(g, sub, "volgorde van de acties gewijzigd: " + ", ".join(new_order),
                                      origin=origin_of(section)))
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
            where, in_old = _places(a, b)
            changes.append(Change(g, f"Veld '{name}'", f"{value_text(a) or '(leeg)'} → {value_text(b) or '(leeg)'}",
                                  origin=where, in_old=in_old))
    return changes


def _registry_changes(old: Agenda, new: Agenda) -> list[Change]:
    g = "Partners"
    before = {p.id: p for p in old.partners}
    after = {p.id: p for p in new.partners}
    changes = []
    for pid, p in before.items():
        if pid not in after:
            changes.append(Change(g, f"Partner {p.name} ({pid})", "uit het partnerregister verwijderd",
                                  origin=origin_of(p), in_old=True))
    for pid, p in after.items():
        if pid not in before:
            changes.append(Change(g, f"Partner {p.name} ({pid})", "aan het partnerregister toegevoegd",
                                  origin=origin_of(p)))
        elif before[pid] != p:
            was = before[pid]
            fields = [name for name in type(p).model_fields if getattr(was, name) != getattr(p, name)]
            details = tuple(f"{name}: {value_text(getattr(was, name)) or '(leeg)'} → "
                            f"{value_text(getattr(p, name)) or '(leeg)'}" for name in fields)
            changes.append(Change(g, f"Partner {p.name} ({pid})", "gegevens gewijzigd", details=details,
                                  origin=changed_origin(was, p) or origin_of(p)))
    return changes


# An amount in a sentence of the summary: `€ 0` (a table prints `€ -`), an empty cell `(leeg)`.
euro = partial(fmt.euro, zero="€ 0", missing="(leeg)")


def delta(old: int | None, new: int | None) -> str:
    """`+ € 20.000` or `− € 5.000`."""
    d = (new or 0) - (old or 0)
    return f"{'+' if d >= 0 else '−'} € {fmt.number(abs(d))}"


def _amount_changes(group: str, subject: str, old: dict[int, int | None] | None,
                    new: dict[int, int | None] | None, origin: Callable[[int], Origin]) -> list[Change]:
    old, new = old or {}, new or {}
    out = []
    for year in sorted(set(old) | set(new)):
        a, b = old.get(year), new.get(year)
        if a != b:
            out.append(Change(group, f"{subject}, {year}", f"{euro(a)} → {euro(b)} ({delta(a, b)})",
                              origin=origin(year)))
    return out


def _line_changes(group: str, old: dict[Any, Any], new: dict[Any, Any], subject_of: Callable[[Any], str],
                  compare: Callable[[Any, Any, str, Origin], list[Change]], removed_details: bool,
                  files: tuple[str, str], line_id: Callable[[Any], str]) -> list[Change]:
    """The changes between two sets of CSV lines (budget or friction) by their key: removed, added, changed.

    `files`: the CSV file in the old and the new version; `line_id`: a line's ID as its cells' origins name it.
    """
    def details(line: Any) -> tuple[str, ...]:
        return tuple(f"{y}: {euro(v)}" for y, v in sorted(line.amounts.items()))

    def where(line: Any, file: str, column: str = "omschrijving") -> Origin:
        return cell(file, line_id(line), column, line.line)

    old_file, new_file = files
    changes = [Change(group, subject_of(line), "regel verwijderd", details=details(line) if removed_details else (),
                      origin=where(line, old_file), in_old=True)
               for key, line in old.items() if key not in new]
    for key, line in new.items():
        subject = subject_of(line)
        if key not in old:
            changes.append(Change(group, subject, "regel toegevoegd", details=details(line),
                                  origin=where(line, new_file)))
            continue
        changes += compare(old[key], line, subject, where(line, new_file))
        changes += _amount_changes(group, subject, old[key].amounts, line.amounts,
                                   lambda year: where(line, new_file, str(year)))  # noqa: B023 (called here)
    return changes


def _finance_changes(old: Agenda, new: Agenda) -> list[Change]:
    g = "Begroting"
    changes: list[Change] = []
    fo, fn = old.finance, new.finance
    if fo.years != fn.years:
        changes.append(Change(g, "Begrotingsjaren",
                              f"{', '.join(map(str, fo.years))} → {', '.join(map(str, fn.years))}"))
    kinds = {"baten": "Baten", "lasten": "Lasten"}

    def budget_changes(was: Any, line: Any, subject: str, origin: Origin) -> list[Change]:
        out = []
        if was.kind != line.kind:
            out.append(Change(g, subject, f"verplaatst van {kinds[was.kind]} naar {kinds[line.kind]}",
                              origin=dataclasses.replace(origin, path=(origin.path[0], "soort"))))
        if was.label != line.label:
            out.append(Change(g, subject, f"omschrijving gewijzigd (was: {was.label})", origin=origin))
        return out

    changes += _line_changes(g, {line.id: line for line in fo.budget}, {line.id: line for line in fn.budget},
                             lambda line: f"Begroting › {kinds[line.kind]} › {line.label}", budget_changes,
                             removed_details=True, files=(budget_file(old), budget_file(new)),
                             line_id=lambda line: str(line.id))
    tables = {"aanvraag": "Frictiebudget (originele aanvraag)",
              "besteding": "Frictiebudget (geactualiseerde besteding)"}

    def friction_changes(was: Any, line: Any, subject: str, origin: Origin) -> list[Change]:
        out = []
        if was.label != line.label:
            out.append(Change(g, subject, f"omschrijving gewijzigd (was: {was.label})", origin=origin))
        if was.funding != line.funding:
            out.append(Change(g, subject, f"financiering gewijzigd: {was.funding} → {line.funding}",
                              origin=dataclasses.replace(origin, path=(origin.path[0], "financiering"))))
        return out

    changes += _line_changes(g, {(line.table, line.id): line for line in fo.friction},
                             {(line.table, line.id): line for line in fn.friction},
                             lambda line: f"{tables[line.table]} › {line.label}", friction_changes,
                             removed_details=False, files=(friction_file(old), friction_file(new)),
                             line_id=lambda line: f"{line.table}/{line.id}")
    p_old = {(p.total, p.year): p for p in fo.published}
    p_new = {(p.total, p.year): p for p in fn.published}
    for total in sorted(set(p_old) | set(p_new), key=_total_order):
        a, b = p_old.get(total), p_new.get(total)
        amount_a, amount_b = (a.amount if a else None), (b.amount if b else None)
        if amount_a != amount_b:
            file, typed = (published_file(new), b) if b else (published_file(old), a)
            changes.append(Change(g, f"Gepubliceerd totaal (alleen ter controle) › {_total_name(total, new)}",
                                  f"{euro(amount_a)} → {euro(amount_b)}", in_old=b is None,
                                  origin=cell(file, total[0], str(total[1] or ""), typed.line if typed else None)))
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
            changes.append(Change("Berekende totalen", _total_name(key, new), f"{euro(a)} → {euro(b)} ({delta(a, b)})",
                                  origin=COMPUTED_TOTAL))
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
            change = dataclasses.replace(change, summary=f"niet overgenomen in {year_b}"
                                         + (f" ({status} in {year_a})" if status else ""))
        elif change.group == "Acties" and change.summary == "toegevoegd":
            change = dataclasses.replace(change, summary=f"nieuw in {year_b}")
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
        details = [f"{line.label}, {y}: {euro(line.amounts.get(y))}"
                   for y in new_years for line in new.finance.budget]
        out.append(Change("Begroting", "Begrotingsjaren", f"{', '.join(map(str, old.finance.years))} → "
                           f"{', '.join(map(str, new.finance.years))}; bedragen vergeleken over "
                           f"{', '.join(map(str, shared))}", details=tuple(details)))
    return sorted(out, key=lambda c: GROUPS.index(c.group))
