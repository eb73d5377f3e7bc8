"""The realisation from the financial administration: an export (xlsx or csv, its own ledger codes) ->
amounts per budget line, through the mapping `financien/grootboek.csv` (ledger code -> budget line).

pandas reads, maps and aggregates; it is imported here only, never on the path of `make agenda`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import Problems, did_you_mean
from ..i18n import _, ngettext
from ..source.model import Agenda

CODE_COLUMNS = ("grootboek", "grootboekrekening", "grootboekcode", "rekening", "rekeningnummer", "code")
AMOUNT_COLUMNS = ("bedrag", "saldo", "realisatie", "bedrag (eur)", "bedrag eur", "totaal")
IGNORE = "negeren"  # a mapping to this word: the ledger code is known and deliberately left out


@dataclass
class Imported:
    """Per (tabel, regel) the realised amount in whole euros, and what was noticed."""

    totals: dict[tuple[str, str], int] = field(default_factory=dict)
    rows_read: int = 0
    subtotals_skipped: int = 0
    ignored: int = 0
    without_realisation: list[str] = field(default_factory=list)


def parse_dutch_amount(value: Any) -> Decimal | None:
    """`1.234,56`, `-1.234,56`, `(1.234,56)`, `1.234,56-`, `€ 1.234`, 1234.56 -> Decimal; None if not an amount."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if value != value else Decimal(str(value))  # NaN is no amount
    text = str(value).strip().replace("€", "").replace("\xa0", "").replace(" ", "")
    if not text:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.endswith("-"):
        negative, text = True, text[:-1]
    if text.startswith(("-", "+")):
        negative, text = negative ^ (text[0] == "-"), text[1:]
    if "," in text:
        text = text.replace(".", "").replace(",", ".")  # Dutch: dots group thousands, the comma is decimal
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")  # 1.234.567 without decimals
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return -amount if negative else amount


def _read_table(path: Path, display: str, problems: Problems) -> pd.DataFrame | None:
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=object, header=0)
        else:
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1252")  # Excel on Windows saves CSV in this encoding
            frame = pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=str, keep_default_na=False)
    except Exception as exc:  # pandas raises many kinds on a bad file; the user gets the reason
        problems.error(display, None, "", _("cannot be read as a table ({detail})")
                       .format(detail=f"{type(exc).__name__}: {exc}"), _("export it again as .xlsx or .csv"))
        return None
    frame.columns = [" ".join(str(c).lower().split()) for c in frame.columns]
    return frame


def _column(frame: pd.DataFrame, wanted: str | None, candidates: tuple[str, ...], what: str, display: str,
            problems: Problems) -> str | None:
    names = list(frame.columns)
    if wanted:
        key = " ".join(wanted.lower().split())
        if key in names:
            return key
        problems.error(display, 1, wanted, _("there is no column '{column}'").format(column=wanted),
                       did_you_mean(key, names) or _("the columns are: {columns}").format(columns=", ".join(names)))
        return None
    for candidate in candidates:
        if candidate in names:
            return candidate
    message = (_("no column with the ledger code (looked for: {columns})") if what == "ledger code"
               else _("no column with the amount (looked for: {columns})"))
    problems.error(display, 1, "", message.format(columns=", ".join(candidates)),
                   _("name the column with {option}").format(
                       option="--code-kolom" if what == "ledger code" else "--bedrag-kolom"))
    return None


def load_mapping(path: Path, display: str, agenda: Agenda, problems: Problems) -> dict[str, tuple[str, str, int]]:
    """`grootboek.csv`: ledger code -> (tabel, regel, sign); every line is checked against the budget."""
    frame = _read_table(path, display, problems)
    if frame is None:
        return {}
    for column in ("grootboek", "regel"):
        if column not in frame.columns:
            problems.error(display, 1, "", _("the column '{column}' is missing").format(column=column),
                           _("the header is: {header}").format(header="grootboek,regel[,tabel][,teken]"))
            return {}
    budget = [line.id for line in agenda.finance.budget]
    friction = [line.id for line in agenda.finance.friction if line.table == "besteding"]
    mapping: dict[str, tuple[str, str, int]] = {}
    for i, row in frame.iterrows():
        line = int(str(i)) + 2  # the header is line 1
        code = str(row["grootboek"]).strip()
        regel = str(row["regel"]).strip()
        table = str(row.get("tabel", "") or "begroting").strip() or "begroting"
        sign_text = str(row.get("teken", "") or "+").strip() or "+"
        if not code:
            problems.error(display, line, "grootboek", _("the ledger code is empty"))
            continue
        if code in mapping:
            problems.error(display, line, "grootboek", _("ledger code '{code}' is mapped twice").format(code=code),
                           _("keep one row"))
            continue
        if table not in ("begroting", "frictie"):
            problems.error(display, line, "tabel", _("'{value}' is not allowed").format(value=table),
                           _("use 'begroting' or 'frictie'"))
            continue
        known = budget if table == "begroting" else friction
        if regel != IGNORE and regel not in known:
            unknown = (_("unknown budget line '{line}'") if table == "begroting"
                       else _("unknown friction line '{line}'"))
            problems.error(display, line, "regel", unknown.format(line=regel), did_you_mean(regel, known)
                           or _("use a 'regel' of the {table}, or '{ignore}' to leave the code out")
                           .format(table=table, ignore=IGNORE))
            continue
        if sign_text not in ("+", "-"):
            problems.error(display, line, "teken", _("'{value}' is not a sign").format(value=sign_text),
                           _("'+' takes the amount as it is, '-' turns it round (revenue booked as credit)"))
            continue
        mapping[code] = (table, regel, -1 if sign_text == "-" else 1)
    return mapping


def import_export(export: Path, display: str, mapping: dict[str, tuple[str, str, int]], agenda: Agenda,
                  problems: Problems, code_column: str | None = None,
                  amount_column: str | None = None) -> Imported:
    """Sum the export per budget line; rows without a code or labelled as (sub)totals are skipped."""
    result = Imported()
    frame = _read_table(export, display, problems)
    if frame is None:
        return result
    code_col = _column(frame, code_column, CODE_COLUMNS, "ledger code", display, problems)
    amount_col = _column(frame, amount_column, AMOUNT_COLUMNS, "amount", display, problems)
    if code_col is None or amount_col is None:
        return result
    frame = frame.astype({code_col: object})
    frame["_line"] = range(2, len(frame) + 2)
    frame["_code"] = frame[code_col].map(_code)
    frame["_amount"] = frame[amount_col].map(parse_dutch_amount)
    is_total = frame["_code"].str.contains("totaal", case=False) | frame["_code"].eq("")
    result.subtotals_skipped = int((is_total & frame["_amount"].notna()).sum())
    rows = frame[~is_total]
    result.rows_read = len(rows)
    for __, row in rows[rows["_amount"].isna()].iterrows():
        problems.error(display, int(row["_line"]), amount_col,
                       _("'{value}' is not an amount").format(value=row[amount_col]),
                       _("write amounts as 1.234,56 or -1.234,56"))
    unknown = rows[~rows["_code"].isin(list(mapping))]
    for code, group in unknown.groupby("_code", sort=False):
        numbers = group["_line"].tolist()
        lines = ", ".join(str(n) for n in numbers[:5])
        problems.error(display, int(group["_line"].iloc[0]), code_col,
                       ngettext("ledger code '{code}' has no mapping (line {lines})",
                                "ledger code '{code}' has no mapping (lines {lines})", len(numbers))
                       .format(code=code, lines=lines),
                       _("add it to financien/grootboek.csv with its budget line, or '{ignore}'").format(ignore=IGNORE))
    mapped = rows[rows["_code"].isin(list(mapping)) & rows["_amount"].notna()].copy()
    mapped["_table"] = mapped["_code"].map(lambda c: mapping[c][0])
    mapped["_regel"] = mapped["_code"].map(lambda c: mapping[c][1])
    mapped["_signed"] = [a * mapping[c][2] for a, c in zip(mapped["_amount"], mapped["_code"], strict=True)]
    result.ignored = int((mapped["_regel"] == IGNORE).sum())
    mapped = mapped[mapped["_regel"] != IGNORE]
    sums = mapped.groupby(["_table", "_regel"], sort=False)["_signed"].sum()
    for (table, regel), total in sums.items():
        # Whole euros, half a euro rounded away from zero, as the begroting is written.
        result.totals[(str(table), str(regel))] = int(Decimal(total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    year = agenda.meta.year
    result.without_realisation = [line.id for line in agenda.finance.budget
                                  if line.amounts.get(year) and ("begroting", line.id) not in result.totals]
    return result


def _code(value: Any) -> str:
    """A ledger code as text: Excel stores 4010 as the number 4010.0."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def merged_csv(existing: Path, header: list[str], column: str, totals: dict[tuple[str, str], int], agenda: Agenda,
               with_table: bool) -> tuple[str, list[tuple[str, str, str]]]:
    """The new CSV text, keeping the other columns of existing rows; and the changes (regel, old, new)."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    if existing.exists():
        with existing.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                rows[(row.get("tabel") or "begroting", row["regel"])] = {k: v or "" for k, v in row.items()}
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
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for key in sorted(rows, key=lambda k: order.get(k, 10_000)):
        writer.writerow(rows[key])
    return out.getvalue(), changes
