"""Write the example plan's published-style table, data/sources/fte-by-area.xlsx, from its own data.

The table is laid out as the Youth Justice Statistics supplementary tables are: a contents
sheet first, then the table with three header rows (a title, a subtitle, the column labels),
one row per area, one column per year ending December, footnote markers in labels, and
notes under the table. It holds the example's own first time entrants (from
data/first-time-entrants.csv), so that

    plan-builder data import data/sources/fte-by-area.xlsx --as fte

gives back data/first-time-entrants.csv: the README's walk-through from a published table to a
built plan. Run from the repository root with the development tools installed (make setup):

    .venv/bin/python docs/examples/make_source_tables.py
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
AREAS = {  # area -> a code, as published tables carry (fictional, like the service)
    "Calderbrook": "E08000999",
    "YJS family": "-",
    "Yorkshire and the Humber": "E12000003",
    "West Pennine": "E23000999",
    "England and Wales": "K04000001",
}
YEARS = range(2019, 2025)


def counts(path: Path) -> dict[tuple[str, int], int]:
    """First time entrants by (area, year) from the example's long-format file."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {(row["area"], int(row["period_start"][:4])): int(row["fte_count"]) for row in csv.DictReader(handle)}


def rows(data: dict[tuple[str, int], int]) -> list[list[object]]:
    """The table's cells, row by row."""
    labels = [str(year) + ("(3)" if year == 2020 else "") for year in YEARS]
    table: list[list[object]] = [
        ["Table 2.1: First time entrants(1) to the youth justice system by area, years ending December 2019 to 2024"],
        ["Number of children; the areas the Calderbrook plan compares(2)"],
        ["Area", "Area code", *labels],
    ]
    table += [[area, code, *(data[(area, year)] for year in YEARS)] for area, code in AREAS.items()]
    table += [
        [],
        ["(1) Children receiving their first youth caution, youth conditional caution or court conviction."],
        [
            "(2) Calderbrook, its YJS family, the Yorkshire and the Humber region, the West Pennine police force area "
            "and England and Wales. All figures are fictional."
        ],
        ["(3) Court hearings were delayed in 2020; fewer children were sentenced."],
        ["Source: Calderbrook Youth Justice Service, example of a published supplementary table."],
    ]
    return table


def write(path: Path, table: list[list[object]]) -> None:
    """The workbook: a contents sheet, then the table."""
    workbook = openpyxl.Workbook()
    contents = workbook.active
    contents.title = "Contents"
    contents.append(["Example tables for the Calderbrook Youth Justice Plan"])
    contents.append(["Table 2.1", "First time entrants by area, years ending December"])
    sheet = workbook.create_sheet("Table 2.1")
    for number, row in enumerate(table, start=1):
        for column, value in enumerate(row, start=1):
            sheet.cell(number, column, value)
    workbook.properties.created = workbook.properties.modified = dt.datetime(2025, 1, 30)
    workbook.save(path)


def main(argv: list[str]) -> int:
    """Write the table (to the path given, or into data/sources/)."""
    target = Path(argv[1]) if len(argv) > 1 else ROOT / "data" / "sources" / "fte-by-area.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    write(target, rows(counts(ROOT / "data" / "first-time-entrants.csv")))
    print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
