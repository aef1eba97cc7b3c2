"""Published tables into plan-builder's long format: what `plan-builder data import` reads.

Analysts receive the Youth Justice Statistics open data (.ods, long), the supplementary
tables (.xls/.xlsx, wide, several header rows, footnote markers), MoJ reoffending tables and
case management exports, not plan-builder's CSV files. A dataset's `import:` block in
plan.yaml (`spec.ImportSpec`) says how its table is laid out; `import_table` reads it
(`readers`), takes it apart (`wide`, `long`), puts the records together (`combine`) and says
what it understood, so that no number is retyped and none is guessed: a cell that cannot be
read is an error naming the file, sheet and cell, and a withheld one stays missing with
its reason. `merge` then updates the plan's data file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plan_builder.errors import DataError
from plan_builder.inputs.data import CONTRACT
from plan_builder.inputs.readers import Table, read_table
from plan_builder.inputs.sources.combine import Imported, combine
from plan_builder.inputs.sources.labels import key, label_text
from plan_builder.inputs.sources.long import extract_long
from plan_builder.inputs.sources.pieces import (
    Locate,
    Understood,
    date_fields,
    given_fields,
    required_fields,
    value_fields,
)
from plan_builder.inputs.sources.spec import ImportSpec
from plan_builder.inputs.sources.wide import extract_wide


@dataclass(frozen=True)
class TableImport:
    """A published table read as records of a dataset, with an account of what was read."""

    dataset: str
    records: list[Imported]
    understood: Understood
    source: str
    """The table as the data file's `source_cell` column names it: 'fte.xlsx [Table 2.1]'."""


def _fields_problems(spec: ImportSpec, dataset: str, locate: Locate) -> list[str]:
    """Fields plan.yaml names that the dataset does not have, and fields it needs that nothing gives."""
    values, given = value_fields(dataset), given_fields(dataset)
    dates = list(date_fields(dataset) or ())
    named: dict[str, list[tuple[tuple[str, ...], str]]] = {
        "value": [(("value",), spec.value)] if spec.value else [],
        "measures": [(("measures", label), f) for label, f in spec.measures.items()],
        "columns": [(("columns", f), f) for f in spec.columns if f not in ("area", "period")],
        "fixed": [(("fixed", f), f) for f in spec.fixed],
    }
    allowed = {"value": values, "measures": values, "columns": [*values, *given, *dates], "fixed": given}
    problems = [
        f"{locate(*place)}: {name!r} is not a field of {dataset}; expected one of {', '.join(allowed[what])}"
        for what, names in named.items()
        for place, name in names
        if name not in allowed[what]
    ]
    provided = {name for names in named.values() for _, name in names}
    if spec.layout == "wide" or "period" in spec.columns:
        provided |= {*dates, "year"} | ({"cohort_type"} if dataset == "reoffending" else set())
    if spec.layout == "wide" or spec.area or "area" in spec.columns:
        provided.add("area")
    lacking = [f for f in required_fields(dataset) if f not in provided]
    if lacking and not problems:
        problems.append(
            f"{locate()}: nothing gives {', '.join(lacking)}; name the column (columns), the row (measures) "
            "or the value (fixed)"
        )
    return problems


def _default_spec(table: Table, dataset: str, where: str) -> ImportSpec:
    """With no `import:` block, a long table whose header has the dataset's own column names."""
    header = {key(label_text(cell)) for cell in table.row(table.first_row)}
    columns = {c: c for c in CONTRACT[dataset][0] if key(c) in header}
    lacking = [c for c in required_fields(dataset) if c not in columns]
    if lacking:
        raise DataError(
            f"{table.where}: row {table.first_row} lacks the column(s) {', '.join(lacking)}, and {where} has no "
            f"import: block saying how to read the table; add one (see the README, 'Importing published tables')"
        )
    return ImportSpec(layout="long", columns=columns)


def import_table(
    path: Path, display: Path, dataset: str, spec: ImportSpec | None, locate: Locate | None = None
) -> TableImport:
    """Read the table at `path` as records of `dataset`; DataError listing every problem found.

    `locate` says where a key of the import block is in plan.yaml, for messages.
    """
    locate = locate or (lambda *keys: ".".join(["import", *map(str, keys)]))
    table = read_table(path, display, spec.sheet if spec else None, spec.range if spec else None)
    if spec is None:
        spec = _default_spec(table, dataset, locate().rpartition(".import")[0] or locate())
    problems = _fields_problems(spec, dataset, locate)
    header = spec.header_row or table.first_row
    if not table.first_row <= header <= table.last_row:
        problems.append(
            f"{table.where}: no row {header} (import.header_row); the table has rows {table.first_row}-{table.last_row}"
        )
    if problems:
        raise DataError(*problems)
    extract = (extract_wide if spec.layout == "wide" else extract_long)(table, spec, dataset, locate)
    if extract.problems:
        raise DataError(*extract.problems)
    records, problems = combine(extract.pieces, dataset, dict(spec.markers), table.where, extract.understood)
    if problems:
        raise DataError(*problems)
    if not records:
        raise DataError(
            f"{table.where}: no values read below row {header}; check import.header_row, range, areas and where"
        )
    sheet = table.where[len(str(display)) :]
    return TableImport(dataset, records, extract.understood, f"{display.name}{sheet}")
