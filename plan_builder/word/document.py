"""Assemble the Word document: cover and sign-off, contents, landscape pages, properties.

The template (opened by `template`) supplies styles, page setup, header and footer; its
body is cleared. The cover and sign-off come from docxtpl templates that are rendered and
spliced in, with their styles, pictures and links re-pointed at the plan document. Running
headers and footers are written by `headers`.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from jinja2 import TemplateSyntaxError, UndefinedError

from plan_builder.errors import TemplateError
from plan_builder.figures.pending import MARK_END, MARK_START, placeholder_text
from plan_builder.inputs.prompts import PROMPT, mark_prompts
from plan_builder.word.links import add_internal_link, relate_external
from plan_builder.word.package import make_word_ready, set_update_fields_on_open
from plan_builder.word.styles import StyleIndex, style_index
from plan_builder.word.tables import colour_header_rows, fit_to_width
from plan_builder.word.template import StyleChoice, open_plan_template, read_template_bytes
from plan_builder.word.xml import (
    add_field,
    add_paragraph,
    begin_field,
    end_field,
    last_child,
    paragraph_property,
    set_style,
)

if TYPE_CHECKING:
    from docx.document import Document
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from plan_builder.word.context import RenderContext, TocEntry

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def open_template(path: Path, display: Path, styles: Mapping[str, StyleChoice] | None = None) -> Document:
    """Open the plan's Word template ready for a plan (styles mapped and completed, body cleared).

    See `plan_builder.word.template.open_plan_template`, which also says what it added.
    """
    return open_plan_template(path, display, styles).document


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
    index = style_index(target.part)
    for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
        for node in element.iter(qn(tag)):
            name = source_names.get(node.get(qn("w:val")))
            if name is None:
                continue
            try:
                node.set(qn("w:val"), index.id_for(name))
            except KeyError:
                raise TemplateError(
                    f"{display}: uses style {name!r}, which the plan's Word template does not have; add it to "
                    "that template, or map one of its styles to it under styles: in plan.yaml"
                ) from None


_TEMPLATE_FACTS: dict[bytes, tuple[set[str], dict[str, str]]] = {}
"""Per template (by content): the fields it uses and its style names by id; the same in every build."""


def _open_docx_template(
    path: Path, display: Path, env: ImmutableSandboxedEnvironment
) -> tuple[Any, tuple[set[str], dict[str, str]]]:
    """The docxtpl template at `path`, with its fields and style names (read once per content)."""
    from docxtpl import DocxTemplate  # only needed when a cover or sign-off is not in the cache

    content = read_template_bytes(path, display)
    try:
        template = DocxTemplate(io.BytesIO(content))
        facts = _TEMPLATE_FACTS.get(content)
        if facts is None:
            template.init_docx()
            undeclared = set(template.get_undeclared_template_variables(jinja_env=env))
            facts = (undeclared, StyleIndex.of(template.docx.styles.element).names)
            if len(_TEMPLATE_FACTS) >= 32:  # templates edited again and again in watch mode
                _TEMPLATE_FACTS.clear()
            _TEMPLATE_FACTS[content] = facts
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"{display}: not a readable Word .docx file ({exc})") from exc
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{display}: template syntax error: {exc.message}") from exc
    return template, facts


def render_docx_template(
    path: Path,
    display: Path,
    context: Mapping[str, Any],
    env: ImmutableSandboxedEnvironment,
    target: Document,
    header_colours: tuple[str | None, str | None] = (None, None),
) -> None:
    """Render a docxtpl template with `context` and append its body to `target`.

    Its tables are narrowed to the page where they are wider, and their header rows take
    `header_colours` (fill, text) where they have none of their own.
    """
    template, (undeclared, source_names) = _open_docx_template(path, display, env)
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
        highlight_prompts(element)
        _remap_styles(element, source_names, target, display)
        _copy_relationships(element, rendered, target)
        if element.tag == qn("w:tbl"):
            fit_to_width(element, _current_text_width(target))
            colour_header_rows(element, header_colours)
        if anchor is not None and anchor.getparent() is body:
            anchor.addprevious(element)
        else:
            body.append(element)


def highlight_prompts(element: Any) -> None:
    """Show each `[[prompt]]` a field put into a template's text as the body shows it: bold on yellow, no brackets."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.text.run import Run

    for run in list(element.iter(qn("w:r"))):
        texts = run.findall(qn("w:t"))
        if len(texts) != 1 or not PROMPT.search(texts[0].text or ""):
            continue
        pieces = placeholder_text(mark_prompts(texts[0].text or "", MARK_START, MARK_END))
        for piece, is_prompt in filter(lambda p: p[0], pieces):
            new = copy.deepcopy(run)
            shown = new.find(qn("w:t"))
            shown.text = piece
            shown.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            if is_prompt:
                font = Run(new, None).font  # type: ignore[arg-type]
                font.bold, font.highlight_color = True, WD_COLOR_INDEX.YELLOW
            run.addprevious(new)
        run.getparent().remove(run)


def _current_text_width(document: Document) -> int:
    """The text width (EMU) of the section being written (the last one)."""
    section = document.sections[-1]
    return int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)


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
    make_word_ready(document)


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
    from docx.section import Section

    document = ctx.document
    body = document.element.body
    previous = Section(body[-1], document.part)  # the body's own sectPr: the last section's (O(1), not an xpath)
    section = document.add_section(WD_SECTION.NEW_PAGE)
    short, long = sorted((int(previous.page_width or 0), int(previous.page_height or 0)))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.different_first_page_header_footer = False
    ctx.landscape = landscape
    ctx.text_width = Emu(section.page_width - section.left_margin - section.right_margin)


def drop_empty_last_section(document: Document) -> None:
    """Remove a last section with nothing in it (left by a landscape block at the very end): a blank page.

    The paragraph that closed the previous section carries that section's properties; when
    nothing follows it, its properties become the document's last section and the paragraph goes.
    """
    body = document.element.body
    final = last_child(body)
    closing = final.getprevious() if final is not None and final.tag == qn("w:sectPr") else None
    if closing is None or closing.tag != qn("w:p"):
        return
    p_pr = closing.find(qn("w:pPr"))
    inner = p_pr.find(qn("w:sectPr")) if p_pr is not None else None
    if inner is None or any(child.tag != qn("w:pPr") for child in closing):
        return
    final.addprevious(inner)
    body.remove(final)
    body.remove(closing)


def avoid_double_page_breaks(document: Document) -> None:
    """A paragraph that opens a new section already starts a page: cancel its own page break."""
    for sect_pr in document.element.body.iter(qn("w:sectPr")):
        holder = sect_pr.getparent()
        if holder is None or holder.tag != qn("w:pPr"):
            continue
        following = holder.getparent().getnext()
        if following is None or following.tag != qn("w:p"):
            continue
        paragraph_property(following.get_or_add_pPr(), "w:pageBreakBefore").set(qn("w:val"), "0")


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
