"""Tracked changes between two Word documents: the new document with w:ins and w:del revisions.

No document tool computes tracked changes between two versions of a generated document, so
this does: the body, every table cell and every header and footer are compared block by
block (paragraphs and tables). Unchanged blocks are left alone; a paragraph that changed is
marked word by word (`revision_runs`); a new paragraph or table is one insertion; a removed
one is put back where it was, as a deletion. Tables whose columns are unchanged are compared
row by row and cell by cell; otherwise the old table is deleted and the new one inserted.

Only revisions are added to the new document, so Word's "Accept all" gives exactly the new
document, and "Reject all" shows the old text (formatting changes are not tracked).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from plan_builder.changes.align import align, ratio
from plan_builder.errors import OutputError
from plan_builder.word.revision_runs import (
    R_EMBED,
    W_P,
    Marks,
    Story,
    mark_changed_paragraph,
    mark_paragraph,
    paragraph_key,
    words,
    wrap_runs,
)

if TYPE_CHECKING:
    from docx.document import Document

W_TBL, W_TR, W_TC, W_TR_PR, W_TBL_PR_EX, W_GRID_COL = (
    qn(f"w:{t}") for t in ("tbl", "tr", "tc", "trPr", "tblPrEx", "gridCol")
)
W_SECT_PR, W_PPR, W_DEL = qn("w:sectPr"), qn("w:pPr"), qn("w:del")
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
WP_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
BLOCKS = (W_P, W_TBL)
NOT_COPIED = {
    qn(f"w:{t}") for t in ("bookmarkStart", "bookmarkEnd", "proofErr", "commentRangeStart", "commentRangeEnd")
}
"""Left out of a deleted block's copy: bookmarks would clash with the new document's, and the rest is noise."""
PARAGRAPH_THRESHOLD = 0.5
TABLE_THRESHOLD = 0.3
AUTHOR = "plan-builder"


@dataclass(frozen=True)
class RevisionCounts:
    """How many insertions and deletions the tracked-changes document holds."""

    insertions: int
    deletions: int

    @property
    def empty(self) -> bool:
        """True when the two documents read the same."""
        return not (self.insertions or self.deletions)


Key = tuple[Any, ...]


class _Comparison:
    """One comparison of an old part with a new one: keys, marks and the relationships of copied content."""

    def __init__(self, old: Story, new: Story, marks: Marks, ids: Callable[[], int]) -> None:
        self.old, self.new, self.marks, self.new_docpr_id = old, new, marks, ids
        self._keys: dict[Any, Key] = {}
        """Keyed by the element itself, which keeps lxml's proxy alive (an id() could be reused)."""

    def key(self, block: Any, story: Story) -> Key:
        """What makes two blocks the same (cached: tables are keyed by every cell)."""
        cached = self._keys.get(block)
        if cached is None:
            if block.tag == W_P:
                cached = paragraph_key(block, story)
            else:
                cached = ("tbl", *(tuple(self.cell_key(tc, story) for tc in cells(tr)) for tr in rows(block)))
            self._keys[block] = cached
        return cached

    def cell_key(self, cell: Any, story: Story) -> Key:
        """A table cell's blocks, as one key."""
        return tuple(self.key(block, story) for block in cell if block.tag in BLOCKS)

    def similarity(self, old: Any, new: Any) -> float:
        """How alike two blocks are (0 to 1): words for paragraphs, cells for tables; -1 for a paragraph and a table."""
        if old.tag != new.tag:
            return -1.0  # below every threshold, even a cell's 0: a paragraph never becomes a table
        old_key, new_key = self.key(old, self.old), self.key(new, self.new)
        if old.tag == W_P:
            return ratio(words(old_key), words(new_key))
        return ratio(
            [repr(cell) for row in old_key[1:] for cell in row], [repr(cell) for row in new_key[1:] for cell in row]
        )

    def blocks(self, old_container: Any, new_container: Any) -> None:
        """Mark the differences between two containers of blocks (a body, a cell, a header or footer)."""
        old = [child for child in old_container if child.tag in BLOCKS]
        new = [child for child in new_container if child.tag in BLOCKS]
        steps = align(
            [self.key(b, self.old) for b in old],
            [self.key(b, self.new) for b in new],
            lambda i, j: _scaled(self.similarity(old[i], new[j]), old[i].tag),
            # In a table cell the paragraphs are the cell's value: "R1" -> "R2" is a change to it, however unalike.
            0.0 if new_container.tag == W_TC else PARAGRAPH_THRESHOLD,
        )
        removed: list[Any] = []
        for step in steps:
            if step.new is None:
                removed.append(old[step.old or 0])
                continue
            target = new[step.new]
            for block in removed:
                target.addprevious(self.deleted_copy(block))
            removed = []
            if step.kind == "changed" and step.old is not None:
                self.changed(old[step.old], target)
            elif step.kind == "added":
                self.inserted(target)
        if removed:
            self._removed_at_end(removed, new, new_container)

    def _removed_at_end(self, removed: list[Any], new: list[Any], container: Any) -> None:
        """Blocks removed after the last new one: before a closing paragraph, whose mark cannot be deleted."""
        copies = [self.deleted_copy(block) for block in removed]
        if new and new[-1].tag == W_P:
            for block in copies:
                new[-1].addprevious(block)
        elif new:
            for block in reversed(copies):
                new[-1].addnext(block)
        else:
            closing = container.find(W_SECT_PR)
            for block in copies:
                if closing is not None:
                    closing.addprevious(block)
                else:
                    container.append(block)

    def changed(self, old: Any, new: Any) -> None:
        """A paired block: words for a paragraph; rows and cells for a table with the same columns."""
        if old.tag != new.tag:
            new.addprevious(self.deleted_copy(old))
            self.inserted(new)
        elif old.tag == W_P:
            mark_changed_paragraph(old, new, self.old, self.new, self.marks)
            for removed in new.iter(W_DEL):  # words put back from the old document: a picture needs its image
                self._carry_relationships(removed)
        elif columns(old) == columns(new):
            self.rows(old, new)
        else:
            new.addprevious(self.deleted_copy(old))
            self.inserted(new)

    def rows(self, old_table: Any, new_table: Any) -> None:
        """Rows aligned by their cells; a paired row is compared cell by cell, others inserted or deleted."""
        old, new = rows(old_table), rows(new_table)
        old_keys = [tuple(self.cell_key(tc, self.old) for tc in cells(tr)) for tr in old]
        new_keys = [tuple(self.cell_key(tc, self.new) for tc in cells(tr)) for tr in new]

        def similar(i: int, j: int) -> float:
            if len(old_keys[i]) != len(new_keys[j]):
                return 0.0
            return ratio([repr(c) for c in old_keys[i]], [repr(c) for c in new_keys[j]])

        removed: list[Any] = []
        for step in align(old_keys, new_keys, similar, PARAGRAPH_THRESHOLD):
            if step.new is None:
                removed.append(old[step.old or 0])
                continue
            for row in removed:
                new[step.new].addprevious(self.deleted_copy(row))
            removed = []
            if step.kind == "changed" and step.old is not None:
                for old_cell, new_cell in zip(cells(old[step.old]), cells(new[step.new]), strict=True):
                    self.blocks(old_cell, new_cell)
            elif step.kind == "added":
                self.inserted(new[step.new])
        for row in removed:
            new_table.append(self.deleted_copy(row))

    def inserted(self, block: Any) -> None:
        """A new paragraph (its text and its mark) or a new table or row (each row, and every run in it)."""
        if block.tag == W_P:
            wrap_runs(block, "w:ins", self.marks)
            mark_paragraph(block, "w:ins", self.marks)
            return
        for row in [block] if block.tag == W_TR else block.iter(W_TR):
            _mark_row(row, "w:ins", self.marks)
        for paragraph in block.iter(W_P):
            wrap_runs(paragraph, "w:ins", self.marks)

    def deleted_copy(self, block: Any) -> Any:
        """A copy of an old block for the new document, marked deleted, its pictures and links carried over."""
        copied = copy.deepcopy(block)
        for element in list(copied.iter()):
            if element.tag in NOT_COPIED or (element.tag == W_SECT_PR and element.getparent().tag == W_PPR):
                element.getparent().remove(element)
        self._carry_relationships(copied)
        if copied.tag == W_P:
            wrap_runs(copied, "w:del", self.marks)
            mark_paragraph(copied, "w:del", self.marks)
            return copied
        for row in [copied] if copied.tag == W_TR else copied.iter(W_TR):
            _mark_row(row, "w:del", self.marks)
        for paragraph in copied.iter(W_P):
            wrap_runs(paragraph, "w:del", self.marks)
        return copied

    def _carry_relationships(self, copied: Any) -> None:
        """Point a copied block's pictures and hyperlinks at relationships of the new part."""
        old_part, new_part = self.old.part, self.new.part
        for element in copied.iter():
            embed = element.get(R_EMBED)
            if embed and embed in old_part.related_parts:
                image = old_part.related_parts[embed]
                r_id, _ = new_part.get_or_add_image(io.BytesIO(image.blob))
                element.set(R_EMBED, r_id)
            link = element.get(R_ID)
            if link and link in old_part.rels and old_part.rels[link].is_external:
                element.set(R_ID, new_part.relate_to(old_part.rels[link].target_ref, RT.HYPERLINK, is_external=True))
            if element.tag == WP_DOC_PR:
                element.set("id", str(self.new_docpr_id()))


def _scaled(score: float, tag: str) -> float:
    """Tables pair at a lower similarity than paragraphs: a table whose figures all moved is still that table."""
    return score * PARAGRAPH_THRESHOLD / TABLE_THRESHOLD if tag == W_TBL else score


def rows(table: Any) -> list[Any]:
    """The table's own rows (not those of tables nested in its cells)."""
    return [child for child in table if child.tag == W_TR]


def cells(row: Any) -> list[Any]:
    """The row's own cells."""
    return [child for child in row if child.tag == W_TC]


def columns(table: Any) -> int:
    """How many grid columns the table has."""
    grid = table.find(qn("w:tblGrid"))
    return len(grid.findall(W_GRID_COL)) if grid is not None else 0


def _mark_row(row: Any, tag: str, marks: Marks) -> None:
    """Mark a whole table row inserted or deleted (w:trPr/w:ins or w:del, after the row's other properties)."""
    properties = row.find(W_TR_PR)
    if properties is None:
        properties = row.makeelement(W_TR_PR, {})
        exceptions = row.find(W_TBL_PR_EX)
        row.insert(0 if exceptions is None else row.index(exceptions) + 1, properties)
    change = properties.find(qn("w:trPrChange"))
    if len(properties) == (0 if change is None else 1):
        # The schema wants at least one row property before the revision mark; "may split" is the default anyway.
        properties.insert(0, properties.makeelement(qn("w:cantSplit"), {qn("w:val"): "off"}))
    mark = marks.make(tag)
    properties.insert(len(properties) if change is None else properties.index(change), mark)


def story_parts(document: Document) -> dict[str, Any]:
    """Partname -> part for the document body and each header and footer."""
    parts = {str(document.part.partname): document.part}
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if name.startswith(("/word/header", "/word/footer")):
            parts[name] = part
    return parts


def _story_root(part: Any) -> Any:
    """The element holding a part's blocks: w:body for the document, w:hdr or w:ftr for the others."""
    element = part.element
    return element.find(qn("w:body")) if element.tag == qn("w:document") else element


def _highest_id(parts: list[Any], path: str) -> int:
    """The highest number among the attributes `path` (an XPath) selects in `parts`, so new ids stay unique."""
    values = [value for part in parts for value in part.element.xpath(path)]  # python-docx knows w: and wp:
    return max((int(v) for v in values if v.isdigit()), default=0)


def track_changes(old: Document, new: Document, *, date: dt.datetime, author: str = AUTHOR) -> RevisionCounts:
    """Add to `new` (in place) the revisions that turn `old` into it: body, tables, headers and footers."""
    old_parts, new_parts = story_parts(old), story_parts(new)
    stamp = date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    marks = Marks(author, stamp, next_id=_highest_id(list(new_parts.values()), "//@w:id") + 1)
    docpr = [_highest_id(list(new_parts.values()), "//wp:docPr/@id")]

    def next_docpr_id() -> int:
        docpr[0] += 1
        return docpr[0]

    for name, new_part in new_parts.items():
        old_part = old_parts.get(name)
        if old_part is None:
            continue
        comparison = _Comparison(Story(old_part), Story(new_part), marks, next_docpr_id)
        comparison.blocks(_story_root(old_part), _story_root(new_part))
    return RevisionCounts(marks.insertions, marks.deletions)


def content_fingerprint(document: Document) -> str:
    """A hash of what a reader sees (text, pictures, tables, headers and footers), not of the file's bytes.

    Two builds of the same plan give the same fingerprint, although their files differ (zip
    times) and one built with `--pdf` carries contents page numbers the other lacks.
    """
    digest = hashlib.sha256()
    for name, part in sorted(story_parts(document).items()):
        comparison = _Comparison(Story(part), Story(part), Marks(AUTHOR, ""), lambda: 0)
        root = _story_root(part)
        blocks = [comparison.key(block, comparison.new) for block in root if block.tag in BLOCKS]
        digest.update(repr((name, blocks)).encode())
    return digest.hexdigest()


def read_document(data: bytes, name: Path | str) -> Document:
    """Open .docx bytes, or raise OutputError naming the file when they are not a Word document."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise OutputError(f"{name}: not a Word document ({exc or type(exc).__name__})") from exc


def tracked_changes_document(
    old: bytes, new: bytes, *, date: dt.datetime, names: tuple[str, str] = ("old document", "new document")
) -> tuple[bytes, RevisionCounts]:
    """The new document (.docx bytes) with the revisions from the old one, and how many there are."""
    old_document, new_document = read_document(old, names[0]), read_document(new, names[1])
    counts = track_changes(old_document, new_document, date=date)
    out = io.BytesIO()
    new_document.save(out)
    return out.getvalue(), counts
