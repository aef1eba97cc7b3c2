"""`plan-builder new`: a plan folder that builds at once, with a prompt per YJB heading."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import docx
import pytest
import yaml
from docx.enum.text import WD_COLOR_INDEX

from plan_builder.inputs.data import CONTRACT
from plan_builder.inputs.structure import load_structure

NORTHMOOR = ["--service", "Northmoor Youth Justice Service", "--period", "2026-27"]


def start(run_cli, tmp_path: Path, *extra: str, folder: str = "northmoor") -> Path:
    run = run_cli(["new", folder, *NORTHMOOR, *extra], cwd=tmp_path)
    assert (run.code, run.err) == (0, ""), run.err
    return tmp_path / folder


def highlighted(document) -> list[str]:
    return [
        run.text
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]


def uncomment_example(text: str) -> str:
    """The file with its commented example switched on: '# ' removed from every line after '# Example'."""
    lines = text.splitlines()
    marker = next(i for i, line in enumerate(lines) if line.startswith("# Example"))
    return "\n".join(
        [*lines[: marker + 1], *(line[2:] if line.startswith("# ") else line for line in lines[marker + 1 :])]
    )


def test_new_writes_a_plan_with_a_section_per_yjb_heading_that_builds_at_once(run_cli, tmp_path: Path):
    run = run_cli(["new", "northmoor", *NORTHMOOR, "--nation", "Wales"], cwd=tmp_path)

    assert run.code == 0
    assert run.out.splitlines() == [
        "Started northmoor: plan.yaml, 20 sections, 13 data and help files",
        "Next: fill in the [[prompts]] (plan-builder check northmoor lists them), then plan-builder build northmoor",
    ]
    build = run_cli(["build", "northmoor"], cwd=tmp_path)
    assert build.code == 0
    assert "Wrote northmoor/output/northmoor-youth-justice-service-2026-27-draft.docx" in build.out
    document = docx.Document(str(tmp_path / "northmoor/output/northmoor-youth-justice-service-2026-27-draft.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    structure = load_structure("2024-25", "2026-27")
    assert headings == [
        "Foreword",
        *(f"{n}. {h.title}" for n, h in enumerate(structure.sections, start=1)),
        *(f"Appendix {n}: {h.title}" for n, h in enumerate(structure.appendices, start=1)),
    ]
    prompts = highlighted(document)
    assert "To write: Show how the service applies the four Child First tenets in practice (seeing children as " in (
        " ".join(prompts)
    )
    # Welsh wording: ALN, not SEND; the Welsh Government among the funders.
    assert any("including children with additional learning needs (ALN)." in p for p in prompts)
    assert not any("SEND" in p for p in prompts)
    assert any("probation, health and the Welsh Government, how the YJB grant" in p for p in prompts)
    # Every dataset is pending: the figures show 'Data due' where they go.
    assert "Data due: First time entrants data, to be added" in prompts
    # Each prompt is reported with its file and line.
    assert "warning: northmoor/sections/03-child-first.md:4: prompt not yet replaced: [[To write: Show how the " in (
        build.err
    )
    assert "warning: northmoor/plan.yaml:17: prompt not yet replaced: [[the board chair's name]]" in build.err
    # The cover and the sign-off table show the prompts from plan.yaml highlighted too, without their brackets.
    cover_and_signoff = [
        run.text
        for paragraph in [*document.paragraphs, *(p for t in document.tables for c in t._cells for p in c.paragraphs)]
        for run in paragraph.runs
        if run.font.highlight_color == WD_COLOR_INDEX.YELLOW and run.font.bold
    ]
    assert "the board chair's name" in cover_and_signoff
    assert not any("[[" in paragraph.text for paragraph in document.paragraphs)


def test_new_plan_manifest_names_the_list_it_follows_and_marks_data_pending(run_cli, tmp_path: Path):
    plan = start(run_cli, tmp_path, "--councils", "Northmoor County Borough Council, Eastvale Council")

    manifest = yaml.safe_load((plan / "plan.yaml").read_text())
    assert manifest["service"] == {
        "name": "Northmoor Youth Justice Service",
        "short_name": "Northmoor YJS",
        "local_authorities": ["Northmoor County Borough Council", "Eastvale Council"],
        "nation": "England",
        "manager": {"name": "[[the service manager's name]]", "role": "[[the service manager's job title]]"},
    }
    assert manifest["period"] == "2026-27"
    assert manifest["structure"] == "2024-25"  # explicit: the newest list, used for later periods on purpose
    assert manifest["performance"]["area"] == "Northmoor"
    assert "region" not in manifest["performance"]["comparators"]  # England: the region is the service's to name
    assert {name: source["pending"]["due"] for name, source in manifest["performance"]["datasets"].items()} == {
        "fte": "to be added",
        "reoffending": "to be added",
        "custody": "to be added",
        "kpis": "to be added",
    }
    assert manifest["structured"] == {"glossary": "data/glossary.yaml"}
    priorities = (plan / "sections/10-priorities.md").read_text()
    assert priorities.startswith(
        "---\nheading: priorities\n---\n[[To write: Set out the partnership's priorities for 2026-27"
    )
    assert (
        re.findall(r"^## (.+)$", priorities, re.M)
        == load_structure("2024-25", "2026-27").heading("priorities").subheadings
    )
    assert "including children with special educational needs and disabilities (SEND)." in priorities
    assert (plan / "sections/00-foreword.md").read_text().startswith("---\nheading: foreword\nnumbered: false\n---\n")


def test_data_files_have_the_contract_columns_and_a_readme_line_each(run_cli, tmp_path: Path):
    plan = start(run_cli, tmp_path)

    for name, path in {
        "fte": "first-time-entrants.csv",
        "reoffending": "reoffending.csv",
        "custody": "custody.csv",
        "kpis": "kpis.csv",
    }.items():
        rows = list(csv.reader(io.StringIO((plan / "data" / path).read_text())))
        assert rows == [list(CONTRACT[name][0])]
    readme = (plan / "data/README.md").read_text()
    data_files = sorted(p.name for p in (plan / "data").iterdir() if p.name != "README.md")
    assert [name for name in data_files if f"- `{name}`:" not in readme] == []
    assert readme.startswith("# Data for the Northmoor Youth Justice Service plan\n")


def test_every_commented_example_is_valid_once_switched_on(run_cli, tmp_path: Path):
    plan = start(run_cli, tmp_path, "--nation", "Wales", "--councils", "Northmoor County Borough Council")
    for name in ("risks", "budget", "standards", "actions", "staffing", "local-indicators", "glossary"):
        path = plan / "data" / f"{name}.yaml"
        path.write_text(uncomment_example(path.read_text()))
    manifest = (plan / "plan.yaml").read_text()
    manifest = re.sub(
        r"^  # (risks|budget|standards|actions|staffing|local_indicators): ", r"  \1: ", manifest, flags=re.M
    )
    (plan / "plan.yaml").write_text(manifest)

    build = run_cli(["build", "northmoor"], cwd=tmp_path)

    assert build.code == 0, build.err
    document = docx.Document(str(plan / "output/northmoor-youth-justice-service-2026-27-draft.docx"))
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert any(cell.startswith("Reduction in partner funding") for row in cells for cell in row)  # the risk register
    assert any(row[0] == "Welsh Government" for row in cells)  # the Welsh row of the budget table
    assert any(row[0] == "Youth panel" for row in cells)  # the glossary's example term


def test_new_refuses_a_folder_that_is_not_empty(run_cli, tmp_path: Path):
    (tmp_path / "northmoor").mkdir()
    (tmp_path / "northmoor/plan.yaml").write_text("service: ours\n")

    run = run_cli(["new", "northmoor", *NORTHMOOR], cwd=tmp_path)

    assert run.code == 1
    assert run.err == (
        "error: northmoor: already exists and is not empty; `plan-builder new` starts a plan in a new folder "
        "(to bring last year's Word plan into an existing plan, use `plan-builder import`)\n"
    )
    assert (tmp_path / "northmoor/plan.yaml").read_text() == "service: ours\n"


def test_new_names_a_bad_period(run_cli, tmp_path: Path):
    run = run_cli(["new", "northmoor", "--service", "Northmoor YJS", "--period", "2026-28"], cwd=tmp_path)

    assert run.code == 1
    assert run.err == (
        "error: --period: expected a plan period like '2026-27' (two consecutive years); got '2026-28'\n"
    )
    assert not (tmp_path / "northmoor").exists()


def test_new_without_a_terminal_names_what_is_missing(run_cli, tmp_path: Path):
    run = run_cli(["new", "northmoor"], cwd=tmp_path)

    assert run.code == 2
    assert run.err == ("error: plan-builder new: give --service and --period (or run it in a terminal to be asked)\n")


def test_new_in_a_terminal_asks_for_what_is_missing(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    answers = iter(["Eastvale Youth Offending Service", "2025-26", "", "Eastvale Council"])
    asked: list[str] = []

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or next(answers))

    run = run_cli(["new", "eastvale"], cwd=tmp_path)

    assert run.code == 0, run.err
    assert asked == [
        "Service name (e.g. Northmoor Youth Justice Service): ",
        "Plan period (e.g. 2026-27): ",
        "England or Wales: ",
        "Council or councils the service covers, separated by commas (Enter to fill in later): ",
    ]
    manifest = yaml.safe_load((tmp_path / "eastvale/plan.yaml").read_text())
    assert manifest["service"]["name"] == "Eastvale Youth Offending Service"
    assert manifest["service"]["nation"] == "England"
    assert manifest["service"]["local_authorities"] == ["Eastvale Council"]
    assert manifest["performance"]["area"] == "Eastvale"
    assert manifest["structure"] == "2024-25"
