"""Every .docx the project writes passes Microsoft's own validator (Open XML SDK, Office 2013 rules) with 0 errors.

The validator is `tools/ooxml-validate/validate`: it builds itself from PyPI on first use into
`~/.cache/ooxml-validate` (about 20 s). It runs once for all files (one .NET start).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from bench.synth import scale_source
from generator import pipeline
from generator.review.diff import compare_sources
from generator.review.gitrev import Version
from tests.conftest import FILES, REPORTS, ROOT, SOURCE
from tests.diffcase import two_versions

VALIDATOR = ROOT / "tools" / "ooxml-validate" / "validate"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, real_docs: dict[str, Path],
            example_docs: dict[str, Path]) -> list[Path]:
    """Every kind of .docx the project writes: documents from the real, example and a synthetic
    source, a redline, and the templates."""
    base = tmp_path_factory.mktemp("valid")
    scale_source(SOURCE, base / "x2", 2026, 2)
    pipeline.build(base / "x2", 2026, base / "x2-out", REPORTS)
    shutil.copytree(SOURCE, base / "diff" / "source")
    old, new = two_versions(base / "diff" / "source")
    comparison = compare_sources(Version("oud", old, pipeline.TEMPLATES_DIR),
                                      Version("nieuw", new, pipeline.TEMPLATES_DIR), 2026)
    redline = comparison.documents[0].redline
    assert redline is not None
    (base / "agenda.redline.docx").write_bytes(redline)
    return [*real_docs.values(), *example_docs.values(), *(base / "x2-out" / FILES[k] for k in REPORTS),
            base / "agenda.redline.docx", *sorted((ROOT / "templates").glob("*.docx"))]


def test_every_written_docx_has_no_validator_errors(written: list[Path]) -> None:
    done = subprocess.run([str(VALIDATOR), "--json", *map(str, written)], capture_output=True, text=True,
                          timeout=900, check=False)
    assert done.returncode in (0, 1), f"the validator did not run: {done.stderr}"
    results = json.loads(done.stdout)
    errors = {path: [f"{e['part']} {e['id']}: {e['description']}" for e in found]
              for path, found in results.items() if found}
    assert len(results) == len(written)
    assert errors == {}


def test_python_docx_leftovers_are_gone(written: list[Path]) -> None:
    for path in written:
        if "redline" in path.name:
            continue  # the redline engine writes its own package
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            settings = archive.read("word/settings.xml").decode("utf-8")
        assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names, path
        assert settings.count("<w:themeFontLang") == 1 and 'w:val="nl-NL"' in settings, path
