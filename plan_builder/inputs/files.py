"""Reading a plan's input files: regular files only.

A named pipe, a device or a socket in the plan folder (left there by mistake, or put there to
make a build hang) would block a read forever or return endless data. They are refused by
type, and the open itself never waits: `read_input` opens without blocking, checks that it
has a regular file, and only then reads.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFileError(OSError):
    """The path names something other than a regular file; `strerror` says what it is."""


def _kind(mode: int) -> str:
    return next((name for test, name in KINDS if test(mode)), "not a regular file")


def special_file_problem(path: Path) -> str | None:
    """'is a named pipe, not a file; ...' if `path` exists but is not a regular file; None otherwise.

    For the checks that say "not found" for a missing file: without this a pipe would be
    reported as missing, which is not what the author sees in the folder.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    return f"is {_kind(mode)}, not a file; put the file itself there"


def read_input(path: Path) -> bytes:
    """The bytes of the regular file `path`; `NotRegularFileError` for anything else, without waiting."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(errno.EINVAL, f"it is {_kind(mode)}, not a file", str(path))
        os.set_blocking(handle, True)
        with os.fdopen(os.dup(handle), "rb") as stream:
            return stream.read()
    finally:
        os.close(handle)


def read_input_text(path: Path) -> str:
    """The UTF-8 text of the regular file `path`, with Windows and old Mac line ends read as newlines."""
    text = read_input(path).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
