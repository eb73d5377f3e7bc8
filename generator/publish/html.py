"""The website edition: a static, accessible HTML site built from the same contexts as the Word documents.

Every page is rendered with Jinja2 (sandboxed, autoescaped) from `templates/html/` using exactly the
context that the .docx templates get, so texts, statuses and amounts cannot differ. The site has no
fonts or anything else from outside, and one small script of its own (`tabel.js`, which only makes a
table a keyboard stop when it scrolls; every page works without it): it works from `file://` and from
any static host, and the same source gives the same bytes.

The site also holds the handbook (`handleiding/*.md`, Markdown, in `handleiding/` of the site), the
toegankelijkheidsverklaring and the colofon; what they say about the organisation (contact, colofon,
the status of the statement) comes from `source/site.yaml`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

from ..cache import NO_CACHE, Cache
from ..content import context as ctx
from ..content.charts import Chart
from ..content.years import fill_years
from ..errors import Problem, Problems, ValidationFailed
from ..i18n import _
from ..kinds import DOCUMENTS
from ..render.action import action_lines, mention_parts
from ..render.documents import CONTEXTS, is_fictitious
from ..source import provenance as pv
from ..source.load import display_path
from ..source.model import SiteSettings
from ..source.progress import Reports, load_reports
from ..source.validate import Validated, load_agenda, load_site
from ..staleness import TEMPLATES_DIR

HTML_TEMPLATES = TEMPLATES_DIR / "html"
SITE_DIR = "html"  # inside the output folder

DESCRIPTIONS = {
    "agenda": "De acties van het RIEC en zijn partners voor {year}, per spoor en hoofdstuk, met de begroting.",
    "voortgang": "De stand van zaken van elke actie op de peildatum, en de financiële voortgang.",
    "jaarverslag": "Verantwoording over {year}: eindstatus en resultaat per actie, effecten, kerncijfers "
                   "en de financiële realisatie.",
}
STATIC = ("style.css", "tabel.js")
HANDBOOK_DIR = TEMPLATES_DIR.parent / "handleiding"  # the handbook's Markdown, one file per role
HANDBOOK_SITE_DIR = "handleiding"  # inside the site
# What the statement says was tested automatically: the version of axe-core the tests run (a test keeps it
# equal to tests/browser/package.json).
AXE_VERSION = "4.14.1"


@dataclass
class Site:
    """A rendered site: relative path -> bytes, and the validated source it came from."""

    validated: Validated
    settings: SiteSettings = field(default_factory=SiteSettings)
    files: dict[str, bytes] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # document kind -> page file name
    contexts: dict[str, dict[str, Any]] = field(default_factory=dict)  # document kind -> its (Word) context


def slug(text: object) -> str:
    """An ID for an anchor: `Spoor 1: Jeugd` -> `spoor-1-jeugd`."""
    value = re.sub(r"[^a-z0-9]+", "-", str(text).lower().translate(str.maketrans("áàäâéèëêíïîóöôúüû",
                                                                                 "aaaaeeeeiiiooouuu")))
    return value.strip("-") or "x"


COMPUTED = "berekend"  # the data-bron of a value the generator makes (a total, a difference, a joined list)


def _place(origin: pv.Origin, folder: str) -> str:
    """What `data-bron` says of an origin: `source/2026/inleiding.yaml:12`, or `berekend`; '' for none."""
    if origin.computed:
        return COMPUTED
    if not origin.file:
        return ""
    return f"{folder}/{origin.file}:{origin.line}" if origin.line else f"{folder}/{origin.file}"


def _first_origin(value: object) -> pv.Origin | None:
    """The origin of a sourced text (of a joined one: its first sourced piece's)."""
    if isinstance(value, pv.Sourced):
        return value.origin
    if isinstance(value, pv.Joined):
        return next((p.origin for p in value.parts if isinstance(p, pv.Sourced)), None)
    return None


def _bron_attr(value: object, folder: str) -> Markup:
    """` data-bron="..."` for an element that holds one sourced value; nothing for template text."""
    origin = _first_origin(value)
    place = _place(origin, folder) if origin else ""
    return Markup(f' data-bron="{escape(place)}"') if place else Markup("")


def _marked(value: object, show: Callable[[str], Markup], folder: str) -> Markup:
    """A value as HTML (`show`), each sourced piece inside a `<span data-bron="...">` naming its origin."""
    if isinstance(value, pv.Joined):
        return Markup("").join(_marked(part, show, folder) for part in value.parts)
    shown = show(str(value))
    place = _place(value.origin, folder) if isinstance(value, pv.Sourced) else ""
    # Built with an f-string, not Markup.format: this runs for every printed value (the build's time).
    return Markup(f'<span data-bron="{escape(place)}">{shown}</span>') if place else shown


def _blocks(blocks: list[dict[str, Any]], folder: str = "source") -> Markup:
    """Running text (paragraphs and lists) as HTML, escaped; each paragraph and item names its source line."""
    out = []
    for block in blocks:
        if block["kind"] == "paragraph":
            out.append(Markup("<p>{}</p>").format(_marked(block["text"], escape, folder)))
        else:
            tag = "ul" if block["kind"] == "bullets" else "ol"
            items = Markup("").join(Markup("<li>{}</li>").format(_marked(item, escape, folder))
                                    for item in block["items"])
            out.append(Markup("<{0}>{1}</{0}>").format(Markup(tag), items))
    return Markup("\n").join(out)


def _action(action: Mapping[str, Any], anchor: bool = False, inherited: bool = True, folder: str = "source") -> Markup:
    """`{{ a|action }}`: the one rendering of an action (render.action.action_lines, as in Word) as HTML.

    `anchor` makes the ID after the text a link to the action itself (the agenda, which has no ID
    column); in a table the row's ID cell holds that link and the ID after the text is plain. Each
    paragraph names the source of its field (`data-bron`): title, text, each item, the partner line.
    """
    out: list[Markup] = []
    items: list[Markup] = []
    subitems = iter(action["subitems"])
    for role, text in action_lines(action, inherited):
        field = (next(subitems) if role == "item" else action["title"] if role == "title"
                 else action["text"] if role == "text"
                 else action["partners_line"] or action["section_partners_line"])
        bron = _bron_attr(field, folder)
        if role == "item":
            items.append(Markup("<li{}>{}</li>").format(bron, text))
            continue
        if items:
            out.append(Markup("<ul>\n{}\n</ul>").format(Markup("\n").join(items)))
            items = []
        if role == "title":
            out.append(Markup('<p class="actietitel"{}>{}</p>').format(bron, text))
        elif role == "text":
            body, _, ident = text.rpartition(" [")
            ident = ident.removesuffix("]")
            if anchor:
                shown = Markup('[<a class="anker" href="#{0}" aria-label="Link naar actie {0}">{0}</a>]').format(ident)
                out.append(Markup('<p{}>{} <span class="actie-id">{}</span></p>').format(bron, body, shown))
            else:  # in a table the row's header cell holds the ID: a screen reader reads it once per row
                out.append(Markup('<p{}>{} <span class="actie-id" aria-hidden="true">[{}]</span></p>')
                           .format(bron, body, ident))
        else:
            out.append(Markup('<p class="partners"{}>{}</p>').format(bron, text))
    if items:
        out.append(Markup("<ul>\n{}\n</ul>").format(Markup("\n").join(items)))
    return Markup("\n").join(out)


def _links(text: object, known: Iterable[str], folder: str = "source") -> Markup:
    """`{{ a.note|links(action_ids) }}`: the text with every known action's ID linked to its row on the page.

    The same mentions as the Word documents' internal hyperlinks (render.action.mention_parts); each
    sourced piece names its source (a toelichting its line in the report, a decision's words none).
    """
    def show(piece: str) -> Markup:
        return Markup("").join(Markup('<a href="#{0}">{0}</a>').format(part) if linked else _lines(part)
                               for part, linked in mention_parts(piece, known))

    return _marked(text, show, folder)


def _lines(text: str) -> Markup:
    """Escaped text whose line breaks (a toelichting typed over several lines, a short list) stay line breaks."""
    return Markup("<br>\n").join(escape(line) for line in text.split("\n"))


ZERO_EUROS = "€ -"  # the house style's zero (format.euro), kept in Word


def _spoken(value: Any) -> Any:
    """The house style's "€ -" is shown, and read as "0 euro" instead of "euro streepje"."""
    if isinstance(value, str) and value == ZERO_EUROS:
        return Markup('<span aria-hidden="true">{}</span><span class="voorlezen">0 euro</span>').format(value)
    return value


def _plain(value: object) -> str:
    """`{{ x|plain }}`: a text without its source, for an attribute or the <title> (which hold no markup)."""
    return str(value)


def _css_string(text: object) -> Markup:
    """A CSS string literal for a `content:` inside a <style> element (no quote, backslash or '<' left)."""
    escaped = "".join(f"\\{ord(c):X} " if c in '"\\<>\n\r' else c for c in str(text))
    return Markup(f'"{escaped}"')


def _environment(templates: Path, source_folder: str = "source", bron_url: str = "") -> SandboxedEnvironment:
    def finalize(value: Any) -> Any:
        """Every `{{ }}` output: a sourced value names its source (`data-bron`); "€ -" is read as "0 euro"."""
        if isinstance(value, pv.Sourced | pv.Joined):
            return _marked(value, lambda text: escape(_spoken(text)), source_folder)
        return _spoken(value)

    env = SandboxedEnvironment(loader=FileSystemLoader(str(templates)), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True, finalize=finalize)

    def bron(action: dict[str, Any]) -> Markup:
        """`{{ action|bron }}`: where the action is in the source, as a link when BRON_URL is set, else as text."""
        found = _action_origin(action)
        if found is None:
            return Markup("")
        path, line = f"{source_folder}/{found.file}", found.item_line or found.line
        words = f"{path}, regel {line}"
        if bron_url:
            href = bron_url.replace("{path}", path).replace("{line}", str(line))
            return Markup('<p class="bron" data-bron="{}:{}"><a href="{}">Bron van {}: {}</a></p>').format(
                path, line, href, action["id"], words)
        return Markup('<p class="bron" data-bron="{}:{}">Bron: {}</p>').format(path, line, words)

    env.filters.update(blocks=partial(_blocks, folder=source_folder), slug=slug,
                       action=partial(_action, folder=source_folder), links=partial(_links, folder=source_folder),
                       bron=bron, css_string=_css_string, plain=_plain)
    return env


def _action_origin(action: dict[str, Any]) -> pv.Origin | None:
    """The origin of an action's own text (its title, else its text): file, and the line where the action starts."""
    for name in ("title", "text"):
        value = action.get(name)
        if isinstance(value, pv.Sourced) and not value.origin.computed:
            return value.origin
    return None


def _markdown() -> MarkdownIt:
    """CommonMark with tables; raw HTML in the Markdown is shown as text, never passed through."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _handbook_links(tokens: list[Token]) -> None:
    """A link to another handbook page (`secretaris.md`) goes to its HTML page (`secretaris.html`)."""
    for token in tokens:
        if token.children:
            _handbook_links(token.children)
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            path, hash_, anchor = href.partition("#")
            if path.endswith(".md") and "/" not in path and ":" not in path:
                token.attrSet("href", path.removesuffix(".md") + ".html" + hash_ + anchor)


_HEADING_OR_TABLE = re.compile(r"<h[2-6][^>]*>(.*?)</h[2-6]>|<table>(.*?)</table>", re.S)


def _table_regions(body: str, title: str) -> str:
    """Every handbook table with a caption (the heading above it) in a region that scrolls on a phone."""
    heading = title

    def replace(match: re.Match[str]) -> str:
        nonlocal heading
        if match.group(1) is not None:
            heading = re.sub(r"<[^>]+>", "", match.group(1))
            return match.group(0)
        caption = escape(heading)
        cells = match.group(2).replace("<th>", '<th scope="col">')
        return (f'<div class="tabel" role="region" aria-label="Tabel: {caption}" tabindex="0">'
                f"<table>\n<caption>{caption}</caption>{cells}</table></div>")

    return _HEADING_OR_TABLE.sub(replace, body)


def handbook_pages(folder: Path = HANDBOOK_DIR) -> dict[str, tuple[str, Markup]]:
    """Every handbook page: file name (`secretaris.html`) -> its title (the first heading) and its HTML body.

    A page without a first-level heading (its title) on its first line raises ValidationFailed.
    """
    md = _markdown()
    pages: dict[str, tuple[str, Markup]] = {}
    problems = Problems()
    for path in sorted(folder.glob("*.md"), key=lambda p: (p.stem != "index", p.stem)):
        tokens = md.parse(path.read_text(encoding="utf-8"))
        if len(tokens) < 3 or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
            problems.error(_shown(folder, path.name), 1, "", _("a handbook page must start with a '# title' line"),
                           _("add the title as the first line"))
            continue
        title = tokens[1].content
        _handbook_links(tokens)
        body = md.renderer.render(tokens[3:], md.options, {})
        body = _table_regions(body, title)
        pages[path.stem + ".html"] = (title, Markup(body))
    if problems.items:
        raise ValidationFailed(problems)
    return pages


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header, so the page reserves the image's space."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _charts(kind: str, context: dict[str, Any], files: dict[str, bytes], store: Cache) -> None:
    """Write each chart as a PNG file next to the pages and give the template its path and size."""
    found = [("status", context.get("summary", {}).get("chart")),
             ("begroting", context.get("finance", {}).get("chart"))]
    for name, chart in found:
        if not isinstance(chart, Chart):
            continue
        path = f"img/{DOCUMENTS[kind].page.format(year=context['doc']['year']).removesuffix('.html')}-{name}.png"
        files[path] = png = chart.png(store)
        width, height = _png_size(png)
        # Shown at half its pixels: the PNG is drawn at 150 dpi, so it stays sharp on high-density screens.
        image = {"src": path, "alt": chart.alt_text, "title": chart.title, "width": width // 2,
                 "height": height // 2}
        holder = context["summary"] if name == "status" else context["finance"]
        holder["image"] = image


_HEADING = re.compile(r'<h([23])(?: id="([^"]*)")?>(.*?)</h\1>', re.S)
_ID = re.compile(r'\sid="([^"]*)"')
TOC_MARKER = "<!-- inhoudsopgave -->"


def _with_toc(page: str) -> str:
    """Give every h2 and h3 an ID and put a table of contents (linking to them) at the marker.

    Done on the rendered page, so the contents always list exactly the headings the page has.
    """
    taken = set(_ID.findall(page))
    entries: list[tuple[int, str, str]] = []

    def anchor(match: re.Match[str]) -> str:
        level, given, inner = int(match.group(1)), match.group(2), match.group(3)
        ident = given
        if not ident:
            base = "h-" + slug(re.sub(r"<[^>]+>", "", inner))
            ident, n = base, 2
            while ident in taken:
                ident, n = f"{base}-{n}", n + 1
            taken.add(ident)
        entries.append((level, ident, inner))
        return f'<h{level} id="{ident}">{inner}</h{level}>'

    head, marker, body = page.partition(TOC_MARKER)
    if not marker:
        return page
    body = _HEADING.sub(anchor, body)
    if not entries:
        return head + body
    lines = ['<nav class="toc" aria-labelledby="inhoudsopgave">', '<h2 id="inhoudsopgave">Inhoudsopgave</h2>', "<ol>"]
    open_sub = False
    for i, (level, ident, inner) in enumerate(entries):
        if level == 3 and not open_sub and i > 0:
            lines[-1] = lines[-1].removesuffix("</li>")
            lines.append("<ol>")
            open_sub = True
        elif level == 2 and open_sub:
            lines.append("</ol></li>")
            open_sub = False
        lines.append(f'<li><a href="#{ident}">{inner}</a></li>')
    if open_sub:
        lines.append("</ol></li>")
    lines += ["</ol>", "</nav>"]
    return head + "\n".join(lines) + body


def _template_problem(templates: Path, exc: TemplateError) -> Problem:
    """A located problem for a broken HTML template: file, line, message."""
    if isinstance(exc, TemplateSyntaxError):
        name = exc.filename or exc.name or "?"
        return Problem(_shown(templates, name), exc.lineno, "",
                       _("template error: {detail}").format(detail=exc.message), _("fix the Jinja tag on this line"))
    if isinstance(exc, TemplateNotFound):
        return Problem(_shown(templates, str(exc.name or "?")), None, "", _("template is missing"),
                       _("restore it from git ({command})").format(command="git checkout templates/html"))
    line, where = _traceback_location(exc)
    return Problem(_shown(templates, where) if where else str(templates), line, "",
                   _("template error: {detail}").format(detail=exc),
                   _("a name in the template that the data does not provide?"))


def _traceback_location(exc: BaseException) -> tuple[int | None, str | None]:
    """The template file and line where a rendering error happened, from Jinja's rewritten traceback."""
    tb = exc.__traceback__
    found: tuple[int | None, str | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") or filename.endswith(".css"):
            found = (tb.tb_lineno, filename)
        tb = tb.tb_next
    return found


def _shown(templates: Path, name: str) -> str:
    """A template named as Jinja names it (relative to the templates folder), as the user knows it."""
    return display_path(templates / name)  # an absolute name stays itself


def render_site(validated: Validated, reports: Reports, fictitious: bool,
                templates: Path = HTML_TEMPLATES, store: Cache = NO_CACHE, settings: SiteSettings | None = None,
                handbook: Path = HANDBOOK_DIR, source_folder: str = "source", bron_url: str = "") -> Site:
    """Render every page of the site in memory; a broken HTML template raises ValidationFailed.

    The charts drawn before are taken from `store`. Every action names its place in the source
    (`source_folder` + the file, and the line): a link made from `bron_url`
    (`https://.../blob/main/{path}#L{line}`) when given, else as text.
    """
    agenda = validated.agenda
    year = agenda.meta.year
    site = Site(validated, settings or SiteSettings())
    contexts: dict[str, dict[str, Any]] = {}
    for kind, document in DOCUMENTS.items():
        context = CONTEXTS[kind](validated, reports, fictitious)
        _charts(kind, context, site.files, store)
        contexts[kind] = site.contexts[kind] = context
        site.pages[kind] = document.page.format(year=year)
    partners = ctx.partner_index(agenda)
    action_titles = {a.id: fill_years(a.title or a.text, year) for _, _, a in agenda.actions()}
    chapter_of = {a.id: fill_years(c.short_title or c.title, year) for c, _, a in agenda.actions()}
    nav = [{"href": "index.html", "label": "Overzicht", "key": "index"}]
    nav += [{"href": site.pages[k], "label": DOCUMENTS[k].title.format(year=year), "key": k} for k in DOCUMENTS]
    nav.append({"href": "partners.html", "label": "Partners", "key": "partners"})
    nav.append({"href": f"{HANDBOOK_SITE_DIR}/index.html", "label": "Handleiding", "key": "handleiding"})
    common = {
        "year": year,
        "organisation": agenda.meta.organisation,
        "fictitious": fictitious,
        "fictitious_notice": ctx.FICTITIOUS_NOTICE,
        "nav": nav,
        "pages": site.pages,
        "site": site.settings,
        "colofon": ctx.block_data(site.settings.colofon),
        "onderzoek": ctx.block_data(site.settings.toegankelijkheid.onderzoek),
        "root": "",
        "current": "",  # the handbook page shown (its own contents mark it)
        "axe_version": AXE_VERSION,
    }
    env = _environment(templates, source_folder, bron_url)
    documents = [{"key": k, "href": site.pages[k], "title": contexts[k]["doc"]["title"],
                  "subtitle": contexts[k]["doc"]["subtitle"], "status_line": contexts[k]["doc"]["status_line"],
                  "version_line": contexts[k]["doc"]["version_line"],
                  "description": DESCRIPTIONS[k].format(year=year)} for k in DOCUMENTS]
    pages: list[tuple[str, str, dict[str, Any]]] = [
        ("index.html", "index.html", {"page": "index", "documents": documents, "doc": contexts["agenda"]["doc"]}),
        ("partners.html", "partners.html", {"page": "partners", "partners": partners, "action_titles": action_titles,
                                            "chapter_of": chapter_of, "doc": contexts["agenda"]["doc"]}),
    ]
    pages += [(site.pages[k], DOCUMENTS[k].html_template, {"page": k, **contexts[k]}) for k in DOCUMENTS]
    about = {"doc": contexts["agenda"]["doc"]}  # the pages about the site (and their meta description)
    pages += [("toegankelijkheid.html", "toegankelijkheid.html", {"page": "toegankelijkheid", **about}),
              ("colofon.html", "colofon.html", {"page": "colofon", **about})]
    problems = Problems()
    try:
        handbook_html = handbook_pages(handbook)
    except ValidationFailed as exc:
        problems.items.extend(exc.problems.items)
        handbook_html = {}
    contents = [{"href": name, "title": title} for name, (title, _body) in handbook_html.items()
                if name != "index.html"]
    pages += [(f"{HANDBOOK_SITE_DIR}/{name}", "handleiding.html",
               {"page": "handleiding", "root": "../", "title": title, "body": body, "contents": contents,
                "current": name, **about}) for name, (title, body) in handbook_html.items()]
    for target, template_name, context in pages:
        # A concept says so on every page of a document (and the partner page, which is the agenda's), as in
        # every page header of the Word document; the index shows each document's own status instead, and the
        # handbook and the pages about the site have none.
        notice = (context["doc"]["concept_notice"].removesuffix(" – ")
                  if context["page"] in (*DOCUMENTS, "partners") else "")
        # On paper, every page carries the same marking as the Word document's page header.
        marking = " – ".join(part for part in (ctx.FICTITIOUS_NOTICE if fictitious else "", notice) if part)
        try:
            text = env.get_template(template_name).render({**common, "concept_line": notice,
                                                           "print_marking": marking, **context})
        except TemplateError as exc:
            problems.add(_template_problem(templates, exc))
            continue
        site.files[target] = _with_toc(text).encode("utf-8")
    for name in STATIC:
        path = templates / name
        try:
            site.files[name] = path.read_bytes()
        except OSError as exc:
            problems.error(_shown(templates, name), None, "",
                           _("cannot read the stylesheet: {reason}").format(reason=exc.strerror),
                           _("restore it from git ({command})").format(command="git checkout templates/html"))
    if problems.items:
        raise ValidationFailed(problems)
    return site


def build_site(source: Path, year: int, peildatum: dt.date | None = None, strict: bool = False,
               templates: Path = HTML_TEMPLATES, store: Cache = NO_CACHE, bron_url: str | None = None) -> Site:
    """Validate the source (as `build` does) and its site.yaml, then render the whole site in memory (charts
    kept in `store`).

    `bron_url` (default: the environment's BRON_URL) makes each action's source place a link.
    """
    validated = load_agenda(source, year)
    reports = load_reports(source, validated, peildatum)
    settings = load_site(source, validated.problems)
    if validated.problems.errors or (strict and validated.problems.warnings):
        raise ValidationFailed(validated.problems)
    folder = display_path(source, source).replace(os.sep, "/")
    return render_site(validated, reports, is_fictitious(source), templates, store, settings,
                       source_folder=folder, bron_url=os.environ.get("BRON_URL", "") if bron_url is None else bron_url)
