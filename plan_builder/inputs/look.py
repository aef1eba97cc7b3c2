"""How the document looks, as plan.yaml can set it: the template's own styles, and table colours.

`styles:` maps a role (heading_1, table...) to a style of the council's Word template when
it calls that style something other than plan-builder does. `colours:` replaces the table
header colours the template's table style gives, and plan-builder's rating colours; each
pair must be readable (WCAG AA, 4.5:1).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from plan_builder.inputs.schema import StrictModel
from plan_builder.palette import contrast_ratio

StyleRole = Literal[
    "body",
    "title",
    "subtitle",
    "heading_1",
    "heading_2",
    "heading_3",
    "heading_4",
    "list_bullet",
    "list_bullet_2",
    "list_number",
    "list_number_2",
    "quote",
    "caption",
    "header",
    "footer",
    "contents_heading",
    "contents_1",
    "contents_2",
    "contents_3",
    "link",
    "table",
    "table_text",
    "cover_detail",
    "cover_status",
]
"""What a style is for: the keys of `styles:` in plan.yaml."""

STYLE_ROLES: dict[str, str] = {
    "body": "Normal",
    "title": "Title",
    "subtitle": "Subtitle",
    "heading_1": "Heading 1",
    "heading_2": "Heading 2",
    "heading_3": "Heading 3",
    "heading_4": "Heading 4",
    "list_bullet": "List Bullet",
    "list_bullet_2": "List Bullet 2",
    "list_number": "List Number",
    "list_number_2": "List Number 2",
    "quote": "Quote",
    "caption": "Caption",
    "header": "Header",
    "footer": "Footer",
    "contents_heading": "TOC Heading",
    "contents_1": "TOC 1",
    "contents_2": "TOC 2",
    "contents_3": "TOC 3",
    "link": "Hyperlink",
    "table": "Plan Table",
    "table_text": "Table Text",
    "cover_detail": "Cover Detail",
    "cover_status": "Cover Status",
}
"""Each role and the style plan-builder uses for it when `styles:` does not map it to one of the template's."""

StyleName = Annotated[str, Field(min_length=1, max_length=253)]


def _hex_colour(value: str) -> str:
    return value.removeprefix("#").upper()


HexColour = Annotated[str, Field(pattern=r"^#?[0-9A-Fa-f]{6}$"), AfterValidator(_hex_colour)]
"""A colour as 6 hex digits ('5B2C6F' or '#5B2C6F')."""


class ColourPair(StrictModel):
    """A background and the text on it: together they must reach 4.5:1 contrast (WCAG AA)."""

    fill: HexColour
    text: HexColour

    @model_validator(mode="after")
    def _readable(self) -> ColourPair:
        ratio = contrast_ratio(self.fill, self.text)
        if ratio < 4.5:
            raise ValueError(
                f"text {self.text} on fill {self.fill} has contrast {int(ratio * 100) / 100:.2f}:1; "
                "4.5:1 is needed (a darker fill or text, or white text on a dark fill)"
            )
        return self


class Colours(StrictModel):
    """Table colours that replace the template's (header row) or plan-builder's (ratings)."""

    table_header: ColourPair | None = None
    """The header row of every table; default: the template's table style."""
    green: ColourPair | None = None
    amber_green: ColourPair | None = None
    amber: ColourPair | None = None
    red_amber: ColourPair | None = None
    red: ColourPair | None = None
    """Also overdue actions."""
    dark_red: ColourPair | None = None
    """The highest risk band."""
    not_rated: ColourPair | None = None
