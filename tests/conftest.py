"""Shared fixtures: the real 2026 source, built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.validate import Validated, load_agenda

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
SEED = ROOT.parent / "shared" / "seed" / "uitvoeringsagenda-2026.txt"


@pytest.fixture(scope="session")
def validated() -> Validated:
    return load_agenda(SOURCE, 2026)


@pytest.fixture(scope="session")
def agenda_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("output")
    pipeline.build(SOURCE, 2026, out, ["agenda"])
    return out / "uitvoeringsagenda-2026.docx"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.fail(f"the seed text is missing: {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    """A copy of the real source that a test may change."""
    target = tmp_path / "source"
    shutil.copytree(SOURCE, target)
    return target
