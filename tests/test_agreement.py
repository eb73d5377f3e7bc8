"""The three documents agree by construction: every action's whole text and every budget amount, compared.

Built from the real source, the fictitious example source and a synthetic source that holds every
kind of block (bench/synth.py `every_kind_source`), all three documents each.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from bench.synth import every_kind_source
from generator import format as fmt
from generator import pipeline
from generator.content.context import partners_line
from generator.content.years import fill_years
from generator.source.model import Action, Agenda, Section
from generator.source.validate import load_agenda
from tests.conftest import EXAMPLES, FILES, REPORTS, SOURCE

W_T = qn("w:t")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    synthetic = tmp_path_factory.mktemp("synthetic") / "source"
    every_kind_source(EXAMPLES, synthetic, 2026)
    return {"real": SOURCE, "example": EXAMPLES, "synthetic": synthetic}


@pytest.fixture(scope="module")
def built(sources: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    out = {}
    for name, source in sources.items():
        folder = tmp_path_factory.mktemp(name)
        pipeline.build(source, 2026, folder, REPORTS)
        out[name] = {kind: folder / FILES[kind] for kind in REPORTS}
    return out


def _paragraph_text(paragraph: object) -> str:
    return "".join(t.text or "" for t in paragraph.iter(W_T))  # type: ignore[attr-defined]


def bookmarked_texts(path: Path, prefix: str = "actie_") -> dict[str, list[str]]:
    """Per bookmark (`actie_...`): the visible text of each paragraph it spans, in order."""
    body = Document(str(path)).element.body
    open_marks: dict[str, str] = {}
    texts: dict[str, list[str]] = {}
    for paragraph in body.iter(qn("w:p")):
        text = _paragraph_text(paragraph)
        ending = []
        for child in paragraph.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            if child.tag == qn("w:bookmarkStart") and child.get(qn("w:name"), "").startswith(prefix):
                name = child.get(qn("w:name"))
                assert name not in texts, f"bookmark {name} twice in {path.name}"
                open_marks[child.get(qn("w:id"))] = name
                texts[name] = []
            elif child.tag == qn("w:bookmarkEnd") and child.get(qn("w:id")) in open_marks:
                ending.append(child.get(qn("w:id")))
        for name in open_marks.values():
            texts[name].append(text)
        for mark in ending:
            del open_marks[mark]
    assert not open_marks, f"bookmarks never closed in {path.name}: {open_marks}"
    return texts


def section_lines_after(path: Path) -> dict[str, str]:
    """Agenda: per action bookmark, the first 'Betrokken partners bij alle acties' paragraph after it."""
    body = Document(str(path)).element.body
    pending: list[str] = []
    out: dict[str, str] = {}
    for paragraph in body.iter(qn("w:p")):
        for start in paragraph.iter(qn("w:bookmarkStart")):
            if start.get(qn("w:name"), "").startswith("actie_"):
                pending.append(start.get(qn("w:name")))
        text = _paragraph_text(paragraph)
        if text.startswith("Betrokken partners bij alle acties: "):
            out.update((name, text) for name in pending)
            pending = []
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val"), "").startswith("Heading"):
            pending = []  # a section's line never reaches past the next heading
    return out


def expected_text(agenda: Agenda, section: Section, action: Action, number: int) -> list[str]:
    """What a reader must see of an action, from the source model alone."""
    lines = [f"{number}. {action.title}"] if action.title else []
    lines.append(f"{action.text} [{action.id}]")
    lines.extend(action.items)
    if action.partners or action.partners_wording:
        lines.append("Betrokken partners: " + partners_line(agenda, action.partners, action.partners_wording))
    elif section.partners:
        lines.append("Betrokken partners bij alle acties: "
                     + partners_line(agenda, section.partners, section.partners_wording))
    return [fill_years(line, agenda.meta.year) for line in lines]  # `{jaar}` reads as the agenda's year


def _actions(agenda: Agenda) -> list[tuple[Section, Action, int]]:
    return [(section, action, number) for chapter in agenda.chapters for section in chapter.sections
            for number, action in enumerate(section.actions, start=1)]


@pytest.mark.parametrize("which", ["real", "example", "synthetic"])
def test_every_action_reads_the_same_in_all_three_documents(
        which: str, sources: dict[str, Path], built: dict[str, dict[str, Path]]) -> None:
    agenda = load_agenda(sources[which], 2026).agenda
    docs = built[which]
    found = {kind: bookmarked_texts(docs[kind]) for kind in REPORTS}
    section_lines = section_lines_after(docs["agenda"])
    actions = _actions(agenda)
    if which == "synthetic":  # every kind: titles, items, own, published and section partner lines
        assert any(a.items for _, a, _ in actions) and any(a.title for _, a, _ in actions)
        assert any(not (a.partners or a.partners_wording) and s.partners for s, a, _ in actions)
    for section, action, number in actions:
        name = "actie_" + action.id.replace("-", "_")
        expected = expected_text(agenda, section, action, number)
        agenda_text = list(found["agenda"][name])
        if not (action.partners or action.partners_wording) and section.partners:
            # The agenda prints the section's partner line once, after its last action.
            agenda_text.append(section_lines[name])
        assert agenda_text == expected, f"{which} agenda {action.id}"
        for report in ("voortgang", "jaarverslag"):
            assert found[report][name] == expected, f"{which} {report} {action.id}"
    for kind in REPORTS:
        assert len(found[kind]) == len(actions), f"{which} {kind}: one listing place per action"


def _table(path: Path, caption: str) -> list[list[str]]:
    for table in Document(str(path)).tables:
        element = table._tbl.tblPr.find(qn("w:tblCaption"))
        if element is not None and element.get(qn("w:val")) == caption:
            return [[" ".join(p.text for p in cell.paragraphs) for cell in row.cells] for row in table.rows]
    raise AssertionError(f"no table '{caption}' in {path.name}")


def _column(rows: list[list[str]], header: str) -> list[tuple[str, str]]:
    index = rows[0].index(header)
    return [(row[0], row[index]) for row in rows[1:]]


@pytest.mark.parametrize("which", ["real", "example", "synthetic"])
def test_every_budget_line_and_amount_is_the_same_in_all_three_documents(
        which: str, sources: dict[str, Path], built: dict[str, dict[str, Path]]) -> None:
    agenda = load_agenda(sources[which], 2026).agenda
    docs = built[which]
    for kind, agenda_caption, total in (("baten", "Baten RIEC per jaar", "Totaal baten"),
                                        ("lasten", "Lasten RIEC per jaar", "Totale lasten")):
        lines = [line for line in agenda.finance.budget if line.kind == kind]
        expected = [(line.label, fmt.euro(line.amounts.get(2026))) for line in lines]
        in_agenda = _column(_table(docs["agenda"], agenda_caption), "2026")
        assert in_agenda[:len(lines)] == expected, which
        total_row = next(amount for label, amount in in_agenda if label == total)
        title = kind.capitalize()
        voortgang = _column(_table(docs["voortgang"], f"{title}: begroting, realisatie en prognose"),
                            "Begroting 2026")
        jaarverslag = _column(_table(docs["jaarverslag"], f"{title}: begroting en realisatie"), "Begroting 2026")
        for report in (voortgang, jaarverslag):
            assert report[:-1] == expected, which
            assert report[-1] == (total, total_row), which
    # The friction budget: the actualised spending of 2026 in the agenda is the jaarverslag's budget.
    friction = _column(_table(docs["agenda"], "Frictiebudget: geactualiseerde besteding"), "2026")
    in_report = _column(_table(docs["jaarverslag"], "Frictiebudget: begroting en realisatie"), "Begroting 2026")
    assert in_report[:-1] == friction[1:-1], which
