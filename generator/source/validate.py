"""Raw source data -> validated model: the stage. Collects every problem before failing.

`load_agenda(source, year)` is the stage the rest of the pipeline calls: it reads every file of
one year, validates each against the model (`model_errors`), reads the finance CSV files
(`finance_csv`), checks the cross-references (partners, IDs, the Indeling) and reconciles the
published totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from ..errors import Problems, ValidationFailed, did_you_mean
from ..format import euro
from ..i18n import _, ngettext
from .finance import TOTAL_LABELS, Difference, reconcile, sort_differences
from .finance_csv import read_finance
from .load import Document, SourceFiles, display_path, dotted, load_yaml
from .model import (
    FINANCE_CHAPTER,
    Action,
    Agenda,
    AgendaMeta,
    Chapter,
    Finance,
    Introduction,
    Partner,
    PartnerRegistry,
    SiteSettings,
)
from .model_errors import validate_model
from .yeartexts import check_year_texts

M = TypeVar("M", bound=BaseModel)


@dataclass
class Validated:
    """A validated agenda, with the warnings found on the way."""

    agenda: Agenda
    problems: Problems
    differences: list[Difference]



# --- cross-references -----------------------------------------------------------


def _check_partners(registry: list[Partner], doc: Document, problems: Problems) -> None:
    seen: dict[str, int] = {}
    for i, partner in enumerate(registry):
        if partner.id in seen:
            problems.error(doc.display, doc.line_of(("partners", i, "id")), f"partners[{i}].id",
                           _("partner '{partner}' is listed twice (also entry {entry})")
                           .format(partner=partner.id, entry=seen[partner.id]),
                           _("merge the two entries"))
        seen[partner.id] = i


def _check_chapter(chapter: Chapter, doc: Document, partner_ids: set[str], names: dict[str, list[str]],
                   action_ids: dict[str, str], problems: Problems) -> None:
    if chapter.id != doc.path.stem:
        problems.error(doc.display, doc.line_of(("id",)), "id",
                       _("chapter id '{id}' differs from the file name '{name}'").format(id=chapter.id,
                                                                                          name=doc.path.stem),
                       _("write 'id: {name}' or rename the file").format(name=doc.path.stem))
    for s, section in enumerate(chapter.sections):
        sloc: tuple[str | int, ...] = ("sections", s)
        if not section.actions and (doc.lines.get((*sloc, "actions")) is not None
                                    or not (section.intro or section.closing)):
            problems.warning(doc.display, doc.line_of((*sloc, "actions")), dotted((*sloc, "actions")),
                             _("section '{section}' has no actions (the document prints its title without actions)")
                             .format(section=section.title or section.subtitle or f"{s + 1}"),
                             _("add the actions of this year, or remove the section"))
        _check_refs(section.partners, section.partners_wording, (*sloc, "partners"), doc,
                    partner_ids, names, problems)
        for a, action in enumerate(section.actions):
            aloc = (*sloc, "actions", a)
            where = f"{doc.display}:{doc.line_of((*aloc, 'id'))}"
            if action.id in action_ids:
                problems.error(doc.display, doc.line_of((*aloc, "id")), dotted((*aloc, "id")),
                               _("action ID '{id}' is used twice (also at {where})")
                               .format(id=action.id, where=action_ids[action.id]),
                               _("give the new action an ID that is not used yet"))
            else:
                action_ids[action.id] = where
            if not action.partners and not section.partners:
                problems.error(doc.display, doc.line_of(aloc), dotted(aloc),
                               _("action {id} has no 'partners'").format(id=action.id),
                               _("add 'partners:' with at least one partner ID"))
            _check_refs(action.partners, action.partners_wording, (*aloc, "partners"), doc,
                        partner_ids, names, problems)
            if cell_length(action) > CELL_LIMIT:
                problems.error(doc.display, doc.line_of((*aloc, "text")), dotted((*aloc, "text")),
                               _("action {id} is {length:,} characters long with its title and items; a cell of "
                                 "the partners' workbook holds at most {limit:,}")
                               .format(id=action.id, length=cell_length(action), limit=CELL_LIMIT),
                               _("shorten the text, or move part of it to the chapter's introduction"))


# A spreadsheet cell holds at most this many characters (Excel's limit, which LibreOffice keeps too).
CELL_LIMIT = 32_767


def cell_length(action: Action) -> int:
    """Characters of the one cell in which the partners' workbook shows an action (intake.layout.action_text)."""
    return (len(action.title) + 2 if action.title else 0) + len(action.text) + sum(len(i) + 3 for i in action.items)


def _check_refs(refs: list[str], wording: str | None, loc: tuple[str | int, ...], doc: Document,
                partner_ids: set[str], names: dict[str, list[str]], problems: Problems) -> None:
    if not partner_ids:
        return  # the registry itself is broken and reported; every reference would look unknown
    for i, ref in enumerate(refs):
        if ref not in partner_ids:
            problems.error(doc.display, doc.line_of((*loc, i)), dotted((*loc, i)),
                           _("unknown partner '{partner}'").format(partner=ref),
                           did_you_mean(ref, partner_ids) or _("add it to source/partners.yaml first"))
        elif wording and not any(n.lower() in wording.lower() for n in names[ref]):
            problems.warning(doc.display, doc.line_of((*loc, i)), dotted((*loc, i)),
                             _("partner '{partner}' is not named in partners_wording").format(partner=ref),
                             _("mention it in the wording or remove the reference"))
    if len(set(refs)) != len(refs):
        problems.error(doc.display, doc.line_of(loc), dotted(loc), _("a partner is listed twice"))


def _check_indeling(introduction: Introduction, meta: AgendaMeta, doc: Document, problems: Problems) -> None:
    """The Indeling names exactly the chapters the document has, in the document's order."""
    expected = [*meta.chapters, FINANCE_CHAPTER]
    items = introduction.indeling.items
    loc: tuple[str | int, ...] = ("indeling", "items")
    unnamed = [i for i, item in enumerate(items) if item.chapter is None]
    for i in unnamed:
        if items[i].title is None:
            problems.error(doc.display, doc.line_of((*loc, i)), dotted((*loc, i)),
                           _("this Indeling item has neither 'chapter' nor 'title'"),
                           _("add 'chapter:' with the chapter ID it describes"))
    if unnamed:
        problems.warning(doc.display, doc.line_of(loc), dotted(loc),
                         ngettext("{n} of the {total} Indeling items does not name its chapter, so the "
                                  "Indeling cannot be checked against the chapters of the document",
                                  "{n} of the {total} Indeling items do not name their chapter, so the "
                                  "Indeling cannot be checked against the chapters of the document",
                                  len(unnamed)).format(n=len(unnamed), total=len(items)),
                         _("add 'chapter:' to every item, with one of: {choices}").format(choices=", ".join(expected)))
        return
    named = [item.chapter or "" for item in items]  # every item has one here
    before = len(problems.errors)
    for i, chapter_id in enumerate(named):
        if chapter_id not in expected:
            problems.error(doc.display, doc.line_of((*loc, i, "chapter")), dotted((*loc, i, "chapter")),
                           _("the Indeling describes chapter '{chapter}', which the document does not have")
                           .format(chapter=chapter_id),
                           did_you_mean(chapter_id, [c for c in expected if c not in named])
                           or _("remove this item from the Indeling, or add the chapter to 'chapters' in agenda.yaml"))
        elif chapter_id in named[:i]:
            problems.error(doc.display, doc.line_of((*loc, i, "chapter")), dotted((*loc, i, "chapter")),
                           _("the Indeling describes chapter '{chapter}' twice").format(chapter=chapter_id),
                           _("remove one of the two items"))
    for chapter_id in expected:
        if chapter_id not in named:
            problems.error(doc.display, doc.line_of(loc), dotted(loc),
                           _("the Indeling does not describe chapter '{chapter}'").format(chapter=chapter_id),
                           _("add an item with 'chapter: {chapter}' and its 'text' (and 'title' if it should "
                             "differ from the chapter's title)").format(chapter=chapter_id))
    in_both = [c for c in named if c in expected]
    if len(problems.errors) == before and in_both != [c for c in expected if c in named]:
        problems.error(doc.display, doc.line_of(loc), dotted(loc),
                       _("the Indeling lists the chapters in another order than the document"),
                       _("put the items in this order: {chapters}").format(chapters=", ".join(expected)))


# --- the stage ------------------------------------------------------------------


def _raw(doc: Document) -> str:
    """The file's text, for the lines of the words a warning quotes (only digits are looked for in it)."""
    return doc.path.read_bytes().decode("utf-8", errors="replace")


def _validated(model: type[M], path: Path, root: Path, problems: Problems) -> tuple[Document | None, M | None]:
    doc = load_yaml(path, root, problems)
    return doc, (validate_model(model, doc, problems) if doc else None)


def _check_carried_over(chapter: Chapter, doc: Document, year: int, problems: Problems) -> None:
    """An action carried over comes from an earlier year's agenda."""
    for i, section in enumerate(chapter.sections):
        for j, action in enumerate(section.actions):
            if action.carried_over and action.carried_over.year >= year:
                loc = ("sections", i, "actions", j, "carried_over", "year")
                problems.error(doc.display, doc.line_of(loc), dotted(loc),
                               _("an action of the {year} agenda cannot come from {from_year}")
                               .format(year=year, from_year=action.carried_over.year),
                               _("use the year of the agenda it comes from, e.g. {year}").format(year=year - 1))


def load_agenda(source: Path, year: int) -> Validated:
    """Read and validate one year's source; raise ValidationFailed listing every error."""
    files = SourceFiles(source, year)
    problems = Problems()
    if not files.year_dir.is_dir():
        problems.error(display_path(files.year_dir, source), None, "",
                       _("there is no source folder for {year}").format(year=year),
                       _("check --source and --year, or create the folder"))
        raise ValidationFailed(problems)

    reg_doc, registry = _validated(PartnerRegistry, files.partners, source, problems)
    meta_doc, meta = _validated(AgendaMeta, files.meta, source, problems)
    intro_doc, introduction = _validated(Introduction, files.introduction, source, problems)

    if meta:
        for doc in (meta_doc, intro_doc):
            if doc:
                check_year_texts(doc, _raw(doc), meta.year, problems)

    partners = registry.partners if registry else []
    if registry and reg_doc:
        _check_partners(partners, reg_doc, problems)
    partner_ids = {p.id for p in partners}
    names = {p.id: [p.name, *p.aliases] for p in partners}

    chapters: list[Chapter] = []
    action_ids: dict[str, str] = {}
    listed_at: dict[str, int] = {}
    for i, chapter_id in enumerate(meta.chapters if meta else []):
        path = files.chapter(chapter_id)
        if chapter_id in listed_at and meta_doc:
            problems.error(meta_doc.display, meta_doc.line_of(("chapters", i)), f"chapters[{i}]",
                           _("chapter '{chapter}' is listed twice (also {where})")
                           .format(chapter=chapter_id, where=f"chapters[{listed_at[chapter_id]}]"),
                           _("remove one of the two"))
            continue
        listed_at[chapter_id] = i
        if not path.exists() and not path.is_symlink() and meta_doc:  # a broken link is reported when read
            problems.error(meta_doc.display, meta_doc.line_of(("chapters", i)), f"chapters[{i}]",
                           _("there is no chapter file '{file}'").format(file=display_path(path, source)),
                           did_you_mean(chapter_id, [p.stem for p in path.parent.glob("*.yaml")])
                           or _("check the name"))
            continue
        doc, chapter = _validated(Chapter, path, source, problems)
        if doc and chapter:
            _check_chapter(chapter, doc, partner_ids, names, action_ids, problems)
            if meta:
                _check_carried_over(chapter, doc, meta.year, problems)
                check_year_texts(doc, _raw(doc), meta.year, problems)
            chapters.append(chapter)
    if meta:
        listed = set(meta.chapters)
        for path in sorted(files.chapter("x").parent.glob("*.yaml")):
            if path.stem not in listed:
                problems.warning(display_path(path, source), None, "",
                                 _("this chapter file is not listed under 'chapters' in agenda.yaml"),
                                 _("add it to the list, or remove the file"))

    if meta and introduction and intro_doc:
        _check_indeling(introduction, meta, intro_doc, problems)

    finance = read_finance(files, meta, problems)
    if problems.errors or not (meta and introduction and registry and finance):
        raise ValidationFailed(problems)
    differences = reconcile(finance)
    _report_differences(finance, differences, display_path(files.published, source),
                        f"{meta.period[0]}-{meta.period[1]}", problems)
    agenda = Agenda(meta=meta, introduction=introduction, partners=partners, chapters=chapters,
                    finance=finance)
    return Validated(agenda, problems, differences)


def load_site(source: Path, problems: Problems) -> SiteSettings:
    """`SOURCE/site.yaml` (optional): the website edition's contact, colofon and accessibility statement.

    Its problems go into `problems`; without contact details the statement cannot say how to report a
    problem, which is a warning.
    """
    path = source / "site.yaml"
    settings: SiteSettings | None = SiteSettings()
    if path.exists():
        doc = load_yaml(path, source, problems)
        settings = validate_model(SiteSettings, doc, problems) if doc else None
    if settings is not None and not (settings.contact and (settings.contact.email or settings.contact.telefoon)):
        problems.warning(display_path(path, source), None, "contact",
                         _("the website has no e-mail address or telephone number to report an accessibility "
                           "problem to"),
                         _("fill in 'contact:' with 'email:' or 'telefoon:' (the toegankelijkheidsverklaring "
                           "needs it)"))
    return settings or SiteSettings()


def _report_differences(finance: Finance, differences: list[Difference], display: str, period: str,
                        problems: Problems) -> None:
    """Known differences in one note; a new or changed one is a warning that says what changed."""
    sorted_ = sort_differences(finance, differences)
    for d in sorted_.new:
        year_text = str(d.year) if d.year else period
        problems.warning(
            display, d.line, f"{d.total} {year_text}",
            _("new difference: the published total '{label}' {year} is {published}, but its "
              "lines add up to {computed} (published is {difference})")
            .format(label=d.label, year=year_text, published=euro(d.published, zero="€ 0"),
                    computed=euro(d.computed, zero="€ 0"),
                    difference=_more_less(d.delta)),
            _("the documents show the computed total; if the published figure is right, correct the lines; "
              "if the difference is known and accepted, write {delta} in the column bekend_verschil of this "
              "row and the reason in reden").format(delta=d.delta),
        )
    for p, now in sorted_.changed:
        year_text = str(p.year) if p.year else period
        label = TOTAL_LABELS.get(p.total, p.total)
        assert p.known is not None
        if now is None:
            problems.warning(
                display, p.line, f"{p.total} {year_text}",
                _("changed difference: the published total '{label}' {year} now equals what its lines add "
                  "up to ({amount}); the known difference (published is {difference}) is gone")
                .format(label=label, year=year_text, amount=euro(p.amount, zero="€ 0"),
                        difference=_more_less(p.known)),
                _("if that is right, empty the cells bekend_verschil and reden of this row"),
            )
        else:
            problems.warning(
                display, p.line, f"{p.total} {year_text}",
                _("changed difference: the published total '{label}' {year} was known to be "
                  "{known} than its lines, and is now {difference} "
                  "(published {published}, its lines now add up to {computed})")
                .format(label=label, year=year_text, known=_more_less(p.known), difference=_more_less(now.delta),
                        published=euro(now.published, zero="€ 0"), computed=euro(now.computed, zero="€ 0")),
                _("check the lines changed since; if the new difference is right, write "
                  "{delta} in bekend_verschil and update reden").format(delta=now.delta),
            )
    if sorted_.accepted:
        n = len(sorted_.accepted)
        problems.note(display, None, "",
                      ngettext("{n} known difference between published totals and their lines, "
                               "accepted in the column bekend_verschil (the documents show the computed totals)",
                               "{n} known differences between published totals and their lines, "
                               "accepted in the column bekend_verschil (the documents show the computed totals)",
                               n).format(n=n))


def _more_less(delta: int) -> str:
    """`€ 145.000 less` / `€ 145.000 more`: how the published total compares to its lines."""
    more_less = _("{amount} more") if delta > 0 else _("{amount} less")
    return more_less.format(amount=euro(abs(delta), zero="€ 0"))
