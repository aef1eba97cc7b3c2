"""Compute every performance figure from raw counts: rates, changes, RAG and direction.

Formulas (domain reference, section 4):
- FTE rate = first time entrants / children aged 10-17 x 100,000.
- Binary reoffending rate (%) = reoffenders / children in cohort x 100.
- Frequency rate = reoffences / children in cohort (reoffences per child).
- Reoffences per reoffender = reoffences / reoffenders.
- Custody rate = custodial sentences / children aged 10-17 x 1,000.
- KPI measure (%) = numerator / denominator x 100.
An annual reoffending cohort sums the counts of its four quarters; rates are never
averaged. Changes are % change for counts and rates and percentage points for
percentages, always from unrounded values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from plan_builder.figures.figure import Figure, Polarity, Rag, Unit
from plan_builder.figures.formatting import period_label
from plan_builder.figures.pending import PendingItem
from plan_builder.figures.rag import COMPARATOR_NAMES, direction_of_travel, rate_against_comparator, rate_against_target
from plan_builder.inputs.config import Performance, RagRule
from plan_builder.inputs.data import Dataset, Record

Compare = Literal["previous-year", "previous-period"]


@dataclass(frozen=True)
class Measure:
    """One figure an indicator yields for each period: a count, or a ratio of two counts."""

    key: str
    label: str
    unit: Unit
    polarity: Polarity
    numerator: str
    denominator: str | None = None
    scale: float = 1.0
    basis: str = ""
    rated: bool = False
    """Rated measures get RAG and direction, appear in the summary table and charts."""
    children_denominator: bool = False
    """The denominator counts people, so a small one makes the rate swing."""
    counts: str = "children"
    """What the denominator counts, for the small-number caveat."""


@dataclass(frozen=True)
class Indicator:
    """A group of measures computed from the same rows (e.g. all FTE figures)."""

    prefix: str
    label: str
    measures: tuple[Measure, ...]
    compare: Compare
    default_comparator: str = "family"


@dataclass(frozen=True)
class Row:
    """One area's counts for one period or cohort."""

    area: str
    start: dt.date
    end: dt.date
    counts: dict[str, int | None]
    source: str
    missing: dict[str, str] = field(default_factory=dict)
    """Counts marked missing on purpose in the data -> why ("not available ('..')")."""

    @property
    def label(self) -> str:
        """Display label of the period."""
        return period_label(self.start, self.end)


@dataclass(frozen=True)
class Series:
    """A measure over time for the service and its comparators: what a trend chart draws."""

    id: str
    title: str
    measure: Measure
    periods: list[str]
    lines: dict[str, list[float | None]]
    """Area display name -> values aligned with `periods`; the service comes first."""
    latest: Figure
    previous: Figure | None


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


DATASET_PREFIXES = {"kpis": "kpi"}
"""Dataset names whose figures live under a different top-level name."""

POPULATION_BASIS = "children aged 10-17 (ONS mid-year estimate)"

FTE = Indicator(
    prefix="fte",
    label="First time entrants",
    compare="previous-year",
    measures=(
        Measure("count", "First time entrants", Unit.COUNT, Polarity.LOWER, "fte_count", basis="children"),
        Measure("population", "Children aged 10-17", Unit.COUNT, Polarity.NEUTRAL, "population_10_17"),
        Measure(
            "rate",
            "First time entrants per 100,000 children aged 10-17",
            Unit.RATE_PER_100K,
            Polarity.LOWER,
            "fte_count",
            "population_10_17",
            100_000,
            f"first time entrants / {POPULATION_BASIS} x 100,000",
            rated=True,
        ),
    ),
)

CUSTODY = Indicator(
    prefix="custody",
    label="Use of custody",
    compare="previous-year",
    measures=(
        Measure("sentences", "Custodial sentences", Unit.COUNT, Polarity.LOWER, "custodial_sentences"),
        Measure("population", "Children aged 10-17", Unit.COUNT, Polarity.NEUTRAL, "population_10_17"),
        Measure(
            "rate",
            "Custodial sentences per 1,000 children aged 10-17",
            Unit.RATE_PER_1K,
            Polarity.LOWER,
            "custodial_sentences",
            "population_10_17",
            1_000,
            f"custodial sentences / {POPULATION_BASIS} x 1,000",
            rated=True,
        ),
    ),
)


def reoffending_indicator(kind: str) -> Indicator:
    """Reoffending measures for `kind` ('quarterly' or 'annual') cohorts."""
    cohort = f"{kind} cohort"
    return Indicator(
        prefix=f"reoffending.{kind}",
        label=f"Reoffending ({cohort})",
        compare="previous-year",
        measures=(
            Measure("children", "Children in the cohort", Unit.COUNT, Polarity.NEUTRAL, "children"),
            Measure("reoffenders", "Children who reoffended", Unit.COUNT, Polarity.LOWER, "reoffenders"),
            Measure("reoffences", "Proven reoffences", Unit.COUNT, Polarity.LOWER, "reoffences"),
            Measure(
                "binary",
                "Binary reoffending rate",
                Unit.PERCENT,
                Polarity.LOWER,
                "reoffenders",
                "children",
                100,
                "children who reoffended / children in the cohort x 100",
                rated=True,
                children_denominator=True,
            ),
            Measure(
                "frequency",
                "Reoffences per child in the cohort",
                Unit.RATIO,
                Polarity.LOWER,
                "reoffences",
                "children",
                1,
                "proven reoffences / children in the cohort",
                rated=True,
                children_denominator=True,
            ),
            Measure(
                "per_reoffender",
                "Reoffences per reoffender",
                Unit.RATIO,
                Polarity.LOWER,
                "reoffences",
                "reoffenders",
                1,
                "proven reoffences / children who reoffended",
                rated=True,
                children_denominator=True,
            ),
        ),
    )


def rows_from_records(records: Iterable[Record], start: str, end: str, counts: tuple[str, ...]) -> list[Row]:
    """Turn loaded records into rows of counts, keyed by the named start and end columns."""
    return [Row(r["area"], r[start], r[end], {c: r[c] for c in counts}, r.source, _marked(r, counts)) for r in records]


def _marked(record: Record, columns: Iterable[str]) -> dict[str, str]:
    """Why each of `columns` that the data marks missing is missing, and where: "not available ('..') in ... row 7"."""
    return {c: f"{record.missing[c]} in {record.source}" for c in columns if c in record.missing}


def _by_area(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.area, []).append(row)
    for area_rows in grouped.values():
        area_rows.sort(key=lambda r: (r.end, r.start))
    return grouped


def measure_value(measure: Measure, row: Row) -> tuple[float | None, str, dict[str, float | None]]:
    """Return (unrounded value, reason if none, inputs) for `measure` in `row`."""
    numerator = row.counts.get(measure.numerator)
    inputs: dict[str, float | None] = {measure.numerator: numerator}
    if measure.denominator is None:
        return (None, _missing(row, measure.numerator), inputs) if numerator is None else (float(numerator), "", inputs)
    denominator = row.counts.get(measure.denominator)
    inputs[measure.denominator] = denominator
    if numerator is None:
        return None, _missing(row, measure.numerator), inputs
    if denominator is None:
        return None, _missing(row, measure.denominator), inputs
    if denominator == 0:
        return None, f"{measure.denominator} is zero for {row.label}", inputs
    return numerator / denominator * measure.scale, "", inputs


def _missing(row: Row, column: str) -> str:
    """Why a count is missing: "fte_count for Jan-Dec 2024 is not available ('..') in data/fte.csv row 7"."""
    why = row.missing.get(column)
    return f"{column} for {row.label} is {why}" if why else f"{column} is missing for {row.label}"


def _previous(rows: list[Row], latest: Row, compare: Compare) -> Row | None:
    earlier = [r for r in rows if r.end < latest.end]
    if not earlier:
        return None
    if compare == "previous-year":
        try:
            target_end = latest.end.replace(year=latest.end.year - 1)
        except ValueError:  # 29 February
            target_end = latest.end.replace(year=latest.end.year - 1, day=28)
        same_length = [
            r
            for r in earlier
            if r.end == target_end and (r.end - r.start).days // 28 == (latest.end - latest.start).days // 28
        ]
        if same_length:
            return same_length[-1]
    return earlier[-1]


def _caveat(measure: Measure, inputs: dict[str, float | None], threshold: int) -> str:
    if not measure.children_denominator or measure.denominator is None:
        return ""
    denominator = inputs.get(measure.denominator)
    if denominator is not None and 0 < denominator < threshold:
        return f"small number: {int(denominator)} {measure.counts}; rates can swing widely"
    return ""


def _figure(indicator: Indicator, measure: Measure, slot: str, row: Row, threshold: int, **extra: object) -> Figure:
    value, reason, inputs = measure_value(measure, row)
    return Figure(
        id=f"{indicator.prefix}.{slot}.{measure.key}",
        label=f"{indicator.label}: {measure.label}",
        value=value,
        unit=measure.unit,
        period=row.label,
        area=row.area,
        inputs=inputs,
        basis=measure.basis,
        polarity=measure.polarity,
        reason=reason,
        caveat=_caveat(measure, inputs, threshold),
        **extra,  # type: ignore[arg-type]
    )


def _change(indicator: Indicator, measure: Measure, latest: Figure, previous: Figure | None) -> Figure:
    points = measure.unit is Unit.PERCENT
    unit = Unit.POINTS_CHANGE if points else Unit.PERCENT_CHANGE
    ident = f"{indicator.prefix}.change.{measure.key}"
    label = f"{indicator.label}: change in {measure.label.lower()}"
    inputs = {"latest": latest.value, "previous": previous.value if previous else None}
    reason = ""
    value: float | None = None
    if previous is None:
        reason = "no earlier period in the data"
    elif latest.value is None or previous.value is None:
        reason = "latest or previous value not available"
    elif points:
        value = latest.value - previous.value
    elif previous.value == 0:
        reason = "previous value is zero"
    else:
        value = (latest.value - previous.value) / previous.value * 100
    basis = "latest - previous (percentage points)" if points else "(latest - previous) / previous x 100"
    period = f"{previous.period} to {latest.period}" if previous else latest.period
    direction = direction_of_travel(latest.value, previous.value if previous else None, measure.polarity)
    return Figure(
        id=ident,
        label=label,
        value=value,
        unit=unit,
        period=period,
        area=latest.area,
        inputs=inputs,
        basis=basis,
        polarity=measure.polarity,
        direction=direction,
        reason=reason,
    )


def _rate(latest: Figure, rule: RagRule, comparators: dict[str, Figure]) -> tuple[Rag, str]:
    if latest.value is None:
        return Rag.NOT_RATED, "no value"
    if rule.target is not None:
        return rate_against_target(latest.value, latest.polarity, rule.target, rule.tolerance)
    role = rule.comparator or "family"
    other = comparators.get(role)
    return rate_against_comparator(
        latest.value, latest.polarity, other.value if other else None, role, rule.tolerance_pct
    )


def compute_indicator(
    result: PerformanceResult,
    indicator: Indicator,
    rows: list[Row],
    config: Performance,
    *,
    title: str | None = None,
) -> None:
    """Compute one indicator's figures, series and summary rows into `result`."""
    by_area = _by_area(rows)
    service_rows = by_area.get(config.area, [])
    if not service_rows:
        result.warnings.append(f"{indicator.label}: no rows for the service area {config.area!r}")
        return
    latest_row = service_rows[-1]
    previous_row = _previous(service_rows, latest_row, indicator.compare)
    result.periods[f"{indicator.prefix}.latest.period"] = latest_row.label
    if previous_row:
        result.periods[f"{indicator.prefix}.previous.period"] = previous_row.label
    threshold = config.small_denominator

    for measure in indicator.measures:
        comparators: dict[str, Figure] = {}
        for role, area in config.comparators.items():
            match = [r for r in by_area.get(area, []) if (r.start, r.end) == (latest_row.start, latest_row.end)]
            if match:
                comparators[role] = result.add(_figure(indicator, measure, role, match[0], threshold))
            else:
                comparators[role] = result.add(
                    Figure(
                        id=f"{indicator.prefix}.{role}.{measure.key}",
                        label=f"{indicator.label}: {measure.label}",
                        value=None,
                        unit=measure.unit,
                        period=latest_row.label,
                        area=area,
                        polarity=measure.polarity,
                        basis=measure.basis,
                        reason=f"no {COMPARATOR_NAMES[role]} data for {latest_row.label}",
                    )
                )
        previous = (
            result.add(_figure(indicator, measure, "previous", previous_row, threshold)) if previous_row else None
        )
        latest = _figure(indicator, measure, "latest", latest_row, threshold)
        change = result.add(_change(indicator, measure, latest, previous))
        if measure.rated or measure.polarity is not Polarity.NEUTRAL:
            fig_id = latest.id
            rule = config.rag.get(fig_id) or RagRule(comparator=indicator.default_comparator)  # type: ignore[arg-type]
            rag, why = _rate(latest, rule, comparators) if measure.rated else (None, "")
            latest = Figure(**{**latest.__dict__, "rag": rag, "rag_reason": why, "direction": change.direction})
        result.add(latest)
        if measure.rated:
            result.summary.append(
                SummaryRow(
                    label=f"{indicator.label}: {measure.label}",
                    latest=latest,
                    previous=previous,
                    change=change,
                    family=comparators.get("family"),
                    national=comparators.get("national"),
                )
            )
            result.series[f"{indicator.prefix}.{measure.key}"] = _series(
                indicator, measure, by_area, config, latest, previous, title
            )


def _series(
    indicator: Indicator,
    measure: Measure,
    by_area: dict[str, list[Row]],
    config: Performance,
    latest: Figure,
    previous: Figure | None,
    title: str | None,
) -> Series:
    service_rows = by_area[config.area]
    if indicator.compare == "previous-year":
        # Year-on-year: plot only periods ending on the same day of the year as the latest,
        # so overlapping rolling cohorts are not drawn as if they were separate years.
        last = service_rows[-1].end
        service_rows = [r for r in service_rows if (r.end.month, r.end.day) == (last.month, last.day)]
    keys = [(r.start, r.end) for r in service_rows]
    lines: dict[str, list[float | None]] = {}
    for area in [config.area, *config.comparators.values()]:
        rows = {(r.start, r.end): r for r in by_area.get(area, [])}
        values = [measure_value(measure, rows[k])[0] if k in rows else None for k in keys]
        if any(v is not None for v in values):
            lines[area] = values
    return Series(
        id=f"{indicator.prefix}.{measure.key}",
        title=title or measure.label,
        measure=measure,
        periods=[period_label(*k) for k in keys],
        lines=lines,
        latest=latest,
        previous=previous,
    )


def annual_from_quarters(rows: list[Row]) -> list[Row]:
    """Sum each run of four consecutive quarterly cohorts into an annual cohort.

    Counts are summed (never rates averaged); a missing count makes the sum missing.
    """
    annual = []
    for index in range(3, len(rows)):
        quarters = rows[index - 3 : index + 1]
        consecutive = all(quarters[i].start == quarters[i - 1].end + dt.timedelta(days=1) for i in range(1, 4))
        if not consecutive:
            continue
        counts: dict[str, int | None] = {}
        missing: dict[str, str] = {}
        for key in quarters[0].counts:
            values = [q.counts[key] for q in quarters]
            counts[key] = None if any(v is None for v in values) else sum(v for v in values if v is not None)
            gap = next((q for q in quarters if q.counts[key] is None and key in q.missing), None)
            if gap is not None:
                missing[key] = f"{gap.missing[key]} ({gap.label})"
        sources = ", ".join(q.source.rsplit(" row ", 1)[-1] for q in quarters)
        annual.append(
            Row(
                quarters[0].area,
                quarters[0].start,
                quarters[-1].end,
                counts,
                f"{quarters[0].source.rsplit(' row ', 1)[0]} rows {sources} (summed)",
                missing,
            )
        )
    return annual


def reoffending_rows(dataset: Dataset) -> dict[str, list[Row]]:
    """Split cohorts into quarterly and annual; derive annual cohorts from quarters where none are given."""
    counts = ("children", "reoffenders", "reoffences")
    quarterly = rows_from_records(
        [r for r in dataset.records if r["cohort_type"] == "quarterly"], "cohort_start", "cohort_end", counts
    )
    annual = rows_from_records(
        [r for r in dataset.records if r["cohort_type"] == "annual"], "cohort_start", "cohort_end", counts
    )
    given_annual = {row.area for row in annual}
    for area, area_rows in _by_area(quarterly).items():
        if area not in given_annual:
            annual.extend(annual_from_quarters(area_rows))
    return {"quarterly": quarterly, "annual": annual}
