"""Links and bookmarks: external hyperlinks (one relationship per address), links within the document."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from plan_builder.word.styles import style_id

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph


def relate_external(part: Any, url: str, reltype: str = RT.HYPERLINK) -> str:
    """The id of `part`'s relationship to the external `url`, added if new.

    python-docx's `relate_to` looks through every relationship for a match and then for a
    free id, so a section with thousands of links took time growing with the square of
    their number; an index kept beside the part's relationships makes each lookup constant.
    """
    rels = part.rels
    index: dict[tuple[str, str], str] | None = getattr(rels, "_plan_builder_external", None)
    if index is None:
        index = {(rel.reltype, rel.target_ref): rid for rid, rel in rels.items() if rel.is_external}
        rels._plan_builder_external = index
    rel_id = index.get((reltype, url))
    if rel_id is None or rel_id not in rels:
        number = getattr(rels, "_plan_builder_next_id", len(rels) + 1)
        while f"rId{number}" in rels:
            number += 1
        rel_id = f"rId{number}"
        rels.add_relationship(reltype, url, rel_id, is_external=True)
        rels._plan_builder_next_id = number + 1
        index[(reltype, url)] = rel_id
    return rel_id


def add_hyperlink(paragraph: Paragraph, url: str, text: str, style: str = "Hyperlink") -> None:
    """Append an external hyperlink whose visible text is `text`."""
    rel_id = relate_external(paragraph.part, url)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = paragraph.add_run(text)
    run._r.style = style_id(paragraph.part, style)
    link.append(run._r)
    paragraph._p.append(link)


def add_internal_link(paragraph: Paragraph, anchor: str) -> Any:
    """Append an empty hyperlink to bookmark `anchor` and return it, for the caller to fill."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    return link


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Wrap the paragraph's content in a bookmark, the target of TOC links and PAGEREF fields."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p_pr = paragraph._p.pPr
    if p_pr is not None:
        p_pr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)
