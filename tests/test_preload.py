"""The preloaded generator (generator/preload.py): the same results as a process of its own, and safe.

Every test runs the real client (`python -m generator`, as `make` does) against a real server, in a
socket folder of its own (XDG_RUNTIME_DIR), and compares with the same command run without the server
(RIEC_PRELOAD=0): output, messages, exit status and documents byte for byte.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.synth import scale_source
from generator import cache, preload

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
FILES = ["uitvoeringsagenda-2026.docx", "voortgangsrapportage-2026.docx", "jaarverslag-2026.docx"]
# Reports which way the client ran the command, after the command's own output.
WHICH = """
import sys
from generator.preload import run_preloaded
status = run_preloaded(sys.argv[1:])
if status is None:
    from generator.cli import main
    try:
        main(args=sys.argv[1:], prog_name="python -m generator")
    except SystemExit as exc:
        print(f"in-process {exc.code}", file=sys.stderr)
else:
    print(f"preloaded {status}", file=sys.stderr)
"""


@pytest.fixture
def runtime() -> Iterator[Path]:
    """A socket folder of this test's own (short: a socket's name is at most ~100 bytes); its servers
    are stopped afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="rp", dir="/tmp"))
    yield folder
    env = {**os.environ, "XDG_RUNTIME_DIR": str(folder)}
    subprocess.run([sys.executable, "-m", "generator.preload", "stop"], env=env, cwd=ROOT, check=False)
    shutil.rmtree(folder, ignore_errors=True)


def environment(runtime: Path, cache_dir: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "XDG_CACHE_HOME": str(cache_dir), **extra}


def generator(args: list[str], env: dict[str, str], cwd: Path = ROOT,
              **kwargs: object) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` as make runs it."""
    return subprocess.run([sys.executable, "-m", "generator", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=300, check=False, **kwargs)  # type: ignore[call-overload]


def which(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[str, subprocess.CompletedProcess[str]]:
    """Run ARGS through the client and say whether a server ran them or not ('preloaded 1', 'in-process 0')."""
    done = subprocess.run([sys.executable, "-c", WHICH, *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)
    return done.stderr.rstrip("\n").rsplit("\n", 1)[-1], done


def key_of(env: dict[str, str] | None = None) -> str:
    """The key a client run as `python -m generator` computes (this test process has another sys.path)."""
    return subprocess.run([sys.executable, "-c", "from generator.preload import server_key; print(server_key())"],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def sockets(runtime: Path) -> list[Path]:
    return sorted(runtime.glob("riec-documenten-*/*.sock"))


def wait_for(condition: object, timeout: float = 60) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def started_server(runtime: Path, env: dict[str, str]) -> None:
    """The first run starts a server; wait until it listens."""
    first = generator(["check"], env)
    assert first.returncode == 0, first.stderr
    assert wait_for(lambda: sockets(runtime)), "no server was started"
    assert wait_for(lambda: which(["check", "--help"], env)[0] == "preloaded 0"), "the server does not answer"


def processes_of(socket: Path) -> list[int]:
    """The server and its children (forked: the same command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(socket).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_a_second_run_is_preloaded_and_says_exactly_what_a_process_of_its_own_says(
        runtime: Path, tmp_path: Path, source_copy: Path) -> None:
    env = environment(runtime, tmp_path / "cache")
    started_server(runtime, env)
    (source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml").write_text("titel: [\n", encoding="utf-8")
    for args, extra in [(["check"], {}), (["check"], {"RIEC_LANG": "nl"}), (["--lang", "nl", "check"], {}),
                        (["check", "--source", "source"], {}), (["check", "--source", "source"], {"RIEC_LANG": "nl"}),
                        (["check", "--year", "19"], {}), (["check", "--bogus"], {"RIEC_LANG": "nl"}),
                        (["check", "--source", str(source_copy)], {})]:
        cwd = source_copy.parent if "source" in args else ROOT
        way, served = which(args, {**env, **extra}, cwd)
        alone = generator(args, {**env, **extra, "RIEC_PRELOAD": "0"}, cwd)
        assert way == f"preloaded {alone.returncode}", (args, served.stderr)
        assert served.stdout == alone.stdout
        assert served.stderr.rsplit("\n", 2)[0] + "\n" == alone.stderr, args
    # The language of one run does not stay in the server for the next.
    last = generator(["check"], env)
    assert "0 errors" in last.stderr or "0 errors" in last.stdout, last.stderr


def test_preloaded_builds_write_the_same_documents_with_the_same_modes(
        runtime: Path, tmp_path: Path) -> None:
    env = environment(runtime, tmp_path / "cache")
    started_server(runtime, env)
    old = os.umask(0o027)
    try:
        way, served = which(["build", "--output", str(tmp_path / "served")], env)
        alone = generator(["build", "--output", str(tmp_path / "alone")], {**env, "RIEC_PRELOAD": "0"})
    finally:
        os.umask(old)
    assert way == "preloaded 0", served.stderr
    assert alone.returncode == 0, alone.stderr
    for name in FILES:
        a, b = tmp_path / "served" / name, tmp_path / "alone" / name
        assert a.read_bytes() == b.read_bytes(), name
        assert a.stat().st_mode == b.stat().st_mode, name
        assert a.stat().st_mode & 0o027 == 0, oct(a.stat().st_mode)


@pytest.mark.parametrize("locale", ["none", "C", "C.UTF-8", "nl_NL.UTF-8"])
def test_a_server_starts_and_serves_under_any_locale(runtime: Path, tmp_path: Path, locale: str) -> None:
    # Without a locale, Python switches to UTF-8 mode by itself and sets LC_CTYPE for what it starts.
    env = {k: v for k, v in environment(runtime, tmp_path / "cache").items()
           if k not in ("LANG", "LANGUAGE") and not k.startswith("LC_")}
    if locale != "none":
        env["LC_ALL"] = locale
    started_server(runtime, env)
    way, done = which(["check"], env)
    assert way == "preloaded 0" and "0 errors" in done.stderr, done.stderr


def test_two_runs_at_once_through_one_server(runtime: Path, tmp_path: Path) -> None:
    env = environment(runtime, tmp_path / "cache")
    started_server(runtime, env)
    runs = [subprocess.Popen([sys.executable, "-m", "generator", "build", "--output", str(tmp_path / f"out{i}")],
                             env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for i in range(3)]
    for run in runs:
        _out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    for name in FILES:
        assert len({(tmp_path / f"out{i}" / name).read_bytes() for i in range(3)}) == 1


@pytest.fixture(scope="module")
def big_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten times the actions: a build that takes seconds, long enough to interrupt."""
    target = tmp_path_factory.mktemp("big") / "source"
    scale_source(SOURCE, target, 2026, 10)
    return target


@pytest.mark.parametrize("how", ["sigint", "sigterm", "sigkill"])
def test_an_interrupted_client_stops_its_run_in_the_server(
        runtime: Path, tmp_path: Path, big_source: Path, how: str) -> None:
    env = environment(runtime, tmp_path / "cache")
    started_server(runtime, env)
    [socket] = sockets(runtime)
    assert len(processes_of(socket)) == 1
    out = tmp_path / "out"
    client = subprocess.Popen([sys.executable, "-m", "generator", "build", "--source", str(big_source),
                               "--output", str(out)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: len(processes_of(socket)) == 2, 30), "the run did not reach the server"
    time.sleep(0.5)
    client.send_signal({"sigint": signal.SIGINT, "sigterm": signal.SIGTERM, "sigkill": signal.SIGKILL}[how])
    _stdout, stderr = client.communicate(timeout=60)
    if how == "sigint":
        # As in a process of its own: Ctrl-C ends the run with "Aborted!" (Afgebroken!) and status 1.
        assert client.returncode == 1 and "Aborted!" in stderr, stderr
    else:
        assert client.returncode == -{"sigterm": signal.SIGTERM, "sigkill": signal.SIGKILL}[how], stderr
    assert wait_for(lambda: len(processes_of(socket)) == 1, 10), "the run went on after its client ended"
    # Nothing half written: no documents, or whole ones (what the next build makes of any leftovers).
    done = generator(["build", "--source", str(big_source), "--output", str(out)], env)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)


def test_a_changed_generator_file_makes_another_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "generator"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", copy)
    cache.code_key.cache_clear()
    before = preload.server_key()
    (copy / "format.py").write_text((copy / "format.py").read_text() + "\n# changed\n")
    cache.code_key.cache_clear()
    after = preload.server_key()
    cache.code_key.cache_clear()
    assert before != after
    assert preload.socket_path("/run", before) != preload.socket_path("/run", after)


def test_an_idle_server_exits_and_one_whose_socket_went_exits_too(runtime: Path) -> None:
    folder = runtime / "riec-documenten-x"
    folder.mkdir(mode=0o700)
    key = key_of()
    for case in ("idle", "socket removed"):
        path = folder / f"{case[:4]}.sock"
        server = subprocess.Popen([sys.executable, "-m", "generator.preload", str(path), key,
                                   "2" if case == "idle" else "600", "0.2"], cwd=ROOT)
        assert wait_for(lambda p=path: p.exists()), case  # type: ignore[misc]
        if case == "socket removed":
            path.unlink()
        assert server.wait(timeout=30) == 0, case
        assert not path.exists()
        assert not Path(f"{path}.lock").exists() or case == "socket removed"


def test_a_second_server_for_the_same_code_does_not_start(runtime: Path, tmp_path: Path) -> None:
    env = environment(runtime, tmp_path / "cache")
    started_server(runtime, env)
    [socket] = sockets(runtime)
    key = key_of(env)
    second = subprocess.run([sys.executable, "-m", "generator.preload", str(socket), key], cwd=ROOT,
                            env=env, timeout=60, check=False)
    assert second.returncode == 0
    assert which(["check", "--help"], env)[0] == "preloaded 0"  # the first still serves


@pytest.mark.parametrize("damage", ["stale socket", "a file", "folder open to others", "too long", "switched off"])
def test_without_a_usable_server_the_run_is_its_own_process(runtime: Path, tmp_path: Path, damage: str) -> None:
    env = environment(runtime, tmp_path / "cache")
    folder = runtime / f"riec-documenten-{os.getuid()}"
    folder.mkdir(mode=0o700)
    path = Path(preload.socket_path(str(folder), key_of(env)))
    if damage == "stale socket":  # left by a server that was killed
        import socket as sockets_

        dead = sockets_.socket(sockets_.AF_UNIX, sockets_.SOCK_STREAM)
        dead.bind(str(path))
        dead.close()
    elif damage == "a file":
        path.write_text("not a socket")
    elif damage == "folder open to others":
        folder.chmod(0o777)
    elif damage == "too long":
        env["XDG_RUNTIME_DIR"] = str(runtime / ("x" * 80))
        Path(env["XDG_RUNTIME_DIR"]).mkdir()
    elif damage == "switched off":
        env["RIEC_PRELOAD"] = "0"
    way, done = which(["check"], env)
    assert way == "in-process 0", done.stderr
    assert "0 errors" in done.stderr
    if damage in ("stale socket", "a file"):
        # A new server takes the place of what was left.
        assert wait_for(lambda: which(["check", "--help"], env)[0] == "preloaded 0"), damage
    else:
        time.sleep(1)
        assert not sockets(runtime), "a server was started where it should not be"


def test_other_commands_are_never_preloaded(runtime: Path, tmp_path: Path) -> None:
    env = environment(runtime, tmp_path / "cache")
    started_server(runtime, env)
    for args in (["--help"], ["html", "--help"], ["--lang", "en", "diff", "--help"]):
        assert which(args, env)[0] == "in-process 0", args
    assert preload._command(["--lang", "en", "--debug", "build", "agenda"]) == "build"
    assert preload._command(["--lang", "check"]) is None


def test_a_run_that_dies_in_the_server_is_an_internal_error_not_a_hang(
        runtime: Path, tmp_path: Path, big_source: Path) -> None:
    env = environment(runtime, tmp_path / "cache", RIEC_LANG="nl")
    started_server(runtime, env)
    [socket] = sockets(runtime)
    [server] = processes_of(socket)
    client = subprocess.Popen([sys.executable, "-m", "generator", "build", "--source", str(big_source),
                               "--output", str(tmp_path / "out")], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: len(processes_of(socket)) == 2, 30), "the run did not reach the server"
    [child] = [pid for pid in processes_of(socket) if pid != server]
    os.kill(child, signal.SIGKILL)  # as the system's out-of-memory killer would
    _stdout, stderr = client.communicate(timeout=60)
    assert client.returncode == 2, stderr
    assert "Interne fout: het achtergrondproces van de generator stopte onverwacht" in stderr
    assert processes_of(socket) == [server]  # the server itself goes on serving
    assert which(["check", "--help"], env)[0] == "preloaded 0"


def test_a_server_for_other_code_exits_at_once_and_leaves_nothing(runtime: Path) -> None:
    folder = runtime / "riec-documenten-x"
    folder.mkdir(mode=0o700)
    path = folder / "other.sock"
    server = subprocess.run([sys.executable, "-m", "generator.preload", str(path), "0" * 64], cwd=ROOT,
                            timeout=60, check=False)
    assert server.returncode == 0
    assert list(folder.iterdir()) == []
