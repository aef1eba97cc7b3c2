"""The data each block draws on, gathered for the render stage: the models mapping of `parts/registry.py`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from plan_builder.changes.model import Changes
from plan_builder.documents.plan import cover_fields
from plan_builder.figures.result import PerformanceResult
from plan_builder.inputs.config import Plan, Status, VersionEntry
from plan_builder.outputs.digest import file_digest
from plan_builder.parts.front.model import FrontPages
from plan_builder.parts.registry import BROKEN
from plan_builder.parts.signoff.model import signoff_of


def document_models(
    plan: Plan,
    parts: Mapping[str, Any],
    broken: set[str],
    performance: PerformanceResult | None,
    changes: Changes | None,
    history: list[VersionEntry],
) -> dict[str, Any]:
    """Models by data key: the structured parts, the figures, the sign-off and the front pages.

    `history` is the version history rows of circulated versions that plan.yaml does not list.

    A part that could not be loaded maps to `BROKEN`, so its blocks are left out quietly
    (its problems are already reported) rather than reported again as missing.
    """
    draft = plan.manifest.status is not Status.FINAL
    signoff = signoff_of(plan, cover_fields(plan))
    models: dict[str, Any] = dict(parts)
    models.update(dict.fromkeys(broken, BROKEN))
    models["performance"] = performance
    models["signoff"] = dataclasses.replace(signoff, digest=file_digest(signoff.template))
    models["front"] = FrontPages(
        history=[*plan.manifest.document_control, *history],
        changes=changes if draft else None,
        outstanding=list(performance.pending) if draft and performance else [],
    )
    return models
