"""Display formatting: every number, percentage, amount and date shown to a reader.

Compute stages return raw values; only this module rounds, and only for display.
The same functions are the Jinja filters available in section text.
"""

from __future__ import annotations

import datetime as dt


def long_date(value: dt.date) -> str:
    """'30 May 2025' (GOV.UK style: no leading zero, no ordinal)."""
    return f"{value.day} {value:%B %Y}"


FILTERS = {"long_date": long_date}
