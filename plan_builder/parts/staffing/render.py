"""Staffing in the document: counts by role and sex, and by role and ethnicity, as two single-header tables."""

from __future__ import annotations

from plan_builder.figures.formatting import long_date
from plan_builder.parts.staffing.model import ROLES, Staffing
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.paragraphs import add_caption
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.xml import add_text_run, align


def _table(
    ctx: RenderContext, staffing: Staffing, title: str, columns: list[str], counts: dict[str, dict[str, int]]
) -> None:
    add_caption(ctx, "Table", title)
    table = start_table(ctx, ["Role", *columns, "Total"])
    rows = [(ROLES[r], [counts[r][c] for c in columns]) for r in staffing.roles]
    rows.append(("Total", [sum(counts[r][c] for r in staffing.roles) for c in columns]))
    for label, values in rows:
        cells = add_body_row(table)
        add_text_run(cells[0].paragraphs[0], label, bold=label == "Total")
        for cell, value in zip(cells[1:], [*values, sum(values)], strict=True):
            add_text_run(cell.paragraphs[0], str(value), bold=label == "Total")
            align(cell.paragraphs[0], "right")
    fit_columns(ctx, table, [26, *[max(9, min(len(c), 16)) for c in columns], 8])


def render_staffing(ctx: RenderContext, staffing: Staffing, call: BlockCall) -> None:
    """`::: staffing`: two tables with single-level headers: by sex, and by ethnicity."""
    when = long_date(staffing.as_at)
    _table(ctx, staffing, f"Staff and volunteers by role and sex at {when}", staffing.sexes, staffing.by_sex)
    _table(
        ctx,
        staffing,
        f"Staff and volunteers by role and ethnicity at {when}",
        staffing.ethnicities,
        staffing.by_ethnicity,
    )
