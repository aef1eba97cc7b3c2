"""Small WordprocessingML helpers that python-docx does not offer directly.

Each helper does one thing to the XML and says why it is needed: fields for
page numbers and the contents, repeating header rows, hyperlinks, numbered
lists that restart, and alt text on pictures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

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
    for tag in ("w:tblHeader", "w:cantSplit"):
        if tr_pr.find(qn(tag)) is None:
            element = OxmlElement(tag)
            element.set(qn("w:val"), "true")
            tr_pr.append(element)


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
        element = OxmlElement("w:cantSplit")
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def shade_cell(cell: _Cell, fill_hex: str) -> None:
    """Give `cell` a solid background colour (hex 'RRGGBB')."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill_hex)
    tc_pr.append(shd)


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


def relate_external(part: Any, url: str, reltype: str = RT.HYPERLINK) -> str:
    """The id of `part`'s relationship to the external `url`, added if new.

    python-docx's `relate_to` looks through every relationship for a match and then for a
    free id, so a section with thousands of links took time growing with the square of
    their number; an index kept beside the part's relationships makes each lookup constant.
    """
    rels = part.rels
    index: dict[tuple[str, str], str] | None = getattr(rels, "_plan_builder_external", None)
    if index is None:
        index = {(rel.reltype, rel.target_ref): rid for rid, rel in rels.items() if rel.is_external}
        rels._plan_builder_external = index
    rel_id = index.get((reltype, url))
    if rel_id is None or rel_id not in rels:
        number = getattr(rels, "_plan_builder_next_id", len(rels) + 1)
        while f"rId{number}" in rels:
            number += 1
        rel_id = f"rId{number}"
        rels.add_relationship(reltype, url, rel_id, is_external=True)
        rels._plan_builder_next_id = number + 1
        index[(reltype, url)] = rel_id
    return rel_id


def add_hyperlink(paragraph: Paragraph, url: str, text: str, style: str = "Hyperlink") -> None:
    """Append an external hyperlink whose visible text is `text`."""
    rel_id = relate_external(paragraph.part, url)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = paragraph.add_run(text)
    run._r.style = style_id(paragraph.part, style)
    link.append(run._r)
    paragraph._p.append(link)


def add_internal_link(paragraph: Paragraph, anchor: str) -> Any:
    """Append an empty hyperlink to bookmark `anchor` and return it, for the caller to fill."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    return link


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Wrap the paragraph's content in a bookmark, the target of TOC links and PAGEREF fields."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p_pr = paragraph._p.pPr
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def restart_numbering(document: Document, style_name: str) -> int:
    """Create a new numbering instance for `style_name` that starts at 1 and return its id.

    All paragraphs of a list style share one numbering instance, so without this
    every numbered list would continue from the previous one.
    """
    style = document.styles[style_name]
    num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
    if num_pr is None or num_pr.numId is None:
        raise KeyError(style_name)
    numbering = document.part.numbering_part.element
    base_num = numbering.num_having_numId(num_pr.numId.val)
    abstract_id = base_num.abstractNumId.val
    new_id = max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0) + 1
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(new_id))
    abstract = OxmlElement("w:abstractNumId")
    abstract.set(qn("w:val"), str(abstract_id))
    num.append(abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    return new_id


def set_paragraph_numbering(paragraph: Paragraph, num_id: int, level: int = 0) -> None:
    """Attach `paragraph` to numbering instance `num_id` at `level`."""
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = p_pr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


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


def missing_styles(document: Document, names: list[str]) -> list[str]:
    """Names of styles in `names` that the document does not define."""
    defined = {style.name for style in document.styles}
    return [name for name in names if name not in defined]


def set_update_fields_on_open(document: Document) -> None:
    """Ask Word to refresh fields (contents, page numbers) when the document is opened."""
    settings = document.settings.element
    existing = settings.find(qn("w:updateFields"))
    if existing is None:
        existing = OxmlElement("w:updateFields")
        settings.append(existing)
    existing.set(qn("w:val"), "true")


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


def style_id(part: object, name: str) -> str:
    """The id of the style called `name`, looked up once per document.

    python-docx resolves a style name by scanning every style on each assignment,
    which dominated build time; the ids of a document's styles never change while
    it is built, so they are cached on its document part.
    """
    return style_ids(part)[name]


def style_ids(part: object) -> dict[str, str]:
    """Style name -> id for the document `part` belongs to, worked out once per document."""
    main: Any = part if hasattr(part, "document") else part.package.main_document_part  # type: ignore[attr-defined]
    cache: dict[str, str] | None = getattr(main, "_plan_builder_style_ids", None)
    if cache is None:
        cache = style_names_to_ids(main.document.styles.element)
        main._plan_builder_style_ids = cache
    return cache


def style_names_to_ids(styles_element: Any) -> dict[str, str]:
    """Map style names to ids straight from styles.xml (python-docx's Style objects are slow to list)."""
    mapping = {}
    for style in styles_element.iterchildren(qn("w:style")):
        name = style.find(qn("w:name"))
        style_id_value = style.get(qn("w:styleId"))
        if name is not None and style_id_value is not None:
            mapping[BUILTIN_STYLE_NAMES.get(name.get(qn("w:val")), name.get(qn("w:val")))] = style_id_value
    return mapping


# styles.xml stores some built-in names in lower case; python-docx shows them capitalised.
BUILTIN_STYLE_NAMES = {
    "heading 1": "Heading 1",
    "heading 2": "Heading 2",
    "heading 3": "Heading 3",
    "heading 4": "Heading 4",
    "heading 5": "Heading 5",
    "heading 6": "Heading 6",
    "heading 7": "Heading 7",
    "heading 8": "Heading 8",
    "heading 9": "Heading 9",
    "caption": "Caption",
    "header": "Header",
    "footer": "Footer",
    "title": "Title",
    "toc 1": "TOC 1",
    "toc 2": "TOC 2",
    "toc 3": "TOC 3",
    "toc heading": "TOC Heading",
}


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


def add_paragraph(document: Document, text: str = "", style: str | None = None) -> Paragraph:
    """`document.add_paragraph(text, style)`, building the XML directly (python-docx's path is slow in bulk)."""
    from docx.text.paragraph import Paragraph as DocxParagraph

    body = document.element.body
    p = body.makeelement(W_P)
    if style is not None and style != "Normal":
        set_paragraph_style_id(p, style_id(document.part, style))
    if len(body) and body[-1].tag == W_SECT_PR:
        body[-1].addprevious(p)
    else:
        body.append(p)
    paragraph = DocxParagraph(p, document._body)
    if text:
        add_text_run(paragraph, text)
    return paragraph


def keep_with_next(paragraph: Paragraph) -> None:
    """Keep the paragraph on the same page as the next one (w:keepNext goes straight after w:pStyle)."""
    paragraph_property(first_child(paragraph._p, "w:pPr"), "w:keepNext")
