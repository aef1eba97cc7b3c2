"""The ten YJB KPIs and local indicators, computed as `metrics` indicators.

KPI rows arrive one per measure (numerator, denominator); they are regrouped into
one row per area and quarter so each measure becomes a percentage figure like
any other. Chained measures (need -> offered -> attending) are checked: each
denominator should equal the previous measure's numerator.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field

from plan_builder.errors import ConfigError
from plan_builder.figures.figure import Figure, Polarity, Unit
from plan_builder.figures.metrics import Indicator, Measure, PerformanceResult, Row
from plan_builder.figures.rag import direction_of_travel, rate_against_target
from plan_builder.inputs.data import Dataset
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.yamlio import YamlDocument, load_yaml, parse_yaml


class KpiMeasure(StrictModel):
    """One percentage measure of a KPI."""

    id: str
    label: str
    polarity: Polarity
    headline: bool = False


class KpiDefinition(StrictModel):
    """A KPI: its number, name, measures and any chain between them."""

    id: str
    number: int
    name: str
    measures: list[KpiMeasure]
    chain: list[str] = Field(default_factory=list)
    counts: str = "children"
    """What the denominators count, for the small-number caveat."""


class KpiList(StrictModel):
    """The packaged list of KPIs."""

    kpis: list[KpiDefinition]


def load_kpi_definitions() -> list[KpiDefinition]:
    """Read `plan_builder/defaults/kpis.yaml` (once per process: packaged files do not change)."""
    return list(_kpi_definitions())


@lru_cache(maxsize=1)
def _kpi_definitions() -> tuple[KpiDefinition, ...]:
    text = (resources.files("plan_builder.inputs") / "defaults" / "kpis.yaml").read_text(encoding="utf-8")
    return tuple(validate(KpiList, parse_yaml(text, Path("plan_builder/defaults/kpis.yaml"))).kpis)


def kpi_indicator(definition: KpiDefinition) -> Indicator:
    """Turn a KPI definition into an indicator whose measures are percentages."""
    measures = tuple(
        Measure(
            key=m.id,
            label=m.label,
            unit=Unit.PERCENT,
            polarity=m.polarity,
            numerator=f"{m.id}.numerator",
            denominator=f"{m.id}.denominator",
            scale=100,
            basis=f"{m.label.lower()}: numerator / denominator x 100",
            rated=m.headline,
            children_denominator=True,
            counts=definition.counts,
        )
        for m in definition.measures
    )
    return Indicator(
        prefix=f"kpi.{definition.id}",
        label=f"KPI {definition.number} {definition.name}",
        measures=measures,
        compare="previous-period",
        default_comparator="national",
    )


def kpi_rows(dataset: Dataset, definitions: list[KpiDefinition]) -> tuple[dict[str, list[Row]], list[str]]:
    """Regroup KPI records into one row per KPI, area and quarter; check ids and chains."""
    known = {d.id: {m.id for m in d.measures} for d in definitions}
    problems: list[str] = []
    grouped: dict[tuple[str, str, object, object], dict[str, int | None]] = {}
    sources: dict[tuple[str, str, object, object], str] = {}
    for record in dataset.records:
        kpi, measure = record["kpi"], record["measure"]
        if kpi not in known:
            problems.append(f"{record.source}, column 'kpi': unknown KPI {kpi!r}; expected one of {', '.join(known)}")
            continue
        if measure not in known[kpi]:
            problems.append(
                f"{record.source}, column 'measure': unknown measure {measure!r} for KPI {kpi!r}; "
                f"expected one of {', '.join(sorted(known[kpi]))}"
            )
            continue
        key = (kpi, record["area"], record["quarter_start"], record["quarter_end"])
        counts = grouped.setdefault(key, {})
        counts[f"{measure}.numerator"] = record["numerator"]
        counts[f"{measure}.denominator"] = record["denominator"]
        sources.setdefault(key, record.source)
    if problems:
        from plan_builder.errors import DataError

        raise DataError(*problems)
    warnings = []
    rows: dict[str, list[Row]] = {}
    by_id = {d.id: d for d in definitions}
    for key, counts in grouped.items():
        kpi, area, start, end = key
        row = Row(area, start, end, counts, sources[key])  # type: ignore[arg-type]
        rows.setdefault(kpi, []).append(row)
        chain = by_id[kpi].chain
        for before, after in zip(chain, chain[1:], strict=False):
            numerator = counts.get(f"{before}.numerator")
            denominator = counts.get(f"{after}.denominator")
            if numerator is not None and denominator is not None and numerator != denominator:
                warnings.append(
                    f"{sources[key]}: KPI {kpi} {row.label} {area}: '{after}' denominator {denominator} "
                    f"should equal '{before}' numerator {numerator} (chained measures)"
                )
    return rows, warnings


class LocalPeriod(StrictModel):
    """One period's value of a local indicator: a ratio of counts, or a value."""

    period: str
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None


class LocalIndicator(StrictModel):
    """An indicator the service tracks locally (declared in YAML)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    unit: Unit
    polarity: Polarity
    target: float | None = None
    tolerance: float = 0
    latest: LocalPeriod
    previous: LocalPeriod | None = None
    stated: float | None = None


class LocalIndicatorFile(StrictModel):
    """The local indicators file."""

    indicators: list[LocalIndicator] = Field(default_factory=list)


def _local_value(indicator: LocalIndicator, period: LocalPeriod) -> tuple[float | None, str, dict[str, float | None]]:
    if period.value is not None:
        return period.value, "", {"value": period.value}
    inputs = {"numerator": period.numerator, "denominator": period.denominator}
    if period.numerator is None or period.denominator is None:
        return None, "numerator or denominator missing", inputs
    if period.denominator == 0:
        return None, f"denominator is zero for {period.period}", inputs
    scale = 100 if indicator.unit is Unit.PERCENT else 1
    value = period.numerator / period.denominator * scale
    if not math.isfinite(value):  # e.g. 1e300 / 1e-300: too large for a float
        return None, f"numerator / denominator is too large to compute for {period.period}", inputs
    return value, "", inputs


def load_local_indicators(path: Path, display: Path) -> tuple[list[LocalIndicator], YamlDocument]:
    """Read and validate the local indicators file."""
    if not path.is_file():
        raise ConfigError(f"{display}: local indicators file not found")
    doc = load_yaml(path, display)
    return validate(LocalIndicatorFile, doc).indicators, doc


def _local_figure(indicator: LocalIndicator, slot: str, period: LocalPeriod, **extra: Any) -> Figure:
    """The figure for one period ('latest' or 'previous') of a local indicator."""
    value, reason, inputs = _local_value(indicator, period)
    return Figure(
        id=f"local.{indicator.id}.{slot}",
        label=indicator.name,
        value=value,
        unit=indicator.unit,
        period=period.period,
        inputs=inputs,
        polarity=indicator.polarity,
        reason=reason,
        basis="numerator / denominator" + (" x 100" if indicator.unit is Unit.PERCENT else ""),
        **extra,
    )


def compute_local(result: PerformanceResult, indicators: list[LocalIndicator], doc: YamlDocument) -> None:
    """Compute local indicator figures, with RAG against their targets."""
    for index, indicator in enumerate(indicators):
        prefix = f"local.{indicator.id}"
        previous = result.add(_local_figure(indicator, "previous", indicator.previous)) if indicator.previous else None
        value = _local_value(indicator, indicator.latest)[0]
        direction = direction_of_travel(value, previous.value if previous else None, indicator.polarity)
        rag, why = (None, "")
        if indicator.target is not None and value is not None:
            rag, why = rate_against_target(value, indicator.polarity, indicator.target, indicator.tolerance)
        latest = result.add(
            _local_figure(indicator, "latest", indicator.latest, rag=rag, rag_reason=why, direction=direction)
        )
        change = None
        if previous is not None:
            points = indicator.unit is Unit.PERCENT
            change_value = None
            if value is not None and previous.value is not None:
                if points:
                    change_value = value - previous.value
                elif previous.value:
                    change_value = (value - previous.value) / previous.value * 100
                if change_value is not None and not math.isfinite(change_value):  # too large for a float
                    change_value = None
            change = result.add(
                Figure(
                    id=f"{prefix}.change",
                    label=f"{indicator.name}: change",
                    value=change_value,
                    unit=Unit.POINTS_CHANGE if points else Unit.PERCENT_CHANGE,
                    period=f"{previous.period} to {latest.period}",
                    polarity=indicator.polarity,
                    direction=direction,
                    reason="" if change_value is not None else "not available",
                )
            )
        from plan_builder.figures.metrics import SummaryRow

        result.summary.append(SummaryRow(indicator.name, latest, previous, change, None, None))
        if indicator.stated is not None:
            check_stated(result, latest, indicator.stated, doc.where(("indicators", index, "stated")))


def stated_mismatch(figure: Figure, stated: float) -> str | None:
    """Describe how a typed value differs from the computed one beyond its own rounding, or None.

    A value typed with two decimals (6.65) agrees with anything that rounds to it.
    """
    if figure.value is None:
        return f"stated {stated:g} for {figure.id}, but it cannot be computed ({figure.reason})"
    text = repr(float(stated))
    places = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    if abs(figure.value - stated) <= 0.5 * 10 ** (-places) + 1e-9:
        return None
    inputs = ", ".join(f"{k} {v:g}" for k, v in figure.inputs.items() if v is not None)
    return f"stated {stated:g} for {figure.id} ({figure.label}) but the data give {figure.display}" + (
        f" ({inputs})" if inputs else ""
    )


def check_stated(result: PerformanceResult, figure: Figure, stated: float, where: str) -> None:
    """Warn when a typed value differs from the computed one by more than its own rounding."""
    problem = stated_mismatch(figure, stated)
    if problem:
        result.warnings.append(f"{where}: {problem}")
