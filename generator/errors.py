"""Errors and problem reports.

`GeneratorError` is the one base class. `UserError` (and its subclasses) are
mistakes a user can fix; the CLI prints them without a traceback and exits 1.
A `Problem` is one located finding (error or warning) in a source file or
template; validation collects all of them before anything is written.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .i18n import _, ngettext

# A note is information only (a file read as Windows-1252, known differences): it never fails a build.
Severity = Literal["error", "warning", "note"]


class GeneratorError(Exception):
    """Base class of every error this package raises on purpose."""


class UserError(GeneratorError):
    """A mistake the user can fix: printed plainly, exit code 1."""


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located as precisely as we can: file, line, field."""

    file: str
    line: int | None
    field: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        """`file:line: field: message (hint)` as printed to the user."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass
class Problems:
    """An ordered collection of problems, shared by every validation stage."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        if problem not in self.items:
            self.items.append(problem)

    def error(self, file: str | Path, line: int | None, field: str, message: str, hint: str = "") -> None:
        self.add(Problem(str(file), line, field, message, hint, "error"))

    def warning(self, file: str | Path, line: int | None, field: str, message: str, hint: str = "") -> None:
        self.add(Problem(str(file), line, field, message, hint, "warning"))

    def note(self, file: str | Path, line: int | None, field: str, message: str, hint: str = "") -> None:
        self.add(Problem(str(file), line, field, message, hint, "note"))

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "note"]


class ValidationFailed(UserError):
    """The source has errors; nothing was written."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        n = len(problems.errors)
        super().__init__(ngettext("{n} error in the source", "{n} errors in the source", n).format(n=n))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean ...?' hint, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if not close:
        return ""
    separator = " " + _("or") + " "
    choices = separator.join(f"'{c}'" for c in close)
    return _("did you mean {choices}?").format(choices=choices)
