"""Read a table of cells from a data file: CSV, Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods).

Every reader returns the same thing, a `Table`: the cells of one sheet (or of a cell range
in it), with the sheet's own row numbers and column letters, so that any message about a
cell can say where it is ("data/sources/fte.xlsx [Table 2.1] cell D7"). Empty cells are
None; nothing is converted here beyond what the file format itself says (a number cell is
a number, a date cell a date). What the cells mean is for the caller: `inputs.data` checks
a long-format dataset, `inputs.sources` reads a published table.

Spreadsheets are read with python-calamine (one maintained library for all four formats,
and 10-50 times faster than openpyxl or odfpy; see the README), imported only when a
spreadsheet is read, so CSV-only plans never load it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plan_builder.errors import DataError
from plan_builder.inputs.files import read_input, special_file_problem
from plan_builder.inputs.readers.cells import UncalculatedFormula, column_letters, column_number

__all__ = ["SUFFIXES", "CellRange", "Table", "UncalculatedFormula", "column_letters", "column_number", "read_table"]

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")
RANGE_PATTERN = re.compile(r"^([A-Za-z]{1,3})([1-9]\d{0,6})(?::([A-Za-z]{1,3})([1-9]\d{0,6})?)?$")
RANGE_FORMS = "'A3:H40' (those cells), 'A3:H' (columns A to H from row 3 down) or 'B5' (from B5 to the end)"


@dataclass(frozen=True)
class CellRange:
    """A block of cells: its first row and column, and (optionally) its last."""

    first_row: int
    first_column: int
    last_row: int | None = None
    last_column: int | None = None

    @classmethod
    def parse(cls, text: str) -> CellRange:
        """Read 'A3:H40', 'A3:H' or 'B5'; ValueError naming the forms understood."""
        match = RANGE_PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a cell range; expected {RANGE_FORMS}")
        first_column, first_row = column_number(match[1]), int(match[2])
        last_column = column_number(match[3]) if match[3] else None
        last_row = int(match[4]) if match[4] else None
        if (last_column is not None and last_column < first_column) or (last_row is not None and last_row < first_row):
            raise ValueError(f"{text!r} ends before it starts; expected {RANGE_FORMS}")
        return cls(first_row, first_column, last_row, last_column)


@dataclass(frozen=True)
class Table:
    """The cells of one sheet (or a range of it), as rows, with where they are in the sheet."""

    where: str
    """'data/sources/fte.xlsx [Table 2.1]' or 'data/fte.csv'."""
    rows: list[list[Any]]
    """Cell values row by row from (`first_row`, `first_column`); None for an empty cell."""
    first_row: int = 1
    first_column: int = 1

    @property
    def last_row(self) -> int:
        """The sheet row number of the last row."""
        return self.first_row + len(self.rows) - 1

    @property
    def width(self) -> int:
        """The number of columns (of the widest row)."""
        return max((len(row) for row in self.rows), default=0)

    def cell(self, row: int, column: int) -> Any:
        """The value at sheet row `row`, column number `column` (None outside the table or empty)."""
        cells = self.rows[row - self.first_row] if self.first_row <= row <= self.last_row else []
        index = column - self.first_column
        return cells[index] if 0 <= index < len(cells) else None

    def row(self, row: int) -> list[Any]:
        """The cells of sheet row `row`, padded to the table's width."""
        cells = list(self.rows[row - self.first_row]) if self.first_row <= row <= self.last_row else []
        return cells + [None] * (self.width - len(cells))

    def columns(self) -> range:
        """The sheet column numbers the table covers."""
        return range(self.first_column, self.first_column + self.width)

    def ref(self, row: int, column: int) -> str:
        """'D7'."""
        return f"{column_letters(column)}{row}"

    def at(self, row: int, column: int) -> str:
        """'data/sources/fte.xlsx [Table 2.1] cell D7', for messages."""
        return f"{self.where} cell {self.ref(row, column)}"


def _clip(rows: list[list[Any]], cells: CellRange | None) -> tuple[list[list[Any]], int, int]:
    """The rows inside `cells`, and the sheet row and column of their first cell."""
    if cells is None:
        return rows, 1, 1
    last_row = cells.last_row or len(rows)
    clipped = [row[cells.first_column - 1 : cells.last_column] for row in rows[cells.first_row - 1 : last_row]]
    return clipped, cells.first_row, cells.first_column


def read_table(path: Path, display: Path, sheet: str | int | None = None, cells: str | None = None) -> Table:
    """Read the cells of `path` (one sheet of a workbook: by name, by number from 1, or the first).

    `display` is how messages name the file; `cells` limits the table to a range such as 'A3:H40'.
    Raises DataError naming the file (and sheet) when it cannot be read.
    """
    special = special_file_problem(path)
    if special:
        raise DataError(f"{display}: data file {special}")
    if not path.is_file():
        raise DataError(f"{display}: data file not found")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(f"{display}: expected a {', '.join(SUFFIXES[:-1])} or {SUFFIXES[-1]} file")
    if suffix == ".csv" and sheet is not None:
        raise DataError(f"{display}: a CSV file has no sheets; remove 'sheet' (or use a workbook)")
    try:
        data = read_input(path)
    except OSError as exc:
        raise DataError(f"{display}: cannot read the data file ({exc.strerror or exc})") from exc
    if suffix == ".csv":
        from plan_builder.inputs.readers.delimited import read_csv

        rows, where = read_csv(data, display), str(display)
    else:
        from plan_builder.inputs.readers.workbook import read_sheet

        rows, where = read_sheet(data, display, sheet, suffix)
    try:
        chosen = CellRange.parse(cells) if cells else None
    except ValueError as exc:
        raise DataError(f"{where}: range {exc}") from exc
    clipped, first_row, first_column = _clip(rows, chosen)
    return Table(where, clipped, first_row, first_column)
