"""The corpus of editors' mistakes: each gives one exact message, exit code 1, and changes nothing.

Every case is one entry in CASES: a name, the file it changes (relative to a copy of the
project holding `source/` and `templates/`), an edit, the exact problem line the user must
see in English and in Dutch, and the exit code. Each case is run through the real command
line, `build` and `check` in English and `check` in Dutch (the messages are the same for
both commands, so the Dutch build would only double the time), against an output folder
built before from the real source, which must stay byte-for-byte unchanged.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from generator import pipeline
from generator.cli import main
from tests.conftest import ROOT, SOURCE

Edit = Callable[[bytes], bytes | None]  # new content of the file; None deletes it

@dataclass(frozen=True)
class Case:
    """One bad input: what to change, and the exact problem line it must produce."""

    name: str
    file: str
    edit: Edit
    message: str
    message_nl: str  # the same line in Dutch, the users' language
    exit_code: int = 1


def replace(old: str, new: str) -> Edit:
    """Replace the first `old` in a UTF-8 text file by `new`."""
    def edit(data: bytes) -> bytes:
        text = data.decode("utf-8")
        assert old in text, f"the corpus case no longer matches its file: {old!r}"
        return text.replace(old, new, 1).encode("utf-8")
    return edit


def content(new: bytes | str) -> Edit:
    """Replace the whole file."""
    return lambda _: new if isinstance(new, bytes) else new.encode("utf-8")


def excel(data: bytes) -> bytes:
    """A comma-separated UTF-8 file as Dutch Excel saves it: ';', Windows-1252, CRLF."""
    return data.decode("utf-8").replace(",", ";").replace("\n", "\r\n").encode("cp1252")


def delete() -> Edit:
    return lambda _: None


def template(*paragraphs: str | list[str]) -> Edit:
    """A Word template with these paragraphs; a list is one paragraph split into runs."""
    def edit(_: bytes) -> bytes:
        doc = Document()
        for paragraph in paragraphs:
            runs = [paragraph] if isinstance(paragraph, str) else paragraph
            p = doc.add_paragraph()
            for run in runs:
                p.add_run(run)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    return edit


AGENDA = "source/2026/agenda.yaml"
PARTNERS = "source/partners.yaml"
INTRO = "source/2026/inleiding.yaml"
SPOOR1 = "source/2026/hoofdstukken/spoor-1.yaml"
BUDGET = "source/2026/financien/begroting.csv"
FRICTION = "source/2026/financien/frictiebudget.csv"
PUBLISHED = "source/2026/financien/gepubliceerd.csv"
TEMPLATE = "templates/uitvoeringsagenda.docx"
VOORTGANG = "source/2026/voortgang/2026-06-30.yaml"
REALISATIE = "source/2026/financien/realisatie.csv"

CASES: list[Case] = [
    # --- YAML ---------------------------------------------------------------------------
    Case("yaml syntax error", AGENDA, replace("title: Uitvoeringsagenda 2026", "title: Agenda: 2026"),
         "source/2026/agenda.yaml:5: YAML syntax error, column 14: a ':' where YAML does not expect one "
         "(check that this line is indented like the lines above it, and put text that contains ': ' "
         "between double quotes)",
         message_nl="source/2026/agenda.yaml:5: YAML-fout, kolom 14: een ':' waar YAML die niet verwacht (controleer "
                    "of deze regel net zo inspringt als de regels erboven, en zet tekst met ': ' tussen dubbele "
                    "aanhalingstekens)"),
    Case("unclosed quote", AGENDA, replace('version: "1.0"', 'version: "1.0'),
         "source/2026/agenda.yaml:11: YAML syntax error, column 10: the quoted text that starts here "
         "is never closed (add the closing quote at the end of the text)",
         message_nl="source/2026/agenda.yaml:11: YAML-fout, kolom 10: de tekst tussen aanhalingstekens die hier "
                    "begint, wordt nergens afgesloten (zet het sluitende aanhalingsteken aan het eind van de tekst)"),
    Case("bad indentation", SPOOR1, replace("        partners: [dealbreakers, gemeenten]\n\n      - id: S1-03",
                                            "       partners: [dealbreakers, gemeenten]\n\n      - id: S1-03"),
         "source/2026/hoofdstukken/spoor-1.yaml:57: YAML syntax error, column 8: this line is indented "
         "differently from the lines above (give the keys of one block the same number of spaces in "
         "front)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:57: YAML-fout, kolom 8: deze regel springt anders in dan de "
                    "regels erboven (zet voor de sleutels van één blok even veel spaties)"),
    Case("text continues after a colon", AGENDA, replace("organisation: RIEC Den Haag",
                                                         "  organisation: RIEC Den Haag"),
         "source/2026/agenda.yaml:7: YAML syntax error, column 15: a ':' where YAML does not expect "
         "one (check that this line is indented like the lines above it, and put text that contains ': "
         "' between double quotes)",
         message_nl="source/2026/agenda.yaml:7: YAML-fout, kolom 15: een ':' waar YAML die niet verwacht (controleer "
                    "of deze regel net zo inspringt als de regels erboven, en zet tekst met ': ' tussen dubbele "
                    "aanhalingstekens)"),
    Case("line without colon", AGENDA, replace("organisation: RIEC Den Haag", "organisation RIEC Den Haag"),
         "source/2026/agenda.yaml:7: YAML syntax error, column 1: a line without ':' where a 'key: "
         "value' line is expected (add the ':' or join the line to the text above it)",
         message_nl="source/2026/agenda.yaml:7: YAML-fout, kolom 1: een regel zonder ':' waar een regel 'sleutel: "
                    "waarde' wordt verwacht (voeg de ':' toe, of voeg de regel samen met de tekst erboven)"),
    Case("python tag on a block", AGENDA, replace("period: [2025, 2028]",
                                                  "period: !!python/object/apply:os.system [ls]"),
         "source/2026/agenda.yaml:9: the tag '!!python/object/apply:os.system' is not allowed (remove "
         "the part starting with '!'; source files hold only text, numbers, lists and 'key: value' "
         "lines)",
         message_nl="source/2026/agenda.yaml:9: de tag '!!python/object/apply:os.system' is niet toegestaan (verwijder "
                    "het deel dat met '!' begint; bronbestanden bevatten alleen tekst, getallen, lijsten en regels "
                    "'sleutel: waarde')"),
    Case("tab indentation", SPOOR1, replace("        partners: [dealbreakers, gemeenten]\n\n      - id: S1-03",
                                            "\tpartners: [dealbreakers, gemeenten]\n\n      - id: S1-03"),
         "source/2026/hoofdstukken/spoor-1.yaml:57: a tab is used for indentation (indent with spaces "
         "only)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:57: er is met een tab ingesprongen (spring alleen met "
                    "spaties in)"),
    Case("key written twice", SPOOR1, replace("        partners: [dealbreakers, gemeenten]\n\n      - id: S1-03",
                                              "        partners: [dealbreakers, gemeenten]\n"
                                              "        text: Een tweede tekst.\n\n      - id: S1-03"),
         "source/2026/hoofdstukken/spoor-1.yaml:58: sections[0].actions[1].text: key 'text' is written "
         "twice in the same block (first on line 51) (merge the two into one; otherwise one of them "
         "would be lost)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:58: sections[0].actions[1].text: sleutel 'text' staat twee "
                    "keer in hetzelfde blok (eerst op regel 51) (voeg de twee samen tot één; anders gaat er een "
                    "verloren)"),
    Case("text is a list", AGENDA, replace("title: Uitvoeringsagenda 2026", "title: [Uitvoeringsagenda, 2026]"),
         "source/2026/agenda.yaml:5: title: should be text, not a list (if it is one text, put it between "
         "double quotes)",
         message_nl="source/2026/agenda.yaml:5: title: moet tekst zijn, niet een lijst (is het één tekst, zet die dan "
                    "tussen dubbele aanhalingstekens)"),
    Case("number where text", AGENDA, replace('version: "1.0"', "version: 1.0"),
         "source/2026/agenda.yaml:11: version: should be text, not the number 1.0 (put it between "
         "double quotes)",
         message_nl="source/2026/agenda.yaml:11: version: moet tekst zijn, niet het getal 1.0 (zet het tussen dubbele "
                    "aanhalingstekens)"),
    Case("text where number", AGENDA, replace("year: 2026", "year: tweeduizend"),
         "source/2026/agenda.yaml:8: year: should be a whole number, not 'tweeduizend'",
         message_nl="source/2026/agenda.yaml:8: year: moet een heel getal zijn, niet 'tweeduizend'"),
    Case("text where list", SPOOR1, replace("partners: [dealbreakers, gemeenten]", "partners: dealbreakers"),
         "source/2026/hoofdstukken/spoor-1.yaml:57: sections[0].actions[1].partners: should be a list "
         "(lines starting with '- '), not 'dealbreakers' (write each item on its own line, starting "
         "with '- ')",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:57: sections[0].actions[1].partners: moet een lijst zijn "
                    "(regels die met '- ' beginnen), niet 'dealbreakers' (zet elk onderdeel op een eigen regel, "
                    "beginnend met '- ')"),
    Case("empty file", PARTNERS, content(""),
         "source/partners.yaml: file is empty (restore its content from git)",
         message_nl="source/partners.yaml: bestand is leeg (zet de inhoud terug uit git)"),
    Case("only comments", PARTNERS, content("# partners\n# none yet\n"),
         "source/partners.yaml: file is empty (it holds only comments) (restore its content from git)",
         message_nl="source/partners.yaml: bestand is leeg (er staat alleen commentaar in) (zet de inhoud terug uit "
                    "git)"),
    Case("missing file", INTRO, delete(),
         "source/2026/inleiding.yaml: file is missing (restore it from git or create it)",
         message_nl="source/2026/inleiding.yaml: bestand ontbreekt (zet het terug uit git, of maak het aan)"),
    Case("not utf-8", SPOOR1, lambda data: data.replace("geëvalueerd".encode(), "geëvalueerd".encode("cp1252")),
         "source/2026/hoofdstukken/spoor-1.yaml:17: file mixes two encodings: UTF-8, and another one from "
         "this line (retype the accented letters or quotes on this line, and save the file with the "
         "encoding UTF-8)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:17: bestand mengt twee coderingen: UTF-8, en vanaf deze "
                    "regel een andere (typ de letters met accenten of de aanhalingstekens op deze regel opnieuw, en "
                    "sla het bestand op met de codering UTF-8)"),
    Case("neither utf-8 nor windows-1252", BUDGET, lambda data: data.replace(b"LIEC,", b"LI\x81C,"),
         "source/2026/financien/begroting.csv:13: file is neither UTF-8 nor Windows-1252 text (save it "
         "with the encoding UTF-8 (in Excel: 'CSV UTF-8'))",
         message_nl="source/2026/financien/begroting.csv:13: bestand is geen UTF-8- en geen Windows-1252-tekst (sla "
                    "het op met de codering UTF-8 (in Excel: 'CSV UTF-8'))"),
    Case("stray byte in a utf-8 file", SPOOR1, lambda data: data.replace("geëvalueerd".encode(), b"ge\x81valueerd"),
         "source/2026/hoofdstukken/spoor-1.yaml:17: file mixes two encodings: UTF-8, and another one from "
         "this line (retype the accented letters or quotes on this line, and save the file with the "
         "encoding UTF-8)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:17: bestand mengt twee coderingen: UTF-8, en vanaf deze "
                    "regel een andere (typ de letters met accenten of de aanhalingstekens op deze regel opnieuw, en "
                    "sla het bestand op met de codering UTF-8)"),
    Case("utf-16", BUDGET, lambda data: data.decode().encode("utf-16"),
         "source/2026/financien/begroting.csv:1: file is saved as Unicode text (UTF-16) (save it as "
         "'CSV UTF-8' (Excel) or with the encoding UTF-8)",
         message_nl="source/2026/financien/begroting.csv:1: bestand is opgeslagen als Unicode-tekst (UTF-16) (sla het "
                    "op als 'CSV UTF-8' (Excel) of met de codering UTF-8)"),
    Case("unknown key in an action", SPOOR1, replace("        partners: [dealbreakers, gemeenten]\n\n      - id: S1-03",
                                                     "        partnrs: [dealbreakers, gemeenten]\n\n      - id: S1-03"),
         "source/2026/hoofdstukken/spoor-1.yaml:57: sections[0].actions[1].partnrs: unknown key "
         "'partnrs' (did you mean 'partners' or 'partners_wording'?)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:57: sections[0].actions[1].partnrs: onbekende sleutel "
                    "'partnrs' (bedoelt u 'partners' of 'partners_wording'?)"),
    Case("unknown key at the top", AGENDA, replace("title: Uitvoeringsagenda 2026", "titel: Uitvoeringsagenda 2026"),
         "source/2026/agenda.yaml:5: titel: unknown key 'titel' (did you mean 'title' or 'subtitle'?)",
         message_nl="source/2026/agenda.yaml:5: titel: onbekende sleutel 'titel' (bedoelt u 'title' of 'subtitle'?)"),
    Case("missing required field", SPOOR1, replace("      - id: S1-03\n        text: >-\n          Het RIEC-bureau "
                                                   "continueert de organisatie van het leernetwerk voor de\n",
                                                   "      - id: S1-03\n        title: >-\n          Het RIEC-bureau "
                                                   "continueert de organisatie van het leernetwerk voor de\n"),
         "source/2026/hoofdstukken/spoor-1.yaml:59: sections[0].actions[2]: required field 'text' is "
         "missing (add 'text:' with its value)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:59: sections[0].actions[2]: verplicht veld 'text' ontbreekt "
                    "(voeg 'text:' toe met de waarde)"),
    Case("python object tag", AGENDA, replace("adopted_on: null", "adopted_on: !!python/name:os.system"),
         "source/2026/agenda.yaml:10: the tag '!!python/name:os.system' is not allowed (remove the "
         "part starting with '!'; source files hold only text, numbers, lists and 'key: value' lines)",
         message_nl="source/2026/agenda.yaml:10: de tag '!!python/name:os.system' is niet toegestaan (verwijder het "
                    "deel dat met '!' begint; bronbestanden bevatten alleen tekst, getallen, lijsten en regels "
                    "'sleutel: waarde')"),
    Case("alias", AGENDA, replace("organisation: RIEC Den Haag", "organisation: *riec"),
         "source/2026/agenda.yaml:7: YAML syntax error, column 15: '*' (an alias) is not supported "
         "(write the text out in full; put text that starts with '*' between double quotes)",
         message_nl="source/2026/agenda.yaml:7: YAML-fout, kolom 15: '*' (een alias) wordt niet ondersteund (schrijf "
                    "de tekst helemaal uit; zet tekst die met '*' begint tussen dubbele aanhalingstekens)"),
    Case("control character", AGENDA, replace("organisation: RIEC Den Haag", "organisation: RIEC\x07 Den Haag"),
         "source/2026/agenda.yaml:7: the file contains an invisible control character (U+0007) that is "
         "not allowed (delete it; it usually comes with text pasted from another program)",
         message_nl="source/2026/agenda.yaml:7: het bestand bevat een onzichtbaar stuurteken (U+0007) dat niet is "
                    "toegestaan (verwijder het; het komt meestal mee met tekst die uit een ander programma is "
                    "geplakt)"),
    Case("impossible date", AGENDA, replace("adopted_on: null", "adopted_on: 2026-13-45"),
         "source/2026/agenda.yaml:10: adopted_on: '2026-13-45' is not a valid date (dates are written "
         "YYYY-MM-DD; put text between double quotes)",
         message_nl="source/2026/agenda.yaml:10: adopted_on: '2026-13-45' is geen geldige datum (datums schrijft u als "
                    "JJJJ-MM-DD; zet tekst tussen dubbele aanhalingstekens)"),
    Case("date in words", AGENDA, replace("adopted_on: null", "adopted_on: 24 oktober 2024"),
         "source/2026/agenda.yaml:10: adopted_on: should be a date written as YYYY-MM-DD, not '24 "
         "oktober 2024' (for example 2026-03-31, or leave it empty)",
         message_nl="source/2026/agenda.yaml:10: adopted_on: moet een datum zijn in de vorm JJJJ-MM-DD, niet '24 "
                    "oktober 2024' (bijvoorbeeld 2026-03-31, of laat het leeg)"),
    Case("second document", AGENDA, replace("chapters:", "---\nchapters:"),
         "source/2026/agenda.yaml:13: the file holds more than one YAML document (a line '---' in the "
         "middle) (remove the '---' line, or move the second part to its own file)",
         message_nl="source/2026/agenda.yaml:13: het bestand bevat meer dan één YAML-document (een regel '---' in het "
                    "midden) (verwijder de regel '---', of zet het tweede deel in een eigen bestand)"),
    Case("invalid action id", SPOOR1, replace("id: S1-03", "id: S1-3"),
         "source/2026/hoofdstukken/spoor-1.yaml:59: sections[0].actions[2].id: 'S1-3' is not a valid "
         "ID (action IDs look like 'S1-07': capitals, digits and hyphens, ending in a number)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:59: sections[0].actions[2].id: 'S1-3' is geen geldige ID "
                    "(actie-ID's zien eruit als 'S1-07': hoofdletters, cijfers en streepjes, met een getal aan het "
                    "eind)"),
    Case("value outside the list", PARTNERS, replace("kind: politie-justitie", "kind: politie"),
         "source/partners.yaml:104: partners[16].kind: 'politie' is not allowed (did you mean "
         "'provincie' or 'politie-justitie'?)",
         message_nl="source/partners.yaml:104: partners[16].kind: 'politie' is niet toegestaan (bedoelt u 'provincie' "
                    "of 'politie-justitie'?)"),
    Case("misspelt list block", AGENDA, replace("finance_notes:\n  - bullets:", "finance_notes:\n  - bulets:"),
         "source/2026/agenda.yaml:22: finance_notes[0].bulets: unknown key 'bulets' (did you mean "
         "'bullets'?)",
         message_nl="source/2026/agenda.yaml:22: finance_notes[0].bulets: onbekende sleutel 'bulets' (bedoelt u "
                    "'bullets'?)"),
    Case("chapter file missing", AGENDA, replace("  - spoor-1\n", "  - spoor-01\n"),
         "source/2026/agenda.yaml:15: chapters[1]: there is no chapter file "
         "'source/2026/hoofdstukken/spoor-01.yaml' (did you mean 'spoor-1' or 'spoor-2' or "
         "'spoor-3b'?)",
         message_nl="source/2026/agenda.yaml:15: chapters[1]: er is geen hoofdstukbestand "
                    "'source/2026/hoofdstukken/spoor-01.yaml' (bedoelt u 'spoor-1' of 'spoor-2' of 'spoor-3b'?)"),
    Case("chapter listed twice", AGENDA, replace("  - spoor-1\n", "  - spoor-1\n  - spoor-1\n"),
         "source/2026/agenda.yaml:16: chapters[2]: chapter 'spoor-1' is listed twice (also "
         "chapters[1]) (remove one of the two)",
         message_nl="source/2026/agenda.yaml:16: chapters[2]: hoofdstuk 'spoor-1' staat er twee keer in (ook "
                    "chapters[1]) (verwijder een van de twee)"),
    Case("chapter id differs from file", SPOOR1, replace("id: spoor-1", "id: spoor-een"),
         "source/2026/hoofdstukken/spoor-1.yaml:6: id: chapter id 'spoor-een' differs from the file "
         "name 'spoor-1' (write 'id: spoor-1' or rename the file)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:6: id: hoofdstuk-id 'spoor-een' wijkt af van de "
                    "bestandsnaam 'spoor-1' (schrijf 'id: spoor-1', of geef het bestand een andere naam)"),
    # --- CSV amounts ----------------------------------------------------------------------
    Case("non-numeric amount", BUDGET, replace("huisvesting,lasten,Huisvesting,150000",
                                               "huisvesting,lasten,Huisvesting,honderdvijftigduizend"),
         "source/2026/financien/begroting.csv:12: 2025: 'honderdvijftigduizend' is not an amount "
         "(write a whole number of euros (digits only, e.g. 5953678), or leave the cell empty)",
         message_nl="source/2026/financien/begroting.csv:12: 2025: 'honderdvijftigduizend' is geen bedrag (schrijf een "
                    "heel aantal euro's (alleen cijfers, bijvoorbeeld 5953678), of laat de cel leeg)"),
    Case("dutch-style amount", BUDGET, replace('rijksbijdrage,baten,Rijksbijdrage,5953678',
                                               'rijksbijdrage,baten,Rijksbijdrage,"€ 5.953.678"'),
         "source/2026/financien/begroting.csv:2: 2025: amount '€ 5.953.678' is written with € or dots "
         "(write whole euros as digits only: 5953678)",
         message_nl="source/2026/financien/begroting.csv:2: 2025: bedrag '€ 5.953.678' is geschreven met € of punten "
                    "(schrijf hele euro's alleen in cijfers: 5953678)"),
    Case("thousands dots", BUDGET, replace("rijksbijdrage,baten,Rijksbijdrage,5953678",
                                           "rijksbijdrage,baten,Rijksbijdrage,5.953.678"),
         "source/2026/financien/begroting.csv:2: 2025: amount '5.953.678' is written with € or dots "
         "(write whole euros as digits only: 5953678)",
         message_nl="source/2026/financien/begroting.csv:2: 2025: bedrag '5.953.678' is geschreven met € of punten "
                    "(schrijf hele euro's alleen in cijfers: 5953678)"),
    Case("decimals", BUDGET, replace("liec,lasten,LIEC,60000", 'liec,lasten,LIEC,"60000,50"'),
         "source/2026/financien/begroting.csv:13: 2025: amount '60000,50' has decimals (amounts are "
         "whole euros: round to a whole number)",
         message_nl="source/2026/financien/begroting.csv:13: 2025: bedrag '60000,50' heeft decimalen (bedragen zijn "
                    "hele euro's: rond af op een heel getal)"),
    Case("zero decimals", BUDGET, replace("liec,lasten,LIEC,60000", "liec,lasten,LIEC,60000.00"),
         "source/2026/financien/begroting.csv:13: 2025: amount '60000.00' has decimals (amounts are "
         "whole euros: write 60000)",
         message_nl="source/2026/financien/begroting.csv:13: 2025: bedrag '60000.00' heeft decimalen (bedragen zijn "
                    "hele euro's: schrijf 60000)"),
    Case("unknown year column", BUDGET, replace("regel,soort,omschrijving,2025,2026,2027,2028",
                                                "regel,soort,omschrijving,2025,2026,2027,2O28"),
         "source/2026/financien/begroting.csv:1: 2O28: unknown column '2O28' (year columns are written "
         "as 4 digits, e.g. 2026)",
         message_nl="source/2026/financien/begroting.csv:1: 2O28: onbekende kolom '2O28' (jaarkolommen schrijft u als "
                    "4 cijfers, bijvoorbeeld 2026)"),
    Case("duplicate budget line", BUDGET, replace("liec,lasten,LIEC,", "huisvesting,lasten,LIEC,"),
         "source/2026/financien/begroting.csv:13: regel: budget line 'huisvesting' appears twice "
         "(first on line 12) (merge the two rows or give one another ID)",
         message_nl="source/2026/financien/begroting.csv:13: regel: begrotingsregel 'huisvesting' staat er twee keer "
                    "(eerst op regel 12) (voeg de twee rijen samen, of geef een ervan een andere ID)"),
    Case("empty row", BUDGET, replace("liec,lasten,LIEC,", ",,,,,,\nliec,lasten,LIEC,"),
         "source/2026/financien/begroting.csv:13: empty row (delete the row)",
         message_nl="source/2026/financien/begroting.csv:13: lege rij (verwijder de rij)"),
    Case("unquoted comma", BUDGET, replace("liec,lasten,LIEC,", "liec,lasten,LIEC, landelijk,"),
         "source/2026/financien/begroting.csv:13: row has 8 cells, the header has 7 (put text that "
         "contains a comma between double quotes, and write amounts without separators)",
         message_nl="source/2026/financien/begroting.csv:13: rij heeft 8 cellen, de kopregel heeft er 7 (zet tekst met "
                    "een komma tussen dubbele aanhalingstekens, en schrijf bedragen zonder scheidingstekens)"),
    Case("excel amount with euro and dots", BUDGET,
         lambda data: excel(data).replace(b"Rijksbijdrage;5953678", "Rijksbijdrage;€ 5.953.678".encode("cp1252")),
         "source/2026/financien/begroting.csv:2: 2025: amount '€ 5.953.678' is written with € or dots "
         "(write whole euros as digits only: 5953678)",
         message_nl="source/2026/financien/begroting.csv:2: 2025: bedrag '€ 5.953.678' is geschreven met € of punten "
                    "(schrijf hele euro's alleen in cijfers: 5953678)"),
    Case("excel amount with thousands dots", BUDGET,
         lambda data: excel(data).replace(b"LIEC;60000", b"LIEC;60.000"),
         "source/2026/financien/begroting.csv:13: 2025: amount '60.000' is written with € or dots "
         "(write whole euros as digits only: 60000)",
         message_nl="source/2026/financien/begroting.csv:13: 2025: bedrag '60.000' is geschreven met € of punten "
                    "(schrijf hele euro's alleen in cijfers: 60000)"),
    Case("excel semicolon in unquoted text", BUDGET,
         lambda data: excel(data).replace(b"LIEC;60000", b"LIEC; landelijk;60000"),
         "source/2026/financien/begroting.csv:13: row has 8 cells, the header has 7 (put text that "
         "contains a semicolon (;) between double quotes, and write amounts without separators)",
         message_nl="source/2026/financien/begroting.csv:13: rij heeft 8 cellen, de kopregel heeft er 7 (zet tekst met "
                    "een puntkomma (;) tussen dubbele aanhalingstekens, en schrijf bedragen zonder scheidingstekens)"),
    Case("unknown kind", BUDGET, replace("liec,lasten,", "liec,lastn,"),
         "source/2026/financien/begroting.csv:13: soort: 'lastn' is not allowed (did you mean 'lasten' "
         "or 'baten'?)",
         message_nl="source/2026/financien/begroting.csv:13: soort: 'lastn' is niet toegestaan (bedoelt u 'lasten' of "
                    "'baten'?)"),
    Case("duplicate column", FRICTION, replace("tabel,regel,omschrijving,financiering,2025,2026",
                                               "tabel,regel,omschrijving,financiering,2025,2025"),
         "source/2026/financien/frictiebudget.csv:1: 2025: column '2025' appears twice in the header "
         "(every column name must be different)",
         message_nl="source/2026/financien/frictiebudget.csv:1: 2025: kolom '2025' staat twee keer in de kopregel "
                    "(elke kolomnaam moet anders zijn)"),
    Case("published year unknown", PUBLISHED, replace("baten,2025,7499045", "baten,2030,7499045"),
         "source/2026/financien/gepubliceerd.csv:2: jaar: '2030' is not a year of this table (use one "
         "of: 2025, 2026, 2027, 2028, 2025-2028)",
         message_nl="source/2026/financien/gepubliceerd.csv:2: jaar: '2030' is geen jaar van deze tabel (gebruik een "
                    "van: 2025, 2026, 2027, 2028, 2025-2028)"),
    Case("published amount empty", PUBLISHED, replace("baten,2025,7499045", "baten,2025,"),
         "source/2026/financien/gepubliceerd.csv:2: bedrag: amount is empty (write the total as "
         "published, or delete the row)",
         message_nl="source/2026/financien/gepubliceerd.csv:2: bedrag: bedrag is leeg (schrijf het totaal zoals het is "
                    "gepubliceerd, of verwijder de rij)"),
    # --- references ------------------------------------------------------------------------
    Case("unknown partner", SPOOR1, replace("partners: [dealbreakers, gemeenten]",
                                            "partners: [dealbreakers, gemeentn]"),
         "source/2026/hoofdstukken/spoor-1.yaml:57: sections[0].actions[1].partners[1]: unknown "
         "partner 'gemeentn' (did you mean 'gemeenten' or 'gemeente-leiden' or 'gemeente-den-haag'?)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:57: sections[0].actions[1].partners[1]: onbekende partner "
                    "'gemeentn' (bedoelt u 'gemeenten' of 'gemeente-leiden' of 'gemeente-den-haag'?)"),
    Case("duplicate action id", SPOOR1, replace("id: S1-03", "id: S1-02"),
         "source/2026/hoofdstukken/spoor-1.yaml:59: sections[0].actions[2].id: action ID 'S1-02' is "
         "used twice (also at source/2026/hoofdstukken/spoor-1.yaml:50) (give the new action an ID "
         "that is not used yet)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:59: sections[0].actions[2].id: actie-ID 'S1-02' wordt twee "
                    "keer gebruikt (ook in source/2026/hoofdstukken/spoor-1.yaml:50) (geef de nieuwe actie een ID die "
                    "nog niet wordt gebruikt)"),
    # --- the Indeling names exactly the chapters there are -----------------------------------
    Case("chapter removed but still in the Indeling", AGENDA, replace("  - spoor-2\n", ""),
         "source/2026/inleiding.yaml:165: indeling.items[2].chapter: the Indeling describes chapter "
         "'spoor-2', which the document does not have (remove this item from the Indeling, or add the "
         "chapter to 'chapters' in agenda.yaml)",
         message_nl="source/2026/inleiding.yaml:165: indeling.items[2].chapter: de Indeling beschrijft hoofdstuk "
                    "'spoor-2', maar dat hoofdstuk staat niet in het document (verwijder dit onderdeel uit de "
                    "Indeling, of zet het hoofdstuk bij 'chapters' in agenda.yaml)"),
    Case("chapter missing from the Indeling", INTRO, replace("    - chapter: spoor-3b\n", "    - chapter: spoor-3\n"),
         "source/2026/inleiding.yaml:150: indeling.items: the Indeling does not describe chapter 'spoor-3b' "
         "(add an item with 'chapter: spoor-3b' and its 'text' (and 'title' if it should differ from the "
         "chapter's title))",
         message_nl="source/2026/inleiding.yaml:150: indeling.items: de Indeling beschrijft hoofdstuk 'spoor-3b' niet "
                    "(voeg een onderdeel toe met 'chapter: spoor-3b' en de 'text' (en 'title' als die moet afwijken "
                    "van de titel van het hoofdstuk))"),
    Case("Indeling in another order", INTRO,
         lambda data: data.replace(b"- chapter: spoor-1\n", b"- chapter: tmp\n").replace(
             b"- chapter: spoor-2\n", b"- chapter: spoor-1\n").replace(b"- chapter: tmp\n", b"- chapter: spoor-2\n"),
         "source/2026/inleiding.yaml:150: indeling.items: the Indeling lists the chapters in another order "
         "than the document (put the items in this order: acties-2026, spoor-1, spoor-2, spoor-3a, spoor-3b, "
         "overige-ontwikkelingen, financieel)",
         message_nl="source/2026/inleiding.yaml:150: indeling.items: de Indeling noemt de hoofdstukken in een andere "
                    "volgorde dan het document (zet de onderdelen in deze volgorde: acties-2026, spoor-1, spoor-2, "
                    "spoor-3a, spoor-3b, overige-ontwikkelingen, financieel)"),
    # --- references in the report data (progress and realisation) --------------------------
    Case("progress for an unknown action", VOORTGANG,
         content("peildatum: 2026-06-30\nacties:\n  S1-01:\n    status: op schema\n  S1-99:\n"
                 "    status: op schema\n"),
         "source/2026/voortgang/2026-06-30.yaml:5: acties.S1-99: unknown action 'S1-99' "
         "(did you mean 'S1-09' or 'S2-09' or 'S1-16'?)",
         message_nl="source/2026/voortgang/2026-06-30.yaml:5: acties.S1-99: onbekende actie 'S1-99' (bedoelt u 'S1-09' "
                    "of 'S2-09' of 'S1-16'?)"),
    Case("progress status outside the vocabulary", VOORTGANG,
         content("peildatum: 2026-06-30\nacties:\n  S1-01:\n    status: loopt goed\n"),
         "source/2026/voortgang/2026-06-30.yaml:4: acties.S1-01.status: 'loopt goed' is not allowed "
         "(use one of: niet gestart, op schema, vraagt aandacht, afgerond, doorgeschoven, vervallen)",
         message_nl="source/2026/voortgang/2026-06-30.yaml:4: acties.S1-01.status: 'loopt goed' is niet toegestaan "
                    "(gebruik een van: niet gestart, op schema, vraagt aandacht, afgerond, doorgeschoven, vervallen)"),
    Case("progress without a required toelichting", VOORTGANG,
         content("peildatum: 2026-06-30\nacties:\n  S1-01:\n    status: vraagt aandacht\n"),
         "source/2026/voortgang/2026-06-30.yaml:3: acties.S1-01: status 'vraagt aandacht' needs a "
         "'toelichting' (explain the status; only 'op schema' and 'afgerond' can go without)",
         message_nl="source/2026/voortgang/2026-06-30.yaml:3: acties.S1-01: status 'vraagt aandacht' heeft een "
                    "'toelichting' nodig (licht de status toe; alleen 'op schema' en 'afgerond' kunnen zonder)"),
    Case("progress vervallen without the stuurgroep decision", VOORTGANG,
         content("peildatum: 2026-06-30\nacties:\n  S1-01:\n    status: vervallen\n"
                 "    toelichting: Niet meer nodig.\n"),
         "source/2026/voortgang/2026-06-30.yaml:3: acties.S1-01: status 'vervallen' needs the stuurgroep "
         "decision (propose it first: add 'voorstel:' with 'wat:', 'waarom:', then record the stuurgroep's "
         "'besluit:' (datum, referentie) under it)",
         message_nl="source/2026/voortgang/2026-06-30.yaml:3: acties.S1-01: status 'vervallen' heeft het besluit van "
                    "de stuurgroep nodig (doe eerst een voorstel: voeg 'voorstel:' toe met 'wat:' en 'waarom:', en zet "
                    "daaronder het 'besluit:' van de stuurgroep (datum, referentie))"),
    Case("realisation for an unknown budget line", REALISATIE,
         content("tabel,regel,realisatie,toelichting\nbegroting,rijksbijdrage,5953678,\n"
                 "begroting,rijksbijdrag,100,\n"),
         "source/2026/financien/realisatie.csv:3: regel: unknown budget line 'rijksbijdrag' "
         "(did you mean 'rijksbijdrage' or 'regiobijdrage' or 'regiobijdrage-2024'?)",
         message_nl="source/2026/financien/realisatie.csv:3: regel: onbekende begrotingsregel 'rijksbijdrag' (bedoelt "
                    "u 'rijksbijdrage' of 'regiobijdrage' of 'regiobijdrage-2024'?)"),
    # --- characters a Word document cannot hold, numbers it cannot show (issue 11) ------------
    Case("vertical tab in a CSV description", BUDGET,
         replace("rijksbijdrage,baten,Rijksbijdrage,", 'rijksbijdrage,baten,"Rijks\vbijdrage J&V",'),
         "source/2026/financien/begroting.csv:2: omschrijving: contains an invisible control character "
         "(U+000B, a line break pasted from Word) (delete it and type a space instead; a new paragraph is "
         "a new block in the list)",
         message_nl="source/2026/financien/begroting.csv:2: omschrijving: bevat een onzichtbaar stuurteken (U+000B, "
                    "een regeleinde geplakt uit Word) (verwijder het en typ er een spatie voor in de plaats; een "
                    "nieuwe alinea is een nieuw blok in de lijst)"),
    Case("escaped control character in a quoted YAML text", SPOOR1,
         replace("      - id: S1-02\n        text: >-\n          In 2026 blijft het RIEC-bureau gemeenten actief",
                 '      - id: S1-02\n        text: "B&W\\x01 en J&V"\n        x: >-\n          In 2026'),
         "source/2026/hoofdstukken/spoor-1.yaml:51: sections[0].actions[1].text: contains an invisible "
         "control character (U+0001) that a Word document cannot hold (delete it; it usually comes with "
         "text pasted from another program)",
         message_nl="source/2026/hoofdstukken/spoor-1.yaml:51: sections[0].actions[1].text: bevat een onzichtbaar "
                    "stuurteken (U+0001) dat een Word-document niet kan bevatten (verwijder het; het komt meestal mee "
                    "met tekst die uit een ander programma is geplakt)"),
    Case("escaped NUL in a YAML key's value", AGENDA, replace("organisation: RIEC Den Haag",
                                                           'organisation: "RIEC\\0 Den Haag"'),
         "source/2026/agenda.yaml:7: organisation: contains an invisible control character (U+0000) "
         "that a Word document cannot hold (delete it; it usually comes with text pasted from another "
         "program)",
         message_nl="source/2026/agenda.yaml:7: organisation: bevat een onzichtbaar stuurteken (U+0000) dat een "
                    "Word-document niet kan bevatten (verwijder het; het komt meestal mee met tekst die uit een ander "
                    "programma is geplakt)"),
    Case("escaped U+FFFE", AGENDA, replace("organisation: RIEC Den Haag", 'organisation: "RIEC\\uFFFE"'),
         "source/2026/agenda.yaml:7: organisation: contains an invisible control character (U+FFFE) "
         "that a Word document cannot hold (delete it; it usually comes with text pasted from another "
         "program)",
         message_nl="source/2026/agenda.yaml:7: organisation: bevat een onzichtbaar stuurteken (U+FFFE) dat een "
                    "Word-document niet kan bevatten (verwijder het; het komt meestal mee met tekst die uit een ander "
                    "programma is geplakt)"),
    Case("infinite number", VOORTGANG,
         content("peildatum: 2026-06-30\nacties:\n  S1-01:\n    status: op schema\n    naar_jaar: .inf\n"),
         "source/2026/voortgang/2026-06-30.yaml:5: acties.S1-01.naar_jaar: '.inf' is not a number a "
         "document can show (write the number in digits, e.g. 3.4; put text between double quotes)",
         message_nl="source/2026/voortgang/2026-06-30.yaml:5: acties.S1-01.naar_jaar: '.inf' is geen getal dat een "
                    "document kan tonen (schrijf het getal in cijfers, bijvoorbeeld 3.4; zet tekst tussen dubbele "
                    "aanhalingstekens)"),
    Case("not a number", AGENDA, replace("year: 2026", "year: .nan"),
         "source/2026/agenda.yaml:8: year: '.nan' is not a number a document can show (write the number "
         "in digits, e.g. 3.4; put text between double quotes)",
         message_nl="source/2026/agenda.yaml:8: year: '.nan' is geen getal dat een document kan tonen (schrijf het "
                    "getal in cijfers, bijvoorbeeld 3.4; zet tekst tussen dubbele aanhalingstekens)"),
    Case("10^30 written out", AGENDA, replace("year: 2026", "year: 1" + "0" * 30),
         "source/2026/agenda.yaml:8: year: '1000000000000000000000000000000' is too large a number "
         "(check the number of digits)",
         message_nl="source/2026/agenda.yaml:8: year: '1000000000000000000000000000000' is een te groot getal "
                    "(controleer het aantal cijfers)"),
    Case("10^30 as an amount", BUDGET, replace("rijksbijdrage,baten,Rijksbijdrage,5953678",
                                               "rijksbijdrage,baten,Rijksbijdrage,1" + "0" * 30),
         "source/2026/financien/begroting.csv:2: 2025: amount '10000000000000000000...' is too large "
         "(check for digits typed twice)",
         message_nl="source/2026/financien/begroting.csv:2: 2025: bedrag '10000000000000000000...' is te groot (kijk "
                    "of er cijfers dubbel zijn getypt)"),
    Case("10^30 as an indicator", "source/2026/jaarverslag.yaml",
         content("effecten:\n  - effect: 1\n    indicatoren:\n      - naam: Signalen\n"
                 "        waarde: 1" + "0" * 30 + "\n"),
         "source/2026/jaarverslag.yaml:5: effecten[0].indicatoren[0].waarde: "
         "'1000000000000000000000000000000' is too large a number (check the number of digits)",
         message_nl="source/2026/jaarverslag.yaml:5: effecten[0].indicatoren[0].waarde: "
                    "'1000000000000000000000000000000' is een te groot getal (controleer het aantal cijfers)"),
    Case("infinite indicator", "source/2026/jaarverslag.yaml",
         content("effecten:\n  - effect: 1\n    indicatoren:\n      - naam: Signalen\n        waarde: .inf\n"),
         "source/2026/jaarverslag.yaml:5: effecten[0].indicatoren[0].waarde: '.inf' is not a number a "
         "document can show (write the number in digits, e.g. 3.4; put text between double quotes)",
         message_nl="source/2026/jaarverslag.yaml:5: effecten[0].indicatoren[0].waarde: '.inf' is geen getal dat een "
                    "document kan tonen (schrijf het getal in cijfers, bijvoorbeeld 3.4; zet tekst tussen dubbele "
                    "aanhalingstekens)"),
    Case("nested 10,000 deep", AGENDA, replace("period: [2025, 2028]",
                                               "period: " + "[" * 10000 + "]" * 10000),
         "source/2026/agenda.yaml:9: blocks or lists are nested more than 50 levels deep (check the "
         "indentation and that every '[' and '{' is closed)",
         message_nl="source/2026/agenda.yaml:9: blokken of lijsten zijn meer dan 50 niveaus diep genest (controleer "
                    "het inspringen en of elke '[' en '{' wordt gesloten)"),
    Case("nested 60 deep", AGENDA, replace("period: [2025, 2028]", "period: " + "[" * 60 + "]" * 60),
         "source/2026/agenda.yaml:9: blocks or lists are nested more than 50 levels deep (check the "
         "indentation and that every '[' and '{' is closed)",
         message_nl="source/2026/agenda.yaml:9: blokken of lijsten zijn meer dan 50 niveaus diep genest (controleer "
                    "het inspringen en of elke '[' en '{' wordt gesloten)"),
    # --- templates ---------------------------------------------------------------------------
    Case("template syntax error", TEMPLATE, template("{{ doc.title }}", "Versie {{ doc.version + }}"),
         "templates/uitvoeringsagenda.docx: paragraph \"Versie {{ doc.version + }}\": template tag is "
         "broken: unexpected 'end of print statement' (check that every {{ has a matching }}, every {% "
         "a matching %}, and that each {%p for %} has its {%p endfor %} and each {%p if %} its {%p "
         "endif %})",
         message_nl="templates/uitvoeringsagenda.docx: alinea \"Versie {{ doc.version + }}\": tag in het sjabloon "
                    "klopt niet: unexpected 'end of print statement' (controleer of elke {{ een bijbehorende }} heeft, "
                    "elke {% een bijbehorende %}, en of elke {%p for %} een {%p endfor %} heeft en elke {%p if %} een "
                    "{%p endif %})"),
    Case("template unclosed tag", TEMPLATE, template("{{ doc.title }}", "Versie {{ doc.version }"),
         "templates/uitvoeringsagenda.docx: paragraph \"Versie {{ doc.version }\": a tag begins with "
         "'{{' in this paragraph but does not end in it (type the whole tag {{ ... }} in one "
         "paragraph, without pressing Enter inside it)",
         message_nl="templates/uitvoeringsagenda.docx: alinea \"Versie {{ doc.version }\": een tag begint met '{{' in "
                    "deze alinea, maar eindigt er niet in (typ de hele tag {{ ... }} in één alinea, zonder er Enter in "
                    "te drukken)"),
    Case("template unknown name", TEMPLATE, template("{{ doc.title }}", "{{ finace.title }}"),
         "templates/uitvoeringsagenda.docx: the template uses 'finace', which the data does not "
         "provide (did you mean 'finance'?)",
         message_nl="templates/uitvoeringsagenda.docx: het sjabloon gebruikt 'finace', maar dat staat niet in de "
                    "gegevens (bedoelt u 'finance'?)"),
    Case("template unknown field", TEMPLATE, template("{{ doc.title }}", "{{ doc.titel }}"),
         "templates/uitvoeringsagenda.docx: paragraph \"{{ doc.titel }}\": the template uses 'titel', "
         "which the data does not provide (check the spelling of the name between {{ }} in the "
         "template)",
         message_nl="templates/uitvoeringsagenda.docx: alinea \"{{ doc.titel }}\": het sjabloon gebruikt 'titel', maar "
                    "dat staat niet in de gegevens (controleer de spelling van de naam tussen {{ }} in het sjabloon)"),
    Case("template sandbox escape", TEMPLATE, template("{{ ''.__class__.__mro__ }}"),
         "templates/uitvoeringsagenda.docx: paragraph \"{{ ''.__class__.__mro__ }}\": the template tries "
         "something that is not allowed (access to attribute '__class__' of 'str' object is unsafe.) "
         "(templates may only show data: remove this expression)",
         message_nl="templates/uitvoeringsagenda.docx: alinea \"{{ ''.__class__.__mro__ }}\": het sjabloon probeert "
                    "iets wat niet is toegestaan (access to attribute '__class__' of 'str' object is unsafe.) "
                    "(sjablonen mogen alleen gegevens tonen: verwijder deze expressie)"),
    Case("template tag over two paragraphs", TEMPLATE, template("{{ doc.", "title }}"),
         "templates/uitvoeringsagenda.docx: paragraph \"{{ doc.\": a tag begins with '{{' in this "
         "paragraph but does not end in it (type the whole tag {{ ... }} in one paragraph, without "
         "pressing Enter inside it)",
         message_nl="templates/uitvoeringsagenda.docx: alinea \"{{ doc.\": een tag begint met '{{' in deze alinea, "
                    "maar eindigt er niet in (typ de hele tag {{ ... }} in één alinea, zonder er Enter in te drukken)"),
    Case("template curly quotes", TEMPLATE, template("{{ doc.title | replace(“a”, “b”) }}"),
         "templates/uitvoeringsagenda.docx: paragraph \"{{ doc.title | replace(“a”, “b”) }}\": the tag "
         "{{ doc.title | replace(“a”, “b”) }} contains curly quotes (retype the quotes inside the tag "
         "as straight quotes (' or \"); Word's AutoCorrect 'smart quotes' makes them curly)",
         message_nl="templates/uitvoeringsagenda.docx: alinea \"{{ doc.title | replace(“a”, “b”) }}\": de tag {{ "
                    "doc.title | replace(“a”, “b”) }} bevat krulaanhalingstekens (typ de aanhalingstekens in de tag "
                    "opnieuw als rechte aanhalingstekens (' of \"); de AutoCorrectie van Word ('slimme "
                    "aanhalingstekens') maakt er krulaanhalingstekens van)"),
    Case("template missing endfor", TEMPLATE, template("{%p for c in chapters %}", "{{ c.title }}", "Einde"),
         "templates/uitvoeringsagenda.docx: paragraph \"{% for c in chapters %}\": template tag is "
         "broken: '{% for %}' is never closed with '{% endfor %}' (check that every {{ has a matching "
         "}}, every {% a matching %}, and that each {%p for %} has its {%p endfor %} and each {%p if "
         "%} its {%p endif %})",
         message_nl="templates/uitvoeringsagenda.docx: alinea \"{% for c in chapters %}\": tag in het sjabloon klopt "
                    "niet: '{% for %}' wordt nergens afgesloten met '{% endfor %}' (controleer of elke {{ een "
                    "bijbehorende }} heeft, elke {% een bijbehorende %}, en of elke {%p for %} een {%p endfor %} heeft "
                    "en elke {%p if %} een {%p endif %})"),
    # --- a template that would run for ever or exhaust memory: the render budget (issue 11) ------
    Case("template nested loops", TEMPLATE,
         template("{{ doc.title }}", "{%p for i in range(100000) %}", "{%p for j in range(100000) %}",
                  "{%p endfor %}", "{%p endfor %}"),
         'templates/uitvoeringsagenda.docx: paragraph "{{ doc.title }}{% for i in range(100000) %}{% for j in '
         'range(100000) %}{% endfor %}{% endfor %}": the template does more work than any document needs (a '
         'loop that runs more than 1,000,000 times, or an endless repetition) (remove this loop or expression '
         'from the template)',
         message_nl="templates/uitvoeringsagenda.docx: alinea \"{{ doc.title }}{% for i in range(100000) %}{% for j in "
                    "range(100000) %}{% endfor %}{% endfor %}\": het sjabloon doet meer werk dan een document ooit "
                    "nodig heeft (een lus die meer dan 1,000,000 keer loopt, of een eindeloze herhaling) (verwijder "
                    "deze lus of expressie uit het sjabloon)"),
    Case("template huge range", TEMPLATE, template("{%p for i in range(10**9) %}", "{{ i }}", "{%p endfor %}"),
         'templates/uitvoeringsagenda.docx: paragraph "{% for i in range(10**9) %}": template error: a range() '
         'of more than 100,000 numbers (remove this expression from the template)',
         message_nl="templates/uitvoeringsagenda.docx: alinea \"{% for i in range(10**9) %}\": fout in het sjabloon: "
                    "een range() van meer dan 100,000 getallen (verwijder deze expressie uit het sjabloon)"),
    Case("template huge repetition", TEMPLATE, template("{{ 'x' * 10**9 }}"),
         'templates/uitvoeringsagenda.docx: paragraph "{{ \'x\' * 10**9 }}": the template repeats a text or list '
         'more than 10,000,000 characters or items long (remove this loop or expression from the template)',
         message_nl="templates/uitvoeringsagenda.docx: alinea \"{{ 'x' * 10**9 }}\": het sjabloon herhaalt een tekst "
                    "of lijst tot meer dan 10,000,000 tekens of onderdelen (verwijder deze lus of expressie uit het "
                    "sjabloon)"),
    Case("template huge power", TEMPLATE, template("{{ 9 ** 99999999 }}"),
         'templates/uitvoeringsagenda.docx: paragraph "{{ 9 ** 99999999 }}": the number 9 ** 99999999 is too '
         'large for a document (remove this loop or expression from the template)',
         message_nl="templates/uitvoeringsagenda.docx: alinea \"{{ 9 ** 99999999 }}\": het getal 9 ** 99999999 is te "
                    "groot voor een document (verwijder deze lus of expressie uit het sjabloon)"),
    Case("template endless macro", TEMPLATE,
         template("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"),
         'templates/uitvoeringsagenda.docx: paragraph "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}": '
         'template error: a macro calls itself without end (remove this expression from the template)',
         message_nl="templates/uitvoeringsagenda.docx: alinea \"{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}\": "
                    "fout in het sjabloon: een macro roept zichzelf eindeloos aan (verwijder deze expressie uit het "
                    "sjabloon)"),
    Case("template missing", TEMPLATE, delete(),
         "templates/uitvoeringsagenda.docx: template file is missing (restore it from git or run 'make "
         "templates')",
         message_nl="templates/uitvoeringsagenda.docx: sjabloonbestand ontbreekt (zet het terug uit git, of voer 'make "
                    "templates' uit)"),
    Case("template not a docx", TEMPLATE, content("not a zip file"),
         "templates/uitvoeringsagenda.docx: template is not a valid Word (.docx) file (save it from "
         "Word or LibreOffice as .docx)",
         message_nl="templates/uitvoeringsagenda.docx: sjabloon is geen geldig Word-bestand (.docx) (sla het vanuit "
                    "Word of LibreOffice op als .docx)"),
    # --- issue 24: amounts as an English-format export writes them, the partner registry's group mark ---------
    Case("english-format amount", REALISATIE,
         content('tabel,regel,realisatie,toelichting\nbegroting,rijksbijdrage,"5,953,678.00",\n'),
         "source/2026/financien/realisatie.csv:2: realisatie: amount '5,953,678.00' is written with commas between "
         "thousands (write whole euros as digits only: 5953678)",
         message_nl="source/2026/financien/realisatie.csv:2: realisatie: bedrag '5,953,678.00' is geschreven met "
                    "komma's tussen de duizendtallen (schrijf hele euro's alleen in cijfers: 5953678)"),
    Case("english-format amount as excel saves it", REALISATIE,
         content("tabel;regel;realisatie;toelichting\r\nbegroting;rijksbijdrage;128,838;\r\n".encode("cp1252")),
         "source/2026/financien/realisatie.csv:2: realisatie: amount '128,838' is written with commas between "
         "thousands (write whole euros as digits only: 128838)",
         message_nl="source/2026/financien/realisatie.csv:2: realisatie: bedrag '128,838' is geschreven met "
                    "komma's tussen de duizendtallen (schrijf hele euro's alleen in cijfers: 128838)"),
    Case("group mark not true or false", PARTNERS, replace("    group: true\n", "    group: ja\n"),
         "source/partners.yaml:24: partners[1].group: should be true or false, not 'ja'",
         message_nl="source/partners.yaml:24: partners[1].group: moet true of false zijn, niet 'ja'"),
]


@pytest.fixture(scope="session")
def built_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder built from the real source: what a failed build must leave alone."""
    out = tmp_path_factory.mktemp("built") / "output"
    pipeline.build(SOURCE, 2026, out, list(pipeline.DOCUMENTS))
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_output: Path) -> Path:
    """A copy of source/, templates/ and a built output/, as the working folder."""
    shutil.copytree(SOURCE, tmp_path / "source")
    shutil.copytree(ROOT / "templates", tmp_path / "templates", ignore=shutil.ignore_patterns("*.py"))
    shutil.copytree(built_output, tmp_path / "output")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def apply(project: Path, case: Case) -> None:
    path = project / case.file
    new = case.edit(path.read_bytes() if path.exists() else b"")
    if new is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(new)


ARGS = ["--year", "2026", "--source", "source", "--templates", "templates"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gives_one_clear_message_and_changes_nothing(project: Path, case: Case) -> None:
    before = snapshot(project / "output")
    assert before, "the output folder was not built"
    apply(project, case)
    runner = CliRunner()
    for lang, command, message in (("en", ["build", "--output", "output"], case.message),
                                   ("en", ["check"], case.message), ("nl", ["check"], case.message_nl)):
        result = runner.invoke(main, ["--lang", lang, *command, *ARGS])
        problems = [line.strip() for line in result.stderr.splitlines()]
        assert message in problems, result.stderr
        assert result.exit_code == case.exit_code, result.stderr
        assert "Traceback" not in result.output
        assert snapshot(project / "output") == before
