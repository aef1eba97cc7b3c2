"""Load performance data (CSV or Excel) and check it against the data contract.

Every dataset is one row per area and period (or cohort). Cells are checked here,
so later stages get clean typed records: a missing column, a non-numeric cell or
a duplicate row is an error naming the file, sheet, row and column. An empty
count is kept as None and shown as "n/a" with its reason, never as zero.
The contract is documented in docs/data-contract.md.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plan_builder.errors import DataError
from plan_builder.inputs.files import read_input, special_file_problem

DATE = "date"
TEXT = "text"
COUNT = "count"
NUMBER = "number"

# Dataset name -> (columns with their kinds, the columns that identify a row).
CONTRACT: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "fte": (
        {"period_start": DATE, "period_end": DATE, "area": TEXT, "fte_count": COUNT, "population_10_17": COUNT},
        ("area", "period_start", "period_end"),
    ),
    "reoffending": (
        {
            "cohort_start": DATE,
            "cohort_end": DATE,
            "cohort_type": TEXT,
            "area": TEXT,
            "children": COUNT,
            "reoffenders": COUNT,
            "reoffences": COUNT,
        },
        ("area", "cohort_type", "cohort_start", "cohort_end"),
    ),
    "custody": (
        {
            "period_start": DATE,
            "period_end": DATE,
            "area": TEXT,
            "custodial_sentences": COUNT,
            "population_10_17": COUNT,
        },
        ("area", "period_start", "period_end"),
    ),
    "kpis": (
        {
            "quarter_start": DATE,
            "quarter_end": DATE,
            "area": TEXT,
            "kpi": TEXT,
            "measure": TEXT,
            "numerator": COUNT,
            "denominator": COUNT,
        },
        ("area", "kpi", "measure", "quarter_start", "quarter_end"),
    ),
}

CHOICES = {"cohort_type": ("quarterly", "annual")}

MAX_COUNT = 2**53
"""The largest count a float holds exactly; no count of children comes near it, and rates stay finite."""


@dataclass(frozen=True)
class Record:
    """One data row, typed, with where it came from."""

    values: dict[str, Any]
    source: str
    """'data/fte.csv row 7' or 'data/performance.xlsx [FTE] row 7'."""

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


@dataclass(frozen=True)
class Dataset:
    """A loaded dataset: its records and where they came from."""

    name: str
    path: Path
    sheet: str | None
    records: list[Record]


def _where(path: Path, sheet: str | None) -> str:
    return f"{path} [{sheet}]" if sheet else str(path)


def _parse_date(text: str) -> dt.date:
    text = text.strip()
    if len(text) == 10 and text.isascii() and text[4] == text[7] == "-" and text.replace("-", "").isdigit():
        return dt.date.fromisoformat(text)  # the usual form, without strptime's cost; bad dates raise ValueError
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _cell(kind: str, raw: Any) -> Any:
    """Convert one cell; raise ValueError with the expected form if it does not fit."""
    if isinstance(raw, UncalculatedFormula):
        raise ValueError(
            "is a formula whose result was never saved; open the workbook in Excel or LibreOffice and save it "
            "again, so the results are stored"
        )
    if raw is None or (isinstance(raw, float) and raw != raw) or (isinstance(raw, str) and not raw.strip()):
        if kind in (COUNT, NUMBER):
            return None
        raise ValueError("is empty")
    if kind == DATE:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if hasattr(raw, "to_pydatetime"):
            return raw.to_pydatetime().date()
        try:
            return _parse_date(str(raw))
        except ValueError:
            raise ValueError("is not a date (expected YYYY-MM-DD)") from None
    if kind == TEXT:
        return str(raw).strip()
    if isinstance(raw, bool):
        raise ValueError("is not a number")
    if isinstance(raw, int | float):
        number = float(raw)
        if number != number or number in (float("inf"), float("-inf")):  # an Excel cell can hold these
            raise ValueError("is not a finite number")
    else:
        text = str(raw).strip().replace(",", "")
        if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
            raise ValueError("is not a number")
        number = float(text)
    if kind == COUNT:
        if number > MAX_COUNT:  # also infinity, from hundreds of digits: int() would overflow
            raise ValueError(f"is too large for a count (at most {MAX_COUNT:,})")
        if number < 0 or number != int(number):
            raise ValueError("is not a whole number of 0 or more")
        return int(number)
    return number


SAVE_AS_CSV_UTF8 = "save it again as UTF-8: in Excel, File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an Excel 97-2003 .xls file starts, and also a password-protected .xlsx (an encrypted package inside)."""


@dataclass(frozen=True)
class UncalculatedFormula:
    """A workbook cell holding a formula whose result was never saved (the workbook was made by a program)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def _read_rows(path: Path, display: Path, sheet: str | None) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Return (header, [(row number as the user sees it, cells)])."""
    special = special_file_problem(path)
    if special:
        raise DataError(f"{display}: data file {special}")
    if not path.is_file():
        raise DataError(f"{display}: data file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(_read_bytes(path, display), display)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(_read_bytes(path, display), display, sheet)
    raise DataError(f"{display}: expected a .csv or .xlsx file")


def _read_bytes(path: Path, display: Path) -> bytes:
    try:
        return read_input(path)
    except OSError as exc:
        raise DataError(f"{display}: cannot read the data file ({exc.strerror or exc})") from exc


def _decode_csv(data: bytes, display: Path) -> str:
    """The file's text; another encoding is named, with how to save the file as UTF-8."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise DataError(f"{display}: the file is saved as UTF-32 text, not UTF-8; {SAVE_AS_CSV_UTF8}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        # UTF-16 ("Unicode text" in Excel) puts a zero byte beside every letter of plain English text.
        raise DataError(f"{display}: the file is saved as UTF-16 ('Unicode text'), not UTF-8; {SAVE_AS_CSV_UTF8}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataError(
            f"{display}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02X}; the file was probably saved as "
            f"Windows-1252 or 'ANSI'); {SAVE_AS_CSV_UTF8}"
        ) from exc


def _read_csv(data: bytes, display: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    try:
        rows = list(csv.reader(io.StringIO(_decode_csv(data, display), newline="")))
    except csv.Error as exc:
        raise DataError(f"{display}: not a readable CSV file ({exc})") from exc
    if not rows:
        raise DataError(f"{display}: the file is empty; expected a header row")
    body = [(index, row) for index, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    return [h.strip() for h in rows[0]], body


def _separator_hint(header: list[str]) -> str:
    """When the header is one column holding ';', tab or '|': the file uses another separator than commas."""
    if len(header) != 1:
        return ""
    found = next((sep for sep in (";", "\t", "|") if sep in header[0]), None)
    if found is None:
        return ""
    shown = "tabs" if found == "\t" else f"'{found}'"
    return f" (the columns are separated by {shown}, not commas; {SAVE_AS_CSV_UTF8})"


def _workbook_problem(data: bytes, display: Path) -> str | None:
    """Why `data` cannot be an .xlsx workbook, with the fix; None if it looks like one."""
    if data.startswith(b"PK\x03\x04"):
        return None
    if data.startswith(OLE2_SIGNATURE):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return (
                f"{display}: the workbook is protected with a password, so it cannot be read; open it in Excel, "
                "remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it) and save, "
                "or export the sheet as CSV UTF-8"
            )
        return (
            f"{display}: the file is an Excel 97-2003 workbook (.xls) with an .xlsx name; open it in Excel and "
            "save it as 'Excel Workbook (*.xlsx)', or export the sheet as CSV UTF-8"
        )
    return (
        f"{display}: not an Excel workbook (the file is damaged, or another kind of file renamed .xlsx); "
        "open it in Excel and save it as 'Excel Workbook (*.xlsx)', or export the sheet as CSV UTF-8"
    )


def _read_excel(data: bytes, display: Path, sheet: str | None) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    import pandas as pd  # Only Excel needs pandas; CSV stays fast.

    problem = _workbook_problem(data, display)
    if problem:
        raise DataError(problem)
    try:
        with pd.ExcelFile(io.BytesIO(data), engine="openpyxl") as book:
            names = [str(name) for name in book.sheet_names]
            if sheet is not None and sheet not in names:
                shown = ", ".join(map(repr, names))
                raise DataError(f"{display}: sheet {sheet!r} not found; the workbook has the sheets {shown}")
            frame = pd.read_excel(book, sheet_name=sheet if sheet is not None else 0, dtype=object, header=0)
    except DataError:
        raise
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise DataError(
            f"{display}: the workbook is damaged and cannot be read ({exc}); open it in Excel and save it again, "
            "or export the sheet as CSV UTF-8"
        ) from exc
    rows = [
        (index, [None if (isinstance(v, float) and v != v) else v for v in row])
        for index, row in enumerate(frame.itertuples(index=False), start=2)
    ]
    if any(cell is None for _, cells in rows for cell in cells):
        _mark_uncalculated(rows, _formulas(data, sheet if sheet is not None else names[0]))
    body = [(index, cells) for index, cells in rows if any(c is not None and str(c).strip() for c in cells)]
    return [str(c).strip() for c in frame.columns], body


def _formulas(data: bytes, sheet: str) -> dict[tuple[int, int], str]:
    """(row, column) -> formula text of every formula cell in `sheet` (both counted from 1, as Excel does)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        found = {}
        for row in book[sheet].iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    found[(cell.row, cell.column)] = str(getattr(cell.value, "text", cell.value))
        return found
    finally:
        book.close()


def _mark_uncalculated(rows: list[tuple[int, list[Any]]], formulas: dict[tuple[int, int], str]) -> None:
    """Replace an empty cell that holds a formula by `UncalculatedFormula`, so its row and column are named."""
    for index, cells in rows:
        for column, value in enumerate(cells, start=1):
            if value is None and (index, column) in formulas:
                cells[column - 1] = UncalculatedFormula(formulas[(index, column)])


def load_dataset(name: str, path: Path, display: Path, sheet: str | None = None) -> Dataset:
    """Read one dataset and check every cell against the contract for `name`."""
    columns, key = CONTRACT[name]
    where = _where(display, sheet)
    header, rows = _read_rows(path, display, sheet)
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(
            f"{where}: missing column(s) {', '.join(missing)}; expected columns: {', '.join(columns)}"
            + _separator_hint(header)
        )
    positions = {column: header.index(column) for column in columns}
    problems: list[str] = []
    records: list[Record] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in rows:
        values: dict[str, Any] = {}
        for column, kind in columns.items():
            index = positions[column]
            raw = cells[index] if index < len(cells) else None
            try:
                values[column] = _cell(kind, raw)
            except ValueError as exc:
                shown = "" if raw is None else str(raw)
                problems.append(f"{where} row {number}, column '{column}': {shown!r} {exc}")
        if len(values) != len(columns):
            continue
        for column, allowed in CHOICES.items():
            if column in values and values[column] not in allowed:
                problems.append(
                    f"{where} row {number}, column '{column}': {values[column]!r} is not one of {', '.join(allowed)}"
                )
        start_end = [c for c in columns if c.endswith("_start")]
        if start_end:
            start, end = values[start_end[0]], values[start_end[0].replace("_start", "_end")]
            if end < start:
                problems.append(f"{where} row {number}: the period ends ({end}) before it starts ({start})")
        identity = tuple(values[c] for c in key)
        if identity in seen:
            problems.append(
                f"{where} row {number}: duplicate of row {seen[identity]} "
                f"(same {', '.join(key)}: {', '.join(str(v) for v in identity)})"
            )
        seen[identity] = number
        records.append(Record(values=values, source=f"{where} row {number}"))
    if problems:
        raise DataError(*problems)
    return Dataset(name=name, path=display, sheet=sheet, records=records)
