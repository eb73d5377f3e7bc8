"""Property-based: whatever an editor types, the result is a located user error, never a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.errors import Problem, Problems, ValidationFailed
from generator.source.load import load_csv, load_yaml
from tests.conftest import SOURCE

# Problems about a file as a whole have no line; every other problem must have one.
WHOLE_FILE = ("file is missing", "file is empty", "cannot read the file",
              "this chapter file is not listed", "there is no source folder")

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that mean something to YAML or CSV, plus ones editors paste in by accident.
SPECIAL = [*":-#[]{}'\",|>!&*%@`?~\\\n\t\r ;.€é\x00\x07\x1b\ufeff\u2028", "  ", "- ", ": ", "\n  "]
TEXT = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(max_size=6)), max_size=40).map("".join)
CONTENT = st.one_of(TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=200))


def assert_located(problems: list[Problem], text_lines: int | None = None) -> None:
    assert problems, "a failure must say what is wrong"
    for problem in problems:
        assert problem.file, problem
        assert problem.message, problem
        if not problem.message.startswith(WHOLE_FILE):
            assert problem.line is not None, f"no line: {problem.format()}"
        if problem.line is not None and text_lines is not None:
            assert 1 <= problem.line <= text_lines + 1, problem.format()


def _lines(data: bytes) -> int:
    """Lines in the file by any convention (\\r, \\n, \\r\\n, Unicode line separators): an upper bound."""
    return len(data.decode("utf-8", errors="replace").splitlines()) + 1


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=CONTENT)
def test_any_yaml_file_loads_or_gives_located_problems(scratch: Path, data: bytes) -> None:
    path = scratch / "file.yaml"
    path.write_bytes(data)
    problems = Problems()
    doc = load_yaml(path, scratch, problems)
    if doc is None:
        assert_located(problems.errors, _lines(data))
    else:
        assert_located(problems.errors, _lines(data)) if problems.errors else None


@FUZZ
@given(data=CONTENT)
def test_any_csv_file_loads_or_gives_located_problems(scratch: Path, data: bytes) -> None:
    path = scratch / "file.csv"
    path.write_bytes(data)
    problems = Problems()
    table = load_csv(path, scratch, problems)
    if table is None or problems.errors:
        assert_located(problems.errors, _lines(data))


SOURCE_FILES = sorted(str(p.relative_to(SOURCE)) for p in SOURCE.rglob("*") if p.is_file())


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, bytes]:
    """One source file, changed the way a careless edit might change it."""
    name = draw(st.sampled_from(SOURCE_FILES))
    original = (SOURCE / name).read_bytes()
    kind = draw(st.sampled_from(["insert", "delete", "replace-line", "whole"]))
    at = draw(st.integers(0, len(original)))
    if kind == "insert":
        return name, original[:at] + draw(TEXT).encode("utf-8") + original[at:]
    if kind == "delete":
        return name, original[:at] + original[at + draw(st.integers(1, 200)):]
    if kind == "replace-line":
        lines = original.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = draw(TEXT).encode("utf-8")
        return name, b"\n".join(lines)
    return name, draw(CONTENT)


@FUZZ
@given(change=mutation())
def test_any_edit_of_the_source_builds_or_gives_located_problems(scratch: Path, change: tuple[str, bytes]) -> None:
    source = scratch / "source"
    if not source.exists():
        shutil.copytree(SOURCE, source)
    name, data = change
    path = source / name
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        pipeline.check(source, 2026)  # validates, then renders every document in memory
    except ValidationFailed as exc:
        assert_located(exc.problems.errors)
    finally:
        path.write_bytes(original)
