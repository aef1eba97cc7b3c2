"""What passes between the stages of a build: plain data, no behaviour beyond naming its parts.

`Inputs` is what the load stage read and validated, `Computed` the figures and merged text,
`Prepared` a document taken through every stage but writing (what `build` writes and `check`
audits). `pipeline` makes them; `documents.publish` writes a `Prepared`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from plan_builder.documents.assemble import RenderedPlan, RenderedSection
    from plan_builder.figures.performance import PerformanceData
    from plan_builder.figures.result import PerformanceResult
    from plan_builder.inputs.config import Plan
    from plan_builder.inputs.sections import Section
    from plan_builder.inputs.structure import Structure
    from plan_builder.parts.loading import StructuredParts


@dataclass
class Inputs:
    """Everything read from the plan folder, validated."""

    plan: Plan
    structure: Structure
    sections: list[Section]
    structured: StructuredParts
    data: PerformanceData | None
    warnings: list[str]


@dataclass
class Computed:
    """Figures computed and section text merged with them."""

    performance: PerformanceResult
    rendered: list[RenderedSection]
    env: ImmutableSandboxedEnvironment
    warnings: list[str]


@dataclass
class Prepared:
    """A plan taken through every stage but writing: what `build` writes and `check` audits."""

    inputs: Inputs
    computed: Computed
    document: RenderedPlan | None
    """None when rendering failed (its problems are in the `Problems` that `prepare` was given)."""
    record: dict[str, Any]
    """The build manifest this build would write."""

    @property
    def plan(self) -> Plan:
        """The plan being built."""
        return self.inputs.plan

    @property
    def warnings(self) -> list[str]:
        """Every warning of every stage, each once, in stage order."""
        stages = self.inputs.warnings + self.computed.warnings + (self.document.ctx.warnings if self.document else [])
        return list(dict.fromkeys(stages))
