"""Create the Word templates in this folder from scratch, in the house style.

Developers run this (`make templates`) only to recreate the templates from
code; after that the .docx files are the templates, and anyone may edit them
in Word or LibreOffice. Running it again overwrites such edits, so commit
them first and compare.

The templates use docxtpl's Jinja tags: `{{ value }}` inside text,
`{%p for ... %}`/`{%p endfor %}` on their own paragraph to repeat paragraphs,
`{%tr for ... %}` on their own table row to repeat rows, and `{{p x|blocks }}`
for running text (paragraphs and lists) from the source.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from generator.render.write import normalise_docx

HERE = Path(__file__).resolve().parent

# The house style lives in this file and nowhere else: change a font, size or colour here and run
# `make templates` to apply it to every template at once (see README, "Changing the house style").
FONT = "Arial"  # on Linux, LibreOffice uses the metric-compatible Liberation Sans (fonts-liberation2)
# Text colours, with their contrast against their background (WCAG AA needs at least 4.5:1 for text;
# tests/test_accessibility.py measures every colour the documents use):
DARK_BLUE = RGBColor(0x00, 0x3A, 0x70)  # 11.4:1 on white; also the table header fill, white text on it 11.4:1
GREY = RGBColor(0x4D, 0x4D, 0x4D)  # 8.5:1 on white
WARNING_RED = RGBColor(0xA8, 0x00, 0x00)  # 7.9:1 on white; never the only signal: the text says it too
WHITE = RGBColor(0xFF, 0xFF, 0xFF)


# --- house style -----------------------------------------------------------------


def house_fonts(doc: Document) -> None:
    """One font and the language nl-NL for every style, replacing the theme fonts of Word's defaults."""
    styles_element = doc.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for fonts in [*rpr_default.iter(qn("w:rFonts")), *styles_element.iter(qn("w:rFonts"))]:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "nl-NL")
    lang.set(qn("w:eastAsia"), "nl-NL")
    # The line under the title in Word's default Title style: the house colour, not the theme's.
    for border in doc.styles["Title"].element.iter(qn("w:bottom")):
        border.set(qn("w:color"), str(DARK_BLUE))
        border.attrib.pop(qn("w:themeColor"), None)


def apply_house_style(doc: Document) -> None:
    """Fonts, heading styles, list and table styles shared by every document."""
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "nl-NL")
    lang.set(qn("w:eastAsia"), "nl-NL")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)
    for level, size in ((1, 16), (2, 13), (3, 11), (4, 10)):
        style = styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = DARK_BLUE
        style.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        heading_fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
        if heading_fonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                heading_fonts.attrib.pop(qn(attr), None)
    styles["Heading 1"].paragraph_format.page_break_before = True
    for name in ("Title", "Subtitle"):
        styles[name].font.name = FONT
        styles[name].font.color.rgb = DARK_BLUE
    styles["Title"].font.size = Pt(28)
    styles["Subtitle"].font.size = Pt(14)
    for name in ("List Bullet", "List Bullet 2", "List Number"):
        styles[name].font.name = FONT
        styles[name].paragraph_format.space_after = Pt(3)
    for name, italic in (("Partners", True), ("Actietitel", False), ("Effect", False), ("Bron", True)):
        style = styles.add_style(name, 1)
        style.base_style = styles["Normal"]
        style.font.italic = italic
        style.font.color.rgb = GREY if name in ("Partners", "Bron") else DARK_BLUE
        if name == "Actietitel":
            style.font.bold = True
            style.paragraph_format.keep_with_next = True
        if name == "Partners":
            style.paragraph_format.left_indent = Cm(0.63)
            style.paragraph_format.space_after = Pt(8)
        if name == "Effect":
            style.paragraph_format.left_indent = Cm(0.5)
            style.font.bold = True
    cell = styles.add_style("Tabeltekst", 1)
    cell.base_style = styles["Normal"]
    cell.font.size = Pt(9)
    cell.paragraph_format.space_after = Pt(0)
    number = styles.add_style("Tabelbedrag", 1)
    number.base_style = cell
    number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header = styles.add_style("Tabelkop", 1)
    header.base_style = cell
    header.font.bold = True
    header.font.color.rgb = WHITE
    header_number = styles.add_style("Tabelkop bedrag", 1)
    header_number.base_style = header
    header_number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8)
        styles[name].font.color.rgb = GREY
    styles["TOC Heading"].font.color.rgb = DARK_BLUE
    for level in (1, 2, 3):  # the table of contents' entries ("toc N" is Word's own name for them)
        toc = styles.add_style(f"toc {level}", 1)
        toc.base_style = styles["Normal"]
        toc.font.bold = level == 1
        toc.paragraph_format.left_indent = Cm(0.5 * (level - 1))
        toc.paragraph_format.space_before = Pt(6 if level == 1 else 0)
        toc.paragraph_format.space_after = Pt(2)
        toc.element.attrib.pop(qn("w:customStyle"), None)  # a built-in style, under Word's own ID
        toc.element.set(qn("w:styleId"), f"TOC{level}")
    styles["TOC Heading"].paragraph_format.page_break_before = True
    house_fonts(doc)

    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)


# The children of w:settings that may come after w:updateFields, in the order the schema
# (ECMA-376, CT_Settings) requires; Word's validator rejects a settings part in another order.
_AFTER_UPDATE_FIELDS = ["hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
                        "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                        "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
                        "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
                        "decimalSymbol", "listSeparator"]


def mark_fields_dirty(doc: Document) -> None:
    """Ask Word to update the fields (table of contents) when the document opens; Dutch theme fonts."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = {qn(f"w:{name}") for name in _AFTER_UPDATE_FIELDS}
    following = next((child for child in settings if child.tag in later), None)
    if following is None:
        settings.append(update)
    else:
        following.addprevious(update)
    # python-docx's default template already has a w:themeFontLang (en-US, ja-JP): change it, not add one.
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.find(qn("w:clrSchemeMapping")).addprevious(lang)
    lang.attrib.clear()
    lang.set(qn("w:val"), "nl-NL")


def drop_leftovers(doc: Document) -> None:
    """Remove what python-docx's default template leaves behind and the documents do not need.

    stylesWithEffects.xml is Word 2010's copy of styles.xml, out of step with the house styles;
    thumbnail.jpeg is a picture of python-docx's empty default document.
    """
    for rels in (doc.part.rels, doc.part.package.rels):
        for rel_id, rel in list(rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/thumbnail")):
                rels.pop(rel_id)


# --- building blocks ---------------------------------------------------------------


def para(doc: Document, text: str = "", style: str | None = None) -> Paragraph:
    return doc.add_paragraph(text, style=style)


def numbered(doc: Document, text: str) -> Paragraph:
    """A 'List Number' paragraph that starts a list of its own (numbering restarts at 1)."""
    paragraph = para(doc, text, "List Number")
    numbering = doc.part.numbering_part.element
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract = next(n.abstractNumId.val for n in numbering.num_lst if n.numId == style_num)
    num = numbering.add_num(abstract)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(1)
    paragraph.paragraph_format.element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num.numId
    paragraph.paragraph_format.element.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 0
    return paragraph


def tag(doc: Document, text: str) -> None:
    """A paragraph holding only a docxtpl control tag (removed on rendering)."""
    doc.add_paragraph(text)


def field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC ...) in a paragraph."""
    def run_with(element: OxmlElement) -> None:
        run = OxmlElement("w:r")
        run.append(element)
        paragraph._p.append(run)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    if placeholder:
        text = OxmlElement("w:t")
        text.text = placeholder
        run_with(text)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def shade(cell_element: OxmlElement, colour: str) -> None:
    tc_pr = cell_element.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    tc_pr.append(shading)


def amount_table(doc: Document, caption: str, columns: list[str], rows: list[list[str]],
                 bold_rows: tuple[int, ...] = ()) -> Table:
    """A table with a repeated, shaded header row; first column text, the rest amounts.

    Each row of `rows` is a list of cell texts; a row whose first cell starts with
    `{%tr` is a control row and is written as one merged cell.
    """
    table = doc.add_table(rows=0, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    caption_el = OxmlElement("w:tblCaption")
    caption_el.set(qn("w:val"), caption)
    tbl_pr.append(caption_el)
    header = table.add_row()
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    tr_pr.append(repeat)
    for i, (cell, text) in enumerate(zip(header.cells, columns, strict=False)):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = doc.styles["Tabelkop" if i == 0 else "Tabelkop bedrag"]
        shade(cell._tc, str(DARK_BLUE))
    for r, cells in enumerate(rows):
        row = table.add_row()
        if cells[0].startswith("{%tr"):
            row.cells[0].paragraphs[0].text = cells[0]
            continue
        for i, (cell, text) in enumerate(zip(row.cells, cells, strict=False)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.bold = r in bold_rows
            paragraph.style = doc.styles["Tabeltekst" if i == 0 else "Tabelbedrag"]
    widths = [Cm(16.0 - 2.6 * (len(columns) - 1))] + [Cm(2.6)] * (len(columns) - 1)
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width  # the grid: LibreOffice lays the table out from it
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
    doc.add_paragraph()
    return table


def blocks(doc: Document, expression: str) -> None:
    """Running text from the source: paragraphs and lists, styled by the renderer."""
    para(doc, "{{p " + expression + "|blocks }}")


def header_footer(doc: Document, header_text: str, footer_text: str) -> None:
    """Header text and 'pagina X van Y' footer on every page but the title page (styles Header, Footer)."""
    section = doc.sections[-1]
    section.different_first_page_header_footer = True  # the title page has neither
    header = section.header.paragraphs[0]
    header.text = header_text
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run(footer_text + " – pagina ")
    field(footer, "PAGE", "1")
    footer.add_run(" van ")
    field(footer, "NUMPAGES", "1")
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER


def title_page(doc: Document) -> None:
    """Title page with metadata, then the table of contents."""
    tag(doc, "{%p if doc.fictitious %}")
    warning = para(doc, "{{ doc.fictitious_notice }}")
    warning.runs[0].bold = True
    warning.runs[0].font.size = Pt(14)
    warning.runs[0].font.color.rgb = WARNING_RED
    tag(doc, "{%p endif %}")
    for _ in range(4):
        para(doc)
    para(doc, "{{ doc.title }}", "Title")
    para(doc, "{{ doc.subtitle }}", "Subtitle")
    para(doc, "{{ doc.organisation }}", "Subtitle")
    para(doc)
    # A concept until the stuurgroep's adoption date is in the source; then when and by whom.
    status = para(doc, "{{ doc.status_line }}")
    status.runs[0].bold = True
    status.runs[0].font.size = Pt(12)
    status.runs[0].font.color.rgb = DARK_BLUE
    tag(doc, "{%p if doc.about_line %}")
    para(doc, "{{ doc.about_line }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if doc.version_line %}")
    para(doc, "{{ doc.version_line }}")
    tag(doc, "{%p endif %}")
    para(doc, "Inhoudsopgave", "TOC Heading")  # starts a new page, like Heading 1 it is based on
    toc = para(doc)
    field(toc, 'TOC \\o "1-3" \\h \\z \\u',
          "De inhoudsopgave wordt bijgewerkt bij het openen of omzetten naar PDF.")


def new_document(header_text: str, footer_text: str) -> Document:
    doc = Document()
    apply_house_style(doc)
    mark_fields_dirty(doc)
    drop_leftovers(doc)
    header_footer(doc, header_text, footer_text)
    doc.core_properties.title = "{{ doc.title }}"
    doc.core_properties.language = "nl-NL"
    return doc


# --- the Uitvoeringsagenda ------------------------------------------------------------


def agenda_template() -> Document:
    doc = new_document("{{ doc.header_notice }}{{ doc.organisation }} – {{ doc.title }}", "{{ doc.title }}")
    title_page(doc)

    para(doc, "Inleiding", "Heading 1")
    blocks(doc, "inleiding")

    para(doc, "{{ governance.title }}", "Heading 1")
    blocks(doc, "governance.intro")
    para(doc, "{{ governance.handhavingsknelpunten_intro }}")
    tag(doc, "{%p for item in governance.handhavingsknelpunten %}")
    numbered(doc, "{{ item }}")
    tag(doc, "{%p endfor %}")
    blocks(doc, "governance.verschijningsvormen_intro")
    tag(doc, "{%p for vv in governance.verschijningsvormen %}")
    numbered(doc, "{{ vv.name }} ({{ vv.scope }})")
    tag(doc, "{%p endfor %}")

    para(doc, "{{ effecten.title }}", "Heading 1")
    blocks(doc, "effecten.intro")
    tag(doc, "{%p for effect in effecten.effects %}")
    numbered(doc, "{{ effect.text }}")
    tag(doc, "{%p endfor %}")
    para(doc, "{{ effecten.supporting_intro }}")
    tag(doc, "{%p for message in effecten.campaign_messages %}")
    para(doc, "{{ message }}", "List Bullet")
    tag(doc, "{%p endfor %}")
    blocks(doc, "effecten.closing")

    para(doc, "{{ indeling.title }}", "Heading 1")
    para(doc, "{{ indeling.intro }}")
    tag(doc, "{%p for item in indeling.entries %}")
    p = para(doc)
    p.add_run("{{ item.title }}:").bold = True
    p.add_run(" {{ item.text }}")
    tag(doc, "{%p endfor %}")

    chapters(doc)
    finance(doc)
    friction(doc)
    differences(doc)
    return doc


def chapters(doc: Document) -> None:
    tag(doc, "{%p for chapter in chapters %}")
    tag(doc, "{%p if chapter.group_heading %}")
    para(doc, "{{ chapter.group_heading }}", "Heading 1")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if chapter.grouped %}")
    para(doc, "{{ chapter.title }}", "Heading 2")
    tag(doc, "{%p else %}")
    para(doc, "{{ chapter.title }}", "Heading 1")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if chapter.effect %}")
    effect = para(doc, style="Effect")
    effect.add_run("Effect: ")
    effect.add_run("{{ chapter.effect }}").bold = False
    tag(doc, "{%p endif %}")
    blocks(doc, "chapter.intro")
    tag(doc, "{%p for section in chapter.sections %}")
    tag(doc, "{%p if section.title and chapter.grouped %}")
    para(doc, "{{ section.title }}", "Heading 3")
    tag(doc, "{%p elif section.title %}")
    para(doc, "{{ section.title }}", "Heading 2")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if section.subtitle %}")
    para(doc, "{{ section.subtitle }}", "Actietitel")
    tag(doc, "{%p endif %}")
    blocks(doc, "section.intro")
    tag(doc, "{%p for action in section.actions %}")
    # The one rendering of an action (generator/render/action.py), as in the reports; the section's
    # partner line follows the section's actions once, so it is not repeated per action here.
    para(doc, "{{p action|action(anchor=true, inherited=false) }}")
    tag(doc, "{%p endfor %}")
    blocks(doc, "section.closing")
    tag(doc, "{%p if section.partners_line %}")
    para(doc, "{{ section.partners_label }}: {{ section.partners_line }}", "Partners")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")


def _year_cells(expression: str, count: int) -> list[str]:
    return [f"{{{{ {expression}[{i}] }}}}" for i in range(count)]


def finance(doc: Document, years: int = 4) -> None:
    para(doc, "{{ finance.title }}", "Heading 1")
    para(doc, "Alle totalen in deze tabellen zijn berekend uit de begrotingsregels.", "Bron")
    header = [f"{{{{ finance.years[{i}] }}}}" for i in range(years)]
    amount_table(doc, "Baten RIEC per jaar", ["Baten RIEC", *header], [
        ["{%tr for line in finance.baten %}"],
        ["{{ line.label }}", *_year_cells("line.amounts", years)],
        ["{%tr endfor %}"],
        ["Totaal baten", *_year_cells("finance.baten_total", years)],
        ["Totale baten {{ finance.period }}", *[""] * (years - 1), "{{ finance.baten_period }}"],
    ], bold_rows=(3, 4))
    amount_table(doc, "Lasten RIEC per jaar", ["Lasten RIEC", *header], [
        ["{%tr for line in finance.lasten %}"],
        ["{{ line.label }}", *_year_cells("line.amounts", years)],
        ["{%tr endfor %}"],
        ["Totale lasten", *_year_cells("finance.lasten_total", years)],
        ["Totale lasten {{ finance.period }}", *[""] * (years - 1), "{{ finance.lasten_period }}"],
    ], bold_rows=(3, 4))
    amount_table(doc, "Verschil baten en lasten", ["Verschil baten en lasten", *header], [
        ["Verschil baten lasten per jaar", *_year_cells("finance.saldo", years)],
        ["Verschil baten lasten totaal {{ finance.period }}", *[""] * (years - 1),
         "{{ finance.saldo_period }}"],
    ], bold_rows=(0, 1))
    para(doc, "Toelichting financieel", "Heading 2")
    blocks(doc, "finance.notes")


def friction(doc: Document, years: int = 2) -> None:
    para(doc, "{{ friction.title }}", "Heading 1")
    header = [f"{{{{ friction.years[{i}] }}}}" for i in range(years)]
    amount_table(doc, "Frictiebudget: originele aanvraag",
                 ["Originele aanvraag {{ doc.organisation_short }}", *header], [
        ["{{ friction.handreiking_label }}", *_year_cells("friction.aanvraag.handreiking", years)],
        ["{%tr for line in friction.aanvraag.lines %}"],
        ["{{ line.label }}", *_year_cells("line.amounts", years)],
        ["{%tr endfor %}"],
        ["Totaal frictiebudget", *_year_cells("friction.aanvraag.total", years)],
    ], bold_rows=(0, 4))
    amount_table(doc, "Frictiebudget: geactualiseerde besteding",
                 ["Geactualiseerde besteding {{ doc.organisation_short }}", *header], [
        ["{{ friction.handreiking_label }}", *_year_cells("friction.besteding.handreiking", years)],
        ["{%tr for line in friction.besteding.lines %}"],
        ["{{ line.label }}", *_year_cells("line.amounts", years)],
        ["{%tr endfor %}"],
        ["Verschil aanvraag en besteding (cumulatief)", *_year_cells("friction.difference", years)],
    ], bold_rows=(0, 4))
    para(doc, "Toelichting frictiebudget", "Heading 2")
    blocks(doc, "friction.notes")


def differences(doc: Document) -> None:
    tag(doc, "{%p if differences %}")
    para(doc, "Bijlage: afwijkingen van gepubliceerde totalen", "Heading 1")
    para(doc, "In de eerder gepubliceerde versie van dit document staan totalen die niet gelijk zijn "
              "aan de som van hun regels. Dit document toont de berekende totalen; de afwijkingen "
              "staan hieronder.")
    amount_table(doc, "Afwijkingen van gepubliceerde totalen",
                 ["Totaal", "Jaar", "Gepubliceerd", "Berekend", "Verschil"], [
                     ["{%tr for d in differences %}"],
                     ["{{ d.label }}", "{{ d.year }}", "{{ d.published }}", "{{ d.computed }}", "{{ d.delta }}"],
                     ["{%tr endfor %}"],
                 ])
    tag(doc, "{%p endif %}")


# --- the reports: voortgangsrapportage and jaarverslag --------------------------------

Column = tuple[str, float, bool]  # header text, width in cm, right-aligned (amount)
Cell = str | list[tuple[str, str | None]]  # text, or paragraphs (text, style)

STATUS_COLUMNS = 7  # the six statuses and 'nog niet gerapporteerd'


def report_table(doc: Document, caption: str, columns: list[Column], rows: list[list[Cell]],
                 bold_rows: tuple[int, ...] = (), header_size: float | None = None) -> Table:
    """A table with a repeated, shaded header row and fixed column widths.

    A row whose first cell starts with `{%tr` is a control row (one cell). A cell is a text,
    or a list of (text, style) paragraphs; a text starting with `{% cellbg` shades the cell.
    """
    table = doc.add_table(rows=0, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    caption_el = OxmlElement("w:tblCaption")
    caption_el.set(qn("w:val"), caption)
    table._tbl.tblPr.append(caption_el)
    header = table.add_row()
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, (text, _, amount) in zip(header.cells, columns, strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = doc.styles["Tabelkop bedrag" if amount else "Tabelkop"]
        if header_size:
            cell.paragraphs[0].runs[0].font.size = Pt(header_size)
        shade(cell._tc, "003A70")
    for r, cells in enumerate(rows):
        row = table.add_row()
        if isinstance(cells[0], str) and cells[0].startswith("{%tr"):
            row.cells[0].paragraphs[0].text = cells[0]
            continue
        for cell, value, (_, _, amount) in zip(row.cells, cells, columns, strict=True):
            paragraphs = [(value, None)] if isinstance(value, str) else value
            for i, (text, style) in enumerate(paragraphs):
                paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                run = paragraph.add_run(text)
                run.bold = r in bold_rows
                paragraph.style = doc.styles[style or ("Tabelbedrag" if amount else "Tabeltekst")]
    table.autofit = False
    for column, (_, width, _) in zip(table.columns, columns, strict=True):
        column.width = Cm(width)  # the grid: LibreOffice lays out by it
    for row in table.rows:
        for cell, (_, width, _) in zip(row.cells, columns, strict=True):
            cell.width = Cm(width)
    doc.add_paragraph()
    return table


def report_styles(doc: Document) -> None:
    """Paragraph styles the report tables add to the house style."""
    styles = doc.styles
    partners = styles.add_style("Tabelpartners", 1)
    partners.base_style = styles["Tabeltekst"]
    partners.font.italic = True
    partners.font.color.rgb = GREY
    partners.paragraph_format.space_before = Pt(2)
    # An action inside a table cell (generator/render/action.py): its title and its sub-items.
    title = styles.add_style("Tabelactietitel", 1)
    title.base_style = styles["Tabeltekst"]
    title.font.bold = True
    title.font.color.rgb = DARK_BLUE
    title.paragraph_format.keep_with_next = True
    items = styles.add_style("Tabelopsomming", 1)
    items.base_style = styles["List Bullet 2"]
    items.font.size = Pt(9)
    items.paragraph_format.space_after = Pt(0)
    # Internal links (an action's ID -> its place in the complete listing): underlined, in the house blue.
    link = styles.add_style("Hyperlink", 2)
    link.font.color.rgb = DARK_BLUE
    link.font.underline = True


def chart(doc: Document, expression: str, caption: str) -> None:
    """A chart image (with alternative text, set by the renderer) and its caption."""
    picture = para(doc, "{{ " + expression + " }}")
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, caption, "Bron")


def status_summary(doc: Document, first: str) -> None:
    """Counts of actions per status per chapter, as a table."""
    columns: list[Column] = [(first, 2.5, False)]
    columns += [(f"{{{{ summary.columns[{i}] }}}}", 1.76, True) for i in range(STATUS_COLUMNS)]
    columns.append(("Totaal", 1.2, True))
    counts = [f"{{{{ r.counts[{i}] }}}}" for i in range(STATUS_COLUMNS)]
    totals = [f"{{{{ summary.totals[{i}] }}}}" for i in range(STATUS_COLUMNS)]
    report_table(doc, "Aantal acties per status per hoofdstuk", columns, [
        ["{%tr for r in summary.rows %}"],
        ["{{ r.title }}", *counts, "{{ r.total }}"],
        ["{%tr endfor %}"],
        ["Totaal", *totals, "{{ summary.total }}"],
    ], bold_rows=(3,), header_size=7)  # nine columns: at 7 pt every status name fits whole on the page


def status_legend(doc: Document) -> None:
    """The status words with their colour and meaning."""
    report_table(doc, "Statussen en hun betekenis", [("Status", 4.5, False), ("Betekenis", 11.5, False)], [
        ["{%tr for s in statuses %}"],
        ["{% cellbg s.colour %}{{ s.label }}", "{{ s.meaning }}"],
        ["{%tr endfor %}"],
    ])


# The one rendering of an action (generator/render/action.py), as in the agenda; `anchor` marks the
# action's place in the complete listing, where every other mention links to.
ACTION_CELL = "{{p a|action('cell', anchor=true) }}"
ACTION_MENTION = "{{p a|action('cell') }}"
ACTION_ID_LINK = "{{r a.id|action_link }}"  # links to the action's place in the complete listing
# Free text in which every mention of an action ID links to the action's place in the listing.
NOTE = "{{r a.note|action_links(action_ids) }}"
RESULT = "{{r a.resultaat|action_links(action_ids) }}"
ATTENTION_NOTE = "{{r a.attention_note|action_links(action_ids) }}"
LINE_NOTE = "{{r line.toelichting|action_links(action_ids) }}"


def action_table(doc: Document, caption: str, status_header: str, note_header: str, note: str) -> None:
    """Every action of a chapter: ID, text and partners as in the agenda, status and a note."""
    report_table(doc, caption, [("ID", 1.4, False), ("Actie", 7.0, False), (status_header, 2.8, False),
                                (note_header, 4.8, False)], [
        ["{%tr for a in chapter.actions %}"],
        ["{{ a.id }}", ACTION_CELL, "{% cellbg a.colour %}{{ a.status }}", note],
        ["{%tr endfor %}"],
    ])


def money_table(doc: Document, caption: str, columns: list[str], expression: str, total_label: str,
                fields: list[str]) -> None:
    """Budget lines with amount columns, and a total row."""
    first = 16.0 - 2.35 * (len(columns) - 2) - 1.1
    spec: list[Column] = [(columns[0], first, False)]
    spec += [(c, 2.35, True) for c in columns[1:-1]] + [(columns[-1], 1.1, True)]
    report_table(doc, caption, spec, [
        [f"{{%tr for line in {expression} %}}"],
        ["{{ line.label }}", *[f"{{{{ line.{f} }}}}" for f in fields]],
        ["{%tr endfor %}"],
        [total_label, *[f"{{{{ {expression}_total.{f} }}}}" for f in fields]],
    ], bold_rows=(3,))


def attention_section(doc: Document, intro: str, none_text: str, lines_title: str, actual: str,
                      none_lines: str) -> None:
    """'Aandachtspunten': per chapter the actions that ask for attention, then budget lines past the threshold."""
    para(doc, "Aandachtspunten", "Heading 1")
    para(doc, intro)
    tag(doc, "{%p if attention.chapters %}")
    tag(doc, "{%p for chapter in attention.chapters %}")
    para(doc, "{{ chapter.title }}", "Heading 2")
    report_table(doc, "Acties die aandacht vragen", [("ID", 1.4, False), ("Actie", 7.0, False),
                                                     ("Status", 2.8, False), ("Toelichting en voorstel", 4.8, False)], [
        ["{%tr for a in chapter.actions %}"],
        [ACTION_ID_LINK, ACTION_MENTION, "{% cellbg a.colour %}{{ a.status }}", ATTENTION_NOTE],
        ["{%tr endfor %}"],
    ])
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, none_text)
    tag(doc, "{%p endif %}")
    para(doc, lines_title, "Heading 2")
    tag(doc, "{%p if attention.lines %}")
    report_table(doc, lines_title, [("Begrotingsregel", 4.0, False), ("Begroting", 2.2, True), (actual, 2.2, True),
                                    ("Verschil", 2.2, True), ("V/N", 0.9, True), ("Toelichting", 4.5, False)], [
        ["{%tr for line in attention.lines %}"],
        ["{{ line.label }}", "{{ line.begroting }}", "{{ line.actual }}", "{{ line.verschil }}", "{{ line.vn }}",
         LINE_NOTE],
        ["{%tr endfor %}"],
    ])
    tag(doc, "{%p else %}")
    para(doc, none_lines)
    tag(doc, "{%p endif %}")


def voortgang_template() -> Document:
    doc = new_document("{{ doc.header_notice }}{{ doc.organisation }} – {{ doc.title }}",
                       "{{ doc.title }} – peildatum {{ peildatum }}")
    report_styles(doc)
    title_page(doc)

    para(doc, "Samenvatting", "Heading 1")
    para(doc, "Stand van zaken van de acties uit de Uitvoeringsagenda {{ doc.year }} op de peildatum "
              "{{ peildatum }}. {{ reported_line }}")
    status_summary(doc, "Hoofdstuk")
    chart(doc, "summary.chart", "Figuur 1. Acties per status per hoofdstuk, peildatum {{ peildatum }}.")

    attention_section(
        doc, "Wat de aandacht van de stuurgroep vraagt, per hoofdstuk in de volgorde van de agenda: de acties met "
             "de status {{ attention.kinds }}, met hun toelichting en het voorstel aan de stuurgroep. De volledige "
             "lijst van alle acties staat in ‘Voortgang per hoofdstuk’.",
        "{{ attention.none_text }}",
        "Begrotingsregels met een afwijking boven de drempel", "Prognose {{ finance.year }}",
        "{{ attention.none_lines }}")

    para(doc, "Leeswijzer", "Heading 1")
    para(doc, "Deze voortgangsrapportage aan de stuurgroep RIEC beschrijft de stand van zaken op de "
              "peildatum {{ peildatum }} (periode: {{ period }}). Per hoofdstuk van de Uitvoeringsagenda staat elke "
              "actie met haar ID, tekst en betrokken partners zoals in de agenda, met de status en een "
              "toelichting. Een actie waarover nog niets is gerapporteerd, staat vermeld als ‘nog niet "
              "gerapporteerd’: er wordt niets aangevuld.")
    para(doc, "Elke status heeft een kleur in de tabellen en de grafiek; de status staat er altijd ook in "
              "woorden bij. Een andere status dan ‘op schema’ of ‘afgerond’ is altijd toegelicht; bij "
              "‘doorgeschoven’ en ‘vervallen’ staat het besluit van de stuurgroep.")
    status_legend(doc)

    para(doc, "Voortgang per hoofdstuk", "Heading 1")
    tag(doc, "{%p for chapter in chapters %}")
    para(doc, "{{ chapter.title }}", "Heading 2")
    tag(doc, "{%p if chapter.effect %}")
    effect = para(doc, style="Effect")
    effect.add_run("Effect: ")
    effect.add_run("{{ chapter.effect }}").bold = False
    tag(doc, "{%p endif %}")
    action_table(doc, "Voortgang van de acties", "Status", "Toelichting", NOTE)
    tag(doc, "{%p endfor %}")

    para(doc, "Besluitpunten voor de stuurgroep", "Heading 1")
    tag(doc, "{%p if besluitpunten %}")
    para(doc, "In deze rapportage wordt de stuurgroep gevraagd te besluiten over de volgende voorstellen. "
              "Het besluit staat erbij zodra de stuurgroep het heeft genomen.")
    decision_table(doc, "Besluitpunten", "besluitpunten", "Voorstel", "Toelichting en besluit")
    tag(doc, "{%p else %}")
    para(doc, "Er zijn op deze peildatum geen acties voorgesteld om door te schuiven of te laten vervallen.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if besluiten %}")
    para(doc, "Besluiten over eerdere voorstellen", "Heading 2")
    para(doc, "Voorstellen uit eerdere rapportages van dit jaar en wat de stuurgroep erover heeft besloten.")
    decision_table(doc, "Besluiten over eerdere voorstellen", "besluiten", "Voorstel", "Toelichting en besluit")
    tag(doc, "{%p endif %}")

    para(doc, "Financiële voortgang", "Heading 1")
    para(doc, "De begroting {{ finance.year }} is die van de Uitvoeringsagenda. Realisatie tot en met de "
              "peildatum en prognose voor het hele jaar komen uit de financiële administratie. Verschil = "
              "prognose min begroting; V = voordelig, N = nadelig. Een verschil vanaf € 25.000 of 5% van "
              "de begroting is toegelicht. Waar niets is gerapporteerd, staat ‘nog niet gerapporteerd’.")
    columns = ["{{ label }}", "Begroting {{ finance.year }}", "Realisatie t/m {{ finance.peildatum_short }}",
               "Prognose {{ finance.year }}", "Verschil", "V/N"]
    fields = ["begroting", "tot_peildatum", "prognose", "verschil", "vn"]
    money_table(doc, "Baten: begroting, realisatie en prognose",
                [columns[0].replace("{{ label }}", "Baten"), *columns[1:]], "finance.baten", "Totaal baten",
                fields)
    money_table(doc, "Lasten: begroting, realisatie en prognose",
                [columns[0].replace("{{ label }}", "Lasten"), *columns[1:]], "finance.lasten", "Totale lasten",
                fields)
    variance_notes(doc)
    return doc


def decision_table(doc: Document, caption: str, items: str, proposal_header: str, note_header: str) -> None:
    """Voorstellen to the stuurgroep: the action as in the agenda, the voorstel, why, and the besluit."""
    report_table(doc, caption, [("ID", 1.4, False), ("Actie", 7.0, False), (proposal_header, 2.8, False),
                                (note_header, 4.8, False)], [
        [f"{{%tr for a in {items} %}}"],
        [ACTION_ID_LINK, ACTION_MENTION, "{% cellbg a.colour %}{{ a.proposal }}", NOTE],
        ["{%tr endfor %}"],
    ])


def variance_notes(doc: Document) -> None:
    """The toelichtingen on variances above the threshold, or a line saying there are none."""
    para(doc, "Toelichting op de afwijkingen", "Heading 2")
    tag(doc, "{%p if finance.notes %}")
    tag(doc, "{%p for n in finance.notes %}")
    note = para(doc)
    note.add_run("{{ n.label }}: ").bold = True
    note.add_run("{{r n.text|action_links(action_ids) }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "Er zijn (nog) geen toelichtingen gerapporteerd.")
    tag(doc, "{%p endif %}")


def figures_table(doc: Document, caption: str, column: str, items: str, var: str) -> None:
    """Figures of this year beside last year's (kerncijfers, indicators), or 'nog niet gerapporteerd'."""
    tag(doc, f"{{%p if {items} %}}")
    report_table(doc, caption, [(column, 6.0, False), ("{{ year }}", 2.0, True),
                                ("{{ previous_year }}", 2.0, True), ("Toelichting", 6.0, False)], [
        [f"{{%tr for {var} in {items} %}}"],
        [f"{{{{ {var}.{field} }}}}" for field in ("naam", "waarde", "vorig_jaar", "toelichting")],
        ["{%tr endfor %}"],
    ])
    tag(doc, "{%p else %}")
    para(doc, f"{caption}: nog niet gerapporteerd.")
    tag(doc, "{%p endif %}")


def jaarverslag_template() -> Document:
    doc = new_document("{{ doc.header_notice }}{{ doc.organisation }} – {{ doc.title }}", "{{ doc.title }}")
    report_styles(doc)
    title_page(doc)

    para(doc, "Samenvatting", "Heading 1")
    para(doc, "Dit jaarverslag legt verantwoording af over de Uitvoeringsagenda {{ doc.year }}: per hoofdstuk "
              "wat we wilden bereiken, wat we hebben gedaan en wat het heeft gekost, met de eindstatus en het "
              "resultaat van elke actie, de effectmonitoring, de kerncijfers en de financiële realisatie. "
              "Wat in de bron niet is gerapporteerd, staat vermeld als ‘nog niet gerapporteerd’.")
    status_summary(doc, "Hoofdstuk")
    chart(doc, "summary.chart", "Figuur 1. Acties per eindstatus per hoofdstuk, {{ year }}.")
    para(doc, "Statussen", "Heading 2")
    status_legend(doc)

    attention_section(
        doc, "Wat niet is bereikt en waarom, per hoofdstuk in de volgorde van de agenda: de acties met de "
             "eindstatus ‘niet gestart’, ‘vraagt aandacht’, ‘doorgeschoven’ of ‘vervallen’, met hun toelichting. "
             "{% if attention.not_reported %}Over {{ attention.not_reported }} acties is (nog) geen eindstatus "
             "gerapporteerd. {% endif %}De volledige verantwoording staat in ‘Resultaten per hoofdstuk’.",
        "{{ attention.none_text }}",
        "Begrotingsregels met een afwijking boven de drempel", "Realisatie {{ year }}",
        "{{ attention.none_lines }}")

    para(doc, "Kerncijfers", "Heading 1")
    figures_table(doc, "Kerncijfers", "Kerncijfer", "kerncijfers", "k")

    para(doc, "Resultaten per hoofdstuk", "Heading 1")
    tag(doc, "{%p for chapter in chapters %}")
    para(doc, "{{ chapter.title }}", "Heading 2")
    para(doc, "Wat wilden we bereiken?", "Heading 3")
    tag(doc, "{%p if chapter.effect %}")
    effect = para(doc, style="Effect")
    effect.add_run("Effect: ")
    effect.add_run("{{ chapter.effect }}").bold = False
    tag(doc, "{%p else %}")
    para(doc, "Dit hoofdstuk heeft geen eigen effectdoel; wat we wilden bereiken staat in de acties hieronder.")
    tag(doc, "{%p endif %}")
    para(doc, "Wat hebben we gedaan?", "Heading 3")
    tag(doc, "{%p if chapter.gedaan %}")
    blocks(doc, "chapter.gedaan")
    tag(doc, "{%p else %}")
    para(doc, "Nog niet gerapporteerd.")
    tag(doc, "{%p endif %}")
    action_table(doc, "Eindstatus en resultaat van de acties", "Eindstatus", "Resultaat en toelichting",
                 [(RESULT, None), (NOTE, "Tabelpartners")])
    para(doc, "Wat heeft het gekost?", "Heading 3")
    tag(doc, "{%p if chapter.cost.lines %}")
    report_table(doc, "Kosten van het hoofdstuk", [("Begrotingsregel", 6.85, False), ("Begroting", 2.35, True),
                                                   ("Realisatie", 2.35, True), ("Verschil", 2.35, True),
                                                   ("V/N", 1.1, True)], [
        ["{%tr for line in chapter.cost.lines %}"],
        ["{{ line.label }}", "{{ line.begroting }}", "{{ line.realisatie }}", "{{ line.verschil }}",
         "{{ line.vn }}"],
        ["{%tr endfor %}"],
    ])
    tag(doc, "{%p else %}")
    para(doc, "{{ chapter.cost.text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    para(doc, "Besluiten van de stuurgroep", "Heading 1")
    tag(doc, "{%p if besluiten %}")
    para(doc, "De voorstellen aan de stuurgroep in {{ year }} om acties door te schuiven of te laten vervallen, "
              "met het besluit.")
    decision_table(doc, "Besluiten van de stuurgroep", "besluiten", "Voorstel", "Toelichting en besluit")
    tag(doc, "{%p else %}")
    para(doc, "Er zijn geen voorstellen aan de stuurgroep gerapporteerd om acties door te schuiven of te laten "
              "vervallen.")
    tag(doc, "{%p endif %}")

    para(doc, "Effectmonitoring", "Heading 1")
    para(doc, "Per maatschappelijk effect uit de Uitvoeringsagenda de indicatoren van {{ year }}, met "
              "{{ previous_year }} ernaast waar bekend.")
    tag(doc, "{%p for e in effects %}")
    para(doc, "Effect {{ e.number }}", "Heading 2")
    para(doc, "{{ e.text }}", "Effect")
    tag(doc, "{%p if e.sporen %}")
    para(doc, "{{ e.sporen }}", "Bron")
    tag(doc, "{%p endif %}")
    figures_table(doc, "Indicatoren", "Indicator", "e.indicators", "i")
    tag(doc, "{%p endfor %}")

    para(doc, "Financiële realisatie", "Heading 1")
    para(doc, "De begroting {{ year }} is die van de Uitvoeringsagenda; de realisatie komt uit de "
              "jaarrekening. Verschil = realisatie min begroting; V = voordelig, N = nadelig. Een verschil "
              "vanaf € 25.000 of 5% van de begroting is toegelicht.")
    columns = ["Begroting {{ year }}", "Realisatie {{ year }}", "Verschil", "V/N"]
    fields = ["begroting", "realisatie", "verschil", "vn"]
    money_table(doc, "Baten: begroting en realisatie", ["Baten", *columns], "finance.baten", "Totaal baten", fields)
    money_table(doc, "Lasten: begroting en realisatie", ["Lasten", *columns], "finance.lasten", "Totale lasten",
                fields)
    report_table(doc, "Saldo baten en lasten", [("Saldo", 6.85, False), *[(c, 2.35, True) for c in columns[:-1]],
                                               ("V/N", 1.1, True)], [
        ["Verschil baten en lasten", *[f"{{{{ finance.saldo.{f} }}}}" for f in fields]],
    ], bold_rows=(0,))
    tag(doc, "{%p if finance.has_friction %}")
    para(doc, "Frictiebudget", "Heading 2")
    para(doc, "De begroting is de geactualiseerde besteding van het frictiebudget in de Uitvoeringsagenda.")
    money_table(doc, "Frictiebudget: begroting en realisatie", ["Frictiebudget", *columns], "finance.frictie",
                "Totaal frictiebudget", fields)
    tag(doc, "{%p endif %}")
    chart(doc, "finance.chart", "Figuur 2. Begroting en realisatie {{ year }}.")
    variance_notes(doc)
    return doc


TEMPLATES = {
    "uitvoeringsagenda.docx": agenda_template,
    "voortgangsrapportage.docx": voortgang_template,
    "jaarverslag.docx": jaarverslag_template,
}


def main(names: list[str]) -> None:
    for name, build in TEMPLATES.items():
        if names and name not in names:
            continue
        buffer = io.BytesIO()
        build().save(buffer)
        data = normalise_docx(buffer.getvalue())  # fixed zip timestamps: unchanged templates stay byte-identical
        target = HERE / name
        if target.exists() and target.read_bytes() == data:
            print(f"templates/{name} unchanged")
            continue
        target.write_bytes(data)
        print(f"wrote templates/{name}")


if __name__ == "__main__":
    main(sys.argv[1:])
