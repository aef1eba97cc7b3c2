"""RAG rating and direction of travel, from polarity and a rule.

There is no national RAG rule; services set their own: against a comparator area, against a
target with a tolerance, by direction of travel, or by value bands (Red, Amber, Amber/Green,
Green...). Every rule compares unrounded values. Results are words ("Green", "improving");
colour is added only when rendering.
"""

from __future__ import annotations

from plan_builder.figures.figure import Figure, Polarity, Rag
from plan_builder.inputs.performance_settings import RagRule

COMPARATOR_NAMES = {"family": "YJS family", "region": "region", "pcc": "PCC area", "national": "England and Wales"}
NO_CHANGE_TOLERANCE = 1e-9


def _better(value: float, other: float, polarity: Polarity) -> bool:
    return value <= other if polarity is Polarity.LOWER else value >= other


def rate_against_target(value: float, polarity: Polarity, target: float, tolerance: float) -> tuple[Rag, str]:
    """Green at or better than target; Amber within `tolerance` of it; Red beyond."""
    if polarity is Polarity.NEUTRAL:
        return Rag.NOT_RATED, "no good direction is defined"
    if _better(value, target, polarity):
        return Rag.GREEN, f"meets the target of {target:g}"
    gap = abs(value - target)
    if gap <= tolerance:
        return Rag.AMBER, f"within {tolerance:g} of the target of {target:g}"
    return Rag.RED, f"misses the target of {target:g} by more than {tolerance:g}"


def rate_against_comparator(
    value: float, polarity: Polarity, comparator: float | None, role: str, tolerance_pct: float
) -> tuple[Rag, str]:
    """Green at or better than the comparator; Amber worse by at most `tolerance_pct`%; Red beyond."""
    name = COMPARATOR_NAMES.get(role, role)
    if polarity is Polarity.NEUTRAL:
        return Rag.NOT_RATED, "no good direction is defined"
    if comparator is None:
        return Rag.NOT_RATED, f"no {name} figure for the same period"
    if _better(value, comparator, polarity):
        return Rag.GREEN, f"better than or equal to the {name}"
    if comparator == 0:
        return Rag.RED, f"worse than the {name}"
    gap_pct = abs(value - comparator) / abs(comparator) * 100
    if gap_pct <= tolerance_pct:
        return Rag.AMBER, f"worse than the {name} by {tolerance_pct:g}% or less"
    return Rag.RED, f"worse than the {name} by more than {tolerance_pct:g}%"


def direction_of_travel(latest: float | None, previous: float | None, polarity: Polarity) -> str | None:
    """'improving', 'worsening' or 'no change'; 'increased'/'decreased' when no direction is good."""
    if latest is None or previous is None:
        return None
    if abs(latest - previous) <= NO_CHANGE_TOLERANCE * max(1.0, abs(previous)):
        return "no change"
    rose = latest > previous
    if polarity is Polarity.NEUTRAL:
        return "increased" if rose else "decreased"
    improving = (not rose) if polarity is Polarity.LOWER else rose
    return "improving" if improving else "worsening"


def rate_by_direction(direction: str | None, rule: RagRule) -> tuple[Rag, str]:
    """The rule's word for improving, no change or worsening."""
    words = {"improving": rule.improving, "no change": rule.no_change, "worsening": rule.worsening}
    if direction not in words:
        return Rag.NOT_RATED, "no earlier value to compare with" if direction is None else "no good direction"
    return Rag(words[direction]), f"{direction} on the previous period"


def rate_by_bands(value: float, polarity: Polarity, rule: RagRule) -> tuple[Rag, str]:
    """The first band (best first) whose limit the value meets or beats."""
    if polarity is Polarity.NEUTRAL:
        return Rag.NOT_RATED, "no good direction is defined"
    for band in rule.bands:
        if band.limit is None:
            return Rag(band.rag), f"beyond the {rule.bands[-2].rag} band's limit of {rule.bands[-2].limit:g}"
        if _better(value, band.limit, polarity):
            edge = "at most" if polarity is Polarity.LOWER else "at least"
            return Rag(band.rag), f"{edge} {band.limit:g}"
    return Rag.NOT_RATED, "no band holds the value"  # pragma: no cover - the last band has no limit


def rate(latest: Figure, rule: RagRule, comparators: dict[str, Figure], direction: str | None) -> tuple[Rag, str]:
    """Rate `latest` by `rule` (its scheme), with the comparators' figures for the same period."""
    value = latest.value
    if value is None:
        return Rag.NOT_RATED, "no value"
    if rule.scheme == "target" and rule.target is not None:
        return rate_against_target(value, latest.polarity, rule.target, rule.tolerance)
    if rule.scheme == "direction":
        return rate_by_direction(direction, rule)
    if rule.scheme == "bands":
        return rate_by_bands(value, latest.polarity, rule)
    role = rule.comparator or "family"
    other = comparators.get(role)
    return rate_against_comparator(value, latest.polarity, other.value if other else None, role, rule.tolerance_pct)
