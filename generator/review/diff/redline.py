"""A redline .docx: the new document with native Word tracked changes against the old."""

from __future__ import annotations

import copy
import difflib
import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from lxml import etree

from ...errors import UserError
from ...i18n import _
from ...render.write import docx_bytes, fixed_time

REDLINE_AUTHOR = "RIEC documenten"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

def redline(old: bytes, new: bytes) -> bytes:
    """The new document with native Word tracked changes against the old.

    When only words inside paragraphs changed (the usual review round: a word, a sentence, an
    amount), the changes are marked directly in the new document in milliseconds; anything else
    (paragraphs or table rows added or removed, other formatting) goes to the Docxodus engine.
    """
    quick = quick_redline(old, new)
    if quick is not None:
        return quick
    try:
        from python_redlines import DocxodusEngine
        from python_redlines.engines import EngineExecutionError, EngineNotInstalledError
    except ImportError:
        raise UserError(_("the redline engine is not installed ({command}); run `make diff`, which installs it")
                        .format(command="pip install 'python-redlines[docxodus]'")) from None
    try:
        engine = DocxodusEngine()
        data, __, ___ = engine.run_redline(REDLINE_AUTHOR, original=old, modified=new,
                                        date_time=fixed_time().strftime("%Y-%m-%dT%H:%M:%SZ"))
    except EngineNotInstalledError as exc:
        raise UserError(_("the redline engine cannot run on this computer: {detail}").format(detail=exc)) from None
    except EngineExecutionError as exc:
        if "ICU" in str(exc):
            raise UserError(_("the redline engine failed (it needs the ICU library: {command}, or your system's "
                              "libicu): {detail}").format(command="apt-get install libicu72", detail=exc)) from None
        raise UserError(_("the redline engine failed: {detail}").format(detail=exc)) from None
    return readable_tables(data)


_AMOUNT = re.compile(r"^[€\s\d.,\-–−]*$")
_PIECES = re.compile(r"\s+|\w+|[^\w\s]")


def quick_redline(old: bytes, new: bytes) -> bytes | None:
    """The redline made directly, if the two documents differ only in the text of some runs; else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(old)) as a, zipfile.ZipFile(io.BytesIO(new)) as b:
            names = b.namelist()
            if sorted(a.namelist()) != sorted(names):
                return None
            if any(a.read(n) != b.read(n) for n in names if n != "word/document.xml"):
                return None
            old_root = etree.fromstring(a.read("word/document.xml"))
            new_root = etree.fromstring(b.read("word/document.xml"))
            parts = {n: b.read(n) for n in names}
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return None
    pairs: list[tuple[Any, str, str]] = []
    old_body, new_body = old_root.find(f"{_W}body"), new_root.find(f"{_W}body")
    if old_body is None or new_body is None or len(old_body) != len(new_body) or old_root.attrib != new_root.attrib:
        return None
    for x, y in zip(old_body, new_body, strict=True):
        # Most paragraphs are the same: compare their bytes first, the tree only where they differ.
        if etree.tostring(x) != etree.tostring(y) and not _same_shape(x, y, pairs):
            return None
    ids = iter(range(800000, 900000))
    date = fixed_time().strftime("%Y-%m-%dT%H:%M:%SZ")
    for t_new, before, after in pairs:
        run = t_new.getparent()
        if run is None or run.tag != f"{_W}r" or len(run.findall(f"{_W}t")) != 1:
            return None
        parent = run.getparent()
        at = parent.index(run)
        parent.remove(run)
        for offset, element in enumerate(_marked_runs(run, before, after, ids, date)):
            parent.insert(at + offset, element)
    _readable(new_root)
    parts["word/document.xml"] = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return docx_bytes((name, parts[name]) for name in names)


def _same_shape(a: Any, b: Any, pairs: list[tuple[Any, str, str]]) -> bool:
    """Both trees alike but for the text of w:t elements; the differing w:t of `b` are collected."""
    if a.tag != b.tag or a.attrib != b.attrib or len(a) != len(b) or (a.tail or "") != (b.tail or ""):
        return False
    if (a.text or "") != (b.text or ""):
        if a.tag != f"{_W}t":
            return False
        pairs.append((b, a.text or "", b.text or ""))
    return all(_same_shape(x, y, pairs) for x, y in zip(a, b, strict=True))


def _marked_runs(run: Any, before: str, after: str, ids: Iterable[int], date: str) -> list[Any]:
    """The run as unchanged, deleted and inserted pieces: words for text, the whole for an amount."""
    if _AMOUNT.match(before) or _AMOUNT.match(after):
        ops = [("-", before), ("+", after)]
    else:
        old_words, new_words = _PIECES.findall(before), _PIECES.findall(after)
        ops = []
        matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                ops.append(("=", "".join(old_words[i1:i2])))
            else:
                ops += [("-", "".join(old_words[i1:i2])), ("+", "".join(new_words[j1:j2]))]
    numbers = iter(ids)
    out = []
    for op, text in ops:
        if not text:
            continue
        piece = copy.deepcopy(run)
        t = piece.find(f"{_W}t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if op == "=":
            out.append(piece)
            continue
        if op == "-":
            t.tag = f"{_W}delText"
        change = etree.Element(f"{_W}{'del' if op == '-' else 'ins'}")
        change.set(f"{_W}id", str(next(numbers)))
        change.set(f"{_W}author", REDLINE_AUTHOR)
        change.set(f"{_W}date", date)
        change.append(piece)
        out.append(change)
    return out


def readable_tables(data: bytes) -> bytes:
    """A redline whose tables read well: a changed amount shows the old one, then the new one below it,
    and no table row is split across two pages."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        root = etree.fromstring(src.read("word/document.xml"))
        _readable(root)
        document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return docx_bytes((info.filename, document if info.filename == "word/document.xml" else src.read(info.filename))
                          for info in src.infolist())


def _readable(root: Any) -> None:
    """`readable_tables` on the parsed document."""
    for row in root.iter(f"{_W}tr"):
        props = row.find(f"{_W}trPr")
        if props is None:
            props = etree.Element(f"{_W}trPr")
            before = row.find(f"{_W}tblPrEx")
            row.insert(0 if before is None else row.index(before) + 1, props)
        if props.find(f"{_W}cantSplit") is None:
            props.insert(0, etree.Element(f"{_W}cantSplit"))
    for cell in root.iter(f"{_W}tc"):
        for paragraph in cell.iter(f"{_W}p"):
            _old_above_new(paragraph)
    # The engine wraps a bookmark (the source markers) of inserted text in an insertion of its own:
    # an insertion of nothing, which Word lists as a change. The bookmark is kept, the wrapper dropped.
    for change in [e for tag in ("ins", "del") for e in root.iter(f"{_W}{tag}")]:
        parent = change.getparent()
        if len(change) and parent is not None and parent.tag != f"{_W}rPr" \
                and next(change.iter(f"{_W}r"), None) is None:
            at = parent.index(change)
            for offset, child in enumerate(list(change)):
                parent.insert(at + offset, child)
            parent.remove(change)


def _old_above_new(paragraph: Any) -> None:
    """A cell whose whole text was replaced: the deletion first, ending in a (deleted) line break, then
    the insertion; accepting the change leaves only the new text, rejecting it only the old."""
    children = list(paragraph)
    deleted = [c for c in children if c.tag == f"{_W}del"]
    inserted = [c for c in children if c.tag == f"{_W}ins"]
    kept = [c for c in children if c.tag == f"{_W}r" and "".join(c.itertext()).strip()]
    if not deleted or not inserted or kept:
        return
    first = min(children.index(c) for c in deleted + inserted)
    for element in deleted:
        paragraph.remove(element)
    for offset, element in enumerate(deleted):
        paragraph.insert(first + offset, element)
    last = deleted[-1]
    runs = last.findall(f"{_W}r")
    if runs and runs[-1].find(f"{_W}br") is None:
        brk = etree.SubElement(last, f"{_W}r")
        props = runs[-1].find(f"{_W}rPr")
        if props is not None:
            brk.append(copy.deepcopy(props))
        etree.SubElement(brk, f"{_W}br")


def tracked_changes(data: bytes) -> tuple[list[str], list[str]]:
    """The texts of every tracked insertion and deletion in a .docx's body."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    inserted = ["".join(t.text or "" for t in e.iter(f"{_W}t")) for e in root.iter(f"{_W}ins")]
    deleted = ["".join(t.text or "" for t in e.iter(f"{_W}delText")) for e in root.iter(f"{_W}del")]
    return inserted, deleted
