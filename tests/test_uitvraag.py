"""The uitvraag round trip: workbooks out, filled, opened and saved by LibreOffice Calc, answers back in.

Example data only (fictitious). One module-wide set of sent workbooks; LibreOffice runs for the
round trip and for the .ods case.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from generator import pipeline
from generator.cli import main
from generator.intake.layout import SHEET_ACTIONS, SHEET_META, STATUSES
from generator.intake.receive import _year
from tests.conftest import EXAMPLES, SOURCE
from tests.test_reports import table_rows

PEIL = "2026-12-31"
STATUS_LABELS = {"niet gestart": "Niet gestart", "op schema": "Op schema",
                 "vraagt aandacht": "Vraagt aandacht (vertraagd)", "afgerond": "Afgerond",
                 "doorgeschoven": "Doorschuiven naar 2027", "vervallen": "Vervallen"}
COL = {"id": 1, "actie": 4, "status": 8, "toelichting": 9, "naar_jaar": 10, "voorstel": 11}


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice Calc is missing in CI: .ci/run must install libreoffice-calc-nogui")
        pytest.skip("LibreOffice is not installed (CI installs it)")
    return found


def _fresh_source(tmp: Path) -> Path:
    source = tmp / "source"
    shutil.copytree(EXAMPLES, source)
    return source


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workbooks of the example source for the peildatum 2026-12-31."""
    tmp = tmp_path_factory.mktemp("sent")
    result = pipeline.uitvraag_maak(_fresh_source(tmp), 2026, pipeline.dt.date(2026, 12, 31), tmp / "out")
    return result.folder


def _rows(ws: Any) -> dict[str, int]:
    return {str(ws.cell(r, 1).value): r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value}


def _fill(src: Path, dst: Path, answers: dict[str, tuple[Any, ...]]) -> None:
    """Type answers as a partner would: status, toelichting, naar jaar, voorstel per action ID."""
    wb = load_workbook(src)
    ws = wb[SHEET_ACTIONS]
    rows = _rows(ws)
    for action_id, values in answers.items():
        for key, value in zip(("status", "toelichting", "naar_jaar", "voorstel"), values, strict=False):
            ws.cell(rows[action_id], COL[key]).value = value
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)


def _ids(sent: Path, partner: str) -> list[str]:
    ws = load_workbook(sent / f"{partner}.xlsx")[SHEET_ACTIONS]
    return list(_rows(ws))


def test_the_workbook_is_what_a_partner_needs(sent: Path) -> None:
    wb = load_workbook(sent / "politie.xlsx")
    assert wb.sheetnames == ["Instructie", SHEET_ACTIONS, SHEET_META]
    ws = wb[SHEET_ACTIONS]
    assert wb[SHEET_META].sheet_state == "hidden"
    assert ws.protection.sheet and not ws.protection.password
    assert wb.security is not None and wb.security.lockStructure and not wb.security.workbookPassword
    assert ws.freeze_panes == "B2" and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert "Politie" in ws.oddHeader.left.text and "31 december 2026" in ws.oddHeader.right.text
    assert "VOORBEELD - fictieve gegevens" in ws.oddHeader.left.text
    [status_dv] = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert status_dv.formula1 == '"' + ",".join(STATUSES) + '"' and status_dv.prompt
    # Only the cells to fill are unlocked.
    assert ws.cell(2, COL["status"]).protection.locked is False
    assert ws.cell(2, COL["actie"]).protection.locked is True
    # The previous peildatum's status is shown (the examples report at 30 June).
    assert ws.cell(1, 6).value == "Status 30 juni 2026"
    meta = {r[0]: r[1] for r in wb[SHEET_META].iter_rows(values_only=True) if r and r[0]}
    assert meta["partner"] == "politie" and meta["peildatum"] == PEIL and meta["jaar"] == "2026"
    assert len(_rows(ws)) == len(pipeline.partner_actions(EXAMPLES, 2026)[[e["id"] for e in pipeline.partner_actions(
        EXAMPLES, 2026)].index("politie")]["actions"])  # type: ignore[arg-type]
    overview = load_workbook(sent / "overzicht.xlsx")
    assert overview.sheetnames == ["Per partner", "Per actie"]


def test_the_instruction_counts_the_actions_in_proper_dutch(sent: Path) -> None:
    counts = {}
    for path in sorted(sent.glob("*.xlsx")):
        if path.stem != "overzicht":
            wb = load_workbook(path)
            counts[path.stem] = n = len(_rows(wb[SHEET_ACTIONS]))
            text = " ".join(" ".join(str(c.value).split()) for row in wb["Instructie"].iter_rows() for c in row
                            if c.value)
            wanted = "hoe de actie ervoor staat" if n == 1 else f"hoe de {n} acties ervoor staan"
            assert wanted in text and "actie(s)" not in text, path.name
    assert 1 in counts.values() and any(n > 1 for n in counts.values()), counts


def test_the_round_trip_through_libreoffice_calc_reaches_the_report(sent: Path, tmp_path: Path) -> None:
    soffice = _soffice()
    source = _fresh_source(tmp_path)
    inbox = pipeline.uitvraag_folder(source, 2026, pipeline.dt.date(2026, 12, 31))
    politie_ids, gemeenten_ids = _ids(sent, "politie"), _ids(sent, "gemeenten")
    # Politie: every action on schedule, the first one delayed; typed with odd case and spaces.
    politie = {i: (" Op  Schema ",) for i in politie_ids}
    politie[politie_ids[0]] = ("Vraagt aandacht", "Capaciteit is tijdelijk ingezet\nop een spoedzaak (fictief).")
    # Gemeenten: all finished; one moves to 2027, its year typed as a date in text.
    gemeenten = {i: ("afgerond",) for i in gemeenten_ids}
    moved = gemeenten_ids[-1]
    gemeenten[moved] = ("doorgeschoven", "Wacht op landelijke wetgeving (fictief).", "1-1-2027",
                        "Uitvoeren in 2027 (fictief).")
    _fill(sent / "politie.xlsx", tmp_path / "filled" / "politie.xlsx", politie)
    _fill(sent / "gemeenten.xlsx", tmp_path / "filled" / "gemeenten.xlsx", gemeenten)
    # The politie sorted its rows (descending) and inserted an empty row, as a partner may.
    wb = load_workbook(tmp_path / "filled" / "politie.xlsx")
    ws = wb[SHEET_ACTIONS]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    values.sort(key=lambda v: str(v[0]), reverse=True)
    for r, row in enumerate(values, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c).value = value
    ws.insert_rows(4)
    inbox.mkdir(parents=True)
    wb.save(inbox / "politie.xlsx")
    # Gemeenten's workbook is opened and saved by LibreOffice Calc, as a partner's program would.
    out = tmp_path / "calc"
    result = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                             str(tmp_path / "filled" / "gemeenten.xlsx")],
                            capture_output=True, text=True, timeout=180, check=False)
    assert (out / "gemeenten.xlsx").exists(), result.stderr
    assert (out / "gemeenten.xlsx").read_bytes() != (tmp_path / "filled" / "gemeenten.xlsx").read_bytes()
    shutil.copy(out / "gemeenten.xlsx", inbox / "gemeenten.xlsx")

    run = CliRunner().invoke(main, ["uitvraag", "verwerk", "--peildatum", PEIL, "--source", str(source)])
    assert run.exit_code == 0, run.output
    assert "Read 2 workbooks: gemeenten.xlsx, politie.xlsx" in run.output
    assert f"Voorstel to the stuurgroep, not yet decided (1): {moved}." in run.output
    assert "record the decision under each 'voorstel:' as 'besluit: {datum: YYYY-MM-DD" in run.output

    # Expected: per action the answer of the partner named first among the two (the documented rule).
    agenda = pipeline.load_all(EXAMPLES, 2026)[0].agenda
    first = {a.id: list(a.partners or s.partners) for _, s, a in agenda.actions()}
    expected: dict[str, dict[str, Any]] = {}
    conflicts = []
    for action_id in dict.fromkeys(politie_ids + gemeenten_ids):
        given = {p: v for p, v in (("politie", politie.get(action_id)), ("gemeenten", gemeenten.get(action_id))) if v}
        lead = min(given, key=first[action_id].index)
        status, *rest = given[lead]
        entry: dict[str, Any] = {"status": " ".join(status.lower().split())}
        if rest:
            entry["toelichting"] = rest[0]  # its line break kept
        if len(rest) > 1:
            # A partner's 'doorgeschoven' is a voorstel: 'vraagt aandacht' until the stuurgroep agrees.
            entry["status"] = "vraagt aandacht"
            entry["voorstel"] = {"wat": "doorschuiven", "waarom": rest[2], "naar_jaar": 2027}
        expected[action_id] = entry
        if len({" ".join(v[0].lower().split()) for v in given.values()}) > 1:
            conflicts.append(action_id)
    target = source / "2026" / "voortgang" / f"{PEIL}.yaml"
    written = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert written["peildatum"] == pipeline.dt.date(2026, 12, 31)
    assert written["acties"] == expected
    assert conflicts, "the example partners share actions: there must be conflicts to report"
    for action_id in conflicts:
        assert f"Conflict {action_id}:" in run.output
    assert target.read_text(encoding="utf-8").startswith("# VOORBEELD - fictieve gegevens.")
    assert "# uitvraag: de partners antwoorden verschillend; het antwoord van " in target.read_text(encoding="utf-8")

    # The file passes `make check` and the report builds as always, before the stuurgroep decided.
    pipeline.check(source, 2026, peildatum=pipeline.dt.date(2026, 12, 31))
    pipeline.build(source, 2026, tmp_path / "docs", ["voortgang"], peildatum=pipeline.dt.date(2026, 12, 31))
    rows, decisions = _report_rows(tmp_path / "docs" / "voortgangsrapportage-2026.docx")
    for action_id, entry in expected.items():
        assert rows[action_id][2].startswith(STATUS_LABELS[entry["status"]]), (action_id, rows[action_id])
        assert entry.get("toelichting", "") in rows[action_id][3]
    assert rows[moved][3].endswith("Voorstel aan de stuurgroep: doorschuiven naar 2027. "
                                   "Besluit stuurgroep: nog niet genomen."), rows[moved]
    assert [d[2:] for d in decisions if d[0] == moved] == [
        ["Doorschuiven naar 2027", "Uitvoeren in 2027 (fictief). Besluit stuurgroep: nog niet genomen."]]
    # Voorstellen agreed at the earlier peildatum (the example file of 30 June) are listed with their besluit.
    earlier = {d[0]: d[2] for d in decisions if d[0] != moved}
    assert earlier.items() >= {"AA-08": "Doorschuiven naar 2027", "S2-06": "Laten vervallen"}.items()
    not_asked = [i for i in rows if i not in expected]
    assert not_asked and all(rows[i][2].startswith("Nog niet gerapporteerd") for i in not_asked)

    # The secretary records the stuurgroep's decision under the voorstel, as the command said.
    text = target.read_text(encoding="utf-8").replace(
        '      waarom: "Uitvoeren in 2027 (fictief)."\n',
        '      waarom: "Uitvoeren in 2027 (fictief)."\n'
        "      besluit: {datum: 2027-01-15, referentie: SG-2027-01 (fictief)}\n")
    assert text.count("besluit:") == 1
    target.write_text(text, encoding="utf-8")
    pipeline.check(source, 2026, peildatum=pipeline.dt.date(2026, 12, 31))

    # The politie resends a correction: only its changed answer is replaced (it was not edited in the file
    # since), and the besluit the secretary wrote stays.
    changed = dict(politie)
    changed[politie_ids[0]] = ("afgerond",)
    _fill(sent / "politie.xlsx", inbox / "politie.xlsx", changed)
    again = CliRunner().invoke(main, ["uitvraag", "verwerk", "--peildatum", PEIL, "--source", str(source)])
    assert again.exit_code == 0, again.output
    after = yaml.safe_load(target.read_text(encoding="utf-8"))["acties"]
    assert after[moved]["voorstel"]["besluit"]["referentie"] == "SG-2027-01 (fictief)"
    assert after[moved]["status"] == "vraagt aandacht"
    assert after[politie_ids[0]] == {"status": "afgerond"}
    assert f"Replaced {politie_ids[0]}: status: vraagt aandacht" in again.output
    assert {k: v for k, v in after.items() if k not in (politie_ids[0], moved)} == {
        k: v for k, v in expected.items() if k not in (politie_ids[0], moved)}


def _report_rows(path: Path) -> tuple[dict[str, list[str]], list[list[str]]]:
    """The report's row per action (ID, action, status, toelichting), and the rows of its decision tables."""
    rows: dict[str, list[str]] = {}
    decisions: list[list[str]] = []
    for row in table_rows(path):
        if row and row[0] and "-" in row[0] and len(row) == 4:
            # A besluitpunten row names the voorstel where the others (the Aandachtspunten and the
            # complete listing, which read the same) name the status.
            if row[2].startswith(("Doorschuiven", "Laten vervallen")):
                decisions.append(row)
            else:
                rows[row[0]] = row
    return rows, decisions


def _set(path: Path, sheet: str, cell: str, value: Any) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def _drop_sheet(path: Path, sheet: str) -> None:
    wb = load_workbook(path)
    del wb[sheet]
    wb.save(path)


def _duplicate_row(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb[SHEET_ACTIONS]
    ws.append([c.value for c in ws[2]])
    ws.cell(ws.max_row, COL["status"]).value = "op schema"
    wb.save(path)


def _encrypt(path: Path) -> None:
    import msoffcrypto.format.ooxml as ooxml

    data = io.BytesIO()
    with path.open("rb") as handle:
        ooxml.OOXMLFile(handle).encrypt("geheim", data)
    path.write_bytes(data.getvalue())


def _first(sent: Path, partner: str = "gemeenten") -> str:
    return _ids(sent, partner)[0]


# (name, file name in the inbox, how to spoil the filled workbook, expected message with {id} for the first action)
CORPUS: list[tuple[str, str, Any, str]] = [
    ("unknown status", "gemeenten.xlsx", lambda p: _set(p, SHEET_ACTIONS, "H2", "klaar"),
     "gemeenten.xlsx: Acties!H2 ({id}): status 'klaar' is not one of: niet gestart, op schema, vraagt aandacht, "
     "afgerond, doorgeschoven, vervallen"),
    ("no toelichting", "gemeenten.xlsx", lambda p: _set(p, SHEET_ACTIONS, "H2", "vraagt aandacht"),
     "gemeenten.xlsx: Acties!I2 ({id}): status 'vraagt aandacht' needs a toelichting"),
    ("naar jaar not a year", "gemeenten.xlsx", lambda p: (_set(p, SHEET_ACTIONS, "H2", "doorgeschoven"),
                                                         _set(p, SHEET_ACTIONS, "I2", "Later (fictief)."),
                                                         _set(p, SHEET_ACTIONS, "K2", "Doorschuiven (fictief)."),
                                                         _set(p, SHEET_ACTIONS, "J2", "volgend jaar")),
     "gemeenten.xlsx: Acties!J2 ({id}): 'volgend jaar' is not a year"),
    ("answer without status", "gemeenten.xlsx", lambda p: (_set(p, SHEET_ACTIONS, "H2", None),
                                                          _set(p, SHEET_ACTIONS, "I2", "Iets (fictief).")),
     "gemeenten.xlsx: Acties!H2 ({id}): there is an answer but no status"),
    ("changed ID", "gemeenten.xlsx", lambda p: _set(p, SHEET_ACTIONS, "A2", "S9-99"),
     "gemeenten.xlsx: Acties!A2 (S9-99): action ID 'S9-99' was not sent in this workbook"),
    ("duplicated row", "gemeenten.xlsx", _duplicate_row,
     "with different answers (keep one row per action)"),
    ("other peildatum", "gemeenten.xlsx", lambda p: _set(p, SHEET_META, "B4", "2026-06-30"),
     "gemeenten.xlsx: uitvraag-gegevens: the workbook was made for peildatum 2026-06-30, not 2026-12-31"),
    ("other year", "gemeenten.xlsx", lambda p: _set(p, SHEET_META, "B5", "2025"),
     "gemeenten.xlsx: uitvraag-gegevens: the workbook was made for the agenda of 2025, not 2026"),
    ("renamed to another partner", "politie.xlsx", lambda p: None,
     "politie.xlsx: the file is named after partner 'politie' but the workbook was made for 'gemeenten'"),
    ("deleted sheet", "gemeenten.xlsx", lambda p: _drop_sheet(p, SHEET_ACTIONS),
     "gemeenten.xlsx: Acties: the sheet 'Acties' is missing (deleted or renamed)"),
    ("deleted hidden sheet", "gemeenten.xlsx", lambda p: _drop_sheet(p, SHEET_META),
     "gemeenten.xlsx: uitvraag-gegevens: the hidden sheet 'uitvraag-gegevens' is missing"),
    ("corrupt file", "gemeenten.xlsx", lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
     "gemeenten.xlsx: is not an Excel workbook, or it is damaged"),
    ("damaged inside", "gemeenten.xlsx", lambda p: _damage_inside(p),
     "gemeenten.xlsx: the workbook is damaged and cannot be read"),
    ("password", "gemeenten.xlsx", _encrypt,
     "gemeenten.xlsx: the workbook is protected with a password to open"),
    # Issue 24: a formula is refused with its text, never reduced to its value (a link's address lost).
    ("formula in an answer", "gemeenten.xlsx",
     lambda p: (_set(p, SHEET_ACTIONS, "H2", "vraagt aandacht"),
                _set(p, SHEET_ACTIONS, "I2", '=HYPERLINK("https://example.org/fictief","zie de site")')),
     "gemeenten.xlsx: Acties!I2 ({id}): the cell holds a formula (=HYPERLINK(\"https://example.org/fictief\","
     "\"zie de site\")), not an answer typed as text (type the text itself; a text that starts with '=' is typed "
     "with an apostrophe in front ('=...))"),
    ("formula as status", "gemeenten.xlsx", lambda p: _set(p, SHEET_ACTIONS, "H2", '="afgerond"'),
     "gemeenten.xlsx: Acties!H2 ({id}): the cell holds a formula (=\"afgerond\"), not an answer typed as text"),
    ("damaged inside, no class name", "gemeenten.xlsx", lambda p: _damage_inside(p),
     "gemeenten.xlsx: the workbook is damaged and cannot be read (open it in Excel or LibreOffice Calc and save "
     "it again as .xlsx, or ask the partner to send it again)"),
]


def _damage_inside(path: Path) -> None:
    """A valid zip whose sheet XML is cut off."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, data[: len(data) // 2] if info.filename.endswith("sheet2.xml") else data)
    path.write_bytes(out.getvalue())


@pytest.mark.parametrize(("name", "filename", "spoil", "message"), CORPUS, ids=[c[0] for c in CORPUS])
def test_bad_workbooks_are_located_and_nothing_is_written(sent: Path, tmp_path: Path, name: str, filename: str,
                                                          spoil: Any, message: str) -> None:
    source = _fresh_source(tmp_path)
    inbox = pipeline.uitvraag_folder(source, 2026, pipeline.dt.date(2026, 12, 31))
    # A good workbook beside the bad one: a bad workbook changes nothing, not even the good answers.
    _fill(sent / "politie.xlsx", inbox / "good" / "politie-antwoord.xlsx",
          {i: ("op schema",) for i in _ids(sent, "politie")})
    bad = inbox / "bad" / filename
    _fill(sent / "gemeenten.xlsx", bad, {i: ("afgerond",) for i in _ids(sent, "gemeenten")})
    spoil(bad)
    run = CliRunner().invoke(main, ["uitvraag", "verwerk", "--peildatum", PEIL, "--source", str(source),
                                    str(inbox / "good" / "politie-antwoord.xlsx"), str(bad)])
    assert run.exit_code == 1, run.output
    assert message.format(id=_first(sent)) in run.output
    assert "Traceback" not in run.output
    assert not (source / "2026" / "voortgang" / f"{PEIL}.yaml").exists()


def test_an_ods_and_an_xls_are_read_through_libreoffice(sent: Path, tmp_path: Path) -> None:
    soffice = _soffice()
    source = _fresh_source(tmp_path)
    politie, gemeenten = _ids(sent, "politie"), _ids(sent, "gemeenten")
    _fill(sent / "politie.xlsx", tmp_path / "politie.xlsx", {i: ("op schema",) for i in politie})
    _fill(sent / "gemeenten.xlsx", tmp_path / "gemeenten.xlsx", {i: ("afgerond",) for i in gemeenten})
    for fmt, name in (("ods", "politie"), ("xls", "gemeenten")):
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", fmt,
                        "--outdir", str(tmp_path / fmt), str(tmp_path / f"{name}.xlsx")],
                       capture_output=True, timeout=180, check=True)
    assert (tmp_path / "xls" / "gemeenten.xls").read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    run = CliRunner().invoke(main, ["uitvraag", "verwerk", "--peildatum", PEIL, "--source", str(source),
                                    str(tmp_path / "ods" / "politie.ods"), str(tmp_path / "xls" / "gemeenten.xls")])
    assert run.exit_code == 0, run.output
    written = yaml.safe_load((source / "2026" / "voortgang" / f"{PEIL}.yaml").read_text(encoding="utf-8"))
    assert set(written["acties"]) == set(politie) | set(gemeenten)
    assert all(written["acties"][i] == {"status": "op schema"} for i in politie if i not in gemeenten)
    assert all(written["acties"][i] == {"status": "afgerond"} for i in gemeenten if i not in politie)


def test_a_changed_action_text_is_flagged(sent: Path, tmp_path: Path) -> None:
    source = _fresh_source(tmp_path)
    ids = _ids(sent, "politie")
    _fill(sent / "politie.xlsx", tmp_path / "politie.xlsx", {i: ("op schema",) for i in ids})
    _set(tmp_path / "politie.xlsx", SHEET_ACTIONS, "D2", "Een andere tekst (fictief).")
    run = CliRunner().invoke(main, ["uitvraag", "verwerk", "--peildatum", PEIL, "--source", str(source),
                                    "--dry-run", str(tmp_path / "politie.xlsx")])
    assert run.exit_code == 0, run.output
    assert f"politie.xlsx: Acties!D2 ({ids[0]}): the partner changed the text of the action" in run.output
    assert "Dry run" in run.output and not (source / "2026" / "voortgang" / f"{PEIL}.yaml").exists()


@pytest.mark.parametrize(("value", "year"), [(2027, 2027), (2027.0, 2027), ("2027", 2027), (" 2027 ", 2027),
                                             ("1-1-2027", 2027), ("2027-01-01", 2027), ("01/03/2027", 2027),
                                             (pipeline.dt.datetime(2027, 1, 1), 2027), ("volgend jaar", None),
                                             (True, None)])
def test_a_year_is_read_however_it_was_typed(value: Any, year: int | None) -> None:
    assert _year(value) == year


def test_pandas_and_openpyxl_stay_off_the_build_path() -> None:
    code = ("import sys; from generator import cli, pipeline; "
            "print(sorted(m for m in ('openpyxl', 'pandas', 'ruamel.yaml') if m in sys.modules))")
    out = subprocess.run([os.sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_same_source_gives_the_same_workbooks(sent: Path, tmp_path: Path) -> None:
    again = pipeline.uitvraag_maak(_fresh_source(tmp_path), 2026, pipeline.dt.date(2026, 12, 31), tmp_path / "out")
    names = sorted(p.name for p in sent.iterdir())
    assert names == sorted(p.name for p in again.folder.iterdir()) and "overzicht.xlsx" in names
    for name in names:
        assert (sent / name).read_bytes() == (again.folder / name).read_bytes(), name


def test_answers_join_an_existing_voortgang_file_keeping_its_comments(tmp_path: Path) -> None:
    source = _fresh_source(tmp_path)
    target = source / "2026" / "voortgang" / "2026-06-30.yaml"
    before = yaml.safe_load(target.read_text(encoding="utf-8"))["acties"]
    sent = pipeline.uitvraag_maak(source, 2026, pipeline.dt.date(2026, 6, 30), tmp_path / "out").folder
    # The partner of an action the example file leaves out on purpose.
    entries = pipeline.partner_actions(source, 2026)
    partner = next(str(e["id"]) for e in entries
                   if any(i not in before for i in e["actions"]) and any(i in before for i in e["actions"]))  # type: ignore[attr-defined]
    ids = _ids(sent, partner)
    _fill(sent / f"{partner}.xlsx", tmp_path / f"{partner}.xlsx", {i: ("op schema",) for i in ids})
    run = CliRunner().invoke(main, ["uitvraag", "verwerk", "--peildatum", "2026-06-30", "--source", str(source),
                                    str(tmp_path / f"{partner}.xlsx")])
    assert run.exit_code == 0, run.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# VOORBEELD - fictieve gegevens. Voortgang per actie op de peildatum 30 juni 2026.\n")
    after = yaml.safe_load(text)["acties"]
    added = [i for i in ids if i not in before]
    assert added and all(after[i] == {"status": "op schema"} for i in added)
    assert {i: after[i] for i in before} == before  # nothing replaced without --overwrite
    kept = [i for i in ids if i in before and before[i] != {"status": "op schema"}]
    assert kept and f"Not overwritten ({len(kept)})" in run.output
    order = [a.id for _, _, a in pipeline.load_all(source, 2026)[0].agenda.actions()]
    assert list(after) == [i for i in order if i in after]  # new entries in agenda order


def test_a_partners_doorgeschoven_or_vervallen_is_a_voorstel_until_the_stuurgroep_agreed(sent: Path,
                                                                                        tmp_path: Path) -> None:
    source = _fresh_source(tmp_path)
    workbook = tmp_path / "riec-bureau.xlsx"
    answers = {
        # Agreed at 30 June (examples): the partner's status stands, with the agreed year.
        "AA-08": ("doorgeschoven", "Het landelijke besluit blijft uit (fictief).", 2027),
        "S2-06": ("vervallen", "Opgegaan in het landelijke programma (fictief)."),
        # New: a voorstel, its reason the voorstel text, or else the toelichting.
        "AA-01": ("vervallen", "Geen partners meer voor deze actie (fictief)."),
        "AA-03": ("doorgeschoven", "Capaciteit ontbreekt (fictief).", "2028", "Uitvoeren in 2028 (fictief)."),
    }
    _fill(sent / "riec-bureau.xlsx", workbook, answers)
    verwerk = ["uitvraag", "verwerk", "--peildatum", PEIL, "--source", str(source), str(workbook)]
    run = CliRunner().invoke(main, verwerk)
    assert run.exit_code == 0, run.output
    assert "Voorstel to the stuurgroep, not yet decided (2): AA-01, AA-03." in run.output
    target = source / "2026" / "voortgang" / f"{PEIL}.yaml"
    written = yaml.safe_load(target.read_text(encoding="utf-8"))["acties"]
    assert written == {
        "AA-01": {"status": "vraagt aandacht", "toelichting": "Geen partners meer voor deze actie (fictief).",
                  "voorstel": {"wat": "vervallen", "waarom": "Geen partners meer voor deze actie (fictief)."}},
        "AA-03": {"status": "vraagt aandacht", "toelichting": "Capaciteit ontbreekt (fictief).",
                  "voorstel": {"wat": "doorschuiven", "waarom": "Uitvoeren in 2028 (fictief).", "naar_jaar": 2028}},
        "AA-08": {"status": "doorgeschoven", "toelichting": "Het landelijke besluit blijft uit (fictief).",
                  "naar_jaar": 2027},
        "S2-06": {"status": "vervallen", "toelichting": "Opgegaan in het landelijke programma (fictief)."},
    }
    check = CliRunner().invoke(main, ["check", "--source", str(source), "--peildatum", PEIL])
    assert check.exit_code == 0, check.output
    assert "0 errors" in check.output

    # After the meeting the secretary records the besluit; the same answers again change nothing.
    text = target.read_text(encoding="utf-8")
    reason = '      waarom: "Geen partners meer voor deze actie (fictief)."\n'
    assert text.count(reason) == 1
    target.write_text(text.replace(reason, reason + "      besluit: {datum: 2027-01-15, referentie: SG-2027-01}\n"),
                      encoding="utf-8")
    decided = target.read_bytes()
    again = CliRunner().invoke(main, verwerk)
    assert again.exit_code == 0, again.output
    assert "Unchanged (4): AA-01, AA-03, AA-08, S2-06" in again.output
    assert "not yet decided (1): AA-03." in again.output
    assert target.read_bytes() == decided

    # The partner changes its mind: --overwrite replaces the answer and says the besluit no longer fits.
    _fill(sent / "riec-bureau.xlsx", workbook, {**answers, "AA-01": ("op schema",)})
    forced = CliRunner().invoke(main, [*verwerk, "--overwrite"])
    assert forced.exit_code == 0, forced.output
    assert "besluit no longer fits the new answer and was left out: AA-01" in forced.output
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["acties"]["AA-01"] == {"status": "op schema"}
    check = CliRunner().invoke(main, ["check", "--source", str(source), "--peildatum", PEIL])
    assert check.exit_code == 0, check.output


def test_a_besluit_recorded_directly_on_the_entry_counts_and_stays_only_while_it_fits() -> None:
    from generator.intake.merge import _keep_secretary_part, _partner_part, entry_of
    from generator.intake.receive import Answer

    old = {"status": "doorgeschoven", "toelichting": "Wacht (fictief).", "naar_jaar": 2027,
           "besluit": {"datum": "2026-07-09", "referentie": "SG-2026-03"}, "resultaat": "Deels (fictief)."}
    again = Answer("politie", "politie.xlsx", 2, "S1-01", "doorgeschoven", "Wacht (fictief).", 2027, None)
    # The older way (a besluit with the status itself) decides too: the same answer is unchanged.
    assert entry_of(again, None, old) == _partner_part(old) == {
        "status": "doorgeschoven", "toelichting": "Wacht (fictief).", "naar_jaar": 2027}
    # Another year is a new voorstel; --overwrite then leaves the old besluit out (and says so), keeps the resultaat.
    later = Answer("politie", "politie.xlsx", 2, "S1-01", "doorgeschoven", "Wacht (fictief).", 2028, None)
    new = entry_of(later, None, old)
    assert new == {"status": "vraagt aandacht", "toelichting": "Wacht (fictief).",
                   "voorstel": {"wat": "doorschuiven", "naar_jaar": 2028, "waarom": "Wacht (fictief)."}}
    assert _keep_secretary_part(new, old) == ({**new, "resultaat": "Deels (fictief)."}, True)
    assert _keep_secretary_part(entry_of(again, None, old), old) == (old, False)


FORMULA_STARTS = ["=", "+", "-", "@", "\t=", "\r="]


def test_no_text_we_write_is_ever_a_formula(tmp_path: Path) -> None:
    """Source texts and earlier answers starting with = + - @ tab CR: text cells in every workbook, and in Calc."""
    source = _fresh_source(tmp_path)
    chapter = source / "2026" / "hoofdstukken" / "spoor-1.yaml"
    text = chapter.read_text(encoding="utf-8")
    assert text.count("      - id: S1-01\n        text: >-\n") == 1
    chapter.write_text(text.replace("      - id: S1-01\n        text: >-\n",
                                    '      - id: S1-01\n        text: >-\n          =HYPERLINK("https://example.org/'
                                    'fictief","klik") ', 1), encoding="utf-8")
    voortgang = source / "2026" / "voortgang" / "2026-06-30.yaml"
    data = yaml.safe_load(voortgang.read_text(encoding="utf-8"))
    entries = pipeline.partner_actions(source, 2026)
    two = [i for e in entries if e["id"] in ("politie", "gemeenten") for i in e["actions"]]  # type: ignore[attr-defined]
    with_s1_01 = next(str(e["id"]) for e in entries if "S1-01" in e["actions"])  # type: ignore[operator]
    with_text = [i for i, e in data["acties"].items() if e.get("toelichting") and i in two][:len(FORMULA_STARTS)]
    assert len(with_text) == len(FORMULA_STARTS)
    lines = voortgang.read_text(encoding="utf-8").split("\n")
    texts: dict[str, str] = {}
    for action_id, start in zip(with_text, FORMULA_STARTS, strict=True):
        at = lines.index(f"  {action_id}:")
        t = next(i for i in range(at, len(lines)) if lines[i].startswith("    toelichting: "))
        texts[action_id] = f"{start}1+1 Tekst van {action_id} (fictief)."
        lines[t] = "    toelichting: " + json.dumps(texts[action_id])
    voortgang.write_text("\n".join(lines), encoding="utf-8")
    sent = pipeline.uitvraag_maak(source, 2026, pipeline.dt.date(2026, 12, 31), tmp_path / "out").folder
    books = sorted(sent.glob("*.xlsx"))
    assert len(books) > 10
    for book in books:
        with zipfile.ZipFile(book) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert not re.search(rb"<f[ >]", archive.read(name)), (book.name, name)
    # What the partner sees: Calc opens the workbooks that hold these texts, and shows (and saves) text.
    holding = sorted({sent / "politie.xlsx", sent / "gemeenten.xlsx", sent / f"{with_s1_01}.xlsx"})
    calc = tmp_path / "calc"
    subprocess.run([_soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(calc), *map(str, holding)],
                   capture_output=True, timeout=300, check=True)
    seen = 0
    for book in holding:
        ws = load_workbook(calc / book.name)[SHEET_ACTIONS]
        for row in ws.iter_rows(min_row=2):
            action_id = str(row[0].value)
            assert all(c.data_type != "f" for c in row), (book.name, action_id)
            if action_id in texts:
                assert row[COL["toelichting"] - 3].value == texts[action_id].strip(), (book.name, action_id)
                seen += 1
            if action_id == "S1-01":
                assert str(row[COL["actie"] - 1].value).startswith('=HYPERLINK("https://example.org/fictief"')
                seen += 1
    assert seen >= len(texts) + 1


def test_only_real_partners_get_a_workbook_and_group_actions_are_listed(sent: Path) -> None:
    agenda = pipeline.load_all(EXAMPLES, 2026)[0].agenda
    groups = {p.id for p in agenda.partners if p.is_group}
    assert {"alle-partners", "betrokken-partners", "riec-bureaus"} <= groups
    assert "gemeenten" not in groups and "politie" not in groups
    names = {p.stem for p in sent.glob("*.xlsx")} - {"overzicht"}
    assert names and not names & groups
    per_action = {r[0]: r[1] for r in load_workbook(sent / "overzicht.xlsx")["Per actie"].iter_rows(
        min_row=2, values_only=True)}
    only_groups = [a.id for _, s, a in agenda.actions() if all(r in groups for r in a.partners or s.partners)]
    for action_id in only_groups:
        assert str(per_action[action_id]).startswith("(alleen groepen: "), per_action[action_id]


def test_files_in_the_folder_that_are_not_read_are_listed(sent: Path, tmp_path: Path) -> None:
    source = _fresh_source(tmp_path)
    inbox = pipeline.uitvraag_folder(source, 2026, pipeline.dt.date(2026, 12, 31))
    _fill(sent / "politie.xlsx", inbox / "politie.xlsx", {i: ("op schema",) for i in _ids(sent, "politie")})
    _fill(sent / "gemeenten.xlsx", inbox / "later" / "gemeenten.xlsx",
          {i: ("afgerond",) for i in _ids(sent, "gemeenten")})
    (inbox / "om.csv").write_text("ID;Status\n", encoding="utf-8")
    (inbox / "~$politie.xlsx").write_bytes(b"lock")
    run = CliRunner().invoke(main, ["uitvraag", "verwerk", "--peildatum", PEIL, "--source", str(source)])
    assert run.exit_code == 0, run.output
    assert "Read 1 workbook: politie.xlsx" in run.output
    assert f"{inbox / 'later'}: not read: a folder: workbooks in a folder inside this one are not read" in run.output
    assert (f"{inbox / 'om.csv'}: not read: not a workbook (.csv); a workbook saved as .csv or .pdf has lost its "
            "hidden sheet") in run.output
    assert f"{inbox / '~$politie.xlsx'}: not read: a lock file" in run.output
    assert "verwerkt.yaml" not in run.output


def test_the_instruction_sheet_shows_all_its_text_in_libreoffice(sent: Path, tmp_path: Path) -> None:
    """Row heights fit the wrapped text: Calc's PDF of the instruction sheet holds every word of it."""
    book = tmp_path / "politie.xlsx"
    wb = load_workbook(sent / "politie.xlsx")
    for name in wb.sheetnames[1:]:
        del wb[name]  # the instruction sheet alone
    wb.save(book)
    subprocess.run([_soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(book)], capture_output=True, timeout=180, check=True)
    shown = subprocess.run(["pdftotext", "-layout", str(tmp_path / "politie.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout
    flat = " ".join(shown.split())
    lines = [str(c.value) for c in wb["Instructie"]["A"] if c.value]
    assert len(lines) > 8 and all(len(line) <= 70 for line in lines)
    assert " ".join(" ".join(lines).split()) in flat


def _answer_for(action_id: str, partner: str, index: int) -> tuple[Any, ...]:
    """What a partner answers (fictitious): the status is the action's, the toelichting the partner's own."""
    status = ("op schema", "vraagt aandacht", "afgerond", "niet gestart")[index % 4]
    if status in ("op schema", "afgerond") and index % 3:
        return (status,)
    return (status, f"Toelichting van {partner} over {action_id} (fictief).\nTwee punten:\n- eerste punt\n"
                    f"- tweede punt, met een = erin")


def test_a_whole_round_through_calc_with_a_correction_keeps_every_answer_and_every_edit(tmp_path: Path) -> None:
    """Issue 24, done when: every workbook of the real source filled, re-saved by Calc as .xlsx, .ods and
    .xls, processed; one partner corrects, the secretary edited; processed again; the report shows it all."""
    soffice = _soffice()
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    peil = pipeline.dt.date(2026, 6, 30)
    sent = pipeline.uitvraag_maak(source, 2026, peil, tmp_path / "out")
    agenda = pipeline.load_all(source, 2026)[0].agenda
    order = {a.id: i for i, (_, _, a) in enumerate(agenda.actions())}
    lead_order = {a.id: list(a.partners or s.partners) for _, s, a in agenda.actions()}
    assert len(sent.workbooks) > 25
    filled = tmp_path / "filled"
    answers: dict[str, dict[str, tuple[Any, ...]]] = {}
    for name, ids in sent.workbooks.items():
        partner = name.removesuffix(".xlsx")
        answers[partner] = {i: _answer_for(i, partner, order[i]) for i in ids}
        _fill(sent.folder / name, filled / name, answers[partner])
    # Half saved by Calc as .xlsx, a quarter each as .ods and as .xls (one LibreOffice run per format; the
    # import converts the .ods and .xls files once more, so fewer of them keep the test's time down).
    names = sorted(sent.workbooks)
    inbox = pipeline.uitvraag_folder(source, 2026, peil)
    inbox.mkdir(parents=True)
    for fmt, group in (("xlsx:Calc MS Excel 2007 XML", names[0::2]), ("ods", names[1::4]),
                       ("xls", names[3::4])):
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", fmt,
                        "--outdir", str(inbox), *(str(filled / n) for n in group)],
                       capture_output=True, timeout=300, check=True)
    assert len(list(inbox.iterdir())) == len(names)

    def expected() -> dict[str, dict[str, Any]]:
        """Per action the answer of the partner named first among those who answered (the documented rule)."""
        out: dict[str, dict[str, Any]] = {}
        for action_id in sorted({i for a in answers.values() for i in a}, key=order.__getitem__):
            given = {p: a[action_id] for p, a in answers.items() if action_id in a}
            status, *rest = given[min(given, key=lead_order[action_id].index)]
            out[action_id] = {"status": status, **({"toelichting": rest[0]} if rest else {})}
        return out

    verwerk = ["uitvraag", "verwerk", "--peildatum", "2026-06-30", "--source", str(source)]
    first = CliRunner().invoke(main, verwerk)
    assert first.exit_code == 0, first.output
    assert f"Read {len(names)} workbooks" in first.output and "Conflict" not in first.output
    target = source / "2026" / "voortgang" / "2026-06-30.yaml"
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["acties"] == expected()
    text = target.read_text(encoding="utf-8")
    assert "    toelichting: |-\n" in text and "uitvraag: andere toelichting bij dezelfde status:" in text

    # The secretary fixes two toelichtingen in the file; then one partner corrects its workbook: one answer
    # the secretary did not touch, and one she did (that one is kept as she left it, the new answer shown).
    partner = max(answers, key=lambda p: sum(min(
        [q for q in answers if i in answers[q]], key=lead_order[i].index) == p for i in answers[p]))
    led = [i for i in answers[partner] if min([q for q in answers if i in answers[q]],
                                              key=lead_order[i].index) == partner]
    untouched, both = led[0], led[1]
    other = next(i for i in expected() if i not in answers[partner] and "toelichting" in expected()[i])
    edits = {other: "Door het secretariaat verbeterd (fictief).", both: "Ook verbeterd (fictief)."}
    data = yaml.safe_load(text)
    for action_id, new_text in edits.items():
        data["acties"][action_id]["toelichting"] = new_text
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    answers[partner] = {**answers[partner], untouched: ("vraagt aandacht", "Gecorrigeerd (fictief).\nTweede regel."),
                        both: ("afgerond", "Toch klaar (fictief).")}
    resent = next(p for p in inbox.iterdir() if p.stem == partner)
    resent.unlink()
    _fill(sent.folder / f"{partner}.xlsx", inbox / f"{partner}.xlsx", answers[partner])
    # Only the corrected workbook is processed now: the others count as they were read the first time.
    second = CliRunner().invoke(main, [*verwerk, str(inbox / f"{partner}.xlsx")])
    assert second.exit_code == 0, second.output
    assert f"Replaced {untouched}:" in second.output and f"Replaced {both}:" not in second.output
    assert f"Changed both by the partner and in {target.name} since the last import, {both} is kept" in second.output
    wanted = expected()
    for action_id, new_text in edits.items():
        wanted[action_id] = {**data["acties"][action_id], "toelichting": new_text}
    after = yaml.safe_load(target.read_text(encoding="utf-8"))["acties"]
    assert after == wanted
    assert "nieuw antwoord van " + partner in target.read_text(encoding="utf-8")

    # The report shows every toelichting with its line breaks, in Word and on the site.
    pipeline.build(source, 2026, tmp_path / "docs", ["voortgang"], peildatum=peil)
    rows, _ = _report_rows(tmp_path / "docs" / "voortgangsrapportage-2026.docx")
    for action_id, entry in wanted.items():
        assert entry.get("toelichting", "") in rows[action_id][3], action_id
    _, written, _ = pipeline.html(source, 2026, tmp_path / "site", peildatum=peil)
    page = next(p for p in written if p.name == "voortgangsrapportage-2026.html").read_text(encoding="utf-8")
    assert "Gecorrigeerd (fictief).<br>\nTweede regel." in page



def test_conflicts_are_counted_by_status_and_another_toelichting_is_kept_beside() -> None:
    from generator.intake.merge import _choose
    from generator.intake.receive import Answer

    def answer(partner: str, status: str, toelichting: str | None) -> Answer:
        return Answer(partner, f"{partner}.xlsx", 2, "S1-01", status, toelichting, None, None)

    lead, same, other = (answer("politie", "vraagt aandacht", "Vertraagd (fictief)."),
                         answer("gemeenten", "vraagt aandacht", "Wacht op kaders (fictief)."),
                         answer("om", "afgerond", None))
    chosen, conflicts, beside = _choose([other, same, lead], ["politie", "gemeenten", "om"])
    assert (chosen, conflicts, beside) == (lead, [other], [same])
    assert _choose([same, lead], ["politie", "gemeenten"]) == (lead, [], [same])


@pytest.mark.parametrize("command", [["uitvraag", "verwerk"], ["uitvraag", "maak"],
                                     ["financien", "importeer", "export.csv"]])
def test_a_wrong_peildatum_is_said_in_dutch_without_a_format_code(command: list[str]) -> None:
    run = CliRunner().invoke(main, ["--lang", "nl", *command, "--peildatum", "2026-13-01"])
    assert run.exit_code == 1 and "'2026-13-01' is geen datum; schrijf die als JJJJ-MM-DD" in run.output, run.output
    assert "%Y" not in run.output
