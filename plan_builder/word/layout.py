"""Page geometry, colours and style names shared by the templates and the renderer.

One place for every size and colour, so a change of page or palette is one edit.
Colours meet WCAG AA contrast (4.5:1) against the backgrounds they are used on.
"""

from __future__ import annotations

from docx.shared import Cm, Emu

A4_WIDTH = Cm(21.0)
A4_HEIGHT = Cm(29.7)
SIDE_MARGIN = Cm(2.2)
TOP_MARGIN = Cm(2.4)
TEXT_WIDTH = Emu(A4_WIDTH - 2 * SIDE_MARGIN)
LANDSCAPE_TEXT_WIDTH = Emu(A4_HEIGHT - 2 * SIDE_MARGIN)

BRAND = "00505C"  # dark teal: 8.9:1 on white
TEXT = "0B0C0C"
MUTED = "505A5F"  # 7:1 on white
LINK = "1D70B8"  # 5.2:1 on white
RULE = "B1B4B6"
HEADER_FILL = "00505C"
HEADER_TEXT = "FFFFFF"  # 8.9:1 on the header fill

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
