"""Every colour plan-builder puts in a document, in one place.

Colours are 6-digit hex RGB without '#'. Each text/fill pair meets WCAG AA contrast
(4.5:1); the accessibility audit checks that again in the built document, because a
council template can bring colours of its own. Ratings (RAG, risk bands, overdue
actions) always carry their word too: colour only adds to it.
"""

from __future__ import annotations

BRAND = "00505C"  # dark teal: 8.9:1 on white
TEXT = "0B0C0C"
MUTED = "505A5F"  # 7:1 on white
LINK = "1D70B8"  # 5.2:1 on white
RULE = "B1B4B6"
WHITE = "FFFFFF"
HEADER_FILL = BRAND
HEADER_TEXT = WHITE  # 8.9:1 on the header fill

# Rating colours as (fill, text), GOV.UK tag colours.
GREEN = ("CCE2D8", "005A30")
AMBER = ("FFF7BF", "594D00")
AMBER_GREEN = ("E3EFC7", "3B4A00")
RED_AMBER = ("FCDDC8", "6E3619")
RED = ("F6D7D2", "942514")
DARK_RED = ("942514", WHITE)
GREY = ("F3F2F1", "383F43")

RAG = {
    "Green": GREEN,
    "Amber/Green": AMBER_GREEN,
    "Amber": AMBER,
    "Red/Amber": RED_AMBER,
    "Red": RED,
    "Not rated": GREY,
}
"""By the RAG word (`figures.figure.Rag` values)."""
RISK_BANDS = {"green": GREEN, "amber": AMBER, "red": RED, "dark-red": DARK_RED}
"""By a risk band's colour name (risk register YAML `bands[].colour`)."""
OVERDUE = RED

# Trend charts: line colours (the Okabe-Ito colour-blind safe set, starting with the brand), ink, axes, grid.
CHART_LINES = ["#00505C", "#D55E00", "#0072B2", "#CC79A7", "#6B6B6B"]
CHART_INK, CHART_AXIS, CHART_GRID = f"#{TEXT}", f"#{MUTED}", "#DDDDDD"

RATING_FILLS = {
    **{fill: word.lower() for word, (fill, _) in RAG.items()},
    **{fill: name.replace("-", " ") for name, (fill, _) in RISK_BANDS.items()},
}
"""Fill colour -> the rating it stands for: how the audit recognises a rating cell."""
