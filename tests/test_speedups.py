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


# --- documents rendered before, taken from the cache ----------------------------------------------


def _build_all(source: Path, out: Path) -> dict[str, bytes]:
    pipeline.build(source, 2026, out, list(pipeline.DOCUMENTS))
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.docx"))}


def _entries(kind: str) -> list[Path]:
    folder = cache.cache_dir() / kind
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("source", [SOURCE, EXAMPLES], ids=["real", "examples"])
def test_documents_from_the_cache_are_those_rendered_afresh(source: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.render import documents

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    afresh = _build_all(source, tmp_path / "afresh")  # the conftest switches the reuse off
    monkeypatch.setattr(documents, "REUSE_RENDERED", True)
    monkeypatch.setattr(pipeline, "REUSE_RENDERED_CHECKS", True)
    first = _build_all(source, tmp_path / "first")
    assert len(_entries("documents")) == 3 and len(_entries("accessibility")) == 3
    assert _build_all(source, tmp_path / "second") == first == afresh and len(afresh) == 3
    for entry in _entries("documents") + _entries("accessibility"):  # damaged entries are made again
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0xFF
        entry.write_bytes(bytes(data))
    assert _build_all(source, tmp_path / "third") == afresh
    assert all(cache.read(e.parent.name, e.name) is not None for e in _entries("documents") + _entries("accessibility"))


def test_an_edit_renders_only_the_documents_it_changes(source_copy: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.render import documents

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(documents, "REUSE_RENDERED", True)
    monkeypatch.setattr(pipeline, "REUSE_RENDERED_CHECKS", True)
    before = _build_all(source_copy, tmp_path / "before")
    chapter = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    text = chapter.read_text(encoding="utf-8")
    assert "hebben we geëvalueerd" in text  # a chapter's introduction: only the agenda shows it
    chapter.write_text(text.replace("hebben we geëvalueerd", "hebben we beoordeeld"), encoding="utf-8")
    rendered: list[str] = []
    real_render = documents.normalise_docx
    monkeypatch.setattr(documents, "normalise_docx", lambda data: rendered.append("x") or real_render(data))
    after = _build_all(source_copy, tmp_path / "after")
    assert rendered == ["x"] and len(_entries("documents")) == 4
    changed = [name for name in after if after[name] != before[name]]
    assert changed == ["uitvoeringsagenda-2026.docx"]
    monkeypatch.setattr(documents, "REUSE_RENDERED", False)
    assert _build_all(source_copy, tmp_path / "afresh") == after


def test_the_accessibility_findings_of_a_document_are_remembered(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pipeline, "REUSE_RENDERED_CHECKS", True)
    doc = Document(str(pipeline.TEMPLATES_DIR / "uitvoeringsagenda.docx"))
    doc.core_properties.language = "en-US"
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()
    from generator.publish.accessibility import check_rendered

    expected = check_rendered(data)
    assert ("document language is 'en-US', not nl-NL", "set the language of the Normal style to Dutch (Netherlands)",
            "warning") in expected
    assert pipeline._accessibility_findings(data) == expected  # checked, then stored
    [entry] = _entries("accessibility")
    assert pipeline._accessibility_findings(data) == expected  # from the cache
    cache.write("accessibility", entry.name, b'[["not", "a finding"]]')  # sealed, but not what we write
    assert pipeline._accessibility_findings(data) == expected
    entry.write_bytes(b"damaged")
    assert pipeline._accessibility_findings(data) == expected


# --- the accessibility check reads styles once: the same findings as python-docx's lookups --------


def _reference_amounts(doc: object) -> list[str]:
    """check_amounts_right_aligned as it was: every row, every paragraph's style chain through python-docx."""
    from generator.publish import accessibility as a11y

    found = []
    for number, table in enumerate(doc.tables, start=1):  # type: ignore[attr-defined]
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    text = paragraph.text.strip()
                    if a11y.AMOUNT.match(text) and a11y._alignment(paragraph) != a11y.WD_ALIGN_PARAGRAPH.RIGHT:
                        found.append(f"table {number}: amount '{text}' is not right-aligned")
    return found


def _awkward(data: bytes) -> object:
    """A rendered document made hard for the checks: light and inherited colours, a basedOn cycle,
    amounts with their alignment taken away, merged cells holding amounts."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    doc = Document(io.BytesIO(data))
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterfind(qn("w:style"))}
    for style in by_id.values():
        for jc in style.iter(qn("w:jc")):  # no style aligns anything any more
            jc.getparent().remove(jc)
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Licht"><w:basedOn w:val="Lichter"/>'
                            '<w:pPr><w:jc w:val="right"/></w:pPr></w:style>'))
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Lichter"><w:basedOn w:val="Licht"/>'
                            '<w:rPr><w:color w:val="BBBBBB"/></w:rPr></w:style>'))
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Lichter"><w:rPr>'
                            '<w:color w:val="000000"/></w:rPr></w:style>'))  # a second ID: the first one counts
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Auto"><w:basedOn w:val="Licht"/>'
                            '<w:rPr><w:color w:val="auto"/></w:rPr></w:style>'))
    for number, paragraph in enumerate(doc.element.body.iter(qn("w:p"))):
        if number % 7 == 3:
            paragraph.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), ("Licht", "Auto", "Lichter")[number % 3])
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "€ 1.250"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "€ 12"
    table.cell(2, 2).text = "€ -"
    table.cell(2, 1).text = "€ 7"
    table.cell(2, 1).paragraphs[0]._p.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), "Licht")  # right, inherited
    return doc


@pytest.mark.parametrize("kind", list(pipeline.DOCUMENTS))
def test_accessibility_checks_find_what_python_docxs_lookups_find(kind: str) -> None:
    from generator.publish import accessibility as a11y

    data = _render_examples()[pipeline.document_path(kind, 2026, Path()).name]
    for doc in (Document(io.BytesIO(data)), _awkward(data)):
        amounts = a11y.check_amounts_right_aligned(doc)
        assert amounts == _reference_amounts(doc)
        for style in doc.styles:
            if hasattr(style, "base_style"):
                assert a11y._StyleColours(doc).colour(style.element) == a11y._style_colour(style), style.style_id
    awkward = _awkward(data)
    found = a11y.check_amounts_right_aligned(awkward)
    assert "amount '€ 1.250' is not right-aligned" in " ".join(found) and "'€ 7'" not in " ".join(found)
    assert a11y.check_contrast(awkward)  # the light style is found


def test_column_widths_with_each_style_resolved_once_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.render import layout

    fast = _render_examples()
    monkeypatch.setattr(layout._Styles, "paragraph", layout._Styles._resolve)
    assert _render_examples() == fast
