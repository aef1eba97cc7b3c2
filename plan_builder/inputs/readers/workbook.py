"""Workbooks: Excel (.xlsx, .xlsm, .xls) and OpenDocument (.ods) spreadsheets, read with python-calamine.

calamine reads the values the workbook stores (a formula's last result, not the formula),
with their types: numbers, text, dates, booleans. Rows keep their place in the sheet (empty
rows and columns before the data are kept), so row numbers and column letters in messages
are the ones the analyst sees in Excel or LibreOffice. A file that is not the workbook its
name says (a damaged file, an old .xls renamed .xlsx, a password-protected workbook) is named
as such, with how to fix it; a formula without a stored result is read as `UncalculatedFormula`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from plan_builder.errors import DataError
from plan_builder.inputs.readers.cells import UncalculatedFormula
from plan_builder.inputs.readers.formulas import uncalculated_formulas

KINDS = {
    ".xlsx": "Excel workbook",
    ".xlsm": "Excel workbook",
    ".xls": "Excel 97-2003 workbook",
    ".ods": "OpenDocument spreadsheet",
}
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an Excel 97-2003 .xls file starts, and also a password-protected .xlsx (an encrypted package inside)."""
RESAVE = "open it in Excel or LibreOffice and save it again, or export the sheet as CSV UTF-8"
PROTECTED = (
    "is protected with a password, so it cannot be read; open it in Excel, remove the password "
    "(File > Info > Protect Workbook > Encrypt with Password, clear it) and save, or export the sheet as CSV UTF-8"
)


def read_sheet(data: bytes, display: Path, sheet: str | int | None, suffix: str) -> tuple[list[list[Any]], str]:
    """The cells of one sheet (by name, by number from 1, or the first) and how messages name it.

    `data` is the file's content and `suffix` its kind ('.xlsx', '.ods'...).
    """
    import python_calamine as calamine

    kind = KINDS[suffix]
    _refuse_wrong_file(data, display, suffix)
    try:
        workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError as exc:
        raise DataError(f"{display}: the {kind} {PROTECTED}") from exc
    except (calamine.CalamineError, OSError, ValueError) as exc:
        raise DataError(f"{display}: the {kind} is damaged and cannot be read ({exc}); {RESAVE}") from exc
    name = _sheet_name(list(workbook.sheet_names), display, kind, sheet)
    try:
        values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (calamine.CalamineError, ValueError) as exc:
        raise DataError(f"{display} [{name}]: the sheet cannot be read ({exc}); {RESAVE}") from exc
    rows = [[None if value == "" else value for value in row] for row in values]
    if suffix in (".xlsx", ".xlsm") and any(value is None for row in rows for value in row):
        _mark_uncalculated(rows, uncalculated_formulas(data, name))
    return rows, f"{display} [{name}]"


def _refuse_wrong_file(data: bytes, display: Path, suffix: str) -> None:
    """An .xlsx that is really an .xls, a password-protected package or not a workbook at all."""
    if suffix not in (".xlsx", ".xlsm") or data.startswith(ZIP_SIGNATURE):
        return
    if not data.startswith(OLE2_SIGNATURE):
        raise DataError(
            f"{display}: not an Excel workbook (the file is damaged, or another kind of file renamed {suffix}); "
            f"open it in Excel and save it as 'Excel Workbook (*.xlsx)', or export the sheet as CSV UTF-8"
        )
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise DataError(f"{display}: the workbook {PROTECTED}")
    raise DataError(
        f"{display}: the file is an Excel 97-2003 workbook (.xls) with an {suffix} name; open it in Excel and "
        "save it as 'Excel Workbook (*.xlsx)', or export the sheet as CSV UTF-8"
    )


def _sheet_name(names: list[str], display: Path, kind: str, sheet: str | int | None) -> str:
    listed = ", ".join(repr(name) for name in names)
    if isinstance(sheet, int):
        if not 1 <= sheet <= len(names):
            raise DataError(f"{display}: no sheet number {sheet}; the workbook has {len(names)}: {listed}")
        return names[sheet - 1]
    if sheet is None:
        if not names:
            raise DataError(f"{display}: the {kind} has no sheets")
        return names[0]
    if sheet not in names:
        raise DataError(f"{display}: no sheet {sheet!r}; the sheets are: {listed}")
    return sheet


def _mark_uncalculated(rows: list[list[Any]], formulas: dict[tuple[int, int], str]) -> None:
    """Put `UncalculatedFormula` in each empty cell that holds a formula, so its message can name it."""
    for (row, column), formula in formulas.items():
        if row <= len(rows) and column <= len(rows[row - 1]) and rows[row - 1][column - 1] is None:
            rows[row - 1][column - 1] = UncalculatedFormula(formula)
