"""The data model of one year's source: pydantic models, no I/O.

Every field an editor writes in `source/` has a model field here, with a
one-line description that doubles as documentation of the source format.
The descriptions are in Dutch: they are the editors' help text, shown on hover
and in completion through the JSON Schemas made from these models
(`generator/source/schema.py`, `make schemas`). A description never changes
how a value is validated.
Unknown keys are errors (``extra="forbid"``) so that a typo such as
``partnrs:`` never silently drops text.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
ActionId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{2,3}$")]
# A reference to an entry of partners.yaml. Validated as a Slug here (the registry check is in
# validate.py); the JSON Schema replaces the marker with the registry's IDs (source/schema.py).
PARTNER_REF_MARKER = "x-riec-partner-id"
PartnerRef = Annotated[Slug, WithJsonSchema({"type": "string", PARTNER_REF_MARKER: True})]


class StrictModel(BaseModel):
    """Base for every source model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def source_file(title: str, description: str) -> ConfigDict:
    """The configuration of a model that is a whole source file: its schema's title and description."""
    return ConfigDict(title=title, json_schema_extra={"description": description})


# --- prose ---------------------------------------------------------------


class BulletList(StrictModel):
    """A bulleted list inside running text."""

    bullets: list[Text] = Field(min_length=1, description="Een lijst met opsommingstekens: één tekst per punt.")


class NumberedList(StrictModel):
    """A numbered list inside running text."""

    numbered: list[Text] = Field(min_length=1, description="Een genummerde lijst: één tekst per punt.")


# A block of running text: a paragraph (plain string) or a list.
Block = Text | BulletList | NumberedList


# --- partners ------------------------------------------------------------

PartnerKind = Literal[
    "riec",
    "gemeente",
    "provincie",
    "politie-justitie",
    "rijk",
    "samenwerkingsverband",
    "kennisinstelling",
    "privaat",
    "groep",
]


class Partner(StrictModel):
    """One entry of the partner registry (`source/partners.yaml`)."""

    id: Slug = Field(description="Korte, vaste verwijzing (kleine letters en streepjes, bijvoorbeeld "
                                 "'riec-bureau') die de hoofdstukbestanden onder 'partners' gebruiken.")
    name: Text = Field(description="Hoe de partner in de documenten wordt geschreven.")
    full_name: Text | None = Field(default=None, description="Volledige officiële naam.")
    kind: PartnerKind = Field(description="Soort organisatie; 'groep' voor een verzameling partners "
                                          "(zoals 'alle partners').")
    aliases: list[Text] = Field(default_factory=list, description="Andere schrijfwijzen van de naam, zoals ze "
                                                                  "in een partnerregel kunnen staan.")
    group: bool | None = Field(
        default=None,
        description="true voor een vermelding die voor meerdere organisaties samen staat ('alle partners', "
                    "'gemeenten'): die wordt in de documenten genoemd, maar krijgt geen uitvraag-werkmap, want "
                    "niemand antwoordt ervoor. Weggelaten: een vermelding van de soort 'groep' is een groep, "
                    "elke andere niet.")

    @property
    def is_group(self) -> bool:
        """Whether the entry stands for several organisations (no uitvraag workbook of its own)."""
        return self.group if self.group is not None else self.kind == "groep"


class PartnerRegistry(StrictModel):
    """`source/partners.yaml`."""

    model_config = source_file(
        "Partners (partners.yaml)",
        "Het register van partners: elke partner met een vast id, dat de hoofdstukken onder "
        "'partners' gebruiken.")

    partners: list[Partner] = Field(min_length=1, description="Alle partners, elk met een eigen id.")


# --- actions and chapters ---------------------------------------------------


class CarriedOver(StrictModel):
    """Where an action of this year's agenda came from: the same ID in an earlier year's agenda."""

    year: int = Field(description="Het jaar van de agenda waar de actie (met hetzelfde ID) vandaan komt.")
    postponed: bool = Field(default=False, description="true als de stuurgroep de actie naar dit jaar heeft "
                                                        "doorgeschoven.")


class Action(StrictModel):
    """One action (a bullet in the agenda), with a stable ID."""

    id: ActionId = Field(description="Vast ID van de actie, zoals S1-07: nooit wijzigen of opnieuw gebruiken, "
                                     "ook niet als de tekst verandert of de actie verhuist.")
    title: Text | None = Field(default=None, description="Titel, voor genummerde onderdelen zoals onderzoeken.")
    text: Text = Field(description="De tekst van de actie.")
    items: list[Text] = Field(default_factory=list, description="Opsommingspunten onder de actie.")
    partners: list[PartnerRef] = Field(
        default_factory=list, description="De betrokken partners: id's uit partners.yaml, in de volgorde van "
                                          "de regel 'Betrokken partners'."
    )
    partners_wording: Text | None = Field(
        default=None,
        description="De letterlijke tekst van de partnerregel, als die meer zegt dan een lijst namen; "
                    "'partners' noemt dan nog steeds elke partner.",
    )
    carried_over: CarriedOver | None = Field(
        default=None, description="Gezet door 'nieuw-jaar': de actie loopt door uit de agenda van een eerder jaar.")


class Section(StrictModel):
    """A titled group of actions within a chapter."""

    title: Text | None = Field(default=None, description="Titel van de paragraaf.")
    subtitle: Text | None = Field(default=None, description="Ondertitel onder de titel.")
    intro: list[Block] = Field(default_factory=list, description="Lopende tekst vóór de acties.")
    actions: list[Action] = Field(default_factory=list, description="De acties van deze paragraaf.")
    closing: list[Block] = Field(default_factory=list, description="Lopende tekst na de acties.")
    partners: list[PartnerRef] = Field(
        default_factory=list, description="Partners die bij elke actie van deze paragraaf betrokken zijn "
                                          "(id's uit partners.yaml)."
    )
    partners_wording: Text | None = Field(default=None, description="De letterlijke partnerregel van deze "
                                                                     "paragraaf, als die meer zegt dan namen.")


class Chapter(StrictModel):
    """One file in `source/<year>/hoofdstukken/`: a chapter or spoor of actions."""

    model_config = source_file(
        "Hoofdstuk (hoofdstukken/*.yaml)",
        "Eén hoofdstuk of spoor van de Uitvoeringsagenda: paragrafen met acties, elk met een vast ID "
        "en de betrokken partners.")

    id: Slug = Field(description="ID van het hoofdstuk: gelijk aan de bestandsnaam zonder .yaml en aan de "
                                 "naam onder 'chapters' in agenda.yaml.")
    title: Text = Field(description="Titel van het hoofdstuk of spoor.")
    short_title: Text | None = Field(default=None, description="Kortere titel, voor tabellen.")
    group: Text | None = Field(default=None, description="Kop waaronder dit hoofdstuk staat.")
    effect: Text | None = Field(default=None, description="De zin na 'Effect:' van dit spoor.")
    effect_ref: int | None = Field(default=None, description="Nummer van het maatschappelijk effect "
                                                              "(zie 'effecten' in inleiding.yaml).")
    intro: list[Block] = Field(default_factory=list, description="Lopende tekst aan het begin van het hoofdstuk.")
    sections: list[Section] = Field(min_length=1, description="De paragrafen met acties.")


# --- introduction, governance, effects --------------------------------------


class Verschijningsvorm(StrictModel):
    """One form of undermining crime, national or regional."""

    name: Text = Field(description="Naam van de verschijningsvorm.")
    scope: Literal["landelijk", "regionaal"] = Field(description="Landelijke of regionale prioriteit.")


class Governance(StrictModel):
    """The Governance chapter."""

    title: Text = Field(description="Titel van het hoofdstuk.")
    intro: list[Block] = Field(description="Lopende tekst aan het begin.")
    handhavingsknelpunten_intro: Text = Field(description="Zin vóór de lijst handhavingsknelpunten.")
    handhavingsknelpunten: list[Text] = Field(min_length=1, description="De handhavingsknelpunten, één per punt.")
    verschijningsvormen_intro: list[Block] = Field(description="Tekst vóór de verschijningsvormen.")
    verschijningsvormen: list[Verschijningsvorm] = Field(min_length=1, description="De verschijningsvormen.")


class Effect(StrictModel):
    """One maatschappelijk effect."""

    number: int = Field(ge=1, description="Nummer van het effect (1, 2, ...); hoofdstukken verwijzen ernaar "
                                          "met 'effect_ref'.")
    text: Text = Field(description="Het effect in één zin.")


class Effects(StrictModel):
    """The chapter on the effect-oriented approach."""

    title: Text = Field(description="Titel van het hoofdstuk.")
    intro: list[Block] = Field(description="Lopende tekst aan het begin.")
    effects: list[Effect] = Field(min_length=1, description="De maatschappelijke effecten.")
    supporting_effect: Effect = Field(description="Het vierde, ondersteunende effect.")
    supporting_intro: Text = Field(description="Alinea die het vierde effect inleidt.")
    campaign_messages: list[Text] = Field(min_length=1, description="De campagneboodschappen, één per punt.")
    closing: list[Block] = Field(default_factory=list, description="Lopende tekst aan het eind.")


# The Indeling item of the finance chapter, which has no chapter file.
FINANCE_CHAPTER = "financieel"


class IndelingItem(StrictModel):
    """One chapter in the Indeling: it must name a chapter the document has, in order."""

    # Optional only so that sources written before it existed still load (make diff A=<old>).
    chapter: Slug | None = Field(default=None, description="ID van een hoofdstuk uit 'chapters' in agenda.yaml, "
                                 "of 'financieel' voor het financiële hoofdstuk.")
    title: Text | None = Field(default=None, description="Titel zoals getoond; leeg: de titel van het hoofdstuk.")
    text: Text = Field(description="Wat er in het hoofdstuk staat, in een of twee zinnen.")


class Indeling(StrictModel):
    """The Indeling: the outline of the document."""

    title: Text = Field(description="Titel van de indeling.")
    intro: Text = Field(description="Zin vóór de hoofdstukken.")
    items: list[IndelingItem] = Field(min_length=1, description="Elk hoofdstuk, in de volgorde van 'chapters' "
                                                                "in agenda.yaml.")


class Introduction(StrictModel):
    """`source/<year>/inleiding.yaml`: the chapters before the actions."""

    model_config = source_file(
        "Inleiding (inleiding.yaml)",
        "De hoofdstukken vóór de acties: Inleiding, Governance, de maatschappelijke effecten en de "
        "Indeling.")

    inleiding: list[Block] = Field(min_length=1, description="De tekst van de Inleiding.")
    governance: Governance = Field(description="Het hoofdstuk Governance.")
    effecten: Effects = Field(description="Het hoofdstuk over de maatschappelijke effecten.")
    indeling: Indeling = Field(description="De Indeling: elk hoofdstuk van het document in één of twee zinnen.")


class AgendaMeta(StrictModel):
    """`source/<year>/agenda.yaml`: document metadata and chapter order."""

    model_config = source_file(
        "Agenda (agenda.yaml)",
        "De gegevens van de Uitvoeringsagenda van één jaar: titel, jaar, vaststelling, de volgorde "
        "van de hoofdstukken en de toelichting bij de financiën.")

    title: Text = Field(description="Titel van de agenda, zoals op de titelpagina.")
    subtitle: Text | None = Field(default=None, description="Ondertitel op de titelpagina.")
    organisation: Text = Field(description="Naam van de organisatie, zoals in de documenten.")
    year: int = Field(ge=2000, le=2100, description="Het jaar van de agenda; gelijk aan de mapnaam.")
    period: tuple[int, int] = Field(description="Eerste en laatste jaar van de meerjarenbegroting, "
                                                "bijvoorbeeld [2025, 2028].")
    adopted_on: dt.date | None = Field(default=None, description="Datum waarop de stuurgroep de agenda vaststelde "
                                                                  "(JJJJ-MM-DD); leeg: een concept.")
    adopted_by: Text = Field(default="de stuurgroep RIEC Den Haag", description="Wie de agenda vaststelde.")
    version: Text = Field(default="1.0", description="Versienummer, tussen aanhalingstekens (\"1.0\").")
    version_date: dt.date | None = Field(default=None, description="Datum van deze versie (JJJJ-MM-DD).")
    differences_annex: bool = Field(default=False, description="true: druk de bijlage met verschillen met de "
                                                               "gepubliceerde totalen af (standaard uit).")
    chapters: list[Slug] = Field(min_length=1, description="De hoofdstukbestanden (in hoofdstukken/, zonder "
                                                           ".yaml), in de volgorde van het document.")
    finance_title: Text = Field(default="Financieel", description="Titel van het financiële hoofdstuk.")
    finance_notes: list[Block] = Field(default_factory=list, description="Toelichting financieel.")
    friction_title: Text = Field(default="Frictiebudget", description="Titel van het frictiebudget.")
    friction_notes: list[Block] = Field(default_factory=list, description="Toelichting frictiebudget.")


# --- the website edition's settings -------------------------------------------------

# The compliance statuses of the Dutch model accessibility statement (digitoegankelijk.nl).
AccessibilityStatus = Literal["voldoet volledig", "voldoet gedeeltelijk", "eerste maatregelen genomen",
                              "voldoet niet"]


class Contact(StrictModel):
    """How readers reach the organisation: the site's footer and its accessibility statement."""

    naam: Text = Field(description="Wie lezers bereiken, bijvoorbeeld 'RIEC-bureau Den Haag'.")
    email: Text | None = Field(default=None, description="E-mailadres voor vragen en meldingen over de website.")
    telefoon: Text | None = Field(default=None, description="Telefoonnummer, zoals het op de website moet staan.")
    website: Text | None = Field(default=None, description="Adres van de eigen website (https://...).")
    adres: list[Text] = Field(default_factory=list, description="Postadres, één regel per regel.")
    reactietermijn: Text | None = Field(default=None, description="Binnen welke termijn een melding antwoord "
                                                                  "krijgt, bijvoorbeeld 'binnen 5 werkdagen'.")


class Accessibility(StrictModel):
    """What the organisation states about the site's accessibility (toegankelijkheidsverklaring)."""

    status: AccessibilityStatus | None = Field(default=None, description="De status volgens het model van "
                                                                         "digitoegankelijk.nl; leeg: nog niet "
                                                                         "vastgesteld.")
    datum: dt.date | None = Field(default=None, description="Datum waarop de organisatie de verklaring "
                                                            "vaststelde (JJJJ-MM-DD).")
    onderzoek: list[Block] = Field(default_factory=list, description="Eigen onderzoek naast de automatische "
                                                                     "toetsing (bijvoorbeeld een audit), met "
                                                                     "datum en uitkomst.")


class SiteSettings(StrictModel):
    """`source/site.yaml`: what the website edition says about itself (colofon, contact, accessibility)."""

    model_config = source_file(
        "Website (site.yaml)",
        "Wat de websiteversie over zichzelf zegt: contactgegevens, colofon en de gegevens van de "
        "toegankelijkheidsverklaring.")

    contact: Contact | None = Field(default=None, description="Contactgegevens, onderaan elke pagina en in de "
                                                              "toegankelijkheidsverklaring.")
    colofon: list[Block] = Field(default_factory=list, description="De colofon: wie de website uitgeeft en "
                                                                   "maakt; lopende tekst.")
    toegankelijkheid: Accessibility = Field(default_factory=Accessibility, description="De gegevens van de "
                                                                                         "toegankelijkheidsverklaring.")


# --- finance -----------------------------------------------------------------


class BudgetLine(StrictModel):
    """One row of `financien/begroting.csv`: amounts per year, whole euros."""

    id: Slug
    kind: Literal["baten", "lasten"]
    label: Text
    amounts: dict[int, int | None]
    line: int = Field(description="Line number in the CSV file, for messages.")


class FrictionLine(StrictModel):
    """One row of `financien/frictiebudget.csv`."""

    table: Literal["aanvraag", "besteding"]
    id: Slug
    label: Text
    funding: Literal["handreiking", "regiobijdrage"]
    amounts: dict[int, int | None]
    line: int


class PublishedTotal(StrictModel):
    """A total as typed in the published document, kept only to reconcile against."""

    total: Slug
    year: int | None = Field(description="None for a total over the whole period.")
    amount: int
    line: int
    known: int | None = Field(default=None, description="Accepted difference: published minus computed.")
    reason: str = Field(default="", description="Why the known difference is accepted.")


class Finance(StrictModel):
    years: tuple[int, ...]
    budget: list[BudgetLine]
    friction_years: tuple[int, ...]
    friction: list[FrictionLine]
    published: list[PublishedTotal]


# --- the whole source ----------------------------------------------------------


class Agenda(StrictModel):
    """Everything one year's documents are built from, validated."""

    meta: AgendaMeta
    introduction: Introduction
    partners: list[Partner]
    chapters: list[Chapter]
    finance: Finance

    @cached_property
    def partners_by_id(self) -> dict[str, Partner]:
        """The registry by partner ID (built once: a scan per lookup is quadratic at scale)."""
        return {p.id: p for p in self.partners}

    def partner(self, partner_id: str) -> Partner:
        """The registry entry for one partner ID."""
        return self.partners_by_id[partner_id]

    def actions(self) -> list[tuple[Chapter, Section, Action]]:
        """Every action with its chapter and section, in document order."""
        return [(c, s, a) for c in self.chapters for s in c.sections for a in s.actions]


# --- progress and results (voortgangsrapportage, jaarverslag) -------------------------

# The closed status vocabulary, as editors write it in the source.
Status = Literal["niet gestart", "op schema", "vraagt aandacht", "afgerond", "doorgeschoven", "vervallen"]
# Statuses that may go without a toelichting; every other status needs one.
STATUS_WITHOUT_TOELICHTING: tuple[str, ...] = ("op schema", "afgerond")
# Statuses that need the stuurgroep decision (a date or a reference).
STATUS_NEEDS_BESLUIT: tuple[str, ...] = ("doorgeschoven", "vervallen")


class Besluit(StrictModel):
    """The stuurgroep decision on an action: a date, a reference, or both, and its outcome."""

    datum: dt.date | None = Field(default=None, description="Datum van de vergadering van de stuurgroep "
                                                            "(JJJJ-MM-DD).")
    referentie: Text | None = Field(default=None, description="Kenmerk van het besluit, bijvoorbeeld 'SG-2026-03'.")
    uitkomst: Literal["akkoord", "niet akkoord"] = Field(
        default="akkoord", description="Of de stuurgroep met het voorstel instemde.")


class Voorstel(StrictModel):
    """A proposal to the stuurgroep about one action; the besluit is added after the meeting."""

    wat: Literal["doorschuiven", "vervallen"] = Field(description="De actie naar een later jaar schuiven, of laten "
                                                                  "vervallen.")
    waarom: Text = Field(description="Waarom dit aan de stuurgroep wordt gevraagd.")
    naar_jaar: int | None = Field(default=None, description="Het jaar waarnaar 'doorschuiven' de actie verplaatst.")
    besluit: Besluit | None = Field(default=None, description="Het besluit van de stuurgroep, na de vergadering "
                                                              "ingevuld.")


class ActionReport(StrictModel):
    """What is reported about one action, at a peildatum or for the whole year."""

    status: Status = Field(description="De status: niet gestart, op schema, vraagt aandacht, afgerond, "
                                       "doorgeschoven of vervallen.")
    toelichting: Text | None = Field(default=None, description="Toelichting; verplicht, behalve bij 'op schema' en "
                                                               "'afgerond'.")
    besluit: Besluit | None = Field(default=None, description="Besluit van de stuurgroep; nodig bij doorgeschoven "
                                                              "en vervallen.")
    naar_jaar: int | None = Field(default=None, description="Het jaar waarnaar een doorgeschoven actie gaat.")
    resultaat: Text | None = Field(default=None, description="Resultaat van het jaar (alleen in het jaarverslag).")
    voorstel: Voorstel | None = Field(default=None, description="Een voorstel aan de stuurgroep in deze rapportage.")


class ReportMeta(StrictModel):
    """The lifecycle fields every report file may carry: its own version, date and adoption."""

    versie: Text | None = Field(default=None, description="Versie van deze rapportage, tussen aanhalingstekens "
                                                          "(\"0.3\").")
    versiedatum: dt.date | None = Field(default=None, description="Datum van deze versie (JJJJ-MM-DD).")
    vastgesteld_op: dt.date | None = Field(default=None, description="Datum waarop de stuurgroep deze rapportage "
                                                                     "vaststelde; leeg: een concept.")
    vastgesteld_door: Text = Field(default="de stuurgroep RIEC Den Haag", description="Wie de rapportage vaststelde.")


class Voortgang(ReportMeta):
    """`source/<year>/voortgang/<peildatum>.yaml`: progress per action at one peildatum."""

    model_config = source_file(
        "Voortgang (voortgang/<peildatum>.yaml)",
        "De voortgang per actie op één peildatum: status, toelichting en voorstellen aan de "
        "stuurgroep.")

    periode: Text | None = Field(default=None, description="De periode, bijvoorbeeld 'eerste halfjaar 2026'; "
                                                           "leeg: genoemd naar de peildatum.")
    peildatum: dt.date = Field(description="De datum waarop de voortgang wordt gerapporteerd, bijvoorbeeld "
                                           "2026-06-30; gelijk aan de bestandsnaam.")
    acties: dict[str, ActionReport] = Field(default_factory=dict, description="Per actie-ID (zoals S1-07) de status "
                                                                              "en toelichting.")


class Kerncijfer(StrictModel):
    """One key figure of the year, with last year's figure where known."""

    naam: Text = Field(description="Naam van het kerncijfer.")
    waarde: int | None = Field(default=None, ge=0, description="Het cijfer van dit jaar; leeg: nog niet "
                                                               "gerapporteerd.")
    vorig_jaar: int | None = Field(default=None, ge=0, description="Het cijfer van vorig jaar, als dat bekend is.")
    toelichting: Text | None = Field(default=None, description="Toelichting bij het cijfer.")


class Indicator(StrictModel):
    """One indicator of a maatschappelijk effect."""

    naam: Text = Field(description="Naam van de indicator.")
    waarde: int | float | Text | None = Field(default=None, description="De waarde van dit jaar (getal of tekst); "
                                                                        "leeg: nog niet gerapporteerd.")
    vorig_jaar: int | float | Text | None = Field(default=None, description="De waarde van vorig jaar.")
    toelichting: Text | None = Field(default=None, description="Toelichting bij de indicator.")


class EffectMonitoring(StrictModel):
    """The indicators of one maatschappelijk effect (numbered as in inleiding.yaml)."""

    effect: int = Field(ge=1, description="Nummer van het maatschappelijk effect, zoals in inleiding.yaml.")
    indicatoren: list[Indicator] = Field(min_length=1, description="De indicatoren van dit effect.")


class ChapterReport(StrictModel):
    """What one chapter (spoor) did in the year, and which budget lines it spent."""

    gedaan: list[Block] = Field(min_length=1, description="Wat er is gedaan: lopende tekst.")
    begrotingsregels: list[Slug] = Field(default_factory=list, description="De begrotingsregels van dit spoor "
                                                                           "(kolom 'regel' van begroting.csv).")


class Jaarverslag(ReportMeta):
    """`source/<year>/jaarverslag.yaml`: final results, key figures and effect indicators."""

    model_config = source_file(
        "Jaarverslag (jaarverslag.yaml)",
        "Het jaarverslag: eindstatus en resultaat per actie, wat elk hoofdstuk deed, kerncijfers en "
        "indicatoren.")

    acties: dict[str, ActionReport] = Field(default_factory=dict, description="Per actie-ID (zoals S1-07) de "
                                                                              "eindstatus en het resultaat.")
    hoofdstukken: dict[str, ChapterReport] = Field(default_factory=dict, description="Per hoofdstuk-ID wat er is "
                                                                                     "gedaan.")
    kerncijfers: list[Kerncijfer] = Field(default_factory=list, description="De kerncijfers van het jaar.")
    effecten: list[EffectMonitoring] = Field(default_factory=list, description="De indicatoren per "
                                                                               "maatschappelijk effect.")


class Realisation(StrictModel):
    """Realised spending of one budget line (or friction line), whole euros."""

    regel: Slug
    table: Literal["begroting", "frictie"] = "begroting"
    tot_peildatum: int | None = None
    prognose: int | None = None
    realisatie: int | None = None
    toelichting: str = ""
    line: int
