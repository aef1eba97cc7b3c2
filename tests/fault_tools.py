"""Tools for fault tests: builds in their own processes, killed at chosen moments, and checks of what they left.

Used by tests/test_faults.py (sized for CI) and benchmarks/faults.py (the long run). A build
is `python -m plan_builder build` in a child process; `KILL_AT_RENAME` runs one that kills
itself (SIGKILL, as `kill -9` would) just before its Nth rename or hard link, which is how a
build puts its files in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

KILL_AT_RENAME = """
import os, signal, sys
count = [0]
stop_at = int(sys.argv[1])
def killing(real):
    def call(*args, **kwargs):
        count[0] += 1
        if count[0] == stop_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
os.replace = killing(os.replace)
os.link = killing(os.link)
from plan_builder.commands.cli import main
sys.exit(main(sys.argv[2:]))
"""


def child_env() -> dict[str, str]:
    """The environment of a build child: this checkout's plan_builder first, no shared cache folder."""
    env = {k: v for k, v in os.environ.items() if k != "PLAN_BUILDER_CACHE_DIR"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return env


def build_command(*args: str) -> list[str]:
    """`plan-builder build ARGS` as a child process command."""
    return [sys.executable, "-m", "plan_builder", "build", *args]


def run_build(plan: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Build `plan` in a child process and wait for it."""
    return subprocess.run(
        build_command(*args), cwd=plan, capture_output=True, text=True, timeout=timeout, env=child_env(), check=False
    )


def start_build(plan: Path, *args: str) -> subprocess.Popen[str]:
    """Start building `plan` in a child process (in its own process group, so it can be killed alone)."""
    return subprocess.Popen(
        build_command(*args),
        cwd=plan,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )


def kill_at_rename(plan: Path, rename: int, *args: str) -> subprocess.CompletedProcess[str]:
    """A build that kills itself just before its `rename`-th rename or hard link (counted from 1)."""
    return subprocess.run(
        [sys.executable, "-c", KILL_AT_RENAME, str(rename), "build", *args],
        cwd=plan,
        capture_output=True,
        text=True,
        timeout=180,
        env=child_env(),
        check=False,
    )


def kill_moment(process: subprocess.Popen[str], output: Path, duration: float, mode: int, rng: random.Random) -> str:
    """Wait until the moment to kill: anywhere in the build, in its last third, while staging, or while committing."""
    if mode == 0:
        time.sleep(rng.uniform(0.0, duration))
        return "anywhere in the build"
    if mode == 1:
        time.sleep(rng.uniform(0.67 * duration, 1.05 * duration))
        return "in the last third"
    journal = mode == 3
    deadline = time.monotonic() + 3 * duration
    while process.poll() is None and time.monotonic() < deadline:
        names = _names(output)
        if journal and any(n.startswith(".plan-builder-commit.") and n.endswith(".json") for n in names):
            break
        if not journal and any(n.endswith(".partial") and not n.startswith(".plan-builder-pdf") for n in names):
            break
        time.sleep(0.001)
    if journal:
        time.sleep(rng.uniform(0.0, 0.003))
        return "while putting files in place (0-3 ms after the journal appeared)"
    time.sleep(rng.uniform(0.0, 0.05))
    return "while staging (0-50 ms after the first staged file appeared)"


def _names(output: Path) -> list[str]:
    try:
        return [p.name for p in output.iterdir()]
    except OSError:
        return []


def kill(process: subprocess.Popen[str]) -> tuple[str, str]:
    """kill -9 the build and collect what it printed."""
    process.send_signal(signal.SIGKILL)
    return process.communicate()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class FolderState:
    """What an output folder holds, and what is wrong with it."""

    documents: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    """Each a file that its manifest does not describe (missing manifest, other hash, not a whole document)."""
    pending: list[str] = field(default_factory=list)
    """Journals of a set being put in place (a build killed after its commit point)."""
    strays: list[str] = field(default_factory=list)
    """Temporary files and scratch folders."""
    history: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        """Every document matches its manifest, nothing pending, nothing stray."""
        return not (self.mismatched or self.pending or self.strays)

    @property
    def safe_after_a_kill(self) -> bool:
        """What a killed build may leave: temporary files, and a mismatch only while a journal says how to finish."""
        return not self.mismatched or bool(self.pending)


def folder_state(folder: Path) -> FolderState:
    """Check every document in `folder` against the manifest beside it."""
    state = FolderState()
    if not folder.is_dir():
        return state
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.endswith(".partial"):
            state.strays.append(name)
        elif name.startswith(".plan-builder-commit."):
            state.pending.append(name)
        elif name.endswith(".docx") and "-appendix-" not in name:
            state.documents.append(name)
            state.mismatched += _set_problems(path)
    cache = folder / ".cache"
    if cache.is_dir():
        state.strays += [p.name for p in cache.rglob("*.partial")]
    history = folder / "manifests"
    if history.is_dir():
        state.history = sorted(p.name for p in history.iterdir() if not p.name.endswith(".partial"))
        state.strays += [p.name for p in history.iterdir() if p.name.endswith(".partial")]
    return state


def _set_problems(document: Path) -> list[str]:
    beside = document.with_suffix(".json")
    if not beside.exists():
        return [f"{document.name}: no manifest"]
    outputs = json.loads(beside.read_text())["outputs"]
    problems = []
    for name, recorded in outputs.items():
        path = document.parent / name
        if not path.exists() or sha256(path) != recorded["sha256"]:
            problems.append(f"{name}: does not match {beside.name}")
        elif name.endswith(".docx") and not zipfile.is_zipfile(path):
            problems.append(f"{name}: not a whole document")
    return problems


def office_processes(marker: str) -> list[str]:
    """Command lines of running processes that mention `marker` (a scratch folder's name)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in command and "soffice" in command:
            found.append(command)
    return found
