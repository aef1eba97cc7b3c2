"""The Markdown renderer (`plan_builder.word.markdown`): section bodies into Word, and author errors.

CLI cases use the tiny plan: the body of a section file starts on line 4 (after
'---', 'heading: ...', '---'), so the body's third line is line 6.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import TEMPLATES_DIR, png_bytes, section_text
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from plan_builder.errors import SectionError
from plan_builder.word.context import RenderContext
from plan_builder.word.document import open_template
from plan_builder.word.markdown import render_markdown

CHILD_FIRST = "sections/03-child-first.md"


def child_first(body: str) -> dict[str, str]:
    return {CHILD_FIRST: section_text("child-first", body)}


def render_body(text: str, plan_root: Path, *, number: str = "3"):
    document = open_template(TEMPLATES_DIR / "plan-template.docx", Path("templates/plan-template.docx"))
    ctx = RenderContext(document=document, plan_root=plan_root)
    render_markdown(ctx, text, path=Path("s.md"), first_line=4, number=number)
    return document, ctx


# Author errors, through the CLI.


def test_image_without_alt_text(build_fails):
    build_fails(
        {**child_first("Intro.\n\n![](images/chart.png)\n"), "images/chart.png": png_bytes()},
        f"{CHILD_FIRST}:6: image 'images/chart.png' has no alt text; write ![what the image shows](images/chart.png)",
    )


def test_image_path_leaving_the_plan_folder(build_fails):
    build_fails(
        child_first("Intro.\n\n![The password file](../../etc/passwd)\n"),
        f"{CHILD_FIRST}:6: image '../../etc/passwd': image paths must be relative to the plan directory "
        "and stay inside it",
    )


def test_absolute_image_path(build_fails):
    build_fails(
        child_first("Intro.\n\n![The password file](/etc/passwd)\n"),
        f"{CHILD_FIRST}:6: image '/etc/passwd': image paths must be relative to the plan directory and stay inside it",
    )


def test_image_url(build_fails):
    build_fails(
        child_first("Intro.\n\n![Bar chart of first time entrants](https://example.org/chart.png)\n"),
        f"{CHILD_FIRST}:6: image 'https://example.org/chart.png': images must be files inside the plan directory, "
        "not URLs",
    )


def test_protocol_relative_image_url(build_fails):
    build_fails(
        child_first("Intro.\n\n![Bar chart](//example.org/chart.png)\n"),
        f"{CHILD_FIRST}:6: image '//example.org/chart.png': images must be files inside the plan directory, not URLs",
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_image_symlink_leaving_the_plan_folder(build_fails, tmp_path: Path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(png_bytes())
    link_root = tmp_path / "plan" / "images"
    link_root.mkdir(parents=True)
    (link_root / "chart.png").symlink_to(outside)
    build_fails(
        child_first("Intro.\n\n![Bar chart](images/chart.png)\n"),
        f"{CHILD_FIRST}:6: image 'images/chart.png': the path leaves the plan directory",
    )


def test_image_not_found(build_fails):
    build_fails(
        child_first("Intro.\n\n![Bar chart](images/missing.png)\n"),
        f"{CHILD_FIRST}:6: image 'images/missing.png' not found",
    )


def test_image_that_is_not_an_image_file(build_fails):
    build_fails(
        {**child_first("Intro.\n\n![Bar chart](data/chart.csv)\n"), "data/chart.csv": "a,b\n1,2\n"},
        f"{CHILD_FIRST}:6: image 'data/chart.csv': expected a PNG, JPEG, GIF or BMP file",
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (png_bytes(400, 300)[:-60], "the file is cut short (truncated)"),
        (
            b"GIF89a" + b"\x00" * 3,
            "it is not a picture in a format Word shows (PNG, JPEG, GIF or BMP), or it is damaged",
        ),
        (
            b"%PDF-1.7 a PDF named .png",
            "it is not a picture in a format Word shows (PNG, JPEG, GIF or BMP), or it is damaged",
        ),
    ],
    ids=["cut short", "damaged", "not a picture"],
)
def test_image_that_cannot_be_read_says_why_and_how_to_fix_it(build_fails, content: bytes, problem: str):
    # Before: "could not be read as an image ()", and a PNG cut short after its header reached the document.
    build_fails(
        {**child_first("Intro.\n\n![Bar chart](images/chart.png)\n"), "images/chart.png": content},
        f"{CHILD_FIRST}:6: image 'images/chart.png' cannot be read: {problem}; open it in an image editor and "
        "save it again as PNG or JPEG",
    )


def test_image_inside_a_sentence(build_fails):
    build_fails(
        {**child_first("Intro.\n\nAs ![Bar chart](images/chart.png) shows.\n"), "images/chart.png": png_bytes()},
        f"{CHILD_FIRST}:6: image 'images/chart.png' must stand on a line of its own",
    )


def test_level_one_heading_in_a_body(build_fails):
    build_fails(
        child_first("Intro.\n\n# Our approach\n\nText.\n"),
        f"{CHILD_FIRST}:6: heading '# Our approach': the section title comes from the front matter; "
        "use '## Our approach' for a sub-heading",
    )


def test_skipped_heading_level(build_fails):
    build_fails(
        child_first("Intro.\n\n### Our approach\n\nText.\n"),
        f"{CHILD_FIRST}:6: heading '### Our approach' skips a level; expected '## Our approach'",
    )


def test_skipped_heading_level_deeper_down(build_fails):
    build_fails(
        child_first("## Approach\n\nText.\n\n#### Detail\n"),
        f"{CHILD_FIRST}:8: heading '#### Detail' skips a level; expected '### Detail'",
    )


def test_heading_error_line_is_the_heading_even_if_its_text_appears_earlier(build_fails):
    build_fails(
        child_first("Our approach is Child First.\n\n# Our approach\n"),
        f"{CHILD_FIRST}:6: heading '# Our approach': the section title comes from the front matter; "
        "use '## Our approach' for a sub-heading",
    )


def test_unknown_block_directive(make_plan, run_cli):
    # The list of known blocks grows with each feature, so it is checked by pattern.
    root = make_plan(child_first("Intro.\n\n::: risk-regster\n"))

    run = run_cli(["build"], cwd=root)

    match = re.fullmatch(
        rf"error: {CHILD_FIRST}:6: unknown block '::: risk-regster'; expected one of: ([a-z0-9, -]+)\n", run.err
    )
    assert match, run.err
    known = match[1].split(", ")
    assert {"signoff", "risk-register"} <= set(known)
    assert known == sorted(known)
    assert (run.code, run.out) == (1, "")
    assert not (root / "output").exists()


def test_block_without_its_data_says_what_to_add(make_plan, run_cli):
    root = make_plan(child_first("Intro.\n\n::: risk-register\n"))

    run = run_cli(["build"], cwd=root)

    assert run.err == (
        f"error: {CHILD_FIRST}:6: '::: risk-register' shows the risk register and heat map, but this plan has "
        "no data for it; add a risk register file listed in plan.yaml under structured: risks\n"
    )
    assert run.code == 1


# What the renderer writes.


def test_sub_headings_are_numbered_within_the_section(tmp_path: Path):
    document, ctx = render_body("## First\n\nText.\n\n### Detail\n\n## Second\n", tmp_path)

    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 2", "3.1 First"), ("Heading 3", "Detail"), ("Heading 2", "3.2 Second")]
    assert [(e.level, e.text) for e in ctx.toc] == [(2, "3.1 First"), (3, "Detail"), (2, "3.2 Second")]


def test_unnumbered_section_keeps_sub_headings_plain(tmp_path: Path):
    document, _ = render_body("## First\n", tmp_path, number="")

    assert [p.text for p in document.paragraphs] == ["First"]


def test_each_numbered_list_restarts(tmp_path: Path):
    document, _ = render_body("1. one\n2. two\n\nBetween.\n\n1. again\n2. more\n", tmp_path)

    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert [p.text for p in numbered] == ["one", "two", "again", "more"]
    assert num_ids[0] == num_ids[1]
    assert num_ids[2] == num_ids[3]
    assert num_ids[0] != num_ids[2]
    numbering = document.part.numbering_part.element
    for num_id in {num_ids[0], num_ids[2]}:
        start = numbering.num_having_numId(num_id).find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        assert start.get(qn("w:val")) == "1"


def test_bullets_and_nested_bullets_use_the_list_styles(tmp_path: Path):
    document, _ = render_body("- outer\n    - inner\n- second\n", tmp_path)

    assert [(p.style.name, p.text) for p in document.paragraphs] == [
        ("List Bullet", "outer"),
        ("List Bullet 2", "inner"),
        ("List Bullet", "second"),
    ]


def test_pipe_table_has_a_marked_header_row_and_no_merged_cells(tmp_path: Path):
    document, _ = render_body("| Team | Staff |\n|---|--:|\n| Court | 6 |\n| Prevention | 4 |\n", tmp_path)

    (table,) = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Team", "Staff"],
        ["Court", "6"],
        ["Prevention", "4"],
    ]
    assert table.style.name == "Plan Table"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr is None or table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert not list(table._tbl.iter(qn("w:gridSpan")))
    assert not list(table._tbl.iter(qn("w:vMerge")))
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_raw_html_is_shown_as_text(tmp_path: Path):
    document, _ = render_body("Some <b>bold</b> words.\n\n<div>block</div>\n", tmp_path)

    assert [p.text for p in document.paragraphs] == ["Some <b>bold</b> words.", "<div>block</div>"]


def test_bold_italic_and_links(tmp_path: Path):
    document, _ = render_body("A **strong** and *soft* [guidance](https://www.gov.uk/) line.\n", tmp_path)

    (paragraph,) = document.paragraphs
    runs = [(r.text, r.bold, r.italic) for r in paragraph.runs]
    assert ("strong", True, None) in runs
    assert ("soft", None, True) in runs
    links = paragraph._p.findall(qn("w:hyperlink"))
    assert len(links) == 1
    assert document.part.rels[links[0].get(qn("r:id"))].target_ref == "https://www.gov.uk/"
    assert paragraph.text == "A strong and soft guidance line."


def test_image_gets_alt_text_and_a_numbered_caption(tmp_path: Path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "chart.png").write_bytes(png_bytes())

    markdown = '![Bar chart of first time entrants](images/chart.png "First time entrants")\n'
    document, ctx = render_body(markdown, tmp_path)

    (shape,) = document.inline_shapes
    assert shape._inline.docPr.get("descr") == "Bar chart of first time entrants"
    caption = document.paragraphs[-1]
    assert caption.style.name == "Caption"
    assert caption.text == "Figure 1: First time entrants"
    assert ctx.figure_count == 1


def test_page_break_marker(tmp_path: Path):
    document, _ = render_body("Before.\n\n\\pagebreak\n\nAfter.\n", tmp_path)

    breaks = [br for br in document.element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 1
    assert [p.text for p in document.paragraphs if p.text] == ["Before.", "After."]


def test_render_markdown_raises_section_error(tmp_path: Path):
    with pytest.raises(SectionError) as caught:
        render_body("Text.\n\n## Fine\n\n#### Too deep\n", tmp_path)

    assert caught.value.problems == ["s.md:8: heading '#### Too deep' skips a level; expected '### Too deep'"]


def test_code_spans_show_their_characters_not_html_escapes(tmp_path: Path):
    document, _ = render_body("Run `a & b < c > d` and `&amp;` here.", tmp_path)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Run a & b < c > d and &amp; here." in text
    assert "&lt;" not in text


def test_table_caption_paragraph_before_or_after_a_pipe_table(tmp_path: Path):
    text = (
        "Table: Referrals by source\n\n| Source | Number |\n| --- | ---: |\n| Police | 12 |\n\n"
        "| Area | Rate |\n| --- | --- |\n| North | 3 |\n\nTable: Rates by area\n\n"
        "Table: Caption of the third\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n\n"
        "| C | D |\n| --- | --- |\n| 3 | 4 |\n\nSome text.\n\n"
        "Table: is only text when no table is next to it."
    )
    document, ctx = render_body(text, tmp_path)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Table 1: Referrals by source", "Table 2: Rates by area", "Table 3: Caption of the third"]
    assert len(document.tables) == 4
    body = [p.text for p in document.paragraphs if p.style.name != "Caption"]
    assert body == ["Some text.", "Table: is only text when no table is next to it."]
    # Each caption sits directly before its table and keeps with it.
    order = [child.tag.split("}")[1] for child in document.element.body if not child.tag.endswith("sectPr")]
    assert order[:6] == ["p", "tbl", "p", "tbl", "p", "tbl"]
    assert ctx.table_count == 3


def test_a_large_table_of_links_never_scans_the_relationships(tmp_path, monkeypatch):
    # Before: python-docx looked through every relationship for each new link (and again for a free id),
    # so a section's time grew with the square of its links: a 1 MB table of links took 42 s, not 6.
    from docx.opc.rel import Relationships

    def scan(*args, **kwargs):
        raise AssertionError("a linear scan of the relationships")

    monkeypatch.setattr(Relationships, "_get_matching", scan)
    monkeypatch.setattr(Relationships, "_next_rId", property(scan))
    rows = "".join(f"| Area {i} | [report {i}](https://example.org/{i % 150}) | *{i}* |\n" for i in range(600))
    text = "| Area | Report | Count |\n| --- | --- | --- |\n" + rows

    document, _ = render_body(text, tmp_path)

    links = document.element.body.findall(f".//{qn('w:hyperlink')}")
    rels = document.part.rels
    assert len(links) == 600
    assert [rels[link.get(qn("r:id"))].target_ref for link in links] == [
        f"https://example.org/{i % 150}" for i in range(600)
    ]
    assert len({link.get(qn("r:id")) for link in links}) == 150  # one relationship per address, as Word writes them
    cells = document.tables[-1].rows[600].cells
    assert [cell.text for cell in cells] == ["Area 599", "report 599", "599"]


def test_plain_table_cells_skip_the_inline_patterns_and_read_the_same(tmp_path):
    text = (
        "| Plain | Marked |\n| --- | --- |\n"
        "| Tom & Jerry's 5 < 6 | **bold** and `code` |\n"
        "| a_b c\\\\d | [x](https://example.org) and ![alt](x.png) |\n"
        "| just words, 1,234 | &amp; &#169; |\n"
    )
    document, _ = render_body(text.replace("![alt](x.png)", "a picture"), tmp_path)
    assert [[c.text for c in row.cells] for row in document.tables[-1].rows] == [
        ["Plain", "Marked"],
        ["Tom & Jerry's 5 < 6", "bold and code"],
        ["a_b c\\d", "x and a picture"],
        ["just words, 1,234", "& ©"],
    ]
