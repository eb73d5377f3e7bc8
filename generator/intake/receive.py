"""The receiving side of the uitvraag: returned workbooks -> validated answers, every problem located.

A problem names the workbook, the sheet and the cell: `gemeenten.xlsx: Acties!H14 (S1-03): status 'klaar'
is not one of: ...`. Workbooks that Excel or LibreOffice Calc opened and saved are read as well; .xls and
.ods files are converted to .xlsx by LibreOffice first.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import Problems, UserError, did_you_mean
from ..i18n import _, ngettext
from ..source.load import MAX_PART_BYTES, TooLarge, oversized_part, read_bytes
from ..source.model import Agenda
from .layout import (
    FORMAT_VERSION,
    SHEET_ACTIONS,
    SHEET_META,
    STATUS_NEEDS_BESLUIT,
    STATUS_WITHOUT_TOELICHTING,
    STATUSES,
    action_hash,
    action_text,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and every password-protected Office file
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True)
class Answer:
    """One partner's answer about one action."""

    partner: str
    workbook: str
    row: int
    action_id: str
    status: str
    toelichting: str | None
    naar_jaar: int | None
    voorstel: str | None

    @property
    def key(self) -> tuple[str, str | None, int | None, str | None]:
        return (self.status, self.toelichting, self.naar_jaar, self.voorstel)

    def describe(self) -> str:
        """`'vraagt aandacht', toelichting '...'` for messages and YAML comments."""
        parts = [f"status '{self.status}'"]
        if self.toelichting:
            parts.append(f"toelichting '{self.toelichting}'")
        if self.naar_jaar:
            parts.append(f"naar jaar {self.naar_jaar}")
        if self.voorstel:
            parts.append(f"voorstel '{self.voorstel}'")
        return ", ".join(parts)


@dataclass
class Returned:
    """What one returned workbook holds."""

    partner: str
    display: str
    answers: dict[str, Answer] = field(default_factory=dict)
    unanswered: list[str] = field(default_factory=list)


STATE_FILE = "verwerkt.yaml"  # what the last `uitvraag verwerk` took from the workbooks (merge.py)


def find_workbooks(folder: Path, problems: Problems) -> list[Path]:
    """Every workbook a secretary saved in FOLDER; every other file there is named with why it is not read."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        reason = None
        if path.name == STATE_FILE:
            continue
        if path.name.startswith(("~$", ".~lock")):
            reason = _("a lock file Excel or LibreOffice keeps while a workbook is open; close the workbook "
                       "and delete this file")
        elif path.is_dir():
            reason = _("a folder: workbooks in a folder inside this one are not read; move them up into {folder}"
                       ).format(folder=folder)
        elif path.name.startswith("."):
            reason = _("a hidden file")
        elif not path.is_file():
            reason = _("not an ordinary file")
        elif path.suffix.lower() not in SUFFIXES:
            reason = _("not a workbook ({suffix}); a workbook saved as .csv or .pdf has lost its hidden sheet: "
                       "ask the partner for the workbook itself (.xlsx, .xls or .ods)").format(
                           suffix=path.suffix or _("no extension"))
        if reason is None:
            found.append(path)
        else:
            problems.note(str(path), None, "", _("not read: {reason}").format(reason=reason))
    return found


def read_workbooks(paths: list[Path], agenda: Agenda, peildatum: dt.date, problems: Problems) -> list[Returned]:
    """Read and validate every returned workbook; problems are collected, never raised one by one."""
    opened = _open_all(paths, problems)
    known_partners = [p.id for p in agenda.partners]
    result: list[Returned] = []
    seen: dict[str, str] = {}
    for path, wb in opened:
        try:
            returned = _read(path.name, wb, agenda, peildatum, problems)
        except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError):
            # Read-only workbooks parse their sheets only now, so a damaged sheet shows up here.
            _damaged(path.name, problems)
            continue
        if returned is None:
            continue
        stem = path.stem.strip().lower()
        if stem != returned.partner and stem in known_partners:
            problems.error(path.name, None, "",
                           _("the file is named after partner '{name}' but the workbook was made for "
                             "'{partner}' (its hidden sheet says so)").format(name=stem, partner=returned.partner),
                           _("rename it to '{file}', or ask '{name}' for its own workbook")
                           .format(file=f"{returned.partner}{path.suffix}", name=stem))
            continue
        if returned.partner in seen:
            problems.error(path.name, None, "",
                           _("a second workbook of partner '{partner}' (the first is {first})")
                           .format(partner=returned.partner, first=seen[returned.partner]),
                           _("keep one of the two in the folder"))
            continue
        seen[returned.partner] = path.name
        result.append(returned)
    return result


def _open_all(paths: list[Path], problems: Problems) -> list[tuple[Path, Any]]:
    """Open every file; .xls and .ods go through one LibreOffice conversion."""
    opened: list[tuple[Path, Any]] = []
    to_convert: list[Path] = []
    for path in paths:
        try:
            data = read_bytes(path, MAX_PART_BYTES)
        except TooLarge:
            problems.error(path.name, None, "", _("the file is larger than {size} MB, more than any returned workbook")
                           .format(size=MAX_PART_BYTES // (1024 * 1024)),
                           _("ask the partner to send the workbook that was sent to them, filled in"))
            continue
        except OSError as exc:
            problems.error(path.name, None, "", _("cannot be read: {reason}").format(reason=exc.strerror or exc))
            continue
        if data.startswith(OLE_MAGIC):
            if ENCRYPTED_MARK in data:
                problems.error(path.name, None, "", _("the workbook is protected with a password to open"),
                               _("ask the partner to save it without a password (Excel: File > Info > Protect "
                                 "Workbook > Encrypt with Password, empty the password) and send it again"))
                continue
            to_convert.append(path)  # an old Excel 97-2003 .xls
            continue
        if not zipfile.is_zipfile(io.BytesIO(data)):
            problems.error(path.name, None, "", _("is not an Excel workbook, or it is damaged"),
                           _("open it in Excel or LibreOffice Calc and save it as 'Excel Workbook (.xlsx)'; "
                             "if it does not open, ask the partner to send it again"))
            continue
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            too_large = oversized_part(archive)
        if too_large is not None:
            problems.error(path.name, None, "", _("the part {part} of this workbook is larger than {size} MB, more "
                                                  "than any returned workbook").format(
                               part=too_large, size=MAX_PART_BYTES // (1024 * 1024)),
                           _("ask the partner to send the workbook that was sent to them, filled in"))
            continue
        if "mimetype" in names and "content.xml" in names:
            to_convert.append(path)  # OpenDocument (.ods)
            continue
        wb = _load(path.name, data, problems)
        if wb is not None:
            opened.append((path, wb))
    if to_convert:
        for path, data in _convert(to_convert, problems).items():
            wb = _load(path.name, data, problems)
            if wb is not None:
                opened.append((path, wb))
    return opened


def _load(display: str, data: bytes, problems: Problems) -> Any:
    try:
        # Not data_only: a formula is read as a formula (and refused where an answer is read), never
        # reduced to the value a program last computed for it, which would lose, say, a link's address.
        # read_only: streamed, without building style objects (several times faster).
        return load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file (KeyError, BadZipFile, XML errors)
        _damaged(display, problems)
        return None


def _damaged(display: str, problems: Problems) -> None:
    problems.error(display, None, "", _("the workbook is damaged and cannot be read"),
                   _("open it in Excel or LibreOffice Calc and save it again as .xlsx, or ask the partner "
                     "to send it again"))


def _soffice() -> str | None:
    return os.environ.get("RIEC_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def _convert(paths: list[Path], problems: Problems) -> dict[Path, bytes]:
    """.xls/.ods -> .xlsx bytes, by one headless LibreOffice run with its own profile."""
    soffice = _soffice()
    if soffice is None:
        for path in paths:
            problems.error(path.name, None, "",
                           _("a {kind} file needs LibreOffice to be read, and LibreOffice is not installed")
                           .format(kind=path.suffix or _("non-.xlsx")),
                           _("open it in Excel or Calc and save it as 'Excel Workbook (.xlsx)', or install "
                             "LibreOffice (README: PDF)"))
        return {}
    out: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="riec-uitvraag-") as tmp:
        work = Path(tmp)
        inputs = []
        for i, path in enumerate(paths):
            # Copies under plain names: LibreOffice names its output after the input file.
            copy = work / f"in{i}{path.suffix.lower() if path.suffix.lower() in ('.xls', '.ods') else '.xls'}"
            shutil.copyfile(path, copy)
            inputs.append(copy)
        cmd = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "xlsx", "--outdir", str(work / "out"), *map(str, inputs)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UserError(_("LibreOffice could not convert {files}: {detail}")
                            .format(files=", ".join(p.name for p in paths), detail=exc)) from None
        for i, path in enumerate(paths):
            converted = work / "out" / f"in{i}.xlsx"
            if converted.is_file():
                out[path] = converted.read_bytes()
            else:
                problems.error(path.name, None, "", _("LibreOffice could not read this file (damaged?)"),
                               _("open it in Excel or Calc and save it as 'Excel Workbook (.xlsx)'"))
    return out


def _text(value: Any) -> str | None:
    """A cell's text, trimmed; None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\xa0", " ").strip()
    return text or None


def _meta(wb: Any, display: str, problems: Problems) -> tuple[dict[str, Any], dict[str, str]] | None:
    if SHEET_META not in wb.sheetnames:
        problems.error(display, None, SHEET_META,
                       _("the hidden sheet '{sheet}' is missing, so this is not a returned uitvraag workbook "
                         "(or its contents were copied into a new workbook)").format(sheet=SHEET_META),
                       _("ask the partner to fill in the workbook that was sent, or send a new one (make uitvraag)"))
        return None
    ws = wb[SHEET_META]
    values: dict[str, Any] = {}
    hashes: dict[str, str] = {}
    in_actions = False
    for row in _grid(ws):
        key, value = [*row, None, None][:2]
        if key is None:
            continue
        if key == "actie":
            in_actions = True
        elif in_actions:
            hashes[str(key)] = str(value)
        else:
            values[str(key)] = value
    if values.get("formaat") != FORMAT_VERSION or "partner" not in values:
        problems.error(display, None, SHEET_META, _("the hidden sheet '{sheet}' was changed").format(sheet=SHEET_META),
                       _("ask the partner to fill in the workbook that was sent, or send a new one (make uitvraag)"))
        return None
    return values, hashes


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula: its text, never its computed value, is what the import sees."""

    text: str

    def __str__(self) -> str:
        return self.text


def _grid(ws: Any) -> list[tuple[Any, ...]]:
    """Every row's values, a formula as `Formula`. Some programs write a wrong used range, so it is not trusted."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    return [tuple(Formula(str(getattr(c.value, "text", None) or c.value)) if c.data_type == "f" else c.value
                  for c in row) for row in ws.iter_rows()]


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _read(display: str, wb: Any, agenda: Agenda, peildatum: dt.date, problems: Problems) -> Returned | None:
    meta = _meta(wb, display, problems)
    if meta is None:
        return None
    values, hashes = meta
    partner = str(values["partner"])
    year = agenda.meta.year
    ok = True
    if partner not in agenda.partners_by_id:
        problems.error(display, None, SHEET_META,
                       _("the workbook was made for partner '{partner}', who is not in partners.yaml")
                       .format(partner=partner), did_you_mean(partner, agenda.partners_by_id)
                       or _("add the partner to partners.yaml, or ask which partner sent it"))
        ok = False
    sent_date = _as_date(values.get("peildatum"))
    if sent_date != peildatum:
        problems.error(display, None, SHEET_META,
                       _("the workbook was made for peildatum {made_for}, not {peildatum}")
                       .format(made_for=values.get("peildatum"), peildatum=peildatum.isoformat()),
                       _("process it with its own --peildatum, or send the partner the workbook of {peildatum}")
                       .format(peildatum=peildatum.isoformat()))
        ok = False
    if str(values.get("jaar")).strip() != str(year):
        problems.error(display, None, SHEET_META,
                       _("the workbook was made for the agenda of {made_for}, not {year}")
                       .format(made_for=values.get("jaar"), year=year),
                       _("process it with --year {made_for}").format(made_for=values.get("jaar")))
        ok = False
    if SHEET_ACTIONS not in wb.sheetnames:
        problems.error(display, None, SHEET_ACTIONS,
                       _("the sheet '{sheet}' is missing (deleted or renamed)").format(sheet=SHEET_ACTIONS),
                       _("ask the partner to keep the sheet '{sheet}'; its answers are on it")
                       .format(sheet=SHEET_ACTIONS))
        return None
    if not ok:
        return None
    returned = Returned(partner=partner, display=display)
    _read_actions(wb[SHEET_ACTIONS], display, agenda, hashes, returned, problems)
    return returned


def _columns(grid: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    """(header row, column per key), found by header text so a moved column is still read."""
    tests = {
        "id": lambda h: h == "id",
        "actie": lambda h: h == "actie",
        "status": lambda h: h.startswith("status (kies"),
        "toelichting": lambda h: h == "toelichting",
        "naar_jaar": lambda h: h.startswith("naar jaar"),
        "voorstel": lambda h: h.startswith("voorstel"),
    }
    for r, row in enumerate(grid[:10], start=1):
        headers = [" ".join(str(v).lower().split()) if v is not None else "" for v in row]
        found = {key: headers.index(h) + 1 for key, test in tests.items() for h in headers if h and test(h)}
        if "id" in found and "status" in found:
            return r, found
    return None


def _cell(grid: list[tuple[Any, ...]], row: int, col: int | None) -> Any:
    """The value at (row, col), counting from 1; None outside the filled area."""
    if not col or row > len(grid):
        return None
    values = grid[row - 1]
    return values[col - 1] if col <= len(values) else None


def _read_actions(ws: Worksheet, display: str, agenda: Agenda, hashes: dict[str, str], returned: Returned,
                  problems: Problems) -> None:
    from openpyxl.utils import get_column_letter

    grid = _grid(ws)
    located = _columns(grid)
    if located is None:
        problems.error(display, None, SHEET_ACTIONS, _("the header row with 'ID' and 'Status (kies)' is missing"),
                       _("ask the partner to keep the first row of the sheet as it was sent"))
        return
    header_row, cols = located
    missing_cols = [k for k in ("actie", "toelichting", "naar_jaar", "voorstel") if k not in cols]
    if missing_cols:
        problems.error(display, None, f"{SHEET_ACTIONS}!{header_row}",
                       ngettext("the column {columns} is missing from the header row",
                                "the columns {columns} are missing from the header row", len(missing_cols))
                       .format(columns=", ".join(missing_cols)),
                       _("ask the partner to keep the columns as they were sent"))
        return
    actions = {a.id: a for _, _, a in agenda.actions()}
    year = agenda.meta.year
    first_row: dict[str, tuple[int, Answer | None]] = {}

    def ref(key: str, r: int) -> str:
        return f"{SHEET_ACTIONS}!{get_column_letter(cols[key])}{r}"

    for r in range(header_row + 1, len(grid) + 1):
        raw = {key: _cell(grid, r, c) for key, c in cols.items()}
        filled = {k: _text(raw[k]) for k in ("status", "toelichting", "naar_jaar", "voorstel")}
        action_id = (_text(raw["id"]) or "").upper()
        if not action_id:
            if any(filled.values()):
                problems.error(display, None, ref("id", r), _("an answer without an action ID (the ID was deleted?)"),
                               _("put back the ID of the action this row answers"))
            continue  # an empty row a partner inserted
        where = f"{ref('id', r)} ({action_id})"
        if action_id not in hashes:
            hint = did_you_mean(action_id, hashes) or _("the IDs in this workbook are: {ids}").format(
                ids=", ".join(hashes))
            problems.error(display, None, where,
                           _("action ID '{action}' was not sent in this workbook").format(action=action_id), hint)
            continue
        formulas = [key for key in ("status", "toelichting", "naar_jaar", "voorstel") if isinstance(raw[key], Formula)]
        for key in formulas:
            problems.error(display, None, f"{ref(key, r)} ({action_id})",
                           _("the cell holds a formula ({formula}), not an answer typed as text")
                           .format(formula=str(raw[key])[:80]),
                           _("type the text itself; a text that starts with '=' is typed with an apostrophe "
                             "in front ('=...)"))
        if formulas:
            continue
        for key in ("toelichting", "voorstel"):
            if filled[key] and CONTROL.search(filled[key] or ""):
                problems.error(display, None, f"{ref(key, r)} ({action_id})",
                               _("the text holds an invisible control character"), _("retype the text"))
                filled[key] = None
        answer = _answer(display, r, action_id, filled, raw, ref, year, returned.partner, problems)
        if action_id in first_row:
            earlier_row, earlier = first_row[action_id]
            if earlier is not None and answer is not None and earlier.key == answer.key:
                problems.warning(display, None, where,
                                 _("the action is listed twice (also in row {row}), with the same answer")
                                 .format(row=earlier_row), _("the answer is taken once"))
            else:
                problems.error(display, None, where,
                               _("the action is listed twice (also in row {row}) with different answers")
                               .format(row=earlier_row), _("keep one row per action"))
                returned.answers.pop(action_id, None)
            continue
        first_row[action_id] = (r, answer)
        text_cell = _text(_cell(grid, r, cols["actie"]))
        if text_cell and action_hash(text_cell) != hashes[action_id]:
            problems.warning(display, None, f"{ref('actie', r)} ({action_id})",
                             _("the partner changed the text of the action in the workbook; such changes are not "
                               "taken over"), _("if the text should change, edit it in hoofdstukken/*.yaml"))
        current = actions.get(action_id)
        if current is None:
            problems.warning(display, None, where,
                             _("action {action} is no longer in the agenda; its answer is left out")
                             .format(action=action_id), "")
            continue
        if action_hash(action_text(current)) != hashes[action_id]:
            problems.warning(display, None, where,
                             _("the text of this action changed in the source since the workbook was sent"),
                             _("check that the partner's answer still fits the new text"))
        if answer is None:
            if not any(filled.values()):
                returned.unanswered.append(action_id)
            continue
        returned.answers[action_id] = answer
    for action_id in hashes:
        if action_id not in first_row:
            problems.warning(display, None, SHEET_ACTIONS,
                             _("the row of action {action} is missing (deleted?); it counts as not answered")
                             .format(action=action_id), "")
            returned.unanswered.append(action_id)


def _answer(display: str, r: int, action_id: str, filled: dict[str, str | None],
            raw: dict[str, Any], ref: Any, year: int, partner: str, problems: Problems) -> Answer | None:
    """The answer of one row, or None when it is empty or wrong (problems added)."""
    if not any(filled.values()):
        return None
    status_text = filled["status"]
    if status_text is None:
        problems.error(display, None, f"{ref('status', r)} ({action_id})", _("there is an answer but no status"),
                       _("choose a status: {statuses}").format(statuses=", ".join(STATUSES)))
        return None
    status = " ".join(status_text.lower().split())
    if status not in STATUSES:
        problems.error(display, None, f"{ref('status', r)} ({action_id})",
                       _("status '{status}' is not one of: {statuses}").format(status=status_text,
                                                                              statuses=", ".join(STATUSES)),
                       did_you_mean(status, STATUSES) or _("choose one from the list in the cell"))
        return None
    ok = True
    toelichting = filled["toelichting"]
    if status not in STATUS_WITHOUT_TOELICHTING and not toelichting:
        problems.error(display, None, f"{ref('toelichting', r)} ({action_id})",
                       _("status '{status}' needs a toelichting").format(status=status),
                       _("only 'op schema' and 'afgerond' can go without"))
        ok = False
    naar_jaar: int | None = None
    if filled["naar_jaar"] is not None:
        naar_jaar = _year(raw["naar_jaar"])
        if naar_jaar is None:
            problems.error(display, None, f"{ref('naar_jaar', r)} ({action_id})",
                           _("'{value}' is not a year").format(value=filled["naar_jaar"]),
                           _("write the year, e.g. {year}").format(year=year + 1))
            ok = False
        elif status != "doorgeschoven":
            problems.error(display, None, f"{ref('naar_jaar', r)} ({action_id})",
                           _("'naar jaar' is only used with status 'doorgeschoven', not '{status}'")
                           .format(status=status), _("empty the cell or change the status"))
            ok = False
        elif naar_jaar <= year:
            problems.error(display, None, f"{ref('naar_jaar', r)} ({action_id})",
                           _("an action of {year} cannot move to {to_year}").format(year=year, to_year=naar_jaar),
                           _("use a later year, e.g. {year}").format(year=year + 1))
            ok = False
    elif status == "doorgeschoven":
        problems.error(display, None, f"{ref('naar_jaar', r)} ({action_id})",
                       _("status 'doorgeschoven' needs the year the action moves to"),
                       _("e.g. {year}").format(year=year + 1))
        ok = False
    # With 'doorgeschoven' or 'vervallen' the voorstel text says why; left empty, the toelichting (required) does.
    voorstel = filled["voorstel"]
    if voorstel and status not in STATUS_NEEDS_BESLUIT:
        problems.error(display, None, f"{ref('voorstel', r)} ({action_id})",
                       _("a voorstel is only made with status 'doorgeschoven' or 'vervallen', not '{status}'")
                       .format(status=status), _("move the text to the toelichting"))
        ok = False
    if not ok:
        return None
    # A line break typed in a cell (Alt+Enter) is kept, and so are the lines of a short list.
    toelichting = keep_lines(toelichting) if toelichting else None
    voorstel = keep_lines(voorstel) if voorstel else None
    return Answer(partner, display, r, action_id, status, toelichting, naar_jaar, voorstel)


def keep_lines(text: str) -> str:
    """A typed text with its lines kept: spaces within each line evened out, at most one empty line in a row."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


def _year(value: Any) -> int | None:
    """A year typed as a number, as text, or as a date (also a date typed as text: '1-1-2027')."""
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.date):
        return value.year
    if isinstance(value, int | float) and float(value).is_integer() and 1900 < value < 2200:
        return int(value)
    text = str(value).strip()
    found = re.fullmatch(r"(\d{4})|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](\d{4})", text)
    if found is None:
        return None
    digits = found.group(1) or found.group(2) or text[:4]
    return int(digits)
