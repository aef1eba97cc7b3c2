"""Budget: the YJB 'budget costs and contributions' table and in-year variance tables.

Money is held as `Decimal` pounds, exact to the penny, and every total is computed:
row totals, column totals, the pooled total, the total service budget and each
variance (forecast minus budget). Totals typed by the author (`stated_total`,
`stated_service_total`, `stated_budget`, `stated_variance`) are checked, never shown;
a mismatch is a warning naming file:line, the item and both values. The layouts
follow seed 002 (pooled budget with sub-lines and additional funding) and seed 003
(one variance table per cost centre, income negative).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeGuard

from plan_builder.errors import ConfigError
from plan_builder.figures.formatting import money
from plan_builder.inputs.config import Plan
from plan_builder.inputs.files import read_input_text
from plan_builder.inputs.yamlio import Key, YamlDocument, parse_yaml
from plan_builder.parts.budget.schema import (
    AGENCIES,
    AMOUNT_FIELDS,
    ZERO,
    BudgetFile,
    Contribution,
    Funding,
    located,
    validate_budget,
)


@dataclass(frozen=True)
class Amounts:
    """The three money columns of the contributions table; `total` is their sum."""

    staffing: Decimal = ZERO
    payments_in_kind: Decimal = ZERO
    other_delegated: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        """Staffing + payments in kind + other delegated funds."""
        return self.staffing + self.payments_in_kind + self.other_delegated

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(*(getattr(self, f) + getattr(other, f) for f in AMOUNT_FIELDS))

    def cells(self) -> list[Decimal]:
        """The four money cells of a row, total last."""
        return [self.staffing, self.payments_in_kind, self.other_delegated, self.total]


@dataclass(frozen=True)
class Row:
    """A row of the contributions table; sub-lines have `level` 1."""

    label: str
    amounts: Amounts
    previous: Decimal | None = None
    level: int = 0
    agency: str = ""
    """The agency id of an agency's row ('' for a sub-line)."""


@dataclass(frozen=True)
class VarianceRow:
    """A computed variance line: variance = forecast - budget."""

    category: str
    actual_to_date: Decimal
    budget: Decimal
    forecast: Decimal

    @property
    def variance(self) -> Decimal:
        """Forecast minus full-year budget: negative is an underspend."""
        return self.forecast - self.budget


@dataclass(frozen=True)
class VarianceTable:
    """One cost centre's lines and their total."""

    name: str
    code: str | None
    year: str
    as_at: dt.date | None
    lines: list[VarianceRow]
    total: VarianceRow


@dataclass
class Budget:
    """The computed budget: rows in YJB order, totals, additional funding and variance tables."""

    year: str
    previous_year: str | None
    rows: list[Row]
    total: Amounts
    previous_total: Decimal | None
    additional: list[Funding]
    variance: list[VarianceTable]
    warnings: list[str] = field(default_factory=list)

    @property
    def additional_total(self) -> Decimal:
        """Funding outside the pooled budget."""
        return sum((f.amount for f in self.additional), ZERO)

    @property
    def service_total(self) -> Decimal:
        """Total service budget: the pooled total plus funding outside it."""
        return self.total.total + self.additional_total


def _differs(stated: Decimal | None, computed: Decimal) -> TypeGuard[Decimal]:
    return stated is not None and stated != computed


def load_budget(path: Path, display: Path, plan: Plan) -> Budget:
    """Read the budget file, validate every amount and compute all totals.

    `display` is the path shown in messages. Problems that stop the build (money that
    is not money, a negative amount outside income, an unknown or duplicated agency)
    raise `ConfigError` listing every one; stated totals that disagree become warnings.
    """
    try:
        doc = parse_yaml(read_input_text(path), display)
    except FileNotFoundError as exc:
        raise ConfigError(f"{display}: budget file not found") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{display}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise ConfigError(f"{display}: cannot read the budget file ({exc.strerror or exc})") from exc
    parsed = validate_budget(doc, plan)
    period = plan.manifest.period
    year = parsed.year or period
    warnings: list[str] = []
    if year != period:
        warnings.append(located(doc, ("year",), f"the budget is for {year} but the plan period is {period}"))
    entries = _entries(doc, parsed)
    rows: list[Row] = []
    total, previous_total = Amounts(), ZERO
    for agency, label in AGENCIES.items():
        if agency == "welsh-government" and plan.manifest.service.nation != "Wales":
            continue
        if agency not in entries:
            rows.append(Row(label, Amounts(), ZERO if parsed.previous_year else None, agency=agency))
            continue
        agency_rows = _agency_rows(doc, parsed, entries[agency], label, warnings)
        rows.extend(agency_rows)
        total += agency_rows[0].amounts
        previous_total += agency_rows[0].previous or ZERO
    budget = Budget(
        year,
        parsed.previous_year,
        rows,
        total,
        previous_total if parsed.previous_year else None,
        list(parsed.additional_funding),
        [],
        warnings,
    )
    _check_totals(doc, parsed, budget, warnings)
    budget.variance = _variance(doc, parsed, year, warnings)
    return budget


def _entries(doc: YamlDocument, parsed: BudgetFile) -> dict[str, tuple[int, Contribution]]:
    """Each agency's entry and its index; an agency listed twice, or with amounts on it and its lines, is an error."""
    problems: list[str] = []
    entries: dict[str, tuple[int, Contribution]] = {}
    for index, entry in enumerate(parsed.contributions):
        loc: Key = ("contributions", index)
        if entry.agency in entries:
            problems.append(located(doc, (*loc, "agency"), "listed more than once; use `lines:` to split one agency"))
        entries[entry.agency] = (index, entry)
        if entry.lines and set(AMOUNT_FIELDS) & entry.model_fields_set:
            problems.append(located(doc, loc, "give amounts either on the agency or in its lines, not both"))
    if problems:
        raise ConfigError(*problems)
    return entries


def _agency_rows(
    doc: YamlDocument, parsed: BudgetFile, found: tuple[int, Contribution], label: str, warnings: list[str]
) -> list[Row]:
    """An agency's row (its amounts summed from its lines, if it has them), then its lines."""
    index, entry = found
    loc: Key = ("contributions", index)
    lines = [
        Row(
            line.name, Amounts(line.staffing, line.payments_in_kind, line.other_delegated), line.previous_total, level=1
        )
        for line in entry.lines
    ]
    amounts = (
        sum((line.amounts for line in lines), Amounts())
        if lines
        else Amounts(entry.staffing, entry.payments_in_kind, entry.other_delegated)
    )
    previous = entry.previous_total
    if previous is None and lines and all(line.previous is not None for line in lines):
        previous = sum((line.previous or ZERO for line in lines), ZERO)
    if parsed.previous_year and previous is None:
        warnings.append(located(doc, loc, f"no previous_total for {parsed.previous_year}; shown as £0"))
        previous = ZERO
    elif not parsed.previous_year and entry.previous_total is not None:
        warnings.append(located(doc, (*loc, "previous_total"), "ignored: the file has no previous_year"))
    if _differs(entry.stated_total, amounts.total):
        warnings.append(located(doc, (*loc, "stated_total"), _mismatch("total", entry.stated_total, amounts.total)))
    own = Row(f"{label}: {entry.name}" if entry.name else label, amounts, previous, agency=entry.agency)
    return [own, *lines]


def _check_totals(doc: YamlDocument, parsed: BudgetFile, budget: Budget, warnings: list[str]) -> None:
    """Typed pooled and service totals against the computed ones: a warning with both values for each."""
    total = budget.total.total
    if _differs(parsed.stated_total, total):
        warnings.append(located(doc, ("stated_total",), _mismatch("pooled total", parsed.stated_total, total)))
    if _differs(parsed.stated_service_total, budget.service_total):
        text = _mismatch("total service budget", parsed.stated_service_total, budget.service_total)
        warnings.append(located(doc, ("stated_service_total",), text))


def pence_places(amounts: Sequence[Decimal | None]) -> int:
    """Show pence only when some amount has them, so whole-pound tables stay uncluttered."""
    return 2 if any(a is not None and a != a.to_integral_value() for a in amounts) else 0


def _mismatch(what: str, stated: Decimal, computed: Decimal) -> str:
    places = pence_places([stated, computed])
    return (
        f"stated {what} {money(stated, places)} differs from the computed {what} {money(computed, places)}; "
        "the table shows the computed figure"
    )


def _variance(doc: YamlDocument, parsed: BudgetFile, year: str, warnings: list[str]) -> list[VarianceTable]:
    tables = []
    for index, centre in enumerate(parsed.variance):
        rows = [VarianceRow(line.category, line.actual_to_date, line.budget, line.forecast) for line in centre.lines]
        for number, (line, row) in enumerate(zip(centre.lines, rows, strict=True)):
            if _differs(line.stated_variance, row.variance):
                loc: Key = ("variance", index, "lines", number, "stated_variance")
                warnings.append(located(doc, loc, _mismatch("variance", line.stated_variance, row.variance)))
        total = VarianceRow(
            "Total", *(sum((getattr(r, f) for r in rows), ZERO) for f in ("actual_to_date", "budget", "forecast"))
        )
        if _differs(centre.stated_budget, total.budget):
            loc = ("variance", index, "stated_budget")
            warnings.append(located(doc, loc, _mismatch("net budget", centre.stated_budget, total.budget)))
        tables.append(VarianceTable(centre.cost_centre, centre.code, centre.year or year, centre.as_at, rows, total))
    return tables
