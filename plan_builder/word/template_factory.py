"""Regenerate the Word templates in `templates/`: styles, cover and sign-off.

Run `plan-builder make-templates` (or `python -m plan_builder make-templates`).
The plan template holds only styles and page setup; the cover and sign-off are
docxtpl templates built from it, so a council can open any of the three in Word,
restyle them and keep the style names.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from plan_builder import palette
from plan_builder.word import layout
from plan_builder.word.xml import P_PR_ORDER, insert_in_order, mark_header_row

FONT = "Arial"


def _set_lang(element: Any, language: str) -> None:
    r_pr = element.get_or_add_rPr()
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), "ar-SA")


def _set_doc_defaults(document: Document, language: str) -> None:
    """Font, size and language for everything that sets nothing else."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    r_pr = r_pr_default.find(qn("w:rPr"))
    for tag in ("w:rFonts", "w:lang"):
        for old in r_pr.findall(qn(tag)):
            r_pr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    r_pr.insert(0, fonts)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), "ar-SA")
    r_pr.append(lang)


def _paragraph_style(document: Document, name: str, *, base: str | None = "Normal") -> Any:
    styles = document.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.quick_style = True
    return style


def _font(style: object, size: float, *, bold: bool = False, colour: str = palette.TEXT, italic: bool = False) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = RGBColor.from_string(colour)


def _spacing(style: object, before: float, after: float, line: float | None = None) -> None:
    fmt = style.paragraph_format  # type: ignore[attr-defined]
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line:
        fmt.line_spacing = line


def _left_border(style: object, colour: str) -> None:
    p_pr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("w:val", "single"), ("w:sz", "24"), ("w:space", "8"), ("w:color", colour)):
        left.set(qn(key), value)
    borders.append(left)
    insert_in_order(p_pr, borders, P_PR_ORDER)


def _table_style(document: Document) -> None:
    """'Plan Table': light grid, cell padding, a shaded header row; the look of every data table."""
    style = document.styles.add_style(layout.TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = document.styles["Normal Table"]
    element = style.element
    tbl_pr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", palette.RULE)):
            line.set(qn(key), value)
        borders.append(line)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("top", "60"), ("left", "100"), ("bottom", "60"), ("right", "100")):
        mar = OxmlElement(f"w:{edge}")
        mar.set(qn("w:w"), width)
        mar.set(qn("w:type"), "dxa")
        margins.append(mar)
    tbl_pr.append(margins)
    element.append(tbl_pr)
    header = OxmlElement("w:tblStylePr")
    header.set(qn("w:type"), "firstRow")
    r_pr = OxmlElement("w:rPr")
    bold = OxmlElement("w:b")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), palette.HEADER_TEXT)
    r_pr.append(bold)
    r_pr.append(colour)
    header.append(r_pr)
    tc_pr = OxmlElement("w:tcPr")
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), palette.HEADER_FILL)
    tc_pr.append(shd)
    header.append(tc_pr)
    element.append(header)


def build_plan_template(language: str = "en-GB") -> Document:
    """Return the plan template: A4, margins, named styles, empty body."""
    document = docx.Document()
    _set_doc_defaults(document, language)
    section = document.sections[0]
    section.page_width, section.page_height = layout.A4_WIDTH, layout.A4_HEIGHT
    section.left_margin = section.right_margin = layout.SIDE_MARGIN
    section.top_margin = section.bottom_margin = layout.TOP_MARGIN
    section.header_distance = section.footer_distance = layout.RUNNING_DISTANCE
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title", "Subtitle"):
        _set_lang(document.styles[name].element, language)
    _text_styles(document)
    _heading_styles(document)
    _cover_styles(document)
    _contents_styles(document)
    _running_styles(document)
    _table_style(document)
    return document


def _text_styles(document: Document) -> None:
    """Body text, lists, quotes, captions and table text."""
    styles = document.styles
    _font(styles["Normal"], 12)
    _spacing(styles["Normal"], 0, 8, 1.15)
    for name in layout.LIST_STYLES:
        _spacing(styles[name], 0, 4, 1.15)
    quote = styles["Quote"]
    _font(quote, 12, colour=palette.TEXT)
    _spacing(quote, 6, 10, 1.15)
    quote.paragraph_format.left_indent = Cm(0.6)
    quote.paragraph_format.right_indent = Cm(0.6)
    _left_border(quote, palette.BRAND)
    caption = styles["Caption"]
    _font(caption, 11, bold=True, colour=palette.TEXT)
    _spacing(caption, 4, 12, 1.0)
    table_text = _paragraph_style(document, layout.TABLE_TEXT_STYLE)
    _font(table_text, 11)
    _spacing(table_text, 0, 0, 1.0)


def _heading_styles(document: Document) -> None:
    """Headings 1-4. Whether a section starts a new page is the plan's setting, not the style's."""
    for name, size, before, after, colour in (
        ("Heading 1", 20, 0, 12, palette.BRAND),
        ("Heading 2", 15, 18, 6, palette.BRAND),
        ("Heading 3", 13, 12, 4, palette.TEXT),
        ("Heading 4", 12, 10, 4, palette.TEXT),
    ):
        heading = document.styles[name]
        _font(heading, size, bold=True, colour=colour)
        _spacing(heading, before, after, 1.0)
        heading.paragraph_format.keep_with_next = True


def _cover_styles(document: Document) -> None:
    """Title, subtitle and the cover's detail and status lines."""
    styles = document.styles
    title = styles["Title"]
    _font(title, 32, bold=True, colour=palette.BRAND)
    _spacing(title, 120, 18, 1.0)
    for old in title.element.get_or_add_pPr().findall(qn("w:pBdr")):
        old.getparent().remove(old)
    subtitle = styles["Subtitle"]
    _font(subtitle, 20, colour=palette.TEXT)
    _spacing(subtitle, 0, 36, 1.0)
    detail = _paragraph_style(document, "Cover Detail")
    _font(detail, 14, colour=palette.TEXT)
    _spacing(detail, 0, 10, 1.1)
    status = _paragraph_style(document, "Cover Status")
    _font(status, 16, bold=True, colour=palette.BRAND)
    _spacing(status, 24, 12, 1.0)


def _contents_styles(document: Document) -> None:
    """The contents page: its heading and one entry style per level, page numbers at the right margin."""
    toc_heading = document.styles["TOC Heading"]
    toc_heading.base_style = document.styles["Normal"]
    _font(toc_heading, 20, bold=True, colour=palette.BRAND)
    _spacing(toc_heading, 0, 18, 1.0)
    for level in (1, 2, 3):
        toc = _paragraph_style(document, f"TOC {level}")
        _font(toc, 12, bold=level == 1)
        _spacing(toc, 6 if level == 1 else 0, 2, 1.0)
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        toc.paragraph_format.tab_stops.add_tab_stop(layout.TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _running_styles(document: Document) -> None:
    """Header, footer and links."""
    styles = document.styles
    _font(styles["Header"], 10, colour=palette.MUTED)
    _font(styles["Footer"], 10, colour=palette.MUTED)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor.from_string(palette.LINK)
    link.font.underline = True


def build_cover_template() -> Document:
    """Return the docxtpl cover template: service, document title, status, date, chair.

    `document_title` is the document's own ('Youth Justice Plan 2025-26', 'Performance report to the
    management board, Jan-Mar 2025'), so one cover serves every kind of document.
    """
    document = build_plan_template()
    body = document
    body.add_paragraph("{{ service_name }}", style="Title")
    body.add_paragraph("{{ document_title }}", style="Subtitle")
    body.add_paragraph("{%p if audience %}", style="Cover Detail")
    body.add_paragraph("For: {{ audience }}", style="Cover Detail")
    body.add_paragraph("{%p endif %}", style="Cover Detail")
    body.add_paragraph("{{ local_authorities }}", style="Cover Detail")
    body.add_paragraph("{{ status_line }}", style="Cover Status")
    body.add_paragraph("Date: {{ date }}", style="Cover Detail")
    body.add_paragraph("Chair of the {{ board_name }}: {{ chair_name }}, {{ chair_role }}", style="Cover Detail")
    body.add_paragraph("{%p if manager_name %}", style="Cover Detail")
    body.add_paragraph("Service lead: {{ manager_name }}, {{ manager_role }}", style="Cover Detail")
    body.add_paragraph("{%p endif %}", style="Cover Detail")
    return document


def build_signoff_template() -> Document:
    """Return the docxtpl sign-off template: one table row per signatory."""
    document = build_plan_template()
    document.add_paragraph("{{ signoff_statement }}")
    table = document.add_table(rows=4, cols=4)
    table.style = document.styles[layout.TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(table.rows[0].cells, ("Name and role", "Organisation", "Signature", "Date"), strict=True):
        cell.paragraphs[0].style = document.styles[layout.TABLE_TEXT_STYLE]
        cell.paragraphs[0].add_run(text).bold = True  # colours: the plan's table header colours, when rendered
    mark_header_row(table.rows[0])
    table.rows[1].cells[0].text = "{%tr for s in signatories %}"
    row = table.rows[2].cells
    row[0].text = "{{ s.name }}, {{ s.role }}"
    row[1].text = "{{ s.organisation }}"
    row[2].text = "{{ s.signature }}"
    row[3].text = "{{ s.date }}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    for table_row in table.rows[1:]:
        table_row.height = Cm(1.6) if table_row is table.rows[2] else None
        for cell in table_row.cells:
            cell.paragraphs[0].style = document.styles[layout.TABLE_TEXT_STYLE]
    document.add_paragraph("{{ approval_note }}")
    return document


def make_templates(folder: Path, *, replace: bool = False) -> tuple[list[Path], list[Path]]:
    """Write the three templates into `folder`: (written, kept). A file there that differs is kept unless `replace`."""
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for name, builder in (
        ("plan-template.docx", build_plan_template),
        ("cover.docx", build_cover_template),
        ("signoff.docx", build_signoff_template),
    ):
        path = folder / name
        document = builder()
        document.core_properties.title = f"plan-builder {name}"
        document.core_properties.author = "plan-builder"
        document.core_properties.language = "en-GB"
        content = _reproducible(document)
        if path.exists() and not replace and path.read_bytes() != content:
            kept.append(path)  # edited by the service (or made by another version): never lost silently
            continue
        path.write_bytes(content)
        written.append(path)
    return written, kept


def _reproducible(document: Document) -> bytes:
    """The saved document with every part dated alike, so the same templates are the same bytes on every run.

    A Word file is a zip, and a zip records when each part was written: without this,
    `make templates` would leave the committed templates looking changed every time.
    """
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            dated = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            dated.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(dated, source.read(item.filename))
    return out.getvalue()
