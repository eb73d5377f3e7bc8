"""The website edition in a real browser: axe-core on every page, anchors, screenshots, no outside requests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.kinds import DOCUMENTS
from generator.source.validate import load_agenda
from tests.browser_support import axe_source, chromium, describe, run_axe
from tests.conftest import EXAMPLES, SOURCE

SOURCES = {"real": SOURCE, "examples": EXAMPLES}
DESKTOP, PHONE, ZOOM_400 = (1280, 900), (375, 812), (320, 225)  # 400% zoom of a 1280x900 window


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sites")
    for name, source in SOURCES.items():
        pipeline.html(source, 2026, out / name)
    return {name: out / name / "html" for name in SOURCES}


class Requests:
    """Every request the pages make; anything but a file inside the site is refused and remembered."""

    def __init__(self) -> None:
        self.site: Path | None = None
        self.outside: list[str] = []
        self.seen: list[str] = []

    def handle(self, route: Any) -> None:
        url = route.request.url
        self.seen.append(url)
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve()
        if parts.scheme == "file" and self.site is not None and self.site.resolve() in path.parents:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Requests, str]]:
    axe = axe_source()
    requests = Requests()
    with chromium(tmp_path_factory.mktemp("profile")) as context:
        context.route("**/*", requests.handle)
        yield context, requests, axe


def _open(context: Any, requests: Requests, site: Path, name: str, size: tuple[int, int] = DESKTOP) -> Any:
    page = context.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    requests.site = site
    page.goto((site / name).as_uri())
    return page


def _all_pages() -> list[str]:
    return ["index.html", "partners.html", *(kind.page.format(year=2026) for kind in DOCUMENTS.values())]


@pytest.mark.parametrize("which", list(SOURCES))
def test_axe_finds_no_wcag_21_aa_violation_on_any_page(which: str, sites: dict[str, Path],
                                                       browser: tuple[Any, Requests, str]) -> None:
    context, requests, axe = browser
    found = {}
    for name in _all_pages():
        page = _open(context, requests, sites[which], name)
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)"), name
        violations = run_axe(page, axe)
        if violations:
            found[name] = describe(violations)
        page.close()
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())
    assert not requests.outside, f"requests outside output/html: {requests.outside}"
    assert any(url.endswith("style.css") for url in requests.seen)
    assert any(url.endswith(".png") for url in requests.seen)


@pytest.mark.parametrize("which", list(SOURCES))
def test_every_action_anchor_exists_and_scrolls_into_view(which: str, sites: dict[str, Path],
                                                          browser: tuple[Any, Requests, str]) -> None:
    context, requests, _ = browser
    ids = [a.id for _, _, a in load_agenda(SOURCES[which], 2026).agenda.actions()]
    assert len(ids) == 113
    for kind in DOCUMENTS:
        name = DOCUMENTS[kind].page.format(year=2026)
        page = _open(context, requests, sites[which], name)
        missing = page.evaluate("ids => ids.filter(id => { const e = document.getElementById(id);"
                                " return !e || !e.querySelector(`a[href='#${id}']`); })", ids)
        assert not missing, f"{name}: no anchor with a link to itself for {missing}"
        for ident in (ids[0], ids[len(ids) // 2], ids[-1]):
            page.goto((sites[which] / name).as_uri() + "#" + ident)
            top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", ident)
            assert 0 <= top < 100, f"{name}#{ident} is not scrolled into view (top {top})"
        page.close()
    assert not requests.outside


@pytest.mark.parametrize("which", list(SOURCES))
def test_screenshots_at_desktop_and_phone_width_and_no_page_wide_scrolling(
        which: str, sites: dict[str, Path], browser: tuple[Any, Requests, str], tmp_path: Path) -> None:
    """The first screen of each document; kept in RIEC_SCREENSHOTS (a folder) to look at, if set."""
    context, requests, _ = browser
    folder = Path(os.environ.get("RIEC_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name in _all_pages():
        for label, size in (("desktop", DESKTOP), ("telefoon", PHONE), ("zoom400", ZOOM_400)):
            page = _open(context, requests, sites[which], name, size)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size[0], f"{name} at {size[0]} px needs horizontal scrolling ({width} px)"
            if label != "zoom400" and name != "index.html" and name != "partners.html":
                shot = folder / f"{which}-{name.removesuffix('.html')}-{label}.png"
                page.screenshot(path=str(shot))
                assert shot.stat().st_size > 10_000
            page.close()
    assert not requests.outside


def test_keyboard_skip_link_visible_focus_and_print_stylesheet(sites: dict[str, Path],
                                                               browser: tuple[Any, Requests, str]) -> None:
    context, requests, _ = browser
    page = _open(context, requests, sites["examples"], DOCUMENTS["voortgang"].page.format(year=2026))
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
        const r = e.getBoundingClientRect();
        return {text: e.textContent, outline: s.outlineStyle, width: s.outlineWidth, top: r.top, h: r.height}; }""")
    assert focused["text"] == "Direct naar de inhoud"
    assert focused["outline"] == "solid" and focused["width"] == "3px" and focused["top"] >= 0 and focused["h"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.emulate_media(media="print")
    hidden = page.evaluate("[...document.querySelectorAll('nav.site, nav.toc, .skip')]"
                           ".every(e => getComputedStyle(e).display === 'none')")
    assert hidden
    assert page.evaluate("getComputedStyle(document.querySelector('.voorbeeld')).display") != "none"
    page.close()
