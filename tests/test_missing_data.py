"""No silent wrong numbers: a value missing on purpose shows as a visible placeholder, never 'n/a (...)' in a sentence.

And a Markdown table row that does not fit its header is an error, not a shifted or dropped cell.
"""

from __future__ import annotations

import docx
from conftest import PLAN_YAML, TINY_OUTPUT_NAME, plan_yaml, section_text

PERFORMANCE = PLAN_YAML + "performance:\n  area: Testford\n  datasets:\n    fte: data/fte.csv\n"
FTE = (
    "period_start,period_end,area,fte_count,population_10_17\n"
    "2023-01-01,2023-12-31,Testford,52,31200\n"
    "2024-01-01,2024-12-31,Testford,..,31500\n"
)
TEXT = (
    "In {{ fte.latest.period }}, {{ fte.latest.count }} children entered the justice system for the first time.\n"
    "\n"
    "That is {{ fte.latest.rate | number }} per 100,000; {{ fte.latest.population }} children lived here.\n"
)


def test_a_count_marked_missing_shows_a_highlighted_placeholder_and_a_warning(make_plan, run_cli):
    root = make_plan(
        {
            "plan.yaml": plan_yaml(PERFORMANCE),
            "data/fte.csv": FTE,
            "sections/09-performance.md": section_text("performance", TEXT),
        }
    )

    run = run_cli(["build"], cwd=root)

    assert run.code == 0, run.err
    reason = "fte_count for Jan-Dec 2024 is not available in the source ('..') in data/fte.csv row 3"
    assert run.err.splitlines() == [
        f"warning: sections/09-performance.md:4: fte.latest.count has no value ({reason}); the text shows a "
        "highlighted 'Not available: First time entrants, Jan-Dec 2024': give the data, or rewrite the sentence",
        f"warning: sections/09-performance.md:6: fte.latest.rate has no value ({reason}); the text shows a "
        "highlighted 'Not available: First time entrants per 100,000 children aged 10-17, Jan-Dec 2024': give the "
        "data, or rewrite the sentence",
    ]
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    paragraphs = [p for p in document.paragraphs if "entered the justice system" in p.text or "per 100,000;" in p.text]
    assert [p.text for p in paragraphs] == [
        "In Jan-Dec 2024, Not available: First time entrants, Jan-Dec 2024 children entered the justice system for "
        "the first time.",
        "That is Not available: First time entrants per 100,000 children aged 10-17, Jan-Dec 2024 per 100,000; "
        "31,500 children lived here.",
    ]
    highlighted = [r.text for p in paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert highlighted == [
        "Not available: First time entrants, Jan-Dec 2024",
        "Not available: First time entrants per 100,000 children aged 10-17, Jan-Dec 2024",
    ]
    assert not any("n/a (" in p.text for p in document.paragraphs)


def test_an_empty_count_is_an_error_naming_the_row_and_how_to_mark_it(build_fails):
    build_fails(
        {"plan.yaml": plan_yaml(PERFORMANCE), "data/fte.csv": FTE.replace(",..,", ",,")},
        "data/fte.csv row 3, column 'fte_count': '' is empty; write the number, or '..' if it is not available "
        "('[c]' if suppressed)",
    )


def test_a_shifted_csv_row_is_an_error_not_a_wrong_figure(build_fails):
    # Was: '24,100 children ... entered the justice system for the first time' (the population read as the count).
    build_fails(
        {"plan.yaml": plan_yaml(PERFORMANCE), "data/fte.csv": FTE.replace(",..,31500", ",24100")},
        "data/fte.csv row 3: 4 cells, but the header has 5 columns (period_start, period_end, area, fte_count, "
        "population_10_17); a cell is missing, so the values after it would be read under the wrong columns: add the "
        "missing value (write the number, or '..' if it is not available ('[c]' if suppressed))",
    )


TABLE = "Table: Referrals\n\n| Source | Girls | Boys |\n| --- | --- | --- |\n| Police | 12 | 30 |\n"


def test_a_markdown_table_row_with_a_missing_cell_is_an_error(build_fails):
    # Was: '38' shown under 'Girls' when the author meant it under 'Boys'.
    build_fails(
        {"sections/03-child-first.md": section_text("child-first", TABLE + "| Schools | 38 |\n")},
        "sections/03-child-first.md:9: table row has 2 cells, but the header row has 3 columns (Source | Girls | "
        "Boys); add the missing cell (an empty cell is '| |')",
    )


def test_a_markdown_table_row_with_an_extra_cell_is_an_error(build_fails):
    build_fails(
        {"sections/03-child-first.md": section_text("child-first", TABLE + "| Schools | 4 | 38 | 2 |\n")},
        "sections/03-child-first.md:9: table row has 4 cells, but the header row has 3 columns (Source | Girls | "
        "Boys); remove the extra cell, or add its column to the header row",
    )


def test_every_bad_table_row_of_every_section_is_reported(build_fails):
    quoted = "Intro.\n\n> | A | B |\n> | --- | --- |\n> | 1 |\n"
    build_fails(
        {
            "sections/03-child-first.md": section_text(
                "child-first", TABLE + "| Schools | 38 |\n| Health | 1 | 2 | 3 |\n"
            ),
            "sections/04-voice-of-the-child.md": section_text("voice-of-the-child", quoted),
        },
        "sections/03-child-first.md:9: table row has 2 cells, but the header row has 3 columns (Source | Girls | "
        "Boys); add the missing cell (an empty cell is '| |')",
        "sections/03-child-first.md:10: table row has 4 cells, but the header row has 3 columns (Source | Girls | "
        "Boys); remove the extra cell, or add its column to the header row",
        "sections/04-voice-of-the-child.md:8: table row has 1 cell, but the header row has 2 columns (A | B); "
        "add the missing cell (an empty cell is '| |')",
    )


def test_a_table_with_an_escaped_pipe_or_code_fits_its_header(make_plan, run_cli):
    body = "| Term | Meaning |\n| --- | --- |\n| a \\| b | either |\n| `x|y` | code |\n"
    root = make_plan({"sections/03-child-first.md": section_text("child-first", body)})
    run = run_cli(["build"], cwd=root)
    assert run.code == 0, run.err
