"""Trustworthy output (issue 11): no text silently lost, no hang on odd files, a cache that cannot lie.

Each test runs the real command line (a separate process where a hang or a process-wide cache matters)
and compares whole documents.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docxtpl import DocxTemplate

from generator.render import template as render
from tests.conftest import EXAMPLES, ROOT, SOURCE

FILES = ["uitvoeringsagenda-2026.docx", "voortgangsrapportage-2026.docx", "jaarverslag-2026.docx"]


def cli(*args: str, cwd: Path = ROOT, cache: Path | None = None, timeout: float = 300,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in a new process; a hang fails the test instead of blocking it."""
    full_env = {**os.environ, **(env or {})}
    if cache is not None:
        full_env["XDG_CACHE_HOME"] = str(cache)
    full_env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def documents(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


@pytest.fixture(scope="module")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The three example documents built once with a fresh cache (which this module reuses)."""
    base = tmp_path_factory.mktemp("trust")
    done = cli("build", "--source", str(EXAMPLES), "--output", str(base / "out"), cache=base / "cache")
    assert done.returncode == 0, done.stderr
    return base, documents(base / "out")


# --- part 1: spaces at line ends, odd files, the cache ------------------------------------------------

def test_trailing_spaces_on_yaml_lines_change_nothing(tmp_path: Path,
                                                      example_build: tuple[Path, dict[str, bytes]]) -> None:
    base, expected = example_build
    source = tmp_path / "source"
    shutil.copytree(EXAMPLES, source)
    for path in source.rglob("*.yaml"):
        path.write_text(re.sub(r"\n", "   \n", path.read_text(encoding="utf-8")), encoding="utf-8")
    done = cli("build", "--source", str(source), "--output", str(tmp_path / "out"), cache=base / "cache")
    assert done.returncode == 0, done.stderr
    assert documents(tmp_path / "out") == expected


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_source_file_that_is_not_a_file_is_a_located_error(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    chapter = source / "2026" / "hoofdstukken" / "spoor-1.yaml"
    chapter.unlink()
    if kind == "fifo":
        os.mkfifo(chapter)
    elif kind == "device":
        chapter.symlink_to("/dev/zero")
    else:
        chapter.mkdir()
    done = cli("check", "--source", str(source), cwd=tmp_path, cache=tmp_path / "cache", timeout=120)
    assert done.returncode == 1, done.stderr
    assert ("source/2026/hoofdstukken/spoor-1.yaml: this is not an ordinary file (a folder, a pipe or a "
            "device) (replace it by the source file itself)") in done.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "swapped"])
def test_a_cache_entry_cannot_hang_exhaust_or_change_the_documents(
        tmp_path: Path, example_build: tuple[Path, dict[str, bytes]], kind: str) -> None:
    base, expected = example_build
    cache = tmp_path / "cache"
    shutil.copytree(base / "cache", cache, symlinks=True)
    entries = sorted(p for p in (cache / "riec-documenten").rglob("*") if p.is_file())
    assert entries
    if kind == "swapped":
        # Copying one chart over another (same kind, right format, valid content) must not put the
        # wrong chart in the report: the integrity hash covers the entry's key.
        charts = sorted((cache / "riec-documenten" / "charts").iterdir())
        assert len(charts) >= 2
        for chart in charts[1:]:
            shutil.copy(charts[0], chart)
        shutil.rmtree(cache / "riec-documenten" / "documents")  # rendered again: the charts are read
    else:
        for entry in entries:
            entry.unlink()
            if kind == "fifo":
                os.mkfifo(entry)
            else:
                entry.symlink_to("/dev/zero")
    done = cli("build", "--source", str(EXAMPLES), "--output", str(tmp_path / "out"), cache=cache, timeout=240)
    assert done.returncode == 0, done.stderr
    assert documents(tmp_path / "out") == expected


def test_a_relative_cache_home_does_not_write_into_the_working_folder(tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(SOURCE, work / "source")
    home = tmp_path / "home"
    done = cli("check", "--source", "source", cwd=work, env={"XDG_CACHE_HOME": "relative-cache",
                                                              "HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in work.iterdir()) == ["source"]
    assert (home / ".cache" / "riec-documenten").is_dir()


# --- part 1: the check after rendering ----------------------------------------------------------------

TEMPLATE = ROOT / "templates" / "uitvoeringsagenda.docx"


def _tiny_template(tmp_path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("{{ a }}")
    doc.add_paragraph("{{ b }}")
    path = tmp_path / "t.docx"
    doc.save(str(path))
    return path


def test_control_character_never_reaches_a_silent_repair(tmp_path: Path) -> None:
    """What used to happen: docxtpl's recover mode dropped every '&' after a control character."""
    context = {"a": "B&W\x01 en", "b": "J&V"}
    with pytest.raises(render.TemplateProblem, match="invalid Word XML"):
        render.render_document(_tiny_template(tmp_path), context, {})


def test_the_rendered_text_check_catches_a_silent_repair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Put docxtpl's own recover-mode parsing back, as a future library version might: the text
    # check after rendering must refuse the document it produces.
    monkeypatch.setattr(render.Template, "fix_tables", DocxTemplate.fix_tables)
    context = {"a": "B&W\x01 en", "b": "J&V"}
    with pytest.raises(render.TextLost, match=r'"B&W\\x01 en"'):
        render.render_document(_tiny_template(tmp_path), context, {})
    ok = render.render_document(_tiny_template(tmp_path), {"a": "B&W en", "b": "J&V\tmet\nregels"}, {})
    assert ok.startswith(b"PK")


def test_texts_printed_only_into_attributes_count_as_kept(tmp_path: Path) -> None:
    # A cell's fill colour from the data is printed into w:shd/@w:fill, in no paragraph's text: it is
    # looked for in the XML, one element of the body after another, until every such text is found.
    from docx import Document

    doc = Document()
    for name in ("first", "second"):
        doc.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].text = f"{{% cellbg {name} %}}{{{{ a }}}}"
        doc.add_paragraph("tussen de tabellen")
    path = tmp_path / "cells.docx"
    doc.save(str(path))
    rendered = render.render_document(path, {"first": "D9D9D9", "second": "FFEB9C", "a": "tekst"}, {})
    body = zipfile.ZipFile(io.BytesIO(rendered)).read("word/document.xml")
    assert b'w:fill="D9D9D9"' in body and b'w:fill="FFEB9C"' in body


# --- part 4: all or nothing, also when interrupted or run twice ----------------------------------------

# Runs the real command line after arranging one fault at the moment it matters: the second rename of
# a document into the output folder (or every chmod).
FAULT = """
import os, signal, sys
from generator.cli import main
fault, real_replace, real_chmod = sys.argv[1], os.replace, os.chmod
renames = []
def replace(src, dst, *args, **kwargs):
    if str(dst).endswith(".docx"):
        renames.append(dst)
        if len(renames) == 2 and fault != "chmod":
            if fault == "exception":
                raise KeyboardInterrupt
            os.kill(os.getpid(), signal.SIGTERM if fault == "sigterm" else signal.SIGINT)
    return real_replace(src, dst, *args, **kwargs)
def chmod(*args, **kwargs):
    raise PermissionError(1, "Operation not permitted")
os.replace = replace
if fault == "chmod":
    os.chmod = chmod
sys.argv = ["generator", *sys.argv[2:]]
main()
"""


def faulty_build(fault: str, source: Path, out: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", FAULT, fault, "build", "--source", str(source), "--output",
                           str(out)], cwd=ROOT, env={**os.environ, "XDG_CACHE_HOME": str(cache),
                                                     "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=300, check=False)


def all_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def real_output(tmp_path: Path, example_build: tuple[Path, dict[str, bytes]]) -> Path:
    """An output folder holding the documents of the real source; the example build is the 'new' one."""
    base, _ = example_build
    done = cli("build", "--source", str(SOURCE), "--output", str(tmp_path / "out"), cache=base / "cache")
    assert done.returncode == 0, done.stderr
    return tmp_path / "out"


@pytest.mark.parametrize("fault", ["exception", "sigint", "sigterm"])
def test_an_interrupted_build_leaves_one_whole_set_and_no_leftovers(
        real_output: Path, example_build: tuple[Path, dict[str, bytes]], fault: str) -> None:
    base, new = example_build
    before = all_files(real_output)
    done = faulty_build(fault, EXAMPLES, real_output, base / "cache")
    after = all_files(real_output)
    assert sorted(after) == sorted(FILES)  # no .tmp, no .previous
    if fault == "exception":
        # An exception during the renames (Ctrl-C arriving as KeyboardInterrupt): all put back.
        assert done.returncode == 1 and after == before, done.stderr
    else:
        # A signal during the renames is held back until they are done: all new, then it acts.
        assert after == new
        assert done.returncode == (-signal.SIGTERM if fault == "sigterm" else 1), done.stderr


def test_a_refused_chmod_does_not_fail_the_build(real_output: Path,
                                                 example_build: tuple[Path, dict[str, bytes]]) -> None:
    base, new = example_build
    done = faulty_build("chmod", EXAMPLES, real_output, base / "cache")
    assert done.returncode == 0, done.stderr
    assert all_files(real_output) == new


def test_leftovers_of_a_killed_build_are_removed_by_the_next(
        real_output: Path, example_build: tuple[Path, dict[str, bytes]]) -> None:
    base, new = example_build
    for name in FILES:
        (real_output / f".{name}.previous").write_bytes(b"old")
        (real_output / f".{name}.x1y2z3.tmp").write_bytes(b"half")
    done = cli("build", "--source", str(EXAMPLES), "--output", str(real_output), cache=base / "cache")
    assert done.returncode == 0, done.stderr
    assert all_files(real_output) == new


def test_a_second_build_waits_for_the_first(real_output: Path,
                                            example_build: tuple[Path, dict[str, bytes]]) -> None:
    import fcntl
    import time

    base, new = example_build
    before = all_files(real_output)
    fd = os.open(real_output, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a build that is writing its documents
        env = {**os.environ, "XDG_CACHE_HOME": str(base / "cache"), "PYTHONPATH": str(ROOT)}
        second = subprocess.Popen([sys.executable, "-m", "generator", "build", "--source", str(EXAMPLES),
                                   "--output", str(real_output)], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(15)  # rendering takes a few seconds; then it waits for the lock
        assert second.poll() is None and all_files(real_output) == before
    finally:
        os.close(fd)
    _, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    assert all_files(real_output) == new
    # It said at once that it waits, and for which process (issue 25).
    assert f"Another process is writing to {real_output} (process {os.getpid()}: " in stderr, stderr


def test_two_builds_at_once_leave_one_whole_set(real_output: Path,
                                                example_build: tuple[Path, dict[str, bytes]]) -> None:
    base, new = example_build
    real = all_files(real_output)
    env = {**os.environ, "XDG_CACHE_HOME": str(base / "cache"), "PYTHONPATH": str(ROOT)}
    for _ in range(2):
        runs = [subprocess.Popen([sys.executable, "-m", "generator", "build", "--source", str(source),
                                  "--output", str(real_output)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for source in (EXAMPLES, SOURCE)]
        for run in runs:
            _, stderr = run.communicate(timeout=300)
            assert run.returncode == 0, stderr
        assert all_files(real_output) in (real, new)


# --- part 6: the exit-code contract: 1 for every mistake of the user, 2 only for bugs -------------------

@pytest.mark.parametrize(("args", "env", "message"), [
    (["check", "--year", "abc"], {}, "Error: Invalid value for '--year': 'abc' is not a year; write it as four "
                                     "digits, e.g. 2026"),
    (["check", "--peildatum", "2026-02-30"], {}, "Error: Invalid value for '--peildatum': '2026-02-30' is not a "
                                                 "date; write it as YYYY-MM-DD, e.g. 2026-06-30"),
    (["check", "--peildatum", "1900-01-01"], {}, "Error: the peildatum 1900-01-01 is not in 2026; give a date in "
                                                 "the year of the report, e.g. --peildatum 2026-06-30"),
    (["check", "--no-such-option"], {}, "Error: No such option '--no-such-option'."),
    (["build", "agenda"], {"SOURCE_DATE_EPOCH": "0"},
     "Error: SOURCE_DATE_EPOCH=0 is outside the dates a Word file can hold (1980 to 2107); unset it, or set it "
     "to e.g. $(git log -1 --format=%ct)"),
    (["build", "agenda"], {"SOURCE_DATE_EPOCH": "9999999999"},
     "Error: SOURCE_DATE_EPOCH=9999999999 is outside the dates a Word file can hold (1980 to 2107); unset it, "
     "or set it to e.g. $(git log -1 --format=%ct)"),
    (["build", "agenda"], {"SOURCE_DATE_EPOCH": "gisteren"},
     "Error: SOURCE_DATE_EPOCH=gisteren is not a number of seconds since 1970; unset it, or set it to e.g. "
     "$(git log -1 --format=%ct)"),
], ids=["year abc", "peildatum 2026-02-30", "peildatum 1900", "unknown option", "epoch 0", "epoch 9999999999",
        "epoch text"])
def test_a_wrong_option_or_setting_exits_1_with_a_plain_message(
        tmp_path: Path, args: list[str], env: dict[str, str], message: str) -> None:
    extra = ["--output", str(tmp_path / "out")] if args[0] == "build" else []
    done = cli(*args, *extra, cache=tmp_path / "cache", env=env)
    assert done.returncode == 1, done.stderr
    assert message in done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_status_typo_does_not_hide_unknown_actions_in_the_same_file(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    progress = source / "2026" / "voortgang" / "2026-06-30.yaml"
    progress.parent.mkdir(parents=True, exist_ok=True)
    progress.write_text("peildatum: 2026-06-30\nacties:\n  S1-01:\n    status: afgrond\n  S1-99:\n"
                        "    status: op schema\n", encoding="utf-8")
    done = cli("check", "--source", "source", cwd=tmp_path, cache=tmp_path / "cache")
    assert done.returncode == 1
    lines = [line.strip() for line in done.stderr.splitlines()]
    assert ("source/2026/voortgang/2026-06-30.yaml:4: acties.S1-01.status: 'afgrond' is not allowed (did you "
            "mean 'afgerond'?)") in lines
    assert ("source/2026/voortgang/2026-06-30.yaml:5: acties.S1-99: unknown action 'S1-99' (did you mean "
            "'S1-09' or 'S2-09' or 'S1-16'?)") in lines


def test_check_and_build_report_a_template_that_lost_accessibility(tmp_path: Path) -> None:
    """A template edited in Word that lost a table's header row and has an image without alt text."""
    import io

    from docx import Document
    from docx.oxml.ns import qn
    from PIL import Image

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates, ignore=shutil.ignore_patterns("*.py"))
    doc = Document(str(templates / "uitvoeringsagenda.docx"))
    header = next(tr for tbl in doc.element.body.iter(qn("w:tbl")) for tr in tbl.iter(qn("w:tr"))
                  if tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None)
    header.trPr.remove(header.trPr.find(qn("w:tblHeader")))
    picture = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(picture, format="PNG")
    doc.add_paragraph().add_run().add_picture(picture)
    doc.save(str(templates / "uitvoeringsagenda.docx"))
    for command in (["check"], ["build", "agenda", "--output", str(tmp_path / "out")]):
        done = cli(*command, "--source", str(SOURCE), "--templates", str(templates), cwd=tmp_path,
                   cache=tmp_path / "cache")
        assert done.returncode == 1, done.stderr
        lines = [line.strip() for line in done.stderr.splitlines()]
        found = [line for line in lines if line.startswith("templates/uitvoeringsagenda.docx: accessibility: ")]
        assert any("has no marked header row (in Word: Table Properties > Row > 'Repeat as header row" in line
                   for line in found), done.stderr
        assert any("has no alternative text (in Word: right-click the image > Edit Alt Text)" in line
                   for line in found), done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_no_xml_is_parsed_in_recover_mode() -> None:
    """Neither our code nor the docxtpl method we render through may parse XML in lxml's recover mode."""
    import inspect

    ours = [p for p in (ROOT / "generator").rglob("*.py") if "recover=True" in p.read_text(encoding="utf-8")]
    assert ours == []
    assert "recover=True" in inspect.getsource(DocxTemplate.fix_tables)  # why the override exists
    assert "recover=True" not in inspect.getsource(render.Template.fix_tables)
