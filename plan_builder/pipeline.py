"""The build, stage by stage: load -> validate -> compute -> render -> write.

Everything is gathered and rendered in memory first; the document is written
only at the end, atomically, so a failure at any stage leaves earlier outputs
as they were.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plan_builder.cache import cache_dir_for
from plan_builder.config import Plan, Status, load_plan
from plan_builder.document import set_contents_pages
from plan_builder.errors import ConfigError, SectionError
from plan_builder.figures import Figure
from plan_builder.formatting import FILTERS
from plan_builder.kpis import stated_mismatch
from plan_builder.manifest import ChangeSummary, compare, make_manifest, read_manifest, write_manifest
from plan_builder.metrics import PerformanceResult
from plan_builder.narrative import make_environment, render_text
from plan_builder.pdf import refresh_and_export
from plan_builder.pending import PendingItem
from plan_builder.performance import compute_performance, figure_namespace, load_performance_data
from plan_builder.performance_blocks import performance_directives
from plan_builder.render import RenderedSection, render_plan
from plan_builder.sections import Section, load_section
from plan_builder.structure import Structure, check_order, load_structure
from plan_builder.structured import load_structured
from plan_builder.write import slug, write_atomic


@dataclass
class BuildResult:
    """What a build produced and what it noticed."""

    path: Path
    pdf: Path | None
    sections: int
    appendices: int
    tables: int
    figures: int
    words: int
    warnings: list[str] = field(default_factory=list)
    changes: ChangeSummary | None = None


def load_sections(plan: Plan, structure: Structure) -> list[Section]:
    """Load every section and appendix listed in the manifest, in order."""
    sections = []
    for key, entries, is_appendix in (
        ("sections", plan.manifest.sections, False),
        ("appendices", plan.manifest.appendices, True),
    ):
        for index, entry in enumerate(entries):
            sections.append(
                load_section(
                    plan.path(entry.file),
                    Path(entry.file),
                    structure,
                    is_appendix=is_appendix,
                    separate_document=entry.separate_document,
                    listed_at=f"{manifest_where(plan, (key, index))}: {key}[{index}]",
                )
            )
    return sections


def manifest_where(plan: Plan, key: tuple[str | int, ...]) -> str:
    """'plan.yaml:LINE' for a manifest key, shown relative to the plan folder like section paths."""
    return f"plan.yaml:{plan.source.line_of(key)}"


def _entry_key(plan: Plan, section: Section) -> tuple[str | int, ...]:
    for key, entries in (("sections", plan.manifest.sections), ("appendices", plan.manifest.appendices)):
        for index, entry in enumerate(entries):
            if Path(entry.file) == section.path:
                return (key, index)
    return ("sections",)


def validate_structure(plan: Plan, structure: Structure, sections: list[Section]) -> list[str]:
    """Check the sections against the YJB list; return warnings, raise on errors."""
    report = check_order(structure, [s.heading_id for s in sections])
    problems = []
    for heading_id in report.out_of_order:
        section = next(s for s in sections if s.heading_id == heading_id)
        key = _entry_key(plan, section)
        problems.append(
            f"{manifest_where(plan, key)}: {key[0]}[{key[1]}]: {section.path} ('{section.title}') "
            f"is out of YJB order for '{structure.name}'"
        )
    seen: dict[str, Path] = {}
    for section in sections:
        if section.heading_id in seen and section.heading_id != "local":
            problems.append(
                f"{section.path}:2: heading {section.heading_id!r} is already filled by {seen[section.heading_id]}"
            )
        seen[section.heading_id] = section.path
    if problems:
        raise SectionError(*problems)
    where = manifest_where(plan, ("sections",))
    missing = [f"{where}: sections: required YJB heading missing: '{h.title}' ({h.id})" for h in report.missing]
    if missing and plan.manifest.status is Status.FINAL:
        raise SectionError(*missing)
    return missing


def stated_filter(mismatches: list[tuple[Figure, float]]) -> Callable[[object, float], str]:
    """The `stated` filter: `{{ fte.latest.rate | stated(188) }}` shows the computed figure
    and records a mismatch when the typed value disagrees beyond its rounding.
    """

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


def check_outstanding(plan: Plan, pending: list[PendingItem]) -> None:
    """A final plan cannot be built while any data is pending; name every item."""
    if pending and plan.manifest.status is Status.FINAL:
        raise ConfigError(
            *[
                f"{item.where}: {item.what} is still pending ({item.placeholder}); "
                "a final plan cannot be built until it arrives"
                for item in pending
            ]
        )


def output_name(plan: Plan) -> str:
    """'<service-slug>-<period>-<status>.docx'."""
    manifest = plan.manifest
    return f"{slug(manifest.service.name)}-{manifest.period}-{manifest.status.value}.docx"


def build(plan_dir: Path, output_dir: Path | None = None, *, pdf: bool = False) -> BuildResult:
    """Build the plan in `plan_dir` into `output_dir` (default `plan_dir/output`); with `pdf`, a PDF too."""
    plan = load_plan(plan_dir)
    structure = load_structure(
        plan.manifest.structure, plan.manifest.period, where=manifest_where(plan, ("structure",))
    )
    sections = load_sections(plan, structure)
    warnings = validate_structure(plan, structure, sections)

    structured = load_structured(plan)
    warnings += structured.warnings
    data = load_performance_data(plan)
    performance = compute_performance(plan, data) if data else PerformanceResult()
    warnings += performance.warnings
    check_outstanding(plan, performance.pending)
    warnings += [f"{item.where}: outstanding data: {item.what} ({item.placeholder})" for item in performance.pending]

    mismatches: list[tuple[Figure, float]] = []
    env = make_environment({**FILTERS, "stated": stated_filter(mismatches)})
    context: dict[str, object] = dict(figure_namespace(performance))
    rendered = []
    for section in sections:
        text = render_text(env, section.body, context, path=section.path, first_line=section.body_line)
        warnings += [
            f"{where_stated(section, value)}: {stated_mismatch(figure, value)}" for figure, value in mismatches
        ]
        mismatches.clear()
        rendered.append(RenderedSection(section, text))
    glossary = structured.parts.get("glossary")
    if glossary is not None:
        from plan_builder.glossary import undefined_abbreviations

        warnings += undefined_abbreviations(glossary, [(r.section.path, r.section.body_line, r.text) for r in rendered])
    directives = performance_directives(performance) if data else {}
    automatic = {"performance": ["performance-summary", "chart", "kpi-table"]} if data else {}
    directives.update(structured.directives)
    for heading, blocks in structured.automatic.items():
        automatic.setdefault(heading, []).extend(blocks)
    output_folder = output_dir or plan_dir / "output"
    document, ctx = render_plan(
        plan, rendered, env, directives, automatic, performance.pending, cache_dir_for(output_folder)
    )

    target = output_folder / output_name(plan)
    pdf_path = None
    if pdf:
        pdf_path = target.with_suffix(".pdf")
        with tempfile.TemporaryDirectory(prefix="plan-builder-") as folder:
            draft, exported = Path(folder) / target.name, Path(folder) / pdf_path.name
            document.save(str(draft))
            refreshed = refresh_and_export(draft, exported, [entry.bookmark for entry in ctx.toc])
            set_contents_pages(document, refreshed.pages)
            write_atomic(pdf_path, lambda handle: handle.write(exported.read_bytes()))
    write_atomic(target, lambda handle: document.save(handle))
    changes = record_build(plan, target, pdf_path, rendered, performance, warnings + ctx.warnings)
    words = sum(len(r.text.split()) for r in rendered)
    return BuildResult(
        path=target,
        pdf=pdf_path,
        sections=sum(1 for s in sections if not s.is_appendix),
        appendices=sum(1 for s in sections if s.is_appendix),
        tables=len(document.tables),
        figures=len(document.inline_shapes),
        words=words,
        warnings=warnings + ctx.warnings,
        changes=changes,
    )


def record_build(
    plan: Plan,
    target: Path,
    pdf_path: Path | None,
    rendered: list[RenderedSection],
    performance: PerformanceResult,
    warnings: list[str],
) -> ChangeSummary | None:
    """Write the build manifest and compare it with the previous build of the same document."""
    manifest = plan.manifest
    previous_path = target.with_suffix(".json")
    previous = read_manifest(previous_path) if previous_path.exists() else None
    record = make_manifest(
        plan_root=plan.root,
        plan={
            "service": manifest.service.name,
            "period": manifest.period,
            "status": manifest.status.value,
            "version": manifest.version,
            "as_of": manifest.as_of.isoformat(),
        },
        document=target.name,
        pdf=pdf_path.name if pdf_path else None,
        sections={r.section.path.as_posix(): r.text for r in rendered},
        figures={
            ident: {
                k: v
                for k, v in figure.to_json().items()
                if k in ("value", "display", "unit", "period", "rag", "direction")
            }
            for ident, figure in performance.figures.items()
        },
        warnings=warnings,
        extra_inputs=[],
        built_at=dt.datetime.now().astimezone(),
    )
    write_manifest(record, target)
    return compare(previous, record) if previous else None
