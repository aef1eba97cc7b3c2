"""Page geometry and style names shared by the templates and the renderer (colours: `plan_builder.palette`).

One place for every size, so a change of page is one edit.
"""

from __future__ import annotations

from docx.shared import Cm, Emu

A4_WIDTH = Cm(21.0)
A4_HEIGHT = Cm(29.7)
SIDE_MARGIN = Cm(2.2)
TOP_MARGIN = Cm(2.4)
TEXT_WIDTH = Emu(A4_WIDTH - 2 * SIDE_MARGIN)
LANDSCAPE_TEXT_WIDTH = Emu(A4_HEIGHT - 2 * SIDE_MARGIN)

TABLE_STYLE = "Plan Table"
TABLE_TEXT_STYLE = "Table Text"

# Styles the renderer uses by name; a council template must define all of them.
REQUIRED_STYLES = [
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Bullet 2",
    "List Number",
    "List Number 2",
    "Quote",
    "Caption",
    "Header",
    "Footer",
    "TOC Heading",
    "TOC 1",
    "TOC 2",
    "Hyperlink",
    TABLE_STYLE,
    TABLE_TEXT_STYLE,
]
