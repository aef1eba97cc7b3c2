"""plan-builder: assemble a YJB-format Youth Justice Plan as a Word document.

The public API, for scripts and notebooks::

    from plan_builder import build, run_checks, load_plan, PlanBuilderError

    result = build(Path("my-plan"))          # writes the documents; returns what it wrote
    report = run_checks(Path("my-plan"))     # every problem, without writing
    plan = load_plan(Path("my-plan"))        # plan.yaml, validated

Everything but `__version__` and `PlanBuilderError` is imported on first use, so that
`import plan_builder` (and `plan-builder --help`) stays instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from plan_builder.errors import PlanBuilderError

__version__ = "0.1.0"

__all__ = ["PlanBuilderError", "__version__", "build", "load_plan", "run_checks"]

_LAZY = {
    "build": "plan_builder.pipeline",
    "run_checks": "plan_builder.checks.run",
    "load_plan": "plan_builder.inputs.config",
}

if TYPE_CHECKING:
    from plan_builder.checks.run import run_checks
    from plan_builder.inputs.config import load_plan
    from plan_builder.pipeline import build


def __getattr__(name: str) -> Any:
    """Import the public functions on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'plan_builder' has no attribute {name!r}")
