"""PDF from LibreOffice: every document converted in one start, with a real table of contents.

These tests need LibreOffice with its Python bridge (python3-uno) and poppler-utils. Without
them they are skipped on a developer's machine, but they fail in CI (CI=true), which installs
them in .ci/run: a missing install step must not pass unnoticed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader

from generator import pipeline
from generator.cli import main
from generator.errors import UserError
from generator.publish import pdf as pdfmod
from tests.conftest import SOURCE

# A sane number of pages per document; documents added later get the default.
PAGE_RANGE = {"agenda": (15, 60)}
DEFAULT_PAGE_RANGE = (2, 200)
ALLOWED_FONTS = ("LiberationSans", "OpenSymbol")  # the house font; OpenSymbol draws list bullets


def _missing() -> str:
    try:
        pdfmod.find_uno_python(pdfmod.find_soffice())
    except UserError as exc:
        return str(exc)
    for tool in ("pdftotext", "pdfinfo", "pdffonts"):
        if shutil.which(tool) is None:
            return f"{tool} (poppler-utils) is not installed"
    return ""


MISSING = _missing()
needs_libreoffice = pytest.mark.skipif(bool(MISSING) and not os.environ.get("CI"),
                                       reason=f"{MISSING} (CI installs it)")


def _run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Every document: (docx, pdf), all converted by one convert_to_pdf call (one LibreOffice start)."""
    out = tmp_path_factory.mktemp("pdf")
    kinds = list(pipeline.DOCUMENTS)
    pipeline.build(SOURCE, 2026, out, kinds)
    docx = [pipeline.document_path(kind, 2026, out) for kind in kinds]
    pdfs = pdfmod.convert_to_pdf(docx, out / "pdf")
    assert [p.name for p in pdfs] == [d.with_suffix(".pdf").name for d in docx]
    assert not list((out / "pdf").glob(".pdf-*")), "the staging folder was left behind"
    return {kind: (d, p) for kind, d, p in zip(kinds, docx, pdfs, strict=True)}


def _headings(docx: Path, level: int = 1) -> list[str]:
    return [p.text for p in Document(str(docx)).paragraphs if p.style.name == f"Heading {level}"]


def _info(pdf: Path) -> dict[str, str]:
    lines = _run("pdfinfo", str(pdf)).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def _page_text(pdf: Path, page: int) -> str:
    return _run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-")


KINDS = list(pipeline.DOCUMENTS)


@needs_libreoffice
@pytest.mark.parametrize("kind", KINDS)
def test_pdf_is_tagged_has_title_and_sane_page_count(converted: dict[str, tuple[Path, Path]], kind: str) -> None:
    docx, pdf = converted[kind]
    info = _info(pdf)
    assert info["Tagged"] == "yes"
    assert info["Title"] == Document(str(docx)).core_properties.title
    low, high = PAGE_RANGE.get(kind, DEFAULT_PAGE_RANGE)
    assert low <= int(info["Pages"]) <= high, info["Pages"]


@needs_libreoffice
@pytest.mark.parametrize("kind", KINDS)
def test_pdf_language_structure_and_bookmarks(converted: dict[str, tuple[Path, Path]], kind: str) -> None:
    docx, pdf = converted[kind]
    reader = PdfReader(str(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nl-NL"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # viewers show the title, not the file
    bookmarks = [_squash(item.title) for item in reader.outline if not isinstance(item, list)]
    assert bookmarks == [_squash(h) for h in _headings(docx)]
    assert reader.xmp_metadata is not None and b"pdfuaid" in reader.xmp_metadata.stream.get_data()
    # The tags a screen reader follows: one H1 per chapter, every table with header cells (TH).
    tags = _structure_tags(catalog["/StructTreeRoot"])
    tables = len(Document(str(docx)).tables)
    assert tags["/H1"] == len(_headings(docx))
    assert tags["/H2"] == len(_headings(docx, 2))
    assert tags["/Table"] == tables and tags["/TH"] >= tables
    assert tags["/TOC"] == 1 and tags["/TOCI"] >= len(_headings(docx))


def _structure_tags(root: object) -> Counter[str]:
    """How often each structure type occurs in the PDF's tag tree."""
    counts: Counter[str] = Counter()
    todo = [root]
    while todo:
        node = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if not isinstance(node, dict):
            continue
        if "/S" in node:
            counts[str(node["/S"])] += 1
        kids = node.get("/K")
        todo += kids if isinstance(kids, list) else ([kids] if kids is not None else [])
    return counts


@needs_libreoffice
@pytest.mark.parametrize("kind", KINDS)
def test_pdf_text_has_every_chapter_and_the_toc_gives_their_real_pages(
        converted: dict[str, tuple[Path, Path]], kind: str) -> None:
    docx, pdf = converted[kind]
    headings = _headings(docx)
    assert headings, "the document has no chapters"
    pages = int(_info(pdf)["Pages"])
    texts = [_squash(_page_text(pdf, n)) for n in range(1, pages + 1)]
    assert _squash(" ".join(texts)).count(_squash(headings[0])) >= 2  # in the TOC and as the chapter
    toc_start = next(i for i, text in enumerate(texts) if "Inhoudsopgave" in text)
    for heading in headings:
        pattern = re.escape(_squash(heading)) + r" ?\.{3,} ?(\d+)"
        toc = " ".join(texts[toc_start:toc_start + 4])
        match = re.search(pattern, toc)
        assert match, f"the table of contents does not list '{heading}' with a page number"
        page = int(match.group(1))
        assert toc_start + 1 < page <= pages
        # The chapter really starts on that page: its heading comes right after the running header.
        assert _squash(heading) in texts[page - 1][:300], f"'{heading}' is not at the top of page {page}"
    assert "De inhoudsopgave wordt bijgewerkt" not in " ".join(texts), "the TOC placeholder was not replaced"


@needs_libreoffice
@pytest.mark.parametrize("kind", KINDS)
def test_pdf_title_page_header_footer_and_fonts(converted: dict[str, tuple[Path, Path]], kind: str) -> None:
    _, pdf = converted[kind]
    pages = int(_info(pdf)["Pages"])
    title = _squash(_page_text(pdf, 1))
    assert "Concept" in title or "Vastgesteld door de stuurgroep RIEC Den Haag op" in title
    # The agenda's version is in the source; a report shows its own version only when its file has one.
    assert "Versie " in title if kind == "agenda" else "Over de Uitvoeringsagenda 2026" in title
    assert "pagina" not in title, "the title page has no header or footer"
    second = _squash(_page_text(pdf, 2))
    assert f"pagina 2 van {pages}" in second, "page number fields are not filled in"
    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts
    for line in fonts:
        name, embedded = line.split()[0], line.split()[-5]
        assert embedded == "yes", f"font {name} is not embedded"
        assert name.split("+")[-1].startswith(ALLOWED_FONTS), f"unexpected font {name} (a fallback?)"


@needs_libreoffice
def test_cli_pdf_writes_into_output_pdf(tmp_path: Path) -> None:
    pipeline.build(SOURCE, 2026, tmp_path, ["agenda"])
    result = CliRunner().invoke(main, ["pdf", "agenda", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pdf" / "uitvoeringsagenda-2026.pdf").stat().st_size > 10_000
    result = CliRunner().invoke(main, ["preview", "agenda", "--output", str(tmp_path), "--pages", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "preview").iterdir()) == [
        "uitvoeringsagenda-2026-01.png", "uitvoeringsagenda-2026-02.png"]


# --- clear errors, no traceback --------------------------------------------------------------


def test_missing_libreoffice_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline.build(SOURCE, 2026, tmp_path, list(pipeline.DOCUMENTS))
    monkeypatch.setenv("RIEC_SOFFICE", str(tmp_path / "no-soffice"))
    result = CliRunner().invoke(main, ["pdf", "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert "LibreOffice (soffice) is needed" in result.output
    assert "apt-get install libreoffice-writer-nogui python3-uno" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "pdf").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs soffice to get as far as the Python bridge")
def test_missing_python_uno_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if pdfmod._has_uno(sys.executable):
        pytest.skip("this Python has uno")
    pipeline.build(SOURCE, 2026, tmp_path, list(pipeline.DOCUMENTS))
    monkeypatch.setenv("RIEC_UNO_PYTHON", sys.executable)
    result = CliRunner().invoke(main, ["pdf", "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert "python3-uno" in result.output and "Traceback" not in result.output


def test_missing_document_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["pdf", "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert "uitvoeringsagenda-2026.docx does not exist; build the documents first (make all)" in result.output


@needs_libreoffice
def test_a_failing_document_writes_no_pdf_at_all(tmp_path: Path) -> None:
    pipeline.build(SOURCE, 2026, tmp_path, ["agenda"])
    broken = tmp_path / "kapot.docx"
    broken.write_text("dit is geen Word-document\n", encoding="utf-8")
    with pytest.raises(UserError, match="kapot: the document has no title"):
        pdfmod.convert_to_pdf([pipeline.document_path("agenda", 2026, tmp_path), broken], tmp_path / "pdf")
    assert list((tmp_path / "pdf").iterdir()) == []  # neither the good PDF nor the staging folder
