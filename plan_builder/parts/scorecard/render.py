"""The scorecard in the document: one row per local indicator, with the period columns the data has.

Indicators that share the same periods share a table: each row gives the indicator (with its
unit), a column per period, year to date, target, "good performance is", direction of travel,
RAG (a word; colour only adds to it) and the benchmarks for the latest period. Breakdowns show
their parts with shares of the total.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plan_builder.errors import SectionError
from plan_builder.figures.figure import Figure, format_figure
from plan_builder.parts.performance.render import note, rag_cell, write_cell
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.document import begin_landscape, end_landscape
from plan_builder.word.paragraphs import add_caption
from plan_builder.word.tables import add_body_row, fit_columns, start_table

if TYPE_CHECKING:
    from plan_builder.figures.local import Breakdown, ScorecardRow
    from plan_builder.figures.periods import Period
    from plan_builder.figures.result import PerformanceResult

UNIT_WORDS = {"percent": "%", "count": "number", "ratio": "ratio"}


def _shown(figure: Figure | None, *, bare: bool = False) -> str:
    """The figure as a cell shows it; `bare` leaves out the % sign (the column header gives the unit)."""
    if figure is None or figure.value is None:
        return "n/a"
    text = format_figure(figure, short=True)
    return text.removesuffix("%") if bare else text


MAX_COLUMNS = {1: 6, 3: 8, 12: 6}
"""Period columns in one table, by months per period: what fits an A4 landscape page at 11 pt with the
other columns. Earlier periods are in the indicator's chart and its data table (`::: chart local.ID`)."""


def _groups(rows: list[ScorecardRow]) -> list[tuple[list[Period], list[ScorecardRow]]]:
    """Rows whose latest periods have the same shape (months, quarters, years), with the periods they cover."""
    groups: dict[str, list[ScorecardRow]] = {}
    for row in rows:
        groups.setdefault(row.periods[-1][0].shape.name, []).append(row)
    found = []
    for members in groups.values():
        periods = sorted({period for row in members for period, _ in row.periods})
        found.append((periods[-MAX_COLUMNS.get(periods[-1].months, 6) :], members))
    return found


def _benchmarks(row: ScorecardRow) -> str:
    return "; ".join(f"{f.area} {_shown(f)}" for f in row.benchmarks.values()) or "none"


def _table(ctx: RenderContext, periods: list[Period], rows: list[ScorecardRow], number: int, count: int) -> None:
    labels = [period.label for period in periods]
    title = f"Scorecard: local indicators by {periods[-1].shape.name.split(' (')[0].removesuffix('s')}"
    title = title.replace("by irregular period", "by period")
    add_caption(ctx, "Table", f"{title}, {labels[0]} to {labels[-1]}" if len(labels) > 1 else f"{title}, {labels[0]}")
    headers = ["Indicator", *[p.short_label for p in periods], "Year to date", "Target", "RAG", "Benchmark"]
    table = start_table(ctx, headers)
    caveats = []
    for row in rows:
        cells = add_body_row(table)
        unit = UNIT_WORDS.get(row.indicator.unit.value, row.indicator.unit.value)
        good = {"higher": "; higher is better", "lower": "; lower is better"}.get(row.good_performance, "")
        write_cell(cells[0], f"{row.indicator.name} ({unit}{good})")
        values = dict(row.periods)
        for cell, period in zip(cells[1 : len(periods) + 1], periods, strict=True):
            figure = values.get(period)
            if figure is None:
                write_cell(cell, "-", right=True)
                continue
            write_cell(cell, _shown(figure, bare=True) + (" *" if figure.caveat else ""), right=True)
            if figure.caveat:
                caveats.append(f"{row.indicator.name}, {figure.period}: {figure.caveat}.")
        rest = cells[len(periods) + 1 :]
        ytd = row.year_to_date
        write_cell(rest[0], _shown(ytd, bare=True) if ytd is not None else "-", right=True)
        target = row.indicator.target
        tolerance = f" (±{row.indicator.tolerance:g})" if target is not None and row.indicator.tolerance else ""
        write_cell(rest[1], f"{target:g}{tolerance}" if target is not None else "none", right=True)
        rag_cell(rest[2], row.latest.rag, row.latest.direction or "", colours=ctx.colours)
        write_cell(rest[3], _benchmarks(row))
    fit_columns(ctx, table, [30, *[6] * len(periods), 8, 7, 10, 18])
    text = (
        "Values are computed from the counts and rounded for display only; the unit is given with each "
        "indicator. RAG is against the target where one is set; the direction of travel in brackets compares "
        "the latest period with the previous one. Benchmarks are the latest published values."
    )
    text += " A dash means the indicator has no value for that period (year to date: a yearly indicator)."
    if any(len(row.periods) > len(periods) for row in rows):
        text += " Earlier periods are in each indicator's chart and its data table."
    notes = [r.indicator.notes for r in rows if r.indicator.notes]
    note(ctx, " ".join([text, *notes, *([f"* {' '.join(caveats)}"] if caveats else [])]))


def render_scorecard(ctx: RenderContext, result: PerformanceResult, call: BlockCall) -> None:
    """`::: scorecard`: the local indicators as scorecard rows, on landscape pages."""
    rows: list[ScorecardRow] = list(result.scorecard)  # type: ignore[arg-type]
    begin_landscape(ctx)
    groups = _groups(rows)
    for number, (periods, members) in enumerate(groups, start=1):
        _table(ctx, periods, members, number, len(groups))
    end_landscape(ctx)


def render_breakdown(ctx: RenderContext, result: PerformanceResult, call: BlockCall) -> None:
    """`::: breakdown local.ID`: an indicator's parts, their shares of the total, and the total."""
    known = sorted(result.breakdowns)
    names = call.argument.split() or known
    for name in names:
        breakdown: Breakdown | None = result.breakdowns.get(name)  # type: ignore[assignment]
        if breakdown is None:
            raise SectionError(
                f"{call.where}: '::: breakdown {name}': no breakdown called {name!r}; "
                f"expected one of: {', '.join(known) or 'none (no local indicator has parts)'}"
            )
        add_caption(ctx, "Table", f"{breakdown.name}, {breakdown.period}")
        table = start_table(ctx, ["Part", "Number", "Share of the total"])
        for part, value in [*breakdown.parts, ("Total", breakdown.total)]:
            cells = add_body_row(table)
            share = f"{value / breakdown.total * 100:.1f}%" if breakdown.total else "n/a"
            write_cell(cells[0], part)
            write_cell(cells[1], f"{value:,g}", right=True)
            write_cell(cells[2], share, right=True)
        fit_columns(ctx, table, [40, 12, 16])
        if breakdown.stated_total is not None and breakdown.stated_total != breakdown.total:
            note(
                ctx,
                f"The total is computed from the parts; a total of {breakdown.stated_total:g} was stated elsewhere.",
            )
