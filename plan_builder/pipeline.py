"""The build, stage by stage: load -> validate -> compute -> render -> write.

Everything is gathered and rendered in memory first; the document is written
only at the end, atomically, so a failure at any stage leaves earlier outputs
as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan_builder.outputs.cache import ImageCache, cache_dir_for, prune_cache

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment
from plan_builder.errors import ConfigError, OutputError, SectionError
from plan_builder.figures.figure import Figure
from plan_builder.figures.filters import FILTERS
from plan_builder.figures.kpis import stated_mismatch
from plan_builder.figures.metrics import PerformanceResult
from plan_builder.figures.narrative import make_environment, render_text
from plan_builder.figures.pending import PendingItem
from plan_builder.figures.performance import (
    PerformanceData,
    compute_performance,
    figure_namespace,
    load_performance_data,
)
from plan_builder.inputs.config import Plan, Status, load_plan
from plan_builder.inputs.sections import Section, load_section
from plan_builder.inputs.structure import Structure, check_order, load_structure
from plan_builder.outputs.fragments import FragmentCache
from plan_builder.outputs.manifest import (
    ChangeSummary,
    compare,
    last_of_other_version,
    make_manifest,
    read_manifest,
    write_manifest,
)
from plan_builder.outputs.write import write_atomic
from plan_builder.parts.performance_blocks import performance_directives
from plan_builder.parts.structured import Directive, StructuredParts, load_structured
from plan_builder.word.document import set_contents_pages
from plan_builder.word.render import RenderedPlan, RenderedSection, appendix_file_name, document_stem, render_plan


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


def load_sections(plan: Plan, structure: Structure) -> list[Section]:
    """Load every section and appendix listed in the manifest, in order."""
    sections = []
    problems: list[str] = []
    for key, entries, is_appendix in (
        ("sections", plan.manifest.sections, False),
        ("appendices", plan.manifest.appendices, True),
    ):
        for index, entry in enumerate(entries):
            try:
                section = load_section(
                    plan.path(entry.file),
                    plan.display(entry.file),
                    structure,
                    is_appendix=is_appendix,
                    separate_document=entry.separate_document,
                    listed_at=f"{manifest_where(plan, (key, index))}: {key}[{index}]",
                )
            except SectionError as exc:
                problems += exc.problems  # keep going: report every section's problems at once
                continue
            sections.append(section)
    if problems:
        raise SectionError(*problems)
    return sections


def manifest_where(plan: Plan, key: tuple[str | int, ...]) -> str:
    """'plan.yaml:LINE' for a manifest key (with the plan folder, as every other path in messages)."""
    return plan.source.where(key)


def _entry_key(plan: Plan, section: Section) -> tuple[str | int, ...]:
    for key, entries in (("sections", plan.manifest.sections), ("appendices", plan.manifest.appendices)):
        for index, entry in enumerate(entries):
            if plan.display(entry.file) == section.path:
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
    """The `stated` filter, which shows the computed figure and records a typed value that disagrees.

    `{{ fte.latest.rate | stated(188) }}` renders the computed rate; if 188 differs from it beyond
    its own rounding, the mismatch is recorded for a warning with the file and line.
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


@dataclass
class Inputs:
    """Everything read from the plan folder, validated."""

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


def load_inputs(plan: Plan) -> Inputs:
    """Load and validate: structure, sections, structured YAML parts, performance data."""
    structure = load_structure(
        plan.manifest.structure, plan.manifest.period, where=manifest_where(plan, ("structure",))
    )
    sections = load_sections(plan, structure)
    warnings = validate_structure(plan, structure, sections)
    structured = load_structured(plan)
    return Inputs(sections, structured, load_performance_data(plan), warnings + structured.warnings)


def compute(plan: Plan, inputs: Inputs) -> Computed:
    """Compute every figure and merge the figures into the section text."""
    performance = compute_performance(plan, inputs.data) if inputs.data else PerformanceResult()
    check_outstanding(plan, performance.pending)
    warnings = list(performance.warnings)
    warnings += [f"{item.where}: outstanding data: {item.what} ({item.placeholder})" for item in performance.pending]
    mismatches: list[tuple[Figure, float]] = []
    env = make_environment({**FILTERS, "stated": stated_filter(mismatches)})
    context: dict[str, object] = dict(figure_namespace(performance))
    rendered = []
    problems: list[str] = []
    for section in inputs.sections:
        try:
            text = render_text(env, section.body, context, path=section.path, first_line=section.body_line)
        except SectionError as exc:
            problems += exc.problems  # keep going: every section's template errors at once
            continue
        warnings += [f"{where_stated(section, v)}: {stated_mismatch(figure, v)}" for figure, v in mismatches]
        mismatches.clear()
        rendered.append(RenderedSection(section, text))
    if problems:
        raise SectionError(*problems)
    glossary = inputs.structured.parts.get("glossary")
    if glossary is not None:
        from plan_builder.parts.glossary import undefined_abbreviations

        warnings += undefined_abbreviations(glossary, [(r.section.path, r.section.body_line, r.text) for r in rendered])
    return Computed(performance, rendered, env, warnings)


def blocks(
    plan: Plan, inputs: Inputs, computed: Computed
) -> tuple[dict[str, Directive], dict[str, list[str]], dict[str, str]]:
    """Block renderers by name, the blocks each YJB section gets automatically, and what each block draws on.

    The digests (a hash of the data behind each block) let the fragment cache reuse a
    rendered section only while the data its blocks show is unchanged.
    """
    directives: dict[str, Directive] = {}
    automatic: dict[str, list[str]] = {}
    digests: dict[str, str] = {}
    context = (plan.manifest.as_of, plan.manifest.service.nation, plan.manifest.status)
    if inputs.data is not None:
        performance = computed.performance
        performance_directive_set = performance_directives(performance)
        directives.update(performance_directive_set)
        automatic["performance"] = ["performance-summary", "chart", "kpi-table"]
        digest = _digest(
            context,
            {k: f.to_json() for k, f in performance.figures.items()},
            [repr(s) for s in performance.series.values()],
            [repr(r) for r in performance.summary],
            performance.pending,
        )
        digests.update(dict.fromkeys(performance_directive_set, digest))
    for name, part in inputs.structured.parts.items():
        digest = _digest(context, name, repr(part))
        for block in inputs.structured.blocks_of.get(name, []):
            digests[block] = digest
    directives.update(inputs.structured.directives)
    for heading, names in inputs.structured.automatic.items():
        automatic.setdefault(heading, []).extend(names)
    return directives, automatic, digests


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def render(
    plan: Plan,
    inputs: Inputs,
    computed: Computed,
    images: ImageCache,
    fragments: FragmentCache | None,
    *,
    changes: ChangeSummary | None = None,
) -> RenderedPlan:
    """Render the plan document (and separate appendices) in memory."""
    directives, automatic, digests = blocks(plan, inputs, computed)
    return render_plan(
        plan,
        computed.rendered,
        computed.env,
        directives,
        automatic,
        outstanding=computed.performance.pending,
        changes=changes,
        images=images,
        fragments=fragments,
        block_digests=digests,
    )


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
                write_atomic(folder / f"{stem}-board-pack.pdf", lambda handle: handle.write(combined.read_bytes()))
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
    plan = load_plan(plan_dir)
    inputs = load_inputs(plan)
    computed = compute(plan, inputs)
    folder = output_dir or plan_dir / "output"
    record = build_record(plan, computed, f"{document_stem(plan)}.docx")
    cache_dir = cache_dir or cache_dir_for(folder)
    images = ImageCache(cache_dir)
    fragments = fragments if fragments is not None else FragmentCache(cache_dir / "fragments")
    rendered_plan = render(
        plan, inputs, computed, images, fragments, changes=changes_since_other_version(plan, folder, record)
    )
    target, pdf_path, appendix_paths = write_outputs(
        plan, rendered_plan, folder, pdf=pdf or board_pack, board_pack=board_pack
    )
    images.flush()  # caches are written only once the documents are
    fragments.flush()
    prune_cache(cache_dir)
    warnings = inputs.warnings + computed.warnings + rendered_plan.ctx.warnings
    changes = record_build(target, {**record, "pdf": pdf_path.name if pdf_path else None, "warnings": warnings})
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
