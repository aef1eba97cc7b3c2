"""Populations: the 10-17 (or 0-17) population behind a rate, from the row itself or the population table.

A rate per 100,000 (FTE) or per 1,000 (custody) divides by the ONS mid-year estimate of
children aged 10-17. A row may carry its own population; where it does not, the optional
`population` dataset gives one per area, year and age band (the estimate for the year in
which the period's middle day falls). Populations are checked for plausibility: an estimate
rarely moves by more than 5% in a year, FTE and custody for the same area and year should
divide by the same population, and a typed rate implies a population that should match.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from plan_builder.figures.indicators import rows_text
from plan_builder.figures.measures import Row
from plan_builder.inputs.data import Dataset

POPULATION = "population_10_17"
JUMP_PCT = 5.0
"""A population that moves by more than this per cent in a year is warned about."""
IMPLIED_PCT = 10.0
"""A typed rate whose implied population is further than this per cent from the held one is warned about."""


@dataclass(frozen=True)
class Estimate:
    """One population estimate from the population table."""

    area: str
    year: int
    age_band: str
    count: int
    source: str
    where: str
    """'data/population.csv row 4'."""


def population_table(dataset: Dataset | None) -> dict[tuple[str, int, str], Estimate]:
    """The population table by (area, year, age band); empty without a population dataset."""
    if dataset is None:
        return {}
    return {
        (r["area"], int(r["year"]), r["age_band"]): Estimate(
            r["area"], int(r["year"]), r["age_band"], r["population"], r.values.get("source") or "", r.source
        )
        for r in dataset.records
        if r["population"] is not None
    }


def fill_populations(rows: list[Row], table: dict[tuple[str, int, str], Estimate]) -> list[Row]:
    """Rows with their population taken from the table where the row has none of its own."""
    filled = []
    for row in rows:
        estimate = table.get((row.area, row.period.midpoint.year, "10-17"))
        if row.counts.get(POPULATION) is None and estimate is not None:
            source = f", {estimate.source}" if estimate.source else ""
            note = (
                f"population of children aged 10-17 for {row.area}: mid-{estimate.year} estimate "
                f"({estimate.where}{source})"
            )
            row = dataclasses.replace(row, counts={**row.counts, POPULATION: estimate.count}, notes=(*row.notes, note))
        filled.append(row)
    return filled


def missing_populations(name: str, rows: list[Row]) -> list[str]:
    """A warning per area whose rows have no 10-17 population at all (none given, none marked missing).

    Their rates show as 'n/a' in every table and chart: the build says why and how to fix it.
    """
    absent: dict[str, list[Row]] = {}
    for row in rows:
        if row.counts.get(POPULATION) is None and POPULATION not in row.missing:
            absent.setdefault(row.area, []).append(row)
    return [
        f"{rows_text(lacking)}: no 10-17 population for {area} in {_periods(lacking)}, so its {name} rates cannot "
        f"be computed and show as n/a; fill the {POPULATION} column, or add a population dataset "
        "(performance.datasets.population) with the ONS mid-year estimates"
        for area, lacking in absent.items()
    ]


def _periods(rows: list[Row]) -> str:
    labels = [row.label for row in rows]
    return labels[0] if len(labels) == 1 else f"{labels[0]} to {labels[-1]} ({len(labels)} periods)"


def _jumps(label: str, values: dict[tuple[str, int], tuple[int, str]]) -> list[str]:
    warnings = []
    for (area, year), (count, where) in sorted(values.items()):
        before = values.get((area, year - 1))
        if before is None or before[0] == 0:
            continue
        change = (count - before[0]) / before[0] * 100
        if abs(change) > JUMP_PCT:
            warnings.append(
                f"{where}: {label}: the 10-17 population of {area} changes by {change:+.1f}% from {year - 1} "
                f"({before[0]:,}, {before[1]}) to {year} ({count:,}); estimates rarely move more than {JUMP_PCT:g}% "
                "in a year: check both"
            )
    return warnings


def _by_year(rows: Iterable[Row]) -> dict[tuple[str, int, int], tuple[int, str]]:
    """(area, shape months * 100 + end month, year) -> (population, rows), for rows with their own population."""
    found: dict[tuple[str, int, int], tuple[int, str]] = {}
    for row in rows:
        count = row.counts.get(POPULATION)
        if count is not None and row.period.shape.regular:
            shape = row.period.shape.months * 100 + row.period.shape.end_month
            found[(row.area, shape, row.period.midpoint.year)] = (count, rows_text([row]))
    return found


def population_warnings(datasets: dict[str, list[Row]], table: dict[tuple[str, int, str], Estimate]) -> list[str]:
    """Jumps of more than 5% a year, and FTE and custody using different populations for one area and year."""
    warnings = _jumps(
        "population table",
        {(e.area + f" (aged {e.age_band})", e.year): (e.count, e.where) for e in table.values()},
    )
    per_year: dict[str, dict[tuple[str, int], tuple[int, str]]] = {}
    for name, rows in datasets.items():
        own = _by_year(rows)
        shapes = {shape for _, shape, _ in own}
        for shape in shapes:
            warnings += _jumps(name, {(a, y): v for (a, s, y), v in own.items() if s == shape})
        for (area, _, year), value in own.items():
            per_year.setdefault(name, {}).setdefault((area, year), value)
    names = sorted(per_year)
    for first, second in zip(names, names[1:], strict=False):
        for key in sorted(per_year[first].keys() & per_year[second].keys()):
            (a, where_a), (b, where_b) = per_year[first][key], per_year[second][key]
            if a != b:
                warnings.append(
                    f"{where_a}: {first} divides by a 10-17 population of {a:,} for {key[0]} in {key[1]}, but "
                    f"{second} by {b:,} ({where_b}); use the same estimate for both"
                )
    return warnings


def implied_population(stated_rate: float, count: float, scale: float) -> float | None:
    """The population a typed rate implies: count / rate x scale (None for a zero rate)."""
    return count / stated_rate * scale if stated_rate else None
