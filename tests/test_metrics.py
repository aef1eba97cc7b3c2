"""Figures from raw counts: golden values from the seed documents (domain reference section 7)."""

from __future__ import annotations

import datetime as dt

import pytest

from plan_builder.figures.figure import Polarity, Rag, Unit, format_figure
from plan_builder.figures.indicators import compute_indicator
from plan_builder.figures.measures import FTE, Row, reoffending_indicator
from plan_builder.figures.periods import Period
from plan_builder.figures.rag import direction_of_travel, rate_against_comparator, rate_against_target
from plan_builder.figures.reoffending import annual_from_quarters
from plan_builder.figures.result import PerformanceResult
from plan_builder.inputs.performance_settings import Performance, RagRule

D = dt.date
CONFIG = Performance(area="Service", comparators={"family": "Family", "national": "National"})


def cohort(
    start: dt.date,
    end: dt.date,
    children: int | None,
    reoffenders: int | None,
    reoffences: int | None,
    area: str = "Service",
) -> Row:
    return Row(
        area, Period(start, end), {"children": children, "reoffenders": reoffenders, "reoffences": reoffences}, "t"
    )


def compute(indicator, rows, config=CONFIG) -> PerformanceResult:
    result = PerformanceResult()
    compute_indicator(result, indicator, rows, config)
    return result


def test_reoffences_per_reoffender_seed_000():
    # Leicester Q4 2022-23: 326 reoffences / 49 reoffenders = 6.65 against 119 / 35 = 3.40 (+95.7%).
    rows = [
        cohort(D(2020, 4, 1), D(2021, 3, 31), 200, 35, 119),
        cohort(D(2021, 4, 1), D(2022, 3, 31), 210, 49, 326),
    ]
    figures = compute(reoffending_indicator("annual"), rows).figures
    latest = figures["reoffending.annual.latest.per_reoffender"]
    assert latest.value == pytest.approx(326 / 49)
    assert latest.display == "6.65"
    assert figures["reoffending.annual.previous.per_reoffender"].display == "3.40"
    change = figures["reoffending.annual.change.per_reoffender"]
    assert change.unit is Unit.PERCENT_CHANGE
    assert change.display == "+95.7%"
    assert change.direction == "worsening"


def test_quarterly_binary_rate_seed_001():
    # 14/47 = 29.8% against 12/48 = 25.0%: +4.79 percentage points (same quarter a year earlier).
    rows = [
        cohort(D(2019, 1, 1), D(2019, 3, 31), 48, 12, 26),
        cohort(D(2019, 4, 1), D(2019, 6, 30), 50, 10, 20),
        cohort(D(2020, 1, 1), D(2020, 3, 31), 47, 14, 66),
    ]
    figures = compute(reoffending_indicator("quarterly"), rows).figures
    assert figures["reoffending.quarterly.latest.binary"].display == "29.8%"
    assert figures["reoffending.quarterly.previous.binary"].display == "25.0%"
    change = figures["reoffending.quarterly.change.binary"]
    assert change.unit is Unit.POINTS_CHANGE
    assert change.value == pytest.approx(14 / 47 * 100 - 12 / 48 * 100)
    assert round(change.value, 2) == 4.79
    assert change.display == "+4.8 percentage points"
    # 66/14 = 4.71 against 26/12 = 2.17: +117.6%.
    assert figures["reoffending.quarterly.latest.per_reoffender"].display == "4.71"
    assert figures["reoffending.quarterly.previous.per_reoffender"].display == "2.17"
    assert figures["reoffending.quarterly.change.per_reoffender"].display == "+117.6%"


def test_annual_binary_rate_seed_001():
    # 42/186 = 22.6% against 60/195 = 30.8%: -8.19 percentage points, improving.
    rows = [
        cohort(D(2018, 4, 1), D(2019, 3, 31), 195, 60, 150),
        cohort(D(2019, 4, 1), D(2020, 3, 31), 186, 42, 120),
    ]
    figures = compute(reoffending_indicator("annual"), rows).figures
    assert figures["reoffending.annual.latest.binary"].display == "22.6%"
    assert figures["reoffending.annual.previous.binary"].display == "30.8%"
    change = figures["reoffending.annual.change.binary"]
    assert round(change.value, 2) == -8.19
    assert change.direction == "improving"


def test_frequency_rate_seed_003():
    # 12 of 80 children reoffended with 50 reoffences: 15.0% binary and 0.63 frequency (not 1.12).
    figures = compute(reoffending_indicator("quarterly"), [cohort(D(2022, 1, 1), D(2022, 3, 31), 80, 12, 50)]).figures
    assert figures["reoffending.quarterly.latest.binary"].display == "15.0%"
    frequency = figures["reoffending.quarterly.latest.frequency"]
    assert frequency.value == pytest.approx(0.625)
    assert frequency.display == "0.63"  # half-up rounding, not banker's 0.62


def test_fte_increase_is_never_a_decrease_seed_000():
    # Leicester: 67 -> 80 children, 188 -> 200 per 100,000 was labelled "GREEN - Decrease -14.3%".
    rows = [
        Row("Service", Period(D(2021, 1, 1), D(2021, 12, 31)), {"fte_count": 67, "population_10_17": 35_638}, "t"),
        Row("Service", Period(D(2022, 1, 1), D(2022, 12, 31)), {"fte_count": 80, "population_10_17": 40_000}, "t"),
    ]
    figures = compute(FTE, rows).figures
    assert figures["fte.latest.rate"].display == "200"
    assert figures["fte.previous.rate"].display == "188"
    assert figures["fte.change.count"].display == "+19.4%"
    assert figures["fte.change.rate"].value > 0
    assert figures["fte.change.rate"].display.startswith("+")
    assert figures["fte.latest.rate"].direction == "worsening"
    assert figures["fte.change.count"].direction == "worsening"


def test_custody_rate_uses_the_real_population_seed_001():
    # 9 sentences among about 35,000 children is about 0.26 per 1,000, not the stated 0.11.
    from plan_builder.figures.measures import CUSTODY

    rows = [
        Row(
            "Service",
            Period(D(2021, 1, 1), D(2021, 12, 31)),
            {"custodial_sentences": 9, "population_10_17": 35_000},
            "t",
        )
    ]
    figures = compute(CUSTODY, rows).figures
    assert figures["custody.latest.rate"].display == "0.26"
    assert figures["custody.latest.rate"].basis.endswith("x 1,000")


def test_annual_cohort_sums_quarters_never_averages_rates():
    quarters = [
        cohort(D(2022, 1, 1), D(2022, 3, 31), 10, 5, 10),
        cohort(D(2022, 4, 1), D(2022, 6, 30), 40, 4, 8),
        cohort(D(2022, 7, 1), D(2022, 9, 30), 30, 3, 6),
        cohort(D(2022, 10, 1), D(2022, 12, 31), 20, 2, 4),
    ]
    (annual,) = annual_from_quarters(quarters)
    assert (annual.period.start, annual.period.end) == (D(2022, 1, 1), D(2022, 12, 31))
    assert annual.counts == {"children": 100, "reoffenders": 14, "reoffences": 28}
    figures = compute(reoffending_indicator("annual"), [annual]).figures
    assert figures["reoffending.annual.latest.binary"].value == pytest.approx(14.0)  # mean of rates would be 22.5


def test_annual_cohort_needs_four_consecutive_quarters():
    quarters = [
        cohort(D(2022, 1, 1), D(2022, 3, 31), 10, 5, 10),
        cohort(D(2022, 7, 1), D(2022, 9, 30), 30, 3, 6),
        cohort(D(2022, 10, 1), D(2022, 12, 31), 20, 2, 4),
        cohort(D(2023, 1, 1), D(2023, 3, 31), 20, 2, 4),
    ]
    assert annual_from_quarters(quarters) == []


def test_zero_or_missing_denominator_is_not_available_with_a_reason():
    rows = [cohort(D(2022, 1, 1), D(2022, 3, 31), 0, 0, 0)]
    binary = compute(reoffending_indicator("quarterly"), rows).figures["reoffending.quarterly.latest.binary"]
    assert binary.value is None
    assert binary.display == "n/a (children is zero for Jan-Mar 2022)"
    rows = [Row("Service", Period(D(2022, 1, 1), D(2022, 12, 31)), {"fte_count": 50, "population_10_17": None}, "t")]
    rate = compute(FTE, rows).figures["fte.latest.rate"]
    assert rate.display == "n/a (population_10_17 is missing for Jan-Dec 2022)"


def test_small_cohort_carries_a_caveat():
    figures = compute(reoffending_indicator("quarterly"), [cohort(D(2022, 1, 1), D(2022, 3, 31), 29, 5, 9)]).figures
    assert figures["reoffending.quarterly.latest.binary"].caveat == "small number: 29 children; rates can swing widely"
    figures = compute(reoffending_indicator("quarterly"), [cohort(D(2022, 1, 1), D(2022, 3, 31), 30, 5, 9)]).figures
    assert figures["reoffending.quarterly.latest.binary"].caveat == ""


def test_comparators_and_rag_against_family():
    rows = [
        Row("Service", Period(D(2023, 1, 1), D(2023, 12, 31)), {"fte_count": 50, "population_10_17": 25_000}, "t"),
        Row("Family", Period(D(2023, 1, 1), D(2023, 12, 31)), {"fte_count": 600, "population_10_17": 300_000}, "t"),
        Row(
            "National", Period(D(2023, 1, 1), D(2023, 12, 31)), {"fte_count": 9_000, "population_10_17": 6_000_000}, "t"
        ),
    ]
    figures = compute(FTE, rows).figures
    assert figures["fte.family.rate"].display == "200"
    assert figures["fte.national.rate"].display == "150"
    latest = figures["fte.latest.rate"]
    assert latest.rag is Rag.GREEN  # 200 equals the family's 200
    assert latest.rag_reason == "better than or equal to the YJS family"


def test_rag_rules():
    assert rate_against_target(64.2, Polarity.HIGHER, 65, 5) == (Rag.AMBER, "within 5 of the target of 65")
    assert rate_against_target(66, Polarity.HIGHER, 65, 5)[0] is Rag.GREEN
    assert rate_against_target(59, Polarity.HIGHER, 65, 5)[0] is Rag.RED
    assert rate_against_target(0.5, Polarity.LOWER, 1, 0)[0] is Rag.GREEN
    assert rate_against_comparator(104, Polarity.LOWER, 100, "family", 5)[0] is Rag.AMBER
    assert rate_against_comparator(106, Polarity.LOWER, 100, "family", 5)[0] is Rag.RED
    assert rate_against_comparator(106, Polarity.LOWER, None, "national", 5) == (
        Rag.NOT_RATED,
        "no England and Wales figure for the same period",
    )


def test_rag_override_from_config():
    config = Performance(area="Service", rag={"fte.latest.rate": RagRule(target=150, tolerance=10)})
    rows = [Row("Service", Period(D(2023, 1, 1), D(2023, 12, 31)), {"fte_count": 40, "population_10_17": 25_000}, "t")]
    latest = compute(FTE, rows, config).figures["fte.latest.rate"]
    assert latest.rag is Rag.AMBER
    assert latest.rag_reason == "within 10 of the target of 150"


@pytest.mark.parametrize(
    ("latest", "previous", "polarity", "expected"),
    [
        (200, 188, Polarity.LOWER, "worsening"),
        (188, 200, Polarity.LOWER, "improving"),
        (80, 70, Polarity.HIGHER, "improving"),
        (5, 5, Polarity.LOWER, "no change"),
        (5, 4, Polarity.NEUTRAL, "increased"),
        (5, None, Polarity.LOWER, None),
    ],
)
def test_direction_of_travel(latest, previous, polarity, expected):
    assert direction_of_travel(latest, previous, polarity) == expected


def test_changes_computed_from_unrounded_values():
    # 0.125 -> 0.135 display as 0.13 and 0.14 (half-up); the change, +8.0%, comes from the unrounded values.
    rows = [
        cohort(D(2021, 1, 1), D(2021, 12, 31), 1000, 100, 125),
        cohort(D(2022, 1, 1), D(2022, 12, 31), 1000, 100, 135),
    ]
    figures = compute(reoffending_indicator("annual"), rows).figures
    assert figures["reoffending.annual.latest.frequency"].display == "0.14"
    assert figures["reoffending.annual.previous.frequency"].display == "0.13"
    assert format_figure(figures["reoffending.annual.change.frequency"]) == "+8.0%"
