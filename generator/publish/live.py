"""`make preview-live`: serve the website edition, rebuild it on every save, reload the open page.

watchfiles watches the source and the templates (`saves`, which `check --watch` uses too); each
change checks the source and rebuilds the site
into OUTPUT/html (all or nothing, so the last good version stays). Starlette, run by uvicorn on
127.0.0.1, serves that folder and adds to every page a small script that listens for a new version
(server-sent events) and reloads. An error in the source is shown at the top of the served page, with
file, line and message, above the last good version; the files in OUTPUT/html never contain it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import html
import socket
import sys
import time
import webbrowser
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UserError, ValidationFailed
from ..i18n import _, ngettext
from ..kinds import DOCUMENTS
from ..render.template import check_template
from ..render.write import write_folder
from ..source.load import display_path
from .html import SITE_DIR, build_site

EVENTS = "/_preview/events"


async def saves(folders: Sequence[Path], stop: asyncio.Event | None = None) -> AsyncIterator[list[str]]:
    """The names of the files saved in FOLDERS (and their subfolders), batch by batch, until `stop` is set.

    First an empty batch, as soon as the folders are watched: a save from then on is never missed.
    Saves within 20 ms of each other (an editor writes a file and renames it) are one batch.
    """
    from watchfiles import Change, awatch

    batches = awatch(*[f for f in folders if f.exists()], debounce=100, step=20, stop_event=stop, recursive=True)
    # awatch sets up its watcher when it is first asked for a batch, before it waits for one: ask,
    # let it run that far (one turn of the event loop), and only then say that the folders are watched.
    pending: Awaitable[set[tuple[Any, str]]] = asyncio.ensure_future(anext(batches))
    await asyncio.sleep(0)
    yield []
    while True:
        try:
            changes = await pending
        except StopAsyncIteration:  # stopped
            return
        pending = anext(batches)
        # Not a file an editor wrote and removed within the batch (a temporary file of its save).
        added = {path for change, path in changes if change == Change.added}
        names = sorted({Path(path).name for _, path in changes if path not in added or Path(path).exists()})
        if names:
            yield names


def changed(names: list[str]) -> str:
    """'Changed: a.yaml, b.yaml' (at most five names)."""
    return _("Changed: {files}").format(files=", ".join(names[:5]) + (" ..." if len(names) > 5 else ""))


def watch_saves(folders: Sequence[Path], on_save: Callable[[list[str]], None]) -> None:
    """Call `on_save([])` once FOLDERS are watched, then `on_save(names)` after every batch of saves, until Ctrl-C."""
    async def loop() -> None:
        async for names in saves(folders):
            on_save(names)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(loop())


@dataclass
class PreviewState:
    """What the server shows: the version of the site (for reloading) and the problems of the last build."""

    version: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: int = 0


class Preview:
    """Rebuilds the site on request and tells the open pages when a new version is there."""

    def __init__(self, source: Path, year: int, output: Path, templates: Path, peildatum: dt.date | None,
                 echo: Callable[[str], None]) -> None:
        self.source, self.year, self.templates, self.peildatum = source, year, templates, peildatum
        self.site_dir = output / SITE_DIR
        self.state = PreviewState()
        self.echo = echo
        self.closing = False
        self._changed: asyncio.Condition | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def close(self) -> None:
        """Ctrl-C: end the open pages' event streams at once, so the server can stop without waiting."""
        self.closing = True
        if self._loop is not None:
            self._loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self._wake()))

    async def _wake(self) -> None:
        if self._changed is not None:
            async with self._changed:
                self._changed.notify_all()

    def rebuild(self) -> None:
        """Check the source and write the site; on an error keep the last good site and remember the problems."""
        started = time.perf_counter()
        try:
            site = build_site(self.source, self.year, self.peildatum, templates=self.templates / "html")
            written, _removed = write_folder(self.site_dir, site.files)
        except ValidationFailed as exc:
            self.state.problems = [p.format() for p in exc.problems.errors]
            n = len(self.state.problems)
            self.echo(ngettext("{n} error; the page shows the last good version and the error:",
                               "{n} errors; the page shows the last good version and the errors:", n).format(n=n))
            for line in self.state.problems:
                self.echo(f"  {line}")
        except UserError as exc:
            self.state.problems = [str(exc)]
            self.echo(_("Error: {message}").format(message=exc))
        except Exception as exc:  # a bug in the generator: show it, but keep serving
            self.state.problems = [_("Internal error (a bug in the generator, not a mistake in your files): {error}")
                                   .format(error=f"{type(exc).__name__}: {exc}")]
            self.echo(self.state.problems[0])
        else:
            # The Word templates are checked too (as `make check` does), though the site does not use them.
            self.state.problems = [p.format() for kind, context in site.contexts.items()
                                   for p in check_template(self.templates / DOCUMENTS[kind].template, context)]
            for line in self.state.problems:
                self.echo(f"  {line}")
            self.state.warnings = len(site.validated.problems.warnings)
            seconds = time.perf_counter() - started
            line = ngettext("Rebuilt in {seconds} s: {n} file changed", "Rebuilt in {seconds} s: {n} files changed",
                            len(written)).format(seconds=f"{seconds:.1f}", n=len(written))
            if self.state.warnings:
                line += ", " + ngettext("{n} warning (make check lists it)", "{n} warnings (make check lists them)",
                                        self.state.warnings).format(n=self.state.warnings)
            self.echo(line)
        self.state.version += 1

    async def watch(self, stop: asyncio.Event) -> None:
        """Rebuild after every change in the source or the templates (batched within 0.1 s)."""
        self._changed = asyncio.Condition()
        self._loop = asyncio.get_running_loop()
        async for names in saves([self.source, self.templates], stop):
            if not names:
                continue  # watching now; the site was built before the server started
            self.echo(changed(names))
            await asyncio.to_thread(self.rebuild)
            async with self._changed:
                self._changed.notify_all()

    async def versions(self, shown: int) -> AsyncIterator[int]:
        """Each new version number, as it comes; first the current one if the page shows an older one."""
        while self._changed is None and not self.closing:
            await asyncio.sleep(0.05)
        while not self.closing and self._changed is not None:
            if self.state.version != shown:
                shown = self.state.version
                yield shown
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), timeout=15)
            if self.state.version == shown and not self.closing:
                yield -1  # a keep-alive: tells the server when the page has gone


def _snippet(state: PreviewState) -> str:
    """The reload script and, after a failed build, the error box; added to every served page."""
    box = ""
    if state.problems:
        items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in state.problems)
        box = ('<div role="alert" id="preview-fout" style="position:sticky;top:0;z-index:100;margin:0;padding:1rem;'
               'background:#FFF4F4;color:#1A1A1A;border:4px solid #A80000;font:1rem/1.4 Arial,sans-serif">'
               '<h2 style="margin:0 0 .5rem;color:#A80000;font-size:1.2rem">Fout in de bron of een sjabloon: de '
               'pagina toont de laatste goede versie</h2>'
               f'<ul style="margin:0;padding-left:1.25rem">{items}</ul>'
               '<p style="margin:.5rem 0 0">Verbeter het bestand en sla het op; de pagina laadt dan vanzelf '
               'opnieuw.</p></div>')
    script = ("<script>(function(){var shown=" + str(state.version) + ";var events=new EventSource('" + EVENTS
              + "?v='+shown);events.onmessage=function(e){var v=parseInt(e.data,10);"
              "if(v>=0&&v!==shown){events.close();location.reload();}};})();</script>")
    return box + script


def _error_page(state: PreviewState) -> str:
    return ('<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Voorbeeld: fout in de bron</title>'
            '</head><body><main><h1>Er is nog geen goede versie van de site</h1>' + _snippet(state)
            + "</main></body></html>")


def make_app(preview: Preview) -> Any:
    """The Starlette application: the site's files (pages with the reload script) and the events stream."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import FileResponse, HTMLResponse, Response, StreamingResponse
    from starlette.routing import Route

    stop = asyncio.Event()
    no_cache = {"Cache-Control": "no-store"}

    async def events(request: Request) -> Response:
        try:
            shown = int(request.query_params.get("v", "-1"))
        except ValueError:
            shown = -1

        async def stream() -> AsyncIterator[str]:
            yield "retry: 500\n\n"
            async for version in preview.versions(shown):
                if await request.is_disconnected() or stop.is_set():
                    break
                yield f"data: {version}\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream", headers=no_cache)

    async def page(request: Request) -> Response:
        root = preview.site_dir.resolve()
        wanted = request.path_params.get("path", "")
        target = (root / wanted).resolve()
        if target != root and root not in target.parents:
            return HTMLResponse("Niet gevonden", status_code=404)
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            if preview.state.problems and target.name == "index.html":
                return HTMLResponse(_error_page(preview.state), headers=no_cache)
            return HTMLResponse("<!DOCTYPE html><html lang='nl'><title>Niet gevonden</title><p>Niet gevonden</p>"
                                + _snippet(preview.state), status_code=404, headers=no_cache)
        if target.suffix == ".html":
            text = target.read_text(encoding="utf-8")
            snippet = _snippet(preview.state)
            if preview.state.problems and '<main id="inhoud" tabindex="-1">' in text:
                box, script = snippet.split("<script>", 1)
                text = text.replace('<main id="inhoud" tabindex="-1">', '<main id="inhoud" tabindex="-1">' + box, 1)
                snippet = "<script>" + script
            return HTMLResponse(text.replace("</body>", snippet + "</body>", 1), headers=no_cache)
        return FileResponse(target, headers=no_cache)

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        task = asyncio.create_task(preview.watch(stop))
        try:
            yield
        finally:
            stop.set()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    return Starlette(routes=[Route(EVENTS, events), Route("/{path:path}", page)], lifespan=lifespan)


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, so that a port in use is a plain message, not a server traceback."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(_("cannot serve on {address}: {reason}; another program (or another preview) "
                          "may use that port: choose another, e.g. {command}")
                        .format(address=f"{host}:{port}", reason=exc.strerror,
                                command=f"make preview-live PORT={port + 1}")) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def _echo(text: str) -> None:
    print(text, flush=True)


def serve(source: Path, year: int, output: Path, templates: Path, host: str, port: int,
          peildatum: dt.date | None = None, open_browser: bool = False,
          echo: Callable[[str], None] = _echo) -> None:
    """Build once, then serve OUTPUT/html on HOST:PORT and rebuild on every save until Ctrl-C."""
    import uvicorn

    if not source.is_dir():
        raise UserError(_("the source folder {folder} does not exist (use --source)").format(folder=source))
    sock = _bind(host, port)
    preview = Preview(source, year, output, templates, peildatum, echo)
    preview.rebuild()
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{sock.getsockname()[1]}/"
    echo(_("Serving {folder} at {url}").format(folder=output / SITE_DIR, url=url))
    echo(_("Watching {source} and {templates}; every save rebuilds and reloads the page. Press Ctrl-C to stop.")
         .format(source=display_path(source), templates=display_path(templates)))
    if open_browser:
        webbrowser.open(url)
    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            preview.close()
            super().handle_exit(sig, frame)

    config = uvicorn.Config(make_app(preview), log_level="warning", timeout_graceful_shutdown=2, lifespan="on")
    server = Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    echo(_("Preview stopped."))
    sys.stdout.flush()
