"""Render stage: assemble a Word document from the plan's merged sections and its blocks.

This is where everything meets: the template is opened, the cover rendered, the contents
page reserved, the front pages placed, each section written with the blocks its author
placed (and those plan-builder places itself), and the contents filled in last. Sections
come from the fragment cache when nothing they show has changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn
from docx.shared import Emu

from plan_builder.documents.plan import (
    cover_fields,
    document_colours,
    footer_text,
    keywords,
    plan_subject,
    plan_title,
    running_fields,
    style_choices,
)
from plan_builder.errors import Problems
from plan_builder.inputs.config import Plan, Status
from plan_builder.inputs.outline import SectionTitle, section_titles
from plan_builder.inputs.templates import TemplateFile, template_file
from plan_builder.outputs.cache import ImageCache
from plan_builder.outputs.digest import data_digest, file_digest
from plan_builder.outputs.fragments import FragmentCache, render_with_cache
from plan_builder.outputs.names import appendix_file_name
from plan_builder.parts.registry import AFTER_CONTENTS, BLOCKS, BY_NAME, bind_blocks, block_data, placed_by_tool, usable
from plan_builder.word import document as doc_ops
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.headers import RunningText, set_header_footer
from plan_builder.word.markdown import render_markdown
from plan_builder.word.page_flow import keep_lead_ins_with_landscape, keep_short_rows_together
from plan_builder.word.paragraphs import add_heading
from plan_builder.word.styles import used_style_ids
from plan_builder.word.template import StyleChoice, open_plan_template, text_width
from plan_builder.word.watermark import add_watermark
from plan_builder.word.xml import add_paragraph, paragraph_property

if TYPE_CHECKING:
    from docx.document import Document
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from plan_builder.inputs.sections import Section

BLOCK_LINE = re.compile(r"^\s*:::\s*([a-z][a-z0-9-]*)", re.M)


@dataclass(frozen=True)
class RenderedSection:
    """A section whose text has been merged with the figures (Jinja done, Markdown not yet)."""

    section: Section
    text: str


@dataclass
class RenderedPlan:
    """The plan document, its render context, and any appendices written as their own documents."""

    document: Document
    ctx: RenderContext
    appendices: list[tuple[int, Section, Document]]
    """(appendix number, section, document) for appendices with `separate_document: true`."""


@dataclass
class _Assembly:
    """What stays the same while one document's sections are written."""

    plan: Plan
    models: Mapping[str, Any]
    env: ImmutableSandboxedEnvironment
    images: ImageCache
    fragments: FragmentCache | None
    automatic: dict[str, list[str]]
    """Heading id -> blocks plan-builder places there (those the author placed nowhere)."""
    digests: dict[str, str]
    template: TemplateFile
    template_digest: str
    styles: dict[str, StyleChoice]
    """plan-builder's style name -> the template's style plan.yaml maps to it (`styles:`)."""
    placed: set[str] = field(default_factory=set)
    """Blocks the tool has placed so far, so none appears twice."""

    def new_context(self) -> RenderContext:
        """A fresh document from the plan's template, with every block bound to this plan's data."""
        template = open_plan_template(self.template.path, self.template.display, self.styles)
        document = template.document
        return RenderContext(
            document=document,
            plan_root=self.plan.root,
            directives=bind_blocks(self.models),
            warnings=template.warnings(),
            text_width=Emu(text_width(document)),
            images=self.images,
            fragments=self.fragments,
            env=self.env,
            template_digest=self.template_digest,
            colours=document_colours(self.plan, template.table_header),
            template=template,
        )


def used_blocks(text: str) -> set[str]:
    """Names of the `::: name` blocks a section's text places."""
    return {match[1] for match in BLOCK_LINE.finditer(text)}


def block_digests(models: Mapping[str, Any], context: tuple[Any, ...]) -> dict[str, str]:
    """Block name -> a hash of the data it shows: a cached section is reused only while that is unchanged."""
    by_data: dict[str, str] = {}
    for block in BLOCKS:
        if block.data and block.data not in by_data:
            by_data[block.data] = data_digest(context, block.data, block_data(block, models))
    return {block.name: by_data.get(block.data, "") for block in BLOCKS}


def render_document(
    plan: Plan,
    sections: list[RenderedSection],
    models: Mapping[str, Any],
    env: ImmutableSandboxedEnvironment,
    *,
    images: ImageCache | None = None,
    fragments: FragmentCache | None = None,
    problems: Problems | None = None,
) -> RenderedPlan:
    """Build the whole document in memory (and separate appendix documents).

    With `problems`, a section that cannot be rendered has its problem recorded there and the
    other sections are still rendered, so one run reports the problems of every section.
    """
    manifest = plan.manifest
    authored = set().union(*(used_blocks(r.text) for r in sections))
    template = template_file(plan, "template")
    automatic = {
        heading: [name for name in names if name not in authored] for heading, names in placed_by_tool(models).items()
    }
    assembly = _Assembly(
        plan=plan,
        models=models,
        env=env,
        images=images or ImageCache(None),
        fragments=fragments,
        automatic=automatic,
        digests=block_digests(models, (manifest.as_of, manifest.service.nation, manifest.status)),
        template=template,
        template_digest=data_digest(
            file_digest(template.path), manifest.styles, manifest.colours, manifest.section_page_breaks
        ),
        styles=style_choices(plan),
    )
    ctx = assembly.new_context()
    _cover(assembly, ctx)
    contents = doc_ops.add_contents(ctx.document)
    for name in assembly.automatic.get(AFTER_CONTENTS, []):
        ctx.directives[name](ctx, BlockCall(where=str(plan.source.path), by_tool=True))
    titles = section_titles([r.section for r in sections], manifest.number_headings)
    separate = []
    for rendered, title in zip(sections, titles, strict=True):
        with problems.gather() if problems is not None else nullcontext():
            if appendix := _section(assembly, ctx, rendered, title):
                separate.append(appendix)
    doc_ops.fill_contents(ctx.document, contents, ctx.toc, {}, manifest.contents_levels)
    doc_ops.drop_empty_last_section(ctx.document)
    _finish(ctx, plan, plan_title(plan), plan_subject(plan))
    if ctx.template is not None and ctx.template.unreadable:
        ctx.warnings += ctx.template.readability_warnings(used_style_ids(ctx.document))
    return RenderedPlan(document=ctx.document, ctx=ctx, appendices=separate)


def _cover(assembly: _Assembly, ctx: RenderContext) -> None:
    """The cover page from the cover template, through the fragment cache."""
    plan = assembly.plan
    cover = template_file(plan, "cover_template")
    fields = cover_fields(plan)
    render_with_cache(
        assembly.fragments,
        ctx,
        ["cover", assembly.template_digest, file_digest(cover.path), fields],
        set(),
        lambda: doc_ops.render_docx_template(cover.path, cover.display, fields, assembly.env, ctx.document),
    )


def _section(
    assembly: _Assembly, ctx: RenderContext, rendered: RenderedSection, heading: SectionTitle
) -> tuple[int, Section, Document] | None:
    """Write one section (or, for a separate appendix, a pointer to it); return a separate appendix's document."""
    plan, section = assembly.plan, rendered.section
    title, sub_number = heading.text, heading.sub_number
    _section_heading(ctx, title, plan.manifest.section_page_breaks)
    if section.separate_document:
        number = heading.appendix
        add_paragraph(
            ctx.document, f"This appendix is published as a separate document: {appendix_file_name(plan, number)}."
        )
        own = assembly.new_context()
        _section_heading(own, title, plan.manifest.section_page_breaks)
        _render_body(assembly, own, rendered, sub_number)
        _finish(own, plan, f"{plan_title(plan)}, {title}", f"{plan_subject(plan)}, {title}")
        return number, section, own.document
    automatic = assembly.automatic.get(section.heading_id, [])
    names = sorted(set(automatic) | used_blocks(rendered.text) | set(section.blocks))
    key: list[object] = [
        "section",
        assembly.template_digest,
        str(section.path),
        section.heading_id,
        title,
        sub_number,
        rendered.text,
    ]
    key += [automatic, list(section.blocks), {name: assembly.digests.get(name, "") for name in names}]
    render_with_cache(
        assembly.fragments,
        ctx,
        key,
        assembly.placed,
        lambda: _render_body(assembly, ctx, rendered, sub_number),
    )
    return None


def _section_heading(ctx: RenderContext, title: str, new_page: bool) -> None:
    """A section's Heading 1, starting a new page or not as plan.yaml says (`section_page_breaks`).

    The paragraph says so itself, so the template's heading style does not decide it.
    """
    paragraph = add_heading(ctx, title, 1)
    flag = paragraph_property(paragraph._p.get_or_add_pPr(), "w:pageBreakBefore")
    if not new_page:
        flag.set(qn("w:val"), "0")


def _render_body(assembly: _Assembly, ctx: RenderContext, rendered: RenderedSection, sub_number: str) -> None:
    """Render a section's Markdown, then the blocks plan-builder places in it that are not placed yet."""
    section = rendered.section
    render_markdown(ctx, rendered.text, path=section.path, first_line=section.body_line, number=sub_number)
    for name in section.blocks:  # a document kind's default outline, in its order
        if name in assembly.placed:
            continue
        if usable(name, assembly.models):
            ctx.directives[name](ctx, BlockCall(where=str(section.path), by_tool=True))
            assembly.placed.add(name)
        else:
            add_paragraph(ctx.document, f"Not shown: this plan folder has no data for {BY_NAME[name].summary}.")
    for name in assembly.automatic.get(section.heading_id, []):  # then the rest of what goes under its heading
        if name not in assembly.placed:
            ctx.directives[name](ctx, BlockCall(where=str(section.path), by_tool=True))
            assembly.placed.add(name)
    doc_ops.end_landscape(ctx)


def _finish(ctx: RenderContext, plan: Plan, title: str, subject: str) -> None:
    """Header, footer, watermark and properties: the same for the plan and separate appendices."""
    manifest = plan.manifest
    document = ctx.document
    doc_ops.space_after_tables(document)
    keep_lead_ins_with_landscape(document)
    keep_short_rows_together(document)
    doc_ops.avoid_double_page_breaks(document)
    running = RunningText(manifest.service.header_name, plan_subject(plan), footer_text(plan), running_fields(plan))
    template = ctx.template
    set_header_footer(document, running, template.running if template else {}, template_file(plan, "template").display)
    if manifest.status is not Status.FINAL:
        add_watermark(document, manifest.status.label.upper())
    doc_ops.set_properties(
        document,
        title=title,
        subject=subject,
        author=manifest.service.name,
        keywords=keywords(plan),
        language=manifest.language,
        as_of=manifest.as_of,
        version=manifest.version,
        status=manifest.status.label,
    )
