"""Two versions compared: both validated and rendered, the data and every document diffed, the reports
written; from two git revisions (`run_diff`) or two years of the working tree (`run_year_diff`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ...cache import Cache
from ...errors import UserError, ValidationFailed
from ...i18n import _
from ...kinds import DOCUMENTS
from ...render.documents import is_fictitious, render_documents
from ...render.write import write_outputs
from ...source.load import display_path
from ...source.progress import Reports, load_all
from ...source.validate import Validated
from .. import gitrev
from ..docxtext import docx_lines
from ..gitrev import Version
from .lines import LineChange, diff_lines
from .model import Change, diff_agendas, diff_years
from .redline import redline
from .reports import report_files


@dataclass
class DocumentDiff:
    """One document in both versions: its text diff and its redline."""

    name: str  # file name of the new version, e.g. uitvoeringsagenda-2026.docx
    lines: list[LineChange]
    redline: bytes | None  # None when the document exists in one version only
    only_in: str = ""  # "old" or "new" when it exists in one version only
    identical: bool = False  # both versions are byte for byte the same

    @property
    def stem(self) -> str:
        return self.name.removesuffix(".docx")


@dataclass
class Comparison:
    """Everything that changed between two versions."""

    old: Version
    new: Version
    year: int
    changes: list[Change] = field(default_factory=list)
    documents: list[DocumentDiff] = field(default_factory=list)
    new_year: int | None = None  # set when two years' agendas are compared
    folder: str = ""  # the source folder as the user names it (`source`), before each change's file
    old_folder: str = ""  # the same for the old version (the same name for two git revisions)

    @property
    def empty(self) -> bool:
        return not self.changes and all(d.identical for d in self.documents)


class VersionInvalid(ValidationFailed):
    """One side of the comparison has errors in its source."""

    def __init__(self, label: str, failed: ValidationFailed) -> None:
        super().__init__(failed.problems)
        self.label = label


def _load(version: Version, year: int) -> tuple[Validated, Reports]:
    try:
        return load_all(version.source, year)
    except ValidationFailed as exc:
        raise VersionInvalid(version.label, exc) from None


def _render(version: Version, loaded: tuple[Validated, Reports], kinds: list[str], store: Cache) -> dict[str, bytes]:
    present = [k for k in kinds if (version.templates / DOCUMENTS[k].template).exists()]
    # Rendered through the one cache of rendered documents: `make diff` after a small change takes
    # the documents of the revision it compares with from there, and renders only what changed.
    return render_documents(*loaded, present, version.templates, is_fictitious(version.source), store)


def compare_sources(old: Version, new: Version, year: int, kinds: list[str] | None = None,
                    make_redline: Callable[[bytes, bytes], bytes] = redline,
                    new_year: int | None = None, store: Cache | None = None,
                    folder: str | None = None) -> Comparison:
    """Validate and render both versions, then compare the data and every document.

    With `new_year`, the new version is that year's agenda (next year's against this year's); only the
    agendas are compared, paired by kind. `store`: the cache of rendered documents (default: the user's).
    `folder`: the source folder as the summary names it in both versions (default: each version's, as the
    user sees it).
    """
    store = store or Cache.default()
    two_years = new_year is not None and new_year != year
    kinds = (["agenda"] if two_years else list(DOCUMENTS)) if kinds is None else kinds
    old_valid, new_valid = _load(old, year), _load(new, new_year if two_years and new_year else year)
    if two_years:
        changes = diff_years(old_valid[0].agenda, new_valid[0].agenda, old_valid[1])
    else:
        changes = diff_agendas(old_valid[0].agenda, new_valid[0].agenda, old_valid[1], new_valid[1])
    result = Comparison(old, new, year, changes, new_year=new_year if two_years else None,
                        folder=display_path(new.source, new.source) if folder is None else folder,
                        old_folder=display_path(old.source, old.source) if folder is None else folder)
    old_docs, new_docs = _render(old, old_valid, kinds, store), _render(new, new_valid, kinds, store)
    # Documents are paired by kind: uitvoeringsagenda-2026.docx with uitvoeringsagenda-2027.docx.
    renamed = {DOCUMENTS[k].filename.format(year=new_year): DOCUMENTS[k].filename.format(year=year)
               for k in DOCUMENTS} if two_years else {}
    new_docs = {renamed.get(name, name): data for name, data in new_docs.items()}
    order = [DOCUMENTS[k].filename.format(year=year) for k in DOCUMENTS]  # agenda first
    names = sorted(set(old_docs) | set(new_docs),
                   key=lambda n: (n not in new_docs, order.index(n) if n in order else len(order), n))
    both = [n for n in names if n in old_docs and n in new_docs and old_docs[n] != new_docs[n]]
    # The redline engine is a separate program: the documents' redlines run side by side.
    with ThreadPoolExecutor(max_workers=max(1, min(len(both), os.cpu_count() or 1))) as pool:
        redlines = {n: pool.submit(make_redline, old_docs[n], new_docs[n]) for n in both}
        for name in names:
            if name not in old_docs:
                result.documents.append(DocumentDiff(name, [], None, "new"))
            elif name not in new_docs:
                result.documents.append(DocumentDiff(name, [], None, "old"))
            else:
                a, b = old_docs[name], new_docs[name]
                lines = diff_lines(docx_lines(a), docx_lines(b))
                result.documents.append(DocumentDiff(name, lines, redlines[name].result() if name in redlines else b,
                                                     identical=a == b))
    back = {old_name: new_name for new_name, old_name in renamed.items()}
    for doc in result.documents:
        doc.name = back.get(doc.name, doc.name)
    return result


def run_year_diff(source: Path, templates: Path, year: int, new_year: int,
                  output: Path, store: Cache | None = None) -> tuple[Comparison, dict[str, Path]]:
    """Compare the agenda of `year` with that of `new_year`, both as in the working tree; write the reports."""
    for y in (year, new_year):
        if not (source / str(y)).is_dir():
            if y == new_year:
                raise UserError(_("there is no source folder {folder} (create it with: {command})").format(
                    folder=source / str(y), command=f"make nieuw-jaar VAN={new_year - 1} NAAR={new_year}"))
            raise UserError(_("there is no source folder {folder}").format(folder=source / str(y)))
    result = compare_sources(Version(str(year), source, templates), Version(str(new_year), source, templates),
                             year, new_year=new_year, store=store, folder=display_path(source, source))
    files = report_files(result)
    write_outputs(output, files)
    return result, {name: output / name for name in files}


def run_diff(rev_a: str, rev_b: str | None, source: Path, templates: Path, year: int, output: Path,
             store: Cache | None = None, kinds: list[str] | None = None) -> tuple[Comparison, dict[str, Path]]:
    """Compare two git revisions (rev_b None: the working tree) and write the reports to `output`."""
    root = gitrev.repo_root(source if source.exists() else Path.cwd())
    with tempfile.TemporaryDirectory(prefix="riec-diff-") as tmp:
        old = gitrev.materialise(root, rev_a, source, templates, Path(tmp) / "a")
        if rev_b is None:
            if not source.is_dir():
                raise UserError(_("there is no source folder {folder} in the working tree").format(folder=source))
            new = gitrev.working_tree(source, templates)
        else:
            new = gitrev.materialise(root, rev_b, source, templates, Path(tmp) / "b")
        result = compare_sources(old, new, year, kinds, store=store, folder=display_path(source, source))
    files = report_files(result)
    write_outputs(output, files)
    return result, {name: output / name for name in files}
