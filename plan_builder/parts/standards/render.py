"""National Standards self-assessment in the document: the grades table and each standard's summary and priorities."""

from __future__ import annotations

from plan_builder.figures.formatting import long_date
from plan_builder.parts.standards.model import STANDARDS, StandardsAssessment
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.paragraphs import add_caption, add_heading, add_subheading
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.xml import add_paragraph, add_text_run


def render_standards(ctx: RenderContext, assessment: StandardsAssessment, call: BlockCall) -> None:
    """`::: national-standards`: a summary table of grades, then each standard's priorities."""
    data = assessment.data
    add_subheading(ctx, "Self-assessment grades and priorities")
    validated = (
        f"validated by the {data.validated_by} on {long_date(data.validated)}"
        if data.validated
        else "not yet validated"
    )
    add_caption(ctx, "Table", f"National Standards self-assessment, assessed {long_date(data.assessed)}, {validated}")
    table = start_table(ctx, ["Standard", "Operational grade", "Strategic grade"])
    for entry in assessment.standards:
        cells = add_body_row(table)
        add_text_run(cells[0].paragraphs[0], STANDARDS[entry.standard])
        add_text_run(cells[1].paragraphs[0], entry.operational.text)
        add_text_run(cells[2].paragraphs[0], entry.strategic.text)
    fit_columns(ctx, table, [34, 24, 24])
    scale = add_paragraph(ctx.document, style="Caption")
    add_text_run(scale, f"Grades on the scale: {', '.join(data.scale)}.", bold=False)
    for entry in assessment.standards:
        add_heading(ctx, STANDARDS[entry.standard], 3, in_toc=False)
        if entry.summary:
            add_paragraph(ctx.document, entry.summary)
        if entry.existing_priorities:
            add_paragraph(ctx.document).add_run("Progress on existing priorities").bold = True
            for item in entry.existing_priorities:
                paragraph = add_paragraph(ctx.document, style="List Bullet")
                add_text_run(paragraph, item.priority, bold=True)
                if item.progress:
                    add_text_run(paragraph, f": {item.progress}")
        if entry.new_priorities:
            add_paragraph(ctx.document).add_run("New priorities").bold = True
            for text in entry.new_priorities:
                add_paragraph(ctx.document, text, "List Bullet")
