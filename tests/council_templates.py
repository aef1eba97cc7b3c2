"""Council Word templates for the tests, none of them made by plan-builder.

Each is what a council might hand over: python-docx's default document restyled as a
communications team would (Arial, purple headings), LibreOffice's default document
(tests/fixtures/libreoffice-default.docx, see tests/fixtures/README.md), a template whose
headings are called "CBMC Heading 1-3" with its own table style, one that stores Word's
built-in names in lower case with localised ids (as a French Word writes them), and one
whose header holds a logo and whose footer has plan-builder's fields typed into it.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles import BabelFish

FIXTURES = Path(__file__).parent / "fixtures"
PURPLE = "5B2C6F"  # the council's heading colour: 10.3:1 on white
GREEN_HEADER = "1E5631"  # CBMC's table header fill
FONT = "Arial"


def saved(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def restyled_default() -> Document:
    """python-docx's default document in a council's fonts and colours: Arial, purple headings, A4."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.54)
    styles = document.styles
    styles["Normal"].font.name = FONT
    styles["Normal"].font.size = Pt(12)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title", "Subtitle"):
        styles[name].font.name = FONT
        styles[name].font.color.rgb = RGBColor.from_string(PURPLE)
    caption = styles["Caption"]  # python-docx's is 9 pt pale blue: a council making an accessible template fixes it
    caption.font.size = Pt(11)
    caption.font.color.rgb = RGBColor.from_string("333333")
    return document


def libreoffice_default() -> bytes:
    """LibreOffice's default document: Liberation Serif, no heading, list or table styles at all."""
    return (FIXTURES / "libreoffice-default.docx").read_bytes()


def cbmc_headings() -> Document:
    """A template with its own heading and table styles ('CBMC Heading 1-3', 'CBMC Table'), mapped under styles:."""
    document = restyled_default()
    styles = document.styles
    for level, size in ((1, 22), (2, 16), (3, 13)):
        style = styles.add_style(f"CBMC Heading {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.name = "Georgia"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor.from_string(PURPLE)
        style.paragraph_format.keep_with_next = True
    table = styles.add_style("CBMC Table", WD_STYLE_TYPE.TABLE)
    table.element.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/><w:color w:val="FFFFFF"/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{GREEN_HEADER}"/></w:tcPr></w:tblStylePr>'
        )
    )
    return document


CBMC_STYLES = (
    "styles:\n"
    "  heading_1: CBMC Heading 1\n"
    "  heading_2: CBMC Heading 2\n"
    "  heading_3: CBMC Heading 3\n"
    "  table: CBMC Table\n"
)


# Word writes these built-in names in lower case; a French Word gives them localised ids.
LOWER_CASE = {
    "Heading 1": ("heading 1", "Titre1"),
    "Heading 2": ("heading 2", "Titre2"),
    "Heading 3": ("heading 3", "Titre3"),
    "Caption": ("caption", "Lgende"),
    "Header": ("header", "En-tte"),
    "Footer": ("footer", "Pieddepage"),
    "TOC 1": ("toc 1", "TM1"),
    "TOC 2": ("toc 2", "TM2"),
}


def lower_case_names() -> Document:
    """A template with Word's built-in names in lower case ('toc 1') and localised ids ('TM1', 'Titre1')."""
    document = restyled_default()
    for level in (1, 2):
        toc = document.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = document.styles["Normal"]
        toc.paragraph_format.left_indent = Cm(0.5 * (level - 1))
    styles = document.styles.element
    new_ids = {}
    for style in styles.iterfind(qn("w:style")):
        name = style.find(qn("w:name"))
        ui_name = BabelFish.internal2ui(name.get(qn("w:val")))
        if ui_name in LOWER_CASE:
            lower, new_id = LOWER_CASE[ui_name]
            name.set(qn("w:val"), lower)
            new_ids[style.get(qn("w:styleId"))] = new_id
            style.set(qn("w:styleId"), new_id)
    for tag in ("w:basedOn", "w:next", "w:link"):
        for node in styles.iter(qn(tag)):
            node.set(qn("w:val"), new_ids.get(node.get(qn("w:val")), node.get(qn("w:val"))))
    return document


def png_logo(width: int = 120, height: int = 40) -> bytes:
    """A small purple PNG standing in for a council's logo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + bytes.fromhex(PURPLE) * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


LOGO_ALT = "Calderbrook Metropolitan Borough Council logo"
FOOTER_FIELDS = "Calderbrook Council | {{ status_line }}, {{ date }} | Page {{ page }} of {{ pages }}"


def header_with_logo() -> Document:
    """A template whose header holds only the council's logo, and whose footer has plan-builder's fields typed in."""
    document = restyled_default()
    section = document.sections[0]
    logo = section.header.paragraphs[0]
    picture = logo.add_run().add_picture(io.BytesIO(png_logo()), width=Cm(3.0))
    picture._inline.docPr.set("descr", LOGO_ALT)
    footer = section.footer.paragraphs[0]
    footer.text = FOOTER_FIELDS
    return document
