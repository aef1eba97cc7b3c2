"""The budget file's schema: money read exactly, the YJB's agencies, and messages that name the item.

An amount is read as `Decimal` pounds from what the author typed (298303, '298,303',
'£298,303', 298303.50); a validation problem names the agency, line or cost centre it is in.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, ValidationInfo, field_validator

from plan_builder.errors import ConfigError
from plan_builder.inputs.config import PERIOD_PATTERN, Plan
from plan_builder.inputs.schema import StrictModel, field_path
from plan_builder.inputs.yamlio import Key, YamlDocument

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


def located(doc: YamlDocument, loc: Key, text: str) -> str:
    """'file:line: agency 'police': staffing: what is wrong'."""
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


def validate_budget(doc: YamlDocument, plan: Plan) -> BudgetFile:
    """The budget file validated, every problem named by its item; or a ConfigError listing them."""
    try:
        return BudgetFile.model_validate(doc.data or {}, context={"nation": plan.manifest.service.nation})
    except ValidationError as exc:
        problems = [located(doc, tuple(e["loc"]), _error_text(e)) for e in exc.errors()]
        raise ConfigError(*dict.fromkeys(problems)) from exc
