"""Render stage: turn the loaded plan, its sections and computed figures into a Word document.

This is where everything meets: the template is opened, the cover rendered,
the contents page reserved, each section's text merged with figures and
written, structured blocks placed, and the contents filled in last.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan_builder import document as doc_ops
from plan_builder.config import Plan, Signatory, Status
from plan_builder.docx_xml import add_paragraph
from plan_builder.formatting import long_date
from plan_builder.markdown_render import (
    Directive,
    RenderContext,
    add_body_row,
    add_heading,
    fit_columns,
    render_markdown,
    start_table,
)
from plan_builder.pending import PendingItem
from plan_builder.watermark import add_watermark

if TYPE_CHECKING:
    from docx.document import Document
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from plan_builder.sections import Section


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
    ctx.document.add_paragraph(
        "This draft is waiting for the data below. Wherever a figure depends on it, the text shows "
        "a highlighted 'Data due' placeholder. The final plan cannot be built until all of it has arrived."
    )
    table = start_table(ctx, ["Data", "Source", "Due"])
    for item in outstanding:
        cells = add_body_row(table)
        cells[0].paragraphs[0].add_run(item.what)
        cells[1].paragraphs[0].add_run(item.source)
        cells[2].paragraphs[0].add_run(item.due)
    fit_columns(ctx, table)


def render_plan(
    plan: Plan,
    sections: list[RenderedSection],
    env: ImmutableSandboxedEnvironment,
    directives: dict[str, Directive],
    automatic: dict[str, list[str]],
    outstanding: list[PendingItem] | None = None,
    cache_dir: Path | None = None,
) -> tuple[Document, RenderContext]:
    """Build the whole document in memory.

    `directives` maps block names ('::: risk-register') to renderers; `automatic`
    maps a YJB heading id to the blocks placed at the end of that section when the
    author has not placed a block of that name themselves (e.g. 'sign-off' -> ['signoff']).
    """
    manifest = plan.manifest
    template_path = plan.path(manifest.template)
    document = doc_ops.open_template(template_path, Path(manifest.template))
    ctx = RenderContext(document=document, plan_root=plan.root, directives=dict(directives), cache_dir=cache_dir)

    def signoff(ctx: RenderContext, argument: str, where: str) -> None:
        doc_ops.render_docx_template(
            plan.path(manifest.signoff_template),
            Path(manifest.signoff_template),
            signoff_context(plan),
            env,
            ctx.document,
        )

    ctx.directives.setdefault("signoff", signoff)
    ctx.directives.setdefault("landscape", lambda ctx, argument, where: doc_ops.begin_landscape(ctx))
    ctx.directives.setdefault("portrait", lambda ctx, argument, where: doc_ops.end_landscape(ctx))
    automatic = {"sign-off": ["signoff"], **automatic}

    doc_ops.render_docx_template(
        plan.path(manifest.cover_template), Path(manifest.cover_template), cover_context(plan), env, document
    )
    contents = doc_ops.add_contents(document)
    if outstanding and manifest.status is not Status.FINAL:
        add_outstanding(ctx, outstanding)

    number = 0
    appendix = 0
    placed: set[str] = set()  # automatic blocks already placed, so none appears twice
    for rendered in sections:
        section = rendered.section
        if section.is_appendix:
            appendix += 1
            title = f"Appendix {appendix}: {section.title}"
            sub_number = ""
        elif section.numbered and manifest.number_headings:
            number += 1
            title = f"{number}. {section.title}"
            sub_number = str(number)
        else:
            title = section.title
            sub_number = ""
        add_heading(ctx, title, 1)
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

    doc_ops.space_after_tables(document)
    doc_ops.avoid_double_page_breaks(document)
    doc_ops.fill_contents(document, contents, ctx.toc, {}, manifest.contents_levels)
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
        title=plan_title(plan),
        subject=f"Youth Justice Plan {manifest.period}",
        author=manifest.service.name,
        keywords=f"youth justice plan; {manifest.period}; {manifest.service.name}",
        language=manifest.language,
        as_of=manifest.as_of,
        version=manifest.version,
        status=manifest.status.label,
    )
    return document, ctx
