"""Write small spreadsheets for the tests, in each format plan-builder reads, from rows of Python values.

Fixtures are built by the tests themselves, never committed as opaque files: .csv with the
csv module, .xlsx and .xlsm with openpyxl, .ods by hand (a zip of three XML files, which is
all an OpenDocument spreadsheet needs), and .xls by LibreOffice converting the .xlsx (no
maintained Python library writes the old binary format; those tests skip without it).
A row is a list of cells: None for an empty cell, numbers, text, or dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

Rows = list[list[object]]


def write_csv(path: Path, rows: Rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["" if cell is None else cell for cell in row] for row in rows])
    return path


def write_xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(number, column, value)
    workbook.save(path)
    return path


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, bool):
        raise TypeError("no booleans in these fixtures")
    if isinstance(value, int | float):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: dict[str, Rows]) -> Path:
    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {namespaces} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # first and stored, as ODF asks
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _unavailable(why: str) -> None:
    """Skip a test that needs LibreOffice Calc, or fail it where CI requires LibreOffice."""
    if os.environ.get("PLAN_BUILDER_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(why)
    pytest.skip(why)


def write_xls(path: Path, sheets: dict[str, Rows]) -> Path:
    """An Excel 97-2003 workbook, converted from .xlsx by LibreOffice Calc; skips the test without it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        _unavailable("LibreOffice (soffice) is not installed")
    source = write_xlsx(path.with_suffix(".xlsx"), sheets)
    result = subprocess.run(
        [soffice, "--headless", "--convert-to", "xls", "--outdir", str(path.parent), str(source)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    converted = source.with_suffix(".xls")
    if not converted.is_file():
        _unavailable(f"LibreOffice Calc could not convert to .xls (libreoffice-calc-nogui missing?): {result.stderr}")
    source.unlink()
    if converted != path:
        converted.rename(path)
    return path


WRITERS = {".csv": None, ".xlsx": write_xlsx, ".xlsm": write_xlsx, ".ods": write_ods, ".xls": write_xls}


def write_table(path: Path, rows: Rows, sheet: str = "Data") -> Path:
    """One sheet of `rows` in the format `path`'s suffix names (CSV files have no sheet)."""
    if path.suffix == ".csv":
        return write_csv(path, rows)
    writer = WRITERS[path.suffix]
    assert writer is not None
    if path.suffix == ".xlsm":  # openpyxl writes the same package; calamine reads either name
        written = writer(path.with_suffix(".xlsx"), {sheet: rows})
        written.rename(path)
        return path
    return writer(path, {sheet: rows})
