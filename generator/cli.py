"""Command line: `python -m generator build|check ...`. Thin over `pipeline`.

The language is chosen first (`--lang`, else $RIEC_LANG, else the locale), then the commands are made
(`make_cli`) with their help in it, as Sphinx makes its argument parser: `main` does both.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
import time
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from .errors import Problems, UserError, ValidationFailed
from .i18n import LANGUAGES, N_, _, ngettext, set_language

if TYPE_CHECKING:
    from .source.validate import Validated

F = TypeVar("F", bound=Callable[..., Any])


def _counts(problems: Problems) -> str:
    """'0 errors, 1 warning' (and the notes, if any)."""
    n_err, n_warn, n_note = len(problems.errors), len(problems.warnings), len(problems.notes)
    counts = [ngettext("{n} error", "{n} errors", n_err).format(n=n_err),
              ngettext("{n} warning", "{n} warnings", n_warn).format(n=n_warn)]
    if n_note:
        counts.append(ngettext("{n} note", "{n} notes", n_note).format(n=n_note))
    return ", ".join(counts)


def _print_problems(problems: Problems) -> None:
    """Every problem, errors and warnings apart, grouped per file, then a summary."""
    for heading, items, colour in ((_("Errors in {file}:"), problems.errors, "red"),
                                   (_("Warnings in {file}:"), problems.warnings, "yellow"),
                                   (_("Notes in {file}:"), problems.notes, "cyan")):
        files: dict[str, list[str]] = {}
        for p in items:
            files.setdefault(p.file, []).append(p.format())
        for file, lines in files.items():
            click.secho(heading.format(file=file), fg=colour, bold=True, err=True)
            for line in lines:
                click.echo(f"  {line}", err=True)
    colour = "red" if problems.errors else ("yellow" if problems.warnings else "green")
    click.secho(_counts(problems), fg=colour, err=True)


def _print_failure(exc: Exception) -> int:
    """A failed run as every command shows it; its exit status: 1 for a user's mistake, 2 for a bug."""
    if isinstance(exc, ValidationFailed):
        _print_problems(exc.problems)
        return 1
    if isinstance(exc, UserError):
        click.secho(_("Error: {message}").format(message=exc), fg="red", err=True)
        return 1
    click.secho(_("Internal error (a bug in the generator, not a mistake in your files): {error}")
                .format(error=f"{type(exc).__name__}: {exc}"), fg="red", err=True)
    click.secho(_("Please report it, with the output of the same command run with --debug "
                  "(python -m generator --debug ...)."), err=True)
    return 2


def _working_folder() -> None:
    """Refuse to run in a working folder that was deleted (every relative path would point nowhere)."""
    try:
        os.getcwd()
    except OSError:
        raise UserError(_("the working folder no longer exists (it was deleted or moved); go to the project "
                          "folder (cd) and run the command again")) from None


def user_errors(func: F) -> F:
    """Print a user's mistake plainly and exit 1; a bug exits 2; a traceback only with --debug."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = ctx.find_root().params.get("debug", False)
        after = _("Nothing was written.") if ctx.info_name in ("build", "html") else ""
        try:
            _working_folder()
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug and not isinstance(exc, UserError):
                raise
            status = _print_failure(exc)
            if after:
                click.secho(after, fg="red", err=True)
            if debug:
                raise
            sys.exit(status)
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
            self.fail(_("'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-06-30").format(value=value),
                      param, ctx)


class Year(click.ParamType):
    """A year such as 2026."""

    name = "year"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        text = str(value).strip()
        if not (text.isdigit() and len(text) == 4 and 1980 <= int(text) <= 2107):
            self.fail(_("'{value}' is not a year; write it as four digits, e.g. 2026").format(value=value), param, ctx)
        return int(text)


class WholeNumber(click.ParamType):
    """A whole number from `low` to `high` (the help says the range in words; click would write 1<=x<=50)."""

    name = "number"

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        text = str(value).strip()
        if not (text.isdigit() and self.low <= int(text) <= self.high):
            self.fail(_("'{value}' is not a whole number from {min} to {max}").format(
                value=value, min=self.low, max=self.high), param, ctx)
        return int(text)


def _lang_option(args: Sequence[str]) -> str | None:
    """The value of the group's --lang in `args` (before the command), if it is a language we have."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            value: str | None = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        elif arg == "--" or not arg.startswith("-"):
            return None
        else:
            continue
        return value if value in LANGUAGES else None
    return None


def _usage_message(exc: click.UsageError) -> str:
    """A wrong command, option or option value in the user's language, from what click found."""
    if isinstance(exc, click.NoSuchOption | click.NoSuchCommand):
        if isinstance(exc, click.NoSuchOption):
            message = _("No such option '{option}'.").format(option=exc.option_name)
        else:
            message = _("No such command '{command}'.").format(command=exc.command_name)
        if exc.possibilities:
            choices = ", ".join(f"'{c}'" for c in sorted(exc.possibilities))
            message += " " + _("Did you mean {choices}?").format(choices=choices)
        return message
    if not isinstance(exc, click.BadParameter):
        return exc.message  # click's own words, translated by our catalog (generator/i18n.py)
    hint = exc.param.get_error_hint(exc.ctx) if exc.param is not None and exc.ctx is not None else ""
    if isinstance(exc, click.MissingParameter):
        if isinstance(exc.param, click.Argument):
            return _("Missing argument {argument}.").format(argument=hint)
        return _("Missing option {option}.").format(option=hint)
    return _("Invalid value for {option}: {message}").format(option=hint, message=exc.message)


class Generator:
    """`python -m generator`: choose the language, make the commands in it, run one; a mistake exits 1."""

    name = "generator"  # what click's test runner calls it

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any) -> NoReturn:
        """Run the command in ARGS (default: the process's arguments) and exit with its status."""
        argv = list(sys.argv[1:] if args is None else args)
        set_language(_lang_option(argv))
        cli = make_cli()
        try:
            result = cli.main(argv, prog_name, standalone_mode=False, **extra)
        except (click.BadParameter, click.NoSuchOption) as exc:
            # Said in our own words, from what click found: the mistakes users make most.
            if exc.ctx is not None:
                click.echo(exc.ctx.get_usage(), err=True)
            click.secho(_("Error: {message}").format(message=_usage_message(exc)), fg="red", err=True)
            sys.exit(1)
        except click.exceptions.NoArgsIsHelpError as exc:  # a group without a command shows its help
            exc.show()
            sys.exit(1)
        except click.UsageError as exc:
            # An unknown command, an extra argument: the usage line, where to find help, the mistake.
            if exc.ctx is not None:
                click.echo(exc.ctx.get_usage(), err=True)
                click.echo(_("See '{command}' for help.").format(command=f"{exc.ctx.command_path} --help") + "\n",
                           err=True)
            click.secho(_("Error: {message}").format(message=_usage_message(exc)), fg="red", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            exc.show()
            sys.exit(1)
        except click.Abort:
            click.echo(_("Aborted!"), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def __call__(self, args: Sequence[str] | None = None, prog_name: str | None = None) -> NoReturn:
        self.main(args, prog_name)


main = Generator()


def _newest_year(ctx: click.Context, param: click.Parameter, value: int | None) -> int:
    """Without --year: the newest year folder in the source folder, said when there is more than one.

    The year is found, not typed: after nieuw-jaar the new year is built without anyone changing a setting.
    """
    if value is not None:
        return value
    source = ctx.params.get("source") or next((p.default for p in ctx.command.params if p.name == "source"
                                               and isinstance(p.default, Path)), Path("source"))
    years = sorted(int(d.name) for d in Path(source).glob("[12][0-9][0-9][0-9]") if d.is_dir())
    if not years:
        return dt.date.today().year  # nothing to build: the command names the folder it looked for
    if len(years) > 1:
        click.echo(_("Year {year}: the newest in {source} (another year: --year, or YEAR= with make)")
                   .format(year=years[-1], source=source), err=True)
    return years[-1]


# A build makes many small objects that all live until it ends; Python's default garbage
# collector thresholds then rescan them over and over (a fifth of the time at 100x the actions).
# Every command collects far less often, as mypy does; memory stays bounded.
GC_THRESHOLDS = (200_000, 30, 30)


@click.pass_context
def _group(ctx: click.Context, debug: bool, lang: str | None) -> None:
    """The group: the options every command shares (the language was set before the commands were made)."""
    gc.set_threshold(*GC_THRESHOLDS)
    ctx.obj = {"debug": debug}


@user_errors
def check(source: Path, year: int, strict: bool, templates: Path | None, peildatum: dt.datetime | None,
          watch: bool) -> None:
    from . import pipeline

    templates = templates or pipeline.TEMPLATES_DIR
    day = peildatum.date() if peildatum else None
    if watch:
        _watch_check(source, year, strict, templates, day)
        return
    validated = pipeline.check(source, year, strict=strict, templates=templates, peildatum=day)
    _print_problems(validated.problems)


def _watch_check(source: Path, year: int, strict: bool, templates: Path, peildatum: dt.date | None) -> None:
    """`check --watch`: check, then check again after every save in the source or the templates, until Ctrl-C.

    The source's own result (its validation: most mistakes an editor makes) is printed as soon as it is
    known; then the result of `make check`, which also renders every document in memory.
    """
    from . import pipeline
    from .publish.live import changed

    if not source.is_dir():
        raise UserError(_("the source folder {folder} does not exist (use --source)").format(folder=source))
    debug = click.get_current_context().find_root().params.get("debug", False)

    def run(names: list[str]) -> None:
        started = time.perf_counter()
        what = changed(names) if names else _("First check.")
        click.secho(f"--- {dt.datetime.now():%H:%M:%S} {what} ---", bold=True)

        def source_done(validated: Validated) -> None:
            click.echo(_("Source: {counts}; now the templates and documents...")
                       .format(counts=_counts(validated.problems)))

        try:
            _print_problems(pipeline.check(source, year, strict=strict, templates=templates, peildatum=peildatum,
                                           on_source=source_done).problems)
        except Exception as exc:  # a mistake (or a bug) is shown, and the next save checks again
            if debug and not isinstance(exc, UserError):
                import traceback

                traceback.print_exception(exc)
            _print_failure(exc)
        click.echo(_("Checked in {seconds} s.").format(seconds=f"{time.perf_counter() - started:.2f}"))
        if not names:
            click.echo(_("Watching {source} and {templates}: every save checks again. Press Ctrl-C to stop.")
                       .format(source=source, templates=templates))

    pipeline.watch([source, templates], run)
    click.echo(_("Stopped watching."))


@user_errors
def build(documents: tuple[str, ...], source: Path, year: int, output: Path, strict: bool,
          templates: Path | None, peildatum: dt.datetime | None) -> None:
    from .cache import Cache
    from .staleness import TEMPLATES_DIR, document_path, inputs_key, record_build, up_to_date

    kinds = _kinds(documents)
    day = peildatum.date() if peildatum else None
    templates = templates or TEMPLATES_DIR
    paths = [document_path(kind, year, output) for kind in kinds]
    # The generator, not make, decides what is stale (make cannot see a deleted chapter file, a file
    # restored with an old time stamp, or another PEILDATUM). Asked before the pipeline is imported:
    # with nothing changed, that import is most of the time.
    key = inputs_key(source, year, output, kinds, templates, strict, day)
    store = Cache.default()
    if up_to_date(key, paths, store):
        for path in paths:
            click.echo(_("{path} (up to date)").format(path=path))
        return
    from . import pipeline

    result = pipeline.build(source, year, output, kinds, templates, strict, day, store=store)
    record_build(key, output, result.documents, store)
    if result.validated.problems.items:
        _print_problems(result.validated.problems)
    for name in result.documents:
        path = output / name
        click.echo(_written(path, path.resolve() in result.written))


def _kinds(documents: tuple[str, ...]) -> list[str]:
    from .kinds import DOCUMENTS

    kinds = list(documents) or list(DOCUMENTS)
    unknown = [d for d in kinds if d not in DOCUMENTS]
    if unknown:
        raise UserError(_("unknown document '{name}'; choose from: {choices}").format(
            name=unknown[0], choices=", ".join(DOCUMENTS)))
    return kinds


def _written(path: Path, written: bool = True) -> str:
    """`path (written)` or `path (unchanged)`, the line every command prints per file."""
    return (_("{path} (written)") if written else _("{path} (unchanged)")).format(path=path)




@click.pass_context
@user_errors
def pdf(ctx: click.Context, documents: tuple[str, ...], year: int, output: Path) -> None:
    from . import pipeline

    written = pipeline.pdf(_kinds(documents), year, output, debug=ctx.obj.get("debug", False))
    for path in written:
        click.echo(_written(path))
    if not written:
        click.echo(_("{folder}: every PDF is up to date").format(folder=output / "pdf"))


@user_errors
def preview(documents: tuple[str, ...], year: int, output: Path, pages: int) -> None:
    from . import pipeline

    for image in pipeline.preview(_kinds(documents), year, output, pages):
        click.echo(str(image))


@user_errors
def html(source: Path, year: int, output: Path, strict: bool, peildatum: dt.datetime | None) -> None:
    from . import pipeline

    site, written, removed = pipeline.html(source, year, output, peildatum.date() if peildatum else None, strict)
    if site.validated.problems.items:
        _print_problems(site.validated.problems)
    done = {p.resolve() for p in written}
    pages = [name for name in site.files if name.endswith(".html")]
    for name in pages:
        path = output / "html" / name
        click.echo(_written(path, path.resolve() in done))
    for path in removed:
        click.echo(_("{path} (removed: no longer part of the site)").format(path=path))
    others = len(site.files) - len(pages)
    click.echo(ngettext("and {n} stylesheet or image file; open {index} in a browser",
                        "and {n} stylesheet and image files; open {index} in a browser", others)
               .format(n=others, index=output / "html" / "index.html"))


@user_errors
def schemas(sources: tuple[Path, ...]) -> None:
    from . import pipeline

    for source in sources or (Path("source"),):
        paths, written = pipeline.schemas(source)
        done = {p.resolve() for p in written}
        for path in paths:
            click.echo(_written(path, path.resolve() in done))


@user_errors
def preview_live(source: Path, year: int, output: Path, host: str, port: int, open_browser: bool,
                 peildatum: dt.datetime | None) -> None:
    from . import pipeline

    pipeline.preview_live(source, year, output, host, port, peildatum.date() if peildatum else None, open_browser)


@user_errors
def diff(rev_a: str, rev_b: str | None, source: Path, year: int, output: Path, to_year: int | None) -> None:
    from . import pipeline
    from .review.diff import VersionInvalid, terminal_report

    try:
        result, written = pipeline.diff(rev_a, rev_b, source, year, output, to_year)
    except VersionInvalid as exc:
        click.secho(_("The source in version '{label}' has errors, so it cannot be compared:").format(label=exc.label),
                    fg="red", err=True)
        raise
    click.echo(terminal_report(result, written, colour=sys.stdout.isatty()), nl=False)


@user_errors
def nieuw_jaar(van: int, naar: int, source: Path) -> None:
    from . import pipeline

    result = pipeline.new_year(source, van, naar)
    click.echo(_("Created {target} from {origin} (a concept: no adoption date, version 0.1).").format(
        target=result.target, origin=source / str(van)))
    n = len(result.carried)
    if result.status_from:
        line = ngettext("Carried over (the statuses in {file}): {n} action, with its ID and {marker}.",
                        "Carried over (the statuses in {file}): {n} actions, each with its ID and {marker}.", n)
    else:
        line = ngettext("Carried over (no report of {year}: all actions): {n} action, with its ID and {marker}.",
                        "Carried over (no report of {year}: all actions): {n} actions, each with its ID and "
                        "{marker}.", n)
    click.echo(line.format(file=result.status_from, year=van, n=n, marker=f"'carried_over: {{year: {van}}}'"))
    if result.postponed:
        click.echo("  " + _("doorgeschoven uit {year} (marked so in the {new} agenda): {ids}").format(
            year=van, new=naar, ids=", ".join(result.postponed)))
    n = len(result.left_behind)
    click.echo(ngettext("Left behind: {n} action.", "Left behind: {n} actions.", n).format(n=n))
    for status in ("afgerond", "vervallen"):
        ids = [a for a, s in result.left_behind if s == status]
        if ids:
            click.echo(f"  {status}: " + ", ".join(ids))
    for section in result.emptied_sections:
        click.echo("  " + _("section without actions now: {section}").format(section=section))
    if result.figures:
        click.echo(ngettext("Kerncijfers and indicators: {n} value of {year} as 'vorig_jaar' in {file}.",
                            "Kerncijfers and indicators: {n} values of {year} as 'vorig_jaar' in {file}.",
                            result.figures).format(n=result.figures, year=van,
                                                   file=result.target / "jaarverslag.yaml"))
    click.echo(_("Begroting: the window is shifted one year; published totals (gepubliceerd.csv) are cleared."))
    click.echo(_("To do for the editors:"))
    for item in result.to_review:
        click.echo(f"  - {item}")


@user_errors
def partners(partner: str | None, source: Path, year: int) -> None:
    from . import pipeline
    from .errors import did_you_mean

    entries = pipeline.partner_actions(source, year)
    if partner:
        ids = [str(e["id"]) for e in entries]
        if partner not in ids:
            raise UserError(_("unknown partner '{partner}' ({hint})").format(
                partner=partner, hint=did_you_mean(partner, ids) or _("see source/partners.yaml")))
        entries = [e for e in entries if e["id"] == partner]
    for entry in entries:
        actions = list(entry["actions"])  # type: ignore[call-overload]
        click.echo(ngettext("{name} [{id}, {kind}]: {n} action", "{name} [{id}, {kind}]: {n} actions",
                            len(actions)).format(name=entry["name"], id=entry["id"], kind=entry["kind"],
                                                 n=len(actions)))
        if actions:
            click.echo("  " + ", ".join(actions))




@user_errors
def uitvraag_maak(peildatum: dt.datetime, source: Path, year: int, output: Path) -> None:
    from . import pipeline

    sent = pipeline.uitvraag_maak(source, year, peildatum.date(), output)
    if sent.previous:
        click.echo(_("With the status of the previous peildatum {date}.").format(date=sent.previous.isoformat()))
    for name, ids in sent.workbooks.items():
        click.echo(ngettext("{file}: {n} action", "{file}: {n} actions", len(ids)).format(
            file=sent.folder / name, n=len(ids)))
    click.echo(_("{file}: who got which actions").format(file=sent.folder / "overzicht.xlsx"))
    if sent.not_asked:
        click.secho(_("Asked of no partner, because only groups are named with them ({n}): {items}; see "
                      "overzicht.xlsx").format(n=len(sent.not_asked), items=", ".join(sent.not_asked)), fg="yellow")
    click.echo(ngettext("{n} workbook in {folder} ({written} written, {unchanged} unchanged)",
                        "{n} workbooks in {folder} ({written} written, {unchanged} unchanged)",
                        len(sent.workbooks)).format(n=len(sent.workbooks), folder=sent.folder,
                                                    written=len(sent.written),
                                                    unchanged=len(sent.workbooks) + 1 - len(sent.written)))


@user_errors
def uitvraag_verwerk(files: tuple[Path, ...], peildatum: dt.datetime, source: Path, year: int, overwrite: bool,
                     dry_run: bool) -> None:
    from . import pipeline

    done = pipeline.uitvraag_verwerk(source, year, peildatum.date(), list(files), overwrite, dry_run)
    merged = done.merged
    if done.problems.items:
        _print_problems(done.problems)
    click.echo(ngettext("Read {n} workbook: {names}", "Read {n} workbooks: {names}", len(done.workbooks))
               .format(n=len(done.workbooks), names=", ".join(done.workbooks)))

    def show(entry: dict[str, object]) -> str:
        return ", ".join(f"{k}: {v}" for k, v in entry.items())

    def listed(message: str, items: list[str]) -> str:
        return _(message).format(n=len(items), items=", ".join(items))

    if merged.added:
        click.echo(listed(N_("Added ({n}): {items}"), merged.added))
    for action_id, old, new in merged.replaced:
        click.echo(_("Replaced {id}: {old}").format(id=action_id, old=show(old)) + f"\n      -> {show(new)}")
    if merged.edited:
        click.echo(listed(N_("Kept as edited in the file since the last import; the partners' answer did not change "
                             "({n}): {items}"), merged.edited))
    for action_id, old, new in merged.both_changed:
        click.secho(_("Changed both by the partner and in {file} since the last import, {id} is kept as it is in the "
                      "file; the partner's new answer is written above it. Decide, and edit the entry if the new "
                      "answer is right:").format(id=action_id, file=done.target.name), fg="yellow")
        click.echo(f"  {show(old)}\n      " + _("partner's new answer: {new}").format(new=show(new)))
    if merged.kept:
        click.secho(_("Not overwritten ({n}), already in {file}; run again with --overwrite to replace them:")
                    .format(n=len(merged.kept), file=done.target.name), fg="yellow")
        for action_id, old, new in merged.kept:
            click.echo(f"  {action_id}: {show(old)}\n      " + _("would become: {new}").format(new=show(new)))
    if merged.unchanged:
        click.echo(listed(N_("Unchanged ({n}): {items}"), merged.unchanged))
    for conflict in merged.conflicts:
        click.secho(_("Conflict {id}: {partner} is named first and is taken ({answer}); decide and edit {file} if "
                      "another answer is right:").format(id=conflict.action_id, partner=conflict.chosen.partner,
                                                         answer=conflict.chosen.describe(), file=done.target.name),
                    fg="yellow")
        for other in conflict.others:
            click.echo(f"  {other.partner} ({other.workbook}): {other.describe()}")
    if merged.beside:
        click.echo(listed(N_("Another toelichting under the same status, kept as a comment above the entry ({n}): "
                             "{items}"), merged.beside))
    if merged.proposed:
        click.secho(listed(N_("Voorstel to the stuurgroep, not yet decided ({n}): {items}. The report shows them as "
                              "'vraagt aandacht' with the voorstel; after the meeting, record the decision under "
                              "each 'voorstel:' as 'besluit: {{datum: YYYY-MM-DD, referentie: ..., uitkomst: "
                              "akkoord}}' (or 'niet akkoord')."), merged.proposed), fg="yellow")
    if merged.dropped_besluit:
        click.secho(listed(N_("The stuurgroep's besluit no longer fits the new answer and was left out: {items} "
                              "(see 'Replaced' above; put it back if it still applies)"), merged.dropped_besluit),
                    fg="yellow")
    if done.empty:
        click.secho(listed(N_("Returned without a single answer: {items}"), done.empty), fg="yellow")
    if done.not_answered:
        click.echo(listed(N_("No workbook returned by ({n}): {items}"), done.not_answered))
    if merged.not_reported:
        click.echo(listed(N_("Not reported, shown as 'nog niet gerapporteerd' ({n}): {items}"), merged.not_reported))
    if dry_run:
        click.echo(_("Dry run: {file} was not written.").format(file=done.target))
    else:
        click.echo(_written(done.target, done.written))


@user_errors
def financien_importeer(export: Path, peildatum: dt.datetime, source: Path, year: int, naar: str, overwrite: bool,
                        dry_run: bool, code_kolom: str | None, bedrag_kolom: str | None, decimaal: str | None) -> None:
    from . import pipeline

    done = pipeline.financien_importeer(source, year, export, peildatum.date(), naar, overwrite, code_kolom,
                                        bedrag_kolom, dry_run, {"komma": ",", "punt": "."}.get(decimaal or ""))
    if done.problems.items:
        _print_problems(done.problems)
    imp = done.imported
    click.echo(_("Read {rows} ({subtotals}, {ignored}); {lines}.").format(
        rows=ngettext("{n} ledger row", "{n} ledger rows", imp.rows_read).format(n=imp.rows_read),
        subtotals=ngettext("{n} subtotal row skipped", "{n} subtotal rows skipped",
                           imp.subtotals_skipped).format(n=imp.subtotals_skipped),
        ignored=_("{n} mapped to 'negeren'").format(n=imp.ignored),
        lines=ngettext("{n} budget line with a realisation", "{n} budget lines with a realisation",
                       len(imp.totals)).format(n=len(imp.totals))))
    if imp.without_realisation:
        click.echo(_("No realisation in the export for ({n}): {items} (their rows in the file are left as they are)")
                   .format(n=len(imp.without_realisation), items=", ".join(imp.without_realisation)))
    for regel, old, new in done.changes:
        click.echo(f"  {regel}: {old or _('(empty)')} -> {new}")
    if not done.changes:
        click.echo(_written(done.target, False))
    elif done.held_back:
        click.secho(_("{file} already holds other amounts; nothing written. Run again with --overwrite to replace "
                      "them.").format(file=done.target), fg="yellow")
    elif dry_run:
        click.echo(_("Dry run: {file} was not written.").format(file=done.target))
    else:
        click.echo(_written(done.target))
        if naar == "voortgang" and not done.target.with_suffix(".yaml").exists():
            click.secho(_("{file} does not exist yet; the build needs it beside the CSV (make verwerk-uitvraag "
                          "writes it).").format(file=done.target.with_suffix(".yaml").name), fg="yellow")


@user_errors
def overnemen(documents: tuple[Path, ...], source: Path, year: int, dry_run: bool, report: Path) -> None:
    from . import pipeline

    result = pipeline.overnemen(documents, source, year, report, dry_run)
    for doc in result.documents:
        applied, comments = len(doc.applied), len(doc.comments)
        click.echo(_("{document}: {applied}, {missed} not taken over, {comments}").format(
            document=doc.document, missed=len(doc.not_applied),
            applied=ngettext("{n} change taken over", "{n} changes taken over", applied).format(n=applied),
            comments=ngettext("{n} comment", "{n} comments", comments).format(n=comments)))
        for item in doc.applied:
            if item.also:  # the rebuilt document differs from the reviewed one there: said, never silent
                click.echo("  " + _("taken over for every place it is printed: {place}: the reviewer changed it in "
                                    "place {changed} of {n}; the rebuilt document also changes in place {others}")
                           .format(place=item.field.place, changed=", ".join(map(str, item.changed_in)),
                                   n=item.printed, others=", ".join(map(str, item.also))))
        for miss in doc.not_applied:
            click.echo("  " + _("not taken over: {place}: {reason}").format(place=miss.place, reason=miss.reason))
    if result.source_diff:
        click.echo(result.source_diff, nl=False)
    if dry_run:
        click.echo(_("dry run: the source was not changed") if result.source_diff else _("dry run: nothing to change"))
    else:
        for path in result.changed_files:
            click.echo(_written(path))
    for path in result.reports:
        click.echo(_("{path} (review report)").format(path=path))


# --- the commands, their help in the language chosen --------------------------------------------------

def make_cli() -> click.Group:
    """Every command with its options and help, in the language set now (`main` sets it first)."""
    options = _("[OPTIONS]")

    def command(name: str, callback: Callable[..., Any], params: list[click.Parameter], help: str,
                short_help: str | None = None) -> click.Command:
        return click.Command(name, callback=callback, params=params, help=help, short_help=short_help,
                             options_metavar=options)

    def group(name: str | None, commands: list[click.Command], help: str, short_help: str | None = None,
              **attrs: Any) -> click.Group:
        return click.Group(name, commands, help=help, short_help=short_help, options_metavar=options,
                           subcommand_metavar=_("COMMAND [ARGS]..."), **attrs)

    def argument(name: str, shown: str, required: bool = False, many: bool = False, **attrs: Any) -> click.Argument:
        # Marked as click marks an argument it names itself: [NAME] when optional, NAME... when repeatable.
        metavar = (shown if required else f"[{shown}]") + ("..." if many else "")
        return click.Argument([name], required=required, nargs=-1 if many else 1, metavar=metavar, **attrs)

    def folder(name: str, default: Path | None, help: str) -> click.Option:
        return click.Option([name], type=click.Path(path_type=Path), default=default,
                            show_default=default is not None, metavar=_("FOLDER"), help=help)

    def flag(name: str, help: str) -> click.Option:
        return click.Option([name], is_flag=True, help=help)

    def source() -> click.Option:
        return folder("--source", Path("source"), _("Folder with the source data."))

    def year() -> click.Option:
        return click.Option(["--year"], type=Year(), default=None, callback=_newest_year, metavar=_("YEAR"),
                            help=_("Year of the agenda (default: the newest year folder in the source folder)."))

    def strict() -> click.Option:
        return flag("--strict", _("Treat warnings as errors."))

    def peildatum() -> click.Option:
        return click.Option(["--peildatum"], type=Date(), default=None, metavar=_("DATE"),
                            help=_("Peildatum of the voortgangsrapportage, YYYY-MM-DD (default: the latest file in "
                                   "<year>/voortgang/)."))

    def peildatum_required() -> click.Option:
        return click.Option(["--peildatum"], type=Date(), required=True, metavar=_("DATE"),
                            help=_("Peildatum of the uitvraag, YYYY-MM-DD (e.g. 2026-06-30)."))

    def templates() -> click.Option:
        return folder("--templates", None, _("Folder with the Word templates (default: templates/ of this project)."))

    def documents() -> click.Argument:
        return argument("documents", _("DOCUMENTS"), many=True)

    def output(help: str, default: Path = Path("output")) -> click.Option:
        return folder("--output", default, help)

    def built() -> click.Option:
        return output(_("Folder with the built .docx documents."))

    def dry_run(help: str) -> click.Option:
        return flag("--dry-run", help)

    uitvraag = group("uitvraag", [
        command("maak", uitvraag_maak, [
            peildatum_required(), source(), year(),
            output(_("Folder of the workbooks: they go to its subfolder uitvraag/<peildatum>/."))],
            help=_("Write one Excel workbook per partner with the actions it is involved in, and an overview."),
            short_help=_("One Excel workbook per partner, and an overview.")),
        command("verwerk", uitvraag_verwerk, [
            argument("files", _("FILES"), many=True, type=click.Path(path_type=Path)),
            peildatum_required(), source(), year(),
            flag("--overwrite", _("Replace entries already in the voortgang file (shown otherwise).")),
            dry_run(_("Show what would change; write nothing."))],
            help=_("Merge the returned workbooks FILES (default: those in <source>/<year>/uitvraag/<peildatum>/) "
                   "into the voortgang."),
            short_help=_("Take the returned workbooks into the voortgang.")),
    ], help=_("The uitvraag: progress workbooks to partners (maak) and their answers back into the source "
              "(verwerk)."), short_help=_("Workbooks to the partners, and their answers back."))

    financien = group("financien", [
        command("importeer", financien_importeer, [
            argument("export", _("EXPORT"), required=True, type=click.Path(path_type=Path)),
            peildatum_required(), source(), year(),
            click.Option(["--naar"], type=click.Choice(["voortgang", "realisatie"]), default="voortgang",
                         show_default=True, help=_("voortgang: tot_peildatum in voortgang/<peildatum>.csv; "
                                                   "realisatie: financien/realisatie.csv.")),
            flag("--overwrite", _("Replace amounts already in the file (shown otherwise).")),
            dry_run(_("Show what would change; write nothing.")),
            click.Option(["--code-kolom"], default=None, metavar=_("COLUMN"),
                         help=_("Column with the ledger code (default: grootboek, rekening, ...).")),
            click.Option(["--bedrag-kolom"], default=None, metavar=_("COLUMN"),
                         help=_("Column with the amount (default: bedrag, saldo, ...; or debet and credit).")),
            click.Option(["--decimaal"], type=click.Choice(["komma", "punt"]), default=None,
                         help=_("How the export writes amounts, when they cannot tell by themselves: komma "
                                "(1.234,56) or punt (1,234.56)."))],
            help=_("Sum EXPORT (xlsx or csv of the administration) per budget line via financien/grootboek.csv."),
            short_help=_("Sum an export of the administration per budget line.")),
    ], help=_("The realisation from the financial administration."))

    return group(None, [
        command("check", check, [
            source(), year(), strict(), templates(), peildatum(),
            flag("--watch", _("Check again after every save in the source or the templates, until Ctrl-C."))],
            help=_("Validate the source data and templates without writing documents."),
            short_help=_("Check the source data and templates; write nothing.")),
        command("build", build, [
            documents(), source(), year(), output(_("Folder the documents are written to.")),
            strict(), templates(), peildatum()],
            help=_("Build DOCUMENTS (agenda, voortgang, jaarverslag; default: all three)."),
            short_help=_("Build the Word documents (all three, or those named).")),
        command("pdf", pdf, [documents(), year(), built()],
                help=_("Convert the built DOCUMENTS (default: all) to tagged PDF with LibreOffice, in the "
                       "subfolder pdf/ of --output."),
                short_help=_("Convert the documents to accessible PDF.")),
        command("preview", preview, [
            documents(), year(), built(),
            click.Option(["--pages"], type=WholeNumber(1, 50), default=3, show_default=True, metavar=_("NUMBER"),
                         help=_("Pages per document (1 to 50)."))],
            help=_("PNG images of the first pages of the PDF of DOCUMENTS (default: all), in the subfolder "
                   "preview/ of --output."),
            short_help=_("PNG images of the first pages of each PDF.")),
        command("html", html, [
            source(), year(), output(_("Folder the site is written to, in its subfolder html/.")),
            strict(), peildatum()],
            help=_("Write the website edition (static, accessible HTML) of all three documents, in the "
                   "subfolder html/ of --output."),
            short_help=_("Write the website edition (accessible HTML).")),
        command("preview-live", preview_live, [
            source(), year(), output(_("Folder whose html/ subfolder is served and rebuilt.")),
            click.Option(["--host"], default="127.0.0.1", show_default=True, metavar=_("ADDRESS"),
                         help=_("Address to serve on (this computer only).")),
            click.Option(["--port"], type=WholeNumber(0, 65535), default=8000, show_default=True,
                         metavar=_("NUMBER"), help=_("Port to serve on (0 to 65535).")),
            click.Option(["--open", "open_browser"], is_flag=True, help=_("Open the site in your web browser.")),
            peildatum()],
            help=_("Serve the website edition and rebuild it on every save in the source or templates "
                   "(Ctrl-C stops)."),
            short_help=_("Show the website edition, rebuilt on every save.")),
        command("diff", diff, [
            argument("rev_a", _("REV_A"), default="HEAD"), argument("rev_b", _("REV_B")), source(), year(),
            output(_("Folder the change summary, text diffs and redlines are written to."), Path("output") / "diff"),
            click.Option(["--to-year"], type=int, default=None, metavar=_("YEAR"),
                         help=_("Compare the agenda of --year with the agenda of this year (both in your working "
                                "tree)."))],
            help=_("Show what changed between two versions: REV_A (default HEAD, the last commit) and REV_B "
                   "(default: your working tree)."),
            short_help=_("Show what changed between two versions.")),
        command("schemas", schemas, [argument("sources", _("FOLDERS"), many=True, type=click.Path(path_type=Path))],
                help=_("Write the JSON Schemas of the source's YAML files (completion, help and red underlines "
                       "while typing, in VS Code and any editor with the YAML language server), into the folder "
                       "schemas/ beside each source folder (source/ -> schemas/)."),
                short_help=_("Write the schemas for help while typing YAML.")),
        command("nieuw-jaar", nieuw_jaar, [
            click.Option(["--van", "van"], type=int, required=True, metavar=_("YEAR"),
                         help=_("The year to start from, e.g. 2026.")),
            click.Option(["--naar", "naar"], type=int, required=True, metavar=_("YEAR"),
                         help=_("The new year, e.g. 2027.")),
            source()],
            help=_("Create the source of the year --naar from that of the year --van: the actions that go on, the "
                   "budget window shifted, a concept."),
            short_help=_("Create the source of a new year from the last one.")),
        command("partners", partners, [argument("partner", _("PARTNER")), source(), year()],
                help=_("List the actions per partner (or of one PARTNER id)."),
                short_help=_("List the actions per partner.")),
        uitvraag,
        financien,
        command("overnemen", overnemen, [
            argument("documents", _("DOCUMENTS"), required=True, many=True, type=click.Path(path_type=Path)),
            source(), year(),
            dry_run(_("Show the changes to the source; write nothing to the source.")),
            folder("--report", Path("output") / "diff", _("Folder the review report (Markdown and HTML) is "
                                                          "written to."))],
            help=_("Take the tracked changes of reviewed DOCUMENTS (.docx) into the source; list the rest and every "
                   "comment."),
            short_help=_("Take reviewers' tracked changes into the source.")),
    ], help=_("Build the RIEC planning and accountability documents from the source data."), callback=_group,
        params=[flag("--debug", _("Show Python tracebacks (for developers).")),
                click.Option(["--lang"], type=click.Choice(LANGUAGES), default=None,
                             help=_("Language of the messages and of this help: nl (the default) or en. Without it: "
                                    "$RIEC_LANG, else English under an English locale (LANG=en_...), else Dutch."))])
