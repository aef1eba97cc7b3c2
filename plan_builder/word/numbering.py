"""List numbering: numbered lists that restart, and list definitions carried over from another document.

Word keeps list numbering apart from the styles: a list style points at a numbering
instance (w:num), which points at a definition (w:abstractNum) in numbering.xml. A
style copied from plan-builder's template into a council's therefore needs its
definition copied too, with fresh ids.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart

from plan_builder.word.styles import style_element, style_id

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

W_NUM, W_NUM_ID, W_ABSTRACT, W_ABSTRACT_ID, W_VAL = (
    qn(f"w:{tag}") for tag in ("num", "numId", "abstractNum", "abstractNumId", "val")
)


def numbering_element(document: Document) -> Any:
    """The document's w:numbering element, with a numbering part made for it if it has none.

    A document without any list (LibreOffice's blank one) has no numbering part, and python-docx
    cannot make one.
    """
    part = document.part
    if not any(rel.reltype == RT.NUMBERING for rel in part.rels.values()):
        element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
        numbering = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, part.package)
        part.relate_to(numbering, RT.NUMBERING)
    return part.numbering_part.element


def style_num_id(document: Document, style_id_value: str) -> str | None:
    """The numbering instance a paragraph style (or a style it is based on) gives its paragraphs."""
    seen: set[str] = set()
    current: str | None = style_id_value
    while current and current not in seen:
        seen.add(current)
        style = style_element(document, current)
        if style is None:
            return None
        num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{W_NUM_ID}")
        if num_id is not None:
            return str(num_id.get(W_VAL))
        based = style.find(qn("w:basedOn"))
        current = based.get(W_VAL) if based is not None else None
    return None


def restart_numbering(document: Document, style_name: str) -> int:
    """Create a new numbering instance for `style_name` that starts at 1 and return its id.

    All paragraphs of a list style share one numbering instance, so without this
    every numbered list would continue from the previous one.
    """
    num_id = style_num_id(document, style_id(document.part, style_name))
    if num_id is None:
        raise KeyError(style_name)
    numbering = numbering_element(document)
    base_num = numbering.num_having_numId(int(num_id))
    abstract_id = base_num.abstractNumId.val
    num = OxmlElement("w:num")
    num.set(W_NUM_ID, str(_next_id(numbering, W_NUM, W_NUM_ID)))
    abstract = OxmlElement("w:abstractNumId")
    abstract.set(W_VAL, str(abstract_id))
    num.append(abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(W_VAL, "1")
    override.append(start)
    num.append(override)
    _insert_after_last(numbering, num, W_NUM)
    return int(num.get(W_NUM_ID))


def set_paragraph_numbering(paragraph: Paragraph, num_id: int, level: int = 0) -> None:
    """Attach `paragraph` to numbering instance `num_id` at `level`."""
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = p_pr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def copy_numbering(source: Document, num_id: str, target: Document) -> str:
    """Copy numbering instance `num_id` of `source`, with its definition, into `target`; return its new id.

    numbering.xml lists every definition before any instance, so each copy goes after the
    last of its kind.
    """
    numbering = numbering_element(source)
    num = numbering.num_having_numId(int(num_id))
    abstract = next(
        a for a in numbering.iterchildren(W_ABSTRACT) if a.get(qn("w:abstractNumId")) == str(num.abstractNumId.val)
    )
    into = numbering_element(target)
    new_abstract = copy.deepcopy(abstract)
    new_abstract.set(qn("w:abstractNumId"), str(_next_id(into, W_ABSTRACT, qn("w:abstractNumId"))))
    for unique in new_abstract.findall(qn("w:nsid")) + new_abstract.findall(qn("w:tmpl")):
        new_abstract.remove(unique)  # identifiers Word uses to match lists across documents
    _insert_after_last(into, new_abstract, W_ABSTRACT)
    new_num = copy.deepcopy(num)
    new_num.set(W_NUM_ID, str(_next_id(into, W_NUM, W_NUM_ID)))
    new_num.find(W_ABSTRACT_ID).set(W_VAL, new_abstract.get(qn("w:abstractNumId")))
    _insert_after_last(into, new_num, W_NUM)
    return str(new_num.get(W_NUM_ID))


def _next_id(numbering: Any, tag: str, attribute: str) -> int:
    return max((int(n.get(attribute)) for n in numbering.iterchildren(tag)), default=0) + 1


def _insert_after_last(numbering: Any, element: Any, tag: str) -> None:
    """Insert after the last `tag` child; failing that, before the first instance (or at the end)."""
    last = None
    for last in numbering.iterchildren(tag):  # noqa: B007 - the loop finds the last one
        pass
    if last is not None:
        last.addnext(element)
        return
    first_num = numbering.find(W_NUM)
    if tag == W_ABSTRACT and first_num is not None:
        first_num.addprevious(element)
    else:
        cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(element)
        else:
            numbering.append(element)
