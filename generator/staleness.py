"""Whether an output is current: a hash of everything a build depends on, recorded beside the outputs.

Part of the foundation (it imports only `cache` and `kinds`), so that the command line can answer
"(up to date)" before it imports the pipeline: a `make all` with nothing changed then costs a tenth
of a second instead of half a second of importing pydantic, the models and the renderers.

What made each output is recorded in the output folder itself (`MANIFEST`: per file, the key of
what it was made from and the hash of its bytes), not in the cache: a build, `make pdf` and
`make preview` each keep the record of their own folder, and deleting or changing an output, or
the cache, can never make a stale output look current.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

from . import cache
from .kinds import DOCUMENTS

TEMPLATES_DIR = cache.PACKAGE.parent / "templates"
MANIFEST = ".gemaakt.json"  # in each output folder: what each output file was made from


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


def _recorded(folder: Path) -> dict[str, object]:
    try:
        recorded = json.loads((folder / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


def is_current(path: Path, made_from: str) -> bool:
    """Whether the file at `path` is what was made from `made_from` (a key), unchanged since."""
    digest = _digest(path)
    return digest is not None and _is_recorded(path.parent, path.name, made_from, digest)


def is_recorded(folder: Path, name: str, made_from: str, data: bytes) -> bool:
    """Whether `data` is what `folder`'s record says was made under `name` from `made_from`."""
    return _is_recorded(folder, name, made_from, hashlib.sha256(data).hexdigest())


def _is_recorded(folder: Path, name: str, made_from: str, digest: str) -> bool:
    entry = _recorded(folder).get(name)
    return isinstance(entry, dict) and entry.get("from") == made_from and entry.get("sha256") == digest


def record_made(folder: Path, made: dict[str, tuple[str, bytes]]) -> None:
    """Record, for each file name in `folder`, the key it was made from and its bytes' hash (atomically)."""
    recorded = _recorded(folder)
    for name, (made_from, data) in made.items():
        recorded[name] = {"from": made_from, "sha256": hashlib.sha256(data).hexdigest()}
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(recorded, handle, sort_keys=True, indent=1)
            os.replace(tmp, folder / MANIFEST)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
    except OSError:
        pass  # without the record the next run makes the file again: slower, never stale


def up_to_date(key: str, paths: list[Path]) -> bool:
    """Whether the last build with these inputs wrote exactly the documents that are at `paths` now."""
    return all(is_current(path, key) for path in paths)


def record_build(key: str, output: Path, documents: dict[str, bytes]) -> None:
    """Remember which documents the build with these inputs wrote (by their content)."""
    record_made(output, {name: (key, data) for name, data in documents.items()})
