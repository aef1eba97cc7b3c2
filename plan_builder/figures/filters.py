"""The Jinja filters that section text uses to show figures.

`number`, `pct`, `pp`, `change`, `money`, `period`, `long_date`, `rag`, `direction` and `versus`.
Each accepts a `Figure` (keeping its own decimal places) or a plain number; the rounding
itself is `formatting`'s. The pipeline adds `stated` (figures/stated.py), which checks a
typed value against the figure it is written beside.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from plan_builder.figures import formatting
from plan_builder.figures.figure import Figure, Polarity
from plan_builder.figures.formatting import NOT_AVAILABLE, long_date, period_label


def _value(value: Any) -> tuple[float | None, int | None]:
    """Accept a Figure or a plain number; return (value, figure's own places)."""
    if isinstance(value, Figure):
        return value.value, value.places
    if value is None:
        return None, None
    return float(value), None


def _shown(value: Any, places: int | None, default: int, show: Any) -> str:
    raw, own = _value(value)
    if raw is None:
        return value.in_text if isinstance(value, Figure) else NOT_AVAILABLE
    return show(raw, places if places is not None else (own if own is not None else default))


def number(value: Any, places: int | None = None) -> str:
    """'1,234' or '6.65'; a Figure keeps its own decimal places unless `places` is given."""
    return _shown(value, places, 0, formatting.plain)


def pct(value: Any, places: int | None = None) -> str:
    """'22.6%'."""
    return _shown(value, places, 1, lambda raw, p: formatting.plain(raw, p) + "%")


def pp(value: Any, places: int | None = None, *, unit: str = "percentage points") -> str:
    """Signed percentage points: '+4.8 percentage points', '-8.2 percentage points'."""
    return _shown(value, places, 1, lambda raw, p: formatting.signed(raw, p, f" {unit}"))


def change(value: Any, places: int | None = None) -> str:
    """Signed percentage change: '+95.7%', '-14.3%'."""
    return _shown(value, places, 1, lambda raw, p: formatting.signed(raw, p, "%"))


def money(value: Any, places: int = 0) -> str:
    """'£1,746,329'; negative amounts as '-£278'."""
    if isinstance(value, Decimal):
        return formatting.money(value, places)
    raw, _ = _value(value)
    if raw is None:
        return value.in_text if isinstance(value, Figure) else NOT_AVAILABLE
    return formatting.money(raw, places)


def period(value: Any) -> str:
    """A Figure's period label, or a (start, end) pair formatted as a period."""
    if isinstance(value, Figure):
        return value.period
    if isinstance(value, tuple) and len(value) == 2:
        return period_label(value[0], value[1])
    return str(value)


def rag(value: Any) -> str:
    """The figure's RAG as a word ('Green'), or 'Not rated'."""
    if isinstance(value, Figure) and value.rag is not None:
        return value.rag.value
    return "Not rated"


def direction(value: Any) -> str:
    """The figure's direction of travel in words."""
    if isinstance(value, Figure) and value.direction:
        return value.direction
    return "not known"


def versus(value: Any, other: Any) -> str:
    """'better than', 'worse than' or 'the same as' `other`, by the figure's polarity.

    Falls back to 'higher than' / 'lower than' when no direction is good.
    """
    if not isinstance(value, Figure) or not isinstance(other, Figure) or value.value is None or other.value is None:
        return "not comparable with"
    if abs(value.value - other.value) <= 1e-9 * max(1.0, abs(other.value)):
        return "the same as"
    higher = value.value > other.value
    if value.polarity is Polarity.NEUTRAL:
        return "higher than" if higher else "lower than"
    better = higher if value.polarity is Polarity.HIGHER else not higher
    return "better than" if better else "worse than"


FILTERS: dict[str, Callable[..., Any]] = {
    "number": number,
    "pct": pct,
    "pp": pp,
    "change": change,
    "money": money,
    "period": period,
    "long_date": long_date,
    "rag": rag,
    "direction": direction,
    "versus": versus,
}
