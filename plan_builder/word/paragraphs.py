"""Headings, captions and text: the paragraph-level writing every renderer shares.

Headings get bookmarks so the contents page can link to them; captions carry SEQ fields
so Word can renumber them; text highlights any 'Data due' placeholder in it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docx.enum.text import WD_COLOR_INDEX

from plan_builder.figures.pending import placeholder_text
from plan_builder.word.context import RenderContext, TocEntry
from plan_builder.word.links import add_bookmark
from plan_builder.word.xml import add_field, add_paragraph, add_text_run, keep_with_next

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph


def add_heading(ctx: RenderContext, text: str, level: int, *, in_toc: bool = True) -> Paragraph:
    """Add a heading with a bookmark so the contents page can link to it."""
    paragraph = add_paragraph(ctx.document, text, f"Heading {level}")
    bookmark = ctx.next_bookmark()
    add_bookmark(paragraph, bookmark, ctx.bookmark_count)
    if in_toc and level <= 3:
        ctx.toc.append(TocEntry(level=level, text=text, bookmark=bookmark))
    return paragraph


def add_subheading(ctx: RenderContext, text: str) -> Paragraph:
    """Add a level-2 heading, numbered within its section ('3.2 ...') when the section is numbered."""
    if ctx.section_number:
        ctx.subheading_count += 1
        text = f"{ctx.section_number}.{ctx.subheading_count} {text}"
    return add_heading(ctx, text, 2)


def add_caption(ctx: RenderContext, kind: str, text: str) -> Paragraph:
    """Add a numbered caption ('Figure 3: ...') with a SEQ field so Word can renumber it."""
    if kind == "Figure":
        ctx.figure_count += 1
        number = ctx.figure_count
    else:
        ctx.table_count += 1
        number = ctx.table_count
    paragraph = add_paragraph(ctx.document, style="Caption")
    keep_with_next(paragraph)
    add_text_run(paragraph, f"{kind} ")
    add_field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
    add_text_run(paragraph, f": {text}")
    return paragraph


def add_formatted_text(paragraph: Paragraph, text: str, *, bold: bool, italic: bool, code: bool) -> None:
    """Add text as runs with the given formatting; 'Data due' placeholders in it are bold and highlighted."""
    for piece, is_placeholder in placeholder_text(text):
        if not piece:
            continue
        run = add_text_run(paragraph, piece, bold=True if bold or is_placeholder else None, italic=italic or None)
        if code:
            run.font.name = "Courier New"
        if is_placeholder:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def add_text(paragraph: Paragraph, text: str, *, bold: bool = False) -> None:
    """Add plain text to a paragraph, highlighting any 'Data due' placeholders in it."""
    add_formatted_text(paragraph, text, bold=bold, italic=False, code=False)


def clean_text(text: str | None) -> str:
    """Collapse runs of whitespace (line breaks included) to single spaces."""
    return re.sub(r"\s+", " ", text or "")
