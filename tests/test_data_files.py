"""Data files that cannot be read as they are: each message names the file (and sheet or cell) and the fix.

Before: a damaged .xlsx said "sheet None not found (Excel file format cannot be determined...)", a
password-protected one mentioned "Import python-calamine failed", formulas without saved results
failed later in a section ("'>' not supported between instances of 'NoneType' and 'int'"), and a
UTF-16 or semicolon-separated CSV only said "missing column(s)".
"""

from __future__ import annotations

import codecs
import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from plan_builder.errors import DataError
from plan_builder.inputs.data import load_dataset

FTE_COLUMNS = ["period_start", "period_end", "area", "fte_count", "population_10_17"]
FTE_CSV = ",".join(FTE_COLUMNS) + "\n2024-01-01,2024-12-31,Testford,5,100\n"
SAVE_AS = "save it again as UTF-8: in Excel, File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"


def load_error(path: Path, sheet: str | None = None) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_dataset("fte", path, Path("data") / path.name, sheet)
    return caught.value.problems


def compound_file(*streams: str) -> bytes:
    """A minimal OLE2 compound file holding empty streams: how .xls files and password-protected .xlsx files are stored."""
    free, end, fat = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *([free] * 108))
    fat_sector = struct.pack("<128I", fat, end, *([free] * 126))

    def entry(name: str, kind: int, right: int, child: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, free, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", end, 0)
        )

    entries = [entry("Root Entry", 5, free, 1)]
    entries += [
        entry(name, 2, index + 2 if index + 1 < len(streams) else free, free) for index, name in enumerate(streams)
    ]
    directory = b"".join(entries).ljust(512, b"\0")
    return header + fat_sector + directory


def workbook(rows: list[list[object]], title: str = "FTE") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_damaged_workbook(tmp_path):
    path = tmp_path / "performance.xlsx"
    path.write_bytes(b"\x00\x01 this is not a workbook at all")

    assert load_error(path, "FTE") == [
        "data/performance.xlsx: not an Excel workbook (the file is damaged, or another kind of file renamed .xlsx); "
        "open it in Excel and save it as 'Excel Workbook (*.xlsx)', or export the sheet as CSV UTF-8"
    ]


def test_a_workbook_cut_short(tmp_path):
    path = tmp_path / "performance.xlsx"
    data = workbook([FTE_COLUMNS])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:  # a zip, but with the workbook's parts missing
        damaged.writestr("[Content_Types].xml", zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml"))
    path.write_bytes(buffer.getvalue())

    (problem,) = load_error(path, "FTE")
    assert problem.startswith("data/performance.xlsx: the Excel workbook is damaged and cannot be read (")
    assert problem.endswith("); open it in Excel or LibreOffice and save it again, or export the sheet as CSV UTF-8")


def test_a_password_protected_workbook(tmp_path):
    path = tmp_path / "performance.xlsx"
    path.write_bytes(compound_file("EncryptionInfo", "EncryptedPackage"))

    assert load_error(path, "FTE") == [
        "data/performance.xlsx: the workbook is protected with a password, so it cannot be read; open it in Excel, "
        "remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it) and save, or export "
        "the sheet as CSV UTF-8"
    ]


def test_an_old_xls_workbook_with_an_xlsx_name(tmp_path):
    path = tmp_path / "performance.xlsx"
    path.write_bytes(compound_file("Workbook"))

    assert load_error(path, "FTE") == [
        "data/performance.xlsx: the file is an Excel 97-2003 workbook (.xls) with an .xlsx name; open it in Excel "
        "and save it as 'Excel Workbook (*.xlsx)', or export the sheet as CSV UTF-8"
    ]


def test_a_sheet_that_is_not_there_names_the_sheets_that_are(tmp_path):
    path = tmp_path / "performance.xlsx"
    path.write_bytes(workbook([FTE_COLUMNS], title="First time entrants"))

    assert load_error(path, "FTE") == ["data/performance.xlsx: no sheet 'FTE'; the sheets are: 'First time entrants'"]


def test_formulas_whose_results_were_never_saved_name_the_cell(tmp_path):
    path = tmp_path / "performance.xlsx"
    path.write_bytes(
        workbook(
            [
                FTE_COLUMNS,
                ["2024-01-01", "2024-12-31", "Testford", 5, 31500],
                ["2023-01-01", "2023-12-31", "Testford", "=D2*2", "=E2"],
            ]
        )
    )

    assert load_error(path, "FTE") == [
        "data/performance.xlsx [FTE] row 3, column 'fte_count' (cell D3): '=D2*2' is a formula whose result was never saved; "
        "open the workbook in Excel or LibreOffice and save it again, so the results are stored",
        "data/performance.xlsx [FTE] row 3, column 'population_10_17' (cell E3): '=E2' is a formula whose result was never "
        "saved; open the workbook in Excel or LibreOffice and save it again, so the results are stored",
    ]


def test_an_empty_cell_without_a_formula_is_still_an_empty_count(tmp_path):
    path = tmp_path / "performance.xlsx"
    path.write_bytes(workbook([FTE_COLUMNS, ["2024-01-01", "2024-12-31", "Testford", None, "=1+1"]]))

    with pytest.raises(DataError) as caught:
        load_dataset("fte", path, Path("data/performance.xlsx"), "FTE")
    empty, formula = caught.value.problems
    assert empty.startswith("data/performance.xlsx [FTE] row 2, column 'fte_count' (cell D2): '' is empty; ")
    assert formula.startswith(
        "data/performance.xlsx [FTE] row 2, column 'population_10_17' (cell E2): '=1+1' is a formula"
    )


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF16_LE + FTE_CSV.encode("utf-16-le"),
        FTE_CSV.encode("utf-16-le"),
        FTE_CSV.encode("utf-16-be"),
    ],
    ids=["with a byte order mark", "little-endian without one", "big-endian without one"],
)
def test_a_csv_saved_as_utf16(tmp_path, encoded: bytes):
    path = tmp_path / "fte.csv"
    path.write_bytes(encoded)

    assert load_error(path) == [f"data/fte.csv: the file is saved as UTF-16 ('Unicode text'), not UTF-8; {SAVE_AS}"]


def test_a_csv_saved_as_windows_1252(tmp_path):
    path = tmp_path / "fte.csv"
    path.write_bytes((FTE_CSV + "2023-01-01,2023-12-31,Ynys Môn,5,100\n").encode("cp1252"))

    assert load_error(path) == [
        "data/fte.csv:3: not UTF-8 text (byte 0xF4; the file was probably saved as Windows-1252 or 'ANSI'); " + SAVE_AS
    ]


@pytest.mark.parametrize(("separator", "shown"), [(";", "';'"), ("\t", "tabs"), ("|", "'|'")])
def test_a_csv_with_another_separator(tmp_path, separator: str, shown: str):
    path = tmp_path / "fte.csv"
    path.write_text(FTE_CSV.replace(",", separator), encoding="utf-8")

    assert load_error(path) == [
        "data/fte.csv: missing column(s) period_start, period_end, area, fte_count; expected "
        "columns: period_start, period_end, area, fte_count, population_10_17 (the columns are separated by "
        f"{shown}, not commas; {SAVE_AS})"
    ]


def test_a_formula_whose_saved_result_is_empty_text_is_an_empty_cell(tmp_path):
    # Excel stores =IF(D2>0,"","n") with its result as text: <c t="str"><f>...</f><v></v></c>.
    data = workbook([FTE_COLUMNS, ["2024-01-01", "2024-12-31", "Testford", 5, '=IF(D2>0,"","n")']])
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as saved:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<c r="E2">', b'<c r="E2" t="str">').replace(b"</f></c>", b"</f><v></v></c>")
            saved.writestr(item, content)
    path = tmp_path / "performance.xlsx"
    path.write_bytes(buffer.getvalue())

    (record,) = load_dataset("fte", path, Path("data/performance.xlsx"), "FTE").records
    assert record.values["fte_count"] == 5 and record.values["population_10_17"] is None


def test_a_byte_that_is_not_utf8_after_excels_byte_order_mark_is_found_on_its_line(tmp_path):
    path = tmp_path / "fte.csv"
    path.write_bytes(codecs.BOM_UTF8 + (FTE_CSV + "2023-01-01,2023-12-31,Ynys Môn,5,100\n").encode("cp1252"))

    assert load_error(path) == [
        "data/fte.csv:3: not UTF-8 text (byte 0xF4; the file was probably saved as Windows-1252 or 'ANSI'); " + SAVE_AS
    ]
