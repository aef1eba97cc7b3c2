"""Running headers and footers: the template's own, filled in, or plan-builder's where it has none.

A council's header and footer (logo, lines, its own wording) are kept. plan-builder puts
its running text into them where the council left room:

- `{{ field }}` placeholders are filled in (`placeholders`): any cover field, `title`,
  and `page` / `pages` for the page numbers;
- a header or footer with no text of its own (empty, or only a logo) gets plan-builder's
  line added below what it has: the service and plan title in the header, the status,
  version, date and "Page X of Y" in the footer;
- one with text of its own but no fields is kept exactly as it is;
- where the template has none, plan-builder's line is the header or footer.

Sections of the same text width share one header and footer; a landscape section gets its
own copies so that right-aligned text sits at its own right margin. The cover page has an
empty header and footer unless the template has a first-page one of its own.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.enum.section import WD_HEADER_FOOTER
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.parts.hdrftr import FooterPart, HeaderPart
from docx.text.paragraph import Paragraph

from plan_builder.errors import TemplateError
from plan_builder.word.placeholders import PAGE_FIELDS, fields_in, fill_fields
from plan_builder.word.styles import style_element, style_id
from plan_builder.word.xml import add_field, add_text_run, set_style

if TYPE_CHECKING:
    from docx.document import Document

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_ATTRIBUTES = (f"{{{R_NS}}}id", f"{{{R_NS}}}embed", f"{{{R_NS}}}link")
PICTURES = {qn("w:drawing"), qn("w:pict"), qn("w:object")}
TYPES = {"default": WD_HEADER_FOOTER.PRIMARY, "first": WD_HEADER_FOOTER.FIRST_PAGE, "even": WD_HEADER_FOOTER.EVEN_PAGE}
PARTS = {"header": (HeaderPart, CT.WML_HEADER, RT.HEADER), "footer": (FooterPart, CT.WML_FOOTER, RT.FOOTER)}


@dataclass(frozen=True)
class RunningText:
    """What the running header and footer say: plan-builder's own lines, and the values of template fields."""

    header_left: str
    header_right: str
    footer_left: str
    fields: Mapping[str, str]


def what_it_holds(part: Any) -> str:
    """How plan-builder treats a template's header or footer: 'fields', 'pictures', 'text' or 'empty'."""
    if part is None:
        return "empty"
    element = part.element
    if fields_in(element):
        return "fields"
    if "".join(t.text or "" for t in element.iter(qn("w:t"))).strip():
        return "text"
    if any(node.tag in PICTURES for node in element.iter()):
        return "pictures"
    return "empty"


def set_header_footer(
    document: Document, text: RunningText, kept: Mapping[tuple[str, str], Any], display: Path
) -> None:
    """Give every section its running header and footer; the cover's are empty (or the template's first-page ones).

    `kept` holds the template's own headers and footers by (kind, 'default' / 'first' / 'even').
    """
    first = document.sections[0]
    first.different_first_page_header_footer = True
    for kind in PARTS:
        part, _ = _new_part(document, first, kind, "first", kept.get((kind, "first")))
        if what_it_holds(kept.get((kind, "first"))) == "empty":
            _plain_paragraph(part, kind)  # LibreOffice otherwise repeats the default one on the cover
        else:
            _fill(part, text, display, kind)
    previous_width = None
    made: dict[int, dict[tuple[str, str], str]] = {}  # text width -> relationship ids of its parts
    for section in document.sections:
        width = int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)
        if width == previous_width:
            continue  # no references of its own: it shows the previous section's
        previous_width = width
        if width in made:  # back to a width seen before: point at the same parts, not new copies
            for (kind, which), rel_id in made[width].items():
                _reference(section, kind, which, rel_id)
            continue
        made[width] = {}
        for kind in PARTS:
            for which in ("default", "even"):
                source = kept.get((kind, which))
                if which == "even" and source is None:
                    continue
                part, made[width][(kind, which)] = _new_part(document, section, kind, which, source)
                _write_running(part, kind, source, text, width, display)


def _new_part(document: Document, section: Any, kind: str, which: str, source: Any) -> tuple[Any, str]:
    """A new header or footer part for `section` and its relationship id.

    The part is a copy of the template's `source` (its pictures re-attached), or python-docx's empty one.
    """
    part_class, content_type, reltype = PARTS[kind]
    package = document.part.package
    if source is None:
        part = part_class.new(package)  # type: ignore[attr-defined]
    else:
        partname = package.next_partname(f"/word/{kind}%d.xml")
        part = part_class(partname, content_type, copy.deepcopy(source.element), package)
        for node in part.element.iter():
            for attribute in REL_ATTRIBUTES:
                rel_id = node.get(attribute)
                if rel_id is not None and rel_id in source.rels:
                    rel = source.rels[rel_id]
                    if rel.is_external:
                        node.set(attribute, part.relate_to(rel.target_ref, rel.reltype, is_external=True))
                    else:
                        node.set(attribute, part.relate_to(rel.target_part, rel.reltype))
    rel_id = document.part.relate_to(part, reltype)
    _reference(section, kind, which, rel_id)
    return part, rel_id


def _reference(section: Any, kind: str, which: str, rel_id: str) -> None:
    sect_pr = section._sectPr
    if kind == "header":
        sect_pr.add_headerReference(TYPES[which], rel_id)
    else:
        sect_pr.add_footerReference(TYPES[which], rel_id)


def _plain_paragraph(part: Any, kind: str) -> Paragraph:
    """The part's first paragraph, emptied, in the Header or Footer style (by the template's own style id)."""
    p = part.element.find(qn("w:p"))
    if p is None:
        p = part.element.makeelement(qn("w:p"), {})
        part.element.append(p)
    for child in list(p):
        p.remove(child)
    paragraph = Paragraph(p, _Parent(part))
    set_style(paragraph, kind.title())
    return paragraph


class _Parent:
    """Stands in for python-docx's header object as a paragraph's parent: what a paragraph needs of it is its part."""

    def __init__(self, part: Any) -> None:
        self.part = part


def _fill(part: Any, text: RunningText, display: Path, kind: str) -> None:
    unknown = fill_fields(part.element, text.fields)
    if unknown:
        available = ", ".join(sorted([*text.fields, *PAGE_FIELDS]))
        raise TemplateError(f"{display}: the {kind} has unknown field(s) {', '.join(unknown)}; available: {available}")


def _write_running(part: Any, kind: str, source: Any, text: RunningText, width: int, display: Path) -> None:
    """Fill the template's fields, or add plan-builder's line where the template left the header or footer empty."""
    holds = what_it_holds(source)
    if holds == "fields":
        _fill(part, text, display, kind)
        return
    if holds == "text":
        return
    if holds == "pictures":
        p = part.element.makeelement(qn("w:p"), {})
        part.element.append(p)
    paragraph = _plain_paragraph(part, kind) if holds == "empty" else Paragraph(p, _Parent(part))
    if holds == "pictures":
        set_style(paragraph, kind.title())
    _only_right_tab(paragraph, kind.title(), width)
    if kind == "header":
        add_text_run(paragraph, f"{text.header_left}\t{text.header_right}")
        return
    add_text_run(paragraph, f"{text.footer_left}\tPage ")
    add_field(paragraph, "PAGE", "1")
    add_text_run(paragraph, " of ")
    add_field(paragraph, "NUMPAGES", "1")


def _only_right_tab(paragraph: Paragraph, style_name: str, width: int) -> None:
    """Clear the style's tab stops (often centre and right for Letter paper) and set one at `width`."""
    document_part = paragraph.part.package.main_document_part
    style = style_element(document_part.document, style_id(paragraph.part, style_name))
    stops = paragraph.paragraph_format.tab_stops
    for tab in style.iterfind(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}") if style is not None else ():
        stops.add_tab_stop(int(tab.get(qn("w:pos"))) * 635, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
