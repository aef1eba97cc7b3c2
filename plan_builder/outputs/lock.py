"""One writer at a time per output folder: `output_lock(folder)`.

Builds into the same folder (two terminals, `watch` and a manual build, a script) would
otherwise interleave their renames and leave a document beside another build's manifest,
or pick the same history file name. The lock is an advisory `flock` on the folder itself, so
it leaves no file behind and the system releases it when a process ends, however it ends
(a killed build never leaves a stale lock). Where a folder cannot be locked (some network
drives), a `.plan-builder.lock` file in it is locked instead.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from plan_builder.errors import OutputError
from plan_builder.outputs.write import ensure_folder, folder_problem

LOCK_FILE = ".plan-builder.lock"
WAIT_SECONDS = 600.0
"""How long a build waits for another build writing into the same folder (a PDF build can take minutes)."""
POLL_SECONDS = 0.05

_held: dict[Path, int] = {}
"""Folders this process holds the lock of, with how many `output_lock` blocks hold it (re-entrant)."""


@contextlib.contextmanager
def output_lock(
    folder: Path, *, wait: float = WAIT_SECONDS, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the output folder's lock for the block, waiting up to `wait` seconds for another writer.

    Creates the folder if needed. `on_wait` is called once with a line to show when the build
    has to wait. Raises `OutputError` if the folder cannot be written or the wait runs out.
    """
    ensure_folder(folder)
    key = folder.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    handle = _open_lockable(folder)
    try:
        _acquire(handle, folder, wait, on_wait)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(handle)  # closing releases the lock


def _open_lockable(folder: Path) -> int:
    """A descriptor to lock: the folder itself, or its lock file where folders cannot be locked."""
    handle = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(handle, fcntl.LOCK_UN)
        return handle
    except BlockingIOError:
        return handle  # someone holds it: the folder is lockable
    except OSError:
        os.close(handle)
    try:
        return os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise folder_problem(folder, exc) from exc


def _acquire(handle: int, folder: Path, wait: float, on_wait: Callable[[str], None] | None) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise folder_problem(folder, exc) from exc
        if time.monotonic() >= deadline:
            raise OutputError(
                f"{folder}: another plan-builder build is still writing into this folder after {wait:g} s; "
                "wait for it to finish and build again, or build into another folder with --output DIR"
            )
        if not told and on_wait is not None:
            on_wait(f"Waiting for another build that is writing into {folder} to finish...")
            told = True
        time.sleep(POLL_SECONDS)
