"""Small WordprocessingML helpers that python-docx does not offer directly.

Each helper does one thing to the XML and says why it is needed: fields for
page numbers and the contents, repeating header rows, numbered
lists that restart, and alt text on pictures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from plan_builder.word.styles import style_id, style_index

if TYPE_CHECKING:
    from docx.document import Document
    from docx.shape import InlineShape
    from docx.table import Table, _Cell, _Row
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run


def add_text_run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    colour: str | None = None,
) -> Run:
    """Append a run holding `text`, optionally bold, italic or coloured (hex 'RRGGBB').

    Builds the XML directly: python-docx's `add_run(text)` goes character by
    character and its `run.bold` setter searches the run properties' whole schema.
    `bold=False` writes an explicit "not bold" (overriding a bold style); None leaves it to the style.
    Tabs and line breaks become w:tab and w:br, as python-docx makes them.
    """
    from docx.text.run import Run as DocxRun

    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    r = etree.SubElement(paragraph._p, W_R)
    if bold is not None or italic is not None or colour:
        r_pr = etree.SubElement(r, W_RPR)  # children in schema order: b, i, color
        for tag, value in ((W_B, bold), (W_I, italic)):
            if value is not None:
                flag = etree.SubElement(r_pr, tag)
                if not value:
                    flag.set(W_VAL, "0")
        if colour:
            etree.SubElement(r_pr, W_COLOR).set(W_VAL, colour)
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(r, W_BR)
        for position, piece in enumerate(line.split("\t")):
            if position:
                etree.SubElement(r, W_TAB)
            if piece:
                t = etree.SubElement(r, W_T)
                t.text = piece
                if piece != piece.strip():
                    t.set(XML_SPACE, "preserve")
    return DocxRun(r, paragraph)


W_R, W_RPR, W_B, W_I, W_COLOR, W_T, W_BR, W_TAB, W_VAL = (
    qn(f"w:{tag}") for tag in ("r", "rPr", "b", "i", "color", "t", "br", "tab", "val")
)
W_P, W_SECT_PR = qn("w:p"), qn("w:sectPr")
W_FLD_CHAR, W_FLD_CHAR_TYPE, W_INSTR_TEXT = qn("w:fldChar"), qn("w:fldCharType"), qn("w:instrText")
# Child order the WordprocessingML schema fixes for paragraph and table properties.
P_PR_ORDER = tuple(
    qn(f"w:{tag}")
    for tag in [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)
TBL_PR_ORDER = tuple(
    qn(f"w:{tag}")
    for tag in [
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
        "tblPrChange",
    ]
)
_R_PR_TAGS = """rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof
    snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign
    rtl cs em lang eastAsianLayout specVanish oMath rPrChange"""
R_PR_ORDER = tuple(qn(f"w:{tag}") for tag in _R_PR_TAGS.split())
_TC_PR_TAGS = """cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark
    headers cellIns cellDel cellMerge tcPrChange"""
TC_PR_ORDER = tuple(qn(f"w:{tag}") for tag in _TC_PR_TAGS.split())


def insert_in_order(parent: Any, child: Any, order: tuple[str, ...]) -> Any:
    """Put `child` among `parent`'s children where `order` (the schema's sequence) says, and return it."""
    rank = {tag: index for index, tag in enumerate(order)}
    mine = rank[child.tag]
    later = next((existing for existing in parent if rank.get(existing.tag, -1) > mine), None)
    if later is None:
        parent.append(child)
    else:
        later.addprevious(child)
    return child


def paragraph_property(p_pr: Any, tag: str) -> Any:
    """The w:pPr child `tag` ('w:spacing'), created in schema order if missing."""
    clark = qn(tag)
    found = p_pr.find(clark)
    return found if found is not None else insert_in_order(p_pr, p_pr.makeelement(clark), P_PR_ORDER)


def align(paragraph: Paragraph, value: str) -> None:
    """Align the paragraph: 'left', 'center', 'right' or 'both' (python-docx's setter is slow in bulk)."""
    paragraph_property(first_child(paragraph._p, "w:pPr"), "w:jc").set(W_VAL, value)


XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _field_char(paragraph: Paragraph, kind: str) -> None:
    run = etree.SubElement(paragraph._p, W_R)
    etree.SubElement(run, W_FLD_CHAR).set(W_FLD_CHAR_TYPE, kind)


def begin_field(paragraph: Paragraph, instruction: str) -> None:
    """Open a complex field; what follows up to `end_field` is its shown result."""
    _field_char(paragraph, "begin")
    instr = etree.SubElement(etree.SubElement(paragraph._p, W_R), W_INSTR_TEXT)
    instr.set(XML_SPACE, "preserve")
    instr.text = f" {instruction} "
    _field_char(paragraph, "separate")


def end_field(paragraph: Paragraph) -> None:
    """Close the field opened by `begin_field` (possibly in an earlier paragraph)."""
    _field_char(paragraph, "end")


def add_field(paragraph: Paragraph, instruction: str, cached: str = "") -> Run:
    """Append a complex field (PAGE, NUMPAGES, SEQ, PAGEREF...) with `cached` as its shown result.

    Word and LibreOffice recompute the field; the cached text is what a reader sees
    before that happens, so it should be a sensible value, never empty if avoidable.
    """
    begin_field(paragraph, instruction)
    result = add_text_run(paragraph, cached)
    end_field(paragraph)
    return result


def mark_header_row(row: _Row) -> None:
    """Flag `row` as a header row: repeated on every page and announced by screen readers."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):  # an on/off flag is on without a value
        if tr_pr.find(qn(tag)) is None:
            tr_pr.append(OxmlElement(tag))


def is_header_row(row: _Row) -> bool:
    """Return True if `row` carries the repeating header-row flag."""
    tr_pr = row._tr.trPr
    if tr_pr is None:
        return False
    flag = tr_pr.find(qn("w:tblHeader"))
    return flag is not None and flag.get(qn("w:val"), "true") in ("true", "1", "on")


def keep_row_together(row: _Row) -> None:
    """Stop Word splitting one row across a page break."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))  # an on/off flag is on without a value


def shade_cell(cell: _Cell, fill_hex: str) -> None:
    """Give `cell` a solid background colour (hex 'RRGGBB')."""
    shade_cell_element(cell._tc, fill_hex)


def shade_cell_element(tc: Any, fill_hex: str) -> None:
    """`shade_cell` on a w:tc element."""
    tc_pr = first_child(tc, "w:tcPr")
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill_hex)
    insert_in_order(tc_pr, shd, TC_PR_ORDER)


def cell_fill(cell: _Cell) -> str | None:
    """Return the cell's background colour, if it has one."""
    tc_pr = cell._tc.tcPr
    shd = tc_pr.find(qn("w:shd")) if tc_pr is not None else None
    fill = shd.get(qn("w:fill")) if shd is not None else None
    return None if fill in (None, "auto") else fill


def set_table_width_full(table_element: Any) -> None:
    """Make a table span the text width (100%) so columns share the page."""
    tbl_pr = table_element.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), "5000")
    width.set(qn("w:type"), "pct")
    insert_in_order(tbl_pr, width, TBL_PR_ORDER)


def set_alt_text(shape: InlineShape, description: str, title: str = "") -> None:
    """Set the picture's alt text (docPr descr), which screen readers read out."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", description)
    if title:
        doc_pr.set("title", title)


def alt_text(shape: InlineShape) -> str:
    """Return the picture's alt text, or '' if it has none."""
    return str(shape._inline.docPr.get("descr") or "")


def add_page_break_before(paragraph: Paragraph) -> None:
    """Start `paragraph` on a new page."""
    paragraph.paragraph_format.page_break_before = True


def set_column_widths(table: Table, widths: list[int]) -> None:
    """Fix each column's width (EMU) in the grid and in every cell.

    Word honours a percentage table width, but LibreOffice lays tables out from
    the grid, so both are set.
    """
    twips = [str(int(width / 635)) for width in widths]  # EMU -> twentieths of a point
    grid = table._tbl.tblGrid
    w, w_type = qn("w:w"), qn("w:type")
    for column, value in zip(grid.iterchildren(qn("w:gridCol")), twips, strict=False):
        column.set(w, value)
    for tr in table._tbl.iterchildren(qn("w:tr")):
        for tc, value in zip(tr.iterchildren(qn("w:tc")), twips, strict=False):
            tc_w = first_child(first_child(tc, "w:tcPr"), "w:tcW")
            tc_w.set(w, value)
            tc_w.set(w_type, "dxa")


def set_style(paragraph: Paragraph, name: str) -> None:
    """Give `paragraph` the paragraph style `name` (fast path of `paragraph.style = ...`)."""
    set_paragraph_style_id(paragraph._p, style_id(paragraph.part, name))


def set_paragraph_style_id(p: Any, value: str) -> None:
    """Set w:pStyle on a w:p element directly (python-docx's setter is slow in bulk)."""
    first_child(first_child(p, "w:pPr"), "w:pStyle").set(qn("w:val"), value)


def first_child(parent: Any, tag: str) -> Any:
    """The element's `tag` child, created as its first child if missing.

    Only for children that must come first in their parent (w:pPr, w:pStyle, w:tcPr, w:tcW).
    """
    clark = qn(tag)
    child = parent.find(clark)
    if child is None:
        child = parent.makeelement(clark)
        parent.insert(0, child)
    return child


def last_child(parent: Any) -> Any:
    """The element's last child, or None (lxml's `len()` walks every child; `[-1]` does not)."""
    try:
        return parent[-1]
    except IndexError:
        return None


def insert_block(body: Any, element: Any) -> None:
    """Append a block element to the body, before its final w:sectPr if it has one."""
    last = last_child(body)
    if last is not None and last.tag == W_SECT_PR:
        last.addprevious(element)
    else:
        body.append(element)


def add_paragraph(document: Document, text: str = "", style: str | None = None) -> Paragraph:
    """`document.add_paragraph(text, style)`, building the XML directly (python-docx's path is slow in bulk)."""
    from docx.text.paragraph import Paragraph as DocxParagraph

    body = document.element.body
    p = body.makeelement(W_P)
    index = style_index(document.part)
    wanted = index.id_for(style or "Normal")
    if wanted != index.defaults.get("paragraph"):  # body text mapped to a council style is named, not implied
        set_paragraph_style_id(p, wanted)
    insert_block(body, p)
    paragraph = DocxParagraph(p, document._body)
    if text:
        add_text_run(paragraph, text)
    return paragraph


def keep_with_next(paragraph: Paragraph) -> None:
    """Keep the paragraph on the same page as the next one (w:keepNext goes straight after w:pStyle)."""
    paragraph_property(first_child(paragraph._p, "w:pPr"), "w:keepNext")
