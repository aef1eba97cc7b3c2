"""Display formatting: every number, percentage, amount and date shown to a reader.

Compute stages return raw values; only this module rounds, and only for display.
The same functions are the Jinja filters available in section text:
`number`, `pct`, `pp`, `change`, `money`, `period`, `long_date`, `rag`, `direction`,
`versus`; the pipeline adds `stated`, which checks a typed value against the figure.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plan_builder.figures.figure import Figure

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
NOT_AVAILABLE = "n/a"


def round_half_up(value: float, places: int) -> Decimal:
    """Round as people expect (2.675 -> 2.68, 0.625 -> 0.63), not banker's rounding."""
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(repr(value))
    # The default context holds 28 digits, too few for values above about 1e27; a float's whole
    # part has at most 309. Places beyond the cap still fail (InvalidOperation), as they should.
    digits = min(max(exact.adjusted(), 0) + 1 + places, 1000)
    return exact.quantize(quantum, rounding=ROUND_HALF_UP, context=Context(prec=max(digits, 28)))


def _plain(value: float, places: int) -> str:
    rounded = round_half_up(value, places)
    if rounded == 0:
        rounded = abs(rounded)  # never show "-0.0"
    return f"{rounded:,.{places}f}"


def _value(value: Any) -> tuple[float | None, int | None]:
    """Accept a Figure or a plain number; return (value, figure's own places)."""
    from plan_builder.figures.figure import Figure

    if isinstance(value, Figure):
        return value.value, value.places
    if value is None:
        return None, None
    return float(value), None


def number(value: Any, places: int | None = None) -> str:
    """'1,234' or '6.65'; a Figure keeps its own decimal places unless `places` is given."""
    raw, own = _value(value)
    if raw is None:
        return NOT_AVAILABLE
    return _plain(raw, places if places is not None else (own if own is not None else 0))


def pct(value: Any, places: int | None = None) -> str:
    """'22.6%'."""
    raw, own = _value(value)
    if raw is None:
        return NOT_AVAILABLE
    return _plain(raw, places if places is not None else (own if own is not None else 1)) + "%"


def _signed(value: Any, places: int | None, suffix: str) -> str:
    """'+4.8' or '-14.3' followed by `suffix`; no sign when it rounds to zero."""
    raw, own = _value(value)
    if raw is None:
        return NOT_AVAILABLE
    text = _plain(abs(raw), places if places is not None else (own if own is not None else 1))
    sign = "" if text.strip("0.,") == "" else ("+" if raw > 0 else "-")
    return f"{sign}{text}{suffix}"


def pp(value: Any, places: int | None = None, *, unit: str = "percentage points") -> str:
    """Signed percentage points: '+4.8 percentage points', '-8.2 percentage points'."""
    return _signed(value, places, f" {unit}")


def change(value: Any, places: int | None = None) -> str:
    """Signed percentage change: '+95.7%', '-14.3%'."""
    return _signed(value, places, "%")


def money(value: Any, places: int = 0) -> str:
    """'£1,746,329'; negative amounts as '-£278'."""
    if isinstance(value, Decimal):
        raw: float | Decimal | None = value
    else:
        raw, _ = _value(value)
    if raw is None:
        return NOT_AVAILABLE
    amount = Decimal(str(raw)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.{places}f}"


def period_label(start: dt.date, end: dt.date) -> str:
    """'Jan-Dec 2024', 'Apr-Jun 2023', 'Apr 2022-Mar 2023'."""
    first, last = MONTHS[start.month - 1], MONTHS[end.month - 1]
    if start.year == end.year:
        return f"{first} {start.year}" if first == last else f"{first}-{last} {end.year}"
    return f"{first} {start.year}-{last} {end.year}"


def period(value: Any) -> str:
    """Filter: a Figure's period label, or a (start, end) pair formatted as a period."""
    from plan_builder.figures.figure import Figure

    if isinstance(value, Figure):
        return value.period
    if isinstance(value, tuple) and len(value) == 2:
        return period_label(value[0], value[1])
    return str(value)


def long_date(value: dt.date) -> str:
    """'30 May 2025' (GOV.UK style: no leading zero, no ordinal)."""
    if not isinstance(value, dt.date):
        raise ValueError(f"long_date expects a date; got {value!r}")
    return f"{value.day} {value:%B %Y}"


def rag(value: Any) -> str:
    """Filter: the figure's RAG as a word ('Green'), or 'Not rated'."""
    from plan_builder.figures.figure import Figure

    if isinstance(value, Figure) and value.rag is not None:
        return value.rag.value
    return "Not rated"


def direction(value: Any) -> str:
    """Filter: the figure's direction of travel in words."""
    from plan_builder.figures.figure import Figure

    if isinstance(value, Figure) and value.direction:
        return value.direction
    return "not known"


def versus(value: Any, other: Any) -> str:
    """Filter: 'better than', 'worse than' or 'the same as' `other`, by the figure's polarity.

    Falls back to 'higher than' / 'lower than' when no direction is good.
    """
    from plan_builder.figures.figure import Figure, Polarity

    if not isinstance(value, Figure) or not isinstance(other, Figure) or value.value is None or other.value is None:
        return "not comparable with"
    if abs(value.value - other.value) <= 1e-9 * max(1.0, abs(other.value)):
        return "the same as"
    higher = value.value > other.value
    if value.polarity is Polarity.NEUTRAL:
        return "higher than" if higher else "lower than"
    better = higher if value.polarity is Polarity.HIGHER else not higher
    return "better than" if better else "worse than"


def format_figure(figure: Figure, *, short: bool = False) -> str:
    """A figure's default display, chosen by its unit; `short` for table cells ('+4.8 points')."""
    from plan_builder.figures.figure import Unit

    if figure.value is None:
        return NOT_AVAILABLE if short or not figure.reason else f"{NOT_AVAILABLE} ({figure.reason})"
    unit = figure.unit
    if unit is Unit.PERCENT:
        return pct(figure)
    if unit is Unit.POINTS_CHANGE:
        return pp(figure, unit="points" if short else "percentage points")
    if unit is Unit.PERCENT_CHANGE:
        return change(figure)
    if unit is Unit.MONEY:
        return money(figure.value)
    return number(figure)


FILTERS = {
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
