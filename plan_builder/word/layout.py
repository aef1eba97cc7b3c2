"""Page geometry and style names shared by the templates and the renderer (colours: `plan_builder.palette`).

One place for every size, so a change of page is one edit.
"""

from __future__ import annotations

from docx.shared import Cm, Emu

A4_WIDTH = Cm(21.0)
A4_HEIGHT = Cm(29.7)
SIDE_MARGIN = Cm(2.2)
TOP_MARGIN = Cm(2.4)
RUNNING_DISTANCE = Cm(1.2)
"""From the page's edge to the header and to the footer."""
TEXT_WIDTH = Emu(A4_WIDTH - 2 * SIDE_MARGIN)
LANDSCAPE_TEXT_WIDTH = Emu(A4_HEIGHT - 2 * SIDE_MARGIN)

TABLE_STYLE = "Plan Table"
TABLE_TEXT_STYLE = "Table Text"

PLAN_STYLES: dict[str, str] = {
    "Normal": "paragraph",
    "Title": "paragraph",
    "Subtitle": "paragraph",
    "Heading 1": "paragraph",
    "Heading 2": "paragraph",
    "Heading 3": "paragraph",
    "Heading 4": "paragraph",
    "List Bullet": "paragraph",
    "List Bullet 2": "paragraph",
    "List Number": "paragraph",
    "List Number 2": "paragraph",
    "Quote": "paragraph",
    "Caption": "paragraph",
    "Header": "paragraph",
    "Footer": "paragraph",
    "TOC Heading": "paragraph",
    "TOC 1": "paragraph",
    "TOC 2": "paragraph",
    "TOC 3": "paragraph",
    "Hyperlink": "character",
    TABLE_STYLE: "table",
    TABLE_TEXT_STYLE: "paragraph",
    "Cover Detail": "paragraph",
    "Cover Status": "paragraph",
}
"""Every style plan-builder writes with (and the packaged cover uses), by name, with its type.

A template that lacks one gets it from plan-builder's own template, based on the template's
Normal style, or on its Heading 1 for the styles in `HEADING_BASED`, so it takes the
template's fonts and colours.
"""

HEADING_BASED = ("Title", "TOC Heading", "Cover Status")
"""Styles that look like headings: added ones are based on the template's Heading 1."""

LIST_STYLES = ("List Bullet", "List Bullet 2", "List Number", "List Number 2")
"""Styles whose paragraphs are numbered or bulleted through the style's own list definition."""

HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Heading 4")
