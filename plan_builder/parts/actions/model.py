"""Service improvement (action) plan: status counts come from the rows, never from typing.

Seed 003 said "46 actions completed" on its cover and listed 61 in its appendix;
here the counts table is computed from the actions, and a typed count that
disagrees is a warning. Actions past their due date (relative to the plan's
"as of" date) and not completed are flagged in the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from plan_builder.errors import ConfigError
from plan_builder.figures.formatting import long_date
from plan_builder.inputs.config import Plan
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.yamlio import load_yaml

DEFAULT_STATUSES = [
    ("not-started", "Planned but not started"),
    ("on-track", "Progressing and on track"),
    ("may-exceed", "May exceed original target date"),
    ("completed", "Completed"),
]
COMPLETED = "completed"


class Status(StrictModel):
    """A status an action can have."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str
    overdue: bool = True
    """Whether an action in this status past its due date counts as overdue; false for statuses such
    as 'Duplicate' or 'Superseded', which close an action without completing it."""


class ActionEntry(StrictModel):
    """One action as written in the YAML file."""

    ref: str = Field(min_length=1)
    action: str = Field(min_length=1)
    lead: str = Field(min_length=1)
    due: dt.date
    status: str
    progress: str = ""
    theme: str = "Actions"
    duplicate_of: str | None = None


class ActionFile(StrictModel):
    """The action plan file."""

    title: str = "Service improvement plan"
    statuses: list[Status] = Field(default_factory=lambda: [Status(id=i, label=t) for i, t in DEFAULT_STATUSES])
    completed_status: str = COMPLETED
    """The status id that means done (not flagged when past its due date)."""
    stated_counts: dict[str, int] = Field(default_factory=dict)
    """Counts typed elsewhere (e.g. a cover summary), by status id, checked against the rows."""
    actions: list[ActionEntry] = Field(min_length=1)


@dataclass(frozen=True)
class Action:
    """An action with its status label and overdue flag."""

    entry: ActionEntry
    status_label: str
    overdue: bool


@dataclass
class ActionPlan:
    """The computed action plan."""

    title: str
    actions: list[Action]
    counts: list[tuple[str, int]]
    """(status label, number of actions) in the configured order."""
    as_of: dt.date
    warnings: list[str] = field(default_factory=list)
    status_labels: dict[str, str] = field(default_factory=dict)
    """Status id -> label, in the configured order."""

    @property
    def themes(self) -> list[str]:
        """Themes in the order they first appear."""
        return list(dict.fromkeys(a.entry.theme for a in self.actions))


def load_actions(path: Path, display: Path, plan: Plan) -> ActionPlan:
    """Read the action plan, check statuses, references and dates, and count by status."""
    doc = load_yaml(path, display)
    data = validate(ActionFile, doc)
    labels = {s.id: s.label for s in data.statuses}
    problems = []
    if data.completed_status not in labels:
        problems.append(
            f"{doc.where(('completed_status',))}: completed_status: {data.completed_status!r} is not a status id"
        )
    refs: dict[str, int] = {}
    for index, entry in enumerate(data.actions):
        if entry.status not in labels:
            problems.append(
                f"{doc.where(('actions', index, 'status'))}: action {entry.ref}: status: unknown status "
                f"{entry.status!r}; expected one of: {', '.join(labels)}"
            )
        if entry.ref in refs:
            problems.append(f"{doc.where(('actions', index, 'ref'))}: action {entry.ref}: reference used twice")
        refs[entry.ref] = index
    for index, entry in enumerate(data.actions):
        if entry.duplicate_of and entry.duplicate_of not in refs:
            problems.append(
                f"{doc.where(('actions', index, 'duplicate_of'))}: action {entry.ref}: duplicate_of: "
                f"no action {entry.duplicate_of!r}"
            )
    if problems:
        raise ConfigError(*problems)
    as_of = plan.manifest.as_of
    can_be_late = {s.id for s in data.statuses if s.overdue and s.id != data.completed_status}
    actions = [
        Action(entry, labels[entry.status], entry.due < as_of and entry.status in can_be_late) for entry in data.actions
    ]
    counts = [(s.label, sum(1 for a in actions if a.entry.status == s.id)) for s in data.statuses]
    warnings = [
        f"{doc.where(('actions', refs[a.entry.ref], 'due'))}: action {a.entry.ref}: overdue: due "
        f"{long_date(a.entry.due)}, status '{a.status_label}'"
        for a in actions
        if a.overdue
    ]
    by_ref = {entry.ref: entry for entry in data.actions}
    for index, entry in enumerate(data.actions):
        other = by_ref.get(entry.duplicate_of or "")
        if other is not None and other.duplicate_of == entry.ref and entry.ref < other.ref:
            warnings.append(
                f"{doc.where(('actions', index, 'duplicate_of'))}: action {entry.ref} is marked a duplicate of "
                f"{other.ref}, which is marked a duplicate of {entry.ref}; keep one of them as the original"
            )
    for status_id, typed in data.stated_counts.items():
        where = doc.where(("stated_counts", status_id))
        if status_id not in labels:
            raise ConfigError(f"{where}: stated_counts: unknown status {status_id!r}")
        actual = sum(1 for a in actions if a.entry.status == status_id)
        if typed != actual:
            warnings.append(
                f"{where}: stated_counts: {typed} actions '{labels[status_id]}' stated, but the plan lists {actual}"
            )
    return ActionPlan(
        title=data.title, actions=actions, counts=counts, as_of=as_of, warnings=warnings, status_labels=labels
    )
