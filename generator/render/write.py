"""Deterministic, atomic writing of the rendered documents.

A .docx is a zip file: we rewrite it with fixed timestamps and a fixed order
so the same input always gives the same bytes. Every file is first written
to a temporary file in the output folder and then renamed over the old one,
so a failure never leaves a half-written document. One build at a time writes
to an output folder (a lock); an interruption (Ctrl-C, SIGTERM) during the
renames is held back until they are done or rolled back. `overnemen` writes the
source folder the same way (`locked_folder`, `write_held`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import json
import os
import secrets
import shutil
import signal
import sys
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType

from ..errors import UserError
from ..i18n import N_, _

# 1980-01-01 is the earliest time a zip file can hold.
_EPOCH = (1980, 1, 1, 0, 0, 0)


def fixed_time() -> dt.datetime:
    """The time stamped into documents: SOURCE_DATE_EPOCH if set, else a fixed date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime(2000, 1, 1)
    # A .docx is a zip file, whose time stamps can only hold 1980 to 2107.
    low, high = dt.datetime(1980, 1, 1), dt.datetime(2107, 12, 31, 23, 59, 58)
    if not epoch.isdigit():
        raise UserError(_("SOURCE_DATE_EPOCH={epoch} is not a number of seconds since 1970; unset it, or set "
                          "it to e.g. $(git log -1 --format=%ct)").format(epoch=epoch))
    seconds = int(epoch)
    if not int(low.replace(tzinfo=dt.UTC).timestamp()) <= seconds <= int(high.replace(tzinfo=dt.UTC).timestamp()):
        raise UserError(_("SOURCE_DATE_EPOCH={epoch} is outside the dates a Word file can hold (1980 to 2107); "
                          "unset it, or set it to e.g. $(git log -1 --format=%ct)").format(epoch=epoch))
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).replace(tzinfo=None)


def normalise_docx(data: bytes) -> bytes:
    """The same .docx with fixed zip timestamps, so identical input gives identical bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return docx_bytes((info.filename, src.read(info.filename)) for info in src.infolist())


def docx_bytes(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A .docx (a zip file) of these parts in this order, with fixed time stamps: identical parts give
    identical bytes. What changes a document's XML writes it with this once, instead of zipping it and
    then normalising (compressing every part twice)."""
    stamp = fixed_time().timetuple()[:6] if os.environ.get("SOURCE_DATE_EPOCH", "").strip() else _EPOCH
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts:
            fixed = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    return out.getvalue()


def safe_output_path(output_dir: Path, name: str) -> Path:
    """`output_dir/name`, refusing any name that would point outside the output folder."""
    target = (output_dir / name).resolve()
    if not name or Path(name).is_absolute() or output_dir.resolve() not in target.parents:
        raise UserError(_("refusing to write '{name}': documents are only written inside the output "
                          "folder {folder}").format(name=name, folder=output_dir))
    return target


# A second build waits up to LOCK_WAIT seconds for the first to finish writing.
LOCK_WAIT = 600.0


@contextlib.contextmanager
def output_lock(output_dir: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the output folder's lock: a second build waits until the first has written its documents.

    The lock is on the folder itself (flock), so no lock file is left in it, and the operating
    system releases it when a build dies.
    """
    try:
        import fcntl
    except ImportError:  # not on Windows: there, two builds at once are not guarded
        yield
        return
    try:
        fd = os.open(output_dir, os.O_RDONLY)
    except OSError as exc:
        raise UserError(_("cannot write to the output folder {folder}: {reason}").format(
            folder=output_dir, reason=os_reason(exc))) from None
    try:
        deadline = time.monotonic() + wait
        said = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not said:  # at once: a build that seems to hang would be stopped, or started again
                    said = True
                    sys.stderr.write(_("Another process is writing to {folder} ({holder}); waiting until it has "
                                       "finished (at most {minutes} minutes)...").format(
                        folder=output_dir, holder=_lock_holder(os.fstat(fd)), minutes=round(wait / 60)) + "\n")
                    sys.stderr.flush()
                if time.monotonic() > deadline:
                    raise UserError(_("another process is still writing to {folder}; run this command again "
                                      "when it has finished").format(folder=output_dir)) from None
                time.sleep(0.1)
            except OSError:
                break  # a file system without locks (some network shares): go on unguarded
        yield
    finally:
        os.close(fd)  # releases the lock


def _lock_holder(folder: os.stat_result) -> str:
    """'process 1234: python -m generator build ...' for the process holding a flock on the folder, if Linux says."""
    device = f"{os.major(folder.st_dev):02x}:{os.minor(folder.st_dev):02x}:{folder.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as handle:
            pids = [fields[4] for line in handle if len(fields := line.split()) > 5
                    and fields[1] == "FLOCK" and fields[5] == device]
    except OSError:
        pids = []
    if not pids:
        return _("which process is not known")
    try:
        with open(f"/proc/{pids[0]}/cmdline", "rb") as handle:
            command = handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        command = ""
    return _("process {pid}: {command}").format(pid=pids[0], command=command[:120]) if command \
        else _("process {pid}").format(pid=pids[0])


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM until the block is done, then act on them as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        pending.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for held in dict.fromkeys(pending):
            signal.raise_signal(held)


def _leftovers(target: Path) -> list[Path]:
    """Temporary and backup files of `target` that a killed build left behind."""
    return [*target.parent.glob(f".{target.name}.*.tmp"), target.with_name(f".{target.name}.previous")]


# The journal of one build's writing, in the output folder while it is done: the next build finishes
# it before anything else, so a kill at any moment leaves one set. It lists the files to be staged
# before they are made (STAGING: a kill then leaves only files it names, which are removed), then
# the renames (FORWARD: completed; BACK: rolled back).
JOURNAL = ".generator-journal"
STAGING, FORWARD, BACK = "staging", "forward", "back"


def _write_journal(output_dir: Path, state: str, entries: list[dict[str, str | None]]) -> None:
    """Write the journal atomically (a new file renamed over the old) and durably."""
    journal = output_dir / JOURNAL
    temporary = journal.with_name(JOURNAL + ".tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({"state": state, "entries": entries}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, journal)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(output_dir)


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (they are entries of the folder)."""
    with contextlib.suppress(OSError):  # not on every platform or file system
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _recover(output_dir: Path) -> None:
    """Finish what a killed build left: complete its renames (or roll them back), remove its files."""
    journal = output_dir / JOURNAL
    output_dir.joinpath(JOURNAL + ".tmp").unlink(missing_ok=True)  # killed before it decided anything
    if not journal.is_file():
        return
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        state, entries = data["state"], data["entries"]
        paths = [(output_dir / e["target"], output_dir / e["tmp"], output_dir / e["backup"] if e["backup"] else None)
                 for e in entries]
    except (ValueError, KeyError, TypeError, OSError):
        journal.unlink(missing_ok=True)  # unreadable: written by a build killed while writing it, before any rename
        return
    for target, tmp, backup in paths:
        if state == STAGING:
            continue  # killed while staging: nothing was renamed; the staged files are removed below
        if state == FORWARD:
            if tmp.exists():
                os.replace(tmp, target)
        elif backup is not None and backup.exists():
            os.replace(backup, target)
        elif backup is None and not tmp.exists():
            target.unlink(missing_ok=True)  # a new document whose rename is rolled back
    _sync_folder(output_dir)
    for _target, tmp, backup in paths:
        tmp.unlink(missing_ok=True)
        if backup is not None:
            backup.unlink(missing_ok=True)
    journal.unlink()
    _sync_folder(output_dir)


@contextlib.contextmanager
def locked_folder(folder: Path) -> Iterator[None]:
    """Hold `folder`'s lock, with what a killed writer left completed first: to read what is then rewritten
    (`write_held`), with no other writer in between."""
    with output_lock(folder):
        _recover(folder)
        yield


def recover_outputs(output_dir: Path) -> None:
    """Complete or roll back the renames of a build that was killed while writing to `output_dir`, or
    remove the files it had staged when it was killed before any rename."""
    if (output_dir / JOURNAL).is_file():
        with output_lock(output_dir):
            _recover(output_dir)


# A test kills the build at the N-th of these steps (RIEC_TEST_KILL_AT=N), to see that no moment leaves
# a mixed set; never set otherwise.
_steps = 0


def _step() -> None:
    global _steps
    at = os.environ.get("RIEC_TEST_KILL_AT")
    if at:
        _steps += 1
        if _steps == int(at):
            os.kill(os.getpid(), signal.SIGKILL)


def write_outputs(output_dir: Path, documents: dict[str, bytes]) -> list[Path]:
    """Write every document atomically, all or none; unchanged files are left untouched.

    The files to be staged are named in a journal; every new file is then written in full next to its
    target; then the journal lists the renames, and only then are they renamed over the old ones. If
    anything fails or interrupts the build (an error, Ctrl-C, SIGTERM), the ones already renamed are
    put back, so the output folder holds either all new documents or all previous ones. A build
    killed outright (SIGKILL, power loss) leaves the journal: the next build completes the renames
    (or removes the files staged so far) before anything else.
    """
    targets = {safe_output_path(output_dir, name): data for name, data in documents.items()}
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(_("cannot create the output folder {folder}: {reason}").format(
            folder=output_dir, reason=os_reason(exc))) from None
    with output_lock(output_dir):
        try:
            return _write_locked(output_dir, targets)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise UserError(_("cannot write to the output folder {folder}: {reason}{where}; "
                              "the previous documents were left as they were").format(
                folder=output_dir, reason=os_reason(exc), where=where)) from None


def write_held(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write `files` into `folder` as `write_outputs` does, for a caller that holds `output_lock(folder)`.

    For a command that reads what it changes (`overnemen` reads the source it rewrites): it takes
    the lock before reading, so no second run changes the files in between. A failure to write is
    an OSError (after the previous files were put back), for the caller to say in its own words.
    """
    return _write_locked(folder, {safe_output_path(folder, name): data for name, data in files.items()})


def _write_locked(output_dir: Path, targets: dict[Path, bytes]) -> list[Path]:
    staged: list[tuple[Path, Path]] = []
    done: list[tuple[Path, Path | None]] = []  # (target, backup of the previous file or None)
    backups: list[Path] = []
    try:
        _recover(output_dir)
        for target in targets:
            for leftover in _leftovers(target):
                leftover.unlink(missing_ok=True)
        changed = []
        for target, data in targets.items():
            if target.is_file() and target.read_bytes() == data:
                continue  # keep the file's time stamp, so make sees nothing changed
            if target.exists() and not target.is_file():
                raise IsADirectoryError(21, _("a folder has the name of the document"), str(target))
            changed.append((target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp"), target))
        if not changed:
            return []
        # The files about to be staged are named in the journal first: whatever a kill leaves, the next
        # build removes exactly these, and never has to search the folder for them.
        _write_journal(output_dir, STAGING, _entries(changed, output_dir, backups=False))
        _step()
        for tmp, target in changed:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Made new (never an existing file), with the permissions the umask gives a new file.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(targets[target])
                handle.flush()
                os.fsync(handle.fileno())
            _step()
        entries = _entries(staged, output_dir, backups=True)
        with _signals_held():
            _write_journal(output_dir, FORWARD, entries)  # from here on, the new set is decided
            _step()
            try:
                for tmp, target in staged:
                    backup = None
                    if target.exists():
                        backup = target.with_name(f".{target.name}.previous")
                        backup.unlink(missing_ok=True)
                        backups.append(backup)
                        try:
                            os.link(target, backup)  # no copy: costs no space on a full disk
                        except OSError:
                            shutil.copy2(target, backup)
                        _step()
                    os.replace(tmp, target)
                    done.append((target, backup))
                    _step()
                _sync_folder(output_dir)
            except BaseException:
                with contextlib.suppress(OSError):
                    _write_journal(output_dir, BACK, entries)  # a kill now: the next build rolls back
                _roll_back(done)
                done.clear()
                raise
            for _target, backup in done:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                    _step()
            (output_dir / JOURNAL).unlink()
            _step()
    except BaseException:
        for leftover in [tmp for tmp, _ in staged] + backups:
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            (output_dir / JOURNAL).unlink(missing_ok=True)
        raise  # an error, an interruption or a bug: the previous files are back; the caller reports it
    return [target for target, _ in done]


def _entries(staged: list[tuple[Path, Path]], output_dir: Path, backups: bool) -> list[dict[str, str | None]]:
    """The journal's entries for (staged file, target) pairs; with `backups`, each existing target's backup."""
    return [{"target": _relative(target, output_dir), "tmp": _relative(tmp, output_dir),
             "backup": _relative(target.with_name(f".{target.name}.previous"), output_dir)
             if backups and target.exists() else None} for tmp, target in staged]


def _relative(path: Path, folder: Path) -> str:
    return path.relative_to(folder.resolve()).as_posix() if path.is_absolute() else path.as_posix()


# The list of files a folder-writing command wrote last time, kept in that folder.
MANIFEST = ".generated-files"


def write_folder(output_dir: Path, files: dict[str, bytes]) -> tuple[list[Path], list[Path]]:
    """Write `files` as `write_outputs` does, and remove what an earlier call wrote that is no longer among them.

    A page that is gone from the site (a report no longer built) must not stay online. Only names in
    the folder's manifest, which this function writes with the files, are ever removed: a file someone
    else put in the folder is left alone. Returns the files written and the files removed.
    """
    manifest = output_dir / MANIFEST
    try:
        before = set(manifest.read_text(encoding="utf-8").splitlines()) if manifest.is_file() else set()
    except (OSError, UnicodeDecodeError):
        before = set()  # a damaged manifest: nothing is removed, and it is written anew below
    listing = "".join(f"{name}\n" for name in sorted(files)).encode("utf-8")
    written = write_outputs(output_dir, {**files, MANIFEST: listing})
    removed = []
    for name in sorted(before - set(files)):
        try:
            target = safe_output_path(output_dir, name)
        except UserError:
            continue  # a manifest edited by hand to point outside the folder: never followed
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed.append(target)
    return [path for path in written if path.name != MANIFEST], removed


def _roll_back(done: list[tuple[Path, Path | None]]) -> None:
    """Put back the previous documents after a failed rename."""
    for target, backup in reversed(done):
        try:
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        except OSError:
            pass  # nothing more can be done; the error that caused this is reported
        _step()


# The operating system's reasons are English (glibc's words, kept as the English message); these are
# the ones a user meets when writing documents.
_REASONS = {errno.EACCES: N_("Permission denied"), errno.EPERM: N_("Operation not permitted"),
            errno.ENOSPC: N_("No space left on device"), errno.EROFS: N_("Read-only file system"),
            errno.ENOENT: N_("No such file or directory"), errno.ENOTDIR: N_("Not a directory"),
            errno.EEXIST: N_("File exists"), errno.EDQUOT: N_("Disk quota exceeded")}


def os_reason(exc: OSError) -> str:
    """The operating system's reason for a failed file operation, in the user's language."""
    if exc.errno in _REASONS:
        return _(_REASONS[exc.errno])
    return exc.strerror or str(exc)
