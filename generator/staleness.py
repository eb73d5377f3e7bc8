"""Whether an output is current: a hash of everything a build depends on, recorded beside the outputs.

Part of the foundation (it imports only `cache` and `kinds`), so that the command line can answer
"(up to date)" before it imports the pipeline: a `make all` with nothing changed then costs a tenth
of a second instead of half a second of importing pydantic, the models and the renderers.

What made each output (a document, a PDF, a page preview) is recorded in the one cache, as an entry
of the kind "made" keyed by the output's path: the key of what it was made from and the hash of its
bytes. Deleting or changing an output, or the cache, can never make a stale output look current.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from . import cache
from .cache import Cache
from .kinds import DOCUMENTS

TEMPLATES_DIR = cache.PACKAGE.parent / "templates"


def document_path(kind: str, year: int, output: Path) -> Path:
    """Where `build` writes one kind of document."""
    return output / DOCUMENTS[kind].filename.format(year=year)


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


def _record_key(path: Path) -> str:
    # By the output's path only: a record says what the file there was made from, whatever made it.
    return cache.make_key("made", str(path.resolve()))


def is_current(path: Path, made_from: str, store: Cache) -> bool:
    """Whether the file at `path` is what was made from `made_from` (a key), unchanged since."""
    digest = _digest(path)
    return digest is not None and _is_recorded(path, made_from, digest, store)


def is_recorded(path: Path, made_from: str, data: bytes, store: Cache) -> bool:
    """Whether `data` is what the record of `path` says was made from `made_from`."""
    return _is_recorded(path, made_from, hashlib.sha256(data).hexdigest(), store)


def _is_recorded(path: Path, made_from: str, digest: str, store: Cache) -> bool:
    stored = store.read("made", _record_key(path))
    try:
        entry = json.loads(stored) if stored is not None else None
    except ValueError:
        return False
    return isinstance(entry, dict) and entry.get("from") == made_from and entry.get("sha256") == digest


def record_made(made: dict[Path, tuple[str, bytes]], store: Cache) -> None:
    """Record, for each output path, the key it was made from and the hash of its bytes."""
    for path, (made_from, data) in made.items():
        entry = {"from": made_from, "sha256": hashlib.sha256(data).hexdigest()}
        store.write("made", _record_key(path), json.dumps(entry, sort_keys=True).encode("utf-8"))


def up_to_date(key: str, paths: list[Path], store: Cache) -> bool:
    """Whether the last build with these inputs wrote exactly the documents that are at `paths` now."""
    return all(is_current(path, key, store) for path in paths)


def record_build(key: str, output: Path, documents: dict[str, bytes], store: Cache) -> None:
    """Remember which documents the build with these inputs wrote (by their content)."""
    record_made({output / name: (key, data) for name, data in documents.items()}, store)
