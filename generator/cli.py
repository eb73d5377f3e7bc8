"""Command line: `python -m generator build|check ...`. Thin over `pipeline`."""

from __future__ import annotations

import datetime as dt
import gc
import inspect
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import Problems, UserError, ValidationFailed
from .i18n import LANGUAGES, N_, _, ngettext, set_language

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_YEAR = 2026


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
    n_err, n_warn, n_note = len(problems.errors), len(problems.warnings), len(problems.notes)
    counts = [ngettext("{n} error", "{n} errors", n_err).format(n=n_err),
              ngettext("{n} warning", "{n} warnings", n_warn).format(n=n_warn)]
    if n_note:
        counts.append(ngettext("{n} note", "{n} notes", n_note).format(n=n_note))
    click.secho(", ".join(counts), fg="red" if n_err else ("yellow" if n_warn else "green"), err=True)


def user_errors(func: F) -> F:
    """Print a user's mistake plainly and exit 1; a bug exits 2; a traceback only with --debug."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = ctx.find_root().params.get("debug", False)
        after = _("Nothing was written.") if ctx.info_name in ("build", "html") else ""
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
            click.secho(_("Error: {message}").format(message=exc), fg="red", err=True)
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
            click.secho(_("Internal error (a bug in the generator, not a mistake in your files): {error}")
                        .format(error=f"{type(exc).__name__}: {exc}"), fg="red", err=True)
            click.secho(_("Please report it, with the output of the same command run with --debug "
                          "(python -m generator --debug ...)."), err=True)
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


def _lang_option(args: list[str]) -> str | None:
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


class ExtraArguments(click.UsageError):
    """More arguments than the command takes (click's own error says it in English only)."""

    def __init__(self, extra: list[str], ctx: click.Context) -> None:
        super().__init__(f"unexpected extra arguments: {' '.join(extra)}", ctx)
        self.extra = extra


def _usage_message(exc: click.UsageError) -> str:
    """A wrong command, option or option value, in the user's language (in English as click says it)."""
    if isinstance(exc, click.NoSuchOption | click.NoSuchCommand):
        if isinstance(exc, click.NoSuchOption):
            message = _("No such option '{option}'.").format(option=exc.option_name)
        else:
            message = _("No such command '{command}'.").format(command=exc.command_name)
        if exc.possibilities:
            choices = ", ".join(f"'{c}'" for c in sorted(exc.possibilities))
            message += " " + _("Did you mean {choices}?").format(choices=choices)
        return message
    if isinstance(exc, ExtraArguments):
        return ngettext("Unexpected extra argument: {arguments}", "Unexpected extra arguments: {arguments}",
                        len(exc.extra)).format(arguments=" ".join(exc.extra))
    if not isinstance(exc, click.BadParameter):
        return exc.message
    hint = exc.param.get_error_hint(exc.ctx) if exc.param is not None and exc.ctx is not None else ""
    if isinstance(exc, click.MissingParameter):
        if isinstance(exc.param, click.Argument):
            return _("Missing argument {argument}.").format(argument=hint)
        return _("Missing option {option}.").format(option=hint)
    return _("Invalid value for {option}: {message}").format(option=hint, message=exc.message)


# --- help in the user's language -------------------------------------------------------------------
# Click keeps a command's help as it was given when the command was defined, before the language is
# known, and a preloaded process (generator/preload.py) formats help for many runs in different
# languages. So every help text below is only marked (N_) and these classes translate it, and click's
# own words (which click takes from Python's gettext, in English), when the help is formatted.
_HELP_OPTION = N_("Show this message and exit.")
# The metavars click gives every command and group in the usage line, translated there.
_CLICK_METAVARS = (N_("[OPTIONS]"), N_("COMMAND [ARGS]..."))


class Option(click.Option):
    """An option whose metavar (e.g. FOLDER) is translated when the help is shown (its help text: below)."""

    def make_metavar(self, ctx: click.Context) -> str:
        return _(self.metavar) if self.metavar is not None else super().make_metavar(ctx)


class Argument(click.Argument):
    """An argument whose metavar is its name, translated wherever click shows it (DOCUMENTS: [DOCUMENTEN]...)."""

    def make_metavar(self, ctx: click.Context) -> str:
        if self.metavar is None:
            return super().make_metavar(ctx)
        # Marked as optional and repeatable as click does for a name without a metavar.
        name = _(self.metavar)
        if not self.required:
            name = f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")


def _range(param: click.Option) -> str | None:
    """'1 to 50' for a closed range of whole numbers (click writes 1<=x<=50); None for another range."""
    kind = param.type
    if (isinstance(kind, click.IntRange) and kind.min is not None and kind.max is not None
            and not kind.min_open and not kind.max_open):
        return _("{min} to {max}").format(min=kind.min, max=kind.max)
    return None


def _option_row(param: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    """An option's line in the help: its spelling and its help text with click's notes, translated."""
    if param.hidden:
        return None
    text = _(param.help) if param.help else ""
    extra = param.get_help_extra(ctx)
    notes = []
    if "envvars" in extra:
        notes.append(_("environment variable: {var}").format(var=", ".join(extra["envvars"])))
    if "default" in extra:
        notes.append(_("default: {default}").format(default=extra["default"]))
    if "range" in extra:
        notes.append(_range(param) or extra["range"])
    if "required" in extra:
        notes.append(_("required"))
    if notes:
        text = f"{text}  [{'; '.join(notes)}]" if text else f"[{'; '.join(notes)}]"
    return param.get_help_spec(ctx), text


class _TranslatedHelp(click.Command):
    """What every command and group shares: its help, short help, epilog and click's words translated."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _HELP_OPTION  # the message ID: click gave it through Python's gettext, maybe translated
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help:
            return _(inspect.cleandoc(self.short_help)).strip()
        # Click's own shortening (the first sentence, or cut at `limit`), of the translated text.
        return click.utils._make_default_short_help(_(self.help), limit) if self.help else ""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=_("Usage:") + " ")

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = [_(self.options_metavar)] if self.options_metavar else []
        for param in self.get_params(ctx):
            pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = _(inspect.cleandoc(self.help)).partition("\f")[0] if self.help else ""
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_arguments(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        arguments = [p for p in self.get_params(ctx) if isinstance(p, click.Argument)]
        if any(a.help is not None for a in arguments):
            with formatter.section(_("Positional arguments")):
                formatter.write_dl([(a.make_metavar(ctx), _(a.help) if a.help else "") for a in arguments])

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [row for p in self.get_params(ctx) if isinstance(p, click.Option) and (row := _option_row(p, ctx))]
        if rows:
            with formatter.section(_("Options")):
                formatter.write_dl(rows)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.epilog:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(_(inspect.cleandoc(self.epilog)))


class Command(_TranslatedHelp):
    """A command of the generator, its help in the user's language."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Click would fail on extra arguments in English; let it parse them, then say so in ours.
        strict, ctx.allow_extra_args = not ctx.allow_extra_args, True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = not strict
        if strict and rest and not ctx.resilient_parsing:
            raise ExtraArguments([str(a) for a in rest], ctx)
        return rest


class Group(_TranslatedHelp, click.Group):
    """A group of commands (uitvraag, financien), its help and list of commands in the user's language."""

    command_class = Command
    group_class: type[click.Group | type] | None = type  # a subgroup of a Group is a Group

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [*super().collect_usage_pieces(ctx), _(self.subcommand_metavar)]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = [(name, cmd) for name in self.list_commands(ctx)
                    if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _cmd in commands)
            with formatter.section(_("Commands")):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])


def option(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """`click.option` with the help and metavar translated when shown."""
    return click.option(*decls, cls=Option, **attrs)


def argument(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """`click.argument` with the metavar translated when shown."""
    return click.argument(*decls, cls=Argument, **attrs)


class Main(Group):
    """The command group; a mistake in the options exits 1 like every other user mistake (2 is for bugs)."""

    group_class = Group

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # The group's --help (and its help without arguments) is shown while its options are parsed,
        # before main() below sets the language: take --lang from the arguments first.
        set_language(_lang_option(args))
        return super().parse_args(ctx, args)

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except (click.BadParameter, click.NoSuchOption) as exc:
            # Click's own wording is English; say the mistakes users make most in their language.
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


source_option = option("--source", type=click.Path(path_type=Path), default=Path("source"), show_default=True,
                        metavar=N_("FOLDER"), help=N_("Folder with the source data."))
year_option = option("--year", type=Year(), default=DEFAULT_YEAR, show_default=True, metavar=N_("YEAR"),
                     help=N_("Year of the agenda."))
strict_option = option("--strict", is_flag=True, help=N_("Treat warnings as errors."))
peildatum_option = option("--peildatum", type=Date(), default=None, metavar=N_("DATE"),
                          help=N_("Peildatum of the voortgangsrapportage, YYYY-MM-DD (default: the latest file in "
                                  "<year>/voortgang/)."))
templates_option = option("--templates", type=click.Path(path_type=Path), default=None, metavar=N_("FOLDER"),
                          help=N_("Folder with the Word templates (default: templates/ of this project)."))


@click.group(cls=Main, help=N_("Build the RIEC planning and accountability documents from the source data."))
@option("--debug", is_flag=True, help=N_("Show Python tracebacks (for developers)."))
@option("--lang", type=click.Choice(LANGUAGES), default=None,
        help=N_("Language of the messages and of this help: nl (the default) or en. Without it: $RIEC_LANG, else "
                "English under an English locale (LANG=en_...), else Dutch."))
@click.pass_context
def main(ctx: click.Context, debug: bool, lang: str | None) -> None:
    """The group: set the language and the garbage collector before any command runs."""
    set_language(lang)
    # A build makes many small objects that all live until it ends; Python's default garbage
    # collector thresholds then rescan them over and over (a fifth of the time at 100x the
    # actions). Collect far less often, as mypy does; memory stays bounded.
    gc.set_threshold(200_000, 30, 30)
    ctx.obj = {"debug": debug}


@main.command(short_help=N_("Check the source data and templates; write nothing."),
              help=N_("Validate the source data and templates without writing documents."))
@source_option
@year_option
@strict_option
@templates_option
@peildatum_option
@user_errors
def check(source: Path, year: int, strict: bool, templates: Path | None, peildatum: dt.datetime | None) -> None:
    from . import pipeline

    validated = pipeline.check(source, year, strict=strict, templates=templates or pipeline.TEMPLATES_DIR,
                               peildatum=peildatum.date() if peildatum else None)
    _print_problems(validated.problems)


@main.command(short_help=N_("Build the Word documents (all three, or those named)."),
              help=N_("Build DOCUMENTS (agenda, voortgang, jaarverslag; default: all three)."))
@argument("documents", nargs=-1, metavar=N_("DOCUMENTS"))
@source_option
@year_option
@option("--output", type=click.Path(path_type=Path), default=Path("output"), show_default=True, metavar=N_("FOLDER"),
        help=N_("Folder the documents are written to."))
@strict_option
@templates_option
@peildatum_option
@user_errors
def build(documents: tuple[str, ...], source: Path, year: int, output: Path, strict: bool,
          templates: Path | None, peildatum: dt.datetime | None) -> None:
    from .staleness import TEMPLATES_DIR, document_path, inputs_key, record_build, up_to_date

    kinds = _kinds(documents)
    day = peildatum.date() if peildatum else None
    templates = templates or TEMPLATES_DIR
    paths = [document_path(kind, year, output) for kind in kinds]
    # The generator, not make, decides what is stale (make cannot see a deleted chapter file, a file
    # restored with an old time stamp, or another PEILDATUM). Asked before the pipeline is imported:
    # with nothing changed, that import is most of the time.
    key = inputs_key(source, year, output, kinds, templates, strict, day)
    if up_to_date(key, paths):
        for path in paths:
            click.echo(_("{path} (up to date)").format(path=path))
        return
    from . import pipeline

    result = pipeline.build(source, year, output, kinds, templates, strict, day)
    record_build(key, result.documents)
    if result.validated.problems.items:
        _print_problems(result.validated.problems)
    for name in result.documents:
        path = output / name
        click.echo(_written(path, path.resolve() in result.written))


def _kinds(documents: tuple[str, ...]) -> list[str]:
    from .staleness import DOCUMENT_FILES

    kinds = list(documents) or list(DOCUMENT_FILES)
    unknown = [d for d in kinds if d not in DOCUMENT_FILES]
    if unknown:
        raise UserError(_("unknown document '{name}'; choose from: {choices}").format(
            name=unknown[0], choices=", ".join(DOCUMENT_FILES)))
    return kinds


def _written(path: Path, written: bool = True) -> str:
    """`path (written)` or `path (unchanged)`, the line every command prints per file."""
    return (_("{path} (written)") if written else _("{path} (unchanged)")).format(path=path)


output_option = option("--output", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
                        metavar=N_("FOLDER"), help=N_("Folder with the built .docx documents."))


@main.command(short_help=N_("Convert the documents to accessible PDF."),
              help=N_("Convert the built DOCUMENTS (default: all) to tagged PDF with LibreOffice, in the subfolder "
                      "pdf/ of --output."))
@argument("documents", nargs=-1, metavar=N_("DOCUMENTS"))
@year_option
@output_option
@click.pass_context
@user_errors
def pdf(ctx: click.Context, documents: tuple[str, ...], year: int, output: Path) -> None:
    from . import pipeline

    written = pipeline.pdf(_kinds(documents), year, output, debug=ctx.obj.get("debug", False))
    for path in written:
        click.echo(_written(path))
    if not written:
        click.echo(_("{folder}: every PDF is up to date").format(folder=output / "pdf"))


@main.command(short_help=N_("PNG images of the first pages of each PDF."),
              help=N_("PNG images of the first pages of the PDF of DOCUMENTS (default: all), in the subfolder "
                      "preview/ of --output."))
@argument("documents", nargs=-1, metavar=N_("DOCUMENTS"))
@year_option
@output_option
@option("--pages", type=click.IntRange(1, 50), default=3, show_default=True, metavar=N_("NUMBER"),
        help=N_("Pages per document."))
@user_errors
def preview(documents: tuple[str, ...], year: int, output: Path, pages: int) -> None:
    from . import pipeline

    for image in pipeline.preview(_kinds(documents), year, output, pages):
        click.echo(str(image))


@main.command(short_help=N_("Write the website edition (accessible HTML)."),
              help=N_("Write the website edition (static, accessible HTML) of all three documents, in the "
                      "subfolder html/ of --output."))
@source_option
@year_option
@option("--output", type=click.Path(path_type=Path), default=Path("output"), show_default=True, metavar=N_("FOLDER"),
        help=N_("Folder the site is written to, in its subfolder html/."))
@strict_option
@peildatum_option
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


@main.command(short_help=N_("Write the schemas for help while typing YAML."),
              help=N_("Write the JSON Schemas of the source's YAML files (completion, help and red underlines "
                      "while typing, in VS Code and any editor with the YAML language server), into the folder "
                      "schemas/ beside each source folder (source/ -> schemas/)."))
@argument("sources", nargs=-1, type=click.Path(path_type=Path), metavar=N_("FOLDERS"))
@user_errors
def schemas(sources: tuple[Path, ...]) -> None:
    from . import pipeline

    for source in sources or (Path("source"),):
        paths, written = pipeline.schemas(source)
        done = {p.resolve() for p in written}
        for path in paths:
            click.echo(_written(path, path.resolve() in done))


@main.command(name="preview-live", short_help=N_("Show the website edition, rebuilt on every save."),
              help=N_("Serve the website edition and rebuild it on every save in the source or "
                      "templates (Ctrl-C stops)."))
@source_option
@year_option
@option("--output", type=click.Path(path_type=Path), default=Path("output"), show_default=True, metavar=N_("FOLDER"),
        help=N_("Folder whose html/ subfolder is served and rebuilt."))
@option("--host", default="127.0.0.1", show_default=True, metavar=N_("ADDRESS"),
        help=N_("Address to serve on (this computer only)."))
@option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, metavar=N_("NUMBER"),
        help=N_("Port to serve on."))
@option("--open", "open_browser", is_flag=True, help=N_("Open the site in your web browser."))
@peildatum_option
@user_errors
def preview_live(source: Path, year: int, output: Path, host: str, port: int, open_browser: bool,
                 peildatum: dt.datetime | None) -> None:
    from . import pipeline

    pipeline.preview_live(source, year, output, host, port, peildatum.date() if peildatum else None, open_browser)


@main.command(short_help=N_("Show what changed between two versions."),
              help=N_("Show what changed between two versions: REV_A (default HEAD, the last commit) and REV_B "
                      "(default: your working tree)."))
@argument("rev_a", default="HEAD", required=False, metavar=N_("REV_A"))
@argument("rev_b", required=False, metavar=N_("REV_B"))
@source_option
@year_option
@option("--output", type=click.Path(path_type=Path), default=Path("output") / "diff", show_default=True,
        metavar=N_("FOLDER"), help=N_("Folder the change summary, text diffs and redlines are written to."))
@option("--to-year", type=int, default=None, metavar=N_("YEAR"),
        help=N_("Compare the agenda of --year with the agenda of this year (both in your working tree)."))
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


@main.command("nieuw-jaar", short_help=N_("Create the source of a new year from the last one."),
              help=N_("Create the source of the year --naar from that of the year --van: the actions "
                      "that go on, the budget window shifted, a concept."))
@option("--van", "van", type=int, required=True, metavar=N_("YEAR"), help=N_("The year to start from, e.g. 2026."))
@option("--naar", "naar", type=int, required=True, metavar=N_("YEAR"), help=N_("The new year, e.g. 2027."))
@source_option
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


@main.command(short_help=N_("List the actions per partner."),
              help=N_("List the actions per partner (or of one PARTNER id)."))
@argument("partner", required=False, metavar=N_("PARTNER"))
@source_option
@year_option
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


peildatum_required = option("--peildatum", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
                            metavar=N_("DATE"), help=N_("Peildatum of the uitvraag, YYYY-MM-DD (e.g. 2026-06-30)."))


@main.group(short_help=N_("Workbooks to the partners, and their answers back."),
            help=N_("The uitvraag: progress workbooks to partners (maak) and their answers back into the source "
                    "(verwerk)."))
def uitvraag() -> None:
    """The commands below; the group itself does nothing."""


@uitvraag.command("maak", short_help=N_("One Excel workbook per partner, and an overview."),
                  help=N_("Write one Excel workbook per partner with the actions it is involved in, and an "
                          "overview."))
@peildatum_required
@source_option
@year_option
@option("--output", type=click.Path(path_type=Path), default=Path("output"), show_default=True, metavar=N_("FOLDER"),
        help=N_("Folder of the workbooks: they go to its subfolder uitvraag/<peildatum>/."))
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
    click.echo(ngettext("{n} workbook in {folder} ({written} written, {unchanged} unchanged)",
                        "{n} workbooks in {folder} ({written} written, {unchanged} unchanged)",
                        len(sent.workbooks)).format(n=len(sent.workbooks), folder=sent.folder,
                                                    written=len(sent.written),
                                                    unchanged=len(sent.workbooks) + 1 - len(sent.written)))


@uitvraag.command("verwerk", short_help=N_("Take the returned workbooks into the voortgang."),
                  help=N_("Merge the returned workbooks FILES (default: those in <source>/<year>/uitvraag/"
                          "<peildatum>/) into the voortgang."))
@argument("files", nargs=-1, type=click.Path(path_type=Path), metavar=N_("FILES"))
@peildatum_required
@source_option
@year_option
@option("--overwrite", is_flag=True, help=N_("Replace entries already in the voortgang file (shown otherwise)."))
@option("--dry-run", is_flag=True, help=N_("Show what would change; write nothing."))
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


@main.group(help=N_("The realisation from the financial administration."))
def financien() -> None:
    """The command below; the group itself does nothing."""


@financien.command("importeer", short_help=N_("Sum an export of the administration per budget line."),
                   help=N_("Sum EXPORT (xlsx or csv of the administration) per budget line via "
                           "financien/grootboek.csv."))
@argument("export", type=click.Path(path_type=Path), metavar=N_("EXPORT"))
@peildatum_required
@source_option
@year_option
@option("--naar", type=click.Choice(["voortgang", "realisatie"]), default="voortgang", show_default=True,
        help=N_("voortgang: tot_peildatum in voortgang/<peildatum>.csv; realisatie: financien/realisatie.csv."))
@option("--overwrite", is_flag=True, help=N_("Replace amounts already in the file (shown otherwise)."))
@option("--dry-run", is_flag=True, help=N_("Show what would change; write nothing."))
@option("--code-kolom", default=None, metavar=N_("COLUMN"),
        help=N_("Column with the ledger code (default: grootboek, rekening, ...)."))
@option("--bedrag-kolom", default=None, metavar=N_("COLUMN"),
        help=N_("Column with the amount (default: bedrag, saldo, ...)."))
@user_errors
def financien_importeer(export: Path, peildatum: dt.datetime, source: Path, year: int, naar: str, overwrite: bool,
                        dry_run: bool, code_kolom: str | None, bedrag_kolom: str | None) -> None:
    from . import pipeline

    done = pipeline.financien_importeer(source, year, export, peildatum.date(), naar, overwrite, code_kolom,
                                        bedrag_kolom, dry_run)
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


@main.command(short_help=N_("Take reviewers' tracked changes into the source."),
              help=N_("Take the tracked changes of reviewed DOCUMENTS (.docx) into the source; list the rest and "
                      "every comment."))
@argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path), metavar=N_("DOCUMENTS"))
@source_option
@year_option
@option("--dry-run", is_flag=True, help=N_("Show the changes to the source; write nothing to the source."))
@option("--report", type=click.Path(path_type=Path), default=Path("output") / "diff", show_default=True,
        metavar=N_("FOLDER"), help=N_("Folder the review report (Markdown and HTML) is written to."))
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
