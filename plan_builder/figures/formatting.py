"""Display formatting primitives: how every number, amount and date is shown to a reader.

Compute stages return raw values; only this module rounds, and only for display.
It knows nothing of figures: `figure.py` formats a `Figure` with these primitives, and
`filters.py` turns them into the Jinja filters section text uses.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Context, Decimal

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


def plain(value: float, places: int) -> str:
    """'1,234.5' with `places` decimals, rounded half up; never '-0.0'."""
    rounded = round_half_up(value, places)
    if rounded == 0:
        rounded = abs(rounded)  # never show "-0.0"
    return f"{rounded:,.{places}f}"


def signed(value: float, places: int, suffix: str) -> str:
    """'+4.8' or '-14.3' followed by `suffix`; no sign when it rounds to zero."""
    text = plain(abs(value), places)
    sign = "" if text.strip("0.,") == "" else ("+" if value > 0 else "-")
    return f"{sign}{text}{suffix}"


def money(value: float | Decimal, places: int = 0) -> str:
    """'£1,746,329'; negative amounts as '-£278'."""
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.{places}f}"


def period_label(start: dt.date, end: dt.date) -> str:
    """'Jan-Dec 2024', 'Apr-Jun 2023', 'Apr 2022-Mar 2023'."""
    first, last = MONTHS[start.month - 1], MONTHS[end.month - 1]
    if start.year == end.year:
        return f"{first} {start.year}" if first == last else f"{first}-{last} {end.year}"
    return f"{first} {start.year}-{last} {end.year}"


def long_date(value: dt.date) -> str:
    """'30 May 2025' (GOV.UK style: no leading zero, no ordinal)."""
    if not isinstance(value, dt.date):
        raise ValueError(f"long_date expects a date; got {value!r}")
    return f"{value.day} {value:%B %Y}"
