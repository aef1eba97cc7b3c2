"""Budget blocks in the document: the YJB contributions table, funding outside it, and variance tables.

Every money cell is right-aligned and never empty (nil shows as "£0"); sub-lines
are indented rows under their agency, not merged cells, so screen readers read a
plain grid. Seven columns (with the previous year) turn the page to landscape.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from docx.shared import Cm

from plan_builder.errors import SectionError
from plan_builder.figures.formatting import long_date, money
from plan_builder.parts.budget.model import Amounts, Budget, VarianceTable, pence_places
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.document import begin_landscape, end_landscape
from plan_builder.word.paragraphs import add_caption
from plan_builder.word.tables import add_body_row, fit_columns, start_table, table_texts
from plan_builder.word.xml import add_paragraph, add_text_run, align

if TYPE_CHECKING:
    from docx.table import Table


def _signed(amount: Decimal, places: int) -> str:
    return ("+" if amount > 0 else "") + money(amount, places)


def _table(ctx: RenderContext, headers: list[str], text_columns: int = 1) -> Table:
    """Start a table whose money headings sit right-aligned over their right-aligned figures."""
    table = start_table(ctx, headers)
    for cell in table.rows[0].cells[text_columns:]:
        align(cell.paragraphs[0], "right")
    return table


def _row(table: Table, texts: list[str], *, text_columns: int = 1, bold: bool = False, indent: bool = False) -> None:
    """Write a body row: the first `text_columns` cells are text, the rest money, right-aligned."""
    for index, (cell, text) in enumerate(zip(add_body_row(table), texts, strict=True)):
        paragraph = cell.paragraphs[0]
        add_text_run(paragraph, text, bold=bold or None)
        if index >= text_columns:
            align(paragraph, "right")
        elif indent:
            paragraph.paragraph_format.left_indent = Cm(0.5)


def _fit(ctx: RenderContext, table: Table) -> None:
    lengths = [max(len(text) for text in column) for column in zip(*table_texts(table), strict=False)]
    fit_columns(ctx, table, [max(length, 12) for length in lengths])


def _note(ctx: RenderContext, text: str) -> None:
    add_paragraph(ctx.document, text)


def render_contributions(ctx: RenderContext, budget: Budget, call: BlockCall) -> None:
    """`::: budget-table`: the YJB contributions table, the funding outside it and the total service budget."""
    previous = budget.previous_year is not None
    wide = previous  # seven columns do not fit portrait
    if wide:
        begin_landscape(ctx)
    headers = ["Agency", "Staffing costs", "Payments in kind", "Other delegated funds", "Total"]
    if previous:
        headers += [f"Total {budget.previous_year}", "Change"]
    every = [a for row in budget.rows for a in [*row.amounts.cells(), row.previous]]
    places = pence_places(every + [f.amount for f in budget.additional])
    add_caption(ctx, "Table", f"Budget costs and contributions {budget.year}")
    table = _table(ctx, headers)

    def texts(label: str, amounts: Amounts, before: Decimal | None) -> list[str]:
        cells = [label, *(money(a, places) for a in amounts.cells())]
        if previous:
            cells += (
                ["n/a", "n/a"] if before is None else [money(before, places), _signed(amounts.total - before, places)]
            )
        return cells

    for row in budget.rows:
        _row(table, texts(row.label, row.amounts, row.previous), indent=row.level > 0)
    _row(table, texts("Total", budget.total, budget.previous_total), bold=True)
    _fit(ctx, table)
    parts = [(a, b) for a, b in zip(budget.rows, budget.rows[1:], strict=False) if b.level > a.level]
    note = ""
    if parts:
        agency, line = parts[0]
        name = agency.label.split(": ", 1)[0]  # the YJB row name, without the partner's own name
        note = (
            f"Indented rows, such as {line.label} under {name}, are parts of the contribution of the "
            "agency above them and are included in its row."
        )
    if previous:
        note += f" Change is {budget.year} minus {budget.previous_year}; n/a means no figure was given."
    if note:
        _note(ctx, note.strip())
    if budget.additional:
        add_caption(ctx, "Table", f"Funding outside the pooled budget {budget.year}")
        table = _table(ctx, ["Funding", "Provided by", "Amount"], text_columns=2)
        for item in budget.additional:
            _row(table, [item.name, item.source or "Not stated", money(item.amount, places)], text_columns=2)
        _row(table, ["Total", "All sources", money(budget.additional_total, places)], text_columns=2, bold=True)
        _fit(ctx, table)
        paragraph = add_paragraph(ctx.document)
        add_text_run(
            paragraph, f"Total service budget {budget.year}: {money(budget.service_total, places)}"
        ).bold = True
        paragraph.add_run(
            f" (pooled budget {money(budget.total.total, places)} plus funding outside the pooled "
            f"budget {money(budget.additional_total, places)})."
        )
    if wide:
        end_landscape(ctx)


def _variance_table(ctx: RenderContext, table_data: VarianceTable) -> None:
    """Category | Actual to date | Full-year budget | Forecast | Variance, with a Total row."""
    every = [a for r in [*table_data.lines, table_data.total] for a in (r.actual_to_date, r.budget, r.forecast)]
    places = pence_places(every)
    code = f" (cost centre {table_data.code})" if table_data.code else ""
    when = f", as at {long_date(table_data.as_at)}" if table_data.as_at else ""
    add_caption(ctx, "Table", f"{table_data.name}{code}: budget and forecast {table_data.year}{when}")
    actual = f"Actual to {table_data.as_at.day} {table_data.as_at:%b %Y}" if table_data.as_at else "Actual to date"
    table = _table(ctx, ["Category", actual, "Full-year budget", "Forecast to year end", "Variance"])
    for row in [*table_data.lines, table_data.total]:
        cells = [money(a, places) for a in (row.actual_to_date, row.budget, row.forecast)]
        cells.append(_signed(row.variance, places))
        _row(table, [row.category, *cells], bold=row is table_data.total)
    _fit(ctx, table)
    variance = table_data.total.variance
    if variance == 0:
        outcome = "on budget"
    else:
        outcome = f"an {'overspend' if variance > 0 else 'underspend'} of {money(abs(variance), places)}"
    _note(
        ctx,
        f"{table_data.name}: a forecast of {money(table_data.total.forecast, places)} against a net budget of "
        f"{money(table_data.total.budget, places)}, {outcome}.",
    )


VARIANCE_NOTE = (
    "Variance is the forecast minus the full-year budget, so a negative variance is an underspend and a positive "
    "variance an overspend. Income is shown as a negative amount."
)


def render_variance(ctx: RenderContext, budget: Budget, call: BlockCall) -> None:
    """`::: budget-variance [cost centre]`: one variance table per cost centre, then how to read a variance.

    With no argument every cost centre is drawn; with one, only that cost centre (matched
    without regard to case).
    """
    argument = call.argument
    tables = [t for t in budget.variance if not argument or t.name.lower() == argument.lower()]
    if not tables:
        known = ", ".join(t.name for t in budget.variance)
        raise SectionError(
            f"{call.where}: '::: budget-variance {argument}': unknown cost centre; expected one of: {known}"
        )
    for table in tables:
        _variance_table(ctx, table)
    _note(ctx, VARIANCE_NOTE)
