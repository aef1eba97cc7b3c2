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
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, TypeGuard

from pydantic import BeforeValidator, Field, ValidationError, ValidationInfo, field_validator

from plan_builder.errors import ConfigError
from plan_builder.figures.formatting import money
from plan_builder.inputs.config import PERIOD_PATTERN, Plan
from plan_builder.inputs.files import read_input_text
from plan_builder.inputs.schema import StrictModel, field_path
from plan_builder.inputs.yamlio import Key, YamlDocument, parse_yaml

# The YJB template's rows, in its order; Welsh Government only for services in Wales.
AGENCIES: dict[str, str] = {
    "local-authority": "Local authority",
    "police": "Police",
    "pcc": "Police and crime commissioner",
    "probation": "Probation",
    "health": "Health",
    "welsh-government": "Welsh Government",
    "yjb-grant": "YJB youth justice grant",
    "other": "Other",
}
ZERO = Decimal(0)
PENNY = Decimal("0.01")
MONEY_TEXT = re.compile(r"^(-?)£?(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?$")
NIL_TEXT = ("", "-", "–", "—")  # finance tables write nil as a dash
MONEY_HINT = "write pounds such as 298303, '298,303', '£298,303' or 298303.50"
AMOUNT_FIELDS = ("staffing", "payments_in_kind", "other_delegated")


def parse_money(value: object) -> Decimal:
    """Read an amount of pounds exactly: 298303, '298,303', '£298,303', 298303.50, '-£4,000'.

    A YAML float is read through its shortest repr, which is the decimal the author
    typed, so 298303.5 is exact; it must be whole pence. Blank or a dash is nil.

    Raises:
        ValueError: the value is not money or has fractions of a penny.
    """
    if value is None or (isinstance(value, str) and value.strip() in NIL_TEXT):
        return ZERO
    amount: Decimal | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str) and (match := MONEY_TEXT.match(value.strip())):
        amount = Decimal(match[1] + match[2].replace(",", "") + (match[3] or ""))
    if amount is None or not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount of money; {MONEY_HINT}")
    try:
        exact = amount == amount.quantize(PENNY)
    except InvalidOperation:  # too many digits to hold in pence
        exact = False
    if not exact:
        raise ValueError(f"{value!r} is not a whole number of pence; round it to two decimal places")
    return amount


def _amount(value: object) -> Decimal:
    amount = parse_money(value)
    if amount < 0:
        raise ValueError(f"{value!r} is negative; only income lines may be negative")
    return amount


Amount = Annotated[Decimal, BeforeValidator(_amount)]
OptionalAmount = Annotated[Decimal | None, BeforeValidator(lambda v: None if v is None else _amount(v))]
Signed = Annotated[Decimal, BeforeValidator(parse_money)]
OptionalSigned = Annotated[Decimal | None, BeforeValidator(lambda v: None if v is None else parse_money(v))]


def _period(value: str | None) -> str | None:
    if value is None:
        return None
    match = PERIOD_PATTERN.match(value)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"expected a financial year like '2025-26'; got {value!r}")
    return value


class Line(StrictModel):
    """A named contributor within an agency's row, e.g. the council's Public Health budget."""

    name: str = Field(min_length=1)
    staffing: Amount = ZERO
    payments_in_kind: Amount = ZERO
    other_delegated: Amount = ZERO
    previous_total: OptionalAmount = None


class Contribution(StrictModel):
    """One agency's row: amounts given directly or split into named `lines`."""

    agency: str
    """One of the keys of `AGENCIES`."""
    name: str | None = None
    """Display name, e.g. 'West Pennine Integrated Care Board'."""
    lines: list[Line] = Field(default_factory=list)
    staffing: Amount = ZERO
    payments_in_kind: Amount = ZERO
    other_delegated: Amount = ZERO
    previous_total: OptionalAmount = None
    """The agency's total in `previous_year`; defaults to the sum of its lines' previous totals."""
    stated_total: OptionalAmount = None
    """A typed total to check against the computed one."""

    @field_validator("agency")
    @classmethod
    def _known_agency(cls, value: str, info: ValidationInfo) -> str:
        if value not in AGENCIES:
            raise ValueError(f"expected one of: {', '.join(AGENCIES)}")
        nation = (info.context or {}).get("nation", "England")
        if value == "welsh-government" and nation != "Wales":
            raise ValueError(f"the Welsh Government row is only for services in Wales; plan.yaml has nation {nation}")
        return value


class Funding(StrictModel):
    """Money outside the pooled budget, e.g. the Turnaround grant."""

    name: str = Field(min_length=1)
    amount: Amount
    source: str | None = None
    """Who provides it, e.g. 'Ministry of Justice'."""


class VarianceLine(StrictModel):
    """One budget line of a cost centre. Income lines are negative."""

    category: str = Field(min_length=1)
    income: bool | None = None
    """Defaults to true when the category is 'Income'."""
    actual_to_date: Signed = ZERO
    budget: Signed = ZERO
    forecast: Signed = ZERO
    stated_variance: OptionalSigned = None

    @field_validator("actual_to_date", "budget", "forecast")
    @classmethod
    def _sign(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        income = info.data.get("income")
        if income is None:
            income = str(info.data.get("category", "")).lower() == "income"
        if income and value > 0:
            raise ValueError(f"income is written as a negative amount; write -{value}")
        if not income and value < 0:
            raise ValueError(f"'{value}' is negative; only income lines may be negative (mark one with income: true)")
        return value


class CostCentre(StrictModel):
    """An in-year variance table: one cost centre's budget lines."""

    cost_centre: str = Field(min_length=1)
    code: str | None = None
    year: str | None = None
    """Financial year of the figures; defaults to the budget's `year`."""
    as_at: dt.date | None = None
    lines: list[VarianceLine] = Field(min_length=1)
    stated_budget: OptionalSigned = None
    """A typed net full-year budget to check."""

    _code = field_validator("code", mode="before")(lambda v: str(v) if isinstance(v, int) else v)
    _year = field_validator("year")(_period)


class BudgetFile(StrictModel):
    """The whole budget YAML file."""

    year: str | None = None
    """Financial year, e.g. '2025-26'; defaults to the plan period."""
    previous_year: str | None = None
    """Adds a previous-year total and change column to the contributions table."""
    contributions: list[Contribution] = Field(default_factory=list)
    additional_funding: list[Funding] = Field(default_factory=list)
    stated_total: OptionalAmount = None
    """A typed pooled total to check."""
    stated_service_total: OptionalAmount = None
    """A typed total service budget (pooled plus additional) to check."""
    variance: list[CostCentre] = Field(default_factory=list)

    _years = field_validator("year", "previous_year")(_period)


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


ITEM_KEYS = {
    "contributions": ("agency", "agency"),
    "additional_funding": ("name", "funding"),
    "variance": ("cost_centre", "cost centre"),
    "lines": ("name", "line"),
}


def _describe(data: Any, loc: Key) -> tuple[str, Key]:
    """Name the items `loc` passes through ("agency 'health', line 'CAMHS'") and return the rest of it."""
    labels: list[str] = []
    node, rest = data, loc
    for index, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        parent = loc[index - 1] if index else None
        if isinstance(part, int) and isinstance(parent, str) and parent in ITEM_KEYS and isinstance(node, dict):
            key, noun = ITEM_KEYS[parent]
            name = node.get(key, node.get("category"))
            labels.append(f"{noun} {name!r}" if name is not None else f"{noun} {part + 1}")
            rest = loc[index + 1 :]
    return ", ".join(labels), rest


def _located(doc: YamlDocument, loc: Key, text: str) -> str:
    item, rest = _describe(doc.data, loc)
    parts = [p for p in (item, field_path(rest) if rest or not item else "") if p]
    return f"{doc.where(loc)}: {': '.join(parts)}: {text}"


def _error_text(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "required key is missing"
    text = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if error["type"] != "value_error" and (isinstance(value, str | int | float | bool) or value is None):
        text += f"; got {value!r}"
    return text


def _validate(doc: YamlDocument, plan: Plan) -> BudgetFile:
    try:
        return BudgetFile.model_validate(doc.data or {}, context={"nation": plan.manifest.service.nation})
    except ValidationError as exc:
        problems = [_located(doc, tuple(e["loc"]), _error_text(e)) for e in exc.errors()]
        raise ConfigError(*dict.fromkeys(problems)) from exc


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
    parsed = _validate(doc, plan)
    period = plan.manifest.period
    year = parsed.year or period
    warnings: list[str] = []
    problems: list[str] = []
    if year != period:
        warnings.append(_located(doc, ("year",), f"the budget is for {year} but the plan period is {period}"))
    seen: set[str] = set()
    entries: dict[str, tuple[int, Contribution]] = {}
    for index, entry in enumerate(parsed.contributions):
        loc: Key = ("contributions", index)
        if entry.agency in seen:
            problems.append(_located(doc, (*loc, "agency"), "listed more than once; use `lines:` to split one agency"))
        seen.add(entry.agency)
        entries[entry.agency] = (index, entry)
        if entry.lines and set(AMOUNT_FIELDS) & entry.model_fields_set:
            problems.append(_located(doc, loc, "give amounts either on the agency or in its lines, not both"))
    if problems:
        raise ConfigError(*problems)

    rows: list[Row] = []
    total, previous_total = Amounts(), ZERO
    for agency, label in AGENCIES.items():
        if agency == "welsh-government" and plan.manifest.service.nation != "Wales":
            continue
        if agency not in entries:
            rows.append(Row(label, Amounts(), ZERO if parsed.previous_year else None))
            continue
        index, entry = entries[agency]
        loc = ("contributions", index)
        lines = [
            Row(
                line.name,
                Amounts(line.staffing, line.payments_in_kind, line.other_delegated),
                line.previous_total,
                level=1,
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
            warnings.append(_located(doc, loc, f"no previous_total for {parsed.previous_year}; shown as £0"))
            previous = ZERO
        elif not parsed.previous_year and entry.previous_total is not None:
            warnings.append(_located(doc, (*loc, "previous_total"), "ignored: the file has no previous_year"))
        if _differs(entry.stated_total, amounts.total):
            text = _mismatch("total", entry.stated_total, amounts.total)
            warnings.append(_located(doc, (*loc, "stated_total"), text))
        rows.append(Row(f"{label}: {entry.name}" if entry.name else label, amounts, previous))
        rows.extend(lines)
        total += amounts
        previous_total += previous or ZERO

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
    if _differs(parsed.stated_total, total.total):
        warnings.append(_located(doc, ("stated_total",), _mismatch("pooled total", parsed.stated_total, total.total)))
    if _differs(parsed.stated_service_total, budget.service_total):
        warnings.append(
            _located(
                doc,
                ("stated_service_total",),
                _mismatch("total service budget", parsed.stated_service_total, budget.service_total),
            )
        )
    budget.variance = _variance(doc, parsed, year, warnings)
    return budget


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
                warnings.append(_located(doc, loc, _mismatch("variance", line.stated_variance, row.variance)))
        total = VarianceRow(
            "Total", *(sum((getattr(r, f) for r in rows), ZERO) for f in ("actual_to_date", "budget", "forecast"))
        )
        if _differs(centre.stated_budget, total.budget):
            loc = ("variance", index, "stated_budget")
            warnings.append(_located(doc, loc, _mismatch("net budget", centre.stated_budget, total.budget)))
        tables.append(VarianceTable(centre.cost_centre, centre.code, centre.year or year, centre.as_at, rows, total))
    return tables
