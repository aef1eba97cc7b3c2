"""Put the pieces of a published table together into records of the data contract, cell by cell.

Pieces with the same area, period (and KPI, cohort type, age band) form one record. A field
given by more than one piece is added up only where the import says so: the councils of a
joint service (`areas` with several labels) or the rows of a long table (`sum: true`);
anywhere else it is an error naming both cells, so a table read the wrong way is never
quietly double counted. A sum with a suppressed part is itself suppressed (never the sum of
the parts that happen to be given). Every cell is checked: an empty cell, text that is not
a number and not a marker, a fraction where a count belongs, are errors naming the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plan_builder.inputs.data import CONTRACT, read_cell
from plan_builder.inputs.markers import MARKERS_TEXT, Missing, has_footnote, missing_marker, strip_footnotes
from plan_builder.inputs.sources.pieces import Piece, SourceCell, Understood, date_fields


@dataclass(frozen=True)
class Imported:
    """One record for the long-format data file, typed, with the cells it came from."""

    values: dict[str, Any]
    """Every field the table gives; None where the source withholds the number."""
    missing: dict[str, Missing] = field(default_factory=dict)
    cells: tuple[str, ...] = ()
    """The value cells it came from ('D5', 'D6')."""
    label: str = ""
    """'Calderbrook, Jan-Dec 2023', for messages."""


def source_value(kind: str, raw: Any, overrides: dict[str, str]) -> tuple[Any, Missing | None, bool]:
    """(value, why it is missing, whether footnote markers were removed) for one value cell.

    Raises ValueError saying what was expected.
    """
    marked = missing_marker(raw, overrides)
    if marked is not None:
        return None, marked, False
    if raw is None:
        raise ValueError(f"is empty; expected a number, or a marker such as {MARKERS_TEXT}")
    footnoted = isinstance(raw, str) and has_footnote(raw)
    try:
        value, _ = read_cell(kind, strip_footnotes(raw) if footnoted else raw)
    except ValueError as exc:
        if not str(exc).startswith("is not a number"):
            raise
        raise ValueError(f"is not a number; expected a number, or a marker such as {MARKERS_TEXT}") from None
    if value is None:
        raise ValueError(f"is empty; expected a number, or a marker such as {MARKERS_TEXT}")
    return value, None, footnoted


def _label(dataset: str, area: str, given: dict[str, Any], period_label: str) -> str:
    _, identity = CONTRACT[dataset]
    dates = date_fields(dataset) or ()
    extra = [str(given[k]) for k in identity if k not in ("area", *dates) and k in given]
    return ", ".join([area, *extra, *([period_label] if period_label else [])])


def combine(
    pieces: list[Piece], dataset: str, overrides: dict[str, str], where: str, understood: Understood
) -> tuple[list[Imported], list[str]]:
    """The records the pieces make, in the order they first appear, and every problem found."""
    columns, identity = CONTRACT[dataset]
    groups: dict[tuple[Any, ...], list[Piece]] = {}
    problems: list[str] = []
    for piece in pieces:
        missing_keys = [k for k in identity if k != "area" and k not in piece.given]
        if missing_keys:
            problems.append(f"{where}: nothing in the import gives {', '.join(missing_keys)} (import.fixed or columns)")
            return [], problems
        ident = (piece.area, *(str(piece.given[k]) for k in identity if k != "area"))
        groups.setdefault(ident, []).append(piece)
    records = []
    for group in groups.values():
        record = _record(group, dataset, overrides, where, understood, problems)
        if record is not None:
            records.append(record)
    return records, problems


def _record(
    group: list[Piece], dataset: str, overrides: dict[str, str], where: str, understood: Understood, problems: list[str]
) -> Imported | None:
    columns, _ = CONTRACT[dataset]
    first = group[0]
    period_label = first.period.label if first.period else ""
    label = _label(dataset, first.area, first.given, period_label)
    given: dict[str, Any] = {}
    for piece in group:
        for name, value in piece.given.items():
            if name in given and given[name] != value:
                problems.append(f"{where}: {label}: {name} is both {given[name]!r} and {value!r}")
            given.setdefault(name, value)
    values: dict[str, Any] = {"area": first.area}
    for name, value in given.items():
        if name not in columns:
            continue
        try:
            values[name] = read_cell(columns[name], value)[0] if isinstance(value, str) else value
        except ValueError as exc:
            problems.append(f"{where}: {label}: {name} {value!r} {exc}")
    parts: dict[str, list[tuple[SourceCell, bool]]] = {}
    for piece in group:
        for name, cell in piece.cells.items():
            parts.setdefault(name, []).append((cell, piece.summable))
    missing: dict[str, Missing] = {}
    refs: list[str] = []
    for name, cells in parts.items():
        if len(cells) > 1 and not all(summable for _, summable in cells):
            shown = " and ".join(cell.ref for cell, _ in cells)
            problems.append(
                f"{where} cells {shown} both give {name} for {label}; a record is given twice (if the table "
                "has a row per part, such as a row per sentence type, set import.sum: true to add them up)"
            )
            continue
        value, why = _sum(name, [c for c, _ in cells], columns[name], overrides, where, label, understood, problems)
        values[name] = value
        if why is not None:
            missing[name] = why
        refs += [cell.ref for cell, _ in cells]
    return Imported(values, missing, tuple(refs), label)


def _sum(
    name: str,
    cells: list[SourceCell],
    kind: str,
    overrides: dict[str, str],
    where: str,
    label: str,
    understood: Understood,
    problems: list[str],
) -> tuple[Any, Missing | None]:
    """The value of one field: one cell's, or the sum of several; missing if any part is."""
    total: Any = 0
    missing: Missing | None = None
    for cell in cells:
        try:
            value, why, footnoted = source_value(kind, cell.raw, overrides)
        except ValueError as exc:
            shown = "" if cell.raw is None else str(cell.raw)
            problems.append(f"{where} cell {cell.ref} ({name}, {cell.label}): {shown!r} {exc}")
            return None, None
        if footnoted:
            understood.footnotes.append(f"{cell.ref} {str(cell.raw).strip()!r}")
        if why is not None:
            whose = label if len(cells) == 1 else f"{cell.label}, part of {label}"
            understood.missing.append((cell.ref, why, f"{name}, {whose}"))
            missing = missing or why
        else:
            total += value
    return (None, missing) if missing is not None else (total, None)
