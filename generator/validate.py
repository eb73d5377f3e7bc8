"""Raw source data -> validated model. Collects every problem before failing.

`load_agenda(source, year)` is the stage the rest of the pipeline calls: it
reads every file of one year, validates each against the model, checks the
cross-references (partners, IDs) and reconciles the published totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problems, ValidationFailed, did_you_mean
from .finance import TOTAL_LABELS, Difference, reconcile
from .format import euro
from .load import Document, Table, display_path, dotted, load_csv, load_yaml
from .model import (
    Agenda,
    AgendaMeta,
    BudgetLine,
    Chapter,
    Finance,
    FrictionLine,
    Introduction,
    Jaarverslag,
    Partner,
    PartnerRegistry,
    PublishedTotal,
    Voortgang,
)

M = TypeVar("M", bound=BaseModel)

_TYPE_WORDS = {
    "string": "text",
    "int": "a whole number",
    "list": "a list (lines starting with '- ')",
    "dict": "a block of 'key: value' lines",
    "model": "a block of 'key: value' lines",
    "date": "a date written as YYYY-MM-DD",
    "bool": "yes or no",
    "tuple": "a list",
    "literal": "one of the allowed values",
}


@dataclass(frozen=True)
class SourceFiles:
    """Where one year's source files are."""

    root: Path
    year: int

    @property
    def year_dir(self) -> Path:
        return self.root / str(self.year)

    @property
    def partners(self) -> Path:
        return self.root / "partners.yaml"

    @property
    def meta(self) -> Path:
        return self.year_dir / "agenda.yaml"

    @property
    def introduction(self) -> Path:
        return self.year_dir / "inleiding.yaml"

    def chapter(self, chapter_id: str) -> Path:
        return self.year_dir / "hoofdstukken" / f"{chapter_id}.yaml"

    @property
    def budget(self) -> Path:
        return self.year_dir / "financien" / "begroting.csv"

    @property
    def friction(self) -> Path:
        return self.year_dir / "financien" / "frictiebudget.csv"

    @property
    def published(self) -> Path:
        return self.year_dir / "financien" / "gepubliceerd.csv"


@dataclass
class Validated:
    """A validated agenda, with the warnings found on the way."""

    agenda: Agenda
    problems: Problems
    differences: list[Difference]


def validate_model(model: type[M], doc: Document, problems: Problems) -> M | None:
    """Validate one YAML document against a model; record every error with its line."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            _record_pydantic_error(err, doc, problems)
        return None


def _record_pydantic_error(err: Any, doc: Document, problems: Problems) -> None:
    loc = tuple(part for part in err["loc"] if not _is_union_tag(part))
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(doc, loc[:-1])
        problems.error(doc.display, doc.line_of(loc), dotted(loc), f"unknown key '{key}'",
                       did_you_mean(key, allowed) or "remove it or check the spelling")
    elif kind == "missing":
        problems.error(doc.display, doc.line_of(loc[:-1]), dotted(loc[:-1]),
                       f"required field '{loc[-1]}' is missing", f"add '{loc[-1]}:'")
    elif kind == "string_pattern_mismatch":
        problems.error(doc.display, doc.line_of(loc), dotted(loc),
                       f"'{err['input']}' is not a valid ID", _pattern_hint(loc))
    elif kind in ("string_too_short", "too_short"):
        problems.error(doc.display, doc.line_of(loc), dotted(loc), "must not be empty")
    elif kind == "literal_error":
        problems.error(doc.display, doc.line_of(loc), dotted(loc),
                       f"'{err['input']}' is not allowed", err["msg"].replace("Input should be", "use"))
    else:
        expected = next((w for k, w in _TYPE_WORDS.items() if kind.startswith(k)), None)
        message = f"should be {expected}" if expected else err["msg"]
        shown = err.get("input")
        if isinstance(shown, (str, int, float)) and not isinstance(shown, bool):
            message += f", not '{shown}'"
        problems.error(doc.display, doc.line_of(loc), dotted(loc), message)


def _is_union_tag(part: Any) -> bool:
    # pydantic names the branch of a union in the location ('str', 'BulletList'); editors
    # do not know these names.
    # Action IDs used as keys ('S1-07') also start with a capital, but contain a hyphen.
    return isinstance(part, str) and ((part[:1].isupper() and part.isidentifier())
                                      or part in ("str", "constrained-str", "int", "float"))


def _allowed_keys(doc: Document, loc: tuple[Any, ...]) -> list[str]:
    # A cheap way to find the keys allowed at `loc`: the keys the model declares anywhere.
    names: set[str] = set()
    for model in (Agenda, AgendaMeta, Chapter, Introduction, PartnerRegistry, Voortgang, Jaarverslag):
        names |= _all_field_names(model)
    return sorted(names)


def _all_field_names(model: type[BaseModel], seen: set[type] | None = None) -> set[str]:
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for sub in _models_in(info.annotation):
            names |= _all_field_names(sub, seen)
    return names


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


def _pattern_hint(loc: tuple[Any, ...]) -> str:
    if "id" in loc and "actions" in loc:
        return "action IDs look like 'S1-07': capitals, digits and hyphens, ending in a number"
    return "use lowercase letters, digits and hyphens, e.g. 'riec-bureau'"


# --- amounts in CSV ----------------------------------------------------------------

_PLAIN_INT = re.compile(r"^-?[0-9]+$")


def parse_amount(cell: str, table: Table, line: int, column: str, problems: Problems) -> int | None:
    """A whole-euro amount from a CSV cell; '' is 'no amount'. Records a problem if invalid."""
    value = cell.strip()
    if value == "":
        return None
    if _PLAIN_INT.match(value):
        return int(value)
    digits = re.sub(r"[€\s.]", "", value)
    if re.fullmatch(r"-?[0-9]+", digits) and ("." in value or "€" in value):
        problems.error(
            table.display, line, column, f"amount '{value}' is written in Dutch style",
            f"write whole euros without € and dots: {int(digits)}",
        )
    elif re.fullmatch(r"-?[0-9]+[.,][0-9]+", value):
        problems.error(table.display, line, column, f"amount '{value}' has decimals",
                       "amounts are whole euros: round to a whole number")
    else:
        problems.error(table.display, line, column, f"'{value}' is not an amount",
                       "write a whole number of euros, or leave the cell empty")
    return None


def _year_columns(table: Table, fixed: list[str], problems: Problems) -> tuple[int, ...] | None:
    missing = [c for c in fixed if c not in table.header]
    if missing:
        problems.error(table.display, 1, "", f"header lacks the column(s) {', '.join(missing)}",
                       f"the header must be: {','.join(fixed)},<years>")
        return None
    years = []
    for name in table.header:
        if name in fixed:
            continue
        if not re.fullmatch(r"20[0-9]{2}", name):
            problems.error(table.display, 1, name, f"unknown column '{name}'",
                           did_you_mean(name, fixed) or "year columns are written as 4 digits, e.g. 2026")
            continue
        years.append(int(name))
    if years != sorted(set(years)):
        problems.error(table.display, 1, "", "year columns must be in increasing order, each once")
    return tuple(years)


def _choice(value: str, allowed: tuple[str, ...], table: Table, line: int, column: str,
            problems: Problems) -> bool:
    if value in allowed:
        return True
    problems.error(table.display, line, column, f"'{value}' is not allowed",
                   did_you_mean(value, allowed) or "use one of: " + ", ".join(allowed))
    return False


def _check_id(value: str, table: Table, line: int, seen: dict[str, int], problems: Problems) -> bool:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        problems.error(table.display, line, "regel", f"'{value}' is not a valid line ID",
                       "use lowercase letters, digits and hyphens")
        return False
    if value in seen:
        problems.error(table.display, line, "regel", f"budget line '{value}' appears twice "
                       f"(first on line {seen[value]})", "merge the two rows or give one another ID")
        return False
    seen[value] = line
    return True


def _parse_budget(table: Table, problems: Problems) -> tuple[tuple[int, ...], list[BudgetLine]]:
    years = _year_columns(table, ["regel", "soort", "omschrijving"], problems) or ()
    lines: list[BudgetLine] = []
    seen: dict[str, int] = {}
    for line, row in table.rows:
        ok = _check_id(row["regel"], table, line, seen, problems)
        ok &= _choice(row["soort"], ("baten", "lasten"), table, line, "soort", problems)
        if not row["omschrijving"]:
            problems.error(table.display, line, "omschrijving", "description is empty")
            ok = False
        amounts = {y: parse_amount(row[str(y)], table, line, str(y), problems) for y in years}
        if ok:
            lines.append(BudgetLine(id=row["regel"], kind=row["soort"], label=row["omschrijving"],  # type: ignore[arg-type]
                                    amounts=amounts, line=line))
    return years, lines


def _parse_friction(table: Table, problems: Problems) -> tuple[tuple[int, ...], list[FrictionLine]]:
    years = _year_columns(table, ["tabel", "regel", "omschrijving", "financiering"], problems) or ()
    lines: list[FrictionLine] = []
    seen: dict[str, dict[str, int]] = {"aanvraag": {}, "besteding": {}}
    for line, row in table.rows:
        ok = _choice(row["tabel"], ("aanvraag", "besteding"), table, line, "tabel", problems)
        ok = ok and _check_id(row["regel"], table, line, seen[row["tabel"]], problems)
        ok &= _choice(row["financiering"], ("handreiking", "regiobijdrage"), table, line,
                      "financiering", problems)
        amounts = {y: parse_amount(row[str(y)], table, line, str(y), problems) for y in years}
        if ok:
            lines.append(FrictionLine(table=row["tabel"], id=row["regel"], label=row["omschrijving"],  # type: ignore[arg-type]
                                      funding=row["financiering"], amounts=amounts, line=line))  # type: ignore[arg-type]
    return years, lines


def _parse_published(table: Table, years: tuple[int, ...], friction_years: tuple[int, ...],
                     period: str, problems: Problems) -> list[PublishedTotal]:
    if table.header != ["totaal", "jaar", "bedrag"]:
        problems.error(table.display, 1, "", "the header must be: totaal,jaar,bedrag")
        return []
    out: list[PublishedTotal] = []
    seen: dict[tuple[str, int | None], int] = {}
    for line, row in table.rows:
        total, year_text = row["totaal"], row["jaar"]
        if not _choice(total, tuple(TOTAL_LABELS), table, line, "totaal", problems):
            continue
        allowed = friction_years if total.startswith("frictie") else years
        year: int | None
        if year_text == period and not total.startswith("frictie"):
            year = None
        elif year_text.isdigit() and int(year_text) in allowed:
            year = int(year_text)
        else:
            problems.error(table.display, line, "jaar", f"'{year_text}' is not a year of this table",
                           "use one of: " + ", ".join([*map(str, allowed), period]))
            continue
        if (total, year) in seen:
            problems.error(table.display, line, "totaal", f"'{total} {year_text}' appears twice "
                           f"(first on line {seen[total, year]})")
            continue
        seen[total, year] = line
        amount = parse_amount(row["bedrag"], table, line, "bedrag", problems)
        if amount is None:
            if row["bedrag"] == "":
                problems.error(table.display, line, "bedrag", "amount is empty")
            continue
        out.append(PublishedTotal(total=total, year=year, amount=amount, line=line))
    return out


# --- cross-references -----------------------------------------------------------


def _check_partners(registry: list[Partner], doc: Document, problems: Problems) -> None:
    seen: dict[str, int] = {}
    for i, partner in enumerate(registry):
        if partner.id in seen:
            problems.error(doc.display, doc.line_of(("partners", i, "id")), f"partners[{i}].id",
                           f"partner '{partner.id}' is listed twice (also entry {seen[partner.id]})",
                           "merge the two entries")
        seen[partner.id] = i


def _check_chapter(chapter: Chapter, doc: Document, partner_ids: set[str], names: dict[str, list[str]],
                   action_ids: dict[str, str], problems: Problems) -> None:
    if chapter.id != doc.path.stem:
        problems.error(doc.display, doc.line_of(("id",)), "id",
                       f"chapter id '{chapter.id}' differs from the file name '{doc.path.stem}'",
                       f"write 'id: {doc.path.stem}' or rename the file")
    for s, section in enumerate(chapter.sections):
        sloc: tuple[str | int, ...] = ("sections", s)
        _check_refs(section.partners, section.partners_wording, (*sloc, "partners"), doc,
                    partner_ids, names, problems)
        for a, action in enumerate(section.actions):
            aloc = (*sloc, "actions", a)
            where = f"{doc.display}:{doc.line_of((*aloc, 'id'))}"
            if action.id in action_ids:
                problems.error(doc.display, doc.line_of((*aloc, "id")), dotted((*aloc, "id")),
                               f"action ID '{action.id}' is used twice (also at {action_ids[action.id]})",
                               "give the new action an ID that is not used yet")
            else:
                action_ids[action.id] = where
            if not action.partners and not section.partners:
                problems.error(doc.display, doc.line_of(aloc), dotted(aloc),
                               f"action {action.id} has no 'partners'",
                               "add 'partners:' with at least one partner ID")
            _check_refs(action.partners, action.partners_wording, (*aloc, "partners"), doc,
                        partner_ids, names, problems)


def _check_refs(refs: list[str], wording: str | None, loc: tuple[str | int, ...], doc: Document,
                partner_ids: set[str], names: dict[str, list[str]], problems: Problems) -> None:
    for i, ref in enumerate(refs):
        if ref not in partner_ids:
            problems.error(doc.display, doc.line_of((*loc, i)), dotted((*loc, i)),
                           f"unknown partner '{ref}'",
                           did_you_mean(ref, partner_ids) or "add it to source/partners.yaml first")
        elif wording and not any(n.lower() in wording.lower() for n in names[ref]):
            problems.warning(doc.display, doc.line_of((*loc, i)), dotted((*loc, i)),
                             f"partner '{ref}' is not named in partners_wording",
                             "mention it in the wording or remove the reference")
    if len(set(refs)) != len(refs):
        problems.error(doc.display, doc.line_of(loc), dotted(loc), "a partner is listed twice")


# --- the stage ------------------------------------------------------------------


def _validated(model: type[M], path: Path, root: Path, problems: Problems) -> tuple[Document | None, M | None]:
    doc = load_yaml(path, root, problems)
    return doc, (validate_model(model, doc, problems) if doc else None)


def load_agenda(source: Path, year: int, strict: bool = False) -> Validated:
    """Read and validate one year's source; raise ValidationFailed listing every error."""
    files = SourceFiles(source, year)
    problems = Problems()
    if not files.year_dir.is_dir():
        problems.error(display_path(files.year_dir, source), None, "",
                       f"there is no source folder for {year}",
                       "check --source and --year, or create the folder")
        raise ValidationFailed(problems)

    reg_doc, registry = _validated(PartnerRegistry, files.partners, source, problems)
    meta_doc, meta = _validated(AgendaMeta, files.meta, source, problems)
    _, introduction = _validated(Introduction, files.introduction, source, problems)

    partners = registry.partners if registry else []
    if registry and reg_doc:
        _check_partners(partners, reg_doc, problems)
    partner_ids = {p.id for p in partners}
    names = {p.id: [p.name, *p.aliases] for p in partners}

    chapters: list[Chapter] = []
    action_ids: dict[str, str] = {}
    for i, chapter_id in enumerate(meta.chapters if meta else []):
        path = files.chapter(chapter_id)
        if not path.exists() and meta_doc:
            problems.error(meta_doc.display, meta_doc.line_of(("chapters", i)), f"chapters[{i}]",
                           f"there is no chapter file '{display_path(path, source)}'",
                           did_you_mean(chapter_id, [p.stem for p in path.parent.glob("*.yaml")])
                           or "check the name")
            continue
        doc, chapter = _validated(Chapter, path, source, problems)
        if doc and chapter:
            _check_chapter(chapter, doc, partner_ids, names, action_ids, problems)
            chapters.append(chapter)
    if meta:
        listed = set(meta.chapters)
        for path in sorted(files.chapter("x").parent.glob("*.yaml")):
            if path.stem not in listed:
                problems.warning(display_path(path, source), None, "",
                                 "this chapter file is not listed under 'chapters' in agenda.yaml",
                                 "add it to the list, or remove the file")

    finance = _load_finance(files, source, meta, problems)
    if problems.errors or not (meta and introduction and registry and finance):
        raise ValidationFailed(problems)
    differences = reconcile(finance)
    for d in differences:
        year_text = str(d.year) if d.year else f"{meta.period[0]}-{meta.period[1]}"
        problems.warning(
            display_path(files.published, source), d.line, f"{d.total} {year_text}",
            f"published total '{d.label}' {year_text} is {euro(d.published)}, "
            f"but its lines add up to {euro(d.computed)} (difference {euro(d.delta)})",
            "the documents show the computed total",
        )
    if strict and problems.warnings:
        raise ValidationFailed(problems)
    agenda = Agenda(meta=meta, introduction=introduction, partners=partners, chapters=chapters,
                    finance=finance)
    return Validated(agenda, problems, differences)


def _load_finance(files: SourceFiles, source: Path, meta: AgendaMeta | None,
                  problems: Problems) -> Finance | None:
    budget_table = load_csv(files.budget, source, problems)
    friction_table = load_csv(files.friction, source, problems)
    published_table = load_csv(files.published, source, problems)
    if not (budget_table and friction_table and published_table):
        return None
    years, budget = _parse_budget(budget_table, problems)
    friction_years, friction = _parse_friction(friction_table, problems)
    if meta and years and years != tuple(range(meta.period[0], meta.period[1] + 1)):
        problems.error(budget_table.display, 1, "", f"the year columns {', '.join(map(str, years))} "
                       f"do not match the period {meta.period[0]}-{meta.period[1]} in agenda.yaml")
    period = f"{meta.period[0]}-{meta.period[1]}" if meta else ""
    published = _parse_published(published_table, years, friction_years, period, problems)
    return Finance(years=years, budget=budget, friction_years=friction_years, friction=friction,
                   published=published)

