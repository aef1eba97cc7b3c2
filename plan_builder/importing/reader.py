"""Read a Word plan (.docx) with python-docx into plain blocks: the one module of the importer that knows Word.

python-docx (maintained, already a dependency, no LibreOffice) opens the package; the body is
walked as XML so that nothing Word keeps inside content controls, fields, tracked insertions or
hyperlinks is missed, while deleted text is left out. Headings are recognised by style (Heading
1-9) or outline level; lists by their numbering; footnotes and endnotes become '[n]' markers
whose text the writer keeps at the end of the section.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from plan_builder.errors import WordImportError
from plan_builder.importing.inline import Segment, escape_line_start, to_markdown
from plan_builder.importing.model import (
    Block,
    Caption,
    Heading,
    ListItem,
    Orientation,
    Paragraph,
    Picture,
    Skipped,
    WordPlan,
)
from plan_builder.importing.tables import read_table

HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
CAPTION = re.compile(r"^(Table|Figure)\s+\d+\s*[:.\-\u2013]\s*(.+)$")
DRAWING_NS = {
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
R_ID = qn("r:id")
R_EMBED = qn("r:embed")
R_LINK = qn("r:link")
FOLLOWED = {"r", "hyperlink", "fldSimple", "smartTag", "ins", "sdt", "sdtContent", "customXml", "moveTo", "dir", "bdo"}
"""Inline containers whose runs are part of the text (deleted and moved-away text is not)."""


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _on(element: Any) -> bool:
    """A Word on/off property (`<w:b/>`, `<w:b w:val="0"/>`)."""
    return element is not None and element.get(qn("w:val")) not in ("0", "false", "off")


def _landscape_children(children: list[Any]) -> list[bool]:
    """For each body child, whether its page is landscape: a section's properties come at its end."""
    result: list[bool] = []
    waiting = 0
    for child in children:
        waiting += 1
        sect_pr = child if _local(child) == "sectPr" else child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if sect_pr is None:
            continue
        size = sect_pr.find(qn("w:pgSz"))
        wide = size is not None and (
            size.get(qn("w:orient")) == "landscape" or int(size.get(qn("w:w"), "0")) > int(size.get(qn("w:h"), "0"))
        )
        result += [wide] * waiting
        waiting = 0
    return result + [False] * waiting


def read_word_plan(path: Path) -> WordPlan:
    """Open `path` and return its body as blocks; a file Word cannot have written is an error naming it."""
    if not path.is_file():
        raise WordImportError(f"{path}: Word document not found")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise WordImportError(
            f"{path}: not a Word .docx document ({exc}); save it from Word as 'Word Document (*.docx)' first"
        ) from exc
    reader = _Reader(document)
    blocks = list(reader.pages(document.element.body))
    title = (document.core_properties.title or "").strip()
    if not title:
        title = next(iter(reader.titles), "")
    return WordPlan(blocks=blocks, notes=reader.note_texts(), title=title)


class _Reader:
    """The document's numbering formats and notes, and the walk over its body."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.part = document.part
        self.formats = self._numbering_formats()
        self.notes: dict[tuple[str, str], int] = {}
        self.note_sources = {kind: self._note_part(kind) for kind in ("footnote", "endnote")}
        styles = document.styles.element
        self.styles: dict[str, Any] = {s.styleId: s for s in styles.findall(qn("w:style")) if s.styleId}
        self.default_paragraph_style = styles.default_for(WD_STYLE_TYPE.PARAGRAPH)
        self.titles: list[str] = []
        """The text of each Title paragraph (a document without a title property names itself there)."""

    # -- numbering and notes -------------------------------------------------------------------

    def _numbering_formats(self) -> dict[tuple[str, str], str]:
        """(numId, ilvl) -> numFmt ('bullet', 'decimal', ...), from the numbering part."""
        try:
            numbering = self.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return {}
        abstract = {
            a.get(qn("w:abstractNumId")): {
                lvl.get(qn("w:ilvl")): (fmt.get(qn("w:val")) if (fmt := lvl.find(qn("w:numFmt"))) is not None else "")
                for lvl in a.findall(qn("w:lvl"))
            }
            for a in numbering.findall(qn("w:abstractNum"))
        }
        formats = {}
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = abstract.get(ref.get(qn("w:val")) if ref is not None else None, {})
            for ilvl, fmt in levels.items():
                formats[(num.get(qn("w:numId")), ilvl)] = fmt
        return formats

    def _note_part(self, kind: str) -> dict[str, Any]:
        """Footnote (or endnote) elements by id, from their part if the document has one."""
        reltype = RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES
        for rel in self.part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                root = parse_xml(rel.target_part.blob)
                return {note.get(qn("w:id")): note for note in root.findall(qn(f"w:{kind}"))}
        return {}

    def note_marker(self, kind: str, note_id: str) -> str:
        """'[n]' for a note reference, numbering notes in the order they are first referred to."""
        number = self.notes.setdefault((kind, note_id), len(self.notes) + 1)
        return f"[{number}]"

    def note_texts(self) -> dict[int, str]:
        """Each referenced note's text (Markdown inline), by its number."""
        texts = {}
        for (kind, note_id), number in self.notes.items():
            element = self.note_sources[kind].get(note_id)
            paragraphs = element.findall(qn("w:p")) if element is not None else []
            texts[number] = " ".join(self.inline_text(p) for p in paragraphs).strip()
        return texts

    # -- the body ----------------------------------------------------------------------------------

    def pages(self, body: Any) -> Iterator[Block]:
        """The document body's blocks, with an `Orientation` wherever the pages turn landscape or back."""
        children = list(body)
        landscape = _landscape_children(children)
        current = False
        for child, turned in zip(children, landscape, strict=True):
            if turned != current:
                current = turned
                yield Orientation(turned)
            yield from self.body([child])

    def body(self, parent: Any) -> Iterator[Block]:
        """The blocks of a body, cell or text box, in order."""
        for child in parent:
            name = _local(child)
            if name == "p":
                yield from self.paragraph(child)
            elif name == "tbl":
                table, pictures = read_table(child, self)
                yield table
                yield from pictures
            elif name == "sdt":
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    yield from self.body(content)
            elif name == "customXml":
                yield from self.body(child)

    def _style(self, element: Any, tag: str) -> Any:
        """The style element a paragraph (`w:pStyle`) or run (`w:rStyle`) names, or the default paragraph style.

        Looked up in a table made once: python-docx finds a default style by scanning them all, every time.
        """
        holder = element.find(qn("w:pPr" if tag == "w:pStyle" else "w:rPr"))
        named = holder.find(qn(tag)) if holder is not None else None
        if named is not None:
            return self.styles.get(named.get(qn("w:val")))
        return self.default_paragraph_style if tag == "w:pStyle" else None

    def style_name(self, p: Any) -> str:
        """The paragraph's style name ('' when it has none)."""
        style = self._style(p, "w:pStyle")
        return style.name_val or "" if style is not None else ""

    def _style_chain(self, p: Any) -> Iterator[Any]:
        """The paragraph's own properties, then its style's and each base style's."""
        if p.pPr is not None:
            yield p.pPr
        style = self._style(p, "w:pStyle")
        seen = set()
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            if style.pPr is not None:
                yield style.pPr
            style = self.styles.get(style.basedOn_val) if style.basedOn_val else None

    def heading_level(self, p: Any, style: str) -> int | None:
        """1-9 for a heading (by style name, or an outline level set on it or its style), else None."""
        if match := HEADING_STYLE.match(style):
            return int(match[1])
        for ppr in self._style_chain(p):
            outline = ppr.find(qn("w:outlineLvl"))
            if outline is not None:
                level = int(outline.get(qn("w:val"), "9"))
                return level + 1 if level < 9 else None
        return None

    def list_kind(self, p: Any, style: str) -> tuple[bool, int] | None:
        """(ordered, level) for a list paragraph, else None."""
        for ppr in self._style_chain(p):
            num_pr = ppr.find(qn("w:numPr"))
            if num_pr is None:
                continue
            num_id = num_pr.find(qn("w:numId"))
            ilvl = num_pr.find(qn("w:ilvl"))
            num = num_id.get(qn("w:val")) if num_id is not None else None
            if num in (None, "0"):
                return None  # numbering switched off
            level = ilvl.get(qn("w:val"), "0") if ilvl is not None else "0"
            fmt = self.formats.get((num, level or "0"), "")
            return fmt not in ("bullet", "none", ""), int(level or 0)
        lowered = style.lower()
        if lowered.startswith(("list bullet", "list number")):
            depth = int(lowered[-1]) - 1 if lowered[-1].isdigit() else 0
            return lowered.startswith("list number"), depth
        return None

    def paragraph(self, p: Any) -> Iterator[Block]:
        """A paragraph's blocks: a heading, list item, caption or text, then any pictures in it."""
        style = self.style_name(p)
        segments, pictures, extra = self.inline(p)
        text = to_markdown(segments)
        lowered = style.lower()
        if lowered.startswith("toc") or lowered in ("contents heading",):
            return  # the contents page: plan-builder makes its own
        level = self.heading_level(p, style)
        plain = re.sub(r"\s+", " ", "".join(s.text for s in segments)).strip()
        if text and level is not None:
            yield Heading(level, plain)
        elif text:
            if lowered == "title":
                self.titles.append(plain)
            yield from self._text_block(p, style, text)
        yield from pictures
        for box in extra:
            yield from self.body(box)

    def _text_block(self, p: Any, style: str, text: str) -> Iterator[Block]:
        lowered = style.lower()
        kind = self.list_kind(p, style)
        if kind is not None:
            yield ListItem(text, ordered=kind[0], level=kind[1])
        elif lowered == "caption" and (match := CAPTION.match(re.sub(r"\\(.)", r"\1", text))):
            yield Caption(match[1], to_markdown([Segment(match[2])]))
        else:
            yield Paragraph(escape_line_start(text), quote="quote" in lowered)

    # -- inline content ------------------------------------------------------------------------------

    def inline_text(self, p: Any) -> str:
        """A paragraph's text as Markdown inline, pictures left out (notes, table cells)."""
        return to_markdown(self.inline(p)[0])

    def inline(self, parent: Any, link: str | None = None) -> tuple[list[Segment], list[Block], list[Any]]:
        """Segments of text, the pictures (or what could not be brought across), and text boxes, in order."""
        segments: list[Segment] = []
        pictures: list[Block] = []
        boxes: list[Any] = []
        for child in parent:
            name = _local(child)
            if name not in FOLLOWED:
                continue
            if name == "r":
                self._run(child, link, segments, pictures, boxes)
                continue
            target = link
            if name == "hyperlink":
                rel_id = child.get(R_ID)
                target = self.part.rels[rel_id].target_ref if rel_id and rel_id in self.part.rels else None
            inner = self.inline(child, target)
            segments += inner[0]
            pictures += inner[1]
            boxes += inner[2]
        return segments, pictures, boxes

    def _run(self, r: Any, link: str | None, segments: list[Segment], pictures: list[Block], boxes: list[Any]) -> None:
        style_element = self._style(r, "w:rStyle")
        style = (style_element.name_val or "") if style_element is not None else ""
        r_pr = r.find(qn("w:rPr"))
        bold = (r_pr is not None and _on(r_pr.find(qn("w:b")))) or style in ("Strong", "Bold")
        italic = (r_pr is not None and _on(r_pr.find(qn("w:i")))) or style in ("Emphasis", "Italic")
        for child in r:
            name = _local(child)
            text = ""
            if name == "t":
                text = child.text or ""
            elif name in ("tab", "cr") or (name == "br" and child.get(qn("w:type")) != "page"):
                text = " "
            elif name == "noBreakHyphen":
                text = "-"
            elif name in ("footnoteReference", "endnoteReference"):
                text = self.note_marker(name.removesuffix("Reference"), child.get(qn("w:id"), ""))
            elif name in ("drawing", "pict", "AlternateContent", "object"):
                self._graphic(child, pictures, boxes)
            if text:
                segments.append(Segment(text, bold and bool(text.strip()), italic and bool(text.strip()), link))

    def _graphic(self, element: Any, pictures: list[Block], boxes: list[Any]) -> None:
        """Pictures (and text boxes) in a drawing, VML picture or alternate content."""
        name = _local(element)
        if name == "AlternateContent":
            choice = element.find("{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice")
            if choice is not None and len(choice):
                self._graphic(choice[0], pictures, boxes)
            return
        if name == "object":
            pictures.append(Skipped("an embedded object (for example a spreadsheet or chart from another program)"))
            return
        boxes += element.iter(qn("w:txbxContent"))
        if name == "drawing":
            for holder in element:
                self._drawing(holder, pictures)
            return
        for shape in element.iter("{urn:schemas-microsoft-com:vml}shape"):
            data = shape.find("v:imagedata", DRAWING_NS)
            if data is not None and data.get(R_ID):
                pictures.append(self._picture(data.get(R_ID), shape.get("alt", ""), ""))

    def _drawing(self, holder: Any, pictures: list[Block]) -> None:
        """One inline or floating drawing: a picture, or a chart or diagram that cannot be brought across."""
        doc_pr = holder.find("wp:docPr", DRAWING_NS)
        alt = doc_pr.get("descr", "") if doc_pr is not None else ""
        name = doc_pr.get("name", "") if doc_pr is not None else ""
        data = holder.find("a:graphic/a:graphicData", DRAWING_NS)
        uri = data.get("uri", "") if data is not None else ""
        blip = holder.find(".//a:blip", DRAWING_NS)
        if blip is not None and blip.get(R_EMBED):
            pictures.append(self._picture(blip.get(R_EMBED), alt, name))
        elif blip is not None and blip.get(R_LINK):
            pictures.append(Skipped(f"picture '{name}' is linked to a file outside the document, not inside it"))
        elif uri.endswith("/chart"):
            pictures.append(Skipped(f"chart '{name}' is a Word chart object; paste it as a picture to import it"))
        elif uri.endswith("/diagram"):
            pictures.append(Skipped(f"diagram '{name}' is SmartArt; paste it as a picture to import it"))

    def _picture(self, rel_id: str, alt: str, name: str) -> Block:
        part = self.part.related_parts.get(rel_id)
        if part is None:
            return Skipped(f"picture '{name}' refers to a part the document does not contain")
        return Picture(data=part.blob, suffix=Path(str(part.partname)).suffix.lower(), alt=alt.strip(), name=name)
