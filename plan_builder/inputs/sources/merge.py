"""Update a plan's long-format data file with the records read from a published table.

Records are matched on the dataset's identity (area and period; and cohort type, KPI and
measure, or year and age band). A record the file has is updated in the columns the table
gives, keeping the others (a population the table does not carry); a record it lacks is
added at the end; rows the table does not cover are kept as they are. Every changed cell
is reported ("Calderbrook, Jan-Dec 2023: fte_count 52 -> 53"), so re-importing a newer
release says exactly what the release revised. A value the source withholds is written as
its marker ('[c]'), so it stays missing, with its reason, when the plan is built.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from plan_builder.inputs.data import CONTRACT, DATE, parse_date
from plan_builder.inputs.sources.combine import Imported

SOURCE_COLUMN = "source_cell"
"""The column naming the table and cells each imported row came from (plan-builder ignores it)."""


@dataclass
class Merged:
    """The data file after the import, and what changed."""

    header: list[str]
    rows: list[list[str]]
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: int = 0
    """Rows of the file the table does not cover, kept as they were."""
    ending: str = "\n"
    """The existing file's line ending ('\r\n' from Excel on Windows), kept so that its history shows real changes."""

    def text(self) -> str:
        """The file's contents as CSV (UTF-8, quoted as Excel does, one line per row)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=self.ending)
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return out.getvalue()


def cell_text(record: Imported, column: str) -> str:
    """A record's value as the data file holds it: '2023-01-01', '61', '[c]', 'Calderbrook'."""
    if column in record.missing:
        return record.missing[column].canonical
    value = record.values.get(column)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _normal(kind: str, text: str) -> str:
    """A cell as compared: dates as YYYY-MM-DD, '1,061' as '1061', markers in lower case."""
    text = text.strip()
    if kind == DATE:
        try:
            return parse_date(text).isoformat()
        except ValueError:
            return text
    plain = text.replace(",", "")
    try:
        number = float(plain)
    except ValueError:
        return text.lower() if text.startswith("[") else text
    return str(int(number)) if number.is_integer() else plain


def read_existing(text: str) -> tuple[list[str], list[list[str]], str]:
    """The header, rows and line ending of an existing data file (empty when the file is empty)."""
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in row)]
    ending = "\r\n" if "\r\n" in text else "\n"
    return ([cell.strip() for cell in rows[0]], rows[1:], ending) if rows else ([], [], ending)


def merge(
    dataset: str, existing: tuple[list[str], list[list[str]], str], records: list[Imported], source: str
) -> Merged:
    """The data file with `records` merged in; `source` names the table ('fte.xlsx [Table 2.1]')."""
    columns, identity = CONTRACT[dataset]
    header = list(existing[0])
    given = [c for c in columns if any(c in r.values for r in records)]
    header += [c for c in [*given, SOURCE_COLUMN] if c not in header]
    rows = [row + [""] * (len(header) - len(row)) for row in existing[1]]
    kinds = {c: columns.get(c, "text") for c in header}
    where = {c: i for i, c in enumerate(header)}
    index: dict[tuple[str, ...], int] = {}
    for number, row in enumerate(rows):
        ident = tuple(_normal(kinds[c], row[where[c]]) if c in where else "" for c in identity)
        index.setdefault(ident, number)
    merged = Merged(header, rows, ending=existing[2])
    covered: set[int] = set()
    for record in records:
        new = {c: cell_text(record, c) for c in given}
        new[SOURCE_COLUMN] = f"{source} {'+'.join(record.cells)}".strip()
        ident = tuple(_normal(kinds[c], new.get(c, "")) for c in identity)
        found = index.get(ident)
        if found is None:
            rows.append([new.get(c, "") for c in header])
            merged.added.append(record.label)
            continue
        covered.add(found)
        row = rows[found]
        differences = [
            f"{c} {row[where[c]].strip() or '(empty)'} -> {new[c] or '(empty)'}"
            for c in given
            if c not in identity and _normal(kinds[c], row[where[c]]) != _normal(kinds[c], new[c])
        ]
        for column, text in new.items():
            row[where[column]] = text
        if differences:
            merged.changed.append(f"{record.label}: {', '.join(differences)}")
        else:
            merged.unchanged += 1
    merged.kept = len(existing[1]) - len(covered)
    return merged
