"""Sign-off in the document: the plan's sign-off template (a docxtpl .docx) rendered and spliced in."""

from __future__ import annotations

from plan_builder.parts.signoff.model import SignOff
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.document import render_docx_template


def render_signoff(ctx: RenderContext, signoff: SignOff, call: BlockCall) -> None:
    """`::: signoff`: the signatories table, statement and approval note from the sign-off template."""
    render_docx_template(
        signoff.template, signoff.display, signoff.fields, ctx.env, ctx.document, ctx.colours.table_header
    )
