"""Set-up (`make agenda` on a fresh clone) prints one line, and the whole log when it fails."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT

# A stand-in for `python3` whose venv's pip fails the way a broken installation does; the real
# Makefile and the real make run against it (a real install takes minutes and the network).
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/bin/sh\\necho "Collecting docxtpl"\\n' > "$3/bin/python"
  printf 'echo "ERROR: No matching distribution found for docxtpl" >&2\\nexit 1\\n' >> "$3/bin/python"
  chmod +x "$3/bin/python"
  exit 0
fi
echo "no venv module: $*" >&2
exit 1
"""


def _make(folder: Path, python: Path) -> subprocess.CompletedProcess[str]:
    shutil.copyfile(ROOT / "Makefile", folder / "Makefile")
    shutil.copyfile(ROOT / "pyproject.toml", folder / "pyproject.toml")
    (folder / "source").mkdir(exist_ok=True)
    env = {**os.environ, "MAKEFLAGS": ""}
    return subprocess.run(["make", "--no-print-directory", "agenda", f"PYTHON={python}"], cwd=folder,
                          capture_output=True, text=True, env=env, timeout=60, check=False)


def test_a_failed_installation_shows_its_log(tmp_path: Path) -> None:
    python = tmp_path / "fakepython"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    project = tmp_path / "project"
    project.mkdir()
    result = _make(project, python)
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).splitlines()
    assert lines[0] == ("De generator en zijn bibliotheken worden in .venv geïnstalleerd (alleen de eerste keer; "
                        "een minuut of twee)...")
    assert "Collecting docxtpl" in lines and "ERROR: No matching distribution found for docxtpl" in lines
    assert "De installatie is mislukt (het verslag hierboven staat in .venv/install.log)." in lines
    assert not list((project / ".venv").glob(".installed-*"))  # the next run tries again


def test_no_python_venv_is_said_plainly(tmp_path: Path) -> None:
    python = tmp_path / "nopython"
    python.write_text("#!/bin/sh\necho 'No module named venv' >&2\nexit 1\n")
    python.chmod(0o755)
    result = _make(tmp_path, python)
    assert result.returncode != 0
    assert "No module named venv" in result.stdout
    assert f"Kon .venv niet maken met {python} (op Debian/Ubuntu: apt-get install python3-venv)." in result.stdout


def test_the_makefile_prints_one_line_while_installing() -> None:
    # Every recipe line of the installation is silent ('@'); only the one echo line speaks.
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = text.split("$(STAMP): pyproject.toml\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert all(line.startswith("\t@") or line.startswith("\t$(call install") for line in recipe), recipe
    assert sum("echo" in line for line in recipe) == 1
