"""Render stage: turn the loaded plan, its sections and computed figures into a Word document.

This is where everything meets: the template is opened, the cover rendered,
the contents page reserved, each section's text merged with figures and
written, structured blocks placed, and the contents filled in last.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan_builder.figures.formatting import long_date
from plan_builder.figures.pending import PendingItem
from plan_builder.inputs.config import Plan, Signatory, Status
from plan_builder.outputs.cache import ImageCache
from plan_builder.outputs.fragments import FragmentCache, render_with_cache
from plan_builder.outputs.manifest import ChangeSummary
from plan_builder.outputs.write import slug
from plan_builder.word import document as doc_ops
from plan_builder.word.context import Directive, RenderContext
from plan_builder.word.markdown import render_markdown
from plan_builder.word.paragraphs import add_heading
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.watermark import add_watermark
from plan_builder.word.xml import add_paragraph, add_text_run

if TYPE_CHECKING:
    from docx.document import Document
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from plan_builder.inputs.sections import Section


@dataclass(frozen=True)
class RenderedSection:
    """A section whose text has been merged with the figures (Jinja done, Markdown not yet)."""

    section: Section
    text: str


def plan_title(plan: Plan) -> str:
    """The document title, used on the cover and in the properties."""
    manifest = plan.manifest
    return f"{manifest.service.name}: Youth Justice Plan {manifest.period}"


def status_line(plan: Plan) -> str:
    """'Draft version 0.3' or 'Final version 1.0'."""
    manifest = plan.manifest
    return f"{manifest.status.label} version {manifest.version}"


def cover_context(plan: Plan) -> dict[str, Any]:
    """Fields available to the cover template (templates/cover.docx)."""
    manifest = plan.manifest
    manager = manifest.service.manager
    return {
        "service_name": manifest.service.name,
        "short_name": manifest.service.header_name,
        "period": manifest.period,
        "local_authorities": ", ".join(manifest.service.local_authorities),
        "status": manifest.status.label,
        "version": manifest.version,
        "status_line": status_line(plan),
        "date": long_date(manifest.as_of),
        "board_name": manifest.board.name,
        "chair_name": manifest.board.chair.name,
        "chair_role": manifest.board.chair.role,
        "manager_name": manager.name if manager else "",
        "manager_role": manager.role if manager else "",
    }


def signoff_context(plan: Plan) -> dict[str, Any]:
    """Fields available to the sign-off template (templates/signoff.docx)."""
    manifest = plan.manifest
    final = manifest.status is Status.FINAL
    chair = manifest.board.chair
    signatories = manifest.signatories or [
        Signatory(name=chair.name, role=chair.role, organisation=chair.organisation or manifest.board.name)
    ]
    rows = []
    for person in signatories:
        signed = person.signed_on is not None
        rows.append(
            {
                "name": person.name,
                "role": person.role,
                "organisation": person.organisation or manifest.board.name,
                "signature": "Signed" if signed and final else "Not yet signed",
                "date": long_date(person.signed_on) if signed else "Not yet signed",
            }
        )
    if final:
        statement = f"This plan was approved by the {manifest.board.name} and is signed on its behalf."
    else:
        statement = (
            f"This is a {manifest.status.label.lower()} (version {manifest.version}). "
            "It is not yet signed and must not be published."
        )
    return {
        "signatories": rows,
        "signoff_statement": statement,
        "approval_note": manifest.approval or "",
        **cover_context(plan),
    }


def add_outstanding(ctx: RenderContext, outstanding: list[PendingItem]) -> None:
    """A page after the contents listing the data this draft is still waiting for."""
    heading = add_paragraph(ctx.document, "Outstanding data", "TOC Heading")
    heading.paragraph_format.page_break_before = True
    add_paragraph(
        ctx.document,
        "This draft is waiting for the data below. Wherever a figure depends on it, the text shows "
        "a highlighted 'Data due' placeholder. The final plan cannot be built until all of it has arrived.",
    )
    table = start_table(ctx, ["Data", "Source", "Due"])
    for item in outstanding:
        cells = add_body_row(table)
        add_text_run(cells[0].paragraphs[0], item.what)
        add_text_run(cells[1].paragraphs[0], item.source)
        add_text_run(cells[2].paragraphs[0], item.due)
    fit_columns(ctx, table)


@dataclass
class RenderedPlan:
    """The plan document, its render context, and any appendices written as their own documents."""

    document: Document
    ctx: RenderContext
    appendices: list[tuple[int, Section, Document]]
    """(appendix number, section, document) for appendices with `separate_document: true`."""


def _section_title(section: Section, counters: dict[str, int], number_headings: bool) -> tuple[str, str]:
    """The Heading 1 text and the prefix for its sub-headings ('3'), counting as it goes."""
    if section.is_appendix:
        counters["appendix"] += 1
        return f"Appendix {counters['appendix']}: {section.title}", ""
    if section.numbered and number_headings:
        counters["section"] += 1
        return f"{counters['section']}. {section.title}", str(counters["section"])
    return section.title, ""


def _render_body(
    ctx: RenderContext, rendered: RenderedSection, sub_number: str, automatic: dict[str, list[str]], placed: set[str]
) -> None:
    """Render a section's Markdown, then any automatic blocks its author did not place."""
    section = rendered.section
    before = set(ctx.used_directives)
    ctx.used_directives.clear()
    render_markdown(ctx, rendered.text, path=section.path, first_line=section.body_line, number=sub_number)
    for block in automatic.get(section.heading_id, []):
        name, _, argument = block.partition(" ")
        if name not in ctx.used_directives and name not in placed and name in ctx.directives:
            ctx.directives[name](ctx, argument, str(section.path))
            placed.add(name)
    doc_ops.end_landscape(ctx)
    ctx.used_directives |= before


def _finish(ctx: RenderContext, plan: Plan, title: str, subject: str) -> None:
    """Header, footer, watermark and properties: the same for the plan and separate appendices."""
    manifest = plan.manifest
    document = ctx.document
    doc_ops.space_after_tables(document)
    doc_ops.avoid_double_page_breaks(document)
    doc_ops.set_header_footer(
        document,
        manifest.service.header_name,
        f"Youth Justice Plan {manifest.period}",
        f"{status_line(plan)}, {long_date(manifest.as_of)}",
    )
    if manifest.status is not Status.FINAL:
        add_watermark(document, manifest.status.label.upper())
    doc_ops.set_properties(
        document,
        title=title,
        subject=subject,
        author=manifest.service.name,
        keywords=f"youth justice plan; {manifest.period}; {manifest.service.name}",
        language=manifest.language,
        as_of=manifest.as_of,
        version=manifest.version,
        status=manifest.status.label,
    )


def add_document_control(ctx: RenderContext, plan: Plan) -> None:
    """The version history from the manifest, newest first."""
    history = plan.manifest.document_control
    if not history:
        return
    heading = add_paragraph(ctx.document, "Document control", "TOC Heading")
    heading.paragraph_format.page_break_before = True
    table = start_table(ctx, ["Version", "Date", "Author", "Summary of changes"])
    for entry in sorted(history, key=lambda e: e.date, reverse=True):
        cells = add_body_row(table)
        for cell, text in zip(cells, (entry.version, long_date(entry.date), entry.author, entry.summary), strict=True):
            add_text_run(cell.paragraphs[0], text)
    fit_columns(ctx, table, [8, 12, 20, 50])


def add_changes(ctx: RenderContext, changes: ChangeSummary) -> None:
    """A 'Changes since version N' page for the board: figures, sections and data that changed."""
    heading = add_paragraph(ctx.document, f"Changes since version {changes.old_version}", "TOC Heading")
    heading.paragraph_format.page_break_before = True
    if changes.empty:
        add_paragraph(ctx.document, f"Nothing has changed since version {changes.old_version}.")
        return
    add_paragraph(
        ctx.document,
        f"Compared with version {changes.old_version}, {len(changes.figures)} figures, "
        f"{len(changes.sections)} sections and {len(changes.inputs)} input files have changed.",
    )
    if changes.figures:
        table = start_table(ctx, ["Figure", f"Version {changes.old_version}", "Now"])
        for ident, old, new in changes.figures:
            cells = add_body_row(table)
            for cell, text in zip(cells, (ident, old, new), strict=True):
                add_text_run(cell.paragraphs[0], text)
        fit_columns(ctx, table, [40, 15, 15])
    for label, names in (("Sections whose text changed", changes.sections), ("Input files changed", changes.inputs)):
        if names:
            add_paragraph(ctx.document).add_run(label).bold = True
            for name in names:
                add_paragraph(ctx.document, name, "List Bullet")


def render_plan(
    plan: Plan,
    sections: list[RenderedSection],
    env: ImmutableSandboxedEnvironment,
    directives: dict[str, Directive],
    automatic: dict[str, list[str]],
    *,
    outstanding: list[PendingItem] | None = None,
    changes: ChangeSummary | None = None,
    images: ImageCache | None = None,
    fragments: FragmentCache | None = None,
    block_digests: dict[str, str] | None = None,
) -> RenderedPlan:
    """Build the whole document in memory (and separate appendix documents).

    `directives` maps block names ('::: risk-register') to renderers; `automatic`
    maps a YJB heading id to the blocks placed at the end of that section when the
    author has not placed a block of that name themselves (e.g. 'sign-off' -> ['signoff']).
    """
    manifest = plan.manifest

    def new_context() -> RenderContext:
        document = doc_ops.open_template(plan.path(manifest.template), Path(manifest.template))
        return RenderContext(
            document=document,
            plan_root=plan.root,
            directives=dict(directives),
            images=images or ImageCache(None),
            fragments=fragments,
        )

    def signoff(ctx: RenderContext, argument: str, where: str) -> None:
        doc_ops.render_docx_template(
            plan.path(manifest.signoff_template),
            Path(manifest.signoff_template),
            signoff_context(plan),
            env,
            ctx.document,
        )

    directives = {
        "signoff": signoff,
        "landscape": lambda ctx, argument, where: doc_ops.begin_landscape(ctx),
        "portrait": lambda ctx, argument, where: doc_ops.end_landscape(ctx),
        **directives,
    }
    automatic = {"sign-off": ["signoff"], **automatic}

    ctx = new_context()
    document = ctx.document
    template_digest = file_digest(plan.path(manifest.template))
    digests = {"signoff": _digest(signoff_context(plan), file_digest(plan.path(manifest.signoff_template)))}
    digests.update(block_digests or {})
    render_with_cache(
        fragments,
        ctx,
        ["cover", template_digest, file_digest(plan.path(manifest.cover_template)), cover_context(plan)],
        set(),
        lambda: doc_ops.render_docx_template(
            plan.path(manifest.cover_template), Path(manifest.cover_template), cover_context(plan), env, document
        ),
    )
    contents = doc_ops.add_contents(document)
    add_document_control(ctx, plan)
    if changes is not None and manifest.status is not Status.FINAL:
        add_changes(ctx, changes)
    if outstanding and manifest.status is not Status.FINAL:
        add_outstanding(ctx, outstanding)

    counters = {"section": 0, "appendix": 0}
    placed: set[str] = set()  # automatic blocks already placed, so none appears twice
    separate: list[tuple[int, Section, Document]] = []
    for rendered in sections:
        section = rendered.section
        title, sub_number = _section_title(section, counters, manifest.number_headings)
        add_heading(ctx, title, 1)
        if section.separate_document:
            name = appendix_file_name(plan, counters["appendix"])
            add_paragraph(document, f"This appendix is published as a separate document: {name}.")
            own = new_context()
            add_heading(own, title, 1)
            _render_body(own, rendered, sub_number, automatic, placed)
            _finish(own, plan, f"{plan_title(plan)}, {title}", f"Youth Justice Plan {manifest.period}, {title}")
            separate.append((counters["appendix"], section, own.document))
            continue
        names = sorted(
            {b.partition(" ")[0] for b in automatic.get(section.heading_id, [])} | used_blocks(rendered.text)
        )
        key = ["section", template_digest, str(section.path), section.heading_id, title, sub_number, rendered.text]
        key.append({name: digests.get(name, "") for name in names})
        render_with_cache(
            fragments if all(name in ctx.directives for name in names) else None,
            ctx,
            key,
            placed,
            lambda rendered=rendered, sub_number=sub_number: _render_body(ctx, rendered, sub_number, automatic, placed),
        )

    doc_ops.fill_contents(document, contents, ctx.toc, {}, manifest.contents_levels)
    _finish(ctx, plan, plan_title(plan), f"Youth Justice Plan {manifest.period}")
    return RenderedPlan(document=document, ctx=ctx, appendices=separate)


def used_blocks(text: str) -> set[str]:
    """Names of the `::: name` blocks a section's text places."""
    return {match[1] for match in BLOCK_LINE.finditer(text)}


BLOCK_LINE = re.compile(r"^\s*:::\s*([a-z][a-z0-9-]*)", re.M)


def file_digest(path: Path) -> str:
    """SHA-256 of a file, or '' if it cannot be read (the render then reports the problem)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


STEM_NAME_MAX = 100
"""Characters of the service name's slug kept in output file names."""


def document_stem(plan: Plan) -> str:
    """'<service-slug>-<period>-<status>', plus '-v<version>' for a final plan (never overwritten)."""
    manifest = plan.manifest
    # A long service name is shortened so that the names built on the stem ('~$' lock files,
    # '.<name>.XXXXXXXX.partial' temporary files, '-appendix-N.docx') fit the file system's 255.
    name = slug(manifest.service.name)[:STEM_NAME_MAX].rstrip("-")
    stem = f"{name}-{manifest.period}-{manifest.status.value}"
    return f"{stem}-v{manifest.version}" if manifest.status is Status.FINAL else stem


def appendix_file_name(plan: Plan, number: int) -> str:
    """File name of an appendix written as its own document."""
    return f"{document_stem(plan)}-appendix-{number}.docx"
