"""`plan-builder data import`: published tables as they arrive, into the plan's long-format data, without retyping.

The fixtures are written by the tests in the shapes the issue describes: a wide table of first
time entrants by local authority with three header rows and footnote markers (in every file
format); a reoffending table with a row per measure and a column per cohort; an open-data style
outcome table filtered to custody by financial year; a joint service of two councils.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PLAN_YAML, plan_yaml
from tables import write_ods, write_table, write_xlsx

HEAD = PLAN_YAML.replace("Testford Youth Justice Service", "Calderbrook Youth Justice Service").replace(
    "Testford Borough Council]", "Calder North Council, Calder South Council]"
)

POPULATION = (
    "area,year,age_band,population,source\n"
    + "".join(f"Calderbrook,{year},10-17,{30000 + 100 * (year - 2019)},ONS\n" for year in range(2019, 2026))
    + "".join(f"England and Wales,{year},10-17,{5800000 + 30000 * (year - 2019)},ONS\n" for year in range(2019, 2026))
)

FTE_TABLE: list[list[object]] = [
    ["Table 2.1: First time entrants(1) by local authority of residence(2), years ending December"],
    ["England and Wales, number of children"],
    ["Local authority", "LA code", "2021", "2022(3)", "2023", "Year ending Dec 2024"],
    ["Calder North", "E08000901", 30, 30, 28, 33],
    ["Calder South(4)", "E08000902", 28, 25, "*", 27],
    ["Elmbridge", "E07000207", 40, 41, 39, 38],
    ["England and Wales", "K04000001", 8600, 8400, 8300, 8200],
    [],
    ["(1) Children receiving their first caution or conviction."],
    ["Source: Youth Justice Statistics 2023-24, supplementary tables"],
]

FTE_IMPORT = """\
      source: Youth Justice Statistics 2023-24, supplementary table 2.1
      released: 2025-01-30
      import:{sheet}
        header_row: 3
        layout: wide
        value: fte_count
        skip_columns: [LA code]
        areas:
          Calderbrook: [Calder North, Calder South]   # a joint service: the two councils' counts are added up
          England and Wales: England and Wales
"""


def plan_with(make_plan, datasets: str, extra: str = "", files: dict | None = None) -> Path:
    """A tiny plan for the joint service 'Calderbrook' whose performance.datasets are `datasets` (YAML)."""
    head = (
        HEAD
        + "performance:\n  area: Calderbrook\n  comparators: {family: YJS family, national: England and Wales}\n"
        + extra
        + "  datasets:\n    population: data/population.csv\n"
        + datasets
    )
    return make_plan({"plan.yaml": plan_yaml(head), "data/population.csv": POPULATION, **(files or {})})


def fte_plan(make_plan, suffix: str = ".xlsx", table: list[list[object]] | None = None) -> Path:
    sheet = "" if suffix == ".csv" else "\n        sheet: Table 2.1"
    root = plan_with(make_plan, "    fte:\n      file: data/fte.csv\n" + FTE_IMPORT.format(sheet=sheet))
    (root / "sources").mkdir()
    write_table(root / "sources" / f"fte{suffix}", table or FTE_TABLE, sheet="Table 2.1")
    return root


def figures(run_cli, root: Path) -> tuple[dict[str, dict], list[str]]:
    run = run_cli(["figures", "--json"], cwd=root)
    assert run.code == 0, run.err
    payload = json.loads(run.out)
    return {f["id"]: f for f in payload["figures"]}, payload["warnings"]


FTE_CSV = """\
period_start,period_end,area,fte_count,source_cell
2021-01-01,2021-12-31,Calderbrook,58,fte{where} C4+C5
2022-01-01,2022-12-31,Calderbrook,55,fte{where} D4+D5
2023-01-01,2023-12-31,Calderbrook,[c],fte{where} E4+E5
2024-01-01,2024-12-31,Calderbrook,60,fte{where} F4+F5
2021-01-01,2021-12-31,England and Wales,8600,fte{where} C7
2022-01-01,2022-12-31,England and Wales,8400,fte{where} D7
2023-01-01,2023-12-31,England and Wales,8300,fte{where} E7
2024-01-01,2024-12-31,England and Wales,8200,fte{where} F7
"""


@pytest.mark.parametrize(
    "suffix",
    [".csv", ".xlsx", ".xlsm", ".ods", pytest.param(".xls", marks=[pytest.mark.libreoffice, pytest.mark.slow])],
)
def test_a_wide_table_by_local_authority_in_every_format(make_plan, run_cli, suffix):
    root = fte_plan(make_plan, suffix)
    run = run_cli(["data", "import", f"sources/fte{suffix}", "--as", "fte"], cwd=root)
    assert (run.code, run.err) == (0, "")
    where = f"{suffix}" if suffix == ".csv" else f"{suffix} [Table 2.1]"
    assert (root / "data" / "fte.csv").read_text() == FTE_CSV.format(where=where)


def test_a_skipped_code_column_before_the_area_names_leaves_the_names_as_row_labels(make_plan, run_cli):
    """As the MoJ's tables lay it out: the code in column A, the area in B. The labels are read from B."""
    code_first = [row[1:2] + row[:1] + row[2:] if len(row) > 2 else row for row in FTE_TABLE]
    root = fte_plan(make_plan, ".xlsx", code_first)
    run = run_cli(["data", "import", "sources/fte.xlsx", "--as", "fte"], cwd=root)
    assert (run.code, run.err) == (0, "")
    assert "  Calderbrook: Calder North (B4), Calder South (B5) (summed)" in run.out.splitlines()
    assert "  column A ('LA code'): listed in import.skip_columns" in run.out.splitlines()
    assert (root / "data" / "fte.csv").read_text() == FTE_CSV.format(where=".xlsx [Table 2.1]")


def test_what_the_import_says_it_understood(make_plan, run_cli):
    root = fte_plan(make_plan)
    run = run_cli(["data", "import", "sources/fte.xlsx", "--as", "fte"], cwd=root)
    assert run.out.splitlines() == [
        "Read sources/fte.xlsx [Table 2.1], header row 3: wide: one column per period, one row per area; "
        "3 row(s) used, 8 record(s) of fte.",
        "Periods (4): Jan-Dec 2021 (C3), Jan-Dec 2022 (D3), Jan-Dec 2023 (E3), Jan-Dec 2024 (F3)",
        "Areas (2):",
        "  Calderbrook: Calder North (A4), Calder South (A5) (summed)",
        "  England and Wales: England and Wales (A7)",
        "Measures: fte_count from every value cell",
        "Cells marked missing (1): loaded as missing with their reason, never as 0:",
        "  E5: suppressed in the source ('*') (fte_count, Calder South, part of Calderbrook, Jan-Dec 2023)",
        "Footnote markers removed (2): D3 '2022(3)', A5 'Calder South(4)'",
        "Not imported:",
        "  column B ('LA code'): listed in import.skip_columns",
        "  rows 9-10 ('Children receiving their first cautio...', 'Source: Youth Justice Statistics 2023...'): "
        "no values (a title, heading or note)",
        "  row 6 ('Elmbridge'): not in import.areas",
        "Wrote data/fte.csv: 8 row(s) added, 0 updated, 0 unchanged, 0 kept (not in this table).",
        "Added: Calderbrook, Jan-Dec 2021; Calderbrook, Jan-Dec 2022; Calderbrook, Jan-Dec 2023; "
        "Calderbrook, Jan-Dec 2024; England and Wales, Jan-Dec 2021; England and Wales, Jan-Dec 2022; "
        "England and Wales, Jan-Dec 2023; England and Wales, Jan-Dec 2024",
        "Source in plan.yaml: Youth Justice Statistics 2023-24, supplementary table 2.1 (released 30 January 2025); "
        "update source and released there if this is a newer release.",
    ]


def test_the_joint_service_figures_come_from_the_summed_counts(make_plan, run_cli):
    root = fte_plan(make_plan)
    assert run_cli(["data", "import", "sources/fte.xlsx", "--as", "fte"], cwd=root).code == 0
    found, warnings = figures(run_cli, root)
    assert found["fte.latest.count"]["value"] == 60  # 33 + 27
    assert found["fte.latest.rate"]["value"] == pytest.approx(60 / 30500 * 100_000)
    assert found["fte.jan_dec_2022.count"]["value"] == 55
    # A council's suppressed count makes the service's missing, with the reason: never the other council alone.
    withheld = found["fte.jan_dec_2023.rate"]
    assert (withheld["value"], withheld["reason"]) == (
        None,
        "fte_count for Jan-Dec 2023 is suppressed in the source ('[c]') in data/fte.csv row 4",
    )
    assert found["fte.national.rate"]["value"] == pytest.approx(8200 / 5_950_000 * 100_000)
    assert warnings == []


def test_reimporting_a_newer_release_updates_the_rows_it_covers(make_plan, run_cli):
    root = fte_plan(make_plan)
    assert run_cli(["data", "import", "sources/fte.xlsx", "--as", "fte"], cwd=root).code == 0
    data = root / "data" / "fte.csv"
    data.write_text(data.read_text() + "2020-01-01,2020-12-31,Calderbrook,66,\n")  # a year the new release drops
    newer = [list(row) for row in FTE_TABLE]
    newer[2] = [*newer[2][:3], "2022", "2023", "2024", "2025"]  # one year on: 2021 dropped, 2025 added
    newer[3] = ["Calder North", "E08000901", 30, 29, 33, 31]  # 2023 revised from 28, and no longer suppressed
    newer[4] = ["Calder South", "E08000902", 25, 24, 27, "*"]
    newer[5] = ["Elmbridge", "E07000207", 41, 39, 38, 37]
    newer[6] = ["England and Wales", "K04000001", 8400, 8300, 8200, 8100]
    write_xlsx(root / "sources" / "fte.xlsx", {"Table 2.1": [[c for c in r if c != "2021"] for r in newer]})
    run = run_cli(["data", "import", "sources/fte.xlsx", "--as", "fte"], cwd=root)
    assert run.code == 0, run.err
    report = run.out.splitlines()
    start = report.index("Wrote data/fte.csv: 2 row(s) added, 1 updated, 5 unchanged, 3 kept (not in this table).")
    assert report[start + 1 : start + 4] == [
        "Updated:",
        "  Calderbrook, Jan-Dec 2023: fte_count [c] -> 53",
        "Added: Calderbrook, Jan-Dec 2025; England and Wales, Jan-Dec 2025",
    ]
    rows = data.read_text().splitlines()
    assert "2021-01-01,2021-12-31,Calderbrook,58,fte.xlsx [Table 2.1] C4+C5" in rows  # kept from the first release
    assert "2020-01-01,2020-12-31,Calderbrook,66," in rows
    assert "2025-01-01,2025-12-31,Calderbrook,[c],fte.xlsx [Table 2.1] F4+F5" in rows


def test_a_dry_run_writes_nothing(make_plan, run_cli):
    root = fte_plan(make_plan)
    run = run_cli(["data", "import", "sources/fte.xlsx", "--as", "fte", "--dry-run"], cwd=root)
    assert run.code == 0
    assert "Would write (--dry-run) data/fte.csv: 8 row(s) added" in run.out
    assert not (root / "data" / "fte.csv").exists()


REOFFENDING_TABLE: list[list[object]] = [
    ["Table 9.1: Proven reoffending by children in Calderbrook(1)"],
    ["Children cautioned, sentenced or released from custody, by cohort"],
    ["", "Apr 2019-Mar 2020", "Apr 2020 - Mar 2021", "Apr - Jun 2019", "Jul - Sep 2019"],
    ["Number of children in cohort(2)", 160, 150, 40, 35],
    ["Number of reoffenders", 52, 45, "*", 11],
    ["Number of reoffences", 180, 140, "*", ".."],
    ["Binary reoffending rate (%)", 32.5, 30.0, "*", 31.4],
]

REOFFENDING_IMPORT = """\
    reoffending:
      file: data/reoffending.csv
      source: Ministry of Justice proven reoffending statistics, table 9.1
      import:
        sheet: Table 9.1
        header_row: 3
        layout: wide
        rows: measures
        measures:
          Number of children in cohort: children
          Number of reoffenders: reoffenders
          Number of reoffences: reoffences
        area: Calderbrook
        markers: {"..": not applicable}   # this table's '..' means not applicable
"""


def test_a_reoffending_table_with_a_row_per_measure_and_a_column_per_cohort(make_plan, run_cli):
    root = plan_with(make_plan, REOFFENDING_IMPORT)
    write_ods(root / "reoffending.ods", {"Contents": [["Tables"]], "Table 9.1": REOFFENDING_TABLE})
    run = run_cli(["data", "import", "reoffending.ods", "--as", "reoffending"], cwd=root)
    assert (run.code, run.err) == (0, "")
    assert (root / "data" / "reoffending.csv").read_text().splitlines() == [
        "cohort_start,cohort_end,cohort_type,area,children,reoffenders,reoffences,source_cell",
        "2019-04-01,2020-03-31,annual,Calderbrook,160,52,180,reoffending.ods [Table 9.1] B4+B5+B6",
        "2020-04-01,2021-03-31,annual,Calderbrook,150,45,140,reoffending.ods [Table 9.1] C4+C5+C6",
        "2019-04-01,2019-06-30,quarterly,Calderbrook,40,[c],[c],reoffending.ods [Table 9.1] D4+D5+D6",
        "2019-07-01,2019-09-30,quarterly,Calderbrook,35,11,[z],reoffending.ods [Table 9.1] E4+E5+E6",
    ]
    assert (
        "Measures: children from 'Number of children in cohort' (A4); reoffenders from 'Number of reoffenders' (A5); "
        "reoffences from 'Number of reoffences' (A6)" in run.out
    )
    assert "  E6: not applicable in the source ('..') (reoffences, Calderbrook, quarterly, Jul-Sep 2019)" in run.out
    assert "  row 7 ('Binary reoffending rate (%)'): not in import.measures" in run.out
    found, _ = figures(run_cli, root)
    assert found["reoffending.annual.latest.binary"]["value"] == pytest.approx(30.0)
    assert found["reoffending.annual.previous.binary"]["value"] == pytest.approx(32.5)
    assert found["reoffending.quarterly.latest.binary"]["value"] == pytest.approx(11 / 35 * 100)
    frequency = found["reoffending.quarterly.latest.frequency"]
    assert (
        frequency["reason"]
        == "reoffences for Jul-Sep 2019 is not applicable in the source ('[z]') in data/reoffending.csv row 5"
    )


OUTCOMES: list[list[object]] = [
    [
        "England_Wales",
        "Region",
        "PCC",
        "YJS",
        "Financial_Year",
        "Caution_or_sentence_tier",
        "Caution_or_sentence_type",
        "Number_Cautioned_Sentenced",
    ],
    ["England", "North", "West Pennine", "Calderbrook", "2022-23", "Custody", "DTO", 3],
    ["England", "North", "West Pennine", "Calderbrook", "2022-23", "Custody", "Section 250", 1],
    ["England", "North", "West Pennine", "Calderbrook", "2022-23", "Community", "YRO", 20],
    ["England", "North", "West Pennine", "Calderbrook", "2023-24", "Custody", "DTO", 2],
    ["England", "North", "West Pennine", "Calderbrook", "2023-24", "Custody", "Section 250", 1],
    ["England", "North", "West Pennine", "Calderbrook", "2023-24", "Pre-court", "Youth caution", 31],
    ["England", "South", "Surrey", "Elmbridge", "2023-24", "Custody", "DTO", 4],
    ["England and Wales", "", "", "England and Wales", "2022-23", "Custody", "DTO", 400],
    ["England and Wales", "", "", "England and Wales", "2022-23", "Custody", "Section 250", 120],
    ["England and Wales", "", "", "England and Wales", "2023-24", "Custody", "DTO", 380],
    ["England and Wales", "", "", "England and Wales", "2023-24", "Custody", "Section 250", 110],
]

CUSTODY_IMPORT = """\
    custody:
      file: data/custody.csv
      source: Youth Justice Statistics 2023-24, local-level open data (outcome table)
      released: 2025-01-30
      import:
        sheet: 3                              # the data are on the third sheet
        layout: long
        columns:
          area: YJS
          period: Financial_Year
          custodial_sentences: Number_Cautioned_Sentenced
        where: {Caution_or_sentence_tier: Custody}
        sum: true                             # one row per type of sentence: add them up
        areas: {Calderbrook: Calderbrook, England and Wales: England and Wales}
"""


def test_an_open_data_outcome_table_filtered_to_custody_by_financial_year(make_plan, run_cli):
    root = plan_with(make_plan, CUSTODY_IMPORT)
    sheets = {"Cover": [["Youth Justice Statistics"]], "Notes": [["(1) ..."]], "Outcome_Table": OUTCOMES}
    write_ods(root / "Outcome_Table.ods", sheets)
    run = run_cli(["data", "import", "Outcome_Table.ods", "--as", "custody"], cwd=root)
    assert (run.code, run.err) == (0, "")
    assert (root / "data" / "custody.csv").read_text().splitlines() == [
        "period_start,period_end,area,custodial_sentences,source_cell",
        "2022-04-01,2023-03-31,Calderbrook,4,Outcome_Table.ods [Outcome_Table] H2+H3",
        "2023-04-01,2024-03-31,Calderbrook,3,Outcome_Table.ods [Outcome_Table] H5+H6",
        "2022-04-01,2023-03-31,England and Wales,520,Outcome_Table.ods [Outcome_Table] H9+H10",
        "2023-04-01,2024-03-31,England and Wales,490,Outcome_Table.ods [Outcome_Table] H11+H12",
    ]
    assert run.out.splitlines()[:2] == [
        "Read Outcome_Table.ods [Outcome_Table], header row 1: long: one row per record; 8 row(s) used, "
        "4 record(s) of custody.",
        "Periods (2): Apr 2022-Mar 2023 (E2), Apr 2023-Mar 2024 (E5)",
    ]
    assert "\n".join(run.out.splitlines()[6:10]) == (
        "Not imported:\n"
        "  1 row where Caution_or_sentence_tier is 'Community' (import.where)\n"
        "  1 row where Caution_or_sentence_tier is 'Pre-court' (import.where)\n"
        "  1 row for 1 other area ('Elmbridge'): not in import.areas"
    )
    found, _ = figures(run_cli, root)
    assert found["custody.latest.sentences"]["value"] == 3
    assert found["custody.previous.sentences"]["value"] == 4
    assert found["custody.latest.rate"]["value"] == pytest.approx(3 / 30400 * 1000)  # the mid-2023 estimate


def import_fails(run_cli, root: Path, source: str, dataset: str, *errors: str) -> None:
    """The import exits 1 with exactly `errors` and writes nothing."""
    before = sorted(p.name for p in (root / "data").iterdir())
    run = run_cli(["data", "import", source, "--as", dataset], cwd=root)
    assert run.err.splitlines() == [f"error: {error}" for error in errors]
    assert (run.code, run.out) == (1, "")
    assert sorted(p.name for p in (root / "data").iterdir()) == before


def edited(table: list[list[object]], row: int, column: int, value: object) -> list[list[object]]:
    """A copy of `table` with one cell (1-based row and column) changed."""
    copy = [list(cells) for cells in table]
    copy[row - 1][column - 1] = value
    return copy


FORMS = (
    "'2023-24' or '2023/24' (financial year), 'Q4 2022-23', 'Apr 2019-Mar 2020', 'Jan 22 - Dec 22', "
    "'Apr - Jun 2019', 'Jan-Dec 2024', 'Year ending March 2023', 'Mar-23', 'March 2025', '2024' (calendar year)"
)


@pytest.mark.parametrize(
    ("row", "column", "value", "error"),
    [
        (
            3,
            5,
            "2023 provisional",
            "sources/fte.xlsx [Table 2.1] cell E3: '2023 provisional' is not a period label plan-builder can read; "
            f"expected a form such as {FORMS} (or list the column under import.skip_columns)",
        ),
        (
            4,
            4,
            "n/k",
            "sources/fte.xlsx [Table 2.1] cell D4 (fte_count, Calder North): 'n/k' is not a number; expected a "
            "number, or a marker such as '*', '..', 'x', 'c', '[c]', '[x]', '[z]' or a footnote such as '(1)' or "
            "'[note 3]'",
        ),
        (
            7,
            6,
            None,
            "sources/fte.xlsx [Table 2.1] cell F7 (fte_count, England and Wales): '' is empty; expected a number, "
            "or a marker such as '*', '..', 'x', 'c', '[c]', '[x]', '[z]' or a footnote such as '(1)' or '[note 3]'",
        ),
        (
            4,
            3,
            12.5,
            "sources/fte.xlsx [Table 2.1] cell C4 (fte_count, Calder North): '12.5' is not a whole number of 0 or more",
        ),
        (
            5,
            1,
            None,
            "sources/fte.xlsx [Table 2.1] cell A5 is empty, but row 5 has values; expected a row label",
        ),
        (
            3,
            7,
            None,
            None,
        ),
    ],
)
def test_a_cell_that_cannot_be_read_names_the_file_sheet_and_cell(make_plan, run_cli, row, column, value, error):
    table = edited(FTE_TABLE, row, column, value) if error else [list(cells) for cells in FTE_TABLE]
    if error is None:  # a value under an empty header: the column cannot be read as a period
        table[3].append(5)
        error = (
            "sources/fte.xlsx [Table 2.1] cell G3 is empty, but column G has values; expected a period label "
            "(or list the column under import.skip_columns)"
        )
    root = fte_plan(make_plan, table=table)
    errors = [error]
    if row == 5 and column == 1:  # the unlabelled row was Calder South's: plan.yaml's label is not found either
        errors.append(
            "plan.yaml:31: performance.datasets.fte.import.areas.Calderbrook[1]: 'Calder South' is not a row label "
            "of sources/fte.xlsx [Table 2.1]; check the spelling, the sheet and the range"
        )
    import_fails(run_cli, root, "sources/fte.xlsx", "fte", *errors)


def test_plan_yaml_names_a_field_the_dataset_does_not_have(make_plan, run_cli):
    root = plan_with(
        make_plan,
        "    fte:\n      file: data/fte.csv\n"
        + FTE_IMPORT.format(sheet="").replace("value: fte_count", "value: fte_counts"),
    )
    write_table(root / "fte.csv", FTE_TABLE)
    import_fails(
        run_cli,
        root,
        "fte.csv",
        "fte",
        "plan.yaml:27: performance.datasets.fte.import.value: 'fte_counts' is not a field of fte; expected one of "
        "fte_count, population_10_17",
    )


def test_a_reoffending_cohort_must_be_3_or_12_months(make_plan, run_cli):
    root = plan_with(make_plan, REOFFENDING_IMPORT)
    write_ods(root / "reoffending.ods", {"Table 9.1": edited(REOFFENDING_TABLE, 3, 5, "Apr-Sep 2019")})
    import_fails(
        run_cli,
        root,
        "reoffending.ods",
        "reoffending",
        "reoffending.ods [Table 9.1] cell E3: 'Apr-Sep 2019' is 6 months; a reoffending cohort is 3 months "
        "(quarterly) or 12 months (annual) (or list the column under import.skip_columns)",
    )


def test_rows_for_the_same_year_are_added_up_only_when_the_import_says_so(make_plan, run_cli):
    root = plan_with(make_plan, CUSTODY_IMPORT.replace("        sum: true", "        sum: false"))
    write_ods(root / "outcomes.ods", {"Cover": [[]], "Notes": [[]], "Outcome_Table": OUTCOMES})
    hint = (
        "a record is given twice (if the table has a row per part, such as a row per sentence type, set "
        "import.sum: true to add them up)"
    )
    import_fails(
        run_cli,
        root,
        "outcomes.ods",
        "custody",
        f"outcomes.ods [Outcome_Table] cells H2 and H3 both give custodial_sentences for Calderbrook, "
        f"Apr 2022-Mar 2023; {hint}",
        f"outcomes.ods [Outcome_Table] cells H5 and H6 both give custodial_sentences for Calderbrook, "
        f"Apr 2023-Mar 2024; {hint}",
        f"outcomes.ods [Outcome_Table] cells H9 and H10 both give custodial_sentences for England and Wales, "
        f"Apr 2022-Mar 2023; {hint}",
        f"outcomes.ods [Outcome_Table] cells H11 and H12 both give custodial_sentences for England and Wales, "
        f"Apr 2023-Mar 2024; {hint}",
    )


def test_a_column_the_table_does_not_have(make_plan, run_cli):
    root = plan_with(make_plan, CUSTODY_IMPORT.replace("period: Financial_Year", "period: Year"))
    write_ods(root / "outcomes.ods", {"Cover": [[]], "Notes": [[]], "Outcome_Table": OUTCOMES})
    import_fails(
        run_cli,
        root,
        "outcomes.ods",
        "custody",
        "plan.yaml:29: performance.datasets.custody.import.columns.period: no column 'Year' in row 1 of outcomes.ods "
        "[Outcome_Table]; the columns are: 'England_Wales' (A), 'Region' (B), 'PCC' (C), 'YJS' (D), "
        "'Financial_Year' (E), 'Caution_or_sentence_tier' (F), 'Caution_or_sentence_type' (G), "
        "'Number_Cautioned_Sentenced' (H)",
    )


@pytest.mark.parametrize(
    ("block", "error"),
    [
        (
            "      import: {layout: wide, value: fte_count, columns: {area: A}}\n",
            "performance.datasets.fte.import: columns: only for layout: long",
        ),
        (
            "      import: {layout: wide}\n",
            "performance.datasets.fte.import: rows: areas needs value (the field every cell holds), "
            "and no measures or area",
        ),
        (
            "      import: {layout: long, area: Calderbrook}\n",
            "performance.datasets.fte.import: layout: long needs columns (field -> column header, e.g. area: YJS)",
        ),
        (
            "      import: {layout: wide, value: fte_count, markers: {'-': zero}}\n",
            "performance.datasets.fte.import.markers.-: Input should be 'suppressed', 'not available' or "
            "'not applicable'; got 'zero'",
        ),
    ],
)
def test_an_import_block_that_does_not_fit_its_layout(make_plan, run_cli, block, error):
    root = plan_with(make_plan, "    fte:\n      file: data/fte.csv\n" + block)
    run = run_cli(["data", "import", "x.csv", "--as", "fte"], cwd=root)
    assert run.code == 1
    assert run.err == f"error: plan.yaml:22: {error}\n"


def test_the_dataset_must_be_in_plan_yaml_with_a_csv_file(make_plan, run_cli):
    root = plan_with(make_plan, "    kpis: {file: data/kpis.xlsx, sheet: KPIs}\n")
    run = run_cli(["data", "import", "x.csv", "--as", "fte"], cwd=root)
    assert run.err == (
        "error: plan.yaml: performance.datasets has no fte; add it with the file to write (for example "
        "'fte: {file: data/fte.csv}') and, unless the table already has plan-builder's columns, an import: block "
        "describing the table\n"
    )
    run = run_cli(["data", "import", "x.csv", "--as", "kpis"], cwd=root)
    assert run.err == (
        "error: plan.yaml:20: performance.datasets.kpis: data import writes a CSV file; give file: data/kpis.csv "
        "(it is data/kpis.xlsx)\n"
    )


def test_a_long_table_with_plan_builders_own_columns_needs_no_import_block(make_plan, run_cli):
    root = plan_with(make_plan, "    fte: data/fte.csv\n")
    rows = [
        ["Extract from the case management system"],
        ["period_start", "period_end", "area", "fte_count"],
    ]
    write_xlsx(
        root / "export.xlsx",
        {
            "Sheet1": [
                ["period_start", "period_end", "area", "fte_count"],
                ["2024-01-01", "2024-12-31", "Calderbrook", 61],
            ]
        },
    )
    run = run_cli(["data", "import", "export.xlsx", "--as", "fte"], cwd=root)
    assert run.code == 0, run.err
    assert (root / "data" / "fte.csv").read_text() == (
        "period_start,period_end,area,fte_count,source_cell\n2024-01-01,2024-12-31,Calderbrook,61,export.xlsx [Sheet1] D2\n"
    )
    write_xlsx(root / "other.xlsx", {"Sheet1": rows})
    run = run_cli(["data", "import", "other.xlsx", "--as", "fte"], cwd=root)
    assert run.err == (
        "error: other.xlsx [Sheet1]: row 1 lacks the column(s) period_start, period_end, area, fte_count, and "
        "plan.yaml:20: performance.datasets.fte has no import: block saying how to read the table; add one (see the README, "
        "'Importing published tables')\n"
    )


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("Apr 2019 - Mar 2020", "Apr 2019-Mar 2020"),
        ("2022/23", "Apr 2022-Mar 2023"),
        ("Year ending March 2023", "Apr 2022-Mar 2023"),
        ("year ending Dec 2022", "Jan-Dec 2022"),
        ("12 months ending June 2021", "Jul 2020-Jun 2021"),
        ("YE Mar-23", "Apr 2022-Mar 2023"),
        ("2023-24 Q1", "Apr-Jun 2023"),
        ("Q4 2023/24", "Jan-Mar 2024"),
        ("Apr 2019-Mar 2020 cohort", "Apr 2019-Mar 2020"),
    ],
)
def test_period_labels_of_published_tables(label, shown):
    from plan_builder.figures.periods import parse_period

    assert parse_period(label).label == shown


@pytest.mark.parametrize("label", ["Q4 2022-24", "2019-21", "year ending 2023", "2023-24 Q5", "Apr-Sep"])
def test_labels_that_are_not_periods(label):
    from plan_builder.figures.periods import parse_period

    with pytest.raises(ValueError, match=f"^{label!r} is not a period label plan-builder can read; expected a form"):
        parse_period(label)


def test_a_date_heading_is_the_month_it_starts(make_plan, run_cli):
    """Excel turns a typed 'Mar-23' into the date 1 March 2023; any other date is not a period."""
    import datetime as dt

    from plan_builder.inputs.sources.labels import period_of

    assert period_of(dt.date(2023, 3, 1)).label == "Mar 2023"
    with pytest.raises(ValueError, match=r"^is a date \(2023-03-31\), not a period label; write the period as text"):
        period_of(dt.datetime(2023, 3, 31))


def test_a_population_table_with_a_column_per_year(make_plan, run_cli):
    block = """\
    population:
      file: data/population.csv
      source: ONS mid-year population estimates
      import:
        header_row: 2
        layout: wide
        value: population
        areas: {Calderbrook: [Calder North, Calder South]}
        fixed: {age_band: 10-17, source: ONS mid-year estimate}
"""
    head = HEAD + "performance:\n  area: Calderbrook\n  datasets:\n" + block
    root = make_plan({"plan.yaml": plan_yaml(head)})
    table = [
        ["Children aged 10-17"],
        ["Area", "Mid-2022", "Mid-2023", "2024"],
        ["Calder North", 15100, 15200, 15300],
        ["Calder South", 15150, 15200, 15200],
    ]
    write_table(root / "population.ods", table)
    run = run_cli(["data", "import", "population.ods", "--as", "population"], cwd=root)
    assert run.code == 0, run.err
    assert (root / "data" / "population.csv").read_text().splitlines() == [
        "area,year,age_band,population,source,source_cell",
        "Calderbrook,2022,10-17,30250,ONS mid-year estimate,population.ods [Data] B3+B4",
        "Calderbrook,2023,10-17,30400,ONS mid-year estimate,population.ods [Data] C3+C4",
        "Calderbrook,2024,10-17,30500,ONS mid-year estimate,population.ods [Data] D3+D4",
    ]
    assert "Periods (3): 2022 (B2), 2023 (C2), 2024 (D2)" in run.out


def test_the_data_files_own_line_endings_are_kept(make_plan, run_cli):
    root = fte_plan(make_plan)
    (root / "data").mkdir(exist_ok=True)
    existing = "period_start,period_end,area,fte_count\r\n2020-01-01,2020-12-31,Calderbrook,66\r\n"
    (root / "data" / "fte.csv").write_bytes(existing.encode())
    assert run_cli(["data", "import", "sources/fte.xlsx", "--as", "fte"], cwd=root).code == 0
    written = (root / "data" / "fte.csv").read_bytes().decode()
    assert written.startswith(
        "period_start,period_end,area,fte_count,source_cell\r\n2020-01-01,2020-12-31,Calderbrook,66,\r\n"
    )
    assert written.count("\r\n") == written.count("\n") == 10
    (root / "data" / "fte.csv").write_bytes(b"period_start\xff\n")
    run = run_cli(["data", "import", "sources/fte.xlsx", "--as", "fte"], cwd=root)
    assert run.err.startswith("error: data/fte.csv:1: not UTF-8 text (byte 0xFF; the file was probably saved as")


def test_a_kpi_return_with_a_row_per_measure_and_quarter(make_plan, run_cli):
    block = """\
    kpis:
      file: data/kpis.csv
      import:
        header_row: 2
        layout: long
        columns: {period: Quarter, kpi: KPI, measure: Measure, numerator: Numerator, denominator: Denominator}
        area: Calderbrook
"""
    root = plan_with(make_plan, block)
    rows: list[list[object]] = [
        ["KPI return, case management system export"],
        ["Quarter", "KPI", "Measure", "Numerator", "Denominator"],
        ["Q3 2024-25", "ete", "suitable", 60, 90],
        ["Q4 2024-25", "ete", "suitable", 66, 92],
        ["Q4 2024-25", "accommodation", "suitable", "[c]", 92],
    ]
    write_xlsx(root / "kpi.xlsx", {"Return": rows})
    assert run_cli(["data", "import", "kpi.xlsx", "--as", "kpis"], cwd=root).code == 0
    assert (root / "data" / "kpis.csv").read_text().splitlines()[1:] == [
        "2024-10-01,2024-12-31,Calderbrook,ete,suitable,60,90,kpi.xlsx [Return] D3+E3",
        "2025-01-01,2025-03-31,Calderbrook,ete,suitable,66,92,kpi.xlsx [Return] D4+E4",
        "2025-01-01,2025-03-31,Calderbrook,accommodation,suitable,[c],92,kpi.xlsx [Return] D5+E5",
    ]
    found, _ = figures(run_cli, root)
    assert found["kpi.ete.latest.suitable"]["value"] == pytest.approx(66 / 92 * 100)
    assert found["kpi.accommodation.latest.suitable"]["reason"] == (
        "suitable.numerator for Jan-Mar 2025 is suppressed in the source ('[c]') in data/kpis.csv row 4"
    )
    rows[4][1] = None
    write_xlsx(root / "kpi.xlsx", {"Return": rows})
    import_fails(run_cli, root, "kpi.xlsx", "kpis", "kpi.xlsx [Return] cell B5 is empty; expected the kpi")
