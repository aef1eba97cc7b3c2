"""Compute an indicator's figures over its whole time series, one series per period shape.

An indicator's rows (one per area and period) can hold several period shapes side by side:
FTE by calendar year and by rolling Oct-Sep year, reoffending for Jul-Jun and Apr-Mar cohorts.
Each shape is computed on its own: its latest period, the previous one (a year earlier, or the
period before, by the indicator's rule), the change, the comparators for the latest period,
RAG and direction, every period's value, and the series a trend chart and table show.

Figure ids, for an indicator with prefix `fte` and a measure `rate`:
- `fte.<shape>.latest.rate`, `.previous.`, `.change.`, `.difference.`, `.<comparator>.` for each
  shape (`jan_dec`, `oct_sep`, `apr_mar`, `quarter`, `month`);
- `fte.latest.rate` (and so on) for the headline shape: the one plan.yaml names under
  `performance.headline`, else the shape of the most recent period;
- `fte.<period>.rate` for every period the service has (`fte.jan_dec_2022.rate`).
No row is left out without a warning naming its file, rows and the reason.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from plan_builder.figures.changes import change_figure, default_kind
from plan_builder.figures.figure import Figure, Polarity
from plan_builder.figures.measures import Indicator, Measure, Row, caveat_for, measure_value, missing_kind
from plan_builder.figures.periods import Period, Shape
from plan_builder.figures.rag import COMPARATOR_NAMES, rate
from plan_builder.figures.result import PerformanceResult, Series, SummaryRow
from plan_builder.inputs.performance_settings import Performance, RagRule


@dataclass(frozen=True)
class _Shaped:
    """One shape's rows for the service, with everything its figures need."""

    indicator: Indicator
    shape: Shape
    rows: list[Row]
    by_area: dict[str, list[Row]]
    config: Performance
    headline: bool
    notes: tuple[str, ...] = ()
    """Notes for the basis under the chart (comparators summed from their members)."""
    source: str = ""


def rows_text(rows: Iterable[Row]) -> str:
    """'data/fte.csv rows 3, 5, 9' for rows from one or more files."""
    by_file: dict[str, list[str]] = {}
    for row in rows:
        where, _, number = row.source.rpartition(" row ")
        by_file.setdefault(where or row.source, []).append(number)
    return "; ".join(
        f"{where} row{'s' if len(numbers) > 1 else ''} {', '.join(n for n in numbers if n)}".rstrip()
        for where, numbers in by_file.items()
    )


def _by_area(rows: Iterable[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.area, []).append(row)
    for area_rows in grouped.values():
        area_rows.sort(key=lambda r: (r.period.end, r.period.start))
    return grouped


def _shapes(rows: list[Row]) -> list[Shape]:
    """The regular shapes in `rows`, the shape of the most recent period first (the longer on a tie)."""
    latest: dict[Shape, Row] = {}
    for row in rows:
        if row.period.shape.regular:
            latest[row.period.shape] = row
    return sorted(latest, key=lambda s: (latest[s].period.end, s.months), reverse=True)


def _headline(indicator: Indicator, shapes: list[Shape], config: Performance, result: PerformanceResult) -> Shape:
    named = config.headline.get(indicator.prefix)
    if named is None:
        return shapes[0]
    found = next((shape for shape in shapes if shape.id == named), None)
    if found is None:
        result.warnings.append(
            f"performance.headline: {indicator.prefix}: no periods of shape {named!r} in the data; "
            f"expected one of {', '.join(s.id for s in shapes)}. Using {shapes[0].id}"
        )
        return shapes[0]
    return found


def _warn_unused(
    result: PerformanceResult, indicator: Indicator, by_area: dict[str, list[Row]], config: Performance
) -> None:
    """Say which rows no figure uses, and why: unknown areas, irregular periods, comparator-only periods."""
    known = {config.area, *config.comparators.values()}
    other = [row for area, rows in by_area.items() if area not in known for row in rows]
    if other:
        areas = ", ".join(sorted({row.area for row in other}))
        result.warnings.append(
            f"{rows_text(other)}: {indicator.label}: area(s) {areas} are neither the service ({config.area!r}) "
            "nor a comparator in plan.yaml (performance.comparators); these rows are not used"
        )
    for area in known & by_area.keys():
        odd = [row for row in by_area[area] if not row.period.shape.regular]
        if odd:
            result.warnings.append(
                f"{rows_text(odd)}: {indicator.label}: {', '.join(sorted({r.label for r in odd}))} "
                "is not a year, quarter or month (12, 3 or 1 whole months); these rows are not used"
            )
    service = {row.period for row in by_area.get(config.area, [])}
    for role, area in config.comparators.items():
        extra = [row for row in by_area.get(area, []) if row.period.shape.regular and row.period not in service]
        if extra and area != config.area:
            result.warnings.append(
                f"{rows_text(extra)}: {indicator.label}: {COMPARATOR_NAMES[role]} data for "
                f"{', '.join(r.label for r in extra)}, a period the service's own data does not have; not shown"
            )


def compute_indicator(
    result: PerformanceResult,
    indicator: Indicator,
    rows: list[Row],
    config: Performance,
    *,
    title: str | None = None,
    notes: tuple[str, ...] = (),
    source: str = "",
) -> None:
    """Compute one indicator's figures, series and summary rows into `result`, for every period shape.

    `notes` join the basis under its charts; `source` names where its data come from.
    """
    by_area = _by_area(rows)
    _warn_unused(result, indicator, by_area, config)
    service_rows = by_area.get(config.area, [])
    shapes = _shapes(service_rows)
    if not shapes:
        result.warnings.append(f"{indicator.label}: no rows for the service area {config.area!r}")
        return
    headline = _headline(indicator, shapes, config, result)
    for shape in shapes:
        shaped = _Shaped(
            indicator,
            shape,
            [row for row in service_rows if row.period.shape == shape],
            by_area,
            config,
            shape == headline,
            notes,
            source,
        )
        _compute_shape(result, shaped, title)


def _ids(shaped: _Shaped, slot: str, key: str) -> list[str]:
    """The figure's id in its shape's block, then (for the headline shape) its headline alias."""
    prefix = shaped.indicator.prefix
    own = f"{prefix}.{shaped.shape.id}.{slot}.{key}"
    return [f"{prefix}.{slot}.{key}", own] if shaped.headline else [own]


def _add(result: PerformanceResult, figure: Figure, ids: list[str]) -> Figure:
    """Register `figure` under its first id; the others are aliases of it."""
    main = result.add(dataclasses.replace(figure, id=ids[0]))
    for alias in ids[1:]:
        result.add(dataclasses.replace(figure, id=alias, alias_of=ids[0]))
    return main


def period_figure(indicator: Indicator, measure: Measure, row: Row, ident: str, threshold: int) -> Figure:
    """The figure for `measure` in one row (one area, one period)."""
    value, reason, inputs = measure_value(measure, row)
    return Figure(
        id=ident,
        label=f"{indicator.label}: {measure.label}",
        value=value,
        unit=measure.unit,
        period=row.label,
        area=row.area,
        inputs=inputs,
        basis="; ".join([measure.basis, *row.notes]) if row.notes and measure.denominator else measure.basis,
        polarity=measure.polarity,
        reason=reason,
        gap=missing_kind(measure, row) if value is None else "",
        caveat=caveat_for(measure, inputs, threshold),
    )


def _compared_with(indicator: Indicator, latest: Period) -> Period:
    """The period a change compares the latest with: a year earlier, or the one just before."""
    return latest.year_earlier() if indicator.compare == "previous-year" else latest.preceding()


def _compute_shape(result: PerformanceResult, shaped: _Shaped, title: str | None) -> None:
    indicator, config, rows = shaped.indicator, shaped.config, shaped.rows
    latest_row = rows[-1]
    target = _compared_with(indicator, latest_row.period)
    previous_row = next((row for row in rows if row.period == target), None)
    prefix, threshold = indicator.prefix, config.small_denominator
    for slot, row in (("latest", latest_row), ("previous", previous_row)):
        if row is not None:
            for ident in _ids(shaped, slot, "period"):
                result.periods[ident] = row.label
    for measure in indicator.measures:
        for row in rows:
            place = {latest_row.period: "latest", target: "previous"}.get(row.period)
            ident = f"{prefix}.{row.period.key}.{measure.key}"
            alias_of = _ids(shaped, place, measure.key)[0] if place else ""
            result.add(dataclasses.replace(period_figure(indicator, measure, row, ident, threshold), alias_of=alias_of))
        _measure_slots(result, shaped, measure, latest_row, previous_row, title)


def _comparators(result: PerformanceResult, shaped: _Shaped, measure: Measure, latest_row: Row) -> dict[str, Figure]:
    indicator, found = shaped.indicator, dict[str, Figure]()
    for role, area in shaped.config.comparators.items():
        match = next((r for r in shaped.by_area.get(area, []) if r.period == latest_row.period), None)
        if match is not None:
            figure = period_figure(indicator, measure, match, "", shaped.config.small_denominator)
        else:
            figure = Figure(
                id="",
                label=f"{indicator.label}: {measure.label}",
                value=None,
                unit=measure.unit,
                period=latest_row.label,
                area=area,
                polarity=measure.polarity,
                basis=measure.basis,
                reason=f"no {COMPARATOR_NAMES[role]} data for {latest_row.label}",
            )
        found[role] = _add(result, figure, _ids(shaped, role, measure.key))
    return found


def _measure_slots(
    result: PerformanceResult,
    shaped: _Shaped,
    measure: Measure,
    latest_row: Row,
    previous_row: Row | None,
    title: str | None,
) -> None:
    """Latest, previous, change, difference, comparators, RAG, summary row and series of one measure."""
    indicator, config = shaped.indicator, shaped.config
    threshold = config.small_denominator
    comparators = _comparators(result, shaped, measure, latest_row)
    previous = None
    if previous_row is not None:
        previous = _add(
            result,
            period_figure(indicator, measure, previous_row, "", threshold),
            _ids(shaped, "previous", measure.key),
        )
    latest = period_figure(indicator, measure, latest_row, "", threshold)
    label = f"{indicator.label}: change in {measure.label.lower()}"
    kind = config.changes.get(f"{indicator.prefix}.{measure.key}", default_kind(measure.unit))
    wanted = _compared_with(indicator, latest_row.period).label
    change = _add(result, change_figure("", label, kind, latest, previous, wanted), _ids(shaped, "change", measure.key))
    difference = change_figure(
        "", f"{indicator.label}: difference in {measure.label.lower()}", "difference", latest, previous, wanted
    )
    _add(result, difference, _ids(shaped, "difference", measure.key))
    if measure.rated or measure.polarity is not Polarity.NEUTRAL:
        rag, why = None, ""
        if measure.rated:
            ids = _ids(shaped, "latest", measure.key)
            rule = config.rag.get(ids[-1]) or config.rag.get(ids[0]) or RagRule(comparator=indicator.default_comparator)  # type: ignore[arg-type]
            rag, why = rate(latest, rule, comparators, change.direction)
        latest = dataclasses.replace(latest, rag=rag, rag_reason=why, direction=change.direction)
    latest = _add(result, latest, _ids(shaped, "latest", measure.key))
    if not measure.rated:
        return
    if shaped.headline:
        result.summary.append(
            SummaryRow(
                f"{indicator.label}: {measure.label}",
                latest,
                previous,
                change,
                comparators.get("family"),
                comparators.get("national"),
            )
        )
    series = _series(shaped, measure, latest, previous, title)
    result.series[series.id] = series
    if shaped.headline:
        result.series[f"{indicator.prefix}.{measure.key}"] = dataclasses.replace(
            series, id=f"{indicator.prefix}.{measure.key}"
        )


def summarised_notes(notes: list[str]) -> list[str]:
    """Row notes for a chart's basis: population estimates from one table said once, with their years."""
    found: dict[tuple[str, str], list[str]] = {}
    others = []
    for note in dict.fromkeys(notes):
        match = re.match(r"population of children aged 10-17 for (.+): mid-(\d{4}) estimate \((.+?) row \d+", note)
        if match:
            found.setdefault((match[1], match[3]), []).append(match[2])
        else:
            others.append(note)
    said = [
        f"10-17 populations for {area}: mid-year estimates for {years[0]}"
        + (f" to {years[-1]}" if len(years) > 1 else "")
        + f" from the population table ({where})"
        for (area, where), years in ((key, sorted(value)) for key, value in found.items())
    ]
    return said + others


def _series(shaped: _Shaped, measure: Measure, latest: Figure, previous: Figure | None, title: str | None) -> Series:
    config = shaped.config
    periods = [row.period for row in shaped.rows]
    lines: dict[str, list[float | None]] = {}
    gaps: dict[str, list[str]] = {}
    for area in [config.area, *config.comparators.values()]:
        rows = {row.period: row for row in shaped.by_area.get(area, [])}
        values = [measure_value(measure, rows[p])[0] if p in rows else None for p in periods]
        words = [
            missing_kind(measure, rows[p]) if p in rows and v is None else ""
            for p, v in zip(periods, values, strict=True)
        ]
        if any(v is not None for v in values) or any(words):
            lines.setdefault(area, values)
            gaps.setdefault(area, words)
    notes = summarised_notes([note for row in shaped.rows for note in row.notes]) + list(shaped.notes)
    return Series(
        id=f"{shaped.indicator.prefix}.{shaped.shape.id}.{measure.key}",
        title=title or measure.label,
        measure=measure,
        periods=[p.label for p in periods],
        lines=lines,
        latest=latest,
        previous=previous,
        shape=shaped.shape.name,
        basis="; ".join(notes),
        gaps=gaps if any(any(words) for words in gaps.values()) else {},
        source=shaped.source,
    )
