"""Clean up after the PDF stage even when the build is killed: `Reaper` and its watchdog process.

The PDF stage runs LibreOffice in its own process group and works in a scratch folder. When
the build ends normally it stops them itself; when it is killed (kill -9, a closed terminal)
it cannot. So the stage first starts this module as a small watchdog in its own session,
holding the read end of a pipe. The build writes the id of each LibreOffice process group
into the pipe as it starts one; when the pipe closes (the stage ended, or the build died and
the system closed its files), the watchdog ends those groups and removes the scratch folder.

Run as: python -m plan_builder.outputs.reaper SCRATCH_FOLDER
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path


def end_group(group: int) -> None:
    """Kill every process of a process group (already gone: nothing to do)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


class Reaper:
    """The build's side: start the watchdog, tell it about process groups, close it at the end."""

    def __init__(self, scratch: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "plan_builder.outputs.reaper", str(scratch)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # outlives the build, and is not hit by the terminal's Ctrl+C
        )
        assert self.process.stdin is not None  # noqa: S101 - Popen(stdin=PIPE) always has one
        self.pipe = self.process.stdin.fileno()

    def announce_self(self) -> None:
        """Run in a new child before it starts LibreOffice: report its process group (its own pid) first.

        Called between fork and exec (`preexec_fn`), so there is no moment when the build could
        die with a LibreOffice running that the watchdog does not know about.
        """
        os.write(self.pipe, f"{os.getpid()}\n".encode())

    def close(self) -> None:
        """End the watchdog: it kills any group it was told about and removes the scratch folder."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - the watchdog only kills and deletes
            self.process.kill()


def watch(scratch: Path) -> None:
    """The watchdog: wait for the pipe on stdin to close, then end the groups and remove `scratch`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    groups: list[int] = []
    for line in sys.stdin.buffer:
        with contextlib.suppress(ValueError):
            groups.append(int(line))
    for group in groups:
        end_group(group)
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    watch(Path(sys.argv[1]))
