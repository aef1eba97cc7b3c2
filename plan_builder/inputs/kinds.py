"""The kinds of document plan-builder writes from one plan folder's data, and what makes each its kind.

A kind decides the document's name (on the cover, in the header and the properties), whether
it has a contents page and a sign-off, which YJB heading checks apply, and its default outline:
the sections (each a title and the blocks it shows) written when the document lists no
sections of its own. The blocks are the registry's (`parts/registry.py`), so every kind draws
the same figures the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from plan_builder.inputs.config import PLAN_DOCUMENT


class OutlineSection(NamedTuple):
    """A section of a kind's default outline."""

    title: str
    blocks: tuple[str, ...]
    """The blocks (`::: name`) it shows."""
    heading: str | None = None
    """The YJB heading it stands for, where it is one (an annual update's 'performance')."""


@dataclass(frozen=True)
class Kind:
    """What a kind of document is."""

    id: str
    name: str
    """Its name as the reader sees it: 'Youth Justice Plan', 'Performance report'."""
    default_title: str
    """The title when plan.yaml gives none, after the service name: '{name} {period}'."""
    keywords: str
    yjb_headings: str
    """'all' (the YJB section list applies), 'update' (the annual update's shorter list) or 'none'."""
    outline: tuple[OutlineSection, ...] = ()
    """Default sections, used when the document lists none."""


KINDS: dict[str, Kind] = {
    PLAN_DOCUMENT: Kind(
        PLAN_DOCUMENT, "Youth Justice Plan", "Youth Justice Plan {period}", "youth justice plan", "all"
    ),
    "plan-update": Kind(
        "plan-update",
        "Youth Justice Plan annual update",
        "Youth Justice Plan annual update {period}",
        "youth justice plan; annual update",
        "update",
        (
            OutlineSection("Progress on our priorities", ("action-plan",), "progress-on-previous-plan"),
            OutlineSection("Performance", ("performance-summary", "chart"), "performance"),
            OutlineSection("Budget", ("budget-table",)),
            OutlineSection("Sign-off", ("signoff",), "sign-off"),
        ),
    ),
    "performance-report": Kind(
        "performance-report",
        "Performance report",
        "Performance report to the management board, {period}",
        "youth justice; performance report; management board",
        "none",
        (
            OutlineSection("National indicators", ("indicator-panels",)),
            OutlineSection("Trends against comparators", ("chart",)),
            OutlineSection("Key performance indicators", ("kpi-table",)),
            OutlineSection("Local indicators", ("scorecard",)),
        ),
    ),
    "scorecard": Kind(
        "scorecard",
        "Performance scorecard",
        "Performance scorecard, {period}",
        "youth justice; scorecard",
        "none",
        (OutlineSection("Scorecard", ("scorecard",)), OutlineSection("National indicators", ("performance-summary",))),
    ),
    "progress-report": Kind(
        "progress-report",
        "Progress report",
        "Youth justice progress report, {period}",
        "youth justice; progress report; action plans",
        "none",
        (
            OutlineSection("Progress on the action plans", ("action-plan",)),
            OutlineSection("Budget outturn", ("budget-variance",)),
            OutlineSection("Performance", ("performance-summary",)),
        ),
    ),
}
"""Every kind by id; plan.yaml's `documents:` entries name one in `kind:`."""
