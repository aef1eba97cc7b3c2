"""Word templates (`plan_builder.word.document`): a council's own template must define the styles used."""

from __future__ import annotations

import io

import docx
from conftest import PLAN_YAML, TEMPLATES_DIR, TINY_OUTPUT_NAME, plan_yaml
from docx.oxml.ns import qn


def template_without(style_name: str) -> bytes:
    """A copy of the plan template with one style deleted."""
    document = docx.Document(str(TEMPLATES_DIR / "plan-template.docx"))
    document.styles[style_name].delete()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def cover_with(extra_paragraph: str) -> bytes:
    """A copy of the cover template with one more paragraph."""
    document = docx.Document(str(TEMPLATES_DIR / "cover.docx"))
    document.add_paragraph(extra_paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_template_missing_a_style_gets_it_with_one_warning(make_plan, run_cli):
    root = make_plan({"templates/plan-template.docx": template_without("Plan Table")})
    run = run_cli(["build"], cwd=root)
    assert run.code == 0
    assert run.err == (
        "warning: templates/plan-template.docx: added the styles plan-builder needs that the template lacks, based "
        "on its own Normal and Heading 1 so they take its fonts and colours: Plan Table. To style them yourself, add "
        "them to the template or map your own styles under styles: in plan.yaml (plan-builder template check lists "
        "them)\n"
    )
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    assert {table.style.name for table in document.tables} == {"Plan Table"}


def test_template_not_found(build_fails):
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML + "template: templates/council.docx\n")},
        "plan.yaml:15: template: templates/council.docx: Word template not found; remove `template:` from plan.yaml "
        "to use plan-builder's own plan-template.docx, or run `plan-builder make-templates templates` to write "
        "editable copies to start from",
    )


def test_template_that_is_not_a_docx(build_fails):
    build_fails(
        {"templates/plan-template.docx": b"not a zip file"},
        "templates/plan-template.docx: not a readable Word .docx file (File is not a zip file)",
    )


def test_cover_field_that_does_not_exist_is_named(build_fails):
    build_fails(
        {"templates/cover.docx": cover_with("Contact: {{ chair_email }}")},
        "templates/cover.docx: unknown field(s) chair_email; available: audience, board_name, chair_name, chair_role, "
        "date, document_kind, document_title, local_authorities, manager_name, manager_role, period, "
        "reporting_period, service_name, short_name, status, status_line, version",
    )


def test_every_header_part_holds_one_watermark_and_same_width_sections_share_parts(example_build):
    document = example_build.document
    parts = {}
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            if not header.is_linked_to_previous:
                parts.setdefault(header.part.partname, header.part)
    shapes = {name: len(part.element.xpath(".//w:pict")) for name, part in parts.items()}
    # The cover's empty first-page header, one for portrait pages and one for landscape pages.
    assert len(shapes) == 3
    assert sorted(shapes.values()) == [1, 1, 1]
    widths = {}
    for section in document.sections:
        width = section.page_width - section.left_margin - section.right_margin
        widths.setdefault(width, set()).add(section.header.part.partname)
    assert all(len(names) == 1 for names in widths.values())


def test_paragraph_and_table_properties_follow_the_schema_order(example_build):
    from plan_builder.word.xml import P_PR_ORDER, TBL_PR_ORDER

    document = example_build.document
    elements = [document.element, document.styles.element]
    problems = []
    for root in elements:
        for tag, order in (("w:pPr", P_PR_ORDER), ("w:tblPr", TBL_PR_ORDER)):
            for properties in root.iter(qn(tag)):
                ranks = [order.index(child.tag) for child in properties if child.tag in order]
                unknown = [child.tag for child in properties if child.tag not in order]
                if ranks != sorted(ranks) or len(set(ranks)) != len(ranks) or unknown:
                    problems.append([child.tag.split("}")[1] for child in properties])
    assert problems == []
