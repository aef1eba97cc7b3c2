"""Tracked changes inside one paragraph: its runs cut into words, and w:ins / w:del around the words that changed.

A paragraph is read as a sequence of tokens: each word, space and punctuation mark of its
text, and each tab, line break, field character, field instruction and picture as one token.
Two versions of a paragraph are compared token by token; the new paragraph's runs are then
split where a change starts or ends, the inserted pieces wrapped in `w:ins`, and the removed
pieces of the old paragraph put back as `w:del` runs (their text as `w:delText`). Every
inserted piece keeps its run's properties and nothing else is touched, so accepting every
revision gives back exactly the new paragraph.

Page numbers shown by PAGE, NUMPAGES and PAGEREF fields depend on the layout, not on the
plan, so they are never compared (a document built with `--pdf` has them, one without has not).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from docx.oxml.ns import qn

from plan_builder.word.xml import P_PR_ORDER, XML_SPACE, insert_in_order

W_P, W_R, W_T, W_HYPERLINK, W_PPR, W_RPR = (qn(f"w:{t}") for t in ("p", "r", "t", "hyperlink", "pPr", "rPr"))
W_INS, W_DEL, W_DEL_TEXT, W_INSTR, W_DEL_INSTR = (
    qn(f"w:{t}") for t in ("ins", "del", "delText", "instrText", "delInstrText")
)
W_FLD_CHAR, W_TAB, W_BR, W_CR, W_STYLE = (qn(f"w:{t}") for t in ("fldChar", "tab", "br", "cr", "pStyle"))
W_ID, W_AUTHOR, W_DATE, W_VAL = (qn(f"w:{t}") for t in ("id", "author", "date", "val"))
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
SKIPPED = {qn("w:rPr"), qn("w:lastRenderedPageBreak")}
LAYOUT_FIELDS = ("PAGE", "NUMPAGES", "PAGEREF", "SECTIONPAGES")
"""Fields whose shown result is a page number: never compared."""
WORD = re.compile(r"(?<![\w.])[+\-\u2212]?\u00a3?\d+(?:,\d{3})*(?:\.\d+)?%?|\w+|\s+|[^\w\s]")
"""Tokens: a number as shown ('+48.6%', '\u00a31,234', '0.19') is one word, so a changed figure is one change."""


@dataclass
class Marks:
    """Makes the revision elements: one author and date, ids unique in the document, and a count of each."""

    author: str
    date: str
    """ISO 8601, e.g. '2025-06-20T10:15:00Z'."""
    next_id: int = 1
    insertions: int = 0
    deletions: int = 0

    def make(self, tag: str) -> Any:
        """A new w:ins or w:del element (empty) with id, author and date."""
        from docx.oxml import OxmlElement

        element = OxmlElement(tag)
        element.set(W_ID, str(self.next_id))
        element.set(W_AUTHOR, self.author)
        element.set(W_DATE, self.date)
        self.next_id += 1
        return element


@dataclass
class Story:
    """One part being compared (the body, a header or a footer): its relationships resolve pictures and links."""

    part: Any
    _images: dict[str, str] = field(default_factory=dict)

    def image_key(self, r_id: str) -> str:
        """A short hash of the picture a relationship points at (so a redrawn chart counts as changed)."""
        if r_id not in self._images:
            related = self.part.related_parts.get(r_id) if r_id else None
            blob = getattr(related, "blob", b"") or r_id.encode()
            self._images[r_id] = hashlib.sha1(blob, usedforsecurity=False).hexdigest()[:16]
        return self._images[r_id]


@dataclass
class Token:
    """One word, space, punctuation mark or piece of non-text content of a run."""

    key: str
    """What is compared: the text itself, or a description of the content ('\\x00img:...')."""
    run: Any
    text: str | None = None
    """The text, for a piece of a w:t."""
    element: Any = None
    """The content element, for anything else (tab, break, field character, picture...)."""
    compared: bool = True
    """False for page numbers shown by fields: kept in place, never compared."""


def runs(paragraph: Any) -> Iterator[Any]:
    """The paragraph's runs in reading order, including those inside hyperlinks."""
    for child in paragraph:
        if child.tag == W_R:
            yield child
        elif child.tag == W_HYPERLINK:
            yield from (run for run in child if run.tag == W_R)


def _content_key(element: Any, story: Story) -> str:
    tag = element.tag
    if tag == W_TAB:
        return "\t"
    if tag in (W_BR, W_CR):
        return "\f" if element.get(qn("w:type")) == "page" else "\n"
    if tag == W_FLD_CHAR:
        return "\x00fld:" + (element.get(qn("w:fldCharType")) or "")
    if tag == W_INSTR:
        return "\x00instr:" + " ".join((element.text or "").split())
    blips = [story.image_key(e.get(R_EMBED) or "") for e in element.iter() if e.get(R_EMBED) is not None]
    described = [e.get("descr") or "" for e in element.iter() if e.get("descr") is not None]
    text = "".join(element.itertext())
    return "\x00" + _local_name(element) + ":" + "|".join([*blips, *described, text])


def _local_name(element: Any) -> str:
    """'drawing' for a w:drawing element."""
    return str(element.tag).rsplit("}", 1)[-1]


def contents(paragraph: Any, story: Story) -> Iterator[tuple[Any, Any, str, bool]]:
    """Each piece of content of the paragraph's runs: (run, element, key, compared), in order.

    A w:t's key is its text. Content shown as the result of a page-number field is not compared.
    """
    fields: list[list[str]] = []  # open fields: [instruction, 'separate' seen]
    for run in runs(paragraph):
        for element in run:
            tag = element.tag
            if tag in SKIPPED:
                continue
            compared = not any(seen and (code.split() or [""])[0] in LAYOUT_FIELDS for code, seen in fields)
            if tag == W_T:
                yield run, element, element.text or "", compared
                continue
            yield run, element, _content_key(element, story), compared
            if tag == W_FLD_CHAR:
                kind = element.get(qn("w:fldCharType"))
                if kind == "begin":
                    fields.append(["", ""])
                elif kind == "separate" and fields:
                    fields[-1][1] = "yes"
                elif kind == "end" and fields:
                    fields.pop()
            elif tag == W_INSTR and fields:
                fields[-1][0] += element.text or ""


def tokens(paragraph: Any, story: Story) -> list[Token]:
    """Every token of the paragraph, in order: each word, space and mark of its text, each other piece whole."""
    found: list[Token] = []
    for run, element, key, compared in contents(paragraph, story):
        if element.tag == W_T:
            found += [Token(piece, run, text=piece, compared=compared) for piece in WORD.findall(key)]
        else:
            found.append(Token(key, run, element=element, compared=compared))
    return found


def paragraph_key(paragraph: Any, story: Story) -> tuple[str, str, str]:
    """What decides whether two paragraphs are the same: the style and all compared content, as one string.

    One string rather than a token per word: keys are made for every paragraph of both documents,
    and most paragraphs are unchanged, so splitting into words waits until a paragraph differs.
    """
    style = paragraph.find(f"{W_PPR}/{W_STYLE}")
    text = "".join(key for _, _, key, compared in contents(paragraph, story) if compared)
    return ("p", style.get(W_VAL) if style is not None else "", text)


def words(key: tuple[str, ...]) -> list[str]:
    """The words of a paragraph key, for judging how alike two paragraphs are."""
    return key[2].split()


def _run_of(source: Any, pieces: list[Token], *, deleted: bool) -> Any:
    """A run with `source`'s properties holding `pieces`; in a deleted run text is w:delText."""
    run = source.makeelement(W_R, dict(source.attrib))
    properties = source.find(W_RPR)
    if properties is not None:
        run.append(copy.deepcopy(properties))
    text: list[str] = []

    def flush() -> None:
        if text:
            t = run.makeelement(W_DEL_TEXT if deleted else W_T, {})
            t.text = "".join(text)
            if t.text != t.text.strip():
                t.set(XML_SPACE, "preserve")
            run.append(t)
            text.clear()

    for piece in pieces:
        if piece.text is not None:
            text.append(piece.text)
            continue
        flush()
        element = copy.deepcopy(piece.element)
        if deleted and element.tag == W_INSTR:
            element.tag = W_DEL_INSTR
        run.append(element)
    flush()
    return run


def _grouped(pieces: list[Token]) -> list[list[Token]]:
    """Consecutive pieces of the same source run, together."""
    groups: list[list[Token]] = []
    for piece in pieces:
        if groups and groups[-1][0].run is piece.run:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def deleted_runs(pieces: list[Token], marks: Marks) -> Any:
    """A w:del holding the removed pieces, each group in a run with its old properties."""
    wrapper = marks.make("w:del")
    for group in _grouped(pieces):
        wrapper.append(_run_of(group[0].run, group, deleted=True))
    marks.deletions += 1
    return wrapper


def _opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """The difflib opcodes, with changes either side of mere spaces joined into one ('rose to 12' -> 'fell to 9').

    Without the joining, a reworded phrase reads as a confetti of one-word changes.
    """
    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    joined: list[tuple[str, int, int, int, int]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(ops):
        spaces_between = tag == "equal" and 0 < index < len(ops) - 1 and all(k.isspace() for k in old[i1:i2])
        if (tag != "equal" or spaces_between) and joined and joined[-1][0] != "equal":
            _, a1, _, b1, _ = joined.pop()
            joined.append(("replace", a1, i2, b1, j2))
        else:
            joined.append(("replace" if spaces_between else tag, i1, i2, j1, j2))
    return joined


def mark_changed_paragraph(old: Any, new: Any, old_story: Story, new_story: Story, marks: Marks) -> None:
    """Mark in `new` the words inserted since `old` and put back, as deletions, the words removed from it."""
    old_tokens = [t for t in tokens(old, old_story) if t.compared]
    new_all = tokens(new, new_story)
    new_tokens = [t for t in new_all if t.compared]
    inserted: set[int] = set()  # ids of inserted new tokens
    removed_before: dict[int, list[Token]] = defaultdict(list)  # id of the new token they precede (-1: end)
    for tag, i1, i2, j1, j2 in _opcodes([t.key for t in old_tokens], [t.key for t in new_tokens]):
        if tag in ("replace", "delete"):
            anchor = id(new_tokens[j1]) if j1 < len(new_tokens) else -1
            removed_before[anchor] += old_tokens[i1:i2]
        if tag in ("replace", "insert"):
            inserted.update(id(t) for t in new_tokens[j1:j2])
    if not inserted and not removed_before:
        return
    last = None
    for run in list(runs(new)):
        mine = [t for t in new_all if t.run is run]
        if not mine:
            last = run
            continue
        last = _rewrite_run(run, mine, inserted, removed_before, marks)
    if -1 in removed_before:
        wrapper = deleted_runs(removed_before[-1], marks)
        if last is not None:
            last.addnext(wrapper)
        else:
            new.append(wrapper)
    merge_adjacent(new)


def _rewrite_run(
    run: Any, mine: list[Token], inserted: set[int], removed_before: dict[int, list[Token]], marks: Marks
) -> Any:
    """Replace `run` by its pieces: kept runs, inserted runs in w:ins and deletions where they fall; return the last."""
    touched = any(id(t) in inserted for t in mine) or any(id(t) in removed_before for t in mine[1:])
    if id(mine[0]) in removed_before:
        run.addprevious(deleted_runs(removed_before[id(mine[0])], marks))
    if not touched:
        return run
    pieces: list[Any] = []
    current: list[Token] = []
    state = False

    def flush() -> None:
        if current:
            piece = _run_of(run, current, deleted=False)
            if state:
                wrapper = marks.make("w:ins")
                wrapper.append(piece)
                marks.insertions += 1
                piece = wrapper
            pieces.append(piece)
            current.clear()

    for index, token in enumerate(mine):
        if index and id(token) in removed_before:
            flush()
            pieces.append(deleted_runs(removed_before[id(token)], marks))
        flag = id(token) in inserted
        if flag != state:
            flush()
            state = flag
        current.append(token)
    flush()
    for piece in pieces:
        run.addprevious(piece)
    run.getparent().remove(run)
    return pieces[-1]


def merge_adjacent(parent: Any) -> None:
    """Join neighbouring w:ins (or w:del) of the same author and date into one, so each change is listed once."""
    for container in [parent, *(child for child in parent if child.tag == W_HYPERLINK)]:
        previous = None
        for child in list(container):
            if (
                previous is not None
                and child.tag == previous.tag
                and child.tag in (W_INS, W_DEL)
                and child.get(W_AUTHOR) == previous.get(W_AUTHOR)
            ):
                previous.extend(list(child))
                container.remove(child)
                continue
            previous = child


def mark_paragraph(paragraph: Any, tag: str, marks: Marks) -> None:
    """Mark the paragraph mark itself inserted or deleted (w:pPr/w:rPr/w:ins or w:del, first in w:rPr)."""
    properties = paragraph.find(W_PPR)
    if properties is None:
        properties = paragraph.makeelement(W_PPR, {})
        paragraph.insert(0, properties)
    run_properties = properties.find(W_RPR)
    if run_properties is None:
        run_properties = insert_in_order(properties, properties.makeelement(W_RPR, {}), P_PR_ORDER)
    run_properties.insert(0, marks.make(tag))


def wrap_runs(paragraph: Any, tag: str, marks: Marks) -> None:
    """Wrap every run of the paragraph in w:ins or w:del (a deleted run's text becoming w:delText)."""
    for run in list(runs(paragraph)):
        if tag == "w:del":
            for element in run.iter(W_T, W_INSTR):
                element.tag = W_DEL_TEXT if element.tag == W_T else W_DEL_INSTR
        wrapper = marks.make(tag)
        run.addprevious(wrapper)
        wrapper.append(run)
    merge_adjacent(paragraph)
    containers = [paragraph, *(child for child in paragraph if child.tag == W_HYPERLINK)]
    count = sum(1 for container in containers for child in container if child.tag == qn(tag))
    if tag == "w:ins":
        marks.insertions += count
    else:
        marks.deletions += count
