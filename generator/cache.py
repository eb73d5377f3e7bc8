"""A small on-disk cache for derived data that is slow to make again (compiled templates, checks).

Like Python's __pycache__: each entry is keyed by a hash of everything that determines it, written
atomically, and safe to delete at any time; a missing, damaged or unwritable cache only costs time.
The folder is `$XDG_CACHE_HOME/riec-documenten` (default `~/.cache/riec-documenten`).
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

# An entry larger than this is not one we wrote (the largest, a compiled template, is about 1 MB at
# 100x the actions); reading it could exhaust memory.
MAX_ENTRY = 256 * 1024 * 1024


def cache_dir() -> Path:
    """The folder of the cache."""
    # The XDG Base Directory specification says a relative path is invalid and must be ignored:
    # it would put the cache in whatever folder the command runs from.
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = str(Path.home() / ".cache")
    return Path(base) / "riec-documenten"


def make_key(*parts: str | bytes) -> str:
    """A hash of every part, in order."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _seal(kind: str, key: str, data: bytes) -> bytes:
    # The hash covers the entry's kind and key too, so an entry copied over another is not used.
    return make_key(kind, key, data)[:64].encode("ascii")


def read(kind: str, key: str) -> bytes | None:
    """The stored entry, or None (also for an entry that is damaged: each carries its own hash)."""
    try:
        # No symbolic links, no FIFOs or devices (O_NONBLOCK: opening a FIFO would wait for ever).
        fd = os.open(cache_dir() / kind / key, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            stored = handle.read(MAX_ENTRY + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    seal, data = stored[:64], stored[64:]
    return data if seal == _seal(kind, key, data) else None


def write(kind: str, key: str, data: bytes) -> None:
    """Store an entry atomically; a cache that cannot be written is simply not used."""
    folder = cache_dir() / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_seal(kind, key, data) + data)
            os.replace(tmp, folder / key)
        except OSError:
            Path(tmp).unlink(missing_ok=True)
    except OSError:
        pass
