"""Accessibility audit of a built plan (.docx), against the YJB reference, section 6.

The audit reads the written document, not the renderer's intentions, so it also
catches problems that a council's own template brings in (9 pt text, no language,
a pale link colour). Every finding has a rule id and a location a Word user can
find: a paragraph by its heading, a table by its caption, row and column, an image
by its number. One pass over the XML with lxml keeps it well under a second.
"""

from __future__ import annotations

import colorsys
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
from docx.opc.exceptions import PackageNotFoundError

from plan_builder.checks.findings import MESSAGES, AuditReport, Finding
from plan_builder.checks.wordml import (
    DECORATIVE,
    DOCPR,
    FALLBACK,
    MIN_BODY_PT,
    MIN_CONTRAST,
    PPR,
    PSTYLE,
    R_ID,
    RPR,
    SHD,
    SUBSTANTIAL,
    TBL,
    TC,
    TCPR,
    TR,
    V_IMAGEDATA,
    V_SHAPE,
    VAL,
    W_NS,
    P,
    R,
    Styles,
    fill_of,
    flag,
    is_hex,
    is_on,
    outline_level,
    plain,
    ratio,
    runs_phrase,
    short,
    text_of,
    to_int,
    val,
)
from plan_builder.errors import OutputError
from plan_builder.palette import RATING_FILLS, contrast_ratio

if TYPE_CHECKING:
    from docx.document import Document

__all__ = ["AuditReport", "Finding", "audit", "audit_document", "contrast_ratio", "rag_hue"]

LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?")
VAGUE_LINKS = {"click here", "here", "this link", "read more", "more", "link"}
BARE_URL = re.compile(r"(https?://|www\.)", re.IGNORECASE)
WORDS_PER_PAGE, TOC_PAGES = 500, 10
KNOWN_RAG_FILLS = RATING_FILLS


def audit_document(path: Path) -> AuditReport:
    """Open the .docx at `path` and audit it; raise `OutputError` if it is not a Word document."""
    if not path.is_file():
        raise OutputError(f"{path}: cannot audit: no such file")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        detail = "" if isinstance(exc, PackageNotFoundError) else f" ({exc})"  # its text only repeats the path
        raise OutputError(f"{path}: cannot audit: not a Word .docx file{detail}") from exc
    return audit(document)


def audit(document: Document) -> AuditReport:
    """Audit an open document, for example one not yet saved."""
    return AuditReport(_Audit(document).run())


def rag_hue(fill: str) -> str | None:
    """The rating a fill suggests ('red', 'amber', 'green', or a known RAG fill's name), else None.

    White, greys and pale tints (HLS saturation under 15%) suggest none; nor do blues
    and teals, such as the brand colour of header rows.
    """
    fill = fill.upper()
    if fill in KNOWN_RAG_FILLS or not is_hex(fill):
        return KNOWN_RAG_FILLS.get(fill)
    hue, lightness, saturation = colorsys.rgb_to_hls(*(int(fill[i : i + 2], 16) / 255 for i in (0, 2, 4)))
    if saturation < 0.15 or not 0.08 < lightness < 0.97:
        return None
    degrees = hue * 360
    if degrees < 20 or degrees >= 330:
        return "red"
    return "amber" if degrees < 70 else "green" if degrees < 170 else None


@dataclass
class _Cell:
    """The table cell a paragraph is in: where it is and the colours behind its text."""

    where: str
    fill: str | None
    table: tuple[str | None, bool]  # table style id, and whether its first-row formatting applies
    reported: set[str] = field(default_factory=set)


class _Audit:
    """State of the single pass over the document: the nearest heading, counters, findings."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.styles = Styles(plain(document.styles.element))
        self.body = plain(document.element).find(f"{W_NS}body")
        self.findings: list[Finding] = []
        self.part: str | None = None  # None in the body, else 'the header of section 2' and so on
        self.heading: str | None = None
        self.level, self.level_text, self.headings, self.has_h1 = 0, "", 0, False
        self.paragraphs = self.tables = self.images = 0
        self.pages, self.words = 1, 0
        self.small: dict[tuple[str, float], list[Any]] = {}  # (style, pt) -> [runs, first location]
        self.faint: dict[tuple[str, str], list[Any]] = {}  # (style, colour) -> [runs, first location]
        self.link_looks: dict[tuple[str, str], list[Any]] = {}  # (style, problem) -> [runs, first location]

    def add(self, key: str, where: str, **fields: object) -> None:
        rule, severity, template = MESSAGES[key]
        self.findings.append(Finding(rule, severity, template.format(**fields), where))

    def run(self) -> list[Finding]:
        self._properties()
        body = self.body
        self._blocks(body, None)
        if not self.has_h1:
            self.add("no-h1", "document")
        instructions = [i.text or "" for i in body.iter(f"{W_NS}instrText")]
        instructions += [f.get(f"{W_NS}instr") or "" for f in body.iter(f"{W_NS}fldSimple")]
        pages = max(self.pages, self.words // WORDS_PER_PAGE + 1)
        if pages > TOC_PAGES and self.headings > 1 and not any(i.split()[:1] == ["TOC"] for i in instructions):
            self.add("no-toc", "document", pages=pages)
        for label, element in self._header_footer_parts():
            self.part, self.paragraphs, self.tables, self.images = label, 0, 0, 0
            self._blocks(element, None)
        for (style, size), (count, where) in self.small.items():
            self.add("small-text", where, runs=runs_phrase(count), style=style, size=f"{size:g}")
        for (style, colour), (count, where) in self.faint.items():
            contrast = ratio(colour, "FFFFFF")
            self.add("faint-text", where, runs=runs_phrase(count), style=style, text=colour, ratio=contrast)
        for (style, problem), (count, where) in self.link_looks.items():
            self.add("link-look", where, runs=runs_phrase(count), style=style, problem=problem)
        return self.findings

    def _properties(self) -> None:
        props = self.document.core_properties
        title = (props.title or "").strip()
        if not title:
            self.add("no-title", "document properties")
        elif re.search(r"\.(docx?|dotx?|pdf)$", title, re.IGNORECASE):  # left over from a template or a save
            self.add("file-title", "document properties", title=title)
        language = (props.language or "").strip()
        if not language:
            self.add("no-language", "document properties")
        elif not LANGUAGE_TAG.fullmatch(language):
            self.add("bad-language", "document properties", tag=language)
        normal = self.styles.by_id.get(self.styles.default_paragraph)
        text_language = val(self.styles.doc_defaults, f"{W_NS}lang")
        text_language = text_language or val(normal.find(RPR) if normal is not None else None, f"{W_NS}lang")
        if not text_language:
            self.add("no-text-language", "styles")
        elif not LANGUAGE_TAG.fullmatch(text_language):
            self.add("bad-text-language", "styles", tag=text_language)

    def _header_footer_parts(self) -> Iterator[tuple[str, Any]]:
        """Each header and footer once, named after the first section that uses it."""
        rels, seen = self.document.part.rels, set()
        for index, sect_pr in enumerate(self.body.iter(f"{W_NS}sectPr"), start=1):
            for ref in sect_pr:
                kind, rel_id = ref.tag.removeprefix(W_NS).removesuffix("Reference"), ref.get(R_ID, "")
                if kind in ("header", "footer") and rel_id in rels and rel_id not in seen:
                    seen.add(rel_id)
                    which = {"first": "first-page ", "even": "even-page "}.get(ref.get(f"{W_NS}type") or "", "")
                    yield f"the {which}{kind} of section {index}", plain(rels[rel_id].target_part.element)

    def _near(self) -> str:
        if self.part:
            return f"in {self.part}"
        return f"after heading '{self.heading}'" if self.heading else "before the first heading"

    def _blocks(self, container: Any, cell: _Cell | None) -> None:
        empty, first_empty = 0, ""
        for child in container:
            if child.tag == P:
                where, is_empty = self._paragraph(child, cell)
                if is_empty:
                    empty, first_empty = empty + 1, first_empty if empty else where
                    continue
            elif child.tag == TBL:
                self._table(child)
            elif child.tag in (f"{W_NS}sdt", f"{W_NS}customXml"):
                content = child.find(f"{W_NS}sdtContent") if child.tag == f"{W_NS}sdt" else child
                self._blocks(content if content is not None else [], cell)
            else:
                continue  # bookmarks, section properties: nothing a reader sees
            if empty > 2 and self.part is None:
                self.add("spacing", first_empty, count=empty)
            empty = 0
        if empty > 2 and self.part is None:
            self.add("spacing", first_empty, count=empty)

    def _paragraph(self, p: Any, cell: _Cell | None) -> tuple[str, bool]:
        p_pr = p.find(PPR)
        style = val(p_pr, PSTYLE) or self.styles.default_paragraph
        text = text_of(p)
        outline = val(p_pr, f"{W_NS}outlineLvl")
        level = outline_level(outline) if outline is not None else self.styles.heading_level(style)
        self.paragraphs += cell is None
        if self.part is None and cell is None and level is not None:
            self._heading(level, " ".join(text.split()))
        if cell is not None or self.part or not self.heading:
            where = cell.where if cell is not None else f"paragraph {self.paragraphs} ({self._near()})"
        else:
            where = f"paragraph {self.paragraphs} ({'heading' if level else 'after heading'} '{self.heading}')"
        page_breaks = sum(1 for br in p.iter(f"{W_NS}br") if br.get(f"{W_NS}type") == "page")
        if self.part is None:  # a page count estimate, for the contents rule
            flag = p_pr.find(f"{W_NS}pageBreakBefore") if p_pr is not None else None
            starts_page = is_on(flag) if flag is not None else self.styles.page_break_before(style)
            self.pages += (starts_page and self.words > 0) + page_breaks
            self.pages += p_pr is not None and p_pr.find(f"{W_NS}sectPr") is not None
            self.words += len(text.split())
        self._images(p)
        self._links(p, where)
        self._link_looks(p, style, cell, where)
        self._runs(p, style, cell, where)
        return where, not text.strip() and not page_breaks and not any(e.tag in SUBSTANTIAL for e in p.iter())

    def _heading(self, level: int, text: str) -> None:
        self.headings += 1
        self.has_h1 = self.has_h1 or level == 1
        if not text:
            self.add("empty-heading", f"paragraph {self.paragraphs} ({self._near()})", level=level)
            return
        if level > self.level + 1:
            before = f"the heading before it, '{self.level_text}', is Heading {self.level}"
            before = before if self.level else "it is the first heading"
            where = f"paragraph {self.paragraphs} (heading '{text}')"
            self.add("skipped", where, text=text, level=level, before=before, fix=self.level + 1)
        self.level, self.level_text, self.heading = level, text, text

    def _images(self, p: Any) -> None:
        """Pictures need alt text unless marked decorative; VML counts only with a picture in it, not a watermark."""
        drawings = [(d, d.get("descr"), any(flag(x, "val") for x in d.iter(DECORATIVE))) for d in p.iter(DOCPR)]
        vml = [(shape, shape.get("alt"), False) for shape in p.iter(V_SHAPE) if shape.find(V_IMAGEDATA) is not None]
        for element, alt, decorative in drawings + vml:
            if any(True for _ in element.iterancestors(FALLBACK)):
                continue  # the same picture again for older readers
            self.images += 1
            if not (alt or "").strip() and not decorative:
                self.add("no-alt", f"image {self.images} ({self._near()})")

    def _links(self, p: Any, where: str) -> None:
        for link in p.iter(f"{W_NS}hyperlink"):
            shown = " ".join(text_of(link).split())
            if not shown:
                self.add("empty-link", where)
            elif shown.strip(" .,:;!?'\"()[]-").lower() in VAGUE_LINKS:
                self.add("vague-link", where, text=shown)
            elif BARE_URL.match(shown) and link.get(f"{W_NS}anchor") is None:
                self.add("bare-url", where, text=short(shown))

    def _link_looks(self, p: Any, style: str | None, cell: _Cell | None, where: str) -> None:
        """A web link must be underlined and coloured unlike the text around it (WCAG 1.4.1: not by colour alone).

        Links within the document (the contents page's entries) are exempt: they are not read as links.
        """
        table = cell.table if cell is not None else (None, False)
        around = self._colour(None, style, None, table)
        for link in p.iter(f"{W_NS}hyperlink"):
            if link.get(R_ID) is None:
                continue
            for run in link.iter(R):
                if not text_of(run).strip():
                    continue
                r_pr = run.find(RPR)
                char_style = val(r_pr, f"{W_NS}rStyle")
                underline = val(r_pr, f"{W_NS}u") or self.styles.run_value(f"{W_NS}u", style, char_style, table)
                problems = [] if underline not in (None, "none") else ["not underlined"]
                if self._colour(r_pr, style, char_style, table) == around:
                    problems.append("the same colour as the text around it")
                if problems:
                    key = (self.styles.name(char_style or style), ", ".join(problems))
                    self.link_looks.setdefault(key, [0, where])[0] += 1

    def _colour(self, r_pr: Any, style: str | None, char_style: str | None, table: tuple[str | None, bool]) -> str:
        """A run's text colour as hex; unset or 'auto' reads as black."""
        colour = val(r_pr, f"{W_NS}color") or self.styles.run_value(f"{W_NS}color", style, char_style, table)
        return colour.upper() if colour is not None and is_hex(colour) else "000000"

    def _runs(self, p: Any, style: str | None, cell: _Cell | None, where: str) -> None:
        table = cell.table if cell is not None else (None, False)
        for run in p.iter(R):
            if not text_of(run).strip():
                continue
            r_pr = run.find(RPR)
            char_style = val(r_pr, f"{W_NS}rStyle")
            if self.part is None:
                stated = val(r_pr, f"{W_NS}sz") or self.styles.run_value(f"{W_NS}sz", style, char_style, table)
                size = to_int(stated, 20)
                if size / 2 < MIN_BODY_PT:
                    self.small.setdefault((self.styles.name(style), size / 2), [0, where])[0] += 1
            colour = self._colour(r_pr, style, char_style, table)
            if cell is not None and cell.fill:
                if ratio(colour, cell.fill) < MIN_CONTRAST and colour not in cell.reported:
                    cell.reported.add(colour)
                    self.add("low-contrast", where, text=colour, fill=cell.fill, ratio=ratio(colour, cell.fill))
            elif ratio(colour, "FFFFFF") < MIN_CONTRAST:
                key = (self.styles.name(char_style or style), colour)
                self.faint.setdefault(key, [0, where])[0] += 1

    def _table(self, tbl: Any) -> None:
        self.tables += 1
        number, previous = self.tables, tbl.getprevious()
        while previous is not None and previous.tag not in (P, TBL):
            previous = previous.getprevious()
        caption = text_of(previous).strip() if previous is not None and previous.tag == P else ""
        is_caption = previous is not None and self.styles.name(val(previous.find(PPR), PSTYLE)) == "Caption"
        near = (
            f"caption '{short(caption)}'" if caption and (is_caption or caption.startswith("Table")) else self._near()
        )
        t_pr = tbl.find(f"{W_NS}tblPr")
        table_style = val(t_pr, f"{W_NS}tblStyle")
        look = t_pr.find(f"{W_NS}tblLook") if t_pr is not None else None
        first_look = look is not None and (flag(look, f"{W_NS}firstRow") or to_int(look.get(VAL), 0, 16) & 0x0020 != 0)
        rows = tbl.findall(TR)
        header = [is_on(tr.find(f"{W_NS}trPr/{W_NS}tblHeader")) for tr in rows]
        if rows and not header[0]:
            self.add("no-header-row", f"table {number} ({near})")
        names: dict[int, str] = {}
        for row_number, tr in enumerate(rows, start=1):
            column = 0
            for tc in tr.findall(TC):
                tc_pr = tc.find(TCPR)
                span = max(1, to_int(val(tc_pr, f"{W_NS}gridSpan"), 1))
                if row_number == 1:
                    names[column] = short(text_of(tc), 40)
                label = f"column '{names[column]}'" if names.get(column) else f"column {column + 1}"
                where = f"table {number} ({near}, row {row_number}, {label})"
                if span > 1:
                    self.add("merged-across", where, span=span)
                if val(tc_pr, f"{W_NS}vMerge") == "restart":
                    self.add("merged-down", where)
                first = row_number == 1 and first_look
                fill = fill_of(tc_pr.find(SHD) if tc_pr is not None else None) or self.styles.table_fill(
                    table_style, first
                )
                hue = rag_hue(fill) if fill and not header[row_number - 1] else None
                if hue and not text_of(tc).strip():
                    self.add("colour-only", where, fill=fill, hue=hue)
                self._blocks(tc, _Cell(where, fill, (table_style, first)))
                column += span
