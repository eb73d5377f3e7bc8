"""A small on-disk cache for derived data that is slow to make again (compiled templates, checks).

Like Python's __pycache__: each entry is keyed by a hash of everything that determines it, written
atomically, and safe to delete at any time; a missing, damaged or unwritable cache only costs time.
The folder is `$XDG_CACHE_HOME/riec-documenten` (default `~/.cache/riec-documenten`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """The folder of the cache."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "riec-documenten"


def make_key(*parts: str | bytes) -> str:
    """A hash of every part, in order."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def read(kind: str, key: str) -> bytes | None:
    """The stored entry, or None (also for an entry that is damaged: each carries its own hash)."""
    try:
        stored = (cache_dir() / kind / key).read_bytes()
    except OSError:
        return None
    digest, data = stored[:32], stored[32:]
    return data if hashlib.sha256(data).digest() == digest else None


def write(kind: str, key: str, data: bytes) -> None:
    """Store an entry atomically; a cache that cannot be written is simply not used."""
    folder = cache_dir() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(hashlib.sha256(data).digest() + data)
            os.replace(tmp, folder / key)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
    except OSError:
        pass
