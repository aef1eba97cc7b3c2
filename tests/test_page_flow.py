"""Where pages turn: a heading with a short lead-in goes onto the landscape page it introduces,
and table rows are never split across pages."""

from __future__ import annotations

import docx
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Mm
from test_documents import PROGRESS

from plan_builder.word.links import add_bookmark
from plan_builder.word.page_flow import SHORT_ROW_CHARACTERS, keep_lead_ins_with_landscape, keep_short_rows_together


def section_of(paragraph) -> str:
    """'landscape' or 'portrait': the orientation of the section `paragraph` is in."""
    node = paragraph._p
    while node is not None:
        sect = node.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if node.tag == qn("w:p") else None
        if node.tag == qn("w:sectPr"):
            sect = node
        if sect is not None:
            size = sect.find(qn("w:pgSz"))
            return "landscape" if int(size.get(qn("w:w"))) > int(size.get(qn("w:h"))) else "portrait"
        node = node.getnext()
    raise AssertionError("no section properties after the paragraph")


def heading(document, text: str, number: int):
    paragraph = document.add_paragraph(text, "Heading 1")
    add_bookmark(paragraph, f"_Toc{number:06d}", number)
    return paragraph


def turn(document, *, landscape: bool) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))


@pytest.fixture
def document():
    document = docx.Document()
    document.add_paragraph("Earlier text on a portrait page.")
    return document


def test_a_heading_and_one_sentence_move_to_the_landscape_page(document):
    title = heading(document, "2. Inspection action plan", 1)
    lead = document.add_paragraph("Where each action stands.")
    turn(document, landscape=True)
    table = document.add_paragraph("The action plan table.")
    keep_lead_ins_with_landscape(document)
    assert [section_of(p) for p in (title, lead, table)] == ["landscape"] * 3
    assert section_of(document.paragraphs[0]) == "portrait"
    assert len(document.sections) == 2


def test_a_portrait_section_holding_only_the_lead_in_joins_the_landscape_one(document):
    turn(document, landscape=True)
    document.add_paragraph("An earlier landscape table.")
    turn(document, landscape=False)
    title = heading(document, "3. Peer review action plan", 2)
    turn(document, landscape=True)
    document.add_paragraph("Its table.")
    keep_lead_ins_with_landscape(document)
    assert section_of(title) == "landscape"
    assert len(document.sections) == 3  # no empty portrait page left between the two landscape runs


def test_a_long_lead_in_keeps_its_portrait_page(document):
    title = heading(document, "4. Service improvement plan", 3)
    for _ in range(3):
        document.add_paragraph("A paragraph of context that the reader needs before the table. " * 5)
    turn(document, landscape=True)
    keep_lead_ins_with_landscape(document)
    assert section_of(title) == "portrait"


def test_text_without_a_heading_stays_on_its_portrait_page(document):
    document.add_paragraph("Text with no heading before the table.")
    turn(document, landscape=True)
    keep_lead_ins_with_landscape(document)
    assert section_of(document.paragraphs[1]) == "portrait"


def test_the_progress_report_opens_each_action_plan_on_its_landscape_page(example_build):
    report = docx.Document(str(example_build.result.path.parent / PROGRESS))
    headings = [p for p in report.paragraphs if p.style.name == "Heading 1"]
    placed = {p.text: section_of(p) for p in headings}
    for title in ("2. Inspection action plan", "3. Peer review action plan", "4. Service improvement plan"):
        assert placed[title] == "landscape", title
    assert placed["1. Purpose of this report and recommendations"] == "portrait"


def test_short_rows_stay_on_one_page_and_long_ones_may_break(document):
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Action", "Progress"
    table.cell(1, 0).text, table.cell(1, 1).text = "A1", "On track."
    table.cell(2, 0).text, table.cell(2, 1).text = "A2", "x" * (SHORT_ROW_CHARACTERS + 1)
    keep_short_rows_together(document)
    kept = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows]
    assert kept == [True, True, False]  # Word would cut off a row taller than a page that may not break


def test_body_rows_of_every_table_stay_on_one_page(example_build):
    tables = example_build.document.tables
    drawn = [t for t in tables if t.rows[0].cells[0].text != "Name and role"]  # not the sign-off template's own
    assert len(drawn) == len(tables) - 1
    for table in drawn:
        for row in table.rows:
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
