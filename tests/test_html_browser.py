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
from tests.conftest import EXAMPLES, ROOT, SOURCE

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


HANDBOOK = sorted(f"handleiding/{p.stem}.html" for p in (ROOT / "handleiding").glob("*.md"))


def _all_pages() -> list[str]:
    return ["index.html", "partners.html", *(kind.page.format(year=2026) for kind in DOCUMENTS.values()),
            "toegankelijkheid.html", "colofon.html", *HANDBOOK]


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
            if label != "zoom400" and name in [kind.page.format(year=2026) for kind in DOCUMENTS.values()]:
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


def _regions(page: Any) -> list[dict[str, Any]]:
    """Every table region of the page: whether it scrolls, is a keyboard stop, and where its caption is."""
    return list(page.evaluate("""() => [...document.querySelectorAll('.tabel')].map(r => {
        const c = r.querySelector('caption').getBoundingClientRect(), b = r.getBoundingClientRect();
        return {label: r.getAttribute('aria-label'), scrolls: r.scrollWidth > r.clientWidth + 1,
                focusable: r.tabIndex === 0 && r.hasAttribute('tabindex'), caption: c.width, right: c.right,
                region: b.width}; })"""))


@pytest.mark.parametrize("which", list(SOURCES))
def test_a_table_is_a_keyboard_stop_only_when_it_scrolls_and_its_caption_is_not_squeezed(
        which: str, sites: dict[str, Path], browser: tuple[Any, Requests, str]) -> None:
    """At desktop width no table scrolls and none is an extra Tab stop; on a phone the wide ones scroll."""
    context, requests, _ = browser
    scrolled = 0
    for size in (DESKTOP, PHONE, ZOOM_400):
        for name in [*(kind.page.format(year=2026) for kind in DOCUMENTS.values()), "handleiding/redacteuren.html"]:
            page = _open(context, requests, sites[which], name, size)
            for region in _regions(page):
                assert region["focusable"] == region["scrolls"], (name, size, region)
                # The caption is as wide as what is visible of the table, and stays on the screen.
                assert region["caption"] >= 0.9 * min(region["region"], size[0] - 32), (name, size, region)
                assert region["right"] <= size[0], (name, size, region)
                scrolled += region["scrolls"]
            if size == DESKTOP:
                assert not any(r["scrolls"] for r in _regions(page)), name
            page.close()
    assert scrolled > 10  # the phone and 400% zoom have wide tables that scroll
    assert not requests.outside


def test_zero_is_read_as_0_euro_and_an_action_id_once_per_row(sites: dict[str, Path],
                                                                browser: tuple[Any, Requests, str]) -> None:
    """What a screen reader gets (the accessibility tree): '0 euro', not 'euro streepje'; the ID once."""
    context, requests, _ = browser
    page = _open(context, requests, sites["examples"], DOCUMENTS["voortgang"].page.format(year=2026))
    zero = page.locator("td.bedrag", has_text="€ -").first
    assert zero.locator("[aria-hidden=true]").inner_text() == "€ -"  # what is seen: the house style, as in Word
    hidden = zero.locator(".voorlezen").bounding_box()
    assert hidden is not None and hidden["width"] <= 1 and hidden["height"] <= 1  # "0 euro" is not seen
    assert zero.aria_snapshot() == '- cell "0 euro"'
    row = page.locator("tr#S1-03").aria_snapshot()
    # Only the row header says the ID (with its link); the action's cell no longer repeats "[S1-03]".
    assert sum(line.lstrip().startswith("- rowheader") and "S1-03" in line for line in row.splitlines()) == 1, row
    cells = [line for line in row.splitlines() if line.lstrip().startswith(("- cell", "- 'cell"))]
    assert cells and not any("S1-03" in line for line in cells), row
    page.close()


@pytest.mark.parametrize("which", list(SOURCES))
def test_printed_on_a4_with_the_marking_on_every_page(which: str, sites: dict[str, Path],
                                                      browser: tuple[Any, Requests, str], tmp_path: Path) -> None:
    """Chromium prints each document on A4; a concept or fictitious page says so at the top of every page."""
    import shutil
    import subprocess

    from tests.browser_support import missing

    if not shutil.which("pdftotext") or not shutil.which("pdfinfo"):
        missing("poppler-utils", "apt-get install poppler-utils")
    context, requests, _ = browser
    for kind, marks in (("agenda", ["Concept"]), ("voortgang", ["Concept"])):
        page = _open(context, requests, sites[which], DOCUMENTS[kind].page.format(year=2026))
        pdf = tmp_path / f"{which}-{kind}.pdf"
        pdf.write_bytes(page.pdf(prefer_css_page_size=True))
        page.close()
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "(A4)" in info, info
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")[:-1]
        assert len(pages) > 5
        expected = [*marks, *(["VOORBEELD - fictieve gegevens"] if which == "examples" else [])]
        for number, text in enumerate(pages, 1):
            top = " ".join(text.strip().splitlines()[:2])
            assert all(mark in top for mark in expected), f"{kind} page {number}: {top!r}"
    assert not requests.outside
