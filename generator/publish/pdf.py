"""Generated .docx -> tagged PDF with LibreOffice (one start for all documents), and PNG previews.

LibreOffice does not fill in a table of contents on a plain `soffice --convert-to pdf`,
so the conversion runs `_uno_convert.py` through LibreOffice's UNO API: it updates every
index and field, then exports a tagged PDF (PDF/UA) with bookmarks. That script needs a
Python with LibreOffice's `uno` module, which is found at run time (on Debian: the
system's /usr/bin/python3 with the package python3-uno), not the project's own Python.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .. import cache
from ..cache import NO_CACHE, Cache
from ..errors import UserError
from ..i18n import N_, _
from ..staleness import is_current, is_recorded, record_made

UNO_SCRIPT = Path(__file__).resolve().with_name("_uno_convert.py")
INSTALL_HINT = N_("install it with: {command}")
INSTALL_COMMAND = "sudo apt-get install libreoffice-writer-nogui python3-uno"
SOFFICE_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice",
                      "/opt/libreoffice/program/soffice")
TIMEOUT_START = 120  # seconds for starting LibreOffice ...
TIMEOUT_PER_DOCUMENT = 120  # ... plus this per document


def find_soffice() -> str:
    """The LibreOffice program (`soffice`), or a UserError saying how to install it."""
    configured = os.environ.get("RIEC_SOFFICE")  # when set, only this one is tried
    for candidate in [configured] if configured else SOFFICE_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    install = _(INSTALL_HINT).format(command=INSTALL_COMMAND)
    if configured:
        raise UserError(_("LibreOffice (soffice) is needed to make PDFs but was not found at {setting}; {install}")
                        .format(setting=f"RIEC_SOFFICE={configured}", install=install))
    raise UserError(_("LibreOffice (soffice) is needed to make PDFs but was not found; {install}")
                    .format(install=install))


def _has_uno(python: str) -> bool:
    try:
        result = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=60,
                                env=_clean_env(), check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def find_uno_python(soffice: str) -> str:
    """A Python that can `import uno` (LibreOffice's API), or a UserError naming the package."""
    configured = os.environ.get("RIEC_UNO_PYTHON")  # when set, only this one is tried
    bundled = Path(soffice).resolve().parent / "python"  # LibreOffice's own builds ship one
    candidates = [configured] if configured else ["/usr/bin/python3", str(bundled), "python3", sys.executable]
    for candidate in candidates:
        found = shutil.which(candidate)
        if found and _has_uno(found):
            return found
    raise UserError(_("LibreOffice's Python bridge (the 'uno' module) is needed to make PDFs but no Python "
                      "on this machine has it; {install} (or set RIEC_UNO_PYTHON to a Python that has it)")
                    .format(install=_(INSTALL_HINT).format(command=INSTALL_COMMAND)))


def _clean_env() -> dict[str, str]:
    """This process's environment without settings that would point another Python at our packages."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def _script_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line.removeprefix("ERROR: ") for line in lines if line.startswith("ERROR: ")]
    return errors[-1] if errors else (lines[-1] if lines else "no message")


def convert_to_pdf(docx_paths: Sequence[Path], out_dir: Path, debug: bool = False,
                   store: Cache = NO_CACHE) -> list[Path]:
    """Convert every .docx to out_dir/<name>.pdf in one LibreOffice start; all or nothing.

    A PDF that `store` records as made from the same .docx, and unchanged since, is not made again."""
    sources = [Path(p) for p in docx_paths]
    for source in sources:
        if not source.is_file():
            raise UserError(_("{file} does not exist; build the documents first (make all)").format(file=source))
    stems = [s.stem for s in sources]
    if len(set(stems)) != len(stems):
        raise UserError(_("two documents have the same name; they would make the same PDF"))
    # Only documents that changed since their PDF was made are converted again (8-12 s saved when
    # nothing changed): each PDF is recorded with the .docx it was made from.
    keys = {source: _pdf_key(source) for source in sources}
    sources = [source for source in sources if not is_current(out_dir / f"{source.stem}.pdf", keys[source], store)]
    if not sources:
        return []
    soffice = find_soffice()
    python = find_uno_python(soffice)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".pdf-"))
    except OSError as exc:
        raise UserError(_("cannot create the output folder {folder}: {reason}")
                        .format(folder=out_dir, reason=exc.strerror)) from None
    env = _clean_env() | ({"RIEC_DEBUG": "1"} if debug else {})
    try:
        process = subprocess.Popen(
            [python, str(UNO_SCRIPT), soffice, str(staging), *map(str, sources)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            start_new_session=True,  # its own process group, so a hung LibreOffice can be stopped with it
        )
        try:
            __, stderr = process.communicate(timeout=TIMEOUT_START + TIMEOUT_PER_DOCUMENT * len(sources))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise UserError(_("LibreOffice did not finish converting to PDF in time; nothing was written")) from None
        if process.returncode != 0:
            detail = stderr.strip() if debug else _script_error(stderr)
            raise UserError(_("LibreOffice could not convert the documents to PDF: {detail}").format(detail=detail))
        staged = [(staging / s.stem).with_suffix(".pdf") for s in sources]
        missing = [p.name for p in staged if not p.is_file() or p.stat().st_size == 0]
        if missing:
            raise UserError(_("LibreOffice wrote no PDF for {files}").format(files=", ".join(missing)))
        targets = []
        made = {}
        for source, pdf in zip(sources, staged, strict=True):
            target = out_dir / pdf.name
            made[target] = (keys[source], pdf.read_bytes())
            os.replace(pdf, target)
            targets.append(target)
        record_made(made, store)
        return targets
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _pdf_key(docx: Path) -> str:
    """What a PDF is made from: its .docx and the conversion script."""
    return cache.make_key(docx.read_bytes(), UNO_SCRIPT.read_bytes())


def preview(pdf_paths: Sequence[Path], out_dir: Path, pages: int = 3, dpi: int = 60,
            store: Cache = NO_CACHE) -> list[Path]:
    """PNG images of the first pages of each PDF (`<name>-<page>.png`), made with pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise UserError(_("pdftoppm is needed for previews but was not found; {install}")
                        .format(install=_(INSTALL_HINT).format(command="sudo apt-get install poppler-utils")))
    for pdf in pdf_paths:
        if not Path(pdf).is_file():
            raise UserError(_("{file} does not exist; make the PDFs first (make pdf)").format(file=pdf))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(_("cannot create the preview folder {folder}: {reason}")
                        .format(folder=out_dir, reason=exc.strerror)) from None
    images: list[Path] = []
    for pdf in map(Path, pdf_paths):
        # A PDF whose images were made from it before, and are unchanged since, is not converted again
        # (`store` records, per PDF, what its images were made from and the digest of all of them).
        key = cache.make_key(pdf.read_bytes(), str(pages), str(dpi))
        existing = sorted(out_dir.glob(f"{pdf.stem}-*.png"))
        if existing and is_recorded(out_dir / f"{pdf.stem}-*.png", key, _images_bytes(existing), store):
            images += existing
            continue
        for old in existing:
            old.unlink()
        result = subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-f", "1", "-l", str(pages),
                                 str(pdf), str(out_dir / pdf.stem)], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise UserError(_("pdftoppm could not read {file}: {detail}")
                            .format(file=pdf, detail=result.stderr.strip()))
        made_now = sorted(out_dir.glob(f"{pdf.stem}-*.png"))
        record_made({out_dir / f"{pdf.stem}-*.png": (key, _images_bytes(made_now))}, store)
        images += made_now
    return images


def _images_bytes(images: list[Path]) -> bytes:
    """All of a PDF's images, with their names, as one string of bytes (for the record of what was made)."""
    return b"".join(image.name.encode("utf-8") + b"\0" + image.read_bytes() for image in images)
