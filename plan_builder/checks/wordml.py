"""Reading WordprocessingML for the accessibility audit: names, helpers and style inheritance.

The audit walks the XML with plain lxml (several times faster than through python-docx's
proxy classes); these are the small readers it shares, and `Styles`, which answers what a
style gives a run or a cell after Word's inheritance (basedOn chains, table styles,
document defaults).
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from docx.styles import BabelFish
from lxml import etree

from plan_builder.palette import contrast_ratio

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, R, T, TBL, TR, TC, VAL = (f"{W_NS}{t}" for t in ("p", "r", "t", "tbl", "tr", "tc", "val"))
PPR, RPR, TCPR, SHD, PSTYLE = (f"{W_NS}{t}" for t in ("pPr", "rPr", "tcPr", "shd", "pStyle"))
DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
V_SHAPE, V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}shape", "{urn:schemas-microsoft-com:vml}imagedata"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MIN_CONTRAST, MIN_BODY_PT = 4.5, 11.0
"""Text must reach 4.5:1 contrast with its background, and body text must be at least 11 pt."""
# A paragraph without text that holds one of these is content or layout, not an empty line.
SUBSTANTIAL = {f"{W_NS}{t}" for t in ("drawing", "pict", "object", "sectPr", "fldChar", "fldSimple")}


def is_hex(colour: str | None) -> bool:
    """True for a 6-digit hex colour (not 'auto')."""
    return colour is not None and re.fullmatch(r"[0-9A-Fa-f]{6}", colour) is not None


def val(element: Any, tag: str) -> str | None:
    """The w:val of `element`'s `tag` child, if both exist."""
    child = element.find(tag) if element is not None else None
    return child.get(VAL) if child is not None else None


def is_on(element: Any) -> bool:
    """True for an on/off property that is present and not switched off."""
    return element is not None and element.get(VAL, "true") not in ("false", "0", "off")


def flag(element: Any, attribute: str) -> bool:
    """True for a boolean attribute set to 1, true or on."""
    return element.get(attribute) in ("1", "true", "on")


def to_int(value: str | None, default: int, base: int = 10) -> int:
    """`value` as a number, or `default` when it is missing or not one."""
    try:
        return int(value, base) if value is not None else default
    except ValueError:
        return default


def text_of(element: Any) -> str:
    """All the text in `element`."""
    return "".join(t.text or "" for t in element.iter(T))


def fill_of(shd: Any) -> str | None:
    """A shading element's background colour; 'solid' shading shows its pattern colour."""
    if shd is None or shd.get(VAL) == "nil":
        return None
    value = shd.get(f"{W_NS}color") if shd.get(VAL) == "solid" else shd.get(f"{W_NS}fill")
    return value.upper() if value is not None and is_hex(value) else None


def short(text: str, limit: int = 60) -> str:
    """`text` on one line, cut to `limit` characters for a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def runs_phrase(count: int) -> str:
    """'1 run of text' or 'N runs of text'."""
    return "1 run of text" if count == 1 else f"{count} runs of text"


@functools.lru_cache(maxsize=1024)
def ratio(first: str, second: str) -> float:
    """The contrast ratio rounded down to 2 decimals, so 4.499 never shows as a passing 4.50."""
    return math.floor(contrast_ratio(first, second) * 100) / 100


def outline_level(value: str | None) -> int | None:
    """Heading level of an outline level: '0'-'8' are levels 1-9; '9' is body text."""
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else None


def plain(element: Any) -> Any:
    """A plain lxml copy of a python-docx element: reading it is several times faster without proxy classes."""
    return etree.fromstring(etree.tostring(element))


def first_row(style: Any, tag: str) -> Any:
    """`tag` (rPr, tcPr) of a table style's first-row formatting."""
    for conditional in style.findall(f"{W_NS}tblStylePr"):
        if conditional.get(f"{W_NS}type") == "firstRow":
            return conditional.find(tag)
    return None


class Styles:
    """Style lookups with Word's inheritance: basedOn chains, table styles, document defaults.

    Each lookup is memoised for the document: a plan has thousands of runs but few styles.
    """

    def __init__(self, root: Any) -> None:
        self.by_id = {s.get(f"{W_NS}styleId"): s for s in root.iter(f"{W_NS}style")}
        paragraph_defaults = (
            i for i, s in self.by_id.items() if s.get(f"{W_NS}type") == "paragraph" and flag(s, f"{W_NS}default")
        )
        self.default_paragraph = next(paragraph_defaults, None)
        self.doc_defaults = root.find(f"{W_NS}docDefaults/{W_NS}rPrDefault/{RPR}")
        self.name, self.chain = functools.cache(self._name), functools.cache(self._chain)
        self.heading_level, self.page_break_before = functools.cache(self._level), functools.cache(self._break)
        self.run_value, self.table_fill = functools.cache(self._run_value), functools.cache(self._table_fill)

    def _name(self, style_id: str | None) -> str:
        """The name Word shows for the style ('Heading 1', not 'heading 1')."""
        return str(BabelFish.internal2ui(val(self.by_id.get(style_id), f"{W_NS}name") or style_id or "Normal"))

    def _chain(self, style_id: str | None) -> list[Any]:
        """The style and the styles it is based on, nearest first."""
        styles: list[Any] = []
        while style_id in self.by_id and self.by_id[style_id] not in styles:
            styles.append(self.by_id[style_id])
            style_id = val(styles[-1], f"{W_NS}basedOn")
        return styles

    def _level(self, style_id: str | None) -> int | None:
        """1-9 for 'Heading N' styles and styles with an outline level; None for body text and 'TOC Heading'."""
        name = self.name(style_id).lower()
        match = re.fullmatch(r"heading ([1-9])", name)
        outline = next((v for s in self.chain(style_id) if (v := val(s.find(PPR), f"{W_NS}outlineLvl"))), None)
        return None if name == "toc heading" else int(match[1]) if match else outline_level(outline)

    def _break(self, style_id: str | None) -> bool:
        """True if the paragraph style, or a style it is based on, starts a new page."""
        flags = (s.find(f"{PPR}/{W_NS}pageBreakBefore") for s in self.chain(style_id))
        return is_on(next((flag for flag in flags if flag is not None), None))

    def _run_value(
        self, tag: str, pstyle: str | None, rstyle: str | None, table: tuple[str | None, bool]
    ) -> str | None:
        """A run property (`w:sz`, `w:color`) as the styles set it, nearest layer first.

        The order is the style hierarchy of ECMA-376 (17.7.2): character style, paragraph
        style, table style (its first-row formatting first), document defaults.
        """
        table_styles = self.chain(table[0])
        layers = [
            *(s.find(RPR) for s in self.chain(rstyle)),
            *(s.find(RPR) for s in self.chain(pstyle or self.default_paragraph)),
            *(first_row(s, RPR) for s in table_styles if table[1]),
            *(s.find(RPR) for s in table_styles),
            self.doc_defaults,
        ]
        return next((v for layer in layers if (v := val(layer, tag)) is not None), None)

    def _table_fill(self, table_style: str | None, in_first_row: bool) -> str | None:
        """The cell fill a table style gives (its first-row fill for the first row)."""
        styles = self.chain(table_style)
        layers = [*(first_row(s, TCPR) for s in styles if in_first_row), *(s.find(TCPR) for s in styles)]
        return next((fill for layer in layers if layer is not None and (fill := fill_of(layer.find(SHD)))), None)


def text_style_problems(styles_element: Any, text_styles: list[str], body_styles: set[str]) -> dict[str, list[str]]:
    """What in a template's text styles (by id) the audit reports wherever they are used.

    Those in `body_styles` must also be at least `MIN_BODY_PT` (the audit sizes body text, not
    headers and footers). Each style counts as Word resolves it: through the styles it is
    based on, then the document defaults.
    """
    styles = Styles(plain(styles_element))
    found: dict[str, list[str]] = {}
    for style_id in text_styles:
        name = styles.name(style_id)
        problems = found.setdefault(style_id, [])
        size = to_int(styles.run_value(f"{W_NS}sz", style_id, None, (None, False)), 20) / 2
        if style_id in body_styles and size < MIN_BODY_PT:
            problems.append(f"style '{name}' is {size:g} pt; text must be at least {MIN_BODY_PT:g} pt")
        colour = styles.run_value(f"{W_NS}color", style_id, None, (None, False))
        if is_hex(colour) and ratio(str(colour), "FFFFFF") < MIN_CONTRAST:
            problems.append(
                f"style '{name}' is coloured {str(colour).upper()}, contrast {ratio(str(colour), 'FFFFFF'):.2f}:1 "
                f"on white; {MIN_CONTRAST:g}:1 needed"
            )
    return {style_id: problems for style_id, problems in found.items() if problems}
