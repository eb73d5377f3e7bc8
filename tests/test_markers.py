"""Field markers (bookmarks bron_<key>) are invisible: the documents read exactly as without them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from generator import pipeline
from generator.cache import NO_CACHE, Cache
from generator.render import documents
from generator.render.markers import field_index
from generator.review.docxtext import fast_lines
from tests.conftest import EXAMPLES, SOURCE


@pytest.mark.parametrize("source", [SOURCE, EXAMPLES], ids=["real", "examples"])
def test_markers_change_no_visible_text_and_cover_every_action(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validated, reports = pipeline.load_all(source, 2026)
    kinds = list(pipeline.DOCUMENTS)
    fictitious = documents.is_fictitious(source)
    marked = documents.render_documents(validated, reports, kinds, pipeline.TEMPLATES_DIR, fictitious, Cache.default())
    monkeypatch.setattr(documents, "mark_context", lambda context, fields: context)
    monkeypatch.setattr(documents, "bookmark_document", lambda document: None)
    # The rendering code is changed in this process, which no cache key can see: rendered without one.
    plain = documents.render_documents(validated, reports, kinds, pipeline.TEMPLATES_DIR, fictitious, NO_CACHE)
    keys = {f.key: f for f in field_index(validated.agenda, reports)}
    for name, data in marked.items():
        assert fast_lines(data) == fast_lines(plain[name]), name
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
        assert "\ue000" not in xml and "\ue002" not in xml
        if name.startswith("uitvoeringsagenda"):
            marked_actions = {keys[k].action for k in keys
                              if f'w:name="bron_{k}"' in xml and keys[k].path[-1] == "text"}
            assert marked_actions >= {a.id for _, _, a in validated.agenda.actions()}
