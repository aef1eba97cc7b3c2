"""Data files in every format plan-builder reads (.csv, .xlsx, .xlsm, .ods, .xls), with a sheet, a header row
other than the first and a cell range; the cells marked missing on purpose; the messages when a file cannot be read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import PLAN_YAML, plan_yaml
from tables import write_table, write_xlsx

from plan_builder.errors import ConfigError, DataError
from plan_builder.inputs.config import load_plan
from plan_builder.inputs.data import load_dataset
from plan_builder.inputs.markers import missing_marker, strip_footnotes
from plan_builder.inputs.readers import CellRange, read_table

FORMATS = [
    ".csv",
    ".xlsx",
    ".xlsm",
    ".ods",
    pytest.param(".xls", marks=[pytest.mark.libreoffice, pytest.mark.slow]),
]


def long_rows(suffix: str) -> list[list[object]]:
    """A long-format FTE table under two title rows, with notes beneath it (outside the range)."""
    day = (lambda text: text) if suffix == ".csv" else dt.date.fromisoformat
    return [
        ["First time entrants, Testford (a title)"],
        [],
        ["period_start", "period_end", "area", "fte_count", "population_10_17"],
        [day("2023-01-01"), day("2023-12-31"), "Testford", 52, 31200],
        [day("2024-01-01"), day("2024-12-31"), "Testford", "[c]", 31500],
        [],
        ["Note: 2024 is suppressed"],
    ]


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_with_a_header_row_and_a_range(tmp_path, suffix):
    path = write_table(tmp_path / f"fte{suffix}", long_rows(suffix))
    sheet = None if suffix == ".csv" else "Data"
    dataset = load_dataset("fte", path, Path(path.name), sheet, header_row=3, cell_range="A3:E5")
    first, second = dataset.records
    assert first.values == {
        "period_start": dt.date(2023, 1, 1),
        "period_end": dt.date(2023, 12, 31),
        "area": "Testford",
        "fte_count": 52,
        "population_10_17": 31200,
    }
    assert second["fte_count"] is None
    assert second.missing == {"fte_count": "suppressed in the source ('[c]')"}
    where = f"fte{suffix}" if suffix == ".csv" else f"fte{suffix} [Data]"
    assert (first.source, second.source) == (f"{where} row 4", f"{where} row 5")


@pytest.mark.parametrize("suffix", [".csv", ".ods"])
def test_a_bad_cell_is_named_by_its_sheet_row_and_column(tmp_path, suffix):
    rows = long_rows(suffix)
    rows[3][3] = "lots"
    path = write_table(tmp_path / f"fte{suffix}", rows)
    sheet = None if suffix == ".csv" else "Data"
    with pytest.raises(DataError) as caught:
        load_dataset("fte", path, Path(path.name), sheet, header_row=3, cell_range="A3:E5")
    where = f"fte{suffix}" if suffix == ".csv" else f"fte{suffix} [Data]"
    cell = "" if suffix == ".csv" else " (cell D4)"
    assert str(caught.value) == (
        f"{where} row 4, column 'fte_count'{cell}: 'lots' is not a number; write the number, or '..' if it is not "
        "available ('[c]' if suppressed)"
    )


def test_without_the_range_the_notes_under_the_table_are_rows_too(tmp_path):
    path = write_table(tmp_path / "fte.xlsx", long_rows(".xlsx"))
    with pytest.raises(DataError) as caught:
        load_dataset("fte", path, Path("fte.xlsx"), "Data", header_row=3)
    assert str(caught.value).splitlines() == [
        "fte.xlsx [Data] row 7, column 'period_start' (cell A7): 'Note: 2024 is suppressed' is not a date "
        "(expected YYYY-MM-DD)",
        "fte.xlsx [Data] row 7, column 'period_end' (cell B7): '' is empty",
        "fte.xlsx [Data] row 7, column 'area' (cell C7): '' is empty",
        "fte.xlsx [Data] row 7, column 'fte_count' (cell D7): '' is empty; write the number, or '..' if it is not "
        "available ('[c]' if suppressed)",
    ]


def test_sheets_by_name_and_number_and_the_messages_when_they_are_not_there(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {"Cover": [["About"]], "Notes": [["n"]], "Outcome_Table": [["x", 1]]})
    assert read_table(path, Path("book.xlsx"), 3).rows == [["x", 1.0]]
    assert read_table(path, Path("book.xlsx")).where == "book.xlsx [Cover]"
    with pytest.raises(DataError) as caught:
        read_table(path, Path("book.xlsx"), "Outcomes")
    assert str(caught.value) == "book.xlsx: no sheet 'Outcomes'; the sheets are: 'Cover', 'Notes', 'Outcome_Table'"
    with pytest.raises(DataError) as caught:
        read_table(path, Path("book.xlsx"), 4)
    assert str(caught.value) == "book.xlsx: no sheet number 4; the workbook has 3: 'Cover', 'Notes', 'Outcome_Table'"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("fte.xlsx", b"not a zip", "fte.xlsx: not an Excel workbook (the file is damaged, or another kind of file"),
        ("fte.ods", b"not a zip", "fte.ods: the OpenDocument spreadsheet is damaged and cannot be read ("),
        ("fte.xls", b"not an OLE file", "fte.xls: the Excel 97-2003 workbook is damaged and cannot be read ("),
        ("fte.txt", b"a,b\n", "fte.txt: expected a .csv, .xlsx, .xlsm, .xls or .ods file"),
        ("fte.csv", b"\xff\xfeb\x00", "fte.csv: the file is saved as UTF-16 ('Unicode text'), not UTF-8; save it"),
        ("fte.csv", b"a,b\n1,\xe9\n", "fte.csv:2: not UTF-8 text (byte 0xE9; the file was probably saved as Windows"),
    ],
)
def test_files_that_cannot_be_read(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        read_table(path, Path(name))
    assert str(caught.value).startswith(message)


def test_a_csv_file_has_no_sheets(tmp_path):
    path = write_table(tmp_path / "fte.csv", [["a"]])
    with pytest.raises(DataError) as caught:
        read_table(path, Path("fte.csv"), "Data")
    assert str(caught.value) == "fte.csv: a CSV file has no sheets; remove 'sheet' (or use a workbook)"


def test_cell_ranges():
    assert CellRange.parse("B3:H40") == CellRange(3, 2, 40, 8)
    assert CellRange.parse("A3:H") == CellRange(3, 1, None, 8)
    assert CellRange.parse("AA10") == CellRange(10, 27)
    for bad, why in [("A3-H4", "is not a cell range"), ("H3:A4", "ends before it starts"), ("A0", "is not a cell")]:
        with pytest.raises(ValueError, match=why):
            CellRange.parse(bad)


def test_a_bad_range_in_plan_yaml_names_its_line(tmp_path):
    head = PLAN_YAML + "performance:\n  area: Testford\n  datasets:\n    fte: {file: data/fte.xlsx, range: A3-H4}\n"
    (tmp_path / "plan.yaml").write_text(plan_yaml(head))
    with pytest.raises(ConfigError) as caught:
        load_plan(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}/plan.yaml:18: performance.datasets.fte.range: 'A3-H4' is not a cell range; expected "
        "'A3:H40' (those cells), 'A3:H' (columns A to H from row 3 down) or 'B5' (from B5 to the end); got 'A3-H4'"
    )


@pytest.mark.parametrize(
    ("cell", "kind", "reason"),
    [
        ("*", "suppressed", "suppressed in the source"),
        ("c", "suppressed", "suppressed in the source"),
        ("[c]", "suppressed", "suppressed in the source"),
        ("x", "not available", "not available in the source"),
        ("..", "not available", "not available in the source"),
        ("[z]", "not applicable", "not applicable in the source"),
        ("(1)", "see note", "not given in the source: see note 1"),
        ("[note 3]", "see note", "not given in the source: see note 3"),
        ("(1)(2)", "see note", "not given in the source: see notes 1 and 2"),
    ],
)
def test_markers_for_a_number_the_source_does_not_give(cell, kind, reason):
    marker = missing_marker(cell)
    assert marker is not None
    assert (marker.kind, marker.reason) == (kind, reason)


@pytest.mark.parametrize("cell", ["0", "-", "", "45 (1)", "n/a", 0, None])
def test_what_is_not_a_marker(cell):
    assert missing_marker(cell) is None


def test_a_source_can_say_what_its_own_marker_means():
    marker = missing_marker("..", {"..": "not applicable"})
    assert marker is not None and marker.reason == "not applicable in the source"


def test_footnote_markers_are_removed_from_labels():
    assert strip_footnotes("Number of children in cohort(1)(2)") == "Number of children in cohort"
    assert strip_footnotes("2021 [note 4]") == "2021"
    assert strip_footnotes("Calder North\u00b3") == "Calder North"
    assert strip_footnotes("Bournemouth, Christchurch and Poole (BCP)") == "Bournemouth, Christchurch and Poole (BCP)"


@pytest.mark.libreoffice
@pytest.mark.slow
def test_spreadsheets_saved_by_libreoffice_keep_every_cell_in_its_column(tmp_path):
    """LibreOffice writes runs of empty cells as one repeated cell; python-calamine before 0.7 shifted what followed."""
    from tables import write_xls

    rows: list[list[object]] = [
        [],
        [None, "Title"],
        [],
        [None, "LA", "2019", 2020],
        [None, "Calderbrook", 84, "*", None, 1.5],
    ]
    xls = write_xls(tmp_path / "t.xls", {"T": rows})  # skips without LibreOffice Calc
    import subprocess

    subprocess.run(
        ["soffice", "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(xls)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    for path in (xls, tmp_path / "t.ods"):
        table = read_table(path, Path(path.name), "T")
        assert table.cell(4, 2) == "LA"
        assert [table.cell(5, c) for c in range(2, 7)] == ["Calderbrook", 84, "*", None, 1.5]
