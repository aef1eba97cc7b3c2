"""CSV files: UTF-8 text (with or without a byte-order mark), comma-separated, quoted as Excel writes them.

A file saved in another encoding (UTF-16 'Unicode text', Windows-1252 'ANSI') or with another
separator is named as such, with how to save it again, rather than read as nonsense.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

from plan_builder.errors import DataError

SAVE_AS_CSV_UTF8 = "save it again as UTF-8: in Excel, File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"


def read_csv(data: bytes, display: Path) -> list[list[Any]]:
    """Every row of the file as a list of cells (None for an empty cell).

    Cells stay text: a CSV file does not say which cells are numbers or dates.
    """
    try:
        rows = list(csv.reader(io.StringIO(decode_csv(data, display), newline="")))
    except csv.Error as exc:
        raise DataError(f"{display}: not a readable CSV file ({exc})") from exc
    return [[cell if cell.strip() else None for cell in row] for row in rows]


def decode_csv(data: bytes, display: Path) -> str:
    """The file's text; another encoding is named, with how to save the file as UTF-8."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise DataError(f"{display}: the file is saved as UTF-32 text, not UTF-8; {SAVE_AS_CSV_UTF8}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        # UTF-16 ("Unicode text" in Excel) puts a zero byte beside every letter of plain English text.
        raise DataError(f"{display}: the file is saved as UTF-16 ('Unicode text'), not UTF-8; {SAVE_AS_CSV_UTF8}")
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0  # Excel's "CSV UTF-8" starts with one
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        line = data.count(b"\n", 0, at) + 1
        raise DataError(
            f"{display}:{line}: not UTF-8 text (byte 0x{data[at]:02X}; the file was probably saved as "
            f"Windows-1252 or 'ANSI'); {SAVE_AS_CSV_UTF8}"
        ) from exc


def separator_hint(header: list[str]) -> str:
    """When the header is one column holding ';', a tab or '|': the file uses another separator than commas."""
    if len(header) != 1:
        return ""
    found = next((sep for sep in (";", "\t", "|") if sep in header[0]), None)
    if found is None:
        return ""
    shown = "tabs" if found == "\t" else f"'{found}'"
    return f" (the columns are separated by {shown}, not commas; {SAVE_AS_CSV_UTF8})"
