"""Content digests: one way to say "this is the same as last time", for caches and manifests."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from plan_builder.inputs.files import read_input


def data_digest(*parts: Any) -> str:
    """SHA-256 of the parts' repr: plain data (dataclasses, dicts, lists, numbers) hash the same in every run."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file, or '' if it cannot be read (the stage that needs the file reports the problem)."""
    try:
        return hashlib.sha256(read_input(path)).hexdigest()
    except OSError:  # also a named pipe or a device, which must not be read
        return ""
