"""The version a build is compared with, and what the comparison produces: the changes page and tracked changes.

The baseline is the last circulated version other than the one being built: what the board
saw last. The changes page ("Changes since version 0.2") and the tracked-changes document
(`<stem>-tracked-changes.docx`, the new plan with Word revisions against that version) both
start from it. Before anything has been circulated, the changes page falls back to the last
build of another version (its manifest is kept in `output/manifests/`), and no tracked-changes
document is written, because no earlier document was kept.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan_builder.changes.compare import compare
from plan_builder.changes.model import Changes
from plan_builder.inputs.config import Plan, Status
from plan_builder.outputs.circulate import Circulation, last_circulated
from plan_builder.outputs.manifest import last_of_other_version
from plan_builder.outputs.names import tracked_changes_name
from plan_builder.outputs.write import word_has_open

if TYPE_CHECKING:
    from docx.document import Document


def baseline(plan: Plan, folder: Path) -> Circulation | None:
    """The last circulated version other than the one being built, if any."""
    return last_circulated(folder, other_than=plan.manifest.version, document=plan.document)


def changes_since(plan: Plan, folder: Path, record: dict[str, Any]) -> Changes | None:
    """For a draft's changes page: the comparison with the baseline (or the last build of another version)."""
    if not plan.manifest.changes_page or plan.manifest.status is Status.FINAL:
        return None
    circulated = baseline(plan, folder)
    previous = circulated.record if circulated else last_of_other_version(folder, plan.manifest.version, plan.document)
    return compare(previous, record) if previous else None


@dataclass(frozen=True)
class TrackedChanges:
    """The tracked-changes document written by a build: where, against which version, how many revisions."""

    path: Path
    against: Circulation
    insertions: int
    deletions: int

    def describe(self) -> str:
        """'... (12 insertions, 9 deletions since version 0.2)' for the build output."""
        return (
            f"{self.path} ({self.insertions} insertions, {self.deletions} deletions since "
            f"version {self.against.version})"
        )


def tracked_changes(
    plan: Plan, document: Document, folder: Path, built_at: dt.datetime
) -> tuple[TrackedChanges | None, bytes, list[str]]:
    """`<stem>-tracked-changes.docx` for a draft or board-review build: what it is, its content, any warning.

    Nothing is written here: the write stage puts it in place with the build's other files. A
    circulated document that cannot be read, or a tracked-changes document open in Word, is a
    warning, not a failure; the board's copy in `output/circulated/` is left as it is.
    """
    if plan.manifest.status is Status.FINAL:
        return None, b"", []
    against = baseline(plan, folder)
    if against is None:
        return None, b"", []
    from plan_builder.word.revisions import tracked_changes_document

    target = folder / tracked_changes_name(plan)
    if word_has_open(target):
        return None, b"", [f"{target}: open in Word (lock file '~$...' beside it); no tracked-changes document written"]
    new = io.BytesIO()
    document.save(new)
    try:
        old = against.document.read_bytes()
    except OSError as exc:
        why = f"cannot read ({exc.strerror or exc})"
        return None, b"", [f"{against.document}: {why}; no tracked-changes document written"]
    names = (str(against.document), str(target))
    data, counts = tracked_changes_document(old, new.getvalue(), date=built_at, names=names)
    return TrackedChanges(target, against, counts.insertions, counts.deletions), data, []
