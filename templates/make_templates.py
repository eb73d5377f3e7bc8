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


def mark_fields_dirty(doc: Document) -> None:
    """Ask Word to update the fields (table of contents) when the document opens."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    lang = OxmlElement("w:themeFontLang")
    lang.set(qn("w:val"), "nl-NL")
    settings.append(lang)


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
    para(doc, "{{ doc.adopted_line }}")
    para(doc, "Versie {{ doc.version }}{{ doc.version_date_suffix }}")
    para(doc, "{{ doc.generated_line }}", "Bron")
    para(doc, "Inhoudsopgave", "TOC Heading")  # starts a new page, like Heading 1 it is based on
    toc = para(doc)
    field(toc, 'TOC \\o "1-3" \\h \\z \\u',
          "De inhoudsopgave wordt bijgewerkt bij het openen of omzetten naar PDF.")


def new_document(header_text: str, footer_text: str) -> Document:
    doc = Document()
    apply_house_style(doc)
    mark_fields_dirty(doc)
    header_footer(doc, header_text, footer_text)
    doc.core_properties.title = "{{ doc.title }}"
    doc.core_properties.language = "nl-NL"
    return doc


# --- the Uitvoeringsagenda ------------------------------------------------------------


def agenda_template() -> Document:
    doc = new_document("{{ doc.organisation }} – {{ doc.title }}", "{{ doc.title }}")
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
    tag(doc, "{%p if action.title %}")
    para(doc, "{{ action.number }}. {{ action.title }}", "Actietitel")
    tag(doc, "{%p endif %}")
    bullet = para(doc, style="List Bullet")
    bullet.add_run("{{ action.text }}")
    action_id = bullet.add_run(" [{{ action.id }}]")
    action_id.font.size = Pt(7)
    action_id.font.color.rgb = GREY
    tag(doc, "{%p for item in action.subitems %}")
    para(doc, "{{ item }}", "List Bullet 2")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if action.partners_line %}")
    para(doc, "Betrokken partners: {{ action.partners_line }}", "Partners")
    tag(doc, "{%p endif %}")
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


TEMPLATES = {"uitvoeringsagenda.docx": agenda_template}


def main(names: list[str]) -> None:
    for name, build in TEMPLATES.items():
        if names and name not in names:
            continue
        build().save(HERE / name)
        print(f"wrote templates/{name}")


if __name__ == "__main__":
    main(sys.argv[1:])
