"""The sending side of the uitvraag: one Excel workbook per partner with the actions it is involved in.

openpyxl is imported here only, and this module only by `uitvraag` commands, so `make agenda` never
loads it.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import zipfile
from copy import copy
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..content.context import FICTITIOUS_NOTICE, partner_index, partners_line
from ..content.years import fill_years
from ..format import date as dutch_date
from ..render.write import fixed_time, normalise_docx
from ..source.model import Agenda, Voortgang
from .layout import (
    COLUMNS,
    FILL_COLUMNS,
    FORMAT_VERSION,
    SHEET_ACTIONS,
    SHEET_INSTRUCTIONS,
    SHEET_META,
    STATUS_EXPLAINED,
    STATUSES,
    action_hash,
    action_text,
    source_version,
)

WIDTHS = {"id": 10, "hoofdstuk": 18, "sectie": 18, "actie": 60, "partners": 22, "vorige_status": 14,
          "vorige_toelichting": 30, "status": 17, "toelichting": 45, "naar_jaar": 12, "voorstel": 35}
HEADER_FILL = PatternFill("solid", fgColor="003A70")  # the house dark blue; white text on it is 11.4:1
INPUT_FILL = PatternFill("solid", fgColor="FFF6CC")  # light yellow: the cells to fill (also said in words)
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
INSTRUCTION_WIDTH = 80  # fits A4 portrait unscaled (Calc cut a wider column off at the margin)
INSTRUCTION_CHARS = 68  # characters per line of the instruction sheet: room to spare in any font


@dataclass(frozen=True)
class Previous:
    """The progress of the previous peildatum, shown beside each action."""

    peildatum: dt.date
    voortgang: Voortgang


def make_workbooks(agenda: Agenda, peildatum: dt.date, previous: Previous | None,
                   fictitious: bool) -> dict[str, bytes]:
    """`<partner-id>.xlsx` for every partner with actions, and `overzicht.xlsx`; all in memory."""
    actions = {a.id: (c, s, a) for c, s, a in agenda.actions()}
    version = source_version(agenda)
    files: dict[str, bytes] = {}
    overview: list[tuple[str, str, list[str]]] = []
    for entry in asked_partners(agenda):
        ids: list[str] = list(entry["actions"])
        overview.append((entry["id"], entry["name"], ids))
        wb = _workbook(agenda, entry["id"], entry["name"], [actions[i] for i in ids], peildatum, previous,
                       version, fictitious)
        files[f"{entry['id']}.xlsx"] = _save(wb)
    files["overzicht.xlsx"] = _save(_overview(agenda, overview, peildatum, fictitious))
    return files


# A text starting with one of these is read as a formula (or the start of one) by a spreadsheet program
# that is given it to evaluate: it must stay text (OWASP "CSV injection", here in our own workbooks).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(wb: Workbook) -> None:
    """Every cell holding text is a text cell, never a formula, whatever the text starts with.

    openpyxl stores a string starting with '=' as a formula; a source text or a partner's earlier
    toelichting may start with one. The quote prefix keeps it text when a partner edits the cell too.
    """
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True


def asked_partners(agenda: Agenda) -> list[dict]:
    """The partners that get a workbook: every one with actions that is not a group ('alle partners')."""
    return [entry for entry in partner_index(agenda)
            if entry["actions"] and not agenda.partners_by_id[entry["id"]].is_group]


def _save(wb: Workbook) -> bytes:
    as_text(wb)
    # Fixed properties and zip time stamps: the same source gives the same bytes.
    wb.properties.creator = "RIEC Den Haag - uitvraag"
    wb.properties.created = wb.properties.modified = fixed_time()
    wb.properties.lastModifiedBy = None
    buffer = io.BytesIO()
    # ExcelWriter rather than wb.save(), which stamps the current time as 'modified'.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return normalise_docx(buffer.getvalue())


def _workbook(agenda: Agenda, partner_id: str, partner_name: str, rows: list, peildatum: dt.date,
              previous: Previous | None, version: str, fictitious: bool) -> Workbook:
    wb = Workbook()
    intro = wb.active
    assert intro is not None
    intro.title = SHEET_INSTRUCTIONS
    ws = wb.create_sheet(SHEET_ACTIONS)
    meta = wb.create_sheet(SHEET_META)
    year = agenda.meta.year
    _instructions(intro, partner_name, peildatum, year, len(rows), previous, fictitious)
    _actions_sheet(agenda, ws, partner_name, rows, peildatum, previous, fictitious)
    meta.append(["formaat", FORMAT_VERSION])
    meta.append(["partner", partner_id])
    meta.append(["partner_naam", partner_name])
    # Written as text, not as a date cell: a spreadsheet program cannot reformat it to its locale.
    meta.append(["peildatum", peildatum.isoformat()])
    meta.append(["jaar", str(year)])
    meta.append(["agenda_versie", agenda.meta.version])
    meta.append(["bronversie", version])
    meta.append([])
    meta.append(["actie", "tekst-hash"])
    for _, _, action in rows:
        meta.append([action.id, action_hash(action_text(action))])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    wb.active = 1  # open on the actions; the instruction sheet is the first tab
    # No sheet can be deleted, renamed or unhidden by accident (no password: Review > Protect Workbook lifts it).
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def _instructions(ws: Worksheet, partner_name: str, peildatum: dt.date, year: int, count: int,
                  previous: Previous | None, fictitious: bool) -> None:
    lines = [
        f"Uitvraag voortgang Uitvoeringsagenda {year} – peildatum {dutch_date(peildatum)}",
        f"Voor: {partner_name}",
        "",
        ("Het RIEC-bureau vraagt u hoe de actie ervoor staat waarbij u betrokken bent. " if count == 1 else
         f"Het RIEC-bureau vraagt u hoe de {count} acties ervoor staan waarbij u betrokken bent. ")
        + "Vul op het tabblad 'Acties' per actie de gele kolommen in:",
        "• Status (kies): kies uit de lijst. " + "; ".join(f"{s}: {t}" for s, t in STATUS_EXPLAINED.items()) + ".",
        "• Toelichting: verplicht, behalve bij 'op schema' en 'afgerond'. Schrijf zo dat een lezer van de "
        "voortgangsrapportage het begrijpt.",
        f"• Naar jaar: alleen bij 'doorgeschoven', het jaar waarin de actie verder gaat (bijvoorbeeld {year + 1}).",
        "• Voorstel aan de stuurgroep: bij 'doorgeschoven' of 'vervallen', waarom de stuurgroep hiermee zou moeten "
        "instemmen (leeg: de toelichting geldt als reden). Alleen de stuurgroep besluit: tot dan staat de actie "
        "in de voortgangsrapportage als 'vraagt aandacht', met uw voorstel. Het RIEC-bureau legt het besluit vast.",
        "",
        "De overige kolommen (de actie, de partners"
        + (f", de status van {dutch_date(previous.peildatum)}" if previous else "")
        + ") zijn ter informatie en beveiligd zonder wachtwoord. Wilt u iets aan de tekst van een actie "
        "veranderen, schrijf dat dan in de toelichting.",
        "Laat het verborgen tabblad, de ID's en de bestandsnaam ongewijzigd; u mag rijen sorteren en "
        "de kolombreedte aanpassen.",
        "Bewaar het bestand als Excel-werkmap (.xlsx), zonder wachtwoord, en stuur het terug naar het RIEC-bureau.",
    ]
    if fictitious:
        lines.insert(0, FICTITIOUS_NOTICE)
    # Each line of text in a row of its own, wrapped here: a wrapped cell's height is not grown by Excel or
    # Calc when they open a file, and Calc cut off the ends of wrapped lines when it printed them.
    for i, line in enumerate(lines):
        title = i == 0
        parts = textwrap.wrap(line, INSTRUCTION_CHARS * 11 // 14 if title else INSTRUCTION_CHARS,
                              subsequent_indent="  " if line.startswith("•") else "") or [""]
        for part in parts:
            ws.append([part])
            if title:
                ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)
                ws.row_dimensions[ws.max_row].height = 21
    ws.column_dimensions["A"].width = INSTRUCTION_WIDTH
    ws.protection.sheet = True
    _page_setup(ws, partner_name, peildatum, fictitious, landscape=False)


def _actions_sheet(agenda: Agenda, ws: Worksheet, partner_name: str, rows: list, peildatum: dt.date,
                   previous: Previous | None, fictitious: bool) -> None:
    year = agenda.meta.year
    headers = [header for _, header in COLUMNS]
    if previous:
        prev_label = dutch_date(previous.peildatum)
        headers[5] = f"Status {prev_label}"
        headers[6] = f"Toelichting {prev_label}"
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = WRAP_TOP
        cell.border = BORDER
    reports = previous.voortgang.acties if previous else {}
    for chapter, section, action in rows:
        report = reports.get(action.id)
        refs = action.partners or section.partners
        wording = action.partners_wording if action.partners else section.partners_wording
        year = agenda.meta.year  # the texts' year placeholders print as the documents print them
        ws.append([
            action.id,
            fill_years(chapter.short_title or chapter.title, year),
            fill_years(section.title or "", year),
            fill_years(action_text(action), year),
            partners_line(agenda, refs, wording) if refs or wording else "",
            report.status if report else ("nog niet gerapporteerd" if previous else ""),
            (report.toelichting or "") if report else "",
            None, None, None, None,
        ])
    n = len(rows) + 1
    fill_index = {key: i + 1 for i, (key, _) in enumerate(COLUMNS)}
    fill_cols = {fill_index[key] for key in FILL_COLUMNS}
    if n >= 2:
        # Style the first row's cells, then copy their style records: assigning style objects cell by
        # cell makes openpyxl hash them every time, which took most of the time of `uitvraag maak`.
        for cell in ws[2]:
            cell.alignment = WRAP_TOP
            cell.border = BORDER
            if cell.column in fill_cols:
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
        prototypes = [cell._style for cell in ws[2]]
        for row in ws.iter_rows(min_row=3, max_row=n):
            for cell, style in zip(row, prototypes, strict=True):
                cell._style = copy(style)
    for r in range(1, n + 1):
        ws.row_dimensions[r].height = _row_height([str(c.value or "") for c in ws[r]],
                                                  [WIDTHS[key] for key, _ in COLUMNS])
    for i, (key, _) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS[key]
    status_col = get_column_letter(fill_index["status"])
    year_col = get_column_letter(fill_index["naar_jaar"])
    # Excel limits an input message to 255 characters: the statuses in short, the instruction sheet in full.
    status_dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                               showInputMessage=True, showErrorMessage=True, errorStyle="stop",
                               promptTitle="Status", errorTitle="Onbekende status",
                               prompt="niet gestart; op schema; vraagt aandacht (toelichting); afgerond; "
                                      "doorgeschoven (naar jaar + voorstel); vervallen (voorstel). "
                                      "Zie het tabblad Instructie.",
                               error="Kies een status uit de lijst.")
    status_dv.add(f"{status_col}2:{status_col}{n}")
    year_dv = DataValidation(type="whole", operator="between", formula1=str(year + 1), formula2=str(year + 10),
                             allow_blank=True, showInputMessage=True, showErrorMessage=True,
                             promptTitle="Naar jaar", prompt=f"Alleen bij 'doorgeschoven': het jaar, bijv. {year + 1}.",
                             errorTitle="Ongeldig jaar", error=f"Vul een jaar in van {year + 1} tot {year + 10}.")
    year_dv.add(f"{year_col}2:{year_col}{n}")
    ws.add_data_validation(status_dv)
    ws.add_data_validation(year_dv)
    ws.freeze_panes = "B2"
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{n}"
    ws.protection.sheet = True
    # Protection guards against slips, not against intent: partners may still sort, filter and resize.
    ws.protection.sort = False
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _page_setup(ws, partner_name, peildatum, fictitious, landscape=True)


def _row_height(texts: list[str], widths: list[int], size: int = 11) -> float:
    """A row height that shows all wrapped text: spreadsheet programs do not grow rows of a file they open.

    Counted by words, as the programs wrap, with a width per character on the safe side (Calc's
    Liberation Sans is a little wider than Excel's Calibri), so no line is cut off in either.
    """
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        per_line = max(1, int(width * 0.95 * 11 / size))  # characters per line of a column this wide
        lines = max(lines, sum(_wrapped_lines(part, per_line) for part in text.split("\n")))
    return min(409.0, round(1.4 * size * lines + 4, 1))  # 409 points is Excel's highest row


def _wrapped_lines(text: str, per_line: int) -> int:
    """How many lines a text takes when wrapped at word boundaries to `per_line` characters."""
    lines, used = 1, 0
    for word in text.split(" "):
        length = len(word)
        if used and used + 1 + length > per_line:
            lines, used = lines + 1, 0
        used = used + 1 + length if used else length
        while used > per_line:  # a word longer than a line is broken
            lines, used = lines + 1, used - per_line
    return lines


def _page_setup(ws: Worksheet, partner_name: str, peildatum: dt.date, fictitious: bool, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    notice = f"{FICTITIOUS_NOTICE} – " if fictitious else ""
    # '&' starts a code in Excel's header syntax, so a partner name with '&' is written as '&&'.
    ws.oddHeader.left.text = f"{notice}Uitvraag voortgang – {partner_name}".replace("&", "&&")
    ws.oddHeader.right.text = f"Peildatum {dutch_date(peildatum)}"
    ws.oddFooter.left.text = "RIEC Den Haag"
    ws.oddFooter.right.text = "Pagina &P van &N"


def _overview(agenda: Agenda, entries: list[tuple[str, str, list[str]]], peildatum: dt.date,
              fictitious: bool) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Per partner"
    ws.append(["Partner-ID", "Partner", "Bestand", "Aantal acties", "Acties"])
    for partner_id, name, ids in entries:
        ws.append([partner_id, name, f"{partner_id}.xlsx", len(ids), ", ".join(ids)])
    per_action = wb.create_sheet("Per actie")
    per_action.append(["ID", "Partners die deze actie kregen"])
    got: dict[str, list[str]] = {}
    for _, name, ids in entries:
        for action_id in ids:
            got.setdefault(action_id, []).append(name)
    for _, section, action in agenda.actions():
        groups = [agenda.partners_by_id[ref].name for ref in action.partners or section.partners]
        nobody = ("(alleen groepen: " + ", ".join(groups) + "; niet uitgevraagd)" if groups
                  else "(geen partner: niet uitgevraagd)")
        per_action.append([action.id, ", ".join(got.get(action.id, [])) or nobody])
    for sheet, widths in ((ws, [24, 30, 28, 14, 100]), (per_action, [10, 100])):
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        for cell in sheet[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = WRAP_TOP
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"
        _page_setup(sheet, "overzicht", peildatum, fictitious, landscape=True)
    return wb
