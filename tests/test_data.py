"""The data contract: bad data files give errors naming file, sheet, row and column."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import copy_example_plan

from plan_builder.commands.cli import main
from plan_builder.errors import DataError
from plan_builder.inputs.data import load_dataset

ROOT = Path(__file__).resolve().parent.parent
FTE_HEADER = "period_start,period_end,area,fte_count,population_10_17\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path, name: str = "fte") -> str:
    with pytest.raises(DataError) as caught:
        load_dataset(name, path, Path(path.name))
    return str(caught.value)


def test_loads_typed_records(tmp_path):
    path = write(tmp_path, "fte.csv", FTE_HEADER + '2024-01-01,2024-12-31,Calderbrook,"1,061",31500\n')
    dataset = load_dataset("fte", path, Path("fte.csv"))
    (record,) = dataset.records
    assert record["fte_count"] == 1061
    assert record.source == "fte.csv row 2"


def test_missing_column(tmp_path):
    path = write(tmp_path, "fte.csv", "period_start,period_end,area,population_10_17\n2024-01-01,2024-12-31,A,5\n")
    assert load_error(path) == (
        "fte.csv: missing column(s) fte_count; expected columns: "
        "period_start, period_end, area, fte_count, population_10_17"
    )


def test_population_column_may_be_left_out(tmp_path):
    path = write(tmp_path, "fte.csv", "period_start,period_end,area,fte_count\n2024-01-01,2024-12-31,A,5\n")
    (record,) = load_dataset("fte", path, Path("fte.csv")).records
    assert record.values == {
        "period_start": dt.date(2024, 1, 1),
        "period_end": dt.date(2024, 12, 31),
        "area": "A",
        "fte_count": 5,
    }


def test_non_numeric_cell_names_row_and_column(tmp_path):
    path = write(tmp_path, "fte.csv", FTE_HEADER + "2024-01-01,2024-12-31,A,5,100\n2023-01-01,2023-12-31,A,1.2x,100\n")
    assert load_error(path) == (
        "fte.csv row 3, column 'fte_count': '1.2x' is not a number; write the number, or '..' if it is not "
        "available ('[c]' if suppressed)"
    )


def test_bad_date_and_negative_count(tmp_path):
    path = write(tmp_path, "fte.csv", FTE_HEADER + "2024-13-01,2024-12-31,A,-5,100\n")
    assert load_error(path).splitlines() == [
        "fte.csv row 2, column 'period_start': '2024-13-01' is not a date (expected YYYY-MM-DD)",
        "fte.csv row 2, column 'fte_count': '-5' is not a whole number of 0 or more",
    ]


def test_duplicate_rows_for_one_area_and_period(tmp_path):
    path = write(tmp_path, "fte.csv", FTE_HEADER + "2024-01-01,2024-12-31,A,5,100\n2024-01-01,2024-12-31,A,6,100\n")
    assert load_error(path) == (
        "fte.csv row 3: duplicate of row 2 (same area, period_start, period_end: A, 2024-01-01, 2024-12-31)"
    )


def test_unknown_cohort_type(tmp_path):
    path = write(
        tmp_path,
        "reoffending.csv",
        "cohort_start,cohort_end,cohort_type,area,children,reoffenders,reoffences\n"
        "2022-01-01,2022-03-31,quartely,A,10,2,4\n",
    )
    assert load_error(path, "reoffending") == (
        "reoffending.csv row 2, column 'cohort_type': 'quartely' is not one of quarterly, annual"
    )


def test_an_empty_count_is_an_error_not_a_gap(tmp_path):
    path = write(tmp_path, "fte.csv", FTE_HEADER + "2024-01-01,2024-12-31,A,,31500\n")
    assert load_error(path) == (
        "fte.csv row 2, column 'fte_count': '' is empty; write the number, or '..' if it is not available "
        "('[c]' if suppressed)"
    )


@pytest.mark.parametrize(
    ("marker", "why"),
    [
        ("..", "not available in the source ('..')"),
        ("[x]", "not available in the source ('[x]')"),
        ("[C]", "suppressed in the source ('[C]')"),
        ("[z]", "not applicable in the source ('[z]')"),
    ],
)
def test_a_count_marked_missing_on_purpose_is_kept_as_missing_with_its_reason(tmp_path, marker, why):
    path = write(tmp_path, "fte.csv", FTE_HEADER + f"2024-01-01,2024-12-31,A,5,{marker}\n")
    (record,) = load_dataset("fte", path, Path("fte.csv")).records
    assert record["population_10_17"] is None
    assert record.missing == {"population_10_17": why}


def test_a_missing_marker_in_a_text_column_is_an_error(tmp_path):
    path = write(tmp_path, "fte.csv", FTE_HEADER + "2024-01-01,2024-12-31,..,5,100\n")
    assert (
        load_error(path) == "fte.csv row 2, column 'area': '..' marks a number as missing, but this column holds a text"
    )


def test_a_row_with_a_missing_cell_is_an_error_not_shifted(tmp_path):
    # The author left out the count: read as it stands, the population would be taken as the count.
    path = write(tmp_path, "fte.csv", FTE_HEADER + "2023-01-01,2023-12-31,A,58,30500\n2024-01-01,2024-12-31,A,31500\n")
    assert load_error(path) == (
        "fte.csv row 3: 4 cells, but the header has 5 columns (period_start, period_end, area, fte_count, "
        "population_10_17); a cell is missing, so the values after it would be read under the wrong columns: "
        "add the missing value (write the number, or '..' if it is not available ('[c]' if suppressed))"
    )


def test_a_row_with_an_extra_cell_is_an_error(tmp_path):
    path = write(tmp_path, "fte.csv", FTE_HEADER + "2024-01-01,2024-12-31,A,1,061,31500\n")
    assert load_error(path) == (
        "fte.csv row 2: 6 cells, but the header has 5 columns (period_start, period_end, area, fte_count, "
        'population_10_17); remove the extra cell (in a CSV file, a number written with a comma needs double quotes: "1,061")'
    )


def test_empty_cells_after_the_last_column_are_not_extra(tmp_path):
    path = write(tmp_path, "fte.csv", FTE_HEADER + "2024-01-01,2024-12-31,A,5,100,,\n")
    (record,) = load_dataset("fte", path, Path("fte.csv")).records
    assert record["population_10_17"] == 100


def test_every_row_problem_of_a_file_is_reported_at_once(tmp_path):
    path = write(tmp_path, "fte.csv", FTE_HEADER + "2023-01-01,2023-12-31,A,5\n2024-01-01,2024-12-31,A,,100\n")
    assert [line.split(":")[0] for line in load_error(path).splitlines()] == [
        "fte.csv row 2",
        "fte.csv row 3, column 'fte_count'",
    ]


@pytest.mark.slow
def test_an_excel_value_under_no_header_is_an_extra_cell(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["period_start", "period_end", "area", "fte_count", "population_10_17"])
    sheet.append(["2024-01-01", "2024-12-31", "A", 5, 100, 7])
    path = tmp_path / "performance.xlsx"
    workbook.save(path)
    with pytest.raises(DataError) as caught:
        load_dataset("fte", path, Path("performance.xlsx"))
    assert str(caught.value).startswith("performance.xlsx [Sheet] row 2: 6 cells, but the header has 5 columns")


@pytest.mark.slow
def test_excel_sheet_is_read_directly(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "FTE"
    sheet.append(["period_start", "period_end", "area", "fte_count", "population_10_17"])
    sheet.append(["2024-01-01", "2024-12-31", "A", 5, 100])
    sheet.append(["2023-01-01", "2023-12-31", "A", "lots", 100])
    path = tmp_path / "performance.xlsx"
    workbook.save(path)
    with pytest.raises(DataError) as caught:
        load_dataset("fte", path, Path("performance.xlsx"), "FTE")
    assert str(caught.value) == (
        "performance.xlsx [FTE] row 3, column 'fte_count' (cell D3): 'lots' is not a number; write the number, "
        "or '..' if it is not available ('[c]' if suppressed)"
    )


def figures_json(plan: Path, capsys) -> dict[str, dict]:
    assert main(["figures", str(plan), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    return {f["id"]: f for f in payload["figures"]}


def test_one_changed_number_changes_exactly_its_figures(tmp_path, capsys):
    plan = copy_example_plan(tmp_path)
    before = figures_json(plan, capsys)
    fte = plan / "data" / "first-time-entrants.csv"
    text = fte.read_text()
    assert "2024-01-01,2024-12-31,Calderbrook,61," in text
    fte.write_text(text.replace("2024-01-01,2024-12-31,Calderbrook,61,", "2024-01-01,2024-12-31,Calderbrook,48,"))
    after = figures_json(plan, capsys)
    changed = sorted(
        k
        for k in before
        if (before[k]["value"] != after[k]["value"] or before[k]["rag"] != after[k]["rag"]) and not after[k]["alias_of"]
    )
    assert changed == [
        "fte.change.count",
        "fte.change.rate",
        "fte.difference.count",
        "fte.difference.rate",
        "fte.latest.count",
        "fte.latest.rate",
    ]
    # The same values under the shape's and the period's own ids say whose repeats they are.
    assert after["fte.jan_dec.latest.rate"]["alias_of"] == "fte.latest.rate"
    assert after["fte.jan_dec_2024.rate"]["alias_of"] == "fte.latest.rate"
    assert after["fte.jan_dec_2024.rate"]["display"] == "152"
    assert after["fte.latest.rate"]["display"] == "152"
    assert after["fte.latest.rate"]["direction"] == "improving"


def test_example_figures_json_shape(tmp_path, capsys):
    figures = figures_json(copy_example_plan(tmp_path), capsys)
    binary = figures["reoffending.annual.latest.binary"]
    assert set(binary) == {
        "alias_of",
        "id",
        "label",
        "value",
        "display",
        "unit",
        "period",
        "area",
        "inputs",
        "basis",
        "polarity",
        "rag",
        "rag_reason",
        "direction",
        "reason",
        "caveat",
    }
    assert binary["inputs"] == {"reoffenders": 40, "children": 154}
    assert binary["display"] == "26.0%"


def test_stated_value_that_disagrees_is_a_warning(tmp_path, capsys):
    plan = copy_example_plan(tmp_path)
    manifest = plan / "plan.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "  small_denominator: 30\n",
            "  small_denominator: 30\n  stated:\n    reoffending.annual.latest.frequency: 1.12\n"
            "    reoffending.annual.latest.binary: 26.0\n",
        )
    )
    assert main(["figures", str(plan)]) == 0
    err = capsys.readouterr().err
    line = next(i for i, t in enumerate(manifest.read_text().splitlines(), 1) if "latest.frequency: 1.12" in t)
    # `figures` lists every warning the build gives: the example's own (an overdue action) and the stated value.
    assert err.strip().splitlines() == [
        f"warning: {plan / 'data/actions.yaml'}:76: action A11: overdue: due 30 April 2025, "
        "status 'May exceed original target date'",
        f"warning: {plan / 'plan.yaml'}:{line}: stated 1.12 for reoffending.annual.latest.frequency "
        "(Reoffending (annual cohort): Reoffences per child in the cohort) but the data give 0.89 "
        "(reoffences 137, children 154)",
    ]


@pytest.mark.slow
def test_stated_filter_in_text_warns_with_file_and_line(tmp_path, capsys):
    plan = copy_example_plan(tmp_path)
    section = plan / "sections" / "09-performance.md"
    section.write_text(
        section.read_text() + "\nStated: {{ reoffending.annual.latest.per_reoffender | stated(6.65) }}.\n"
    )
    assert main(["build", str(plan)]) == 0
    captured = capsys.readouterr()
    line = len(section.read_text().splitlines())
    assert (
        f"warning: {plan / 'sections/09-performance.md'}:{line}: stated 6.65 for reoffending.annual.latest.per_reoffender "
        "(Reoffending (annual cohort): Reoffences per reoffender) but the data give 3.43 (reoffences 137, reoffenders 40)"
    ) in captured.err.splitlines()


@pytest.mark.parametrize("value", [float("inf"), float("-inf")])
def test_an_infinite_cell_value_is_refused(value):
    from plan_builder.inputs.data import COUNT, NUMBER, _cell

    for kind in (COUNT, NUMBER):
        with pytest.raises(ValueError, match="is not a finite number"):
            _cell(kind, value)
