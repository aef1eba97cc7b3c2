"""The `Figure`: one computed number with everything needed to show and check it.

A figure keeps its unrounded value, the inputs and formula it came from, its
unit and period, and (where rated) its RAG and direction of travel. Section text
refers to figures by id (`fte.latest.rate`); `plan-builder figures --json` lists
them all in the shape documented in docs/data-contract.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from plan_builder.figures.formatting import NOT_AVAILABLE, money, plain, signed
from plan_builder.figures.pending import MARK_END, MARK_START


class Unit(str, Enum):
    """What a figure's value measures; decides its display and how change is expressed."""

    COUNT = "count"
    PERCENT = "percent"
    RATE_PER_100K = "rate per 100,000"
    RATE_PER_10K = "rate per 10,000"
    RATE_PER_1K = "rate per 1,000"
    RATIO = "ratio"
    """A plain ratio such as reoffences per child."""
    PERCENT_CHANGE = "% change"
    POINTS_CHANGE = "percentage points"
    MONEY = "GBP"
    SCORE = "score"
    """A risk score: impact x likelihood."""


class Polarity(str, Enum):
    """Which direction is good."""

    LOWER = "lower"
    HIGHER = "higher"
    NEUTRAL = "neutral"


class Rag(str, Enum):
    """Red, amber, green (and the two in-between bands some services use), always shown as a word.

    Colour only adds to the word. A service chooses which of these bands its rules use.
    """

    GREEN = "Green"
    AMBER_GREEN = "Amber/Green"
    AMBER = "Amber"
    RED_AMBER = "Red/Amber"
    RED = "Red"
    NOT_RATED = "Not rated"


DEFAULT_DECIMALS = {
    Unit.COUNT: 0,
    Unit.PERCENT: 1,
    Unit.RATE_PER_100K: 0,
    Unit.RATE_PER_10K: 1,
    Unit.RATE_PER_1K: 2,
    Unit.RATIO: 2,
    Unit.PERCENT_CHANGE: 1,
    Unit.POINTS_CHANGE: 1,
    Unit.MONEY: 0,
    Unit.SCORE: 0,
}


@dataclass(frozen=True)
class Figure:
    """A computed figure. `value` is None when it cannot be computed; `reason` then says why."""

    id: str
    label: str
    value: float | None
    unit: Unit
    period: str = ""
    area: str = ""
    inputs: dict[str, float | None] = field(default_factory=dict)
    basis: str = ""
    """The formula basis in words, e.g. 'FTEs / population aged 10-17 x 100,000'."""
    decimals: int | None = None
    polarity: Polarity = Polarity.NEUTRAL
    rag: Rag | None = None
    rag_reason: str = ""
    direction: str | None = None
    """'improving', 'worsening', 'no change' (or 'increased'/'decreased' when neutral)."""
    reason: str = ""
    gap: str = ""
    """Why there is no value, in a word for table cells ('suppressed'), when the source withholds it."""
    caveat: str = ""
    """Shown beside the figure, e.g. that the cohort is small and rates swing."""
    pending: str = ""
    signed: bool = False
    """A difference between two values in the measure's own unit: shown with its sign ('+0.05')."""
    alias_of: str = ""
    """The id of the figure this one repeats under another name (a headline id, or a period's own id).
    Listings of what changed skip aliases, so each change is told once."""

    @property
    def places(self) -> int:
        """Decimal places used for display."""
        return DEFAULT_DECIMALS[self.unit] if self.decimals is None else self.decimals

    @property
    def display(self) -> str:
        """The value as shown in the document."""
        return format_figure(self)

    @property
    def placeholder(self) -> str:
        """What a sentence shows for a figure with no value: 'Not available: First time entrants, Jan-Dec 2024'.

        Never 'n/a (fte_count is missing)' inside a sentence: the reader sees a highlighted gap
        that the author must fill or rewrite, and the build warns where it is.
        """
        what = self.label.split(": ", 1)[-1] or self.id
        return f"Not available: {what}" + (f", {self.period}" if self.period else "")

    @property
    def in_text(self) -> str:
        """The figure as section text shows it: its display, or its marked (highlighted) placeholder."""
        return self.display if self.value is not None else f"{MARK_START}{self.placeholder}{MARK_END}"

    def __str__(self) -> str:
        return self.in_text

    # Arithmetic on figures gives plain numbers, so section text can work out a difference and check
    # it: `{{ (fte.latest.rate - fte.family.rate) | stated(57) }}`. A figure with no value cannot take part.
    def _number(self) -> float:
        if self.value is None:
            raise ValueError(
                f"{self.id} has no value ({self.reason or 'not available'}), so it cannot be calculated with"
            )
        return self.value

    def __float__(self) -> float:
        return self._number()

    def __add__(self, other: object) -> float:
        return self._number() + _operand(other)

    def __radd__(self, other: object) -> float:
        return _operand(other) + self._number()

    def __sub__(self, other: object) -> float:
        return self._number() - _operand(other)

    def __rsub__(self, other: object) -> float:
        return _operand(other) - self._number()

    def __mul__(self, other: object) -> float:
        return self._number() * _operand(other)

    def __rmul__(self, other: object) -> float:
        return _operand(other) * self._number()

    def __truediv__(self, other: object) -> float:
        return self._number() / _operand(other)

    def __rtruediv__(self, other: object) -> float:
        return _operand(other) / self._number()

    def __neg__(self) -> float:
        return -self._number()

    def __abs__(self) -> float:
        return abs(self._number())

    def __html__(self) -> str:
        return self.in_text

    def summary(self) -> dict[str, Any]:
        """The fields a build manifest keeps, enough to say what changed and to name the figure as the plan does."""
        return {
            "label": self.label,
            "area": self.area,
            "value": self.value,
            "display": self.display,
            "unit": self.unit.value,
            "period": self.period,
            "rag": self.rag.value if self.rag else None,
            "direction": self.direction,
        }

    def to_json(self) -> dict[str, Any]:
        """The figure as the documented JSON object."""
        return {
            "id": self.id,
            "label": self.label,
            "value": self.value,
            "display": self.display,
            "unit": self.unit.value,
            "period": self.period,
            "area": self.area,
            "inputs": self.inputs,
            "basis": self.basis,
            "polarity": self.polarity.value,
            "rag": self.rag.value if self.rag else None,
            "rag_reason": self.rag_reason,
            "direction": self.direction,
            "reason": self.reason or None,
            "caveat": self.caveat or None,
            "alias_of": self.alias_of or None,
        }


def _operand(other: object) -> float:
    """The other side of a sum with a figure: a figure's value, or a plain number."""
    if isinstance(other, Figure):
        return other._number()
    if isinstance(other, int | float) and not isinstance(other, bool):
        return float(other)
    raise TypeError(f"cannot calculate with a figure and {type(other).__name__} {other!r}"[:100])


def format_figure(figure: Figure, *, short: bool = False) -> str:
    """A figure's default display, chosen by its unit; `short` for table cells ('+4.8 points')."""
    value = figure.value
    if value is None:
        if short:
            return figure.gap or NOT_AVAILABLE
        return f"{NOT_AVAILABLE} ({figure.reason})" if figure.reason else NOT_AVAILABLE
    unit, places = figure.unit, figure.places
    if figure.signed:
        return signed(value, places, " points" if unit is Unit.PERCENT and short else "")
    if unit is Unit.PERCENT:
        return plain(value, places) + "%"
    if unit is Unit.POINTS_CHANGE:
        return signed(value, places, " points" if short else " percentage points")
    if unit is Unit.PERCENT_CHANGE:
        return signed(value, places, "%")
    if unit is Unit.MONEY:
        return money(value, places)
    return plain(value, places)
