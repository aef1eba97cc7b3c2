"""Typed figures checked against computed ones: `performance.stated` in plan.yaml and the `stated` filter.

A service manager often types a figure (from a board report, or from memory). plan-builder
shows the computed value and warns, with file:line and both values, when the typed one
differs at the precision it was typed to: "15.0" is checked to one decimal place, "24%" is
a percentage and "£1,234" an amount of money, each compared only with a figure of its kind.
Something `stated` cannot check (a group of figures, a word) is an error, never a silent pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from plan_builder.figures.figure import Figure, Unit
from plan_builder.figures.formatting import money, plain, round_half_up
from plan_builder.figures.narrative import TextCheckError, template_line
from plan_builder.figures.pending import PendingValue
from plan_builder.figures.result import PerformanceResult
from plan_builder.inputs.schema import TYPED_HINT, TYPED_NUMBER

PERCENT_UNITS = (Unit.PERCENT, Unit.PERCENT_CHANGE, Unit.POINTS_CHANGE)
KINDS = {"%": "a percentage", "£": "an amount of money", "": "a number"}


@dataclass(frozen=True)
class Typed:
    """A value as an author typed it: its exact decimal value, the places typed and its unit ('%', '£' or '')."""

    value: Decimal
    places: int
    unit: str
    text: str

    def agrees(self, value: float) -> bool:
        """True if `value` rounds (half up) to the typed value at the typed precision."""
        return round_half_up(value, self.places) == self.value

    def show(self, value: float) -> str:
        """`value` written as the author wrote theirs: the same places and unit."""
        if self.unit == "£":
            return money(value, self.places)
        return plain(value, self.places) + self.unit


def parse_typed(raw: object) -> Typed:
    """Read a typed value: 15, 15.0 (one decimal place), '24%', '£1,234', '-4.8'.

    A number from YAML or Jinja keeps the digits it was typed with when it carries them (`text`);
    a string is read as written, so "15.0" means one decimal place.

    Raises:
        ValueError: it is not a number, a percentage or an amount of money.
    """
    if isinstance(raw, Typed):
        return raw
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | Decimal):
        raise ValueError(f"{TYPED_HINT}; got {raw!r}")
    text = getattr(raw, "text", None) or (raw if isinstance(raw, str) else repr(raw))
    match = TYPED_NUMBER.match(text.strip())
    if match is None:
        raise ValueError(f"{TYPED_HINT}; got {text!r}")
    frac = match["frac"] or ""
    if match["pound"] and match["percent"]:
        raise ValueError(f"{text!r} is both money and a percentage")
    sign = "-" if match["sign"] and match["sign"] != "+" else ""
    value = Decimal(sign + match["digits"].replace(",", "") + frac)
    return Typed(value, max(len(frac) - 1, 0), match["pound"] or match["percent"], text.strip())


def _kind_problem(figure: Figure, typed: Typed) -> str | None:
    """Why `typed` cannot be compared with `figure` (a percentage against a rate), or None."""
    if typed.unit == "%" and figure.unit not in PERCENT_UNITS:
        return f"stated {typed.text!r} is {KINDS['%']}, but {figure.id} is {_kind_of(figure)}"
    if typed.unit == "£" and figure.unit is not Unit.MONEY:
        return f"stated {typed.text!r} is {KINDS['£']}, but {figure.id} is {_kind_of(figure)}"
    return None


def _kind_of(figure: Figure) -> str:
    return {Unit.COUNT: "a count", Unit.MONEY: "an amount of money"}.get(figure.unit, f"a {figure.unit.value}")


def stated_mismatch(figure: Figure, stated: object) -> str | None:
    """Describe how a typed value differs from the computed one at the precision typed, or None.

    A value typed with two decimals (6.65) agrees with anything that rounds to it half up;
    "15.0" disagrees with 15.4. A typed value of another kind ('24%' for a rate) is a mismatch too.
    """
    typed = parse_typed(stated)
    if figure.value is None:
        return f"stated {typed.text} for {figure.id}, but it cannot be computed ({figure.reason})"
    kind = _kind_problem(figure, typed)
    if kind is not None:
        return kind
    if typed.agrees(figure.value):
        return None
    inputs = ", ".join(f"{k} {_number(v)}" for k, v in figure.inputs.items() if v is not None)
    return f"stated {typed.text} for {figure.id} ({figure.label}) but the data give {figure.display}" + (
        f" ({inputs})" if inputs else ""
    )


def check_stated(result: PerformanceResult, figure: Figure, stated: object, where: str) -> None:
    """Warn when a typed value differs from the computed one at its own precision."""
    problem = stated_mismatch(figure, stated)
    if problem:
        result.warnings.append(f"{where}: {problem}")


def stated_filter(found: list[tuple[int, str]]) -> Callable[[object, object], str]:
    """The `stated` filter: show the computed value, and record a typed value that disagrees with it.

    `{{ fte.latest.rate | stated(188) }}` renders the computed rate; `{{ (a.value - b.value) | stated("2.1") }}`
    renders the difference at the typed precision. A disagreement is recorded in `found` as
    (line of the section text, message) for a warning. A value it cannot check raises
    `TextCheckError`, which names the line.
    """

    def stated(value: object, typed: object) -> str:
        try:
            parsed = parse_typed(typed)
        except ValueError as exc:
            raise TextCheckError(f"stated(): {exc}") from None
        line = template_line() or 1
        if isinstance(value, PendingValue):
            return str(value)  # the data is still to come: its placeholder shows, and the build lists it
        if isinstance(value, Figure):
            problem = stated_mismatch(value, parsed)
            if problem:
                found.append((line, problem))
            return str(value)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise TextCheckError(
                f"stated({parsed.text}) can check a figure or a number worked out from figures; got {_describe(value)}"
            )
        number = float(value)
        if not parsed.agrees(number):
            found.append((line, f"stated {parsed.text}, but the calculation gives {_number(number)}"))
        return parsed.show(number)

    return stated


def _number(value: float) -> str:
    """A value in a message: '1,009,684', '0.625', '193.6508'."""
    text = plain(value, 4)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _describe(value: object) -> str:
    path = getattr(value, "path", None)
    if isinstance(path, str):
        return f"the group '{path}' (name one figure in it, e.g. '{path}.<name>')"
    if value is None:
        return "nothing (none)"
    return f"{type(value).__name__} {value!r}"[:80]


LITERAL_ARGUMENT = re.compile(r"(\bstated\s*\(\s*)([-+]?\d[\d,]*(?:\.\d+)?)(\s*\))")


def keep_typed_digits(source: str) -> str:
    """Quote numbers typed in `stated(...)` so the filter sees the digits as typed: 15.0 keeps its '.0'.

    Jinja reads `stated(15.0)` as the float 15.0, which cannot say it was typed to one decimal
    place; `stated("15.0")` can. Line numbers are unchanged.
    """
    if "stated" not in source:
        return source
    return LITERAL_ARGUMENT.sub(lambda m: f'{m[1]}"{m[2]}"{m[3]}', source)
