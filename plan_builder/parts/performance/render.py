"""Performance blocks in the document: summary table, trend charts with data tables, KPI table.

RAG is always a word in the cell; the fill colour only adds to it, and every
fill/text pair meets the 4.5:1 contrast ratio.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH

from plan_builder import palette
from plan_builder.errors import SectionError
from plan_builder.figures.figure import Figure, Rag, format_figure
from plan_builder.figures.pending import PendingItem, PendingValue
from plan_builder.parts.performance.charts import chart_alt_text, chart_png
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.document import begin_landscape, end_landscape
from plan_builder.word.paragraphs import add_caption, add_text
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.xml import add_paragraph, add_text_run, align, set_alt_text, shade_cell

if TYPE_CHECKING:
    from docx.table import _Cell

    from plan_builder.figures.metrics import PerformanceResult, Series, SummaryRow

RAG_COLOURS = {rag: palette.RAG[rag.value] for rag in Rag}
"""The default rating colours (plan.yaml's `colours:` can change them for a plan)."""

DATASET_LABELS = {
    "fte": "First time entrants",
    "reoffending": "Reoffending",
    "custody": "Use of custody",
    "kpis": "Key performance indicators",
}
DEFAULT_CHARTS = ("fte.rate", "reoffending.annual.binary", "custody.rate")


def _shown(figure: Figure | None) -> str:
    return format_figure(figure, short=True) if figure is not None else "n/a"


def rag_cell(cell: _Cell, rag: Rag | None, extra: str = "", colours: palette.Colours | None = None) -> None:
    """Write the RAG word (and `extra`, e.g. the direction) and colour the cell (`colours`: the plan's)."""
    rag = rag or Rag.NOT_RATED
    fill, text = (colours or palette.Colours()).rag[rag.value]
    shade_cell(cell, fill)
    add_text_run(
        cell.paragraphs[0], rag.value + (f" ({extra})" if extra else ""), bold=rag is not Rag.NOT_RATED, colour=text
    )


def _write(cell: _Cell, text: str, *, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    add_text(paragraph, text)
    if right:
        align(paragraph, "right")


def _note(ctx: RenderContext, text: str) -> None:
    paragraph = add_paragraph(ctx.document, style="Caption")
    add_text_run(paragraph, text, bold=False)


def pending_paragraph(ctx: RenderContext, item: PendingItem, what: str) -> None:
    """A visible placeholder where a block cannot be drawn yet."""
    add_text(add_paragraph(ctx.document), f"{what} not yet available. {PendingValue(item)}")


def summary_table(
    ctx: RenderContext, rows: list[SummaryRow], title: str, pending: list[PendingItem] | None = None
) -> None:
    """Indicator | Latest | Previous | Change | YJS family | England and Wales | RAG."""
    add_caption(ctx, "Table", title)
    headers = ["Indicator", "Latest", "Previous", "Change", "Family", "National", "RAG"]
    table = start_table(ctx, headers)
    caveats = []
    pending = pending or []
    for item in pending:
        if "." in item.what:
            continue
        cells = add_body_row(table)
        _write(cells[0], DATASET_LABELS.get(item.what, item.what))
        _write(cells[1], str(PendingValue(item)))
        for cell in cells[2:6]:
            _write(cell, "n/a", right=True)
        rag_cell(cells[6], None, colours=ctx.colours)
    for row in rows:
        held = next((i for i in pending if i.what == row.latest.id), None)
        if held is not None:
            cells = add_body_row(table)
            _write(cells[0], row.label)
            _write(cells[1], str(PendingValue(held)))
            for cell in cells[2:6]:
                _write(cell, "n/a", right=True)
            rag_cell(cells[6], None, colours=ctx.colours)
            continue
        cells = add_body_row(table)
        period = row.latest.period + (f" (previous {row.previous.period})" if row.previous else "")
        _write(cells[0], f"{row.label}, {period}")
        latest = _shown(row.latest)
        if row.latest.caveat:
            caveats.append(f"{row.label}: {row.latest.caveat}.")
            latest += " *"
        _write(cells[1], latest, right=True)
        _write(cells[2], _shown(row.previous), right=True)
        change = _shown(row.change)
        if row.change is not None and row.change.direction:
            change += f" ({row.change.direction})"
        _write(cells[3], change, right=True)
        _write(cells[4], _shown(row.family) if row.family and row.family.value is not None else "n/a", right=True)
        _write(cells[5], _shown(row.national) if row.national and row.national.value is not None else "n/a", right=True)
        rag_cell(cells[6], row.latest.rag, colours=ctx.colours)
    fit_columns(ctx, table, [44, 10, 10, 18, 10, 10, 10])
    notes = (
        "Family is the YJS family of statistically similar services; National is England and Wales. "
        "RAG compares the latest value with the YJS family, or with the local target where one is set. "
        "Change is year on year; for percentages it is in percentage points. n/a means no comparable figure."
    )
    if caveats:
        notes += " * " + " ".join(caveats)
    _note(ctx, notes)


def chart_block(ctx: RenderContext, series: Series) -> None:
    """Caption, chart with alt text, basis note, and the chart's data as a table."""
    add_caption(ctx, "Figure", f"{series.title}, {series.periods[0]} to {series.periods[-1]}")
    figure_number = ctx.figure_count
    paragraph = add_paragraph(ctx.document)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = paragraph.add_run().add_picture(io.BytesIO(chart_png(series, ctx.images)), width=ctx.text_width)
    set_alt_text(shape, chart_alt_text(series), series.title)
    if series.measure.basis:
        _note(
            ctx,
            f"Basis: {series.measure.basis}. "
            "Figures are computed from the counts in the data and rounded for display only.",
        )
    add_caption(ctx, "Table", f"Data for figure {figure_number}: {series.title.lower()}")
    areas = list(series.lines)
    table = start_table(ctx, ["Period", *areas])
    for index, period in enumerate(series.periods):
        cells = add_body_row(table)
        _write(cells[0], period)
        for column, area in enumerate(areas, start=1):
            value = series.lines[area][index]
            shown = (
                "n/a"
                if value is None
                else format_figure(Figure(id="", label="", value=value, unit=series.measure.unit))
            )
            _write(cells[column], shown, right=True)
    fit_columns(ctx, table, [14] + [max(10, len(a)) for a in areas])


def kpi_table(ctx: RenderContext, result: PerformanceResult) -> None:
    """Every KPI measure with numerator and denominator, change, national figure and RAG."""
    latest = [f for ident, f in result.figures.items() if ident.startswith("kpi.") and ".latest." in ident]
    periods = [f.period for f in latest]
    common = max(set(periods), key=periods.count) if periods else ""
    add_caption(ctx, "Table", f"The ten YJB key performance indicators, {common or 'latest quarter'}")
    table = start_table(ctx, ["KPI and measure", "Latest", "Counts", "Change", "National", "RAG"])
    for figure_id, figure in result.figures.items():
        if not figure_id.startswith("kpi.") or ".latest." not in figure_id:
            continue
        prefix, _, measure = figure_id.partition(".latest.")
        cells = add_body_row(table)
        _write(cells[0], figure.label if figure.period == common else f"{figure.label} ({figure.period})")
        _write(cells[1], _shown(figure) + (" *" if figure.caveat else ""), right=True)
        inputs = [v for v in figure.inputs.values()]
        counts = " / ".join("n/a" if v is None else f"{int(v):,}" for v in inputs)
        _write(cells[2], counts, right=True)
        change = result.figures.get(f"{prefix}.change.{measure}")
        text = _shown(change)
        if change is not None and change.direction:
            text += f" ({change.direction})"
        _write(cells[3], text, right=True)
        national = result.figures.get(f"{prefix}.national.{measure}")
        _write(cells[4], _shown(national) if national and national.value is not None else "n/a", right=True)
        if figure.rag is not None:
            rag_cell(cells[5], figure.rag, colours=ctx.colours)
        else:
            _write(cells[5], "Not rated")
    fit_columns(ctx, table, [50, 10, 12, 18, 11, 11])
    _note(
        ctx,
        "Counts are numerator / denominator. Change is on the previous quarter, in percentage points. "
        "National is England and Wales. * Small number: rates can swing widely from quarter to quarter.",
    )


def cached_block(ctx: RenderContext, kind: str, data: object, render: Callable[[], None]) -> None:
    """Render one block through the fragment cache, keyed by its own data, the template and the page it is on.

    A data change then redraws only the blocks that show that data, not the whole section.
    """
    from plan_builder.outputs.fragments import render_with_cache

    render_with_cache(
        ctx.fragments,
        ctx,
        ["block", kind, ctx.template_digest, repr(data), int(ctx.text_width), ctx.landscape],
        set(),
        render,
    )


def render_summary(ctx: RenderContext, result: PerformanceResult, call: BlockCall) -> None:
    """`::: performance-summary`: national then local indicators on a landscape page."""
    national = [r for r in result.summary if not r.latest.id.startswith(("kpi.", "local."))]
    local = [r for r in result.summary if r.latest.id.startswith("local.")]

    def draw() -> None:
        begin_landscape(ctx)
        summary_table(ctx, national + local, "Performance summary: national and local indicators", result.pending)
        end_landscape(ctx)

    cached_block(ctx, "performance-summary", (national, local, result.pending), draw)


def render_charts(ctx: RenderContext, result: PerformanceResult, call: BlockCall) -> None:
    """`::: chart ID [ID...]`: trend charts, each with its caption, alt text and data table."""
    ids = call.argument.split() or list(DEFAULT_CHARTS)
    for series_id in ids:
        item = result.pending_for(series_id)
        if item is not None:
            pending_paragraph(ctx, item, f"The chart of {series_id.replace('.', ' ').replace('_', ' ')} is")
            continue
        if series_id not in result.series:
            known = ", ".join(result.series) or "none (no performance data)"
            raise SectionError(f"{call.where}: '::: chart {series_id}': unknown chart; expected one of: {known}")
        series = result.series[series_id]
        cached_block(ctx, "chart", series, functools.partial(chart_block, ctx, series))


def render_kpis(ctx: RenderContext, result: PerformanceResult, call: BlockCall) -> None:
    """`::: kpi-table`: the ten KPIs on a landscape page, or the 'Data due' placeholder."""
    item = result.pending_for("kpi.")
    if item is not None and not any(ident.startswith("kpi.") for ident in result.figures):
        pending_paragraph(ctx, item, "The KPI table is")
        return

    def draw() -> None:
        begin_landscape(ctx)
        kpi_table(ctx, result)
        end_landscape(ctx)

    kpi_figures = {k: f for k, f in result.figures.items() if k.startswith("kpi.")}
    cached_block(ctx, "kpi-table", kpi_figures, draw)
