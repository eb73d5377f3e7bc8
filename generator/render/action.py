"""The one rendering of an action that all three documents use: title, text and ID, items, partner line.

The agenda places it as body paragraphs, the reports inside a table cell; only the paragraph
styles differ between the two places, never a word. The complete listing of each document
puts a bookmark `actie_<ID>` around it, and every other mention of an action links there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import count
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from docxtpl import RichText, RichTextParagraph

# Paragraph style IDs per place: the templates define these styles (templates/make_templates.py).
STYLES: dict[str, dict[str, str]] = {
    "body": {"title": "Actietitel", "text": "ListBullet", "item": "ListBullet2", "partners": "Partners"},
    "cell": {"title": "Tabelactietitel", "text": "Tabeltekst", "item": "Tabelopsomming",
             "partners": "Tabelpartners"},
}
ID_SIZE = 14  # half-points: the ID after the text is set small (7 pt) and grey, as in the published agenda
ID_COLOUR = "4D4D4D"
BOOKMARK_PREFIX = "actie_"


def bookmark_name(action_id: str) -> str:
    """The bookmark of an action's place in the complete listing: `S1-07` -> `actie_S1_07`."""
    return BOOKMARK_PREFIX + action_id.replace("-", "_")


def action_lines(action: Mapping[str, Any], inherited: bool = True) -> list[tuple[str, str]]:
    """The action's paragraphs as (role, text): what a reader sees, in order.

    `inherited` adds the partner line of the action's section for an action without its own; the
    agenda prints that line once, after the section's actions, and passes False.
    """
    lines = []
    if action["title"]:
        lines.append(("title", f"{action['number']}. {action['title']}"))
    lines.append(("text", f"{action['text']}{action.get('origin', '')} [{action['id']}]"))
    lines.extend(("item", item) for item in action["subitems"])
    if action["partners_line"]:
        lines.append(("partners", f"{action['partners_label']}: {action['partners_line']}"))
    elif inherited and action["section_partners_line"]:
        lines.append(("partners", f"{action['section_partners_label']}: {action['section_partners_line']}"))
    return lines


def _run(text: str, properties: str = "") -> str:
    rpr = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


class ActionRenderer:
    """The `action` template filter; numbers its bookmarks within one document."""

    # Bookmark IDs only need to be unique within a document; starting high keeps them apart from
    # the IDs other parts of the pipeline give their own bookmarks.
    FIRST_ID = 17_000_000

    def __init__(self) -> None:
        self._ids = count(self.FIRST_ID)

    def __call__(self, action: Mapping[str, Any], place: str = "body", anchor: bool = False,
                 inherited: bool = True) -> RichTextParagraph:
        """`{{p a|action('cell', anchor=true) }}`: the action's paragraphs, with its bookmark if `anchor`."""
        styles = STYLES[place]
        lines = action_lines(action, inherited)
        out = RichTextParagraph()
        paragraphs = []
        for role, text in lines:
            if role == "text":
                body, _, ident = text.rpartition(" [")
                runs = _run(body) + _run(" [" + ident, f'<w:color w:val="{ID_COLOUR}"/><w:sz w:val="{ID_SIZE}"/>'
                                         f'<w:szCs w:val="{ID_SIZE}"/>')
            else:
                runs = _run(text)
            paragraphs.append([f'<w:pPr><w:pStyle w:val="{styles[role]}"/></w:pPr>', runs])
        if anchor:
            bookmark = next(self._ids)
            name = quoteattr(bookmark_name(str(action["id"])))
            paragraphs[0][1] = f'<w:bookmarkStart w:id="{bookmark}" w:name={name}/>' + paragraphs[0][1]
            paragraphs[-1][1] += f'<w:bookmarkEnd w:id="{bookmark}"/>'
        out.xml = "".join(f"<w:p>{ppr}{runs}</w:p>" for ppr, runs in paragraphs)
        return out


def action_link(action_id: str) -> RichText:
    """`{{r a.id|action_link }}`: the ID as an internal hyperlink to the action's place in the complete listing."""
    link = RichText()
    link.xml = (f'<w:hyperlink w:anchor={quoteattr(bookmark_name(action_id))} w:history="1"><w:r><w:rPr>'
                f'<w:rStyle w:val="Hyperlink"/></w:rPr><w:t xml:space="preserve">{escape(action_id)}</w:t></w:r>'
                "</w:hyperlink>")
    return link


_last_known: list[Any] = [None, frozenset()]


def _known_ids(known: Iterable[str]) -> frozenset[str]:
    # One render passes the same list for every note: build its set once, not once per note.
    if _last_known[0] is not known:
        _last_known[:] = [known, frozenset(known)]
    ids: frozenset[str] = _last_known[1]
    return ids


_MENTION = re.compile(r"(?<![\w-])[A-Z0-9]+(?:-[A-Z0-9]+)*-[0-9]{2,3}(?![\w-])")


def mention_parts(text: str, known: Iterable[str]) -> list[tuple[str, bool]]:
    """The text in order as (part, is a known action's ID): what `action_links` links, for every edition."""
    if not _MENTION.search(text):
        return [(text, False)]
    ids = _known_ids(known)
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in _MENTION.finditer(text):
        if match.group() not in ids:
            continue
        parts += [(text[position:match.start()], False), (match.group(), True)]
        position = match.end()
    parts.append((text[position:], False))
    return parts


def action_links(text: str, known: Iterable[str]) -> RichText:
    """`{{r note|action_links(action_ids) }}`: the text, with every ID of a known action linked to its place."""
    out = RichText()
    for part, linked in mention_parts(text, known):
        if linked:
            out.xml += action_link(part).xml
        else:
            out.add(part)
    return out
