"""Synthetic sources for the scale benchmark: a valid copy of a source with N times the actions.

`scale_source(source, target, year, factor)` copies `source` to `target` and multiplies:
- every chapter's sections (and so its actions), with new unique action IDs
  (`S1-07` -> `S1-R002-07` for the 2nd copy);
- the partner registry (`riec-bureau` -> `riec-bureau-r2`), the copies' actions refer to the copies;
- every budget and friction-budget line (`huisvesting` -> `huisvesting-r2`), same years;
- any other per-action or per-line data (progress, realisation) in the year's folder: entries
  that name an action ID or a budget line are copied for the new IDs, so the reports stay complete.
The published totals are shifted by what the copies add, so the synthetic source reports exactly
the same reconciliation differences as the original. The result passes `python -m generator check`.
"""

from __future__ import annotations

import copy
import csv
import io
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml

# The files this module rewrites itself; every other YAML/CSV file in the year folder is
# scanned generically for action IDs and budget-line IDs.
_PARTNERS = "partners.yaml"
_CHAPTERS = "hoofdstukken"
_PUBLISHED = "gepubliceerd.csv"
_BUDGET = "begroting.csv"
# CSV columns that hold a budget-line ID (begroting.csv, frictiebudget.csv, realisation files).
_LINE_COLUMNS = ("regel",)


@dataclass(frozen=True)
class Scaled:
    """What a synthetic source holds, for the benchmark's report."""

    factor: int
    actions: int
    partners: int
    budget_lines: int


def action_copy_id(action_id: str, k: int) -> str:
    """The ID of copy `k` (k >= 2) of an action: `S1-07` -> `S1-R002-07`; still a valid ActionId."""
    prefix, number = action_id.rsplit("-", 1)
    return f"{prefix}-R{k:03d}-{number}"


def slug_copy_id(slug: str, k: int) -> str:
    """The ID of copy `k` of a partner or budget line: `huisvesting` -> `huisvesting-r2`."""
    return f"{slug}-r{k}"


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class _Dumper(yaml.SafeDumper):
    """Writes copies out in full: the source format does not allow YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100),
                    encoding="utf-8")


def _scale_partners(path: Path, factor: int) -> int:
    data = _load(path)
    originals = data["partners"]
    copies = []
    for k in range(2, factor + 1):
        for partner in originals:
            # Same name and aliases: every copied 'partners_wording' still names its partners.
            copies.append({**copy.deepcopy(partner), "id": slug_copy_id(partner["id"], k)})
    data["partners"] = originals + copies
    _dump(path, data)
    return len(data["partners"])


def _copy_section(section: dict[str, Any], k: int) -> dict[str, Any]:
    new = copy.deepcopy(section)
    if new.get("title"):
        new["title"] = f"{new['title']} ({k})"
    if new.get("partners"):
        new["partners"] = [slug_copy_id(p, k) for p in new["partners"]]
    for action in new.get("actions") or []:
        action["id"] = action_copy_id(action["id"], k)
        if action.get("partners"):
            action["partners"] = [slug_copy_id(p, k) for p in action["partners"]]
    return new


def _scale_chapter(path: Path, factor: int, action_ids: list[str]) -> None:
    data = _load(path)
    originals = data["sections"]
    action_ids.extend(a["id"] for s in originals for a in s.get("actions") or [])
    data["sections"] = originals + [_copy_section(s, k) for k in range(2, factor + 1) for s in originals]
    _dump(path, data)


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _scale_csv(path: Path, factor: int, actions: set[str], lines: set[str]) -> int:
    """Copy every row that names an action or a budget line; return the number of rows."""
    header, rows = _read_csv(path)
    id_columns = [c for c in header if c in _LINE_COLUMNS]
    out = list(rows)
    for k in range(2, factor + 1):
        for row in rows:
            mapped = _map_row(row, k, actions, lines, id_columns)
            if mapped is not None:
                out.append(mapped)
    _write_csv(path, header, out)
    return len(out)


def _map_row(row: dict[str, str], k: int, actions: set[str], lines: set[str],
             id_columns: list[str]) -> dict[str, str] | None:
    new, changed = dict(row), False
    for column, value in row.items():
        if value in actions:
            new[column], changed = action_copy_id(value, k), True
        elif column in id_columns and value:
            lines.add(value)
            new[column], changed = slug_copy_id(value, k), True
    return new if changed else None


def _scale_yaml_data(data: Any, factor: int, actions: set[str]) -> Any:
    """Copy every list entry or mapping key that names an action, for each new ID."""
    if isinstance(data, list):
        items = [_scale_yaml_data(item, factor, actions) for item in data]
        copies = [_map_value(item, partial(action_copy_id, k=k), actions)
                  for k in range(2, factor + 1) for item in items if _names_action(item, actions)]
        return items + copies
    if isinstance(data, dict):
        out = {key: _scale_yaml_data(value, factor, actions) for key, value in data.items()}
        for key in [key for key in data if key in actions]:
            for k in range(2, factor + 1):
                out[action_copy_id(key, k)] = _map_value(out[key], partial(action_copy_id, k=k), actions)
        return out
    return data


def _names_action(item: Any, actions: set[str]) -> bool:
    if isinstance(item, str):
        return item in actions
    return isinstance(item, dict) and any(isinstance(v, str) and v in actions for v in item.values())


def _map_value(data: Any, rename: Callable[[str], str], actions: set[str]) -> Any:
    if isinstance(data, str):
        return rename(data) if data in actions else data
    if isinstance(data, list):
        return [_map_value(item, rename, actions) for item in data]
    if isinstance(data, dict):
        return {(rename(k) if k in actions else k): _map_value(v, rename, actions) for k, v in data.items()}
    return data


def _shift_published(target: Path, year: int, original: Path) -> None:
    """Add to each published total what the copied lines add, so the same differences remain."""
    from generator.source.finance import computed_totals
    from generator.source.validate import load_agenda

    published = target / str(year) / "financien" / _PUBLISHED
    if not published.exists():
        return
    before = computed_totals(load_agenda(original, year).agenda.finance)
    after = computed_totals(load_agenda(target, year).agenda.finance)
    header, rows = _read_csv(published)
    for row in rows:
        year_text = row["jaar"]
        key = (row["totaal"], int(year_text) if year_text.isdigit() else None)
        if key in before and key in after and row["bedrag"].lstrip("-").isdigit():
            row["bedrag"] = str(int(row["bedrag"]) + after[key] - before[key])
    _write_csv(published, header, rows)


def scale_source(source: Path, target: Path, year: int, factor: int) -> Scaled:
    """Write a copy of `source` with `factor` times the actions, partners and budget lines."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    partners = _scale_partners(target / _PARTNERS, factor)
    year_dir = target / str(year)
    action_ids: list[str] = []
    for path in sorted((year_dir / _CHAPTERS).glob("*.yaml")):
        _scale_chapter(path, factor, action_ids)
    actions = set(action_ids)
    lines: set[str] = set()
    budget_lines = 0
    for path in sorted(year_dir.rglob("*")):
        if path.is_dir() or _CHAPTERS in path.relative_to(year_dir).parts or path.name == _PUBLISHED:
            continue
        if path.suffix == ".csv":
            rows = _scale_csv(path, factor, actions, lines)
            budget_lines += rows if path.name == _BUDGET else 0
        elif path.suffix in (".yaml", ".yml"):
            data = _load(path)
            scaled = _scale_yaml_data(data, factor, actions)
            if scaled != data:
                _dump(path, scaled)
    _shift_published(target, year, source)
    return Scaled(factor, len(action_ids) * factor, partners, budget_lines)


# One chapter with every kind of block the source format has, and a report of every status, added
# by `every_kind_source` so that the documents' tests see each of them at least once.
EVERY_KIND_ID = "synthetisch"
_EVERY_KIND_CHAPTER: dict[str, Any] = {
    "id": EVERY_KIND_ID,
    "title": "Synthetisch hoofdstuk met elk soort blok (J&V, <tekst> en \"aanhalingstekens\")",
    "short_title": "Synthetisch",
    "group": "Synthetische groep",
    "effect": "Elk soort blok staat minstens één keer in de documenten.",
    "effect_ref": 1,
    "intro": ["Een alinea met een ampersand (B&W) en een lang samengesteld woord: "
              "ondermijningsbestrijdingsprogrammacoördinatie.",
              {"bullets": ["Eerste opsommingsteken.", "Tweede opsommingsteken."]},
              {"numbered": ["Eerste genummerde punt.", "Tweede genummerde punt."]}],
    "sections": [
        {"title": "Sectie met titel, ondertitel en inleiding", "subtitle": "Een ondertitel",
         "intro": ["Inleidende alinea.", {"bullets": ["Inleidend punt."]}],
         "actions": [
             {"id": "SYN-01", "title": "Actie met titel en subpunten", "text": "Deze actie heeft subpunten:",
              "items": ["Eerste subpunt.", "Tweede subpunt met J&V."], "partners": ["riec-bureau", "gemeenten"]},
             {"id": "SYN-02", "text": "Een actie met de gepubliceerde partnerformulering.",
              "partners": ["riec-bureau"], "partners_wording": "RIEC-bureau (en betrokken partners)"},
             {"id": "SYN-03", "text": "Een actie met één partner.", "partners": ["politie"]},
             {"id": "SYN-04", "text": "Een actie die is doorgeschoven.", "partners": ["gemeenten"]},
         ],
         "closing": ["Afsluitende alinea.", {"numbered": ["Afsluitend genummerd punt."]}]},
        {"title": "Sectie met partners bij alle acties",
         "actions": [
             {"id": "SYN-05", "text": "Een actie met de partners van de sectie."},
             {"id": "SYN-06", "title": "Titel zonder subpunten", "text": "Een actie die vervalt."},
             {"id": "SYN-07", "text": "Een actie met eigen partners in deze sectie.", "partners": ["politie"]},
         ],
         "partners": ["riec-bureau", "gemeenten"]},
        {"actions": [{"id": "SYN-08", "text": "Een actie in een sectie zonder titel.",
                      "partners": ["gemeenten"]}]},
    ],
}
_BESLUIT = {"datum": "2026-07-09", "referentie": "SG-SYN-01 (fictief)"}
_EVERY_KIND_REPORTS: dict[str, dict[str, Any]] = {
    "SYN-01": {"status": "op schema"},
    "SYN-02": {"status": "vraagt aandacht", "toelichting": "Vertraagd; hangt samen met SYN-01 (fictief)."},
    "SYN-03": {"status": "niet gestart", "toelichting": "Start later (fictief)."},
    "SYN-04": {"status": "doorgeschoven", "toelichting": "Wacht op besluit (fictief).", "naar_jaar": 2027,
               "besluit": _BESLUIT},
    "SYN-05": {"status": "afgerond"},
    "SYN-06": {"status": "vervallen", "toelichting": "Niet meer nodig (fictief).", "besluit": _BESLUIT},
    # SYN-07 and SYN-08 are not reported: 'nog niet gerapporteerd'.
}


def every_kind_source(base: Path, target: Path, year: int, factor: int = 1) -> Scaled:
    """A copy of `base` (with its reports) plus a chapter holding every kind of block, scaled `factor` times."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "source"
        shutil.copytree(base, plain)
        year_dir = plain / str(year)
        _dump(year_dir / _CHAPTERS / f"{EVERY_KIND_ID}.yaml", _EVERY_KIND_CHAPTER)
        agenda = _load(year_dir / "agenda.yaml")
        agenda["chapters"].append(EVERY_KIND_ID)
        _dump(year_dir / "agenda.yaml", agenda)
        # The Indeling describes every chapter, in order, before the finance chapter.
        intro = _load(year_dir / "inleiding.yaml")
        items = intro["indeling"]["items"]
        at = next((i for i, item in enumerate(items) if item.get("chapter") == "financieel"), len(items))
        items.insert(at, {"chapter": EVERY_KIND_ID, "text": "Een hoofdstuk met elk soort blok (fictief)."})
        _dump(year_dir / "inleiding.yaml", intro)
        for path in sorted((year_dir / "voortgang").glob("*.yaml")):
            data = _load(path)
            data["acties"].update(copy.deepcopy(_EVERY_KIND_REPORTS))
            _dump(path, data)
        final = year_dir / "jaarverslag.yaml"
        if final.exists():
            data = _load(final)
            data["acties"].update({k: {**v, "resultaat": f"Resultaat van {k} (fictief)."}
                                   for k, v in copy.deepcopy(_EVERY_KIND_REPORTS).items()})
            data.setdefault("hoofdstukken", {})[EVERY_KIND_ID] = {
                "gedaan": ["Wat is gedaan (fictief).", {"bullets": ["Een punt (fictief)."]}],
                "begrotingsregels": []}
            _dump(final, data)
        return scale_source(plain, target, year, factor)


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print("usage: python -m bench.synth SOURCE TARGET YEAR FACTOR", file=sys.stderr)
        return 2
    scaled = scale_source(Path(argv[0]), Path(argv[1]), int(argv[2]), int(argv[3]))
    print(f"{argv[1]}: {scaled.actions} actions, {scaled.partners} partners, {scaled.budget_lines} budget lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
