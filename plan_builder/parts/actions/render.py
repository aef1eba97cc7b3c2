"""Action plan in the document: status counts, one landscape table per theme, overdue actions flagged in words."""

from __future__ import annotations

from plan_builder.errors import SectionError
from plan_builder.figures.formatting import long_date
from plan_builder.parts.actions.model import ActionPlan
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.document import begin_landscape, end_landscape
from plan_builder.word.paragraphs import add_caption, add_heading, add_subheading
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.xml import add_text_run, align, shade_cell


def selected(plans: dict[str, ActionPlan], call: BlockCall) -> list[ActionPlan]:
    """The action plans a block names (`::: action-plan hmip-actions`), or all of them in order."""
    names = call.argument.split()
    unknown = [name for name in names if name not in plans]
    if unknown:
        raise SectionError(
            f"{call.where}: no action plan called {', '.join(repr(n) for n in unknown)}; "
            f"expected one of: {', '.join(plans)}"
        )
    return [plans[name] for name in names] if names else list(plans.values())


def render_counts(ctx: RenderContext, plans: dict[str, ActionPlan], call: BlockCall) -> None:
    """`::: action-counts [NAME]`: each action plan's status counts table, computed from its actions."""
    for plan_actions in selected(plans, call):
        counts_table(ctx, plan_actions)


def render_actions(ctx: RenderContext, plans: dict[str, ActionPlan], call: BlockCall) -> None:
    """`::: action-plan [NAME]`: each action plan on landscape pages, one table per theme, after its counts."""
    for plan_actions in selected(plans, call):
        action_tables(ctx, plan_actions)


def counts_table(ctx: RenderContext, plan_actions: ActionPlan) -> None:
    """The status counts table of one action plan, computed from the actions."""
    add_caption(ctx, "Table", f"{plan_actions.title}: actions by status at {long_date(plan_actions.as_of)}")
    table = start_table(ctx, ["Status", "Number of actions"])
    for label, count in [*plan_actions.counts, ("Total", len(plan_actions.actions))]:
        cells = add_body_row(table)
        add_text_run(cells[0].paragraphs[0], label, bold=label == "Total")
        add_text_run(cells[1].paragraphs[0], str(count), bold=label == "Total")
        align(cells[1].paragraphs[0], "right")
    overdue = sum(1 for a in plan_actions.actions if a.overdue)
    cells = add_body_row(table)
    add_text_run(cells[0].paragraphs[0], "Of which past their due date and not completed")
    add_text_run(cells[1].paragraphs[0], str(overdue))
    align(cells[1].paragraphs[0], "right")
    fit_columns(ctx, table, [40, 16])


def action_tables(ctx: RenderContext, plan_actions: ActionPlan) -> None:
    """One action plan on landscape pages: its title, counts, then a table per theme."""
    begin_landscape(ctx)
    add_subheading(ctx, plan_actions.title)
    counts_table(ctx, plan_actions)
    for theme in plan_actions.themes:
        add_heading(ctx, theme, 3, in_toc=False)
        add_caption(ctx, "Table", f"{plan_actions.title}: {theme}")
        table = start_table(ctx, ["Ref", "Action", "Lead", "Due", "Status", "Progress"])
        for action in (a for a in plan_actions.actions if a.entry.theme == theme):
            entry = action.entry
            cells = add_body_row(table)
            add_text_run(cells[0].paragraphs[0], entry.ref, bold=True)
            text = entry.action + (f" (duplicate of {entry.duplicate_of})" if entry.duplicate_of else "")
            add_text_run(cells[1].paragraphs[0], text)
            add_text_run(cells[2].paragraphs[0], entry.lead)
            add_text_run(cells[3].paragraphs[0], long_date(entry.due))
            status = cells[4].paragraphs[0]
            add_text_run(status, action.status_label)
            if action.overdue:
                fill, colour = ctx.colours.overdue
                shade_cell(cells[4], fill)
                add_text_run(status, "\nOverdue", bold=True, colour=colour)
            add_text_run(cells[5].paragraphs[0], entry.progress or "No update")
        fit_columns(ctx, table, [6, 40, 18, 12, 16, 40])
    end_landscape(ctx)
