"""Staleness through `make` (issue 11 part 3): any change of the inputs rebuilds or gives a located error;
nothing else is rebuilt; PDFs are only made again for documents that changed.

Every test runs the real `make` in the project folder with SOURCE and OUT pointing at a copy (OUT has
spaces in its name, which used to fail).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from generator import cache, staleness
from generator.review.docxtext import docx_text
from tests.conftest import EXAMPLES, ROOT

FILES = ["uitvoeringsagenda-2026.docx", "voortgangsrapportage-2026.docx", "jaarverslag-2026.docx"]


def make(*args: str, source: Path, out: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args, f"SOURCE={source}",
                           f"OUT={out}"], env={**os.environ, "XDG_CACHE_HOME": str(cache)},
                          capture_output=True, text=True, timeout=600, check=False)


def state(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every document with its modification time and bytes."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(out.glob("*.docx"))}


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A copy of the example source, an output folder with spaces in its name, a cache; built once."""
    source = tmp_path / "source"
    shutil.copytree(EXAMPLES, source)
    out, cache = tmp_path / "map met spatie", tmp_path / "cache"
    done = make("all", source=source, out=out, cache=cache)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(FILES)
    return source, out, cache


def test_a_second_make_all_rebuilds_nothing(project: tuple[Path, Path, Path]) -> None:
    source, out, cache = project
    before = state(out)
    done = make("all", source=source, out=out, cache=cache)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("(up to date)") == 3
    assert state(out) == before


def test_a_deleted_chapter_file_is_a_located_error(project: tuple[Path, Path, Path]) -> None:
    source, out, cache = project
    before = state(out)
    (source / "2026" / "hoofdstukken" / "spoor-1.yaml").unlink()
    done = make("all", source=source, out=out, cache=cache)
    assert done.returncode != 0
    assert "2026/hoofdstukken/spoor-1.yaml" in done.stderr and "Nothing was written." in done.stderr
    assert state(out) == before


def test_a_deleted_source_folder_is_an_error(project: tuple[Path, Path, Path]) -> None:
    source, out, cache = project
    before = state(out)
    shutil.rmtree(source)
    done = make("all", source=source, out=out, cache=cache)
    assert done.returncode != 0 and "Nothing was written." in done.stderr
    assert state(out) == before


def test_a_file_restored_with_its_old_time_is_seen(project: tuple[Path, Path, Path]) -> None:
    source, out, cache = project
    before = state(out)
    chapter = source / "2026" / "hoofdstukken" / "spoor-1.yaml"
    stamp = chapter.stat()
    text = chapter.read_text(encoding="utf-8")
    old_title = next(line for line in text.splitlines() if line.strip().startswith("title:"))
    chapter.write_text(text.replace(old_title, old_title + " (herzien)", 1), encoding="utf-8")
    os.utime(chapter, ns=(stamp.st_atime_ns, stamp.st_mtime_ns - 10**12))  # as cp -p or git stash pop
    done = make("all", source=source, out=out, cache=cache)
    assert done.returncode == 0, done.stderr
    after = state(out)
    assert all(after[name][1] != before[name][1] for name in FILES)
    assert "(herzien)" in docx_text(out / FILES[0])


def test_another_peildatum_rebuilds_and_only_the_documents_that_change(project: tuple[Path, Path, Path]) -> None:
    source, out, cache = project
    progress = source / "2026" / "voortgang"
    march = (progress / "2026-06-30.yaml").read_text(encoding="utf-8").replace("2026-06-30", "2026-03-31")
    (progress / "2026-03-31.yaml").write_text(march, encoding="utf-8")
    done = make("all", source=source, out=out, cache=cache)  # a source file added: built again
    assert done.returncode == 0, done.stderr
    before = state(out)
    done = make("voortgang", "PEILDATUM=2026-03-31", source=source, out=out, cache=cache)
    assert done.returncode == 0, done.stderr
    after = state(out)
    assert after["voortgangsrapportage-2026.docx"] != before["voortgangsrapportage-2026.docx"]
    text = docx_text(out / "voortgangsrapportage-2026.docx")
    assert "31 maart 2026" in text and "30 juni 2026" not in text
    # nothing else was rewritten
    assert {k: v for k, v in after.items() if "voortgang" not in k} == \
        {k: v for k, v in before.items() if "voortgang" not in k}
    done = make("voortgang", "PEILDATUM=2026-02-30", source=source, out=out, cache=cache)
    assert done.returncode != 0 and "'2026-02-30' is not a date" in done.stderr


def test_make_pdf_converts_only_changed_documents(project: tuple[Path, Path, Path]) -> None:
    source, out, cache = project
    if shutil.which("soffice") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing in CI: .ci/run must install it")
        pytest.skip("LibreOffice is not installed (CI installs it)")
    done = make("pdf", source=source, out=out, cache=cache)
    assert done.returncode == 0, done.stderr
    pdfs = {p.name: p.stat().st_mtime_ns for p in (out / "pdf").glob("*.pdf")}
    assert len(pdfs) == 3
    done = make("pdf", source=source, out=out, cache=cache)
    assert done.returncode == 0, done.stderr
    assert "every PDF is up to date" in done.stdout
    assert {p.name: p.stat().st_mtime_ns for p in (out / "pdf").glob("*.pdf")} == pdfs
    jaarverslag = source / "2026" / "jaarverslag.yaml"
    jaarverslag.write_text(jaarverslag.read_text(encoding="utf-8").replace("(fictief)", "(fictief, herzien)", 1),
                           encoding="utf-8")
    done = make("pdf", source=source, out=out, cache=cache)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("(written)") == 2  # the jaarverslag .docx and its PDF, nothing else
    after = {p.name: p.stat().st_mtime_ns for p in (out / "pdf").glob("*.pdf")}
    assert [name for name in after if after[name] != pdfs[name]] == ["jaarverslag-2026.pdf"]


def test_a_changed_template_or_generator_file_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The templates and the generator's own code are inputs too (by content), like the source."""
    from click.testing import CliRunner

    from generator import pipeline
    from generator.cli import main

    templates, out = tmp_path / "templates", tmp_path / "out"
    shutil.copytree(pipeline.TEMPLATES_DIR, templates)
    args = ["build", "--source", str(EXAMPLES), "--output", str(out), "--templates", str(templates)]
    assert CliRunner().invoke(main, args).exit_code == 0
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and again.output.count("(up to date)") == 3
    template = templates / "voortgangsrapportage.docx"
    doc = Document(str(template))
    doc.add_paragraph("Een alinea die een redacteur in Word toevoegde.")
    doc.save(str(template))
    changed = CliRunner().invoke(main, args)
    assert changed.exit_code == 0, changed.output
    assert f"{out / 'voortgangsrapportage-2026.docx'} (written)" in changed.output
    assert f"{out / 'uitvoeringsagenda-2026.docx'} (unchanged)" in changed.output
    # The generator's code: a copy of the package with one file changed gives another key.
    package = tmp_path / "generator"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", package)
    cache.code_key.cache_clear()
    key = staleness.inputs_key(EXAMPLES, 2026, out, ["agenda"], templates, False, None)
    (package / "format.py").write_text((package / "format.py").read_text() + "\n# changed\n")
    cache.code_key.cache_clear()
    assert staleness.inputs_key(EXAMPLES, 2026, out, ["agenda"], templates, False, None) != key
    cache.code_key.cache_clear()


def test_make_speaks_dutch_and_english_with_taal_en(tmp_path: Path) -> None:
    """The secretary's `make check` is Dutch without any setting; TAAL=en gives English."""
    env = {k: v for k, v in os.environ.items() if k not in ("RIEC_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    for extra, summary in (([], "0 fouten, 0 waarschuwingen, 1 melding"),
                           (["TAAL=en"], "0 errors, 0 warnings, 1 note")):
        done = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "check", *extra], env=env,
                              capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0, done.stderr
        assert summary in done.stderr.splitlines(), done.stderr
