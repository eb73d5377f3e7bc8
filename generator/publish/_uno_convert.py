"""Convert .docx files to tagged PDF in ONE headless LibreOffice, with the indexes updated.

This script is not imported by the package: `generator.pdf` runs it with a Python
that has LibreOffice's `uno` module (on Debian: /usr/bin/python3 with python3-uno),
which is usually not the project's own Python. It uses only the standard library
and `uno`.

    python3 _uno_convert.py SOFFICE OUT_DIR FILE.docx [FILE.docx ...]

It starts soffice with a private profile, opens each document hidden, updates
every index (the table of contents) and field, and exports it as OUT_DIR/<name>.pdf.
On failure it prints one line starting with "ERROR: " to stderr and exits 1.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

CONNECT_TIMEOUT = 60.0  # seconds; a fresh profile takes a few seconds on first start


def prop(name: str, value: Any) -> PropertyValue:
    """One com.sun.star.beans.PropertyValue."""
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def start_office(soffice: str, profile: Path, pipe: str) -> subprocess.Popen[bytes]:
    """Start one headless soffice listening on a named pipe, with a private profile."""
    return subprocess.Popen(
        [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def connect(office: subprocess.Popen[bytes], pipe: str) -> Any:
    """The office's Desktop, once soffice accepts connections."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        try:
            remote = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
        except NoConnectException:
            if office.poll() is not None:
                err = office.stderr.read().decode(errors="replace").strip() if office.stderr else ""
                raise RuntimeError(f"LibreOffice stopped before it accepted a connection: {err}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"LibreOffice did not start within {CONNECT_TIMEOUT:.0f} seconds") from None
            time.sleep(0.25)


def update_indexes(doc: Any) -> None:
    """Fill in every index (table of contents) and field with real page numbers."""
    # Updating the table of contents adds pages, which moves the headings: update twice.
    for _ in range(2):
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.getTextFields().refresh()
        doc.refresh()


def export_pdf(doc: Any, target: Path) -> None:
    """Export as tagged PDF with bookmarks and the document title shown."""
    title = doc.getDocumentProperties().Title
    filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", tuple([
        prop("UseTaggedPDF", True),
        prop("PDFUACompliance", True),
        prop("ExportBookmarks", True),
        prop("ExportNotes", False),
        prop("DisplayPDFDocumentTitle", True),
        prop("EmbedStandardFonts", True),
        prop("UseLosslessCompression", True),
    ]))
    if not title:
        raise RuntimeError(f"{target.stem}: the document has no title in its properties "
                           "(is it a Word document built by this project?)")
    args = (prop("FilterName", "writer_pdf_Export"), prop("FilterData", filter_data))
    uno.invoke(doc, "storeToURL", (target.as_uri(), args))


@contextlib.contextmanager
def office_session(soffice: str, prefix: str) -> Iterator[tuple[Any, str, Path]]:
    """A headless LibreOffice with a private profile: its desktop, pipe name and profile folder.

    On leaving, the office is asked to quit (killed after 30 s) and the profile is removed.
    """
    profile = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
    pipe = f"{prefix}-{uuid.uuid4().hex}"
    office = start_office(soffice, profile, pipe)
    desktop: Any = None
    try:
        desktop = connect(office, pipe)
        yield desktop, pipe, profile
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge drops while soffice exits; that is expected
                desktop.terminate()
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
        shutil.rmtree(profile, ignore_errors=True)


def convert(soffice: str, out_dir: Path, sources: list[Path]) -> None:
    """Convert every source in one LibreOffice session."""
    with office_session(soffice, "riec-lo") as (desktop, _pipe, _profile):
        for source in sources:
            doc = desktop.loadComponentFromURL(source.resolve().as_uri(), "_blank", 0,
                                               (prop("Hidden", True), prop("ReadOnly", True)))
            if doc is None:
                raise RuntimeError(f"LibreOffice could not open {source}")
            try:
                update_indexes(doc)
                export_pdf(doc, (out_dir / source.name).with_suffix(".pdf").resolve())
            finally:
                doc.close(True)
            print(f"converted {source.name}", flush=True)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print("ERROR: usage: _uno_convert.py SOFFICE OUT_DIR FILE.docx [...]", file=sys.stderr)
        return 2
    soffice, out_dir, sources = argv[0], Path(argv[1]), [Path(a) for a in argv[2:]]
    try:
        convert(soffice, out_dir, sources)
    except Exception as exc:  # report one plain line; the caller turns it into a user error
        if os.environ.get("RIEC_DEBUG"):
            raise
        print(f"ERROR: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
