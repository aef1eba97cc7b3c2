"""Structured parts of a plan read from YAML: which parts exist and how each is loaded.

Each structured part (risk register, budget, National Standards, action plan, staffing,
glossary) is a package under `parts/` with:

- `model.py`: a pydantic schema (`StrictModel`, unknown keys are errors) and
  `load_<part>(path, display, plan) -> <Part>`: read, validate and compute (scores,
  totals, counts). Problems that stop the build raise `ConfigError` naming file:line, the
  item (risk title, action reference, agency) and the field; problems that do not are
  `warnings` on the result, each naming file:line. Models never import renderers.
- `render.py`: the part's blocks, drawn with `word.tables` and `word.paragraphs`; the
  block registry (`parts/registry.py`) declares where each block goes.

The pipeline loads whichever parts plan.yaml lists under `structured:`, and reports the
problems of every part in one run.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from plan_builder.errors import ConfigError, PlanBuilderError, Problems
from plan_builder.inputs.config import Plan
from plan_builder.inputs.files import special_file_problem

LOADERS: dict[str, tuple[str, str]] = {
    "risks": ("plan_builder.parts.risks.model", "load_risks"),
    "budget": ("plan_builder.parts.budget.model", "load_budget"),
    "standards": ("plan_builder.parts.standards.model", "load_standards"),
    "actions": ("plan_builder.parts.actions.model", "load_actions"),
    "staffing": ("plan_builder.parts.staffing.model", "load_staffing"),
    "glossary": ("plan_builder.parts.glossary.model", "load_glossary"),
}
"""Part name -> (model module, loader). Modules are imported only when a plan uses the part."""


@dataclass
class StructuredParts:
    """Loaded parts by name, the warnings they raised, and the parts that could not be loaded."""

    parts: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)


def load_structured(plan: Plan, problems: Problems) -> StructuredParts:
    """Load every part plan.yaml lists under `structured:` (the glossary's defaults always).

    A part that cannot be loaded is left out and its problems recorded, so the other
    parts (and the rest of the plan) are still checked in the same run.
    """
    result = StructuredParts()
    configured = plan.manifest.structured
    for name, (module_name, loader_name) in LOADERS.items():
        relative = getattr(configured, name)
        if relative is None and name != "glossary":
            continue
        path = plan.path(relative) if relative else None
        display = plan.display(relative) if relative else None
        try:
            special = special_file_problem(path) if path is not None else None
            if special:
                raise ConfigError(f"{plan.source.where(('structured', name))}: structured.{name}: {relative} {special}")
            if path is not None and not path.is_file():
                raise ConfigError(
                    f"{plan.source.where(('structured', name))}: structured.{name}: file {relative} not found"
                )
            part = getattr(importlib.import_module(module_name), loader_name)(path, display, plan)
        except PlanBuilderError as exc:
            problems.add(exc)
            result.broken.add(name)
            continue
        result.parts[name] = part
        result.warnings.extend(getattr(part, "warnings", []))
    return result
