"""A council's own Word template (`plan_builder.word.template`, `completion`, `headers`): any .docx will do.

The example plan is built with five templates none of which plan-builder made (see
`council_templates`); each must build with one warning naming the styles added, keep the
template's fonts, heading colours, header picture and table style, pass the accessibility
audit and open in Word without repair. Smaller cases use the tiny plan.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from conftest import PLAN_YAML, TINY_OUTPUT_NAME, copy_example_plan, plan_yaml, section_text
from council_templates import (
    CBMC_STYLES,
    FOOTER_FIELDS,
    GREEN_HEADER,
    LOGO_ALT,
    PURPLE,
    cbmc_headings,
    header_with_logo,
    libreoffice_default,
    lower_case_names,
    restyled_default,
    saved,
)
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm
from openxml_validation import word_verdict

from plan_builder.checks.audit import audit_document
from plan_builder.pipeline import BuildResult, build
from plan_builder.word.completion import run_property
from plan_builder.word.placeholders import fill_fields
from plan_builder.word.styles import StyleIndex, style_element, style_index

COUNCIL = "templates/council.docx"
TEAL = "00505C"  # plan-builder's own heading and header-row colour
ADDED_TO_WORD_DEFAULT = "TOC 1, TOC 2, TOC 3, Hyperlink, Plan Table, Table Text, Cover Detail, Cover Status"
ADDED_TO_LIBREOFFICE = (
    "Title, Subtitle, Heading 1, Heading 2, Heading 3, Heading 4, List Bullet, List Bullet 2, List Number, "
    "List Number 2, Quote, Header, Footer, TOC Heading, TOC 1, TOC 2, TOC 3, Hyperlink, Plan Table, Table Text, "
    "Cover Detail, Cover Status"
)


def added_warning(names: str, notes: str = "") -> str:
    return (
        f"{COUNCIL}: added the styles plan-builder needs that the template lacks, based on its own Normal and "
        f"Heading 1 so they take its fonts and colours: {names}{notes}. To style them yourself, add them to the "
        "template or map your own styles under styles: in plan.yaml (plan-builder template check lists them)"
    )


@dataclass(frozen=True)
class Council:
    """A council template, what plan.yaml says about it, and what the built plan must show."""

    template: bytes
    manifest: str
    warning: str
    font: str
    heading_font: str
    heading_colour: str
    header_fill: str
    heading_style: str = "Heading 1"
    table_style: str = "Plan Table"


def councils() -> dict[str, Council]:
    return {
        "python-docx default restyled": Council(
            saved(restyled_default()), "", added_warning(ADDED_TO_WORD_DEFAULT), "Arial", "Arial", PURPLE, PURPLE
        ),
        "LibreOffice default": Council(
            libreoffice_default(),
            "",
            added_warning(ADDED_TO_LIBREOFFICE),
            "Liberation Serif",
            "Liberation Serif",  # its own font: the added heading styles take the template's
            TEAL,  # plan-builder's: the template has no heading colour to take
            TEAL,
        ),
        "CBMC Heading 1-3 mapped": Council(
            saved(cbmc_headings()),
            CBMC_STYLES,
            added_warning(
                "TOC 1, TOC 2, TOC 3, Hyperlink, Table Text, Cover Detail, Cover Status",
                "; gave 'CBMC Heading 1' (level 1), 'CBMC Heading 2' (level 2), 'CBMC Heading 3' (level 3) outline "
                "levels so that they count as headings",
            ),
            "Arial",
            "Georgia",
            PURPLE,
            GREEN_HEADER,
            heading_style="CBMC Heading 1",
            table_style="CBMC Table",
        ),
        "lower-case built-in names": Council(
            saved(lower_case_names()),
            "",
            added_warning("TOC 3, Hyperlink, Plan Table, Table Text, Cover Detail, Cover Status"),
            "Arial",
            "Arial",
            PURPLE,
            PURPLE,
        ),
        "header with a logo": Council(
            saved(header_with_logo()), "", added_warning(ADDED_TO_WORD_DEFAULT), "Arial", "Arial", PURPLE, PURPLE
        ),
    }


def build_with(tmp_path: Path, template: bytes, manifest: str = "", *, status: str = "draft") -> BuildResult:
    """Build a copy of the example plan with `template` as its Word template and `manifest` added to plan.yaml."""
    plan = copy_example_plan(tmp_path)
    (plan / COUNCIL).write_bytes(template)
    text = (plan / "plan.yaml").read_text().replace("status: draft", f"status: {status}")
    (plan / "plan.yaml").write_text(text + f"template: {COUNCIL}\n" + manifest)
    return build(plan, tmp_path / "output")


def resolved(document: Document, style_name: str, tag: str, attribute: str = "w:val") -> str | None:
    """A run property a style gives (through the styles it is based on, then the document defaults)."""
    found = run_property(document, style_index(document.part).id_for(style_name), qn(tag))
    if found is None:
        found = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn(tag)}")
    return found.get(qn(attribute)) if found is not None else None


def header_fills(document: Document) -> set[str]:
    return {
        cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        for table in document.tables
        for cell in table.rows[0].cells
        if cell._tc.tcPr is not None and cell._tc.tcPr.find(qn("w:shd")) is not None
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", list(councils()))
def test_the_example_builds_with_a_council_template(tmp_path: Path, name: str) -> None:
    council = councils()[name]
    result = build_with(tmp_path, council.template, council.manifest)

    assert [w for w in result.warnings if w.startswith(COUNCIL)] == [council.warning]
    document = docx.Document(str(result.path))
    assert resolved(document, "Normal", "w:rFonts", "w:ascii") == council.font
    assert resolved(document, council.heading_style, "w:rFonts", "w:ascii") == council.heading_font
    assert resolved(document, council.heading_style, "w:color").upper() == council.heading_colour
    headings = {p.style.name for p in document.paragraphs if p.text == "1. Introduction, vision and strategy"}
    assert headings == {council.heading_style}
    table_style = style_index(document.part).id_for(council.table_style)
    assert {table._tbl.tblStyle_val for table in document.tables} == {table_style}
    assert header_fills(document) == {council.header_fill}
    assert audit_document(result.path).lines() == []
    assert word_verdict(result.path) == ("opens-clean", [])


@pytest.mark.slow
def test_body_text_takes_the_council_style_mapped_to_body(tmp_path: Path) -> None:
    template = cbmc_headings()
    body = template.styles.add_style("CBMC Body", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = template.styles["Normal"]
    body.font.name = "Verdana"
    result = build_with(tmp_path, saved(template), CBMC_STYLES + "  body: CBMC Body\n")

    document = docx.Document(str(result.path))
    opening = next(
        p for p in document.paragraphs if p.text.startswith("This is the Youth Justice Plan for Calderbrook")
    )
    placing = next(p for p in document.paragraphs if p.text.startswith("Placing the YJS alongside early help"))
    assert {opening.style.name, placing.style.name} == {"CBMC Body"}
    assert resolved(document, "CBMC Body", "w:rFonts", "w:ascii") == "Verdana"
    assert audit_document(result.path).lines() == []


@pytest.mark.slow
def test_a_council_logo_stays_in_the_header_and_its_footer_fields_are_filled(tmp_path: Path) -> None:
    result = build_with(tmp_path, saved(header_with_logo()))
    document = docx.Document(str(result.path))
    body = document.sections[1]  # the first section after the cover's
    header = body.header._element
    assert [d.get("descr") for d in header.iter(qn("wp:docPr"))] == [LOGO_ALT]
    assert [p.text for p in body.header.paragraphs] == ["", "Calderbrook YJS\tYouth Justice Plan 2025-26"]
    footer = body.footer._element
    assert "".join(t.text for t in footer.iter(qn("w:t"))) == (
        "Calderbrook Council | Draft version 0.3, 30 May 2025 | Page 1 of 1"
    )
    assert [i.text.strip() for i in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    # The cover keeps an empty header: the template has no first-page one.
    assert document.sections[0].first_page_header.paragraphs[0].text == ""


# Style lookup by name, in any case, with localised ids.


def test_word_lower_case_names_and_localised_ids_are_found() -> None:
    index = StyleIndex.of(lower_case_names().styles.element)
    assert index.id_for("TOC 1") == "TM1"
    assert index.id_for("Heading 1") == "Titre1"
    assert index.id_for("Caption") == "Lgende"
    assert index.id_for("Header") == "En-tte"
    assert index.name_of("TM2") == "toc 2"


def test_a_mapped_style_wins_over_the_built_in_one() -> None:
    index = StyleIndex.of(cbmc_headings().styles.element, {"Heading 1": "cbmc heading 1"})
    assert index.id_for("Heading 1") == "CBMCHeading1"
    assert index.id_for("Heading 2") == "Heading2"


def test_the_lower_case_template_points_every_style_at_one_it_defines(make_plan, run_cli) -> None:
    root = make_plan({COUNCIL: saved(lower_case_names()), "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\n")})
    assert run_cli(["build"], cwd=root).code == 0
    with zipfile.ZipFile(root / "output" / TINY_OUTPUT_NAME) as package:
        names = [n for n in package.namelist() if n.startswith("word/") and n.endswith(".xml")]
        xml = {name: package.read(name).decode() for name in names}
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    defined = {s.get(qn("w:styleId")) for s in document.styles.element.iterfind(qn("w:style"))}
    used = set()
    for name, text in xml.items():
        if name.startswith(("word/document", "word/header", "word/footer")):
            element = docx.oxml.parse_xml(text.encode())
            used |= {
                n.get(qn("w:val")) for tag in ("w:pStyle", "w:rStyle", "w:tblStyle") for n in element.iter(qn(tag))
            }
    assert {"Titre1", "TM1", "En-tte", "Pieddepage"} <= used
    assert used <= defined, used - defined


# plan.yaml: styles:, colours:, section_page_breaks


def test_a_mapped_style_the_template_lacks_is_named_with_a_suggestion(build_fails) -> None:
    build_fails(
        {
            COUNCIL: saved(cbmc_headings()),
            "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\nstyles:\n  heading_1: CBMC Heading1\n"),
        },
        f"plan.yaml:17: styles.heading_1: the template {COUNCIL} has no style called 'CBMC Heading1'; "
        "did you mean 'CBMC Heading 1'?",
    )


def test_a_mapped_style_of_the_wrong_kind_is_named(build_fails) -> None:
    build_fails(
        {
            COUNCIL: saved(cbmc_headings()),
            "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\nstyles:\n  table: CBMC Heading 1\n"),
        },
        "plan.yaml:17: styles.table: 'CBMC Heading 1' is a paragraph style; plan-builder needs a table style for "
        "Plan Table; map a table style instead",
    )


def test_an_unknown_style_role_lists_the_roles(build_fails) -> None:
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML + "styles:\n  heading_one: Heading 1\n")},
        "plan.yaml:16: styles.heading_one: Input should be 'body', 'title', 'subtitle', 'heading_1', 'heading_2', "
        "'heading_3', 'heading_4', 'list_bullet', 'list_bullet_2', 'list_number', 'list_number_2', 'quote', "
        "'caption', 'header', 'footer', 'contents_heading', 'contents_1', 'contents_2', 'contents_3', 'link', "
        "'table', 'table_text', 'cover_detail' or 'cover_status'; got 'heading_one'",
    )


def test_style_roles_cover_every_style_plan_builder_writes_with() -> None:
    from typing import get_args

    from plan_builder.inputs.look import STYLE_ROLES, StyleRole
    from plan_builder.word.layout import PLAN_STYLES

    assert set(get_args(StyleRole)) == set(STYLE_ROLES)
    assert set(STYLE_ROLES.values()) == set(PLAN_STYLES)


def test_colours_that_do_not_contrast_are_refused(build_fails) -> None:
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML + 'colours:\n  table_header: {fill: "DDDDDD", text: "#ffffff"}\n')},
        "plan.yaml:16: colours.table_header: text FFFFFF on fill DDDDDD has contrast 1.35:1; 4.5:1 is needed "
        "(a darker fill or text, or white text on a dark fill)",
    )


def test_colours_replace_the_table_header_and_rating_colours(make_plan, run_cli) -> None:
    colours = 'colours:\n  table_header: {fill: "4B0055", text: "FFFFFF"}\n  red: {fill: "FFDDDD", text: "8B0000"}\n'
    actions = (
        "actions:\n  - {ref: A1, theme: Workforce, action: Train staff, lead: Manager, due: 2025-04-01, "
        "status: on-track}\n"
    )
    root = make_plan(
        {
            "plan.yaml": plan_yaml(PLAN_YAML + "structured:\n  actions: data/actions.yaml\n" + colours),
            "data/actions.yaml": actions,
        }
    )
    run = run_cli(["build"], cwd=root)
    assert run.code == 0, run.err
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    assert header_fills(document) == {"4B0055"}
    overdue = [c for t in document.tables for r in t.rows[1:] for c in r.cells if "Overdue" in c.text]
    assert overdue
    assert {c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) for c in overdue} == {"FFDDDD"}


def _section_breaks(document: Document) -> list[str | None]:
    breaks = []
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            flag = paragraph._p.pPr.find(qn("w:pageBreakBefore"))
            breaks.append(None if flag is None else flag.get(qn("w:val"), "on"))
    return breaks


@pytest.mark.parametrize(("setting", "flag"), [("", "on"), ("section_page_breaks: false\n", "0")])
def test_page_breaks_before_sections_are_a_setting(make_plan, run_cli, setting: str, flag: str) -> None:
    root = make_plan({"plan.yaml": plan_yaml(PLAN_YAML + setting)})
    assert run_cli(["build"], cwd=root).code == 0
    breaks = _section_breaks(docx.Document(str(root / "output" / TINY_OUTPUT_NAME)))
    assert len(breaks) == 19
    assert set(breaks) == {flag}


# Headers and footers


def test_an_unknown_field_in_the_template_footer_is_named(build_fails) -> None:
    template = restyled_default()
    template.sections[0].footer.paragraphs[0].text = "{{ status_line }} {{ chair_email }}"
    build_fails(
        {COUNCIL: saved(template), "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\n")},
        f"{COUNCIL}: the footer has unknown field(s) chair_email; available: audience, board_name, chair_name, "
        "chair_role, date, document_kind, document_title, local_authorities, manager_name, manager_role, page, pages, "
        "period, reporting_period, service_name, short_name, status, status_line, title, version",
    )


def test_a_footer_with_text_of_its_own_is_kept_as_it_is(make_plan, run_cli) -> None:
    template = restyled_default()
    template.sections[0].footer.paragraphs[0].text = "OFFICIAL"
    root = make_plan({COUNCIL: saved(template), "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\n")})
    assert run_cli(["build"], cwd=root).code == 0
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    assert [p.text for p in document.sections[-1].footer.paragraphs] == ["OFFICIAL"]
    assert [p.text for p in document.sections[-1].header.paragraphs] == ["Testford YJS\tYouth Justice Plan 2025-26"]


def test_fields_split_across_runs_are_filled_keeping_each_runs_formatting() -> None:
    footer = docx.Document().sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.add_run("Page {{ pa")
    paragraph.add_run("ge }} of {{").bold = True
    paragraph.add_run(" pages }} \u2013 {{ status_line }}")
    assert fill_fields(footer._element, {"status_line": "Draft version 0.1"}) == []
    runs = paragraph._p.findall(qn("w:r"))
    assert paragraph.text == "Page 1 of 1 \u2013 Draft version 0.1"
    assert [i.text.strip() for i in paragraph._p.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    bold = [r for r in runs if r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None]
    assert ["".join(t.text for t in r.iter(qn("w:t"))) for r in bold] == [" of ", "", "", "", "1", ""]
    assert [i.text.strip() for r in bold for i in r.iter(qn("w:instrText"))] == ["NUMPAGES"]  # began in the bold run


# Other templates: .dotx, wider margins


def _as_dotx(content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(item, data)
    return out.getvalue()


def test_a_word_template_dotx_is_used_like_a_docx(make_plan, run_cli) -> None:
    template = "templates/council.dotx"
    root = make_plan(
        {template: _as_dotx(saved(restyled_default())), "plan.yaml": plan_yaml(PLAN_YAML + f"template: {template}\n")}
    )
    run = run_cli(["build"], cwd=root)
    assert run.code == 0, run.err
    assert run.err.startswith(f"warning: {template}: added the styles plan-builder needs")
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    assert resolved(document, "Heading 1", "w:color").upper() == PURPLE


def test_the_signoff_table_fits_a_template_with_wide_margins(make_plan, run_cli) -> None:
    template = restyled_default()
    template.sections[0].left_margin = template.sections[0].right_margin = Cm(3.5)
    root = make_plan({COUNCIL: saved(template), "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\n")})
    assert run_cli(["build"], cwd=root).code == 0
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    section = document.sections[-1]
    text_width = (section.page_width - section.left_margin - section.right_margin) // 635
    (signoff,) = [t for t in document.tables if t.rows[0].cells[0].text == "Name and role"]
    grid = [int(col.get(qn("w:w"))) for col in signoff._tbl.tblGrid.iterfind(qn("w:gridCol"))]
    assert text_width - 10 <= sum(grid) <= text_width
    assert header_fills(docx.Document(str(root / "output" / TINY_OUTPUT_NAME))) == {PURPLE}


# plan-builder template check


def test_template_check_reports_what_is_added_mapped_and_kept(tmp_path: Path, run_cli) -> None:
    plan = copy_example_plan(tmp_path)
    (plan / COUNCIL).write_bytes(saved(cbmc_headings()))
    (plan / "plan.yaml").write_text((plan / "plan.yaml").read_text() + CBMC_STYLES)
    run = run_cli(["template", "check", COUNCIL], cwd=plan)
    assert run.code == 0
    assert run.err == (  # the python-docx default's Heading 4, which the example does not use
        f"warning: {COUNCIL}: style 'Heading 4' is coloured 4F81BD, contrast 4.03:1 on white; 4.5:1 needed, and "
        "plan-builder check's accessibility audit reports any text in it: change the style in the template, or map "
        "another style to its part under styles: in plan.yaml\n"
    )
    lines = run.out.splitlines()
    assert lines[0] == f"{COUNCIL}: A4 page, text 15.9 cm wide"
    assert "  Heading 1:      mapped in plan.yaml to 'CBMC Heading 1'" in lines
    assert "  Normal:         the template's own" in lines
    assert "  TOC 1:          added from plan-builder's template (takes the template's fonts and colours)" in lines
    assert "  (13 the template's own, 4 mapped, 7 added)" in lines
    assert lines[-5:] == [
        "Header: none in the template: plan-builder adds its own (the service and the plan's title)",
        "Footer: none in the template: plan-builder adds its own (the status, version, date and 'Page X of Y')",
        f"Table header rows: text FFFFFF on fill {GREEN_HEADER}, contrast 8.63:1 (from the table style 'CBMC Table')",
        "Links ('Hyperlink'): underlined, colour 1D70B8",
        f"template check: {COUNCIL} can be used (0 problems)",
    ]


def test_template_check_names_what_would_stop_a_build(tmp_path: Path, run_cli) -> None:
    plan = copy_example_plan(tmp_path)
    template = header_with_logo()
    template.sections[0].footer.paragraphs[0].text = FOOTER_FIELDS + " {{ chair_email }}"
    (plan / COUNCIL).write_bytes(saved(template))
    run = run_cli(["template", "check", COUNCIL], cwd=plan)
    assert run.code == 1
    errors = [line for line in run.err.splitlines() if not line.startswith("warning:")]
    assert errors[0].startswith(f"error: {COUNCIL}: the footer has unknown field(s) chair_email; available: ")
    assert "Header: its pictures are kept and plan-builder's line is added below them" in run.out
    assert run.out.splitlines()[-1] == f"template check: {COUNCIL} cannot be used (1 problems)"


# Links and the audit


def test_an_empty_hyperlink_style_is_given_an_underline_and_a_colour(make_plan, run_cli) -> None:
    template = restyled_default()
    template.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)  # as a council's template may have it: empty
    body = "See [the YJB's guidance](https://www.gov.uk/guidance/youth-justice-plans).\n"
    root = make_plan(
        {
            COUNCIL: saved(template),
            "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\n"),
            "sections/03-child-first.md": section_text("child-first", body),
        }
    )
    run = run_cli(["build"], cwd=root)
    assert run.code == 0
    assert "; gave 'Hyperlink' an underline and a colour so that links stand out. To style them" in run.err
    path = root / "output" / TINY_OUTPUT_NAME
    document = docx.Document(str(path))
    assert resolved(document, "Hyperlink", "w:u") == "single"
    assert resolved(document, "Hyperlink", "w:color") == "1D70B8"
    assert audit_document(path).lines() == []


def test_check_audits_a_plan_built_from_a_council_template(make_plan, run_cli) -> None:
    """python-docx's own 9 pt pale captions, left as they are, fail the audit."""
    table = "Referrals.\n\n| Source | Number |\n| --- | --- |\n| Police | 12 |\n\nTable: Referrals by source\n"
    root = make_plan(
        {
            COUNCIL: saved(docx.Document()),
            "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\n"),
            "sections/03-child-first.md": f"---\nheading: child-first\n---\n{table}",
        }
    )
    run = run_cli(["check"], cwd=root)
    assert run.code == 1
    errors = [line for line in run.err.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: document paragraph 33 (after heading '3. Child First'): [font-size] "
        "3 runs of text in style 'Caption' at 9 pt; body text must be at least 11 pt"
    ]


def test_build_and_template_check_warn_of_text_styles_the_audit_reports(make_plan, run_cli) -> None:
    """The same 9 pt pale captions: `build` writes the plan but says so, naming the style and the fix."""
    table = "Referrals.\n\n| Source | Number |\n| --- | --- |\n| Police | 12 |\n\nTable: Referrals by source\n"
    root = make_plan(
        {
            COUNCIL: saved(docx.Document()),
            "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\n"),
            "sections/03-child-first.md": f"---\nheading: child-first\n---\n{table}",
        }
    )

    def warnings(names: tuple[str, ...], small: tuple[str, ...], text: str) -> list[str]:
        fix = f", and plan-builder check's accessibility audit reports {text} in it: change the style in the template, "
        fix += "or map another style to its part under styles: in plan.yaml"
        faint = "is coloured 4F81BD, contrast 4.03:1 on white; 4.5:1 needed"
        return [f"warning: {COUNCIL}: style '{name}' {faint}{fix}" for name in names if name not in small] + [
            line
            for name in small
            for line in (
                f"warning: {COUNCIL}: style '{name}' is 9 pt; text must be at least 11 pt{fix}",
                f"warning: {COUNCIL}: style '{name}' {faint}{fix}",
            )
        ]

    built = run_cli(["build"], cwd=root)
    assert built.code == 0
    # Only the styles the plan uses: the cover's subtitle and the table's caption (no heading 2-4 in this plan).
    assert [line for line in built.err.splitlines() if "contrast" in line or " pt;" in line] == warnings(
        ("Subtitle",), ("Caption",), "the text"
    )
    checked = run_cli(["template", "check", COUNCIL], cwd=root)
    assert checked.code == 0
    assert checked.err.splitlines() == warnings(
        ("Subtitle", "Heading 2", "Heading 3", "Heading 4"), ("Caption",), "any text"
    )


def test_a_kept_footer_without_a_page_number_is_warned(make_plan, run_cli) -> None:
    template = restyled_default()
    template.sections[0].footer.paragraphs[0].text = "Northmoor County Borough Council - OFFICIAL"
    root = make_plan({COUNCIL: saved(template), "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\n")})
    warning = (
        f"warning: {COUNCIL}: the template's footer is kept as it is and neither it nor the header has a page "
        "number, so the plan's pages are not numbered: type Page {{ page }} of {{ pages }} into the footer where "
        "the number should go"
    )
    built = run_cli(["build"], cwd=root)
    assert built.code == 0 and warning in built.err.splitlines()
    assert warning in run_cli(["template", "check", COUNCIL], cwd=root).err.splitlines()
    template.sections[0].footer.paragraphs[0].text = "OFFICIAL - Page {{ page }}"
    (root / COUNCIL).write_bytes(saved(template))
    assert warning not in run_cli(["build"], cwd=root).err.splitlines()


def test_added_heading_like_styles_are_not_headings(make_plan, run_cli) -> None:
    """The cover's status line looks like the council's Heading 1 but must not join the contents or the outline."""
    root = make_plan({COUNCIL: saved(restyled_default()), "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\n")})
    assert run_cli(["build"], cwd=root).code == 0
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    index = style_index(document.part)
    style = style_element(document, index.id_for("Cover Status"))
    assert style.find(qn("w:basedOn")).get(qn("w:val")) == index.id_for("Heading 1")
    assert style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}").get(qn("w:val")) == "9"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="needs LibreOffice")
def test_the_contents_page_of_a_council_template_pdf_lists_only_sections(make_plan, run_cli) -> None:
    root = make_plan({COUNCIL: saved(restyled_default()), "plan.yaml": plan_yaml(PLAN_YAML + f"template: {COUNCIL}\n")})
    assert run_cli(["build", "--pdf"], cwd=root).code == 0
    pdf = root / "output" / TINY_OUTPUT_NAME.replace(".docx", ".pdf")
    contents = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True)
    entries = [line for line in contents.stdout.splitlines() if "...." in line]
    assert entries[0].startswith("1. Introduction")
    assert not any("Draft version" in line for line in entries)
