"""`nieuw-jaar`: next year's source folder from this year's, as a concept to edit.

What carries over: the agenda's metadata (title, year, period shifted, a concept without adoption
date), every action that is not afgerond or vervallen in the latest report (all of them when
nothing was reported), each keeping its ID and marked `carried_over` (with `postponed: true` for a
doorgeschoven action), the begroting with its window shifted and the new last year empty, and the
kerncijfers' and indicators' values as next year's `vorig_jaar`. Texts are copied as they are, for
the editors to rewrite. The new folder is built and validated beside the target, then renamed into
place: on any error nothing is written, and an existing year is never overwritten.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import Problems, UserError, ValidationFailed
from ..i18n import _
from ..source.finance import TO_FILL_IN
from ..source.load import Document, SourceFiles, load_yaml
from ..source.model import Agenda, Chapter, Jaarverslag
from ..source.progress import Reports, load_all
from ..source.provenance import plain
from ..source.validate import load_agenda
from ..source.yeartexts import YearMention, year_mentions

FINAL = ("afgerond", "vervallen")


@dataclass
class NewYear:
    """What `new_year` did: the folder it created and what it carried over or left behind."""

    target: Path
    van: int
    naar: int
    carried: list[str] = field(default_factory=list)  # action IDs, in document order
    postponed: list[str] = field(default_factory=list)  # doorgeschoven: carried, marked so
    left_behind: list[tuple[str, str]] = field(default_factory=list)  # (action ID, final status)
    status_from: str = ""  # which report the statuses came from
    emptied_sections: list[str] = field(default_factory=list)
    figures: int = 0  # kerncijfers and indicators whose value became vorig_jaar
    to_review: list[str] = field(default_factory=list)


def new_year(source: Path, van: int, naar: int) -> NewYear:
    """Create `source/<naar>` from `source/<van>`; raise UserError/ValidationFailed and write nothing on error."""
    if naar != van + 1:
        raise UserError(_("nieuw-jaar goes one year ahead: --naar must be {expected}, not {naar}")
                        .format(expected=van + 1, naar=naar))
    target = source / str(naar)
    if not (source / str(van)).is_dir():
        raise UserError(_("there is no source folder for {year}: {folder} (check --source and --van)")
                        .format(year=van, folder=source / str(van)))
    if target.exists():
        raise UserError(_("{folder} already exists: nieuw-jaar never overwrites a year (nothing was changed; "
                          "remove or rename {folder} first if you want to start {year} again)")
                        .format(folder=target, year=naar))
    validated, reports = load_all(source, van)  # located errors; nothing written
    agenda = validated.agenda
    result = NewYear(target, van, naar)
    statuses = _final_statuses(agenda, reports, result)

    source.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".nieuw-jaar-{naar}-", dir=source))
    try:
        new_dir = work / str(naar)
        _write_year(source, van, naar, agenda, reports, statuses, new_dir, result)
        # The new year must be a valid source before it is put in place.
        for name in ("partners.yaml", "FICTIEF"):
            if (source / name).exists():
                shutil.copy2(source / name, work / name)
        try:
            load_agenda(work, naar)
        except ValidationFailed as exc:
            raise RuntimeError("nieuw-jaar produced an invalid source:\n"
                               + "\n".join(p.format() for p in exc.problems.errors)) from exc
        try:
            os.rename(new_dir, target)  # atomic; fails if another run created the year meanwhile
        except OSError as exc:
            raise UserError(_("{folder} already exists: nieuw-jaar never overwrites a year "
                              "(another run created it meanwhile; nothing was changed)").format(folder=target)) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.to_review += _year_numbers(source, naar, agenda)
    return result


def _year_numbers(source: Path, naar: int, agenda: Agenda) -> list[str]:
    """The texts of the new year that still name a year as a number, each with file and line."""
    files = SourceFiles(source, naar)
    paths = [files.meta, files.introduction, *(files.chapter(c.id) for c in agenda.chapters)]
    mentions: list[YearMention] = []
    for path in paths:
        doc = load_yaml(path, source, Problems())
        if doc is not None:
            found = year_mentions(doc, path.read_text(encoding="utf-8"))
            # The title was set to the new year above; every other number is for the editors to judge.
            mentions += [m for m in found if not (path == files.meta and m.field == "title")]
    if not mentions:
        return []
    return [_("{n} texts still name a year as a number; check each, and write {{jaar}}, {{vorig_jaar}} or "
              "{{volgend_jaar}} where it means the agenda's year (the documents then print {year}, {previous} "
              "or {next}):").format(n=len(mentions), year=naar, previous=naar - 1, next=naar + 1)
            + "".join(f"\n      {m.file}:{m.line}: {m.field}: '{m.excerpt}'" for m in mentions)]


def _final_statuses(agenda: Agenda, reports: Reports, result: NewYear) -> dict[str, str]:
    """Each action's status in the latest report of the year (the jaarverslag, else the last peildatum)."""
    if reports.jaarverslag is not None and reports.jaarverslag.acties:
        acties = reports.jaarverslag.acties
        result.status_from = "jaarverslag.yaml"
    elif reports.voortgang is not None and reports.peildata and reports.peildatum == reports.peildata[-1]:
        acties = reports.voortgang.acties
        result.status_from = f"voortgang/{reports.peildatum.isoformat()}.yaml"
    else:
        acties = {}
        result.status_from = ""
    statuses: dict[str, str] = {}
    for __, ___, action in agenda.actions():
        report = acties.get(action.id)
        status: str = report.status if report else "nog niet gerapporteerd"
        decided = reports.decision(action.id, None)
        if status not in FINAL and status != "doorgeschoven" and decided is not None:
            status = decided.status  # agreed by the stuurgroep, not yet in the latest report
        statuses[action.id] = status
    return statuses


def _write_year(source: Path, van: int, naar: int, agenda: Agenda, reports: Reports, statuses: dict[str, str],
                new_dir: Path, result: NewYear) -> None:
    old = SourceFiles(source, van)
    (new_dir / "hoofdstukken").mkdir(parents=True)
    (new_dir / "financien").mkdir()
    (new_dir / "agenda.yaml").write_text(_agenda_yaml(old.meta.read_text(encoding="utf-8"), agenda, van, naar),
                                         encoding="utf-8")
    shutil.copy2(old.introduction, new_dir / "inleiding.yaml")
    for chapter in agenda.chapters:
        path = old.chapter(chapter.id)
        problems = Problems()
        doc = load_yaml(path, source, problems)
        if doc is None:  # it was valid a moment ago
            raise RuntimeError(f"cannot read {path} again")
        text = _chapter_yaml(path.read_text(encoding="utf-8"), doc, chapter, statuses, van, result)
        (new_dir / "hoofdstukken" / path.name).write_text(text, encoding="utf-8")
    (new_dir / "financien" / "begroting.csv").write_text(_budget_csv(agenda, naar), encoding="utf-8")
    shutil.copy2(old.friction, new_dir / "financien" / "frictiebudget.csv")
    (new_dir / "financien" / "gepubliceerd.csv").write_text("totaal,jaar,bedrag\n", encoding="utf-8")
    if reports.jaarverslag is not None:
        text = _previous_figures(reports.jaarverslag, van, naar, result)
        if text:
            (new_dir / "jaarverslag.yaml").write_text(text, encoding="utf-8")
    result.to_review = [
        _("{file}: the title says {new}; the subtitle, 'Toelichting financieel' and 'frictiebudget' are copied "
          "from {year}: check them").format(file="agenda.yaml", new=naar, year=van),
        _("{file}: Inleiding, Governance, Effecten and Indeling are copied from {year}; where they say {{jaar}} "
          "the documents print {new}").format(file="inleiding.yaml", year=van, new=naar),
        _("{files}: chapter titles and introductions are copied from {year}; add the new actions")
        .format(files="hoofdstukken/*.yaml", year=van),
        _("{file}: fill in the {year} column (until then its lines and totals say '{marker}') and check every amount")
        .format(file="financien/begroting.csv", year=agenda.meta.period[1] + 1, marker=TO_FILL_IN),
        _("{file}: copied from {year} unchanged; remove it or update it")
        .format(file="financien/frictiebudget.csv", year=van),
    ]


# --- agenda.yaml -----------------------------------------------------------------------


def _agenda_yaml(text: str, agenda: Agenda, van: int, naar: int) -> str:
    """The metadata for the new year; every other line (and comment) stays as it was."""
    meta = agenda.meta
    shift = naar - van
    title = re.sub(rf"\b{van}\b", str(naar), meta.title)
    values = {
        "title": json.dumps(title, ensure_ascii=False),
        "year": str(naar),
        "period": f"[{meta.period[0] + shift}, {meta.period[1] + shift}]",
        "adopted_on": "null",
        "version": '"0.1"',
        "version_date": "null",
    }
    text = _comment_year(text, van, naar)
    for key, value in values.items():
        text = _set_top_level(text, key, value, after="period" if key != "period" else "year")
    return text


def _comment_year(text: str, van: int, naar: int) -> str:
    """The file's leading comment names the new year."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            break
        lines[i] = re.sub(rf"\b{van}\b", str(naar), line)
    return "".join(lines)


def _set_top_level(text: str, key: str, value: str, after: str) -> str:
    """Replace a top-level `key:` (with any indented continuation lines), or add it after `after:`."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            end = i + 1
            while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()) \
                    and lines[end].strip() and not lines[end].startswith("#"):
                end += 1
            lines[i:end] = [f"{key}: {value}\n"]
            return "".join(lines)
    for i, line in enumerate(lines):
        if line.startswith(f"{after}:"):
            lines.insert(i + 1, f"{key}: {value}\n")
            return "".join(lines)
    return text + f"{key}: {value}\n"


# --- hoofdstukken ---------------------------------------------------------------------------


def _chapter_yaml(text: str, doc: Document, chapter: Chapter, statuses: dict[str, str], van: int,
                  result: NewYear) -> str:
    """The chapter without its finished actions; every other action marked as carried over from `van`."""
    lines = text.splitlines(keepends=True)
    starts = sorted(set(doc.lines.items()), key=lambda item: item[1])
    remove: list[tuple[int, int]] = []  # 0-based [start, end)
    insert: dict[int, str] = {}  # after this 0-based line
    replace: dict[int, str] = {}
    for i, section in enumerate(chapter.sections):
        kept = 0
        for j, action in enumerate(section.actions):
            loc = ("sections", i, "actions", j)
            start = doc.lines[loc]
            status = statuses[action.id]
            if status in FINAL:
                end = next((line for path, line in starts if line > start and path[:len(loc)] != loc),
                           len(lines) + 1)
                remove.append((start - 1, end - 1))
                result.left_behind.append((action.id, status))
                continue
            kept += 1
            id_line = doc.lines[(*loc, "id")] - 1
            indent = lines[id_line].index("id:")
            postponed = status == "doorgeschoven"
            insert[id_line] = " " * indent + f"carried_over: {{year: {van}" + (
                ", postponed: true}\n" if postponed else "}\n")
            result.carried.append(action.id)
            if postponed:
                result.postponed.append(action.id)
        if section.actions and not kept:
            key_line = doc.lines[("sections", i, "actions")] - 1
            replace[key_line] = lines[key_line].rstrip("\n").rstrip() + " []\n"
            result.emptied_sections.append(f"{chapter.short_title or chapter.title} › "
                                           f"{section.title or f'sectie {i + 1}'}")
    removed = {n for start, end in remove for n in range(start, end)}
    out = []
    for n, line in enumerate(lines):
        if n in removed:
            continue
        out.append(replace.get(n, line))
        if n in insert:
            out.append(insert[n])
    return _comment_year("".join(out), van, van + 1)


# --- begroting --------------------------------------------------------------------------


def _budget_csv(agenda: Agenda, naar: int) -> str:
    """The budget lines with the window shifted one year: the first year dropped, the new last year empty."""
    years = [y + 1 for y in agenda.finance.years]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["regel", "soort", "omschrijving", *map(str, years)])
    for line in agenda.finance.budget:
        amounts = [line.amounts.get(y) for y in years]
        writer.writerow([line.id, line.kind, line.label, *("" if a is None else str(a) for a in amounts)])
    return buffer.getvalue()


# --- kerncijfers and indicators ---------------------------------------------------------------


def _previous_figures(jaarverslag: Jaarverslag, van: int, naar: int, result: NewYear) -> str:
    """A jaarverslag for the new year holding only last year's figures as `vorig_jaar`."""
    kerncijfers = [{"naam": k.naam, "vorig_jaar": k.waarde} for k in jaarverslag.kerncijfers if k.waarde is not None]
    effecten: list[dict[str, object]] = []
    count = len(kerncijfers)
    for effect in jaarverslag.effecten:
        indicators = [{"naam": i.naam, "vorig_jaar": i.waarde} for i in effect.indicatoren if i.waarde is not None]
        if indicators:
            effecten.append({"effect": effect.effect, "indicatoren": indicators})
            count += len(indicators)
    result.figures = count
    if not result.figures:
        return ""
    data: dict[str, object] = {}
    if kerncijfers:
        data["kerncijfers"] = kerncijfers
    if effecten:
        data["effecten"] = effecten
    header = (f"# Jaarverslag {naar}: made by nieuw-jaar with the figures of {van} as 'vorig_jaar'.\n"
              f"# Add each 'waarde:' of {naar} when it is known; until then the jaarverslag says "
              "'nog niet gerapporteerd'.\n")
    return header + yaml.safe_dump(plain(data), allow_unicode=True, sort_keys=False, width=100)
