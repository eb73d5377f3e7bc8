"""The yearly cycle in the documents: concept or vastgesteld, each report's own version and period,
and a voorstel to the stuurgroep followed (later) by its besluit."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from generator import pipeline
from generator.cli import main
from generator.errors import ValidationFailed
from generator.review.docxtext import docx_text
from tests.test_reports import table_rows

AGENDA = "2026/agenda.yaml"
JUNE = "2026/voortgang/2026-06-30.yaml"
SEPTEMBER = "2026/voortgang/2026-09-30.yaml"
JAARVERSLAG = "2026/jaarverslag.yaml"


def title_page(path: Path) -> list[str]:
    """The paragraphs before the table of contents."""
    texts = [p.text for p in Document(str(path)).paragraphs]
    return [t for t in texts[:texts.index("Inhoudsopgave")] if t]


def headers(path: Path) -> list[str]:
    """The text of every page header part of a document."""
    with zipfile.ZipFile(path) as archive:
        parts = [archive.read(n).decode() for n in archive.namelist() if re.fullmatch(r"word/header\d*\.xml", n)]
    return ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", part)) for part in parts]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(source: Path, out: Path, kinds: list[str] | None = None) -> dict[str, Path]:
    kinds = kinds or ["agenda", "voortgang", "jaarverslag"]
    pipeline.build(source, 2026, out, kinds)
    return {k: pipeline.document_path(k, 2026, out) for k in kinds}


def test_a_concept_agenda_says_so_on_the_title_page_and_in_every_header(
        real_docs: dict[str, Path]) -> None:
    # The real source has no adoption date (the published text states none): a concept.
    assert title_page(real_docs["agenda"]) == [
        "Uitvoeringsagenda 2026", "Integrale aanpak van ondermijnende criminaliteit in de regio Den Haag",
        "RIEC Den Haag", "Concept", "Versie 1.0"]
    texts = [h for h in headers(real_docs["agenda"]) if h]
    assert texts == ["Concept, versie 1.0 – RIEC Den Haag – Uitvoeringsagenda 2026"]
    text = docx_text(real_docs["agenda"])
    for editors_wording in ("nog niet vastgelegd in de bron", "Gegenereerd uit de brongegevens",
                            "Bijlage: afwijkingen van gepubliceerde totalen"):
        assert editors_wording not in text
    # Each report is a concept of its own, without the agenda's version, and says which agenda it is about.
    for kind, title in (("voortgang", "Voortgangsrapportage eerste halfjaar 2026"),
                        ("jaarverslag", "Jaarverslag 2026")):
        page = title_page(real_docs[kind])
        assert page[0] == title and page[3:] == ["Concept", "Over de Uitvoeringsagenda 2026 (concept, versie 1.0)."]
        assert [h for h in headers(real_docs[kind]) if h] == [f"Concept – RIEC Den Haag – {title}"]


def test_an_adopted_agenda_says_when_and_by_whom(source_copy: Path, tmp_path: Path) -> None:
    edit(source_copy / AGENDA, "adopted_on: null", "adopted_on: 2025-12-09")
    edit(source_copy / AGENDA, "version_date: null", "version_date: 2025-12-01")
    docs = build(source_copy, tmp_path / "out")
    assert title_page(docs["agenda"])[3:] == ["Vastgesteld door de stuurgroep RIEC Den Haag op 9 december 2025",
                                              "Versie 1.0 – 1 december 2025"]
    assert [h for h in headers(docs["agenda"]) if h] == ["RIEC Den Haag – Uitvoeringsagenda 2026"]
    # The June report is not the agenda: it stays a concept and does not borrow the agenda's version.
    page = title_page(docs["voortgang"])
    assert page[3:] == ["Concept", "Over de Uitvoeringsagenda 2026 (vastgesteld door de stuurgroep RIEC Den Haag "
                                   "op 9 december 2025)."]
    assert "1 december 2025" not in " ".join(page + headers(docs["voortgang"]))


def test_each_report_has_its_own_version_date_and_adoption(examples_copy: Path, tmp_path: Path) -> None:
    edit(examples_copy / JAARVERSLAG, 'versie: "0.9"\n', 'versie: "1.0"\nvastgesteld_op: 2027-03-12\n')
    docs = build(examples_copy, tmp_path / "out", ["voortgang", "jaarverslag"])
    assert title_page(docs["voortgang"])[4:] == ["Concept", "Over de Uitvoeringsagenda 2026 (concept, versie 1.0).",
                                                 "Versie 1.0 – 1 juli 2026"]
    assert [h for h in headers(docs["voortgang"]) if h] == [
        "VOORBEELD - fictieve gegevens – Concept, versie 1.0 – 1 juli 2026 – RIEC Den Haag – "
        "Voortgangsrapportage eerste halfjaar 2026"]
    assert title_page(docs["jaarverslag"])[4:] == [
        "Vastgesteld door de stuurgroep RIEC Den Haag op 12 maart 2027",
        "Over de Uitvoeringsagenda 2026 (concept, versie 1.0).", "Versie 1.0 – 15 februari 2027"]
    assert [h for h in headers(docs["jaarverslag"]) if h] == [
        "VOORBEELD - fictieve gegevens – RIEC Den Haag – Jaarverslag 2026"]


def test_the_annex_of_differences_only_when_the_source_asks(source_copy: Path, tmp_path: Path) -> None:
    edit(source_copy / AGENDA, "version_date: null\n", "version_date: null\ndifferences_annex: true\n")
    docs = build(source_copy, tmp_path / "out", ["agenda"])
    assert "Bijlage: afwijkingen van gepubliceerde totalen" in docx_text(docs["agenda"])
    # make check reports the differences either way (accepted ones as one note that counts them).
    notes = [p.message for p in pipeline.check(source_copy, 2026).problems.items if p.severity == "note"]
    assert any(n.startswith("11 known differences between published totals") for n in notes), notes


@pytest.mark.parametrize(("peildatum", "periode", "title"), [
    ("2026-03-31", None, "Voortgangsrapportage eerste kwartaal 2026"),
    ("2026-09-30", None, "Voortgangsrapportage eerste drie kwartalen 2026"),
    ("2026-05-15", None, "Voortgangsrapportage 1 januari tot en met 15 mei 2026"),
    ("2026-04-30", "eerste tertiaal 2026", "Voortgangsrapportage eerste tertiaal 2026"),
])
def test_a_report_is_named_after_the_period_it_covers(examples_copy: Path, tmp_path: Path, peildatum: str,
                                                      periode: str | None, title: str) -> None:
    folder = examples_copy / "2026" / "voortgang"
    (folder / "2026-06-30.csv").unlink()
    text = (folder / "2026-06-30.yaml").read_text(encoding="utf-8").replace("peildatum: 2026-06-30",
                                                                             f"peildatum: {peildatum}")
    if periode:
        text = text.replace("peildatum:", f"periode: {periode}\npeildatum:", 1)
    (folder / "2026-06-30.yaml").unlink()
    (folder / f"{peildatum}.yaml").write_text(text, encoding="utf-8")
    docs = build(examples_copy, tmp_path / "out", ["voortgang"])
    assert title_page(docs["voortgang"])[1] == title
    assert "halfjaar" not in " ".join(title_page(docs["voortgang"]) + headers(docs["voortgang"]))
    assert Document(str(docs["voortgang"])).core_properties.title.startswith(title)


# --- voorstel, then besluit ----------------------------------------------------------------

VOORSTEL = """  S1-05:
    status: vraagt aandacht
    toelichting: "Start vertraagd door wachten op landelijke kaders (fictief)."
    voorstel:
      wat: doorschuiven
      naar_jaar: 2027
      waarom: "De landelijke kaders komen pas in 2027 (fictief)."
"""
BESLUIT = """      besluit:
        datum: 2026-07-09
        referentie: "SG-2026-04 (fictief)"
"""
SEPTEMBER_TEXT = 'peildatum: 2026-09-30\nversie: "1.0"\nacties:\n  S1-05:\n    status: {status}\n' \
                 '    toelichting: "Wacht op de landelijke kaders (fictief)."\n'


def _propose_s1_05(source: Path) -> None:
    edit(source / JUNE, '  S1-05:\n    status: vraagt aandacht\n    toelichting: "Start vertraagd door wachten op '
                        'landelijke kaders (fictief)."\n', VOORSTEL)


def test_a_voorstel_then_its_besluit_across_two_peildata(examples_copy: Path, tmp_path: Path) -> None:
    _propose_s1_05(examples_copy)
    (examples_copy / JAARVERSLAG).unlink()  # the year is not over yet
    # June: the report asks the stuurgroep; nothing is shown as decided.
    docs = build(examples_copy, tmp_path / "june", ["voortgang"])
    row = next(r for r in table_rows(docs["voortgang"]) if r[0] == "S1-05" and r[2] == "Doorschuiven naar 2027")
    assert row[3] == "De landelijke kaders komen pas in 2027 (fictief). Besluit stuurgroep: nog niet genomen."
    # September is reported, and the June voorstel still has no besluit: make check says so.
    (examples_copy / SEPTEMBER).write_text(SEPTEMBER_TEXT.format(status="vraagt aandacht"), encoding="utf-8")
    warnings = [p.format() for p in pipeline.check(examples_copy, 2026).problems.warnings]
    assert (f"examples/{JUNE}:70: acties.S1-05.voorstel: the voorstel to 'doorschuiven' S1-05 has no besluit by the "
            "next report (2026-09-30) (record the stuurgroep's decision under 'voorstel:' as 'besluit:' (datum, "
            "referentie, uitkomst), or take the voorstel out)") in warnings
    # Without the besluit, September cannot call the action doorgeschoven.
    (examples_copy / SEPTEMBER).write_text(SEPTEMBER_TEXT.format(status="doorgeschoven"), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        pipeline.check(examples_copy, 2026)
    assert [p.format() for p in caught.value.problems.errors] == [
        f"examples/{SEPTEMBER}:4: acties.S1-05: status 'doorgeschoven' needs the stuurgroep decision (propose it "
        "first: add 'voorstel:' with 'wat:', 'waarom:' and 'naar_jaar:', then record the stuurgroep's 'besluit:' "
        "(datum, referentie) under it)"]
    # The besluit is recorded after the meeting, under the June voorstel.
    edit(examples_copy / JUNE, VOORSTEL, VOORSTEL + BESLUIT)
    assert not any("S1-05" in p.format() for p in pipeline.check(examples_copy, 2026).problems.items)
    pipeline.build(examples_copy, 2026, tmp_path / "sept", ["voortgang"], peildatum=None)
    september = pipeline.document_path("voortgang", 2026, tmp_path / "sept")
    rows = [r for r in table_rows(september) if r[0] == "S1-05"]
    assert rows[0][2] == "Doorgeschoven"
    assert rows[0][3] == ("Wacht op de landelijke kaders (fictief). Doorgeschoven naar 2027. Besluit stuurgroep: "
                          "9 juli 2026, SG-2026-04 (fictief).")
    text = docx_text(september)
    assert "# Besluiten over eerdere voorstellen" in text
    # S1-05 stands in the Aandachtspunten, the complete listing and (once) among the earlier decisions.
    decided = [r for r in rows if r[2] == "Doorschuiven naar 2027"]
    assert len(decided) == 1 and decided[0][3].endswith("Besluit stuurgroep: 9 juli 2026, SG-2026-04 (fictief).")
    # And the June report, rebuilt, records the decision next to its voorstel.
    pipeline.build(examples_copy, 2026, tmp_path / "june2", ["voortgang"], peildatum=dt.date(2026, 6, 30))
    june = pipeline.document_path("voortgang", 2026, tmp_path / "june2")
    row = next(r for r in table_rows(june) if r[0] == "S1-05" and r[2] == "Doorschuiven naar 2027")
    assert row[3].endswith("Besluit stuurgroep: 9 juli 2026, SG-2026-04 (fictief).")


def test_the_jaarverslag_shows_every_decision_of_the_year(example_docs: dict[str, Path]) -> None:
    text = docx_text(example_docs["jaarverslag"])
    assert "# Besluiten van de stuurgroep" in text
    decisions = text.split("# Besluiten van de stuurgroep")[1].split("\n# ")[0]
    rows = [line.split(" | ")[0].lstrip("| ") for line in decisions.splitlines() if line.startswith("| ")]
    assert rows == ["ID", "AA-08", "S2-06", "S3A-28", "S3B-11"]
    aa08 = next(r for r in table_rows(example_docs["jaarverslag"]) if r[0] == "AA-08" and r[2] == "Doorgeschoven")
    assert aa08[3].endswith("Doorgeschoven naar 2027. Besluit stuurgroep: 9 juli 2026, SG-2026-03 (fictief).")


@pytest.mark.parametrize(("voorstel", "message"), [
    ("      wat: doorschuiven\n      waarom: Later.\n",
     "6: acties.S1-05.voorstel: a voorstel to 'doorschuiven' needs 'naar_jaar' (add the year the action would "
     "move to, e.g. 'naar_jaar: 2027')"),
    ("      wat: vervallen\n      waarom: Niet nodig.\n      naar_jaar: 2027\n",
     "9: acties.S1-05.voorstel.naar_jaar: 'naar_jaar' is only used with 'wat: doorschuiven' (remove it or "
     "change 'wat')"),
    ("      wat: doorschuiven\n      waarom: Later.\n      naar_jaar: 2026\n",
     "9: acties.S1-05.voorstel.naar_jaar: an action of 2026 cannot move to 2026 (use a later year, e.g. 2027)"),
    ("      wat: uitstellen\n      waarom: Later.\n",
     "7: acties.S1-05.voorstel.wat: 'uitstellen' is not allowed (use one of: doorschuiven, vervallen)"),
    ("      wat: vervallen\n",
     "6: acties.S1-05.voorstel: required field 'waarom' is missing (add 'waarom:' with its value)"),
    ("      wat: vervallen\n      waarom: Niet nodig.\n      besluit:\n        uitkomst: akkoord\n",
     "9: acties.S1-05.voorstel.besluit: the decision has neither a date nor a reference (add 'datum:' "
     "(YYYY-MM-DD) or 'referentie:')"),
])
def test_a_bad_voorstel_is_located_and_nothing_is_written(examples_copy: Path, tmp_path: Path, voorstel: str,
                                                         message: str) -> None:
    (examples_copy / JUNE).write_text("peildatum: 2026-06-30\nacties:\n  S1-05:\n    status: vraagt aandacht\n"
                                      "    toelichting: Vertraagd.\n    voorstel:\n" + voorstel, encoding="utf-8")
    (examples_copy / JAARVERSLAG).unlink()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--source", str(examples_copy), "--output", str(out)])
    assert result.exit_code == 1, result.output
    assert f"{JUNE}:{message}" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_a_besluit_without_the_status_it_decides(examples_copy: Path) -> None:
    (examples_copy / JUNE).write_text("peildatum: 2026-06-30\nacties:\n  S1-05:\n    status: op schema\n"
                                      "    besluit:\n      referentie: SG-1\n", encoding="utf-8")
    (examples_copy / JAARVERSLAG).unlink()
    with pytest.raises(ValidationFailed) as caught:
        pipeline.check(examples_copy, 2026)
    assert [p.format() for p in caught.value.problems.errors] == [
        f"examples/{JUNE}:5: acties.S1-05.besluit: a 'besluit' belongs to status 'doorgeschoven' or 'vervallen', "
        "not 'op schema' (put a proposal under 'voorstel:' and its decision under 'voorstel: besluit:')"]
