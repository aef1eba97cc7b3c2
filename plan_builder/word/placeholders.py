"""`{{ field }}` placeholders in a template's header or footer, filled with the plan's running text.

A council leaves room for the plan's title, status and page numbers by typing fields
such as `{{ status_line }}` or `Page {{ page }} of {{ pages }}` into its header or footer.
Word splits typed text into runs as it pleases (spelling marks, edits), so a field may
span several runs: each paragraph's runs are read as one text, and only the runs a
field touches are rewritten, each keeping its own formatting.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from docx.oxml.ns import qn

FIELD = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
PAGE_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}
"""Fields that become Word fields (the current page, the number of pages) rather than text."""

W_P, W_R, W_T, W_RPR = (qn(f"w:{tag}") for tag in ("p", "r", "t", "rPr"))
TRANSPARENT = {qn(f"w:{tag}") for tag in ("proofErr", "bookmarkStart", "bookmarkEnd", "permStart", "permEnd")}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def fields_in(element: Any) -> list[str]:
    """Names of the fields typed in `element` (a header or footer), in order, each once."""
    names: list[str] = []
    for paragraph in element.iter(W_P):
        for group in _text_groups(paragraph):
            names += [m[1] for m in FIELD.finditer("".join(t.text or "" for _, t in group))]
    return list(dict.fromkeys(names))


def fill_fields(element: Any, values: Mapping[str, str]) -> list[str]:
    """Replace every field in `element` with its value (or a page field); return the names not in `values`."""
    unknown = [name for name in fields_in(element) if name not in values and name not in PAGE_FIELDS]
    if unknown:
        return unknown
    for paragraph in list(element.iter(W_P)):
        _split_runs(paragraph)
        for group in _text_groups(paragraph):
            text = "".join(t.text or "" for _, t in group)
            if FIELD.search(text):
                _rewrite(group, text, values)
    return []


def _split_runs(paragraph: Any) -> None:
    """Give each piece of a run (text, tab, picture) a run of its own with the same formatting.

    Only then can a field's text be told from the tabs and pictures beside it.
    """
    for run in list(paragraph.iterchildren(W_R)):
        pieces = [child for child in run if child.tag != W_RPR]
        if len(pieces) < 2:
            continue
        r_pr = run.find(W_RPR)
        for piece in pieces:
            new = run.makeelement(W_R, run.attrib)
            if r_pr is not None:
                new.append(copy.deepcopy(r_pr))
            new.append(piece)
            run.addprevious(new)
        paragraph.remove(run)


def _text_groups(paragraph: Any) -> list[list[tuple[Any, Any]]]:
    """Runs of text next to each other (spelling marks and bookmarks between them do not count), as (run, w:t)."""
    groups: list[list[tuple[Any, Any]]] = [[]]
    for child in paragraph:
        if child.tag in TRANSPARENT or child.tag == qn("w:pPr"):
            continue
        texts = child.findall(W_T) if child.tag == W_R else []
        others = [c for c in child if c.tag not in (W_RPR, W_T)] if child.tag == W_R else [child]
        if not texts and not others:
            continue  # an empty run
        if texts and not others:
            groups[-1] += [(child, t) for t in texts]
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def _rewrite(group: list[tuple[Any, Any]], text: str, values: Mapping[str, str]) -> None:
    """Rebuild a group's runs: text outside fields keeps its run's formatting; a field takes its first run's."""
    starts, position = [], 0
    for _, t in group:
        starts.append(position)
        position += len(t.text or "")

    def run_at(offset: int) -> Any:
        index = max(i for i, start in enumerate(starts) if start <= offset)
        return group[index][0]

    def pieces(begin: int, end: int) -> list[Any]:
        made = []
        for (run, t), start in zip(group, starts, strict=True):
            piece = (t.text or "")[max(begin - start, 0) : max(end - start, 0)]
            if piece:
                made.append(_text_run(run, piece))
        return made

    new_runs: list[Any] = []
    done = 0
    for match in FIELD.finditer(text):
        new_runs += pieces(done, match.start())
        owner, name = run_at(match.start()), match[1]
        if name in PAGE_FIELDS:
            new_runs += _page_field(owner, PAGE_FIELDS[name])
        elif values[name]:
            new_runs.append(_text_run(owner, values[name]))
        done = match.end()
    new_runs += pieces(done, len(text))
    first = group[0][0]
    for run in new_runs:
        first.addprevious(run)
    for run in dict.fromkeys(run for run, _ in group):
        run.getparent().remove(run)


def _like(run: Any) -> Any:
    """An empty run with `run`'s formatting."""
    new = run.makeelement(W_R, {})
    r_pr = run.find(W_RPR)
    if r_pr is not None:
        new.append(copy.deepcopy(r_pr))
    return new


def _text_run(run: Any, text: str) -> Any:
    new = _like(run)
    t = new.makeelement(W_T, {})
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")
    new.append(t)
    return new


def _page_field(run: Any, instruction: str) -> list[Any]:
    """The runs of a PAGE or NUMPAGES field, showing '1' until Word or LibreOffice lays the pages out."""
    runs = []
    for kind in ("begin", "instr", "separate", "result", "end"):
        new = _like(run)
        if kind == "instr":
            instr = new.makeelement(qn("w:instrText"), {XML_SPACE: "preserve"})
            instr.text = f" {instruction} "
            new.append(instr)
        elif kind == "result":
            new = _text_run(run, "1")
        else:
            new.append(new.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))
        runs.append(new)
    return runs
