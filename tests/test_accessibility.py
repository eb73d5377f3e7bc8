"""Accessibility and house style of every document the pipeline builds (the .docx side)."""

from __future__ import annotations

import importlib.util
import struct
import zlib
from pathlib import Path
from types import ModuleType

import pytest
from docx import Document
from docx.shared import Cm, RGBColor

from generator import pipeline
from generator.publish import accessibility as a11y
from tests.conftest import ROOT, SOURCE


def _load_make_templates() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_templates", ROOT / "templates" / "make_templates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_templates = _load_make_templates()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every document in pipeline.DOCUMENTS, built from the real source."""
    out = tmp_path_factory.mktemp("a11y")
    kinds = list(pipeline.DOCUMENTS)
    pipeline.build(SOURCE, 2026, out, kinds)
    return {kind: pipeline.document_path(kind, 2026, out) for kind in kinds}


@pytest.mark.parametrize("kind", list(pipeline.DOCUMENTS))
def test_every_document_passes_the_accessibility_checks(built: dict[str, Path], kind: str) -> None:
    assert a11y.check_document(Document(str(built[kind]))) == []


@pytest.mark.parametrize("kind", list(pipeline.DOCUMENTS))
def test_word_updates_the_table_of_contents_on_opening(built: dict[str, Path], kind: str) -> None:
    doc = Document(str(built[kind]))
    update = doc.settings.element.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}updateFields")
    assert update is not None and update.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "true"
    assert 'TOC \\o "1-3"' in doc.element.xml


def test_colours_of_the_house_style_have_enough_contrast() -> None:
    ratios = {
        "dark blue on white": a11y.contrast(make_templates.DARK_BLUE, a11y.WHITE),
        "grey on white": a11y.contrast(make_templates.GREY, a11y.WHITE),
        "warning red on white": a11y.contrast(make_templates.WARNING_RED, a11y.WHITE),
        "white on dark blue (table header)": a11y.contrast(make_templates.WHITE, make_templates.DARK_BLUE),
    }
    assert all(ratio >= a11y.MIN_CONTRAST for ratio in ratios.values()), ratios
    # The figures stated in make_templates.py and the README.
    assert round(ratios["dark blue on white"], 1) == 11.4
    assert round(ratios["grey on white"], 1) == 8.5
    assert round(ratios["warning red on white"], 1) == 7.9


def test_contrast_formula_matches_known_values() -> None:
    assert a11y.contrast(a11y.BLACK, a11y.WHITE) == pytest.approx(21.0)
    assert a11y.contrast(RGBColor(0x77, 0x77, 0x77), a11y.WHITE) == pytest.approx(4.48, abs=0.01)


# --- the checks find what they should find ----------------------------------------------


def _png(path: Path) -> Path:
    """A 1x1 white PNG, written without an imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))
    return path


def _house_document() -> Document:
    doc = make_templates.new_document("kop", "voet")
    make_templates.para(doc, "Hoofdstuk", "Heading 1")
    return doc


def test_checks_find_a_skipped_heading_level_and_an_empty_heading(tmp_path: Path) -> None:
    doc = _house_document()
    make_templates.para(doc, "Diep", "Heading 3")
    make_templates.para(doc, "", "Heading 2")
    assert a11y.check_headings(doc) == ["'Diep' is Heading 3 after Heading 1: a level is skipped", "empty Heading 2"]


def test_checks_find_a_table_without_header_row_and_a_left_aligned_amount() -> None:
    doc = _house_document()
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Post"
    table.cell(1, 1).text = "€ 1.250"
    assert a11y.check_tables(doc) == ["table 1 (Post) has no marked header row",
                                      "table 1 (Post) has no caption (alternative title)"]
    assert a11y.check_amounts_right_aligned(doc) == ["table 1: amount '€ 1.250' is not right-aligned"]
    good = _house_document()
    make_templates.amount_table(good, "Bedragen", ["Post", "2026"], [["Huur", "€ 1.250"]])
    assert a11y.check_tables(good) == [] and a11y.check_amounts_right_aligned(good) == []


def test_checks_find_an_image_without_alternative_text(tmp_path: Path) -> None:
    doc = _house_document()
    doc.add_picture(str(_png(tmp_path / "grafiek.png")), width=Cm(2))
    path = tmp_path / "plaatje.docx"
    doc.save(str(path))
    assert a11y.check_images(Document(str(path))) == ["image 'Picture 1' has no alternative text"]
    doc.inline_shapes[0]._inline.docPr.set("descr", "Staafdiagram van de lasten per jaar")
    doc.save(str(path))
    assert a11y.check_images(Document(str(path))) == []


def test_checks_find_low_contrast_text_and_a_wrong_language() -> None:
    doc = _house_document()
    make_templates.para(doc, "lichtgrijs").runs[0].font.color.rgb = RGBColor(0xAA, 0xAA, 0xAA)
    doc.core_properties.language = "en-US"
    assert a11y.check_contrast(doc) == [
        "text colour AAAAAA on FFFFFF has contrast 2.3:1 (at least 4.5:1 needed), e.g. 'lichtgrijs'"]
    assert a11y.check_language(doc) == ["document language is 'en-US', not nl-NL"]


# --- one house style ----------------------------------------------------------------------

HOUSE_STYLES = ["Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "List Bullet",
                "List Bullet 2", "List Number", "Partners", "Actietitel", "Effect", "Bron", "Tabeltekst",
                "Tabelbedrag", "Tabelkop", "Tabelkop bedrag", "Header", "Footer", "TOC Heading",
                "toc 1", "toc 2", "toc 3"]


def _style_facts(doc: Document, name: str) -> dict[str, object]:
    style = doc.styles[name]
    font, paragraph = style.font, style.paragraph_format
    return {"font": font.name, "size": font.size, "bold": font.bold, "italic": font.italic,
            "colour": font.color.rgb if font.color.type is not None else None,
            "alignment": paragraph.alignment, "space before": paragraph.space_before,
            "space after": paragraph.space_after, "indent": paragraph.left_indent,
            "page break before": paragraph.page_break_before, "keep with next": paragraph.keep_with_next}


@pytest.mark.parametrize("template", list(make_templates.TEMPLATES))
def test_every_template_has_the_one_house_style(template: str) -> None:
    """The styles in each committed template are those apply_house_style defines (run `make templates`)."""
    reference = Document()
    make_templates.apply_house_style(reference)
    committed = Document(str(ROOT / "templates" / template))
    differences = {name: (_style_facts(committed, name), _style_facts(reference, name)) for name in HOUSE_STYLES
                   if _style_facts(committed, name) != _style_facts(reference, name)}
    assert differences == {}, (f"templates/{template}: styles differ from apply_house_style in "
                               "templates/make_templates.py; change the style there and run 'make templates'")
    assert a11y.check_language(committed) == []


def test_title_page_states_adoption_version_and_date_from_the_source(source_copy: Path, tmp_path: Path) -> None:
    meta = source_copy / "2026" / "agenda.yaml"
    text = meta.read_text(encoding="utf-8")
    assert "adopted_on: null" in text and "version_date: null" in text
    meta.write_text(text.replace("adopted_on: null", "adopted_on: 2026-02-12")
                    .replace("version_date: null", "version_date: 2026-02-20"), encoding="utf-8")
    pipeline.build(source_copy, 2026, tmp_path, ["agenda"])
    doc = Document(str(pipeline.document_path("agenda", 2026, tmp_path)))
    first_page = [p.text for p in doc.paragraphs[:12]]
    assert "Vastgesteld door de stuurgroep RIEC Den Haag op 12 februari 2026" in first_page
    assert "Versie 1.0 – 20 februari 2026" in first_page
    assert doc.sections[0].different_first_page_header_footer  # no header or footer on the title page
