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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan_builder.changes.model import Changes
from plan_builder.changes.record import part_records, section_records
from plan_builder.checks.consistency import check_narrative
from plan_builder.documents.assemble import RenderedPlan, RenderedSection, render_document
from plan_builder.documents.models import document_models
from plan_builder.documents.publish import BuildResult, Caches, write_documents
from plan_builder.errors import ConfigError, OutputError, Problems, SectionError
from plan_builder.figures.filters import FILTERS
from plan_builder.figures.merge import merge_section
from plan_builder.figures.narrative import make_environment
from plan_builder.figures.pending import MARK_END, MARK_START, PendingItem, PendingValue, check_outstanding
from plan_builder.figures.performance import (
    PerformanceData,
    compute_performance,
    figure_namespace,
    load_performance_data,
)
from plan_builder.figures.result import PerformanceResult
from plan_builder.figures.stated import stated_filter
from plan_builder.inputs.config import PLAN_DOCUMENT, Plan, Status, VersionEntry, load_plan
from plan_builder.inputs.outline import document_sections, manifest_where, validate_outline
from plan_builder.inputs.prompts import Prompt, find_prompts, find_yaml_prompts, mark_prompts
from plan_builder.inputs.sections import Section
from plan_builder.inputs.structure import is_structure_file, load_structure
from plan_builder.inputs.tables import check_tables
from plan_builder.outputs.baseline import changes_since
from plan_builder.outputs.cache import ImageCache, cache_dir_for
from plan_builder.outputs.circulate import history_rows
from plan_builder.outputs.fragments import FragmentCache
from plan_builder.outputs.manifest import make_manifest
from plan_builder.outputs.names import document_stem
from plan_builder.parts.loading import load_structured
from plan_builder.parts.totals import structured_figures
from plan_builder.stages import Computed, Inputs, Prepared

if TYPE_CHECKING:
    pass


def load(plan_dir: Path, problems: Problems, document: str = PLAN_DOCUMENT) -> Inputs:
    """Load stage: plan.yaml, the section list, every section, structured part and data file.

    plan.yaml's essentials (the service, period and section list) must load for anything else to;
    after that, a broken key or file is left out and its problems added to `problems`, so one
    run reports every file's.
    """
    plan = load_plan(plan_dir, problems)
    return load_document(plan, problems, document, load_performance_data(plan, problems))


def load_document(plan: Plan, problems: Problems, document: str, data: PerformanceData | None) -> Inputs:
    """The inputs of one document of the plan folder: its sections and structured parts, and the shared data."""
    plan = plan.for_document(document)
    structure = load_structure(
        plan.manifest.structure, plan.manifest.period, where=manifest_where(plan, ("structure",)), root=plan.root
    )
    sections = document_sections(plan, structure, problems)
    structured = load_structured(plan, problems)
    return Inputs(plan, structure, sections, structured, data, list(structured.warnings))


def validate(inputs: Inputs) -> list[str]:
    """Validate stage: the YJB heading checks the document's kind calls for; return warnings, raise errors."""
    manifest = inputs.plan.manifest
    partial = len(inputs.sections) < len(manifest.sections) + len(manifest.appendices)  # some could not be read
    return validate_outline(inputs.plan, inputs.structure, inputs.sections, partial=partial)


def compute_figures(plan: Plan, data: PerformanceData | None, problems: Problems) -> PerformanceResult:
    """Every figure from the data: computed once for all of a plan folder's documents."""
    return compute_performance(plan, data, problems) if data else PerformanceResult()


def compute(inputs: Inputs, problems: Problems, performance: PerformanceResult | None = None) -> Computed:
    """Compute stage: every figure (unless given) and the parts' totals, then each section's text merged with them."""
    plan = inputs.plan
    if performance is None:
        performance = compute_figures(plan, inputs.data, problems)
    performance.figures.update(structured_figures(inputs.structured.parts))
    with problems.gather():
        check_outstanding(plan, performance.pending)
    warnings = list(performance.warnings)
    warnings += [f"{item.where}: outstanding data: {item.what} ({item.placeholder})" for item in performance.pending]
    warnings += report_prompts(inputs, problems)
    found: list[tuple[int, str]] = []
    env = make_environment({**FILTERS, "stated": stated_filter(found)})
    context = {**figure_namespace(performance), **broken_parts(plan, inputs.structured.broken)}
    rendered = []
    for section in inputs.sections:
        with problems.gather():
            text, notes = merge_section(env, section, context, performance.figures, found)
            text = mark_prompts(text, MARK_START, MARK_END)
            warnings += notes
            rendered.append(RenderedSection(section, text))
            tables = check_tables(text, section.path, section.body_line)
            if tables:
                raise SectionError(*tables)
    glossary = inputs.structured.parts.get("glossary")
    if glossary is not None:
        from plan_builder.parts.glossary.model import undefined_abbreviations

        warnings += undefined_abbreviations(glossary, [(r.section.path, r.section.body_line, r.text) for r in rendered])
    return Computed(performance, rendered, env, warnings)


def broken_parts(plan: Plan, broken: set[str]) -> dict[str, PendingValue]:
    """Stand-ins for the totals of parts that could not be loaded: text using them shows a placeholder.

    The part's own problems (or plan.yaml's) are reported; the sections that use its totals need not fail too.
    """
    configured = plan.manifest.structured
    stand_ins = {}
    for name in sorted(broken):
        file = getattr(configured, name, None)
        shown = f"Not available: {file} has errors" if file else "Not available: plan.yaml names it wrongly"
        stand_ins[name] = PendingValue(PendingItem(name, "", "", "", shown=shown))
    return stand_ins


def report_prompts(inputs: Inputs, problems: Problems) -> list[str]:
    """Prompts not yet replaced, in plan.yaml and the sections: warnings in a draft, errors in a final plan."""
    prompts: list[Prompt] = find_yaml_prompts(inputs.plan.source)
    for section in inputs.sections:
        prompts += find_prompts(section.body, section.path, section.body_line)
    if inputs.plan.manifest.status is not Status.FINAL:
        return [prompt.message() for prompt in prompts]
    if prompts:
        problems.add(SectionError(*(prompt.message(final=True) for prompt in prompts)))
    return []


def render(
    inputs: Inputs,
    computed: Computed,
    images: ImageCache,
    fragments: FragmentCache | None,
    *,
    changes: Changes | None = None,
    history: list[VersionEntry] | None = None,
    problems: Problems | None = None,
) -> RenderedPlan:
    """Render stage: the document (and separate appendices) in memory; each section's problems go to `problems`.

    `changes` feeds the changes page; `history` adds circulated versions to the version history.
    """
    performance = computed.performance if inputs.data is not None else None
    structured = inputs.structured
    models = document_models(inputs.plan, structured.parts, structured.broken, performance, changes, history or [])
    return render_document(
        inputs.plan, computed.rendered, models, computed.env, images=images, fragments=fragments, problems=problems
    )


def prepare(
    plan_dir: Path,
    folder: Path,
    images: ImageCache,
    fragments: FragmentCache | None,
    problems: Problems,
    document: str = PLAN_DOCUMENT,
) -> Prepared:
    """Every stage but writing, for one document (default: the plan) and the output folder `folder`.

    Problems are added to `problems` as each stage finds them, and the stages go on as far as
    they can; only a plan.yaml or section list that cannot be read stops them (raised).
    """
    return prepare_documents(plan_dir, folder, images, fragments, problems, [document])[0]


def prepare_documents(
    plan_dir: Path,
    folder: Path,
    images: ImageCache,
    fragments: FragmentCache | None,
    problems: Problems,
    documents: list[str] | None = None,
) -> list[Prepared]:
    """Every stage but writing, for each named document (default: all of the plan folder's).

    plan.yaml and the data are read once and the figures computed once, so a figure has one
    value in every document; each document then loads its own sections and parts and is rendered.
    """
    plan = load_plan(plan_dir, problems)
    names = documents if documents is not None else plan.document_names()
    unknown = [name for name in names if name not in plan.document_names()]
    if unknown:
        raise ConfigError(
            f"{plan.source.path}: no document called {', '.join(repr(n) for n in unknown)}; "
            f"expected one of: {', '.join(plan.document_names())}"
        )
    data = load_performance_data(plan, problems)
    performance = compute_figures(plan, data, problems)
    return [
        _prepare_one(load_document(plan, problems, name, data), performance, folder, (images, fragments), problems)
        for name in names
    ]


def _prepare_one(
    inputs: Inputs,
    performance: PerformanceResult,
    folder: Path,
    caches: tuple[ImageCache, FragmentCache | None],
    problems: Problems,
) -> Prepared:
    """Validate, merge and render one document whose inputs are loaded and whose figures are computed."""
    with problems.gather():
        inputs.warnings += validate(inputs)
    computed = compute(inputs, problems, performance)
    computed.warnings += check_narrative(
        [(s.path, s.body_line, s.body) for s in inputs.sections], computed.performance.figures
    )
    plan = inputs.plan
    record = build_record(inputs, computed, f"{document_stem(plan)}.docx")
    document = None
    with problems.gather():
        changes = changes_since(plan, folder, record)
        history = history_rows(plan, folder)
        document = render(inputs, computed, caches[0], caches[1], changes=changes, history=history, problems=problems)
    return Prepared(inputs, computed, document, record)


def prepare_in_place(plan_dir: Path, problems: Problems) -> Prepared:
    """Every stage but writing, of the plan, for commands that look at it without building it (`figures`).

    The caches in the plan's output folder are read, never written, so these commands change nothing.
    """
    return prepare_all_in_place(plan_dir, problems, [PLAN_DOCUMENT])[0]


def prepare_all_in_place(plan_dir: Path, problems: Problems, documents: list[str] | None = None) -> list[Prepared]:
    """Every stage but writing, of every document (or those named), reading the caches but never writing them."""
    cache_dir = cache_dir_for(plan_dir / "output")
    images, fragments = ImageCache(cache_dir), FragmentCache(cache_dir / "fragments")
    return prepare_documents(plan_dir, plan_dir / "output", images, fragments, problems, documents)


def build_record(inputs: Inputs, computed: Computed, document_name: str) -> dict[str, Any]:
    """The build manifest for this build (written after the documents).

    Besides hashes and figures it keeps what a later build needs to say what changed in words:
    sections' titles and text, figures' labels, and the rows of the structured parts.
    """
    plan = inputs.plan
    manifest = plan.manifest
    record = make_manifest(
        plan_root=plan.root,
        plan={
            "service": manifest.service.name,
            "period": manifest.period,
            "status": manifest.status.value,
            "version": manifest.version,
            "as_of": manifest.as_of.isoformat(),
            "document_name": plan.document,
        },
        document=document_name,
        pdf=None,
        sections={_section_name(plan, r.section): r.text for r in computed.rendered},
        figures={
            ident: figure.summary() for ident, figure in computed.performance.figures.items() if not figure.alias_of
        },
        warnings=computed.warnings,
        extra_inputs=[key] if (key := manifest.structure) and is_structure_file(key) else [],
        built_at=dt.datetime.now().astimezone(),
        datasets=dataset_provenance(plan),
    )
    named = [(_section_name(plan, r.section), r.section, r.text) for r in computed.rendered]
    for name, extra in section_records(named, manifest.number_headings).items():
        record["sections"][name].update(extra)
    record["plan"]["area"] = manifest.performance.area if manifest.performance else ""
    record["parts"] = part_records(inputs.structured.parts)
    return record


def _section_name(plan: Plan, section: Section) -> str:
    """How the manifest names a section: its file, or for a kind's default outline, plan.yaml and its title."""
    name = _relative(plan, section.path)
    return f"{name}#{section.title}" if section.blocks else name


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


def build(
    plan_dir: Path,
    output_dir: Path | None = None,
    *,
    pdf: bool = False,
    board_pack: bool = False,
    fragments: FragmentCache | None = None,
    cache_dir: Path | None = None,
    document: str | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build every document of the plan in `plan_dir` (or only `document`) into `output_dir`.

    `output_dir` defaults to `plan_dir/output`. With `pdf`, a PDF of each too; with `board_pack`,
    also one PDF of the plan and its separate appendices. `fragments` is a cache of rendered
    sections kept between builds (watch mode keeps one); `cache_dir` overrides where charts and
    rendered sections are cached (batches share one). Writing waits for any other build writing
    into the same folder; `on_wait` is told when it does. Returns the first document's result,
    whose `documents` lists every document built.
    """
    folder = output_dir or plan_dir / "output"
    cache_dir = cache_dir or cache_dir_for(folder)
    images = ImageCache(cache_dir)
    fragments = fragments if fragments is not None else FragmentCache(cache_dir / "fragments")
    problems = Problems()
    documents = prepare_documents(plan_dir, folder, images, fragments, problems, [document] if document else None)
    problems.raise_if_any()
    if any(p.document is None for p in documents):  # pragma: no cover - a failed render records its problem
        raise OutputError(f"{plan_dir}: a document could not be rendered")
    caches = Caches(images, fragments, cache_dir)
    return write_documents(documents, folder, caches, pdf=pdf, board_pack=board_pack, on_wait=on_wait)
