"""The output set (`outputs/write.py`), its recovery (`outputs/recovery.py`) and the folder lock (`outputs/lock.py`).

A build's files are staged first and put in place together; a set that stopped part way is
finished by the next build; temporary files of killed builds are removed; a final is created,
never replaced; one writer at a time per folder.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import snapshot

from plan_builder.errors import OutputError
from plan_builder.outputs import write as write_module
from plan_builder.outputs.lock import output_lock
from plan_builder.outputs.recovery import pending_sets, recover
from plan_builder.outputs.write import OutputSet

OLD = {"plan.docx": b"old document", "plan.json": b"old manifest"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An output folder holding a previous build's document and manifest."""
    out = tmp_path / "output"
    out.mkdir()
    for name, data in OLD.items():
        (out / name).write_bytes(data)
    return out


def stage_new(outputs: OutputSet, folder: Path, *, exclusive: bool = False) -> None:
    outputs.add(folder / "plan.docx", b"new document", exclusive=exclusive)
    outputs.add(folder / "plan.json", b"new manifest", exclusive=exclusive)
    outputs.add(folder / "manifests" / "plan-1.json", b"new manifest", exclusive=True)


def test_commit_puts_every_file_in_place_and_leaves_nothing_else(folder: Path):
    with OutputSet(folder) as outputs:
        stage_new(outputs, folder)
        staged = snapshot(folder)
        outputs.commit()

    # Staged under temporary names beside their targets, the old files untouched until the commit:
    assert {name: data for name, data in staged.items() if not name.endswith(".partial")} == OLD
    assert sorted(data for name, data in staged.items() if name.endswith(".partial")) == [
        b"new document",
        b"new manifest",
        b"new manifest",
    ]

    assert snapshot(folder) == {
        "plan.docx": b"new document",
        "plan.json": b"new manifest",
        "manifests/plan-1.json": b"new manifest",
    }


def test_leaving_the_block_without_commit_replaces_nothing(folder: Path):
    with pytest.raises(RuntimeError), OutputSet(folder) as outputs:
        stage_new(outputs, folder)
        raise RuntimeError("render failed after staging")

    assert snapshot(folder) == OLD


def test_a_full_disk_while_staging_replaces_nothing_and_leaves_no_temporary_file(folder: Path, monkeypatch):
    real_write_new = write_module._write_new
    calls = []

    def second_file_hits_a_full_disk(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            path.write_bytes(data[:3])  # part of it got written
            path.unlink()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write_new(path, data)

    monkeypatch.setattr(write_module, "_write_new", second_file_hits_a_full_disk)
    with pytest.raises(OutputError) as caught, OutputSet(folder) as outputs:
        stage_new(outputs, folder)

    assert caught.value.problems == [
        f"{folder}: not enough free space to write the documents (this build needs about 1 kB); nothing was "
        "replaced. Free some space and build again"
    ]
    assert snapshot(folder) == OLD


def test_an_exclusive_file_that_exists_stops_the_commit_before_anything_is_replaced(folder: Path):
    with pytest.raises(OutputError) as caught, OutputSet(folder) as outputs:
        outputs.add(folder / "plan.json", b"new manifest")
        outputs.add(folder / "plan.docx", b"new document", exclusive=True)
        outputs.commit()

    assert caught.value.problems == [
        f"{folder / 'plan.docx'}: already exists and is never replaced; nothing was replaced"
    ]
    assert snapshot(folder) == OLD


def test_an_exclusive_file_created_by_another_writer_at_the_last_moment(folder: Path, monkeypatch):
    # Another process (one that does not take the lock) creates the final between the check and the link.
    (folder / "plan.docx").unlink()
    real_link = os.link

    def someone_else_first(source, target):
        if str(target).endswith("final.docx"):
            Path(target).write_bytes(b"the other build's final")
        real_link(source, target)

    monkeypatch.setattr(write_module.os, "link", someone_else_first)
    with pytest.raises(OutputError) as caught, OutputSet(folder) as outputs:
        outputs.add(folder / "final.json", b"our manifest", exclusive=True)
        outputs.add(folder / "final.docx", b"our final", exclusive=True)
        outputs.add(folder / "plan.json", b"new manifest")
        outputs.commit()

    assert caught.value.problems == [
        f"{folder / 'final.docx'}: already exists and is never replaced (written by another build at the same "
        "time); nothing was replaced"
    ]
    # Our manifest (linked first) was taken back; the other build's final is untouched.
    assert snapshot(folder) == {"plan.json": b"old manifest", "final.docx": b"the other build's final"}


def stop_after(monkeypatch, renames: int) -> None:
    """Make the commit stop (as a kill would) after `renames` files have been put in place."""
    real_place = write_module.place
    done = []

    def place(temporary, target, *, exclusive):
        if len(done) == renames:
            raise OSError(errno.EIO, "simulated stop")
        real_place(temporary, target, exclusive=exclusive)
        done.append(target)

    monkeypatch.setattr(write_module, "place", place)


@pytest.mark.parametrize("renames", [0, 1, 2])
def test_a_set_stopped_part_way_is_finished_by_recover(folder: Path, monkeypatch, renames: int):
    stop_after(monkeypatch, renames)
    with pytest.raises(OutputError) as caught, OutputSet(folder) as outputs:
        stage_new(outputs, folder)
        outputs.commit()
    assert caught.value.problems == [
        f"{folder}: the build stopped while putting its files in place (simulated stop); build again to finish them"
    ]
    assert len(pending_sets(folder)) == 1
    monkeypatch.undo()

    recovery = recover(folder)

    assert snapshot(folder) == {
        "plan.docx": b"new document",
        "plan.json": b"new manifest",
        "manifests/plan-1.json": b"new manifest",
    }
    assert len(recovery.completed) == 3 - renames
    assert recovery.problems == [] and pending_sets(folder) == []


def test_recover_finishes_an_exclusive_file_whose_link_was_made(folder: Path):
    # Killed between the hard link and removing the temporary name: the final is whole; only the name is left.
    with OutputSet(folder) as outputs:
        outputs.add(folder / "final.docx", b"final", exclusive=True)
        journal = outputs._write_journal()
        staged = outputs.staged[0]
        os.link(staged.temporary, staged.target)
        outputs.committed = True
    assert journal.exists() and staged.temporary.exists()

    recover(folder)

    assert snapshot(folder) == OLD | {"final.docx": b"final"}


def test_recover_removes_temporary_files_and_scratch_folders_of_killed_builds(folder: Path):
    (folder / ".plan.docx.1a2b3c4d.partial").write_bytes(b"half a document")
    (folder / "manifests").mkdir()
    (folder / "manifests" / ".plan-20250101T000000.json.abcdefgh.partial").write_bytes(b"{")
    scratch = folder / ".plan-builder-pdf.0badc0de.partial"
    (scratch / "lo-profile").mkdir(parents=True)
    (scratch / "plan.pdf").write_bytes(b"%PDF")
    (folder / "notes.partial").write_bytes(b"the user's own file, not ours")
    (folder / ".cache" / "ab").mkdir(parents=True)
    (folder / ".cache" / "ab" / ".x.docx.1a2b3c4d.partial").write_bytes(b"in the cache: the cache tidies it")

    recovery = recover(folder)

    assert sorted(p.name for p in recovery.removed) == sorted(
        [".plan.docx.1a2b3c4d.partial", ".plan-20250101T000000.json.abcdefgh.partial", scratch.name]
    )
    assert snapshot(folder) == OLD | {
        "notes.partial": b"the user's own file, not ours",
        ".cache/ab/.x.docx.1a2b3c4d.partial": b"in the cache: the cache tidies it",
    }


def test_a_journal_naming_files_outside_the_folder_is_ignored(folder: Path, tmp_path: Path):
    outside = tmp_path / "precious.txt"
    outside.write_bytes(b"keep")
    journal = folder / ".plan-builder-commit.12345678.json"
    entry = {"target": "../precious.txt", "temporary": ".plan.docx.12345678.partial", "sha256": "0", "exclusive": False}
    journal.write_text(json.dumps({"format": 1, "files": [entry]}))
    (folder / ".plan.docx.12345678.partial").write_bytes(b"x")

    recover(folder)

    assert outside.read_bytes() == b"keep"
    assert snapshot(folder) == OLD


HOLD_LOCK = """
import sys, time
from pathlib import Path
from plan_builder.outputs.lock import output_lock
with output_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def hold_lock():
    """Return `hold(folder, seconds)`: another process holding the folder's lock; ended after the test."""
    holders: list[subprocess.Popen[str]] = []

    def hold(folder: Path, seconds: float) -> subprocess.Popen[str]:
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(folder), str(seconds)], stdout=subprocess.PIPE, text=True
        )
        holders.append(holder)
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        return holder

    yield hold
    for holder in holders:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


def test_a_second_writer_waits_for_the_first(folder: Path, hold_lock):
    holder = hold_lock(folder, 1.0)
    told: list[str] = []
    started = time.monotonic()
    with output_lock(folder, on_wait=told.append):
        waited = time.monotonic() - started
    holder.wait()

    assert waited > 0.5
    assert told == [f"Waiting for another build that is writing into {folder} to finish..."]


def test_a_writer_that_waits_too_long_stops_with_a_clear_message(folder: Path, hold_lock):
    hold_lock(folder, 5.0)
    with pytest.raises(OutputError) as caught, output_lock(folder, wait=0.3):
        pass

    assert caught.value.problems == [
        f"{folder}: another plan-builder build is still writing into this folder after 0.3 s; wait for it to finish "
        "and build again, or build into another folder with --output DIR"
    ]


def test_the_lock_is_released_when_its_holder_is_killed(folder: Path, hold_lock):
    holder = hold_lock(folder, 60.0)
    holder.kill()
    holder.wait()

    with output_lock(folder, wait=1.0):
        pass  # no stale lock: the system released it with the process


def test_the_lock_is_reentrant_in_one_process_and_leaves_no_file(folder: Path):
    with output_lock(folder, wait=0.1), output_lock(folder, wait=0.1):
        pass

    assert snapshot(folder) == OLD


def test_copies_named_by_a_set_that_could_not_be_finished_are_kept_for_the_next_build(folder: Path, monkeypatch):
    with OutputSet(folder) as outputs:
        stage_new(outputs, folder)
        real_place = write_module.place
        monkeypatch.setattr(write_module, "place", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EIO, "I/O")))
        with pytest.raises(OutputError):
            outputs.commit()
        monkeypatch.setattr(write_module, "place", real_place)
    from plan_builder.outputs import recovery as recovery_module

    monkeypatch.setattr(recovery_module, "place", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EACCES, "No")))
    first = recover(folder)
    assert len(first.problems) == 1 and first.removed == []  # the journal and every copy it names are kept
    monkeypatch.setattr(recovery_module, "place", real_place)
    second = recover(folder)
    assert second.problems == [] and snapshot(folder)["plan.docx"] == b"new document"
    assert pending_sets(folder) == []
