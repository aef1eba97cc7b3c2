"""Accept (or reject) every tracked change in a .docx with LibreOffice and save what remains as plain text.

Run with the system Python that has LibreOffice's `uno` module (Debian: python3-uno):

    python3 uno_accept_all.py Accept|Reject TRACKED.docx RESULT.txt OTHER.docx OTHER.txt

OTHER (the new document for Accept, the old one for Reject) is saved as text by the same
office, so the two texts can be compared: a real editor's "Accept all" must give exactly the
new document. Kept free of plan-builder imports.
"""

import contextlib
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


def _save_text(desktop, smgr, context, source, target, action):
    url = uno.systemPathToFileUrl(os.path.abspath(source))
    document = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
    if action:
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        frame = document.getCurrentController().getFrame()
        dispatcher.executeDispatch(frame, f".uno:{action}AllTrackedChanges", "", 0, ())
    out = uno.systemPathToFileUrl(os.path.abspath(target))
    document.storeToURL(out, (_prop("FilterName", "Text (encoded)"), _prop("FilterOptions", "UTF8,LF")))
    document.close(True)


def main(action, tracked, result, other, other_text):
    profile = tempfile.mkdtemp(prefix="plan-builder-lo-")
    pipe = f"planbuilderaccept{os.getpid()}"
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
    try:
        context = _connect(pipe, process)
        smgr = context.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        _save_text(desktop, smgr, context, tracked, result, action)
        _save_text(desktop, smgr, context, other, other_text, "")
        with contextlib.suppress(Exception):  # the office may already be going
            desktop.terminate()
    finally:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
