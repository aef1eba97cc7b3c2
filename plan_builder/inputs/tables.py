"""Pipe tables in section text: captions, rows that do not fit their header, and declared counts of children.

A row with a missing cell would put every value after the gap under the wrong column
('38' under 'Boys' instead of 'Girls'), and a row with an extra cell would lose it; both
are errors naming the file and line. A table's caption can declare which columns count
children, for the disclosure check of a final plan: `Table: Referrals by source {children}`
(every column but the first) or `{children: Girls, Boys}` (those columns). Only such
counts can identify a child; counts of actions, staff or meetings cannot.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from plan_builder.inputs.markdown_tree import ROW_CELLS, ROW_SOURCE, parse_markdown
from plan_builder.wording import counted

CAPTION_PREFIX = "Table:"
CHILDREN_MARK = re.compile(r"\s*\{\s*children\s*(?::\s*(?P<columns>[^{}]*))?\}\s*$", re.I)
TABLE_HINT = re.compile(r"^\s*>?\s*\|?\s*:?-{3,}", re.M)
"""A table's separator row ('| --- |'): text without one has no table, and is not parsed."""
SMALL_COUNT = re.compile(r"^\s*(\d{1,3}(?:,\d{3})*)\s*$")
SMALL_RATIO = re.compile(r"^\s*(\d{1,3})\s*(?:/|out of|of)\s*(\d{1,3}(?:,\d{3})*)\s*$")


@dataclass(frozen=True)
class Caption:
    """A 'Table: ...' caption: its text as shown, and the columns it declares as counts of children."""

    text: str
    children: tuple[str, ...] | None = None
    """None: no declaration; (): every column but the first; otherwise the named columns."""


def read_caption(element: ET.Element) -> Caption | None:
    """The caption a 'Table: ...' paragraph holds (pandoc's syntax), or None if it is not one."""
    if element.tag != "p":
        return None
    text = "".join(element.itertext()).strip()
    if not text.startswith(CAPTION_PREFIX):
        return None
    text = text[len(CAPTION_PREFIX) :].strip()
    mark = CHILDREN_MARK.search(text)
    if mark is None:
        return Caption(text) if text else None
    columns = tuple(c.strip() for c in (mark["columns"] or "").split(",") if c.strip())
    shown = text[: mark.start()].strip()
    return Caption(shown, columns) if shown else None


def is_caption_of_next(children: list[ET.Element], index: int) -> bool:
    """True if `children[index]` is a 'Table: ...' paragraph directly before a table (so it is that table's)."""
    following = children[index + 1] if index + 1 < len(children) else None
    return following is not None and following.tag == "table" and read_caption(children[index]) is not None


def caption_index(children: list[ET.Element], index: int) -> int | None:
    """Where the caption of the table `children[index]` is: just before it, or else just after it."""
    if index and is_caption_of_next(children, index - 1):
        return index - 1
    after = index + 1
    if after < len(children) and not is_caption_of_next(children, after) and read_caption(children[after]):
        return after
    return None


@dataclass(frozen=True)
class Table:
    """A pipe table as written: its header, body rows (cell texts), each row's line, and its caption."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    caption: Caption | None
    shape: list[tuple[int, int]]
    """(line, cells) of each row with more or fewer cells than the header."""
    caption_line: int
    """The line of the caption (or of the header row, when there is no caption)."""


def read_tables(text: str, first_line: int) -> list[Table]:
    """Every pipe table in a section's text (as rendered), in order, with the line of each row."""
    if not TABLE_HINT.search(text):
        return []
    lines = text.splitlines()
    cursor = [0]

    def line_of(source: str) -> int:
        wanted = source.strip()
        for offset in range(cursor[0], len(lines)):
            if wanted and wanted in lines[offset]:
                cursor[0] = offset + 1
                return first_line + offset
        return first_line + cursor[0]

    root = parse_markdown(text)
    parents = {child: parent for parent in root.iter() for child in parent}
    found = []
    for element in root.iter("table"):  # document order, also inside block quotes and lists
        children = list(parents[element])
        at = caption_index(children, children.index(element))
        header = ["".join(th.itertext()).strip() for th in element.iterfind("thead/tr/th")]
        rows, row_lines, shape = [], [], []
        for tr in element.iterfind("tbody/tr"):
            line = line_of(tr.get(ROW_SOURCE, ""))
            rows.append(["".join(td.itertext()).strip() for td in tr.iterfind("td")])
            row_lines.append(line)
            if tr.get(ROW_CELLS) is not None:
                shape.append((line, int(tr.get(ROW_CELLS, "0"))))
        caption = read_caption(children[at]) if at is not None else None
        header_line = (row_lines[0] if row_lines else first_line + cursor[0]) - 2
        found.append(
            Table(header, rows, row_lines, caption, shape, _caption_line(lines, first_line, header_line, caption))
        )
    return found


def _caption_line(lines: list[str], first_line: int, header_line: int, caption: Caption | None) -> int:
    """The line of a table's 'Table: ...' caption: the nearest one to its header row."""
    if caption is None:
        return header_line
    near = [i for i, line in enumerate(lines) if line.strip().startswith(CAPTION_PREFIX) and caption.text in line]
    return first_line + min(near, key=lambda i: abs(first_line + i - header_line)) if near else header_line


SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


def _plainly_fine(text: str) -> bool:
    """True when every table's rows plainly have as many cells as its header (no code spans, no declarations).

    This runs on every build, cached sections included, so the common case is answered from the text
    alone; anything less plain is left to Python-Markdown's own reading of the table.
    """
    if "{children" in text.lower():
        return False
    lines = [re.sub(r"^\s*(?:>\s*)*", "", line).strip() for line in text.splitlines()]
    for index, line in enumerate(lines):
        if index == 0 or not SEPARATOR.match(line) or "|" not in line + lines[index - 1]:
            continue
        block = [lines[index - 1]]
        for row in lines[index + 1 :]:
            if not row or "|" not in row:
                break
            block.append(row)
        if any("`" in row for row in block):
            return False
        widths = {len(re.split(r"(?<!\\)\|", row.removeprefix("|").removesuffix("|"))) for row in block}
        if len(widths) > 1:
            return False
    return True


def check_tables(text: str, path: Path, first_line: int) -> list[str]:
    """Problems with a section's tables: rows that do not fit the header, and unknown declared columns."""
    if _plainly_fine(text):
        return []
    problems = []
    for table in read_tables(text, first_line):
        columns = f"{len(table.header)} columns ({' | '.join(table.header)})"
        for line, cells in table.shape:
            if cells < len(table.header):
                fix = "add the missing cell (an empty cell is '| |')"
            else:
                fix = "remove the extra cell, or add its column to the header row"
            cells_text = counted(cells, "cell")
            problems.append(f"{path}:{line}: table row has {cells_text}, but the header row has {columns}; {fix}")
        caption = table.caption
        if caption is None:
            continue
        for name in caption.children or ():
            if name not in table.header:
                problems.append(
                    f"{path}:{table.caption_line}: table '{caption.text}': {{children: {name}}} names no column; "
                    f"expected one of: {', '.join(table.header)}"
                )
    return problems


def small_children_counts(text: str, path: Path, first_line: int, threshold: int) -> list[str]:
    """Counts of children below `threshold` in the tables whose captions declare them.

    A cell is a count ('3', '1,204') or a count and its total ('2 / 9', '2 of 9'); a count
    of 0 is not flagged (nobody to identify).
    """
    found = []
    for table in read_tables(text, first_line):
        caption = table.caption
        if caption is None or caption.children is None:
            continue
        wanted = set(caption.children) if caption.children else set(table.header[1:])
        for row, line in zip(table.rows, table.lines, strict=True):
            for column, cell in zip(table.header, row, strict=False):
                small = [n for n in _counts(cell) if 0 < n < threshold] if column in wanted else []
                if small:
                    found.append(
                        f"{path}:{line}: table '{caption.text}', row '{row[0][:40]}', "
                        f"column '{column}': count {small[0]} is below {threshold}; small numbers can identify "
                        "children (suppress or combine before publishing)"
                    )
    return found


def _counts(cell: str) -> list[int]:
    if match := SMALL_COUNT.match(cell):
        return [int(match[1].replace(",", ""))]
    if match := SMALL_RATIO.match(cell):
        return [int(match[1]), int(match[2].replace(",", ""))]
    return []
