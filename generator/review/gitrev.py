"""Git plumbing for the reviewers' diff: a revision's source and templates in a temporary folder.

A revision is read with `git archive`, never checked out, so the user's working
tree, index and branches are never touched.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..i18n import _

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Version:
    """One side of a comparison: where its source and templates are, and what to call it."""

    label: str
    source: Path
    templates: Path


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise UserError(_("git is not installed; `diff` needs git to read older versions"))
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def repo_root(path: Path) -> Path:
    """The top folder of the git repository holding `path`, or a clear error."""
    folder = path if path.is_dir() else path.parent
    result = _git(["rev-parse", "--show-toplevel"], folder.resolve() if folder.exists() else Path.cwd())
    if result.returncode != 0:
        raise UserError(_("{path} is not inside a git repository; `diff` compares versions kept in git "
                          "(run it from the project folder, or use `git init` and commit the source)")
                        .format(path=path))
    return Path(result.stdout.decode().strip())


def resolve(root: Path, rev: str) -> str:
    """The commit id a revision name (HEAD, main, a tag, abc123, HEAD~2) stands for."""
    if rev.startswith("-"):
        raise UserError(_("'{revision}' is not a revision name").format(revision=rev))
    result = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if result.returncode != 0:
        raise UserError(_("there is no revision '{revision}' in this git repository "
                          "(check the name with `git log --oneline`)").format(revision=rev))
    return result.stdout.decode().strip()


def _exists(root: Path, commit: str, path: str) -> bool:
    return _git(["cat-file", "-e", f"{commit}:{path}"], root).returncode == 0


def materialise(root: Path, rev: str, source: Path, templates: Path, dest: Path) -> Version:
    """Extract `source` (and `templates`, if that revision has them) of one revision into `dest`.

    `source` and `templates` are folders of the working tree; their place in the
    repository is used to find them in the revision. Templates missing from an old
    revision are taken from the working tree.
    """
    commit = resolve(root, rev)
    paths = []
    for folder in (source, templates):
        try:
            paths.append(folder.resolve().relative_to(root).as_posix())
        except ValueError:
            paths.append("")
    source_path, templates_path = paths
    if not source_path or not _exists(root, commit, source_path):
        raise UserError(_("revision '{revision}' has no folder '{folder}' with source data")
                        .format(revision=rev, folder=source_path or source))
    wanted = [source_path]
    has_templates = bool(templates_path) and _exists(root, commit, templates_path)
    if has_templates:
        wanted.append(templates_path)
    archive = _git(["archive", "--format=tar", commit, "--", *wanted], root)
    if archive.returncode != 0:
        raise UserError(_("git could not read revision '{revision}': {detail}")
                        .format(revision=rev, detail=archive.stderr.decode().strip()))
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    short = commit[:8]
    label = rev if rev.lower().startswith(short.lower()) else f"{rev} ({short})"
    return Version(label, dest / source_path, dest / templates_path if has_templates else templates)


def working_tree(source: Path, templates: Path) -> Version:
    """The working tree's own folders, read as they are (never written)."""
    return Version(WORKING_TREE, source, templates)
