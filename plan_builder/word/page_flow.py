"""Where pages turn: a short lead-in goes with the landscape pages it introduces; short rows stay whole.

A block on landscape pages (an action plan, the KPI table) ends the portrait page it follows. When
all that page would hold is the section's heading and a sentence or two, the heading and its
lead-in move to the first landscape page instead, as a person laying out the document would.
A table row short enough to fit on any page is kept on one page, so a reader never has to
piece a row together across a page turn; a longer row may break, because Word cuts off a row
that may not break and is taller than the page. This runs on the finished body, so sections
served from the cache are laid out the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.oxml.ns import nsmap, qn
from lxml import etree

if TYPE_CHECKING:
    from docx.document import Document

LEAD_IN_PARAGRAPHS = 6
"""At most this many paragraphs (the heading included) move with the landscape pages."""
LEAD_IN_CHARACTERS = 900
"""...holding at most this much text: more is a page of its own."""
SHORT_ROW_CHARACTERS = 600
"""A row whose fullest cell holds at most this much text fits on a landscape page even in a narrow column."""

W_P, W_PPR, W_SECT_PR, W_T = qn("w:p"), qn("w:pPr"), qn("w:sectPr"), qn("w:t")
W_TR, W_TC, W_TR_PR, W_CANT_SPLIT = qn("w:tr"), qn("w:tc"), qn("w:trPr"), qn("w:cantSplit")
WORD = {"w": nsmap["w"]}
PAGE_BREAK = etree.XPath(".//w:br[@w:type='page']", namespaces=WORD)
PICTURE = etree.XPath(".//w:drawing | .//w:pict", namespaces=WORD)
HEADING_BOOKMARK = etree.XPath("w:bookmarkStart[starts-with(@w:name, '_Toc')]", namespaces=WORD)
"""Headings carry a '_Toc' bookmark for the contents page (word.paragraphs.add_heading)."""


def keep_lead_ins_with_landscape(document: Document) -> None:
    """Move each short heading-and-lead-in that ends a portrait section onto the landscape page after it."""
    body = document.element.body
    for sect_pr in list(body.iter(W_SECT_PR)):
        closing = _closing_paragraph(sect_pr)
        if closing is None or _is_landscape(sect_pr) or not _is_landscape(_next_section(closing)):
            continue
        lead_in = _lead_in(closing)
        if not lead_in:
            continue
        before = lead_in[0].getprevious()
        if before is not None and (_closes_section(before) or PAGE_BREAK(before)):
            if _closes_section(before):
                body.remove(closing)  # the portrait section held only the lead-in: it joins the landscape one
            continue
        lead_in[0].addprevious(closing)


def _closing_paragraph(sect_pr: etree._Element) -> etree._Element | None:
    """The empty paragraph whose properties end a section (python-docx's section break), if that is what holds it."""
    holder = sect_pr.getparent()
    paragraph = holder.getparent() if holder is not None and holder.tag == W_PPR else None
    if paragraph is None or any(child.tag != W_PPR for child in paragraph):
        return None
    return paragraph


def _closes_section(element: etree._Element) -> bool:
    properties = element.find(W_PPR) if element.tag == W_P else None
    return properties is not None and properties.find(W_SECT_PR) is not None


def _next_section(closing: etree._Element) -> etree._Element | None:
    """The properties of the section that starts after `closing`."""
    for element in closing.itersiblings():
        if element.tag == W_SECT_PR:
            return element
        if _closes_section(element):
            return element.find(W_PPR).find(W_SECT_PR)
    return None


def _is_landscape(sect_pr: etree._Element | None) -> bool:
    size = sect_pr.find(qn("w:pgSz")) if sect_pr is not None else None
    if size is None:
        return False
    width, height = int(size.get(qn("w:w"), "0")), int(size.get(qn("w:h"), "0"))
    return size.get(qn("w:orient")) == "landscape" or width > height


def _lead_in(closing: etree._Element) -> list[etree._Element]:
    """The heading and the few short paragraphs between it and `closing`; empty if there is more than that."""
    found: list[etree._Element] = []
    characters = 0
    for element in closing.itersiblings(preceding=True):
        if element.tag != W_P or _closes_section(element) or PAGE_BREAK(element) or PICTURE(element):
            return []
        found.insert(0, element)
        characters += sum(len(text.text or "") for text in element.iter(qn("w:t")))
        if len(found) > LEAD_IN_PARAGRAPHS or characters > LEAD_IN_CHARACTERS:
            return []
        if HEADING_BOOKMARK(element):
            return found
    return []


def keep_short_rows_together(document: Document) -> None:
    """Stop every table row short enough to fit on a page from breaking across pages."""
    for row in document.element.body.iter(W_TR):
        properties = row.find(W_TR_PR)
        if properties is not None and properties.find(W_CANT_SPLIT) is not None:
            continue
        cells = [sum(len(text.text or "") for text in cell.iter(W_T)) for cell in row.iterchildren(W_TC)]
        if max(cells, default=0) > SHORT_ROW_CHARACTERS or PICTURE(row):
            continue
        if properties is None:
            properties = row.makeelement(W_TR_PR, {})
            row.insert(_after_row_exceptions(row), properties)
        properties.append(properties.makeelement(W_CANT_SPLIT, {}))


def _after_row_exceptions(row: etree._Element) -> int:
    """Where a row's properties go: first, or after its table-property exceptions (w:tblPrEx)."""
    first = row[0] if len(row) else None
    return 1 if first is not None and first.tag == qn("w:tblPrEx") else 0
