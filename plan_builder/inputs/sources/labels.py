"""Labels in published tables: row and column labels cleaned of footnote markers, read as periods or years.

A column label in a wide table is a period ("2023-24", "Apr 2019-Mar 2020", "Jan 22 - Dec 22",
"Year ending March 2023"), read by `figures.periods.parse_period`; a date cell as a heading is
the month it falls in when it is the first of a month (Excel turns a typed "Mar-23" into
1 March 2023), and an error otherwise. Labels are compared without case, extra spaces or
footnote markers, so "Calder North(3)" in the table matches "Calder North" in plan.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from plan_builder.figures.periods import FORMS_UNDERSTOOD, Period, parse_period
from plan_builder.inputs.markers import strip_footnotes

_YEAR = re.compile(r"^(?:mid[- ]?)?(\d{4})(?:\s*mid[- ]?year(?: estimates?)?)?$", re.I)


def label_text(raw: Any) -> str:
    """A cell as a label: text without footnote markers; 2019.0 as '2019'; '' for an empty cell."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.date):
        return raw.isoformat()[:10]
    return strip_footnotes(str(raw))


def key(label: str) -> str:
    """How labels are compared: without case, footnotes or extra spaces."""
    return re.sub(r"\s+", " ", strip_footnotes(label)).strip().casefold()


def period_of(raw: Any) -> Period:
    """The period a column label (or a period cell of a long table) names; ValueError saying what is read."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        if raw.day != 1:
            raise ValueError(
                f"is a date ({raw.isoformat()}), not a period label; write the period as text, "
                f"in a form such as {FORMS_UNDERSTOOD}"
            )
        return parse_period(f"{raw:%b %Y}")
    text = label_text(raw)
    if not text:
        raise ValueError(f"is empty; expected a period label such as {FORMS_UNDERSTOOD}")
    try:
        return parse_period(text)
    except ValueError:
        expected = f"is not a period label plan-builder can read; expected a form such as {FORMS_UNDERSTOOD}"
        raise ValueError(expected) from None


def year_of(raw: Any) -> int:
    """The year a population column names: '2019', 'Mid-2019', 2019; ValueError otherwise."""
    match = _YEAR.match(label_text(raw))
    if not match:
        raise ValueError("is not a year; expected a year such as '2023' or 'Mid-2023'")
    return int(match[1])
