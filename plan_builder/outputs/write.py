"""Write output files atomically, so a failed or killed build never leaves half a document.

Each file is written to a temporary name in the output folder and renamed into
place only when complete; the previous version stays intact until then.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import IO

from plan_builder.errors import OutputError


def slug(text: str) -> str:
    """'Calderbrook Youth Justice Service' -> 'calderbrook-youth-justice-service'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "plan"


def word_has_open(path: Path) -> bool:
    """True if Word's lock file for `path` is present (Word shortens long names to ~$ + tail)."""
    candidates = {path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])}
    return any(candidate.exists() for candidate in candidates)


def write_atomic(path: Path, writer: Callable[[IO[bytes]], object]) -> Path:
    """Call `writer` with a temporary file beside `path`, then rename it into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot create the output folder ({exc.strerror})") from exc
    if word_has_open(path):
        raise OutputError(
            f"{path}: the document is open in Word (lock file '~$...' beside it); close it and build again"
        )
    # Not a `with` block: the file must outlive the handle, to be renamed into place or removed.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial", delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            writer(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile is private (0600); give the document the usual mode for new files.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
