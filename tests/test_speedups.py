"""The speed-ups found by `make bench` change nothing that a user can see."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

from generator import cache, pipeline
from generator.content.context import build_agenda_context
from generator.errors import Problems
from generator.render import template as render
from generator.source import load
from tests.conftest import EXAMPLES, ROOT, SOURCE


def _loaded(path: Path, root: Path) -> tuple[object, object, list[object]]:
    problems = Problems()
    doc = load.load_yaml(path, root, problems)
    return (doc.data, doc.lines) if doc else None, doc.reported if doc else None, problems.items


def _both_ways(path: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = _loaded(path, root)
    with monkeypatch.context() as m:
        m.setattr(load, "_FAST_LOADER", None)
        slow = _loaded(path, root)
    return fast, slow


@pytest.mark.skipif(load._FAST_LOADER is None, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("path", sorted(SOURCE.rglob("*.yaml")), ids=lambda p: p.name)
def test_libyaml_gives_the_same_data_and_lines(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both_ways(path, SOURCE, monkeypatch)
    assert fast == slow
    assert fast[0] is not None


BROKEN_YAML = {
    "syntax": "a: 1\nb: [1, 2\nc: 3\n",
    "indent": "a:\n  b: 1\n c: 2\n",
    "alias": "a: &x hello\nb: *x\n",
    "merge": "a: &x {k: 1}\nb:\n  <<: *x\n",
    "control": "a: hello\x07\n",
    "duplicate": "a: 1\na: 2\n",
    "tag": "a: !!python/object:os.system x\n",
    "comments": "# only a comment\n",
    "date": "a: 2026-13-45\n",
    "key": "[1, 2]: x\n",
    "ampersand in text": "a: J&V en R&D\n",
}


@pytest.mark.skipif(load._FAST_LOADER is None, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("name", BROKEN_YAML)
def test_unusual_yaml_is_reported_the_same_with_libyaml(name: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(BROKEN_YAML[name], encoding="utf-8")
    fast, slow = _both_ways(path, tmp_path, monkeypatch)
    assert fast == slow
    assert slow[2] or name == "ampersand in text"  # every broken case is reported


def _render_examples() -> dict[str, bytes]:
    """All three documents from the fictitious example source (full progress and results), in memory."""
    validated, reports = pipeline.load_all(EXAMPLES, 2026)
    return pipeline.render_documents(validated, reports, list(pipeline.DOCUMENTS), pipeline.TEMPLATES_DIR, True)


def test_compiled_template_cache_gives_identical_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cold = _render_examples()
    entries = sorted(cache.cache_dir().glob("*/*"))
    assert {e.parent.name for e in entries} >= {"jinja", "docxtpl-patched", "template-names"}
    assert _render_examples() == cold
    for entry in entries:  # a damaged cache is ignored and rewritten
        data = bytearray(entry.read_bytes())
        data[-1] ^= 0xFF
        entry.write_bytes(bytes(data))
    assert _render_examples() == cold
    # rewritten (charts too, but only by a new process: this one remembers them in memory)
    assert all(cache.read(e.parent.name, e.name) is not None for e in entries if e.parent.name != "charts")


def test_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert len(_render_examples()) == 3


def test_linear_body_move_gives_the_same_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from docxtpl import DocxTemplate

    fast = _render_examples()
    monkeypatch.setattr(render.Template, "map_tree", DocxTemplate.map_tree)
    plain = _render_examples()
    assert fast == plain and len(fast) == 3
    for data in fast.values():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert b'xml:space="preserve"' in archive.read("word/document.xml")


def test_template_check_is_remembered_only_for_the_same_template(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    template = tmp_path / "t.docx"
    shutil.copy(pipeline.TEMPLATES_DIR / "uitvoeringsagenda.docx", template)
    validated = pipeline.check(SOURCE, 2026)
    context = build_agenda_context(validated.agenda, validated.differences)
    first = render.check_template(template, context)
    assert first == [] and list((cache.cache_dir() / "template-names").iterdir())
    partial = {k: v for k, v in context.items() if k != "finance"}
    cold = render.check_template(template, partial)  # from the cache
    for entry in (cache.cache_dir() / "template-names").iterdir():
        entry.write_bytes(b"{damaged")
    assert render.check_template(template, partial) == cold  # checked again
    assert [p.message for p in cold] == ["the template uses 'finance', which the data does not provide"]
    broken = Document(str(template))
    broken.add_paragraph("{{ doc.title ")  # a broken tag: a different template
    broken.save(str(template))
    assert any("does not end in it" in p.message for p in render.check_template(template, context))


def test_charts_are_remembered_and_matplotlib_is_not_imported_again(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    script = ("import sys; from pathlib import Path; from generator import pipeline; "
              f"pipeline.build(Path({str(EXAMPLES)!r}), 2026, Path(sys.argv[1]), list(pipeline.DOCUMENTS)); "
              "print('matplotlib' in sys.modules)")

    def build(out: str) -> tuple[str, dict[str, bytes]]:
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path / out)], env=env, cwd=ROOT,
                              capture_output=True, text=True, check=True)
        return done.stdout.strip(), {p.name: p.read_bytes() for p in (tmp_path / out).iterdir()}

    imported, first = build("a")
    charts = sorted((tmp_path / "cache" / "riec-documenten" / "charts").iterdir())
    assert imported == "True" and charts
    imported, second = build("b")
    assert imported == "False" and second == first
    for entry in charts:  # a damaged chart is drawn again
        entry.write_bytes(b"damaged")
    imported, third = build("c")
    assert imported == "True" and third == first


def _document_parts() -> int:
    import gc

    from docx.parts.document import DocumentPart

    return sum(1 for o in gc.get_objects() if isinstance(o, DocumentPart))


def test_a_big_document_is_freed_before_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    gc.collect()
    gc.disable()  # only render_document's own collection may free anything
    try:
        _render_examples()
        assert _document_parts() > 0  # small documents: python-docx's cycles wait for the collector
        gc.collect()
        monkeypatch.setattr(render, "COLLECT_ABOVE", 0)  # now treat every document as big
        assert len(_render_examples()) == 3
        assert _document_parts() == 0
    finally:
        gc.enable()


def test_skipping_resolve_listing_gives_the_same_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    from docxtpl import DocxTemplate

    fast = _render_examples()
    monkeypatch.setattr(render.Template, "resolve_listing", DocxTemplate.resolve_listing)
    assert _render_examples() == fast


@pytest.mark.parametrize("xml", [
    '<w:p><w:r><w:t>plain text</w:t></w:r></w:p>',
    '<w:p><w:pPr><w:jc/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">a\tb\nc\ad\fe</w:t></w:r></w:p>',
    '<w:p><w:r><w:drawing>\n  <a:blip/>\n</w:drawing></w:r><w:r><w:t>x</w:t></w:r></w:p>',
    '<w:p><w:r><w:t xml:space="preserve"/></w:r><w:r><w:t>a</w:t>\n</w:r><w:r><w:t>b\n</w:t></w:r></w:p>',
    '<w:p><w:r><w:t xml:space="preserve"/>\n</w:r></w:p><w:p><w:r><w:t>b</w:t></w:r></w:p>',
    '<w:p><w:r><w:tab/><w:t>no\u00a0break</w:t></w:r></w:p>\n<w:p/>',
])
def test_resolve_listing_is_docxtpls_for_any_text(xml: str) -> None:
    from docxtpl import DocxTemplate

    template = render.Template(pipeline.TEMPLATES_DIR / "uitvoeringsagenda.docx")
    assert template.resolve_listing(xml) == DocxTemplate.resolve_listing(template, xml)


def test_the_chart_cache_key_has_matplotlibs_installed_version() -> None:
    from importlib import metadata

    from generator.content import charts

    assert charts._matplotlib_version() == metadata.version("matplotlib")
