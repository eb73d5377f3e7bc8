"""The speed-ups found by `make bench` change nothing that a user can see."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml

from generator import load, pipeline, render
from generator.errors import Problems
from tests.conftest import SOURCE


@pytest.mark.skipif(load._FastLoader is load._Loader, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("path", sorted(SOURCE.rglob("*.yaml")), ids=lambda p: p.name)
def test_libyaml_gives_the_same_data_and_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast, slow = Problems(), Problems()
    a = load._parse(load._FastLoader, text, path, "f", fast)
    b = load._parse(load._Loader, text, path, "f", slow)
    assert a is not None and b is not None
    assert (a.data, a.lines, fast.items) == (b.data, b.lines, slow.items)


def test_broken_yaml_reports_the_pure_python_message(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    text = "a: 1\nb: [1, 2\nc: 3\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(yaml.MarkedYAMLError) as expected:
        yaml.load(text, Loader=load._Loader)
    mark = expected.value.problem_mark
    assert mark is not None
    problems = Problems()
    assert load.load_yaml(path, tmp_path, problems) is None
    [problem] = problems.items
    assert problem.line == mark.line + 1
    assert problem.message == f"YAML syntax error, column {mark.column + 1}: {expected.value.problem}"


def test_duplicate_key_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    problems = Problems()
    doc = load.load_yaml(path, tmp_path, problems)
    assert doc is not None and doc.data == {"a": 1}
    assert [p.line for p in problems.items] == [2]


def test_compiled_template_cache_gives_identical_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    validated = pipeline.check(SOURCE, 2026)
    cold = pipeline.render_documents(validated, ["agenda"], pipeline.TEMPLATES_DIR, False)
    entries = sorted(render.cache_dir().glob("*.bin"))
    assert entries, "compiled templates were not cached"
    warm = pipeline.render_documents(validated, ["agenda"], pipeline.TEMPLATES_DIR, False)
    assert warm == cold
    for entry in entries:  # a damaged cache is ignored and rewritten
        entry.write_bytes(b"not marshal data")
    assert pipeline.render_documents(validated, ["agenda"], pipeline.TEMPLATES_DIR, False) == cold
    assert all(entry.read_bytes() != b"not marshal data" for entry in entries)


def test_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    validated = pipeline.check(SOURCE, 2026)
    assert pipeline.render_documents(validated, ["agenda"], pipeline.TEMPLATES_DIR, False)


def test_linear_body_move_gives_the_same_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from docxtpl import DocxTemplate

    validated = pipeline.check(SOURCE, 2026)
    fast = pipeline.render_documents(validated, ["agenda"], pipeline.TEMPLATES_DIR, False)
    monkeypatch.setattr(render.Template, "map_tree", DocxTemplate.map_tree)
    plain = pipeline.render_documents(validated, ["agenda"], pipeline.TEMPLATES_DIR, False)
    assert fast == plain
    with zipfile.ZipFile(io.BytesIO(next(iter(fast.values())))) as archive:
        assert b'xml:space="preserve"' in archive.read("word/document.xml")
