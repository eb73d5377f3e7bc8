"""Files as Excel and Windows editors save them build the same documents, byte for byte.

`tests/fixtures/excel/` holds the finance CSV files as Dutch Excel's "CSV (gescheiden door
lijstscheidingsteken)" writes them (';', Windows-1252, CRLF), made by LibreOffice Calc
(`make_fixtures.sh`). The other variants are derived from them or from the real source:
Excel's "CSV UTF-8" (byte-order mark), and YAML saved by Windows Notepad (BOM, CRLF).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import FILES, REPORTS, ROOT, SOURCE

FIXTURES = ROOT / "tests" / "fixtures" / "excel"
CSVS = ["begroting.csv", "frictiebudget.csv", "gepubliceerd.csv"]
NOTE = ("source/2026/financien/frictiebudget.csv: read as Windows-1252 (how Excel saves 'CSV (gescheiden "
        "door lijstscheidingsteken)'); this is fine (to read it as UTF-8 instead, save it as 'CSV UTF-8 "
        "(door komma's gescheiden)')")


def _excel_1252(source: Path) -> None:
    for name in CSVS:
        shutil.copyfile(FIXTURES / name, source / "2026" / "financien" / name)


def _excel_utf8(source: Path) -> None:
    """Dutch Excel's 'CSV UTF-8': the list separator ';', a byte-order mark, CRLF."""
    for name in CSVS:
        text = (FIXTURES / name).read_bytes().decode("cp1252")
        (source / "2026" / "financien" / name).write_bytes(text.encode("utf-8-sig"))


def _comma_bom_crlf(source: Path) -> None:
    """Comma-separated with a byte-order mark and CRLF (Excel in English, other spreadsheets)."""
    for name in CSVS:
        path = source / "2026" / "financien" / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))


def _notepad_yaml(source: Path) -> None:
    """Every YAML file as Windows Notepad saves it: UTF-8 with a byte-order mark, CRLF."""
    for path in source.rglob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))


VARIANTS: dict[str, Callable[[Path], None]] = {
    "excel-utf8-bom-semicolon": _excel_utf8,
    "comma-bom-crlf": _comma_bom_crlf,
    "notepad-yaml-bom-crlf": _notepad_yaml,
}


def test_fixtures_are_what_dutch_excel_writes() -> None:
    for name in CSVS:
        data = (FIXTURES / name).read_bytes()
        first = data.split(b"\r\n", 1)[0]
        assert b";" in first and b"," not in first, name
        assert data.count(b"\r\n") == data.count(b"\n"), name
    assert "cocaïne".encode("cp1252") in (FIXTURES / "frictiebudget.csv").read_bytes()


def _same_documents(out: Path, reference: dict[str, Path]) -> None:
    for kind in REPORTS:
        assert (out / FILES[kind]).read_bytes() == reference[kind].read_bytes(), (
            f"{FILES[kind]} differs; if source/2026/financien/*.csv changed, run "
            "tests/fixtures/excel/make_fixtures.sh")


def test_make_all_reads_dutch_excel_csv(tmp_path: Path, real_docs: dict[str, Path]) -> None:
    """`make all` on ';' / Windows-1252 / CRLF files: the same documents, and the encoding said once."""
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    _excel_1252(source)
    out = tmp_path / "output"
    env = {**os.environ, "MAKEFLAGS": ""}
    result = subprocess.run(["make", "--no-print-directory", "all", f"SOURCE={source}", f"OUT={out}"],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    _same_documents(out, real_docs)
    notes = [line for line in result.stderr.splitlines() if "Windows-1252" in line]
    assert len(notes) == 1, result.stderr
    assert notes[0].strip().endswith(NOTE.split(": ", 1)[1])


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_build_reads_files_as_windows_saves_them(variant: str, tmp_path: Path, real_docs: dict[str, Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SOURCE, tmp_path / "source")
    VARIANTS[variant](tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--year", "2026", "--source", "source", "--output", "output"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == "0 errors, 0 warnings, 1 note"  # the known differences only
    _same_documents(tmp_path / "output", real_docs)


def test_check_says_the_windows_encoding_once_as_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SOURCE, tmp_path / "source")
    _excel_1252(tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--strict"])
    assert result.exit_code == 0, result.output  # a note is no warning: --strict passes
    lines = result.stderr.splitlines()
    assert lines.count(f"  {NOTE}") == 1
    assert lines[-1] == "0 errors, 0 warnings, 2 notes"  # the encoding and the known differences


def test_excel_trailing_empty_rows_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(SOURCE, tmp_path / "source")
    budget = tmp_path / "source" / "2026" / "financien" / "begroting.csv"
    budget.write_bytes(budget.read_bytes() + b",,,,,,\n,,,,,,\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "empty row" not in result.stderr
