"""Blocks plan-builder places itself: only with their data, in words when it is absent, never blaming the author.

And the structured parts' totals are figures that section text can use and `stated()` can check.
"""

from __future__ import annotations

import json

import docx
from conftest import PLAN_YAML, TINY_OUTPUT_NAME, plan_yaml, section_text

FTE_ONLY = PLAN_YAML + (
    "performance:\n  area: Testford\n  comparators: {national: England and Wales}\n  datasets:\n    fte: data/fte.csv\n"
)
FTE = (
    "period_start,period_end,area,fte_count,population_10_17\n"
    "2023-01-01,2023-12-31,Testford,52,31200\n"
    "2024-01-01,2024-12-31,Testford,61,31500\n"
    "2024-01-01,2024-12-31,England and Wales,8200,5968000\n"
)


def captions(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith(("Table", "Figure"))]


def test_a_plan_without_kpi_reoffending_or_glossary_data_builds_with_words_not_empty_tables(make_plan, run_cli):
    root = make_plan({"plan.yaml": plan_yaml(FTE_ONLY), "data/fte.csv": FTE})

    run = run_cli(["build"], cwd=root)

    assert run.code == 0, run.err
    assert run.err == ""
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    assert captions(document) == [
        "Table 1: Performance summary: national and local indicators",
        "Figure 1: First time entrants per 100,000 children aged 10-17, Jan-Dec 2023 to Jan-Dec 2024",
        "Table 2: Data for figure 1: first time entrants per 100,000 children aged 10-17",
    ]
    texts = [p.text for p in document.paragraphs]
    assert "There is no trend chart for reoffending and use of custody: the data has not yet been received." in texts
    assert "Data for the ten YJB key performance indicators (KPIs) has not yet been received." in texts
    assert not any("Common youth justice terms" in t for t in captions(document))  # no glossary listed: none added
    for table in document.tables:
        assert len(table.rows) > 1, [c.text for c in table.rows[0].cells]  # no table is only a header row


def test_a_plan_with_performance_but_no_data_for_any_indicator_says_so(make_plan, run_cli):
    header = "period_start,period_end,area,fte_count,population_10_17\n"
    root = make_plan({"plan.yaml": plan_yaml(FTE_ONLY), "data/fte.csv": header})
    run = run_cli(["build"], cwd=root)
    assert run.code == 0, run.err
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    texts = [p.text for p in document.paragraphs]
    assert "Performance data for the national and local indicators has not yet been received." in texts
    assert len(document.tables) == 1  # the sign-off table alone


def test_a_chart_the_author_names_without_its_data_says_what_to_add(build_fails):
    body = "Our charts.\n\n::: chart reoffending.annual.binary\n"
    build_fails(
        {
            "plan.yaml": plan_yaml(FTE_ONLY),
            "data/fte.csv": FTE,
            "sections/09-performance.md": section_text("performance", body),
        },
        "sections/09-performance.md:6: '::: chart reoffending.annual.binary': this plan has no reoffending data; "
        "add it in plan.yaml under performance: datasets: reoffending, or leave this chart out",
    )


def test_the_default_glossary_comes_only_with_a_glossary_file(make_plan, run_cli):
    manifest = plan_yaml(PLAN_YAML + "structured:\n  glossary: data/glossary.yaml\n")
    root = make_plan({"plan.yaml": manifest, "data/glossary.yaml": "terms:\n  - {term: Panel, definition: A group.}\n"})
    run = run_cli(["build"], cwd=root)
    assert run.code == 0, run.err
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    assert "Table 1: Common youth justice terms" in captions(document)
    terms = [row.cells[0].text for row in document.tables[-1].rows]
    assert "Panel" in terms and "YJB" in terms


SECTIONS_2022 = [
    "introduction", "local-context", "child-first", "voice-of-the-child", "governance", "resources-and-services",
    "progress-on-previous-plan", "performance-and-priorities", "national-standards", "challenges-risks-issues",
    "service-improvement-plan", "evidence-based-practice", "looking-forward", "sign-off",
]  # fmt: skip


def test_performance_blocks_go_under_the_heading_that_holds_performance_in_the_2022_23_list(make_plan, run_cli):
    head = FTE_ONLY.replace("period: 2025-26", "period: 2022-23").replace("as_of: 2025-05-30", "as_of: 2022-05-30")
    files: dict[str, str | None] = {f"sections/{i:02d}-{h}.md": section_text(h) for i, h in enumerate(SECTIONS_2022)}
    names = list(files)
    files.update({"plan.yaml": plan_yaml(head, sections=names, appendices=[]), "data/fte.csv": FTE})
    root = make_plan(files)

    run = run_cli(["build"], cwd=root)

    assert run.code == 0, run.err
    document = docx.Document(str(next((root / "output").glob("*.docx"))))
    body = [(p.style.name, p.text) for p in document.paragraphs]
    heading = body.index(("Heading 1", "8. Performance and priorities"))
    following = body.index(("Heading 1", "9. National standards"))
    assert ("Caption", "Table 1: Performance summary: national and local indicators") in body[heading:following]
    assert any(text.startswith("Figure 1: First time entrants") for _, text in body[heading:following])


def test_structured_totals_are_figures_in_text_and_in_the_manifest(make_plan, run_cli):
    manifest = plan_yaml(PLAN_YAML + "structured:\n  actions: data/actions.yaml\n  budget: data/budget.yaml\n")
    actions = (
        "actions:\n  - {ref: A1, action: Do it, lead: Lead, due: 2026-03-31, status: completed}\n"
        "  - {ref: A2, action: Do more, lead: Lead, due: 2025-04-30, status: on-track}\n"
    )
    budget = (
        "contributions:\n  - {agency: police, staffing: 1000}\n  - {agency: local-authority, staffing: '£2,500.50'}\n"
    )
    text = (
        "We have {{ actions.total }} actions, {{ actions.status.completed | stated(1) }} completed and "
        "{{ actions.overdue }} overdue. The pooled budget is {{ budget.total | stated('£3,500') }}, of which the "
        "council gives {{ budget.contributions.local_authority }}.\n"
    )
    root = make_plan(
        {
            "plan.yaml": manifest,
            "data/actions.yaml": actions,
            "data/budget.yaml": budget,
            "sections/14-service-development.md": section_text("service-development", text),
        }
    )

    run = run_cli(["build"], cwd=root)

    assert run.code == 0, run.err
    assert (
        "warning: sections/14-service-development.md:4: stated £3,500 for budget.total (Budget: pooled total) but the data give £3,500.50 (staffing 3,500.5, payments_in_kind 0, other_delegated 0)"
        in run.err.splitlines()
    )
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    assert (
        "We have 2 actions, 1 completed and 1 overdue. The pooled budget is £3,500.50, of which the council gives "
        "£2,500.50." in [p.text for p in document.paragraphs]
    )
    record = json.loads((root / "output" / TINY_OUTPUT_NAME).with_suffix(".json").read_text())
    assert record["figures"]["budget.total"]["display"] == "£3,500.50"
    assert record["figures"]["actions.status.on_track"]["value"] == 1
