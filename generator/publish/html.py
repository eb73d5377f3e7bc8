"""The website edition: a static, accessible HTML site built from the same contexts as the Word documents.

Every page is rendered with Jinja2 (sandboxed, autoescaped) from `templates/html/` using exactly the
context that the .docx templates get, so texts, statuses and amounts cannot differ. The site has no
scripts, fonts or anything else from outside: it works from `file://` and from any static host, and
the same source gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from ..content import context as ctx
from ..content.charts import Chart
from ..errors import Problem, Problems, ValidationFailed
from ..i18n import _
from ..render.action import action_lines, mention_parts
from ..render.documents import DOCUMENTS, is_fictitious
from ..source import provenance as pv
from ..source.load import display_path
from ..source.progress import Reports, load_reports
from ..source.validate import Validated, load_agenda
from ..staleness import TEMPLATES_DIR

HTML_TEMPLATES = TEMPLATES_DIR / "html"
SITE_DIR = "html"  # inside the output folder

# Page of each document kind, and the template that renders it.
PAGES = {"agenda": ("uitvoeringsagenda-{year}.html", "agenda.html"),
         "voortgang": ("voortgangsrapportage-{year}.html", "voortgang.html"),
         "jaarverslag": ("jaarverslag-{year}.html", "jaarverslag.html")}
DESCRIPTIONS = {
    "agenda": "De acties van het RIEC en zijn partners voor {year}, per spoor en hoofdstuk, met de begroting.",
    "voortgang": "De stand van zaken van elke actie op de peildatum, en de financiële voortgang.",
    "jaarverslag": "Verantwoording over {year}: eindstatus en resultaat per actie, effecten, kerncijfers "
                   "en de financiële realisatie.",
}
STATIC = ("style.css",)


@dataclass
class Site:
    """A rendered site: relative path -> bytes, and the validated source it came from."""

    validated: Validated
    files: dict[str, bytes] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # document kind -> page file name
    contexts: dict[str, dict[str, Any]] = field(default_factory=dict)  # document kind -> its (Word) context


def slug(text: object) -> str:
    """An ID for an anchor: `Spoor 1: Jeugd` -> `spoor-1-jeugd`."""
    value = re.sub(r"[^a-z0-9]+", "-", str(text).lower().translate(str.maketrans("áàäâéèëêíïîóöôúüû",
                                                                                 "aaaaeeeeiiiooouuu")))
    return value.strip("-") or "x"


def _blocks(blocks: list[dict[str, Any]]) -> Markup:
    """Running text (paragraphs and lists) as HTML, escaped."""
    out = []
    for block in blocks:
        if block["kind"] == "paragraph":
            out.append(Markup("<p>{}</p>").format(block["text"]))
        else:
            tag = "ul" if block["kind"] == "bullets" else "ol"
            items = Markup("").join(Markup("<li>{}</li>").format(item) for item in block["items"])
            out.append(Markup("<{0}>{1}</{0}>").format(Markup(tag), items))
    return Markup("\n").join(out)


def _action(action: Mapping[str, Any], anchor: bool = False, inherited: bool = True) -> Markup:
    """`{{ a|action }}`: the one rendering of an action (render.action.action_lines, as in Word) as HTML.

    `anchor` makes the ID after the text a link to the action itself (the agenda, which has no ID
    column); in a table the row's ID cell holds that link and the ID after the text is plain.
    """
    out: list[Markup] = []
    items: list[Markup] = []
    for role, text in action_lines(action, inherited):
        if role == "item":
            items.append(Markup("<li>{}</li>").format(text))
            continue
        if items:
            out.append(Markup("<ul>\n{}\n</ul>").format(Markup("\n").join(items)))
            items = []
        if role == "title":
            out.append(Markup('<p class="actietitel">{}</p>').format(text))
        elif role == "text":
            body, _, ident = text.rpartition(" [")
            ident = ident.removesuffix("]")
            shown = (Markup('[<a class="anker" href="#{0}" aria-label="Link naar actie {0}">{0}</a>]').format(ident)
                     if anchor else Markup("[{}]").format(ident))
            out.append(Markup('<p>{} <span class="actie-id">{}</span></p>').format(body, shown))
        else:
            out.append(Markup('<p class="partners">{}</p>').format(text))
    if items:
        out.append(Markup("<ul>\n{}\n</ul>").format(Markup("\n").join(items)))
    return Markup("\n").join(out)


def _links(text: object, known: Iterable[str]) -> Markup:
    """`{{ a.note|links(action_ids) }}`: the text with every known action's ID linked to its row on the page.

    The same mentions as the Word documents' internal hyperlinks (render.action.mention_parts).
    """
    return Markup("").join(Markup('<a href="#{0}">{0}</a>').format(part) if linked else escape(part)
                           for part, linked in mention_parts(str(text), known))


def _environment(templates: Path, source_folder: str = "source", bron_url: str = "") -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=FileSystemLoader(str(templates)), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True)

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

    env.filters.update(blocks=_blocks, slug=slug, action=_action, links=_links, bron=bron)
    return env


def _action_origin(action: dict[str, Any]) -> pv.Origin | None:
    """The origin of an action's own text (its title, else its text): file, and the line where the action starts."""
    for name in ("title", "text"):
        value = action.get(name)
        if isinstance(value, pv.Sourced) and not value.origin.computed:
            return value.origin
    return None


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header, so the page reserves the image's space."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _charts(kind: str, context: dict[str, Any], files: dict[str, bytes]) -> None:
    """Write each chart as a PNG file next to the pages and give the template its path and size."""
    found = [("status", context.get("summary", {}).get("chart")),
             ("begroting", context.get("finance", {}).get("chart"))]
    for name, chart in found:
        if not isinstance(chart, Chart):
            continue
        path = f"img/{PAGES[kind][0].format(year=context['doc']['year']).removesuffix('.html')}-{name}.png"
        files[path] = chart.png
        width, height = _png_size(chart.png)
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
    path = Path(name)
    if not path.is_absolute():
        path = templates / name
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def render_site(validated: Validated, reports: Reports, fictitious: bool,
                templates: Path = HTML_TEMPLATES, source_folder: str = "source", bron_url: str = "") -> Site:
    """Render every page of the site in memory; a broken HTML template raises ValidationFailed.

    Every action names its place in the source (`source_folder` + the file, and the line): a link made
    from `bron_url` (`https://.../blob/main/{path}#L{line}`) when given, else as text.
    """
    agenda = validated.agenda
    year = agenda.meta.year
    site = Site(validated)
    contexts: dict[str, dict[str, Any]] = {}
    for kind, document in DOCUMENTS.items():
        context = document.build_context(validated, reports, fictitious)
        _charts(kind, context, site.files)
        contexts[kind] = site.contexts[kind] = context
        site.pages[kind] = PAGES[kind][0].format(year=year)
    partners = ctx.partner_index(agenda)
    action_titles = {a.id: a.title or a.text for _, _, a in agenda.actions()}
    chapter_of = {a.id: c.short_title or c.title for c, _, a in agenda.actions()}
    nav = [{"href": "index.html", "label": "Overzicht", "key": "index"}]
    nav += [{"href": site.pages[k], "label": DOCUMENTS[k].title.format(year=year), "key": k} for k in DOCUMENTS]
    nav.append({"href": "partners.html", "label": "Partners", "key": "partners"})
    common = {
        "year": year,
        "organisation": agenda.meta.organisation,
        "fictitious": fictitious,
        "fictitious_notice": ctx.FICTITIOUS_NOTICE,
        "nav": nav,
        "pages": site.pages,
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
    pages += [(site.pages[k], PAGES[k][1], {"page": k, **contexts[k]}) for k in DOCUMENTS]
    problems = Problems()
    for target, template_name, context in pages:
        # A concept says so on every page, as in every page header of the Word document; the index
        # shows each document's own status instead.
        notice = context["doc"]["concept_notice"].removesuffix(" – ") if context["page"] != "index" else ""
        try:
            text = env.get_template(template_name).render({**common, "concept_line": notice, **context})
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
               templates: Path = HTML_TEMPLATES, bron_url: str | None = None) -> Site:
    """Validate the source (as `build` does), then render the whole site in memory.

    `bron_url` (default: the environment's BRON_URL) makes each action's source place a link.
    """
    validated = load_agenda(source, year)
    reports = load_reports(source, validated, peildatum)
    if validated.problems.errors or (strict and validated.problems.warnings):
        raise ValidationFailed(validated.problems)
    folder = display_path(source, source).replace(os.sep, "/")
    return render_site(validated, reports, is_fictitious(source), templates, folder,
                       os.environ.get("BRON_URL", "") if bron_url is None else bron_url)
