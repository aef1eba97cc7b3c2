"""Every colour plan-builder puts in a document, in one place.

Colours are 6-digit hex RGB without '#'. Each text/fill pair meets WCAG AA contrast
(4.5:1); the accessibility audit checks that again in the built document, because a
council template can bring colours of its own. Ratings (RAG, risk bands, overdue
actions) always carry their word too: colour only adds to it.
"""

from __future__ import annotations

from dataclasses import dataclass

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


Pair = tuple[str, str]
"""A (fill, text) colour pair."""


@dataclass(frozen=True)
class Colours:
    """The colours one document's tables use: the header row and the ratings, each as (fill, text).

    The header row's come from the template's table style (or `colours:` in plan.yaml); None
    leaves the header row to the table style alone. Ratings come from `colours:` or the
    defaults above.
    """

    table_header: tuple[str | None, str | None] = (HEADER_FILL, HEADER_TEXT)
    green: Pair = GREEN
    amber_green: Pair = AMBER_GREEN
    amber: Pair = AMBER
    red_amber: Pair = RED_AMBER
    red: Pair = RED
    dark_red: Pair = DARK_RED
    not_rated: Pair = GREY

    @property
    def rag(self) -> dict[str, Pair]:
        """By the RAG word (`figures.figure.Rag` values)."""
        return {
            "Green": self.green,
            "Amber/Green": self.amber_green,
            "Amber": self.amber,
            "Red/Amber": self.red_amber,
            "Red": self.red,
            "Not rated": self.not_rated,
        }

    @property
    def risk_bands(self) -> dict[str, Pair]:
        """By a risk band's colour name (risk register YAML `bands[].colour`)."""
        return {"green": self.green, "amber": self.amber, "red": self.red, "dark-red": self.dark_red}

    @property
    def overdue(self) -> Pair:
        """An overdue action's status cell."""
        return self.red


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio, from 1 to 21, of two 'RRGGBB' colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_text_on(fill: str) -> str:
    """Dark text or white, whichever contrasts more with `fill`: for a header fill given without a text colour."""
    return max((TEXT, WHITE), key=lambda text: contrast_ratio(text, fill))
