"""Open a .docx in headless LibreOffice, refresh its contents and fields, report pages, export PDF.

Run with the system Python that has LibreOffice's `uno` module (Debian: python3-uno):

    python3 refresh.py INPUT.docx OUTPUT.pdf BOOKMARK [BOOKMARK ...]

Prints one JSON object: {"pages": {bookmark: page}, "page_count": N}. Each run uses a
private LibreOffice profile and pipe, so it neither needs nor disturbs a running office.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def _prop(name, value):
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _connect(pipe, process):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("LibreOffice did not start") from None
            time.sleep(0.2)


def main(source, pdf, bookmarks):
    profile = tempfile.mkdtemp(prefix="plan-builder-lo-")
    pipe = f"planbuilder{os.getpid()}"
    process = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        context = _connect(pipe, process)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (_prop("Hidden", True),))
        if document is None:
            raise SystemExit(f"LibreOffice could not open {source}")
        indexes = document.getDocumentIndexes()
        for index in range(indexes.getCount()):
            indexes.getByIndex(index).update()
        document.getTextFields().refresh()
        controller = document.getCurrentController()
        cursor = controller.getViewCursor()
        marks = document.getBookmarks()
        pages = {}
        for name in bookmarks:
            if marks.hasByName(name):
                cursor.gotoRange(marks.getByName(name).getAnchor().getStart(), False)
                pages[name] = cursor.getPage()
        cursor.jumpToLastPage()
        page_count = cursor.getPage()
        filter_data = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            tuple([_prop("UseTaggedPDF", True), _prop("ExportBookmarks", True), _prop("PDFUACompliance", False)]),
        )
        document.storeToURL(
            uno.systemPathToFileUrl(pdf),
            (_prop("FilterName", "writer_pdf_Export"), _prop("FilterData", filter_data)),
        )
        document.close(True)
        print(json.dumps({"pages": pages, "page_count": page_count}))
    finally:
        if desktop is not None:
            try:
                desktop.terminate()
            except Exception:  # noqa: BLE001 - the office may already be gone
                pass
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
