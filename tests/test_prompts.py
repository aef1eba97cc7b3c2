"""Prompts `[[...]]`: highlighted in drafts, reported with file and line, and a final plan refuses them."""

from __future__ import annotations

from pathlib import Path

import docx
from conftest import PLAN_YAML, TINY_OUTPUT_NAME, plan_yaml, section_text
from docx.enum.text import WD_COLOR_INDEX

from plan_builder.inputs.prompts import find_prompts, mark_prompts

CHILD_FIRST = "sections/03-child-first.md"
BODY = (
    "We see children as children.\n"
    "\n"
    "[[To write: how the service\n"
    "checks that it is Child First.]] Then our own words, and [[a *second* prompt]].\n"
)


def test_a_draft_shows_each_prompt_highlighted_and_build_reports_its_line(make_plan, run_cli):
    root = make_plan({CHILD_FIRST: section_text("child-first", BODY)})

    run = run_cli(["build"], cwd=root)

    assert run.code == 0
    assert run.err.splitlines() == [
        "warning: sections/03-child-first.md:6: prompt not yet replaced: "
        "[[To write: how the service checks that it is Child First.]]",
        "warning: sections/03-child-first.md:7: prompt not yet replaced: [[a *second* prompt]]",
    ]
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    paragraph = next(p for p in document.paragraphs if "Then our own words" in p.text)
    assert paragraph.text == (
        "To write: how the service checks that it is Child First. Then our own words, and a second prompt."
    )
    assert [(run.text, run.font.highlight_color) for run in paragraph.runs] == [
        ("To write: how the service checks that it is Child First.", WD_COLOR_INDEX.YELLOW),
        (" Then our own words, and ", None),
        ("a second prompt", WD_COLOR_INDEX.YELLOW),
        (".", None),
    ]


def test_check_lists_prompts_in_sections_and_plan_yaml(make_plan, run_cli):
    head = PLAN_YAML.replace("name: Alex Chair", 'name: "[[the board chair\'s name]]"')
    root = make_plan({CHILD_FIRST: section_text("child-first", BODY), "plan.yaml": plan_yaml(head)})

    run = run_cli(["check"], cwd=root)

    assert run.code == 0
    assert "warning: plan.yaml:8: prompt not yet replaced: [[the board chair's name]]" in run.err.splitlines()
    assert "warning: sections/03-child-first.md:7: prompt not yet replaced: [[a *second* prompt]]" in run.err
    assert run_cli(["check", "--strict"], cwd=root).code == 1


def test_a_final_plan_cannot_be_built_while_a_prompt_remains(build_fails):
    head = PLAN_YAML.replace("status: draft", "status: final").replace(
        "name: Alex Chair", 'name: "[[the board chair\'s name]]"'
    )
    build_fails(
        {CHILD_FIRST: section_text("child-first", BODY), "plan.yaml": plan_yaml(head)},
        "plan.yaml:8: prompt not yet replaced: [[the board chair's name]]; a final plan cannot be built until "
        "every prompt is replaced with the plan's own text",
        "sections/03-child-first.md:6: prompt not yet replaced: [[To write: how the service checks that it is "
        "Child First.]]; a final plan cannot be built until every prompt is replaced with the plan's own text",
        "sections/03-child-first.md:7: prompt not yet replaced: [[a *second* prompt]]; a final plan cannot be "
        "built until every prompt is replaced with the plan's own text",
    )


def test_a_prompt_ends_at_a_blank_line_and_long_ones_are_shortened_in_messages():
    text = "[[not a prompt\n\nacross paragraphs]] and [[" + "word " * 30 + "]]"

    prompts = find_prompts(text, Path("s.md"), first_line=10)

    assert [p.where for p in prompts] == ["s.md:12"]
    assert prompts[0].message() == (
        "s.md:12: prompt not yet replaced: [[word word word word word word word word word word word word word...]]"
    )
    assert mark_prompts("a [[b **c**]] d", "<", ">") == "a <b c> d"
