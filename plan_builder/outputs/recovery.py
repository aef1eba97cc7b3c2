"""Finish or clear what an interrupted build left in an output folder.

Every build runs `recover` while it holds the folder's lock, so no other build is writing
there. A journal (`.plan-builder-commit.<token>.json`, see `OutputSet`) means that build had
staged all its files and was putting them in place when it stopped: the rest are put in place
now, so its documents and manifest match again. Temporary files without a journal come from
a build that stopped earlier, before it replaced anything, and are removed, as are scratch
folders of a PDF stage that was killed. `check` only reports an unfinished set (`pending_sets`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from plan_builder.outputs.write import JOURNAL_PREFIX, PARTIAL, place, sync_folder

SKIPPED_FOLDERS = {".cache"}
"""Subfolders whose temporary files are not the output set's (the cache tidies its own)."""


@dataclass
class Recovery:
    """What `recover` did."""

    completed: list[Path] = field(default_factory=list)
    """Files an interrupted build had staged, now put in place."""
    removed: list[Path] = field(default_factory=list)
    """Temporary files and scratch folders of killed builds, removed."""
    problems: list[str] = field(default_factory=list)
    """Files that could not be finished, each with what to do (reported as warnings)."""
    kept: set[Path] = field(default_factory=set)
    """Staged copies a journal still names (it could not be finished): never removed as strays."""

    def notes(self) -> list[str]:
        """What to tell the user: which files of an interrupted build were put in place."""
        if not self.completed:
            return []
        names = ", ".join(path.name for path in self.completed)
        return [f"Finished an earlier build that was interrupted: put {names} in place"]


def pending_sets(folder: Path) -> list[Path]:
    """Journals of builds that stopped while putting their files in place (the next build finishes them)."""
    try:
        return sorted(folder.glob(f"{JOURNAL_PREFIX}*.json"), key=_age)
    except OSError:
        return []


def recover(folder: Path) -> Recovery:
    """Finish every interrupted set in `folder`, then remove stray temporary files. Call it holding the lock."""
    result = Recovery()
    if not folder.is_dir():
        return result
    for journal in pending_sets(folder):
        _finish(folder, journal, result)
    _remove_strays(folder, result)
    return result


def _age(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _inside(folder: Path, name: Any) -> Path | None:
    """`folder / name` for a relative name that stays inside `folder`, else None."""
    if not isinstance(name, str):
        return None
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        return None
    return folder.joinpath(*pure.parts)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _finish(folder: Path, journal: Path, result: Recovery) -> None:
    """Put in place every file of the set `journal` records that is not there yet."""
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
        entries = [e for e in record["files"] if isinstance(e, dict)]
    except (OSError, ValueError, KeyError, TypeError):
        entries = []  # written atomically, so unreadable only if tampered with: its files go as strays
    for entry in entries:
        temporary, target = _inside(folder, entry.get("temporary")), _inside(folder, entry.get("target"))
        if temporary is None or target is None or not PARTIAL.fullmatch(temporary.name):
            continue
        try:
            _finish_file(temporary, target, entry, result)
        except OSError as exc:
            result.problems.append(
                f"{target}: could not finish the interrupted build's file ({exc.strerror or exc}); build again"
            )
            named = (_inside(folder, e.get("temporary")) for e in entries)
            result.kept.update(path for path in named if path is not None)
            return  # keep the journal and the copies it names: the next build tries again
    for parent in {folder, *(p.parent for p in result.completed)}:
        sync_folder(parent)
    journal.unlink(missing_ok=True)


def _finish_file(temporary: Path, target: Path, entry: dict[str, Any], result: Recovery) -> None:
    if not temporary.exists():
        return  # already in place before the build stopped
    expected = entry.get("sha256")
    if _sha256(temporary) != expected:  # fsynced before the journal, so only if changed by hand
        temporary.unlink()
        result.problems.append(f"{target}: the interrupted build's copy was damaged and has been removed; build again")
        return
    try:
        place(temporary, target, exclusive=bool(entry.get("exclusive")))
    except FileExistsError:
        if target.stat().st_size == 0:  # the empty placeholder of a file system without hard links
            os.replace(temporary, target)
        else:
            temporary.unlink()
            if _sha256(target) != expected:
                result.problems.append(
                    f"{target}: already exists with other content, so the interrupted build's copy was removed"
                )
                return
    result.completed.append(target)


def _remove_strays(folder: Path, result: Recovery) -> None:
    """Remove temporary files and scratch folders in `folder` and its subfolders (one level down)."""
    bases = [folder]
    with contextlib.suppress(OSError):
        bases += [
            Path(e.path)
            for e in os.scandir(folder)
            if e.is_dir(follow_symlinks=False) and e.name not in SKIPPED_FOLDERS and not PARTIAL.fullmatch(e.name)
        ]
    for base in bases:
        try:
            entries = [e for e in os.scandir(base) if PARTIAL.fullmatch(e.name)]
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if path in result.kept:
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(path)
                else:
                    path.unlink()
            except OSError:
                continue
            result.removed.append(path)
