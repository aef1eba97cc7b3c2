"""Structured parts of a plan read from YAML: the shared contract every such module follows.

Each structured part (risk register, budget, National Standards, action plan,
staffing, glossary) lives in its own module with:

- a pydantic schema (`StrictModel`, unknown keys are errors),
- `load_<part>(path, display, plan) -> <Part>`: read, validate, compute
  (scores, totals, counts); problems that stop the build raise `ConfigError`
  naming file:line, the item (risk title, action reference, agency) and field,
- `warnings` on the result for problems that do not stop the build
  (a stated total that disagrees, an overdue action...), each naming file:line,
- `<part>_directives(part, plan) -> dict[str, Directive]`: block renderers for
  `::: name` lines in sections, drawing with `tables.start_table`,
  `add_body_row`, `add_caption`, `fit_columns` and `document.begin_landscape`.

The pipeline loads whichever parts `plan.yaml` lists under `structured:` and places
each part's blocks automatically in its YJB section unless the author placed them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from plan_builder.errors import ConfigError
from plan_builder.inputs.config import Plan
from plan_builder.word.context import RenderContext

Directive = Callable[[RenderContext, str, str], None]


# Part name -> (module, loader, directives factory, {YJB heading id: blocks placed there by default}).
# Modules are imported only when a plan uses the part.
PARTS: dict[str, tuple[str, str, str, dict[str, list[str]]]] = {
    "risks": (
        "plan_builder.parts.risks",
        "load_risks",
        "risk_directives",
        {"challenges-risks-issues": ["risk-register"]},
    ),
    "budget": (
        "plan_builder.parts.budget",
        "load_budget",
        "budget_directives",
        {"budget": ["budget-table"], "resources-and-services": ["budget-variance"]},
    ),
    "standards": (
        "plan_builder.parts.standards",
        "load_standards",
        "standards_directives",
        {"standards": ["national-standards"], "national-standards": ["national-standards"]},
    ),
    "actions": (
        "plan_builder.parts.actions",
        "load_actions",
        "action_directives",
        {"service-development": ["action-plan"], "service-improvement-plan": ["action-plan"]},
    ),
    "staffing": (
        "plan_builder.parts.staffing",
        "load_staffing",
        "staffing_directives",
        {"service-structure": ["staffing"]},
    ),
    "glossary": ("plan_builder.parts.glossary", "load_glossary", "glossary_directives", {"glossary": ["glossary"]}),
}


@dataclass
class StructuredParts:
    """Loaded parts, their block renderers, default placements and warnings."""

    parts: dict[str, Any] = field(default_factory=dict)
    directives: dict[str, Directive] = field(default_factory=dict)
    automatic: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    blocks_of: dict[str, list[str]] = field(default_factory=dict)
    """Part name -> the block names it renders."""


def load_structured(plan: Plan) -> StructuredParts:
    """Load every part `plan.yaml` lists under `structured:` (the glossary's defaults always)."""
    result = StructuredParts()
    configured = plan.manifest.structured
    for name, (module_name, loader_name, factory_name, placements) in PARTS.items():
        relative = getattr(configured, name)
        if relative is None and name != "glossary":
            continue
        module = importlib.import_module(module_name)
        path = plan.path(relative) if relative else None
        display = plan.display(relative) if relative else None
        if path is not None and not path.is_file():
            raise ConfigError(
                f"{plan.source.where(('structured', name))}: structured.{name}: file {relative} not found"
            )
        part = getattr(module, loader_name)(path, display, plan)
        result.parts[name] = part
        result.warnings.extend(getattr(part, "warnings", []))
        part_directives = getattr(module, factory_name)(part, plan)
        result.directives.update(part_directives)
        result.blocks_of[name] = list(part_directives)
        for heading, blocks in placements.items():
            result.automatic.setdefault(heading, []).extend(blocks)
    return result
