"""The structured parts' totals as figures: `budget.total`, `actions.status.completed`, `risks.R1.residual.score`.

Each part's model computes its totals; here they become `Figure`s with ids, so that section
text can show them (`{{ budget.total }}`), `stated()` can check a typed total against them,
and `plan-builder figures` and the build manifest list them beside the performance figures.
Ids use '_' where the YAML ids use '-' (`local-authority` is `budget.contributions.local_authority`),
because section text reads them as names.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from plan_builder.figures.figure import Figure, Unit
from plan_builder.figures.formatting import long_date

if TYPE_CHECKING:
    from plan_builder.parts.actions.model import ActionPlan
    from plan_builder.parts.budget.model import Budget
    from plan_builder.parts.risks.model import RiskRegister
    from plan_builder.parts.staffing.model import Staffing


def name_of(ident: str) -> str:
    """A YAML id as a name section text can use: 'on-track' -> 'on_track'."""
    return ident.replace("-", "_")


def structured_figures(parts: Mapping[str, Any]) -> dict[str, Figure]:
    """Every total the loaded parts compute, as figures by id (parts that are not loaded give none)."""
    figures: list[Figure] = []
    if "budget" in parts:
        figures += budget_figures(parts["budget"])
    if "actions" in parts:
        figures += action_figures(parts["actions"])
    if "risks" in parts:
        figures += risk_figures(parts["risks"])
    if "staffing" in parts:
        figures += staffing_figures(parts["staffing"])
    return {figure.id: figure for figure in figures}


def _money(ident: str, label: str, amount: Decimal, year: str, basis: str, **inputs: Decimal) -> Figure:
    """A money figure, shown with pence only when it has them."""
    places = 0 if amount == amount.to_integral_value() else 2
    return Figure(
        id=ident,
        label=label,
        value=float(amount),
        unit=Unit.MONEY,
        period=year,
        inputs={key: float(value) for key, value in inputs.items()},
        basis=basis,
        decimals=places,
    )


def budget_figures(budget: Budget) -> list[Figure]:
    """The pooled total, its three columns, each agency's total, funding outside the pool and the service total."""
    total = budget.total
    columns = {"staffing": total.staffing, "payments_in_kind": total.payments_in_kind}
    columns["other_delegated"] = total.other_delegated
    figures = [
        _money("budget.total", "Budget: pooled total", total.total, budget.year,
               "staffing + payments in kind + other delegated funds, over every agency", **columns),
        _money("budget.staffing", "Budget: staffing costs", total.staffing, budget.year, "sum over every agency"),
        _money("budget.payments_in_kind", "Budget: payments in kind", total.payments_in_kind, budget.year,
               "sum over every agency"),
        _money("budget.other_delegated", "Budget: other delegated funds", total.other_delegated, budget.year,
               "sum over every agency"),
        _money("budget.additional", "Budget: funding outside the pooled budget", budget.additional_total,
               budget.year, "sum of additional funding"),
        _money("budget.service_total", "Budget: total service budget", budget.service_total, budget.year,
               "pooled total + funding outside the pooled budget",
               pooled=total.total, additional=budget.additional_total),
    ]  # fmt: skip
    if budget.previous_total is not None and budget.previous_year:
        figures.append(
            _money("budget.previous_total", "Budget: pooled total, previous year", budget.previous_total,
                   budget.previous_year, "sum of each agency's previous total")
        )  # fmt: skip
    for row in budget.rows:
        if row.agency:
            figures.append(
                _money(f"budget.contributions.{name_of(row.agency)}", f"Budget: {row.label}", row.amounts.total,
                       budget.year, "staffing + payments in kind + other delegated funds",
                       staffing=row.amounts.staffing, payments_in_kind=row.amounts.payments_in_kind,
                       other_delegated=row.amounts.other_delegated)
            )  # fmt: skip
    return figures


def _count(ident: str, label: str, value: int, period: str, basis: str) -> Figure:
    return Figure(id=ident, label=label, value=float(value), unit=Unit.COUNT, period=period, basis=basis)


def action_figures(plan: ActionPlan) -> list[Figure]:
    """How many actions there are, how many have each status, and how many are overdue."""
    period = f"at {long_date(plan.as_of)}"
    figures = [
        _count("actions.total", "Actions: all actions", len(plan.actions), period, "rows of the action plan"),
        _count("actions.overdue", "Actions: overdue", sum(a.overdue for a in plan.actions), period,
               "past their due date and not completed"),
    ]  # fmt: skip
    for ident, label in plan.status_labels.items():
        count = sum(1 for action in plan.actions if action.entry.status == ident)
        basis = f"actions with status {ident}"
        figures.append(_count(f"actions.status.{name_of(ident)}", f"Actions: {label}", count, period, basis))
    return figures


def risk_figures(register: RiskRegister) -> list[Figure]:
    """Each risk's inherent and residual scores (impact x likelihood), by its reference (R1 is the highest)."""
    figures = [_count("risks.total", "Risks: all risks", len(register.risks), "", "risks in the register")]
    for risk in register.risks:
        for stage in ("inherent", "residual"):
            score = getattr(risk, stage)
            figures.append(
                Figure(
                    id=f"risks.{risk.ref}.{stage}.score",
                    label=f"Risk {risk.ref} ({risk.entry.title}): {stage} score",
                    value=float(score.score),
                    unit=Unit.SCORE,
                    inputs={"impact": float(score.impact), "likelihood": float(score.likelihood)},
                    basis=f"impact x likelihood ({score.rating})",
                )
            )
    return figures


def staffing_figures(staffing: Staffing) -> list[Figure]:
    """All staff, and the staff in each role."""
    period = f"at {long_date(staffing.as_at)}"
    figures = [_count("staffing.total", "Staffing: all staff", staffing.total(), period, "people in every role")]
    from plan_builder.parts.staffing.model import ROLES

    figures += [
        _count(f"staffing.roles.{name_of(role)}", f"Staffing: {ROLES.get(role, role)}", staffing.total(role), period,
               "people in this role")
        for role in staffing.roles
    ]  # fmt: skip
    return figures
