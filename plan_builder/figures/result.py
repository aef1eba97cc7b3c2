"""What the compute stage produces: every figure by id, the series charts draw, the summary table's rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from plan_builder.figures.figure import Figure
from plan_builder.figures.measures import Measure
from plan_builder.figures.pending import PendingItem

DATASET_PREFIXES = {"kpis": "kpi"}
"""Dataset names whose figures live under a different top-level name."""


@dataclass(frozen=True)
class Series:
    """A measure over time for the service and its comparators: what a trend chart and trend table show."""

    id: str
    title: str
    measure: Measure
    periods: list[str]
    lines: dict[str, list[float | None]]
    """Area display name -> values aligned with `periods`; the service comes first."""
    latest: Figure
    previous: Figure | None
    shape: str = ""
    """The shape of its periods in words ('calendar years (Jan-Dec)'), for captions."""
    basis: str = ""
    """Where the values come from (populations, comparators summed from members), for the note under the chart."""
    gaps: dict[str, list[str]] = field(default_factory=dict)
    """Area -> aligned with `periods`: why a value is missing in a word ('suppressed'), or ''."""
    source: str = ""
    """The dataset's source and release ('Youth Justice Statistics 2023-24 (released 30 January 2025)')."""


@dataclass(frozen=True)
class SummaryRow:
    """One line of the performance summary table."""

    label: str
    latest: Figure
    previous: Figure | None
    change: Figure | None
    family: Figure | None
    national: Figure | None


@dataclass
class PerformanceResult:
    """Everything the compute stage produces for rendering and for `plan-builder figures`."""

    figures: dict[str, Figure] = field(default_factory=dict)
    periods: dict[str, str] = field(default_factory=dict)
    """Period labels by id, e.g. 'fte.latest.period' -> 'Jan-Dec 2024'."""
    series: dict[str, Series] = field(default_factory=dict)
    summary: list[SummaryRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pending: list[PendingItem] = field(default_factory=list)
    broken: list[PendingItem] = field(default_factory=list)
    """Datasets that could not be read (their problems are reported by the load stage)."""
    scorecard: list[object] = field(default_factory=list)
    """Local indicators as scorecard rows (`figures.local.ScorecardRow`), in file order."""
    breakdowns: dict[str, object] = field(default_factory=dict)
    """Breakdowns by indicator id (`figures.local.Breakdown`)."""
    kpi_notes: dict[str, object] = field(default_factory=dict)
    """Each KPI's adopter and commentary by KPI id (`figures.kpis.KpiNote`)."""
    sources: dict[str, str] = field(default_factory=dict)
    """Dataset -> its source and release, for the notes under tables."""

    def pending_for(self, figure_id: str) -> PendingItem | None:
        """The pending item a figure waits for (its own id, or its dataset), if any."""
        for item in self.pending:
            if item.what == figure_id or figure_id.startswith(f"{DATASET_PREFIXES.get(item.what, item.what)}."):
                return item
        return None

    def add(self, figure: Figure) -> Figure:
        """Register a figure under its id."""
        self.figures[figure.id] = figure
        return figure
