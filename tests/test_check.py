"""`plan-builder check`: every problem at once, exit codes, completeness, disclosure, safety."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import PLAN_YAML, plan_yaml, section_text

from plan_builder.checks.run import check_disclosure
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
def test_disclosure_flags_small_counts_in_final_plans(tmp_path, capsys):
    plan = tmp_path / "plan"
    plan.mkdir()
    shutil.copy(ROOT / "plan.yaml", plan / "plan.yaml")
    for folder in ("sections", "data", "templates"):
        shutil.copytree(ROOT / folder, plan / folder)
    manifest = plan / "plan.yaml"
    manifest.write_text(manifest.read_text().replace("status: draft", "status: final"))
    code, err, out = run_check(plan, capsys)
    disclosure = [line for line in err if "small numbers can identify children" in line]
    assert disclosure, err
    assert "disclosure (counts under 5)" in out
    code, _, _ = run_check(plan, capsys, "--strict")
    assert code == 1


def test_disclosure_rule_on_a_table(make_plan, tmp_path):
    from plan_builder.pipeline import build

    root = make_plan(
        {
            CHILD_FIRST: section_text(
                "child-first", "| Group | Children |\n| --- | --- |\n| Girls | 3 |\n| Boys | 41 |\n| KPI | 2 / 9 |\n"
            )
        }
    )
    result = build(root)
    assert check_disclosure(result.path, 5) == [
        "table 1, row 2 ('Girls'), column 'Children': count 3 is below 5; small numbers can identify children "
        "(suppress or combine before publishing)",
        "table 1, row 4 ('KPI'), column 'Children': count 2 is below 5; small numbers can identify children "
        "(suppress or combine before publishing)",
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
    document.write_bytes(document.read_bytes() + b"edited")
    capsys.readouterr()

    code, err, _ = run_check(root, capsys)

    assert code == 0
    assert output_warnings(err) == [
        f"warning: {document}: does not match its build manifest {stem}.json (changed since it was built); build "
        "again to replace both, or if it was edited by hand, keep that copy elsewhere first",
        f"warning: {output / stem}.pdf: from an earlier build than {TINY_OUTPUT_NAME} (not in {stem}.json); build "
        "again with the same options (--pdf, --board-pack) to replace it, or delete it",
    ]
    (output / f"{stem}.json").unlink()
    assert output_warnings(run_check(root, capsys)[1]) == [
        f"warning: {document}: has no build manifest ({stem}.json), so it cannot be checked or compared; build again "
        "to replace both (a final version: move the .docx out of the output folder first)"
    ]
