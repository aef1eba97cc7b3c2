"""Word tables as grids of cell texts: merged cells are split (each piece keeps the text) and recorded.

A Markdown pipe table has no merged cells, and an accessible table should not have them either,
so a cell spanning columns (`gridSpan`) or rows (`vMerge`) is split into the cells it covers,
each repeating its text, and the report lists every merge so the author can check the result.
"""

from __future__ import annotations

from typing import Any, Protocol

from docx.oxml.ns import qn

from plan_builder.importing.inline import Segment, to_markdown
from plan_builder.importing.model import Block, Merge, Table


class InlineReader(Protocol):
    """What a table needs from the reader: a paragraph's text segments and pictures."""

    def inline(self, parent: Any, link: str | None = None) -> tuple[list[Segment], list[Block], list[Any]]:
        """Segments of text, pictures and text boxes of `parent`, in order."""
        ...


def _span(tc: Any) -> int:
    tc_pr = tc.find(qn("w:tcPr"))
    grid_span = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
    return max(1, int(grid_span.get(qn("w:val"), "1"))) if grid_span is not None else 1


def _continues(tc: Any) -> bool:
    """True for a cell that continues the merged cell above it (`<w:vMerge/>` without 'restart')."""
    tc_pr = tc.find(qn("w:tcPr"))
    v_merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
    return v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue"


def _grid_before(tr: Any) -> int:
    tr_pr = tr.find(qn("w:trPr"))
    before = tr_pr.find(qn("w:gridBefore")) if tr_pr is not None else None
    return int(before.get(qn("w:val"), "0")) if before is not None else 0


def _cells(tr: Any) -> list[Any]:
    """A row's cells, including those inside content controls."""
    cells = []
    for child in tr:
        if child.tag == qn("w:tc"):
            cells.append(child)
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            cells += _cells(content) if content is not None else []
    return cells


def read_table(tbl: Any, reader: InlineReader) -> tuple[Table, list[Block]]:
    """The table's grid of Markdown cell texts, its merges, and the pictures found in its cells."""
    grid: list[dict[int, str]] = []
    merges: dict[tuple[int, int], list[int]] = {}  # (row, column) of a merge's first cell -> [rows, columns]
    last_start: dict[int, tuple[int, int, int]] = {}  # column -> (row, column, span) of its last cell that began
    right: dict[int, list[bool]] = {}  # column -> for each body cell, whether it is right-aligned
    pictures: list[Block] = []
    width = 0
    for row_index, tr in enumerate(child for child in tbl if child.tag == qn("w:tr")):
        row: dict[int, str] = {}
        column = _grid_before(tr)
        for tc in _cells(tr):
            span = _span(tc)
            if _continues(tc) and column in last_start:
                first_row, first_column, first_span = last_start[column]
                text = grid[first_row].get(first_column, "")
                merges.setdefault((first_row, first_column), [1, first_span])[0] = row_index - first_row + 1
            else:
                paragraphs = list(tc.iter(qn("w:p")))
                parts = [reader.inline(p) for p in paragraphs]
                pieces = (_cell_text(part[0], header=not row_index) for part in parts)
                text = " ".join(piece for piece in pieces if piece)
                if row_index and paragraphs:
                    right.setdefault(column, []).append(_right_aligned(paragraphs[0]))
                pictures += [picture for part in parts for picture in part[1]]
                last_start[column] = (row_index, column, span)
                if span > 1:
                    merges[(row_index, column)] = [1, span]
            for offset in range(span):
                row[column + offset] = text
            column += span
        width = max(width, column)
        grid.append(row)
    cells = [[row.get(c, "") for c in range(width)] for row in grid]
    found = [
        Merge(row + 1, column + 1, size[0], size[1], cells[row][column])
        for (row, column), size in sorted(merges.items())
        if size != [1, 1]
    ]
    aligned = [bool(right.get(c)) and all(right[c]) for c in range(width)]
    return Table(cells, found, aligned), pictures


def _right_aligned(p: Any) -> bool:
    p_pr = p.find(qn("w:pPr"))
    jc = p_pr.find(qn("w:jc")) if p_pr is not None else None
    return jc is not None and jc.get(qn("w:val")) in ("right", "end")


def _cell_text(segments: list[Segment], *, header: bool) -> str:
    """A cell's Markdown; a header cell's text without bold (plan-builder styles the header row itself)."""
    if header:
        segments = [Segment(s.text, False, s.italic, s.link) for s in segments]
    return to_markdown(segments).replace("|", "\\|")
