"""bench/synth.py: synthetic sources with N times the actions are valid and really N times bigger."""

from __future__ import annotations

import re
from pathlib import Path

from bench.synth import action_copy_id, scale_source
from generator.source.model import Agenda
from generator.source.validate import Validated, load_agenda
from tests.conftest import SOURCE

ACTION_ID = re.compile(r"^[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{2,3}$")


def test_copy_ids_are_valid_action_ids() -> None:
    assert action_copy_id("S1-07", 2) == "S1-R002-07"
    assert ACTION_ID.match(action_copy_id("S3A-BT-12", 100))


def _counts(agenda: Agenda) -> tuple[int, int, int, int]:
    return (len(agenda.actions()), len(agenda.partners), len(agenda.finance.budget), len(agenda.finance.friction))


def test_twice_the_source_validates_and_is_twice_as_big(tmp_path: Path, validated: Validated) -> None:
    scaled = scale_source(SOURCE, tmp_path / "x2", 2026, 2)
    result = load_agenda(tmp_path / "x2", 2026)
    assert not result.problems.errors
    actions, partners, budget, friction = _counts(validated.agenda)
    assert _counts(result.agenda) == (2 * actions, 2 * partners, 2 * budget, 2 * friction)
    assert (scaled.actions, scaled.partners, scaled.budget_lines) == (2 * actions, 2 * partners, 2 * budget)
    ids = [a.id for _, _, a in result.agenda.actions()]
    assert len(set(ids)) == len(ids)
    # The copies name the copied partners, so the partner index grows with the source.
    copies = [a for _, _, a in result.agenda.actions() if "-R002-" in a.id]
    assert len(copies) == actions
    assert all(p.endswith("-r2") for a in copies for p in a.partners)


def test_published_totals_keep_the_same_differences(tmp_path: Path, validated: Validated) -> None:
    scale_source(SOURCE, tmp_path / "x3", 2026, 3)
    result = load_agenda(tmp_path / "x3", 2026)
    assert [(d.total, d.year, d.delta) for d in result.differences] == [
        (d.total, d.year, d.delta) for d in validated.differences
    ]
    assert len(result.problems.warnings) == len(validated.problems.warnings)


def test_factor_one_is_a_faithful_copy(tmp_path: Path, validated: Validated) -> None:
    scale_source(SOURCE, tmp_path / "x1", 2026, 1)
    assert load_agenda(tmp_path / "x1", 2026).agenda == validated.agenda
