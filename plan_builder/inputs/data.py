"""Load performance data (CSV or Excel) and check it against the data contract.

Every dataset is one row per area and period (or cohort). Cells are checked here,
so later stages get clean typed records: a missing column, a non-numeric cell or
a duplicate row is an error naming the file, sheet, row and column. A row with
more or fewer cells than its header is an error too (`check_row_shape`): read as it
stands, every value after the gap would land under the wrong column. A count is
never guessed: an empty cell is an error unless the value is marked missing on purpose
('[c]' or '*' suppressed, '[x]', 'x' or '..' not available, '[z]' not applicable, or a
footnote: `inputs.markers`), and then it is kept as None with that reason, never as zero.
Files are read by `inputs.readers` (CSV, .xlsx, .xlsm, .xls, .ods; a sheet, a header row
other than the first, a cell range); every reader hands its rows to `check_row_shape`
and its cells to `read_cell`. The contract is documented in docs/data-contract.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plan_builder.errors import DataError
from plan_builder.inputs.files import read_input
from plan_builder.inputs.markers import missing_marker
from plan_builder.inputs.readers import UncalculatedFormula, column_letters, read_table
from plan_builder.inputs.readers.delimited import separator_hint
from plan_builder.wording import counted

DATE = "date"
TEXT = "text"
NOTE = "note"
"""Free text that may be empty (a source note)."""
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
    "population": (
        {"area": TEXT, "year": COUNT, "age_band": TEXT, "population": COUNT, "source": NOTE},
        ("area", "year", "age_band"),
    ),
}

OPTIONAL = {("fte", "population_10_17"), ("custody", "population_10_17"), ("population", "source")}
"""(dataset, column) pairs a file may leave out, or leave empty: FTE and custody take their
population from the population table when they have none of their own."""

CHOICES = {"cohort_type": ("quarterly", "annual"), "age_band": ("10-17", "0-17")}

MISSING_HINT = "write the number, or '..' if it is not available ('[c]' if suppressed)"

MAX_COUNT = 2**53
"""The largest count a float holds exactly; no count of children comes near it, and rates stay finite."""


@dataclass(frozen=True)
class Record:
    """One data row, typed, with where it came from."""

    values: dict[str, Any]
    source: str
    """'data/fte.csv row 7' or 'data/performance.xlsx [FTE] row 7'."""
    missing: dict[str, str] = field(default_factory=dict)
    """Columns marked missing on purpose (their value is None) -> why: "suppressed in the source ('[c]')"."""

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


@dataclass(frozen=True)
class Dataset:
    """A loaded dataset: its records and where they came from."""

    name: str
    path: Path
    sheet: str | None
    records: list[Record]


def parse_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD (or DD/MM/YYYY); ValueError otherwise."""
    text = text.strip()
    if len(text) == 10 and text.isascii() and text[4] == text[7] == "-" and text.replace("-", "").isdigit():
        return dt.date.fromisoformat(text)  # the usual form, without strptime's cost; bad dates raise ValueError
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def read_cell(kind: str, raw: Any) -> tuple[Any, str | None]:
    """Convert one cell to (value, why it is missing); raise ValueError saying what was expected.

    A number marked missing on purpose ('[c]', '..', '[note 3]') gives (None, its reason).
    """
    marked = missing_marker(raw)
    if marked is not None:
        if kind not in (COUNT, NUMBER):
            raise ValueError(f"marks a number as missing, but this column holds a {kind}")
        return None, marked.described
    return _cell(kind, raw), None


def _cell(kind: str, raw: Any) -> Any:
    """Convert one cell; raise ValueError with the expected form if it does not fit."""
    if isinstance(raw, UncalculatedFormula):
        raise ValueError(
            "is a formula whose result was never saved; open the workbook in Excel or LibreOffice and save it "
            "again, so the results are stored"
        )
    if raw is None or (isinstance(raw, float) and raw != raw) or (isinstance(raw, str) and not raw.strip()):
        if kind == NOTE:
            return ""
        raise ValueError(f"is empty; {MISSING_HINT}" if kind in (COUNT, NUMBER) else "is empty")
    if kind == DATE:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if hasattr(raw, "to_pydatetime"):
            return raw.to_pydatetime().date()
        try:
            return parse_date(str(raw))
        except ValueError:
            raise ValueError("is not a date (expected YYYY-MM-DD)") from None
    if kind in (TEXT, NOTE):
        return str(raw).strip()
    if isinstance(raw, bool):
        raise ValueError(f"is not a number; {MISSING_HINT}")
    if isinstance(raw, int | float):
        number = float(raw)
        if number != number or number in (float("inf"), float("-inf")):  # an Excel cell can hold these
            raise ValueError("is not a finite number")
    else:
        text = str(raw).strip().replace(",", "")
        if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
            raise ValueError(f"is not a number; {MISSING_HINT}")
        number = float(text)
    if kind == COUNT:
        if number > MAX_COUNT:  # also infinity, from hundreds of digits: int() would overflow
            raise ValueError(f"is too large for a count (at most {MAX_COUNT:,})")
        if number < 0 or number != int(number):
            raise ValueError("is not a whole number of 0 or more")
        return int(number)
    return number


def check_row_shape(header: list[str], cells: list[Any], where: str) -> str | None:
    """The problem with a row that has more or fewer cells than its header, or None.

    Read as it stands, such a row puts every value after the gap (or the extra cell) under
    the wrong column: the 10-17 population read as the count of first time entrants.
    Empty cells after the last column are not counted (spreadsheets often save them).
    """
    trimmed = list(cells)
    while len(trimmed) > len(header) and (trimmed[-1] is None or not str(trimmed[-1]).strip()):
        trimmed.pop()
    if len(trimmed) == len(header):
        return None
    expected = f"the header has {len(header)} columns ({', '.join(header)})"
    cells_text = counted(len(trimmed), "cell")
    if len(trimmed) < len(header):
        return (
            f"{where}: {cells_text}, but {expected}; a cell is missing, so the values after it would be "
            f"read under the wrong columns: add the missing value ({MISSING_HINT})"
        )
    return (
        f"{where}: {cells_text}, but {expected}; remove the extra cell (in a CSV file, a number "
        'written with a comma needs double quotes: "1,061")'
    )


def _read_rows(
    path: Path, display: Path, sheet: str | None, header_row: int | None, cells: str | None
) -> tuple[str, list[str], list[tuple[int, list[Any]]], int]:
    """Return (where, header, [(row number as the user sees it, cells)], the first column's number).

    Rows keep the cells they have (a CSV line with a comma too few is a cell short), so that
    `check_row_shape` can tell; the header loses empty names after its last column.
    """
    table = read_table(path, display, sheet, cells)
    first = table.first_row if header_row is None else header_row
    if not table.rows or not table.first_row <= first <= table.last_row:
        raise DataError(f"{table.where}: no header row (row {first}); expected a row of column names")
    header = ["" if c is None else str(c).strip() for c in table.rows[first - table.first_row]]
    while header and not header[-1]:
        header.pop()
    body = []
    for number in range(first + 1, table.last_row + 1):
        row = list(table.rows[number - table.first_row])
        if any(c is not None and str(c).strip() for c in row):
            body.append((number, row))
    return table.where, header, body, table.first_column


def _read_record(
    name: str, columns: dict[str, str], raws: list[Any], here: str, problems: list[str], cells: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]] | None:
    """One row's values by column and the reasons of those marked missing; None (problems recorded) if a cell is bad.

    `cells` names a spreadsheet's cell for each column (' (cell D3)'); it is empty for a CSV file.
    """
    values: dict[str, Any] = {}
    marked: dict[str, str] = {}
    for (column, kind), raw in zip(columns.items(), raws, strict=True):
        if (name, column) in OPTIONAL and (raw is None or not str(raw).strip()):
            values[column] = None  # left to another source: the population table for a population
            continue
        try:
            values[column], why = read_cell(kind, raw)
        except ValueError as exc:
            shown = "" if raw is None else str(raw)
            problems.append(f"{here}, column '{column}'{cells.get(column, '')}: {shown!r} {exc}")
            continue
        if why is not None:
            marked[column] = why
    return (values, marked) if len(values) == len(columns) else None


def _row_problems(values: dict[str, Any], columns: dict[str, str], here: str) -> list[str]:
    """A value that is not one of its column's choices, and a period that ends before it starts."""
    problems = [
        f"{here}, column '{column}': {values[column]!r} is not one of {', '.join(allowed)}"
        for column, allowed in CHOICES.items()
        if column in values and values[column] not in allowed
    ]
    start_end = [c for c in columns if c.endswith("_start")]
    if start_end:
        start, end = values[start_end[0]], values[start_end[0].replace("_start", "_end")]
        if end < start:
            problems.append(f"{here}: the period ends ({end}) before it starts ({start})")
    return problems


class DatasetMemo:
    """Datasets a long-running process (`watch`) has read, each with the digest of the bytes it was read from."""

    def __init__(self) -> None:
        self.read: dict[tuple[Any, ...], tuple[bytes, Dataset]] = {}


_MEMO: ContextVar[DatasetMemo | None] = ContextVar("dataset_memo", default=None)


@contextmanager
def remembering_datasets(memo: DatasetMemo) -> Iterator[None]:
    """Within this block `load_dataset` reads a file again only when its bytes have changed."""
    token = _MEMO.set(memo)
    try:
        yield
    finally:
        _MEMO.reset(token)


def load_dataset(
    name: str,
    path: Path,
    display: Path,
    sheet: str | None = None,
    header_row: int | None = None,
    cell_range: str | None = None,
) -> Dataset:
    """Read one dataset and check every cell against the contract for `name`.

    `header_row` is the sheet row holding the column names (default: the first row, or the
    first row of `cell_range`, a range such as 'A3:H40').
    """
    memo = _MEMO.get()
    if memo is None:
        return _load_dataset(name, path, display, sheet, header_row, cell_range)
    try:
        digest = hashlib.sha256(read_input(path)).digest()
    except OSError:  # missing or not a file: the reader says so
        return _load_dataset(name, path, display, sheet, header_row, cell_range)
    where = (name, str(path), str(display), sheet, header_row, cell_range)
    known = memo.read.get(where)
    if known is not None and known[0] == digest:
        return known[1]
    dataset = _load_dataset(name, path, display, sheet, header_row, cell_range)
    memo.read[where] = (digest, dataset)
    return dataset


def _load_dataset(
    name: str, path: Path, display: Path, sheet: str | None, header_row: int | None, cell_range: str | None
) -> Dataset:
    columns, key = CONTRACT[name]
    where, header, rows, first_column = _read_rows(path, display, sheet, header_row, cell_range)
    missing = [c for c in columns if c not in header and (name, c) not in OPTIONAL]
    if missing:
        raise DataError(
            f"{where}: missing column(s) {', '.join(missing)}; expected columns: {', '.join(columns)}"
            + separator_hint(header)
        )
    columns = {column: kind for column, kind in columns.items() if column in header}
    positions = {column: header.index(column) for column in columns}
    in_workbook = path.suffix.lower() != ".csv"  # a spreadsheet's user looks for the cell: ' (cell D3)'
    letters = {c: column_letters(first_column + position) for c, position in positions.items()} if in_workbook else {}
    problems: list[str] = []
    records: list[Record] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in rows:
        shape = check_row_shape(header, cells, f"{where} row {number}")
        if shape is not None:
            problems.append(shape)
            continue
        here = f"{where} row {number}"
        at = {c: f" (cell {letter}{number})" for c, letter in letters.items()}
        read = _read_record(name, columns, [cells[positions[c]] for c in columns], here, problems, at)
        if read is None:
            continue
        values, marked = read
        problems += _row_problems(values, columns, here)
        identity = tuple(values[c] for c in key)
        if identity in seen:
            problems.append(
                f"{here}: duplicate of row {seen[identity]} "
                f"(same {', '.join(key)}: {', '.join(str(v) for v in identity)})"
            )
        seen[identity] = number
        records.append(Record(values=values, source=here, missing=marked))
    if problems:
        raise DataError(*problems)
    return Dataset(name=name, path=display, sheet=sheet, records=records)
