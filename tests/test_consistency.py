"""Narrative consistency (`plan_builder.checks.consistency`): words and typed numbers against computed figures.

Figures come from the metrics stage on the seed counts (domain reference section 7):
seed 000's first time entrants (67 of 35,638 children, then 80 of 40,000: 188 -> 200
per 100,000, +6.4%, worsening) and seed 003's reoffending cohort (12 of 80 children
reoffended, 50 reoffences: frequency 0.625, shown 0.63; a year earlier 112 / 100 = 1.12).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plan_builder.checks.consistency import ALIAS_INITIALS, ALIASES, check_narrative
from plan_builder.figures.figure import Figure, Polarity, Unit
from plan_builder.figures.indicators import compute_indicator
from plan_builder.figures.measures import FTE, Row, reoffending_indicator
from plan_builder.figures.performance import compute_performance, load_performance_data
from plan_builder.figures.periods import Period
from plan_builder.figures.result import PerformanceResult
from plan_builder.inputs.config import load_plan
from plan_builder.inputs.performance_settings import Performance
from plan_builder.inputs.sections import split_front_matter

REPO_ROOT = Path(__file__).resolve().parent.parent
SECTION = Path("sections/09-performance.md")
D = dt.date
CONFIG = Performance(area="Service", comparators={"family": "Family"})


def _figures() -> dict[str, Figure]:
    result = PerformanceResult()
    fte = [
        Row("Service", Period(D(2021, 1, 1), D(2021, 12, 31)), {"fte_count": 67, "population_10_17": 35_638}, "t"),
        Row("Service", Period(D(2022, 1, 1), D(2022, 12, 31)), {"fte_count": 80, "population_10_17": 40_000}, "t"),
        Row("Family", Period(D(2022, 1, 1), D(2022, 12, 31)), {"fte_count": 470, "population_10_17": 314_500}, "t"),
    ]
    compute_indicator(result, FTE, fte, CONFIG)
    reoffending = [
        Row(
            "Service",
            Period(D(2020, 4, 1), D(2021, 3, 31)),
            {"children": 100, "reoffenders": 30, "reoffences": 112},
            "t",
        ),
        Row(
            "Service", Period(D(2021, 4, 1), D(2022, 3, 31)), {"children": 80, "reoffenders": 12, "reoffences": 50}, "t"
        ),
    ]
    compute_indicator(result, reoffending_indicator("annual"), reoffending, CONFIG)
    return result.figures


FIGURES = _figures()


def check(text: str, figures: dict[str, Figure] = FIGURES, first_line: int = 4) -> list[str]:
    return check_narrative([(SECTION, first_line, text)], figures)


def test_the_seed_figures():
    assert FIGURES["fte.previous.rate"].display == "188"
    assert FIGURES["fte.latest.rate"].display == "200"
    assert FIGURES["fte.change.rate"].display == "+6.4%"
    assert FIGURES["fte.latest.rate"].direction == "worsening"
    assert FIGURES["reoffending.annual.latest.frequency"].display == "0.63"
    assert FIGURES["fte.family.rate"].display == "149"


# The canonical case: seed 000.


def test_seed_000_decrease_for_a_rate_that_rose():
    text = "First Time Entrants: GREEN - Decrease -14.3%. The rate rose from 188 to 200 per 100,000."
    assert check(text) == [
        "sections/09-performance.md:4: says 'Decrease' next to 'First Time Entrants' (fte.change.rate), "
        "but it rose (+6.4%, worsening)",
        "sections/09-performance.md:4: '-14.3%' next to 'First Time Entrants' disagrees with "
        "fte.change.rate = +6.4% (188 to 200)",
    ]


def test_seed_000_as_typed_with_a_dash_and_a_space_before_the_percent_sign():
    assert check("First Time Entry Rate: GREEN – Decrease -14.3 %") == [
        "sections/09-performance.md:4: says 'Decrease' next to 'First Time Entry Rate' (fte.change.rate), "
        "but it rose (+6.4%, worsening)",
        "sections/09-performance.md:4: '-14.3 %' next to 'First Time Entry Rate' disagrees with "
        "fte.change.rate = +6.4% (188 to 200)",
    ]


# Check 1: direction words next to a merged figure.


def test_fell_next_to_a_figure_that_rose():
    assert check("Intro.\n\nThe rate fell to {{ fte.latest.rate }} per 100,000 children.\n") == [
        "sections/09-performance.md:6: says 'fell' next to fte.latest.rate, but it rose (+6.4%, worsening)"
    ]


def test_decreased_next_to_a_change_that_rose():
    assert check("The rate decreased by {{ fte.change.rate | change }}.") == [
        "sections/09-performance.md:4: says 'decreased' next to fte.change.rate, but it rose (+6.4%, worsening)"
    ]


def test_improved_next_to_a_figure_that_worsened():
    assert check("First time entrants improved, to {{ fte.latest.rate }} per 100,000.") == [
        "sections/09-performance.md:4: says 'improved' next to fte.latest.rate, but it worsened (+6.4%, worsening)"
    ]


def test_worsened_next_to_a_lower_is_better_figure_that_fell():
    # The binary rate fell from 30.0% to 15.0%: lower is better, so it improved.
    assert check("The binary rate worsened to {{ reoffending.annual.latest.binary }}.") == [
        "sections/09-performance.md:4: says 'worsened' next to reoffending.annual.latest.binary, "
        "but it improved (-15.0 percentage points, improving)"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The rate rose to {{ fte.latest.rate }} per 100,000, up from {{ fte.previous.rate }}.",
        "The rate worsened: an increase of {{ fte.change.rate }} on {{ fte.previous.period }}.",
        "The binary rate fell to {{ reoffending.annual.latest.binary }}, an improvement of "
        "{{ reoffending.annual.change.binary | pp }}.",
        # Each word describes the figure nearest to it.
        "Reoffending fell to {{ reoffending.annual.latest.binary }} while the rate of first time entrants "
        "rose to {{ fte.latest.rate }}.",
        # Hedged, negated, compared, or about the measure in general.
        "Our aim is a reduction from {{ fte.latest.rate }}.",
        "We want the rate to fall to {{ fte.family.rate }} or below {{ fte.latest.rate }}.",
        "The rate did not fall: it is {{ fte.latest.rate }}.",
        "The rate of {{ fte.latest.rate }} is higher than the family's {{ fte.family.rate }}.",
        "For this measure lower is better: {{ fte.latest.rate }}.",
        "The family's rate fell to {{ fte.family.rate }}.",
        # A direction word in another sentence, or outside the window.
        "The rate is {{ fte.latest.rate }}. Exclusions fell.",
        "Exclusions from school fell sharply over the year, and a new panel met monthly, and the rate is "
        "{{ fte.latest.rate }}.",
    ],
)
def test_consistent_or_unclear_direction_words_yield_nothing(text):
    assert check(text) == []


def test_each_word_is_read_against_the_figure_nearest_to_it():
    text = (
        "Reoffending rose to {{ reoffending.annual.latest.binary }} while the rate of first time entrants "
        "fell to {{ fte.latest.rate }}."
    )
    assert check(text) == [
        "sections/09-performance.md:4: says 'rose' next to reoffending.annual.latest.binary, "
        "but it fell (-15.0 percentage points, improving)",
        "sections/09-performance.md:4: says 'fell' next to fte.latest.rate, but it rose (+6.4%, worsening)",
    ]


def test_conditional_text_is_checked_only_in_the_branch_shown():
    shown_when_it_rose = (
        "{% if fte.change.rate.value > 0 %}The rate rose to {{ fte.latest.rate }}."
        "{% else %}The rate fell to {{ fte.latest.rate }}.{% endif %}"
    )
    assert check(shown_when_it_rose) == []
    inverted = shown_when_it_rose.replace("> 0", "< 0")
    assert check(inverted) == [
        "sections/09-performance.md:4: says 'fell' next to fte.latest.rate, but it rose (+6.4%, worsening)"
    ]
    assert check("{% if fte.latest.period == 'x' %}The rate fell to {{ fte.latest.rate }}.{% endif %}") == []


# Check 2: numbers typed next to a figure's name.


def test_a_typed_number_that_disagrees():
    # Seed 003 typed the previous cohort's frequency (1.12) for the latest one (50 / 80 = 0.63).
    text = "12 reoffended, committing 50 further offences\n(frequency rate average of 1.12)."
    assert check(text) == [
        "sections/09-performance.md:5: '1.12' next to 'frequency rate' disagrees with "
        "reoffending.annual.latest.frequency = 0.63 (reoffences 50 / children 80)"
    ]


def test_from_and_to_are_checked_against_the_previous_and_latest_figures():
    assert check("The frequency rate fell from 1.12 to 0.63.") == []
    assert check("The FTE rate rose from 188 to 210 per 100,000.") == [
        "sections/09-performance.md:4: '210' next to 'FTE rate' disagrees with "
        "fte.latest.rate = 200 (fte_count 80 / population_10_17 40,000)"
    ]


def test_a_typed_change_that_disagrees():
    assert check("The FTE rate rose by 16.2% on the year before.") == [
        "sections/09-performance.md:4: '16.2%' next to 'FTE rate' disagrees with fte.change.rate = +6.4% (188 to 200)"
    ]


def test_the_previous_or_a_comparator_value_needs_a_cue():
    assert check("The FTE rate was 188.") == [
        "sections/09-performance.md:4: '188' next to 'FTE rate' disagrees with "
        "fte.latest.rate = 200 (fte_count 80 / population_10_17 40,000)"
    ]
    assert check("In 2021 the FTE rate was 188.") == []
    assert check("The FTE rate was 188 the year before.") == []
    assert check("The YJS family's FTE rate is 149.") == []


def test_typed_numbers_that_agree_after_rounding_yield_nothing():
    binary = Figure(
        "reoffending.annual.latest.binary",
        "Reoffending (annual cohort): Binary reoffending rate",
        42 / 186 * 100,
        Unit.PERCENT,
        inputs={"reoffenders": 42, "children": 186},
        polarity=Polarity.LOWER,
    )
    assert check("The frequency rate of 0.63 and a rate of 0.6 reoffences per child, frequency rate 0.625.") == []
    assert check("A binary rate of 22.6%, binary reoffending rate 23%.", {binary.id: binary}) == []
    assert check("The FTE rate: 200 per 100,000. First time entrants: 80 young people.") == []


def test_kpi_and_local_indicator_labels_are_names_too():
    feedback = Figure(
        "local.feedback_rate.latest",
        "Children giving feedback at the end of their intervention",
        41 / 52 * 100,
        Unit.PERCENT,
        inputs={"numerator": 41, "denominator": 52},
        polarity=Polarity.HIGHER,
    )
    figures = {feedback.id: feedback}
    assert check("Children giving feedback at the end of their intervention: 78.8%.", figures) == []
    assert check("Children giving feedback at the end of their intervention: 72%.", figures) == [
        "sections/09-performance.md:4: '72%' next to 'Children giving feedback at the end of their intervention' "
        "disagrees with local.feedback_rate.latest = 78.8% (numerator 41 / denominator 52)"
    ]


def test_labels_beginning_with_any_letter_or_sign_are_found():
    """The search skips words by their first letter: a label's own first letter must be let through."""
    for label, typed in (("Young people in suitable accommodation", "72%"), ("% in suitable education", "72%")):
        figure = Figure(
            "local.x.latest", label, 41 / 52 * 100, Unit.PERCENT, inputs={"numerator": 41, "denominator": 52}
        )
        assert check(f"{label}: {typed}.", {figure.id: figure}) == [
            f"sections/09-performance.md:4: '{typed}' next to '{label}' disagrees with local.x.latest = 78.8% "
            "(numerator 41 / denominator 52)"
        ]


def test_every_alias_begins_with_one_of_the_declared_initials():
    from re import _parser  # type: ignore[attr-defined]

    def initials(items) -> set[str]:
        """Letters a parsed pattern can begin with (the subset of regex syntax ALIASES uses)."""
        op, value = str(items[0][0]), items[0][1]
        if op == "LITERAL":
            return {chr(value).lower()}
        if op == "IN":
            return {chr(v).lower() for o, v in value}
        if op == "SUBPATTERN":
            return initials(value[3])
        if op == "BRANCH":
            return set().union(*(initials(branch) for branch in value[1]))
        assert op == "MAX_REPEAT" and value[0] == 0, op  # an optional group: it or what follows
        return initials(value[2]) | initials(items[1:])

    for alias in ALIASES:
        assert initials(list(_parser.parse(alias))) <= set(ALIAS_INITIALS), alias


@pytest.mark.parametrize(
    "text",
    [
        "{{ reoffending.annual.latest.frequency | stated(1.12) }} reoffences per child.",
        "The FTE rate per 100,000 children aged 10-17 is {{ fte.latest.rate }}.",
        "In 2024, 31,500 children aged 10-17 lived in the borough, and 1.12 is not near a name.",
        "The reoffending rate is measured over 12 months for 80 children.",
        "First time entrants: the 2022-23 data.",
        "| FTE rate | 150 |",
        "::: chart fte.rate 150",
    ],
)
def test_numbers_in_expressions_or_away_from_names_yield_nothing(text):
    assert check(text) == []


def test_warnings_are_in_text_order_across_sections():
    sections = [
        (Path("sections/a.md"), 4, "Intro.\nThe rate fell to {{ fte.latest.rate }}.\n"),
        (Path("sections/b.md"), 10, "The frequency rate was 1.12. The FTE rate was 210."),
    ]
    assert check_narrative(sections, FIGURES) == [
        "sections/a.md:5: says 'fell' next to fte.latest.rate, but it rose (+6.4%, worsening)",
        "sections/b.md:10: '1.12' next to 'frequency rate' disagrees with "
        "reoffending.annual.latest.frequency = 0.63 (reoffences 50 / children 80)",
        "sections/b.md:10: '210' next to 'FTE rate' disagrees with "
        "fte.latest.rate = 200 (fte_count 80 / population_10_17 40,000)",
    ]


def test_windows_line_endings_an_en_dash_minus_and_no_figures():
    assert check("Intro.\r\n\r\nThe FTE rate: GREEN, down –14.3%.\r\n") == [
        "sections/09-performance.md:6: says 'down' next to 'FTE rate' (fte.change.rate), "
        "but it rose (+6.4%, worsening)",
        "sections/09-performance.md:6: '–14.3%' next to 'FTE rate' disagrees with fte.change.rate = +6.4% (188 to 200)",
    ]
    assert check("The FTE rate fell to 150 and {{ fte.latest.rate }} fell.", {}) == []


# The example plan must be consistent with its own data.


def test_the_example_plan_is_consistent():
    plan = load_plan(REPO_ROOT)
    figures = compute_performance(plan, load_performance_data(plan)).figures
    sections = []
    for entry in [*plan.manifest.sections, *plan.manifest.appendices]:
        text = plan.path(entry.file).read_text(encoding="utf-8")
        _, body, body_line = split_front_matter(text, Path(entry.file))
        sections.append((Path(entry.file), body_line, body))
    assert len(sections) > 10
    assert check_narrative(sections, figures) == []


# Percentages typed beside their counts, checked by arithmetic wherever they appear.


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Of the children we worked with, 36% (4 out of 14) were in education.",
            "'36% (4 out of 14)': 4 out of 14 is 28.6%, not 36%",
        ),
        ("In June 40 of 154 children (30%) reoffended.", "'40 of 154 children (30%)': 40 out of 154 is 26.0%, not 30%"),
        (
            "Attendance was 75.0 per cent (3 of 5 partners).",
            "'75.0 per cent (3 of 5 partners)': 3 out of 5 is 60.0%, not 75.0%",
        ),
        ("Nobody: 0% (0 out of 0).", "'0% (0 out of 0)': 0 out of 0 cannot be a percentage (nothing to divide by)"),
    ],
)
def test_a_percentage_beside_its_counts_is_checked_by_arithmetic(text, problem):
    assert check(text, {}) == [f"sections/09-performance.md:4: {problem}"]


@pytest.mark.parametrize(
    "text",
    [
        "29% (4 out of 14) were in education, and 40 of 154 children (26.0%) reoffended.",
        "26% (40 of 154) reoffended; 28.6 per cent (4 out of 14) attended.",
        "{{ kpi.ete.latest.suitable }} (4 out of 14) attended.",
        "In 2024, 3 of 5 partners attended (see section 4).",
    ],
)
def test_percentages_that_agree_with_their_counts_yield_nothing(text):
    assert check(text, {}) == []


# 'The number of X' is a count: a rate typed for it is reported as such.


def _falling_fte() -> dict[str, Figure]:
    result = PerformanceResult()
    rows = [
        Row("Service", Period(D(2021, 1, 1), D(2021, 12, 31)), {"fte_count": 60, "population_10_17": 32_800}, "t"),
        Row("Service", Period(D(2022, 1, 1), D(2022, 12, 31)), {"fte_count": 50, "population_10_17": 32_700}, "t"),
    ]
    compute_indicator(result, FTE, rows, CONFIG)
    return result.figures


def test_the_number_of_first_time_entrants_given_as_a_rate():
    figures = _falling_fte()
    assert (figures["fte.previous.rate"].display, figures["fte.latest.rate"].display) == ("183", "153")
    assert check("The number of first-time entrants reduced from 183 to 153.", figures) == [
        "sections/09-performance.md:4: '183' is given as the number of first-time entrants, but it is "
        "fte.previous.rate (rate per 100,000), not a number; the number is fte.previous.count = 60",
        "sections/09-performance.md:4: '153' is given as the number of first-time entrants, but it is "
        "fte.latest.rate (rate per 100,000), not a number; the number is fte.latest.count = 50",
    ]
    assert check("The number of first-time entrants reduced from 60 to 50.", figures) == []
    assert check("The rate of first-time entrants reduced from 183 to 153.", figures) == []


# A typed number is compared only with figures of its own kind.


@pytest.mark.parametrize(
    "text",
    [
        # 50 is the number of reoffences, not the binary rate (15.0%): a plain number is not a percentage.
        "The binary rate fell, with 50 proven reoffences by 12 children.",
        "The binary reoffending rate was 15.0% and 50 proven reoffences were recorded.",
    ],
)
def test_a_plain_number_is_not_compared_with_a_percentage(text):
    assert check(text) == []


def test_a_percentage_is_not_compared_with_a_rate_or_a_count():
    assert check("The FTE rate was 45%.") == []  # a rate per 100,000 is not a percentage
    assert check("The binary rate was 35.0%.") == [
        "sections/09-performance.md:4: '35.0%' next to 'binary rate' disagrees with "
        "reoffending.annual.latest.binary = 15.0% (reoffenders 12 / children 80)"
    ]
