"""Accessibility audit of a built plan (.docx), against the YJB reference, section 6.

The audit reads the written document, not the renderer's intentions, so it also
catches problems that a council's own template brings in (9 pt text, no language,
a pale link colour). Every finding has a rule id and a location a Word user can
find: a paragraph by its heading, a table by its caption, row and column, an image
by its number. One pass over the XML with lxml keeps it well under a second.
"""

from __future__ import annotations

import colorsys
import functools
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.styles import BabelFish
from lxml import etree

from plan_builder.errors import OutputError
from plan_builder.palette import RATING_FILLS, contrast_ratio

if TYPE_CHECKING:
    from docx.document import Document

Severity = Literal["error", "warning"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, R, T, TBL, TR, TC, VAL = (f"{_W}{t}" for t in ("p", "r", "t", "tbl", "tr", "tc", "val"))
PPR, RPR, TCPR, SHD, PSTYLE = (f"{_W}{t}" for t in ("pPr", "rPr", "tcPr", "shd", "pStyle"))
DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
V_SHAPE, V_IMAGEDATA = "{urn:schemas-microsoft-com:vml}shape", "{urn:schemas-microsoft-com:vml}imagedata"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# A paragraph without text that holds one of these is content or layout, not an empty line.
SUBSTANTIAL = {f"{_W}{t}" for t in ("drawing", "pict", "object", "sectPr", "fldChar", "fldSimple")}

LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?")
VAGUE_LINKS = {"click here", "here", "this link", "read more", "more", "link"}
BARE_URL = re.compile(r"(https?://|www\.)", re.IGNORECASE)
MIN_CONTRAST, MIN_BODY_PT, WORDS_PER_PAGE, TOC_PAGES = 4.5, 11.0, 500, 10
KNOWN_RAG_FILLS = RATING_FILLS
ALT_HINT = "; right-click it > View Alt Text and describe what it shows"

# Every finding the audit can report: key -> (rule id, severity, message template).
MESSAGES: dict[str, tuple[str, Severity, str]] = {
    "no-title": ("title", "error", "the document has no title; set the Title property (File > Info)"),
    "file-title": ("title", "error", "the document title '{title}' is a file name; give it a meaningful title"),
    "no-language": ("language", "error", "the document has no language; set the Language property to en-GB"),
    "bad-language": ("language", "error", "the document language '{tag}' is not a language tag such as en-GB"),
    "no-text-language": ("language", "error", "no default text language; set w:lang in the Normal style to en-GB"),
    "bad-text-language": ("language", "error", "the default text language '{tag}' is not a tag such as en-GB"),
    "skipped": ("headings", "error", "heading '{text}' is Heading {level} but {before}: use Heading {fix}"),
    "empty-heading": ("headings", "error", "empty Heading {level}; give it text or remove it"),
    "no-h1": ("headings", "error", "the document has no Heading 1; use it for each top-level section"),
    "no-alt": ("alt-text", "error", "picture has no alt text" + ALT_HINT),
    "no-header-row": ("table-header", "error", "the first row is not marked as a header row (Repeat as header row)"),
    "merged-across": ("merged-cells", "error", "cell merged across {span} columns; split it"),
    "merged-down": ("merged-cells", "error", "cell merged with the cell below it; split it"),
    "colour-only": ("rag-colour", "error", "cell coloured {fill} ({hue}) has no text: colour without words"),
    "low-contrast": ("contrast", "error", "text colour {text} on fill {fill} has contrast {ratio:.2f}:1; 4.5:1 needed"),
    "faint-text": (
        "contrast",
        "warning",
        "{runs} in style '{style}': colour {text} has contrast {ratio:.2f}:1 on the white page; 4.5:1 needed",
    ),
    "vague-link": ("link-text", "error", "link text '{text}' does not say where the link goes"),
    "bare-url": ("link-text", "error", "link text '{text}' is a bare web address; describe the destination"),
    "empty-link": ("link-text", "error", "link has no visible text"),
    "small-text": ("font-size", "error", "{runs} in style '{style}' at {size} pt; body text must be at least 11 pt"),
    "spacing": ("empty-paragraphs", "warning", "{count} empty paragraphs in a row used for spacing"),
    "no-toc": ("document", "warning", "about {pages} pages but no table of contents; add one"),
}


@dataclass(frozen=True)
class Finding:
    """One accessibility problem: which rule, how serious, what is wrong and where."""

    rule: str
    severity: Severity
    message: str
    location: str

    def line(self) -> str:
        """The finding as one report line: 'error: LOCATION: [rule] message'."""
        return f"{self.severity}: {self.location}: [{self.rule}] {self.message}"


@dataclass
class AuditReport:
    """Every finding of one audit: properties, the body in reading order, headers and footers, then totals.

    The totals (text too small, faint text on the page) are one finding per style,
    located at the first occurrence, so a 60-page plan does not give 1,000 lines.
    """

    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Findings that make the document fail WCAG 2.1 AA."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings worth fixing that do not on their own fail the document."""
        return [f for f in self.findings if f.severity == "warning"]

    def lines(self) -> list[str]:
        """One line per finding, as the CLI prints them."""
        return [finding.line() for finding in self.findings]

    def to_json(self) -> dict[str, Any]:
        """The report as a JSON-ready object, for the build manifest or CI."""
        findings = [asdict(finding) for finding in self.findings]
        return {"errors": len(self.errors), "warnings": len(self.warnings), "findings": findings}


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
    if fill in KNOWN_RAG_FILLS or not _is_hex(fill):
        return KNOWN_RAG_FILLS.get(fill)
    hue, lightness, saturation = colorsys.rgb_to_hls(*(int(fill[i : i + 2], 16) / 255 for i in (0, 2, 4)))
    if saturation < 0.15 or not 0.08 < lightness < 0.97:
        return None
    degrees = hue * 360
    if degrees < 20 or degrees >= 330:
        return "red"
    return "amber" if degrees < 70 else "green" if degrees < 170 else None


def _is_hex(colour: str | None) -> bool:
    return colour is not None and re.fullmatch(r"[0-9A-Fa-f]{6}", colour) is not None


def _val(element: Any, tag: str) -> str | None:
    child = element.find(tag) if element is not None else None
    return child.get(VAL) if child is not None else None


def _on(element: Any) -> bool:
    return element is not None and element.get(VAL, "true") not in ("false", "0", "off")


def _flag(element: Any, attribute: str) -> bool:
    return element.get(attribute) in ("1", "true", "on")


def _int(value: str | None, default: int, base: int = 10) -> int:
    try:
        return int(value, base) if value is not None else default
    except ValueError:
        return default


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(T))


def _fill(shd: Any) -> str | None:
    """A shading element's background colour; 'solid' shading shows its pattern colour."""
    if shd is None or shd.get(VAL) == "nil":
        return None
    value = shd.get(f"{_W}color") if shd.get(VAL) == "solid" else shd.get(f"{_W}fill")
    return value.upper() if value is not None and _is_hex(value) else None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _runs(count: int) -> str:
    return "1 run of text" if count == 1 else f"{count} runs of text"


@functools.lru_cache(maxsize=1024)
def _ratio(first: str, second: str) -> float:
    """The contrast ratio rounded down to 2 decimals, so 4.499 never shows as a passing 4.50."""
    return math.floor(contrast_ratio(first, second) * 100) / 100


def _outline_level(value: str | None) -> int | None:
    """Heading level of an outline level: '0'-'8' are levels 1-9; '9' is body text."""
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else None


def _plain(element: Any) -> Any:
    """A plain lxml copy of a python-docx element: reading it is several times faster without proxy classes."""
    return etree.fromstring(etree.tostring(element))


def _first_row(style: Any, tag: str) -> Any:
    """`tag` (rPr, tcPr) of a table style's first-row formatting."""
    for conditional in style.findall(f"{_W}tblStylePr"):
        if conditional.get(f"{_W}type") == "firstRow":
            return conditional.find(tag)
    return None


class _Styles:
    """Style lookups with Word's inheritance: basedOn chains, table styles, document defaults.

    Each lookup is memoised for the document: a plan has thousands of runs but few styles.
    """

    def __init__(self, root: Any) -> None:
        self.by_id = {s.get(f"{_W}styleId"): s for s in root.iter(f"{_W}style")}
        paragraph_defaults = (
            i for i, s in self.by_id.items() if s.get(f"{_W}type") == "paragraph" and _flag(s, f"{_W}default")
        )
        self.default_paragraph = next(paragraph_defaults, None)
        self.doc_defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{RPR}")
        self.name, self.chain = functools.cache(self._name), functools.cache(self._chain)
        self.heading_level, self.page_break_before = functools.cache(self._level), functools.cache(self._break)
        self.run_value, self.table_fill = functools.cache(self._run_value), functools.cache(self._table_fill)

    def _name(self, style_id: str | None) -> str:
        """The name Word shows for the style ('Heading 1', not 'heading 1')."""
        return str(BabelFish.internal2ui(_val(self.by_id.get(style_id), f"{_W}name") or style_id or "Normal"))

    def _chain(self, style_id: str | None) -> list[Any]:
        """The style and the styles it is based on, nearest first."""
        styles: list[Any] = []
        while style_id in self.by_id and self.by_id[style_id] not in styles:
            styles.append(self.by_id[style_id])
            style_id = _val(styles[-1], f"{_W}basedOn")
        return styles

    def _level(self, style_id: str | None) -> int | None:
        """1-9 for 'Heading N' styles and styles with an outline level; None for body text and 'TOC Heading'."""
        name = self.name(style_id).lower()
        match = re.fullmatch(r"heading ([1-9])", name)
        outline = next((v for s in self.chain(style_id) if (v := _val(s.find(PPR), f"{_W}outlineLvl"))), None)
        return None if name == "toc heading" else int(match[1]) if match else _outline_level(outline)

    def _break(self, style_id: str | None) -> bool:
        """True if the paragraph style, or a style it is based on, starts a new page."""
        flags = (s.find(f"{PPR}/{_W}pageBreakBefore") for s in self.chain(style_id))
        return _on(next((flag for flag in flags if flag is not None), None))

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
            *(_first_row(s, RPR) for s in table_styles if table[1]),
            *(s.find(RPR) for s in table_styles),
            self.doc_defaults,
        ]
        return next((v for layer in layers if (v := _val(layer, tag)) is not None), None)

    def _table_fill(self, table_style: str | None, first_row: bool) -> str | None:
        """The cell fill a table style gives (its first-row fill for the first row)."""
        styles = self.chain(table_style)
        layers = [*(_first_row(s, TCPR) for s in styles if first_row), *(s.find(TCPR) for s in styles)]
        return next((fill for layer in layers if layer is not None and (fill := _fill(layer.find(SHD)))), None)


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
        self.styles = _Styles(_plain(document.styles.element))
        self.body = _plain(document.element).find(f"{_W}body")
        self.findings: list[Finding] = []
        self.part: str | None = None  # None in the body, else 'the header of section 2' and so on
        self.heading: str | None = None
        self.level, self.level_text, self.headings, self.has_h1 = 0, "", 0, False
        self.paragraphs = self.tables = self.images = 0
        self.pages, self.words = 1, 0
        self.small: dict[tuple[str, float], list[Any]] = {}  # (style, pt) -> [runs, first location]
        self.faint: dict[tuple[str, str], list[Any]] = {}  # (style, colour) -> [runs, first location]

    def add(self, key: str, where: str, **fields: object) -> None:
        rule, severity, template = MESSAGES[key]
        self.findings.append(Finding(rule, severity, template.format(**fields), where))

    def run(self) -> list[Finding]:
        self._properties()
        body = self.body
        self._blocks(body, None)
        if not self.has_h1:
            self.add("no-h1", "document")
        instructions = [i.text or "" for i in body.iter(f"{_W}instrText")]
        instructions += [f.get(f"{_W}instr") or "" for f in body.iter(f"{_W}fldSimple")]
        pages = max(self.pages, self.words // WORDS_PER_PAGE + 1)
        if pages > TOC_PAGES and self.headings > 1 and not any(i.split()[:1] == ["TOC"] for i in instructions):
            self.add("no-toc", "document", pages=pages)
        for label, element in self._header_footer_parts():
            self.part, self.paragraphs, self.tables, self.images = label, 0, 0, 0
            self._blocks(element, None)
        for (style, size), (count, where) in self.small.items():
            self.add("small-text", where, runs=_runs(count), style=style, size=f"{size:g}")
        for (style, colour), (count, where) in self.faint.items():
            self.add("faint-text", where, runs=_runs(count), style=style, text=colour, ratio=_ratio(colour, "FFFFFF"))
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
        text_language = _val(self.styles.doc_defaults, f"{_W}lang")
        text_language = text_language or _val(normal.find(RPR) if normal is not None else None, f"{_W}lang")
        if not text_language:
            self.add("no-text-language", "styles")
        elif not LANGUAGE_TAG.fullmatch(text_language):
            self.add("bad-text-language", "styles", tag=text_language)

    def _header_footer_parts(self) -> Iterator[tuple[str, Any]]:
        """Each header and footer once, named after the first section that uses it."""
        rels, seen = self.document.part.rels, set()
        for index, sect_pr in enumerate(self.body.iter(f"{_W}sectPr"), start=1):
            for ref in sect_pr:
                kind, rel_id = ref.tag.removeprefix(_W).removesuffix("Reference"), ref.get(R_ID, "")
                if kind in ("header", "footer") and rel_id in rels and rel_id not in seen:
                    seen.add(rel_id)
                    which = {"first": "first-page ", "even": "even-page "}.get(ref.get(f"{_W}type") or "", "")
                    yield f"the {which}{kind} of section {index}", _plain(rels[rel_id].target_part.element)

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
            elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
                content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
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
        style = _val(p_pr, PSTYLE) or self.styles.default_paragraph
        text = _text(p)
        outline = _val(p_pr, f"{_W}outlineLvl")
        level = _outline_level(outline) if outline is not None else self.styles.heading_level(style)
        self.paragraphs += cell is None
        if self.part is None and cell is None and level is not None:
            self._heading(level, " ".join(text.split()))
        if cell is not None or self.part or not self.heading:
            where = cell.where if cell is not None else f"paragraph {self.paragraphs} ({self._near()})"
        else:
            where = f"paragraph {self.paragraphs} ({'heading' if level else 'after heading'} '{self.heading}')"
        page_breaks = sum(1 for br in p.iter(f"{_W}br") if br.get(f"{_W}type") == "page")
        if self.part is None:  # a page count estimate, for the contents rule
            flag = p_pr.find(f"{_W}pageBreakBefore") if p_pr is not None else None
            starts_page = _on(flag) if flag is not None else self.styles.page_break_before(style)
            self.pages += (starts_page and self.words > 0) + page_breaks
            self.pages += p_pr is not None and p_pr.find(f"{_W}sectPr") is not None
            self.words += len(text.split())
        self._images(p)
        self._links(p, where)
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
        drawings = [(d, d.get("descr"), any(_flag(x, "val") for x in d.iter(DECORATIVE))) for d in p.iter(DOCPR)]
        vml = [(shape, shape.get("alt"), False) for shape in p.iter(V_SHAPE) if shape.find(V_IMAGEDATA) is not None]
        for element, alt, decorative in drawings + vml:
            if any(True for _ in element.iterancestors(FALLBACK)):
                continue  # the same picture again for older readers
            self.images += 1
            if not (alt or "").strip() and not decorative:
                self.add("no-alt", f"image {self.images} ({self._near()})")

    def _links(self, p: Any, where: str) -> None:
        for link in p.iter(f"{_W}hyperlink"):
            shown = " ".join(_text(link).split())
            if not shown:
                self.add("empty-link", where)
            elif shown.strip(" .,:;!?'\"()[]-").lower() in VAGUE_LINKS:
                self.add("vague-link", where, text=shown)
            elif BARE_URL.match(shown) and link.get(f"{_W}anchor") is None:
                self.add("bare-url", where, text=_short(shown))

    def _runs(self, p: Any, style: str | None, cell: _Cell | None, where: str) -> None:
        table = cell.table if cell is not None else (None, False)
        for run in p.iter(R):
            if not _text(run).strip():
                continue
            r_pr = run.find(RPR)
            char_style = _val(r_pr, f"{_W}rStyle")
            if self.part is None:
                size = _int(_val(r_pr, f"{_W}sz") or self.styles.run_value(f"{_W}sz", style, char_style, table), 20)
                if size / 2 < MIN_BODY_PT:
                    self.small.setdefault((self.styles.name(style), size / 2), [0, where])[0] += 1
            colour = _val(r_pr, f"{_W}color") or self.styles.run_value(f"{_W}color", style, char_style, table)
            colour = colour.upper() if colour is not None and _is_hex(colour) else "000000"  # unset or 'auto'
            if cell is not None and cell.fill:
                if _ratio(colour, cell.fill) < MIN_CONTRAST and colour not in cell.reported:
                    cell.reported.add(colour)
                    self.add("low-contrast", where, text=colour, fill=cell.fill, ratio=_ratio(colour, cell.fill))
            elif _ratio(colour, "FFFFFF") < MIN_CONTRAST:
                key = (self.styles.name(char_style or style), colour)
                self.faint.setdefault(key, [0, where])[0] += 1

    def _table(self, tbl: Any) -> None:
        self.tables += 1
        number, previous = self.tables, tbl.getprevious()
        while previous is not None and previous.tag not in (P, TBL):
            previous = previous.getprevious()
        caption = _text(previous).strip() if previous is not None and previous.tag == P else ""
        is_caption = previous is not None and self.styles.name(_val(previous.find(PPR), PSTYLE)) == "Caption"
        near = (
            f"caption '{_short(caption)}'" if caption and (is_caption or caption.startswith("Table")) else self._near()
        )
        t_pr = tbl.find(f"{_W}tblPr")
        table_style = _val(t_pr, f"{_W}tblStyle")
        look = t_pr.find(f"{_W}tblLook") if t_pr is not None else None
        first_look = look is not None and (_flag(look, f"{_W}firstRow") or _int(look.get(VAL), 0, 16) & 0x0020 != 0)
        rows = tbl.findall(TR)
        header = [_on(tr.find(f"{_W}trPr/{_W}tblHeader")) for tr in rows]
        if rows and not header[0]:
            self.add("no-header-row", f"table {number} ({near})")
        names: dict[int, str] = {}
        for row_number, tr in enumerate(rows, start=1):
            column = 0
            for tc in tr.findall(TC):
                tc_pr = tc.find(TCPR)
                span = max(1, _int(_val(tc_pr, f"{_W}gridSpan"), 1))
                if row_number == 1:
                    names[column] = _short(_text(tc), 40)
                label = f"column '{names[column]}'" if names.get(column) else f"column {column + 1}"
                where = f"table {number} ({near}, row {row_number}, {label})"
                if span > 1:
                    self.add("merged-across", where, span=span)
                if _val(tc_pr, f"{_W}vMerge") == "restart":
                    self.add("merged-down", where)
                first = row_number == 1 and first_look
                fill = _fill(tc_pr.find(SHD) if tc_pr is not None else None) or self.styles.table_fill(
                    table_style, first
                )
                hue = rag_hue(fill) if fill and not header[row_number - 1] else None
                if hue and not _text(tc).strip():
                    self.add("colour-only", where, fill=fill, hue=hue)
                self._blocks(tc, _Cell(where, fill, (table_style, first)))
                column += span
