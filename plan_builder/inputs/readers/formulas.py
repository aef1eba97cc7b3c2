"""Formulas an .xlsx workbook holds without their results.

A workbook written by a program (a script, an export) can hold formulas that were never
calculated: Excel and LibreOffice store each formula's last result beside it, a program may
not. calamine then reads an empty cell. This finds those cells, so a message can name the
formula and say how to fix it instead of calling a computed count "empty". The sheet's XML is
searched only when it holds a formula at all.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from plan_builder.inputs.readers.cells import column_number

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def uncalculated_formulas(data: bytes, sheet: str) -> dict[tuple[int, int], str]:
    """(row, column) -> '=formula' for every formula cell of `sheet` with no stored result (both from 1)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            part = _sheet_part(package, sheet)
            xml = package.read(part) if part else b""
    except (zipfile.BadZipFile, KeyError, ValueError):  # lxml's XMLSyntaxError is a ValueError
        return {}
    if b"<f" not in xml and b":f" not in xml:
        return {}
    from lxml import etree

    found: dict[tuple[int, int], str] = {}
    for _, cell in etree.iterparse(io.BytesIO(xml), tag=f"{{{MAIN}}}c"):
        formula, value = cell.find(f"{{{MAIN}}}f"), cell.find(f"{{{MAIN}}}v")
        match = CELL_REF.match(cell.get("r", ""))
        # An empty result stored as text (t="str", e.g. =IF(D2>0,"","n")) is a result: only no value at all is not.
        text_result = cell.get("t") in ("str", "inlineStr") and value is not None
        if formula is not None and not text_result and (value is None or not (value.text or "").strip()) and match:
            found[(int(match[2]), column_number(match[1]))] = f"={formula.text or ''}"
        cell.clear()
    return found


def _sheet_part(package: zipfile.ZipFile, sheet: str) -> str | None:
    """The package part holding the sheet named `sheet` ('xl/worksheets/sheet1.xml')."""
    from lxml import etree

    workbook = etree.fromstring(package.read("xl/workbook.xml"))
    rels = etree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{RELS}}}Relationship")}
    for entry in workbook.iter(f"{{{MAIN}}}sheet"):
        if entry.get("name") == sheet:
            target = targets.get(entry.get(f"{{{OFFICE_RELS}}}id"), "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None
