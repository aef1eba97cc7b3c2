"""The budget part (`plan_builder.parts.budget`): exact money, computed totals, author errors, and the tables drawn.

Seed 002 (Leicestershire 2017/18) and seed 003 (Rotherham 2022-23) are rebuilt from
their inputs; every total in them is recomputed and compared with the published one.
Error tests give the file inline, so the line numbers in messages can be counted.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from plan_builder.errors import ConfigError, SectionError
from plan_builder.inputs.config import Plan, load_plan
from plan_builder.parts.budget.model import Budget, load_budget
from plan_builder.parts.budget.schema import parse_money
from plan_builder.parts.registry import bind_blocks, placed_by_tool
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.document import open_template
from plan_builder.word.xml import is_header_row

REPO = Path(__file__).resolve().parent.parent
DISPLAY = Path("data/budget.yaml")
HINT = "write pounds such as 298303, '298,303', '£298,303' or 298303.50"

SEED_002 = """\
contributions:
  - agency: pcc
    name: Police & Crime Commissioner
    staffing: "£91,847"
    other_delegated: "£77,934"
    stated_total: "£169,781"
  - agency: probation
    name: National Probation Service
    lines:
      - {name: Seconded probation officer, staffing: 73764}
      - {name: Delegated funds, other_delegated: 33533}
      - {name: Management contribution, other_delegated: 5000}
    stated_total: 112,297
  - agency: health
    staffing: 70,945
    other_delegated: 47,588
    stated_total: 118,533
  - agency: local-authority
    lines:
      - {name: Chief Executives, other_delegated: 298303}
      - {name: C&FS, other_delegated: 516496}
      - {name: Rutland, other_delegated: 70000}
    stated_total: 884,799
  - agency: yjb-grant
    other_delegated: 460,919
stated_total: 1,746,329
additional_funding:
  - {name: Youth Inclusion Support Panels, amount: 99418, source: Leicestershire County Council}
  - {name: Youth Crime Prevention, amount: 174446, source: Leicestershire County Council}
  - {name: IMPACT, amount: 270000, source: Leicestershire County Council}
stated_service_total: 2,290,193
"""

SEED_003 = """\
year: 2022-23
variance:
  - cost_centre: Pooled budget
    code: 350110
    as_at: 2022-10-31
    lines:
      - {category: Staffing, actual_to_date: 290691, budget: 519567, forecast: 519289, stated_variance: -278}
      - {category: Indirect employee expenses, actual_to_date: 0, budget: 6264, forecast: 6287, stated_variance: 23}
      - {category: Premises, actual_to_date: 58, budget: 0, forecast: 0}
      - {category: Transport, actual_to_date: 4109, budget: 6800, forecast: 6800}
      - {category: Supplies and services, actual_to_date: 4013, budget: 14252, forecast: 14507}
      - {category: Income, actual_to_date: -4000, budget: -228260, forecast: -228260}
    stated_budget: 318,623
  - cost_centre: YJB grant
    code: 350030
    as_at: 2022-10-31
    lines:
      - {category: Staffing, actual_to_date: 246335, budget: 389873, forecast: 388573}
      - {category: Indirect employee expenses, actual_to_date: 4936, budget: 3659, forecast: 4936}
      - {category: Transport, actual_to_date: 3075, budget: 4642, forecast: 4665}
      - {category: Supplies and services, actual_to_date: 1258, budget: 130348, forecast: 130348}
      - {category: Income, actual_to_date: 0, budget: -525830, forecast: -525830}
    stated_budget: 2,692
"""


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(REPO)


@pytest.fixture
def load(tmp_path, plan):
    def run(text: str, on: Plan | None = None) -> Budget:
        path = tmp_path / "budget.yaml"
        path.write_text(text, encoding="utf-8")
        return load_budget(path, DISPLAY, on or plan)

    return run


def fails(load, text: str, *, on: Plan | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load(text, on)
    return info.value.problems


def wales(plan: Plan) -> Plan:
    service = plan.manifest.service.model_copy(update={"nation": "Wales"})
    return plan.model_copy(update={"manifest": plan.manifest.model_copy(update={"service": service})})


def row(budget: Budget, label: str):
    return next(r for r in budget.rows if r.label == label)


# Money.


@pytest.mark.parametrize(
    ("typed", "pounds"),
    [
        (298303, "298303"),
        ("298,303", "298303"),
        ("£298,303", "298303"),
        (298303.50, "298303.50"),
        ("£1,746,329.05", "1746329.05"),
        (0.1, "0.10"),
        ("-£4,000", "-4000"),
        (None, "0"),
        ("–", "0"),
    ],
)
def test_money_is_read_exactly(typed, pounds):
    assert parse_money(typed) == Decimal(pounds)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lots", "'lots' is not an amount of money; " + HINT),
        ("1,23", "'1,23' is not an amount of money; " + HINT),
        (True, "True is not an amount of money; " + HINT),
        (float("inf"), "inf is not an amount of money; " + HINT),
        (12.345, "12.345 is not a whole number of pence; round it to two decimal places"),
    ],
)
def test_what_is_not_money(typed, message):
    with pytest.raises(ValueError) as info:
        parse_money(typed)
    assert str(info.value) == message


# Seed 002: the pooled budget and the funding outside it.


def test_seed_002_pooled_budget_is_recomputed_from_its_inputs(load):
    budget = load(SEED_002)

    assert budget.warnings == []
    assert budget.total.staffing == 236_556
    assert budget.total.payments_in_kind == 0
    assert budget.total.other_delegated == 1_509_773
    assert budget.total.total == 1_746_329
    assert budget.additional_total == 543_864
    assert budget.service_total == 2_290_193
    assert row(budget, "Local authority").amounts.total == 884_799
    assert row(budget, "Probation: National Probation Service").amounts.total == 112_297
    assert row(budget, "Police and crime commissioner: Police & Crime Commissioner").amounts.total == 169_781
    assert row(budget, "Health").amounts.total == 118_533
    assert row(budget, "YJB youth justice grant").amounts.total == 460_919


def test_rows_follow_the_yjb_order_with_absent_agencies_at_nil_and_no_welsh_row_in_england(load):
    budget = load(SEED_002)

    assert [(r.level, r.label) for r in budget.rows] == [
        (0, "Local authority"),
        (1, "Chief Executives"),
        (1, "C&FS"),
        (1, "Rutland"),
        (0, "Police"),
        (0, "Police and crime commissioner: Police & Crime Commissioner"),
        (0, "Probation: National Probation Service"),
        (1, "Seconded probation officer"),
        (1, "Delegated funds"),
        (1, "Management contribution"),
        (0, "Health"),
        (0, "YJB youth justice grant"),
        (0, "Other"),
    ]
    assert row(budget, "Police").amounts.total == 0


def test_a_welsh_service_gets_the_welsh_government_row(load, plan):
    budget = load("contributions:\n  - agency: welsh-government\n    other_delegated: 120,000\n", wales(plan))

    assert [r.label for r in budget.rows][5] == "Welsh Government"
    assert budget.total.total == 120_000


# Seed 003: in-year variance.


def test_seed_003_variance_tables_add_up(load):
    budget = load(SEED_003)

    assert budget.warnings == [
        "data/budget.yaml:1: year: the budget is for 2022-23 but the plan period is 2025-26",
    ]
    pooled, grant = budget.variance
    assert [line.variance for line in pooled.lines] == [-278, 23, 0, 0, 255, 0]
    assert (pooled.total.actual_to_date, pooled.total.budget, pooled.total.forecast) == (294_871, 318_623, 318_623)
    assert pooled.total.variance == 0
    assert [line.variance for line in grant.lines] == [-1_300, 1_277, 23, 0, 0]
    assert (grant.total.actual_to_date, grant.total.budget, grant.total.forecast) == (255_604, 2_692, 2_692)
    assert grant.total.variance == 0
    assert pooled.code == "350110"


# Author errors: each names the file, line, item and field.


def test_money_that_is_not_a_number(load):
    assert fails(load, "contributions:\n  - agency: police\n    staffing: lots\n") == [
        "data/budget.yaml:3: agency 'police': staffing: 'lots' is not an amount of money; "
        "write pounds such as 298303, '298,303', '£298,303' or 298303.50",
    ]


def test_every_problem_is_reported_at_once_including_in_sub_lines(load):
    text = """\
contributions:
  - agency: local-authority
    lines:
      - name: Children's Services
        staffing: 12.345
      - name: Public Health
        other_delegated: "-£5,000"
additional_funding:
  - {name: Turnaround, amount: plenty}
"""
    assert fails(load, text) == [
        "data/budget.yaml:5: agency 'local-authority', line \"Children's Services\": staffing: "
        "12.345 is not a whole number of pence; round it to two decimal places",
        "data/budget.yaml:7: agency 'local-authority', line 'Public Health': other_delegated: "
        "'-£5,000' is negative; only income lines may be negative",
        "data/budget.yaml:9: funding 'Turnaround': amount: 'plenty' is not an amount of money; "
        "write pounds such as 298303, '298,303', '£298,303' or 298303.50",
    ]


def test_a_negative_amount_in_a_line_that_is_not_income(load):
    text = "variance:\n  - cost_centre: Pooled budget\n    lines:\n      - category: Staffing\n        budget: -5000\n"
    assert fails(load, text) == [
        "data/budget.yaml:5: cost centre 'Pooled budget', line 'Staffing': budget: '-5000' is negative; "
        "only income lines may be negative (mark one with income: true)",
    ]


def test_income_is_negative_and_a_flag_marks_income_with_another_name(load):
    text = """\
variance:
  - cost_centre: YJB grant
    lines:
      - {category: Income, budget: 4000, forecast: -4000}
      - {category: Partner contributions, income: true, budget: -4000, forecast: -4100}
"""
    assert fails(load, text) == [
        "data/budget.yaml:4: cost centre 'YJB grant', line 'Income': budget: "
        "income is written as a negative amount; write -4000",
    ]
    budget = load(text.replace("budget: 4000", "budget: -4000"))
    assert budget.variance[0].total.variance == -100


def test_unknown_agency(load):
    assert fails(load, "contributions:\n  - agency: polce\n    staffing: 1000\n") == [
        "data/budget.yaml:2: agency 'polce': agency: expected one of: local-authority, police, pcc, probation, "
        "health, welsh-government, yjb-grant, other",
    ]


def test_welsh_government_row_in_an_england_plan_is_an_error(load):
    assert fails(load, "contributions:\n  - agency: welsh-government\n    other_delegated: 1000\n") == [
        "data/budget.yaml:2: agency 'welsh-government': agency: the Welsh Government row is only for services "
        "in Wales; plan.yaml has nation England",
    ]


def test_unknown_key_and_missing_key(load):
    text = "contributions:\n  - agency: police\n    staffng: 1000\nadditional_funding:\n  - name: Turnaround\n"
    assert fails(load, text) == [
        "data/budget.yaml:3: agency 'police': staffng: unknown key",
        "data/budget.yaml:5: funding 'Turnaround': amount: required key is missing",
    ]


def test_an_agency_listed_twice_and_amounts_beside_lines(load):
    text = """\
contributions:
  - agency: police
    staffing: 1000
  - agency: police
    staffing: 2000
  - agency: health
    staffing: 3000
    lines:
      - {name: CAMHS, staffing: 3000}
"""
    assert fails(load, text) == [
        "data/budget.yaml:4: agency 'police': agency: listed more than once; use `lines:` to split one agency",
        "data/budget.yaml:6: agency 'health': give amounts either on the agency or in its lines, not both",
    ]


def test_a_year_that_is_not_a_financial_year(load):
    assert fails(load, "year: 2025-27\n") == [
        "data/budget.yaml:1: year: expected a financial year like '2025-26'; got '2025-27'",
    ]


# Stated totals: warnings, and the build goes on with the computed figures.


def test_stated_totals_that_disagree_are_warnings_naming_both_values(load):
    text = (
        SEED_002.replace("stated_total: 884,799", "stated_total: 884,800")
        .replace("stated_total: 1,746,329", "stated_total: £1,746,000")
        .replace("stated_service_total: 2,290,193", "stated_service_total: 2,290,193.50")
    )
    budget = load(text)

    assert budget.warnings == [
        "data/budget.yaml:23: agency 'local-authority': stated_total: stated total £884,800 differs from the "
        "computed total £884,799; the table shows the computed figure",
        "data/budget.yaml:26: stated_total: stated pooled total £1,746,000 differs from the computed pooled total "
        "£1,746,329; the table shows the computed figure",
        "data/budget.yaml:31: stated_service_total: stated total service budget £2,290,193.50 differs from the "
        "computed total service budget £2,290,193.00; the table shows the computed figure",
    ]
    assert budget.total.total == 1_746_329


def test_stated_variance_and_net_budget_are_checked(load):
    text = SEED_003.replace("stated_variance: -278", "stated_variance: 278")
    text = text.replace("stated_budget: 2,692", "stated_budget: 2,962")
    budget = load(text)

    assert budget.warnings[1:] == [
        "data/budget.yaml:7: cost centre 'Pooled budget', line 'Staffing': stated_variance: stated variance £278 "
        "differs from the computed variance -£278; the table shows the computed figure",
        "data/budget.yaml:23: cost centre 'YJB grant': stated_budget: stated net budget £2,962 differs from the "
        "computed net budget £2,692; the table shows the computed figure",
    ]


def test_a_missing_previous_year_total_is_a_warning_and_shown_as_nil(load):
    budget = load("previous_year: 2024-25\ncontributions:\n  - agency: police\n    staffing: 1000\n")

    assert budget.warnings == ["data/budget.yaml:3: agency 'police': no previous_total for 2024-25; shown as £0"]
    assert budget.previous_total == 0


def test_the_example_plan_budget_loads_without_warnings(plan):
    budget = load_budget(REPO / "data" / "budget.yaml", DISPLAY, plan)

    assert budget.warnings == []
    assert budget.total.total == 2_109_807
    assert budget.previous_total == 2_057_876
    assert budget.additional_total == 213_522
    assert budget.service_total == 2_323_329
    assert [t.total.variance for t in budget.variance] == [-7_735, 0]


# The tables drawn in the document.


def render(budget: Budget, plan: Plan, *blocks: str) -> tuple[object, RenderContext]:
    document = open_template(REPO / "templates" / "plan-template.docx", Path("templates/plan-template.docx"))
    ctx = RenderContext(document=document, plan_root=REPO)
    directives = bind_blocks({"budget": budget})
    for block in blocks:
        name, _, argument = block.partition(" ")
        directives[name](ctx, BlockCall(argument, "sections/91-budget.md"))
    return document, ctx


def pounds(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", "").replace("+", ""))


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def assert_accessible(table) -> None:
    assert is_header_row(table.rows[0])
    assert not any(is_header_row(r) for r in table.rows[1:])
    assert all(cell.text.strip() for row in table.rows for cell in row.cells), "no empty cells"
    for tc in table._tbl.iter(qn("w:tc")):
        tc_pr = tc.find(qn("w:tcPr"))
        assert tc_pr is None or (tc_pr.find(qn("w:gridSpan")) is None and tc_pr.find(qn("w:vMerge")) is None)
    assert all(len(row.cells) == len(table.columns) for row in table.rows)


def test_contributions_table_adds_up_in_the_document(load, plan):
    budget = load(SEED_002)
    document, ctx = render(budget, plan, "budget-table")

    contributions, additional = document.tables
    for table in document.tables:
        assert_accessible(table)
    rows = texts(contributions)
    assert rows[0] == ["Agency", "Staffing costs", "Payments in kind", "Other delegated funds", "Total"]
    assert rows[1] == ["Local authority", "£0", "£0", "£884,799", "£884,799"]
    assert rows[-1] == ["Total", "£236,556", "£0", "£1,509,773", "£1,746,329"]
    for cells in rows[1:]:
        assert sum(pounds(c) for c in cells[1:4]) == pounds(cells[4])
    body = contributions.rows[1:-1]
    agency_rows = [r for r in body if r.cells[0].paragraphs[0].paragraph_format.left_indent is None]
    assert len(agency_rows) == 7
    for column in range(1, 5):
        assert sum(pounds(r.cells[column].text) for r in agency_rows) == pounds(rows[-1][column])
    # Each agency's sub-lines add up to the agency row above them.
    groups: list[list] = []
    for r in body:
        if r in agency_rows:
            groups.append([r])
        else:
            groups[-1].append(r)
    for agency_row, *lines in groups:
        if lines:
            assert sum(pounds(r.cells[4].text) for r in lines) == pounds(agency_row.cells[4].text)
    assert all(r.cells[0].paragraphs[0].runs[0].bold for r in contributions.rows[-1:])
    assert texts(additional)[-1] == ["Total", "All sources", "£543,864"]
    assert document.paragraphs[-1].text == (
        "Total service budget 2025-26: £2,290,193 (pooled budget £1,746,329 plus funding outside the pooled "
        "budget £543,864)."
    )
    assert ctx.table_count == 2
    assert len(document.sections) == 1, "five columns fit portrait"


def test_a_previous_year_column_turns_the_page_to_landscape(plan):
    budget = load_budget(REPO / "data" / "budget.yaml", DISPLAY, plan)
    document, ctx = render(budget, plan, "budget-table")

    table = document.tables[0]
    assert_accessible(table)
    rows = texts(table)
    assert rows[0][5:] == ["Total 2024-25", "Change"]
    assert rows[-1] == ["Total", "£1,009,684", "£108,500", "£991,623", "£2,109,807", "£2,057,876", "+£51,931"]
    for cells in rows[1:]:
        assert pounds(cells[4]) - pounds(cells[5]) == pounds(cells[6])
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert ctx.landscape is False


def test_variance_tables_in_the_document(load, plan):
    budget = load(SEED_003)
    document, ctx = render(budget, plan, "budget-variance")

    pooled, grant = document.tables
    for table in (pooled, grant):
        assert_accessible(table)
        rows = texts(table)
        assert rows[0] == ["Category", "Actual to 31 Oct 2022", "Full-year budget", "Forecast to year end", "Variance"]
        for cells in rows[1:]:
            assert pounds(cells[3]) - pounds(cells[2]) == pounds(cells[4])
        for column in range(1, 5):
            assert sum(pounds(cells[column]) for cells in rows[1:-1]) == pounds(rows[-1][column])
    assert texts(pooled)[-2] == ["Income", "-£4,000", "-£228,260", "-£228,260", "£0"]
    assert texts(pooled)[-1] == ["Total", "£294,871", "£318,623", "£318,623", "£0"]
    assert texts(grant)[1] == ["Staffing", "£246,335", "£389,873", "£388,573", "-£1,300"]
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Table 1: Pooled budget (cost centre 350110): budget and forecast 2022-23, as at 31 October 2022",
        "Table 2: YJB grant (cost centre 350030): budget and forecast 2022-23, as at 31 October 2022",
    ]
    assert document.paragraphs[-1].text == (
        "Variance is the forecast minus the full-year budget, so a negative variance is an underspend and a "
        "positive variance an overspend. Income is shown as a negative amount."
    )


def test_one_cost_centre_by_name_and_an_unknown_one(load, plan):
    budget = load(SEED_003)
    document, _ = render(budget, plan, "budget-variance yjb grant")
    assert len(document.tables) == 1

    with pytest.raises(SectionError) as info:
        render(budget, plan, "budget-variance Staffing")
    assert str(info.value) == (
        "sections/91-budget.md: '::: budget-variance Staffing': unknown cost centre; "
        "expected one of: Pooled budget, YJB grant"
    )


def test_no_variance_block_without_variance_tables(load, plan):
    assert placed_by_tool({"budget": load(SEED_002)}) == {"budget": ["budget-table"]}
    assert placed_by_tool({"budget": load(SEED_003)}) == {
        "budget": ["budget-table"],
        "resources-and-services": ["budget-variance"],
    }
    with pytest.raises(SectionError) as info:
        render(load(SEED_002), plan, "budget-variance")
    assert str(info.value) == (
        "sections/91-budget.md: '::: budget-variance' shows budget variance tables, but this plan has no data "
        "for it; add variance tables in the budget file (variance:)"
    )


def test_yaml_errors_and_a_missing_file_name_the_display_path(load, plan, tmp_path):
    problems = fails(load, "year: 2025-26\nyear: 2024-25\n")
    assert problems == ["data/budget.yaml:2: YAML syntax error: duplicate key 'year'"]
    with pytest.raises(ConfigError) as info:
        load_budget(tmp_path / "missing.yaml", DISPLAY, plan)
    assert str(info.value) == "data/budget.yaml: budget file not found"
