"""What reading a published table gives: pieces of records, and an account of what was understood.

A wide table gives one piece per cell (this area or measure, this period); a long table one
piece per row. Pieces for the same record are put together by `combine`: several measures
of one period become one row; several councils of one joint service, or several sentence
types of one year, are summed where the import says so. `Understood` keeps everything the
analyst should check: the periods, areas and measures read, every cell marked missing, the
footnote markers removed and every row or column left out, with why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from plan_builder.figures.periods import Period
from plan_builder.inputs.data import CONTRACT, COUNT, DATE, NUMBER, OPTIONAL
from plan_builder.inputs.markers import Missing
from plan_builder.inputs.readers import Table, column_letters, column_number
from plan_builder.inputs.sources.labels import key, label_text, period_of, year_of
from plan_builder.inputs.sources.spec import ImportSpec

Locate = Callable[..., str]
"""Where a key of the import block is, for messages: locate('areas', 'Calderbrook', 1) ->
'plan.yaml:26: performance.datasets.fte.import.areas.Calderbrook[1]'."""

COHORTS = {12: "annual", 3: "quarterly"}
"""A reoffending cohort's type by its length in months."""


@dataclass(frozen=True)
class SourceCell:
    """One cell of the table that gives a value: where it is and the label of its row."""

    raw: Any
    ref: str
    """'D7'."""
    label: str
    """The row's label in the table ('Calder North'), for messages about sums."""


@dataclass
class Piece:
    """What one cell (wide) or one row (long) gives to a record."""

    area: str
    given: dict[str, Any]
    """Fields with one value per record: dates from the period, cohort type, KPI, age band."""
    cells: dict[str, SourceCell]
    """Count fields -> the cell giving them."""
    summable: bool = False
    """The import allows adding this piece to others of the same record (areas mapping, `sum`)."""
    period: Period | None = None


@dataclass
class Understood:
    """What the import read, for the analyst to check before committing the data file."""

    table: str
    layout: str
    periods: dict[str, str] = field(default_factory=dict)
    """Period label as read -> where (the header cell, or the first row giving it)."""
    areas: dict[str, list[str]] = field(default_factory=dict)
    """Area in the data -> its labels and cells in the table ('Calder North (A5)')."""
    measures: dict[str, str] = field(default_factory=dict)
    """Field -> where it comes from ("'Number of reoffenders' (A6)", 'every value cell')."""
    missing: list[tuple[str, Missing, str]] = field(default_factory=list)
    """(cell, what it stands for, whose: 'Calder South, Jan-Dec 2023')."""
    footnotes: list[str] = field(default_factory=list)
    """Cells whose footnote markers were removed: "E4 '2021(4)'"."""
    left_out: list[str] = field(default_factory=list)
    """Rows and columns not imported, each with why."""
    rows_read: int = 0


@dataclass
class Extract:
    """The pieces a table gives, what was understood, and every problem found."""

    pieces: list[Piece]
    understood: Understood
    problems: list[str]


def value_fields(dataset: str) -> list[str]:
    """The fields a table's cells can give: counts and numbers that do not identify a row."""
    columns, identity = CONTRACT[dataset]
    return [c for c, kind in columns.items() if kind in (COUNT, NUMBER) and c not in identity]


def given_fields(dataset: str) -> list[str]:
    """Fields with one value per record other than the area and dates: cohort type, KPI, year, age band, source."""
    columns, _ = CONTRACT[dataset]
    return [c for c in columns if c != "area" and columns[c] != DATE and c not in value_fields(dataset)]


def date_fields(dataset: str) -> tuple[str, str] | None:
    """The dataset's start and end date columns, or None (the population table has a year)."""
    columns, _ = CONTRACT[dataset]
    starts = [c for c, kind in columns.items() if kind == DATE and c.endswith("_start")]
    return (starts[0], starts[0].replace("_start", "_end")) if starts else None


def required_fields(dataset: str) -> list[str]:
    """The dataset's columns that every record needs."""
    columns, _ = CONTRACT[dataset]
    return [c for c in columns if (dataset, c) not in OPTIONAL]


def label_given(dataset: str, raw: Any) -> tuple[dict[str, Any], Period | None]:
    """The fields a period label gives a record, and the period.

    The fields are its dates, and for reoffending the cohort type by its length; for the
    population table, the year ('2023', 'Mid-2023'). Raises ValueError saying what was expected.
    """
    dates = date_fields(dataset)
    if dates is None:
        return {"year": year_of(raw)}, None
    period = period_of(raw)
    given: dict[str, Any] = {dates[0]: period.start, dates[1]: period.end}
    if dataset == "reoffending":
        if period.months not in COHORTS:
            raise ValueError(
                f"is {period.months or 'not a whole number of'} months; a reoffending cohort is 3 months "
                "(quarterly) or 12 months (annual)"
            )
        given["cohort_type"] = COHORTS[period.months]
    return given, period


def find_column(table: Table, header_row: int, name: str) -> int | None:
    """A column by its header label (footnotes and case ignored) or, failing that, by its letter."""
    wanted = key(name)
    for column in table.columns():
        if key(label_text(table.cell(header_row, column))) == wanted:
            return column
    if name.isalpha() and name.isupper() and len(name) <= 3:
        return column_number(name)
    return None


def headers_text(table: Table, header_row: int) -> str:
    """The header row's labels with their columns, for messages: "'YJS' (D), 'Financial_Year' (E)"."""
    labels = [
        f"{label_text(table.cell(header_row, c))!r} ({column_letters(c)})"
        for c in table.columns()
        if table.cell(header_row, c) is not None
    ]
    return ", ".join(labels) or "none"


def area_lookup(spec: ImportSpec) -> dict[str, tuple[str, bool]]:
    """Label (compared without case or footnotes) -> (area in the data, whether it is one of several summed)."""
    lookup: dict[str, tuple[str, bool]] = {}
    for area, labels in spec.areas.items():
        listed = [labels] if isinstance(labels, str) else labels
        for label in listed:
            lookup[key(label)] = (area, len(listed) > 1)
    return lookup


def wanted_labels(spec: ImportSpec) -> list[tuple[tuple[str | int, ...], str]]:
    """The row labels the import block names, each with its key in the block."""
    if spec.rows == "measures" and spec.layout == "wide":
        return [(("measures", label), label) for label in spec.measures]
    found: list[tuple[tuple[str | int, ...], str]] = []
    for area, labels in spec.areas.items():
        if isinstance(labels, str):
            found.append((("areas", area), labels))
        else:
            found += [(("areas", area, index), label) for index, label in enumerate(labels)]
    return found


def unmatched_labels(locate: Locate, spec: ImportSpec, seen: set[str], table: Table) -> list[str]:
    """Problems for labels the import block names that the table does not have."""
    return [
        f"{locate(*place)}: {label!r} is not a row label of {table.where}; check the spelling, the sheet and the range"
        for place, label in wanted_labels(spec)
        if key(label) not in seen
    ]


def row_spans(numbers: list[int]) -> str:
    """'rows 13-16, 20' from row numbers."""
    spans: list[list[int]] = []
    for number in sorted(numbers):
        if spans and number == spans[-1][-1] + 1:
            spans[-1].append(number)
        else:
            spans.append([number])
    text = ", ".join(f"{s[0]}-{s[-1]}" if len(s) > 1 else str(s[0]) for s in spans)
    return f"row{'s' if len(numbers) > 1 else ''} {text}"
