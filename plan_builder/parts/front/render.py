"""Front pages in the document: the version history, the changes since the last version and outstanding data.

Each starts a page of its own after the contents page, headed in the contents-heading
style (they are about the document, so they are not numbered sections).
"""

from __future__ import annotations

from plan_builder.figures.formatting import long_date
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
    """`::: changes`: 'Changes since version N' for the board: figures, sections and data that changed."""
    changes = front.changes
    if changes is None:  # the registry offers this block only with changes
        return
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
