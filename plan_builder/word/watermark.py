"""Diagonal watermark ("DRAFT", "BOARD REVIEW") on every page of a non-final plan.

It is the same shape Word's own Design > Watermark inserts (a VML text path in the
header), so Word lets a user remove or change it, and LibreOffice shows it too.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from docx.oxml import parse_xml

if TYPE_CHECKING:
    from docx.document import Document

_SHAPE = """
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">
  <w:rPr><w:noProof/></w:rPr>
  <w:pict>
    <v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800"
        path="m@7,l@8,m@5,21600l@6,21600e">
      <v:formulas>
        <v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>
        <v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>
        <v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>
        <v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>
        <v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/>
      </v:formulas>
      <v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800"
          o:connectangles="270,180,90,0"/>
      <v:textpath on="t" fitshape="t"/>
      <o:lock v:ext="edit" text="t" shapetype="t"/>
    </v:shapetype>
    <v:shape id="PowerPlusWaterMarkObject{index}" o:spid="_x0000_s{spid}" type="#_x0000_t136"
        alt={alt}
        style="position:absolute;margin-left:0;margin-top:0;width:{width}pt;height:{height}pt;rotation:315;z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"
        o:allowincell="f" fillcolor="#c0c0c0" stroked="f">
      <v:fill opacity=".45"/>
      <v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt;font-weight:bold" string={text}/>
    </v:shape>
  </w:pict>
</w:r>
"""


def quoteattr(text: str) -> str:
    """`text` as a double-quoted XML attribute value (xml.sax.saxutils' version pulls in urllib and ssl)."""
    return '"' + html.escape(text, quote=True).replace("\n", "&#10;").replace("\t", "&#9;") + '"'


def add_watermark(document: Document, text: str) -> None:
    """Put `text` diagonally across every page: in every header the document has."""
    headers: dict[object, Any] = {}  # by part: sections of the same width share one header part
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            if not header.is_linked_to_previous:
                headers.setdefault(header.part.partname, header)
    for index, header in enumerate(headers.values(), start=1):
        paragraph = header.paragraphs[0]
        width = 420 if len(text) <= 6 else 520
        run = parse_xml(
            _SHAPE.format(
                index=index,
                spid=2048 + index,
                alt=quoteattr(f"Watermark: {text}"),
                text=quoteattr(text),
                width=width,
                height=width // 3,
            )
        )
        paragraph._p.append(run)


def has_watermark(document: Document) -> bool:
    """True if any header holds a watermark shape."""
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            if "PowerPlusWaterMarkObject" in header._element.xml:
                return True
    return False
