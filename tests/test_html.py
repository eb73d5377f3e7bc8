"""The website edition says exactly what the Word documents say: every action, status, amount and chart.

These tests read the built pages with lxml and the built .docx with `generator.review.docxtext`;
tests/test_html_browser.py opens the same pages in a real browser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from docx import Document
from docx.oxml.ns import qn

from generator import pipeline
from generator.content.context import FICTITIOUS_NOTICE
from generator.kinds import DOCUMENTS
from generator.review.docxtext import docx_lines
from tests.conftest import EXAMPLES, FILES, REPORTS, ROOT, SOURCE

SOURCES = {"real": SOURCE, "examples": EXAMPLES}


def build_both(source: Path, out: Path) -> tuple[dict[str, Path], Path]:
    """The three .docx and the site from one source."""
    pipeline.build(source, 2026, out, REPORTS)
    pipeline.html(source, 2026, out)
    return {name: out / FILES[name] for name in REPORTS}, out / "html"


@pytest.fixture(scope="module", params=list(SOURCES))
def built(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Path], Path]:
    out = tmp_path_factory.mktemp(f"html-{request.param}")
    docs, site = build_both(SOURCES[request.param], out)
    return request.param, docs, site


def _norm(text: str) -> str:
    return " ".join(text.split())


def _page(site: Path, kind: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / DOCUMENTS[kind].page.format(year=2026))).getroot()


_BLOCKS = {"p", "li", "ul", "ol", "div", "br"}


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    """A cell's text as docxtext gives a Word cell: its paragraphs joined by a space, links and spans inline.

    What is shown, as in Word: text only for screen readers (`.voorlezen`, "0 euro" for "€ -") is left out, and
    so is the source link of an action (`.bron`: the website's own; Word has the bookmarks instead).
    """
    parts: list[str] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        if "voorlezen" in element.classes or "bron" in element.classes:
            return
        block = element is not cell and element.tag in _BLOCKS
        parts.append(" " if block else "")
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")
        parts.append(" " if block else "")

    walk(cell)
    return _norm("".join(parts))


def _html_table_lines(page: lxml.html.HtmlElement) -> list[str]:
    """Every table row of the page's main content as `| cell | cell |`, like docxtext's lines."""
    lines = []
    for table in page.iter("table"):
        for row in table.iter("tr"):
            cells = [_cell_text(cell) for cell in row if cell.tag in ("th", "td")]
            lines.append(_norm("| " + " | ".join(cells) + " |"))
    return lines


def _docx_lines(path: Path) -> list[str]:
    return [_norm(line) for line in docx_lines(path.read_bytes())]


def test_every_table_row_is_the_same_as_in_word(built: tuple[str, dict[str, Path], Path]) -> None:
    """Every amount, status and budget line: the whole of every table, row by row, in order."""
    _, docs, site = built
    for kind in REPORTS:
        word = [line for line in _docx_lines(docs[kind]) if line.startswith("|")]
        web = _html_table_lines(_page(site, kind))
        assert len(word) > 10
        assert web == word, kind


def test_every_action_reads_the_same_as_in_word(built: tuple[str, dict[str, Path], Path]) -> None:
    """Per action in the agenda: title, text, ID, sub-items and partners, compared as whole text."""
    _, docs, site = built
    lines = [line.lstrip("•").strip() for line in _docx_lines(docs["agenda"])]
    page = _page(site, "agenda")
    actions = page.xpath('//li[@class="actie"]')
    assert len(actions) == 113
    for item in actions:
        ident = item.get("id")
        at = next(i for i, line in enumerate(lines) if line.endswith(f"[{ident}]"))
        start = at - 1 if item.xpath('./p[@class="actietitel"]') else at
        end = at + 1 + len(item.xpath("./ul/li")) + len(item.xpath('./p[@class="partners"]'))
        # The source link is the website's own (Word has the bookmarks instead).
        bron = "".join(p.text_content() for p in item.xpath('./p[@class="bron"]'))
        assert _norm(item.text_content().replace(bron, "")) == " ".join(lines[start:end]), ident
    for kind in ("voortgang", "jaarverslag"):
        rows = _page(site, kind).xpath("//tr[@id]")
        assert sorted(r.get("id") for r in rows) == sorted(a.get("id") for a in actions), kind


def test_every_paragraph_of_word_is_on_the_page_in_the_same_order(built: tuple[str, dict[str, Path], Path]) -> None:
    """Headings, running text, lists: everything a reader sees in the Word body is on the web page."""
    _, docs, site = built
    placeholder = "De inhoudsopgave wordt bijgewerkt bij het openen of omzetten naar PDF."
    for kind in REPORTS:
        text = _norm(_page(site, kind).find("body").text_content())
        at = 0
        for line in _docx_lines(docs[kind]):
            if line.startswith("|") or line == placeholder:
                continue
            line = re.sub(r"^(#+|•|1\.) ", "", line)
            found = text.find(line, at)
            assert found >= 0, f"{kind}: not on the page (after position {at}): {line!r}"
            at = found + len(line)


def _word_alt_texts(path: Path) -> list[str]:
    xml = Document(str(path)).element.xml
    return re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)


def test_charts_have_the_same_alternative_text_as_in_word(built: tuple[str, dict[str, Path], Path]) -> None:
    _, docs, site = built
    for kind in ("voortgang", "jaarverslag"):
        images = _page(site, kind).xpath("//main//img")
        web = [img.get("alt") for img in images]
        word = [lxml.html.fromstring(f"<p>{alt}</p>").text_content() for alt in _word_alt_texts(docs[kind])]
        assert web == word and len(web) == {"voortgang": 1, "jaarverslag": 2}[kind]
        for img in images:
            data = (site / img.get("src")).read_bytes()
            assert data.startswith(b"\x89PNG")


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


HANDBOOK = sorted(f"handleiding/{p.stem}.html" for p in (ROOT / "handleiding").glob("*.md"))


def test_accessible_structure_on_every_page(built: tuple[str, dict[str, Path], Path]) -> None:
    """lang, title, one h1, skip link, navigation; tables with caption and scoped headers; status in words."""
    which, _, site = built
    assert [p.relative_to(site).as_posix() for p in _pages(site)] == sorted(
        ["index.html", "partners.html", "toegankelijkheid.html", "colofon.html", *HANDBOOK,
         *(DOCUMENTS[k].page.format(year=2026) for k in DOCUMENTS)])
    assert len(HANDBOOK) == 6
    for path in _pages(site):
        page = lxml.html.parse(str(path)).getroot()
        assert page.get("lang") == "nl"
        assert page.findtext(".//title").strip()
        assert len(page.xpath("//h1")) == 1, path.name
        skip = page.xpath("//body/*[1]")[0]
        assert skip.tag == "a" and skip.get("href") == "#inhoud" and page.get_element_by_id("inhoud").tag == "main"
        assert page.xpath('//nav//a[@aria-current="page"] | //footer//a[@aria-current="page"]'), path.name
        for table in page.iter("table"):
            assert _norm(table.findtext("caption") or ""), path.name
            assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))
            assert table.xpath("./thead/tr/th")
        for cell in page.xpath('//td[contains(@class, "status")]'):
            assert _norm(cell.text_content()), "a status is always written in words"
        for cell in page.xpath('//td[contains(@class, "bedrag")]'):
            value = _cell_text(cell)
            assert not value.startswith("€") or re.fullmatch(r"€ (-|-?\d{1,3}(\.\d{3})*)", value), value
            if value == "€ -":  # shown in the house style, read as "0 euro" (not "euro streepje")
                assert [_norm(e.text_content()) for e in cell.xpath('.//*[@aria-hidden="true"]')] == ["€ -"]
                assert _norm(cell.xpath('.//*[contains(@class, "voorlezen")]')[0].text_content()) == "0 euro"
        notice = FICTITIOUS_NOTICE in _norm(page.find("body").text_content())
        assert notice == (which == "examples"), path.name
        assert (FICTITIOUS_NOTICE in page.findtext(".//title")) == (which == "examples")
    css = (site / "style.css").read_text()
    assert ".bedrag { text-align: right;" in css and "@media print" in css and ":focus-visible" in css


def test_every_action_has_an_anchor_and_a_visible_link_to_it(built: tuple[str, dict[str, Path], Path]) -> None:
    _, _, site = built
    for kind in DOCUMENTS:
        page = _page(site, kind)
        ids = page.xpath("//*[@id]/@id")
        assert len(ids) == len(set(ids)), f"{kind}: an ID is used twice"
        for target in page.xpath('//*[@id][contains(@class, "actie") or self::tr]'):
            ident = target.get("id")
            assert re.fullmatch(r"[A-Z0-9]+-\d+", ident)
            links = target.xpath(f'.//a[@href="#{ident}"]')
            assert links and _norm(links[0].text_content()) == ident


def test_links_stay_inside_the_site_and_every_target_exists(built: tuple[str, dict[str, Path], Path]) -> None:
    """Self-contained: only its own small script, no external URL; every link and fragment resolves inside the site.

    An e-mail address (mailto:) from site.yaml is the one link with a scheme: it opens the mail program."""
    _, _, site = built
    ids = {path.resolve(): set(lxml.html.parse(str(path)).getroot().xpath("//*[@id]/@id")) for path in _pages(site)}
    for path in _pages(site):
        page = lxml.html.parse(str(path)).getroot()
        assert not page.xpath("//script[not(substring(@src, string-length(@src) - 7) = 'tabel.js')] | //iframe "
                              "| //object | //embed | //@style[contains(., 'url(')]")
        for _, _, link, _ in page.iterlinks():
            parts = urlsplit(link)
            if parts.scheme == "mailto":
                continue
            assert not parts.scheme and not parts.netloc, f"{path.name}: external {link}"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file() and site.resolve() in target.parents, f"{path.name}: {link}"
            if parts.fragment:
                assert parts.fragment in ids[target], f"{path.name}: {link} points at nothing"
    assert "url(" not in (site / "style.css").read_text() and "@import" not in (site / "style.css").read_text()


def test_the_partner_page_links_to_every_action_of_each_partner(built: tuple[str, dict[str, Path], Path]) -> None:
    which, _, site = built
    page = lxml.html.parse(str(site / "partners.html")).getroot()
    for entry in pipeline.partner_actions(SOURCES[which], 2026):
        section = page.get_element_by_id(f"partner-{entry['id']}")
        assert _norm(section.text_content()) == entry["name"]
        links = section.xpath('following-sibling::ul[1][@class="partneracties"]//a/@href') if entry["actions"] else []
        assert links == [f"uitvoeringsagenda-2026.html#{a}" for a in entry["actions"]]  # type: ignore[union-attr]


def test_the_site_is_deterministic(built: tuple[str, dict[str, Path], Path], tmp_path: Path) -> None:
    which, _, site = built
    pipeline.html(SOURCES[which], 2026, tmp_path)
    again = tmp_path / "html"
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for name in files:
        assert (site / name).read_bytes() == (again / name).read_bytes(), name


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd,
                          check=False)


def test_cli_writes_the_site_and_a_broken_source_writes_nothing(source_copy: Path, tmp_path: Path) -> None:
    result = _cli("html", "--source", str(source_copy), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert f"{tmp_path / 'out' / 'html' / 'index.html'} (written)" in result.stdout
    before = {p: p.read_bytes() for p in (tmp_path / "out" / "html").rglob("*") if p.is_file()}
    spoor = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    text = spoor.read_text().replace("partners: [dealbreakers, gemeenten]", "partners: [dealbreakers, gemeentn]", 1)
    spoor.write_text(text)
    result = _cli("html", "--source", str(source_copy), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert re.search(r"spoor-1\.yaml:\d+: sections\[\d+\]\.actions\[\d+\]\.partners\[1\]: unknown partner 'gemeentn'",
                     result.stderr), result.stderr
    assert "Traceback" not in result.stderr and "Nothing was written." in result.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "out" / "html").rglob("*") if p.is_file()} == before


def test_a_broken_html_template_is_reported_with_file_and_line(tmp_path: Path) -> None:
    from generator.errors import ValidationFailed
    from generator.publish.html import HTML_TEMPLATES, build_site

    templates = tmp_path / "html"
    shutil.copytree(HTML_TEMPLATES, templates)
    page = templates / "voortgang.html"
    lines = page.read_text().splitlines()
    lines[9] = lines[9] + " {% if %}"
    page.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValidationFailed) as caught:
        build_site(EXAMPLES, 2026, templates=templates)
    problem = caught.value.problems.errors[0]
    assert problem.file.endswith("voortgang.html") and problem.line == 10
    assert "template error" in problem.message

    page.write_text("\n".join([*lines[:9], lines[9].replace(" {% if %}", "{{ reportd_line }}"), *lines[10:]]))
    with pytest.raises(ValidationFailed) as caught:
        build_site(EXAMPLES, 2026, templates=templates)
    problem = caught.value.problems.errors[0]
    assert problem.file.endswith("voortgang.html") and problem.line == 10
    assert problem.message == "template error: 'reportd_line' is undefined"


def test_text_from_the_source_is_never_markup(source_copy: Path, tmp_path: Path) -> None:
    """An editor's `<script>` or `&` is shown as text, never run or interpreted."""
    spoor = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    text = spoor.read_text(encoding="utf-8")
    assert text.count("jeugdaanpak ervoor staat") == 1
    spoor.write_text(text.replace("jeugdaanpak ervoor staat",
                                  "jeugdaanpak <script>alert(1)</script> & <b>ervoor</b> staat"), encoding="utf-8")
    site, _, _ = pipeline.html(source_copy, 2026, tmp_path)
    page = (tmp_path / "html" / site.pages["agenda"]).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;ervoor&lt;/b&gt; staat" in page
    assert page.count("<script") == 1 and '<script src="tabel.js" defer></script>' in page  # only the site's own
    assert "<b>" not in page


def _title_block(page: lxml.html.HtmlElement) -> list[str]:
    return [_norm(e.text_content()) for e in page.xpath('//div[@class="titelblok"]/*')]


def _word_title_page(path: Path) -> list[str]:
    lines = _docx_lines(path)
    start = next(i for i, line in enumerate(lines) if line.startswith("# "))
    return [line.removeprefix("# ") for line in lines[start:lines.index("Inhoudsopgave")]]


def test_lifecycle_aandachtspunten_and_mentions_as_in_word(examples_copy: Path, tmp_path: Path) -> None:
    """An adopted agenda beside concept reports; an action ID in a toelichting links to the action's row."""
    agenda = examples_copy / "2026" / "agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace("adopted_on: null", "adopted_on: 2025-12-09", 1),
                      encoding="utf-8")
    voortgang = examples_copy / "2026" / "voortgang" / "2026-06-30.yaml"
    text = voortgang.read_text(encoding="utf-8")
    old = "toelichting: \"Afstemming met partners kost meer tijd dan voorzien; bijsturing is ingezet (fictief).\""
    assert old in text
    voortgang.write_text(text.replace(old, old[:-1] + " Zie ook S1-05 en XX-99.\"", 1), encoding="utf-8")
    docs, site = build_both(examples_copy, tmp_path)

    pages = {kind: _page(site, kind) for kind in REPORTS}
    for kind, page in pages.items():
        assert _title_block(page) == _word_title_page(docs[kind]), kind
    assert "Vastgesteld door de stuurgroep RIEC Den Haag op 9 december 2025" in _title_block(pages["agenda"])
    assert not pages["agenda"].xpath('//*[@class="concept"]')
    for kind in ("voortgang", "jaarverslag"):  # the reports are still concepts: said on the page, as in each header
        notice = _norm(pages[kind].xpath('//header//p[@class="concept"]')[0].text_content())
        assert notice.startswith(_title_block(pages[kind])[3] + ", versie "), notice

    # Aandachtspunten come after the samenvatting and before the complete listing, as in Word.
    headings = [_norm(h.text_content()) for h in pages["voortgang"].xpath("//main//h2")]
    order = ["Samenvatting", "Aandachtspunten", "Voortgang per hoofdstuk", "Besluitpunten voor de stuurgroep"]
    assert sorted(order, key=headings.index) == order
    headings = [_norm(h.text_content()) for h in pages["jaarverslag"].xpath("//main//h2")]
    order = ["Samenvatting", "Aandachtspunten", "Resultaten per hoofdstuk", "Besluiten van de stuurgroep"]
    assert sorted(order, key=headings.index) == order

    # Every mention of a known action links to its row in the listing, in Word and on the page alike.
    page = pages["voortgang"]
    word_links = [link.get(qn("w:anchor")) for link in Document(str(docs["voortgang"])).element.body.iter(
        qn("w:hyperlink")) if "S1_05" in (link.get(qn("w:anchor")) or "")]
    mentions = page.xpath('//td//a[@href="#S1-05"]')
    assert len(mentions) >= 2 and len(word_links) >= len(mentions)  # the listing and the aandachtspunten
    assert all(_norm(a.text_content()) == "S1-05" for a in mentions)
    assert not page.xpath('//a[@href="#XX-99"]') and "Zie ook S1-05 en XX-99." in _norm(page.text_content())
    assert page.get_element_by_id("S1-05").tag == "tr"


def test_the_statement_names_the_axe_core_version_the_tests_run() -> None:
    """The toegankelijkheidsverklaring says which axe-core found nothing: the version tests/browser installs."""
    import json

    from generator.publish.html import AXE_VERSION

    package = json.loads((ROOT / "tests" / "browser" / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["axe-core"] == AXE_VERSION


def test_the_handbook_and_the_statement_are_pages_of_the_site(built: tuple[str, dict[str, Path], Path]) -> None:
    """Built from handleiding/*.md with the site's templates; the statement and colofon say what site.yaml says."""
    which, _, site = built
    secretaris = lxml.html.parse(str(site / "handleiding" / "secretaris.html")).getroot()
    assert _norm(secretaris.findtext(".//h1")) == "Handleiding voor de secretaris"
    assert secretaris.xpath('//link[@href="../style.css"]') and secretaris.xpath('//a[@href="redacteuren.html"]')
    assert "make pdf" in [_norm(e.text_content()) for e in secretaris.xpath("//pre/code")]
    statement = _norm(lxml.html.parse(str(site / "toegankelijkheid.html")).getroot().text_content())
    assert "axe-core 4.14.1" in statement and "Wat nog niet is getest" in statement
    colofon = lxml.html.parse(str(site / "colofon.html")).getroot()
    footer = [a.get("href") for a in lxml.html.parse(str(site / "index.html")).getroot().xpath("//footer//a")]
    assert "colofon.html" in footer and "toegankelijkheid.html" in footer
    if which == "examples":
        assert "voldoet gedeeltelijk" in statement and "toegankelijkheid@voorbeeld.example" in statement
        assert colofon.xpath('//a[@href="mailto:toegankelijkheid@voorbeeld.example"]')
    else:  # the real source's contact is for the RIEC-bureau to fill in: the pages say it is missing
        assert "nog niet vastgesteld" in statement and "nog niet ingevuld" in statement
