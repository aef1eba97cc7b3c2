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
from pathlib import Path
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
    """Load every part plan.yaml lists under `structured:` (a glossary only when it lists one).

    A part that cannot be loaded is left out and its problems recorded, so the other
    parts (and the rest of the plan) are still checked in the same run.
    """
    result = StructuredParts()
    configured = plan.manifest.structured
    for name, (module_name, loader_name) in LOADERS.items():
        if f"structured.{name}" in plan.left_out:
            result.broken.add(name)  # plan.yaml names it wrongly; that problem is reported already
            continue
        relative = getattr(configured, name)
        if relative is None:
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
    _load_action_plans(plan, result, problems)
    return result


def _load_action_plans(plan: Plan, result: StructuredParts, problems: Problems) -> None:
    """The action plans the document shows, by name: its own list (a progress report's), else the plan's.

    Each comes from its own file, with its own statuses and stated counts; references may repeat
    across plans. Stored as the part 'action_plans' for the `::: action-plan NAME` blocks.
    """
    from plan_builder.parts.actions.model import load_actions

    entry = plan.entry
    plans: dict[str, Any] = {}
    if entry is not None and entry.action_plans:
        for index, listed in enumerate(entry.action_plans):
            where = plan.source.where(("documents", plan.document, "action_plans", index))
            if listed.key in plans:
                problems.add(ConfigError(f"{where}: action plan name {listed.key!r} is used twice; give one a name:"))
                result.broken.add("action_plans")
                continue
            try:
                if not plan.path(listed.file).is_file():
                    raise ConfigError(f"{where}: action_plans: file {listed.file} not found")
                part = load_actions(plan.path(listed.file), plan.display(listed.file), plan)
            except PlanBuilderError as exc:
                problems.add(exc)
                result.broken.add("action_plans")
                continue
            plans[listed.key] = part
            result.warnings.extend(part.warnings)
    elif "actions" in result.broken:
        result.broken.add("action_plans")
    elif "actions" in result.parts and plan.manifest.structured.actions:
        plans[Path(plan.manifest.structured.actions).stem] = result.parts["actions"]
    if "action_plans" not in result.broken:
        result.parts["action_plans"] = plans
