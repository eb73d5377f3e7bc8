"""What changed in the source data: actions by their stable ID, chapters, partners, budget lines per year
and every computed total, each as a `Change` in words."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ... import format as fmt
from ...content.years import fill_model
from ...source.finance import TOTAL_LABELS, computed_totals
from ...source.model import Action, ActionReport, Agenda, Block, BulletList, Chapter, NumberedList, Section
from ...source.progress import Reports
from .words import Segment, shorten, word_diff


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
