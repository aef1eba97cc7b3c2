"""Validate a built document as Word would: openxml-audit's schema checks and its Word repair prediction."""

from __future__ import annotations

from pathlib import Path

from openxml_audit import OpenXmlValidator, predict
from openxml_audit.errors import FileFormat


def word_verdict(path: Path) -> tuple[str, list[str]]:
    """('opens-clean', []) for a document Word opens without repair; else the prediction and every finding."""
    result = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=0).validate(path)
    findings = [f"{getattr(e, 'part', '')} {getattr(e, 'path', '')}: {e.description}" for e in result.errors]
    return predict(result).prediction.value, findings
