"""One exception hierarchy for every problem a plan author can fix.

The CLI catches `PlanBuilderError`, prints its message and exits 1. Anything else
is a bug in plan-builder and keeps its traceback. Exceptions carry data and build
their message from it; they never print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceLocation:
    """Where something came from: a file, and optionally a line, sheet or row."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class PlanBuilderError(Exception):
    """Base class: a problem in the plan's inputs that the author can fix."""

    def __init__(self, *problems: str) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(problems))


class ConfigError(PlanBuilderError):
    """The plan manifest (plan.yaml) or a YAML section is invalid."""


class SectionError(PlanBuilderError):
    """A narrative section (Markdown with front matter) is invalid."""


class DataError(PlanBuilderError):
    """A performance data file (CSV or Excel) is invalid."""


class TemplateError(PlanBuilderError):
    """A Word template is missing, unreadable or lacks a required style."""


class OutputError(PlanBuilderError):
    """The output document cannot be written."""
