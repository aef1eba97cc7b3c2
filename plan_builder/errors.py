"""One exception hierarchy for every problem a plan author can fix.

The CLI catches `PlanBuilderError`, prints its message and exits 1. Anything else
is a bug in plan-builder and keeps its traceback. Exceptions carry data and build
their message from it; they never print.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
        self.notes: list[str] = []
        """What was done before the problem stopped the command (printed before the errors)."""
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


class WordImportError(PlanBuilderError):
    """A Word document given to `plan-builder import` cannot be read, or the plan folder cannot take it."""


class Problems:
    """Problems gathered across files and stages, so that one run reports every one of them.

    Stages keep going past a broken file (leaving out what it would have given) and add its
    problems here; `raise_if_any` then raises them together: as the one error type they
    share, or as `PlanBuilderError` when they differ. A message reported twice is kept once.
    """

    def __init__(self) -> None:
        self.errors: list[PlanBuilderError] = []

    def add(self, exc: PlanBuilderError) -> None:
        """Record a problem (an exception carrying one or more messages)."""
        self.errors.append(exc)

    @contextmanager
    def gather(self) -> Iterator[None]:
        """Run a block, recording a `PlanBuilderError` it raises instead of letting it stop the stage."""
        try:
            yield
        except PlanBuilderError as exc:
            self.add(exc)

    def __bool__(self) -> bool:
        return bool(self.errors)

    @property
    def messages(self) -> list[str]:
        """Every message, in the order found, each once."""
        return list(dict.fromkeys(p for exc in self.errors for p in exc.problems))

    def raise_if_any(self) -> None:
        """Raise every recorded problem at once, if there are any."""
        if not self.errors:
            return
        kinds = {type(exc) for exc in self.errors}
        kind = kinds.pop() if len(kinds) == 1 else PlanBuilderError
        raise kind(*self.messages)
