"""Typed figures checked against computed ones: `performance.stated` in plan.yaml and the `stated` filter.

A service manager often types a figure (from a board report, or from memory). plan-builder
shows the computed value and warns, with file:line and both values, when the typed one
differs beyond its own rounding.
"""

from __future__ import annotations

from collections.abc import Callable

from plan_builder.figures.figure import Figure
from plan_builder.figures.result import PerformanceResult
from plan_builder.inputs.sections import Section


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


def stated_filter(mismatches: list[tuple[Figure, float]]) -> Callable[[object, float], str]:
    """The `stated` filter, which shows the computed figure and records a typed value that disagrees.

    `{{ fte.latest.rate | stated(188) }}` renders the computed rate; if 188 differs from it beyond
    its own rounding, the mismatch is recorded for a warning with the file and line.
    """

    def stated(value: object, typed: float) -> str:
        if isinstance(value, Figure) and stated_mismatch(value, float(typed)):
            mismatches.append((value, float(typed)))
        return str(value)

    return stated


def where_stated(section: Section, typed: float) -> str:
    """'file:line' of the `stated(...)` call that typed `typed`."""
    for index, line in enumerate(section.body.splitlines()):
        if "stated(" in line and f"{typed:g}" in line:
            return f"{section.path}:{section.body_line + index}"
    return f"{section.path}:{section.body_line}"
