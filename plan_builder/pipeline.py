"""The build, stage by stage: load -> validate -> compute -> render -> write.

Everything is gathered and rendered in memory first; the document is written
only at the end, atomically, so a failure at any stage leaves earlier outputs
as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plan_builder.config import Plan, Status, load_plan
from plan_builder.errors import SectionError
from plan_builder.figures import Figure
from plan_builder.formatting import FILTERS
from plan_builder.kpis import stated_mismatch
from plan_builder.metrics import PerformanceResult
from plan_builder.narrative import make_environment, render_text
from plan_builder.performance import compute_performance, figure_namespace, load_performance_data
from plan_builder.performance_blocks import performance_directives
from plan_builder.render import RenderedSection, render_plan
from plan_builder.sections import Section, load_section
from plan_builder.structure import Structure, check_order, load_structure
from plan_builder.write import slug, write_atomic


@dataclass
class BuildResult:
    """What a build produced and what it noticed."""

    path: Path
    sections: int
    appendices: int
    tables: int
    figures: int
    words: int
    warnings: list[str] = field(default_factory=list)


def load_sections(plan: Plan, structure: Structure) -> list[Section]:
    """Load every section and appendix listed in the manifest, in order."""
    sections = []
    for entries, is_appendix in ((plan.manifest.sections, False), (plan.manifest.appendices, True)):
        for entry in entries:
            sections.append(
                load_section(
                    plan.path(entry.file),
                    Path(entry.file),
                    structure,
                    is_appendix=is_appendix,
                    separate_document=entry.separate_document,
                )
            )
    return sections


def validate_structure(plan: Plan, structure: Structure, sections: list[Section]) -> list[str]:
    """Check the sections against the YJB list; return warnings, raise on errors."""
    report = check_order(structure, [s.heading_id for s in sections])
    problems = []
    for heading_id in report.out_of_order:
        section = next(s for s in sections if s.heading_id == heading_id)
        problems.append(
            f"plan.yaml: sections: {section.path} ('{section.title}') is out of YJB order for '{structure.name}'"
        )
    seen: dict[str, Path] = {}
    for section in sections:
        if section.heading_id in seen and section.heading_id != "local":
            problems.append(f"{section.path}:2: heading {section.heading_id!r} is already filled by {seen[section.heading_id]}")
        seen[section.heading_id] = section.path
    if problems:
        raise SectionError(*problems)
    missing = [f"required YJB heading missing: '{h.title}' ({h.id})" for h in report.missing]
    if missing and plan.manifest.status is Status.FINAL:
        raise SectionError(*missing)
    return missing


def stated_filter(mismatches: list[tuple[Figure, float]]) -> Callable[[object, float], str]:
    """The `stated` filter: `{{ fte.latest.rate | stated(188) }}` shows the computed figure
    and records a mismatch when the typed value disagrees beyond its rounding."""

    def stated(value: object, typed: float) -> str:
        if isinstance(value, Figure) and stated_mismatch(value, float(typed)):
            mismatches.append((value, float(typed)))
        return str(value)

    return stated


def where_stated(section: Section, typed: float) -> str:
    """'file:line' of the `stated(...)` call that typed `typed`."""
    for index, line in enumerate(section.body.splitlines()):
        if "stated(" in line and f"{typed:g}" in line:
            return f"{section.path}:{section.body_line + index}"
    return f"{section.path}:{section.body_line}"


def output_name(plan: Plan) -> str:
    """'<service-slug>-<period>-<status>.docx'."""
    manifest = plan.manifest
    return f"{slug(manifest.service.name)}-{manifest.period}-{manifest.status.value}.docx"


def build(plan_dir: Path, output_dir: Path | None = None) -> BuildResult:
    """Build the plan in `plan_dir` into `output_dir` (default `plan_dir/output`)."""
    plan = load_plan(plan_dir)
    structure = load_structure(plan.manifest.structure, plan.manifest.period)
    sections = load_sections(plan, structure)
    warnings = validate_structure(plan, structure, sections)

    data = load_performance_data(plan)
    performance = compute_performance(plan, data) if data else PerformanceResult()
    warnings += performance.warnings

    mismatches: list[tuple[Figure, float]] = []
    env = make_environment({**FILTERS, "stated": stated_filter(mismatches)})
    context: dict[str, object] = dict(figure_namespace(performance))
    rendered = []
    for section in sections:
        text = render_text(env, section.body, context, path=section.path, first_line=section.body_line)
        warnings += [f"{where_stated(section, value)}: {stated_mismatch(figure, value)}" for figure, value in mismatches]
        mismatches.clear()
        rendered.append(RenderedSection(section, text))
    directives = performance_directives(performance) if data else {}
    automatic = {"performance": ["performance-summary", "chart", "kpi-table"]} if data else {}
    document, ctx = render_plan(plan, rendered, env, directives, automatic)

    target = (output_dir or plan_dir / "output") / output_name(plan)
    write_atomic(target, lambda handle: document.save(handle))
    words = sum(len(r.text.split()) for r in rendered)
    return BuildResult(
        path=target,
        sections=sum(1 for s in sections if not s.is_appendix),
        appendices=sum(1 for s in sections if s.is_appendix),
        tables=len(document.tables),
        figures=len(document.inline_shapes),
        words=words,
        warnings=warnings + ctx.warnings,
    )
