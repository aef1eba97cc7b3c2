"""Periods and their shapes: what a row of data covers, and how periods compare over time.

A period is a run of whole days from `start` to `end`. Its shape says which periods it can
be compared and charted with: a 12-month period is a year ending in a given month
(calendar years end in December, financial years in March, a rolling year to September
runs Oct-Sep), a 3-month period is a quarter, a 1-month period a month; anything else is
irregular. Data can hold several shapes side by side (FTE by calendar year and by
rolling Oct-Sep year); each shape is its own series.

`parse_period` reads the labels services and published tables write ("2023-24", "2022/23",
"Apr 2019-Mar 2020", "Jan 22 - Dec 22", "Q4 2022-23", "Mar-23", "Year ending March 2023") into periods.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

from plan_builder.figures.formatting import MONTHS, period_label


@dataclass(frozen=True, order=True)
class Shape:
    """The kind of period: its length in months and, for years, the month it ends in."""

    months: int
    """12, 3 or 1 for years, quarters and months; 0 for an irregular period."""
    end_month: int = 0
    """For years: 1-12, the month the year ends in (12 calendar, 3 financial). 0 otherwise."""

    @property
    def id(self) -> str:
        """'jan_dec', 'apr_mar', 'oct_sep', 'quarter', 'month' or 'irregular': used in figure ids and plan.yaml."""
        if self.months == 12:
            first = MONTHS[self.end_month % 12].lower()
            return f"{first}_{MONTHS[self.end_month - 1].lower()}"
        return {3: "quarter", 1: "month"}.get(self.months, "irregular")

    @property
    def name(self) -> str:
        """In words, for messages and captions: 'calendar years (Jan-Dec)', 'years ending September (Oct-Sep)'."""
        if self.months == 12:
            span = f"{MONTHS[self.end_month % 12]}-{MONTHS[self.end_month - 1]}"
            if self.end_month == 12:
                return f"calendar years ({span})"
            if self.end_month == 3:
                return f"financial years ({span})"
            return f"years ending {calendar.month_name[self.end_month]} ({span})"
        return {3: "quarters", 1: "months"}.get(self.months, "irregular periods")

    @property
    def regular(self) -> bool:
        """True for years, quarters and months: the shapes that form a series."""
        return self.months in (12, 3, 1)


IRREGULAR = Shape(0)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> tuple[int, int]:
    """(year, month) `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """A period of whole days from `start` to `end`, both included."""

    start: dt.date
    end: dt.date

    @cached_property
    def months(self) -> int:
        """Whole calendar months covered, or 0 if the period does not run from a month's start to a month's end."""
        if self.start.day != 1 or self.end != _month_end(self.end.year, self.end.month):
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @cached_property
    def shape(self) -> Shape:
        """Its shape: a year ending in some month, a quarter, a month, or irregular."""
        if self.months == 12:
            return Shape(12, self.end.month)
        if self.months in (3, 1):
            return Shape(self.months)
        return IRREGULAR

    @property
    def label(self) -> str:
        """As the document shows it: 'Jan-Dec 2024', 'Apr 2024-Mar 2025', 'Apr-Jun 2024', 'Mar 2025'."""
        return period_label(self.start, self.end)

    @property
    def short_label(self) -> str:
        """A compact label for a narrow column: 'Apr 24', 'Apr-Jun 24', '2024-25', '2024'."""
        first, last = MONTHS[self.start.month - 1], MONTHS[self.end.month - 1]
        if self.months == 1:
            return f"{first} {self.end.year % 100:02d}"
        if self.months == 3:
            return f"{first}-{last} {self.end.year % 100:02d}"
        if self.shape == Shape(12, 3):
            return f"{self.start.year}-{self.end.year % 100:02d}"
        if self.shape == Shape(12, 12):
            return str(self.end.year)
        return self.label

    @property
    def key(self) -> str:
        """The label as a figure-id segment: 'jan_dec_2024', 'apr_2024_mar_2025', 'mar_2025'."""
        return re.sub(r"[^a-z0-9]+", "_", self.label.lower()).strip("_")

    @property
    def midpoint(self) -> dt.date:
        """The middle day: its year is the year of the population estimate a rate uses."""
        return self.start + (self.end - self.start) / 2

    def shifted(self, months: int) -> Period:
        """The period of the same months, `months` later (negative: earlier)."""
        if not self.months:
            days = dt.timedelta(days=round(months * 365.25 / 12))
            return Period(self.start + days, self.end + days)
        start_year, start_month = _add_months(self.start, months)
        end_year, end_month = _add_months(self.end, months)
        return Period(dt.date(start_year, start_month, 1), _month_end(end_year, end_month))

    def year_earlier(self) -> Period:
        """The same period a year before."""
        return self.shifted(-12)

    def preceding(self) -> Period:
        """The period of the same length just before this one (the previous quarter or month)."""
        if self.months:
            return self.shifted(-self.months)
        length = self.end - self.start
        return Period(self.start - length - dt.timedelta(days=1), self.start - dt.timedelta(days=1))


# --- Reading period labels ---------------------------------------------------------------------

_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_YEAR = r"(\d{4}|\d{2})"
_DASH = r"\s*(?:-|–|—|to)\s*"
_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("financial year", re.compile(r"^(?:fy\s*)?(\d{4})\s*(?:-|–|/)\s*(\d{2}|\d{4})$")),
    ("quarter of a financial year", re.compile(r"^q([1-4])\s*(\d{4})\s*(?:-|–|/)\s*(\d{2}|\d{4})$")),
    ("financial year and quarter", re.compile(r"^(\d{4})\s*(?:-|–|/)\s*(\d{2}|\d{4})\s*q([1-4])$")),
    ("month and year to month and year", re.compile(rf"^{_MONTH}\s*{_YEAR}(?:{_DASH}|\s+){_MONTH}\s*{_YEAR}$")),
    ("months of one year", re.compile(rf"^{_MONTH}{_DASH}{_MONTH}\s*{_YEAR}$")),
    ("month", re.compile(rf"^{_MONTH}(?:\s*|-|–|\s+){_YEAR}$")),
    ("calendar year", re.compile(r"^(\d{4})$")),
]
_YEAR_ENDING = re.compile(r"^(?:(?:year|12 months)\s+end(?:ing|ed)|ye)\s+(.+)$")
"""'Year ending March 2023', '12 months ending Dec 22', 'YE Jun 2021': the 12 months to the end of that month."""
FORMS_UNDERSTOOD = (
    "'2023-24' or '2023/24' (financial year), 'Q4 2022-23', 'Apr 2019-Mar 2020', 'Jan 22 - Dec 22', "
    "'Apr - Jun 2019', 'Jan-Dec 2024', 'Year ending March 2023', 'Mar-23', 'March 2025', '2024' (calendar year)"
)
"""The label forms `parse_period` reads, for error messages."""


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if len(text) == 2 else value


def _month(text: str) -> int:
    return [m.lower() for m in MONTHS].index(text[:3].lower()) + 1


def _span(first: int, first_year: int, last: int, last_year: int) -> Period:
    period = Period(dt.date(first_year, first, 1), _month_end(last_year, last))
    if period.end < period.start:
        raise ValueError("the period ends before it starts")
    return period


def parse_period(text: str) -> Period:
    """Read a period label; raise ValueError naming the forms understood when it cannot be read."""
    clean = re.sub(r"\s+", " ", str(text).strip().lower().replace("’", "'"))
    clean = re.sub(r"\bcohort\b", "", clean).strip()
    ending = _YEAR_ENDING.match(clean)
    try:
        if ending:  # a year ending in a month: the month read as below, then the 12 months to its end
            month = _parse_form(ending[1])
            if month is not None and month.months == 1:
                return Period(month.shifted(-11).start, month.end)
            # 'Year ending Apr 2019-Mar 2020' says it twice; 'year ending 2023' does not say which month.
            named = month is not None and month.months == 12 and re.search(_MONTH, ending[1])
            period = month if named else None
        else:
            period = _parse_form(clean)
    except ValueError:
        period = None
    if period is None:
        raise ValueError(
            f"{text!r} is not a period label plan-builder can read; expected a form such as {FORMS_UNDERSTOOD}"
        )
    return period


def _parse_form(clean: str) -> Period | None:
    """The period a cleaned label gives in the first form it matches, or None; ValueError if it is impossible."""
    for form, pattern in _FORMS:
        match = pattern.match(clean)
        if not match:
            continue
        groups = match.groups()
        if form in ("financial year", "financial year and quarter", "quarter of a financial year"):
            quarter, years = (groups[0], groups[1:]) if form.startswith("quarter") else (groups[2:], groups[:2])
            first = int(years[0])
            second = int(years[1]) if len(years[1]) == 4 else int(years[0][:2] + years[1])
            if second != first + 1:
                return None
            return _quarter(int(quarter[0]), first) if quarter else _span(4, first, 3, second)
        if form == "month and year to month and year":
            return _span(_month(groups[0]), _year(groups[1]), _month(groups[2]), _year(groups[3]))
        if form == "months of one year":
            year = _year(groups[2])
            first, last = _month(groups[0]), _month(groups[1])
            return _span(first, year - 1 if first > last else year, last, year)
        if form == "month":
            month, year = _month(groups[0]), _year(groups[1])
            return _span(month, year, month, year)
        year = int(groups[0])
        return _span(1, year, 12, year)
    return None


def _quarter(quarter: int, first_year: int) -> Period:
    """Quarter 1-4 of the financial year starting in April of `first_year`."""
    start = 4 + (quarter - 1) * 3
    year = first_year if start <= 12 else first_year + 1
    start = start if start <= 12 else start - 12
    return _span(start, year, start + 2, year)
