"""The 'Common youth justice terms' glossary in the document: one two-column table, terms in order."""

from __future__ import annotations

from plan_builder.parts.glossary.model import CAPTION, Glossary
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.paragraphs import add_caption
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.xml import add_text_run, keep_row_together


def render_glossary(ctx: RenderContext, glossary: Glossary, call: BlockCall) -> None:
    """`::: glossary`: the captioned two-column table 'Term | Meaning', one row per entry, terms in bold."""
    add_caption(ctx, "Table", CAPTION)
    table = start_table(ctx, ["Term", "Meaning"])
    for entry in glossary.entries:
        term, meaning = add_body_row(table)
        add_text_run(term.paragraphs[0], entry.term, bold=True)
        add_text_run(meaning.paragraphs[0], entry.definition)
        keep_row_together(table.rows[-1])
    # Terms wrap well at word breaks, so one long local name should not squeeze the meanings:
    # the term column gets at most the room of 25 characters (about 30% of the width).
    longest_term = max(len(entry.term) for entry in glossary.entries)
    longest_definition = max(len(entry.definition) for entry in glossary.entries)
    fit_columns(ctx, table, [min(longest_term, 25), longest_definition])
