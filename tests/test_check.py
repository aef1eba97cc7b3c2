"""`plan-builder check`: every problem at once, exit codes, completeness, disclosure, safety."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import PLAN_YAML, plan_yaml, section_text

from plan_builder.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHILD_FIRST = "sections/03-child-first.md"
VOICE = "sections/04-voice-of-the-child.md"


def run_check(root: Path, capsys, *args: str) -> tuple[int, list[str], str]:
    code = main(["check", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.err.splitlines(), captured.out.strip()


@pytest.mark.slow
def test_example_plan_passes(capsys):
    code, err, out = run_check(ROOT, capsys)
    assert code == 0
    assert [line for line in err if line.startswith("error:")] == []
    assert out.startswith("check passed: 0 errors, ")
    assert "accessibility audit" in out and "narrative consistency" in out


def test_check_writes_no_document(make_plan, capsys):
    root = make_plan()
    code, _, out = run_check(root, capsys)
    assert code == 0, out
    assert not list((root / "output").glob("*.docx")) if (root / "output").exists() else True


def test_every_section_problem_is_reported_at_once(make_plan, capsys):
    root = make_plan(
        {
            CHILD_FIRST: "---\nheading: child-first\ncolour: teal\n---\nText.\n",
            VOICE: "---\nheading: voice-of-the-chid\n---\nText.\n",
        }
    )
    code, err, out = run_check(root, capsys)
    assert code == 1
    assert err[0] == f"error: {root / CHILD_FIRST}:3: colour: unknown key"
    assert err[1].startswith(
        f"error: {root / VOICE}:2: front matter: heading: unknown YJB heading 'voice-of-the-chid' for "
    )
    assert out.startswith("check FAILED: 2 errors")


def test_template_errors_in_several_sections_are_reported_together(make_plan, capsys):
    root = make_plan(
        {
            CHILD_FIRST: section_text("child-first", "Intro.\n\n{{ fte.latest.rate }}\n"),
            VOICE: section_text("voice-of-the-child", "Intro.\n\n{{ ''.__class__.__mro__ }}\n"),
        }
    )
    code, err, _ = run_check(root, capsys)
    assert code == 1
    assert [line for line in err if line.startswith("error:")] == [
        f"error: {root / CHILD_FIRST}:6: unknown name 'fte'",
        f"error: {root / VOICE}:6: not allowed in section text: access to attribute '__class__' of 'str' object is unsafe.",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("![](images/a.png)\n", "image 'images/a.png' has no alt text; write ![what the image shows](images/a.png)"),
        (
            "![Chart](../../etc/passwd)\n",
            "image '../../etc/passwd': image paths must be relative to the plan directory and stay inside it",
        ),
        ("{{ fte.latest.rat }}\n", "unknown name 'fte'"),
    ],
)
def test_unsafe_or_broken_section_text_is_a_clear_error(make_plan, capsys, body, message):
    root = make_plan({CHILD_FIRST: section_text("child-first", "Intro.\n\n" + body)})
    code, err, _ = run_check(root, capsys)
    assert code == 1
    assert f"error: {root / CHILD_FIRST}:6: {message}" in err
    assert not any("Traceback" in line for line in err)
    assert not (root / "output").exists() or not list((root / "output").glob("*.docx"))


def test_yaml_syntax_error_is_a_clear_error(make_plan, capsys):
    root = make_plan({"plan.yaml": plan_yaml(PLAN_YAML.replace("period: 2025-26", "period: [2025-26"))})
    code, err, _ = run_check(root, capsys)
    assert code == 1
    assert err[0].startswith(f"error: {root / 'plan.yaml'}:")
    assert "YAML syntax error" in err[0]


@pytest.mark.slow
def test_completeness_empty_section_and_missing_priority_subheadings(make_plan, capsys):
    root = make_plan({CHILD_FIRST: "---\nheading: child-first\n---\n\n"})
    code, err, _ = run_check(root, capsys)
    assert code == 0
    assert f"warning: {root / CHILD_FIRST}:4: section 'Child First' has no text" in err
    priorities = root / "sections/10-priorities.md"
    assert (
        f"warning: {priorities}:4: 'Priorities' has no '## Prevention' sub-heading (a YJB sub-heading of this section)"
        in err
    )
    code, _, out = run_check(root, capsys, "--strict")
    assert code == 1
    assert out.startswith("check FAILED: 0 errors")


@pytest.mark.slow
def test_disclosure_flags_small_counts_of_children_in_final_plans_only(tmp_path, capsys):
    plan = tmp_path / "plan"
    plan.mkdir()
    shutil.copy(ROOT / "plan.yaml", plan / "plan.yaml")
    for folder in ("sections", "data", "templates"):
        shutil.copytree(ROOT / folder, plan / folder)
    manifest = plan / "plan.yaml"
    manifest.write_text(manifest.read_text().replace("status: draft", "status: final"))
    # The example's small counts are of staff (2 strategic managers), actions and board partners (4 of 5):
    # none of them can identify a child.
    code, err, out = run_check(plan, capsys)
    assert disclosure_lines(err) == []
    assert "disclosure (counts of children under 5)" in out
    kpis = plan / "data" / "kpis.csv"
    kpis.write_text(
        kpis.read_text().replace(
            "2025-03-31,Calderbrook,serious_violence,convicted,5,95",
            "2025-03-31,Calderbrook,serious_violence,convicted,3,95",
        )
    )
    code, err, out = run_check(plan, capsys)
    assert disclosure_lines(err) == [
        "warning: the KPI table, row 'KPI 9 Serious violence: Children on the caseload convicted of a serious violent offence' "
        "(kpi.serious_violence.latest.convicted, Jan-Mar 2025), column 'Counts': count 3 is below 5; small numbers can "
        "identify children (suppress or combine before publishing)"
    ]
    code, _, _ = run_check(plan, capsys, "--strict")
    assert code == 1


FINAL = PLAN_YAML.replace("status: draft", "status: final")


def disclosure_lines(err: list[str]) -> list[str]:
    return [line for line in err if "small numbers can identify children" in line]


def test_disclosure_applies_to_the_columns_a_table_declares_as_counts_of_children(make_plan, capsys):
    body = (
        "Table: Children by group {children: Children}\n\n"
        "| Group | Children | Sessions |\n| --- | --- | --- |\n| Girls | 3 | 2 |\n| Boys | 41 | 1 |\n| Both | 2 / 9 | 4 |\n"
    )
    root = make_plan({"plan.yaml": plan_yaml(FINAL), CHILD_FIRST: section_text("child-first", body)})
    _, err, out = run_check(root, capsys)
    path = root / CHILD_FIRST
    assert disclosure_lines(err) == [
        f"warning: {path}:8: table 'Children by group', row 'Girls', column 'Children': count 3 is below 5; "
        "small numbers can identify children (suppress or combine before publishing)",
        f"warning: {path}:10: table 'Children by group', row 'Both', column 'Children': count 2 is below 5; "
        "small numbers can identify children (suppress or combine before publishing)",
    ]
    assert "disclosure (counts of children under 5)" in out


def test_disclosure_with_children_alone_means_every_column_but_the_first(make_plan, capsys):
    body = "| Group | Girls | Boys |\n| --- | --- | --- |\n| 10-14 | 3 | 12 |\n\nTable: Children by age {children}\n"
    root = make_plan({"plan.yaml": plan_yaml(FINAL), CHILD_FIRST: section_text("child-first", body)})
    _, err, _ = run_check(root, capsys)
    assert [line.split(": ", 2)[2] for line in disclosure_lines(err)] == [
        "table 'Children by age', row '10-14', column 'Girls': count 3 is below 5; small numbers can identify "
        "children (suppress or combine before publishing)"
    ]


def test_counts_that_are_not_of_children_are_never_flagged(make_plan, capsys):
    # Counts of actions, sessions or staff cannot identify a child: no declaration, no warning.
    body = "Table: Actions by status\n\n| Status | Actions |\n| --- | --- |\n| Completed | 2 |\n| On track | 3 |\n"
    staffing = "as_at: 2025-03-31\ncounts:\n  - {role: practitioners, sex: Female, ethnicity: White, count: 2}\n"
    actions = (
        "actions:\n  - {ref: A1, action: Do it, lead: Lead, due: 2026-03-31, status: completed}\n"
        "  - {ref: A2, action: Do more, lead: Lead, due: 2026-03-31, status: on-track}\n"
    )
    manifest = plan_yaml(FINAL + "structured:\n  staffing: data/staffing.yaml\n  actions: data/actions.yaml\n")
    root = make_plan(
        {
            "plan.yaml": manifest,
            CHILD_FIRST: section_text("child-first", body),
            "data/staffing.yaml": staffing,
            "data/actions.yaml": actions,
        }
    )
    _, err, out = run_check(root, capsys)
    assert disclosure_lines(err) == []
    assert "disclosure (counts of children under 5)" in out


def test_a_declared_column_that_does_not_exist_is_an_error(build_fails):
    body = "Table: Children by group {children: Kids}\n\n| Group | Children |\n| --- | --- |\n| Girls | 3 |\n"
    build_fails(
        {CHILD_FIRST: section_text("child-first", body)},
        f"{CHILD_FIRST}:4: table 'Children by group': {{children: Kids}} names no column; expected one of: "
        "Group, Children",
    )


def test_the_kpi_table_counts_are_checked_only_for_kpis_that_count_children():
    from plan_builder.checks.disclosure import kpi_small_counts
    from plan_builder.figures.figure import Figure, Unit

    figures = {
        "kpi.ete.latest.suitable": Figure(
            "kpi.ete.latest.suitable", "Children attending a suitable ETE arrangement", 3 / 4 * 100, Unit.PERCENT,
            period="Jan-Mar 2025", inputs={"suitable.numerator": 3, "suitable.denominator": 4},
        ),
        "kpi.board_attendance.latest.attendance": Figure(
            "kpi.board_attendance.latest.attendance", "Senior partner attendance", 2 / 3 * 100, Unit.PERCENT,
            inputs={"attendance.numerator": 2, "attendance.denominator": 3},
        ),
    }  # fmt: skip
    assert kpi_small_counts(figures, 5) == [
        "the KPI table, row 'Children attending a suitable ETE arrangement' (kpi.ete.latest.suitable, Jan-Mar 2025), "
        "column 'Counts': count 3 is below 5; small numbers can identify children (suppress or combine before publishing)"
    ]


def output_warnings(err: list[str]) -> list[str]:
    return [line for line in err if line.startswith("warning:") and "/output/" in line]


def test_check_reports_a_set_an_interrupted_build_left_and_changes_nothing(make_plan, capsys):
    from conftest import TINY_OUTPUT_NAME, snapshot
    from fault_tools import kill_at_rename

    root = make_plan()
    assert main(["build", str(root)]) == 0
    assert kill_at_rename(root, 3).returncode == -9  # the journal, the history copy, then killed before the .docx
    assert TINY_OUTPUT_NAME in snapshot(root / "output")
    output = root / "output"
    before = snapshot(output)
    (journal,) = output.glob(".plan-builder-commit.*.json")

    code, err, _ = run_check(root, capsys)

    assert code == 0
    assert output_warnings(err) == [
        f"warning: {journal}: an earlier build was interrupted while putting its files in place; run "
        "`plan-builder build` to finish it (check does not change the output folder)"
    ]
    assert snapshot(output) == before
    assert main(["build", str(root)]) == 0
    capsys.readouterr()
    assert output_warnings(run_check(root, capsys)[1]) == []


def test_check_reports_documents_that_do_not_match_their_manifest(make_plan, capsys):
    from conftest import TINY_OUTPUT_NAME

    root = make_plan()
    assert main(["build", str(root)]) == 0
    output = root / "output"
    document = output / TINY_OUTPUT_NAME
    stem = TINY_OUTPUT_NAME.removesuffix(".docx")
    (output / f"{stem}.pdf").write_bytes(b"%PDF- from an earlier build made with --pdf")
    (output / f"{stem}-tracked-changes.docx").write_bytes(b"from a build of another version")
    document.write_bytes(document.read_bytes() + b"edited")
    capsys.readouterr()

    code, err, _ = run_check(root, capsys)

    assert code == 0
    assert output_warnings(err) == [
        f"warning: {document}: does not match its build manifest {stem}.json (changed since it was built); build "
        "again to replace both, or if it was edited by hand, keep that copy elsewhere first",
        f"warning: {output / stem}.pdf: from an earlier build than {TINY_OUTPUT_NAME} (not in {stem}.json); build "
        "again with the same options (--pdf, --board-pack) to replace it, or delete it",
        f"warning: {output / stem}-tracked-changes.docx: tracked changes of an earlier build than {TINY_OUTPUT_NAME} "
        f"(not in {stem}.json); delete it, or circulate a version and build again to compare with it",
    ]
    (output / f"{stem}.json").unlink()
    assert output_warnings(run_check(root, capsys)[1]) == [
        f"warning: {document}: has no build manifest ({stem}.json), so it cannot be checked or compared; build again "
        "to replace both (a final version: move the .docx out of the output folder first)"
    ]
