"""'Aandachtspunten': what needs the stuurgroep's attention, before the complete listing, exactly and in order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from bench.synth import every_kind_source
from generator import pipeline
from generator.content.years import fill_years
from generator.review.docxtext import docx_text
from generator.source.finance import needs_toelichting
from generator.source.progress import load_all
from tests.conftest import EXAMPLES, FILES

KINDS = {"vraagt aandacht", "doorgeschoven", "vervallen", "niet gestart"}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example source plus a chapter with one action of each attention kind (bench/synth.py)."""
    target = tmp_path_factory.mktemp("attention") / "source"
    every_kind_source(EXAMPLES, target, 2026)
    # An earlier peildatum, before the middle of the year: 'niet gestart' is not yet a point of attention.
    voortgang = target / "2026" / "voortgang"
    text = (voortgang / "2026-06-30.yaml").read_text(encoding="utf-8")
    (voortgang / "2026-03-31.yaml").write_text(text.replace("peildatum: 2026-06-30", "peildatum: 2026-03-31"),
                                               encoding="utf-8")
    shutil.copy(voortgang / "2026-06-30.csv", voortgang / "2026-03-31.csv")
    return target


def attention_section(path: Path) -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """From the 'Aandachtspunten' chapter: its chapter headings, (chapter, action ID) rows, budget line labels."""
    doc = Document(str(path))
    inside, chapter = False, ""
    headings: list[str] = []
    actions: list[tuple[str, str]] = []
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            style = child.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            name = style.get(qn("w:val")) if style is not None else ""
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if name == "Heading1":
                inside = text == "Aandachtspunten"
            elif name == "Heading2" and inside:
                chapter = text
                headings.append(text)
        elif child.tag == qn("w:tbl") and inside:
            caption = child.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}").get(qn("w:val"))
            rows = child.findall(qn("w:tr"))[1:]
            first = ["".join(t.text or "" for t in row.find(qn("w:tc")).iter(qn("w:t"))) for row in rows]
            if caption == "Acties die aandacht vragen":
                actions.extend((chapter, ident) for ident in first)
            else:
                lines.extend(first)
    return headings, actions, lines


def _build(source: Path, out: Path, kind: str, peildatum: str | None = None) -> Path:
    import datetime as dt

    pipeline.build(source, 2026, out, [kind], peildatum=dt.date.fromisoformat(peildatum) if peildatum else None)
    return out / FILES[kind]


def _expected(source: Path, kinds: set[str], peildatum: str | None, final: bool) -> list[tuple[str, str]]:
    import datetime as dt

    validated, reports = load_all(source, 2026, dt.date.fromisoformat(peildatum) if peildatum else None)
    acties = (reports.jaarverslag.acties if final else reports.voortgang.acties)  # type: ignore[union-attr]
    year = validated.agenda.meta.year  # a title's `{jaar}` prints as the year
    return [(fill_years(chapter.title, year), action.id) for chapter in validated.agenda.chapters
            for section in chapter.sections
            for action in section.actions if action.id in acties and acties[action.id].status in kinds]


@pytest.mark.parametrize(("peildatum", "kinds"), [(None, KINDS), ("2026-03-31", KINDS - {"niet gestart"})])
def test_the_voortgang_lists_exactly_the_actions_that_ask_attention_in_agenda_order(
        source: Path, tmp_path: Path, peildatum: str | None, kinds: set[str]) -> None:
    path = _build(source, tmp_path, "voortgang", peildatum)
    headings, actions, lines = attention_section(path)
    expected = _expected(source, kinds, peildatum, final=False)
    validated, reports = load_all(source, 2026)
    statuses = {reports.voortgang.acties[i].status for _, i in expected}  # type: ignore[union-attr]
    assert statuses == kinds, "the source has at least one action of each kind"
    assert actions == expected
    assert headings == [*dict.fromkeys(chapter for chapter, _ in expected),
                        "Begrotingsregels met een afwijking boven de drempel"]
    # Every budget line whose prognosis crosses the threshold, with its toelichting, in the order of the budget.
    rows = reports.voortgang_finance or {}
    assert lines == [line.label for line in validated.agenda.finance.budget
                     if line.id in rows and rows[line.id].prognose is not None
                     and needs_toelichting(line.amounts.get(2026), rows[line.id].prognose)]
    assert lines, "the example source has variances above the threshold"


def test_the_jaarverslag_lists_what_was_not_achieved(source: Path, tmp_path: Path) -> None:
    path = _build(source, tmp_path, "jaarverslag")
    _, actions, lines = attention_section(path)
    expected = _expected(source, KINDS, None, final=True)
    assert {i for _, i in expected} >= {"SYN-02", "SYN-03", "SYN-04", "SYN-06"}
    assert actions == expected
    assert lines  # realisations above the threshold, each with its toelichting


def test_without_reports_there_is_nothing_to_point_at(real_docs: dict[str, Path]) -> None:
    for kind in ("voortgang", "jaarverslag"):
        headings, actions, lines = attention_section(real_docs[kind])
        assert (headings, actions, lines) == (["Begrotingsregels met een afwijking boven de drempel"], [], [])
        # Silence is not reported as 'nothing needs attention'.
        text = docx_text(real_docs[kind])
        assert "aandachtspunten zijn er dus (nog) niet te noemen" in text or \
            "wat niet is bereikt, is dus (nog) niet te noemen" in text
        assert "per begrotingsregel: nog niet gerapporteerd." in text
        assert "Geen begrotingsregel heeft" not in text
