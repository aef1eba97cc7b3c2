"""The ten YJB KPIs and local indicators, computed as `metrics` indicators.

KPI rows arrive one per measure (numerator, denominator); they are regrouped into
one row per area and quarter so each measure becomes a percentage figure like
any other. Chained measures (need -> offered -> attending) are checked: each
denominator should equal the previous measure's numerator.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import Field

from plan_builder.figures.figure import Polarity, Unit
from plan_builder.figures.measures import Indicator, Measure, Row
from plan_builder.figures.periods import Period
from plan_builder.inputs.data import Dataset
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.yamlio import parse_yaml


class KpiMeasure(StrictModel):
    """One percentage measure of a KPI."""

    id: str
    label: str
    polarity: Polarity


class KpiDefinition(StrictModel):
    """A KPI: its number, name, measures, its one main measure, and any chain between measures."""

    id: str
    number: int
    name: str
    measures: list[KpiMeasure]
    main: str | None = None
    """The main measure: rated, charted and shown in the performance summary."""
    chain: list[str] = Field(default_factory=list)
    counts: str = "children"
    """What the denominators count, for the small-number caveat."""


class KpiVersion(StrictModel):
    """The KPIs as worded from one plan year on."""

    from_: str = Field(alias="from", pattern=r"^\d{4}-\d{2}$")
    wording: str
    kpis: list[KpiDefinition]


class KpiList(StrictModel):
    """The packaged KPI definitions, one version per change of wording."""

    versions: list[KpiVersion]


def load_kpi_definitions(period: str = "9999-99") -> list[KpiDefinition]:
    """The KPIs for a plan of `period` ('2025-26'): the newest wording whose `from` is not after it.

    Read from `plan_builder/inputs/defaults/kpis.yaml` once per process (packaged files do not change).
    """
    return list(kpi_version(period).kpis)


def kpi_version(period: str) -> KpiVersion:
    """The version of the KPI wording a plan of `period` follows (the oldest for earlier periods)."""
    versions = sorted(_kpi_versions(), key=lambda v: v.from_)
    chosen = [v for v in versions if v.from_ <= period]
    return chosen[-1] if chosen else versions[0]


@lru_cache(maxsize=1)
def _kpi_versions() -> tuple[KpiVersion, ...]:
    text = (resources.files("plan_builder.inputs") / "defaults" / "kpis.yaml").read_text(encoding="utf-8")
    return tuple(validate(KpiList, parse_yaml(text, Path("plan_builder/inputs/defaults/kpis.yaml"))).versions)


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
            rated=m.id == definition.main,
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
    missing: dict[tuple[str, str, object, object], dict[str, str]] = {}
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
        for column, why in record.missing.items():
            missing.setdefault(key, {})[f"{measure}.{column}"] = why
    if problems:
        from plan_builder.errors import DataError

        raise DataError(*problems)
    warnings = []
    rows: dict[str, list[Row]] = {}
    by_id = {d.id: d for d in definitions}
    for key, counts in grouped.items():
        kpi, area, start, end = key
        row = Row(area, Period(start, end), counts, sources[key], missing=missing.get(key, {}))  # type: ignore[arg-type]
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
