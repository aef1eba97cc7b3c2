"""The build, stage by stage: load -> validate -> compute -> render -> write.

`prepare` runs every stage but the last; `build` writes what it prepared, and `plan-builder
check` audits it instead, so both see the same problems, each once. Stages keep going past a
broken file and report every file's problems together. Everything is gathered and rendered
in memory first; the documents are written only at the end, so a failure at any stage leaves
earlier outputs as they were.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan_builder.checks.consistency import check_narrative
from plan_builder.documents.assemble import RenderedPlan, RenderedSection, render_document
from plan_builder.documents.models import document_models
from plan_builder.errors import OutputError, Problems
from plan_builder.figures.figure import Figure
from plan_builder.figures.filters import FILTERS
from plan_builder.figures.narrative import make_environment, render_text
from plan_builder.figures.pending import check_outstanding
from plan_builder.figures.performance import (
    PerformanceData,
    compute_performance,
    figure_namespace,
    load_performance_data,
)
from plan_builder.figures.result import PerformanceResult
from plan_builder.figures.stated import stated_filter, stated_mismatch, where_stated
from plan_builder.inputs.config import Plan, Status, load_plan
from plan_builder.inputs.outline import load_sections, manifest_where, validate_structure
from plan_builder.inputs.sections import Section
from plan_builder.inputs.structure import Structure, load_structure
from plan_builder.outputs.cache import ImageCache, cache_dir_for, prune_cache
from plan_builder.outputs.fragments import FragmentCache
from plan_builder.outputs.manifest import (
    ChangeSummary,
    compare,
    last_of_other_version,
    make_manifest,
    read_manifest,
    write_manifest,
)
from plan_builder.outputs.names import appendix_file_name, board_pack_name, document_stem
from plan_builder.outputs.write import write_atomic
from plan_builder.parts.loading import StructuredParts, load_structured
from plan_builder.word.document import set_contents_pages

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
        figures={
            ident: figure.summary() for ident, figure in computed.performance.figures.items() if not figure.alias_of
        },
        warnings=computed.warnings,
        extra_inputs=[],
        built_at=dt.datetime.now().astimezone(),
        datasets=dataset_provenance(plan),
    )


def dataset_provenance(plan: Plan) -> dict[str, dict[str, Any]]:
    """Each dataset's file (and sheet), source and release date, as the build manifest records them."""
    config = plan.manifest.performance
    if config is None:
        return {}
    return {
        name: {
            "file": source.file,
            "sheet": source.sheet,
            "source": source.source,
            "released": source.released.isoformat() if source.released else None,
            "pending": bool(source.pending),
        }
        for name, source in config.datasets.items()
    }


def _relative(plan: Plan, path: Path) -> str:
    """A plan file's path relative to the plan folder, as manifests record it."""
    try:
        return path.relative_to(plan.root).as_posix()
    except ValueError:
        return path.as_posix()


def check_not_final(path: Path) -> None:
    """A final version is never overwritten: a change needs a new version number."""
    if path.exists():
        raise OutputError(
            f"{path}: this final version already exists and is never overwritten; "
            "set a new version in plan.yaml (version:) to build again"
        )


def write_outputs(
    plan: Plan, rendered_plan: RenderedPlan, folder: Path, *, pdf: bool, board_pack: bool = False
) -> tuple[Path, Path | None, list[Path]]:
    """Write the plan, its separate appendices and (optionally) the PDF and board pack, each atomically."""
    stem = document_stem(plan)
    target = folder / f"{stem}.docx"
    final = plan.manifest.status is Status.FINAL
    appendix_paths = [folder / appendix_file_name(plan, number) for number, _, _ in rendered_plan.appendices]
    if final:
        for path in [target, *appendix_paths]:
            check_not_final(path)
    document = rendered_plan.document
    pdf_path = None
    if pdf:
        from plan_builder.outputs.pdf import combine_pdfs, refresh_and_export  # LibreOffice: only for PDFs

        pdf_path = target.with_suffix(".pdf")
        with tempfile.TemporaryDirectory(prefix="plan-builder-") as scratch:
            draft, exported = Path(scratch) / target.name, Path(scratch) / pdf_path.name
            document.save(str(draft))
            refreshed = refresh_and_export(draft, exported, [entry.bookmark for entry in rendered_plan.ctx.toc])
            set_contents_pages(document, refreshed.pages)
            write_atomic(pdf_path, lambda handle: handle.write(exported.read_bytes()))
            if board_pack:
                parts = [exported]
                for number, _, appendix in rendered_plan.appendices:
                    source, part = Path(scratch) / f"appendix-{number}.docx", Path(scratch) / f"appendix-{number}.pdf"
                    appendix.save(str(source))
                    refresh_and_export(source, part, [])
                    parts.append(part)
                combined = Path(scratch) / "board-pack.pdf"
                combine_pdfs(parts, combined)
                write_atomic(folder / board_pack_name(plan), lambda handle: handle.write(combined.read_bytes()))
    for path, (_, _, appendix) in zip(appendix_paths, rendered_plan.appendices, strict=True):
        write_atomic(path, appendix.save)
    write_atomic(target, document.save)
    return target, pdf_path, appendix_paths


def build(
    plan_dir: Path,
    output_dir: Path | None = None,
    *,
    pdf: bool = False,
    board_pack: bool = False,
    fragments: FragmentCache | None = None,
    cache_dir: Path | None = None,
) -> BuildResult:
    """Build the plan in `plan_dir` into `output_dir` (default `plan_dir/output`).

    With `pdf`, a PDF too; with `board_pack`, also one PDF of the plan and its separate appendices.
    `fragments` is a cache of rendered sections kept between builds (watch mode keeps one);
    `cache_dir` overrides where charts and rendered sections are cached (batches share one).
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
    target, pdf_path, appendix_paths = write_outputs(
        plan, rendered_plan, folder, pdf=pdf or board_pack, board_pack=board_pack
    )
    images.flush()  # caches are written only once the documents are
    fragments.flush()
    prune_cache(cache_dir)
    warnings = prepared.warnings
    changes = record_build(
        target, {**prepared.record, "pdf": pdf_path.name if pdf_path else None, "warnings": warnings}
    )
    document = rendered_plan.document
    return BuildResult(
        path=target,
        pdf=pdf_path,
        appendix_documents=appendix_paths,
        sections=sum(1 for s in inputs.sections if not s.is_appendix),
        appendices=sum(1 for s in inputs.sections if s.is_appendix),
        tables=len(document.tables),
        figures=len(document.inline_shapes),
        words=sum(len(r.text.split()) for r in computed.rendered),
        warnings=warnings,
        changes=changes,
    )


def changes_since_other_version(plan: Plan, folder: Path, record: dict[str, Any]) -> ChangeSummary | None:
    """For a draft's 'Changes since version N' page: compare with the last build of another version."""
    if not plan.manifest.changes_page or plan.manifest.status is Status.FINAL:
        return None
    previous = last_of_other_version(folder, plan.manifest.version)
    return compare(previous, record) if previous else None


def record_build(target: Path, record: dict[str, Any]) -> ChangeSummary | None:
    """Write the build manifest and compare it with the previous build of the same document."""
    previous_path = target.with_suffix(".json")
    previous = read_manifest(previous_path) if previous_path.exists() else None
    write_manifest(record, target)
    return compare(previous, record) if previous else None
