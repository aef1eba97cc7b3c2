"""The build, stage by stage: load -> validate -> compute -> render -> write.

`prepare` runs every stage but the last; `build` writes what it prepared, and `plan-builder
check` audits it instead, so both see the same problems, each once. Stages keep going past a
broken file and report every file's problems together. Everything is gathered and rendered
in memory first; the documents are written only at the end, as one set under the output
folder's lock (documents/publish.py), so a failure at any stage leaves earlier outputs as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan_builder.checks.consistency import check_narrative
from plan_builder.documents.assemble import RenderedPlan, RenderedSection, render_document
from plan_builder.documents.models import document_models
from plan_builder.documents.publish import write_outputs
from plan_builder.errors import OutputError, Problems
from plan_builder.figures.figure import Figure
from plan_builder.figures.filters import FILTERS
from plan_builder.figures.metrics import PerformanceResult
from plan_builder.figures.narrative import make_environment, render_text
from plan_builder.figures.pending import check_outstanding
from plan_builder.figures.performance import (
    PerformanceData,
    compute_performance,
    figure_namespace,
    load_performance_data,
)
from plan_builder.figures.stated import stated_filter, stated_mismatch, where_stated
from plan_builder.inputs.config import Plan, Status, load_plan
from plan_builder.inputs.outline import load_sections, manifest_where, validate_structure
from plan_builder.inputs.sections import Section
from plan_builder.inputs.structure import Structure, load_structure
from plan_builder.outputs.cache import ImageCache, cache_dir_for, is_inside, prune_cache, remove_partials
from plan_builder.outputs.fragments import FragmentCache
from plan_builder.outputs.lock import output_lock
from plan_builder.outputs.manifest import ChangeSummary, compare, last_of_other_version, make_manifest
from plan_builder.outputs.names import document_stem
from plan_builder.parts.loading import StructuredParts, load_structured

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment


@dataclass
class BuildResult:
    """What a build produced and what it noticed."""

    path: Path
    pdf: Path | None
    appendix_documents: list[Path]
    sections: int
    appendices: int
    tables: int
    figures: int
    words: int
    warnings: list[str] = field(default_factory=list)
    changes: ChangeSummary | None = None
    board_pack: Path | None = None
    notes: list[str] = field(default_factory=list)
    """What the build did besides writing: e.g. finished an earlier build that was interrupted."""


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


def load(plan_dir: Path, problems: Problems) -> Inputs:
    """Load stage: plan.yaml, the section list, every section, structured part and data file.

    plan.yaml and the section list must load for anything else to; after that, a broken file
    is left out and its problems added to `problems`, so one run reports every file's.
    """
    plan = load_plan(plan_dir)
    structure = load_structure(
        plan.manifest.structure, plan.manifest.period, where=manifest_where(plan, ("structure",))
    )
    sections = load_sections(plan, structure, problems)
    structured = load_structured(plan, problems)
    data = load_performance_data(plan, problems)
    return Inputs(plan, structure, sections, structured, data, list(structured.warnings))


def validate(inputs: Inputs) -> list[str]:
    """Validate stage: the sections against the YJB section list; return warnings, raise errors."""
    return validate_structure(inputs.plan, inputs.structure, inputs.sections)


def compute(inputs: Inputs, problems: Problems) -> Computed:
    """Compute stage: every figure, then each section's text merged with them."""
    plan = inputs.plan
    performance = compute_performance(plan, inputs.data) if inputs.data else PerformanceResult()
    with problems.gather():
        check_outstanding(plan, performance.pending)
    warnings = list(performance.warnings)
    warnings += [f"{item.where}: outstanding data: {item.what} ({item.placeholder})" for item in performance.pending]
    mismatches: list[tuple[Figure, float]] = []
    env = make_environment({**FILTERS, "stated": stated_filter(mismatches)})
    context: dict[str, object] = dict(figure_namespace(performance))
    rendered = []
    for section in inputs.sections:
        with problems.gather():
            text = render_text(env, section.body, context, path=section.path, first_line=section.body_line)
            warnings += [f"{where_stated(section, v)}: {stated_mismatch(figure, v)}" for figure, v in mismatches]
            rendered.append(RenderedSection(section, text))
        mismatches.clear()
    glossary = inputs.structured.parts.get("glossary")
    if glossary is not None:
        from plan_builder.parts.glossary.model import undefined_abbreviations

        warnings += undefined_abbreviations(glossary, [(r.section.path, r.section.body_line, r.text) for r in rendered])
    return Computed(performance, rendered, env, warnings)


def render(
    inputs: Inputs,
    computed: Computed,
    images: ImageCache,
    fragments: FragmentCache | None,
    *,
    changes: ChangeSummary | None = None,
) -> RenderedPlan:
    """Render stage: the plan document (and separate appendices) in memory."""
    performance = computed.performance if inputs.data is not None else None
    models = document_models(inputs.plan, inputs.structured.parts, inputs.structured.broken, performance, changes)
    return render_document(inputs.plan, computed.rendered, models, computed.env, images=images, fragments=fragments)


def prepare(
    plan_dir: Path,
    folder: Path,
    images: ImageCache,
    fragments: FragmentCache | None,
    problems: Problems,
) -> Prepared:
    """Every stage but writing, for the output folder `folder`.

    Problems are added to `problems` as each stage finds them, and the stages go on as far as
    they can; only a plan.yaml or section list that cannot be read stops them (raised).
    """
    inputs = load(plan_dir, problems)
    with problems.gather():
        inputs.warnings += validate(inputs)
    computed = compute(inputs, problems)
    computed.warnings += check_narrative(
        [(s.path, s.body_line, s.body) for s in inputs.sections], computed.performance.figures
    )
    plan = inputs.plan
    record = build_record(plan, computed, f"{document_stem(plan)}.docx")
    document = None
    with problems.gather():
        changes = changes_since_other_version(plan, folder, record)
        document = render(inputs, computed, images, fragments, changes=changes)
    return Prepared(inputs, computed, document, record)


def build_record(plan: Plan, computed: Computed, document_name: str) -> dict[str, Any]:
    """The build manifest for this build (written after the documents)."""
    manifest = plan.manifest
    return make_manifest(
        plan_root=plan.root,
        plan={
            "service": manifest.service.name,
            "period": manifest.period,
            "status": manifest.status.value,
            "version": manifest.version,
            "as_of": manifest.as_of.isoformat(),
        },
        document=document_name,
        pdf=None,
        sections={_relative(plan, r.section.path): r.text for r in computed.rendered},
        figures={ident: figure.summary() for ident, figure in computed.performance.figures.items()},
        warnings=computed.warnings,
        extra_inputs=[],
        built_at=dt.datetime.now().astimezone(),
    )


def _relative(plan: Plan, path: Path) -> str:
    """A plan file's path relative to the plan folder, as manifests record it."""
    try:
        return path.relative_to(plan.root).as_posix()
    except ValueError:
        return path.as_posix()


def build(
    plan_dir: Path,
    output_dir: Path | None = None,
    *,
    pdf: bool = False,
    board_pack: bool = False,
    fragments: FragmentCache | None = None,
    cache_dir: Path | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the plan in `plan_dir` into `output_dir` (default `plan_dir/output`).

    With `pdf`, a PDF too; with `board_pack`, also one PDF of the plan and its separate appendices.
    `fragments` is a cache of rendered sections kept between builds (watch mode keeps one);
    `cache_dir` overrides where charts and rendered sections are cached (batches share one).
    Writing waits for any other build writing into the same folder; `on_wait` is told when it does.
    """
    folder = output_dir or plan_dir / "output"
    cache_dir = cache_dir or cache_dir_for(folder)
    images = ImageCache(cache_dir)
    fragments = fragments if fragments is not None else FragmentCache(cache_dir / "fragments")
    problems = Problems()
    prepared = prepare(plan_dir, folder, images, fragments, problems)
    problems.raise_if_any()
    plan, inputs, computed, rendered_plan = prepared.plan, prepared.inputs, prepared.computed, prepared.document
    if rendered_plan is None:  # pragma: no cover - a failed render always records its problem
        raise OutputError(f"{plan_dir}: the document could not be rendered")
    warnings = prepared.warnings
    record = {**prepared.record, "warnings": warnings}
    with output_lock(folder, on_wait=on_wait):
        if is_inside(cache_dir, folder):  # no other build is writing there while the lock is held
            remove_partials(cache_dir)
        written = write_outputs(
            plan, rendered_plan, folder, record, pdf=pdf or board_pack, board_pack=board_pack, on_wait=on_wait
        )
        images.flush()  # caches are written only once the documents are
        fragments.flush()
        prune_cache(cache_dir)
    document = rendered_plan.document
    targets = written.targets
    return BuildResult(
        path=targets.document,
        pdf=targets.pdf,
        appendix_documents=targets.appendices,
        sections=sum(1 for s in inputs.sections if not s.is_appendix),
        appendices=sum(1 for s in inputs.sections if s.is_appendix),
        tables=len(document.tables),
        figures=len(document.inline_shapes),
        words=sum(len(r.text.split()) for r in computed.rendered),
        warnings=warnings + written.recovery.problems,
        changes=written.changes,
        board_pack=targets.board_pack,
        notes=written.recovery.notes(),
    )


def changes_since_other_version(plan: Plan, folder: Path, record: dict[str, Any]) -> ChangeSummary | None:
    """For a draft's 'Changes since version N' page: compare with the last build of another version."""
    if not plan.manifest.changes_page or plan.manifest.status is Status.FINAL:
        return None
    previous = last_of_other_version(folder, plan.manifest.version)
    return compare(previous, record) if previous else None
