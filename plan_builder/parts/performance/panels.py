"""Headline panels for a board performance report: one per national indicator.

Each panel gives the latest and previous period with the counts behind them, the change in
words with the direction of travel, the RAG rating (a word) with its reason, the comparators,
and the small-number caveat where the denominator counts few children: what the board reads
first, as a quarterly report's headline page shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plan_builder.figures.figure import Figure, format_figure
from plan_builder.parts.performance.render import note, rag_cell, write_cell
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.paragraphs import add_caption, add_subheading, add_text
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.xml import add_paragraph

if TYPE_CHECKING:
    from plan_builder.figures.result import PerformanceResult, SummaryRow

COUNT_WORDS = {
    "fte_count": "first time entrants",
    "population_10_17": "children aged 10-17",
    "custodial_sentences": "custodial sentences",
    "children": "children in the cohort",
    "reoffenders": "children who reoffended",
    "reoffences": "proven reoffences",
}


def counts_text(figure: Figure) -> str:
    """The counts behind a figure in words: '61 first time entrants; 31,500 children aged 10-17'."""
    parts = [
        f"{int(value):,} {COUNT_WORDS.get(name, name.replace('_', ' '))}" if value is not None else f"{name} missing"
        for name, value in figure.inputs.items()
    ]
    return "; ".join(parts) or "as reported"


def change_sentence(row: SummaryRow) -> str:
    """'+16.2% on Jan-Dec 2023, worsening.' in words, or why there is no change."""
    change = row.change
    if change is None or change.value is None or row.previous is None:
        return "No earlier period to compare with."
    shown = format_figure(change)
    return f"Change: {shown} on {row.previous.period}, {change.direction or 'direction not known'}."


def comparators_sentence(row: SummaryRow) -> str:
    """'YJS family 149; England and Wales 137.' for the comparators the data has."""
    found = [(name, figure) for name, figure in (("YJS family", row.family), ("England and Wales", row.national))]
    shown = [f"{name} {format_figure(f, short=True)}" for name, f in found if f is not None and f.value is not None]
    return ("Comparators for the same period: " + "; ".join(shown) + ".") if shown else "No comparator figures."


def _panel(ctx: RenderContext, row: SummaryRow) -> None:
    add_subheading(ctx, row.label.split(": ", 1)[-1])
    add_caption(ctx, "Table", row.label)
    table = start_table(ctx, ["Period", "Value", "Counts", "RAG"])
    for figure in (row.latest, row.previous):
        if figure is None:
            continue
        cells = add_body_row(table)
        write_cell(cells[0], figure.period)
        write_cell(cells[1], format_figure(figure, short=True) + (" *" if figure.caveat else ""), right=True)
        write_cell(cells[2], counts_text(figure))
        if figure is row.latest:
            rag_cell(cells[3], figure.rag, figure.direction or "", colours=ctx.colours)
        else:
            write_cell(cells[3], "")
    fit_columns(ctx, table, [16, 10, 40, 14])
    text = f"{change_sentence(row)} {comparators_sentence(row)}"
    if row.latest.rag_reason:
        text += f" RAG: {row.latest.rag.value if row.latest.rag else 'Not rated'}, {row.latest.rag_reason}."
    if row.latest.caveat:
        text += f" * {row.latest.caveat[0].upper()}{row.latest.caveat[1:]}."
    add_text(add_paragraph(ctx.document), text)


def render_panels(ctx: RenderContext, result: PerformanceResult, call: BlockCall) -> None:
    """`::: indicator-panels`: a headline panel for each national indicator (FTE, reoffending, custody)."""
    # The headline of each: FTE, the 12-month reoffending cohort and custody (3-month cohorts swing too much).
    rows = [r for r in result.summary if r.latest.id.startswith(("fte.", "reoffending.annual.", "custody."))]
    for row in rows:
        _panel(ctx, row)
    note(
        ctx,
        "Values are computed from the counts and rounded for display only. Change compares the latest period with "
        "the same period a year earlier.",
    )
