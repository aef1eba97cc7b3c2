"""`plan-builder import`: a Word plan into a plan folder, with a report of every mapping and what to check."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
import yaml
from conftest import png_bytes
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from plan_builder.inputs.structure import load_structure
from plan_builder.pipeline import build

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def add_footnote(document, paragraph, text: str) -> None:
    """Give the document a footnotes part with one note, referred to at the end of `paragraph`."""
    xml = (
        f'<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    ).encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    paragraph.add_run()._r.append(reference)


def merge_cells(table) -> None:
    """Row 1: 'Practitioners' across two columns; column 1: 'Managers' down two rows."""
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(0, 1).text = "Practitioners"
    table.cell(2, 0).merge(table.cell(3, 0))
    table.cell(2, 0).text = "Managers"


def council_plan(path: Path) -> Path:
    """A council-style Word plan: unnumbered headings, a merged-cell table, a picture without alt text."""
    document = docx.Document()
    document.add_paragraph("Eastvale Youth Offending Service: Youth Justice Plan 2024-25", style="Title")
    document.add_heading("Foreword", 1)
    document.add_paragraph("Our partnership is proud of the work this year.")
    document.add_heading("Introduction", 1)
    intro = document.add_paragraph("This plan sets out ")
    intro.add_run("how we work").bold = True
    intro.add_run(" and ")
    intro.add_run("why").italic = True
    intro.add_run(". Costs rose by 5 * 2 [estimate]; see {{ figures }}.")
    document.add_heading("Our Local Context", 1)
    document.add_paragraph("The area has three towns:")
    for town in ("Eastvale", "Northby"):
        document.add_paragraph(town, style="List Bullet")
    document.add_paragraph("First step", style="List Number")
    document.add_paragraph("Second step", style="List Number")
    document.add_heading("Performance", 1)
    figures = document.add_paragraph(
        "The binary reoffending rate fell to 31.2% (42 of 135 children) in the 2022-23 cohort."
    )
    add_footnote(document, figures, "Youth Justice Statistics 2023-24, table 9.")
    document.add_heading("First time entrants", 2)
    document.add_paragraph("There were 52 first time entrants in 2023.")
    document.add_heading("Our approach to trauma", 1)
    document.add_paragraph("We use a trauma-informed model.")
    document.add_heading("Appendix A: Staffing structure", 1)
    table = document.add_table(rows=4, cols=3)
    for row, cells in enumerate([["Role", "", ""], ["", "Male", "Female"], ["", "2", "3"], ["", "1", "4"]]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    merge_cells(table)
    document.add_picture(io.BytesIO(png_bytes()))
    document.add_heading("Sign off, submission and approval", 1)
    document.add_paragraph("Approved by the board in June 2024.")
    document.save(str(path))
    return path


def test_import_of_a_council_style_plan_maps_headings_and_reports_what_to_check(run_cli, tmp_path: Path):
    source = council_plan(tmp_path / "eastvale-2024-25.docx")

    run = run_cli(["import", "eastvale-2024-25.docx", "eastvale", "--councils", "Eastvale Council"], cwd=tmp_path)

    assert (run.code, run.err) == (0, "")
    report = (tmp_path / "eastvale/import-report.md").read_text()
    assert run.out.startswith(report)
    assert run.out.endswith(
        f"\nWrote {len(list(p for p in (tmp_path / 'eastvale').rglob('*') if p.is_file()))} files into eastvale, "
        "with this report in eastvale/import-report.md\n"
    )
    lines = report.splitlines()
    assert lines[:3] == ["# Import of eastvale-2024-25.docx", "", "7 sections: 6 mapped to YJB headings, 1 local."]
    for expected in (
        "- 'Foreword' -> foreword (Foreword), because the YJB title -> sections/00-foreword.md",
        "- 'Introduction' -> introduction (Introduction, vision and strategy), because the wording 'introduction' "
        "-> sections/01-introduction.md; headed with the YJB's wording",
        "- 'Our Local Context' -> local-context (Local context), because the wording 'our local context' "
        "-> sections/02-local-context.md; headed with the YJB's wording",
        "- 'Performance' -> performance (Performance), because the YJB title -> sections/09-performance.md",
        "- 'Sign off, submission and approval' -> sign-off (Sign off, submission and approval), because the YJB "
        "title -> sections/16-sign-off.md",
        "- 'Appendix A: Staffing structure' -> service-structure (Service structure chart), because the wording "
        "'staffing structure' -> sections/90-service-structure.md; headed with the YJB's wording",
        # The heading no YJB wording matches: kept, after the section it followed.
        "- 'Our approach to trauma' -> sections/09-our-approach-to-trauma.md",
        # YJB headings the document lacks get the YJB prompt.
        "- child-first (Child First) -> sections/03-child-first.md: the YJB prompt",
        "- 1 tables as Markdown tables; merged cells split in 2 place(s)",
        "- 1 pictures written to images/; 1 without alt text",
        "- sections/90-service-structure.md:4: table: merged cell (row 1, columns 2-3: 'Practitioners') split into "
        "2 cells, each with its text",
        "- sections/90-service-structure.md:4: table: merged cell (rows 3-4, column 1: 'Managers') split into 2 "
        "cells, each with its text",
        "- sections/90-service-structure.md:10: picture images/imported-01.png has no alt text: a prompt asks for one",
        "- sections/09-performance.md:10: 1 footnote(s) kept as numbered notes at the end of the section",
        "- sections/09-performance.md:4: 31.2%, 42, 135 (reoffending)",
        "- sections/09-performance.md:8: 52 (first time entrants)",
        "- service 'Eastvale Youth Offending Service' and period '2024-25' taken from the document's title (to "
        "start next year's plan from it, give --period)",
    ):
        assert expected in lines, expected
    folder = tmp_path / "eastvale"
    assert (folder / "images/imported-01.png").read_bytes() == png_bytes()
    assert (folder / "plan.yaml").read_text().splitlines()[1].startswith("# Started with `plan-builder import` on ")
    manifest = yaml.safe_load((folder / "plan.yaml").read_text())
    assert manifest["service"]["name"] == "Eastvale Youth Offending Service"
    assert manifest["sections"][:3] == [
        "sections/00-foreword.md",
        "sections/01-introduction.md",
        "sections/02-local-context.md",
    ]
    assert manifest["sections"][9:11] == ["sections/09-performance.md", "sections/09-our-approach-to-trauma.md"]
    assert source.exists()


def test_imported_sections_are_markdown_that_renders_back_to_the_same_text(run_cli, tmp_path: Path):
    council_plan(tmp_path / "eastvale.docx")
    assert run_cli(["import", "eastvale.docx", "eastvale"], cwd=tmp_path).code == 0
    folder = tmp_path / "eastvale"

    introduction = (folder / "sections/01-introduction.md").read_text()
    assert introduction == (
        "---\nheading: introduction\n---\n"
        "This plan sets out **how we work** and *why*. Costs rose by 5 \\* 2 \\[estimate\\]; see "
        "{{ '{' }}{ figures }}.\n"
    )
    context = (folder / "sections/02-local-context.md").read_text()
    assert "The area has three towns:\n\n- Eastvale\n- Northby\n\n1. First step\n1. Second step\n" in context
    performance = (folder / "sections/09-performance.md").read_text()
    assert "in the 2022-23 cohort.\\[1\\]\n\n## First time entrants\n" in performance
    assert performance.endswith("\\[1\\] Youth Justice Statistics 2023-24, table 9.\n")
    structure = (folder / "sections/90-service-structure.md").read_text()
    assert "| Role | Practitioners | Practitioners |\n| --- | --- | --- |\n|  | Male | Female |\n" in structure
    assert "| Managers | 2 | 3 |\n| Managers | 1 | 4 |\n" in structure
    assert "![Picture without alt text](images/imported-01.png)\n\n[[This picture had no alt text" in structure

    result = build(folder)

    document = docx.Document(str(result.path))
    texts = [p.text for p in document.paragraphs]
    assert "This plan sets out how we work and why. Costs rose by 5 * 2 [estimate]; see {{ figures }}.[1]" not in texts
    assert "This plan sets out how we work and why. Costs rose by 5 * 2 [estimate]; see {{ figures }}." in texts
    assert "The binary reoffending rate fell to 31.2% (42 of 135 children) in the 2022-23 cohort.[1]" in texts
    assert "[1] Youth Justice Statistics 2023-24, table 9." in texts
    heading_1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    # Required headings take the YJB's wording; the foreword and local sections keep the document's.
    assert heading_1[:3] == ["Foreword", "1. Introduction, vision and strategy", "2. Local context"]
    assert "10. Our approach to trauma" in heading_1
    assert "Appendix 1: Service structure chart" in heading_1
    assert any("prompt not yet replaced: [[This picture had no alt text" in w for w in result.warnings)


def test_import_into_an_existing_plan_replaces_only_untouched_starter_sections(run_cli, tmp_path: Path):
    council_plan(tmp_path / "eastvale.docx")
    assert run_cli(["new", "plan", "--service", "Eastvale YOS", "--period", "2025-26"], cwd=tmp_path).code == 0
    own = "---\nheading: local-context\n---\nOur own words about the area.\n"
    (tmp_path / "plan/sections/02-local-context.md").write_text(own)
    manifest_before = (tmp_path / "plan/plan.yaml").read_text()

    run = run_cli(["import", "eastvale.docx", "plan", "--period", "2026-27"], cwd=tmp_path)

    assert (run.code, run.err) == (0, "warning: --period: for a new folder only; plan/plan.yaml is kept as it is\n")
    folder = tmp_path / "plan"
    assert (folder / "plan.yaml").read_text() == manifest_before  # plan.yaml is the service's: never rewritten
    assert (folder / "sections/02-local-context.md").read_text() == own
    assert "Eastvale" in (folder / "imported/sections/02-local-context.md").read_text()
    assert (folder / "sections/01-introduction.md").read_text().endswith("see {{ '{' }}{ figures }}.\n")
    assert (
        "- 'Our Local Context' -> local-context (Local context), because the wording 'our local context' -> "
        "imported/sections/02-local-context.md; headed with the YJB's wording; sections/02-local-context.md has "
        "your own text, so it was kept: the imported text is in imported/sections/02-local-context.md"
    ) in run.out.splitlines()
    assert (
        "- 'Our approach to trauma' -> sections/09-our-approach-to-trauma.md; not in plan.yaml: add "
        "`- sections/09-our-approach-to-trauma.md` under sections: (or appendices:)"
    ) in run.out.splitlines()
    assert (
        "- 'Introduction' -> introduction (Introduction, vision and strategy), because the wording 'introduction' "
        "-> sections/01-introduction.md; headed with the YJB's wording; replaced the starter prompts"
    ) in run.out.splitlines()
    assert "- child-first (Child First): the plan's own section is unchanged" in run.out.splitlines()
    assert run_cli(["build", "plan"], cwd=tmp_path).code == 0


def test_import_names_a_file_that_is_not_a_word_document(run_cli, tmp_path: Path):
    (tmp_path / "plan.docx").write_text("not a zip")

    run = run_cli(["import", "plan.docx", "out"], cwd=tmp_path)

    assert run.code == 1
    assert run.err.startswith("error: plan.docx: not a Word .docx document (")
    assert run.err.endswith("); save it from Word as 'Word Document (*.docx)' first\n")
    assert not (tmp_path / "out").exists()


def test_import_of_a_document_without_headings_says_what_to_do(run_cli, tmp_path: Path):
    document = docx.Document()
    document.add_paragraph("Just text.")
    document.save(str(tmp_path / "flat.docx"))

    run = run_cli(["import", "flat.docx", "out", "--service", "Flat YJS", "--period", "2025-26"], cwd=tmp_path)

    assert run.code == 1
    assert run.err == (
        "error: the document has no headings to divide it into sections: give each section a Heading 1 style in "
        "Word (Home > Styles) and import it again\n"
    )
    assert not (tmp_path / "out").exists()


def table_cells(table) -> list[list[str]]:
    return [[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]


def body_after_first_heading(document):
    """Tables and picture alt texts after the first Heading 1 (the cover and contents are plan-builder's own)."""
    body = document.element.body
    started = False
    tables, alts = [], []
    for child in body:
        if child.tag == qn("w:p") and child.pPr is not None and child.pPr.pStyle is not None:
            style = document.styles.get_by_id(child.pPr.pStyle.val, 1)
            started = started or style.name == "Heading 1"
        if not started:
            continue
        if child.tag == qn("w:tbl"):
            tables.append(child)
        alts += [d.get("descr") for d in child.iter(qn("wp:docPr"))]
    return tables, alts


@pytest.mark.slow
def test_round_trip_of_the_example_plans_own_document(example_build, run_cli, tmp_path: Path):
    original = example_build.document

    run = run_cli(["import", str(example_build.result.path), str(tmp_path / "again")])

    assert (run.code, run.err) == (0, "")
    folder = tmp_path / "again"
    manifest = yaml.safe_load((folder / "plan.yaml").read_text())
    ids = [
        yaml.safe_load(p.read_text().split("---")[1])["heading"]
        for p in [folder / f for f in [*manifest["sections"], *manifest["appendices"]]]
    ]
    structure = load_structure("2024-25", "2025-26")
    assert ids == ["foreword", *(h.id for h in structure.sections), *(h.id for h in structure.appendices)]
    assert "0 local" in run.out.splitlines()[2]

    rebuilt = docx.Document(str(build(folder).path))

    headings = [p.text for p in original.paragraphs if p.style.name.startswith("Heading")]
    assert [p.text for p in rebuilt.paragraphs if p.style.name.startswith("Heading")] == headings
    from docx.table import Table

    old_tables, old_alts = body_after_first_heading(original)
    new_tables, new_alts = body_after_first_heading(rebuilt)
    assert len(old_tables) == 29
    remaining = [table_cells(Table(t, rebuilt)) for t in new_tables]
    for old in old_tables:  # every table, in order, with the same cells (the rebuild adds generated ones)
        cells = table_cells(Table(old, original))
        assert cells in remaining, cells[0]
        remaining = remaining[remaining.index(cells) + 1 :]
    assert len(old_alts) == 5
    assert new_alts == old_alts  # every picture keeps its alt text
    assert re.search(r"^- 5 pictures written to images/; 0 without alt text$", run.out, re.M)
