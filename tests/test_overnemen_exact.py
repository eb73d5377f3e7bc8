"""overnemen is exact: each tracked change goes to the one field its text came from, or is refused by name.

Each case is one that went wrong when the field of a printed text was found by matching text
(issue 23): a heading with the same words as an Indeling item, a group heading shared by four
chapter files, empty table cells (and LibreOffice's unclosed bookmarks around them), a text printed
in several places, toelichtingen and voorstellen of the voortgangsrapportage, the jaarverslag's
figures. Reviews are Word-shaped (tests/wordedit.py) or made in LibreOffice (tests/uno_review.py).
"""

from __future__ import annotations

from pathlib import Path

from generator import pipeline
from generator.review.docxtext import docx_text
from generator.source.provenance import Origin
from tests.conftest import FILES
from tests.test_overnemen import ROOT, _changed_lines, _overnemen, _snapshot, libreoffice_review
from tests.wordedit import WordReview

ANNA = "Anna de Vries"


def _key(file: str, *path: str | int) -> str:
    return Origin(file, tuple(path)).key


def _review(source: Path, out: Path, kind: str = "agenda") -> WordReview:
    pipeline.build(source, 2026, out, [kind])
    return WordReview((out / FILES[kind]).read_bytes())


def _take_over(source: Path, tmp_path: Path, review: WordReview) -> tuple[int, str, dict[str, list[str]], str]:
    reviewed = tmp_path / "review.docx"
    reviewed.write_bytes(review.save())
    before = _snapshot(source)
    code, output = _overnemen(source, tmp_path / "report", reviewed)
    report = (tmp_path / "report" / "overnemen-review.md").read_text(encoding="utf-8") if code == 0 else ""
    return code, output, _changed_lines(before, _snapshot(source)), report


def _rebuilt(source: Path, tmp_path: Path, kind: str = "agenda") -> str:
    pipeline.build(source, 2026, tmp_path / "again", [kind])
    return docx_text(tmp_path / "again" / FILES[kind])


def test_the_finance_chapter_heading_goes_to_agenda_yaml_not_to_the_indeling(source_copy: Path,
                                                                             tmp_path: Path) -> None:
    review = _review(source_copy, tmp_path / "out")
    heading = _key("2026/agenda.yaml", "finance_title")
    assert review.field_text(heading) == "Financieel"
    review.retype_field(heading, "Financiën", ANNA)
    code, output, changed, report = _take_over(source_copy, tmp_path, review)
    assert code == 0, output
    assert changed == {"2026/agenda.yaml": ["-finance_title: Financieel", "+finance_title: Financiën"]}
    assert "2026/agenda.yaml, regel 20 (kop van het hoofdstuk financiën)" in report
    text = _rebuilt(source_copy, tmp_path)
    # The Indeling's item has a title of its own in inleiding.yaml, which the reviewer did not change.
    assert "Financiën" in text and "Financieel" in text


def test_a_group_heading_shared_by_four_chapter_files_is_refused_by_name(source_copy: Path, tmp_path: Path) -> None:
    review = _review(source_copy, tmp_path / "out")
    [name] = [n for n in review.bookmarks() if review.field_text(n) == "Aanpak per Spoor"]
    review.retype_field(name, "Aanpak per spoor", ANNA)
    code, output, changed, report = _take_over(source_copy, tmp_path, review)
    assert code == 0, output
    assert changed == {}
    assert ("de groepskop 'Aanpak per Spoor' staat als group in spoor-1.yaml, spoor-2.yaml, spoor-3a.yaml, "
            "spoor-3b.yaml: wijzig hem daar in elk bestand") in report


def test_an_amount_typed_into_an_empty_cell_is_taken_over_exactly(source_copy: Path, tmp_path: Path) -> None:
    review = _review(source_copy, tmp_path / "out")
    cell = _key("2026/financien/begroting.csv", "lpo", "2027")
    review.type_into_empty(cell, "€ 12.345", ANNA)
    code, output, changed, __ = _take_over(source_copy, tmp_path, review)
    assert code == 0, output
    assert changed == {"2026/financien/begroting.csv": ["-lpo,baten,LPO,257676,257676,,",
                                                        "+lpo,baten,LPO,257676,257676,12345,"]}
    assert "€ 12.345" in _rebuilt(source_copy, tmp_path)


def test_an_amount_typed_over_a_zero_is_taken_over_exactly(source_copy: Path, tmp_path: Path) -> None:
    review = _review(source_copy, tmp_path / "out")
    cell = _key("2026/financien/begroting.csv", "regiobijdrage-2024", "2026")
    assert review.field_text(cell) == "€ -"
    review.retype_field(cell, "€ 5.000", ANNA)
    code, output, changed, __ = _take_over(source_copy, tmp_path, review)
    assert code == 0, output
    assert changed == {"2026/financien/begroting.csv": [
        "-regiobijdrage-2024,baten,Meenemen regiobijdrage 2024 (gemeente),230000,0,0,0",
        "+regiobijdrage-2024,baten,Meenemen regiobijdrage 2024 (gemeente),230000,5000,0,0"]}
    assert "€ 5.000" in _rebuilt(source_copy, tmp_path)


def test_libreoffices_unclosed_bookmarks_of_empty_cells_take_in_nothing_else(source_copy: Path,
                                                                             tmp_path: Path) -> None:
    review = _review(source_copy, tmp_path / "out")
    total = next(n for n in review.bookmarks() if n.startswith(_key_computed(source_copy, "het totaal baten 2027")))
    empty = _key("2026/financien/begroting.csv", "lpo", "2027")
    review.type_into_empty(empty, "€ 1.000", ANNA)
    review.insert_in_field(total, "ca. ", ANNA)  # a computed total, after the empty cells
    heading = _key("2026/agenda.yaml", "friction_title")
    review.insert_in_field(heading, "Het ", ANNA)  # a heading after the tables
    assert review.unclose_empty_bookmarks() > 3
    code, output, changed, report = _take_over(source_copy, tmp_path, review)
    assert code == 0, output
    assert set(changed) == {"2026/financien/begroting.csv", "2026/agenda.yaml"}
    assert changed["2026/financien/begroting.csv"] == ["-lpo,baten,LPO,257676,257676,,",
                                                       "+lpo,baten,LPO,257676,257676,1000,"]
    assert len(changed["2026/agenda.yaml"]) == 2 and changed["2026/agenda.yaml"][1].startswith("+friction_title: Het ")
    assert "het totaal baten 2027 wordt berekend: wijzig de regels" in report
    assert "another version" not in output and "andere versie" not in report
    assert "2 changes taken over, 1 not taken over" in output


def _key_computed(source: Path, what: str) -> str:
    from generator.render.documents import CONTEXTS
    from generator.render.markers import field_index

    validated, reports = pipeline.load_all(source, 2026)
    index = field_index([build(validated, reports, False) for build in CONTEXTS.values()])
    [key] = [k for k, f in index.items() if f[0].computed == f"{what} wordt berekend: wijzig de regels"]
    return key


def test_an_amount_retyped_whole_is_taken_over_exactly(source_copy: Path, tmp_path: Path) -> None:
    review = _review(source_copy, tmp_path / "out")
    review.retype_field(_key("2026/financien/begroting.csv", "rijksbijdrage", "2025"), "€ 6.000.000", ANNA)
    code, output, changed, __ = _take_over(source_copy, tmp_path, review)
    assert code == 0, output
    assert changed == {"2026/financien/begroting.csv": [
        "-rijksbijdrage,baten,Rijksbijdrage,5953678,5953678,6211354,6211354",
        "+rijksbijdrage,baten,Rijksbijdrage,6000000,5953678,6211354,6211354"]}


def _repeated(review: WordReview, file_part: str, last: str) -> str:
    """A key printed in more than one place whose field is `last` in a file containing `file_part`."""
    from generator.render.documents import CONTEXTS
    from generator.render.markers import field_index

    validated, reports = pipeline.load_all(ROOT / "examples" / "source", 2026)
    index = field_index([build(validated, reports, True) for build in CONTEXTS.values()])
    names = review.bookmarks()
    for key, fields in index.items():
        if file_part in fields[0].file and fields[0].path[-1] == last and f"{key}_3" in names:
            return key
    raise AssertionError(f"no repeated {last} in {file_part}")


def test_a_text_printed_in_three_places_changed_alike_is_taken_over_once(examples_copy: Path, tmp_path: Path) -> None:
    review = _review(examples_copy, tmp_path / "out", "voortgang")
    key = _repeated(review, "hoofdstukken", "title")
    places = [n for n in review.bookmarks() if n == key or n.startswith(key + "_")]
    for name in places:
        review.insert_in_field(name, "Herzien: ", ANNA)
    code, output, changed, __ = _take_over(examples_copy, tmp_path, review)
    assert code == 0, output
    assert "1 change taken over, 0 not" in output
    [(file, lines)] = changed.items()
    assert file.startswith("2026/hoofdstukken/") and len(lines) == 2 and "Herzien: " in lines[1]
    assert _rebuilt(examples_copy, tmp_path, "voortgang").count("Herzien: ") == len(places)


def test_a_text_printed_in_three_places_changed_differently_is_refused_naming_both(examples_copy: Path,
                                                                                  tmp_path: Path) -> None:
    review = _review(examples_copy, tmp_path / "out", "voortgang")
    key = _repeated(review, "hoofdstukken", "title")
    review.insert_in_field(key, "Eerst: ", ANNA)
    review.insert_in_field(f"{key}_2", "Later: ", "Piet Jansen")
    code, output, changed, report = _take_over(examples_copy, tmp_path, review)
    assert code == 0, output
    assert changed == {}
    assert "was changed differently in them" in output or "verschillend" in report or "differently" in report
    assert "Eerst: " in report and "Later: " in report


def test_a_text_changed_in_one_of_its_places_is_taken_over_and_the_other_places_are_named(
        examples_copy: Path, tmp_path: Path) -> None:
    # One source field, so one text: the reviewer fixes it where they read it; the rebuilt document
    # shows the fix in every place, and the report and the command say so (never silently).
    review = _review(examples_copy, tmp_path / "out", "voortgang")
    key = _repeated(review, "hoofdstukken", "title")
    places = [n for n in review.bookmarks() if n == key or n.startswith(key + "_")]
    review.insert_in_field(f"{key}_2", "Herzien: ", ANNA)
    code, output, changed, report = _take_over(examples_copy, tmp_path, review)
    assert code == 0, output
    assert "1 change taken over, 0 not taken over" in output
    [(file, lines)] = changed.items()
    assert file.startswith("2026/hoofdstukken/") and len(lines) == 2 and "Herzien: " in lines[1]
    others = [str(n) for n in range(1, len(places) + 1) if n != 2]
    others_nl = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " en " + others[-1]
    assert (f"(deze tekst staat op {len(places)} plaatsen in het document; de reviewer wijzigde hem op plaats 2; "
            f"in het opnieuw gebouwde document verandert hij ook op plaats {others_nl})") in report
    assert (f"taken over for every place it is printed: {file}, regel ") in output
    assert f"the reviewer changed it in place 2 of {len(places)}; the rebuilt document also changes in place " \
           f"{', '.join(others)}" in output
    assert _rebuilt(examples_copy, tmp_path, "voortgang").count("Herzien: ") == len(places)


def test_toelichting_and_voorstel_of_the_voortgang_go_back_into_its_yaml(examples_copy: Path, tmp_path: Path) -> None:
    review = _review(examples_copy, tmp_path / "out", "voortgang")
    file = "2026/voortgang/2026-06-30.yaml"
    toelichting = next(n for n in review.bookmarks() if n in _keys_of(examples_copy, file, "toelichting"))
    review.insert_in_field(toelichting, "Inmiddels: ", ANNA)
    waarom = next(k for k in review.bookmarks() if k.split("_")[0] in _keys_of(examples_copy, file, "waarom"))
    review.insert_in_field(waarom, "Want: ", ANNA)
    code, output, changed, __ = _take_over(examples_copy, tmp_path, review)
    assert code == 0, output
    assert list(changed) == [file]
    added = [line for line in changed[file] if line.startswith("+")]
    assert len(added) == 2 and any("Inmiddels: " in a for a in added) and any("Want: " in a for a in added)


def _keys_of(source: Path, file: str, last: str) -> set[str]:
    from generator.render.documents import CONTEXTS
    from generator.render.markers import field_index

    validated, reports = pipeline.load_all(source, 2026)
    index = field_index([build(validated, reports, True) for build in CONTEXTS.values()])
    return {k for k, f in index.items() if f[0].file == file and f[0].path[-1] == last}


def test_jaarverslag_figures_go_back_into_jaarverslag_yaml_and_realisatie_csv(examples_copy: Path,
                                                                              tmp_path: Path) -> None:
    review = _review(examples_copy, tmp_path / "out", "jaarverslag")
    names = review.bookmarks()
    kerncijfer = _key("2026/jaarverslag.yaml", "kerncijfers", 0, "waarde")
    assert kerncijfer in names
    old = review.field_text(kerncijfer)
    review.retype_field(kerncijfer, "1.234", ANNA)
    realised = next(n for n in names if n.split("_")[0] in _keys_of(examples_copy, "2026/financien/realisatie.csv",
                                                                      "realisatie") and review.field_text(n))
    review.retype_field(realised, "€ 99.999", ANNA)
    code, output, changed, __ = _take_over(examples_copy, tmp_path, review)
    assert code == 0, output
    assert sorted(changed) == ["2026/financien/realisatie.csv", "2026/jaarverslag.yaml"]
    assert changed["2026/jaarverslag.yaml"] == [f"-  - {{naam: Ontvangen signalen, waarde: {old}, vorig_jaar: 386}}",
                                                "+  - {naam: Ontvangen signalen, waarde: 1234, vorig_jaar: 386}"]
    assert ",99999," in changed["2026/financien/realisatie.csv"][1]


def test_a_whole_amount_retyped_in_libreoffice_is_taken_over_exactly(source_copy: Path, tmp_path: Path) -> None:
    pipeline.build(source_copy, 2026, tmp_path / "out", ["agenda"])
    # LibreOffice puts the bookmark's end inside the insertion: the new digits lie outside the field.
    edits: list[dict[str, object]] = [{"author": ANNA, "replace": ["257.676", "260.000"]}]
    reviewed = libreoffice_review(tmp_path / "out" / FILES["agenda"], edits, tmp_path)
    before = _snapshot(source_copy)
    code, output = _overnemen(source_copy, tmp_path / "report", reviewed)
    assert code == 0, output
    assert _changed_lines(before, _snapshot(source_copy)) == {
        "2026/financien/begroting.csv": ["-lpo,baten,LPO,257676,257676,,", "+lpo,baten,LPO,260000,257676,,"]}


def test_a_text_holding_a_year_placeholder_is_taken_over_and_the_placeholder_kept(source_copy: Path,
                                                                                   tmp_path: Path) -> None:
    spoor1 = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    spoor1.write_text(spoor1.read_text(encoding="utf-8").replace("een betere samenwerking",
                                                                 "een betere samenwerking in {jaar}"), encoding="utf-8")
    review = _review(source_copy, tmp_path / "out")
    review.replace("Gemeenten versterken hun preventieve", "betere", "nauwere", ANNA)
    code, output, _changed, _report = _take_over(source_copy, tmp_path, review)
    assert code == 0, output
    text = spoor1.read_text(encoding="utf-8")
    # The reviewer changed a word and left the printed year alone: the year stays a placeholder.
    assert "een nauwere samenwerking in {jaar}" in text
    assert "een betere samenwerking" not in text
