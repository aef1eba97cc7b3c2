"""Front pages after the contents: version history, changes since the last version, outstanding data."""

from __future__ import annotations

from dataclasses import dataclass, field

from plan_builder.changes.model import Changes
from plan_builder.figures.pending import PendingItem
from plan_builder.inputs.config import VersionEntry


@dataclass(frozen=True)
class FrontPages:
    """What the front pages show; each page appears only when it has something to show."""

    history: list[VersionEntry] = field(default_factory=list)
    """`document_control:` rows from plan.yaml, and circulated versions it does not list."""
    changes: Changes | None = None
    """Drafts with `changes_page: true`: the comparison with the last circulated version."""
    outstanding: list[PendingItem] = field(default_factory=list)
    """Drafts: data still pending."""
