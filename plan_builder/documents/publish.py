"""Write stage: every document of a build with its appendices, PDFs and manifest, put in place as one set.

The plan and its further documents (board report, scorecard...) with their tracked changes are
one set: a build replaces all of them or none. Under the output folder's lock (one writer at a
time), an earlier build that was interrupted is finished first and stray temporary files are
removed. Then everything that can refuse this build is checked before any file is replaced (Word
has a document open, a final version exists); every file is staged in full (a full or read-only
folder stops the build there); and all are put in place together (`OutputSet`). Each manifest
records the SHA-256 of every file it describes, so `check` can tell when a document no longer
matches it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan_builder.errors import OutputError, PlanBuilderError
from plan_builder.figures.formatting import long_date
from plan_builder.inputs.config import PLAN_DOCUMENT, Plan, Status
from plan_builder.outputs.baseline import TrackedChanges, tracked_changes
from plan_builder.outputs.cache import ImageCache, is_inside, prune_cache, remove_partials
from plan_builder.outputs.circulate import changed_since_circulated, circulated_summary
from plan_builder.outputs.fragments import FragmentCache
from plan_builder.outputs.lock import output_lock
from plan_builder.outputs.manifest import (
    ChangeSummary,
    compare,
    history_path,
    manifest_bytes,
    read_manifest,
    set_problems,
)
from plan_builder.outputs.names import appendix_file_name, board_pack_name, document_stem
from plan_builder.outputs.recovery import recover
from plan_builder.outputs.write import OutputSet, folder_problem, partial_name, refuse_if_open_in_word
from plan_builder.word.document import set_contents_pages

if TYPE_CHECKING:
    from docx.document import Document

    from plan_builder.documents.assemble import RenderedPlan
    from plan_builder.stages import Prepared


@dataclass(frozen=True)
class Targets:
    """Where each file of this build goes."""

    document: Path
    appendices: list[Path]
    pdf: Path | None
    board_pack: Path | None

    @property
    def manifest(self) -> Path:
        """The build manifest beside the document."""
        return self.document.with_suffix(".json")

    @property
    def every(self) -> list[Path]:
        """Every file of the set, the document first."""
        pdfs = [path for path in (self.pdf, self.board_pack) if path is not None]
        return [self.document, *self.appendices, *pdfs, self.manifest]


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
    name: str = PLAN_DOCUMENT
    """Which document of the plan folder: 'plan', or a name under `documents:`."""
    documents: list[BuildResult] = field(default_factory=list)
    """Every document the build wrote, this one first."""
    tracked: TrackedChanges | None = None
    """The tracked-changes document, when there is a circulated version to compare with."""
    board_pack: Path | None = None
    notes: list[str] = field(default_factory=list)
    """What the build did besides writing: e.g. finished an earlier build that was interrupted."""

    def every_warning(self) -> list[str]:
        """Each warning of every document built, once; one the plan (the first) lacks names the documents it is in."""
        built = self.documents or [self]
        found: dict[str, list[str]] = {}
        for result in built:
            for warning in result.warnings:
                found.setdefault(warning, []).append(result.name)
        return [
            warning if built[0].name in names else f"{warning} (in {', '.join(names)})"
            for warning, names in found.items()
        ]


@dataclass(frozen=True)
class Caches:
    """The caches a build renders with; written only once its documents are."""

    images: ImageCache
    fragments: FragmentCache
    folder: Path


def output_targets(plan: Plan, rendered: RenderedPlan, folder: Path, *, pdf: bool, board_pack: bool) -> Targets:
    """The file names of this build's set."""
    document = folder / f"{document_stem(plan)}.docx"
    return Targets(
        document=document,
        appendices=[folder / appendix_file_name(plan, number) for number, _, _ in rendered.appendices],
        pdf=document.with_suffix(".pdf") if pdf or board_pack else None,
        # Only a document with separate appendices has a pack to join; without any, its PDF is the whole pack.
        board_pack=folder / board_pack_name(plan) if board_pack and rendered.appendices else None,
    )


def refuse_before_writing(plan: Plan, targets: Targets) -> None:
    """Every reason to refuse the build that is known before writing: Word has a document open, a final exists."""
    for path in [targets.document, *targets.appendices]:
        refuse_if_open_in_word(path)
    if plan.manifest.status is not Status.FINAL:
        return
    for path in targets.every:
        if path.exists():
            hints = set_problems(targets.document) if path == targets.document else []
            raise OutputError(
                f"{path}: this final version already exists and is never overwritten; "
                "set a new version in plan.yaml (version:) to build again",
                *hints,
            )


@dataclass
class _Staged:
    """One document's part of the build's set, once staged."""

    targets: Targets
    manifest: dict[str, Any]
    previous: dict[str, Any] | None
    """The manifest of the previous build of the same document, if there was one."""
    tracked: TrackedChanges | None
    warnings: list[str]


def _stage_document(outputs: OutputSet, prepared: Prepared, targets: Targets) -> _Staged:
    """Stage one document's files: PDFs, tracked changes, appendices, the document, its manifest and history copy."""
    plan, rendered = prepared.plan, _rendered(prepared)
    exclusive = plan.manifest.status is Status.FINAL
    previous = read_manifest(targets.manifest) if targets.manifest.exists() else None
    first = len(outputs.staged)
    if targets.pdf is not None:
        _stage_pdfs(outputs, rendered, targets, exclusive=exclusive)  # sets the contents' page numbers first
    built_at = dt.datetime.fromisoformat(prepared.record["built_at"])
    tracked, tracked_content, tracked_warnings = tracked_changes(plan, rendered.document, outputs.folder, built_at)
    if tracked is not None:
        outputs.add(tracked.path, tracked_content)
    for path, (_, _, appendix) in zip(targets.appendices, rendered.appendices, strict=True):
        outputs.add(path, _docx_bytes(appendix), exclusive=exclusive)
    outputs.add(targets.document, _docx_bytes(rendered.document), exclusive=exclusive)
    warnings = prepared.warnings + tracked_warnings + _rebuilt_after_circulation(outputs.folder, prepared, targets)
    manifest = {
        **prepared.record,
        "warnings": warnings,
        "pdf": targets.pdf.name if targets.pdf else None,
        "outputs": {item.target.name: {"sha256": item.sha256, "bytes": item.size} for item in outputs.staged[first:]},
    }
    text = manifest_bytes(manifest)
    outputs.add(targets.manifest, text, exclusive=exclusive)
    outputs.add(history_path(targets.document, manifest["built_at"]), text, exclusive=True)
    return _Staged(targets, manifest, previous, tracked, warnings)


def _rebuilt_after_circulation(folder: Path, prepared: Prepared, targets: Targets) -> list[str]:
    """A warning when the version being built was circulated and its content has changed since."""
    circulated = changed_since_circulated(folder, prepared.record, prepared.plan.document)
    if circulated is None:
        return []
    when = f"{circulated_summary(circulated.first)}, {long_date(circulated.circulated_on)}"
    return [
        f"{targets.document.name}: version {circulated.version} was circulated ({when}) and this build differs "
        "from it: give it a new version in plan.yaml before the board sees it again (plan-builder diff lists what "
        "changed)"
    ]


def _docx_bytes(document: Document) -> bytes:
    """The saved document, in memory (nothing is written to disk until the whole set is staged)."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _stage_pdfs(outputs: OutputSet, rendered: RenderedPlan, targets: Targets, *, exclusive: bool) -> None:
    """Make the PDF (and board pack) in a scratch folder; the plan's contents get LibreOffice's page numbers."""
    from plan_builder.outputs.pdf import combine_pdfs, pdf_scratch, refresh_and_export  # LibreOffice: only for PDFs

    assert targets.pdf is not None  # noqa: S101 - called only when a PDF is wanted
    folder = outputs.folder
    try:
        with pdf_scratch(folder / partial_name("plan-builder-pdf", outputs.token)) as scratch:
            draft, exported = scratch.folder / targets.document.name, scratch.folder / targets.pdf.name
            draft.write_bytes(_docx_bytes(rendered.document))
            bookmarks = [entry.bookmark for entry in rendered.ctx.toc]
            refreshed = refresh_and_export(draft, exported, bookmarks, scratch)
            set_contents_pages(rendered.document, refreshed.pages)
            outputs.add(targets.pdf, exported.read_bytes(), exclusive=exclusive)
            if targets.board_pack is None:
                return
            parts = [exported]
            for number, _, appendix in rendered.appendices:
                source, part = scratch.folder / f"appendix-{number}.docx", scratch.folder / f"appendix-{number}.pdf"
                source.write_bytes(_docx_bytes(appendix))
                refresh_and_export(source, part, [], scratch)
                parts.append(part)
            combined = scratch.folder / "board-pack.pdf"
            combine_pdfs(parts, combined)
            outputs.add(targets.board_pack, combined.read_bytes(), exclusive=exclusive)
    except OSError as exc:  # the scratch folder is in the output folder: full or read-only
        raise folder_problem(folder, exc, needed=outputs.size) from exc


def write_documents(
    documents: list[Prepared],
    folder: Path,
    caches: Caches,
    *,
    pdf: bool = False,
    board_pack: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> BuildResult:
    """The write stage of a build: every document's files as one set, under the output folder's lock.

    An earlier build that was interrupted is finished first. Nothing is replaced until every
    document has passed the checks that can refuse a build (Word has one open, a final version
    exists) and every file of every document is staged; then all are put in place together.
    Returns the first document's result; its `documents` lists them all.
    """
    with output_lock(folder, on_wait=on_wait):
        if is_inside(caches.folder, folder):  # no other build is writing there while the lock is held
            remove_partials(caches.folder)
        recovery = recover(folder)
        try:
            staged = _write_set(documents, folder, pdf=pdf or board_pack, board_pack=board_pack)
        except PlanBuilderError as exc:
            exc.notes[:0] = recovery.notes()
            raise
        caches.images.flush()
        caches.fragments.flush()
        prune_cache(caches.folder)
    results = [_result(prepared, done) for prepared, done in zip(documents, staged, strict=True)]
    first = results[0]
    first.documents = results
    first.notes[:0] = recovery.notes()
    if board_pack and not any(r.board_pack for r in results):
        first.notes.append("No document has separate appendices, so each PDF is its whole board pack.")
    first.warnings += recovery.problems
    return first


def _write_set(documents: list[Prepared], folder: Path, *, pdf: bool, board_pack: bool) -> list[_Staged]:
    """Refuse, or stage every document's files and put them all in place."""
    targets = [output_targets(p.plan, _rendered(p), folder, pdf=pdf, board_pack=board_pack) for p in documents]
    for prepared, target in zip(documents, targets, strict=True):
        refuse_before_writing(prepared.plan, target)
    with OutputSet(folder) as outputs:
        staged = [_stage_document(outputs, p, target) for p, target in zip(documents, targets, strict=True)]
        outputs.commit()
    return staged


def _rendered(prepared: Prepared) -> RenderedPlan:
    if prepared.document is None:  # pragma: no cover - a failed render records its problem, so no write
        raise OutputError(f"{prepared.plan.root}: the document could not be rendered")
    return prepared.document


def _result(prepared: Prepared, staged: _Staged) -> BuildResult:
    """What one document's build wrote, for the command line and scripts."""
    inputs, computed, document, targets = (
        prepared.inputs,
        prepared.computed,
        _rendered(prepared).document,
        staged.targets,
    )
    return BuildResult(
        path=targets.document,
        pdf=targets.pdf,
        appendix_documents=targets.appendices,
        sections=sum(1 for s in inputs.sections if not s.is_appendix),
        appendices=sum(1 for s in inputs.sections if s.is_appendix),
        tables=len(document.tables),
        figures=len(document.inline_shapes),
        words=sum(len(r.text.split()) for r in computed.rendered),
        warnings=list(staged.warnings),
        changes=compare(staged.previous, staged.manifest) if staged.previous else None,
        name=prepared.plan.document,
        tracked=staged.tracked,
        board_pack=targets.board_pack,
    )
