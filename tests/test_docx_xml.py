"""The fast XML helpers give the same Word XML as python-docx's own (slower) calls."""

from __future__ import annotations

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import RGBColor

from plan_builder.word.xml import add_field, add_paragraph, add_text_run, align, keep_with_next


def _children(element) -> list[str]:
    return [child.tag.split("}")[1] for child in element]


@pytest.mark.parametrize("text", ["plain", " padded ", "a\tb", "one\ntwo\n\nthree", "", "x\r\ny"])
@pytest.mark.parametrize(
    ("bold", "italic", "colour"), [(None, None, None), (True, None, "942514"), (False, True, None)]
)
def test_add_text_run_matches_python_docx(text, bold, italic, colour):
    document = docx.Document()
    ours = add_text_run(document.add_paragraph(), text, bold=bold, italic=italic, colour=colour)
    theirs = document.add_paragraph().add_run(text.replace("\r\n", "\n"))
    if bold is not None:
        theirs.bold = bold
    if italic is not None:
        theirs.italic = italic
    if colour:
        theirs.font.color.rgb = RGBColor.from_string(colour)
    assert ours._r.xml == theirs._r.xml
    assert (ours.text, ours.bold, ours.italic) == (theirs.text, bold, italic)


def test_add_paragraph_goes_before_the_section_properties_with_its_style():
    document = docx.Document()
    paragraph = add_paragraph(document, "Heading text", "Heading 1")
    body = document.element.body
    assert _children(body)[-2:] == ["p", "sectPr"]
    assert paragraph.style.name == "Heading 1"
    assert paragraph.text == "Heading text"
    assert add_paragraph(document, "plain")._p.pPr is None


def test_alignment_and_keep_with_next_keep_schema_order():
    document = docx.Document()
    paragraph = add_paragraph(document, "x", "Caption")
    paragraph.paragraph_format.space_after = 0  # w:spacing comes between keepNext and jc
    align(paragraph, "right")
    keep_with_next(paragraph)
    keep_with_next(paragraph)  # idempotent
    assert _children(paragraph._p.pPr) == ["pStyle", "keepNext", "spacing", "jc"]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert paragraph.paragraph_format.keep_with_next is True
    align(paragraph, "center")
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert len(paragraph._p.pPr.findall(qn("w:jc"))) == 1


def test_field_has_begin_instruction_separate_result_end():
    document = docx.Document()
    paragraph = add_paragraph(document)
    add_field(paragraph, "PAGE", "7")
    runs = paragraph._p.findall(qn("w:r"))
    kinds = [(r[0].tag.split("}")[1], r[0].get(qn("w:fldCharType"))) for r in runs]
    assert kinds == [
        ("fldChar", "begin"),
        ("instrText", None),
        ("fldChar", "separate"),
        ("t", None),
        ("fldChar", "end"),
    ]
    assert runs[1][0].text == " PAGE " and paragraph.text == "7"
