"""Render a section's Markdown into the Word document, element by element.

Python-Markdown parses the text into an element tree (raw HTML is switched off,
so it shows as text); this module walks that tree and writes python-docx
paragraphs, lists, tables and pictures using the template's named styles.
Block directives (a paragraph that is exactly `::: name`) hand over to the
structured renderers (risk register, budget table, charts...).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from docx.enum.text import WD_BREAK
from docx.shared import Cm

from plan_builder.errors import SectionError
from plan_builder.inputs.markdown_tree import parse_markdown
from plan_builder.inputs.tables import caption_index, is_caption_of_next, read_caption
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.images import add_image
from plan_builder.word.links import add_hyperlink
from plan_builder.word.numbering import restart_numbering, set_paragraph_numbering
from plan_builder.word.paragraphs import add_caption, add_formatted_text, add_heading, add_subheading, clean_text
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.xml import add_paragraph, align

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

PAGE_BREAK_MARKERS = ("\\pagebreak", "\\newpage")
DIRECTIVE = re.compile(r"^:::\s*([a-z][a-z0-9-]*)\s*(.*?)\s*(:::)?$")


def render_inline(
    ctx: RenderContext,
    paragraph: Paragraph,
    element: ET.Element,
    *,
    bold: bool = False,
    italic: bool = False,
    code: bool = False,
) -> None:
    """Write the element's text and inline children (bold, italic, links, code) into `paragraph`."""
    add_formatted_text(paragraph, clean_text(element.text), bold=bold, italic=italic, code=code)
    for child in element:
        tag = child.tag
        if tag in ("strong", "b"):
            render_inline(ctx, paragraph, child, bold=True, italic=italic, code=code)
        elif tag in ("em", "i"):
            render_inline(ctx, paragraph, child, bold=bold, italic=True, code=code)
        elif tag == "code":
            render_inline(ctx, paragraph, child, bold=bold, italic=italic, code=True)
        elif tag == "a":
            href = child.get("href", "")
            text = clean_text("".join(child.itertext())) or href
            if href.startswith("#") or not href:
                add_formatted_text(paragraph, text, bold=bold, italic=italic, code=code)
            else:
                add_hyperlink(paragraph, href, text)
        elif tag == "br":
            paragraph.add_run().add_break(WD_BREAK.LINE)
        elif tag == "img":
            raise SectionError(
                f"{ctx.where(child.get('src', ''))}: image {child.get('src')!r} must stand on a line of its own"
            )
        else:
            render_inline(ctx, paragraph, child, bold=bold, italic=italic, code=code)
        add_formatted_text(paragraph, clean_text(child.tail), bold=bold, italic=italic, code=code)


def _heading(ctx: RenderContext, element: ET.Element, state: dict[str, int]) -> None:
    level = int(element.tag[1])
    text = clean_text("".join(element.itertext())).strip()
    if level == 1:
        raise SectionError(
            f"{ctx.where(text, heading=True)}: heading '# {text}': the section title comes from the front matter; "
            f"use '## {text}' for a sub-heading"
        )
    if level > state["level"] + 1:
        raise SectionError(
            f"{ctx.where(text, heading=True)}: heading '{'#' * level} {text}' skips a level; "
            f"expected '{'#' * (state['level'] + 1)} {text}'"
        )
    state["level"] = level
    if level > 4:
        raise SectionError(
            f"{ctx.where(text, heading=True)}: heading '{text}' is nested too deeply; use at most '####'"
        )
    if level == 2:
        add_subheading(ctx, text)
    else:
        add_heading(ctx, text, level)


def _list(ctx: RenderContext, element: ET.Element, depth: int, quote: bool = False) -> None:
    ordered = element.tag == "ol"
    base = "List Number" if ordered else "List Bullet"
    style = base if depth == 0 else f"{base} 2"
    num_id = restart_numbering(ctx.document, style) if ordered else None
    for item in element.findall("li"):
        paragraph = add_paragraph(ctx.document, style="Quote" if quote else style)
        if quote:
            paragraph.add_run("– ")
        elif num_id is not None:
            set_paragraph_numbering(paragraph, num_id, 0)
        blocks = [child for child in item if child.tag in ("p", "ul", "ol")]
        if not blocks or item[0].tag not in ("p",):
            # Tight list: the item's own text and inline children.
            inline = ET.Element("span")
            inline.text = item.text
            for child in item:
                if child.tag in ("ul", "ol"):
                    break
                inline.append(child)
            render_inline(ctx, paragraph, inline)
        first = True
        for child in blocks:
            if child.tag == "p":
                if first:
                    render_inline(ctx, paragraph, child)
                else:
                    extra = add_paragraph(ctx.document)
                    extra.paragraph_format.left_indent = Cm(1.27 * (depth + 1))
                    render_inline(ctx, extra, child)
                first = False
            else:
                _list(ctx, child, min(depth + 1, 1), quote)


def _table(ctx: RenderContext, element: ET.Element, caption: str | None = None) -> None:
    if caption:
        add_caption(ctx, "Table", caption)
    head = element.find("thead")
    body = element.find("tbody")
    header_cells = head.findall("tr/th") if head is not None else []
    rows = body.findall("tr") if body is not None else []
    if not header_cells:
        raise SectionError(f"{ctx.where('|')}: a table needs a header row")
    table = start_table(ctx, [clean_text("".join(c.itertext())).strip() for c in header_cells])
    aligns = [(cell.get("align") or cell.get("style") or "") for cell in header_cells]
    for row in rows:
        cells = row.findall("td")
        word_cells = add_body_row(table)
        for index, cell in enumerate(cells[: len(word_cells)]):
            paragraph = word_cells[index].paragraphs[0]
            render_inline(ctx, paragraph, cell)
            if "right" in aligns[index]:
                align(paragraph, "right")
    fit_columns(ctx, table)


def _paragraph(ctx: RenderContext, element: ET.Element) -> None:
    text = "".join(element.itertext()).strip()
    children = list(element)
    if text in PAGE_BREAK_MARKERS and not children:
        add_paragraph(ctx.document).add_run().add_break(WD_BREAK.PAGE)
        return
    match = DIRECTIVE.match(text)
    if match and not children:
        name, argument = match[1], match[2]
        handler = ctx.directives.get(name)
        if handler is None:
            known = ", ".join(sorted(ctx.directives)) or "none"
            raise SectionError(f"{ctx.where(':::')}: unknown block '::: {name}'; expected one of: {known}")
        handler(ctx, BlockCall(argument, ctx.where(":::")))
        return
    if (
        len(children) == 1
        and children[0].tag == "img"
        and not clean_text(element.text).strip()
        and not clean_text(children[0].tail).strip()
    ):
        add_image(ctx, children[0])
        return
    paragraph = add_paragraph(ctx.document)
    render_inline(ctx, paragraph, element)


def _blocks(ctx: RenderContext, parent: ET.Element, state: dict[str, int], quote: bool = False) -> None:
    children = list(parent)
    captions_used: set[int] = set()  # indexes of 'Table: ...' paragraphs made into captions
    for index, element in enumerate(children):
        tag = element.tag
        if index in captions_used:
            continue
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            _heading(ctx, element, state)
        elif tag == "p" and is_caption_of_next(children, index):
            continue  # written with the table that follows it
        elif tag == "table":
            at = caption_index(children, index)  # 'Table: ...' just before the table, or else just after it
            caption = read_caption(children[at]) if at is not None else None
            if at is not None and at > index:
                captions_used.add(at)
            _table(ctx, element, clean_text(caption.text).strip() if caption else None)
        elif tag == "p":
            if quote:
                paragraph = add_paragraph(ctx.document, style="Quote")
                render_inline(ctx, paragraph, element)
            else:
                _paragraph(ctx, element)
        elif tag in ("ul", "ol"):
            _list(ctx, element, 0, quote)
        elif tag == "blockquote":
            _blocks(ctx, element, state, quote=True)
        elif tag == "pre":
            paragraph = add_paragraph(ctx.document)
            add_formatted_text(paragraph, "".join(element.itertext()).strip(), bold=False, italic=False, code=True)
        elif tag == "hr":
            continue  # A thematic break has no meaning in the plan; headings structure it.
        else:
            paragraph = add_paragraph(ctx.document)
            render_inline(ctx, paragraph, element)


def render_markdown(ctx: RenderContext, text: str, *, path: Path, first_line: int, number: str) -> None:
    """Render one section body; `number` ('3') prefixes its '##' sub-headings ('3.1'), '' for none."""
    ctx.section_path = path
    ctx.section_number = number
    ctx.subheading_count = 0
    ctx.source_lines = text.splitlines()
    ctx.source_first_line = first_line
    try:
        tree = parse_markdown(text)
    except RecursionError as exc:  # Python-Markdown recurses once per level of a nested list
        raise SectionError(f"{path}:{first_line}: the Markdown is nested too deeply to read (lists)") from exc
    _blocks(ctx, tree, {"level": 1})
