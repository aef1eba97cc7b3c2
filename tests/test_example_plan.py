"""Acceptance: build the example plan, reopen the .docx with python-docx, and check what a reader gets.

The example (Calderbrook) is built once per session (`example_build`). Features the
example does not use yet (pictures, two numbered lists in one section) are checked on
a small "feature plan" built once for this module, so each check can fail.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from conftest import (
    EXAMPLE_OUTPUT_NAME,
    PLAN_YAML,
    REPO_ROOT,
    BuiltPlan,
    build_and_open,
    plan_yaml,
    png_bytes,
    section_text,
    write_plan,
)
from docx.document import Document
from docx.oxml.ns import qn

from plan_builder.inputs.structure import load_structure
from plan_builder.pipeline import build
from plan_builder.word import layout

# The YJB 2023-24 headings as they must appear, numbered, in the example plan.
YJB_2023_24_HEADINGS = [
    "1. Introduction, vision and strategy",
    "2. Local context",
    "3. Child First",
    "4. Voice of the child",
    "5. Governance, leadership and partnership arrangements",
    "6. Board development",
    "7. Progress on previous plan",
    "8. Resources and services",
    "9. Performance",
    "10. Priorities",
    "11. Standards for children in the justice system",
    "12. Workforce development",
    "13. Evidence-based practice and innovation",
    "14. Service development",
    "15. Challenges, risks and issues",
    "16. Sign off, submission and approval",
    "Appendix 1: Service structure chart",
    "Appendix 2: Budget costs and contributions",
    "Appendix 3: Common youth justice terms",
]
FOREWORD = "Foreword by the Chair of the Youth Justice Partnership Board"
SIGNOFF_HEADER = ["Name and role", "Organisation", "Signature", "Date"]
CHAIR_ROW = [
    "Helen Okafor, Strategic Director of Children's Services",
    "Calderbrook Metropolitan Borough Council",
]

FEATURE_BODY = """\
Our approach has three steps:

1. see the child;
2. build on strengths;
3. include the family.

Reviews follow a different order:

1. listen;
2. agree a plan.

![Bar chart of first time entrants by year, falling from 60 to 41](images/fte.png "First time entrants")

| Year | First time entrants |
|---|--:|
| 2023-24 | 60 |
| 2024-25 | 41 |
"""


# Helpers that read meaning out of the reopened document.


def headings(document: Document, level: int = 1) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def instructions(element) -> list[str]:
    """Field instructions (instrText) under `element`, stripped."""
    return [node.text.strip() for node in element.iter(qn("w:instrText"))]


def pictures(document: Document) -> list:
    """Every drawing's docPr (inline and floating) in the body."""
    return list(document.element.body.iter(qn("wp:docPr")))


def cover_paragraphs(document: Document) -> list[str]:
    texts = []
    for paragraph in document.paragraphs:
        if paragraph.style.name == "TOC Heading":
            return texts
        texts.append(paragraph.text)
    raise AssertionError("no contents page found")


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def signoff_table(document: Document):
    matches = [t for t in document.tables if table_rows(t)[0] == SIGNOFF_HEADER]
    assert len(matches) == 1, f"expected one sign-off table, found {len(matches)}"
    return matches[0]


def body_index(document: Document, element) -> int:
    return list(document.element.body).index(element)


@pytest.fixture(scope="module")
def feature_build(tmp_path_factory: pytest.TempPathFactory) -> BuiltPlan:
    """The tiny plan with pictures, two numbered lists and a table in 'Child First'."""
    root = write_plan(
        tmp_path_factory.mktemp("feature-plan"),
        {
            "sections/03-child-first.md": section_text("child-first", FEATURE_BODY),
            "images/fte.png": png_bytes(3000, 300),
        },
    )
    return build_and_open(root, root / "output")


@pytest.fixture(params=["example", "feature"])
def any_build(request: pytest.FixtureRequest) -> BuiltPlan:
    """Each of the two built documents, for checks that hold for every plan."""
    return request.getfixturevalue(f"{request.param}_build")


# The example plan.


def test_output_name(example_build: BuiltPlan):
    assert example_build.result.path.name == EXAMPLE_OUTPUT_NAME
    assert example_build.result.path.is_file()


def test_every_yjb_heading_is_a_heading_1_in_order(example_build: BuiltPlan):
    assert headings(example_build.document) == [FOREWORD, *YJB_2023_24_HEADINGS]


def test_expected_headings_are_the_yjb_2023_24_structure():
    # Keeps the hard-coded list above honest against the packaged structure.
    structure = load_structure("2023-24", "2025-26")
    unnumbered = [re.sub(r"^(\d+\. |Appendix \d+: )", "", heading) for heading in YJB_2023_24_HEADINGS]
    assert unnumbered == [h.title for h in structure.sections] + [h.title for h in structure.appendices]
    assert YJB_2023_24_HEADINGS[2] == "3. Child First"


def test_build_result_counts(example_build: BuiltPlan):
    result = example_build.result
    assert (result.sections, result.appendices) == (17, 3)
    assert result.tables == len(example_build.document.tables)
    # The example plan has one action past its due date on purpose, to show the flag.
    assert result.warnings == [
        f"{REPO_ROOT / 'data/actions.yaml'}:76: action A11: overdue: due 30 April 2025, "
        "status 'May exceed original target date'"
    ]


def test_core_properties(example_build: BuiltPlan):
    props = example_build.document.core_properties
    assert props.title == "Calderbrook Youth Justice Service: Youth Justice Plan 2025-26"
    assert props.language == "en-GB"
    assert props.author == "Calderbrook Youth Justice Service"
    # Pinned to `as_of`, so two builds of the same inputs are the same document.
    as_of = dt.datetime(2025, 5, 30, 9, 0, 0, tzinfo=dt.UTC)
    assert (props.created, props.modified) == (as_of, as_of)


def test_language_is_en_gb_on_normal_and_doc_defaults(example_build: BuiltPlan):
    styles = example_build.document.styles
    normal_lang = styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    default_lang = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert normal_lang is not None and normal_lang.get(qn("w:val")) == "en-GB"
    assert default_lang is not None and default_lang.get(qn("w:val")) == "en-GB"


def test_contents_is_a_toc_field_prefilled_with_the_headings(example_build: BuiltPlan):
    document = example_build.document
    toc = [i for i in instructions(document.element.body) if i.startswith("TOC ")]
    assert toc == ['TOC \\o "1-1" \\h \\z \\u']
    entries = [p.text.rstrip("\t") for p in document.paragraphs if p.style.name == "TOC 1"]
    assert entries == [FOREWORD, *YJB_2023_24_HEADINGS]
    settings = document.settings.element.find(qn("w:updateFields"))
    assert settings is not None and settings.get(qn("w:val")) == "true"


def test_footer_has_page_x_of_y_and_cover_has_none(example_build: BuiltPlan):
    section = example_build.document.sections[0]
    footer = section.footer
    assert instructions(footer._element) == ["PAGE", "NUMPAGES"]
    assert footer.paragraphs[0].text.startswith("Draft version 0.3, 30 May 2025\tPage ")
    assert section.header.paragraphs[0].text == "Calderbrook YJS\tYouth Justice Plan 2025-26"
    assert section.different_first_page_header_footer is True
    assert "".join(p.text for p in section.first_page_footer.paragraphs) == ""
    assert instructions(section.first_page_footer._element) == []


def test_cover_shows_service_period_status_and_chair(example_build: BuiltPlan):
    assert cover_paragraphs(example_build.document) == [
        "Calderbrook Youth Justice Service",
        "Youth Justice Plan 2025-26",
        "Calderbrook Metropolitan Borough Council",
        "Draft version 0.3",
        "Date: 30 May 2025",
        "Chair of the Calderbrook Youth Justice Partnership Board: Helen Okafor, "
        "Strategic Director of Children's Services",
        "Service lead: Priya Sandhu, Service Manager, Calderbrook Youth Justice Service",
    ]
    assert example_build.document.paragraphs[0].style.name == "Title"


def test_signoff_lists_the_chair_not_yet_signed_in_a_draft(example_build: BuiltPlan):
    document = example_build.document
    table = signoff_table(document)
    assert table_rows(table)[1:] == [[*CHAIR_ROW, "Not yet signed", "Not yet signed"]]
    statements = [p.text for p in document.paragraphs if "not yet signed" in p.text]
    assert statements == ["This is a draft (version 0.3). It is not yet signed and must not be published."]


@pytest.mark.slow
def test_signoff_table_sits_in_the_signoff_section(example_build: BuiltPlan):
    document = example_build.document
    heading_elements = {p.text: p._p for p in document.paragraphs if p.style.name == "Heading 1"}
    position = body_index(document, signoff_table(document)._tbl)
    assert body_index(document, heading_elements["16. Sign off, submission and approval"]) < position
    assert position < body_index(document, heading_elements["Appendix 1: Service structure chart"])


def test_example_has_tables_to_check(example_build: BuiltPlan):
    assert len(example_build.document.tables) >= 5


# Checks that hold for every built plan.


def test_every_table_has_a_repeating_header_row(any_build: BuiltPlan):
    tables = any_build.document.tables
    assert tables
    for index, table in enumerate(tables):
        tr_pr = table.rows[0]._tr.trPr
        flag = tr_pr.find(qn("w:tblHeader")) if tr_pr is not None else None
        assert flag is not None, f"table {index} ({table_rows(table)[0]}) has no header row flag"
        assert flag.get(qn("w:val"), "true") in ("true", "1", "on")


def test_no_table_has_merged_cells(any_build: BuiltPlan):
    for index, table in enumerate(any_build.document.tables):
        merged = [node for tag in ("w:gridSpan", "w:vMerge", "w:hMerge") for node in table._tbl.iter(qn(tag))]
        assert merged == [], f"table {index} ({table_rows(table)[0]}) has merged cells"


def test_every_picture_has_alt_text(any_build: BuiltPlan):
    missing = [doc_pr.get("name") for doc_pr in pictures(any_build.document) if not (doc_pr.get("descr") or "").strip()]
    assert missing == []


# The feature plan: what the example does not exercise yet.


def test_feature_plan_picture_keeps_its_alt_text_and_caption(feature_build: BuiltPlan):
    document = feature_build.document
    (doc_pr,) = pictures(document)
    assert doc_pr.get("descr") == "Bar chart of first time entrants by year, falling from 60 to 41"
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    # No glossary: the plan lists no glossary file, so the default terms are not added.
    assert captions == ["Figure 1: First time entrants"]
    assert feature_build.result.figures == 1


def test_feature_plan_wide_picture_is_scaled_to_the_text_width(feature_build: BuiltPlan):
    document = feature_build.document
    (shape,) = document.inline_shapes
    section = document.sections[0]  # the template's page, between its margins
    text_width = section.page_width - section.left_margin - section.right_margin
    assert text_width == pytest.approx(layout.TEXT_WIDTH, abs=1000)  # A4 less 2.2 cm margins, in whole twips
    assert shape.width <= text_width
    assert shape.width >= text_width * 0.99
    assert shape.width / shape.height == pytest.approx(10, rel=0.01)


def test_feature_plan_numbered_lists_restart(feature_build: BuiltPlan):
    document = feature_build.document
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == [
        "see the child;",
        "build on strengths;",
        "include the family.",
        "listen;",
        "agree a plan.",
    ]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert len(set(num_ids[:3])) == 1
    assert len(set(num_ids[3:])) == 1
    assert num_ids[0] != num_ids[3]


def test_feature_plan_table_is_rendered(feature_build: BuiltPlan):
    tables = [table_rows(t) for t in feature_build.document.tables]
    assert [["Year", "First time entrants"], ["2023-24", "60"], ["2024-25", "41"]] in tables


def test_final_plan_signoff_shows_who_signed_and_when(tmp_path: Path):
    head = PLAN_YAML.replace("status: draft", "status: final").replace('version: "0.1"', 'version: "1.0"') + (
        "signatories:\n"
        "  - {name: Alex Chair, role: Chair, organisation: Testford Borough Council, signed_on: 2025-06-24}\n"
        "  - {name: Sam Police, role: Chief Superintendent, organisation: Testford Police}\n"
    )
    root = write_plan(tmp_path / "plan", {"plan.yaml": plan_yaml(head)})

    built = build_and_open(root, root / "output")

    # A final carries its version in the name, so it is never overwritten by a later build.
    assert built.result.path.name == "testford-youth-justice-service-2025-26-final-v1.0.docx"
    assert table_rows(signoff_table(built.document))[1:] == [
        ["Alex Chair, Chair", "Testford Borough Council", "Signed", "24 June 2025"],
        ["Sam Police, Chief Superintendent", "Testford Police", "Not yet signed", "Not yet signed"],
    ]
    assert "Final version 1.0" in cover_paragraphs(built.document)


def test_two_builds_of_the_same_inputs_are_the_same_document(feature_build: BuiltPlan, tmp_path: Path):
    # Zip timestamps differ between saves, so compare the parts, not the .docx bytes.
    again = build(feature_build.result.path.parent.parent, tmp_path).path

    def parts(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    first, second = parts(feature_build.result.path), parts(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
