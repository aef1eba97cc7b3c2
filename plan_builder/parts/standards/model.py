"""National Standards self-assessment: five standards, an operational and a strategic grade each.

The 2019 Standards for children in the youth justice system are assessed
strategically (board and management) and operationally (case sample). Grades use
a configurable scale, by default the four-point Outstanding / Good / Requires
improvement / Inadequate, with an optional qualifier ("with outstanding features").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, field_validator

from plan_builder.errors import ConfigError
from plan_builder.inputs.config import Plan
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.yamlio import load_yaml

STANDARDS = {
    "out-of-court": "Out of court disposals",
    "at-court": "At court",
    "in-the-community": "In the community (court disposals)",
    "in-secure-settings": "In secure settings",
    "transition-and-resettlement": "On transition and resettlement",
}
DEFAULT_SCALE = ["Outstanding", "Good", "Requires improvement", "Inadequate"]


class Grade(StrictModel):
    """A grade on the scale, with an optional qualifier."""

    grade: str
    qualifier: str | None = None

    @property
    def text(self) -> str:
        """'Good with outstanding features'."""
        return f"{self.grade} {self.qualifier}" if self.qualifier else self.grade


def _grade(value: object) -> object:
    return {"grade": value} if isinstance(value, str) else value


class Priority(StrictModel):
    """An existing priority with its progress."""

    priority: str
    progress: str = ""


class StandardEntry(StrictModel):
    """One standard's self-assessment."""

    standard: str
    operational: Grade
    strategic: Grade
    summary: str = ""
    existing_priorities: list[Priority] = Field(default_factory=list)
    new_priorities: list[str] = Field(default_factory=list)

    _grades = field_validator("operational", "strategic", mode="before")(_grade)


class StandardsFile(StrictModel):
    """The National Standards file."""

    scale: list[str] = Field(default_factory=lambda: list(DEFAULT_SCALE), min_length=2)
    assessed: dt.date
    validated: dt.date | None = None
    validated_by: str = "Youth Justice Board"
    standards: list[StandardEntry]


@dataclass
class StandardsAssessment:
    """The validated assessment, standards in the national order."""

    data: StandardsFile
    standards: list[StandardEntry]
    warnings: list[str] = field(default_factory=list)


def load_standards(path: Path, display: Path, plan: Plan) -> StandardsAssessment:
    """Read the self-assessment; every standard once, every grade on the scale."""
    doc = load_yaml(path, display)
    data = validate(StandardsFile, doc)
    problems = []
    seen: dict[str, StandardEntry] = {}
    for index, entry in enumerate(data.standards):
        if entry.standard not in STANDARDS:
            problems.append(
                f"{doc.where(('standards', index, 'standard'))}: standard: unknown standard {entry.standard!r}; "
                f"expected one of: {', '.join(STANDARDS)}"
            )
            continue
        if entry.standard in seen:
            problems.append(
                f"{doc.where(('standards', index, 'standard'))}: standard {entry.standard!r} is listed twice"
            )
        seen[entry.standard] = entry
        for kind in ("operational", "strategic"):
            grade: Grade = getattr(entry, kind)
            if grade.grade not in data.scale:
                problems.append(
                    f"{doc.where(('standards', index, kind))}: standard '{STANDARDS[entry.standard]}': {kind}: "
                    f"{grade.grade!r} is not on the scale ({', '.join(data.scale)})"
                )
    missing = [name for key, name in STANDARDS.items() if key not in seen]
    if missing:
        problems.append(f"{doc.where(('standards',))}: standards: missing {', '.join(missing)}")
    if problems:
        raise ConfigError(*problems)
    warnings = []
    if data.validated and data.validated < data.assessed:
        warnings.append(
            f"{doc.where(('validated',))}: validated ({data.validated}) is before assessed ({data.assessed})"
        )
    ordered = [seen[key] for key in STANDARDS]
    return StandardsAssessment(data=data, standards=ordered, warnings=warnings)
