"""The one list of blocks: every `::: name` a section can place, and every block the tool places itself.

Each block is declared once, here: its name, the data it draws on, where plan-builder places
it when the author has not (YJB heading ids, across every section list), when its data is
there, and its renderer. The render stage binds the blocks to this plan's data
(`bind_blocks`); document kinds choose from the same list.

Data keys (`Block.data`) name an entry of the models mapping the render stage builds: a
structured part ('risks', 'budget', ...), 'performance' (the computed figures), 'signoff',
'front' (document control, changes and outstanding data), or '' for blocks that need none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from plan_builder.errors import SectionError
from plan_builder.parts.actions.render import render_actions, render_counts
from plan_builder.parts.budget.render import render_contributions, render_variance
from plan_builder.parts.front.render import render_changes, render_document_control, render_outstanding
from plan_builder.parts.glossary.render import render_glossary
from plan_builder.parts.performance.panels import render_panels
from plan_builder.parts.performance.render import render_charts, render_kpis, render_summary
from plan_builder.parts.risks.render import render_register
from plan_builder.parts.scorecard.render import render_breakdown, render_scorecard
from plan_builder.parts.signoff.render import render_signoff
from plan_builder.parts.staffing.render import render_staffing
from plan_builder.parts.standards.render import render_standards
from plan_builder.word.context import BlockCall, Directive, RenderContext
from plan_builder.word.document import begin_landscape, end_landscape
from plan_builder.word.xml import add_paragraph

AFTER_CONTENTS = "after-contents"
"""Pseudo heading id: blocks placed on their own pages straight after the contents page."""

PERFORMANCE_HEADINGS = ("performance", "performance-and-priorities")
"""Where each section list holds performance (2023-24: 'performance'; 2022-23: 'performance-and-priorities')."""

Renderer = Callable[[RenderContext, Any, BlockCall], None]

BROKEN: Any = object()
"""Stands in the models mapping for data that could not be loaded (its problems are reported already)."""


def _present(data: Any) -> bool:
    return data is not None


@dataclass(frozen=True)
class Block:
    """One block: what it is called, what it shows, where it goes by default and how it is drawn."""

    name: str
    data: str
    """The models key it draws on ('' for none)."""
    render: Renderer
    summary: str
    """What it shows, in a few words: used in messages and listings."""
    placed_in: tuple[str, ...] = ()
    """Heading ids under which plan-builder places it when the author has not."""
    takes_argument: bool = False
    available: Callable[[Any], bool] = _present
    """True when the data is there for this block (e.g. a budget file with variance tables)."""
    needs: str = ""
    """What the author adds to plan.yaml to give the block its data."""
    stand_in: str = ""
    """The performance data item whose load failure stands for this block's data ('local' for the scorecard):
    its placeholder is shown instead, since the failure is reported already."""


def _landscape(ctx: RenderContext, data: Any, call: BlockCall) -> None:
    begin_landscape(ctx)


def _portrait(ctx: RenderContext, data: Any, call: BlockCall) -> None:
    end_landscape(ctx)


def _structured(part: str, what: str) -> str:
    return f"a {what} file listed in plan.yaml under structured: {part}"


BLOCKS: tuple[Block, ...] = (
    Block("performance-summary", "performance", render_summary, "the performance summary table",
          PERFORMANCE_HEADINGS, needs="performance data in plan.yaml (performance:)"),
    Block("chart", "performance", render_charts, "trend charts", PERFORMANCE_HEADINGS, takes_argument=True,
          needs="performance data in plan.yaml (performance:)"),
    Block("kpi-table", "performance", render_kpis, "the ten YJB key performance indicators", PERFORMANCE_HEADINGS,
          needs="performance data in plan.yaml (performance:)"),
    Block("scorecard", "performance", render_scorecard, "the scorecard of local indicators",
          available=lambda result: result is not None and bool(result.scorecard),
          needs="local indicators in plan.yaml (performance: local_indicators:)", stand_in="local"),
    Block("breakdown", "performance", render_breakdown, "a local indicator's parts and their shares",
          takes_argument=True, available=lambda result: result is not None and bool(result.breakdowns),
          needs="a local indicator whose periods give parts", stand_in="local"),
    Block("risk-register", "risks", render_register, "the risk register and heat map", ("challenges-risks-issues",),
          needs=_structured("risks", "risk register")),
    Block("budget-table", "budget", render_contributions, "the budget contributions table", ("budget",),
          needs=_structured("budget", "budget")),
    Block("budget-variance", "budget", render_variance, "budget variance tables", ("resources-and-services",),
          takes_argument=True, available=lambda budget: budget is not None and bool(budget.variance),
          needs="variance tables in the budget file (variance:)"),
    Block("national-standards", "standards", render_standards, "the National Standards self-assessment",
          ("standards", "national-standards"), needs=_structured("standards", "National Standards")),
    Block("action-plan", "action_plans", render_actions, "the action plan", ("service-development",
          "service-improvement-plan"), takes_argument=True, available=lambda plans: bool(plans),
          needs=_structured("actions", "action plan")),
    Block("action-counts", "action_plans", render_counts, "the action plan's status counts", takes_argument=True,
          available=lambda plans: bool(plans), needs=_structured("actions", "action plan")),
    Block("indicator-panels", "performance", render_panels, "a headline panel per national indicator",
          available=lambda result: result is not None and any(
              row.latest.id.startswith(("fte.", "reoffending.annual.", "custody.")) for row in result.summary),
          needs="FTE, reoffending or custody data in plan.yaml (performance: datasets:)"),
    Block("staffing", "staffing", render_staffing, "staffing by role, sex and ethnicity", ("service-structure",),
          needs=_structured("staffing", "staffing")),
    Block("glossary", "glossary", render_glossary, "the glossary of youth justice terms", ("glossary",),
          needs=_structured("glossary", "glossary")),
    Block("signoff", "signoff", render_signoff, "the sign-off table", ("sign-off",)),
    Block("landscape", "", _landscape, "start landscape pages", available=lambda data: True),
    Block("portrait", "", _portrait, "return to portrait pages", available=lambda data: True),
    Block("document-control", "front", render_document_control, "the version history", (AFTER_CONTENTS,),
          available=lambda front: front is not None and bool(front.history)),
    Block("changes", "front", render_changes, "the changes since the last version", (AFTER_CONTENTS,),
          available=lambda front: front is not None and front.changes is not None),
    Block("outstanding-data", "front", render_outstanding, "the data still outstanding", (AFTER_CONTENTS,),
          available=lambda front: front is not None and bool(front.outstanding)),
)  # fmt: skip

BY_NAME: dict[str, Block] = {block.name: block for block in BLOCKS}


def block_data(block: Block, models: Mapping[str, Any]) -> Any:
    """The data `block` draws on in `models` (None when the plan has none, `BROKEN` when it failed to load)."""
    return models.get(block.data) if block.data else None


def _usable(block: Block, data: Any) -> bool:
    return data is not BROKEN and block.available(data)


def usable(name: str, models: Mapping[str, Any]) -> bool:
    """Whether the block `name` has its data in `models` (and it loaded)."""
    block = BY_NAME[name]
    return _usable(block, block_data(block, models))


def bind_blocks(models: Mapping[str, Any]) -> dict[str, Directive]:
    """Every block bound to this plan's data, as the Markdown walk calls them.

    A block whose data the plan lacks is still bound, so that an author who places it
    learns what to add to plan.yaml rather than that the name is unknown.
    """
    return {block.name: _bound(block, block_data(block, models)) for block in BLOCKS}


def _bound(block: Block, data: Any) -> Directive:
    def directive(ctx: RenderContext, call: BlockCall) -> None:
        if data is BROKEN:
            return  # its data failed to load; that problem is reported, not this block
        if call.argument and not block.takes_argument:
            raise SectionError(f"{call.where}: '::: {block.name}' takes no argument; got {call.argument!r}")
        if not block.available(data):
            failed = next((i for i in getattr(data, "broken", []) if block.stand_in and i.what == block.stand_in), None)
            if failed is not None:
                add_paragraph(ctx.document, str(failed.shown))
                return
            raise SectionError(
                f"{call.where}: '::: {block.name}' shows {block.summary}, but this plan has no data for it"
                + (f"; add {block.needs}" if block.needs else "")
            )
        block.render(ctx, data, call)

    return directive


def placed_by_tool(models: Mapping[str, Any]) -> dict[str, list[str]]:
    """Heading id -> the blocks plan-builder places there itself, for the blocks whose data is there."""
    placements: dict[str, list[str]] = {}
    for block in BLOCKS:
        if block.placed_in and _usable(block, block_data(block, models)):
            for heading in block.placed_in:
                placements.setdefault(heading, []).append(block.name)
    return placements
