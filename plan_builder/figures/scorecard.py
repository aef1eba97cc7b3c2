"""Compute local indicators into figures and scorecard rows (the definitions are in `local.py`).

For each indicator: every period's value (`local.<id>.<period>`), the latest and previous
(`local.<id>.latest`, `.previous`), the change in the indicator's chosen form (`.change`) and the
difference (`.difference`), each benchmark for the latest period (`local.<id>.<benchmark>`),
year to date from the counts (`.year_to_date`), a breakdown's parts (`local.<id>.part.<name>`),
RAG and direction. Typed values are checked for every period they are given for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from plan_builder.errors import ConfigError, Problems
from plan_builder.figures.changes import change_figure, default_kind
from plan_builder.figures.figure import Figure, Unit
from plan_builder.figures.local import (
    UNIT_SCALE,
    Breakdown,
    LocalIndicator,
    LocalPeriod,
    ScorecardRow,
    _basis,
    _figure,
    _slug,
    parsed_periods,
)
from plan_builder.figures.measures import Measure
from plan_builder.figures.periods import Period, parse_period
from plan_builder.figures.rag import rate
from plan_builder.figures.result import PerformanceResult, Series, SummaryRow
from plan_builder.figures.stated import check_stated
from plan_builder.inputs.performance_settings import RagRule
from plan_builder.inputs.yamlio import YamlDocument


def compute_local(
    result: PerformanceResult,
    indicators: list[LocalIndicator],
    doc: YamlDocument,
    area: str,
    threshold: int,
    problems: Problems,
) -> None:
    """Compute every local indicator; an indicator with an unreadable period is reported and left out.

    `area` names the service's own line in charts; `threshold` is the small-number limit.
    """
    for index, indicator in enumerate(indicators):
        try:
            entries = parsed_periods(indicator, doc, index)
        except ConfigError as exc:
            problems.add(exc)
            continue
        if not entries:
            result.warnings.append(f"{doc.where(('indicators', index))}: indicator {indicator.id} has no periods")
            continue
        shapes = {period.shape for period, _ in entries}
        if len(shapes) > 1:
            result.warnings.append(
                f"{doc.where(('indicators', index))}: indicator {indicator.id} mixes "
                f"{' and '.join(sorted(s.name for s in shapes))}; its change compares the last two periods as given"
            )
        _compute_one(result, indicator, entries, doc, (index, area, threshold), problems)


def _compute_one(
    result: PerformanceResult,
    indicator: LocalIndicator,
    entries: list[tuple[Period, LocalPeriod]],
    doc: YamlDocument,
    place: tuple[int, str, int],
    problems: Problems,
) -> None:
    index, area, threshold = place
    prefix = f"local.{indicator.id}"
    figures = {
        period: result.add(_figure(indicator, f"{prefix}.{period.key}", period, e, threshold)) for period, e in entries
    }
    latest_period = entries[-1][0]
    target = latest_period.year_earlier() if indicator.compare == "previous-year" else latest_period.preceding()
    if target not in figures and indicator.compare == "previous-period" and len(entries) > 1:
        target = entries[-2][0]  # periods given out of step (e.g. two quarters a year apart): the one before
    previous = figures.get(target)
    latest = figures[latest_period]
    kind = indicator.change or default_kind(indicator.unit)
    change = result.add(change_figure(f"{prefix}.change", f"{indicator.name}: change", kind, latest, previous))
    result.add(change_figure(f"{prefix}.difference", f"{indicator.name}: difference", "difference", latest, previous))
    benchmarks = _benchmarks(result, indicator, latest_period, doc, index, problems)
    rule = indicator.rag or (
        RagRule(target=indicator.target, tolerance=indicator.tolerance) if indicator.target is not None else None
    )
    rag, why = rate(latest, rule, benchmarks, change.direction) if rule else (None, "")
    latest = result.add(
        dataclasses.replace(
            latest, id=f"{prefix}.latest", alias_of="", rag=rag, rag_reason=why, direction=change.direction
        )
    )
    result.figures[figures[latest_period].id] = dataclasses.replace(figures[latest_period], alias_of=latest.id)
    if previous is not None:
        previous = result.add(dataclasses.replace(previous, id=f"{prefix}.previous"))
        result.figures[figures[target].id] = dataclasses.replace(figures[target], alias_of=previous.id)
    for period, entry in entries:
        where = _where_period(doc, indicator, index, entry)
        if entry.stated is not None:
            check_stated(result, figures[period], entry.stated, where)
        _breakdown_total(result, indicator, period, entry, where)
    _parts(result, indicator, entries[-1][1], latest_period)
    year_to_date = _year_to_date(result, indicator, entries, latest_period)
    result.summary.append(SummaryRow(indicator.name, latest, previous, change, None, benchmarks.get("national")))
    result.scorecard.append(
        ScorecardRow(indicator, list(figures.items()), latest, previous, change, year_to_date, benchmarks)
    )
    result.series[prefix] = _series(indicator, entries, figures, (latest, previous), area)


def _where_period(doc: YamlDocument, indicator: LocalIndicator, index: int, entry: LocalPeriod) -> str:
    """'file:line' of a period's entry (or of the indicator, for one given as `latest:` with a separate `stated:`)."""
    for position, given in enumerate(indicator.periods):
        if given is entry:
            return doc.where(("indicators", index, "periods", position))
    for slot in ("latest", "previous"):
        if getattr(indicator, slot) is entry:
            return doc.where(("indicators", index, slot))
    return doc.where(("indicators", index))


def _benchmarks(
    result: PerformanceResult,
    indicator: LocalIndicator,
    latest: Period,
    doc: YamlDocument,
    index: int,
    problems: Problems,
) -> dict[str, Figure]:
    """Each benchmark's figure for the latest period, by its name's id ('statistical_neighbours')."""
    found = {}
    for name, values in indicator.benchmarks.items():
        by_period: dict[Period, float] = {}
        for label, value in values.items():
            try:
                by_period[parse_period(label)] = value
            except ValueError as exc:
                problems.add(
                    ConfigError(
                        f"{doc.where(('indicators', index, 'benchmarks', name))}: benchmark {name!r}: period {exc}"
                    )
                )
        # The value for the latest period; else the most recent published before it (annual benchmarks
        # beside monthly values), with its own period shown.
        earlier = [period for period in by_period if period.end <= latest.end]
        shown = latest if latest in by_period else (max(earlier) if earlier else latest)
        latest_value = by_period.get(shown)
        found[_slug(name)] = result.add(
            Figure(
                id=f"local.{indicator.id}.{_slug(name)}",
                label=f"{indicator.name}: {name}",
                value=latest_value,
                unit=indicator.unit,
                period=shown.label,
                area=name,
                polarity=indicator.polarity,
                basis="benchmark as published",
                reason="" if latest_value is not None else f"no {name} value for {latest.label} or before",
            )
        )
    return found


def _breakdown_total(
    result: PerformanceResult, indicator: LocalIndicator, period: Period, entry: LocalPeriod, where: str
) -> None:
    if not entry.parts or entry.stated_total is None:
        return
    total = sum(entry.parts.values())
    if abs(total - entry.stated_total) > 1e-9:
        listed = " + ".join(f"{value:g}" for value in entry.parts.values())
        result.warnings.append(
            f"{where}: indicator {indicator.id}, {period.label}: stated total {entry.stated_total:g} but the parts "
            f"add up to {total:g} ({listed}); the document shows {total:g}"
        )


def _parts(result: PerformanceResult, indicator: LocalIndicator, entry: LocalPeriod, period: Period) -> None:
    """The latest period's parts as figures, and the breakdown a `::: breakdown` block shows."""
    if not entry.parts:
        return
    total = sum(entry.parts.values())
    for name, value in entry.parts.items():
        result.add(
            Figure(
                id=f"local.{indicator.id}.part.{_slug(name)}",
                label=f"{indicator.name}: {name}",
                value=value,
                unit=indicator.unit,
                period=period.label,
                inputs={"part": value, "total": float(total)},
                polarity=indicator.polarity,
                basis="as reported",
            )
        )
    result.breakdowns[f"local.{indicator.id}"] = Breakdown(
        indicator.name, period.label, list(entry.parts.items()), total, entry.stated_total
    )


def _financial_year_start(period: Period) -> dt.date:
    year = period.end.year if period.end.month >= 4 else period.end.year - 1
    return dt.date(year, 4, 1)


def _year_to_date(
    result: PerformanceResult, indicator: LocalIndicator, entries: list[tuple[Period, LocalPeriod]], latest: Period
) -> Figure | None:
    """The financial year so far, from the counts: a sum, or summed numerators over summed denominators."""
    if latest.shape.months not in (1, 3):
        return None
    start = _financial_year_start(latest)
    included = [(p, e) for p, e in entries if p.start >= start and p.end <= latest.end]
    ident, label = f"local.{indicator.id}.year_to_date", f"{indicator.name}: year to date"
    period = Period(start, latest.end)
    reason, value, inputs = "", None, dict[str, float | None]()
    if indicator.unit is Unit.COUNT:
        values = [e.value if e.value is not None else (sum(e.parts.values()) if e.parts else None) for _, e in included]
        if all(v is not None for v in values):
            value = float(sum(v for v in values if v is not None))
            inputs = {"periods": float(len(values))}
        else:
            reason = "a period's value is missing"
    else:
        pairs = [(e.numerator, e.denominator) for _, e in included]
        if pairs and all(n is not None and d for n, d in pairs):
            numerator, denominator = sum(n for n, _ in pairs if n), sum(d for _, d in pairs if d)
            value = numerator / denominator * UNIT_SCALE.get(indicator.unit, 1)
            inputs = {"numerator": numerator, "denominator": denominator}
        else:
            reason = "year to date needs every period's numerator and denominator"
    return result.add(
        Figure(
            id=ident,
            label=label,
            value=value,
            unit=indicator.unit,
            period=period.label,
            inputs=inputs,
            polarity=indicator.polarity,
            basis="sum of the periods' counts"
            if indicator.unit is Unit.COUNT
            else "summed numerators / summed denominators",
            reason=reason,
        )
    )


def _series(
    indicator: LocalIndicator,
    entries: list[tuple[Period, LocalPeriod]],
    figures: dict[Period, Figure],
    slots: tuple[Figure, Figure | None],
    area: str,
) -> Series:
    periods = [period for period, _ in entries]
    lines: dict[str, list[float | None]] = {area: [figures[p].value for p in periods]}
    for name, values in indicator.benchmarks.items():
        parsed = {}
        for label, value in values.items():
            try:
                parsed[parse_period(label)] = value
            except ValueError:
                continue  # reported by _benchmarks
        line = [parsed.get(p) for p in periods]
        if any(v is not None for v in line):
            lines[name] = line
    ratio = any(entry.denominator is not None for _, entry in entries) and indicator.unit is not Unit.COUNT
    basis = _basis(indicator) if ratio else ("sum of the parts" if any(e.parts for _, e in entries) else "")
    measure = Measure(
        indicator.id, indicator.name, indicator.unit, indicator.polarity, "value", basis=basis, rated=True
    )
    return Series(
        id=f"local.{indicator.id}",
        title=indicator.name,
        measure=measure,
        periods=[p.label for p in periods],
        lines=lines,
        latest=slots[0],
        previous=slots[1],
        shape=periods[-1].shape.name,
    )
