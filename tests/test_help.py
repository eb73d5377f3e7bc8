"""The command line's help (`--help` of the group and of every command) in Dutch by default, English on request.

`generator.cli.main` chooses the language first and then makes the commands (`make_cli`), their help
texts translated as they are made; click's own words (Usage:, Options:, [default: ...]) come through
gettext from the same catalog (generator/i18n.py). The tests walk the whole command tree: in Dutch every
translation is there and no English text of ours or of click's is left; in English it is the other way
round. A real process is asked too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from generator.cli import main, make_cli
from generator.i18n import LOCALE_DIR, set_language
from tests.conftest import ROOT

# No language asked for in any way: the messages and the help are Dutch.
NO_LANGUAGE: dict[str, str | None] = {"RIEC_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
# Click's words in its help (and the names of its types), which must not be left in the Dutch help.
CLICK_WORDS = ["Usage:", "Options:", "Commands:", "Positional arguments", "[OPTIONS]", "COMMAND", "[ARGS]",
               "Show this message and exit.", "[default:", "default:", "required]", "env var", "TEXT", "INTEGER",
               "PATH", "RANGE", "<=x", "%Y"]
# Words that are English only: after the option names, file names and placeholders are taken out, none of
# them may remain in a Dutch help text.
ENGLISH_WORDS = {"the", "and", "with", "from", "to", "for", "show", "write", "written", "default", "folder",
                 "file", "files", "year", "build", "take", "into", "changes", "each", "every", "which", "your"}


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """The group itself and every command and subcommand below it, with the words that call it."""
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


set_language("en")  # the commands as made in English: their texts are the message IDs
COMMANDS = dict(_commands(make_cli()))
PATHS = sorted(COMMANDS)


def _catalog() -> dict[str, str]:
    """The Dutch of every message, from the compiled catalog gettext reads."""
    import gettext

    translation = gettext.translation("messages", LOCALE_DIR, languages=["nl"])
    return dict(translation._catalog)  # type: ignore[attr-defined]


DUTCH = _catalog()


def _ours(command: click.Command) -> list[str]:
    """The English message IDs a command's help shows: its help and short help, each option's help, the metavars
    (an argument's without the marks [NAME]... that say it is optional and repeatable)."""
    texts = [command.help or "", command.short_help or ""]
    for param in command.params:
        texts += [getattr(param, "help", None) or "", (param.metavar or "").strip("[].")]
    if isinstance(command, click.Group):
        texts += [sub.short_help or "" for sub in command.commands.values()]
    return [t for t in texts if t]


def _flat(text: str) -> str:
    """The text with its line breaks and indentation (where the help is wrapped) as single spaces."""
    return " ".join(text.split())


def _help(args: list[str], env: dict[str, str | None] | None = None) -> str:
    """The help, as wide as in a terminal of 80 columns or a process without one (CliRunner would make it 80)."""
    result = CliRunner().invoke(main, args, env=env if env is not None else NO_LANGUAGE,
                                prog_name="python -m generator", terminal_width=78)
    assert result.exit_code == 0, result.output
    return result.stdout


def _english_words(text: str) -> set[str]:
    """The English-only words in a help text, leaving out option names, file names, paths and placeholders,
    and the commands' names (build)."""
    plain = re.sub(r"--[\w-]+|\S*[/.<>$=_]\S*|\[[^]]*\|[^]]*\]", " ", text)
    names = {name for path in PATHS for name in path}
    return {w for w in re.findall(r"[\w-]+", plain) if w.lower() in ENGLISH_WORDS and w not in names}


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "group")
def test_help_is_dutch_by_default(path: tuple[str, ...]) -> None:
    command = COMMANDS[path]
    out = _help([*path, "--help"])
    assert out == _help(["--lang", "nl", *path, "--help"])  # the same as asked for
    flat = _flat(out)
    assert out.startswith(f"Gebruik: python -m generator {' '.join(path)}".rstrip() + " [OPTIES]"), out
    assert "\nOpties:\n" in out
    assert "--help Toont deze hulptekst en stopt." in flat
    assert _flat(DUTCH[command.help or ""]) in flat
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            assert _flat(DUTCH[param.help]) in flat, param.help
    if isinstance(command, click.Group):
        assert "\nOpdrachten:\n" in out
        assert "OPDRACHT [ARGUMENTEN]..." in out.splitlines()[0]
        for name, sub in command.commands.items():
            assert f"  {name} " in out
            assert DUTCH[sub.short_help or sub.help or ""] in out, "the short help is shown whole, not cut off"
    for english in _ours(command):
        if DUTCH[english] != english:
            pattern = rf"(?<![\w-]){re.escape(english)}(?![\w-])" if english.isupper() else re.escape(_flat(english))
            assert not re.search(pattern, flat), f"English left in the Dutch help: {english!r}"
    for word in CLICK_WORDS:
        assert word not in out, f"click's English left in the Dutch help: {word!r}"
    assert not _english_words(out), out


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "group")
def test_help_is_english_on_request(path: tuple[str, ...]) -> None:
    command = COMMANDS[path]
    by_option = _help(["--lang", "en", *path, "--help"])
    assert by_option == _help([*path, "--help"], env={**NO_LANGUAGE, "RIEC_LANG": "en"})
    assert by_option == _help([*path, "--help"], env={**NO_LANGUAGE, "LANG": "en_GB.UTF-8"})
    flat = _flat(by_option)
    assert by_option.startswith("Usage: python -m generator"), by_option
    assert "\nOptions:\n" in by_option
    assert "--help Show this message and exit." in flat
    assert _flat(command.help or "") in flat
    for english in _ours(command):
        if DUTCH[english] != english and not english.isupper():
            assert _flat(DUTCH[english]) not in flat, f"Dutch in the English help: {DUTCH[english]!r}"
    for word in ("Gebruik:", "Opties:", "Opdrachten:", "[OPTIES]", "standaard:", "verplicht", "Toont"):
        assert word not in by_option


def test_the_whole_help_of_check_in_both_languages() -> None:
    assert _help(["check", "--help"]) == """\
Gebruik: python -m generator check [OPTIES]

  Controleert de brongegevens en de sjablonen, zonder documenten te schrijven.

Opties:
  --source MAP       Map met de brongegevens.  [standaard: source]
  --year JAAR        Jaar van de uitvoeringsagenda (standaard: de nieuwste
                     jaarmap in de bronmap).
  --strict           Behandelt waarschuwingen als fouten.
  --templates MAP    Map met de Word-sjablonen (standaard: de map templates/
                     van dit project).
  --peildatum DATUM  Peildatum van de voortgangsrapportage, als JJJJ-MM-DD
                     (standaard: die van het nieuwste bestand in
                     <jaar>/voortgang/).
  --watch            Controleert opnieuw bij elke keer opslaan in de
                     brongegevens of de sjablonen, tot Ctrl-C.
  --help             Toont deze hulptekst en stopt.
"""
    assert _help(["--lang", "en", "check", "--help"]) == """\
Usage: python -m generator check [OPTIONS]

  Validate the source data and templates without writing documents.

Options:
  --source FOLDER     Folder with the source data.  [default: source]
  --year YEAR         Year of the agenda (default: the newest year folder in
                      the source folder).
  --strict            Treat warnings as errors.
  --templates FOLDER  Folder with the Word templates (default: templates/ of
                      this project).
  --peildatum DATE    Peildatum of the voortgangsrapportage, YYYY-MM-DD
                      (default: the latest file in <year>/voortgang/).
  --watch             Check again after every save in the source or the
                      templates, until Ctrl-C.
  --help              Show this message and exit.
"""


def test_click_notes_arguments_and_ranges_in_dutch() -> None:
    """Required, default and a range of numbers; the arguments' names in the usage line."""
    importeer = _flat(_help(["financien", "importeer", "--help"]))
    assert "Gebruik: python -m generator financien importeer [OPTIES] EXPORT" in importeer
    assert "--peildatum DATUM Peildatum van de uitvraag, als JJJJ-MM-DD (bijvoorbeeld 2026-06-30). [verplicht]" \
        in importeer
    assert "--code-kolom KOLOM" in importeer
    live = _flat(_help(["preview-live", "--help"]))
    assert "--port GETAL Poortnummer waarop de website te bekijken is (van 0 tot en met 65535). [standaard: 8000]" \
        in live
    assert "--port NUMBER Port to serve on (0 to 65535). [default: 8000]" \
        in _flat(_help(["--lang", "en", "preview-live", "--help"]))
    assert _help(["diff", "--help"]).startswith("Gebruik: python -m generator diff [OPTIES] [VERSIE_A] [VERSIE_B]\n")
    assert _help(["build", "--help"]).startswith("Gebruik: python -m generator build [OPTIES] [DOCUMENTEN]...\n")
    assert _help(["overnemen", "--help"]).startswith("Gebruik: python -m generator overnemen [OPTIES] DOCUMENTEN...\n")


def test_the_language_option_counts_wherever_it_is_before_the_command() -> None:
    """--lang after --help, or written --lang=en, still gives the group's help in English (help is eager)."""
    english = _help(["--lang", "en", "--help"])
    assert english.startswith("Usage: ")
    assert _help(["--help", "--lang", "en"]) == english
    assert _help(["--lang=en", "--help"]) == english
    assert _help(["--debug", "--lang", "en", "--help"]) == english
    assert _help(["--help", "--lang", "nl"], env={**NO_LANGUAGE, "RIEC_LANG": "en"}).startswith("Gebruik: ")


def test_help_without_a_command_is_dutch() -> None:
    result = CliRunner().invoke(main, [], env=NO_LANGUAGE, prog_name="python -m generator")
    assert result.exit_code == 1
    assert result.output.startswith("Gebruik: python -m generator [OPTIES] OPDRACHT [ARGUMENTEN]...\n")
    assert "\nOpdrachten:\n" in result.output


def test_one_process_shows_help_in_each_language_asked_for() -> None:
    """Each run makes the commands afresh in its own language: Dutch, English, Dutch, English."""
    for path in (("check",), (), ("uitvraag", "verwerk")):
        runs = [_help([*path, "--help"]), _help(["--lang", "en", *path, "--help"]),
                _help([*path, "--help"]), _help([*path, "--help"], env={**NO_LANGUAGE, "RIEC_LANG": "en"})]
        assert runs[0] == runs[2] and runs[0].startswith("Gebruik: ")
        assert runs[1] == runs[3] and runs[1].startswith("Usage: ")


def _mistake(args: list[str]) -> list[str]:
    result = CliRunner().invoke(main, args, env=NO_LANGUAGE, prog_name="python -m generator")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    return result.stderr.splitlines()


def test_a_mistake_shows_the_usage_line_where_to_find_help_and_the_mistake_in_dutch() -> None:
    assert _mistake(["check", "--yaer", "2026"]) == [
        "Gebruik: python -m generator check [OPTIES]", "Fout: de optie '--yaer' bestaat niet. Bedoelt u '--year'?"]
    assert _mistake(["chek"]) == [
        "Gebruik: python -m generator [OPTIES] OPDRACHT [ARGUMENTEN]...",
        "Zie 'python -m generator --help' voor uitleg.", "",
        "Fout: de opdracht 'chek' bestaat niet. Bedoelt u 'check'?"]
    assert _mistake(["uitvraag", "verwerkt"])[1:] == [
        "Zie 'python -m generator uitvraag --help' voor uitleg.", "",
        "Fout: de opdracht 'verwerkt' bestaat niet. Bedoelt u 'verwerk'?"]
    assert _mistake(["check", "agenda"]) == [
        "Gebruik: python -m generator check [OPTIES]", "Zie 'python -m generator check --help' voor uitleg.", "",
        "Fout: overbodig argument: agenda"]
    assert _mistake(["check", "agenda", "voortgang"])[-1] == "Fout: overbodige argumenten: agenda voortgang"
    assert _mistake(["overnemen"]) == [
        "Gebruik: python -m generator overnemen [OPTIES] DOCUMENTEN...", "Fout: 'DOCUMENTEN...' ontbreekt."]
    assert _mistake(["--lang", "en", "check", "agenda"]) == [
        "Usage: python -m generator check [OPTIONS]", "See 'python -m generator check --help' for help.", "",
        "Error: Got unexpected extra argument (agenda)"]
    assert _mistake(["--lang", "en", "bulid"])[-1] == "Error: No such command 'bulid'. Did you mean 'build'?"
    assert _mistake(["--lang", "en", "overnemen"])[-1] == "Error: Missing argument 'DOCUMENTS...'."


def _process(args: list[str], home: Path, **extra: str) -> str:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), **extra}
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_help_of_a_real_process(tmp_path: Path) -> None:
    """`python -m generator check --help` in a new process without any language setting, then in English."""
    dutch = _process(["check", "--help"], tmp_path)
    assert dutch == _help(["check", "--help"])
    assert dutch.startswith("Gebruik: python -m generator check [OPTIES]\n")
    english = _process(["--lang", "en", "check", "--help"], tmp_path)
    assert english == _help(["--lang", "en", "check", "--help"])
    assert _process(["check", "--help"], tmp_path, RIEC_LANG="en") == english
    assert _process(["--help"], tmp_path) == _help(["--help"])
