"""Validated model -> one template context per document. Pure functions, no I/O.

Amounts are formatted here (Dutch style) so templates only place text; every
total comes from `finance`, never from the source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from typing import Any

from .. import format as fmt
from ..source import provenance as pv
from ..source.finance import TO_FILL_IN, Difference, compute_budget_totals, compute_friction, friction_difference
from ..source.model import FINANCE_CHAPTER, Action, Agenda, Block, BulletList, Chapter, NumberedList, Partner, Section
from .years import fill_context

FICTITIOUS_NOTICE = "VOORBEELD - fictieve gegevens"

Context = dict[str, Any]


def join_names(names: list[str]) -> str:
    """`['Politie', 'OM', 'RIEC-bureau']` -> `Politie, OM en RIEC-bureau`."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def partners_line(agenda: Agenda, refs: list[str], wording: str | None) -> str:
    """The 'Betrokken partners' text: the published wording, or the names joined."""
    if wording:
        return wording
    text = join_names([agenda.partner(ref).name for ref in refs])
    # Made from the partner list (IDs): a change to the words is a change of the list.
    return pv.derived(text[:1].upper() + text[1:],
                      "de regel 'Betrokken partners' wordt samengesteld uit de lijst partners: wijzig die lijst")


def budget_file(agenda: Agenda) -> str:
    """The budget's CSV file, as origins name it."""
    return f"{agenda.meta.year}/financien/begroting.csv"


def friction_file(agenda: Agenda) -> str:
    """The friction budget's CSV file, as origins name it."""
    return f"{agenda.meta.year}/financien/frictiebudget.csv"


def published_file(agenda: Agenda) -> str:
    """The CSV file of the published totals (kept to reconcile against), as origins name it."""
    return f"{agenda.meta.year}/financien/gepubliceerd.csv"


def total(amount: int | None, what: str, to_fill_in: bool = False) -> str:
    """A computed total as printed, marked as computed: `what` names it for the review report.

    `to_fill_in`: a year it covers has no amounts yet, so it prints "in te vullen", not a sum of the others.
    """
    return pv.derived(TO_FILL_IN if to_fill_in else fmt.euro(amount), f"{what} wordt berekend: wijzig de regels")


def block_data(blocks: list[Block]) -> list[dict[str, Any]]:
    """Running text as plain data for the `blocks` template filter."""
    out: list[dict[str, Any]] = []
    for block in blocks:
        if isinstance(block, BulletList):
            out.append({"kind": "bullets", "items": list(block.bullets)})
        elif isinstance(block, NumberedList):
            out.append({"kind": "numbered", "items": list(block.numbered)})
        else:
            out.append({"kind": "paragraph", "text": block})
    return out


def action_data(agenda: Agenda, section: Section, action: Action, number: int) -> dict[str, Any]:
    """What every document shows of an action (rendered by `render.action`, the same in all three)."""
    own = bool(action.partners or action.partners_wording)
    return {
        "id": action.id,
        "number": number,
        "title": action.title,
        "text": action.text,
        "subitems": list(action.items),
        "partners": [agenda.partner(ref).name for ref in action.partners],
        "partners_label": "Betrokken partners",
        "partners_line": partners_line(agenda, action.partners, action.partners_wording) if own else "",
        # The section's line, for an action without its own: the agenda prints it once after the section.
        "section_partners_label": "Betrokken partners bij alle acties",
        "section_partners_line": partners_line(agenda, section.partners, section.partners_wording)
        if not own and section.partners else "",
        # A postponed action says where it comes from; one merely continuing does not need to.
        "origin": f" (doorgeschoven uit {action.carried_over.year})"
        if action.carried_over and action.carried_over.postponed else "",
    }


def section_data(agenda: Agenda, section: Section) -> dict[str, Any]:
    return {
        "title": section.title,
        "subtitle": section.subtitle,
        "intro": block_data(section.intro),
        "actions": [action_data(agenda, section, a, i) for i, a in enumerate(section.actions, start=1)],
        "closing": block_data(section.closing),
        "partners_label": "Betrokken partners bij alle acties" if section.actions else "Betrokken partners",
        "partners_line": partners_line(agenda, section.partners, section.partners_wording)
        if section.partners else "",
    }


def _group_heading(agenda: Agenda, chapter: Chapter) -> str | None:
    """The group heading, printed once, from the chapter's `group`; shared by several chapters, it is no one field."""
    members = [c for c in agenda.chapters if c.group == chapter.group]
    if len(members) <= 1 or chapter.group is None:
        return chapter.group
    files = ", ".join(f"{c.id}.yaml" for c in members)
    return pv.derived(chapter.group, f"de groepskop '{chapter.group}' staat als group in {files}: "
                      "wijzig hem daar in elk bestand")


def chapter_data(agenda: Agenda, chapter: Chapter, previous: Chapter | None) -> dict[str, Any]:
    starts_group = chapter.group is not None and (previous is None or previous.group != chapter.group)
    return {
        "id": chapter.id,
        "title": chapter.title,
        "short_title": chapter.short_title or chapter.title,
        "group_heading": _group_heading(agenda, chapter) if starts_group else None,
        "grouped": chapter.group is not None,
        "effect": chapter.effect,
        "effect_ref": chapter.effect_ref,
        "intro": block_data(chapter.intro),
        "sections": [section_data(agenda, s) for s in chapter.sections],
    }


def _amounts(amounts: Mapping[int, int | None], years: tuple[int, ...]) -> list[str]:
    return [fmt.euro(amounts.get(y)) for y in years]


def cells(file: str, line_id: str, line: int, amounts: Mapping[int, int | None], years: tuple[int, ...],
          unknown: Collection[int] = ()) -> list[str]:
    """One CSV line's amounts as printed, each with its cell as origin ("in te vullen" in a year not filled in)."""
    return [pv.Sourced(TO_FILL_IN if y in unknown else fmt.euro(amounts.get(y)), pv.cell(file, line_id, str(y), line))
            for y in years]


def label(file: str, line_id: str, line: int, text: str, column: str = "omschrijving") -> str:
    """A CSV line's description with its cell as origin."""
    return pv.sourced(text, pv.cell(file, line_id, column, line))


def totals(amounts: Mapping[int, int | None], years: tuple[int, ...], what: str,
           unknown: Collection[int] = ()) -> list[str]:
    """Computed totals per year, each named (`het totaal baten 2027`)."""
    return [total(amounts.get(y), f"{what} {y}", y in unknown) for y in years]


def finance_data(agenda: Agenda) -> dict[str, Any]:
    finance = agenda.finance
    years = finance.years
    sums = compute_budget_totals(finance)
    unknown = sums.open_years  # a year not filled in yet says so in every cell, and no total pretends to cover it
    file = budget_file(agenda)
    period = f"{years[0]}-{years[-1]}" if years else ""

    def line_data(line: Any) -> dict[str, Any]:
        return {"id": line.id, "label": label(file, line.id, line.line, line.label),
                "amounts": cells(file, line.id, line.line, line.amounts, years, unknown)}

    return {
        "title": agenda.meta.finance_title,
        "years": list(years),
        "period": period,
        "baten": [line_data(line) for line in finance.budget if line.kind == "baten"],
        "lasten": [line_data(line) for line in finance.budget if line.kind == "lasten"],
        "baten_total": totals(sums.baten, years, "het totaal baten", unknown),
        "lasten_total": totals(sums.lasten, years, "het totaal lasten", unknown),
        "saldo": totals(sums.saldo, years, "het saldo", unknown),
        "baten_period": total(sums.baten_period, f"het totaal baten {period}", bool(unknown)),
        "lasten_period": total(sums.lasten_period, f"het totaal lasten {period}", bool(unknown)),
        "saldo_period": total(sums.saldo_period, f"het saldo {period}", bool(unknown)),
        "notes": block_data(agenda.meta.finance_notes),
    }


def friction_data(agenda: Agenda) -> dict[str, Any]:
    finance = agenda.finance
    years = finance.friction_years
    tables = compute_friction(finance)
    file = friction_file(agenda)

    def table(name: str) -> dict[str, Any]:
        t = tables[name]
        return {
            "handreiking": totals(t.handreiking, years, f"de handreiking ({name}) van het frictiebudget"),
            "total": totals(t.total, years, f"het totaal frictiebudget ({name})"),
            "lines": [{"id": line.id, "label": label(file, f"{name}/{line.id}", line.line, line.label),
                       "amounts": cells(file, f"{name}/{line.id}", line.line, line.amounts, years)}
                      for line in t.lines],
        }

    return {
        "title": agenda.meta.friction_title,
        "years": list(years),
        "handreiking_label": f"Frictiebudget: Incidentele financiële handreiking "
                             f"{years[0]}-{years[-1]}" if years else "",
        "aanvraag": table("aanvraag"),
        "besteding": table("besteding"),
        "difference": totals(friction_difference(tables, years), years,
                             "het verschil tussen aanvraag en besteding van het frictiebudget"),
        "notes": block_data(agenda.meta.friction_notes),
    }


def difference_data(differences: list[Difference], period: str) -> list[dict[str, str]]:
    return [
        {
            "label": d.label,
            "year": str(d.year) if d.year else period,
            "published": fmt.euro(d.published),
            "computed": fmt.euro(d.computed),
            "delta": fmt.euro(d.delta),
        }
        for d in differences
    ]


def lifecycle(adopted_on: dt.date | None, adopted_by: str, version: str | None,
              version_date: dt.date | None) -> dict[str, Any]:
    """Concept or vastgesteld: the title page's status and version lines and the header's notice.

    A document is a concept until its adoption date is in the source; a concept says so on the
    title page and in every page header, with its version and date.
    """
    concept = adopted_on is None
    version_text = (f"versie {version}" if version else "") + (
        (" – " if version else "") + fmt.date(version_date) if version_date else "")
    return {
        "concept": concept,
        "status_line": "Concept" if concept else f"Vastgesteld door {adopted_by} op {fmt.date(adopted_on)}",
        "version_line": version_text[:1].upper() + version_text[1:],
        "concept_notice": ("Concept" + (f", {version_text}" if version_text else "") + " – ") if concept else "",
    }


def doc_data(agenda: Agenda, title: str, fictitious: bool) -> dict[str, Any]:
    meta = agenda.meta
    data: dict[str, Any] = {
        "title": title,
        "subtitle": meta.subtitle or "",
        "organisation": meta.organisation,
        "organisation_short": pv.derived(str(meta.organisation).replace("RIEC Den Haag", "RIEC DH"),
                                         "de korte naam van de organisatie volgt uit organisation in agenda.yaml: "
                                         "wijzig die"),
        "year": meta.year,
        "about_line": "",
        "fictitious": fictitious,
        "fictitious_notice": FICTITIOUS_NOTICE,
    }
    data.update(lifecycle(meta.adopted_on, meta.adopted_by, meta.version, meta.version_date))
    return with_header_notice(data)


def with_header_notice(doc: dict[str, Any]) -> dict[str, Any]:
    """The text before the running header: fictitious data and concept status, on every page."""
    doc["header_notice"] = (f"{FICTITIOUS_NOTICE} – " if doc["fictitious"] else "") + doc["concept_notice"]
    return doc


def partner_index(agenda: Agenda) -> list[dict[str, Any]]:
    """Every partner with the IDs of the actions it is involved in."""
    involved: dict[str, list[str]] = {p.id: [] for p in agenda.partners}
    for _, section, action in agenda.actions():
        for ref in action.partners or section.partners:
            involved[ref].append(action.id)
    return [_partner_entry(p, involved[p.id]) for p in agenda.partners]


def _partner_entry(partner: Partner, actions: list[str]) -> dict[str, Any]:
    return {"id": partner.id, "name": partner.name, "full_name": partner.full_name or "",
            "kind": partner.kind, "actions": actions}


def _fields(model: Any) -> dict[str, Any]:
    """A model's fields as a dict, the values themselves (model_dump would copy texts without their origin)."""
    return {name: getattr(model, name) for name in type(model).model_fields}


def indeling_entries(agenda: Agenda) -> list[dict[str, str]]:
    """The Indeling's items; an item without a title takes its chapter's title."""
    titles = {c.id: c.title for c in agenda.chapters} | {FINANCE_CHAPTER: agenda.meta.finance_title}
    return [{"title": item.title or titles[item.chapter or ""], "text": item.text}
            for item in agenda.introduction.indeling.items]


def build_agenda_context(agenda: Agenda, differences: list[Difference], fictitious: bool = False) -> Context:
    """The context of the Uitvoeringsagenda template."""
    intro = agenda.introduction
    previous: Chapter | None = None
    chapters = []
    for chapter in agenda.chapters:
        chapters.append(chapter_data(agenda, chapter, previous))
        previous = chapter
    finance = finance_data(agenda)
    # The texts enter the context here: their year placeholders become the agenda's year.
    return fill_context({
        "doc": doc_data(agenda, agenda.meta.title, fictitious),
        "inleiding": block_data(intro.inleiding),
        "governance": {
            "title": intro.governance.title,
            "intro": block_data(intro.governance.intro),
            "handhavingsknelpunten_intro": intro.governance.handhavingsknelpunten_intro,
            "handhavingsknelpunten": list(intro.governance.handhavingsknelpunten),
            "verschijningsvormen_intro": block_data(intro.governance.verschijningsvormen_intro),
            "verschijningsvormen": [_fields(v) for v in intro.governance.verschijningsvormen],
        },
        "effecten": {
            "title": intro.effecten.title,
            "intro": block_data(intro.effecten.intro),
            "effects": [_fields(e) for e in intro.effecten.effects],
            "supporting_intro": intro.effecten.supporting_intro,
            "supporting_effect": _fields(intro.effecten.supporting_effect),
            "campaign_messages": list(intro.effecten.campaign_messages),
            "closing": block_data(intro.effecten.closing),
        },
        "indeling": {"title": intro.indeling.title, "intro": intro.indeling.intro,
                     "entries": indeling_entries(agenda)},
        "chapters": chapters,
        "finance": finance,
        "friction": friction_data(agenda),
        # The annex is for editors: printed only when the source asks for it (make check always reports).
        "differences": difference_data(differences, finance["period"]) if agenda.meta.differences_annex else [],
        "partners": partner_index(agenda),
    }, agenda.meta.year)
