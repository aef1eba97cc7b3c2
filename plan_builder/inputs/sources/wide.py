"""Wide tables: one column per period, and one row per area or one row per measure.

The supplementary tables of the Youth Justice Statistics are wide: first time entrants by
local authority with a column for each year ending December; reoffending with rows for the
children in the cohort, the reoffenders and the reoffences and a column for each cohort.
Every column label (except the row labels' column and the columns the import skips) must be
a period: one that is not is an error naming its cell, never a column silently dropped.
A row with no values at all (a title, a note under the table, a group heading) is left out
and listed; a row whose label the import does not map is left out and listed.
"""

from __future__ import annotations

from typing import Any

from plan_builder.figures.periods import Period
from plan_builder.inputs.markers import has_footnote
from plan_builder.inputs.readers import Table, column_letters
from plan_builder.inputs.sources.labels import key, label_text
from plan_builder.inputs.sources.pieces import (
    Extract,
    Locate,
    Piece,
    SourceCell,
    Understood,
    area_lookup,
    find_column,
    label_given,
    row_spans,
    unmatched_labels,
)
from plan_builder.inputs.sources.spec import ImportSpec

Columns = dict[int, tuple[dict[str, Any], Period | None]]
"""Column number -> the fields its label gives (dates, cohort type or year) and its period."""


def extract_wide(table: Table, spec: ImportSpec, dataset: str, locate: Locate) -> Extract:
    """Read a wide table into pieces, one per value cell."""
    header = spec.header_row or table.first_row
    across = "one row per area" if spec.rows == "areas" else "one row per measure"
    understood = Understood(f"{table.where}, header row {header}", f"wide: one column per period, {across}")
    problems: list[str] = []
    skip = _skipped(table, header, spec, locate, understood, problems)
    label_column = next(c for c in range(table.first_column, table.first_column + table.width + 1) if c not in skip)
    if spec.label_column:  # default: the first column the import does not skip (a code column may come first)
        found = find_column(table, header, spec.label_column)
        if found is None:
            problems.append(f"{locate('label_column')}: no column {spec.label_column!r} in {table.where}")
            return Extract([], understood, problems)
        label_column = found
    columns = _period_columns(table, header, dataset, {label_column, *skip}, understood, problems)
    pieces = _rows(table, header, label_column, columns, spec, understood, problems)
    seen = {key(label_text(table.cell(r, label_column))) for r in range(header + 1, table.last_row + 1)}
    problems += unmatched_labels(locate, spec, seen, table)
    return Extract(pieces, understood, problems)


def _skipped(
    table: Table, header: int, spec: ImportSpec, locate: Locate, understood: Understood, problems: list[str]
) -> set[int]:
    skip: set[int] = set()
    for index, name in enumerate(spec.skip_columns):
        found = find_column(table, header, name)
        if found is None:
            problems.append(f"{locate('skip_columns', index)}: no column {name!r} in row {header} of {table.where}")
            continue
        skip.add(found)
        label = label_text(table.cell(header, found))
        understood.left_out.append(f"column {column_letters(found)} ({label!r}): listed in import.skip_columns")
    return skip


def _period_columns(
    table: Table, header: int, dataset: str, not_periods: set[int], understood: Understood, problems: list[str]
) -> Columns:
    """Every other column with a label or a value, read as a period (or, for the population table, a year)."""
    columns: Columns = {}
    body = range(header + 1, table.last_row + 1)
    for column in table.columns():
        if column in not_periods:
            continue
        raw = table.cell(header, column)
        if raw is None:
            if any(table.cell(row, column) is not None for row in body):
                problems.append(
                    f"{table.at(header, column)} is empty, but column {column_letters(column)} has values; "
                    "expected a period label (or list the column under import.skip_columns)"
                )
            continue
        try:
            given, period = label_given(dataset, raw)
        except ValueError as exc:
            problems.append(
                f"{table.at(header, column)}: {label_text(raw)!r} {exc} (or list the column under import.skip_columns)"
            )
            continue
        if isinstance(raw, str) and has_footnote(raw):
            understood.footnotes.append(f"{table.ref(header, column)} {raw.strip()!r}")
        shown = period.label if period else str(given["year"])
        understood.periods.setdefault(shown, table.ref(header, column))
        columns[column] = (given, period)
    return columns


def _rows(
    table: Table,
    header: int,
    label_column: int,
    columns: Columns,
    spec: ImportSpec,
    understood: Understood,
    problems: list[str],
) -> list[Piece]:
    """A piece for every value cell of every row the import maps; the other rows listed as left out."""
    pieces: list[Piece] = []
    empty: dict[int, str] = {}
    unmapped: dict[int, str] = {}
    for row in range(header + 1, table.last_row + 1):
        raw_label = table.cell(row, label_column)
        label = label_text(raw_label)
        if all(table.cell(row, column) is None for column in columns):
            if label:
                empty[row] = label
            continue
        if not label:
            problems.append(f"{table.at(row, label_column)} is empty, but row {row} has values; expected a row label")
            continue
        target = _target(label, spec)
        if target is None:
            unmapped[row] = label
            continue
        area, field, summed = target
        ref = table.ref(row, label_column)
        if isinstance(raw_label, str) and has_footnote(raw_label):
            understood.footnotes.append(f"{ref} {raw_label.strip()!r}")
        if spec.rows == "measures":
            understood.measures[field] = f"{label!r} ({ref})"
            understood.areas[area] = ["every row (import.area)"]
        else:
            understood.measures[field] = "every value cell"
            understood.areas.setdefault(area, []).append(f"{label} ({ref})")
        understood.rows_read += 1
        for column, (given, period) in columns.items():
            cell = SourceCell(table.cell(row, column), table.ref(row, column), label)
            pieces.append(Piece(area, {**given, **spec.fixed}, {field: cell}, summed, period))
    _left_out(understood, empty, "no values (a title, heading or note)")
    _left_out(understood, unmapped, f"not in import.{spec.rows}")
    return pieces


def _target(label: str, spec: ImportSpec) -> tuple[str, str, bool] | None:
    """(area, field, summed with other labels) for a row label, or None when the import does not map it."""
    if spec.rows == "measures":
        field = next((f for name, f in spec.measures.items() if key(name) == key(label)), None)
        return (spec.area or "", field, False) if field else None
    if not spec.areas:
        return label, spec.value or "", False
    found = area_lookup(spec).get(key(label))
    return (found[0], spec.value or "", found[1]) if found else None


def _left_out(understood: Understood, rows: dict[int, str], why: str) -> None:
    if not rows:
        return
    labels = [repr(label if len(label) <= 40 else label[:37] + "...") for label in rows.values()]
    shown = ", ".join(labels[:4]) + (f" and {len(labels) - 4} more" if len(labels) > 4 else "")
    understood.left_out.append(f"{row_spans(list(rows))} ({shown}): {why}")
