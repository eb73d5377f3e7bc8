"""The website edition names the source of every action, text and amount, and that place is the value.

Each check reads the named line of the named file back: a `data-bron="source/2026/...yaml:12"` must point
at the line where its value is written, a CSV cell's at the row that holds its amount, an action's link
at the line where the action starts.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import cache

import lxml.html
import pytest

from generator.content.report_context import NOT_REPORTED
from generator.kinds import DOCUMENTS
from generator.publish.html import COMPUTED, Site, build_site
from generator.source import provenance as pv
from generator.source.finance import TO_FILL_IN
from tests.conftest import EXAMPLES, ROOT, SOURCE

URL = "https://gitlab.example/riec/documenten/-/blob/main/{path}#L{line}"
SOURCES = {"real": SOURCE, "examples": EXAMPLES}
# What a cell says when there is no value to name a source for (no row, no figure).
NO_VALUE = {NOT_REPORTED, "niet bekend", ""}
MIN_TEXT = 20  # a shorter text ("Frictiebudget") is found inside template text by chance; a whole one is not


@pytest.fixture(scope="module", params=list(SOURCES))
def built(request: pytest.FixtureRequest) -> Iterator[tuple[Site, str]]:
    """The site of a source, and the source folder as its pages name it (relative to where make runs)."""
    source = SOURCES[request.param]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        yield build_site(source, 2026, bron_url=URL), source.relative_to(ROOT).as_posix()


@pytest.fixture
def site(built: tuple[Site, str]) -> Site:
    return built[0]


def _main(site: Site, kind: str) -> lxml.html.HtmlElement:
    page = lxml.html.fromstring(site.files[site.pages[kind]].decode("utf-8"))
    main: lxml.html.HtmlElement = page.find(".//main")
    return main


def _norm(text: str) -> str:
    return " ".join(text.split())


@cache
def _lines(path: str) -> list[str]:
    return (ROOT / path).read_text(encoding="utf-8").splitlines()


def _action_rows(main: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The complete listing: the agenda's action items, the reports' action rows."""
    return list(main.xpath('.//li[@class="actie"] | .//tr[@id]'))


def _links(element: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return list(element.xpath('.//p[@class="bron"][@data-bron]'))


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_every_action_has_one_bron_link_to_the_line_where_it_starts(site: Site, kind: str) -> None:
    main = _main(site, kind)
    rows = _action_rows(main)
    assert len(rows) > 10
    for row in rows:
        action = row.get("id")
        (link,) = _links(row)
        path, line = link.get("data-bron").rsplit(":", 1)
        # Read the named line back: it is where the action starts.
        assert _lines(path)[int(line) - 1].strip() == f"- id: {action}", (kind, action)
        href = URL.replace("{path}", path).replace("{line}", line)
        (anchor,) = link.findall("a")
        assert anchor.get("href") == href and anchor.text == f"Bron van {action}: {path}, regel {line}"
    # Mentions (aandachtspunten, besluitpunten) link to the listing, which has the action's one source link.
    assert len(_links(main)) == len(rows)


def test_without_bron_url_the_place_is_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("BRON_URL", raising=False)
    page = build_site(SOURCE, 2026).files["uitvoeringsagenda-2026.html"].decode("utf-8")
    texts = re.findall(r'<p class="bron" data-bron="[^"]+">(.*?)</p>', page)
    assert texts and all(t.startswith("Bron: source/2026/hoofdstukken/") and "<a" not in t for t in texts)


_KEY = re.compile(r"^(?:- )*(?:[\w-]+: *)?")
_BLOCK_SCALAR = re.compile(r"^[|>][-+]?$")


def _yaml_value_at(lines: list[str], line: int) -> str:
    """The start of the value written on a YAML line (after `- ` and `key:`), or on the next for a block scalar."""
    rest = _KEY.sub("", lines[line - 1].strip())
    if not rest or _BLOCK_SCALAR.match(rest):
        rest = next(text.strip() for text in lines[line:] if text.strip())
    # Up to a year placeholder or an escape, which the printed text shows filled in or unescaped.
    return _norm(re.split(r"\{|\\|''", rest.lstrip("\"'"))[0])


def _amount(text: str) -> str | None:
    """A printed amount or figure as the source writes it: `€ 5.953.678` -> `5953678`, `€ -` -> `0`, `3,4` -> `3.4`."""
    if text == "€ -":
        return "0"
    number = text.removeprefix("€ ").replace(".", "").replace(",", ".")
    return number if re.fullmatch(r"-?\d+(\.\d+)?", number) else None


def _is_at(text: str, path: str, line: int) -> bool:
    """Whether the value `text` (as printed) is written on line `line` of `path`."""
    lines = _lines(path)
    written = lines[line - 1]
    amount = _amount(text)
    if path.endswith(".csv"):
        fields = next(csv.reader([written]))
        if amount is not None:
            return amount.lstrip("-") in (f.lstrip("-") for f in fields)
        # A text cell (a label, a toelichting) is the field; "nog niet gerapporteerd" stands for an empty one.
        return any(f and _norm(f) in text for f in fields) or (text in NO_VALUE | {TO_FILL_IN} and "" in fields)
    if amount is not None and re.search(rf"(?<![\d.]){re.escape(amount)}(?![\d.])", written):
        return True
    start = _yaml_value_at(lines, line)
    # The printed text holds what the line says (a title after its number, a text before its ID) or the reverse.
    return text in _norm(written) or (bool(start) and start[:60] in text)


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_every_marked_value_is_on_the_line_it_names(site: Site, kind: str) -> None:
    main = _main(site, kind)
    action_links = set(_links(main))
    checked = computed = 0
    for element in main.xpath(".//*[@data-bron]"):
        if element in action_links:
            continue
        place = element.get("data-bron")
        if place == COMPUTED:
            computed += 1
            continue
        path, line = place.rsplit(":", 1)
        text = _norm(element.text_content())
        assert _is_at(text, path, int(line)), (kind, place, text, _lines(path)[int(line) - 1])
        checked += 1
    assert checked > 50 and computed > 10


def _shown_values(value: object) -> Iterator[pv.Sourced]:
    for text, _origin in pv.origins(value):
        assert isinstance(text, pv.Sourced)
        yield text


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_no_amount_or_sourced_text_on_the_page_lacks_its_source(site: Site, kind: str) -> None:
    main = _main(site, kind)
    # Every amount cell: from a CSV line, or computed.
    for cell in main.xpath('.//td[contains(@class, "bedrag")]'):
        text = _norm(cell.text_content())
        if text.replace(" 0 euro", "") not in NO_VALUE:
            assert cell.xpath("descendant-or-self::*[@data-bron]"), (kind, cell.getparent()[0].text_content(), text)
    # No text of the source (each piece of the context the page is made from) is shown outside an element
    # that names its source: the page's text with every marked element left out holds none of them.
    for element in main.xpath(".//*[@data-bron]"):
        element.drop_tree()  # keeps the text after it
    unmarked = {_norm(text) for text in main.xpath(".//text()")} - {""}
    missing = {str(value) for value in _shown_values(site.contexts[kind]) if not value.origin.computed
               and any(_norm(value) == text or (len(value) >= MIN_TEXT and _norm(value) in text) for text in unmarked)}
    assert not missing, (kind, sorted(missing)[:10])


def test_no_attribute_or_title_holds_the_marking() -> None:
    """Markup in an attribute or the <title> would be shown as text: there a sourced value is plain."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        site = build_site(EXAMPLES, 2026, bron_url=URL)
    for name, data in site.files.items():
        if not name.endswith(".html"):
            continue
        page = lxml.html.fromstring(data.decode("utf-8"))
        for element in page.iter():
            assert not any("data-bron" in value for value in element.attrib.values()), (name, element.tag)
        assert "<" not in page.findtext(".//title"), name
