"""Front pages in the document: the version history, the changes since the last version and outstanding data.

Each starts a page of its own after the contents page, headed in the contents-heading
style (they are about the document, so they are not numbered sections).
"""

from __future__ import annotations

from plan_builder.figures.formatting import long_date
from plan_builder.inputs.config import Status
from plan_builder.parts.front.model import FrontPages
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.xml import add_paragraph, add_text_run


def render_outstanding(ctx: RenderContext, front: FrontPages, call: BlockCall) -> None:
    """`::: outstanding-data`: the data this draft is still waiting for."""
    outstanding = front.outstanding
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


def render_document_control(ctx: RenderContext, front: FrontPages, call: BlockCall) -> None:
    """`::: document-control`: the version history from plan.yaml, newest first."""
    history = front.history
    heading = add_paragraph(ctx.document, "Document control", "TOC Heading")
    heading.paragraph_format.page_break_before = True
    table = start_table(ctx, ["Version", "Date", "Author", "Summary of changes"])
    for entry in sorted(history, key=lambda e: e.date, reverse=True):
        cells = add_body_row(table)
        for cell, text in zip(cells, (entry.version, long_date(entry.date), entry.author, entry.summary), strict=True):
            add_text_run(cell.paragraphs[0], text)
    fit_columns(ctx, table, [8, 12, 20, 50])


def render_changes(ctx: RenderContext, front: FrontPages, call: BlockCall) -> None:
    """`::: changes`: 'Changes since version N' for the board, in words: sections, figures and rows."""
    changes = front.changes
    if changes is None:  # the registry offers this block only with changes
        return
    old = changes.old_version
    heading = add_paragraph(ctx.document, f"Changes since version {old}", "TOC Heading")
    heading.paragraph_format.page_break_before = True
    add_paragraph(ctx.document, f"Compared with {changes.old_label}: {changes.summary()}")
    if changes.status:
        before, after = (Status(value).label.lower() if value in STATUSES else value for value in changes.status)
        add_paragraph(ctx.document, f"The status changed from {before} to {after}.")
    if changes.sections:
        _label(ctx, "Sections")
        for section in changes.sections:
            add_paragraph(ctx.document).add_run(section.heading()).bold = True
            for line in section.details():
                add_paragraph(ctx.document, line, "List Bullet")
    if changes.figures:
        _label(ctx, "Figures")
        _change_table(ctx, ["Figure", f"Version {old}", "Now"], [(f.name, f.old, f.new) for f in changes.figures])
    if changes.rows:
        _label(ctx, "Risks, actions, budget and National Standards")
        rows = [(row.what, *_row_values(row.kind, row.old, row.new, old)) for row in changes.rows]
        _change_table(ctx, ["Item", f"Version {old}", "Now"], rows)


STATUSES = {status.value for status in Status}


def _label(ctx: RenderContext, text: str) -> None:
    add_paragraph(ctx.document).add_run(text).bold = True


def _row_values(kind: str, before: str, after: str, version: str) -> tuple[str, str]:
    if kind == "added":
        return f"not in version {version}", "added"
    if kind == "removed":
        return "in the plan", "removed"
    return before or "blank", after or "blank"


def _change_table(ctx: RenderContext, headers: list[str], rows: list[tuple[str, str, str]]) -> None:
    table = start_table(ctx, headers)
    for texts in rows:
        for cell, text in zip(add_body_row(table), texts, strict=True):
            add_text_run(cell.paragraphs[0], text)
    fit_columns(ctx, table, [40, 15, 15])
