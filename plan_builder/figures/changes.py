"""Changes between two periods: per cent change, percentage points, or the difference in the measure's unit.

Each measure's change is expressed one way, chosen in plan.yaml (`performance.changes`) or by
default: percentage points for percentages, per cent change for counts and rates. The
difference in the measure's own unit (custody 0.05 -> 0.10 per 1,000 is '+0.05') is always
available beside it. Every change is computed from unrounded values.
"""

from __future__ import annotations

import math

from plan_builder.figures.figure import Figure, Unit
from plan_builder.figures.rag import direction_of_travel
from plan_builder.inputs.performance_settings import ChangeKind

BASIS = {
    "percent": "(latest - previous) / previous x 100",
    "points": "latest - previous (percentage points)",
    "difference": "latest - previous",
}


def default_kind(unit: Unit) -> ChangeKind:
    """Percentage points for percentages; per cent change for counts and rates."""
    return "points" if unit is Unit.PERCENT else "percent"


def change_value(kind: ChangeKind, latest: float | None, previous: float | None) -> tuple[float | None, str]:
    """The change of `kind` from `previous` to `latest`, or None with the reason."""
    if latest is None or previous is None:
        return None, "latest or previous value not available"
    if kind == "percent":
        if previous == 0:
            return None, "previous value is zero"
        value = (latest - previous) / previous * 100
    else:
        value = latest - previous
    if not math.isfinite(value):
        return None, "too large to compute"
    return value, ""


def change_figure(
    ident: str, label: str, kind: ChangeKind, latest: Figure, previous: Figure | None, wanted: str = ""
) -> Figure:
    """The change from `previous` to `latest` expressed as `kind`, with the direction of travel.

    `wanted` is the period the change compares with ('Oct 2019-Sep 2020'), named when the data lack it.
    """
    inputs = {"latest": latest.value, "previous": previous.value if previous else None}
    if previous is None:
        value, reason = None, f"no {wanted} in the data to compare with" if wanted else "no earlier period in the data"
    else:
        value, reason = change_value(kind, latest.value, previous.value)
    unit = {"percent": Unit.PERCENT_CHANGE, "points": Unit.POINTS_CHANGE, "difference": latest.unit}[kind]
    return Figure(
        id=ident,
        label=label,
        value=value,
        unit=unit,
        period=f"{previous.period} to {latest.period}" if previous else latest.period,
        area=latest.area,
        inputs=inputs,
        basis=BASIS[kind],
        decimals=latest.decimals if kind == "difference" else None,
        polarity=latest.polarity,
        direction=direction_of_travel(latest.value, previous.value if previous else None, latest.polarity),
        reason=reason,
        signed=kind == "difference",
    )
