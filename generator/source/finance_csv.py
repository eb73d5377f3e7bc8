"""The finance CSV files (begroting, frictiebudget, gepubliceerd) -> the model's budget lines and totals.

Amounts are whole euros written as digits only; anything else (`5.953.678`, `€ 5.953.678`,
`128,838.00`) is an error that says which number was probably meant, never a silent guess.
"""

from __future__ import annotations

import re

from ..errors import Problems, did_you_mean
from ..i18n import _, ngettext
from .finance import TO_FILL_IN, TOTAL_LABELS
from .load import SourceFiles, Table, load_csv
from .model import AgendaMeta, BudgetLine, Finance, FrictionLine, PublishedTotal


def read_finance(files: SourceFiles, meta: AgendaMeta | None, problems: Problems) -> Finance | None:
    """The three finance CSV files of one year; None when one of them cannot be read (reported)."""
    budget_table = load_csv(files.budget, files.root, problems)
    friction_table = load_csv(files.friction, files.root, problems)
    published_table = load_csv(files.published, files.root, problems)
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
