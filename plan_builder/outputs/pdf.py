"""PDF through headless LibreOffice, with the contents page and fields refreshed first.

`soffice --convert-to pdf` alone would print the contents exactly as stored in the
.docx. Instead a small script runs inside LibreOffice's own Python (python3-uno):
it updates the contents index and fields, reports on which page each heading
landed, and exports a tagged PDF. Those page numbers are then written into the
.docx's contents too, so a Word user sees them even before Word refreshes fields.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from plan_builder.errors import OutputError
from plan_builder.outputs.reaper import Reaper, end_group

INSTALL_HINT = "install it with: sudo apt-get install libreoffice-writer-nogui python3-uno"
PYTHON_CANDIDATES = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python", "/opt/libreoffice/program/python")
TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Refreshed:
    """What LibreOffice reported: the page of each heading bookmark, and the page count."""

    pages: dict[str, int]
    page_count: int


def find_office_python() -> str:
    """Return a Python that can import LibreOffice's `uno` module, or explain how to get one."""
    if shutil.which("soffice") is None:
        raise OutputError(f"--pdf needs LibreOffice, which was not found; {INSTALL_HINT}")
    for candidate in PYTHON_CANDIDATES:
        if Path(candidate).exists():
            probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True, check=False)
            if probe.returncode == 0:
                return candidate
    raise OutputError(f"--pdf needs LibreOffice's Python bridge (python3-uno), which was not found; {INSTALL_HINT}")


@dataclass(frozen=True)
class Scratch:
    """The PDF stage's scratch folder and the watchdog that cleans up after it."""

    folder: Path
    reaper: Reaper


@contextmanager
def pdf_scratch(folder: Path) -> Iterator[Scratch]:
    """Create the scratch folder `folder` and its watchdog; remove both when the block ends.

    The folder is named like a staged file (`.<name>.<token>.partial`) inside the output
    folder, so even if the build and its watchdog were both killed, the next build removes it.
    """
    folder.mkdir()
    reaper = Reaper(folder)
    try:
        yield Scratch(folder, reaper)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        reaper.close()


def refresh_and_export(docx: Path, pdf: Path, bookmarks: list[str], scratch: Scratch) -> Refreshed:
    """Refresh contents and fields of `docx` in LibreOffice and export it to `pdf`."""
    python = find_office_python()
    script = resources.files("plan_builder.outputs") / "uno" / "refresh.py"
    with resources.as_file(script) as script_path:
        process = subprocess.Popen(
            [python, str(script_path), str(docx.resolve()), str(pdf.resolve()), *bookmarks],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "TMPDIR": str(scratch.folder.resolve())},  # LibreOffice's profile and temporary files
            start_new_session=True,  # one process group: LibreOffice and its helpers end together
            preexec_fn=scratch.reaper.announce_self,  # noqa: PLW1509 - no threads run during the PDF stage
        )
        try:
            out, err = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise OutputError(f"{pdf}: LibreOffice did not finish within {TIMEOUT_SECONDS} s") from exc
        finally:
            end_group(process.pid)
            process.wait()
    if process.returncode != 0 or not pdf.exists():
        detail = (err or out).strip().splitlines()
        raise OutputError(f"{pdf}: LibreOffice could not make the PDF ({detail[-1] if detail else 'no message'})")
    report = json.loads(out.strip().splitlines()[-1])
    return Refreshed(pages={k: int(v) for k, v in report["pages"].items()}, page_count=int(report["page_count"]))


def combine_pdfs(parts: list[Path], target: Path) -> None:
    """Join PDFs in order into `target` (poppler's pdfunite)."""
    tool = shutil.which("pdfunite")
    if tool is None:
        raise OutputError(f"{target}: a board pack needs pdfunite; install it with: sudo apt-get install poppler-utils")
    completed = subprocess.run([tool, *map(str, parts), str(target)], capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise OutputError(f"{target}: could not combine the PDFs ({completed.stderr.strip() or 'no message'})")
