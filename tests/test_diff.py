"""The reviewers' diff: exactly the five changes of `tests/diffcase.py`, in the data, the text and the redline."""

from __future__ import annotations

import copy
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generator import pipeline
from generator.cache import Cache
from generator.review.diff.compare import Comparison, _load, compare_sources
from generator.review.diff.model import diff_agendas
from generator.review.diff.redline import redline as make_redline
from generator.review.diff.redline import tracked_changes
from generator.review.diff.reports import NO_CHANGES, report_files, summary_html, summary_markdown, terminal_report
from generator.review.diff.words import word_diff
from generator.review.docxtext import docx_lines
from generator.review.gitrev import Version
from tests.conftest import SOURCE, libreoffice_pdf_text
from tests.diffcase import two_versions

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AGENDA = "uitvoeringsagenda-2026.docx"
S1 = "Spoor 1 › Preventieve integrale jeugdaanpak"


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Version, Version]:
    base = tmp_path_factory.mktemp("diff")
    shutil.copytree(SOURCE, base / "source")
    old, new = two_versions(base / "source")
    return Version("oud", old, pipeline.TEMPLATES_DIR), Version("nieuw", new, pipeline.TEMPLATES_DIR)


@pytest.fixture(scope="module")
def comparison(versions: tuple[Version, Version]) -> Comparison:
    return compare_sources(*versions, 2026)


@pytest.fixture(scope="module")
def rendered(versions: tuple[Version, Version]) -> tuple[bytes, bytes]:
    old, new = (pipeline.render_documents(*_load(v, 2026), ["agenda"], v.templates, False, Cache.default())[AGENDA]
                for v in versions)
    return old, new


def _changed_words(segments: list[tuple[str, str]], op: str) -> list[str]:
    """The deleted ("-") or inserted ("+") runs of a word diff."""
    return [text.strip() for kind, text in segments if kind == op]


def test_summary_names_exactly_the_five_changes_and_the_totals_they_move(comparison: Comparison) -> None:
    assert [(c.group, c.line()) for c in comparison.changes] == [
        ("Acties", "Actie S2-04 (Spoor 2 › Vastgoedcriminaliteit – speculatie van vastgoed): verwijderd"),
        ("Acties", f"Actie S1-01 ({S1}): tekst gewijzigd"),
        ("Acties", f"Actie S1-03 ({S1}): partners gewijzigd: + Politie"),
        ("Acties", f"Actie S1-17 ({S1}): toegevoegd"),
        ("Begroting", "Begroting › Lasten › Huisvesting, 2026: € 100.000 → € 120.000 (+ € 20.000)"),
        ("Berekende totalen", "Totale lasten 2026: € 7.525.087 → € 7.545.087 (+ € 20.000)"),
        ("Berekende totalen", "Totale lasten 2025-2028: € 29.534.650 → € 29.554.650 (+ € 20.000)"),
        ("Berekende totalen", "Verschil baten lasten 2026: € -314.767 → € -334.767 (− € 20.000)"),
        ("Berekende totalen", "Verschil baten lasten 2025-2028: € -717.653 → € -737.653 (− € 20.000)"),
    ]
    removed, text, _, added = comparison.changes[:4]
    assert removed.details == ("was: “Medewerkers van RIEC-deelnemers kunnen, op aanvraag, een presentatie krijgen "
                               "van de RIEC-adviseur vastgoedcriminaliteit. Zo krijgen zij beter inzicht in hoe "
                               "witwassen werkt in de vastgoedsector.”",)
    assert _changed_words(text.words, "-") == ["Startende"]
    assert _changed_words(text.words, "+") == ["Nieuwe"]
    assert added.details == ("tekst: “Het RIEC-bureau organiseert in 2026 een regionale ontmoetingsdag voor alle "
                             "deelnemende gemeenten.”", "partners: Dealbreakers")


def test_terminal_and_markdown_summaries_mark_old_and_new_words(comparison: Comparison) -> None:
    terminal = terminal_report(comparison, {})
    assert "[-Startende-] {+Nieuwe+} gemeenten" in terminal
    assert "uitvoeringsagenda-2026.docx: 10 regels gewijzigd, 2 toegevoegd, 2 verwijderd" in terminal
    assert NO_CHANGES not in terminal
    markdown = summary_markdown(comparison)
    assert "~~Startende~~ **Nieuwe** gemeenten" in markdown
    assert "## Berekende totalen" in markdown
    page = summary_html(comparison)
    assert "<del>Startende</del> <ins>Nieuwe</ins>" in page and "<del>100.000</del> <ins>120.000</ins>" in page


def test_document_text_diff_shows_those_changes_only(comparison: Comparison) -> None:
    doc = comparison.documents[0]  # the agenda; the two reports follow
    assert [d.name for d in comparison.documents] == [AGENDA, "voortgangsrapportage-2026.docx",
                                                      "jaarverslag-2026.docx"]
    assert doc.name == AGENDA
    changes = [(c.op, c.heading, _changed_words(c.words, "-"), _changed_words(c.words, "+"))
               for c in doc.lines]
    s1 = "Preventieve integrale jeugdaanpak"
    money = "Financieel"
    appendix = "Bijlage: afwijkingen van gepubliceerde totalen"
    assert changes == [
        ("~", s1, ["Startende"], ["Nieuwe"]),
        ("~", s1, ["gemeenten"], [", gemeenten", "Politie"]),
        ("+", s1, [], ["• Het RIEC-bureau organiseert in 2026 een regionale ontmoetingsdag voor alle deelnemende "
                       "gemeenten. [S1-17]"]),
        ("+", s1, [], ["Betrokken partners: Dealbreakers"]),
        ("-", "Vastgoedcriminaliteit – speculatie van vastgoed",
         ["• Medewerkers van RIEC-deelnemers kunnen, op aanvraag, een presentatie krijgen van de RIEC-adviseur "
          "vastgoedcriminaliteit. Zo krijgen zij beter inzicht in hoe witwassen werkt in de vastgoedsector. [S2-04]"],
         []),
        ("-", "Vastgoedcriminaliteit – speculatie van vastgoed", ["Betrokken partners: RIEC-bureau en partners"], []),
        ("~", money, ["100.000"], ["120.000"]),
        ("~", money, ["7.525.087"], ["7.545.087"]),
        ("~", money, ["29.534.650"], ["29.554.650"]),
        ("~", money, ["-314.767"], ["-334.767"]),
        ("~", money, ["-717.653"], ["-737.653"]),
        ("~", appendix, ["7.525.087", "-144.999"], ["7.545.087", "-164.999"]),
        ("~", appendix, ["-314.767", "144.999"], ["-334.767", "164.999"]),
        ("~", appendix, ["-717.653", "579.999"], ["-737.653", "599.999"]),
    ]


def _resolve(data: bytes, accept: bool) -> bytes:
    """The redline with every tracked change accepted (or rejected), as Word would do it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = copy.deepcopy(root)
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    for element in list(root.iter(W + drop)):
        element.getparent().remove(element)
    for element in list(root.iter(W + keep)):
        parent = element.getparent()
        at = parent.index(element)
        for child in list(element):
            parent.insert(at, child)
            at += 1
        parent.remove(element)
    for text in root.iter(W + "delText"):
        text.tag = W + "t"
    parts["word/document.xml"] = etree.tostring(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_redline_holds_exactly_the_expected_tracked_changes(comparison: Comparison) -> None:
    redline = comparison.documents[0].redline
    assert redline is not None
    inserted, deleted = tracked_changes(redline)
    # Empty texts are paragraph marks: the two new paragraphs (S1-17 and its partners line), the two removed.
    # (Changes of nothing but a bookmark, such as the added and removed action's `actie_...`, are left out.)
    assert inserted.count("") == 2 and deleted.count("") == 2
    totals_new = ["€ 7.545.087", "€ 29.554.650", "€ -334.767", "€ -737.653"]
    totals_old = ["€ 7.525.087", "€ 29.534.650", "€ -314.767", "€ -717.653"]
    appendix_new = ["€ 7.545.087", "€ -164.999", "€ -334.767", "€ 164.999", "€ -737.653", "€ 599.999"]
    appendix_old = ["€ 7.525.087", "€ -144.999", "€ -314.767", "€ 144.999", "€ -717.653", "€ 579.999"]
    assert [t for t in inserted if t] == [
        "Nieuwe",  # S1-01 text
        ",", " en Politie",  # S1-03 partner
        "Het RIEC-bureau organiseert in 2026 een regionale ontmoetingsdag voor alle deelnemende gemeenten.",
        # The added action; its partner line is a value of its own (made from the partner list), so
        # a run of its own in the redline.
        " [S1-17]", "Betrokken partners: ", "Dealbreakers",
        "€ 120.000", *totals_new, *appendix_new,  # the amount and every total it moves
    ]
    assert [t for t in deleted if t] == [
        "Startende", " en",
        "Medewerkers van RIEC-deelnemers kunnen, op aanvraag, een presentatie krijgen van de RIEC-adviseur "
        "vastgoedcriminaliteit. Zo krijgen zij beter inzicht in hoe witwassen werkt in de vastgoedsector.",
        " [S2-04]", "Betrokken partners: ", "RIEC-bureau en partners",  # the removed action
        "€ 100.000", *totals_old, *appendix_old,
    ]
    with zipfile.ZipFile(io.BytesIO(redline)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    revisions = [e for e in root.iter() if e.get(W + "author") is not None]
    assert {e.get(W + "author") for e in revisions} == {"RIEC documenten"}
    assert {e.get(W + "date") for e in revisions} == {"2000-01-01T00:00:00Z"}
    # Besides the insertions and deletions, the engine marks the deleted S2-04 bullet's list numbering.
    others = [e for e in revisions if etree.QName(e).localname not in ("ins", "del")]
    assert [etree.QName(e).localname for e in others] == ["numberingChange"]
    paragraph = next(p for p in others[0].iterancestors(W + "p"))
    assert "[S2-04]" in "".join(t.text or "" for t in paragraph.iter(W + "delText"))


def test_accepting_the_redline_gives_the_new_text_and_rejecting_it_the_old(
        comparison: Comparison, rendered: tuple[bytes, bytes]) -> None:
    redline = comparison.documents[0].redline
    assert redline is not None
    old, new = rendered
    assert docx_lines(_resolve(redline, accept=True)) == docx_lines(new)
    assert docx_lines(_resolve(redline, accept=False)) == docx_lines(old)


def test_redline_is_deterministic(comparison: Comparison, rendered: tuple[bytes, bytes]) -> None:
    assert make_redline(*rendered) == comparison.documents[0].redline


def test_libreoffice_opens_the_redline(comparison: Comparison, tmp_path: Path) -> None:
    redline = comparison.documents[0].redline
    assert redline is not None
    path = tmp_path / "redline.docx"
    path.write_bytes(redline)
    text = libreoffice_pdf_text(path, tmp_path)
    # LibreOffice shows tracked changes inline: both the old and the new words are on the page.
    assert "Startende" in text and "Nieuwe" in text and "ontmoetingsdag" in text


def test_identical_sources_give_an_empty_diff(versions: tuple[Version, Version]) -> None:
    old, _ = versions
    result = compare_sources(old, Version("kopie", old.source, old.templates), 2026,
                                  make_redline=lambda a, b: pytest.fail("no redline is needed"))
    assert result.empty
    assert result.changes == [] and [d.identical for d in result.documents] == [True, True, True]
    assert [d.lines for d in result.documents] == [[], [], []]
    assert NO_CHANGES + "." in terminal_report(result, {})
    files = report_files(result)
    assert NO_CHANGES in files["wijzigingen.md"].decode()
    assert NO_CHANGES in files["uitvoeringsagenda-2026.tekstdiff.md"].decode()
    inserted, deleted = tracked_changes(files["uitvoeringsagenda-2026.redline.docx"])
    assert inserted == [] and deleted == []


def test_report_files_are_deterministic(comparison: Comparison) -> None:
    first = report_files(comparison)
    assert set(first) == {"wijzigingen.md", "wijzigingen.html"} | {
        f"{name}-2026.{kind}" for name in ("uitvoeringsagenda", "voortgangsrapportage", "jaarverslag")
        for kind in ("tekstdiff.md", "redline.docx")}
    assert report_files(comparison) == first


def test_word_diff_keeps_punctuation_and_numbers_apart() -> None:
    segments = word_diff("Politie, OM en RIEC-bureau € 5.953.678", "Politie en RIEC-bureau € 6.211.354")
    assert _changed_words(segments, "-") == [", OM", "5.953.678"]
    assert _changed_words(segments, "+") == ["6.211.354"]
    assert word_diff("a b", "a b") == [("=", "a b")]


def test_a_moved_action_is_reported_as_moved(source_copy: Path) -> None:
    new = source_copy.parent / "moved"
    shutil.copytree(source_copy, new)
    spoor1 = new / "2026" / "hoofdstukken" / "spoor-1.yaml"
    text = spoor1.read_text(encoding="utf-8")
    start = text.index("      - id: S1-02\n")
    end = text.index("      - id: S1-03\n")
    block = text[start:end]
    text = text[:start] + text[end:]
    at = text.index("      - id: S1-10\n")  # a later section of Spoor 1
    spoor1.write_text(text[:at] + block + text[at:], encoding="utf-8")
    old_agenda = _load(Version("a", source_copy, pipeline.TEMPLATES_DIR), 2026)[0].agenda
    new_agenda = _load(Version("b", new, pipeline.TEMPLATES_DIR), 2026)[0].agenda
    section = next(s for c, s, a in new_agenda.actions() if a.id == "S1-10").title
    lines = [c.line() for c in diff_agendas(old_agenda, new_agenda)]
    assert lines[0] == f"Actie S1-02 ({'Spoor 1 › ' + str(section)}): verplaatst van {S1} naar Spoor 1 › {section}"
    assert all("volgorde" in line for line in lines[1:]), lines


def test_a_formatting_only_change_is_not_reported_as_no_change(versions: tuple[Version, Version],
                                                              tmp_path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    old, _ = versions
    templates = tmp_path / "templates"
    shutil.copytree(old.templates, templates)
    template = Document(str(templates / "uitvoeringsagenda.docx"))
    template.styles["Heading 1"].font.size = Pt(23)
    template.save(str(templates / "uitvoeringsagenda.docx"))
    result = compare_sources(old, Version("nieuwe opmaak", old.source, templates), 2026)
    assert result.changes == [] and result.documents[0].lines == []
    assert not result.empty
    assert "tekst ongewijzigd, opmaak gewijzigd (zie de redline)" in terminal_report(result, {})
    assert NO_CHANGES + "." not in terminal_report(result, {})


def test_status_changes_in_the_reports_are_named(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "source"
    old_source, new_source = tmp_path / "old", tmp_path / "new"
    shutil.copytree(examples, old_source)
    shutil.copytree(examples, new_source)
    progress = new_source / "2026" / "voortgang" / "2026-06-30.yaml"
    text = progress.read_text(encoding="utf-8")
    before = "  AA-01:\n    status: op schema\n"
    assert before in text
    progress.write_text(text.replace(before, "  AA-01:\n    status: afgerond\n"), encoding="utf-8")
    old_loaded = _load(Version("a", old_source, pipeline.TEMPLATES_DIR), 2026)
    new_loaded = _load(Version("b", new_source, pipeline.TEMPLATES_DIR), 2026)
    lines = [c.line() for c in diff_agendas(old_loaded[0].agenda, new_loaded[0].agenda,
                                                 old_loaded[1], new_loaded[1])]
    section = next(s for c, s, a in new_loaded[0].agenda.actions() if a.id == "AA-01").title
    assert lines == [f"Actie AA-01 (Acties 2026 › {section}): "
                     "status (voortgang 30 juni 2026) gewijzigd: op schema → afgerond"]
