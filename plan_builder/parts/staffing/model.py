"""Staffing by role, sex and ethnicity, with totals computed.

Seed 002's table used two-level merged headers (a role spanning Male and Female),
which screen readers cannot follow. Here the same counts give two tables with
single-level headers: roles by sex, and roles by ethnicity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from plan_builder.errors import ConfigError
from plan_builder.inputs.config import Plan
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.yamlio import load_yaml

ROLES = {
    "strategic-managers": "Strategic managers",
    "operational-managers": "Operational managers",
    "practitioners": "Practitioners",
    "administrative": "Administrative",
    "sessional": "Sessional",
    "students-trainees": "Students and trainees",
    "referral-order-panel-volunteers": "Referral order panel volunteers",
    "other-volunteers": "Other volunteers",
}
DEFAULT_SEXES = ["Female", "Male"]
DEFAULT_ETHNICITIES = [
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Mixed or multiple ethnic groups",
    "White",
    "Other ethnic group",
    "Not known",
]


class Count(StrictModel):
    """People in one role of one sex and ethnicity."""

    role: str
    sex: str
    ethnicity: str
    count: int = Field(ge=0)


class StaffingFile(StrictModel):
    """The staffing file: one entry per role, sex and ethnicity with a non-zero count."""

    as_at: dt.date
    sexes: list[str] = Field(default_factory=lambda: list(DEFAULT_SEXES), min_length=1)
    ethnicities: list[str] = Field(default_factory=lambda: list(DEFAULT_ETHNICITIES), min_length=1)
    counts: list[Count]


@dataclass
class Staffing:
    """Counts arranged for the two tables, with totals computed."""

    as_at: dt.date
    roles: list[str]
    sexes: list[str]
    ethnicities: list[str]
    by_sex: dict[str, dict[str, int]]
    by_ethnicity: dict[str, dict[str, int]]
    warnings: list[str] = field(default_factory=list)

    def total(self, role: str | None = None) -> int:
        """Total people, for one role or all."""
        roles = [role] if role else self.roles
        return sum(sum(self.by_sex[r].values()) for r in roles)


def load_staffing(path: Path, display: Path, plan: Plan) -> Staffing:
    """Read the counts, check roles, sexes and ethnicities, and total them."""
    doc = load_yaml(path, display)
    data = validate(StaffingFile, doc)
    problems = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, item in enumerate(data.counts):
        where = doc.where(("counts", index))
        if item.role not in ROLES:
            problems.append(f"{where}: role: unknown role {item.role!r}; expected one of: {', '.join(ROLES)}")
        if item.sex not in data.sexes:
            problems.append(f"{where}: sex: {item.sex!r} is not one of: {', '.join(data.sexes)}")
        if item.ethnicity not in data.ethnicities:
            problems.append(f"{where}: ethnicity: {item.ethnicity!r} is not one of: {', '.join(data.ethnicities)}")
        key = (item.role, item.sex, item.ethnicity)
        if key in seen:
            problems.append(f"{where}: the same role, sex and ethnicity is already counted at item {seen[key] + 1}")
        seen[key] = index
    if problems:
        raise ConfigError(*problems)
    roles = [r for r in ROLES if any(c.role == r for c in data.counts)]
    by_sex = {r: {s: 0 for s in data.sexes} for r in roles}
    by_ethnicity = {r: {e: 0 for e in data.ethnicities} for r in roles}
    for item in data.counts:
        by_sex[item.role][item.sex] += item.count
        by_ethnicity[item.role][item.ethnicity] += item.count
    return Staffing(data.as_at, roles, data.sexes, data.ethnicities, by_sex, by_ethnicity)
