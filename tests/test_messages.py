"""Messages in two languages: the Dutch catalog is complete and current, and both languages reach the user."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import i18n
from generator.cli import main
from tests.conftest import ROOT, SOURCE


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("messages_tool", ROOT / "tools" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_a_current_dutch_translation() -> None:
    tool = _tool()
    assert len(tool.extract()) > 1, "no messages found in the code: the extraction is broken"
    assert tool.problems() == []


def test_the_catalog_check_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A message without Dutch, a translation that loses a field and a stale .mo are each found."""
    tool = _tool()
    catalog = tool.read(tool.PO)
    ids = [m.id for m in catalog if isinstance(m.id, str) and "{" in m.id]
    catalog[ids[0]].string = "vertaling zonder veld"
    other = next(m.id for m in catalog if isinstance(m.id, str) and m.id and m.id != ids[0])
    catalog[other].string = ""
    po = tmp_path / "messages.po"
    po.write_bytes(tool.po_bytes(catalog))
    monkeypatch.setattr(tool, "PO", po)
    monkeypatch.setattr(tool, "MO", tmp_path / "messages.mo")
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    found = tool.problems()
    assert any(line.startswith("the fields of 'vertaling zonder veld'") for line in found), found
    assert any(line.startswith(f"no Dutch translation: {other!r}") for line in found), found


def test_language_is_chosen_from_option_environment_and_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("RIEC_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert i18n.choose_language() == "nl"
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert i18n.choose_language() == "nl"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert i18n.choose_language() == "en"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # LC_ALL wins over LANG, as in POSIX
    assert i18n.choose_language() == "nl"
    monkeypatch.setenv("RIEC_LANG", "en")
    assert i18n.choose_language() == "en"
    assert i18n.choose_language("nl") == "nl"


def test_check_speaks_dutch_by_default_and_english_on_request(tmp_path: Path) -> None:
    """The summary line of a real `check` in a new process, without any language setting, then with --lang en."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    command = [sys.executable, "-m", "generator", "check", "--source", str(SOURCE)]
    dutch = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert dutch.returncode == 0, dutch.stderr
    assert "0 fouten, 0 waarschuwingen, 1 melding" in dutch.stderr, dutch.stderr
    english = subprocess.run([*command[:3], "--lang", "en", *command[3:]], cwd=ROOT, env=env,
                             capture_output=True, text=True)
    assert "0 errors, 0 warnings, 1 note" in english.stderr, english.stderr


def test_a_wrong_option_value_is_said_in_dutch() -> None:
    result = CliRunner().invoke(main, ["--lang", "nl", "check", "--year", "2O26"])
    assert result.exit_code == 1
    assert ("Fout: ongeldige waarde voor '--year': '2O26' is geen jaartal; schrijf het als vier cijfers, "
            "bijvoorbeeld 2026") in result.output
    missing = CliRunner().invoke(main, ["--lang", "nl", "nieuw-jaar", "--van", "2026"])
    assert missing.exit_code == 1
    assert "Fout: de optie '--naar' ontbreekt." in missing.output
    typo = CliRunner().invoke(main, ["--lang", "nl", "check", "--yaer", "2026"])
    assert "Fout: de optie '--yaer' bestaat niet. Bedoelt u '--year'?" in typo.output
    english = CliRunner().invoke(main, ["--lang", "en", "check", "--yaer", "2026"])
    assert "Error: No such option '--yaer'. Did you mean '--year'?" in english.output


def test_build_reports_each_document_in_dutch(tmp_path: Path) -> None:
    out = tmp_path / "uit"
    first = CliRunner().invoke(main, ["--lang", "nl", "build", "agenda", "--source", str(SOURCE), "--output", str(out)])
    assert first.exit_code == 0, first.output
    assert f"{out / 'uitvoeringsagenda-2026.docx'} (geschreven)" in first.stdout.splitlines()
    assert "0 fouten, 0 waarschuwingen, 1 melding" in first.stderr
    again = CliRunner().invoke(main, ["--lang", "nl", "build", "agenda", "--source", str(SOURCE), "--output", str(out)])
    assert again.stdout.splitlines() == [f"{out / 'uitvoeringsagenda-2026.docx'} (actueel)"]


def test_a_user_error_and_its_reason_in_dutch(tmp_path: Path) -> None:
    """A build that cannot make its output folder: the reason from the operating system is said in Dutch too."""
    (tmp_path / "uit").write_text("geen map")
    result = CliRunner().invoke(main, ["--lang", "nl", "build", "--source", str(SOURCE),
                                       "--output", str(tmp_path / "uit")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        f"Fout: kan de uitvoermap {tmp_path / 'uit'} niet maken: er bestaat al een bestand met die naam",
        "Er is niets geschreven."]


def test_counts_take_the_dutch_singular_and_plural() -> None:
    one = CliRunner().invoke(main, ["--lang", "nl", "partners", "--source", str(SOURCE)])
    assert one.exit_code == 0, one.output
    lines = one.stdout.splitlines()
    assert "Politie [politie, politie-justitie]: 12 acties" in lines
    singular = [line for line in lines if line.endswith(": 1 actie")]
    assert singular, "the real source has a partner with one action"
    unknown = CliRunner().invoke(main, ["--lang", "nl", "partners", "politei", "--source", str(SOURCE)])
    assert unknown.exit_code == 1
    assert "Fout: onbekende partner 'politei' (bedoelt u 'politie'?)" in unknown.stderr
