"""Validated agenda + reports -> the contexts of the voortgangsrapportage and the jaarverslag.

Every action, partner line and budget line comes from the agenda itself, so the
three documents cannot disagree; progress and results are looked up by ID, and
what is not reported is shown as "nog niet gerapporteerd". Pure apart from
drawing the charts (bytes in memory).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .. import format as fmt
from ..source import provenance as pv
from ..source.finance import compute_friction, favourable, needs_toelichting
from ..source.model import ActionReport, Agenda, Besluit, Chapter, Realisation, ReportMeta
from ..source.progress import Proposal, Reports
from .charts import budget_chart, status_chart
from .context import (
    Context,
    action_data,
    block_data,
    budget_file,
    doc_data,
    friction_file,
    lifecycle,
    total,
    with_header_notice,
)
from .years import fill_context

NOT_REPORTED = "nog niet gerapporteerd"
NOT_REPORTED_KEY = "nog niet gerapporteerd"


@dataclass(frozen=True)
class StatusStyle:
    """How a status is shown: its label, a table/chart colour, a short label and its meaning."""

    label: str
    colour: str
    short: str
    meaning: str


# Pale fills: black text stays readable on all of them, and the word is always shown too.
STATUSES: dict[str, StatusStyle] = {
    "niet gestart": StatusStyle("Niet gestart", "D9D9D9", "Niet gestart", "De actie is nog niet begonnen."),
    "op schema": StatusStyle("Op schema", "C6EFCE", "Op schema", "De actie loopt volgens planning."),
    "vraagt aandacht": StatusStyle("Vraagt aandacht (vertraagd)", "FFEB9C", "Vraagt aandacht",
                                   "De actie loopt vertraging op of vraagt bijsturing."),
    "afgerond": StatusStyle("Afgerond", "BDD7EE", "Afgerond", "De actie is uitgevoerd."),
    "doorgeschoven": StatusStyle("Doorgeschoven", "F8CBAD", "Doorgeschoven",
                                 "De stuurgroep heeft besloten de actie naar een volgend jaar door te schuiven."),
    "vervallen": StatusStyle("Vervallen", "D9C3E6", "Vervallen",
                             "De stuurgroep heeft besloten de actie te laten vervallen."),
    NOT_REPORTED_KEY: StatusStyle("Nog niet gerapporteerd", "FFFFFF", "Nog niet gerapporteerd",
                                  "Over deze actie is in de bron (nog) niets gerapporteerd."),
}


def status_legend() -> list[dict[str, str]]:
    return [{"label": s.label, "colour": s.colour, "meaning": s.meaning} for s in STATUSES.values()]


def _amount(value: int | None) -> str:
    return NOT_REPORTED if value is None else fmt.euro(value)


def _reported(budget: int | None, value: int | None) -> str:
    """A realised amount; blank for a line without budget this year and nothing reported."""
    return "" if value is None and budget is None else _amount(value)


def _total(values: list[int | None]) -> int | None:
    """The sum, or None unless every value is reported: a total is never made of guesses."""
    if not values or any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def _total_text(values: list[int | None], what: str = "dit totaal") -> str:
    if values and all(v is None for v in values):
        text = NOT_REPORTED
    elif any(v is None for v in values):
        missing = sum(v is None for v in values)
        text = f"onvolledig ({missing} van {len(values)} regels ontbreken)"
    else:
        text = fmt.euro(sum(v for v in values if v is not None))
    return pv.derived(text, f"{what} wordt berekend: wijzig de regels")


def _cell(text: str, file: str, line_id: str, column: str, line: int | None) -> str:
    """A printed CSV cell with its origin (also 'nog niet gerapporteerd': an amount may be typed over it)."""
    # A cell without a row in the file (nothing reported yet) has no field to write back to.
    return pv.Sourced(text, pv.cell(file, line_id, column, line)) if text and line is not None else text


def _computed(text: str, what: str) -> str:
    return pv.derived(text, f"{what} wordt berekend: wijzig de regels")


def _difference(kind: str, budget: int | None, actual: int | None) -> tuple[str, str]:
    """The difference as a positive amount and 'V' or 'N'."""
    if actual is None:
        return "", ""
    return fmt.euro(abs(actual - (budget or 0))), favourable(kind, budget, actual)


def _besluit_text(besluit: Besluit | None) -> str:
    if besluit is None:
        return ""
    parts = [fmt.date(besluit.datum)] if besluit.datum else []
    if besluit.referentie:
        parts.append(besluit.referentie)
    outcome = "" if besluit.uitkomst == "akkoord" else " (niet akkoord: het voorstel is niet overgenomen)"
    return pv.concat("Besluit stuurgroep: ", pv.join(", ", parts), outcome, ".")


def _proposal_text(proposal: Proposal) -> str:
    """'Doorschuiven naar 2027' or 'Laten vervallen'."""
    voorstel = proposal.voorstel
    return f"Doorschuiven naar {voorstel.naar_jaar}" if voorstel.wat == "doorschuiven" else "Laten vervallen"


def _note(action_id: str, report: ActionReport | None, reports: Reports, upto: dt.date | None) -> str:
    """Toelichting, a voorstel made in this report, the year a doorgeschoven action moves to, the decision."""
    if report is None:
        return ""
    parts = [report.toelichting or ""]
    decided = reports.decision(action_id, upto) if report.status in ("doorgeschoven", "vervallen") else None
    if report.voorstel is not None:
        wat = _proposal_text(Proposal(action_id, report.voorstel, None, "", None)).lower()
        parts.append(f"Voorstel aan de stuurgroep: {wat}.")
        parts.append(_besluit_text(report.voorstel.besluit) or "Besluit stuurgroep: nog niet genomen.")
    if report.status == "doorgeschoven":
        naar_jaar = report.naar_jaar or (decided.voorstel.naar_jaar if decided else None)
        parts.append(f"Doorgeschoven naar {naar_jaar}.")
    if report.besluit is not None:
        parts.append(_besluit_text(report.besluit))
    elif decided is not None and decided.voorstel is not report.voorstel:
        parts.append(_besluit_text(decided.voorstel.besluit))
    # A toelichting of several lines (or a short list) keeps them; what follows it starts on a line of its own.
    return pv.join("\n" if "\n" in parts[0] else " ", [p for p in parts if p])


def _report_actions(agenda: Agenda, chapter: Chapter, reports: dict[str, ActionReport], final: bool,
                    all_reports: Reports, upto: dt.date | None) -> list[dict[str, Any]]:
    out = []
    for section in chapter.sections:
        for number, action in enumerate(section.actions, start=1):
            report = reports.get(action.id)
            key = report.status if report else NOT_REPORTED_KEY
            result = (report.resultaat if report and report.resultaat else NOT_REPORTED) if final else ""
            out.append({
                **action_data(agenda, section, action, number),  # the same as in the agenda
                "status_key": key,
                "status": STATUSES[key].label,
                "colour": STATUSES[key].colour,
                "note": _note(action.id, report, all_reports, upto),
                "resultaat": result,
            })
    return out


# The statuses that ask for the stuurgroep's attention; 'niet gestart' too once half the year is over.
ATTENTION = ("vraagt aandacht", "doorgeschoven", "vervallen")
NOT_STARTED = "niet gestart"


def past_midpoint(peildatum: dt.date) -> bool:
    """True from the end of the year's first half (30 June) on: an action not started then needs attention."""
    return peildatum >= dt.date(peildatum.year, 6, 30)


def attention_points(chapters: list[dict[str, Any]], not_started: bool) -> list[dict[str, Any]]:
    """Per chapter, in the agenda's order, the actions whose status asks for attention."""
    kinds = ATTENTION + ((NOT_STARTED,) if not_started else ())
    out = []
    for chapter in chapters:
        # The note holds the toelichting, any voorstel to the stuurgroep and its besluit.
        actions = [{**a, "attention_note": a["note"]} for a in chapter["actions"] if a["status_key"] in kinds]
        if actions:
            out.append({"id": chapter["id"], "title": chapter["title"], "actions": actions})
    return out


def _status_summary(chapters: list[dict[str, Any]], title: str) -> dict[str, Any]:
    keys = list(STATUSES)
    rows = []
    for chapter in chapters:
        counts = [sum(a["status_key"] == k for a in chapter["actions"]) for k in keys]
        rows.append({"title": chapter["short_title"], "counts": counts, "total": sum(counts)})
    totals = [sum(r["counts"][i] for r in rows) for i in range(len(keys))]
    described = "; ".join(
        f"{r['title']}: " + ", ".join(f"{n} {STATUSES[k].label.lower()}" for k, n in zip(keys, r["counts"],
                                                                                           strict=True) if n)
        for r in rows)
    chart = status_chart([(r["title"], r["counts"]) for r in rows], [STATUSES[k].label for k in keys],
                         [STATUSES[k].colour for k in keys], title,
                         f"Staafdiagram: {title.lower()}. {described}.")
    return {"columns": [STATUSES[k].short for k in keys], "rows": rows, "totals": totals,
            "total": sum(totals), "chart": chart}


def _chapters(agenda: Agenda, reports: dict[str, ActionReport], final: bool, all_reports: Reports,
              upto: dt.date | None) -> list[dict[str, Any]]:
    return [{"id": c.id, "title": c.title, "short_title": c.short_title or c.title, "effect": c.effect or "",
             "effect_ref": c.effect_ref, "actions": _report_actions(agenda, c, reports, final, all_reports, upto)}
            for c in agenda.chapters]


def _doc(agenda: Agenda, title: str, subtitle: str, fictitious: bool, meta: ReportMeta | None) -> dict[str, Any]:
    """The report's own title page: its concept or adoption, version and date, and which agenda it is about."""
    doc = doc_data(agenda, title, fictitious)
    agenda_state = ("vastgesteld door " + agenda.meta.adopted_by + " op " + fmt.date(agenda.meta.adopted_on)
                    if agenda.meta.adopted_on else "concept" + (f", versie {agenda.meta.version}"
                                                                if agenda.meta.version else ""))
    doc.update(subtitle=subtitle, about_line=f"Over de Uitvoeringsagenda {agenda.meta.year} ({agenda_state}).")
    doc.update(lifecycle(meta.vastgesteld_op if meta else None,
                         meta.vastgesteld_door if meta else agenda.meta.adopted_by,
                         meta.versie if meta else None, meta.versiedatum if meta else None))
    return with_header_notice(doc)


def period_name(peildatum: dt.date) -> str:
    """The period a voortgangsrapportage covers, named after its peildatum: 'eerste halfjaar 2026'."""
    year = peildatum.year
    named = {(3, 31): f"eerste kwartaal {year}", (6, 30): f"eerste halfjaar {year}",
             (9, 30): f"eerste drie kwartalen {year}", (12, 31): f"heel {year}"}
    return named.get((peildatum.month, peildatum.day), f"1 januari tot en met {fmt.date(peildatum)}")


def _proposal_rows(agenda: Agenda, chapters: list[dict[str, Any]], proposals: list[Proposal]) -> list[dict[str, Any]]:
    """One row per voorstel: the action as in the agenda, what is proposed, why, and the besluit."""
    actions = {a["id"]: (c, a) for c in chapters for a in c["actions"]}
    rows = []
    for proposal in proposals:
        chapter, action = actions[proposal.action_id]
        besluit = _besluit_text(proposal.voorstel.besluit) or "Besluit stuurgroep: nog niet genomen."
        status = proposal.status if proposal.agreed else action["status_key"]
        rows.append({**action, "chapter": chapter["short_title"], "proposal": _proposal_text(proposal),
                     "colour": STATUSES[status].colour, "waarom": proposal.voorstel.waarom,
                     "note": pv.join(" ", [proposal.voorstel.waarom, besluit])})
    return rows


def _direct_decisions(chapters: list[dict[str, Any]], reports: dict[str, ActionReport]) -> list[dict[str, Any]]:
    """Actions doorgeschoven or vervallen by a decision recorded directly with the status."""
    rows = []
    for chapter in chapters:
        for action in chapter["actions"]:
            report = reports.get(action["id"])
            if report and report.besluit is not None and report.status in ("doorgeschoven", "vervallen"):
                proposal = (f"Doorschuiven naar {report.naar_jaar}" if report.status == "doorgeschoven"
                            else "Laten vervallen")
                rows.append({**action, "chapter": chapter["short_title"], "proposal": proposal,
                             "note": pv.join(" ", [p for p in (report.toelichting, _besluit_text(report.besluit))
                                                   if p])})
    return rows


# --- voortgangsrapportage ---------------------------------------------------------


def build_voortgang_context(agenda: Agenda, reports: Reports, fictitious: bool = False) -> Context:
    """The context of the voortgangsrapportage template."""
    peildatum = fmt.date(reports.peildatum)
    action_reports = reports.voortgang.acties if reports.voortgang else {}
    # Filled now (the rest of the texts at the end): the status chart is drawn from the chapter titles.
    chapters = fill_context(_chapters(agenda, action_reports, False, reports, reports.peildatum), agenda.meta.year)
    n_actions = sum(len(c["actions"]) for c in chapters)
    reported = sum(a["status_key"] != NOT_REPORTED_KEY for c in chapters for a in c["actions"])
    period = (reports.voortgang.periode if reports.voortgang and reports.voortgang.periode
              else period_name(reports.peildatum))
    this_report = reports.proposals_at(reports.peildatum) if reports.voortgang else []
    finance = _voortgang_finance(agenda, reports)
    not_started = past_midpoint(reports.peildatum)
    attention = {
        "chapters": attention_points(chapters, not_started),
        "kinds": "‘vraagt aandacht’, ‘doorgeschoven’, ‘vervallen’ en ‘niet gestart’ (de eerste helft van het "
                 "jaar is voorbij)" if not_started else "‘vraagt aandacht’, ‘doorgeschoven’ en ‘vervallen’",
        "lines": finance["attention_lines"],
        # Nothing to point at is said only where something was reported: never a reassurance made of silence.
        "none_text": f"Van de {reported} acties waarover voortgang is gerapporteerd, vraagt geen enkele om aandacht."
        if reported else f"Over de acties is op deze peildatum {NOT_REPORTED}; aandachtspunten zijn er dus "
                         "(nog) niet te noemen.",
        "none_lines": "Geen begrotingsregel heeft een prognose die € 25.000 of 5% of meer van de begroting afwijkt."
        if reports.voortgang_finance else f"Prognoses per begrotingsregel: {NOT_REPORTED}.",
    }
    # The texts enter the context here: their year placeholders become the agenda's year.
    return fill_context({
        "action_ids": [a.id for _, _, a in agenda.actions()],
        "attention": attention,
        "doc": _doc(agenda, f"Voortgangsrapportage {period}", "Rapportage aan de stuurgroep RIEC: "
                    f"stand van zaken per {peildatum}", fictitious, reports.voortgang),
        "peildatum": peildatum,
        "period": period,
        "reported_line": f"Over {reported} van de {n_actions} acties is voortgang gerapporteerd"
                         + (f"; de overige {n_actions - reported} staan als '{NOT_REPORTED}' vermeld."
                            if reported < n_actions else "."),
        "statuses": status_legend(),
        "summary": _status_summary(chapters, f"Acties per status per hoofdstuk, peildatum {peildatum}"),
        "chapters": chapters,
        "besluitpunten": _proposal_rows(agenda, chapters, this_report),
        "besluiten": _proposal_rows(agenda, chapters, reports.proposals_before(reports.peildatum))
        + _direct_decisions(chapters, action_reports),
        "finance": finance,
    }, agenda.meta.year)


def _voortgang_finance(agenda: Agenda, reports: Reports) -> dict[str, Any]:
    year = agenda.meta.year
    rows = reports.voortgang_finance or {}
    file, cells = budget_file(agenda), f"{year}/voortgang/{reports.peildatum.isoformat()}.csv"
    out: dict[str, Any] = {"year": year, "peildatum_short": reports.peildatum.strftime("%d-%m-%Y"),
                           "notes": [], "attention_lines": []}
    for kind in ("baten", "lasten"):
        lines = [line for line in agenda.finance.budget if line.kind == kind]
        entries = []
        for line in lines:
            row = rows.get(line.id)
            budget = line.amounts.get(year)
            prognose = row.prognose if row else None
            verschil, vn = _difference(kind, budget, prognose)
            at = row.line if row else None
            label = _cell(line.label, file, line.id, "omschrijving", line.line)
            entries.append({"id": line.id, "label": label,
                            "begroting": _cell(fmt.euro(budget), file, line.id, str(year), line.line),
                            "tot_peildatum": _cell(_reported(budget, row.tot_peildatum if row else None), cells,
                                                   line.id, "tot_peildatum", at),
                            "prognose": _cell(_reported(budget, prognose), cells, line.id, "prognose", at),
                            "verschil": _computed(verschil, f"het verschil van {line.label}"), "vn": vn})
            above = prognose is not None and needs_toelichting(budget, prognose)
            note = _cell(row.toelichting, cells, line.id, "toelichting", at) if row else ""
            if row and row.toelichting:
                out["notes"].append({"label": label, "text": note, "above": above})
            if above:
                out["attention_lines"].append({**entries[-1], "actual": entries[-1]["prognose"],
                                               "toelichting": note if row and row.toelichting
                                               else "nog niet toegelicht"})
        budgets = [line.amounts.get(year) or 0 for line in lines]
        expected = [line for line in lines if line.id in rows or line.amounts.get(year) is not None]
        prognoses = [rows[line.id].prognose if line.id in rows else None for line in expected]
        verschil, vn = _difference(kind, sum(budgets), _total(prognoses))
        out[kind] = entries
        out[f"{kind}_total"] = {
            "begroting": total(sum(budgets), f"het totaal {kind} {year}"),
            "tot_peildatum": _total_text([rows[line.id].tot_peildatum if line.id in rows else None
                                          for line in expected], f"het totaal {kind} tot de peildatum"),
            "prognose": _total_text(prognoses, f"de prognose van het totaal {kind}"),
            "verschil": _computed(verschil, f"het verschil van het totaal {kind}"), "vn": vn,
        }
    out["reported"] = bool(rows)
    return out


# --- jaarverslag --------------------------------------------------------------------


def build_jaarverslag_context(agenda: Agenda, reports: Reports, fictitious: bool = False) -> Context:
    """The context of the jaarverslag template."""
    year = agenda.meta.year
    jaarverslag = reports.jaarverslag
    action_reports = jaarverslag.acties if jaarverslag else {}
    # Filled now (the rest of the texts at the end): the status chart is drawn from the chapter titles.
    chapters = fill_context(_chapters(agenda, action_reports, True, reports, None), year)
    realisation = reports.realisation or {}
    for chapter in chapters:
        report = jaarverslag.hoofdstukken.get(chapter["id"]) if jaarverslag else None
        chapter["gedaan"] = block_data(report.gedaan) if report else []
        chapter["cost"] = _chapter_cost(agenda, report.begrotingsregels if report else None, realisation)
    effects = agenda.introduction.effecten
    monitoring = {m.effect: (i, m) for i, m in enumerate(jaarverslag.effecten)} if jaarverslag else {}
    file, lines = f"{year}/jaarverslag.yaml", reports.jaarverslag_lines
    effect_rows = []
    for effect in [*effects.effects, effects.supporting_effect]:
        index, found = monitoring.get(effect.number, (0, None))
        sporen = [c["short_title"] for c in chapters if c["effect_ref"] == effect.number]
        effect_rows.append({
            "number": effect.number, "text": effect.text,
            "sporen": pv.concat("Bijdragende sporen: ", pv.join(", ", sporen)) if sporen else "",
            "indicators": [{"naam": i.naam,
                            "waarde": _number(_value(i.waarde, NOT_REPORTED), i.waarde, file,
                                              ("effecten", index, "indicatoren", j, "waarde"), lines),
                            "vorig_jaar": _number(_value(i.vorig_jaar), i.vorig_jaar, file,
                                                  ("effecten", index, "indicatoren", j, "vorig_jaar"), lines),
                            "toelichting": i.toelichting or ""}
                           for j, i in enumerate(found.indicatoren)] if found else [],
        })
    kerncijfers = [{"naam": k.naam,
                    "waarde": _number(fmt.number(k.waarde) if k.waarde is not None else NOT_REPORTED, k.waarde,
                                      file, ("kerncijfers", n, "waarde"), lines),
                    "vorig_jaar": _number(fmt.number(k.vorig_jaar) if k.vorig_jaar is not None else "niet bekend",
                                          k.vorig_jaar, file, ("kerncijfers", n, "vorig_jaar"), lines),
                    "toelichting": k.toelichting or ""}
                   for n, k in enumerate(jaarverslag.kerncijfers if jaarverslag else [])]
    finance = _jaarverslag_finance(agenda, realisation)
    not_reported = sum(a["status_key"] == NOT_REPORTED_KEY for c in chapters for a in c["actions"])
    attention = {
        "chapters": attention_points(chapters, not_started=True),  # the year is over
        "not_reported": not_reported,
        "lines": finance["attention_lines"],
        "none_text": "Alle acties waarover een eindstatus is gerapporteerd, zijn afgerond of op schema."
        if not_reported < sum(len(c["actions"]) for c in chapters)
        else f"De eindstatus van de acties is {NOT_REPORTED}; wat niet is bereikt, is dus (nog) niet te noemen.",
        "none_lines": "Geen begrotingsregel heeft een realisatie die € 25.000 of 5% of meer van de begroting afwijkt."
        if realisation else f"Realisatie per begrotingsregel: {NOT_REPORTED}.",
    }
    # The texts enter the context here: their year placeholders become the agenda's year.
    return fill_context({
        "action_ids": [a.id for _, _, a in agenda.actions()],
        "attention": attention,
        "doc": _doc(agenda, f"Jaarverslag {year}", f"Verantwoording aan de stuurgroep RIEC over {year}",
                    fictitious, jaarverslag),
        "besluiten": _proposal_rows(agenda, chapters, reports.proposals) + _direct_decisions(chapters, action_reports),
        "year": year,
        "previous_year": year - 1,
        "statuses": status_legend(),
        "summary": _status_summary(chapters, f"Acties per eindstatus per hoofdstuk, {year}"),
        "kerncijfers": kerncijfers,
        "chapters": chapters,
        "effects": effect_rows,
        "finance": finance,
    }, agenda.meta.year)


def _value(value: int | float | str | None, missing: str = "niet bekend") -> str:
    if value is None:
        return missing
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt.decimal(value)
    return value if isinstance(value, str) else str(value)


def _number(text: str, value: object, file: str, path: pv.Loc, lines: dict[pv.Loc, int]) -> str:
    """A number of the jaarverslag as printed, with its field (and line) as origin (a text value has its own)."""
    if isinstance(value, pv.Sourced) or value is None or isinstance(value, bool):
        return text
    return pv.Sourced(text, pv.Origin(file, path, lines.get(path)))


def _chapter_cost(agenda: Agenda, refs: list[str] | None,
                  realisation: dict[tuple[str, str], Realisation]) -> dict[str, Any]:
    year = agenda.meta.year
    if refs is None:
        return {"lines": [], "text": f"Kosten per hoofdstuk: {NOT_REPORTED}."}
    if not refs:
        return {"lines": [], "text": "Aan dit hoofdstuk zijn geen begrotingsregels toegewezen; de kosten "
                                     "vallen onder de algemene lasten."}
    budget = {line.id: line for line in agenda.finance.budget}
    lines = []
    for ref in refs:
        line = budget[ref]
        row = realisation.get(("begroting", ref))
        actual = row.realisatie if row else None
        verschil, vn = _difference(line.kind, line.amounts.get(year), actual)
        file = budget_file(agenda)
        lines.append({"label": _cell(line.label, file, line.id, "omschrijving", line.line),
                      "begroting": _cell(fmt.euro(line.amounts.get(year)), file, line.id, str(year), line.line),
                      "realisatie": _cell(_reported(line.amounts.get(year), actual),
                                          f"{year}/financien/realisatie.csv", f"begroting/{ref}", "realisatie",
                                          row.line if row else None),
                      "verschil": _computed(verschil, f"het verschil van {line.label}"), "vn": vn})
    planned = sum(budget[r].amounts.get(year) or 0 for r in refs)
    actuals = [realisation[("begroting", r)].realisatie if ("begroting", r) in realisation else None
               for r in refs if ("begroting", r) in realisation or budget[r].amounts.get(year) is not None]
    verschil, vn = _difference("lasten", planned, _total(actuals))
    lines.append({"label": "Totaal", "begroting": total(planned, "de begroting van dit hoofdstuk"),
                  "realisatie": _total_text(actuals, "de realisatie van dit hoofdstuk"),
                  "verschil": _computed(verschil, "het verschil van dit hoofdstuk"), "vn": vn})
    return {"lines": lines, "text": ""}


def _jaarverslag_finance(agenda: Agenda, realisation: dict[tuple[str, str], Realisation]) -> dict[str, Any]:
    year = agenda.meta.year
    out: dict[str, Any] = {"year": year, "notes": [], "reported": bool(realisation), "attention_lines": []}
    groups: dict[str, tuple[int, int | None]] = {}
    budget_csv, friction_csv = budget_file(agenda), friction_file(agenda)
    sections: list[tuple[str, str, list[tuple[str, str, str, int | None, pv.Origin]]]] = [
        (kind, kind, [(line.id, line.label, kind, line.amounts.get(year),
                       pv.cell(budget_csv, line.id, str(year), line.line))
                      for line in agenda.finance.budget if line.kind == kind])
        for kind in ("baten", "lasten")
    ]
    friction = compute_friction(agenda.finance)["besteding"]
    out["has_friction"] = year in agenda.finance.friction_years
    friction_lines = [(line.id, line.label, "lasten", line.amounts.get(year),
                       pv.cell(friction_csv, f"besteding/{line.id}", str(year), line.line))
                      for line in friction.lines]
    sections.append(("frictie", "frictie", friction_lines if out["has_friction"] else []))
    for name, _, lines in sections:
        table = "frictie" if name == "frictie" else "begroting"
        entries = []
        actuals: list[int | None] = []
        for line_id, label, kind, budget, origin in lines:
            row = realisation.get((table, line_id))
            actual = row.realisatie if row else None
            if row or budget is not None:
                actuals.append(actual)
            verschil, vn = _difference(kind, budget, actual)
            at = row.line if row else None
            realised = f"{year}/financien/realisatie.csv"
            label = pv.sourced(label, pv.Origin(origin.file, (origin.path[0], "omschrijving"), origin.line))
            note = _cell(row.toelichting, realised, f"{table}/{line_id}", "toelichting", at) if row else ""
            entries.append({"label": label, "begroting": pv.sourced(fmt.euro(budget), origin),
                            "realisatie": _cell(_reported(budget, actual), realised, f"{table}/{line_id}",
                                                "realisatie", at),
                            "verschil": _computed(verschil, f"het verschil van {label}"), "vn": vn})
            if row and row.toelichting:
                out["notes"].append({"label": label, "text": note})
            if actual is not None and needs_toelichting(budget, actual):
                out["attention_lines"].append({**entries[-1], "actual": entries[-1]["realisatie"],
                                               "toelichting": note if row and row.toelichting
                                               else "nog niet toegelicht"})
        planned = sum(b or 0 for _, _, _, b, _ in lines)
        kind = "baten" if name == "baten" else "lasten"
        verschil, vn = _difference(kind, planned, _total(actuals))
        out[name] = entries
        out[f"{name}_total"] = {"begroting": total(planned, f"het totaal {name} {year}"),
                                "realisatie": _total_text(actuals, f"de realisatie van het totaal {name}"),
                                "verschil": _computed(verschil, f"het verschil van het totaal {name}"), "vn": vn}
        groups[name] = (planned, _total(actuals))
    saldo_budget = groups["baten"][0] - groups["lasten"][0]
    baten_actual, lasten_actual = groups["baten"][1], groups["lasten"][1]
    saldo_actual = None if baten_actual is None or lasten_actual is None else baten_actual - lasten_actual
    verschil, vn = _difference("baten", saldo_budget, saldo_actual)
    out["saldo"] = {"begroting": total(saldo_budget, f"het saldo {year}"),
                    "realisatie": _computed(_amount(saldo_actual), "de realisatie van het saldo"),
                    "verschil": _computed(verschil, "het verschil van het saldo"), "vn": vn}
    names = {"baten": "Baten", "lasten": "Lasten", "frictie": "Frictiebudget"}
    shown = [n for n in names if n != "frictie" or out["has_friction"]]
    described = "; ".join(
        f"{names[n]}: begroting {fmt.euro(groups[n][0])}, realisatie "
        f"{fmt.euro(groups[n][1]) if groups[n][1] is not None else NOT_REPORTED}" for n in shown)
    title = f"Begroting en realisatie {year}"
    out["chart"] = budget_chart(
        [names[n] for n in shown],
        [("Begroting", [groups[n][0] for n in shown], "9DC3E6"),
         ("Realisatie", [groups[n][1] for n in shown], "003A70")],
        title, f"Staafdiagram: {title.lower()} van baten, lasten en frictiebudget. {described}.")
    return out
