"""A preloaded generator: `python -m generator check|build` without importing the pipeline every time.

Half a second of every `make check` used to go to importing: pydantic, python-docx, docxtpl, Jinja
and our own modules. The first `check` or `build` now also starts a server in the background that
does those imports once and waits on a Unix socket. Every later run (the client, in `__main__`)
connects and hands over its arguments, working folder, environment, umask and its standard input,
output and error themselves (the file descriptors, so messages, colours and exit codes are exactly
those of a run of its own). The server forks a child per run: the child starts from the state right
after the imports, as a new process would, runs the command line and reports the exit status, and
the client exits with it. A fork per run means nothing one run does (a changed global, a cache in
memory, the language chosen) can reach the next. This is what Rails' Spring and Gradle's daemon do.

Staleness is ruled out by the socket's name: it is a hash of the generator's code (every file of the
package), the installed libraries, Python and the `PYTHON*` variables, so a changed module or an
upgraded library makes the client look for another server, and the old one exits once idle (or as
soon as it sees its code change). Both sides check the hash, the server also after its imports.

Anything unusual falls back to running in the process itself, as before: `RIEC_PRELOAD=0`, a
platform without Unix sockets or fork (Windows), a command other than `check` and `build`, a
socket folder that is not ours alone, a standard stream that is closed, or no server listening
(then one is started for the next run). Ctrl-C, `kill` and a closed terminal reach the child; a
client killed outright takes its child with it (the child watches the connection).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import sys
import time
from typing import Any

from . import cache

COMMANDS = frozenset({"check", "build"})  # what an editor runs many times an hour
IDLE_SECONDS = 15 * 60  # a server nobody used for this long exits
CHECK_SECONDS = 30  # how often an idle server looks whether its code changed or its socket is gone
# The modules `check` and `build` need; everything else is imported by the run that needs it.
PRELOAD = ("generator.cli", "generator.pipeline", "generator.render.template", "generator.render.markers",
           "generator.render.layout", "generator.publish.accessibility",
           "generator.render.write", "encodings.cp437", "fcntl")
MAX_SOCKET_PATH = 100  # a Unix socket's name is at most 103 (macOS) or 107 (Linux) bytes
_FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")


def enabled(argv: list[str]) -> bool:
    """Whether this run may go to a preloaded server."""
    if os.environ.get("RIEC_PRELOAD", "1").strip() in ("0", "no", "nee", "false", "off"):
        return False
    if not (hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds") and hasattr(os, "fork")):
        return False
    return _command(argv) in COMMANDS


def _command(argv: list[str]) -> str | None:
    """The subcommand of `argv` (the arguments after the program), skipping the group's options."""
    args = iter(argv)
    for arg in args:
        if arg == "--":
            return next(args, None)
        if arg == "--lang":
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def server_key() -> str:
    """What a server's modules depend on: the generator's files, the libraries, Python, its settings."""
    settings = sorted((k, v) for k, v in os.environ.items() if k.startswith("PYTHON"))
    return cache.make_key(cache.code_key(), sys.executable, str(cache.PACKAGE), repr(sys.flags),
                          sys.getfilesystemencoding(), repr(sys.path[1:]), repr(settings))


def socket_folder() -> str | None:
    """The folder of the sockets: this user's alone (mode 0700, owned by us), else None."""
    base = os.environ.get("XDG_RUNTIME_DIR", "")
    if not os.path.isabs(base):
        base = os.environ.get("TMPDIR", "") if os.path.isabs(os.environ.get("TMPDIR", "")) else "/tmp"
    folder = os.path.join(base, f"riec-documenten-{os.getuid()}")
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return folder


def socket_path(folder: str, key: str) -> str:
    """The socket of the server with this key."""
    return os.path.join(folder, key[:32] + ".sock")


# --- the client: `python -m generator ...` ---------------------------------------------------------


def run_preloaded(argv: list[str]) -> int | None:
    """Run `argv` in a preloaded server and return its exit status; None: run it in this process."""
    if not enabled(argv):
        return None
    folder = socket_folder()
    if folder is None:
        return None
    try:
        for fd in (0, 1, 2):
            os.fstat(fd)
    except OSError:
        return None  # a closed standard stream cannot be handed over
    key = server_key()
    path = socket_path(folder, key)
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(2)
        conn.connect(path)
    except OSError:
        conn.close()
        start_server(path, key)
        return None
    with conn:
        return _hand_over(conn, argv, key)


def _stream(stream: Any) -> dict[str, Any]:
    return {"encoding": getattr(stream, "encoding", None) or "utf-8", "errors": getattr(stream, "errors", None)
            or "strict", "line_buffering": bool(getattr(stream, "line_buffering", False))}


def _hand_over(conn: socket.socket, argv: list[str], key: str) -> int | None:
    """Send the run to the server, pass signals on while it runs, and return its exit status."""
    import signal

    forwarded: list[int] = []

    def forward(signum: int, _frame: Any) -> None:
        forwarded.append(signum)
        with contextlib.suppress(OSError):  # read by the child as soon as it runs, even if sent before
            conn.sendall(f"signal {signum}\n".encode())

    umask = os.umask(0o022)
    os.umask(umask)
    request = {"key": key, "argv": argv, "argv0": sys.argv[0], "cwd": os.getcwd(), "env": dict(os.environ),
               "umask": umask, "streams": [_stream(s) for s in (sys.stdin, sys.stdout, sys.stderr)]}
    handlers = {name: signal.signal(getattr(signal, name), forward) for name in _FORWARDED}
    try:
        socket.send_fds(conn, [json.dumps(request).encode("utf-8") + b"\n"], [0, 1, 2])
        conn.settimeout(30)  # the child answers at once; a server that does not is not used
        reader = conn.makefile("rb")
        line = reader.readline()
        if line.startswith(b"started"):
            conn.settimeout(None)
            line = reader.readline()  # the exit status; Python resumes it after each signal (PEP 475)
        else:
            line = b"not started"
    except OSError:
        line = b"not started"
    finally:
        for name, handler in handlers.items():
            signal.signal(getattr(signal, name), handler)
    if line.startswith(b"exit "):
        return int(line.split()[1])
    if line.startswith(b"signal "):
        forwarded.append(int(line.split()[1]))
    if forwarded:
        # The run ended by the signal, or never started (as a process of its own would have): so do we.
        signal.signal(forwarded[-1], signal.SIG_DFL)
        signal.raise_signal(forwarded[-1])
    if line == b"not started":
        return None  # run it here
    from .i18n import _, set_language

    set_language()
    sys.stderr.write(_("Internal error: the generator's background process stopped unexpectedly. Run the "
                       "command again; with RIEC_PRELOAD=0 it runs without it.") + "\n")
    return 2


def start_server(path: str, key: str) -> None:
    """Start a server for the next run, in the background, detached from this terminal and its pipes."""
    import subprocess

    # The same interpreter settings as this process (-O, -X ..., and UTF-8 mode, which Python turns on
    # by itself under the C locale and would not in the server, whose environment then has C.UTF-8).
    flags = [*subprocess._args_from_interpreter_flags(), "-X", f"utf8={sys.flags.utf8_mode}"]  # type: ignore[attr-defined]
    with contextlib.suppress(OSError):  # no server: every run imports, as before
        subprocess.Popen([sys.executable, *flags, "-m", "generator.preload", path, key], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                         close_fds=True)


def stop() -> int:
    """Stop every server of this user (in the current socket folder); the number stopped."""
    import fcntl
    import signal

    folder = socket_folder()
    if folder is None:
        return 0
    stopped = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".sock.lock"):
            continue
        with open(os.path.join(folder, name)) as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                continue  # nobody holds it: no server
            except OSError:
                pid = lock.read().strip()
        if pid.isdigit():
            with contextlib.suppress(OSError):
                os.kill(int(pid), signal.SIGTERM)
                stopped += 1
    return stopped


# --- the server: `python -m generator.preload SOCKET KEY` ------------------------------------------


def serve(path: str, key: str, idle: float = IDLE_SECONDS, every: float = CHECK_SECONDS) -> None:
    """Import the generator, then fork a child for every run that connects, until idle for `idle` seconds."""
    import fcntl
    import signal

    lock = open(path + ".lock", "a")  # noqa: SIM115 - held for the server's whole life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # another server for this code is starting or running
    lock.truncate(0)
    lock.write(f"{os.getpid()}\n")
    lock.flush()
    if server_key() != key or not _imported(key):  # a file changed before or while we imported it
        with contextlib.suppress(OSError):
            os.unlink(path + ".lock")
        return
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # a server that was killed leaves its socket behind
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    listener.settimeout(every)
    inode = os.stat(path).st_ino
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `stop`: remove the socket on the way out
    last_run = time.monotonic()
    try:
        while True:
            try:
                conn, _address = listener.accept()
            except TimeoutError:
                if time.monotonic() - last_run > idle or _stale(path, inode, key):
                    break
                continue
            last_run = time.monotonic()
            if os.fork() == 0:
                listener.close()
                lock.close()
                _child(conn, key)  # never returns
            conn.close()
    finally:
        with contextlib.suppress(OSError):
            if os.stat(path).st_ino == inode:  # still ours: leave nothing behind
                os.unlink(path)
                os.unlink(path + ".lock")


def _imported(key: str) -> bool:
    """Import what `check` and `build` need; whether the code is still the code of `key` after that."""
    import importlib

    for module in PRELOAD:
        importlib.import_module(module)
    cache.code_key.cache_clear()
    return server_key() == key


def _stale(path: str, inode: int, key: str) -> bool:
    """Whether this server should stop: its socket was removed or replaced, or its code changed."""
    try:
        if os.stat(path).st_ino != inode:
            return True
    except OSError:
        return True
    cache.code_key.cache_clear()
    return server_key() != key


def _child(conn: socket.socket, key: str) -> None:
    """Become the process of one run: its streams, folder, environment; run it; report; exit."""
    import signal

    try:
        # As in a new Python process (which ignores SIGPIPE, as the server does).
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        request = _receive(conn)
        if request is None or request.get("key") != key:
            os._exit(1)  # not this user's, or not for this code: the client runs it itself
        try:
            conn.sendall(f"started {os.getpid()}\n".encode())
        except OSError:
            os._exit(1)  # the client gave up waiting and runs the command itself
        _become(request)
        _watch(conn)
        status = _run(request["argv"])
    except BaseException:
        import traceback

        traceback.print_exc()
        status = "exit 1"
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    with contextlib.suppress(OSError):
        conn.sendall(status.encode() + b"\n")
    os._exit(0)


def _receive(conn: socket.socket) -> dict[str, Any] | None:
    """The client's request, with its standard streams as "fds"; None if it is not from this user."""
    if hasattr(socket, "SO_PEERCRED"):
        import struct

        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        if struct.unpack("3i", creds)[1] != os.getuid():
            return None
    data, fds, _flags, _address = socket.recv_fds(conn, 1 << 20, 3)
    while not data.endswith(b"\n"):
        more = conn.recv(1 << 20)
        if not more:
            return None
        data += more
    if len(fds) != 3:
        return None
    request: dict[str, Any] = json.loads(data)
    request["fds"] = fds
    return request


def _become(request: dict[str, Any]) -> None:
    """Take the client's folder, environment, umask and stream encodings, as its own process has them."""
    import io
    import locale
    import tempfile

    for target, fd in zip((0, 1, 2), request["fds"], strict=True):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.umask(request["umask"])
    time.tzset()
    tempfile.tempdir = None
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_CTYPE, "")
    streams = []
    for fd, mode, spec in zip((0, 1, 2), ("r", "w", "w"), request["streams"], strict=True):
        streams.append(io.TextIOWrapper(open(fd, mode + "b", closefd=False), encoding=spec["encoding"],  # noqa: SIM115
                                        errors=spec["errors"], line_buffering=spec["line_buffering"]))
    sys.stdin, sys.stdout, sys.stderr = streams
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams  # type: ignore[misc,assignment]
    sys.argv = [request["argv0"], *request["argv"]]


def _watch(conn: socket.socket) -> None:
    """Act on the client's signals, and end this run when the client is gone (killed, or its terminal)."""
    import signal
    import threading

    def watch() -> None:
        reader = conn.makefile("rb")
        while True:
            try:
                line = reader.readline()
            except OSError:
                line = b""
            if not line:
                os.kill(os.getpid(), signal.SIGKILL)  # nobody waits for this run any more
            if line.startswith(b"signal "):
                os.kill(os.getpid(), int(line.split()[1]))

    threading.Thread(target=watch, daemon=True).start()


def _run(argv: list[str]) -> str:
    """Run the command line as `python -m generator` would; the status line for the client."""
    import atexit
    import traceback

    from .cli import main

    try:
        main(args=argv, prog_name="python -m generator")
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        traceback.print_exc()
        atexit._run_exitfuncs()
        return "signal 2"  # Python dies by SIGINT after an unhandled Ctrl-C
    atexit._run_exitfuncs()
    if code is None:
        return "exit 0"
    if isinstance(code, int):
        return f"exit {code & 0xFF}"
    print(code, file=sys.stderr)
    return "exit 1"


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:  # `make clean`
        stop()
    else:  # SOCKET KEY [IDLE-SECONDS CHECK-SECONDS] (the last two for tests)
        serve(sys.argv[1], sys.argv[2], *(float(a) for a in sys.argv[3:5]))
