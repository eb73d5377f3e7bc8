"""A minimal Language Server Protocol client over stdio, to talk to Red Hat's YAML language server in tests.

The server is the npm package pinned in tests/lsp/package-lock.json (`npm ci --prefix tests/lsp`), the same
server VS Code's YAML extension runs. Missing Node or the package skips the test on a developer's machine
and fails it in CI (tests/browser_support.missing).
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from tests.browser_support import ROOT, missing

SERVER = ROOT / "tests" / "lsp" / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


class LanguageServer:
    """One running server: send requests and notifications, wait for the messages it sends back."""

    def __init__(self, root: Path, configuration: dict[str, Any]) -> None:
        node = shutil.which("node") or shutil.which("nodejs")
        if not node:
            missing("Node.js", "apt-get install npm")
        if not SERVER.exists():
            missing("yaml-language-server", "npm ci --prefix tests/lsp")
        self.process = subprocess.Popen([str(node), str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=root)
        self.configuration = configuration  # section -> settings, as an editor's settings give them
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any], timeout: float = 30) -> Any:
        """Send a request and return its result; the server's own requests are answered with null."""
        self.next_id += 1
        ident = self.next_id
        self._send({"id": ident, "method": method, "params": params})
        message = self.wait(lambda m: m.get("id") == ident and "method" not in m, timeout)
        assert "error" not in message, message
        return message.get("result")

    def wait(self, matches: Any, timeout: float = 30) -> dict[str, Any]:
        """The first message from the server that `matches`; requests from the server are answered."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError("the YAML language server did not answer in time") from None
            if message.get("method") == "workspace/configuration":  # the server asks for its settings
                items = message["params"]["items"]
                self._send({"id": message["id"],
                            "result": [self.configuration.get(item.get("section"), {}) for item in items]})
            elif "method" in message and "id" in message:  # e.g. client/registerCapability
                self._send({"id": message["id"], "result": None})
            if matches(message):
                return message

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=10)
            self.notify("exit", {})
            self.process.wait(timeout=10)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
