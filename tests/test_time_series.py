"""Time series of any period shape, populations, units and changes, RAG schemes: figures from the seeds.

Seed 000: Leicester's Q4 2022-23 board report (FTE Jan-Dec, reoffending Jul-Jun cohorts, custody Apr-Mar).
Seed 001: Leicester's 2022-23 plan (FTE by rolling Oct-Sep years, Apr-Mar and Jan-Mar cohorts, custody Jan-Dec).
Seed 003: Rotherham's scorecard (rates per 10,000, breakdowns stated as 155 whose parts add to 145).
"""

from __future__ import annotations

import datetime as dt
import json

import docx
import pytest
from conftest import PLAN_YAML, plan_yaml

from plan_builder.commands.cli import main
from plan_builder.figures.periods import parse_period
from plan_builder.inputs.config import load_plan

PERFORMANCE = """\
performance:
  area: Leicester
  comparators: {{family: YJS family, national: England and Wales}}
  datasets:{datasets}
{extra}"""

FTE = "period_start,period_end,area,fte_count,population_10_17\n"
REOFFENDING = "cohort_start,cohort_end,cohort_type,area,children,reoffenders,reoffences\n"
CUSTODY = "period_start,period_end,area,custodial_sentences,population_10_17\n"


def performance_plan(make_plan, data: dict[str, str], extra: str = "", local: str | None = None):
    """A tiny plan whose performance: section names `data` (dataset -> CSV text) and `extra` settings."""
    lines = "".join(f"\n    {name}: data/{name}.csv" for name in data) or " {}"
    if local is not None:
        extra += "  local_indicators: data/local.yaml\n"
    head = PLAN_YAML + PERFORMANCE.format(datasets=lines, extra=extra)
    files = {"plan.yaml": plan_yaml(head)} | {f"data/{name}.csv": text for name, text in data.items()}
    if local is not None:
        files["data/local.yaml"] = local
    return make_plan(files)


def figures(root, capsys) -> tuple[dict[str, dict], list[str]]:
    """`plan-builder figures --json` run in the plan folder, as an analyst runs it: figures by id, warnings."""
    import os

    capsys.readouterr()
    here = os.getcwd()
    os.chdir(root)
    try:
        code = main(["figures", "--json"])
    finally:
        os.chdir(here)
    output = capsys.readouterr()
    assert code == 0, output.err
    payload = json.loads(output.out)
    return {f["id"]: f for f in payload["figures"]}, payload["warnings"]


@pytest.mark.parametrize(
    ("label", "shown", "shape"),
    [
        ("2023-24", "Apr 2023-Mar 2024", "apr_mar"),
        ("Apr 2019-Mar 2020", "Apr 2019-Mar 2020", "apr_mar"),
        ("Jan 22 - Dec 22", "Jan-Dec 2022", "jan_dec"),
        ("Jul 20 - Jun 21", "Jul 2020-Jun 2021", "jul_jun"),
        ("Oct 20 – Sep 21", "Oct 2020-Sep 2021", "oct_sep"),
        ("Apr - Jun 2019", "Apr-Jun 2019", "quarter"),
        ("Q4 2022-23", "Jan-Mar 2023", "quarter"),
        ("Mar-23", "Mar 2023", "month"),
        ("Apr 19 March 20", "Apr 2019-Mar 2020", "apr_mar"),
    ],
)
def test_period_labels_as_services_write_them(label, shown, shape):
    period = parse_period(label)
    assert (period.label, period.shape.id) == (shown, shape)


def test_an_unreadable_period_label_names_the_forms_understood():
    with pytest.raises(ValueError) as caught:
        parse_period("Spring 2024")
    assert str(caught.value).startswith(
        "'Spring 2024' is not a period label plan-builder can read; expected a form such as '2023-24'"
    )


def test_fte_by_calendar_and_rolling_october_september_years_side_by_side(make_plan, capsys):
    # Seed 001: Oct 19-Sep 20 rate 223 (78 children), Oct 20-Sep 21 rate 207 (73 children).
    data = FTE + (
        "2019-10-01,2020-09-30,Leicester,78,35000\n"
        "2020-10-01,2021-09-30,Leicester,73,35300\n"
        "2020-01-01,2020-12-31,Leicester,70,35100\n"
        "2021-01-01,2021-12-31,Leicester,67,35638\n"
    )
    root = performance_plan(make_plan, {"fte": data})
    found, warnings = figures(root, capsys)
    assert found["fte.oct_sep.latest.rate"]["display"] == "207"
    assert found["fte.oct_sep.previous.rate"]["display"] == "223"
    assert found["fte.oct_sep.latest.count"]["display"] == "73"
    assert found["fte.oct_sep.change.rate"]["display"] == "-7.2%"  # from unrounded rates, not 207 / 223
    assert found["fte.oct_sep.change.rate"]["direction"] == "improving"
    # The headline is the shape of the most recent period (Jan-Dec 2021 ends after Oct 2020-Sep 2021).
    assert found["fte.latest.rate"]["period"] == "Jan-Dec 2021"
    assert found["fte.latest.rate"]["display"] == "188"
    assert found["fte.jan_dec.latest.rate"]["alias_of"] == "fte.latest.rate"
    assert found["fte.oct_2019_sep_2020.rate"]["display"] == "223"
    assert warnings == []


def test_the_plan_chooses_the_headline_shape(make_plan, capsys):
    data = FTE + (
        "2019-10-01,2020-09-30,Leicester,78,35000\n"
        "2020-10-01,2021-09-30,Leicester,73,35300\n"
        "2021-01-01,2021-12-31,Leicester,67,35638\n"
    )
    root = performance_plan(make_plan, {"fte": data}, "  headline: {fte: oct_sep}\n")
    found, _ = figures(root, capsys)
    assert (found["fte.latest.rate"]["period"], found["fte.latest.rate"]["display"]) == ("Oct 2020-Sep 2021", "207")


def test_both_series_are_charted_over_every_period(make_plan):
    data = FTE + "".join(
        f"{year}-01-01,{year}-12-31,Leicester,{60 + year % 7},35000\n{year - 1}-10-01,{year}-09-30,Leicester,{70 - year % 5},35000\n"
        for year in range(2019, 2025)
    )
    root = performance_plan(make_plan, {"fte": data})
    sections = root / "sections" / "09-performance.md"
    sections.write_text("---\nheading: performance\n---\nTrends.\n\n::: chart fte.jan_dec.rate fte.oct_sep.rate\n")
    assert main(["build", str(root)]) == 0
    document = docx.Document(str(next((root / "output").glob("*.docx"))))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert captions == [
        "Figure 1: First time entrants per 100,000 children aged 10-17, Jan-Dec 2019 to Jan-Dec 2024",
        "Figure 2: First time entrants per 100,000 children aged 10-17, Oct 2018-Sep 2019 to Oct 2023-Sep 2024",
    ]
    data_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Period"]
    assert [len(t.rows) - 1 for t in data_tables] == [6, 6]
    notes = [p.text for p in document.paragraphs if p.text.startswith("Periods: ")]
    assert notes[0].startswith("Periods: calendar years (Jan-Dec). Basis: first time entrants")
    assert notes[1].startswith("Periods: years ending September (Oct-Sep).")


def test_reoffending_cohorts_of_several_shapes_side_by_side(make_plan, capsys):
    data = REOFFENDING + (
        # Seed 000: Jul-Jun cohorts, 326 / 49 = 6.65 against 119 / 35 = 3.40 (+95.7%).
        "2019-07-01,2020-06-30,annual,Leicester,153,35,119\n"
        "2020-07-01,2021-06-30,annual,Leicester,138,49,326\n"
        # Seed 001: Apr-Mar cohorts, 129 / 42 = 3.07 against 174 / 60 = 2.90 (+5.9%).
        "2018-04-01,2019-03-31,annual,Leicester,195,60,174\n"
        "2019-04-01,2020-03-31,annual,Leicester,186,42,129\n"
        # Seed 001: Jan-Mar cohorts a year apart, 66 / 14 = 4.71 against 26 / 12 = 2.17 (+117.6%).
        "2019-01-01,2019-03-31,quarterly,Leicester,48,12,26\n"
        "2020-01-01,2020-03-31,quarterly,Leicester,47,14,66\n"
    )
    root = performance_plan(make_plan, {"reoffending": data})
    found, warnings = figures(root, capsys)
    jul_jun = [found[f"reoffending.annual.jul_jun.{slot}.per_reoffender"]["display"] for slot in ("latest", "previous")]
    assert jul_jun == ["6.65", "3.40"]
    assert found["reoffending.annual.jul_jun.change.per_reoffender"]["display"] == "+95.7%"
    apr_mar = [found[f"reoffending.annual.apr_mar.{slot}.per_reoffender"]["display"] for slot in ("latest", "previous")]
    assert apr_mar == ["3.07", "2.90"]
    assert found["reoffending.annual.apr_mar.change.per_reoffender"]["display"] == "+5.9%"
    assert found["reoffending.annual.apr_mar.latest.binary"]["display"] == "22.6%"
    assert found["reoffending.annual.apr_mar.change.binary"]["display"] == "-8.2 percentage points"
    quarter = [found[f"reoffending.quarterly.{slot}.per_reoffender"]["display"] for slot in ("latest", "previous")]
    assert quarter == ["4.71", "2.17"]
    assert found["reoffending.quarterly.change.per_reoffender"]["display"] == "+117.6%"
    assert found["reoffending.quarterly.change.binary"]["display"] == "+4.8 percentage points"  # 29.8% against 25.0%
    assert found["reoffending.annual.latest.per_reoffender"]["period"] == "Jul 2020-Jun 2021"
    assert warnings == []


def test_custody_change_as_a_difference_in_its_own_unit(make_plan, capsys):
    # Seed 000: custody Apr 21-Mar 22 0.05 per 1,000 (2 sentences), Apr 22-Mar 23 0.10 (4): "increase by 0.05".
    data = CUSTODY + "2021-04-01,2022-03-31,Leicester,2,40000\n2022-04-01,2023-03-31,Leicester,4,40000\n"
    root = performance_plan(make_plan, {"custody": data}, "  changes: {custody.rate: difference}\n")
    found, _ = figures(root, capsys)
    assert [found[f"custody.{s}.rate"]["display"] for s in ("previous", "latest")] == ["0.05", "0.10"]
    assert found["custody.change.rate"]["display"] == "+0.05"
    assert found["custody.change.rate"]["basis"] == "latest - previous"
    assert found["custody.difference.rate"]["display"] == "+0.05"
    # The difference is always there beside a per cent change.
    assert found["custody.change.sentences"]["display"] == "+100.0%"
    assert found["custody.difference.sentences"]["display"] == "+2"


def test_a_population_jump_of_more_than_five_per_cent_is_warned(make_plan, capsys):
    # Seed 000's own figures imply 35,638 children in 2021 (67 FTEs at 188) and 40,000 in 2022 (80 at 200).
    data = FTE + "2021-01-01,2021-12-31,Leicester,67,35638\n2022-01-01,2022-12-31,Leicester,80,40000\n"
    root = performance_plan(make_plan, {"fte": data})
    _, warnings = figures(root, capsys)
    assert warnings == [
        "data/fte.csv row 3: fte: the 10-17 population of Leicester changes by +12.2% from 2021 (35,638, "
        "data/fte.csv row 2) to 2022 (40,000); estimates rarely move more than 5% in a year: check both"
    ]


def test_rows_without_a_population_take_it_from_the_population_table(make_plan, capsys):
    fte = FTE + "2023-01-01,2023-12-31,Leicester,70,\n2024-01-01,2024-12-31,Leicester,66,\n"
    population = "area,year,age_band,population,source\nLeicester,2023,10-17,35200,ONS MYE 2023\nLeicester,2024,10-17,35500,ONS MYE 2024\n"
    root = performance_plan(make_plan, {"fte": fte, "population": population})
    found, warnings = figures(root, capsys)
    latest = found["fte.latest.rate"]
    assert (latest["display"], latest["inputs"]) == ("186", {"fte_count": 66, "population_10_17": 35500})
    assert latest["basis"] == (
        "first time entrants / children aged 10-17 (ONS mid-year estimate) x 100,000; population of children aged "
        "10-17 for Leicester: mid-2024 estimate (data/population.csv row 3, ONS MYE 2024)"
    )
    assert warnings == []


def test_rows_with_no_population_anywhere_are_warned_not_left_as_silent_gaps(make_plan, capsys):
    # Seed 001's rolling-year FTE counts from a wide table that has no population row, and no population table.
    fte = FTE + "2019-10-01,2020-09-30,Leicester,78,\n2020-10-01,2021-09-30,Leicester,73,\n"
    root = performance_plan(make_plan, {"fte": fte})
    found, warnings = figures(root, capsys)
    assert found["fte.latest.rate"]["display"] == "n/a (population_10_17 is missing for Oct 2020-Sep 2021)"
    assert found["fte.latest.count"]["display"] == "73"
    assert warnings == [
        "data/fte.csv rows 2, 3: no 10-17 population for Leicester in Oct 2019-Sep 2020 to Oct 2020-Sep 2021 "
        "(2 periods), so its first time entrant rates cannot be computed and show as n/a; fill the population_10_17 "
        "column, or add a population dataset (performance.datasets.population) with the ONS mid-year estimates"
    ]


def test_a_change_names_the_period_it_would_compare_with_when_the_data_lack_it(make_plan, capsys):
    fte = FTE + "2021-01-01,2021-12-31,Leicester,67,35638\n2023-01-01,2023-12-31,Leicester,80,36000\n"
    found, _ = figures(performance_plan(make_plan, {"fte": fte}), capsys)
    assert found["fte.change.rate"]["display"] == "n/a (no Jan-Dec 2022 in the data to compare with)"


def test_fte_and_custody_dividing_by_different_populations_is_warned(make_plan, capsys):
    fte = FTE + "2024-01-01,2024-12-31,Leicester,66,35500\n"
    custody = CUSTODY + "2024-01-01,2024-12-31,Leicester,4,36100\n"
    root = performance_plan(make_plan, {"fte": fte, "custody": custody})
    _, warnings = figures(root, capsys)
    assert warnings == [
        "data/custody.csv row 2: custody divides by a 10-17 population of 36,100 for Leicester in 2024, but fte by "
        "35,500 (data/fte.csv row 2); use the same estimate for both"
    ]


def test_a_typed_rate_implying_another_population_is_warned(make_plan, capsys):
    # Seed 001: custody "0.11 per 1,000 (9 custodial sentences)" implies 81,818 children in a city of about 35,000.
    custody = CUSTODY + "2020-01-01,2020-12-31,Leicester,14,35000\n2021-01-01,2021-12-31,Leicester,9,35000\n"
    root = performance_plan(make_plan, {"custody": custody}, "  stated: {custody.latest.rate: 0.11}\n")
    _, warnings = figures(root, capsys)
    assert warnings == [
        "plan.yaml:20: stated 0.11 for custody.latest.rate (Use of custody: Custodial sentences per 1,000 children "
        "aged 10-17) but the data give 0.26 (custodial_sentences 9, population_10_17 35,000)",
        "plan.yaml:20: the stated 0.11 for custody.latest.rate implies 81,818 children aged 10-17 (9 / 0.11 x 1,000), "
        "134% away from the population the data hold (35,000); check the rate and the population",
    ]


def test_rows_no_figure_uses_are_warned_with_file_rows_and_reason(make_plan, capsys):
    data = FTE + (
        "2023-01-01,2023-12-31,Leicester,70,35000\n"
        "2024-01-01,2024-12-31,Leicester,66,35500\n"
        "2024-01-01,2024-05-31,Leicester,20,35500\n"  # five months: no shape
        "2024-01-01,2024-12-31,Nottingham,90,30000\n"  # neither the service nor a comparator
        "2022-01-01,2022-12-31,YJS family,400,300000\n"  # a period the service does not have
    )
    root = performance_plan(make_plan, {"fte": data})
    _, warnings = figures(root, capsys)
    assert warnings == [
        "data/fte.csv row 5: First time entrants: area(s) Nottingham are neither the service ('Leicester') nor a "
        "comparator in plan.yaml (performance.comparators); these rows are not used",
        "data/fte.csv row 4: First time entrants: Jan-May 2024 is not a year, quarter or month (12, 3 or 1 whole "
        "months); these rows are not used",
        "data/fte.csv row 6: First time entrants: YJS family data for Jan-Dec 2022, a period the service's own data "
        "does not have; not shown",
    ]


LOCAL = """\
indicators:
  - id: cla_rate
    name: Children looked after per 10,000 children aged 0-17
    unit: rate per 10,000
    polarity: lower
    target: 90
    tolerance: 5
    compare: previous-year
    periods:
      - {period: "Mar 2024", numerator: 530, denominator: 56100}
      - {period: "Mar 2025", numerator: 545, denominator: 56360, stated: 96.7}
    benchmarks:
      Statistical neighbours: {"2023-24": 88.1, "2024-25": 86.0}
      England: {"2024-25": 70.0}
  - id: interventions
    name: Interventions by type
    unit: count
    polarity: neutral
    periods:
      - period: "2022-23"
        parts: {Referral orders: 60, Youth rehabilitation orders: 41, Out-of-court disposals: 44}
        stated_total: 155
  - id: neet_end_of_order
    name: Children not in education, employment or training at the end of their order
    unit: count
    polarity: lower
    periods:
      - period: "Jan-Mar 2023"
        parts: {Statutory school age: 1, Above school age: 4}
        stated_total: 5
  - id: cla_reoffended
    name: Children looked after who reoffended
    unit: percent
    polarity: lower
    periods:
      - {period: "Jan-Mar 2023", numerator: 4, denominator: 17}
"""


def test_local_indicators_per_10000_breakdowns_and_small_numbers(make_plan, capsys):
    root = performance_plan(make_plan, {}, local=LOCAL)
    found, warnings = figures(root, capsys)
    # Seed 003: 545 children looked after in a 0-17 population of 56,360: 96.7 per 10,000.
    assert found["local.cla_rate.latest"]["display"] == "96.7"
    assert found["local.cla_rate.latest"]["basis"] == "numerator / denominator x 10,000"
    assert found["local.cla_rate.latest"]["rag"] == "Red"  # more than 5 above a target of 90, lower being better
    assert found["local.cla_rate.statistical_neighbours"]["display"] == "86.0"
    assert found["local.cla_rate.mar_2024"]["display"] == "94.5"
    assert found["local.interventions.latest"]["display"] == "145"
    assert found["local.neet_end_of_order.part.above_school_age"]["display"] == "4"
    assert found["local.cla_reoffended.latest"]["caveat"] == "small number: 17 children; rates can swing widely"
    assert warnings == [
        "data/local.yaml:20: indicator interventions, Apr 2022-Mar 2023: stated total 155 but the parts add up to "
        "145 (60 + 41 + 44); the document shows 145"
    ]


def test_a_monthly_scorecard_row_in_the_document(make_plan, capsys):
    months = "".join(
        f'      - {{period: "{m} 2025", numerator: {60 + i}, denominator: 90}}\n'
        for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun"])
    )
    local = (
        "indicators:\n  - id: ete\n    name: Children in suitable ETE at month end\n    unit: percent\n"
        "    polarity: higher\n    target: 70\n    tolerance: 5\n    periods:\n" + months + "    benchmarks:\n"
        '      YJS family: {"Apr-Jun 2025": 66.1}\n      England and Wales: {"Apr-Jun 2025": 63.9}\n'
    )
    root = performance_plan(make_plan, {}, local=local)
    (root / "sections" / "09-performance.md").write_text(
        "---\nheading: performance\n---\nScorecard.\n\n::: scorecard\n"
    )
    assert main(["build", str(root)]) == 0, capsys.readouterr().err
    document = docx.Document(str(next((root / "output").glob("*.docx"))))
    table = next(
        t for t in document.tables if t.rows[0].cells[0].text == "Indicator" and "RAG" in t.rows[0].cells[-2].text
    )
    assert [c.text for c in table.rows[0].cells] == [
        "Indicator", "Jan 25", "Feb 25", "Mar 25", "Apr 25", "May 25", "Jun 25", "Year to date", "Target", "RAG", "Benchmark"
    ]  # fmt: skip
    assert [c.text for c in table.rows[1].cells] == [
        "Children in suitable ETE at month end (%; higher is better)",
        "66.7", "67.8", "68.9", "70.0", "71.1", "72.2", "71.1", "70 (±5)", "Green (improving)",
        "YJS family 66.1%; England and Wales 63.9%",
    ]  # fmt: skip


def test_rag_by_direction_of_travel_and_by_bands(make_plan, capsys):
    # Seed 000 rates custody 0.05 -> 0.10 per 1,000 "Amber/Green": a slight worsening at a low level.
    custody = CUSTODY + "2021-04-01,2022-03-31,Leicester,2,40000\n2022-04-01,2023-03-31,Leicester,4,40000\n"
    fte = FTE + "2021-01-01,2021-12-31,Leicester,67,35638\n2022-01-01,2022-12-31,Leicester,60,35700\n"
    rules = (
        "  rag:\n"
        "    custody.latest.rate:\n"
        "      bands: [{rag: Green, limit: 0.05}, {rag: Amber/Green, limit: 0.15}, {rag: Amber, limit: 0.3}, {rag: Red}]\n"
        "    fte.latest.rate: {scheme: direction}\n"
    )
    root = performance_plan(make_plan, {"custody": custody, "fte": fte}, rules)
    found, _ = figures(root, capsys)
    assert (found["custody.latest.rate"]["rag"], found["custody.latest.rate"]["rag_reason"]) == (
        "Amber/Green",
        "at most 0.15",
    )
    assert (found["fte.latest.rate"]["rag"], found["fte.latest.rate"]["rag_reason"]) == (
        "Green",
        "improving on the previous period",
    )


def test_kpi_wording_follows_the_plan_year(make_plan, capsys):
    kpis = "quarter_start,quarter_end,area,kpi,measure,numerator,denominator\n2025-01-01,2025-03-31,Leicester,send,with_plan,19,27\n"
    for period, label in (
        ("2024-25", "KPI 3 Special educational needs and disabilities (SEND/ALN): Children with SEND/ALN in suitable ETE with a formal learning plan"),
        ("2025-26", "KPI 3 Special educational needs and disabilities (SEND/ALN), formal plans: Children with an identified SEND/ALN need who have a formal plan"),
    ):  # fmt: skip
        root = performance_plan(make_plan, {"kpis": kpis})
        manifest = root / "plan.yaml"
        manifest.write_text(manifest.read_text().replace("period: 2025-26", f"period: {period}"))
        found, _ = figures(root, capsys)
        assert found["kpi.send.latest.with_plan"]["label"] == label
        assert load_plan(root).manifest.period == period


def test_default_change_kinds_follow_the_unit():
    from plan_builder.figures.changes import default_kind
    from plan_builder.figures.figure import Unit

    assert [default_kind(u) for u in (Unit.PERCENT, Unit.COUNT, Unit.RATE_PER_1K)] == ["points", "percent", "percent"]


def test_quarters_compare_with_the_previous_quarter_or_a_year_earlier():
    quarter = parse_period("Jan-Mar 2025")
    assert (quarter.preceding().label, quarter.year_earlier().label) == ("Oct-Dec 2024", "Jan-Mar 2024")
    assert parse_period("Mar 2025").preceding().label == "Feb 2025"
    assert parse_period("2024-25").midpoint == dt.date(2024, 9, 30)
