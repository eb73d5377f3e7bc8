"""Progress and results (optional source files) -> validated report data.

The voortgangsrapportage and the jaarverslag are built from the agenda's own
actions and budget lines plus these files, all optional:

- `voortgang/<peildatum>.yaml`: status and toelichting per action ID;
- `voortgang/<peildatum>.csv`: per budget line the realisation to the peildatum and the prognosis;
- `jaarverslag.yaml`: final status and result per action, per chapter what was done,
  kerncijfers, indicators per maatschappelijk effect;
- `financien/realisatie.csv`: per budget (or friction) line the realisation of the year.

Whatever is missing is shown as "nog niet gerapporteerd"; nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problems, ValidationFailed, did_you_mean
from ..format import euro, percent
from ..i18n import N_, _, ngettext
from .finance import VARIANCE_AMOUNT, VARIANCE_SHARE, favourable, needs_toelichting
from .finance_csv import parse_amount
from .load import Document, SourceFiles, Table, display_path, dotted, load_csv, load_yaml
from .model import (
    STATUS_NEEDS_BESLUIT,
    STATUS_WITHOUT_TOELICHTING,
    ActionReport,
    Agenda,
    Jaarverslag,
    Realisation,
    Voorstel,
    Voortgang,
)
from .model_errors import validate_model
from .validate import Validated, load_agenda

THRESHOLD_TEXT = N_("the threshold is {amount} or {share}")  # translated and filled in where used


@dataclass(frozen=True)
class ReportFiles(SourceFiles):
    """Where one year's progress and result files are, beside its agenda files."""

    @property
    def voortgang_dir(self) -> Path:
        return self.year_dir / "voortgang"

    def voortgang(self, peildatum: dt.date) -> Path:
        return self.voortgang_dir / f"{peildatum.isoformat()}.yaml"

    def voortgang_finance(self, peildatum: dt.date) -> Path:
        return self.voortgang_dir / f"{peildatum.isoformat()}.csv"

    @property
    def jaarverslag(self) -> Path:
        return self.year_dir / "jaarverslag.yaml"

    @property
    def realisatie(self) -> Path:
        return self.year_dir / "financien" / "realisatie.csv"


@dataclass
class Reports:
    """The validated progress and results of one year; absent parts are None or empty."""

    peildatum: dt.date
    voortgang: Voortgang | None = None
    voortgang_finance: dict[str, Realisation] | None = None
    jaarverslag: Jaarverslag | None = None
    realisation: dict[tuple[str, str], Realisation] | None = None
    peildata: list[dt.date] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    # The line of every value of jaarverslag.yaml, for the origin of a number (an int carries no origin itself).
    jaarverslag_lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    def proposals_at(self, peildatum: dt.date | None) -> list[Proposal]:
        """The voorstellen made in the report of one peildatum (None: in the jaarverslag)."""
        return [p for p in self.proposals if p.peildatum == peildatum]

    def proposals_before(self, peildatum: dt.date) -> list[Proposal]:
        """The voorstellen made in the reports of earlier peildata of the year."""
        return [p for p in self.proposals if p.peildatum is not None and p.peildatum < peildatum]

    def decision(self, action_id: str, upto: dt.date | None) -> Proposal | None:
        """The latest voorstel about an action that the stuurgroep agreed to, up to a peildatum (None: all)."""
        found = None
        for proposal in self.proposals:
            if (proposal.action_id == action_id and proposal.agreed
                    and (upto is None or (proposal.peildatum is not None and proposal.peildatum <= upto))):
                found = proposal
        return found


@dataclass(frozen=True)
class Proposal:
    """A voorstel to the stuurgroep about one action, where it was made, and (later) its besluit."""

    action_id: str
    voorstel: Voorstel
    peildatum: dt.date | None  # None: made in the jaarverslag
    display: str
    line: int | None

    @property
    def agreed(self) -> bool:
        return self.voorstel.besluit is not None and self.voorstel.besluit.uitkomst == "akkoord"

    @property
    def status(self) -> str:
        """The status the action gets once the voorstel is agreed."""
        return "doorgeschoven" if self.voorstel.wat == "doorschuiven" else "vervallen"


def default_peildatum(year: int) -> dt.date:
    """30 June of the year: the halfjaarlijkse peildatum when no progress file exists yet."""
    return dt.date(year, 6, 30)


def load_reports(source: Path, validated: Validated, peildatum: dt.date | None = None) -> Reports:
    """Read and validate every progress and result file; raise ValidationFailed on any error.

    Problems are added to `validated.problems`, so warnings of both stages are reported together.
    """
    agenda = validated.agenda
    year = agenda.meta.year
    files = ReportFiles(source, year)
    problems = validated.problems
    checker = _Checker(agenda, problems)

    voortgang_files: dict[dt.date, Voortgang] = {}
    voortgang_docs: dict[dt.date, Document] = {}
    for path in sorted(files.voortgang_dir.glob("*.yaml")) if files.voortgang_dir.is_dir() else []:
        loaded = _load_voortgang(path, source, year, checker, problems)
        if loaded:
            voortgang_files[loaded[0].peildatum], voortgang_docs[loaded[0].peildatum] = loaded
    peildata = sorted(voortgang_files)
    if peildatum is None:
        peildatum = peildata[-1] if peildata else default_peildatum(year)
    elif peildata and peildatum not in voortgang_files:
        problems.error(display_path(files.voortgang(peildatum), source), None, "",
                       _("there is no progress file for the peildatum {date}").format(date=peildatum.isoformat()),
                       _("use one of: {choices}").format(choices=", ".join(d.isoformat() for d in peildata)))
    reports = Reports(peildatum=peildatum, voortgang=voortgang_files.get(peildatum), peildata=peildata)

    for path in sorted(files.voortgang_dir.glob("*.csv")) if files.voortgang_dir.is_dir() else []:
        rows = _load_finance_csv(path, source, ["regel", "tot_peildatum", "prognose", "toelichting"],
                                 checker, problems)
        if not path.with_suffix(".yaml").exists():
            problems.error(display_path(path, source), None, "",
                           _("there is no progress file '{file}' for this financial progress")
                           .format(file=f"{path.stem}.yaml"),
                           _("give the .csv file the same name as its voortgang .yaml file"))
        elif path.stem == peildatum.isoformat() and rows is not None:
            reports.voortgang_finance = {r.regel: r for r in rows}

    in_order: list[tuple[dt.date | None, dict[str, ActionReport], Document]] = [
        (d, voortgang_files[d].acties, voortgang_docs[d]) for d in peildata]
    if files.jaarverslag.exists():
        doc = load_yaml(files.jaarverslag, source, problems)
        jaarverslag = validate_model(Jaarverslag, doc, problems) if doc else None
        if doc and not jaarverslag:
            checker.check_action_ids(doc)
        if doc and jaarverslag:
            checker.check_actions(jaarverslag.acties, doc, final=True)
            checker.check_jaarverslag(jaarverslag, doc)
            reports.jaarverslag = jaarverslag
            reports.jaarverslag_lines = doc.lines
            if jaarverslag.acties:  # one holding only last year's figures (nieuw-jaar) reports nothing yet
                in_order.append((None, jaarverslag.acties, doc))
    reports.proposals = checker.check_proposals(in_order)

    if files.realisatie.exists():
        rows = _load_finance_csv(files.realisatie, source, ["tabel", "regel", "realisatie", "toelichting"],
                                 checker, problems)
        if rows is not None:
            reports.realisation = {(r.table, r.regel): r for r in rows}

    if problems.errors:
        raise ValidationFailed(problems)
    return reports


def load_all(source: Path, year: int, peildatum: dt.date | None = None) -> tuple[Validated, Reports]:
    """The validated agenda and the validated progress and results (no templates)."""
    validated = load_agenda(source, year)
    return validated, load_reports(source, validated, peildatum)


def _load_voortgang(path: Path, source: Path, year: int, checker: _Checker,
                    problems: Problems) -> tuple[Voortgang, Document] | None:
    doc = load_yaml(path, source, problems)
    voortgang = validate_model(Voortgang, doc, problems) if doc else None
    if doc and not voortgang:
        checker.check_action_ids(doc)  # independent of the mistake that stopped the model
    if not (doc and voortgang):
        return None
    ok = True
    if voortgang.peildatum.isoformat() != path.stem:
        problems.error(doc.display, doc.line_of(("peildatum",)), "peildatum",
                       _("peildatum {date} differs from the file name '{name}'")
                       .format(date=voortgang.peildatum.isoformat(), name=path.stem),
                       _("name the file '{file}' or correct the date")
                       .format(file=f"{voortgang.peildatum.isoformat()}.yaml"))
        ok = False
    if voortgang.peildatum.year != year:
        problems.error(doc.display, doc.line_of(("peildatum",)), "peildatum",
                       _("peildatum {date} is not in {year}").format(date=voortgang.peildatum.isoformat(), year=year),
                       _("progress of the {year} agenda is reported at a date in {year}").format(year=year))
        ok = False
    checker.check_actions(voortgang.acties, doc, final=False)
    return (voortgang, doc) if ok else None


class _Checker:
    """The cross-checks of report data against the agenda, collecting problems."""

    def __init__(self, agenda: Agenda, problems: Problems) -> None:
        self.agenda = agenda
        self.problems = problems
        self.action_ids = [a.id for _, _, a in agenda.actions()]
        self.known_actions = set(self.action_ids)  # a list scan per report is quadratic at scale
        self.chapter_ids = [c.id for c in agenda.chapters]
        self.budget = {line.id: line for line in agenda.finance.budget}
        self.friction = {line.id: line for line in agenda.finance.friction if line.table == "besteding"}

    def check_action_ids(self, doc: Document) -> None:
        """Unknown action IDs in a file whose other fields have errors, so all are reported in one run."""
        acties = doc.data.get("acties") if isinstance(doc.data, dict) else None
        for action_id in acties if isinstance(acties, dict) else {}:
            if isinstance(action_id, str) and action_id not in self.known_actions:
                loc: tuple[str | int, ...] = ("acties", action_id)
                self.problems.error(doc.display, doc.line_of(loc), dotted(loc),
                                    _("unknown action '{id}'").format(id=action_id),
                                    _suggest_action(action_id, self.action_ids)
                                    or _("use the ID of an action in hoofdstukken/*.yaml"))

    def check_actions(self, reports: dict[str, ActionReport], doc: Document, final: bool) -> None:
        """Every action report: a known ID, and the toelichting/besluit its status needs."""
        year = self.agenda.meta.year
        for action_id, report in reports.items():
            loc: tuple[str | int, ...] = ("acties", action_id)
            line = doc.line_of(loc)
            where = dotted(loc)
            if action_id not in self.known_actions:
                self.problems.error(doc.display, line, where, _("unknown action '{id}'").format(id=action_id),
                                    _suggest_action(action_id, self.action_ids)
                                    or _("use the ID of an action in hoofdstukken/*.yaml"))
                continue
            status = report.status
            if status not in STATUS_WITHOUT_TOELICHTING and not report.toelichting:
                self.problems.error(doc.display, line, where,
                                    _("status '{status}' needs a 'toelichting'").format(status=status),
                                    _("explain the status; only 'op schema' and 'afgerond' can go without"))
            if report.besluit is not None and not (report.besluit.datum or report.besluit.referentie):
                self.problems.error(doc.display, doc.line_of((*loc, "besluit")), f"{where}.besluit",
                                    _("the decision has neither a date nor a reference"),
                                    _("add 'datum:' (YYYY-MM-DD) or 'referentie:'"))
            if report.besluit is not None and status not in STATUS_NEEDS_BESLUIT:
                self.problems.error(doc.display, doc.line_of((*loc, "besluit")), f"{where}.besluit",
                                    _("a 'besluit' belongs to status 'doorgeschoven' or 'vervallen', not '{status}'")
                                    .format(status=status),
                                    _("put a proposal under 'voorstel:' and its decision under 'voorstel: besluit:'"))
            if report.voorstel is not None:
                self._check_voorstel(report.voorstel, doc, (*loc, "voorstel"))
            if report.naar_jaar is not None and status != "doorgeschoven":
                self.problems.error(doc.display, doc.line_of((*loc, "naar_jaar")), f"{where}.naar_jaar",
                                    _("'naar_jaar' is only used with status 'doorgeschoven', not '{status}'")
                                    .format(status=status),
                                    _("remove it or change the status"))
            elif report.naar_jaar is not None and report.naar_jaar <= year:
                self.problems.error(doc.display, doc.line_of((*loc, "naar_jaar")), f"{where}.naar_jaar",
                                    _("an action of {year} cannot move to {to_year}").format(year=year,
                                                                                           to_year=report.naar_jaar),
                                    _("use a later year, e.g. {year}").format(year=year + 1))
            if report.resultaat and not final:
                self.problems.error(doc.display, doc.line_of((*loc, "resultaat")), f"{where}.resultaat",
                                    _("'resultaat' is only reported in jaarverslag.yaml"),
                                    _("move it there, or put the text in 'toelichting'"))

    def _check_voorstel(self, voorstel: Voorstel, doc: Document, loc: tuple[str | int, ...]) -> None:
        year = self.agenda.meta.year
        where = dotted(loc)
        if voorstel.wat == "doorschuiven" and voorstel.naar_jaar is None:
            self.problems.error(doc.display, doc.line_of(loc), where,
                                _("a voorstel to 'doorschuiven' needs 'naar_jaar'"),
                                _("add the year the action would move to, e.g. 'naar_jaar: {year}'")
                                .format(year=year + 1))
        elif voorstel.wat == "vervallen" and voorstel.naar_jaar is not None:
            self.problems.error(doc.display, doc.line_of((*loc, "naar_jaar")), f"{where}.naar_jaar",
                                _("'naar_jaar' is only used with 'wat: doorschuiven'"), _("remove it or change 'wat'"))
        elif voorstel.naar_jaar is not None and voorstel.naar_jaar <= year:
            self.problems.error(doc.display, doc.line_of((*loc, "naar_jaar")), f"{where}.naar_jaar",
                                _("an action of {year} cannot move to {to_year}").format(year=year,
                                                                                       to_year=voorstel.naar_jaar),
                                _("use a later year, e.g. {year}").format(year=year + 1))
        besluit = voorstel.besluit
        if besluit is not None and not (besluit.datum or besluit.referentie):
            self.problems.error(doc.display, doc.line_of((*loc, "besluit")), f"{where}.besluit",
                                _("the decision has neither a date nor a reference"),
                                _("add 'datum:' (YYYY-MM-DD) or 'referentie:'"))

    def check_proposals(self, in_order: list[tuple[dt.date | None, dict[str, ActionReport], Document]]
                        ) -> list[Proposal]:
        """Voorstel then besluit, across the reports of the year in order (the jaarverslag last).

        A status 'doorgeschoven' or 'vervallen' needs the decision: its own 'besluit', or an
        agreed voorstel in this or an earlier report. A voorstel still without besluit when the
        next report exists is a warning: the stuurgroep was asked, and nothing was recorded.
        """
        year = self.agenda.meta.year
        proposals: list[Proposal] = []
        for index, (peildatum, reports, doc) in enumerate(in_order):
            for action_id, report in reports.items():
                if action_id not in self.known_actions:
                    continue
                loc: tuple[str | int, ...] = ("acties", action_id)
                if report.voorstel is not None:
                    proposals.append(Proposal(action_id, report.voorstel, peildatum, doc.display,
                                              doc.line_of((*loc, "voorstel"))))
                status = report.status
                if status not in STATUS_NEEDS_BESLUIT:
                    continue
                agreed = next((p for p in reversed(proposals) if p.action_id == action_id and p.agreed), None)
                undecided = report.besluit is None and (agreed is None or agreed.status != status)
                if undecided:
                    hint = (_("propose it first: add 'voorstel:' with 'wat:', 'waarom:' and 'naar_jaar:', then "
                              "record the stuurgroep's 'besluit:' (datum, referentie) under it")
                            if status == "doorgeschoven" else
                            _("propose it first: add 'voorstel:' with 'wat:', 'waarom:', then record the "
                              "stuurgroep's 'besluit:' (datum, referentie) under it"))
                    self.problems.error(doc.display, doc.line_of(loc), dotted(loc),
                                        _("status '{status}' needs the stuurgroep decision").format(status=status),
                                        hint)
                naar_jaar = report.naar_jaar or (agreed.voorstel.naar_jaar if agreed else None)
                if status == "doorgeschoven" and naar_jaar is None and not undecided:  # else the hint says it
                    self.problems.error(doc.display, doc.line_of(loc), dotted(loc),
                                        _("status 'doorgeschoven' needs 'naar_jaar'"),
                                        _("add the year the action moves to, e.g. 'naar_jaar: {year}'")
                                        .format(year=year + 1))
                elif (status == "doorgeschoven" and agreed and agreed.voorstel.naar_jaar and report.naar_jaar
                      and report.naar_jaar != agreed.voorstel.naar_jaar):
                    self.problems.error(doc.display, doc.line_of((*loc, "naar_jaar")), dotted((*loc, "naar_jaar")),
                                        _("the stuurgroep agreed to move it to {agreed}, not {to_year}")
                                        .format(agreed=agreed.voorstel.naar_jaar, to_year=report.naar_jaar),
                                        _("use 'naar_jaar: {agreed}' or record a new decision")
                                        .format(agreed=agreed.voorstel.naar_jaar))
            if index + 1 < len(in_order):
                following = in_order[index + 1][0]
                next_name = following.isoformat() if following else _("the jaarverslag")
                for proposal in proposals:
                    if proposal.peildatum == peildatum and proposal.voorstel.besluit is None:
                        self.problems.warning(
                            proposal.display, proposal.line, dotted(("acties", proposal.action_id, "voorstel")),
                            _("the voorstel to '{what}' {id} has no besluit by the next report ({next})")
                            .format(what=proposal.voorstel.wat, id=proposal.action_id, next=next_name),
                            _("record the stuurgroep's decision under 'voorstel:' as 'besluit:' (datum, referentie, "
                              "uitkomst), or take the voorstel out"))
        return proposals

    def check_jaarverslag(self, jaarverslag: Jaarverslag, doc: Document) -> None:
        """Chapter IDs, budget line IDs and effect numbers in jaarverslag.yaml exist."""
        assigned: dict[str, str] = {}
        for chapter_id, report in jaarverslag.hoofdstukken.items():
            loc: tuple[str | int, ...] = ("hoofdstukken", chapter_id)
            if chapter_id not in self.chapter_ids:
                self.problems.error(doc.display, doc.line_of(loc), dotted(loc),
                                    _("unknown chapter '{chapter}'").format(chapter=chapter_id),
                                    did_you_mean(chapter_id, self.chapter_ids) or _("use a chapter ID of agenda.yaml"))
            for i, ref in enumerate(report.begrotingsregels):
                rloc = (*loc, "begrotingsregels", i)
                if ref not in self.budget:
                    self.problems.error(doc.display, doc.line_of(rloc), dotted(rloc),
                                        _("unknown budget line '{id}'").format(id=ref),
                                        did_you_mean(ref, self.budget) or _("use a 'regel' of financien/begroting.csv"))
                elif ref in assigned:
                    self.problems.error(doc.display, doc.line_of(rloc), dotted(rloc),
                                        _("budget line '{id}' is already assigned to '{chapter}'")
                                        .format(id=ref, chapter=assigned[ref]),
                                        _("assign each budget line to one chapter only"))
                else:
                    assigned[ref] = chapter_id
        effects = self.agenda.introduction.effecten
        numbers = [e.number for e in effects.effects] + [effects.supporting_effect.number]
        seen: set[int] = set()
        for i, monitoring in enumerate(jaarverslag.effecten):
            loc = ("effecten", i, "effect")
            if monitoring.effect not in numbers:
                self.problems.error(doc.display, doc.line_of(loc), dotted(loc),
                                    _("there is no maatschappelijk effect {effect}").format(effect=monitoring.effect),
                                    _("use one of: {choices}").format(choices=", ".join(map(str, numbers))))
            elif monitoring.effect in seen:
                self.problems.error(doc.display, doc.line_of(loc), dotted(loc),
                                    _("effect {effect} is listed twice").format(effect=monitoring.effect),
                                    _("merge its indicators"))
            seen.add(monitoring.effect)

    def budget_of(self, table: str, regel: str) -> tuple[str, int | None] | None:
        """(kind, budget of the year) of a budget or friction line, or None if unknown."""
        year = self.agenda.meta.year
        if table == "begroting" and regel in self.budget:
            line = self.budget[regel]
            return line.kind, line.amounts.get(year)
        if table == "frictie" and regel in self.friction:
            return "lasten", self.friction[regel].amounts.get(year)
        return None

    def known(self, table: str) -> list[str]:
        return list(self.budget if table == "begroting" else self.friction)


def _suggest_action(action_id: str, known: list[str]) -> str:
    """'s1-7' -> "did you mean 'S1-07'?"; otherwise the closest IDs by spelling."""
    match = re.fullmatch(r"(.*?)-?0*([0-9]+)", action_id.strip().upper())
    if match:
        candidate = f"{match.group(1)}-{int(match.group(2)):02d}"
        if candidate in known:
            return _("did you mean {choices}?").format(choices=f"'{candidate}'")
    return did_you_mean(action_id, known)


def _load_finance_csv(path: Path, source: Path, header: list[str], checker: _Checker,
                      problems: Problems) -> list[Realisation] | None:
    """A realisation CSV: every row points at a known line; a large difference is explained."""
    table = load_csv(path, source, problems)
    if table is None:
        return None
    if table.header != header:
        problems.error(table.display, 1, "", _("the header must be: {header}").format(header=",".join(header)))
        return None
    rows: list[Realisation] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in table.rows:
        kind_table = row.get("tabel", "begroting")
        if kind_table not in ("begroting", "frictie"):
            problems.error(table.display, line, "tabel", _("'{value}' is not allowed").format(value=kind_table),
                           did_you_mean(kind_table, ["begroting", "frictie"]) or _("use 'begroting' or 'frictie'"))
            continue
        regel = row["regel"]
        budget = checker.budget_of(kind_table, regel)
        if budget is None:
            unknown = (_("unknown budget line '{id}'") if kind_table == "begroting"
                       else _("unknown friction line (besteding) '{id}'"))
            source_file = "begroting.csv" if kind_table == "begroting" else "frictiebudget.csv"
            problems.error(table.display, line, "regel", unknown.format(id=regel),
                           did_you_mean(regel, checker.known(kind_table))
                           or _("use a 'regel' of {file}").format(file=f"financien/{source_file}"))
            continue
        if (kind_table, regel) in seen:
            problems.error(table.display, line, "regel", _("'{value}' appears twice (first on line {line})")
                           .format(value=regel, line=seen[kind_table, regel]), _("merge the two rows"))
            continue
        seen[kind_table, regel] = line
        amounts = {c: parse_amount(row[c], table, line, c, problems)
                   for c in ("tot_peildatum", "prognose", "realisatie") if c in row}
        realisation = Realisation(regel=regel, table=kind_table, toelichting=row["toelichting"],  # type: ignore[arg-type]
                                  line=line, **amounts)
        _check_variance(realisation, budget, table, line, problems)
        rows.append(realisation)
    year = checker.agenda.meta.year
    missing = [r for r, b in checker.budget.items() if ("begroting", r) not in seen and b.amounts.get(year) is not None]
    if missing:
        problems.warning(table.display, None, "regel",
                         ngettext("no row for the budget line {lines}", "no row for the budget lines {lines}",
                                  len(missing)).format(lines=", ".join(missing)),
                         ngettext("the report shows it as 'nog niet gerapporteerd'",
                                  "the report shows them as 'nog niet gerapporteerd'", len(missing)))
    return rows


def _check_variance(row: Realisation, budget: tuple[str, int | None], table: Table, line: int,
                    problems: Problems) -> None:
    kind, planned = budget
    column = "realisatie" if row.realisatie is not None else "prognose"
    actual = row.realisatie if row.realisatie is not None else row.prognose
    if actual is None or row.toelichting or not needs_toelichting(planned, actual):
        return
    difference = actual - (planned or 0)
    share = f" ({percent(abs(difference) / planned)})" if planned else ""
    letter = favourable(kind, planned, actual)
    differs = (_("the realisatie differs {difference} from the begroting of {planned} and needs a toelichting")
               if column == "realisatie" else
               _("the prognose differs {difference} from the begroting of {planned} and needs a toelichting"))
    problems.error(table.display, line, "toelichting",
                   differs.format(difference=f"{euro(abs(difference))} {letter}{share}",
                                  planned=euro(planned or 0, zero="€ 0")),
                   _(THRESHOLD_TEXT).format(amount=euro(VARIANCE_AMOUNT), share=percent(VARIANCE_SHARE)))
