"""The sections stage (`plan_builder.inputs.sections`, `structure`, `pipeline.validate_structure`).

Front matter problems, section files missing, YJB heading ids and the YJB order.
Section files are written inline; line 1 is the opening '---'.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PLAN_YAML, SECTION_FILES, plan_yaml, section_text

from plan_builder.errors import SectionError
from plan_builder.inputs.sections import load_section, split_front_matter
from plan_builder.inputs.structure import check_order, load_structure

CHILD_FIRST = "sections/03-child-first.md"
STRUCTURE_2023 = "YJB youth justice plan structure 2023-24"
# The list a 2025-26 plan follows when plan.yaml names none.
STRUCTURE_CURRENT = "YJB youth justice plan structure, 2024-25 onward"
SECTION_NAMES = [name for name, _ in SECTION_FILES]


def test_front_matter_gives_heading_default_title_and_body_line(tmp_path: Path):
    path = tmp_path / "s.md"
    path.write_text("---\nheading: child-first\n---\nFirst line of the body.\n", encoding="utf-8")

    section = load_section(path, Path("sections/s.md"), load_structure("2023-24", "2025-26"))

    assert section.heading_id == "child-first"
    assert section.title == "Child First"
    assert section.numbered is True
    assert section.body == "First line of the body.\n"
    assert section.body_line == 4
    assert section.path == Path("sections/s.md")


def test_split_front_matter_counts_body_line_after_a_longer_header():
    header, body, line = split_front_matter("---\nheading: local\ntitle: X\nnumbered: false\n---\nBody\n", Path("s.md"))

    assert header == "heading: local\ntitle: X\nnumbered: false\n"
    assert body == "Body\n"
    assert line == 6


def test_malformed_front_matter_yaml(build_fails):
    build_fails(
        {CHILD_FIRST: "---\nheading: child-first\ntitle: Child First: our approach\n---\nBody\n"},
        f"{CHILD_FIRST}:3: YAML syntax error: mapping values are not allowed in this context",
    )


def test_front_matter_must_open_the_file(build_fails):
    build_fails(
        {CHILD_FIRST: "heading: child-first\n\nBody\n"},
        f"{CHILD_FIRST}:1: front matter: expected the file to start with '---' and a 'heading:' key",
    )


def test_front_matter_must_be_closed(build_fails):
    build_fails(
        {CHILD_FIRST: "---\nheading: child-first\n\nBody\n"},
        f"{CHILD_FIRST}:1: front matter: no closing '---' line",
    )


def test_front_matter_must_be_key_value_lines(build_fails):
    build_fails(
        {CHILD_FIRST: "---\n- child-first\n---\nBody\n"},
        f"{CHILD_FIRST}:2: front matter: expected 'key: value' lines",
    )


def test_unknown_front_matter_key_names_file_and_line(build_fails):
    build_fails(
        {CHILD_FIRST: "---\nheading: child-first\ntitel: Our Child First approach\n---\nBody\n"},
        f"{CHILD_FIRST}:3: titel: unknown key",
    )


def test_front_matter_needs_a_heading_or_a_title(build_fails):
    build_fails(
        {CHILD_FIRST: "---\nnumbered: false\n---\nBody\n"},
        f"{CHILD_FIRST}:2: (top level): give a 'heading:' (a YJB heading id) or, for a section of your own, a 'title:'",
    )


def test_local_section_needs_a_title(build_fails):
    build_fails(
        {CHILD_FIRST: "---\nheading: local\n---\nBody\n"},
        f"{CHILD_FIRST}:2: (top level): give a 'heading:' (a YJB heading id) or, for a section of your own, a 'title:'",
    )


def test_a_section_with_only_a_title_is_the_services_own(make_plan, run_cli):
    root = make_plan({CHILD_FIRST: "---\ntitle: Our approach\n---\nBody\n"})
    run = run_cli(["build"], cwd=root)
    assert run.code == 0
    assert "required YJB heading missing: 'Child First' (child-first)" in run.err


def test_unknown_yjb_heading_id_lists_the_known_ones(build_fails):
    build_fails(
        {CHILD_FIRST: section_text("child-frist")},
        f"{CHILD_FIRST}:2: front matter: heading: unknown YJB heading 'child-frist' for '{STRUCTURE_CURRENT}'; "
        "expected one of: foreword, introduction, local-context, child-first, voice-of-the-child, governance, "
        "board-development, progress-on-previous-plan, resources-and-services, performance, priorities, "
        "standards, workforce-development, evidence-based-practice, service-development, "
        "challenges-risks-issues, sign-off, service-structure, budget, glossary, or 'local'",
    )


def test_heading_filled_twice(build_fails):
    build_fails(
        {"sections/02-local-context.md": section_text("introduction")},
        "sections/02-local-context.md:2: heading 'introduction' is already filled by sections/01-introduction.md",
    )


def test_section_listed_but_missing_points_at_its_manifest_line(build_fails):
    # plan.yaml: line 15 is 'sections:', so sections[2] is on line 18.
    build_fails(
        {CHILD_FIRST: None},
        f"plan.yaml:18: sections[2]: {CHILD_FIRST}: section file not found",
    )


def test_section_listed_but_missing_is_an_error_naming_the_file(make_plan, run_cli):
    # What the author needs whatever the line: which file, and that plan.yaml lists it.
    root = make_plan({CHILD_FIRST: None})

    run = run_cli(["build"], cwd=root)

    assert run.code == 1
    assert f"{CHILD_FIRST}" in run.err
    assert "not found" in run.err
    assert not (root / "output").exists()


def test_sections_out_of_yjb_order_point_at_the_manifest_line(build_fails):
    order = list(SECTION_NAMES)
    order[2], order[3] = order[3], order[2]  # voice of the child before Child First
    build_fails(
        {"plan.yaml": plan_yaml(sections=order)},
        f"plan.yaml:19: sections[3]: {CHILD_FIRST} ('Child First') is out of YJB order for '{STRUCTURE_CURRENT}'",
    )


def test_sections_out_of_yjb_order_are_an_error_naming_the_section(make_plan, run_cli):
    order = list(SECTION_NAMES)
    order[2], order[3] = order[3], order[2]
    root = make_plan({"plan.yaml": plan_yaml(sections=order)})

    run = run_cli(["build"], cwd=root)

    assert run.code == 1
    assert f"{CHILD_FIRST} ('Child First') is out of YJB order for '{STRUCTURE_CURRENT}'" in run.err
    assert run.err.count("error: ") == 1
    assert not (root / "output").exists()


def test_check_order_flags_the_heading_that_comes_too_late():
    structure = load_structure("2023-24", "2025-26")
    ids = [h.id for h in structure.required]
    ids[2], ids[3] = ids[3], ids[2]

    report = check_order(structure, ["foreword", *ids])

    assert report.out_of_order == ["child-first"]
    assert report.missing == []


def test_check_order_lists_missing_headings_in_yjb_order():
    structure = load_structure("2023-24", "2025-26")

    report = check_order(structure, ["introduction", "sign-off"])

    assert [h.id for h in report.missing][:3] == ["local-context", "child-first", "voice-of-the-child"]
    assert "introduction" not in [h.id for h in report.missing]
    assert report.out_of_order == []


def test_draft_with_a_missing_heading_builds_and_warns(make_plan, run_cli):
    order = [name for name in SECTION_NAMES if "governance" not in name]
    root = make_plan({"plan.yaml": plan_yaml(sections=order)})

    run = run_cli(["build"], cwd=root)

    assert run.code == 0
    assert run.err == (
        "warning: plan.yaml:15: sections: required YJB heading missing: "
        "'Governance, leadership and partnership arrangements' (governance)\n"
    )
    assert (root / "output" / "testford-youth-justice-service-2025-26-draft.docx").is_file()


def test_final_plan_with_a_missing_heading_is_an_error_with_file_and_line(build_fails):
    order = [name for name in SECTION_NAMES if "governance" not in name]
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML.replace("status: draft", "status: final"), sections=order)},
        "plan.yaml:15: sections: required YJB heading missing: "
        "'Governance, leadership and partnership arrangements' (governance)",
    )


def test_final_plan_with_a_missing_heading_is_an_error(make_plan, run_cli):
    order = [name for name in SECTION_NAMES if "governance" not in name]
    root = make_plan({"plan.yaml": plan_yaml(PLAN_YAML.replace("status: draft", "status: final"), sections=order)})

    run = run_cli(["build"], cwd=root)

    assert run.code == 1
    assert "required YJB heading missing: 'Governance, leadership and partnership arrangements' (governance)" in run.err
    assert run.err.count("error: ") == 1
    assert not (root / "output").exists()


def test_load_section_raises_section_error_for_unknown_heading(tmp_path: Path):
    path = tmp_path / "s.md"
    path.write_text(section_text("looking-forward"), encoding="utf-8")

    with pytest.raises(SectionError) as caught:
        load_section(path, Path("sections/s.md"), load_structure("2023-24", "2025-26"))

    assert caught.value.problems[0].startswith(
        f"sections/s.md:2: front matter: heading: unknown YJB heading 'looking-forward' for '{STRUCTURE_2023}'"
    )


def test_the_2022_23_structure_knows_looking_forward(tmp_path: Path):
    path = tmp_path / "s.md"
    path.write_text(section_text("looking-forward"), encoding="utf-8")

    section = load_section(path, Path("sections/s.md"), load_structure("2022-23", "2025-26"))

    assert section.title == "Looking forward"
