"""The accessibility audit: one failing fixture per rule with its exact report line, and a passing one.

Fixtures are small documents built on the real plan template with the renderer's own
helpers (`start_table`, `rag_cell`, `add_hyperlink`...), saved and audited from disk,
so the audit reads what Word would read. The example plan must audit clean.
"""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from conftest import BuiltPlan, png_bytes
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from hypothesis import given
from hypothesis import strategies as st

from plan_builder.checks.audit import AuditReport, audit_document, contrast_ratio, rag_hue
from plan_builder.errors import OutputError
from plan_builder.figures.figure import Rag
from plan_builder.parts.performance.render import RAG_COLOURS, rag_cell
from plan_builder.parts.risks.render import BAND_COLOURS
from plan_builder.word.context import RenderContext
from plan_builder.word.links import add_hyperlink, add_internal_link
from plan_builder.word.paragraphs import add_caption
from plan_builder.word.tables import add_body_row, start_table
from plan_builder.word.watermark import add_watermark
from plan_builder.word.xml import add_field, set_alt_text, shade_cell

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "plan-template.docx"
PNG = png_bytes()


def new_document() -> Document:
    """The plan template with a title and one Heading 1 ('Introduction', paragraph 1): audits clean."""
    document = docx.Document(str(TEMPLATE))
    document.core_properties.title = "Testford Youth Justice Plan 2025-26"
    document.add_paragraph("Introduction", style="Heading 1")
    return document


Audit = Callable[[Document], list[str]]


@pytest.fixture
def audit_lines(tmp_path: Path) -> Audit:
    """Return `audit(document) -> report lines`: save the document, then audit the file."""

    def run(document: Document) -> list[str]:
        path = tmp_path / "audit-fixture.docx"
        document.save(str(path))
        return audit_document(path).lines()

    return run


def ctx_for(document: Document, tmp_path: Path) -> RenderContext:
    return RenderContext(document=document, plan_root=tmp_path)


def test_clean_document_has_no_findings(audit_lines: Audit) -> None:
    document = new_document()
    document.add_paragraph("The plan covers 2025 to 2026.")
    assert audit_lines(document) == []


# --- title and language ---------------------------------------------------------------


def test_title_missing(audit_lines: Audit) -> None:
    document = new_document()
    document.core_properties.title = ""
    assert audit_lines(document) == [
        "error: document properties: [title] the document has no title; set the Title property (File > Info)"
    ]


def test_title_left_over_from_the_template(audit_lines: Audit) -> None:
    document = new_document()
    document.core_properties.title = "plan-builder plan-template.docx"
    assert audit_lines(document) == [
        "error: document properties: [title] the document title 'plan-builder plan-template.docx' is a file name; "
        "give it a meaningful title"
    ]


def test_language_property_missing_or_malformed(audit_lines: Audit) -> None:
    document = new_document()
    document.core_properties.language = ""
    assert audit_lines(document) == [
        "error: document properties: [language] the document has no language; set the Language property to en-GB"
    ]
    document.core_properties.language = "English"
    assert audit_lines(document) == [
        "error: document properties: [language] the document language 'English' is not a language tag such as en-GB"
    ]


def test_welsh_language_tag_passes(audit_lines: Audit) -> None:
    document = new_document()
    document.core_properties.language = "cy-GB"
    assert audit_lines(document) == []


def _text_languages(document: Document) -> list[object]:
    styles = document.styles.element
    return [
        *styles.find(qn("w:docDefaults")).iter(qn("w:lang")),
        *document.styles["Normal"].element.iter(qn("w:lang")),
    ]


def test_default_text_language_missing(audit_lines: Audit) -> None:
    document = new_document()
    for lang in _text_languages(document):
        lang.getparent().remove(lang)
    assert audit_lines(document) == [
        "error: styles: [language] no default text language; set w:lang in the Normal style to en-GB"
    ]


def test_default_text_language_malformed(audit_lines: Audit) -> None:
    document = new_document()
    for lang in _text_languages(document):
        lang.set(qn("w:val"), "english")
    assert audit_lines(document) == [
        "error: styles: [language] the default text language 'english' is not a tag such as en-GB"
    ]


# --- headings -------------------------------------------------------------------------


def test_skipped_heading_level(audit_lines: Audit) -> None:
    document = new_document()
    document.add_paragraph("Detail", style="Heading 3")
    assert audit_lines(document) == [
        "error: paragraph 2 (heading 'Detail'): [headings] heading 'Detail' is Heading 3 "
        "but the heading before it, 'Introduction', is Heading 1: use Heading 2"
    ]


def test_first_heading_below_level_one_and_no_heading_1(audit_lines: Audit) -> None:
    document = new_document()
    document.paragraphs[0].style = document.styles["Heading 2"]
    assert audit_lines(document) == [
        "error: paragraph 1 (heading 'Introduction'): [headings] heading 'Introduction' is Heading 2 "
        "but it is the first heading: use Heading 1",
        "error: document: [headings] the document has no Heading 1; use it for each top-level section",
    ]


def test_outline_level_of_a_custom_style_counts_as_a_heading(audit_lines: Audit) -> None:
    document = new_document()
    style = document.styles.add_style("Panel Title", WD_STYLE_TYPE.PARAGRAPH)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "2")
    style.element.get_or_add_pPr().append(outline)
    document.add_paragraph("Board members", style="Panel Title")
    assert audit_lines(document) == [
        "error: paragraph 2 (heading 'Board members'): [headings] heading 'Board members' is Heading 3 "
        "but the heading before it, 'Introduction', is Heading 1: use Heading 2"
    ]


def test_empty_heading(audit_lines: Audit) -> None:
    document = new_document()
    document.add_paragraph("", style="Heading 2")
    assert audit_lines(document) == [
        "error: paragraph 2 (after heading 'Introduction'): [headings] empty Heading 2; give it text or remove it"
    ]


def test_contents_heading_and_stepwise_levels_pass(audit_lines: Audit) -> None:
    document = docx.Document(str(TEMPLATE))
    document.core_properties.title = "Plan"
    document.add_paragraph("Contents", style="TOC Heading")
    for text, level in [("1. Introduction", 1), ("1.1 Vision", 2), ("Aims", 3), ("2. Governance", 1), ("2.1", 2)]:
        document.add_paragraph(text, style=f"Heading {level}")
    assert audit_lines(document) == []


# --- alt text -------------------------------------------------------------------------


NO_ALT = "[alt-text] picture has no alt text; right-click it > View Alt Text and describe what it shows"


def test_picture_without_alt_text(audit_lines: Audit) -> None:
    document = new_document()
    document.add_paragraph().add_run().add_picture(io.BytesIO(PNG))
    assert audit_lines(document) == [f"error: image 1 (after heading 'Introduction'): {NO_ALT}"]


def test_picture_without_alt_text_in_a_header(audit_lines: Audit) -> None:
    document = new_document()
    header = document.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].add_run().add_picture(io.BytesIO(PNG))
    assert audit_lines(document) == [f"error: image 1 (in the header of section 1): {NO_ALT}"]


def _vml_picture(alt: str) -> object:
    return parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<w:pict><v:shape id="Logo" alt="{alt}" style="width:40pt;height:20pt">'
        '<v:imagedata r:id="rId999"/></v:shape></w:pict></w:r>'
    )


def test_old_style_vml_picture_without_alt_text(audit_lines: Audit) -> None:
    document = new_document()
    document.add_paragraph()._p.append(_vml_picture(""))
    assert audit_lines(document) == [f"error: image 1 (after heading 'Introduction'): {NO_ALT}"]
    document.paragraphs[-1]._p.remove(document.paragraphs[-1]._p[-1])
    document.add_paragraph()._p.append(_vml_picture("Calderbrook Council logo"))
    assert audit_lines(document) == []


def test_alt_text_decorative_picture_and_watermark_pass(audit_lines: Audit) -> None:
    document = new_document()
    set_alt_text(document.add_paragraph().add_run().add_picture(io.BytesIO(PNG)), "Service structure chart")
    decorative = document.add_paragraph().add_run().add_picture(io.BytesIO(PNG))
    decorative._inline.docPr.append(
        parse_xml(
            '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
            '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
            "</a:ext></a:extLst>"
        )
    )
    header = document.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = "Testford YJS"  # Header style is 10 pt: headers are not body text
    add_watermark(document, "DRAFT")
    assert audit_lines(document) == []


# --- tables: header row and merged cells ----------------------------------------------


def test_table_without_header_row(audit_lines: Audit, tmp_path: Path) -> None:
    document = new_document()
    add_caption(ctx_for(document, tmp_path), "Table", "Staff by role")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Role", "Staff"
    table.cell(1, 0).text, table.cell(1, 1).text = "Case manager", "6"
    assert audit_lines(document) == [
        "error: table 1 (caption 'Table 1: Staff by role'): [table-header] "
        "the first row is not marked as a header row (Repeat as header row)"
    ]


def test_table_without_caption_is_located_by_heading(audit_lines: Audit) -> None:
    document = new_document()
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Role"
    assert audit_lines(document) == [
        "error: table 1 (after heading 'Introduction'): [table-header] "
        "the first row is not marked as a header row (Repeat as header row)"
    ]


def _staff_table(document: Document, tmp_path: Path, rows: int = 1) -> list[list[object]]:
    ctx = ctx_for(document, tmp_path)
    add_caption(ctx, "Table", "Staff by role")
    table = start_table(ctx, ["Role", "Female", "Male"])
    return [add_body_row(table) for _ in range(rows)]


def test_cells_merged_across_columns(audit_lines: Audit, tmp_path: Path) -> None:
    document = new_document()
    (cells,) = _staff_table(document, tmp_path)
    cells[0].paragraphs[0].add_run("Practitioners")
    cells[1].merge(cells[2]).paragraphs[0].add_run("6")
    assert audit_lines(document) == [
        "error: table 1 (caption 'Table 1: Staff by role', row 2, column 'Female'): [merged-cells] "
        "cell merged across 2 columns; split it"
    ]


def test_cells_merged_down_rows(audit_lines: Audit, tmp_path: Path) -> None:
    document = new_document()
    first, second = _staff_table(document, tmp_path, rows=2)
    first[0].merge(second[0]).paragraphs[0].add_run("Practitioners")
    for cells in (first, second):
        cells[1].paragraphs[0].add_run("3")
        cells[2].paragraphs[0].add_run("2")
    assert audit_lines(document) == [
        "error: table 1 (caption 'Table 1: Staff by role', row 2, column 'Role'): [merged-cells] "
        "cell merged with the cell below it; split it"
    ]


def test_table_built_by_start_table_passes(audit_lines: Audit, tmp_path: Path) -> None:
    document = new_document()
    (cells,) = _staff_table(document, tmp_path)
    for cell, text in zip(cells, ["Case manager", "4", "2"], strict=True):
        cell.paragraphs[0].add_run(text)
    assert audit_lines(document) == []


# --- RAG by colour alone, and contrast on fills ----------------------------------------


def _rag_table(document: Document, tmp_path: Path, headers: tuple[str, str] = ("Indicator", "RAG")) -> list[object]:
    ctx = ctx_for(document, tmp_path)
    add_caption(ctx, "Table", "Performance")
    cells = add_body_row(start_table(ctx, list(headers)))
    cells[0].paragraphs[0].add_run("First time entrants")
    return cells


def test_rag_fill_without_words(audit_lines: Audit, tmp_path: Path) -> None:
    document = new_document()
    cells = _rag_table(document, tmp_path)
    shade_cell(cells[1], RAG_COLOURS[Rag.RED][0])
    assert audit_lines(document) == [
        "error: table 1 (caption 'Table 1: Performance', row 2, column 'RAG'): [rag-colour] "
        "cell coloured F6D7D2 (red) has no text: colour without words"
    ]


def test_any_greenish_fill_without_words(audit_lines: Audit, tmp_path: Path) -> None:
    document = new_document()
    shade_cell(_rag_table(document, tmp_path)[1], "00703C")
    assert audit_lines(document) == [
        "error: table 1 (caption 'Table 1: Performance', row 2, column 'RAG'): [rag-colour] "
        "cell coloured 00703C (green) has no text: colour without words"
    ]


@pytest.mark.parametrize("rag", list(Rag))
def test_rag_cells_written_by_the_renderer_pass(audit_lines: Audit, tmp_path: Path, rag: Rag) -> None:
    document = new_document()
    rag_cell(_rag_table(document, tmp_path)[1], rag, "improving")
    assert audit_lines(document) == []


def test_blue_fill_and_empty_header_cell_are_not_rag(audit_lines: Audit, tmp_path: Path) -> None:
    document = new_document()
    cells = _rag_table(document, tmp_path, headers=("Indicator", ""))
    shade_cell(cells[1], "D2E2F1")
    assert audit_lines(document) == []


def test_text_on_rag_fill_with_low_contrast(audit_lines: Audit, tmp_path: Path) -> None:
    document = new_document()
    cell = _rag_table(document, tmp_path)[1]
    shade_cell(cell, "F6D7D2")
    cell.paragraphs[0].add_run("Red").font.color.rgb = RGBColor.from_string("D4351C")
    cell.paragraphs[0].add_run(" (worsening)").font.color.rgb = RGBColor.from_string("D4351C")
    assert audit_lines(document) == [
        "error: table 1 (caption 'Table 1: Performance', row 2, column 'RAG'): [contrast] "
        "text colour D4351C on fill F6D7D2 has contrast 3.59:1; 4.5:1 needed"
    ]


def test_header_text_colour_comes_from_the_styles(audit_lines: Audit, tmp_path: Path) -> None:
    document = new_document()
    rag_cell(_rag_table(document, tmp_path)[1], Rag.GREEN)
    paragraph = document.tables[0].rows[0].cells[0].paragraphs[0]
    r_pr = paragraph.runs[0]._r.rPr
    r_pr.remove(r_pr.find(qn("w:color")))  # no colour of its own...
    paragraph.style = document.styles.add_style("Cell Plain", WD_STYLE_TYPE.PARAGRAPH)  # ...nor from its style
    assert audit_lines(document) == []  # so white, from the first-row formatting of 'Plan Table'
    paragraph.style = document.styles["Table Text"]
    assert audit_lines(document) == [  # 'Table Text' sets near-black, and paragraph styles outrank table styles
        "error: table 1 (caption 'Table 1: Performance', row 1, column 'Indicator'): [contrast] "
        "text colour 0B0C0C on fill 00505C has contrast 2.14:1; 4.5:1 needed"
    ]


def test_pale_link_colour_on_the_page(audit_lines: Audit) -> None:
    document = new_document()
    document.styles["Hyperlink"].font.color.rgb = RGBColor.from_string("99CCFF")
    paragraph = document.add_paragraph("See ")
    add_hyperlink(paragraph, "https://www.gov.uk/guidance/youth-justice-plans", "youth justice plans guidance")
    add_hyperlink(paragraph, "https://www.gov.uk/standards", "the National Standards")
    assert audit_lines(document) == [
        "warning: paragraph 2 (after heading 'Introduction'): [contrast] 2 runs of text in style 'Hyperlink': "
        "colour 99CCFF has contrast 1.68:1 on the white page; 4.5:1 needed"
    ]


# --- link text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("click here", "link text 'click here' does not say where the link goes"),
        ("Read more.", "link text 'Read more.' does not say where the link goes"),
        ("https://www.gov.uk/x", "link text 'https://www.gov.uk/x' is a bare web address; describe the destination"),
        ("www.gov.uk", "link text 'www.gov.uk' is a bare web address; describe the destination"),
    ],
)
def test_link_text_that_does_not_describe_the_destination(audit_lines: Audit, text: str, message: str) -> None:
    document = new_document()
    add_hyperlink(document.add_paragraph("For details "), "https://www.gov.uk/x", text)
    assert audit_lines(document) == [f"error: paragraph 2 (after heading 'Introduction'): [link-text] {message}"]


LINK_LOOK = (
    "; a link must be marked by more than colour; give the Hyperlink style an underline and a colour of its own "
    "(Styles pane > Hyperlink > Modify)"
)


@pytest.mark.parametrize(
    ("underline", "colour", "problem"),
    [
        (False, "1D70B8", "not underlined"),
        (True, None, "the same colour as the text around it"),
        (None, None, "not underlined, the same colour as the text around it"),
    ],
)
def test_links_that_do_not_stand_out(
    audit_lines: Audit, underline: bool | None, colour: str | None, problem: str
) -> None:
    """A council's empty Hyperlink style: links neither blue nor underlined, which colour-blind readers cannot see."""
    document = new_document()
    link = document.styles["Hyperlink"].font
    link.underline = underline
    link.color.rgb = RGBColor.from_string(colour) if colour else None
    add_hyperlink(document.add_paragraph("See "), "https://www.gov.uk/guidance/youth-justice-plans", "the guidance")
    add_hyperlink(document.add_paragraph("And "), "https://www.gov.uk/standards", "the National Standards")
    assert audit_lines(document) == [
        f"error: paragraph 2 (after heading 'Introduction'): [link-look] 2 runs of text in links (style 'Hyperlink'): "
        f"{problem}{LINK_LOOK}"
    ]


def test_contents_entries_are_links_that_need_no_underline(audit_lines: Audit) -> None:
    document = new_document()
    _internal_link(document, "1. Introduction")  # no Hyperlink style: as the contents page writes them
    assert audit_lines(document) == []


def _internal_link(document: Document, text: str) -> None:
    paragraph = document.add_paragraph()
    link = add_internal_link(paragraph, "_Toc000001")
    link.append(paragraph.add_run(text)._r)


def test_internal_links_may_show_an_address_but_not_vague_words(audit_lines: Audit) -> None:
    document = new_document()
    _internal_link(document, "www.gov.uk")
    assert audit_lines(document) == []
    _internal_link(document, "here")
    assert audit_lines(document) == [
        "error: paragraph 3 (after heading 'Introduction'): [link-text] "
        "link text 'here' does not say where the link goes"
    ]


def test_descriptive_link_passes(audit_lines: Audit) -> None:
    document = new_document()
    add_hyperlink(document.add_paragraph(), "https://www.gov.uk/x", "Youth justice plans: guidance")
    assert audit_lines(document) == []


# --- font size ------------------------------------------------------------------------


def test_small_text_is_reported_once_per_style_and_size(audit_lines: Audit) -> None:
    document = new_document()
    document.styles["Caption"].font.size = Pt(9)
    document.add_paragraph("Source: YJB", style="Caption")
    document.add_paragraph("Note: rounded", style="Caption")
    document.add_paragraph("Body text ").add_run("and a footnote mark").font.size = Pt(10.5)
    assert audit_lines(document) == [
        "error: paragraph 2 (after heading 'Introduction'): [font-size] "
        "2 runs of text in style 'Caption' at 9 pt; body text must be at least 11 pt",
        "error: paragraph 4 (after heading 'Introduction'): [font-size] "
        "1 run of text in style 'Normal' at 10.5 pt; body text must be at least 11 pt",
    ]


def test_size_falls_back_to_word_default_of_10_pt(audit_lines: Audit) -> None:
    document = new_document()
    document.styles.add_style("Plain", WD_STYLE_TYPE.PARAGRAPH)  # based on nothing, no size of its own
    for size in document.styles.element.find(qn("w:docDefaults")).iter(qn("w:sz")):
        size.getparent().remove(size)
    document.add_paragraph("Unstyled text", style="Plain")
    assert audit_lines(document) == [
        "error: paragraph 2 (after heading 'Introduction'): [font-size] "
        "1 run of text in style 'Plain' at 10 pt; body text must be at least 11 pt"
    ]


# --- empty paragraphs and contents ----------------------------------------------------


def test_empty_paragraphs_used_for_spacing(audit_lines: Audit) -> None:
    document = new_document()
    document.add_paragraph("Text.")
    for _ in range(3):
        document.add_paragraph()
    document.add_paragraph("More text.")
    assert audit_lines(document) == [
        "warning: paragraph 3 (after heading 'Introduction'): [empty-paragraphs] "
        "3 empty paragraphs in a row used for spacing"
    ]


def test_two_empty_paragraphs_and_a_page_break_pass(audit_lines: Audit) -> None:
    document = new_document()
    document.add_paragraph()
    document.add_paragraph()
    document.add_page_break()
    document.add_paragraph("Next page.")
    assert audit_lines(document) == []


def _long_document(sections: int) -> Document:
    document = new_document()
    for number in range(2, sections + 1):
        heading = document.add_paragraph(f"Section {number}", style="Heading 1")
        heading.paragraph_format.page_break_before = True  # each starts a page, as plan-builder's sections do
        document.add_paragraph("Text.")
    return document


def test_long_document_without_contents(audit_lines: Audit) -> None:
    assert audit_lines(_long_document(10)) == []
    assert audit_lines(_long_document(11)) == [
        "warning: document: [document] about 11 pages but no table of contents; add one"
    ]


def test_long_document_with_contents_passes(audit_lines: Audit) -> None:
    document = _long_document(11)
    contents = document.paragraphs[0].insert_paragraph_before(style="TOC 1")
    add_field(contents, 'TOC \\o "1-1" \\h \\z \\u', "Introduction")
    assert audit_lines(document) == []


# --- the report and its errors --------------------------------------------------------


def test_report_lines_and_json(tmp_path: Path) -> None:
    document = new_document()
    document.core_properties.title = ""
    for _ in range(3):
        document.add_paragraph()
    path = tmp_path / "audit-report.docx"
    document.save(str(path))
    report = audit_document(path)
    assert [f.rule for f in report.errors] == ["title"]
    assert [f.rule for f in report.warnings] == ["empty-paragraphs"]
    data = report.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["errors"] == 1 and data["warnings"] == 1
    assert data["findings"][0] == {
        "rule": "title",
        "severity": "error",
        "message": "the document has no title; set the Title property (File > Info)",
        "location": "document properties",
    }
    assert AuditReport().lines() == []


def test_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "audit-not-docx.docx"
    path.write_text("plain text", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        audit_document(path)
    assert str(info.value) == f"{path}: cannot audit: not a Word .docx file"
    with pytest.raises(OutputError) as info:
        audit_document(tmp_path / "missing.docx")
    assert str(info.value) == f"{tmp_path / 'missing.docx'}: cannot audit: no such file"


# --- colour helpers -------------------------------------------------------------------

HEX = st.text("0123456789ABCDEF", min_size=6, max_size=6)


@given(HEX, HEX)
def test_contrast_ratio_is_symmetric_and_bounded(first: str, second: str) -> None:
    ratio = contrast_ratio(first, second)
    assert ratio == pytest.approx(contrast_ratio(second, first))
    assert contrast_ratio(first, first) == pytest.approx(1.0)
    # Every colour reads at >= sqrt(21) against black or against white (the two ends of the scale).
    assert max(contrast_ratio(first, "000000"), contrast_ratio(first, "FFFFFF")) >= 21**0.5 - 1e-9


def test_contrast_ratio_reference_values() -> None:
    assert contrast_ratio("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("767676", "FFFFFF") == pytest.approx(4.54, abs=0.01)  # the lightest AA grey on white


@pytest.mark.parametrize(
    ("fill", "hue"),
    [("F6D7D2", "red"), ("FFF7BF", "amber"), ("CCE2D8", "green"), ("F3F2F1", "not rated"), ("942514", "dark red")]
    + [("D4351C", "red"), ("FFDD00", "amber"), ("00703C", "green")]
    + [("00505C", None), ("FFFFFF", None), ("B1B4B6", None), ("1D70B8", None)],
)
def test_rag_hue(fill: str, hue: str | None) -> None:
    assert rag_hue(fill) == hue


def test_every_known_rag_pair_has_enough_contrast() -> None:
    for fill, text in [*RAG_COLOURS.values(), *BAND_COLOURS.values()]:
        assert contrast_ratio(text, fill) >= 4.5, (text, fill)


# --- the example plan -----------------------------------------------------------------


@pytest.mark.slow
def test_example_plan_audits_without_errors(example_build: BuiltPlan) -> None:
    report = audit_document(example_build.result.path)
    assert report.errors == [], "\n".join(report.lines())


def test_audit_of_the_example_plan_names_a_table_by_its_caption(example_build: BuiltPlan, tmp_path: Path) -> None:
    path = tmp_path / "audit-example-no-header.docx"
    shutil.copy(example_build.result.path, path)
    document = docx.Document(str(path))
    captioned = [
        (number, table)
        for number, table in enumerate(document.tables, start=1)
        if table._tbl.getprevious() is not None
        and table._tbl.getprevious().tag == qn("w:p")
        and Paragraph(table._tbl.getprevious(), document._body).style.name == "Caption"
    ]
    number, table = captioned[0]
    caption = Paragraph(table._tbl.getprevious(), document._body).text
    first_row = table.rows[0]._tr
    first_row.trPr.remove(first_row.trPr.find(qn("w:tblHeader")))
    document.save(str(path))
    shown = caption if len(caption) <= 60 else caption[:57] + "..."  # long captions are shortened
    assert audit_document(path).lines() == [
        f"error: table {number} (caption '{shown}'): [table-header] "
        "the first row is not marked as a header row (Repeat as header row)"
    ]
