"""Command line: `python -m generator build|check ...`. Thin over `pipeline`."""

from __future__ import annotations

import datetime as dt
import gc
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import Problems, UserError, ValidationFailed

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_YEAR = 2026


def _print_problems(problems: Problems) -> None:
    """Every problem, errors and warnings apart, grouped per file, then a summary."""
    for severity, items, colour in (("error", problems.errors, "red"), ("warning", problems.warnings, "yellow")):
        files: dict[str, list[str]] = {}
        for p in items:
            files.setdefault(p.file, []).append(p.format())
        for file, lines in files.items():
            click.secho(f"{severity.capitalize()}s in {file}:", fg=colour, bold=True, err=True)
            for line in lines:
                click.echo(f"  {line}", err=True)
    n_err, n_warn = len(problems.errors), len(problems.warnings)
    summary = f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''}"
    click.secho(summary, fg="red" if n_err else ("yellow" if n_warn else "green"), err=True)


def user_errors(func: F) -> F:
    """Print a user's mistake plainly and exit 1; a bug exits 2; a traceback only with --debug."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = ctx.find_root().params.get("debug", False)
        after = "Nothing was written." if ctx.info_name == "build" else ""
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            _print_problems(exc.problems)
            if after:
                click.secho(after, fg="red", err=True)
            if debug:
                raise
            sys.exit(1)
        except UserError as exc:
            click.secho(f"Error: {exc}", fg="red", err=True)
            if after:
                click.secho(after, fg="red", err=True)
            if debug:
                raise
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug:
                raise
            click.secho(f"Internal error (a bug in the generator, not a mistake in your files): "
                        f"{type(exc).__name__}: {exc}", fg="red", err=True)
            click.secho("Please report it, with the output of the same command run with --debug "
                        "(python -m generator --debug ...).", err=True)
            sys.exit(2)
    return wrapper  # type: ignore[return-value]


class Date(click.ParamType):
    """A date written YYYY-MM-DD, with a plain message for one that does not exist (2026-02-30)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.strptime(str(value), "%Y-%m-%d")
        except ValueError:
            self.fail(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-06-30", param, ctx)


class Year(click.ParamType):
    """A year such as 2026."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        text = str(value).strip()
        if not (text.isdigit() and len(text) == 4 and 1980 <= int(text) <= 2107):
            self.fail(f"'{value}' is not a year; write it as four digits, e.g. 2026", param, ctx)
        return int(text)


class Main(click.Group):
    """The command group; a mistake in the options exits 1 like every other user mistake (2 is for bugs)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.ClickException as exc:
            exc.show()
            sys.exit(1)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


source_option = click.option("--source", type=click.Path(path_type=Path), default=Path("source"),
                             show_default=True, help="Folder with the source data.")
year_option = click.option("--year", type=Year(), default=DEFAULT_YEAR, show_default=True,
                           help="Year of the agenda.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
peildatum_option = click.option("--peildatum", type=Date(), default=None,
                                help="Peildatum of the voortgangsrapportage, YYYY-MM-DD "
                                     "(default: the latest file in <year>/voortgang/).")
templates_option = click.option("--templates", type=click.Path(path_type=Path), default=None,
                                help="Folder with the Word templates (default: templates/ of this project).")


@click.group(cls=Main)
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for developers).")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build the RIEC planning and accountability documents from the source data."""
    # A build makes many small objects that all live until it ends; Python's default garbage
    # collector thresholds then rescan them over and over (a fifth of the time at 100x the
    # actions). Collect far less often, as mypy does; memory stays bounded.
    gc.set_threshold(200_000, 30, 30)
    ctx.obj = {"debug": debug}


@main.command()
@source_option
@year_option
@strict_option
@templates_option
@peildatum_option
@user_errors
def check(source: Path, year: int, strict: bool, templates: Path | None, peildatum: dt.datetime | None) -> None:
    """Validate the source data and templates without writing documents."""
    from . import pipeline

    validated = pipeline.check(source, year, strict=strict, templates=templates or pipeline.TEMPLATES_DIR,
                               peildatum=peildatum.date() if peildatum else None)
    _print_problems(validated.problems)


@main.command()
@click.argument("documents", nargs=-1)
@source_option
@year_option
@click.option("--output", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder the documents are written to.")
@strict_option
@templates_option
@peildatum_option
@user_errors
def build(documents: tuple[str, ...], source: Path, year: int, output: Path, strict: bool,
          templates: Path | None, peildatum: dt.datetime | None) -> None:
    """Build DOCUMENTS (agenda, voortgang, jaarverslag; default: all three)."""
    from . import pipeline

    kinds = _kinds(documents)
    result = pipeline.build_if_changed(source, year, output, kinds, strict=strict,
                                       templates=templates or pipeline.TEMPLATES_DIR,
                                       peildatum=peildatum.date() if peildatum else None)
    if result is None:
        for kind in kinds:
            click.echo(f"{pipeline.document_path(kind, year, output)} (up to date)")
        return
    if result.validated.problems.items:
        _print_problems(result.validated.problems)
    for name in result.documents:
        path = output / name
        state = "written" if path.resolve() in result.written else "unchanged"
        click.echo(f"{path} ({state})")


def _kinds(documents: tuple[str, ...]) -> list[str]:
    from . import pipeline

    kinds = list(documents) or list(pipeline.DOCUMENTS)
    unknown = [d for d in kinds if d not in pipeline.DOCUMENTS]
    if unknown:
        raise UserError(f"unknown document '{unknown[0]}'; choose from: {', '.join(pipeline.DOCUMENTS)}")
    return kinds


output_option = click.option("--output", type=click.Path(path_type=Path), default=Path("output"),
                             show_default=True, help="Folder with the built .docx documents.")


@main.command()
@click.argument("documents", nargs=-1)
@year_option
@output_option
@click.pass_context
@user_errors
def pdf(ctx: click.Context, documents: tuple[str, ...], year: int, output: Path) -> None:
    """Convert the built DOCUMENTS (default: all) to tagged PDF in OUTPUT/pdf, with LibreOffice."""
    from . import pipeline

    written = pipeline.pdf(_kinds(documents), year, output, debug=ctx.obj.get("debug", False))
    for path in written:
        click.echo(f"{path} (written)")
    if not written:
        click.echo(f"{output / 'pdf'}: every PDF is up to date")


@main.command()
@click.argument("documents", nargs=-1)
@year_option
@output_option
@click.option("--pages", type=click.IntRange(1, 50), default=3, show_default=True, help="Pages per document.")
@user_errors
def preview(documents: tuple[str, ...], year: int, output: Path, pages: int) -> None:
    """PNG images of the first pages of each PDF, in OUTPUT/preview."""
    from . import pipeline

    for image in pipeline.preview(_kinds(documents), year, output, pages):
        click.echo(str(image))

@main.command()
@click.argument("rev_a", default="HEAD", required=False)
@click.argument("rev_b", required=False)
@source_option
@year_option
@click.option("--output", type=click.Path(path_type=Path), default=Path("output") / "diff", show_default=True,
              help="Folder the change summary, text diffs and redlines are written to.")
@user_errors
def diff(rev_a: str, rev_b: str | None, source: Path, year: int, output: Path) -> None:
    """Show what changed between two versions: REV_A (default HEAD) and REV_B (default: your working tree)."""
    from . import pipeline
    from .review.diff import VersionInvalid, terminal_report

    try:
        result, written = pipeline.diff(rev_a, rev_b, source, year, output)
    except VersionInvalid as exc:
        click.secho(f"The source in version '{exc.label}' has errors, so it cannot be compared:", fg="red", err=True)
        raise
    click.echo(terminal_report(result, written, colour=sys.stdout.isatty()), nl=False)


@main.command()
@click.argument("partner", required=False)
@source_option
@year_option
@user_errors
def partners(partner: str | None, source: Path, year: int) -> None:
    """List the actions per partner (or of one PARTNER id)."""
    from . import pipeline
    from .errors import did_you_mean

    entries = pipeline.partner_actions(source, year)
    if partner:
        ids = [str(e["id"]) for e in entries]
        if partner not in ids:
            raise UserError(f"unknown partner '{partner}' ({did_you_mean(partner, ids) or 'see source/partners.yaml'})")
        entries = [e for e in entries if e["id"] == partner]
    for entry in entries:
        actions = list(entry["actions"])  # type: ignore[call-overload]
        click.echo(f"{entry['name']} [{entry['id']}, {entry['kind']}]: {len(actions)} actie(s)")
        if actions:
            click.echo("  " + ", ".join(actions))
