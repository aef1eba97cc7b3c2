"""Assemble the Word document: template, cover, contents, sections, header and footer.

The template supplies styles and page setup only; its body is cleared. The cover
and sign-off come from docxtpl templates that are rendered and spliced in, with
their styles, pictures and links re-pointed at the plan document.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
from docx.enum.section import WD_HEADER_FOOTER, WD_ORIENT, WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from jinja2 import TemplateSyntaxError, UndefinedError

from plan_builder.errors import TemplateError
from plan_builder.inputs.files import read_input, special_file_problem
from plan_builder.word import layout
from plan_builder.word.xml import (
    add_field,
    add_internal_link,
    add_paragraph,
    begin_field,
    end_field,
    missing_styles,
    paragraph_property,
    relate_external,
    set_style,
    set_update_fields_on_open,
    style_ids,
    style_names_to_ids,
)

if TYPE_CHECKING:
    from docx.document import Document
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from plan_builder.word.context import RenderContext, TocEntry

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def open_template(path: Path, display: Path) -> Document:
    """Open the plan's Word template and check that it defines every style the renderer uses."""
    special = special_file_problem(path)
    if special:
        raise TemplateError(f"{display}: Word template {special}")
    if not path.is_file():
        raise TemplateError(f"{display}: Word template not found")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"{display}: not a readable Word .docx file ({exc})") from exc
    missing = missing_styles(document, layout.REQUIRED_STYLES)
    if missing:
        raise TemplateError(
            f"{display}: the template lacks these styles: {', '.join(missing)}; "
            "add them in Word (Styles pane) or start from templates/plan-template.docx"
        )
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _copy_relationships(element: Any, source: Document, target: Document) -> None:
    """Re-point r:embed / r:id attributes of copied XML at relationships in `target`."""
    for node in element.iter():
        for attr in (f"{{{R_NS}}}embed", f"{{{R_NS}}}id", f"{{{R_NS}}}link"):
            rel_id = node.get(attr)
            if rel_id is None:
                continue
            rel = source.part.rels[rel_id]
            if rel.is_external:
                new_id = relate_external(target.part, rel.target_ref, rel.reltype)
            else:
                new_id = target.part.relate_to(rel.target_part, rel.reltype)
            node.set(attr, new_id)


def _remap_styles(element: Any, source_names: dict[str, str], target: Document, display: Path) -> None:
    """Style ids differ between documents; match them by style name (`source_names`: id -> name)."""
    target_ids = style_ids(target.part)
    for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
        for node in element.iter(qn(tag)):
            name = source_names.get(node.get(qn("w:val")))
            if name is None:
                continue
            if name not in target_ids:
                raise TemplateError(f"{display}: uses style {name!r}, which the plan template does not define")
            node.set(qn("w:val"), target_ids[name])


_TEMPLATE_FACTS: dict[bytes, tuple[set[str], dict[str, str]]] = {}
"""Per template (by content): the fields it uses and its style names by id; the same in every build."""


def render_docx_template(
    path: Path,
    display: Path,
    context: Mapping[str, Any],
    env: ImmutableSandboxedEnvironment,
    target: Document,
) -> None:
    """Render a docxtpl template with `context` and append its body to `target`."""
    from docxtpl import DocxTemplate  # only needed when a cover or sign-off is not in the cache

    special = special_file_problem(path)
    if special:
        raise TemplateError(f"{display}: Word template {special}")
    if not path.is_file():
        raise TemplateError(f"{display}: Word template not found")
    try:
        content = read_input(path)
        template = DocxTemplate(io.BytesIO(content))
        facts = _TEMPLATE_FACTS.get(content)
        if facts is None:
            template.init_docx()
            undeclared = set(template.get_undeclared_template_variables(jinja_env=env))
            facts = (undeclared, {v: k for k, v in style_names_to_ids(template.docx.styles.element).items()})
            if len(_TEMPLATE_FACTS) >= 32:  # templates edited again and again in watch mode
                _TEMPLATE_FACTS.clear()
            _TEMPLATE_FACTS[content] = facts
        undeclared, source_names = facts
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"{display}: not a readable Word .docx file ({exc})") from exc
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{display}: template syntax error: {exc.message}") from exc
    unknown = sorted(set(undeclared) - set(context) - {"s"})
    if unknown:
        raise TemplateError(
            f"{display}: unknown field(s) {', '.join(unknown)}; available: {', '.join(sorted(context))}"
        )
    try:
        template.render(dict(context), jinja_env=env)
    except (UndefinedError, TemplateSyntaxError) as exc:
        raise TemplateError(f"{display}: {exc.message}") from exc
    rendered = template.docx  # rendered in place: no need to save and reopen it
    body = target.element.body
    anchor = body.find(qn("w:sectPr"))
    for child in list(rendered.element.body):
        if child.tag == qn("w:sectPr"):
            continue
        element = copy.deepcopy(child)
        _remap_styles(element, source_names, target, display)
        _copy_relationships(element, rendered, target)
        if anchor is not None and anchor.getparent() is body:
            anchor.addprevious(element)
        else:
            body.append(element)


def add_contents(document: Document) -> Any:
    """Start the contents page and return the paragraph where the TOC field goes."""
    heading = add_paragraph(document, "Contents", "TOC Heading")
    heading.paragraph_format.page_break_before = True
    return add_paragraph(document, style="TOC 1")


def fill_contents(
    document: Document, placeholder: Any, entries: list[TocEntry], pages: Mapping[str, int], levels: int
) -> None:
    """Turn the placeholder into a TOC field whose shown result already lists every heading.

    Word refreshes the field (page numbers included) when the document opens;
    LibreOffice shows the pre-filled entries. `pages` maps bookmark -> page where known.
    """
    paragraph = placeholder
    begin_field(paragraph, f'TOC \\o "1-{levels}" \\h \\z \\u')
    for index, entry in enumerate(e for e in entries if e.level <= levels):
        if index:
            new = add_paragraph(document)
            paragraph._p.addnext(new._p)
            paragraph = new
        set_style(paragraph, f"TOC {entry.level}")
        link = add_internal_link(paragraph, entry.bookmark)
        # Build the entry's runs in the paragraph, then move them inside the link.
        start = len(paragraph._p)
        paragraph.add_run(f"{entry.text}\t")
        add_field(paragraph, f"PAGEREF {entry.bookmark} \\h", str(pages.get(entry.bookmark, "")))
        for run_element in list(paragraph._p)[start:]:
            link.append(run_element)
    end_field(paragraph)


def set_header_footer(document: Document, left_header: str, right_header: str, footer_left: str) -> None:
    """Header: service and plan title; footer: status line and 'Page X of Y'. None on the cover page.

    Sections of the same width share one header and footer (linked); a landscape section
    gets its own so that the right-hand text sits at its right margin.
    """
    first = document.sections[0]
    first.different_first_page_header_footer = True
    # An explicit empty first-page header and footer: LibreOffice otherwise repeats the default ones.
    for part in (first.first_page_header, first.first_page_footer):
        part.is_linked_to_previous = False
        part.paragraphs[0].text = ""
    previous_width = None
    header_style, footer_style = document.styles["Header"], document.styles["Footer"]
    made: dict[int, tuple[str, str]] = {}  # text width -> relationship ids of its header and footer
    for section in document.sections:
        width = int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)
        if width == previous_width:
            section.header.is_linked_to_previous = True
            section.footer.is_linked_to_previous = True
            continue
        previous_width = width
        if width in made:
            # Back to a width seen before (portrait after a landscape table): point at the same
            # header and footer parts rather than making new copies of them.
            _use_header_footer(section, *made[width])
            continue
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        header = section.header.paragraphs[0]
        header.text = ""
        set_style(header, "Header")
        _only_right_tab(header, header_style, width)
        header.add_run(f"{left_header}\t{right_header}")
        footer = section.footer.paragraphs[0]
        footer.text = ""
        set_style(footer, "Footer")
        _only_right_tab(footer, footer_style, width)
        footer.add_run(f"{footer_left}\tPage ")
        add_field(footer, "PAGE", "1")
        footer.add_run(" of ")
        add_field(footer, "NUMPAGES", "1")
        sect_pr = section._sectPr
        header_ref = sect_pr.get_headerReference(WD_HEADER_FOOTER.PRIMARY)
        footer_ref = sect_pr.get_footerReference(WD_HEADER_FOOTER.PRIMARY)
        if header_ref is None or footer_ref is None:  # pragma: no cover - just made by python-docx
            raise RuntimeError("python-docx did not add a header and footer reference")
        made[width] = (header_ref.rId, footer_ref.rId)


def _use_header_footer(section: Any, header_rel_id: str, footer_rel_id: str) -> None:
    """Give `section` the default header and footer already made for another section."""
    sect_pr = section._sectPr
    if sect_pr.get_headerReference(WD_HEADER_FOOTER.PRIMARY) is not None:
        sect_pr.remove_headerReference(WD_HEADER_FOOTER.PRIMARY)
    if sect_pr.get_footerReference(WD_HEADER_FOOTER.PRIMARY) is not None:
        sect_pr.remove_footerReference(WD_HEADER_FOOTER.PRIMARY)
    sect_pr.add_headerReference(WD_HEADER_FOOTER.PRIMARY, header_rel_id)
    sect_pr.add_footerReference(WD_HEADER_FOOTER.PRIMARY, footer_rel_id)


def _only_right_tab(paragraph: Any, style: Any, width: int) -> None:
    """Clear the style's tab stops (often centre and right for Letter paper) and set one at `width`."""
    stops = paragraph.paragraph_format.tab_stops
    for stop in style.paragraph_format.tab_stops:
        stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def set_properties(
    document: Document,
    *,
    title: str,
    subject: str,
    author: str,
    keywords: str,
    language: str,
    as_of: dt.date,
    version: str,
    status: str,
) -> None:
    """Core properties: title and language are what screen readers and search engines use."""
    props = document.core_properties
    props.title = _property_text(title)
    props.subject = _property_text(subject)
    props.author = _property_text(author)
    props.last_modified_by = _property_text(author)
    props.keywords = _property_text(keywords)
    props.language = _property_text(language)
    props.category = "Youth Justice Plan"
    props.comments = _property_text(f"{status}, version {version}. Built by plan-builder.")
    props.content_status = status
    props.version = _property_text(version)
    moment = dt.datetime(as_of.year, as_of.month, as_of.day, 9, 0, 0)
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.revision = 1
    set_update_fields_on_open(document)


PROPERTY_MAX = 255
"""The most characters a core document property holds; python-docx refuses more."""


def _property_text(text: str) -> str:
    """`text` shortened with an ellipsis to fit a document property (the document itself keeps it whole)."""
    return text if len(text) <= PROPERTY_MAX else text[: PROPERTY_MAX - 1] + "…"


def space_after_tables(document: Document) -> None:
    """Give the paragraph that follows a table some space before it; tables have no margin of their own."""
    for table in document.element.body.iter(qn("w:tbl")):
        following = table.getnext()
        if following is None or following.tag != qn("w:p"):
            continue
        spacing = paragraph_property(following.get_or_add_pPr(), "w:spacing")
        if spacing.get(qn("w:before")) is None:
            spacing.set(qn("w:before"), "200")


def begin_landscape(ctx: RenderContext) -> None:
    """End the current page and start a landscape section; headers, footers and numbering continue."""
    if ctx.landscape:
        return
    _new_section(ctx, landscape=True)


def end_landscape(ctx: RenderContext) -> None:
    """Return to portrait on a new page."""
    if not ctx.landscape:
        return
    _new_section(ctx, landscape=False)


def _new_section(ctx: RenderContext, *, landscape: bool) -> None:
    document = ctx.document
    previous = document.sections[-1]
    section = document.add_section(WD_SECTION.NEW_PAGE)
    short, long = sorted((int(previous.page_width or 0), int(previous.page_height or 0)))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.different_first_page_header_footer = False
    ctx.landscape = landscape
    ctx.text_width = Emu(section.page_width - section.left_margin - section.right_margin)


def avoid_double_page_breaks(document: Document) -> None:
    """A paragraph that opens a new section already starts a page: cancel its own page break."""
    for sect_pr in document.element.body.iter(qn("w:sectPr")):
        holder = sect_pr.getparent()
        if holder is None or holder.tag != qn("w:pPr"):
            continue
        following = holder.getparent().getnext()
        if following is None or following.tag != qn("w:p"):
            continue
        p_pr = following.get_or_add_pPr()
        if p_pr.find(qn("w:pageBreakBefore")) is None:
            paragraph_property(p_pr, "w:pageBreakBefore").set(qn("w:val"), "0")


def set_contents_pages(document: Document, pages: Mapping[str, int]) -> None:
    """Write known page numbers into the cached results of the contents' PAGEREF fields."""
    body = document.element.body
    for instr in body.iter(qn("w:instrText")):
        parts = (instr.text or "").split()
        if len(parts) < 2 or parts[0] != "PAGEREF" or parts[1] not in pages:
            continue
        run = instr.getparent()
        # The shown result is the first run with text after the 'separate' field character.
        node = run.getnext()
        while node is not None:
            if (
                node.find(qn("w:fldChar")) is not None
                and node.find(qn("w:fldChar")).get(qn("w:fldCharType")) == "separate"
            ):
                result = node.getnext()
                if result is not None and result.tag == qn("w:r"):
                    text = result.find(qn("w:t"))
                    if text is None:
                        text = OxmlElement("w:t")
                        result.append(text)
                    text.text = str(pages[parts[1]])
                break
            node = node.getnext()
