"""Raw source data -> validated model. Collects every problem before failing.

`load_agenda(source, year)` is the stage the rest of the pipeline calls: it
reads every file of one year, validates each against the model, checks the
cross-references (partners, IDs) and reconciles the published totals.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Problems, ValidationFailed, did_you_mean
from ..format import number
from ..i18n import N_, _, ngettext
from . import model as model_module
from . import provenance
from .finance import TO_FILL_IN, TOTAL_LABELS, Difference, reconcile, sort_differences
from .load import Document, Table, display_path, dotted, load_csv, load_yaml
from .model import (
    FINANCE_CHAPTER,
    Action,
    Agenda,
    AgendaMeta,
    BudgetLine,
    Chapter,
    Finance,
    FrictionLine,
    Introduction,
    Partner,
    PartnerRegistry,
    PublishedTotal,
    SiteSettings,
)
from .yeartexts import check_year_texts

M = TypeVar("M", bound=BaseModel)

# pydantic's error types -> what the value should be, in an editor's words (translated where used).
_TYPE_WORDS = {
    "string": N_("should be text, not {value}"),
    "int": N_("should be a whole number, not {value}"),
    "float": N_("should be a number, not {value}"),
    "list": N_("should be a list (lines starting with '- '), not {value}"),
    "dict": N_("should be a block of 'key: value' lines, not {value}"),
    "model": N_("should be a block of 'key: value' lines, not {value}"),
    "date": N_("should be a date written as YYYY-MM-DD, not {value}"),
    "bool": N_("should be true or false, not {value}"),
    "tuple": N_("should be a list, not {value}"),
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
        validated = model.model_validate(doc.data)
    except ValidationError as exc:
        for err in _one_branch_per_union(exc.errors(), doc.data):
            _record_pydantic_error(err, model, doc, problems)
        return None
    provenance.attach(validated, doc.name or doc.display, doc.lines)
    return validated


def _one_branch_per_union(errors: list[Any], data: Any) -> list[Any]:
    """Where a value may take several forms, keep the errors of the form the editor meant.

    pydantic reports a text block that is wrong both as text and as each kind of list; an
    editor who wrote a 'key: value' block meant a list block, one who wrote a value meant text.
    """
    out: list[Any] = []
    groups: dict[tuple[Any, ...], dict[str, list[Any]]] = {}
    for err in errors:
        loc = err["loc"]
        tag = min(_union_tags(loc, data), default=None)
        if tag is None:
            out.append(err)
        else:
            groups.setdefault(loc[:tag], {}).setdefault(loc[tag], []).append(err)
    for branches in groups.values():
        plain = [name for name in branches if not name[:1].isupper()]
        models = [name for name in branches if name[:1].isupper()]
        value = next((e["input"] for name in plain for e in branches[name]), None)
        if isinstance(value, dict) and models:
            chosen = min(models, key=lambda name: len(branches[name]))
        else:
            chosen = (plain or models)[0]
        out.extend(branches[chosen])
    return out


def _describe(value: Any) -> str:
    """A value as an editor would call it."""
    if value is None:
        return _("empty")
    if isinstance(value, bool):
        return _("the yes/no value '{value}'").format(value=str(value).lower())
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, str):
        return f"'{value[:60]}'"
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a block of 'key: value' lines")
    return type(value).__name__


def _record_pydantic_error(err: Any, model: type[BaseModel], doc: Document, problems: Problems) -> None:
    tags = _union_tags(err["loc"], doc.data)
    loc = tuple(part for i, part in enumerate(err["loc"]) if i not in tags)
    if any(loc[:end] in doc.reported for end in range(len(loc) + 1)):
        return  # the loader already reported this value
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    line, field = doc.line_of(loc), dotted(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(key, allowed) or (
            _("remove it or check the spelling; allowed here: {keys}").format(keys=", ".join(allowed)) if allowed
            else _("remove it or check the spelling"))
        problems.error(doc.display, line, field, _("unknown key '{key}'").format(key=key), hint)
    elif kind == "missing":
        parent = loc[:-1]
        problems.error(doc.display, doc.line_of(parent), dotted(parent),
                       _("required field '{field}' is missing").format(field=loc[-1]),
                       _("add '{field}:' with its value").format(field=loc[-1]))
    elif kind == "string_pattern_mismatch":
        problems.error(doc.display, line, field, _("'{value}' is not a valid ID").format(value=value),
                       _pattern_hint(loc))
    elif kind == "string_too_short" or (kind == "too_short" and ctx.get("min_length") == 1):
        problems.error(doc.display, line, field, _("must not be empty"), _("write a value, or remove the key"))
    elif kind in ("too_short", "too_long"):
        size = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        items = (_("should have at least {size} items, not {actual}") if kind == "too_short"
                 else _("should have at most {size} items, not {actual}"))
        problems.error(doc.display, line, field, items.format(size=size, actual=ctx.get("actual_length")))
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        problems.error(doc.display, line, field, _("{value} is not allowed").format(value=_describe(value)),
                       did_you_mean(str(value), allowed)
                       or _("use one of: {choices}").format(choices=", ".join(allowed)))
    elif kind in ("greater_than_equal", "less_than_equal"):
        limit = ctx.get("ge", ctx.get("le"))
        bound = (_("should be at least {limit}, not {value}") if kind == "greater_than_equal"
                 else _("should be at most {limit}, not {value}"))
        problems.error(doc.display, line, field, bound.format(limit=limit, value=_describe(value)))
    else:
        expected = next((k for k in _TYPE_WORDS if kind.startswith(k)), None)
        if expected is None:
            problems.error(doc.display, line, field, err["msg"])  # pydantic's own English: a type we do not map
            return
        hint = ""
        if expected == "string" and isinstance(value, (int, float)):
            hint = _("put it between double quotes")
        elif expected == "string" and isinstance(value, (list, dict)):
            hint = _("if it is one text, put it between double quotes")
        elif expected in ("list", "tuple") and isinstance(value, str):
            hint = _("write each item on its own line, starting with '- '")
        elif expected == "date":
            hint = _("for example 2026-03-31, or leave it empty")
        problems.error(doc.display, line, field, _(_TYPE_WORDS[expected]).format(value=_describe(value)), hint)


def _union_tags(loc: tuple[Any, ...], data: Any) -> set[int]:
    """Positions in an error location that name a branch of a union ('str', 'BulletList').

    Editors do not know these names. A part is a branch name only where the data has no such
    key, so a key an editor wrote (even 'Uitvoeringsagenda 2026') is never mistaken for one.
    """
    tags, current = set(), data
    for i, part in enumerate(loc):
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
        elif isinstance(part, str) and (part in _BRANCH_NAMES):
            tags.add(i)
        else:
            current = None
    return tags


_BRANCH_NAMES = {"str", "constrained-str", "int", "float", "none", "list", "dict"} | {
    name for name, value in vars(model_module).items() if isinstance(value, type) and issubclass(value, BaseModel)}


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the block at `loc` of a document validated against `model`."""
    annotations: list[Any] = [model]
    for part in loc:
        annotations = [step for ann in annotations for step in _step(ann, part)]
    return sorted({name for ann in annotations for m in _models(ann) for name in m.model_fields})


def _step(annotation: Any, part: Any) -> list[Any]:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _step(args[0], part)
    if origin in (Union, types.UnionType):
        return [step for arg in args for step in _step(arg, part)]
    if isinstance(part, int) and origin in (list, tuple) and args:
        return [args[0]]
    if isinstance(part, str) and origin is dict and len(args) == 2:
        return [args[1]]  # a block keyed by ID, e.g. 'acties: {S1-07: ...}'

    if isinstance(part, str) and isinstance(annotation, type) and issubclass(annotation, BaseModel):
        info = annotation.model_fields.get(part)
        return [info.annotation] if info else []
    return []


def _models(annotation: Any) -> list[type[BaseModel]]:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _models(args[0])
    if origin in (Union, types.UnionType):
        return [m for arg in args for m in _models(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _pattern_hint(loc: tuple[Any, ...]) -> str:
    if "id" in loc and "actions" in loc:
        return _("action IDs look like 'S1-07': capitals, digits and hyphens, ending in a number")
    return _("use lowercase letters, digits and hyphens, e.g. 'riec-bureau'")


# --- amounts in CSV ----------------------------------------------------------------

_PLAIN_INT = re.compile(r"^-?[0-9]+$")
_GROUPED = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+$")  # 5.953.678: Dutch thousands separators
_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]{3})*[.,][0-9]+$")
# 128,838 or 128,838.00: an English-format export's thousands commas (never read as 128.838).
_ENGLISH = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_MAX_DIGITS = 12  # a trillion euros: anything longer is a typing mistake


def parse_amount(cell: str, table: Table, line: int, column: str, problems: Problems) -> int | None:
    """A whole-euro amount from a CSV cell; '' is 'no amount'. Records a problem if invalid.

    Only plain whole numbers are accepted. `5.953.678` or `€ 5.953.678` is rejected with the
    number it probably means; it is never read as 5.953.
    """
    value = cell.strip()
    if value == "":
        return None
    if _PLAIN_INT.match(value):
        if len(value.lstrip("-")) > _MAX_DIGITS:
            problems.error(table.display, line, column, _("amount '{value}...' is too large").format(value=value[:20]),
                           _("check for digits typed twice"))
            return None
        return int(value)
    bare = re.sub(r"^(-?)\s*€\s*", r"\1", value).replace("€", "").strip()
    if _GROUPED.match(bare) or (_PLAIN_INT.match(bare) and "€" in value):
        whole = bare.replace(".", "")
        problems.error(table.display, line, column, _("amount '{value}' is written with € or dots").format(value=value),
                       _("write whole euros as digits only: {amount}").format(amount=whole))
    elif _ENGLISH.match(bare):
        euros, __, cents = bare.partition(".")
        whole = euros.replace(",", "")
        hint = (_("write whole euros as digits only: {amount}").format(amount=whole) if set(cents) <= {"0"}
                else _("amounts are whole euros: round to a whole number"))
        problems.error(table.display, line, column,
                       _("amount '{value}' is written with commas between thousands").format(value=value), hint)
    elif _DECIMAL.match(bare):
        euros, __, cents = re.split(r"([.,])(?=[0-9]+$)", bare)
        whole = euros.replace(".", "")
        if set(cents) == {"0"}:
            hint = _("amounts are whole euros: write {amount}").format(amount=whole)
        else:
            hint = _("amounts are whole euros: round to a whole number")
        problems.error(table.display, line, column, _("amount '{value}' has decimals").format(value=value), hint)
    else:
        problems.error(table.display, line, column, _("'{value}' is not an amount").format(value=value[:40]),
                       _("write a whole number of euros (digits only, e.g. 5953678), or leave the cell empty"))
    return None


def _year_columns(table: Table, fixed: list[str], problems: Problems) -> tuple[int, ...] | None:
    missing = [c for c in fixed if c not in table.header]
    if missing:
        problems.error(table.display, 1, "",
                       ngettext("header lacks the column {columns}", "header lacks the columns {columns}",
                                len(missing)).format(columns=", ".join(missing)),
                       _("the header must be: {header}").format(header=",".join(fixed) + ",<" + _("years") + ">"))
        return None
    years = []
    for name in table.header:
        if name in fixed:
            continue
        if not re.fullmatch(r"20[0-9]{2}", name):
            problems.error(table.display, 1, name or _("(empty)"), _("unknown column '{column}'").format(column=name),
                           did_you_mean(name, fixed) or _("year columns are written as 4 digits, e.g. 2026"))
            continue
        years.append(int(name))
    if years != sorted(set(years)):
        problems.error(table.display, 1, "", _("year columns must be in increasing order, each once"),
                       _("for example: {header}").format(header=",".join([*fixed, "2025", "2026", "2027"])))
    return tuple(years)


def _choice(value: str, allowed: tuple[str, ...], table: Table, line: int, column: str,
            problems: Problems) -> bool:
    if value in allowed:
        return True
    problems.error(table.display, line, column, _("'{value}' is not allowed").format(value=value),
                   did_you_mean(value, allowed) or _("use one of: {choices}").format(choices=", ".join(allowed)))
    return False


def _check_id(value: str, table: Table, line: int, seen: dict[str, int], problems: Problems) -> bool:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
        problems.error(table.display, line, "regel", _("'{value}' is not a valid line ID").format(value=value),
                       _("use lowercase letters, digits and hyphens"))
        return False
    if value in seen:
        problems.error(table.display, line, "regel", _("budget line '{id}' appears twice (first on line {line})")
                       .format(id=value, line=seen[value]), _("merge the two rows or give one another ID"))
        return False
    seen[value] = line
    return True


def _parse_budget(table: Table, problems: Problems) -> tuple[tuple[int, ...], list[BudgetLine]]:
    years = _year_columns(table, ["regel", "soort", "omschrijving"], problems)
    if years is None:
        return (), []
    lines: list[BudgetLine] = []
    seen: dict[str, int] = {}
    for line, row in table.rows:
        ok = _check_id(row["regel"], table, line, seen, problems)
        ok &= _choice(row["soort"], ("baten", "lasten"), table, line, "soort", problems)
        ok &= _has_description(row, table, line, problems)
        amounts = {y: parse_amount(row[str(y)], table, line, str(y), problems) for y in years}
        if ok:
            lines.append(BudgetLine(id=row["regel"], kind=row["soort"], label=row["omschrijving"],  # type: ignore[arg-type]
                                    amounts=amounts, line=line))
    return years, lines


def _has_description(row: dict[str, str], table: Table, line: int, problems: Problems) -> bool:
    if row["omschrijving"]:
        return True
    problems.error(table.display, line, "omschrijving", _("description is empty"),
                   _("write the text shown in the table"))
    return False


def _parse_friction(table: Table, problems: Problems) -> tuple[tuple[int, ...], list[FrictionLine]]:
    years = _year_columns(table, ["tabel", "regel", "omschrijving", "financiering"], problems)
    if years is None:
        return (), []
    lines: list[FrictionLine] = []
    seen: dict[str, dict[str, int]] = {"aanvraag": {}, "besteding": {}}
    for line, row in table.rows:
        ok = _choice(row["tabel"], ("aanvraag", "besteding"), table, line, "tabel", problems)
        ok = ok and _check_id(row["regel"], table, line, seen[row["tabel"]], problems)
        ok &= _choice(row["financiering"], ("handreiking", "regiobijdrage"), table, line,
                      "financiering", problems)
        ok &= _has_description(row, table, line, problems)
        amounts = {y: parse_amount(row[str(y)], table, line, str(y), problems) for y in years}
        if ok:
            lines.append(FrictionLine(table=row["tabel"], id=row["regel"], label=row["omschrijving"],  # type: ignore[arg-type]
                                      funding=row["financiering"], amounts=amounts, line=line))  # type: ignore[arg-type]
    return years, lines


def _parse_published(table: Table, years: tuple[int, ...], friction_years: tuple[int, ...],
                     period: str, problems: Problems) -> list[PublishedTotal]:
    if table.header not in (["totaal", "jaar", "bedrag"], ["totaal", "jaar", "bedrag", *_KNOWN_COLUMNS]):
        problems.error(table.display, 1, "",
                       _("the header must be: {header}").format(header=",".join(["totaal", "jaar", "bedrag",
                                                                                 *_KNOWN_COLUMNS])),
                       _("restore the first line from git"))
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
        elif re.fullmatch(r"[0-9]{4}", year_text) and int(year_text) in allowed:
            year = int(year_text)
        else:
            problems.error(table.display, line, "jaar",
                           _("'{value}' is not a year of this table").format(value=year_text),
                           _("use one of: {choices}").format(choices=", ".join([*map(str, allowed), period])))
            continue
        if (total, year) in seen:
            problems.error(table.display, line, "totaal", _("'{value}' appears twice (first on line {line})")
                           .format(value=f"{total} {year_text}", line=seen[total, year]),
                           _("delete one of the two rows"))
            continue
        seen[total, year] = line
        amount = parse_amount(row["bedrag"], table, line, "bedrag", problems)
        if amount is None:
            if row["bedrag"] == "":
                problems.error(table.display, line, "bedrag", _("amount is empty"),
                               _("write the total as published, or delete the row"))
            continue
        known = _known_difference(row, table, line, problems)
        out.append(PublishedTotal(total=total, year=year, amount=amount, line=line, known=known,
                                  reason=row.get("reden", "")))
    return out


# Optional columns of gepubliceerd.csv: a difference the editors know and accept, and why.
_KNOWN_COLUMNS = ["bekend_verschil", "reden"]


def _known_difference(row: dict[str, str], table: Table, line: int, problems: Problems) -> int | None:
    """The accepted difference (published minus computed) of one published total, if recorded."""
    cell, reason = row.get("bekend_verschil", ""), row.get("reden", "")
    if cell == "":
        if reason:
            problems.error(table.display, line, "bekend_verschil", _("a reason is given but no known difference"),
                           _("write the accepted difference (published minus computed) in bekend_verschil, "
                             "or empty the cell reden"))
        return None
    known = parse_amount(cell, table, line, "bekend_verschil", problems)
    if known == 0:
        problems.error(table.display, line, "bekend_verschil", _("a known difference of 0 is no difference"),
                       _("leave the cell empty"))
        return None
    if known is not None and not reason:
        problems.error(table.display, line, "reden", _("a known difference needs a reason"),
                       _("write in reden why the published total differs from its lines"))
    return known


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

    finance = _load_finance(files, source, meta, problems)
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
            .format(label=d.label, year=year_text, published=_euros(d.published), computed=_euros(d.computed),
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
                .format(label=label, year=year_text, amount=_euros(p.amount), difference=_more_less(p.known)),
                _("if that is right, empty the cells bekend_verschil and reden of this row"),
            )
        else:
            problems.warning(
                display, p.line, f"{p.total} {year_text}",
                _("changed difference: the published total '{label}' {year} was known to be "
                  "{known} than its lines, and is now {difference} "
                  "(published {published}, its lines now add up to {computed})")
                .format(label=label, year=year_text, known=_more_less(p.known), difference=_more_less(now.delta),
                        published=_euros(now.published), computed=_euros(now.computed)),
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
    return more_less.format(amount=_euros(abs(delta)))


def _euros(amount: int) -> str:
    """An amount inside a sentence: `€ 0`, not the table style `€ -`."""
    return f"€ {number(amount)}"


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
        problems.error(budget_table.display, 1, "",
                       _("the year columns {years} do not match the period {period} in agenda.yaml")
                       .format(years=", ".join(map(str, years)), period=f"{meta.period[0]}-{meta.period[1]}"))
    for year in years:
        if budget and all(line.amounts.get(year) is None for line in budget):
            problems.warning(budget_table.display, 1, str(year),
                             _("the column {year} has no amounts yet (the documents show its lines and totals "
                               "as '{marker}')").format(year=year, marker=TO_FILL_IN),
                             _("fill in the amounts of {year}; write 0 where a line has none").format(year=year))
    period = f"{meta.period[0]}-{meta.period[1]}" if meta else ""
    # Without agenda.yaml's period the published totals cannot be read; that error is reported already.
    published = _parse_published(published_table, years, friction_years, period, problems) if meta else []
    return Finance(years=years, budget=budget, friction_years=friction_years, friction=friction,
                   published=published)

