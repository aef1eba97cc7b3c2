"""What a build manifest keeps so that a later build can say what changed, in a reader's words.

A manifest records, besides the file hashes and figures it always had: each section's
numbered title and merged text (to show the sentences that changed), each figure's label
and area (to name it as the document does), and the rows of the risk register, action
plan, budget and National Standards, each with a label a board member recognises
("Risk R3 (Children are criminally exploited)") and its fields as the document shows them.
These keys are additive: a manifest written before them still compares, with less detail.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from plan_builder.figures.formatting import long_date, money
from plan_builder.inputs.outline import section_titles

if TYPE_CHECKING:
    from plan_builder.inputs.sections import Section
    from plan_builder.parts.actions.model import ActionPlan
    from plan_builder.parts.budget.model import Budget
    from plan_builder.parts.risks.model import RiskRegister, Score
    from plan_builder.parts.standards.model import StandardsAssessment

Row = dict[str, Any]
"""{'key': stable identity, 'label': what a reader calls it, 'fields': {field name: shown value}}."""

MONEY_COLUMNS = ("staffing", "payments in kind", "other delegated funds", "total")
"""The contributions table's money columns, as a reader names them."""

SHORT_TEXT = 60
"""Characters of a long action kept in its label."""


def section_records(sections: list[tuple[str, Section, str]], number_headings: bool) -> dict[str, dict[str, str]]:
    """File name -> {'title': '4. Voice of the child', 'text': merged text} for (name, section, text) triples."""
    titles = section_titles([section for _, section, _ in sections], number_headings)
    return {name: {"title": title.text, "text": text} for (name, _, text), title in zip(sections, titles, strict=True)}


def part_records(parts: Mapping[str, Any]) -> dict[str, list[Row]]:
    """The rows of each structured part a board member might ask about, by part name."""
    makers: dict[str, Callable[[Any], list[Row]]] = {
        "risks": risk_rows,
        "actions": action_rows,
        "budget": budget_rows,
        "standards": standard_rows,
    }
    return {name: make(parts[name]) for name, make in makers.items() if parts.get(name) is not None}


def _score(score: Score) -> str:
    return f"{score.score} ({score.rating})"


def risk_rows(register: RiskRegister) -> list[Row]:
    """Risks by title (their R-numbers follow the residual score, so they move)."""
    return [
        {
            "key": risk.entry.title,
            "label": f"Risk {risk.ref} ({risk.entry.title})",
            "fields": {
                "inherent score": _score(risk.inherent),
                "residual score": _score(risk.residual),
                "owner": risk.entry.owner,
                "review date": long_date(risk.entry.review),
            },
        }
        for risk in register.risks
    ]


def shorten(text: str, limit: int = SHORT_TEXT) -> str:
    """'Refresh the disproportionality action plan with...' (whole words, at most `limit` characters)."""
    if len(text) <= limit:
        return text
    return text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def action_rows(plan: ActionPlan) -> list[Row]:
    """Actions by reference."""
    return [
        {
            "key": action.entry.ref,
            "label": f"Action {action.entry.ref} ({shorten(action.entry.action)})",
            "fields": {
                "action": action.entry.action,
                "lead": action.entry.lead,
                "due date": long_date(action.entry.due),
                "status": action.status_label,
                "progress": action.entry.progress,
            },
        }
        for action in plan.actions
    ]


def budget_rows(budget: Budget) -> list[Row]:
    """Contribution rows (a sub-line under its agency), the pooled total, funding outside it, variance lines."""
    rows: list[Row] = []
    agency = ""
    for row in budget.rows:
        agency = row.label if row.level == 0 else agency
        label = row.label if row.level == 0 else f"{agency}, {row.label}"
        fields = dict(zip(MONEY_COLUMNS, row.amounts.cells(), strict=True))
        if row.previous is not None:
            fields[f"total {budget.previous_year}"] = row.previous
        rows.append(_money_row(f"contribution:{label}", f"Budget {budget.year}: {label}", fields))
    rows.append(_money_row("total", f"Budget {budget.year}", {"pooled total": budget.total.total}))
    for funding in budget.additional:
        rows.append(_money_row(f"funding:{funding.name}", f"Funding outside the pooled budget: {funding.name}",
                               {"amount": funding.amount}))  # fmt: skip
    for table in budget.variance:
        for line in [*table.lines, table.total]:
            fields = {"budget": line.budget, "forecast": line.forecast, "variance": line.variance}
            label = f"Budget variance, {table.name}: {line.category}"
            rows.append(_money_row(f"variance:{table.name}:{line.category}", label, fields))
    return rows


def _money_row(key: str, label: str, amounts: Mapping[str, Any]) -> Row:
    return {"key": key, "label": label, "fields": {name: money(value) for name, value in amounts.items()}}


def standard_rows(assessment: StandardsAssessment) -> list[Row]:
    """Each National Standard's operational and strategic grades."""
    from plan_builder.parts.standards.model import STANDARDS

    def grade(value: Any) -> str:
        return f"{value.grade} ({value.qualifier})" if value.qualifier else str(value.grade)

    return [
        {
            "key": entry.standard,
            "label": f"National Standard: {STANDARDS.get(entry.standard, entry.standard)}",
            "fields": {"operational grade": grade(entry.operational), "strategic grade": grade(entry.strategic)},
        }
        for entry in assessment.standards
    ]
