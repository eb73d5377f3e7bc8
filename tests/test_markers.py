"""Field markers (bookmarks bron_<key>) are invisible: the documents read exactly as without them."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from generator import pipeline
from generator.cache import NO_CACHE, Cache
from generator.render import documents
from generator.render.markers import END, KEY_END, START, bookmark_xml, field_index
from generator.review.docxtext import docx_lines
from tests.conftest import EXAMPLES, FILES, SOURCE
from tests.wordedit import WordReview, w


@pytest.mark.parametrize("source", [SOURCE, EXAMPLES], ids=["real", "examples"])
def test_markers_change_no_visible_text_and_cover_every_action(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validated, reports = pipeline.load_all(source, 2026)
    kinds = list(pipeline.DOCUMENTS)
    fictitious = documents.is_fictitious(source)
    marked = documents.render_documents(validated, reports, kinds, pipeline.TEMPLATES_DIR, fictitious, Cache.default())
    monkeypatch.setattr(documents, "mark_context", lambda context: context)
    # The rendering code is changed in this process, which no cache key can see: rendered without one.
    plain = documents.render_documents(validated, reports, kinds, pipeline.TEMPLATES_DIR, fictitious, NO_CACHE)
    contexts = [documents.CONTEXTS[name](validated, reports, fictitious) for name in documents.DOCUMENTS]
    keys = {k: f[0] for k, f in field_index(contexts).items()}
    for name, data in marked.items():
        assert docx_lines(data) == docx_lines(plain[name]), name
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
        assert "\ue000" not in xml and "\ue002" not in xml
        if name.startswith("uitvoeringsagenda"):
            marked_actions = {keys[k].action for k in keys
                              if f'w:name="bron_{k}"' in xml and keys[k].path[-1] == "text"}
            assert marked_actions >= {a.id for _, _, a in validated.agenda.actions()}


@pytest.mark.parametrize("source", [SOURCE, EXAMPLES], ids=["real", "examples"])
def test_every_bookmark_holds_the_text_of_the_field_it_names(source: Path, tmp_path: Path) -> None:
    """The key comes with the value from the source: each bookmark's text is its field's text, never a look-alike."""
    validated, reports = pipeline.load_all(source, 2026)
    fictitious = documents.is_fictitious(source)
    contexts = [build(validated, reports, fictitious) for build in documents.CONTEXTS.values()]
    index = field_index(contexts)
    pipeline.build(source, 2026, tmp_path, list(FILES))
    kinds_marked: dict[str, set[str]] = {}
    for kind, file in FILES.items():
        review = WordReview((tmp_path / file).read_bytes())
        names = review.bookmarks()
        assert names, kind
        for name in names:
            fields = index[name.split("_")[0]]
            assert review.field_text(name) == fields[0].text, (kind, name, fields[0])
        kinds_marked[kind] = {str(index[n.split("_")[0]][0].path[-1]) for n in names}
        # Every amount in every table is marked: from its CSV cell, or as computed.
        inside = {id(r) for __, runs in names.values() for r in runs}
        amounts = [r for r in review.root.iter(w("r")) if re.fullmatch(r"€ (-|-?[\d.]+)", "".join(r.itertext()))]
        assert amounts and all(id(r) in inside for r in amounts), kind
    assert {"title", "text", "group", "finance_title"} <= kinds_marked["agenda"] | {"group"}
    if source == EXAMPLES:
        assert {"toelichting", "waarom", "title", "text"} <= kinds_marked["voortgang"]
        assert {"resultaat", "waarde", "realisatie", "toelichting"} <= kinds_marked["jaarverslag"]


_BODY = ('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
         '<w:p><w:r w:rsidR="00A1"><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Voor {a}tekst{e} na</w:t></w:r></w:p>'
         '<w:p w:title="{a}alt{e}"><w:r><w:t>{b}eerste</w:t><w:br/><w:t>tweede{e}</w:t></w:r>'
         '<w:r><w:t>{a}tekst{e}</w:t></w:r><w:r><w:rPr/><w:t/></w:r></w:p></w:body>')


def _marked(body: str) -> str:
    return body.format(a=tag_open("aaaa"), b=tag_open("bbbb"), e=END)


def tag_open(key: str) -> str:
    return START + key + KEY_END


def test_marks_become_bookmarks_in_the_xml_text() -> None:
    from lxml import etree

    xml = bookmark_xml(_marked(_BODY))
    root = etree.fromstring(xml)
    assert not re.search(f"[{START}{KEY_END}{END}]", xml)
    # The visible text is unchanged, paragraph by paragraph; the attribute lost its marks only.
    assert ["".join(p.itertext()) for p in root.iter(w("p"))] == ["Voor tekst na", "eerstetweedetekst"]
    assert root[1].get(w("title")) == "alt"
    starts = [(b.get(w("id")), b.get(w("name"))) for b in root.iter(w("bookmarkStart"))]
    ends = [b.get(w("id")) for b in root.iter(w("bookmarkEnd"))]
    # Numbered per key in document order; a value broken by a line break is one bookmark.
    assert [n for _, n in starts] == ["bron_aaaa", "bron_bbbb", "bron_aaaa_2"]
    assert sorted(ends) == sorted(i for i, _ in starts)
    first = root[0]
    assert [el.tag for el in first] == [w("r"), w("bookmarkStart"), w("r"), w("bookmarkEnd"), w("r")]
    # Every piece keeps the run's properties (bold); no empty run is left by the split.
    assert all(r.find(f"{w('rPr')}/{w('b')}") is not None for r in first.iter(w("r")))
    second = root[1]
    assert "".join(second[1].itertext()) == "eerstetweede" and second[1].find(w("br")) is not None
    assert second[0].tag == w("bookmarkStart") and second[2].tag == w("bookmarkEnd")
    assert second[-1].tag == w("r") and second[-1].find(w("rPr")) is not None  # the template's own empty run stays


def test_marks_in_headers_and_properties_are_removed(tmp_path: Path) -> None:
    """A template that prints a source value in its header or its title property: no mark is left in any part."""
    from docx import Document

    from generator.content.context import build_agenda_context
    from generator.render.markers import mark_context
    from generator.render.template import render_document

    template = Document(str(pipeline.TEMPLATES_DIR / "uitvoeringsagenda.docx"))
    template.sections[0].header.paragraphs[0].add_run("{{ doc.title }}")
    template.core_properties.title = "{{ doc.title }}"
    path = tmp_path / "sjabloon.docx"
    template.save(str(path))
    validated, __ = pipeline.load_all(EXAMPLES, 2026)
    context = mark_context(build_agenda_context(validated.agenda, validated.differences, True))
    data = render_document(path, context, {})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            assert not any(m.encode() in archive.read(name) for m in (START, KEY_END, END)), name
        assert b"bron_" in archive.read("word/document.xml")
    rendered = Document(io.BytesIO(data))
    title = str(build_agenda_context(validated.agenda, validated.differences, True)["doc"]["title"])
    assert title in rendered.sections[0].header.paragraphs[0].text
    assert rendered.core_properties.title == title
