"""Budget arithmetic: totals are computed here, never typed.

The published document's own totals are kept in `financien/gepubliceerd.csv`
only to be reconciled against what the lines add up to.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import BudgetLine, Finance, FrictionLine, PublishedTotal

# What each published total means, in words for the reconciliation report.
TOTAL_LABELS: dict[str, str] = {
    "baten": "Totaal baten",
    "lasten": "Totale lasten",
    "saldo": "Verschil baten lasten",
    "frictie-aanvraag-handreiking": "Frictiebudget (originele aanvraag): incidentele financiële handreiking",
    "frictie-aanvraag-totaal": "Totaal frictiebudget (originele aanvraag)",
    "frictie-besteding-handreiking": "Frictiebudget (geactualiseerde besteding): incidentele financiële handreiking",
    "frictie-besteding-verschil": "Frictiebudget: verschil aanvraag en besteding (cumulatief)",
}


# What the documents print for a year whose budget column has no amounts yet (nieuw-jaar's new year).
TO_FILL_IN = "in te vullen"


def line_sum(lines: list[BudgetLine] | list[FrictionLine], year: int) -> int:
    """Sum of the lines' amounts in one year; a blank cell counts as 0."""
    return sum(line.amounts.get(year) or 0 for line in lines)


@dataclass(frozen=True)
class BudgetTotals:
    """Computed totals of the multi-year budget."""

    years: tuple[int, ...]
    baten: dict[int, int]
    lasten: dict[int, int]
    # Years in which no line has an amount: their totals, and those of the period, are not known yet.
    open_years: tuple[int, ...] = ()

    @property
    def saldo(self) -> dict[int, int]:
        return {y: self.baten[y] - self.lasten[y] for y in self.years}

    @property
    def baten_period(self) -> int:
        return sum(self.baten.values())

    @property
    def lasten_period(self) -> int:
        return sum(self.lasten.values())

    @property
    def saldo_period(self) -> int:
        return self.baten_period - self.lasten_period


def compute_budget_totals(finance: Finance) -> BudgetTotals:
    """Totals of baten and lasten per year, from the budget lines."""
    baten = [line for line in finance.budget if line.kind == "baten"]
    lasten = [line for line in finance.budget if line.kind == "lasten"]
    return BudgetTotals(
        years=finance.years,
        baten={y: line_sum(baten, y) for y in finance.years},
        lasten={y: line_sum(lasten, y) for y in finance.years},
        open_years=open_years(finance),
    )


def open_years(finance: Finance) -> tuple[int, ...]:
    """The years of the window whose column has no amount in any budget line (to be filled in)."""
    return tuple(y for y in finance.years
                 if finance.budget and all(line.amounts.get(y) is None for line in finance.budget))


@dataclass(frozen=True)
class FrictionTable:
    """One friction-budget table with its computed totals."""

    name: str
    lines: list[FrictionLine]
    handreiking: dict[int, int]
    total: dict[int, int]


def compute_friction(finance: Finance) -> dict[str, FrictionTable]:
    """The 'aanvraag' and 'besteding' tables with their computed totals."""
    tables = {}
    for name in ("aanvraag", "besteding"):
        lines = [line for line in finance.friction if line.table == name]
        handreiking = [line for line in lines if line.funding == "handreiking"]
        tables[name] = FrictionTable(
            name=name,
            lines=lines,
            handreiking={y: line_sum(handreiking, y) for y in finance.friction_years},
            total={y: line_sum(lines, y) for y in finance.friction_years},
        )
    return tables


def friction_difference(tables: dict[str, FrictionTable], years: tuple[int, ...]) -> dict[int, int]:
    """Requested minus actualised spending, cumulative over the years (what is left over)."""
    result, running = {}, 0
    for year in years:
        running += tables["aanvraag"].total[year] - tables["besteding"].total[year]
        result[year] = running
    return result


def computed_totals(finance: Finance) -> dict[tuple[str, int | None], int]:
    """Every total the documents show, keyed like the published totals: (total, year or None)."""
    budget = compute_budget_totals(finance)
    friction = compute_friction(finance)
    out: dict[tuple[str, int | None], int] = {}
    for year in finance.years:
        out["baten", year] = budget.baten[year]
        out["lasten", year] = budget.lasten[year]
        out["saldo", year] = budget.saldo[year]
    out["baten", None] = budget.baten_period
    out["lasten", None] = budget.lasten_period
    out["saldo", None] = budget.saldo_period
    difference = friction_difference(friction, finance.friction_years)
    for year in finance.friction_years:
        out["frictie-aanvraag-handreiking", year] = friction["aanvraag"].handreiking[year]
        out["frictie-aanvraag-totaal", year] = friction["aanvraag"].total[year]
        out["frictie-besteding-handreiking", year] = friction["besteding"].handreiking[year]
        out["frictie-besteding-verschil", year] = difference[year]
    return out


@dataclass(frozen=True)
class Difference:
    """A published total that is not what its lines add up to."""

    total: str
    year: int | None
    published: int
    computed: int
    line: int

    @property
    def delta(self) -> int:
        return self.published - self.computed

    @property
    def label(self) -> str:
        return TOTAL_LABELS.get(self.total, self.total)


def reconcile(finance: Finance) -> list[Difference]:
    """Every published total that differs from the computed one, in file order."""
    computed = computed_totals(finance)
    return [
        Difference(p.total, p.year, p.amount, computed[p.total, p.year], p.line)
        for p in finance.published
        if (p.total, p.year) in computed and computed[p.total, p.year] != p.amount
    ]


@dataclass(frozen=True)
class Reconciliation:
    """The published totals sorted by what an editor must do about them."""

    accepted: list[Difference]  # recorded in the source as known, and unchanged
    new: list[Difference]  # not recorded: a warning
    changed: list[tuple[PublishedTotal, Difference | None]]  # recorded, but the amount moved (None: gone)


def sort_differences(finance: Finance, differences: list[Difference]) -> Reconciliation:
    """Compare every difference with the known difference recorded beside its published total."""
    found = {(d.total, d.year): d for d in differences}
    accepted: list[Difference] = []
    changed: list[tuple[PublishedTotal, Difference | None]] = []
    for p in finance.published:
        if p.known is None:
            continue
        d = found.pop((p.total, p.year), None)
        if d is not None and d.delta == p.known:
            accepted.append(d)
        else:
            changed.append((p, d))
    return Reconciliation(accepted, list(found.values()), changed)


# --- realisation against the budget (voortgangsrapportage, jaarverslag) -------------

# A difference with the budget needs a toelichting from this amount or this share on.
VARIANCE_AMOUNT = 25_000
VARIANCE_SHARE = 0.05


def needs_toelichting(budget: int | None, actual: int) -> bool:
    """True when `actual` differs from `budget` by at least € 25.000 or 5% of the budget."""
    planned = budget or 0
    difference = abs(actual - planned)
    if difference == 0:
        return False
    return difference >= VARIANCE_AMOUNT or planned == 0 or difference >= VARIANCE_SHARE * abs(planned)


def favourable(kind: str, budget: int | None, actual: int) -> str:
    """'V' (voordelig) or 'N' (nadelig) for a difference; '' when there is none.

    More income than budgeted, or less spending, is favourable.
    """
    difference = actual - (budget or 0)
    if difference == 0:
        return ""
    better = difference > 0 if kind == "baten" else difference < 0
    return "V" if better else "N"
