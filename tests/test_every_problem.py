"""Every problem at once: one `check` run and one `build` run report the problems of every file.

And what each run says is said once; `build` reports what `check` reports about the text
(the narrative consistency warnings) and still writes the draft; `figures` lists every warning.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PLAN_YAML, TINY_OUTPUT_NAME, copy_example_plan, plan_yaml, section_text, snapshot

MANIFEST = (
    PLAN_YAML
    + "contents_level: 2\n"
    + (
        "performance:\n"
        "  area: Testford\n"
        "  datasets:\n"
        "    fte: data/fte.csv\n"
        "    custody: {file: data/custody.xlsx, sheet: Custody}\n"
        "structured:\n"
        "  budget: data/budget.yaml\n"
    )
)
FTE = (
    "period_start,period_end,area,fte_count,population_10_17\n"
    "2023-01-01,2023-12-31,Testford,58,30500\n"
    "2024-01-01,2024-12-31,Testford,31500\n"
)
TABLE = "Table: Board attendance\n\n| Meeting | Members | Attending |\n| --- | --- | --- |\n| June | 12 | 9 |\n| July | 38 |\n"

SEVEN_ERRORS = [
    "plan.yaml:15: contents_level: unknown key",
    "sections/03-child-first.md:3: numbred: unknown key",
    "data/budget.yaml:3: agency 'police': staffing: 'lots' is not an amount of money; write pounds such as "
    "298303, '298,303', '£298,303' or 298303.50",
    "data/fte.csv row 3: 4 cells, but the header has 5 columns (period_start, period_end, area, fte_count, "
    "population_10_17); a cell is missing, so the values after it would be read under the wrong columns: add the "
    "missing value (write the number, or '..' if it is not available ('[c]' if suppressed))",
    "data/custody.xlsx [Custody] row 2, column 'custodial_sentences' (cell D2): 'several' is not a number; write "
    "the number, or '..' if it is not available ('[c]' if suppressed)",
    "sections/05-governance.md:9: table row has 2 cells, but the header row has 3 columns (Meeting | Members | "
    "Attending); add the missing cell (an empty cell is '| |')",
    "sections/09-performance.md:4: unknown name 'budgte'",
]


def seven_mistakes(make_plan) -> Path:
    """A plan with one mistake in each of seven files: plan.yaml, front matter, Jinja, YAML, CSV, Markdown, Excel."""
    import openpyxl

    root = make_plan(
        {
            "plan.yaml": plan_yaml(MANIFEST),
            "sections/03-child-first.md": section_text("child-first", numbred="false"),
            "sections/09-performance.md": section_text("performance", "The budget is {{ budgte.total }}.\n"),
            "sections/05-governance.md": section_text("governance", TABLE),
            "data/budget.yaml": "contributions:\n  - agency: police\n    staffing: lots\n",
            "data/fte.csv": FTE,
        }
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Custody"
    sheet.append(["period_start", "period_end", "area", "custodial_sentences", "population_10_17"])
    sheet.append(["2024-01-01", "2024-12-31", "Testford", "several", 31500])
    workbook.save(root / "data" / "custody.xlsx")
    return root


@pytest.mark.slow
def test_seven_mistakes_in_seven_files_are_reported_in_one_check_run(make_plan, run_cli):
    root = seven_mistakes(make_plan)

    run = run_cli(["check"], cwd=root)

    assert run.code == 1
    errors = [line.removeprefix("error: ") for line in run.err.splitlines() if line.startswith("error: ")]
    assert sorted(errors) == sorted(SEVEN_ERRORS)
    assert run.out.startswith("check FAILED: 7 errors, ")


@pytest.mark.slow
def test_seven_mistakes_in_seven_files_are_reported_in_one_build_run_which_writes_nothing(make_plan, run_cli):
    root = seven_mistakes(make_plan)
    (root / "output").mkdir()
    (root / "output" / TINY_OUTPUT_NAME).write_bytes(b"the previous build\n")
    before = snapshot(root / "output")

    run = run_cli(["build"], cwd=root)

    assert run.code == 1
    assert sorted(run.err.splitlines()) == sorted(f"error: {e}" for e in SEVEN_ERRORS)
    assert run.out == ""
    assert snapshot(root / "output") == before


def test_a_mistake_in_what_everything_depends_on_stops_at_plan_yaml(make_plan, run_cli):
    # The period decides the section list, so nothing else can be checked against it.
    root = make_plan(
        {"plan.yaml": plan_yaml(PLAN_YAML.replace("period: 2025-26", "period: 2025-27")), "data/x.csv": "x"}
    )
    run = run_cli(["check"], cwd=root)
    assert (
        run.err
        == "error: plan.yaml:11: period: expected a plan period like '2025-26' (two consecutive years); got '2025-27'\n"
    )


def test_a_broken_structured_entry_in_plan_yaml_is_left_out_without_a_cascade(make_plan, run_cli):
    # structured.budget names a list, not a file: that is reported; the text using the budget is not blamed too.
    manifest = plan_yaml(PLAN_YAML + "structured:\n  budget: [data/budget.yaml]\n")
    root = make_plan(
        {
            "plan.yaml": manifest,
            "sections/08-resources-and-services.md": section_text(
                "resources-and-services", "Budget: {{ budget.total }}.\n"
            ),
        }
    )
    run = run_cli(["check"], cwd=root)
    assert [line for line in run.err.splitlines() if line.startswith("error")] == [
        "error: plan.yaml:16: structured.budget: Input should be a valid string"
    ]


def test_a_missing_section_file_is_not_also_reported_as_a_missing_heading(make_plan, run_cli):
    root = make_plan({"sections/03-child-first.md": None})
    run = run_cli(["check"], cwd=root)
    assert [line for line in run.err.splitlines() if "sections" in line and "Priorities" not in line] == [
        "error: plan.yaml:18: sections[2]: sections/03-child-first.md: section file not found"
    ]


@pytest.mark.slow
def test_check_prints_each_warning_once(tmp_path, run_cli):
    plan = copy_example_plan(tmp_path)
    manifest = plan / "plan.yaml"
    manifest.write_text(manifest.read_text().replace("  - sections/03-child-first.md\n", ""))
    (plan / "sections" / "03-child-first.md").unlink()

    run = run_cli(["check"], cwd=plan)

    warnings = run.err.splitlines()
    assert len(warnings) == len(set(warnings))
    assert [w for w in warnings if "required YJB heading missing" in w] == [
        "warning: plan.yaml:62: sections: required YJB heading missing: 'Child First' (child-first)"
    ]


@pytest.mark.slow
def test_build_reports_the_narrative_warnings_and_still_writes_the_draft(tmp_path, run_cli):
    plan = copy_example_plan(tmp_path)
    section = plan / "sections" / "09-performance.md"
    section.write_text(section.read_text() + "\nThe FTE rate fell to 170.\n")
    line = len(section.read_text().splitlines())

    run = run_cli(["build"], cwd=plan)

    assert run.code == 0
    expected = [
        f"warning: sections/09-performance.md:{line}: says 'fell' next to 'FTE rate' (fte.change.rate), but it rose "
        "(+16.2%, worsening)",
        f"warning: sections/09-performance.md:{line}: '170' next to 'FTE rate' disagrees with fte.latest.rate = 194 "
        "(fte_count 61 / population_10_17 31,500)",
    ]
    assert [w for w in run.err.splitlines() if "09-performance" in w] == expected
    assert "3 warnings" in run.out  # the example's overdue action and these two
    record = json.loads((plan / "output" / "calderbrook-youth-justice-service-2025-26-draft.json").read_text())
    assert [w for w in record["warnings"] if "09-performance" in w] == [w.removeprefix("warning: ") for w in expected]


@pytest.mark.slow
def test_figures_lists_every_warning_the_build_gives_and_the_structured_totals(tmp_path, run_cli):
    plan = copy_example_plan(tmp_path)
    section = plan / "sections" / "09-performance.md"
    section.write_text(section.read_text() + "\nThe FTE rate fell to 170.\n")
    check = run_cli(["check"], cwd=plan)
    figures = run_cli(["figures", "--json"], cwd=plan)

    payload = json.loads(figures.out)
    checked = [w.removeprefix("warning: ") for w in check.err.splitlines() if w.startswith("warning: ")]
    assert set(payload["warnings"]) <= set(checked)
    assert len(payload["warnings"]) == 3
    ids = {f["id"]: f for f in payload["figures"]}
    assert ids["budget.total"]["display"] == "£2,109,807"
    assert ids["actions.status.completed"]["value"] == 2
    assert ids["risks.R1.residual.score"]["value"] == 12
    assert ids["staffing.total"]["value"] == 52


def test_a_dataset_plan_yaml_names_wrongly_is_left_out_without_a_cascade(make_plan, run_cli):
    manifest = plan_yaml(
        PLAN_YAML + "performance:\n  area: Testford\n  datasets:\n    fte: {file: data/fte.csv, sheet: [1]}\n"
    )
    text = "The rate is {{ fte.latest.rate }}.\n"
    root = make_plan({"plan.yaml": manifest, "sections/09-performance.md": section_text("performance", text)})
    run = run_cli(["check"], cwd=root)
    assert [line for line in run.err.splitlines() if line.startswith("error")] == [
        "error: plan.yaml:18: performance.datasets.fte.sheet: Input should be a valid string"
    ]


@pytest.mark.slow
def test_unreadable_local_indicators_are_reported_once_not_as_unknown_names(tmp_path, run_cli):
    plan = copy_example_plan(tmp_path)
    (plan / "data" / "local-indicators.yaml").write_text("indicators: [oops\n")
    run = run_cli(["check"], cwd=plan)
    assert [line for line in run.err.splitlines() if line.startswith("error")] == [
        "error: data/local-indicators.yaml:2: YAML syntax error: did not find expected ',' or ']'"
    ]
