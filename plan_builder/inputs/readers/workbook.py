"""Workbooks: Excel (.xlsx, .xlsm, .xls) and OpenDocument (.ods) spreadsheets, read with python-calamine.

calamine reads the values the workbook stores (a formula's last result, not the formula),
with their types: numbers, text, dates, booleans. Rows keep their place in the sheet (empty
rows and columns before the data are kept), so row numbers and column letters in messages
are the ones the analyst sees in Excel or LibreOffice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plan_builder.errors import DataError

KINDS = {
    ".xlsx": "Excel workbook",
    ".xlsm": "Excel workbook",
    ".xls": "Excel 97-2003 workbook",
    ".ods": "OpenDocument spreadsheet",
}


def read_sheet(path: Path, display: Path, sheet: str | int | None) -> tuple[list[list[Any]], str]:
    """The cells of one sheet (by name, by number from 1, or the first) and how messages name it."""
    import python_calamine as calamine

    kind = KINDS[path.suffix.lower()]
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError as exc:
        raise DataError(f"{display}: the {kind} is password-protected; save a copy without a password") from exc
    except (calamine.CalamineError, OSError, ValueError) as exc:
        raise DataError(f"{display}: not a readable {kind} ({exc})") from exc
    names = list(workbook.sheet_names)
    listed = ", ".join(repr(name) for name in names)
    if isinstance(sheet, int):
        if not 1 <= sheet <= len(names):
            raise DataError(f"{display}: no sheet number {sheet}; the workbook has {len(names)}: {listed}")
        name = names[sheet - 1]
    elif sheet is None:
        if not names:
            raise DataError(f"{display}: the {kind} has no sheets")
        name = names[0]
    elif sheet in names:
        name = sheet
    else:
        raise DataError(f"{display}: no sheet {sheet!r}; the sheets are: {listed}")
    try:
        values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (calamine.CalamineError, ValueError) as exc:
        raise DataError(f"{display} [{name}]: the sheet cannot be read ({exc})") from exc
    rows = [[None if value == "" else value for value in row] for row in values]
    return rows, f"{display} [{name}]"
