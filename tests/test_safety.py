"""Safety: sandboxed templates, literal data, confined and all-or-nothing writes, no tracebacks."""

from __future__ import annotations

import errno
import io
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from generator import pipeline
from generator.cli import main
from generator.errors import UserError, ValidationFailed
from generator.render import write
from generator.render.documents import CONTEXTS
from generator.review.docxtext import docx_text
from tests.conftest import EXAMPLES, ROOT, SOURCE

AGENDA = "uitvoeringsagenda-2026.docx"


def make_template(folder: Path, *paragraphs: str | list[str]) -> Path:
    """A templates folder whose agenda template has these paragraphs (a list is split into runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = Document()
    for paragraph in paragraphs:
        p = doc.add_paragraph()
        for run in [paragraph] if isinstance(paragraph, str) else paragraph:
            p.add_run(run)
    doc.save(str(folder / "uitvoeringsagenda.docx"))
    return folder


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- templates --------------------------------------------------------------------------


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    templates = make_template(tmp_path / "t", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(ValidationFailed) as info:
        pipeline.build(SOURCE, 2026, tmp_path / "out", ["agenda"], templates=templates)
    [problem] = info.value.problems.errors
    assert "the template tries something that is not allowed" in problem.message
    assert "__class__" in problem.message
    assert not (tmp_path / "out").exists()


def test_tag_split_across_runs_is_repaired(tmp_path: Path) -> None:
    # Word often splits what you type into several runs; docxtpl joins them again.
    templates = make_template(tmp_path / "t", ["{", "{ doc.", "title }", "}"], ["Jaar: {{ doc", ".year }}"])
    pipeline.build(SOURCE, 2026, tmp_path / "out", ["agenda"], templates=templates)
    assert docx_text(tmp_path / "out" / AGENDA).split("\n")[:2] == ["Uitvoeringsagenda 2026", "Jaar: 2026"]


def test_check_reports_every_unknown_name_at_once(tmp_path: Path) -> None:
    templates = make_template(tmp_path / "t", "{{ titel }}", "{{ hoofdstukken }}", "{{ doc.title }}")
    with pytest.raises(ValidationFailed) as info:
        pipeline.check(SOURCE, 2026, templates=templates, kinds=["agenda"])
    assert [p.message for p in info.value.problems.errors] == [
        "the template uses 'hoofdstukken', which the data does not provide",
        "the template uses 'titel', which the data does not provide",
    ]


def test_template_problems_are_reported_with_source_errors(source_copy: Path, tmp_path: Path) -> None:
    (source_copy / "2026" / "agenda.yaml").write_text("title: [\n", encoding="utf-8")
    templates = make_template(tmp_path / "t", "{{ doc.title }", "{% if x %}")
    with pytest.raises(ValidationFailed) as info:
        pipeline.check(source_copy, 2026, templates=templates, kinds=["agenda"])
    files_with_errors = {p.file.rsplit("/", 1)[-1] for p in info.value.problems.errors}
    assert files_with_errors == {"agenda.yaml", "uitvoeringsagenda.docx"}


def test_data_that_looks_like_jinja_or_xml_appears_literally(source_copy: Path, tmp_path: Path) -> None:
    tricky = "R&D <test> \"quote\" 'x' {{ 7*7 }} {% if %} ]]> &amp;"
    budget = source_copy / "2026" / "financien" / "begroting.csv"
    budget.write_text(budget.read_text(encoding="utf-8").replace(
        "liec,lasten,LIEC,", f'liec,lasten,"{tricky.replace(chr(34), chr(34) * 2)}",'), encoding="utf-8")
    partners = source_copy / "partners.yaml"
    partners.write_text(partners.read_text(encoding="utf-8").replace(
        "    name: RIEC-bureau\n", "    name: 'RIEC-bureau {{ doc.title }} & <Co>'\n", 1), encoding="utf-8")
    pipeline.build(source_copy, 2026, tmp_path, ["agenda"])
    text = docx_text(tmp_path / AGENDA)
    assert tricky in text
    assert "RIEC-bureau {{ doc.title }} & <Co>" in text
    assert "49" not in text.split(tricky)[0].splitlines()[-1]


# --- YAML -------------------------------------------------------------------------------


def test_yaml_cannot_construct_python_objects(source_copy: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    agenda = source_copy / "2026" / "agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace(
        "adopted_on: null", f"adopted_on: !!python/object/apply:os.system ['touch {marker}']"), encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        pipeline.check(source_copy, 2026)
    [problem] = info.value.problems.errors
    assert problem.line == 10
    assert problem.message == "the tag '!!python/object/apply:os.system' is not allowed"
    assert not marker.exists()


# --- where documents are written ----------------------------------------------------------


@pytest.mark.parametrize("name", ["../escape.docx", "/tmp/escape.docx", "sub/../../escape.docx", "", "."])
def test_documents_are_only_written_inside_the_output_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "output"
    with pytest.raises(UserError, match="documents are only written inside the output folder"):
        write.write_outputs(out, {name: b"x"})
    assert not (tmp_path / "escape.docx").exists()
    assert not out.exists()


def test_a_symlink_out_of_the_output_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / AGENDA).symlink_to(tmp_path / "elsewhere.docx")
    with pytest.raises(UserError, match="only written inside"):
        write.write_outputs(out, {AGENDA: b"x"})
    assert not (tmp_path / "elsewhere.docx").exists()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """An output folder holding the documents built from the real source."""
    out = tmp_path / "output"
    pipeline.build(SOURCE, 2026, out, list(pipeline.DOCUMENTS))
    return out


def _changed_source(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    agenda = source / "2026" / "agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"'),
                      encoding="utf-8")
    return source


def test_full_disk_leaves_previous_documents_and_no_temporary_files(
        built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = files(built)
    source = _changed_source(tmp_path)

    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write.os, "replace", no_space)
    result = CliRunner().invoke(main, ["build", "--source", str(source), "--output", str(built)])
    assert result.exit_code == 1
    assert f"Error: cannot write to the output folder {built}: No space left on device; the previous " \
           "documents were left as they were" in result.stderr
    assert "Traceback" not in result.output
    assert files(built) == before


def test_a_folder_in_the_way_gives_a_clear_error(built: Path, tmp_path: Path) -> None:
    (built / AGENDA).unlink()
    (built / AGENDA).mkdir()
    result = CliRunner().invoke(main, ["build", "--source", str(_changed_source(tmp_path)), "--output", str(built)])
    assert result.exit_code == 1
    assert f"a folder has the name of the document ({built / AGENDA})" in result.stderr
    assert sorted(p.name for p in built.iterdir()) == sorted(
        pipeline.document_path(kind, 2026, built).name for kind in pipeline.DOCUMENTS)


def test_output_that_is_a_file_gives_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "output").write_text("not a folder")
    result = CliRunner().invoke(main, ["build", "--output", str(tmp_path / "output")])
    assert result.exit_code == 1
    assert f"Error: cannot create the output folder {tmp_path / 'output'}: File exists" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_read_only_output_folder(built: Path, tmp_path: Path) -> None:
    before = files(built)
    built.chmod(0o555)
    try:
        result = CliRunner().invoke(main, ["build", "--source", str(_changed_source(tmp_path)),
                                           "--output", str(built)])
    finally:
        built.chmod(0o755)
    assert result.exit_code == 1
    assert "Permission denied" in result.stderr
    assert files(built) == before


def test_a_failed_rename_puts_back_the_documents_already_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "output"
    write.write_outputs(out, {"a.docx": b"old a", "b.docx": b"old b"})
    real_replace = os.replace
    calls: list[str] = []

    def fail_on_b(src: str | Path, dst: str | Path) -> None:
        calls.append(Path(dst).name)
        if Path(dst).name == "b.docx":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", fail_on_b)
    with pytest.raises(UserError, match="the previous documents were left as they were"):
        write.write_outputs(out, {"a.docx": b"new a", "b.docx": b"new b", "c.docx": b"new c"})
    assert calls[:2] == ["a.docx", "b.docx"]  # a was replaced, then put back
    assert files(out) == {"a.docx": b"old a", "b.docx": b"old b"}


def test_unchanged_documents_are_not_rewritten(built: Path) -> None:
    stamp = (built / AGENDA).stat().st_mtime_ns
    written = write.write_outputs(built, {AGENDA: (built / AGENDA).read_bytes()})
    assert written == []
    assert (built / AGENDA).stat().st_mtime_ns == stamp


# --- the command line ----------------------------------------------------------------------


def test_debug_shows_the_traceback_of_a_user_mistake(source_copy: Path) -> None:
    (source_copy / "partners.yaml").write_text("", encoding="utf-8")
    plain = CliRunner().invoke(main, ["check", "--source", str(source_copy)])
    debug = CliRunner().invoke(main, ["--debug", "check", "--source", str(source_copy)])
    assert plain.exit_code == 1 and isinstance(plain.exception, SystemExit)
    assert isinstance(debug.exception, ValidationFailed)
    assert "source/partners.yaml: file is empty (restore its content from git)" in debug.stderr


def test_a_bug_is_reported_as_internal_error_with_exit_code_2(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pipeline, "load_agenda", broken)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Internal error (a bug in the generator, not a mistake in your files): ZeroDivisionError: division by zero",
        "Please report it, with the output of the same command run with --debug (python -m generator --debug ...).",
    ]
    debug = CliRunner().invoke(main, ["--debug", "check"])
    assert isinstance(debug.exception, ZeroDivisionError)


def test_no_traceback_from_the_real_process(tmp_path: Path) -> None:
    # The corpus runs in-process; this runs `python -m generator` as the Makefile does.
    import subprocess
    import sys

    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    (source / "2026" / "agenda.yaml").write_bytes(b"title: \x81\n")  # undefined in Windows-1252 too
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(source),
                             "--output", str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT,
                            check=False)
    assert result.returncode == 1
    assert "agenda.yaml:1: file is neither UTF-8 nor Windows-1252 text" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_template_bytes_survive_a_round_trip() -> None:
    # The committed template itself passes every check (no false alarm on the real template).
    from generator.render.template import check_template

    validated, reports = pipeline.load_all(SOURCE, 2026)
    for kind in pipeline.DOCUMENTS.values():  # the agenda and both reports
        context = CONTEXTS[kind.name](validated, reports, False)
        assert check_template(ROOT / "templates" / kind.template, context) == [], kind.name
    assert io.BytesIO((ROOT / "templates" / "uitvoeringsagenda.docx").read_bytes()).read(2) == b"PK"


def test_a_page_no_longer_in_the_site_is_removed_but_not_a_file_of_someone_else(tmp_path: Path) -> None:
    """The website edition of 2027 replaces that of 2026: the 2026 pages must not stay online in output/html."""
    source = tmp_path / "source"
    shutil.copytree(EXAMPLES, source)
    out = tmp_path / "output"
    old, _written, removed = pipeline.html(source, 2026, out)
    assert removed == []
    (out / "html" / "eigen-notitie.txt").write_text("van de redactie")
    pipeline.new_year(source, 2026, 2027)
    new, _written, removed = pipeline.html(source, 2027, out)
    assert sorted(removed) == sorted(out / "html" / name for name in set(old.files) - set(new.files))
    assert {p.name for p in removed} >= set(old.pages.values())
    assert sorted(str(p.relative_to(out / "html")) for p in (out / "html").rglob("*")
                  if p.is_file() and p.name != write.MANIFEST) == sorted([*new.files, "eigen-notitie.txt"])
    assert (out / "html" / "eigen-notitie.txt").read_text() == "van de redactie"


def test_a_damaged_site_manifest_removes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "html"
    write.write_folder(folder, {"a.html": b"a", "b.html": b"b"})
    (folder / write.MANIFEST).write_bytes(b"\xff\xfe../../etc/passwd\n")
    _written, removed = write.write_folder(folder, {"a.html": b"a"})
    assert removed == [] and (folder / "b.html").exists()
    (folder / write.MANIFEST).write_text("../buiten.html\nb.html\n")
    (tmp_path / "buiten.html").write_text("niet van ons")
    _written, removed = write.write_folder(folder, {"a.html": b"a"})
    assert removed == [folder / "b.html"]
    assert (tmp_path / "buiten.html").exists()
