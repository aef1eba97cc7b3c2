"""Local indicators: the service's own measures, as scorecard rows with a series of periods.

Each indicator in the local indicators YAML has a unit (count, percent, ratio, or a rate per
1,000, 10,000 or 100,000), a polarity ("good performance is higher/lower"), optional target and
tolerance, benchmarks (any named comparators, with a value per period), and a value for each
period it covers (months, quarters or years): numerator and denominator, a value, or named
parts that add up to a total (a breakdown). plan-builder computes every period's value, the
latest and previous, change, RAG, direction, year to date and the small-number caveat, and
checks every typed value (`stated`) against the computed one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, model_validator

from plan_builder.errors import ConfigError
from plan_builder.figures.figure import Figure, Polarity, Unit
from plan_builder.figures.measures import UNIT_SCALE, Compare, small_number_caveat
from plan_builder.figures.periods import Period, parse_period
from plan_builder.inputs.performance_settings import ChangeKind, RagRule
from plan_builder.inputs.schema import StrictModel, TypedNumber, validate
from plan_builder.inputs.yamlio import YamlDocument, load_yaml


class LocalPeriod(StrictModel):
    """One period's value of a local indicator: a ratio of counts, a value, or parts adding to a total."""

    period: str
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    parts: dict[str, float] = Field(default_factory=dict)
    """A breakdown: named parts whose sum is the period's value."""
    stated: TypedNumber | None = None
    """A value typed elsewhere for this period, checked against the computed one at the precision typed."""
    stated_total: float | None = None
    """For a breakdown: the total typed elsewhere, checked against the sum of the parts."""

    @model_validator(mode="after")
    def _one_source(self) -> LocalPeriod:
        given = [self.value is not None, self.numerator is not None or self.denominator is not None, bool(self.parts)]
        if sum(given) > 1:
            raise ValueError("give one of: numerator and denominator, value, or parts")
        return self


class LocalIndicator(StrictModel):
    """An indicator the service tracks locally (declared in YAML)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    unit: Unit
    polarity: Polarity
    target: float | None = None
    tolerance: float = 0
    rag: RagRule | None = None
    """A RAG rule of any scheme; by default, against `target` when there is one."""
    compare: Compare = "previous-period"
    """'previous-period' (the month or quarter before) or 'previous-year' (the same period a year earlier)."""
    change: ChangeKind | None = None
    counts: str = "children"
    """What the denominator counts, for the small-number caveat."""
    periods: list[LocalPeriod] = Field(default_factory=list)
    latest: LocalPeriod | None = None
    previous: LocalPeriod | None = None
    stated: TypedNumber | None = None
    """Typed value of the latest period (same as `stated` on the latest period)."""
    benchmarks: dict[str, dict[str, float]] = Field(default_factory=dict)
    """Comparator name -> period label -> value, e.g. 'statistical neighbours': {'Mar 2025': 88.1}."""
    notes: str = ""
    """Data notes shown with the scorecard row."""

    def all_periods(self) -> list[LocalPeriod]:
        """`periods`, with `previous` and `latest` (the older way of giving two periods) added."""
        extra = [p for p in (self.previous, self.latest) if p is not None]
        if self.latest is not None and self.stated is not None and self.latest.stated is None:
            extra[-1] = self.latest.model_copy(update={"stated": self.stated})
        return [*self.periods, *extra]


class LocalIndicatorFile(StrictModel):
    """The local indicators file."""

    indicators: list[LocalIndicator] = Field(default_factory=list)


@dataclass(frozen=True)
class Breakdown:
    """An indicator's parts for its latest period, with their total and shares."""

    name: str
    period: str
    parts: list[tuple[str, float]]
    total: float
    stated_total: float | None


@dataclass(frozen=True)
class ScorecardRow:
    """One local indicator as a scorecard row: its series, latest figure, target and benchmarks."""

    indicator: LocalIndicator
    periods: list[tuple[Period, Figure]]
    """Every period's figure, in time order."""
    latest: Figure
    previous: Figure | None
    change: Figure | None
    year_to_date: Figure | None
    benchmarks: dict[str, Figure] = field(default_factory=dict)

    @property
    def good_performance(self) -> str:
        """'higher', 'lower' or 'neither' (a measure with no better direction)."""
        return {Polarity.HIGHER: "higher", Polarity.LOWER: "lower"}.get(self.indicator.polarity, "neither")


def load_local_indicators(path: Path, display: Path) -> tuple[list[LocalIndicator], YamlDocument]:
    """Read and validate the local indicators file."""
    if not path.is_file():
        raise ConfigError(f"{display}: local indicators file not found")
    doc = load_yaml(path, display)
    return validate(LocalIndicatorFile, doc).indicators, doc


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "part"


def _value(indicator: LocalIndicator, entry: LocalPeriod) -> tuple[float | None, str, dict[str, float | None]]:
    """(value, reason if none, inputs) of one period."""
    if entry.parts:
        return sum(entry.parts.values()), "", {**entry.parts}
    if entry.value is not None:
        return entry.value, "", {"value": entry.value}
    inputs = {"numerator": entry.numerator, "denominator": entry.denominator}
    if entry.numerator is None or entry.denominator is None:
        return None, f"numerator or denominator missing for {entry.period}", inputs
    if entry.denominator == 0:
        return None, f"denominator is zero for {entry.period}", inputs
    value = entry.numerator / entry.denominator * UNIT_SCALE.get(indicator.unit, 1)
    if not math.isfinite(value):  # e.g. 1e300 / 1e-300: too large for a float
        return None, f"numerator / denominator is too large to compute for {entry.period}", inputs
    return value, "", inputs


def _basis(indicator: LocalIndicator) -> str:
    scale = UNIT_SCALE.get(indicator.unit, 1)
    return "numerator / denominator" + (f" x {scale:,}" if scale != 1 else "")


def _figure(indicator: LocalIndicator, ident: str, period: Period, entry: LocalPeriod, threshold: int) -> Figure:
    value, reason, inputs = _value(indicator, entry)
    ratio = entry.denominator is not None and indicator.unit is not Unit.COUNT
    return Figure(
        id=ident,
        label=indicator.name,
        value=value,
        unit=indicator.unit,
        period=period.label,
        inputs=inputs,
        polarity=indicator.polarity,
        reason=reason,
        basis="sum of the parts" if entry.parts else (_basis(indicator) if ratio else "as reported"),
        caveat=small_number_caveat(indicator.counts, entry.denominator, threshold) if ratio else "",
    )


def parsed_periods(indicator: LocalIndicator, doc: YamlDocument, index: int) -> list[tuple[Period, LocalPeriod]]:
    """Each period entry with its parsed label, in time order; an unreadable or repeated label is an error."""
    found: dict[Period, LocalPeriod] = {}
    problems = []
    for entry in indicator.all_periods():
        try:
            period = parse_period(entry.period)
        except ValueError as exc:
            problems.append(f"{doc.where(('indicators', index))}: indicator {indicator.id}: period {exc}")
            continue
        if period in found:
            problems.append(
                f"{doc.where(('indicators', index))}: indicator {indicator.id}: period {entry.period!r} is given twice"
            )
        found[period] = entry
    if problems:
        raise ConfigError(*problems)
    return sorted(found.items())
