"""Whether a build is needed: a hash of everything a build depends on, and what the last build wrote.

Part of the foundation (it imports only `cache`), so that the command line can answer "(up to date)"
before it imports the pipeline: a `make all` with nothing changed then costs a tenth of a second
instead of half a second of importing pydantic, the models and the renderers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from . import cache

TEMPLATES_DIR = cache.PACKAGE.parent / "templates"
# The file each kind of document is written to (render.documents.DOCUMENTS uses these names).
DOCUMENT_FILES = {"agenda": "uitvoeringsagenda-{year}.docx", "voortgang": "voortgangsrapportage-{year}.docx",
                  "jaarverslag": "jaarverslag-{year}.docx"}


def document_path(kind: str, year: int, output: Path) -> Path:
    """Where `build` writes one kind of document."""
    return output / DOCUMENT_FILES[kind].format(year=year)


def inputs_key(source: Path, year: int, output: Path, kinds: list[str], templates: Path, strict: bool,
               peildatum: dt.date | None) -> str:
    """A hash of everything a build depends on: every file of the source and the templates (by content, so
    a file restored with an old time stamp counts), the generator's code and libraries, and the options."""
    return cache.make_key(cache.code_key(), repr((year, sorted(kinds), strict, str(peildatum))),
                          str(output.resolve()), str(source.resolve()), str(templates.resolve()),
                          os.environ.get("SOURCE_DATE_EPOCH", ""),
                          "source", *cache.folder_contents(source), "templates", *cache.folder_contents(templates))


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def up_to_date(key: str, paths: list[Path]) -> bool:
    """Whether the last build with these inputs wrote exactly the documents that are at `paths` now."""
    stored = cache.read("build-manifest", key)
    if stored is None:
        return False
    try:
        recorded = json.loads(stored)
    except ValueError:
        return False
    return isinstance(recorded, dict) and all(recorded.get(p.name) == _digest(p) is not None for p in paths)


def record_build(key: str, documents: dict[str, bytes]) -> None:
    """Remember which documents the build with these inputs wrote (by their content)."""
    record = {name: hashlib.sha256(data).hexdigest() for name, data in documents.items()}
    cache.write("build-manifest", key, json.dumps(record, sort_keys=True).encode("utf-8"))
