"""Performance blocks in the document: summary table, trend charts with data tables, KPI table.

RAG is always a word in the cell; the fill colour only adds to it, and every
fill/text pair meets the 4.5:1 contrast ratio.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from docx.enum.text import WD_ALIGN_PARAGRAPH

from plan_builder import palette
from plan_builder.errors import SectionError
from plan_builder.figures.figure import Figure, Rag, format_figure
from plan_builder.figures.measures import series_label
from plan_builder.figures.pending import PendingItem, PendingValue
from plan_builder.parts.performance.charts import chart_alt_text, chart_png
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.document import begin_landscape, end_landscape
from plan_builder.word.images import add_picture
from plan_builder.word.paragraphs import add_caption, add_text
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.xml import add_paragraph, add_text_run, align, set_alt_text, shade_cell

if TYPE_CHECKING:
    from docx.table import _Cell

    from plan_builder.figures.result import PerformanceResult, Series, SummaryRow

RAG_COLOURS = {rag: palette.RAG[rag.value] for rag in Rag}
"""The default rating colours (plan.yaml's `colours:` can change them for a plan)."""

DATASET_LABELS = {
    "fte": "First time entrants",
    "reoffending": "Reoffending",
    "custody": "Use of custody",
    "kpis": "Key performance indicators",
    "local": "Local indicators",
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


def write_cell(cell: _Cell, text: str, *, right: bool = False) -> None:
    """Write plain text into a table cell, right-aligned for numbers."""
    paragraph = cell.paragraphs[0]
    add_text(paragraph, text)
    if right:
        align(paragraph, "right")


def note(ctx: RenderContext, text: str) -> None:
    """A note under a table or chart, in the Caption style."""
    paragraph = add_paragraph(ctx.document, style="Caption")
    add_text_run(paragraph, text, bold=False)


def pending_paragraph(ctx: RenderContext, item: PendingItem, what: str) -> None:
    """A visible placeholder where a block cannot be drawn yet."""
    add_text(add_paragraph(ctx.document), f"{what} not yet available. {PendingValue(item)}")


def not_received(ctx: RenderContext, text: str) -> None:
    """A sentence in place of a table or chart whose data the plan does not have: words, never an empty table."""
    add_text(add_paragraph(ctx.document), text)


DATASET_OF_PREFIX = {"fte": "fte", "reoffending": "reoffending", "custody": "custody", "kpi": "kpis", "local": "local"}
"""A series or figure id's first part -> the dataset it comes from."""


def _unavailable(result: PerformanceResult, series_id: str) -> PendingItem | None:
    """The pending or unreadable dataset (or figure) a chart waits for, if any."""
    item = result.pending_for(series_id)
    if item is not None:
        return item
    dataset = DATASET_OF_PREFIX.get(series_id.split(".")[0], "")
    return next((b for b in result.broken if b.what == dataset), None)


def summary_table(
    ctx: RenderContext,
    rows: list[SummaryRow],
    title: str,
    pending: list[PendingItem] | None = None,
    sources: dict[str, str] | None = None,
) -> None:
    """Indicator | Latest | Previous | Change | YJS family | England and Wales | RAG."""
    add_caption(ctx, "Table", title)
    headers = ["Indicator", "Latest", "Previous", "Change", "Family", "National", "RAG"]
    table = start_table(ctx, headers)
    caveats = []
    pending = pending or []
    sources = sources or {}
    for item in pending:
        if "." in item.what:
            continue
        cells = add_body_row(table)
        write_cell(cells[0], DATASET_LABELS.get(item.what, item.what))
        write_cell(cells[1], str(PendingValue(item)))
        for cell in cells[2:6]:
            write_cell(cell, "n/a", right=True)
        rag_cell(cells[6], None, colours=ctx.colours)
    for row in rows:
        held = next((i for i in pending if i.what == row.latest.id), None)
        if held is not None:
            cells = add_body_row(table)
            write_cell(cells[0], row.label)
            write_cell(cells[1], str(PendingValue(held)))
            for cell in cells[2:6]:
                write_cell(cell, "n/a", right=True)
            rag_cell(cells[6], None, colours=ctx.colours)
            continue
        cells = add_body_row(table)
        period = row.latest.period + (f" (previous {row.previous.period})" if row.previous else "")
        write_cell(cells[0], f"{row.label}, {period}")
        latest = _shown(row.latest)
        if row.latest.caveat:
            caveats.append(f"{row.label}: {row.latest.caveat}.")
            latest += " *"
        write_cell(cells[1], latest, right=True)
        write_cell(cells[2], _shown(row.previous), right=True)
        change = _shown(row.change)
        if row.change is not None and row.change.direction:
            change += f" ({row.change.direction})"
        write_cell(cells[3], change, right=True)
        write_cell(cells[4], _shown(row.family), right=True)  # a comparator the source withholds says so
        write_cell(cells[5], _shown(row.national), right=True)
        rag_cell(cells[6], row.latest.rag, colours=ctx.colours)
    fit_columns(ctx, table, [44, 10, 10, 18, 10, 10, 10])
    note(ctx, _summary_note(rows, caveats, sources))


def _summary_note(rows: list[SummaryRow], caveats: list[str], sources: dict[str, str]) -> str:
    """What the summary table's columns mean, its caveats, and where its data come from."""
    notes = (
        "Family is the YJS family of statistically similar services; National is England and Wales. "
        "RAG compares the latest value with the YJS family, or with the local target or rule where one is set. "
        "Change compares the latest period with the previous one shown: per cent change for counts and rates, "
        "percentage points for percentages"
        + (
            ", and the difference in the indicator's own unit where shown without a % sign"
            if any(r.change is not None and r.change.signed for r in rows)
            else ""
        )
        + ". n/a means no comparable figure"
        + ("; 'suppressed', a figure the source withholds (never counted as zero)." if _withheld(rows) else ".")
    )
    if caveats:
        notes += " * " + " ".join(caveats)
    if sources:
        notes += " Sources: " + "; ".join(f"{DATASET_LABELS.get(k, k)}: {v}" for k, v in sources.items()) + "."
    return notes


def _withheld(rows: list[SummaryRow]) -> bool:
    """True when a figure in the summary is one the source withholds."""
    return any(f is not None and f.gap for r in rows for f in (r.latest, r.previous, r.family, r.national))


def chart_block(ctx: RenderContext, series: Series) -> None:
    """Caption, chart with alt text, basis note, and the chart's data as a table."""
    add_caption(ctx, "Figure", f"{series.title}, {series.periods[0]} to {series.periods[-1]}")
    figure_number = ctx.figure_count
    paragraph = add_paragraph(ctx.document)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = add_picture(ctx, paragraph, io.BytesIO(chart_png(series, ctx.images)), width=ctx.text_width)
    set_alt_text(shape, chart_alt_text(series), series.title)
    basis = "; ".join(part for part in (series.measure.basis, series.basis) if part)
    periods = f"Periods: {series.shape}. " if series.shape else ""
    source = f"Source: {series.source}. " if series.source else ""
    gaps = sorted({word for words in series.gaps.values() for word in words if word})
    withheld = (
        f"Values shown as {' or '.join(repr(word) for word in gaps)} are withheld in the source (small numbers "
        "are suppressed to protect children's identities); they are left out of the chart, never counted as zero. "
        if gaps
        else ""
    )
    if basis or periods or source:
        note(
            ctx,
            f"{periods}Basis: {basis or 'as reported'}. {source}{withheld}"
            "Figures are computed from the counts in the data and rounded for display only.",
        )
    add_caption(ctx, "Table", f"Data for figure {figure_number}: {series.title.lower()}")
    areas = list(series.lines)
    table = start_table(ctx, ["Period", *areas])
    for index, period in enumerate(series.periods):
        cells = add_body_row(table)
        write_cell(cells[0], period)
        for column, area in enumerate(areas, start=1):
            value = series.lines[area][index]
            gap = series.gaps.get(area, [""] * len(series.periods))[index]
            shown = (
                (gap or "n/a")
                if value is None
                else format_figure(Figure(id="", label="", value=value, unit=series.measure.unit))
            )
            write_cell(cells[column], shown, right=True)
    fit_columns(ctx, table, [14] + [max(10, len(a)) for a in areas])


def _kpi_latest(ident: str, figure: Figure) -> bool:
    """A KPI measure's headline latest figure (not its repeats under a shape's or a period's id)."""
    return ident.startswith("kpi.") and ".latest." in ident and not figure.alias_of


def kpi_table(ctx: RenderContext, result: PerformanceResult) -> None:
    """Every KPI measure with numerator and denominator, change, national figure and RAG."""
    latest = [f for ident, f in result.figures.items() if _kpi_latest(ident, f)]
    periods = [f.period for f in latest]
    common = max(set(periods), key=periods.count) if periods else ""
    add_caption(ctx, "Table", f"The ten YJB key performance indicators, {common or 'latest quarter'}")
    notes: dict[str, Any] = result.kpi_notes
    adopters = any(getattr(n, "adopter", "") for n in notes.values())
    headers = ["KPI and measure", "Latest", "Counts", "Change", "National", "RAG"]
    table = start_table(ctx, [*headers, "Adopter"] if adopters else headers)
    for figure_id, figure in result.figures.items():
        if not _kpi_latest(figure_id, figure):
            continue
        prefix, _, measure = figure_id.partition(".latest.")
        cells = add_body_row(table)
        if adopters:
            note_of = notes.get(prefix.split(".")[1])
            write_cell(cells[6], note_of.adopter if note_of and note_of.adopter else "none named")
        write_cell(cells[0], figure.label if figure.period == common else f"{figure.label} ({figure.period})")
        write_cell(cells[1], _shown(figure) + (" *" if figure.caveat else ""), right=True)
        inputs = [v for v in figure.inputs.values()]
        counts = " / ".join("n/a" if v is None else f"{int(v):,}" for v in inputs)
        write_cell(cells[2], counts, right=True)
        change = result.figures.get(f"{prefix}.change.{measure}")
        text = _shown(change)
        if change is not None and change.direction:
            text += f" ({change.direction})"
        write_cell(cells[3], text, right=True)
        national = result.figures.get(f"{prefix}.national.{measure}")
        write_cell(cells[4], _shown(national) if national and national.value is not None else "n/a", right=True)
        if figure.rag is not None:
            rag_cell(cells[5], figure.rag, colours=ctx.colours)
        else:
            write_cell(cells[5], "Not rated")
    fit_columns(ctx, table, [50, 10, 12, 18, 11, 11, 22] if adopters else [50, 10, 12, 18, 11, 11])
    source = f" Source: {result.sources['kpis']}." if "kpis" in result.sources else ""
    note(
        ctx,
        "Counts are numerator / denominator. Change is on the previous quarter, in percentage points. "
        f"National is England and Wales. * Small number: rates can swing widely from quarter to quarter.{source}"
        + (" Each KPI's adopter is the board member who champions it." if adopters else ""),
    )
    _kpi_commentary(ctx, result)


def _kpi_commentary(ctx: RenderContext, result: PerformanceResult) -> None:
    """Each KPI's commentary, in KPI order, under its number and name (and adopter)."""
    labels: dict[str, str] = {}
    for ident, figure in result.figures.items():
        if _kpi_latest(ident, figure):
            labels.setdefault(ident.split(".")[1], figure.label.split(": ", 1)[0])
    for kpi, label in labels.items():
        kpi_note: Any = result.kpi_notes.get(kpi)
        if kpi_note is None or not kpi_note.commentary:
            continue
        paragraph = add_paragraph(ctx.document)
        by = f" (adopter: {kpi_note.adopter})" if kpi_note.adopter else ""
        add_text_run(paragraph, f"{label}{by}: ", bold=True)
        add_text(paragraph, kpi_note.commentary)


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
    """`::: performance-summary`: national then local indicators on a landscape page (words when there are none)."""
    national = [r for r in result.summary if not r.latest.id.startswith(("kpi.", "local."))]
    local = [r for r in result.summary if r.latest.id.startswith("local.")]
    if not national and not local and not any("." not in item.what for item in [*result.pending, *result.broken]):
        not_received(ctx, "Performance data for the national and local indicators has not yet been received.")
        return

    def draw() -> None:
        begin_landscape(ctx)
        title = "Performance summary: national and local indicators"
        summary_table(ctx, national + local, title, result.pending, result.sources)
        end_landscape(ctx)

    cached_block(ctx, "performance-summary", (national, local, result.pending, result.sources), draw)


def render_charts(ctx: RenderContext, result: PerformanceResult, call: BlockCall) -> None:
    """`::: chart ID [ID...]`: trend charts, each with its caption, alt text and data table.

    Without ids, the default charts whose data the plan has, and a sentence naming those it has
    not. A chart the tool places itself never fails; one the author names must exist.
    """
    ids = call.argument.split() or list(DEFAULT_CHARTS)
    absent = []
    for series_id in ids:
        item = _unavailable(result, series_id)
        if item is not None:
            pending_paragraph(ctx, item, f"The chart of {series_label(series_id)} is")
            continue
        if series_id not in result.series:
            if call.by_tool or not call.argument:
                absent.append(DATASET_LABELS[DATASET_OF_PREFIX[series_id.split(".")[0]]].lower())
                continue
            raise SectionError(f"{call.where}: '::: chart {series_id}': {_why_no_chart(result, series_id)}")
        series = result.series[series_id]
        cached_block(ctx, "chart", series, functools.partial(chart_block, ctx, series))
    if absent:
        not_received(ctx, f"There is no trend chart for {_and(absent)}: the data has not yet been received.")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _why_no_chart(result: PerformanceResult, series_id: str) -> str:
    """Why there is no chart `series_id`: its dataset is not in the plan, or there is no such chart."""
    dataset = DATASET_OF_PREFIX.get(series_id.split(".")[0])
    if dataset and not any(s.split(".")[0] == series_id.split(".")[0] for s in result.series):
        return (
            f"this plan has no {DATASET_LABELS[dataset].lower()} data; add it in plan.yaml under "
            f"performance: datasets: {dataset}, or leave this chart out"
        )
    known = ", ".join(result.series) or "none (no performance data)"
    return f"unknown chart; expected one of: {known}"


def render_kpis(ctx: RenderContext, result: PerformanceResult, call: BlockCall) -> None:
    """`::: kpi-table`: the ten KPIs on a landscape page, or the 'Data due' placeholder."""
    item = _unavailable(result, "kpi.")
    if item is not None and not any(ident.startswith("kpi.") for ident in result.figures):
        pending_paragraph(ctx, item, "The KPI table is")
        return
    if not any(ident.startswith("kpi.") and ".latest." in ident for ident in result.figures):
        not_received(ctx, "Data for the ten YJB key performance indicators (KPIs) has not yet been received.")
        return

    def draw() -> None:
        begin_landscape(ctx)
        kpi_table(ctx, result)
        end_landscape(ctx)

    kpi_figures = {k: f for k, f in result.figures.items() if k.startswith("kpi.")}
    cached_block(ctx, "kpi-table", (kpi_figures, result.kpi_notes, result.sources.get("kpis")), draw)
