"""The library API: every command of the CLI, and the tests, go through these functions.

Validate everything, render everything in memory, then write: nothing is written unless every
document rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import Cache
from .content.context import partner_index
from .errors import Problem, Problems, UserError, ValidationFailed
from .i18n import _
from .kinds import DOCUMENTS
from .render.documents import Finding, Rendered, is_fictitious, render_checked, render_documents
from .render.write import recover_outputs, write_folder, write_outputs
from .source.load import display_path
from .source.progress import ReportFiles, Reports, load_all, load_reports
from .source.validate import Validated, load_agenda
from .staleness import TEMPLATES_DIR, document_path

if TYPE_CHECKING:
    from .cycle.newyear import NewYear
    from .intake.finance_import import Imported
    from .intake.merge import Merged
    from .publish.html import Site
    from .review.diff import Comparison
    from .review.overnemen import TakeOverResult

__all__ = ["DOCUMENTS", "TEMPLATES_DIR", "BuildResult", "build", "check", "diff",
           "document_path", "financien_importeer", "html", "load_all", "new_year", "overnemen", "partner_actions",
           "pdf", "preview", "preview_live", "render_documents", "schemas", "uitvraag_maak", "uitvraag_verwerk",
           "watch"]


@dataclass
class BuildResult:
    """What a build did."""

    validated: Validated
    documents: dict[str, bytes] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    reports: Reports | None = None


def check(source: Path, year: int, strict: bool = False, templates: Path = TEMPLATES_DIR,
          kinds: list[str] | None = None, peildatum: dt.date | None = None, store: Cache | None = None,
          on_source: Callable[[Validated], None] | None = None) -> Validated:
    """Validate the source, progress, results and every template (rendering in memory); write nothing.

    `store`: the cache of rendered documents and compiled templates (default: the user's).
    `on_source` is called with the validated source before the templates and documents are checked
    (`check --watch` shows that part of the result at once).
    """
    # Rendered in full (in memory): the accessibility of the finished documents is checked too.
    return _validate_and_render(source, year, kinds or list(DOCUMENTS), templates, strict, peildatum,
                                store or Cache.default(), on_source)[0]


def watch(folders: Sequence[Path], on_save: Callable[[list[str]], None]) -> None:
    """Call `on_save([])` once FOLDERS are watched, then `on_save(names)` after every save in them, until Ctrl-C."""
    from .publish.live import watch_saves

    watch_saves(folders, on_save)


def _validate_and_render(source: Path, year: int, kinds: list[str], templates: Path, strict: bool,
                         peildatum: dt.date | None, store: Cache,
                         on_source: Callable[[Validated], None] | None = None
                         ) -> tuple[Validated, Reports, dict[str, bytes]]:
    """The source, progress, results and the templates, all checked; every problem reported at once."""
    if peildatum is not None and peildatum.year != year:
        raise UserError(_("the peildatum {date} is not in {year}; give a date in the year of the report, "
                          "e.g. --peildatum {year}-06-30").format(date=peildatum.isoformat(), year=year))
    if source.is_dir():
        recover_outputs(source)  # an overnemen killed while renaming the source files is completed first
    try:
        validated = load_agenda(source, year)
        reports = load_reports(source, validated, peildatum)
    except ValidationFailed as exc:
        # The data is unusable, but template syntax can still be checked, so all is reported at once.
        from .render.template import check_template

        for name in kinds:
            exc.problems.extend(check_template(templates / DOCUMENTS[name].template, None, store))
        raise
    if on_source is not None:
        on_source(validated)
    rendered = render_checked(validated, reports, kinds, templates, is_fictitious(source), validated.problems,
                              store, inspect=_check_accessibility)
    _report_accessibility(rendered, kinds, templates, year, validated.problems)
    if validated.problems.errors or (strict and validated.problems.warnings):
        raise ValidationFailed(validated.problems)
    return validated, reports, {name: r.data for name, r in rendered.items()}


def _check_accessibility(document: Any) -> list[Finding]:
    """The accessibility findings of a rendered document in memory (imported only when one is rendered:
    a build whose documents all come from the cache needs no python-docx)."""
    from .publish.accessibility import check_document

    return check_document(document)


def _report_accessibility(rendered: dict[str, Rendered], kinds: list[str], templates: Path, year: int,
                          problems: Problems) -> None:
    """Every rendered document is accessible; a finding names the template it comes from.

    A template edited in Word can lose a table's header row or an image's alternative text; the
    documents are published for everyone (EN 301 549), so that is an error, like a broken tag.
    Findings about the document as a whole (language, headings) are warnings: a template that is
    not a report yet (a first draft, a test) has none of them.
    """
    for kind in kinds:
        document = rendered.get(document_path(kind, year, Path()).name)
        if document is None:
            continue
        template = templates / DOCUMENTS[kind].template
        shown = display_path(template)
        for finding, hint, severity in document.findings:
            problems.add(Problem(shown, None, "", _("accessibility: {finding}").format(finding=finding), hint,
                                 severity))


def build(source: Path, year: int, output: Path, kinds: list[str], templates: Path = TEMPLATES_DIR,
          strict: bool = False, peildatum: dt.date | None = None, store: Cache | None = None) -> BuildResult:
    """Validate the source and templates, render every requested document in memory, then write them all.

    `store`: the cache of rendered documents and compiled templates (default: the user's).
    """
    recover_outputs(output)  # a build killed while renaming its documents is completed first
    validated, reports, documents = _validate_and_render(source, year, kinds, templates, strict, peildatum,
                                                         store or Cache.default())
    written = write_outputs(output, documents)
    return BuildResult(validated, documents, written, reports)


def partner_actions(source: Path, year: int) -> list[dict[str, object]]:
    """Every partner in the registry with the IDs of the actions it is involved in."""
    return partner_index(load_agenda(source, year).agenda)


def diff(rev_a: str, rev_b: str | None, source: Path, year: int, output: Path,
         to_year: int | None = None, store: Cache | None = None) -> tuple[Comparison, dict[str, Path]]:
    """Compare two git revisions (rev_b None: the working tree), or with `to_year` this year's agenda with
    that year's; write the change summary, text diffs, redlines. `store`: as for `build`."""
    from .review.diff import run_diff, run_year_diff

    if to_year is not None and to_year != year:
        return run_year_diff(source, TEMPLATES_DIR, year, to_year, output, store or Cache.default())
    return run_diff(rev_a, rev_b, source, TEMPLATES_DIR, year, output, store or Cache.default())


def new_year(source: Path, van: int, naar: int) -> NewYear:
    """Create next year's source folder from this year's (never overwriting; nothing written on error)."""
    from .cycle.newyear import new_year as make_new_year

    return make_new_year(source, van, naar)


def overnemen(documents: Sequence[Path], source: Path, year: int, report_dir: Path,
              dry_run: bool = False) -> TakeOverResult:
    """Take reviewers' tracked changes from reviewed .docx files into the source; report what was not taken over."""
    from .review.overnemen import take_over

    return take_over(list(documents), source, year, report_dir, dry_run)


def pdf(kinds: Sequence[str], year: int, output: Path, debug: bool = False, store: Cache | None = None) -> list[Path]:
    """Convert the built documents that changed to tagged PDF in OUTPUT/pdf (one LibreOffice start).

    `store`: where what made each PDF is recorded (default: the user's cache)."""
    from .publish.pdf import convert_to_pdf

    recover_outputs(output)  # never convert the half-renamed set of a killed build
    return convert_to_pdf([document_path(kind, year, output) for kind in kinds], output / "pdf", debug=debug,
                          store=store or Cache.default())


def preview(kinds: Sequence[str], year: int, output: Path, pages: int, store: Cache | None = None) -> list[Path]:
    """PNG images of the first pages of each PDF, in OUTPUT/preview (`store`: as for `pdf`)."""
    from .publish.pdf import preview as make_preview

    pdfs = [output / "pdf" / document_path(kind, year, output).with_suffix(".pdf").name for kind in kinds]
    return make_preview(pdfs, output / "preview", pages=pages, store=store or Cache.default())


@dataclass
class UitvraagSent:
    """What `uitvraag maak` wrote."""

    folder: Path
    workbooks: dict[str, list[str]]  # file name -> action IDs
    written: list[Path]
    previous: dt.date | None
    not_asked: list[str] = field(default_factory=list)  # actions whose partners are all groups


def uitvraag_maak(source: Path, year: int, peildatum: dt.date, output: Path) -> UitvraagSent:
    """One workbook per partner with actions, and an overview, in OUTPUT/uitvraag/<peildatum>/."""
    from .intake.send import Previous, asked_partners, make_workbooks

    validated = load_agenda(source, year)
    if peildatum.year != year:
        raise UserError(_("peildatum {date} is not in {year}; progress of the {year} agenda is asked at a date "
                          "in {year} (or use --year)").format(date=peildatum.isoformat(), year=year))
    reports = load_reports(source, validated)
    earlier = [d for d in reports.peildata if d < peildatum]
    previous = None
    if earlier:
        prev_reports = load_reports(source, load_agenda(source, year), earlier[-1])
        if prev_reports.voortgang is not None:
            previous = Previous(earlier[-1], prev_reports.voortgang)
    files = make_workbooks(validated.agenda, peildatum, previous, is_fictitious(source))
    folder = output / "uitvraag" / peildatum.isoformat()
    written = write_outputs(folder, files)
    index = {e["id"]: list(e["actions"]) for e in asked_partners(validated.agenda)}
    workbooks = {name: index[name.removesuffix(".xlsx")] for name in files if name != "overzicht.xlsx"}
    asked = {action_id for ids in index.values() for action_id in ids}
    not_asked = [a.id for _, _, a in validated.agenda.actions() if a.id not in asked]
    return UitvraagSent(folder, workbooks, written, previous.peildatum if previous else None, not_asked)


@dataclass
class UitvraagProcessed:
    """What `uitvraag verwerk` found and (unless dry_run or nothing changed) wrote."""

    target: Path
    workbooks: list[str]
    merged: Merged
    not_answered: list[str]  # partner names without a returned workbook
    problems: Problems
    written: bool
    empty: list[str] = field(default_factory=list)  # workbooks returned without a single answer


def uitvraag_folder(source: Path, year: int, peildatum: dt.date) -> Path:
    """Where the secretary saves the returned workbooks: source/<year>/uitvraag/<peildatum>/."""
    return source / str(year) / "uitvraag" / peildatum.isoformat()


def uitvraag_verwerk(source: Path, year: int, peildatum: dt.date, files: Sequence[Path] = (),
                     overwrite: bool = False, dry_run: bool = False) -> UitvraagProcessed:
    """Read every returned workbook, validate each cell, merge into voortgang/<peildatum>.yaml atomically."""
    from .intake.merge import merge, read_state, state_text
    from .intake.receive import STATE_FILE, find_workbooks, read_workbooks
    from .intake.send import asked_partners

    validated = load_agenda(source, year)
    reports = load_reports(source, validated)  # the existing voortgang files must be valid before anything is added
    problems = Problems()  # only the workbooks' problems: the source's own warnings belong to `make check`
    if peildatum.year != year:
        raise UserError(_("peildatum {date} is not in {year} (or use --year)").format(date=peildatum.isoformat(),
                                                                                    year=year))
    folder = uitvraag_folder(source, year, peildatum)
    paths = list(files) or find_workbooks(folder, problems)
    if not paths:
        raise UserError(_("no returned workbooks in {folder}; save the partners' .xlsx files there, "
                          "or name them: uitvraag verwerk --peildatum ... FILE...").format(folder=folder))
    returned = read_workbooks(paths, validated.agenda, peildatum, problems)
    if problems.errors:
        raise ValidationFailed(problems)
    target = ReportFiles(source, year).voortgang(peildatum)
    # What the stuurgroep agreed to in earlier reports: a partner's 'doorgeschoven' is then no longer a voorstel.
    decisions = {p.action_id: p for p in reports.proposals_before(peildatum) if p.agreed}
    state_path = folder / STATE_FILE
    last = read_state(state_path)
    merged = merge(validated.agenda, returned, target, peildatum, overwrite, is_fictitious(source), decisions, last)
    answered = set(merged.state)  # also a partner read at an earlier run (a corrected workbook processed alone)
    not_answered = [str(e["name"]) for e in asked_partners(validated.agenda) if e["id"] not in answered]
    written = False
    if merged.changed and not dry_run:
        write_outputs(target.parent, {target.name: merged.text.encode("utf-8")})
        written = True
    if not dry_run and merged.state != last:
        # Written after the voortgang file: a run stopped in between finds the file already as answered.
        write_outputs(state_path.parent, {state_path.name: state_text(merged.state, peildatum).encode("utf-8")})
    return UitvraagProcessed(target, [r.display for r in returned], merged, not_answered, problems, written,
                             [r.display for r in returned if not r.answers])


@dataclass
class FinanceImported:
    """What `financien importeer` found and wrote."""

    target: Path
    imported: Imported
    changes: list[tuple[str, str, str]]
    problems: Problems
    written: bool
    held_back: bool  # existing amounts would change and --overwrite was not given


def financien_importeer(source: Path, year: int, export: Path, peildatum: dt.date, naar: str = "voortgang",
                        overwrite: bool = False, code_column: str | None = None,
                        amount_column: str | None = None, dry_run: bool = False,
                        decimal: str | None = None) -> FinanceImported:
    """Sum an export of the financial administration per budget line into the voortgang CSV or realisatie.csv.

    `decimal`: ',' or '.' when the export's amounts cannot tell by themselves how they are written.
    """
    from .intake.finance_import import import_export, load_mapping, merged_csv
    from .source.load import display_path

    validated = load_agenda(source, year)
    load_reports(source, validated)  # the existing progress and realisation files must be valid first
    files = ReportFiles(source, year)
    mapping_path = files.year_dir / "financien" / "grootboek.csv"
    if not mapping_path.exists():
        raise UserError(_("{file} is missing: it maps each ledger code of the administration to a budget "
                          "line (header: grootboek,regel[,tabel][,teken]); see README").format(file=mapping_path))
    if not export.is_file():
        raise UserError(_("{file}: no such file").format(file=export))
    problems = Problems()
    target = files.voortgang_finance(peildatum) if naar == "voortgang" else files.realisatie
    mapping = load_mapping(mapping_path, source, validated.agenda, problems)
    imported = import_export(export, export.name, mapping, validated.agenda, problems, code_column, amount_column,
                             decimal, display_path(target, source))
    if naar == "voortgang":
        if any(table != "begroting" for table, _ in imported.totals):
            problems.error(export.name, None, "", _("friction lines have no place in the voortgang CSV"),
                           _("map them only when importing with --naar realisatie"))
        text, changes = merged_csv(target, source, ["regel", "tot_peildatum", "prognose", "toelichting"],
                                   "tot_peildatum", imported.totals, validated.agenda, False, problems)
    else:
        text, changes = merged_csv(target, source, ["tabel", "regel", "realisatie", "toelichting"], "realisatie",
                                   imported.totals, validated.agenda, True, problems)
    if problems.errors:
        raise ValidationFailed(problems)
    held_back = target.exists() and not overwrite and any(old for _, old, _ in changes)
    written = False
    if changes and not held_back and not dry_run:
        write_outputs(target.parent, {target.name: text.encode("utf-8")})
        written = True
    return FinanceImported(target, imported, changes, problems, written, held_back)


def html(source: Path, year: int, output: Path, peildatum: dt.date | None = None,
         strict: bool = False, store: Cache | None = None) -> tuple[Site, list[Path], list[Path]]:
    """Validate the source, render the website edition in memory, then write it to OUTPUT/html (all or nothing).

    Returns the site, the files written and the files of an earlier build that are no longer part of it
    (removed).
    """
    from .publish.html import SITE_DIR, build_site

    site = build_site(source, year, peildatum, strict, store=store or Cache.default())
    written, removed = write_folder(output / SITE_DIR, site.files)
    return site, written, removed


def schemas(source: Path, output: Path | None = None) -> tuple[list[Path], list[Path]]:
    """Write the JSON Schemas of SOURCE's YAML files (default: `schemas/` beside it); every schema and those written.

    Unchanged files are not rewritten; a partners.yaml with errors raises ValidationFailed.
    """
    from .source.schema import schema_files, schemas_folder

    folder = output if output is not None else schemas_folder(source)
    files = schema_files(source)
    return [folder / name for name in files], write_outputs(folder, files)


def preview_live(source: Path, year: int, output: Path, host: str, port: int,
                 peildatum: dt.date | None = None, open_browser: bool = False) -> None:
    """Serve OUTPUT/html, rebuild it on every save in SOURCE or the templates, reload the open page."""
    from .publish.live import serve

    serve(source, year, output, TEMPLATES_DIR, host, port, peildatum, open_browser)
