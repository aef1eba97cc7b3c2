"""Local indicators: the service's own measures, defined in YAML with their values per period."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from pydantic import Field

from plan_builder.errors import ConfigError
from plan_builder.figures.figure import Figure, Polarity, Unit
from plan_builder.figures.metrics import PerformanceResult
from plan_builder.figures.rag import direction_of_travel, rate_against_target
from plan_builder.figures.stated import check_stated
from plan_builder.inputs.config import TypedNumber
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.yamlio import YamlDocument, load_yaml


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
    stated: TypedNumber | None = None


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
