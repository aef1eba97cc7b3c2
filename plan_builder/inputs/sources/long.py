"""Long tables: one row per record, with named columns, as the Youth Justice Statistics open data are.

The local-level open data's outcome table has a row per youth justice service, financial
year, tier and type of caution or sentence (`YJS`, `Financial_Year`,
`Caution_or_sentence_tier`, `Number_Cautioned_Sentenced`). Custody counts are its rows for
the custody tier, added up over the sentence types: `where` keeps the custody rows, `sum`
adds them up, `areas` keeps the service and its comparators. Every row left out is counted
and listed with why.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

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
    headers_text,
    label_given,
    value_fields,
)
from plan_builder.inputs.sources.spec import ImportSpec


def _positions(
    table: Table, header: int, names: dict[str, str], what: str, locate: Locate, problems: list[str]
) -> dict[str, int]:
    """Column numbers of the named columns; a problem for each the header does not have."""
    positions: dict[str, int] = {}
    for name, column_name in names.items():
        found = find_column(table, header, column_name)
        if found is None:
            problems.append(
                f"{locate(what, name)}: no column {column_name!r} in row {header} of {table.where}; "
                f"the columns are: {headers_text(table, header)}"
            )
        else:
            positions[name] = found
    return positions


def extract_long(table: Table, spec: ImportSpec, dataset: str, locate: Locate) -> Extract:
    """Read a long table into pieces, one per row kept."""
    header = spec.header_row or table.first_row
    understood = Understood(f"{table.where}, header row {header}", "long: one row per record")
    problems: list[str] = []
    positions = _positions(table, header, spec.columns, "columns", locate, problems)
    filters = _positions(table, header, {name: name for name in spec.where}, "where", locate, problems)
    if problems:
        return Extract([], understood, problems)
    allowed = {
        filters[name]: {key(v) for v in ([values] if isinstance(values, str) else values)}
        for name, values in spec.where.items()
    }
    for field, column in positions.items():
        if field in value_fields(dataset):
            understood.measures[field] = f"column {column_letters(column)} ({label_text(table.cell(header, column))!r})"
    filtered: Counter[str] = Counter()
    unmapped: Counter[str] = Counter()
    pieces: list[Piece] = []
    for row in range(header + 1, table.last_row + 1):
        if all(cell is None for cell in table.row(row)):
            continue
        failed = next((c for c, values in allowed.items() if key(label_text(table.cell(row, c))) not in values), None)
        if failed is not None:
            filtered[f"{label_text(table.cell(header, failed))} is {label_text(table.cell(row, failed))!r}"] += 1
            continue
        piece = _piece(table, row, positions, spec, dataset, understood, problems)
        if isinstance(piece, str):
            unmapped[piece] += 1
        elif piece is not None:
            pieces.append(piece)
            understood.rows_read += 1
    for why, count in sorted(filtered.items()):
        understood.left_out.append(f"{count} row{'s' if count > 1 else ''} where {why} (import.where)")
    if unmapped:
        names = ", ".join(repr(label) for label in sorted(unmapped)[:4])
        more = f" and {len(unmapped) - 4} more" if len(unmapped) > 4 else ""
        rows, areas = sum(unmapped.values()), len(unmapped)
        understood.left_out.append(
            f"{rows} row{'s' if rows > 1 else ''} for {areas} other area{'s' if areas > 1 else ''} "
            f"({names}{more}): not in import.areas"
        )
    return Extract(pieces, understood, problems)


def _piece(
    table: Table,
    row: int,
    positions: dict[str, int],
    spec: ImportSpec,
    dataset: str,
    understood: Understood,
    problems: list[str],
) -> Piece | str | None:
    """The piece a row gives; its area label when the import leaves that area out; None after a problem."""
    area_label = spec.area or ""
    if "area" in positions:
        area_label = label_text(table.cell(row, positions["area"]))
        if not area_label:
            problems.append(
                f"{table.at(row, positions['area'])} is empty; expected the area's name (if the row is a note "
                "under the table, leave it out with import.range)"
            )
            return None
    area, summed = area_label, False
    if spec.areas:
        found = area_lookup(spec).get(key(area_label))
        if found is None:
            return area_label
        area, summed = found
    given: dict[str, Any] = dict(spec.fixed)
    period = None
    if "period" in positions:
        raw = table.cell(row, positions["period"])
        try:
            dates, period = label_given(dataset, raw)
        except ValueError as exc:
            problems.append(f"{table.at(row, positions['period'])}: {label_text(raw)!r} {exc}")
            return None
        given.update(dates)
        if period is not None:
            understood.periods.setdefault(period.label, table.ref(row, positions["period"]))
    cells: dict[str, SourceCell] = {}
    for field, column in positions.items():
        raw = table.cell(row, column)
        if field in value_fields(dataset):
            cells[field] = SourceCell(raw, table.ref(row, column), area_label)
        elif field not in ("area", "period"):
            if raw is None:
                problems.append(f"{table.at(row, column)} is empty; expected the {field}")
                return None
            given[field] = label_text(raw) if isinstance(raw, str) else raw
            if isinstance(raw, str) and has_footnote(raw):
                understood.footnotes.append(f"{table.ref(row, column)} {raw.strip()!r}")
    labels = understood.areas.setdefault(area, [])
    if not any(shown.partition(" (")[0] == area_label for shown in labels):
        labels.append(f"{area_label} ({table.ref(row, positions['area'])})" if "area" in positions else area_label)
    return Piece(area, given, cells, summed or spec.sum, period)
