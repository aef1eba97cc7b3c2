"""The manifest stage (`plan_builder.inputs.config`): plan.yaml problems, each reported with file and line.

Line numbers refer to the tiny plan's manifest (`conftest.PLAN_YAML`): a test that
adds a key prepends it, so it is line 1, or replaces one of the known lines.
"""

from __future__ import annotations

import pytest
from conftest import PLAN_YAML, plan_yaml

from plan_builder.errors import ConfigError
from plan_builder.inputs.config import Status, load_plan


def test_the_tiny_plan_loads_with_its_defaults(make_plan):
    plan = load_plan(make_plan())

    manifest = plan.manifest
    assert manifest.service.name == "Testford Youth Justice Service"
    assert manifest.period == "2025-26"
    assert manifest.status is Status.DRAFT
    assert manifest.structure is None
    assert manifest.language == "en-GB"
    assert manifest.template is None  # templates/plan-template.docx if the plan has one, else the built-in one
    assert [entry.file for entry in manifest.sections][:2] == [
        "sections/01-introduction.md",
        "sections/02-local-context.md",
    ]
    assert manifest.appendices[0].separate_document is False


def test_yaml_syntax_error_names_the_line(build_fails):
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML.replace("status: draft", "status: draft: final"))},
        "plan.yaml:12: YAML syntax error: mapping values are not allowed in this context",
    )


def test_unclosed_bracket_is_a_syntax_error_at_the_line_where_it_is_found(build_fails):
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML.replace("[Testford Borough Council]", "[Testford Borough Council"))},
        "plan.yaml:5: YAML syntax error: did not find expected ',' or ']'",
    )


def test_duplicate_key_is_an_error_not_last_one_wins(build_fails):
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML + "status: final\n")},
        "plan.yaml:15: YAML syntax error: duplicate key 'status'",
    )


def test_unknown_top_level_key(build_fails):
    build_fails(
        {"plan.yaml": "colour: teal\n" + plan_yaml()},
        "plan.yaml:1: colour: unknown key",
    )


def test_unknown_nested_key_gives_the_dotted_path_and_its_line(build_fails):
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML.replace("  short_name:", "  shortname:"))},
        "plan.yaml:3: service.shortname: unknown key",
    )


def test_period_must_be_two_consecutive_years(build_fails):
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML.replace("period: 2025-26", "period: 2025-27"))},
        "plan.yaml:11: period: expected a plan period like '2025-26' (two consecutive years); got '2025-27'",
    )


def test_missing_required_key(build_fails):
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML.replace("as_of: 2025-05-30\n", ""))},
        "plan.yaml:1: as_of: required key is missing",
    )


def test_every_manifest_problem_is_reported_at_once(build_fails):
    head = PLAN_YAML.replace("period: 2025-26", "period: 2025-27").replace("status: draft", "status: published")
    build_fails(
        {"plan.yaml": "colour: teal\n" + plan_yaml(head)},
        "plan.yaml:12: period: expected a plan period like '2025-26' (two consecutive years); got '2025-27'",
        "plan.yaml:13: status: Input should be 'draft', 'board-review' or 'final'; got 'published'",
        "plan.yaml:1: colour: unknown key",
    )


def test_missing_manifest(build_fails):
    build_fails({"plan.yaml": None}, "plan.yaml: file not found")


def test_load_plan_raises_config_error_naming_the_manifest_under_the_plan_folder(make_plan):
    root = make_plan({"plan.yaml": "colour: teal\n" + plan_yaml()})

    with pytest.raises(ConfigError) as caught:
        load_plan(root)

    assert caught.value.problems == [f"{root / 'plan.yaml'}:1: colour: unknown key"]
    assert str(caught.value) == f"{root / 'plan.yaml'}:1: colour: unknown key"


def test_unknown_structure_names_its_line(build_fails):
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML + "structure: 2019-20\n")},
        "plan.yaml:15: structure: unknown YJB section list '2019-20'; available: 2022-23, 2023-24, 2024-25",
    )


def test_known_structure_can_be_chosen_explicitly(make_plan):
    from plan_builder.inputs.structure import load_structure

    plan = load_plan(make_plan({"plan.yaml": plan_yaml(PLAN_YAML + "structure: 2023-24\n")}))

    structure = load_structure(plan.manifest.structure, plan.manifest.period)
    assert structure.from_period == "2023-24"


def test_default_structure_is_the_newest_not_after_the_period():
    from plan_builder.inputs.structure import load_structure

    assert load_structure(None, "2025-26").from_period == "2024-25"
    assert load_structure(None, "2024-25").from_period == "2024-25"
    assert load_structure(None, "2023-24").from_period == "2023-24"
    assert load_structure(None, "2022-23").from_period == "2022-23"
