"""Every input is bounded before it is read, and every character is kept or reported (issue 25)."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.intake.layout import action_text
from generator.source.validate import cell_length, load_agenda
from tests.conftest import ROOT, SOURCE

CHAPTER = Path("2026") / "hoofdstukken" / "spoor-1.yaml"


def run(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["--lang", "en", *args])
    assert "Traceback" not in result.output
    return result.exit_code, [line.strip() for line in result.stderr.splitlines()]


# --- sizes ----------------------------------------------------------------------------------


def test_a_sparse_chapter_file_of_two_gigabytes_is_refused_at_once(source_copy: Path) -> None:
    chapter = source_copy / CHAPTER
    os.truncate(chapter, 2 * 1024**3)  # costs no disk space; reading it would take 2 GiB of memory
    start = time.monotonic()
    code, lines = run("check", "--source", str(source_copy))
    assert code == 1
    assert any(line.endswith("spoor-1.yaml: the file is larger than 32 MB, more than any source file (check that "
                              "this is the right file; restore it from git)") for line in lines), lines
    assert time.monotonic() - start < 30


def _bomb(path: Path, name: str, size: int) -> None:
    """A zip file whose part `name` expands to `size` bytes of zeros (a few hundred kilobytes on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(name, "w", force_zip64=True) as part:
            block = bytes(16 * 1024 * 1024)
            for _ in range(size // len(block)):
                part.write(block)


def test_a_word_file_whose_document_expands_to_gigabytes_is_refused(source_copy: Path, tmp_path: Path) -> None:
    reviewed = tmp_path / "uitvoeringsagenda-2026.docx"
    _bomb(reviewed, "word/document.xml", 272 * 1024 * 1024)  # over the limit of 256 MB; 2 GiB is refused alike
    code, lines = run("overnemen", str(reviewed), "--source", str(source_copy), "--report", str(tmp_path / "r"))
    assert code == 1
    assert any("the part word/document.xml of this Word file is larger than 256 MB" in line for line in lines), lines


def test_a_workbook_whose_sheet_expands_to_gigabytes_is_refused(source_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "terug"
    folder.mkdir()
    _bomb(folder / "politie.xlsx", "xl/worksheets/sheet1.xml", 272 * 1024 * 1024)
    code, lines = run("uitvraag", "verwerk", str(folder / "politie.xlsx"), "--peildatum", "2026-06-30",
                      "--source", str(source_copy))
    assert code == 1
    assert any("the part xl/worksheets/sheet1.xml of this workbook is larger than 256 MB" in line
               for line in lines), lines


def test_the_cell_length_checked_is_the_length_of_the_cell_written() -> None:
    actions = [a for c in load_agenda(SOURCE, 2026).agenda.chapters for s in c.sections for a in s.actions]
    assert any(a.title for a in actions) and any(a.items for a in actions)
    assert [cell_length(a) for a in actions] == [len(action_text(a)) for a in actions]


# --- encodings and YAML 1.2 ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["2026/agenda.yaml", "2026/financien/begroting.csv"])
def test_a_windows_1252_file_with_accents_and_curly_quotes_is_read(source_copy: Path, name: str) -> None:
    path = source_copy / name
    old, new = (("subtitle: Integrale aanpak", "subtitle: Privé “aanpak” van")
                if name.endswith(".yaml") else ("liec,lasten,LIEC,", "liec,lasten,LIEC privé” ‘x’ – y,"))
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new).encode("cp1252"))
    validated = pipeline.check(source_copy, 2026)
    notes = [p for p in validated.problems.items if p.file.endswith(name)]
    assert [p.message for p in notes] == [
        "read as Windows-1252 (ANSI); this is fine" if name.endswith(".yaml") else
        "read as Windows-1252 (how Excel saves 'CSV (gescheiden door lijstscheidingsteken)'); this is fine"]
    if name.endswith(".yaml"):
        assert validated.agenda.meta.subtitle and validated.agenda.meta.subtitle.startswith("Privé “aanpak” van")
    else:
        assert any(line.label == "LIEC privé” ‘x’ – y" for line in validated.agenda.finance.budget)


def test_a_file_mixing_utf8_into_windows_1252_is_refused(source_copy: Path) -> None:
    path = source_copy / "2026" / "agenda.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.replace("subtitle: Integrale", "subtitle: privé Integrale").encode("cp1252")
                     .replace(b"organisation:", "organisation: café".encode() + b" x", 1))
    code, lines = run("check", "--source", str(source_copy))
    assert code == 1
    assert any("file mixes two encodings: UTF-8, and another one from this line" in line for line in lines), lines


def test_yes_and_no_are_text_where_text_is_expected(source_copy: Path) -> None:
    path = source_copy / "2026" / "agenda.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("subtitle: Integrale aanpak van ondermijnende criminaliteit in de regio Den Haag",
                                 "subtitle: no"), encoding="utf-8")
    assert pipeline.check(source_copy, 2026).agenda.meta.subtitle == "no"


# --- links and folders -----------------------------------------------------------------------


def test_a_chapter_file_that_links_to_itself(source_copy: Path) -> None:
    chapter = source_copy / CHAPTER
    chapter.unlink()
    chapter.symlink_to(chapter.name)
    code, lines = run("check", "--source", str(source_copy))
    assert code == 1
    assert any(line.endswith("hoofdstukken/spoor-1.yaml: the file is a symbolic link that points to itself "
                             "(replace the link by the source file itself)") for line in lines), lines


def test_a_dangling_link_is_reported_under_its_own_name(source_copy: Path) -> None:
    chapter = source_copy / CHAPTER
    chapter.unlink()
    chapter.symlink_to("/nonexistent/elders.yaml")
    code, lines = run("check", "--source", str(source_copy))
    assert code == 1
    assert any(line.endswith("hoofdstukken/spoor-1.yaml: the file is a symbolic link to a file that does not exist "
                             "(restore it from git or create it)") for line in lines), lines
    assert not any("elders" in line for line in lines)


def test_a_deleted_working_folder(tmp_path: Path) -> None:
    import subprocess
    import sys

    gone = tmp_path / "gone"
    gone.mkdir()
    command = (f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); sys.path.insert(0, {str(ROOT)!r}); "
               f"from generator.cli import main; main(['--lang', 'nl', 'check', '--source', {str(SOURCE)!r}])")
    result = subprocess.run([sys.executable, "-c", command], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ))
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == ("Fout: de werkmap bestaat niet meer (hij is verwijderd of verplaatst); ga naar de "
                                     "projectmap (cd) en voer de opdracht opnieuw uit")
