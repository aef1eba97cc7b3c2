"""The example plan as a reader sees it: converted to PDF by LibreOffice, read back with poppler.

This checks what python-docx cannot: that the document lays out (cover, contents
page, page count) and that the footer fields really show 'Page X of Y'. The
conversion runs once per module.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BuiltPlan

SOFFICE = shutil.which("soffice")
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        SOFFICE is None, reason="LibreOffice (soffice) is not installed; apt-get install libreoffice-writer-nogui"
    ),
    pytest.mark.skipif(
        not POPPLER, reason="poppler (pdfinfo, pdftotext) is not installed; apt-get install poppler-utils"
    ),
]


def run(args: list[str], *, timeout: int = 60) -> str:
    completed = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
    assert completed.returncode == 0, f"{args[0]} failed ({completed.returncode}): {completed.stderr}"
    return completed.stdout


def page_text(pdf: Path, page: int) -> str:
    """The text of one page with whitespace collapsed (titles wrap across lines)."""
    return " ".join(run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"]).split())


@pytest.fixture(scope="module")
def example_pdf(example_build: BuiltPlan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plan converted to PDF by headless LibreOffice."""
    outdir = tmp_path_factory.mktemp("pdf")
    # A private LibreOffice profile: no clash with a running office or a parallel test run.
    profile = tmp_path_factory.mktemp("lo-profile")
    run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(example_build.result.path),
        ],
        timeout=300,
    )
    pdf = outdir / example_build.result.path.with_suffix(".pdf").name
    assert pdf.is_file(), f"LibreOffice wrote no PDF; folder holds {sorted(p.name for p in outdir.iterdir())}"
    return pdf


def page_count(pdf: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)$", run(["pdfinfo", str(pdf)]), re.MULTILINE)
    assert match, "pdfinfo printed no page count"
    return int(match[1])


def test_plan_has_at_least_25_pages(example_pdf: Path):
    assert page_count(example_pdf) >= 25


def test_page_1_is_the_cover(example_pdf: Path):
    text = page_text(example_pdf, 1)
    assert "Calderbrook Youth Justice Service" in text
    assert "Youth Justice Plan 2025-26" in text
    assert "Draft version 0.3" in text
    assert "Page 1 of" not in text  # the cover has no footer


def test_page_2_is_the_contents(example_pdf: Path):
    text = page_text(example_pdf, 2)
    assert "Contents" in text
    assert "3. Child First" in text


def test_footer_numbers_page_5_of_all(example_pdf: Path):
    pages = page_count(example_pdf)
    assert f"Page 5 of {pages}" in page_text(example_pdf, 5)
