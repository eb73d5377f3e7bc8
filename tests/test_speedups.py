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
from docx.enum.text import WD_ALIGN_PARAGRAPH

from generator import pipeline
from generator.cache import NO_CACHE, Cache
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


def _render_examples(store: Cache = NO_CACHE) -> dict[str, bytes]:
    """All three documents from the fictitious example source (full progress and results), in memory.

    Without a cache unless one is given: most tests here change the rendering code in this process.
    """
    validated, reports = pipeline.load_all(EXAMPLES, 2026)
    return pipeline.render_documents(validated, reports, list(pipeline.DOCUMENTS), pipeline.TEMPLATES_DIR, True,
                                     store)


def test_the_cache_gives_identical_documents(tmp_path: Path) -> None:
    store = Cache(tmp_path / "cache")
    cold = _render_examples(store)
    assert cold == _render_examples()  # without a cache
    entries = sorted((tmp_path / "cache").glob("*/*"))
    assert {e.parent.name for e in entries} == {"templates", "documents", "charts"}
    assert _render_examples(store) == cold
    for entry in entries:  # a damaged cache is ignored and rewritten
        data = bytearray(entry.read_bytes())
        data[-1] ^= 0xFF
        entry.write_bytes(bytes(data))
    assert _render_examples(store) == cold
    # rewritten (charts too, but only by a new process: this one remembers them in memory)
    assert all(store.read(e.parent.name, e.name) is not None for e in entries if e.parent.name != "charts")


def test_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    assert len(_render_examples(Cache(blocker))) == 3


def test_linear_body_move_gives_the_same_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from docxtpl import DocxTemplate

    fast = _render_examples()
    monkeypatch.setattr(render.Template, "map_tree", DocxTemplate.map_tree)
    plain = _render_examples()
    assert fast == plain and len(fast) == 3
    for data in fast.values():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert b'xml:space="preserve"' in archive.read("word/document.xml")


def test_template_check_is_remembered_only_for_the_same_template(tmp_path: Path) -> None:
    store = Cache(tmp_path / "cache")
    template = tmp_path / "t.docx"
    shutil.copy(pipeline.TEMPLATES_DIR / "uitvoeringsagenda.docx", template)
    validated = pipeline.check(SOURCE, 2026, store=store)
    context = build_agenda_context(validated.agenda, validated.differences)
    first = render.check_template(template, context, store)
    assert first == [] and list((tmp_path / "cache" / "templates").iterdir())
    partial = {k: v for k, v in context.items() if k != "finance"}
    cold = render.check_template(template, partial, store)  # from the cache
    for entry in (tmp_path / "cache" / "templates").iterdir():
        entry.write_bytes(b"{damaged")
    assert render.check_template(template, partial, store) == cold  # checked again
    assert [p.message for p in cold] == ["the template uses 'finance', which the data does not provide"]
    broken = Document(str(template))
    broken.add_paragraph("{{ doc.title ")  # a broken tag: a different template
    broken.save(str(template))
    assert any("does not end in it" in p.message for p in render.check_template(template, context, store))


def test_charts_are_remembered_and_matplotlib_is_not_imported_again(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    script = ("import sys; from pathlib import Path; from generator import pipeline; "
              f"pipeline.build(Path({str(EXAMPLES)!r}), 2026, Path(sys.argv[1]), list(pipeline.DOCUMENTS)); "
              "print('matplotlib' in sys.modules)")
    rendered = tmp_path / "cache" / "riec-documenten" / "documents"

    def build(out: str) -> tuple[str, dict[str, bytes]]:
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path / out)], env=env, cwd=ROOT,
                              capture_output=True, text=True, check=True)
        return done.stdout.strip(), {p.name: p.read_bytes() for p in (tmp_path / out).iterdir()}

    imported, first = build("a")
    charts = sorted((tmp_path / "cache" / "riec-documenten" / "charts").iterdir())
    assert imported == "True" and charts
    imported, again = build("a2")  # every document from the cache: no chart is needed
    assert imported == "False" and again == first
    shutil.rmtree(rendered)  # the documents are rendered again; their charts come from the cache
    imported, second = build("b")
    assert imported == "False" and second == first
    for entry in charts:  # a damaged chart is drawn again
        entry.write_bytes(b"damaged")
    shutil.rmtree(rendered)
    imported, third = build("c")
    assert imported == "True" and third == first


def _document_trees() -> list[int]:
    """The number of elements in the XML tree of each python-docx document part still in memory."""
    import gc

    from docx.parts.document import DocumentPart

    return [sum(1 for _ in o.element.iter()) for o in gc.get_objects() if isinstance(o, DocumentPart)]


def test_a_document_is_freed_before_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    gc.collect()
    gc.disable()  # nothing but render_document itself may free anything
    try:
        monkeypatch.setattr(render, "_free", lambda doc: None)
        _render_examples()
        kept = sorted(_document_trees())  # python-docx's cycles keep whole trees for the collector
        gc.collect()
        monkeypatch.undo()
        assert len(_render_examples()) == 3
        freed = sorted(_document_trees())
    finally:
        gc.enable()
    # The three rendered documents are the largest trees; the others are the templates the check
    # before rendering opened (a few thousand elements each, left to the collector).
    rendered, templates = kept[-3:], kept[:-3]
    assert min(rendered) > max(templates)
    assert freed == [1, 1, 1, *templates]  # the rendered documents' parts wait, their trees are freed


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


# --- documents rendered before, taken from the cache ----------------------------------------------


def _build_all(source: Path, out: Path, store: Cache) -> dict[str, bytes]:
    pipeline.build(source, 2026, out, list(pipeline.DOCUMENTS), store=store)
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.docx"))}


def _entries(store: Cache, kind: str) -> list[Path]:
    folder = (store.folder or Path("/nonexistent")) / kind
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("source", [SOURCE, EXAMPLES], ids=["real", "examples"])
def test_documents_from_the_cache_are_those_rendered_afresh(source: Path, tmp_path: Path) -> None:
    store = Cache(tmp_path / "cache")
    afresh = _build_all(source, tmp_path / "afresh", NO_CACHE)
    first = _build_all(source, tmp_path / "first", store)
    assert len(_entries(store, "documents")) == 3
    assert _build_all(source, tmp_path / "second", store) == first == afresh and len(afresh) == 3
    for entry in _entries(store, "documents"):  # damaged entries are made again
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0xFF
        entry.write_bytes(bytes(data))
    assert _build_all(source, tmp_path / "third", store) == afresh
    assert all(store.read("documents", e.name) is not None for e in _entries(store, "documents"))


def test_an_edit_renders_only_the_documents_it_changes(source_copy: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.render import documents

    store = Cache(tmp_path / "cache")
    before = _build_all(source_copy, tmp_path / "before", store)
    chapter = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    text = chapter.read_text(encoding="utf-8")
    assert "hebben we geëvalueerd" in text  # a chapter's introduction: only the agenda shows it
    chapter.write_text(text.replace("hebben we geëvalueerd", "hebben we beoordeeld"), encoding="utf-8")
    rendered: list[str] = []
    real_render = documents.normalise_docx
    monkeypatch.setattr(documents, "normalise_docx", lambda data: rendered.append("x") or real_render(data))
    after = _build_all(source_copy, tmp_path / "after", store)
    assert rendered == ["x"] and len(_entries(store, "documents")) == 4
    changed = [name for name in after if after[name] != before[name]]
    assert changed == ["uitvoeringsagenda-2026.docx"]
    assert _build_all(source_copy, tmp_path / "afresh", NO_CACHE) == after


def test_accessibility_findings_in_memory_are_those_of_the_saved_document_and_are_remembered(tmp_path: Path) -> None:
    from docx.oxml.ns import qn

    from generator.publish.accessibility import check_document
    from generator.render.documents import render_checked

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    doc = Document(str(templates / "uitvoeringsagenda.docx"))
    for lang in list(doc.styles.element.iter(qn("w:lang"))):  # no default language: a finding
        lang.getparent().remove(lang)
    doc.save(str(templates / "uitvoeringsagenda.docx"))
    validated, reports = pipeline.load_all(EXAMPLES, 2026)
    store = Cache(tmp_path / "cache")
    calls: list[int] = []

    def inspect(document: object) -> list[tuple[str, str, str]]:
        calls.append(1)
        return check_document(document)  # type: ignore[arg-type]

    def render() -> dict[str, object]:
        return render_checked(validated, reports, list(pipeline.DOCUMENTS), templates, True, Problems(), store,
                              inspect)  # type: ignore[arg-type]
    first = render()
    for rendered in first.values():  # checked in memory before saving: as the saved document
        assert rendered.findings == check_document(Document(io.BytesIO(rendered.data)))  # type: ignore[attr-defined]
    assert ("the default language of the text is not nl-NL", "set the language of the Normal style to Dutch "
            "(Netherlands)", "warning") in first["uitvoeringsagenda-2026.docx"].findings  # type: ignore[attr-defined]
    assert render() == first and len(calls) == 3  # the second time from the cache, with the findings


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
                    if a11y.AMOUNT.match(text) and a11y._alignment(paragraph, None) != a11y.WD_ALIGN_PARAGRAPH.RIGHT:
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
    table = doc.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "€ 1.250"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "€ 12"
    table.cell(2, 2).text = "€ -"
    table.cell(2, 1).text = "€ 7"
    table.cell(2, 1).paragraphs[0]._p.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), "Licht")  # right, inherited
    table.cell(3, 0).text = "€ 3"
    table.cell(3, 0).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT  # its own alignment
    table.cell(3, 1).text = "€ 4"
    table.cell(3, 1).paragraphs[0]._p.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), "Licht")
    table.cell(3, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT  # its own, over its style's
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
    assert "'€ 4'" in " ".join(found) and "'€ 3'" not in " ".join(found)
    assert a11y.check_contrast(awkward)  # the light style is found


def test_column_widths_with_each_style_resolved_once_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.render import layout

    fast = _render_examples()
    monkeypatch.setattr(layout._Styles, "paragraph", layout._Styles._resolve)
    assert _render_examples() == fast


# --- render-speed: each faster path against the plain one it replaced (same bytes, same findings) ---


def _reference_contrast(doc: object) -> list[str]:
    """check_contrast as it was: every paragraph and every run of every part, one by one."""
    from generator.publish import accessibility as a11y

    colours = a11y._StyleColours(doc)  # type: ignore[arg-type]
    styles = {s.style_id: colours.colour(s.element) for s in doc.styles  # type: ignore[attr-defined]
              if isinstance(s, a11y.CharacterStyle)}
    default = doc.styles.default(a11y.WD_STYLE_TYPE.PARAGRAPH)  # type: ignore[attr-defined]
    default_colour = colours.colour(default.element) if default is not None else None
    roots = [doc.element.body] + [part.element for section in doc.sections  # type: ignore[attr-defined]
                                  for part in (section.header.part, section.footer.part)]
    found = set()
    for root in dict.fromkeys(roots):
        for paragraph in root.iter(a11y.qn("w:p")):
            style_id = a11y._value(paragraph, "w:pPr", "w:pStyle")
            paragraph_colour = (styles.get(style_id) if style_id else default_colour) or a11y.BLACK
            background = a11y._background(paragraph)
            for run in paragraph.iter(a11y.qn("w:r")):
                text = "".join(t.text or "" for t in run.iter(a11y.qn("w:t")))
                if not text.strip():
                    continue
                rpr = run.find(a11y.qn("w:rPr"))
                value = a11y._value(run, "w:rPr", "w:color") if rpr is not None else ""
                run_style = a11y._value(run, "w:rPr", "w:rStyle") if rpr is not None else ""
                colour = (a11y.RGBColor.from_string(value) if value and value != "auto" else None) \
                    or (styles.get(run_style) if run_style else None) or paragraph_colour
                ratio = a11y.contrast(colour, background)
                if ratio < a11y.MIN_CONTRAST:
                    found.add(f"text colour {colour} on {background} has contrast {ratio:.1f}:1 "
                              f"(at least {a11y.MIN_CONTRAST}:1 needed), e.g. '{text[:40]}'")
    return sorted(found)


def _colourful(data: bytes) -> object:
    """A rendered document with every kind of contrast finding: light styles on white, white text on
    white, coloured runs and character styles, dark and light cell fills, a table in a table cell."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    doc = _awkward(data)
    styles = doc.styles.element  # type: ignore[attr-defined]
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="character" w:styleId="Bleek"><w:rPr>'
                            '<w:color w:val="DDDDDD"/></w:rPr></w:style>'))
    styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Wit"><w:rPr>'
                            '<w:color w:val="FFFFFF"/></w:rPr></w:style>'))
    body = doc.element.body  # type: ignore[attr-defined]
    for number, run in enumerate(body.iter(qn("w:r"))):
        if number % 11 == 5:
            run.get_or_add_rPr().append(parse_xml(f'<w:color {nsdecls("w")} w:val="EEEEEE"/>'))
        elif number % 11 == 7:
            run.get_or_add_rPr().append(parse_xml(f'<w:rStyle {nsdecls("w")} w:val="Bleek"/>'))
    for number, paragraph in enumerate(body.iter(qn("w:p"))):
        if number % 13 == 2:
            paragraph.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), "Wit")
    for number, cell in enumerate(body.iter(qn("w:tc"))):
        if number % 5 == 1:
            cell.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="'
                                                    f'{("000000", "auto", "FFFFFF", "111111")[number % 4]}"/>'))
    table = doc.add_table(rows=1, cols=1)  # type: ignore[attr-defined]
    outer = table.cell(0, 0)
    outer._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="000000"/>'))
    outer.paragraphs[0].add_run("zwart op zwart")
    inner = outer.add_table(rows=1, cols=1).cell(0, 0)
    inner.paragraphs[0].add_run("zwart op wit, in een cel in een zwarte cel")
    # Only a cell's first w:shd is its background; a paragraph's or a run's own shading is not read.
    second = doc.add_table(rows=1, cols=2).rows[0].cells  # type: ignore[attr-defined]
    second[0]._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:fill="FFFFFF"/>'))
    second[0]._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:fill="000000"/>'))
    second[0].paragraphs[0].add_run("zwart, de tweede vulling telt niet")
    second[1].paragraphs[0]._p.get_or_add_pPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:fill="000000"/>'))
    second[1].paragraphs[0].add_run("zwart op een zwart gearceerde alinea")
    return doc


@pytest.mark.parametrize("kind", list(pipeline.DOCUMENTS))
def test_contrast_check_finds_what_a_walk_over_every_run_finds(kind: str) -> None:
    from generator.publish import accessibility as a11y

    data = _render_examples()[pipeline.document_path(kind, 2026, Path()).name]
    for doc in (Document(io.BytesIO(data)), _awkward(data), _colourful(data)):
        assert a11y.check_contrast(doc) == _reference_contrast(doc)  # type: ignore[arg-type]
    found = a11y.check_contrast(_colourful(data))  # type: ignore[arg-type]
    assert any("EEEEEE" in f for f in found) and any("DDDDDD" in f for f in found)
    assert any("FFFFFF on FFFFFF" in f for f in found) and any("on 000000" in f for f in found)
    assert any("zwart op wit" in f for f in found) is False  # black on the inner cell's white passes


def _reference_fit_tables(document: object) -> None:
    """fit_tables as it was: find() per element, a pass to measure and another to set the widths."""
    from generator.render import layout as lay
    from generator.render.markers import unmarked

    qn = lay.qn

    def widths_of(paragraph: object, styles: object) -> tuple[float, float]:
        ppr = paragraph.find(qn("w:pPr"))  # type: ignore[attr-defined]
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        font, indent = styles.paragraph(style.get(qn("w:val")) if style is not None else None)  # type: ignore[attr-defined]
        if ppr is not None:
            own = ppr.find(qn("w:ind"))
            if own is not None:
                indent = (int(own.get(qn("w:left"), own.get(qn("w:start"), "0")) or 0) / 20) or 0.0
        pieces = []
        for run in paragraph.iter(qn("w:r")):  # type: ignore[attr-defined]
            text = unmarked("".join(t.text or "" for t in run.iter(qn("w:t"))))
            if text:
                rpr = run.find(qn("w:rPr"))
                f = font
                if rpr is not None:
                    f = lay._Font(font.size, font.bold, font.italic)
                    for name, attr in (("w:sz", "size"), ("w:b", "bold"), ("w:i", "italic")):
                        el = rpr.find(qn(name))
                        if el is not None:
                            setattr(f, attr, int(el.get(qn("w:val"))) / 2 if attr == "size" else lay._on(el))
                pieces.append((text, f))
        whole = "".join(text for text, _ in pieces)
        total = longest = current = 0.0
        for text, f in pieces:
            for part in lay._WORDS.split(text):
                if not part:
                    continue
                width = lay.text_width(part, f.size, f.bold, f.italic)
                total += width
                if part.isspace():
                    longest, current = max(longest, current), 0.0
                else:
                    current += width
        if lay.AMOUNT.match(whole.strip()):
            return indent + total, indent + total
        return indent + max(longest, current), indent + total

    styles = lay.read_styles(document)
    available = lay.page_text_width(document)
    for table in document.element.body.iter(qn("w:tbl")):  # type: ignore[attr-defined]
        padding = lay.cell_margins(table, document) + lay.SAFETY * lay.TWIPS_PER_POINT
        grid = table.find(qn("w:tblGrid"))
        columns = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
        needs = [(0.0, 0.0)] * columns
        for row in table.iterfind(qn("w:tr")):
            index = 0
            for cell in row.iterfind(qn("w:tc")):
                span_el = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                if span == 1 and index < columns:
                    ws = [widths_of(p, styles) for p in cell.iterfind(qn("w:p"))]
                    needs[index] = (max(needs[index][0], max((w[0] for w in ws), default=0.0)),
                                    max(needs[index][1], max((w[1] for w in ws), default=0.0)))
                index += span
        needs = [(lo * lay.TWIPS_PER_POINT + padding, hi * lay.TWIPS_PER_POINT + padding) for lo, hi in needs]
        if not needs:
            continue
        widths = [round(w) for w in lay.allot(needs, available)]
        for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
            col.set(qn("w:w"), str(width))
        tbl_w = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
        if tbl_w is not None:
            tbl_w.set(qn("w:w"), str(sum(widths)))
            tbl_w.set(qn("w:type"), "dxa")
        for row in table.iterfind(qn("w:tr")):
            index = 0
            for cell in row.iterfind(qn("w:tc")):
                tc_pr = cell.find(qn("w:tcPr"))
                span_el = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                tc_w = tc_pr.find(qn("w:tcW")) if tc_pr is not None else None
                if tc_w is not None:
                    tc_w.set(qn("w:w"), str(sum(widths[index:index + span])))
                    tc_w.set(qn("w:type"), "dxa")
                index += span


def test_column_widths_in_one_pass_are_those_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.render import layout

    fast = _render_examples()
    monkeypatch.setattr(render, "fit_tables", _reference_fit_tables)
    assert _render_examples() == fast
    assert layout._word_widths.cache_info().hits > 0


def _problems_of_check(source: Path, templates: Path, store: Cache) -> list[str]:
    try:
        validated = pipeline.check(source, 2026, templates=templates, store=store)
        problems = validated.problems
    except pipeline.ValidationFailed as exc:
        problems = exc.problems
    return [p.format() for p in problems.errors + problems.warnings + problems.notes]


def test_a_broken_template_is_reported_again_when_the_others_come_from_the_cache(tmp_path: Path) -> None:
    # A document with problems is not cached: every check reports them, the same way.
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    broken = Document()
    broken.add_paragraph("{{ doc.title }}")
    broken.add_paragraph("Versie {{ doc.version + }}")
    broken.save(str(templates / "voortgangsrapportage.docx"))
    store = Cache(tmp_path / "cache")
    first = _problems_of_check(EXAMPLES, templates, store)
    assert any("template tag is broken" in p for p in first), first
    assert len(_entries(store, "documents")) == 2
    assert _problems_of_check(EXAMPLES, templates, store) == first == _problems_of_check(EXAMPLES, templates, NO_CACHE)
