"""Data tables: every table in the plan is built here, so all of them are accessible.

A real header row that repeats on each page and is announced by screen readers,
no merged cells, the full text width, the named table style, and column widths
fitted to the words in them.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import _Cell

from plan_builder.word import layout
from plan_builder.word.styles import style_id
from plan_builder.word.xml import (
    R_PR_ORDER,
    add_text_run,
    first_child,
    insert_block,
    insert_in_order,
    mark_header_row,
    set_column_widths,
    set_paragraph_style_id,
    set_style,
    set_table_width_full,
    shade_cell,
    shade_cell_element,
)

if TYPE_CHECKING:
    from docx.table import Table

    from plan_builder.word.context import RenderContext

CHAR_WIDTH = Cm(0.215)  # average width of a bold 11 pt Arial character
MIN_COLUMN_PADDING = Cm(0.45)  # cell margins plus a little air


def fit_columns(ctx: RenderContext, table: Table, weights: list[int] | None = None) -> None:
    """Give each column at least the width of its longest word, then share the rest by `weights`.

    Without the minimum, Word and LibreOffice break words such as "Previous" across lines
    in narrow columns. `weights` default to each column's longest text (capped).
    """
    columns = len(table._tbl.tblGrid.findall(qn("w:gridCol")))
    longest_word = [1] * columns
    longest_text = [1] * columns
    for texts in table_texts(table):
        for index, text in enumerate(texts[:columns]):
            words = text.split()
            if words:
                longest_word[index] = max(longest_word[index], max(len(w) for w in words))
            longest_text[index] = max(longest_text[index], len(text))
    weights = weights or [min(max(length, 6), 60) for length in longest_text]
    minimum = [int(MIN_COLUMN_PADDING + CHAR_WIDTH * n) for n in longest_word]
    available = int(ctx.text_width)
    if sum(minimum) >= available:
        widths = [int(available * m / sum(minimum)) for m in minimum]
    else:
        spare = available - sum(minimum)
        widths = [m + int(spare * w / sum(weights)) for m, w in zip(minimum, weights, strict=True)]
    set_column_widths(table, widths)


def start_table(ctx: RenderContext, headers: list[str]) -> Table:
    """Add a data table with a marked, repeating, shaded header row and return it.

    Every table in the plan goes through here so that all of them are accessible:
    a real header row, no merged cells, full width, the named table style. The header
    row's colours are the table style's (or plan.yaml's `colours:`), written into each
    cell so that Word and LibreOffice show the same.
    """
    from docx.oxml.table import CT_Tbl
    from docx.table import Table

    # document.add_table would look up the last section's width with an xpath over the whole
    # body for every table; the context knows the width already.
    tbl = CT_Tbl.new_tbl(1, len(headers), ctx.text_width)
    insert_block(ctx.document.element.body, tbl)
    table = Table(tbl, ctx.document._body)
    table._tbl.tblStyle_val = style_id(table.part, layout.TABLE_STYLE)
    set_table_width_full(table._tbl)
    row = table.rows[0]
    mark_header_row(row)
    fill, text_colour = ctx.colours.table_header
    for cell, text in zip(row.cells, headers, strict=True):
        paragraph = cell.paragraphs[0]
        set_style(paragraph, layout.TABLE_TEXT_STYLE)
        add_text_run(paragraph, text, bold=True, colour=text_colour)
        if fill:
            shade_cell(cell, fill)
    return table


def add_body_row(table: Table) -> list[_Cell]:
    """Add a body row whose cells use the table text style, and return its cells.

    Each new row is a copy of one empty row made once per table: python-docx's
    `add_row` and `row.cells` re-derive the grid for every row, which made tables
    the slowest part of a build.
    """
    empty_row = getattr(table, "_plan_builder_empty_row", None)
    if empty_row is None:
        empty_row = table.add_row()._tr
        for tc in empty_row.iterchildren(qn("w:tc")):
            set_paragraph_style_id(tc.find(qn("w:p")), style_id(table.part, layout.TABLE_TEXT_STYLE))
        empty_row.getparent().remove(empty_row)
        table._plan_builder_empty_row = empty_row  # type: ignore[attr-defined]
    tr = copy.deepcopy(empty_row)
    table._tbl.append(tr)
    return [_Cell(tc, table) for tc in tr.iterchildren(qn("w:tc"))]


def table_texts(table: Table) -> list[list[str]]:
    """The text of every cell, row by row (straight from the XML: python-docx's `rows` is slow)."""
    return [
        ["".join(tc.itertext(W_T, with_tail=False)) for tc in tr.iterchildren(W_TC)]
        for tr in table._tbl.iterchildren(W_TR)
    ]


W_T, W_TC, W_TR = qn("w:t"), qn("w:tc"), qn("w:tr")


def fit_to_width(tbl: Any, width: int) -> None:
    """Narrow a table copied from another document (the sign-off) to `width` (EMU) if it is wider.

    Its columns keep their proportions; without this a table made for narrower margins
    runs past the page's right margin.
    """
    available = width // 635  # twentieths of a point, as the grid counts
    grid = [col for col in tbl.iterfind(f"{W_GRID}/{W_GRID_COL}")]
    total = sum(int(col.get(W_W, "0")) for col in grid)
    if not grid or total <= available:
        return
    scale = available / total
    for col in grid:
        col.set(W_W, str(int(int(col.get(W_W, "0")) * scale)))
    for tc_w in tbl.iter(qn("w:tcW")):
        if tc_w.get(qn("w:type"), "dxa") == "dxa" and tc_w.get(W_W):
            tc_w.set(W_W, str(int(int(tc_w.get(W_W)) * scale)))
    tbl_w = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    if tbl_w is not None and tbl_w.get(qn("w:type")) == "dxa":
        tbl_w.set(W_W, str(available))


W_GRID, W_GRID_COL, W_W = qn("w:tblGrid"), qn("w:gridCol"), qn("w:w")


def colour_header_rows(tbl: Any, colours: tuple[str | None, str | None]) -> None:
    """Give the header rows of a table copied from another document (the sign-off) the plan's header colours.

    Only where the copied table sets none itself: a council that coloured its sign-off table keeps its colours.
    """
    fill, text = colours
    for tr in tbl.iterfind(W_TR):
        if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None:
            continue
        for tc in tr.iterfind(W_TC):
            if fill and tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") is None:
                shade_cell_element(tc, fill)
            for run in tc.iter(qn("w:r")) if text else ():
                r_pr = first_child(run, "w:rPr")
                if r_pr.find(qn("w:color")) is None:
                    insert_in_order(r_pr, r_pr.makeelement(qn("w:color"), {qn("w:val"): text}), R_PR_ORDER)
