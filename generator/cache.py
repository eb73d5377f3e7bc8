"""The one on-disk cache, for what is slow to make again: rendered documents, compiled templates, charts.

Like Python's __pycache__: each entry is keyed by a hash of everything that determines it, written
atomically, and safe to delete at any time; a missing, damaged or unwritable cache only costs time.
The folder is `$XDG_CACHE_HOME/riec-documenten` (default `~/.cache/riec-documenten`).
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
from functools import lru_cache
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


class Cache:
    """The one on-disk cache: rendered documents, compiled templates and drawn charts, and the record of
    what made each output (staleness.py).

    Passed in explicitly (the CLI and the library API make one, the renderer takes it as a
    parameter), so a test runs the same path as a user; `Cache(None)` keeps nothing. Every key of a
    derived entry is made by `key()`, which always includes the generator's code and the libraries'
    versions.
    """

    KINDS = ("documents", "templates", "charts", "made")

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    @classmethod
    def default(cls) -> Cache:
        """The user's cache folder (`cache_dir()`)."""
        return cls(cache_dir())

    def key(self, *parts: str | bytes) -> str:
        """The key of an entry made from `parts` by the generator's code (the one key recipe)."""
        return make_key(code_key(), *parts)

    def read(self, kind: str, key: str) -> bytes | None:
        """The stored entry, or None (also for an entry that is damaged: each carries its own hash)."""
        if self.folder is None:
            return None
        assert kind in self.KINDS, kind
        try:
            # No symbolic links, no FIFOs or devices (O_NONBLOCK: opening a FIFO would wait for ever).
            fd = os.open(self.folder / kind / key, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
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

    def write(self, kind: str, key: str, data: bytes) -> None:
        """Store an entry atomically; a cache that cannot be written is simply not used."""
        if self.folder is None:
            return
        assert kind in self.KINDS, kind
        folder = self.folder / kind
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


NO_CACHE = Cache(None)  # keeps nothing: for tests that change the rendering code in the running process


PACKAGE = Path(__file__).resolve().parent  # the generator package (its files are part of the code key)


@lru_cache(maxsize=1)
def installed_libraries() -> tuple[str, ...]:
    """The name and version of every installed distribution, from its `.dist-info` folder's name.

    Reading the folder names of the library folders takes a millisecond; importlib.metadata would
    import the email package and parse every METADATA file (a twentieth of a `make check`).
    Broader than the libraries that render (any installed or upgraded library counts), which only
    means a derived entry is made afresh more often. The first entry of the path is the folder of the
    command (or the working folder), where no library is installed: left out, so that the key is the
    same from every folder (the project folder holds our own `.egg-info`).
    """
    names: set[str] = set()
    for entry in sys.path[1:]:
        try:
            names.update(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return tuple(sorted(names))


@lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of the generator's own code (every file of the package), Python's and the libraries' versions.

    Part of the key of anything derived by the generator's code (a rendered document, its
    accessibility findings): a changed module, font table or library makes them afresh.
    """
    return make_key(sys.version, *installed_libraries(), *folder_contents(PACKAGE))


def folder_contents(folder: Path) -> list[str | bytes]:
    """Every file below `folder` (compiled Python left out) as its relative name and its bytes, for a key.

    By content, so a file restored with an old time stamp counts as changed; a folder or a file that
    cannot be read counts by its name.
    """
    parts: list[str | bytes] = []
    if not folder.is_dir():
        return parts
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts or path.name.endswith(".pyc") or path.is_dir():
            continue
        try:
            parts += [str(path.relative_to(folder)), path.read_bytes() if path.is_file() else b"(not a file)"]
        except OSError:
            parts += [str(path.relative_to(folder)), b"(unreadable)"]
    return parts
