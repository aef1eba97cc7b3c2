"""Reoffending cohorts: 3-month (quarterly) and 12-month (annual) cohorts, and annual cohorts summed from quarters.

An annual cohort is four consecutive 3-month cohorts combined. Where the data gives no annual
cohorts for an area, each run of four consecutive quarterly cohorts is summed into one.
Counts are summed; rates are never averaged.
"""

from __future__ import annotations

import datetime as dt

from plan_builder.figures.measures import Row, rows_from_records
from plan_builder.figures.periods import Period
from plan_builder.inputs.data import Dataset

COUNTS = ("children", "reoffenders", "reoffences")
MONTHS = {"quarterly": 3, "annual": 12}


def annual_from_quarters(rows: list[Row]) -> list[Row]:
    """Sum each run of four consecutive quarterly cohorts into an annual cohort.

    Counts are summed (never rates averaged); a missing count makes the sum missing.
    """
    annual = []
    rows = sorted(rows, key=lambda r: r.period)
    for index in range(3, len(rows)):
        quarters = rows[index - 3 : index + 1]
        consecutive = all(
            quarters[i].period.start == quarters[i - 1].period.end + dt.timedelta(days=1) for i in range(1, 4)
        )
        if not consecutive:
            continue
        counts: dict[str, int | None] = {}
        missing: dict[str, str] = {}
        for key in quarters[0].counts:
            values = [q.counts[key] for q in quarters]
            counts[key] = None if any(v is None for v in values) else sum(v for v in values if v is not None)
            gap = next((q for q in quarters if q.counts[key] is None and key in q.missing), None)
            if gap is not None:
                missing[key] = f"{gap.missing[key]} for the {gap.label} cohort"
        where = quarters[0].source.rsplit(" row ", 1)[0]
        numbers = ", ".join(q.source.rsplit(" row ", 1)[-1] for q in quarters)
        annual.append(
            Row(
                quarters[0].area,
                Period(quarters[0].period.start, quarters[-1].period.end),
                counts,
                f"{where} rows {numbers} (summed)",
                missing=missing,
            )
        )
    return annual


def reoffending_rows(dataset: Dataset) -> tuple[dict[str, list[Row]], list[str]]:
    """Split cohorts into quarterly and annual (deriving annual ones from quarters where none are given).

    Returns the rows by kind and warnings for cohorts whose length does not match their type.
    """
    rows: dict[str, list[Row]] = {}
    warnings = []
    for kind, months in MONTHS.items():
        records = [r for r in dataset.records if r["cohort_type"] == kind]
        rows[kind] = rows_from_records(records, "cohort_start", "cohort_end", COUNTS)
        for row in rows[kind]:
            if row.period.months != months:
                warnings.append(
                    f"{row.source}: cohort_type '{kind}' but the cohort {row.label} is not {months} whole months; "
                    "check cohort_start and cohort_end"
                )
    given_annual = {row.area for row in rows["annual"]}
    by_area: dict[str, list[Row]] = {}
    for row in rows["quarterly"]:
        by_area.setdefault(row.area, []).append(row)
    for area, area_rows in by_area.items():
        if area not in given_annual:
            rows["annual"].extend(annual_from_quarters(area_rows))
    return rows, warnings
