"""The realisation from the financial administration: an export (xlsx or csv, its own ledger codes) ->
amounts per budget line, through the mapping `financien/grootboek.csv` (ledger code -> budget line).

CSV files are read by the build's own reader (`source.load`), so a file `make check` reads is read here
too; a workbook by openpyxl. The header may have title lines above it. How amounts are written (which
character is the decimal one) is decided for the whole column from all its values, never per value.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import Problems, did_you_mean
from ..format import number
from ..i18n import _, ngettext
from ..source.load import csv_rows, delimiter_of, display_path, load_csv, read_text
from ..source.model import Agenda

CODE_COLUMNS = ("grootboek", "grootboekrekening", "grootboekcode", "rekening", "rekeningnummer", "code")
AMOUNT_COLUMNS = ("bedrag", "saldo", "realisatie", "bedrag (eur)", "bedrag eur", "totaal")
DEBIT_COLUMNS = ("debet", "debit")
CREDIT_COLUMNS = ("credit", "krediet")
IGNORE = "negeren"  # a mapping to this word: the ledger code is known and deliberately left out
HEADER_SEARCH = 20  # title lines above the header: looked for in this many first rows
DUTCH, ENGLISH = ",", "."  # the decimal character of the two ways amounts are written

# An amount's digits as one of the two conventions writes them (sign, currency and spaces taken off).
_FORMS = {
    DUTCH: re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?"),
    ENGLISH: re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?"),
}


@dataclass
class Imported:
    """Per (tabel, regel) the realised amount in whole euros, and what was noticed."""

    totals: dict[tuple[str, str], int] = field(default_factory=dict)
    rows_read: int = 0
    subtotals_skipped: int = 0
    ignored: int = 0
    without_realisation: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int  # the line in a CSV file, the row in a workbook
    cells: tuple[Any, ...]


def _bare(value: str) -> tuple[bool, str]:
    """(negative, digits and separators) of an amount typed as text: `-`, `(...)`, `...-`, `€` taken off."""
    text = value.strip().replace("€", "").replace("EUR", "").replace("\xa0", "").replace(" ", "")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.endswith("-"):
        negative, text = True, text[:-1]
    if text.startswith(("-", "+")):
        negative, text = negative ^ (text[0] == "-"), text[1:]
    return negative, text


def _read_as(text: str, decimal: str) -> Decimal | None:
    """An amount's text read with `decimal` as its decimal character; None when it is not written so."""
    negative, digits = _bare(text)
    if not _FORMS[decimal].fullmatch(digits):
        return None
    thousands = "." if decimal == DUTCH else ","
    try:
        amount = Decimal(digits.replace(thousands, "").replace(decimal, "."))
    except InvalidOperation:
        return None
    return -amount if negative else amount


@dataclass(frozen=True)
class AmountFormat:
    """How one column writes its amounts: the decimal character (None: either reads every value alike)."""

    decimal: str | None

    def read(self, value: Any) -> Decimal | None:
        """The amount of one cell; None when the cell holds no amount written this way."""
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return None if value != value else Decimal(str(value))
        return _read_as(str(value), self.decimal or DUTCH)


def amount_format(values: list[tuple[int, Any]], forced: str | None) -> AmountFormat | tuple[str, str]:
    """The column's format from all its values (line, value); or (message, hint) when it cannot be decided.

    Values as numbers (a workbook's number cells) say nothing about it. A text such as '128,838' reads
    as 128.838 or as 128838: when no other value of the column tells which, the column is refused.
    """
    if forced is not None:
        return AmountFormat(forced)
    texts = [(line, str(v)) for line, v in values if isinstance(v, str) and v.strip()]
    fits = {decimal: [(line, t) for line, t in texts if _read_as(t, decimal) is not None] for decimal in _FORMS}
    dutch, english = len(fits[DUTCH]) == len(texts), len(fits[ENGLISH]) == len(texts)
    if dutch and english:
        differ = [(line, t) for line, t in texts if _read_as(t, DUTCH) != _read_as(t, ENGLISH)]
        if not differ:
            return AmountFormat(None)
        line, text = differ[0]
        return (_("the amounts can be read in two ways: '{value}' (line {line}) is {dutch} with a decimal comma, "
                  "or {english} with a comma between thousands; no other amount in the column tells which")
                .format(value=text, line=line, dutch=_decimal_text(_read_as(text, DUTCH)),
                        english=_decimal_text(_read_as(text, ENGLISH))),
                _("export the amounts with their cents (128.838,00 or 128,838.00), or say how they are written "
                  "with --decimaal komma (1.234,56) or --decimaal punt (1,234.56)"))
    if dutch:
        return AmountFormat(DUTCH)
    if english:
        return AmountFormat(ENGLISH)
    only_dutch = [(line, t) for line, t in fits[DUTCH] if _read_as(t, ENGLISH) is None]
    only_english = [(line, t) for line, t in fits[ENGLISH] if _read_as(t, DUTCH) is None]
    if only_dutch and only_english:
        return (_("the column mixes two ways of writing amounts: '{dutch}' (line {dutch_line}) has a decimal "
                  "comma, '{english}' (line {english_line}) a decimal point")
                .format(dutch=only_dutch[0][1], dutch_line=only_dutch[0][0], english=only_english[0][1],
                        english_line=only_english[0][0]),
                _("export the file again from the administration, all amounts in one format"))
    # Each value that fits neither way is reported on its own line; the others decide.
    return AmountFormat(ENGLISH if only_english else DUTCH)


def _decimal_text(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _normal(name: Any) -> str:
    return " ".join(_cell_text(name).lower().split())


def _rows(path: Path, display: str, problems: Problems) -> list[_Row] | None:
    """Every row of an export: a workbook's first sheet, or a CSV file through the build's reader."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
            ws = wb.worksheets[0]
            return [_Row(r, tuple(row)) for r, row in enumerate(ws.iter_rows(values_only=True), start=1)]
        except Exception:  # openpyxl raises many kinds on a damaged file
            problems.error(display, None, "", _("cannot be read as a workbook (damaged, or not an .xlsx file)"),
                           _("export it again as .xlsx or .csv"))
            return None
    text = read_text(path, display, problems)
    if text is None:
        return None
    header = _header_line(text)
    rows = csv_rows(text, display, delimiter_of(header), problems)
    return None if rows is None else [_Row(line, tuple(cells)) for line, cells in rows]


def _header_line(text: str) -> str:
    """The line that holds the header (title lines above it skipped), for its separator."""
    lines = text.split("\n")[:HEADER_SEARCH]
    for line in lines:
        words = set(re.split(r"[,;\t]", line.lower()))
        words = {" ".join(w.strip().strip('"').split()) for w in words}
        if words & set(CODE_COLUMNS) and words & {*AMOUNT_COLUMNS, *DEBIT_COLUMNS, *CREDIT_COLUMNS}:
            return line
    return lines[0] if lines else ""


@dataclass
class _Columns:
    header_row: int  # index in the rows
    code: int
    amount: int | None
    debit: int | None
    credit: int | None
    names: list[str]


def _find_columns(rows: list[_Row], display: str, code_column: str | None, amount_column: str | None,
                  problems: Problems) -> _Columns | None:
    """The header row (the first that names a code and an amount column) and the columns in it."""
    code_wanted = [_normal(code_column)] if code_column else list(CODE_COLUMNS)
    amount_wanted = [_normal(amount_column)] if amount_column else list(AMOUNT_COLUMNS)
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        names = [_normal(c) for c in row.cells]
        code = next((names.index(n) for n in code_wanted if n in names), None)
        amount = next((names.index(n) for n in amount_wanted if n in names), None)
        debit = next((names.index(n) for n in DEBIT_COLUMNS if n in names), None)
        credit = next((names.index(n) for n in CREDIT_COLUMNS if n in names), None)
        if code is not None and (amount is not None or (not amount_column and debit is not None
                                                        and credit is not None)):
            return _Columns(index, code, amount, debit if amount is None else None,
                            credit if amount is None else None, names)
    first = rows[0] if rows else _Row(1, ())
    names = [n for n in (_normal(c) for c in first.cells) if n]
    if code_column or amount_column:
        wanted = code_column if code_column and _normal(code_column) not in names else amount_column
        problems.error(display, first.line, wanted or "", _("there is no column '{column}'").format(column=wanted),
                       did_you_mean(_normal(wanted), names)
                       or _("the columns are: {columns}").format(columns=", ".join(names)))
    else:
        problems.error(display, first.line, "",
                       _("no header with a column for the ledger code (one of: {codes}) and one for the amount "
                         "(one of: {amounts}, or debet and credit) in the first {n} lines")
                       .format(codes=", ".join(CODE_COLUMNS), amounts=", ".join(AMOUNT_COLUMNS), n=HEADER_SEARCH),
                       _("name the columns with --code-kolom and --bedrag-kolom"))
    return None


def load_mapping(path: Path, root: Path, agenda: Agenda, problems: Problems) -> dict[str, tuple[str, str, int]]:
    """`grootboek.csv`: ledger code -> (tabel, regel, sign); every line is checked against the budget."""
    table = load_csv(path, root, problems)
    if table is None:
        return {}
    display = table.display
    for column in ("grootboek", "regel"):
        if column not in table.header:
            problems.error(display, 1, "", _("the column '{column}' is missing").format(column=column),
                           _("the header is: {header}").format(header="grootboek,regel[,tabel][,teken]"))
            return {}
    budget = [line.id for line in agenda.finance.budget]
    friction = [line.id for line in agenda.finance.friction if line.table == "besteding"]
    mapping: dict[str, tuple[str, str, int]] = {}
    for line, row in table.rows:
        code = row["grootboek"]
        regel = row["regel"]
        table_name = row.get("tabel") or "begroting"
        sign_text = row.get("teken") or "+"
        if not code:
            problems.error(display, line, "grootboek", _("the ledger code is empty"))
            continue
        if code in mapping:
            problems.error(display, line, "grootboek", _("ledger code '{code}' is mapped twice").format(code=code),
                           _("keep one row"))
            continue
        if table_name not in ("begroting", "frictie"):
            problems.error(display, line, "tabel", _("'{value}' is not allowed").format(value=table_name),
                           _("use 'begroting' or 'frictie'"))
            continue
        known = budget if table_name == "begroting" else friction
        if regel != IGNORE and regel not in known:
            unknown = (_("unknown budget line '{line}'") if table_name == "begroting"
                       else _("unknown friction line '{line}'"))
            problems.error(display, line, "regel", unknown.format(line=regel), did_you_mean(regel, known)
                           or _("use a 'regel' of the {table}, or '{ignore}' to leave the code out")
                           .format(table=table_name, ignore=IGNORE))
            continue
        if sign_text not in ("+", "-"):
            problems.error(display, line, "teken", _("'{value}' is not a sign").format(value=sign_text),
                           _("'+' takes the amount as it is, '-' turns it round (revenue booked as credit)"))
            continue
        mapping[code] = (table_name, regel, -1 if sign_text == "-" else 1)
    return mapping


def import_export(export: Path, display: str, mapping: dict[str, tuple[str, str, int]], agenda: Agenda,
                  problems: Problems, code_column: str | None = None, amount_column: str | None = None,
                  decimal: str | None = None, target: str = "") -> Imported:
    """Sum the export per budget line; rows without a code or labelled as (sub)totals are skipped."""
    result = Imported()
    rows = _rows(export, display, problems)
    if rows is None:
        return result
    columns = _find_columns(rows, display, code_column, amount_column, problems)
    if columns is None:
        return result
    if columns.header_row:
        problems.note(display, rows[0].line, "",
                      ngettext("{n} line above the header is skipped: {text}",
                               "{n} lines above the header are skipped: {text}", columns.header_row)
                      .format(n=columns.header_row, text=" | ".join(
                          " ".join(_cell_text(c) for c in row.cells if _cell_text(c))
                          for row in rows[:columns.header_row])[:120]))
    body = [row for row in rows[columns.header_row + 1:] if any(_cell_text(c) for c in row.cells)]
    amount_cols = [c for c in (columns.amount, columns.debit, columns.credit) if c is not None]

    def cell(row: _Row, col: int | None) -> Any:
        return row.cells[col] if col is not None and col < len(row.cells) else None

    values = [(row.line, cell(row, c)) for row in body for c in amount_cols]
    fmt = amount_format(values, decimal)
    if isinstance(fmt, tuple):
        problems.error(display, None, columns.names[amount_cols[0]], *fmt)
        return result
    seen: dict[tuple[str, ...], int] = {}
    per_line: dict[tuple[str, str], list[tuple[int, Decimal]]] = {}
    unknown: dict[str, list[int]] = {}
    for row in body:
        code = _cell_text(cell(row, columns.code))
        if not code or "totaal" in code.lower():
            result.subtotals_skipped += int(any(_cell_text(cell(row, c)) for c in amount_cols))
            continue
        result.rows_read += 1
        amount = Decimal(0)
        readable = True
        for col, sign in ((columns.amount, 1), (columns.debit, 1), (columns.credit, -1)):
            raw = cell(row, col)
            if col is None or not _cell_text(raw):
                continue
            value = fmt.read(raw)
            if value is None:
                problems.error(display, row.line, columns.names[col],
                               _("'{value}' is not an amount").format(value=_cell_text(raw)[:40]),
                               _("write amounts as 1.234,56 or -1.234,56"))
                readable = False
                continue
            amount += sign * value
        key = tuple(_cell_text(c) for c in row.cells)
        if key in seen:
            problems.error(display, row.line, "",
                           _("this line is the same as line {line}, cell for cell: it would be counted twice")
                           .format(line=seen[key]),
                           _("delete it if it is a copy; if both bookings are real, make the lines differ (for "
                             "example in the description)"))
            continue
        seen[key] = row.line
        if code not in mapping:
            unknown.setdefault(code, []).append(row.line)
            continue
        if not readable:
            continue
        table, regel, sign = mapping[code]
        if regel == IGNORE:
            result.ignored += 1
            continue
        per_line.setdefault((table, regel), []).append((row.line, amount * sign))
    for code, numbers in unknown.items():
        problems.error(display, numbers[0], columns.names[columns.code],
                       ngettext("ledger code '{code}' has no mapping (line {lines})",
                                "ledger code '{code}' has no mapping (lines {lines})", len(numbers))
                       .format(code=code, lines=", ".join(str(n) for n in numbers[:5])),
                       _("add it to financien/grootboek.csv with its budget line, or '{ignore}'").format(ignore=IGNORE))
    for (table, regel), amounts in per_line.items():
        total = sum((a for _, a in amounts), Decimal(0))
        # Whole euros, half a euro rounded away from zero, as the begroting is written.
        whole = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        result.totals[(table, regel)] = whole
        lines = ", ".join(str(line) for line, _ in amounts[:5]) + (" ..." if len(amounts) > 5 else "")
        if total != whole:
            problems.note(target or display, None, regel,
                          _("the export's lines ({lines}) add up to {total}; written in whole euros as {whole}")
                          .format(lines=lines, total=_decimal_text(total), whole=whole))
        if whole < 0:
            problems.warning(display, amounts[0][0], columns.names[amount_cols[0]],
                             _("the realisation of '{regel}' comes to {amount}, below zero (lines {lines})")
                             .format(regel=regel, amount=number(whole), lines=lines),
                             _("check the sign: a revenue line booked as credit needs '-' in the column teken of "
                               "financien/grootboek.csv"))
    year = agenda.meta.year
    result.without_realisation = [line.id for line in agenda.finance.budget
                                  if line.amounts.get(year) and ("begroting", line.id) not in result.totals]
    return result


def merged_csv(existing: Path, root: Path, header: list[str], column: str, totals: dict[tuple[str, str], int],
               agenda: Agenda, with_table: bool, problems: Problems) -> tuple[str, list[tuple[str, str, str]]]:
    """The new CSV text, keeping the other columns of existing rows; and the changes (regel, old, new).

    The existing file is read by the build's reader (',' or ';', UTF-8 or Windows-1252) and written
    back with the same separator, as UTF-8.
    """
    rows: dict[tuple[str, str], dict[str, str]] = {}
    delimiter = ","
    if existing.exists():
        table = load_csv(existing, root, problems)
        if table is not None:
            text = read_text(existing, display_path(existing, root), Problems()) or ""
            delimiter = ";" if delimiter_of(text.split("\n", 1)[0]) == ";" else ","
            for _line, row in table.rows:
                rows[(row.get("tabel") or "begroting", row.get("regel", ""))] = {k: v or "" for k, v in row.items()}
    changes: list[tuple[str, str, str]] = []
    for key, amount in totals.items():
        blank = {h: "" for h in header} | {"regel": key[1]} | ({"tabel": key[0]} if with_table else {})
        row = rows.setdefault(key, blank)
        old = row.get(column, "")
        if old != str(amount):
            changes.append((key[1] if not with_table else f"{key[0]}/{key[1]}", old, str(amount)))
            row[column] = str(amount)
    order = {("begroting", line.id): i for i, line in enumerate(agenda.finance.budget)}
    order |= {("frictie", line.id): 1000 + i for i, line in enumerate(agenda.finance.friction)}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore", delimiter=delimiter)
    writer.writeheader()
    for key in sorted(rows, key=lambda k: order.get(k, 10_000)):
        writer.writerow(rows[key])
    return out.getvalue(), changes
