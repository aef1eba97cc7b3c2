"""Complete a council's template with the styles plan-builder writes with and the template lacks.

A corporate template has its own fonts, heading colours and often its own style names,
but not plan-builder's 'Plan Table' or 'Table Text', and a template made elsewhere may
lack even 'Heading 1'. Each missing style is copied from plan-builder's own template and
re-based on the council's Normal (or Heading 1) with its own font and colour taken out,
so it looks like the council's. A few existing styles are completed where a plan needs
more than they give: links must be underlined and coloured, list styles must number,
and mapped heading styles must be headings (have an outline level).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn

from plan_builder import palette
from plan_builder.word import layout
from plan_builder.word.numbering import copy_numbering, style_num_id
from plan_builder.word.styles import W_STYLE_ID, W_VAL, StyleIndex, style_element
from plan_builder.word.xml import P_PR_ORDER, R_PR_ORDER, insert_in_order

if TYPE_CHECKING:
    from docx.document import Document

W_BASED_ON, W_NEXT, W_LINK, W_PPR, W_RPR = (qn(f"w:{tag}") for tag in ("basedOn", "next", "link", "pPr", "rPr"))
W_COLOR, W_U, W_RFONTS, W_LANG = (qn(f"w:{tag}") for tag in ("color", "u", "rFonts", "lang"))


@dataclass
class Completion:
    """What completing a template changed: styles added, and existing styles given what a plan needs."""

    added: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@functools.cache
def reference() -> Document:
    """plan-builder's own template (what `make-templates` writes), made once per process."""
    from plan_builder.word.template_factory import build_plan_template

    return build_plan_template()


@functools.cache
def reference_index() -> StyleIndex:
    """The style index of `reference()`."""
    return StyleIndex.of(reference().styles.element)


def complete_styles(document: Document, index: StyleIndex, text_width: int) -> Completion:
    """Add every style of `layout.PLAN_STYLES` the document lacks, then complete links, lists and headings.

    `index` is the document's style index with the plan's `styles:` mapping; it is kept up
    to date as styles are added. `text_width` (EMU) places the contents' page-number tab.
    """
    done = Completion()
    for name in layout.PLAN_STYLES:  # the reference is made only when a style is missing: not for a complete template
        if index.find(index.target(name)) is None:
            element = _copy_style(document, index, reference(), reference_index().id_for(name), name, text_width)
            document.styles.element.append(element)
            _add_to_index(index, element, name)
            done.added.append(name)
    _complete_link(document, index, done)
    _complete_lists(document, index, done)
    _complete_headings(document, index, done)
    return done


def _add_to_index(index: StyleIndex, element: Any, name: str) -> None:
    style_id = element.get(W_STYLE_ID)
    index.by_name.setdefault(name.casefold(), style_id)
    index.names[style_id] = name
    index.types[style_id] = element.get(qn("w:type"))


def _copy_style(
    document: Document, index: StyleIndex, source: Document, source_id: str, name: str, text_width: int
) -> Any:
    """A copy of the reference style `source_id`, with an id free in `document` and the council's base."""
    element = copy.deepcopy(style_element(source, source_id))
    element.set(W_STYLE_ID, _free_id(index, source_id))
    for tag in (W_LINK, qn("w:rsid")):
        for old in element.findall(tag):
            element.remove(old)
    kind = element.get(qn("w:type"))
    base = _base_for(index, name, kind)
    _set_child(element, W_BASED_ON, base, after=(qn("w:name"), qn("w:aliases")))
    if element.find(W_NEXT) is not None:
        _set_child(element, W_NEXT, index.defaults.get("paragraph"), after=())
    r_pr = element.find(W_RPR)
    if r_pr is not None and name != "Hyperlink":
        for tag in (W_RFONTS, W_LANG):
            for old in r_pr.findall(tag):
                r_pr.remove(old)
        if base is not None and _colour_of(document, base) is not None:
            for old in r_pr.findall(W_COLOR):
                r_pr.remove(old)  # the council's colour comes through from the base style
    num_id = element.find(f"{W_PPR}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is not None:
        num_id.set(W_VAL, copy_numbering(source, str(num_id.get(W_VAL)), document))
    for tab in element.iterfind(f"{W_PPR}/{qn('w:tabs')}/{qn('w:tab')}"):
        if tab.get(W_VAL) == "right":
            tab.set(qn("w:pos"), str(int(text_width) // 635))  # the page number at the template's margin
    if name == layout.TABLE_STYLE:
        _header_fill_from_headings(document, index, element)
    if name in layout.HEADING_BASED and base is not None:
        # Looks like a heading, is not one: keep it out of the contents and of screen readers' headings.
        p_pr = _paragraph_properties(element)
        for old in p_pr.findall(qn("w:outlineLvl")):
            p_pr.remove(old)
        insert_in_order(p_pr, p_pr.makeelement(qn("w:outlineLvl"), {W_VAL: "9"}), P_PR_ORDER)
    return element


def _free_id(index: StyleIndex, wanted: str) -> str:
    """`wanted`, or `wanted` with a number after it, whichever no style of the document has as its id."""
    taken = {key.casefold() for key in index.names}
    candidate, number = wanted, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{wanted}{number}"
    return candidate


def _base_for(index: StyleIndex, name: str, kind: str | None) -> str | None:
    """The council style an added style is based on: its Heading 1 for heading-like styles, else its default."""
    if name == "Normal":
        return None
    if name in layout.HEADING_BASED:
        heading = index.find(index.target("Heading 1"))
        if heading is not None:
            return heading
    return index.defaults.get(kind or "paragraph")


def _set_child(element: Any, tag: str, value: str | None, *, after: tuple[str, ...]) -> None:
    """Set (or, with None, remove) the w:basedOn / w:next child, keeping the schema's order."""
    existing = element.find(tag)
    if value is None:
        if existing is not None:
            element.remove(existing)
        return
    if existing is None:
        existing = element.makeelement(tag)
        anchor = next((child for child in reversed(element) if child.tag in after), None)
        if anchor is not None:
            anchor.addnext(existing)
        else:
            element.insert(0, existing)
    existing.set(W_VAL, value)


def _chain(document: Document, style_id: str | None) -> list[Any]:
    """The style and the styles it is based on, nearest first."""
    styles: list[Any] = []
    while style_id:
        style = style_element(document, style_id)
        if style is None or style in styles:
            break
        styles.append(style)
        based = style.find(W_BASED_ON)
        style_id = based.get(W_VAL) if based is not None else None
    return styles


def run_property(document: Document, style_id: str | None, tag: str) -> Any:
    """The first `tag` run property (w:color, w:u...) that the style or a style it is based on sets, or None."""
    for style in _chain(document, style_id):
        found = style.find(f"{W_RPR}/{tag}")
        if found is not None:
            return found
    return None


def _colour_of(document: Document, style_id: str) -> str | None:
    """The hex colour a style gives its text, if it gives one (not 'auto')."""
    colour = run_property(document, style_id, W_COLOR)
    value = colour.get(W_VAL) if colour is not None else None
    return value.upper() if value and value.lower() != "auto" else None


def _header_fill_from_headings(document: Document, index: StyleIndex, table_style: Any) -> None:
    """An added 'Plan Table' shades its header row in the council's heading colour, when white text reads on it."""
    heading = index.find(index.target("Heading 1"))
    colour = _colour_of(document, heading) if heading else None
    if colour is None or palette.contrast_ratio(colour, palette.WHITE) < 4.5:
        return
    for shd in table_style.iterfind(f"{qn('w:tblStylePr')}/{qn('w:tcPr')}/{qn('w:shd')}"):
        shd.set(qn("w:fill"), colour)


def _complete_link(document: Document, index: StyleIndex, done: Completion) -> None:
    """Links must stand out without colour: give the link style an underline and a colour where it has none."""
    link_id = index.find(index.target("Hyperlink"))
    if link_id is None:
        return
    missing = []
    style = style_element(document, link_id)
    r_pr = style.find(W_RPR)
    if r_pr is None:
        r_pr = style.makeelement(W_RPR)
        style.append(r_pr)
    underline = run_property(document, link_id, W_U)
    if underline is None or underline.get(W_VAL) == "none":
        insert_in_order(r_pr, r_pr.makeelement(W_U, {W_VAL: "single"}), R_PR_ORDER)
        missing.append("an underline")
    if _colour_of(document, link_id) is None:
        insert_in_order(r_pr, r_pr.makeelement(W_COLOR, {W_VAL: palette.LINK}), R_PR_ORDER)
        missing.append("a colour")
    if missing:
        done.notes.append(f"gave '{index.name_of(link_id)}' {' and '.join(missing)} so that links stand out")


def _complete_lists(document: Document, index: StyleIndex, done: Completion) -> None:
    """A list style without a list definition would show bare paragraphs: give it plan-builder's bullets or numbers."""
    for name in layout.LIST_STYLES:
        style_id = index.id_for(name)
        if style_num_id(document, style_id) is not None:
            continue
        source = reference()
        reference_num = style_num_id(source, reference_index().id_for(name))
        if reference_num is None:  # pragma: no cover - plan-builder's own list styles all number
            continue
        p_pr = _paragraph_properties(style_element(document, style_id))
        num_pr = insert_in_order(p_pr, p_pr.makeelement(qn("w:numPr")), P_PR_ORDER)
        num_pr.append(num_pr.makeelement(qn("w:numId"), {W_VAL: copy_numbering(source, reference_num, document)}))
        done.notes.append(f"gave '{index.name_of(style_id)}' plan-builder's {name.split()[1].lower()} list")


def _complete_headings(document: Document, index: StyleIndex, done: Completion) -> None:
    """A heading style must carry its outline level, or it is no heading to Word, screen readers or the contents."""
    given = []
    for level, name in enumerate(layout.HEADING_STYLES):
        style_id = index.id_for(name)
        if any(s.find(f"{W_PPR}/{qn('w:outlineLvl')}") is not None for s in _chain(document, style_id)):
            continue
        if index.names[style_id].casefold() == name.casefold():
            continue  # Word's own 'heading N' styles are headings by name
        p_pr = _paragraph_properties(style_element(document, style_id))
        insert_in_order(p_pr, p_pr.makeelement(qn("w:outlineLvl"), {W_VAL: str(level)}), P_PR_ORDER)
        given.append(f"'{index.name_of(style_id)}' (level {level + 1})")
    if given:
        done.notes.append(f"gave {', '.join(given)} outline levels so that they count as headings")


def _paragraph_properties(style: Any) -> Any:
    """The style's w:pPr, created where the schema puts it (before its run and table properties)."""
    p_pr = style.find(W_PPR)
    if p_pr is None:
        p_pr = style.makeelement(W_PPR)
        later = next((c for c in style if c.tag in STYLE_PROPERTIES_AFTER_P_PR), None)
        if later is not None:
            later.addprevious(p_pr)
        else:
            style.append(p_pr)
    return p_pr


STYLE_PROPERTIES_AFTER_P_PR = {qn(f"w:{tag}") for tag in ("rPr", "tblPr", "trPr", "tcPr", "tblStylePr")}
