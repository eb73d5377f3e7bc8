"""Shared fixtures: the real 2026 source, built once per test session."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from generator import i18n, pipeline
from generator.kinds import DOCUMENTS
from generator.source.validate import Validated, load_agenda

# Messages are Dutch by default. Most tests check the English text of a message (the message IDs in
# the code), so tests run in English, also in the processes they start; the tests that check the
# Dutch ask for it (`--lang nl`, RIEC_LANG=nl), and tests/test_messages.py checks the whole catalog.
os.environ["RIEC_LANG"] = "en"

# Several tests press Ctrl-C on a process they start (SIGINT) and check what it does. A test run
# started in the background of a shell without job control (`make test &` in a script, nohup)
# inherits SIGINT ignored, and so would every process it starts, which would then never see the
# Ctrl-C. With Python's own handler here, the processes the tests start handle SIGINT as they do for
# a user (a handler is reset when a process starts another program; "ignored" is inherited).
signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def english_messages() -> None:
    """Every test starts in English, whatever language an earlier test ran the CLI in."""
    i18n.set_language("en")

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
# The published Uitvoeringsagenda 2026 as plain text, byte for byte as it was given to the project:
# what the source must reproduce (tests/test_content.py, tests/test_fidelity.py).
SEED = ROOT / "tests" / "fixtures" / "seed" / "uitvoeringsagenda-2026.txt"


@pytest.fixture(scope="session")
def validated() -> Validated:
    return load_agenda(SOURCE, 2026)


@pytest.fixture(scope="session")
def agenda_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("output")
    pipeline.build(SOURCE, 2026, out, ["agenda"])
    return out / "uitvoeringsagenda-2026.docx"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.fail(f"the seed text is missing: {SEED} is part of the repository; restore it with git")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    """A copy of the real source that a test may change."""
    target = tmp_path / "source"
    shutil.copytree(SOURCE, target)
    return target


EXAMPLES = ROOT / "examples" / "source"
REPORTS = ["agenda", "voortgang", "jaarverslag"]
# The file each kind of document is written to (the registry, generator/kinds.py), for 2026.
FILES = {kind.name: kind.filename.format(year=2026) for kind in DOCUMENTS.values()}


@pytest.fixture(scope="session")
def real_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """All three documents built from the real source (which has no progress data)."""
    out = tmp_path_factory.mktemp("real")
    pipeline.build(SOURCE, 2026, out, REPORTS)
    return {name: out / FILES[name] for name in REPORTS}


@pytest.fixture(scope="session")
def example_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """All three documents built from the fictitious example source."""
    out = tmp_path_factory.mktemp("examples")
    pipeline.build(EXAMPLES, 2026, out, REPORTS)
    return {name: out / FILES[name] for name in REPORTS}


@pytest.fixture
def examples_copy(tmp_path: Path) -> Path:
    """A copy of the fictitious example source that a test may change."""
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return target


def libreoffice_pdf_text(docx: Path, tmp_path: Path) -> str:
    """Open a .docx in LibreOffice (a private profile), convert it to PDF and return the PDF's text.

    Skipped where LibreOffice is not installed, except in CI, which installs it (.ci/run).
    """
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice or poppler-utils is missing in CI: .ci/run must install them")
        pytest.skip("LibreOffice is not installed (CI installs it)")
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(docx)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    pdf = tmp_path / (docx.stem + ".pdf")
    assert pdf.exists(), result.stderr
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
