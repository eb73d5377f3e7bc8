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
from generator.render.markers import field_index
from generator.review.docxtext import fast_lines
from tests.conftest import EXAMPLES, FILES, SOURCE
from tests.wordedit import WordReview, w


@pytest.mark.parametrize("source", [SOURCE, EXAMPLES], ids=["real", "examples"])
def test_markers_change_no_visible_text_and_cover_every_action(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validated, reports = pipeline.load_all(source, 2026)
    kinds = list(pipeline.DOCUMENTS)
    fictitious = documents.is_fictitious(source)
    marked = documents.render_documents(validated, reports, kinds, pipeline.TEMPLATES_DIR, fictitious, Cache.default())
    monkeypatch.setattr(documents, "mark_context", lambda context: context)
    monkeypatch.setattr(documents, "bookmark_document", lambda document: None)
    # The rendering code is changed in this process, which no cache key can see: rendered without one.
    plain = documents.render_documents(validated, reports, kinds, pipeline.TEMPLATES_DIR, fictitious, NO_CACHE)
    contexts = [documents.CONTEXTS[name](validated, reports, fictitious) for name in documents.DOCUMENTS]
    keys = {k: f[0] for k, f in field_index(contexts).items()}
    for name, data in marked.items():
        assert fast_lines(data) == fast_lines(plain[name]), name
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
