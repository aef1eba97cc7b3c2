"""Section lists: 2024-25 onward explicitly, a service's own list by path, `structures --show`."""

from __future__ import annotations

from pathlib import Path

import docx
import yaml
from conftest import PLAN_YAML, TINY_OUTPUT_NAME, plan_yaml, section_text

from plan_builder.inputs.structure import load_structure

# A list "published after this release": Child First renamed, a new required heading after it.
OWN_LIST = """\
name: "YJB youth justice plan structure 2027-28 (our copy)"
from_period: "2027-28"
sections:
  - {id: introduction, title: "Introduction, vision and strategy"}
  - {id: local-context, title: "Local context"}
  - {id: child-first, title: "Child First practice"}
  - {id: trauma-informed-practice, title: "Trauma-informed practice"}
  - {id: sign-off, title: "Sign off, submission and approval"}
appendices:
  - {id: glossary, title: "Common youth justice terms"}
"""
OWN_SECTIONS = [
    ("sections/01-introduction.md", "introduction"),
    ("sections/02-local-context.md", "local-context"),
    ("sections/03-child-first.md", "child-first"),
    ("sections/04-trauma.md", "trauma-informed-practice"),
    ("sections/16-sign-off.md", "sign-off"),
]


def own_list_plan(make_plan, structure_yaml: str = OWN_LIST, key: str = "yjb-2027-28.yaml") -> Path:
    files: dict[str, str | bytes | None] = {
        "plan.yaml": plan_yaml(
            PLAN_YAML + f"structure: {key}\n",
            sections=[name for name, _ in OWN_SECTIONS],
            appendices=["sections/92-glossary.md"],
        ),
        "yjb-2027-28.yaml": structure_yaml,
    }
    files.update({name: section_text(heading) for name, heading in OWN_SECTIONS})
    return make_plan(files)


def test_a_plan_builds_against_a_service_supplied_section_list(make_plan, run_cli):
    root = own_list_plan(make_plan)

    run = run_cli(["build"], cwd=root)

    assert (run.code, run.err) == (0, "")
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "1. Introduction, vision and strategy",
        "2. Local context",
        "3. Child First practice",
        "4. Trauma-informed practice",
        "5. Sign off, submission and approval",
        "Appendix 1: Common youth justice terms",
    ]
    record = yaml.safe_load((root / "output" / TINY_OUTPUT_NAME).with_suffix(".json").read_text())
    assert "yjb-2027-28.yaml" in record["inputs"]  # a change to the list shows in `plan-builder diff`


def test_watch_rebuilds_when_the_services_list_changes(make_plan):
    from plan_builder.commands.watch import changes, snapshot

    root = own_list_plan(make_plan)
    before = snapshot(root)
    (root / "yjb-2027-28.yaml").write_text(OWN_LIST.replace("Child First practice", "Child First in practice"))

    assert root / "yjb-2027-28.yaml" in changes(before, snapshot(root))


def test_the_services_list_is_checked_like_a_packaged_one(make_plan, run_cli):
    root = own_list_plan(make_plan)
    (root / "sections/04-trauma.md").unlink()
    manifest = (root / "plan.yaml").read_text().replace("  - sections/04-trauma.md\n", "")
    (root / "plan.yaml").write_text(manifest)

    run = run_cli(["check"], cwd=root)

    assert (
        "warning: plan.yaml:16: sections: required YJB heading missing: 'Trauma-informed practice' "
        "(trauma-informed-practice)"
    ) in run.err


def test_a_missing_section_list_file_says_how_to_start_one(build_fails):
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML + "structure: yjb-2027-28.yaml\n")},
        "plan.yaml:15: structure: yjb-2027-28.yaml: section list not found; start one with "
        "`plan-builder structures --show 2024-25 > yjb-2027-28.yaml`",
    )


def test_problems_in_a_services_list_name_its_file_and_line(make_plan, run_cli):
    broken = OWN_LIST.replace("{id: trauma-informed-practice,", "{id: Trauma Practice,").replace(
        "  - {id: sign-off, title", "  - {id: local-context, title"
    )
    root = own_list_plan(make_plan, broken)

    run = run_cli(["build"], cwd=root)

    assert run.code == 1
    assert run.err == (
        "error: yjb-2027-28.yaml:7: sections[3].id: expected lower-case letters, digits and hyphens, "
        "e.g. 'child-first'; got 'Trauma Practice'\n"
    )
    root = own_list_plan(make_plan, OWN_LIST.replace("  - {id: sign-off, title", "  - {id: local-context, title"))
    run = run_cli(["build"], cwd=root)
    assert run.err == "error: yjb-2027-28.yaml:1: (top level): heading id used more than once: local-context\n"


def test_structures_show_prints_a_list_that_can_be_used_as_a_services_own(make_plan, run_cli):
    run = run_cli(["structures", "--show", "2024-25"])

    assert run.code == 0
    assert run.out.startswith("# YJB Youth Justice Plan structure for the 2024-25 plans and every later period")
    shown = yaml.safe_load(run.out)
    assert shown["from_period"] == "2024-25"
    assert [h["id"] for h in shown["sections"]] == [h.id for h in load_structure("2024-25", "2024-25").sections]
    # Saved into the plan folder and named in plan.yaml, it gives the same document as the packaged list.
    root = make_plan({"plan.yaml": plan_yaml(PLAN_YAML + "structure: our-list.yaml\n"), "our-list.yaml": run.out})
    build = run_cli(["build"], cwd=root)
    assert (build.code, build.err) == (0, "")


def test_structures_show_names_an_unknown_list(run_cli):
    run = run_cli(["structures", "--show", "2027-28"])

    assert run.code == 1
    assert run.err == "error: unknown YJB section list '2027-28'; available: 2022-23, 2023-24, 2024-25\n"


def test_2024_25_onward_follows_the_current_list_on_purpose():
    current = load_structure("2024-25", "2024-25")
    previous = load_structure("2023-24", "2023-24")

    for period in ("2024-25", "2025-26", "2026-27", "2030-31"):
        assert load_structure(None, period).from_period == "2024-25"
    # No published change was found: the headings are the 2023-24 ones, and the file says so.
    assert [(h.id, h.title, h.subheadings) for h in current.all_headings] == [
        (h.id, h.title, h.subheadings) for h in previous.all_headings
    ]
    text = (Path(__file__).parent.parent / "plan_builder/inputs/structures/2024-25.yaml").read_text()
    assert "No later revision of the guidance could be found" in text
