"""Reading tracked changes back from a .docx, independently of the code that wrote them.

`accept_all` does what Word's "Accept all" does to the XML: deleted runs (w:del) go, inserted
runs (w:ins) are unwrapped, paragraphs whose mark is deleted go (after their text), rows marked
deleted go, and the remaining insertion marks on paragraphs and rows are dropped. `revisions`
lists each w:ins and w:del with its text, so tests can say exactly which changes a document holds.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
INS, DEL, P, TR, TBL, PPR, RPR, TRPR = (W + t for t in ("ins", "del", "p", "tr", "tbl", "pPr", "rPr", "trPr"))
TEXT_TAGS = (W + "t", W + "delText", W + "tab", W + "br")


def _text(element: Any) -> str:
    parts = []
    for node in element.iter(*TEXT_TAGS):
        parts.append("\t" if node.tag == W + "tab" else "\n" if node.tag == W + "br" else node.text or "")
    return "".join(parts)


@dataclass(frozen=True)
class Revision:
    kind: str
    """'ins' or 'del' (text), 'ins-mark' / 'del-mark' (a paragraph mark), 'ins-row' / 'del-row'."""
    text: str
    author: str
    date: str


def revisions(root: Any) -> list[Revision]:
    """Every w:ins and w:del under `root`, in document order."""
    found = []
    for element in root.iter(INS, DEL):
        kind = element.tag.rsplit("}", 1)[1]
        parent = element.getparent().tag
        if parent == RPR:
            kind += "-mark"
        elif parent == TRPR:
            kind += "-row"
        found.append(Revision(kind, _text(element), element.get(W + "author"), element.get(W + "date")))
    return found


def accept_all(root: Any) -> Any:
    """A copy of `root` with every revision accepted."""
    root = copy.deepcopy(root)
    for row in [e.getparent().getparent() for e in root.iter(DEL) if e.getparent().tag == TRPR]:
        row.getparent().remove(row)
    for paragraph in [e.getparent().getparent().getparent() for e in root.iter(DEL) if e.getparent().tag == RPR]:
        paragraph.getparent().remove(paragraph)
    for element in list(root.iter(DEL)):
        element.getparent().remove(element)
    for element in list(root.iter(INS)):
        parent = element.getparent()
        if parent.tag in (RPR, TRPR):
            parent.remove(element)
            continue
        index = parent.index(element)
        for child in reversed(list(element)):
            parent.insert(index, child)
        parent.remove(element)
    for table in list(root.iter(TBL)):
        if table.find(TR) is None:
            table.getparent().remove(table)
    return root


def block_texts(root: Any) -> list[str]:
    """The text of every paragraph (in table cells too), in order: what two documents are compared by."""
    return [_text(p) for p in root.iter(P)]


def body(document: Any) -> Any:
    return document.element.body


def story(part: Any) -> Any:
    return part.element.find(qn("w:body")) if part.element.tag == qn("w:document") else part.element
