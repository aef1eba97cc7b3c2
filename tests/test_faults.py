"""Faults: builds killed at every rename and at random, concurrent builds, read-only and full folders.

Each test states the promise it checks (README, "What a build writes"): a failed build replaces
nothing; an interrupted build never leaves half a document, and the next build finishes or
clears what it left; a document and its manifest always describe the same build; a final is
written once, by one build. Builds run in child processes (tests/fault_tools.py) so that they
can be killed; the heavier runs are marked slow. benchmarks/faults.py is the long version.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PLAN_YAML, TINY_OUTPUT_NAME, needs_libreoffice, plan_yaml, snapshot
from fault_tools import (
    folder_state,
    kill,
    kill_at_rename,
    kill_moment,
    office_processes,
    run_build,
    start_build,
)

FINAL_HEAD = PLAN_YAML.replace("status: draft", "status: final").replace('version: "0.1"', 'version: "1.0"')
FINAL_NAME = "testford-youth-justice-service-2025-26-final-v1.0"


def final_plan(version: str = "1.0") -> str:
    return plan_yaml(FINAL_HEAD.replace('version: "1.0"', f'version: "{version}"'))


# --- Kills at each rename -------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("rename", [1, 2, 3, 4, 5])
def test_a_draft_killed_at_each_rename_is_finished_or_cleared_by_the_next_build(make_plan, rename: int):
    # A draft's renames: the journal (1), the history copy (2), the .docx (3), the manifest (4); then the cache (5).
    root = make_plan()
    output = root / "output"
    assert run_build(root).returncode == 0
    shutil.rmtree(output / ".cache")  # so that the killed build writes cache entries after its documents

    killed = kill_at_rename(root, rename)
    assert killed.returncode == -9
    after_kill = folder_state(output)
    assert after_kill.safe_after_a_kill, after_kill
    assert bool(after_kill.pending) == (2 <= rename <= 4)

    rebuilt = run_build(root)

    assert rebuilt.returncode == 0, rebuilt.stderr
    assert ("Finished an earlier build that was interrupted" in rebuilt.stderr) == (2 <= rename <= 4)
    state = folder_state(output)
    assert state.consistent, state
    assert len(state.history) == (2 if rename == 1 else 3)  # the killed build's copy too, once it passed its journal


@pytest.mark.slow
def test_a_final_killed_between_its_document_and_its_manifest_gets_its_manifest(make_plan):
    # Before: the .docx was in place without its .json, and every later build was refused, so it never got one.
    root = make_plan({"plan.yaml": final_plan()})
    output = root / "output"

    killed = kill_at_rename(root, 3)  # the journal (1), the .docx (2): killed before the manifest (3)
    assert killed.returncode == -9
    assert (output / f"{FINAL_NAME}.docx").exists() and not (output / f"{FINAL_NAME}.json").exists()

    again = run_build(root)

    assert again.returncode == 1
    assert again.stderr == (
        f"Finished an earlier build that was interrupted: put {FINAL_NAME}.json, "
        f"{[p.name for p in (output / 'manifests').iterdir()][0]} in place\n"
        f"error: output/{FINAL_NAME}.docx: this final version already exists and is never overwritten; "
        "set a new version in plan.yaml (version:) to build again\n"
    )
    state = folder_state(output)
    assert state.consistent and state.documents == [f"{FINAL_NAME}.docx"] and len(state.history) == 1


# --- Random kills -----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_random_kills_never_leave_a_mismatched_set_after_the_next_build(make_plan):
    # Kills anywhere, late in the build, while staging and while putting files in place, in turn; benchmarks/faults.py
    # runs 100 and more. After each kill a document may disagree with its manifest only while a journal says how
    # to finish the set, and the build after it must leave every set whole. Which moment a kill hits depends on
    # the machine; the kills at each rename above reach every step of the write stage for certain.
    root = make_plan()
    output = root / "output"
    started = time.monotonic()
    assert run_build(root).returncode == 0
    duration = time.monotonic() - started
    rng = random.Random(13)  # noqa: S311 - when to kill, not a secret
    moments: set[str] = set()
    interrupted = 0
    for round_number in range(24):
        final = round_number % 6 == 5  # now and then a final, each a new version
        (root / "plan.yaml").write_text(final_plan(f"2.{round_number}") if final else plan_yaml())
        process = start_build(root)
        moments.add(kill_moment(process, output, duration, round_number % 4, rng))
        kill(process)
        interrupted += process.returncode == -9
        state = folder_state(output)
        assert state.safe_after_a_kill, (round_number, state)
        if not state.consistent:
            again = run_build(root)
            assert again.returncode == 0 or "this final version already exists" in again.stderr, again.stderr
            assert folder_state(output).consistent, folder_state(output)

    (root / "plan.yaml").write_text(plan_yaml())
    assert run_build(root).returncode == 0
    assert folder_state(output).consistent
    assert len(moments) == 4
    assert interrupted >= 6  # the kills did stop builds part way


# --- Concurrent builds ------------------------------------------------------------------------------------------


def race(root: Path, builds: int) -> list[subprocess.CompletedProcess[str]]:
    """Start `builds` builds of `root` at once and wait for all of them."""
    processes = [start_build(root) for _ in range(builds)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


@pytest.mark.slow
@pytest.mark.parametrize("rounds", [4])
def test_concurrent_builds_of_a_new_final_have_exactly_one_writer(make_plan, rounds: int):
    # Before: in 9 of 20 rounds two to four builds said "Wrote ...final-vX.docx" and one replaced another's text.
    root = make_plan()
    output = root / "output"
    for round_number in range(rounds):
        version = f"3.{round_number}"
        (root / "plan.yaml").write_text(final_plan(version))

        results = race(root, 4)

        winners = [r for r in results if r.returncode == 0]
        assert len(winners) == 1, [r.stderr for r in results]
        name = f"testford-youth-justice-service-2025-26-final-v{version}.docx"
        assert f"Wrote output/{name}" in winners[0].stdout
        for loser in (r for r in results if r.returncode != 0):
            assert loser.returncode == 1
            assert loser.stderr.splitlines()[-1] == (
                f"error: output/{name}: this final version already exists and is never overwritten; "
                "set a new version in plan.yaml (version:) to build again"
            )
        state = folder_state(output)
        assert state.consistent, state
        assert len(state.history) == round_number + 1


@pytest.mark.slow
def test_concurrent_builds_into_one_folder_keep_every_history_manifest(make_plan):
    # Before: 7 of 41 history manifests were lost, and a .docx and .json could come from different builds.
    root = make_plan()

    results = race(root, 4)

    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    state = folder_state(root / "output")
    assert state.consistent, state
    assert len(state.history) == 4


# --- PDF stage --------------------------------------------------------------------------------------------------


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@needs_libreoffice[0]
@needs_libreoffice[1]
def test_a_build_killed_during_the_pdf_stage_leaves_no_scratch_folder_and_no_libreoffice(make_plan):
    root = make_plan()
    output = root / "output"
    process = start_build(root, "--pdf")
    scratch: list[Path] = []

    def office_running() -> bool:
        scratch[:] = list(output.glob(".plan-builder-pdf.*.partial")) if output.is_dir() else []
        return bool(scratch) and bool(office_processes(scratch[0].name))

    assert wait_for(office_running, 60), "LibreOffice never started"
    kill(process)

    assert wait_for(lambda: not scratch[0].exists() and not office_processes(scratch[0].name), 15)
    assert folder_state(output).consistent


@needs_libreoffice[0]
@needs_libreoffice[1]
def test_a_word_lock_file_stops_a_pdf_build_before_the_pdf_is_replaced(make_plan, run_cli):
    # Before: the PDF was written first, then the build stopped at the lock file with exit 1.
    root = make_plan()
    output = root / "output"
    output.mkdir()
    pdf = output / TINY_OUTPUT_NAME.replace(".docx", ".pdf")
    pdf.write_bytes(b"%PDF- the previous build's PDF")
    (output / f"~${TINY_OUTPUT_NAME}").write_bytes(b"lock")
    before = snapshot(output)

    run = run_cli(["build", "--pdf"], cwd=root)

    assert run.code == 1
    assert run.err == (
        f"error: output/{TINY_OUTPUT_NAME}: the document is open in Word (lock file '~$...' beside it); "
        "close it and build again\n"
    )
    assert snapshot(output) == before


# --- Folders that cannot be written -----------------------------------------------------------------------------


@contextlib.contextmanager
def mounted(folder: Path, *options: str) -> Iterator[None]:
    """Mount over `folder` (root only); skip the test where mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    commands = {"ro": [["mount", "--bind", str(folder), str(folder)], ["mount", "-o", "remount,bind,ro", str(folder)]]}
    steps = commands.get(options[0], [["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)]])
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a read-only or small folder")
    done = 0
    try:
        for step in steps:
            if subprocess.run(step, capture_output=True, check=False).returncode != 0:
                pytest.skip(f"mounting is not allowed here ({' '.join(step)})")
            done += 1
        yield
    finally:
        if done:
            subprocess.run(["umount", str(folder)], capture_output=True, check=False)


def test_a_read_only_output_folder_is_a_clear_error_and_nothing_is_replaced(make_plan, run_cli):
    # Before: a traceback (OSError: [Errno 30] from write.py).
    root = make_plan()
    assert run_cli(["build"], cwd=root).code == 0
    output = root / "output"
    before = snapshot(output)

    with mounted(output, "ro"):
        run = run_cli(["build"], cwd=root)
        after = snapshot(output)

    assert run.code == 1
    assert run.err == (
        "error: output: the output folder is on a read-only drive; nothing was replaced. "
        "Build into another folder with --output DIR\n"
    )
    assert after == before


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (
            errno.EROFS,
            "output: the output folder is on a read-only drive; nothing was replaced. Build into another folder with --output DIR",
        ),
        (
            errno.EACCES,
            "output: no permission to write into the output folder; nothing was replaced. Ask for write access or build into another folder with --output DIR",
        ),
        (
            errno.ENOSPC,
            "output: not enough free space to write the documents (this build needs about N kB); nothing was replaced. Free some space and build again",
        ),
        (errno.EIO, "output: cannot write into the output folder (Input/output error); nothing was replaced"),
    ],
    ids=["read-only", "no permission", "full", "other"],
)
def test_a_folder_that_refuses_writes_is_a_clear_error_wherever_mounting_is_not_allowed(
    make_plan, run_cli, monkeypatch, code, error
):
    from plan_builder.outputs import write as write_module

    root = make_plan()
    assert run_cli(["build"], cwd=root).code == 0
    before = snapshot(root / "output")

    def refuse(path: Path, data: bytes) -> None:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(write_module, "_write_new", refuse)
    run = run_cli(["build"], cwd=root)

    assert re.sub(r"about \d+ kB", "about N kB", run.err) == f"error: {error}\n"
    assert run.code == 1
    assert snapshot(root / "output") == before


def test_watch_reports_a_read_only_folder_and_keeps_watching(make_plan):
    # Before: the OSError ended the watcher.
    import threading

    from plan_builder.commands.watch import Watcher

    root = make_plan()
    section = root / "sections" / "03-child-first.md"
    lines: list[str] = []
    watcher = Watcher(root)
    watching = threading.Thread(
        target=watcher.run, args=(lines.append,), kwargs={"interval": 0.05, "settle": 0.05, "max_rebuilds": 2}
    )
    watching.start()
    assert wait_for(lambda: any("rebuilt" in line for line in lines), 60)

    with mounted(root / "output", "ro"):
        section.write_text("---\nheading: child-first\n---\nChanged.\n")
        assert wait_for(lambda: any("build failed" in line for line in lines), 60)
    section.write_text("---\nheading: child-first\n---\nChanged again.\n")
    watching.join(60)

    assert not watching.is_alive()
    failed = next(index for index, line in enumerate(lines) if "build failed" in line)
    assert lines[failed].startswith("sections/03-child-first.md: build failed in ")
    assert lines[failed + 1] == (
        f"  error: {root / 'output'}: the output folder is on a read-only drive; nothing was replaced. "
        "Build into another folder with --output DIR"
    )
    assert lines[-1].startswith(f"sections/03-child-first.md: rebuilt {TINY_OUTPUT_NAME} in ")


def test_a_full_disk_is_a_clear_error_and_the_next_build_has_no_traceback(make_plan, run_cli):
    # Before: exit 1 after a complete .docx and the cache were written; the next build printed a ZipFile traceback.
    root = make_plan()
    output = root / "output"
    with mounted(output, "size=512k"):
        assert run_cli(["build"], cwd=root).code == 0
        before = snapshot(output)
        filler = output.parent / "filler"
        free = shutil.disk_usage(output).free
        with open(output / "filler", "wb") as handle:  # noqa: PTH123
            handle.write(b"\0" * max(free - 8192, 0))
        run = run_cli(["build"], cwd=root)
        after = {k: v for k, v in snapshot(output).items() if k != "filler"}
        (output / "filler").unlink()
        again = run_build(root)
    assert not filler.exists()

    assert run.code == 1
    assert run.err.startswith("error: output: not enough free space to write the documents (this build needs about ")
    assert run.err.endswith("); nothing was replaced. Free some space and build again\n")
    assert after == before
    assert again.returncode == 0 and again.stderr == "", again.stderr


# --- Inputs that would hang a build -----------------------------------------------------------------------------


def alias_bomb(levels: int, indent: str = "") -> str:
    lines = [f'{indent}a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"{indent}a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


LIMITED_MEMORY = "import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30)); "


def build_with_limits(root: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """A build in a child process with 2 GB of address space and a time limit (an old build would never end)."""
    from fault_tools import child_env

    code = (
        LIMITED_MEMORY + "sys.argv = ['plan-builder', 'build']; runpy.run_module('plan_builder', run_name='__main__')"
    )
    try:
        return subprocess.run(
            [os.sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=timeout, env=child_env()
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build did not finish in {timeout} s")


@pytest.mark.parametrize(
    ("file", "content", "error"),
    [
        (
            "plan.yaml",
            plan_yaml() + alias_bomb(9),
            "plan.yaml:37: YAML aliases ('*name') repeat more than 10,000 values in this file; "
            "write the values out in full, or use fewer aliases",
        ),
        pytest.param(
            "sections/03-child-first.md",
            "---\nheading: child-first\n" + alias_bomb(9) + "---\nText.\n",
            "sections/03-child-first.md:4: YAML aliases ('*name') repeat more than 10,000 values in this file; "
            "write the values out in full, or use fewer aliases",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "data/glossary.yaml",
            "terms:\n" + alias_bomb(9, "  "),
            "data/glossary.yaml:3: YAML aliases ('*name') repeat more than 10,000 values in this file; "
            "write the values out in full, or use fewer aliases",
            marks=pytest.mark.slow,
        ),
    ],
    ids=["plan.yaml", "front-matter", "glossary"],
)
def test_an_alias_bomb_is_refused_at_once(make_plan, file: str, content: str, error: str):
    # Before: memory grew by ~140 MB/s with no end (the line map expanded every alias).
    files = {file: content}
    if file == "data/glossary.yaml":
        files["plan.yaml"] = plan_yaml(PLAN_YAML + "structured:\n  glossary: data/glossary.yaml\n")
    root = make_plan(files)

    started = time.monotonic()
    run = build_with_limits(root)

    assert run.stderr == f"error: {error}\n"
    assert run.returncode == 1
    assert time.monotonic() - started < 30


@pytest.mark.slow
def test_a_section_file_that_is_a_named_pipe_is_refused(make_plan):
    # Before: the build waited on the pipe forever.
    root = make_plan()
    section = root / "sections" / "03-child-first.md"
    section.unlink()
    os.mkfifo(section)

    run = build_with_limits(root)

    assert run.stderr == (
        "error: plan.yaml:18: sections[2]: sections/03-child-first.md: cannot read the section file "
        "(it is a named pipe, not a file)\n"
    )
    assert run.returncode == 1


@pytest.mark.parametrize(
    ("file", "listed", "error"),
    [
        ("data/fte.csv", "data", "data/fte.csv: data file is a named pipe, not a file; put the file itself there"),
        (
            "templates/plan-template.docx",
            None,
            "templates/plan-template.docx: Word template is a named pipe, not a file; put the file itself there",
        ),
        (
            "images/chart.png",
            None,
            "sections/03-child-first.md:4: image 'images/chart.png' is a named pipe, not a file; put the file itself there",
        ),
        (
            "sections/02-local-context.md",
            None,
            "plan.yaml:17: sections[1]: sections/02-local-context.md: cannot read the section file (it is a named pipe, not a file)",
        ),
        (
            "data/glossary.yaml",
            "glossary",
            "plan.yaml:16: structured.glossary: data/glossary.yaml is a named pipe, not a file; put the file itself there",
        ),
        ("data/fte.csv", "data", "data/fte.csv: data file is a device, not a file; put the file itself there"),
    ],
    ids=["data", "template", "image", "section", "structured", "device"],
)
def test_other_inputs_that_are_named_pipes_are_refused_by_type(make_plan, run_cli, request, file, listed, error):
    files: dict[str, str | None] = {}
    if listed == "glossary":
        files["plan.yaml"] = plan_yaml(PLAN_YAML + "structured:\n  glossary: data/glossary.yaml\n")
    elif listed == "data":
        files["plan.yaml"] = plan_yaml(
            PLAN_YAML + "performance:\n  area: Testford\n  datasets:\n    fte: data/fte.csv\n"
        )
    if file.startswith("images/"):
        files["sections/03-child-first.md"] = "---\nheading: child-first\n---\n![A chart](images/chart.png)\n"
    root = make_plan(files)
    path = root / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    if request.node.callspec.id == "device":
        path.symlink_to("/dev/zero")  # endless zeros: reading it would never finish
    else:
        os.mkfifo(path)

    run = run_cli(["build"], cwd=root)

    assert run.err.splitlines()[0] == f"error: {error}"  # (a missing dataset also leaves its charts unknown)
    assert "Traceback" not in run.err
    assert run.code == 1
