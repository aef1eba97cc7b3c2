"""Comparators made from their members: a YJS family the published data has no row for.

The YJS family average is not always published, and families change. A plan can list the
family's member services (`performance.members`); where the data have no row for the family
for a period, one is made by adding up the members' counts (first time entrants and the
10-17 population, reoffenders and the cohort, ...), and the family's rates are computed
from those sums like any other row: counts are summed, rates are never averaged. A period
for which a member has no row gets no family row (and a warning), since a sum of some of
the members would pass for the family. A member's withheld count makes the family's
missing too, with the member named. The members are named in the basis note under charts.
"""

from __future__ import annotations

from plan_builder.figures.measures import Row
from plan_builder.figures.periods import Period


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _summed(group: str, period: Period, parts: list[Row]) -> Row:
    """The group's row for one period: every count added up over its members."""
    counts: dict[str, int | None] = {}
    missing: dict[str, str] = {}
    for key in parts[0].counts:
        values = [part.counts.get(key) for part in parts]
        counts[key] = None if any(v is None for v in values) else sum(v for v in values if v is not None)
        gap = next((p for p in parts if p.counts.get(key) is None), None)
        if gap is not None:
            missing[key] = f"{gap.missing.get(key, 'missing')} for {gap.area}"
    source = "sum of " + "; ".join(part.source for part in parts)
    return Row(group, period, counts, source, missing=missing)


def add_groups(
    rows: list[Row], members: dict[str, list[str]], used: set[str]
) -> tuple[list[Row], list[str], list[str]]:
    """`rows` with a row for each group and period its members all have, where the data have none.

    Returns (rows, notes for the basis, warnings). Rows of members that are not themselves the
    service or a comparator (`used`) are then left out: they have done their work.
    """
    index = {(row.area, row.period): row for row in rows}
    made: list[Row] = []
    notes: list[str] = []
    warnings: list[str] = []
    for group, areas in members.items():
        own = {row.period for row in rows if row.area == group}
        periods = sorted({row.period for row in rows if row.area in areas} - own)
        incomplete: list[str] = []
        count = 0
        for period in periods:
            parts = [index.get((area, period)) for area in areas]
            present = [part for part in parts if part is not None]
            if len(present) < len(areas):
                lacking = [area for area, part in zip(areas, parts, strict=True) if part is None]
                incomplete.append(f"{period.label} (no data for {_join(lacking)})")
                continue
            made.append(_summed(group, period, present))
            count += 1
        if count:
            notes.append(
                f"{group}: the sum of the counts of {_join(areas)}, its rates computed from those sums "
                "(not an average of their rates)"
            )
        if incomplete:
            warnings.append(
                f"performance.members: {group} is not computed for {'; '.join(incomplete)}: a sum of some "
                "of its members would not be the group"
            )
    member_only = {area for areas in members.values() for area in areas} - used
    return [row for row in rows if row.area not in member_only] + made, notes, warnings
