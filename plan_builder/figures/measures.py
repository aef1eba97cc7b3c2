"""What is measured: the national indicators' measures, and how one measure's value comes from a row of counts.

Formulas (domain reference, section 4):
- FTE rate = first time entrants / children aged 10-17 x 100,000.
- Binary reoffending rate (%) = reoffenders / children in cohort x 100.
- Frequency rate = reoffences / children in cohort (reoffences per child).
- Reoffences per reoffender = reoffences / reoffenders.
- Custody rate = custodial sentences / children aged 10-17 x 1,000.
- KPI measure (%) = numerator / denominator x 100.
Values are computed from the counts, unrounded; only display rounds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from plan_builder.figures.figure import Polarity, Unit
from plan_builder.figures.periods import Period
from plan_builder.inputs.data import Record
from plan_builder.inputs.markers import kind_of

Compare = Literal["previous-year", "previous-period"]
"""What 'previous' means: the same period a year earlier, or the period just before."""

UNIT_SCALE = {
    Unit.PERCENT: 100,
    Unit.RATE_PER_1K: 1_000,
    Unit.RATE_PER_10K: 10_000,
    Unit.RATE_PER_100K: 100_000,
    Unit.RATIO: 1,
    Unit.COUNT: 1,
}
"""numerator / denominator x scale gives a value in the unit."""


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
    """One area's counts for one period or cohort, and where they came from."""

    area: str
    period: Period
    counts: dict[str, int | None]
    source: str
    """'data/fte.csv row 7' (or several rows, for a summed cohort)."""
    notes: tuple[str, ...] = ()
    """Where an input came from when not from the row itself (a population from the population table)."""
    missing: dict[str, str] = field(default_factory=dict)
    """Counts marked missing on purpose in the data -> why ("not available ('..') in data/fte.csv row 7")."""

    @property
    def label(self) -> str:
        """Display label of the period."""
        return self.period.label


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


def _reoffending_rate(key: str, label: str, unit: Unit, numerator: str, denominator: str, basis: str) -> Measure:
    scale = 100 if unit is Unit.PERCENT else 1
    return Measure(
        key, label, unit, Polarity.LOWER, numerator, denominator, scale, basis, rated=True, children_denominator=True
    )


def reoffending_indicator(kind: str) -> Indicator:
    """Reoffending measures for `kind` ('quarterly' or 'annual') cohorts."""
    return Indicator(
        prefix=f"reoffending.{kind}",
        label=f"Reoffending ({kind} cohort)",
        compare="previous-year",
        measures=(
            Measure("children", "Children in the cohort", Unit.COUNT, Polarity.NEUTRAL, "children"),
            Measure("reoffenders", "Children who reoffended", Unit.COUNT, Polarity.LOWER, "reoffenders"),
            Measure("reoffences", "Proven reoffences", Unit.COUNT, Polarity.LOWER, "reoffences"),
            _reoffending_rate(
                "binary",
                "Binary reoffending rate",
                Unit.PERCENT,
                "reoffenders",
                "children",
                "children who reoffended / children in the cohort x 100",
            ),
            _reoffending_rate(
                "frequency",
                "Reoffences per child in the cohort",
                Unit.RATIO,
                "reoffences",
                "children",
                "proven reoffences / children in the cohort",
            ),
            _reoffending_rate(
                "per_reoffender",
                "Reoffences per reoffender",
                Unit.RATIO,
                "reoffences",
                "reoffenders",
                "proven reoffences / children who reoffended",
            ),
        ),
    )


def rows_from_records(records: Iterable[Record], start: str, end: str, counts: tuple[str, ...]) -> list[Row]:
    """Turn loaded records into rows of counts, keyed by the named start and end columns."""
    return [
        Row(
            r["area"],
            Period(r[start], r[end]),
            {c: r.values.get(c) for c in counts},
            r.source,
            missing=_marked(r, counts),
        )
        for r in records
    ]


def _marked(record: Record, columns: Iterable[str]) -> dict[str, str]:
    """Why each of `columns` that the data marks missing is missing, and where: "not available ('..') in ... row 7"."""
    return {c: f"{record.missing[c]} in {record.source}" for c in columns if c in record.missing}


def _missing(row: Row, column: str) -> str:
    """Why a count is missing: "fte_count for Jan-Dec 2024 is not available ('..') in data/fte.csv row 7"."""
    why = row.missing.get(column)
    return f"{column} for {row.label} is {why}" if why else f"{column} is missing for {row.label}"


def missing_kind(measure: Measure, row: Row) -> str:
    """The short word a table shows for a measure the source withholds ('suppressed'), or ''."""
    for column in (measure.numerator, measure.denominator):
        if column is not None and row.counts.get(column) is None and column in row.missing:
            return kind_of(row.missing[column])
    return ""


def measure_value(measure: Measure, row: Row) -> tuple[float | None, str, dict[str, float | None]]:
    """Return (unrounded value, reason if none, inputs) for `measure` in `row`."""
    numerator = row.counts.get(measure.numerator)
    inputs: dict[str, float | None] = {measure.numerator: numerator}
    if measure.denominator is None:
        if numerator is None:
            return None, _missing(row, measure.numerator), inputs
        return float(numerator), "", inputs
    denominator = row.counts.get(measure.denominator)
    inputs[measure.denominator] = denominator
    if numerator is None:
        return None, _missing(row, measure.numerator), inputs
    if denominator is None:
        return None, _missing(row, measure.denominator), inputs
    if denominator == 0:
        return None, f"{measure.denominator} is zero for {row.label}", inputs
    value = numerator / denominator * measure.scale
    if not math.isfinite(value):
        return None, f"{measure.numerator} / {measure.denominator} is too large to compute for {row.label}", inputs
    return value, "", inputs


def small_number_caveat(counts: str, denominator: float | None, threshold: int) -> str:
    """The caveat for a rate whose denominator counts fewer than `threshold` children (or `counts`)."""
    if denominator is not None and 0 < denominator < threshold:
        return f"small number: {int(denominator)} {counts}; rates can swing widely"
    return ""


def caveat_for(measure: Measure, inputs: dict[str, float | None], threshold: int) -> str:
    """A measure's small-number caveat, for measures whose denominator counts people."""
    if not measure.children_denominator or measure.denominator is None:
        return ""
    return small_number_caveat(measure.counts, inputs.get(measure.denominator), threshold)


def series_label(series_id: str) -> str:
    """What a chart's series id shows, in words: 'fte.rate' -> 'first time entrants per 100,000 children aged 10-17'.

    For an id that names no known measure, the id itself with its dots and underscores as spaces.
    """
    prefix, _, key = series_id.rpartition(".")
    kind = prefix.partition(".")[2]
    indicators = {"fte": FTE, "custody": CUSTODY} | {
        f"reoffending.{k}": reoffending_indicator(k) for k in ("annual", "quarterly")
    }
    indicator = indicators.get(prefix)
    measure = next((m for m in indicator.measures if m.key == key), None) if indicator else None
    if measure is None:
        return series_id.replace(".", " ").replace("_", " ")
    return measure.label.lower() + (f" ({kind} cohorts)" if prefix.startswith("reoffending.") else "")
