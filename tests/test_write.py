"""The write stage (`plan_builder.outputs.write`): atomic replacement, Word lock files, file names."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import PREVIOUS_BUILD, TINY_OUTPUT_NAME, snapshot

from plan_builder.errors import OutputError
from plan_builder.outputs.write import slug, write_atomic

NAME = "plan-2025-26-draft.docx"


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """An output folder holding a previous build."""
    target = tmp_path / "output" / NAME
    target.parent.mkdir()
    target.write_bytes(PREVIOUS_BUILD)
    return target


def fails_part_way(exc: BaseException):
    def writer(handle) -> None:
        handle.write(b"PK\x03\x04 half a document")
        raise exc

    return writer


def test_writes_the_document_and_leaves_nothing_else(tmp_path: Path):
    target = tmp_path / "output" / NAME

    assert write_atomic(target, lambda handle: handle.write(b"new document")) == target

    assert snapshot(tmp_path / "output") == {NAME: b"new document"}


def test_replaces_a_previous_build(previous: Path):
    write_atomic(previous, lambda handle: handle.write(b"new document"))

    assert snapshot(previous.parent) == {NAME: b"new document"}


def test_writer_that_raises_part_way_leaves_the_previous_file_and_no_partial(previous: Path):
    with pytest.raises(RuntimeError, match="^renderer crashed$"):
        write_atomic(previous, fails_part_way(RuntimeError("renderer crashed")))

    assert snapshot(previous.parent) == {NAME: PREVIOUS_BUILD}
    assert not list(previous.parent.glob("*.partial"))
    assert not list(previous.parent.glob(".*.partial"))


def test_interrupted_writer_leaves_the_previous_file_and_no_partial(previous: Path):
    with pytest.raises(KeyboardInterrupt):
        write_atomic(previous, fails_part_way(KeyboardInterrupt()))

    assert snapshot(previous.parent) == {NAME: PREVIOUS_BUILD}


def test_full_disk_while_writing_is_an_output_error(previous: Path, monkeypatch):
    real_fsync = os.fsync

    def full(handle: int) -> None:
        if os.path.isfile(f"/proc/self/fd/{handle}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError) as caught:
        write_atomic(previous, lambda handle: handle.write(b"new document"))

    assert caught.value.problems == [
        f"{previous.parent}: not enough free space to write the documents (this build needs about 1 kB); "
        "nothing was replaced. Free some space and build again"
    ]
    assert isinstance(caught.value.__cause__, OSError)
    assert snapshot(previous.parent) == {NAME: PREVIOUS_BUILD}


def test_word_lock_file_beside_the_target(previous: Path):
    (previous.parent / f"~${NAME}").write_bytes(b"lock")

    with pytest.raises(OutputError) as caught:
        write_atomic(previous, lambda handle: handle.write(b"new document"))

    assert caught.value.problems == [
        f"{previous}: the document is open in Word (lock file '~$...' beside it); close it and build again"
    ]
    assert previous.read_bytes() == PREVIOUS_BUILD
    assert not list(previous.parent.glob("*.partial")) and not list(previous.parent.glob(".*.partial"))


def test_word_lock_file_with_a_shortened_name(previous: Path):
    # Word replaces the first two characters of a long name with '~$'.
    (previous.parent / f"~${NAME[2:]}").write_bytes(b"lock")

    with pytest.raises(OutputError, match="is open in Word"):
        write_atomic(previous, lambda handle: handle.write(b"new document"))

    assert previous.read_bytes() == PREVIOUS_BUILD


def test_lock_file_of_another_document_does_not_block(previous: Path):
    (previous.parent / "~$other.docx").write_bytes(b"lock")

    write_atomic(previous, lambda handle: handle.write(b"new document"))

    assert previous.read_bytes() == b"new document"


def test_output_folder_that_cannot_be_created(tmp_path: Path):
    blocker = tmp_path / "output"
    blocker.write_text("a file where the folder should be")

    with pytest.raises(OutputError) as caught:
        write_atomic(blocker / NAME, lambda handle: handle.write(b"x"))

    assert caught.value.problems == [f"{blocker}: cannot create the output folder (File exists)"]


def test_build_with_word_lock_file_fails_and_keeps_the_previous_build(make_plan, run_cli):
    root = make_plan()
    output = root / "output"
    output.mkdir()
    (output / TINY_OUTPUT_NAME).write_bytes(PREVIOUS_BUILD)
    (output / f"~${TINY_OUTPUT_NAME}").write_bytes(b"lock")
    before = snapshot(output)

    run = run_cli(["build"], cwd=root)

    assert run.err == (
        f"error: output/{TINY_OUTPUT_NAME}: the document is open in Word (lock file '~$...' beside it); "
        "close it and build again\n"
    )
    assert run.code == 1
    assert run.out == ""
    assert snapshot(output) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Calderbrook Youth Justice Service", "calderbrook-youth-justice-service"),
        ("Ynys Môn & Gwynedd YJS", "ynys-mon-gwynedd-yjs"),
        ("  --  ", "plan"),
    ],
)
def test_slug(text: str, expected: str):
    assert slug(text) == expected


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_written_document_has_the_usual_permissions(tmp_path: Path):
    previous_umask = os.umask(0o022)
    try:
        target = write_atomic(tmp_path / NAME, lambda handle: handle.write(b"new document"))
    finally:
        os.umask(previous_umask)

    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
