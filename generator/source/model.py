"""The data model of one year's source: pydantic models, no I/O.

Every field an editor writes in `source/` has a model field here, with a
one-line description that doubles as documentation of the source format.
Unknown keys are errors (``extra="forbid"``) so that a typo such as
``partnrs:`` never silently drops text.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
ActionId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{2,3}$")]


class StrictModel(BaseModel):
    """Base for every source model: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- prose ---------------------------------------------------------------


class BulletList(StrictModel):
    """A bulleted list inside running text."""

    bullets: list[Text] = Field(min_length=1)


class NumberedList(StrictModel):
    """A numbered list inside running text."""

    numbered: list[Text] = Field(min_length=1)


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

    id: Slug = Field(description="Short, stable reference used in the action files.")
    name: Text = Field(description="How the partner is written in the documents.")
    full_name: Text | None = Field(default=None, description="Full official name.")
    kind: PartnerKind = Field(description="Kind of organisation; 'groep' for collectives.")
    aliases: list[Text] = Field(default_factory=list, description="Other spellings in wording.")
    group: bool | None = Field(
        default=None,
        description="True for an entry that stands for several organisations together ('alle partners', "
                    "'gemeenten'): it is named in the documents but gets no uitvraag workbook, since no one "
                    "answers for it. Left out, an entry of kind 'groep' is a group and any other is not.")

    @property
    def is_group(self) -> bool:
        """Whether the entry stands for several organisations (no uitvraag workbook of its own)."""
        return self.group if self.group is not None else self.kind == "groep"


class PartnerRegistry(StrictModel):
    """`source/partners.yaml`."""

    partners: list[Partner] = Field(min_length=1)


# --- actions and chapters ---------------------------------------------------


class CarriedOver(StrictModel):
    """Where an action of this year's agenda came from: the same ID in an earlier year's agenda."""

    year: int = Field(description="The agenda year the action (with the same ID) comes from.")
    postponed: bool = Field(default=False, description="True when the stuurgroep moved it here (doorgeschoven).")


class Action(StrictModel):
    """One action (a bullet in the agenda), with a stable ID."""

    id: ActionId = Field(description="Stable ID, never changed when text changes or moves.")
    title: Text | None = Field(default=None, description="Title, for numbered items such as research.")
    text: Text = Field(description="The text of the action.")
    items: list[Text] = Field(default_factory=list, description="Sub-bullets under the action.")
    partners: list[Slug] = Field(
        default_factory=list, description="Partner IDs from the registry ('Betrokken partners')."
    )
    partners_wording: Text | None = Field(
        default=None,
        description="Published wording of the partner line, where it says more than a list of names.",
    )
    carried_over: CarriedOver | None = Field(
        default=None, description="Set by 'nieuw-jaar': the action continues from an earlier year's agenda.")


class Section(StrictModel):
    """A titled group of actions within a chapter."""

    title: Text | None = None
    subtitle: Text | None = None
    intro: list[Block] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    closing: list[Block] = Field(default_factory=list)
    partners: list[Slug] = Field(
        default_factory=list, description="Partners of every action in this section."
    )
    partners_wording: Text | None = None


class Chapter(StrictModel):
    """One file in `source/<year>/hoofdstukken/`: a chapter or spoor of actions."""

    id: Slug
    title: Text
    short_title: Text | None = Field(default=None, description="Shorter title for tables.")
    group: Text | None = Field(default=None, description="Heading this chapter is placed under.")
    effect: Text | None = Field(default=None, description="The spoor's 'Effect:' statement.")
    effect_ref: int | None = Field(default=None, description="Number of the maatschappelijk effect.")
    intro: list[Block] = Field(default_factory=list)
    sections: list[Section] = Field(min_length=1)


# --- introduction, governance, effects --------------------------------------


class Verschijningsvorm(StrictModel):
    name: Text
    scope: Literal["landelijk", "regionaal"]


class Governance(StrictModel):
    title: Text
    intro: list[Block]
    handhavingsknelpunten_intro: Text
    handhavingsknelpunten: list[Text] = Field(min_length=1)
    verschijningsvormen_intro: list[Block]
    verschijningsvormen: list[Verschijningsvorm] = Field(min_length=1)


class Effect(StrictModel):
    number: int = Field(ge=1)
    text: Text


class Effects(StrictModel):
    title: Text
    intro: list[Block]
    effects: list[Effect] = Field(min_length=1, description="The maatschappelijke effecten.")
    supporting_effect: Effect = Field(description="The fourth, supporting effect.")
    supporting_intro: Text = Field(description="Paragraph introducing the fourth effect.")
    campaign_messages: list[Text] = Field(min_length=1)
    closing: list[Block] = Field(default_factory=list)


# The Indeling item of the finance chapter, which has no chapter file.
FINANCE_CHAPTER = "financieel"


class IndelingItem(StrictModel):
    """One chapter in the Indeling: it must name a chapter the document has, in order."""

    # Optional only so that sources written before it existed still load (make diff A=<old>).
    chapter: Slug | None = Field(default=None, description="Chapter ID from agenda.yaml's 'chapters', "
                                 "or 'financieel'.")
    title: Text | None = Field(default=None, description="Title as shown; default: the chapter's title.")
    text: Text = Field(description="What the chapter holds, in a sentence or two.")


class Indeling(StrictModel):
    title: Text
    intro: Text
    items: list[IndelingItem] = Field(min_length=1)


class Introduction(StrictModel):
    """`source/<year>/inleiding.yaml`: the chapters before the actions."""

    inleiding: list[Block] = Field(min_length=1)
    governance: Governance
    effecten: Effects
    indeling: Indeling


class AgendaMeta(StrictModel):
    """`source/<year>/agenda.yaml`: document metadata and chapter order."""

    title: Text
    subtitle: Text | None = None
    organisation: Text
    year: int = Field(ge=2000, le=2100)
    period: tuple[int, int] = Field(description="First and last year of the multi-year budget.")
    adopted_on: dt.date | None = Field(default=None, description="Date the stuurgroep adopted it; empty: a concept.")
    adopted_by: Text = Field(default="de stuurgroep RIEC Den Haag", description="Who adopted it.")
    version: Text = "1.0"
    version_date: dt.date | None = None
    differences_annex: bool = Field(default=False, description="Print the annex of differences from the "
                                                               "published totals (for editors; off by default).")
    chapters: list[Slug] = Field(min_length=1, description="Chapter files, in document order.")
    finance_title: Text = "Financieel"
    finance_notes: list[Block] = Field(default_factory=list, description="Toelichting financieel.")
    friction_title: Text = "Frictiebudget"
    friction_notes: list[Block] = Field(default_factory=list, description="Toelichting frictiebudget.")


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

    datum: dt.date | None = Field(default=None, description="Date of the stuurgroep meeting (YYYY-MM-DD).")
    referentie: Text | None = Field(default=None, description="Reference of the decision, e.g. 'SG 2026-04'.")
    uitkomst: Literal["akkoord", "niet akkoord"] = Field(
        default="akkoord", description="Whether the stuurgroep agreed with the voorstel.")


class Voorstel(StrictModel):
    """A proposal to the stuurgroep about one action; the besluit is added after the meeting."""

    wat: Literal["doorschuiven", "vervallen"] = Field(description="Move the action to a later year, or drop it.")
    waarom: Text = Field(description="Why the stuurgroep is asked this.")
    naar_jaar: int | None = Field(default=None, description="The year a 'doorschuiven' moves the action to.")
    besluit: Besluit | None = Field(default=None, description="The decision, recorded after the meeting.")


class ActionReport(StrictModel):
    """What is reported about one action, at a peildatum or for the whole year."""

    status: Status = Field(description="One of the status words.")
    toelichting: Text | None = Field(default=None, description="Explanation; required unless op schema/afgerond.")
    besluit: Besluit | None = Field(default=None, description="Stuurgroep decision; doorgeschoven/vervallen.")
    naar_jaar: int | None = Field(default=None, description="Year a 'doorgeschoven' action moves to.")
    resultaat: Text | None = Field(default=None, description="Result of the year (jaarverslag only).")
    voorstel: Voorstel | None = Field(default=None, description="A proposal to the stuurgroep in this report.")


class ReportMeta(StrictModel):
    """The lifecycle fields every report file may carry: its own version, date and adoption."""

    versie: Text | None = Field(default=None, description="Version of this report, e.g. '0.3'.")
    versiedatum: dt.date | None = Field(default=None, description="Date of this version (YYYY-MM-DD).")
    vastgesteld_op: dt.date | None = Field(default=None, description="Date the stuurgroep adopted this report.")
    vastgesteld_door: Text = Field(default="de stuurgroep RIEC Den Haag", description="Who adopted it.")


class Voortgang(ReportMeta):
    """`source/<year>/voortgang/<peildatum>.yaml`: progress per action at one peildatum."""

    periode: Text | None = Field(default=None, description="The period covered, e.g. 'eerste halfjaar 2026'; "
                                                           "by default named after the peildatum.")
    peildatum: dt.date = Field(description="The date the progress is reported at, e.g. 2026-06-30.")
    acties: dict[str, ActionReport] = Field(default_factory=dict, description="Action ID -> report.")


class Kerncijfer(StrictModel):
    """One key figure of the year, with last year's figure where known."""

    naam: Text
    waarde: int | None = Field(default=None, ge=0, description="Empty: not yet reported.")
    vorig_jaar: int | None = Field(default=None, ge=0)
    toelichting: Text | None = None


class Indicator(StrictModel):
    """One indicator of a maatschappelijk effect."""

    naam: Text
    waarde: int | float | Text | None = Field(default=None, description="Empty: not yet reported.")
    vorig_jaar: int | float | Text | None = None
    toelichting: Text | None = None


class EffectMonitoring(StrictModel):
    """The indicators of one maatschappelijk effect (numbered as in inleiding.yaml)."""

    effect: int = Field(ge=1)
    indicatoren: list[Indicator] = Field(min_length=1)


class ChapterReport(StrictModel):
    """What one chapter (spoor) did in the year, and which budget lines it spent."""

    gedaan: list[Block] = Field(min_length=1, description="What we did: running text.")
    begrotingsregels: list[Slug] = Field(default_factory=list, description="Budget line IDs of this spoor.")


class Jaarverslag(ReportMeta):
    """`source/<year>/jaarverslag.yaml`: final results, key figures and effect indicators."""

    acties: dict[str, ActionReport] = Field(default_factory=dict, description="Action ID -> final report.")
    hoofdstukken: dict[str, ChapterReport] = Field(default_factory=dict, description="Chapter ID -> report.")
    kerncijfers: list[Kerncijfer] = Field(default_factory=list)
    effecten: list[EffectMonitoring] = Field(default_factory=list)


class Realisation(StrictModel):
    """Realised spending of one budget line (or friction line), whole euros."""

    regel: Slug
    table: Literal["begroting", "frictie"] = "begroting"
    tot_peildatum: int | None = None
    prognose: int | None = None
    realisatie: int | None = None
    toelichting: str = ""
    line: int
