"""Typed figures: `stated()` in section text and `performance.stated` in plan.yaml, checked at the precision typed.

The example plan's figures: first time entrants 61 of 31,500 children (193.65 per 100,000, shown 194),
52 of 31,200 a year earlier (166.67); KPI 2 (ETE) 61 of 95 children (64.2%); the pooled budget £2,109,807.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_example_plan

from plan_builder import pipeline
from plan_builder.errors import Problems
from plan_builder.figures.stated import parse_typed
from plan_builder.inputs.yamlio import parse_yaml

SECTION = "sections/09-performance.md"


def merged(tmp_path: Path, text: str) -> tuple[list[str], list[str], str, int]:
    """Add `text` to the performance section; return (its warnings, errors, its merged text, its line)."""
    plan = copy_example_plan(tmp_path)
    section = plan / SECTION
    section.write_text(section.read_text() + "\n" + text + "\n", encoding="utf-8")
    problems = Problems()
    inputs = pipeline.load(plan, problems)
    computed = pipeline.compute(inputs, problems)
    shown = next(r.text for r in computed.rendered if r.section.path == plan / SECTION) if not problems else ""
    prefix = f"{plan / SECTION}:"
    ours = [w.removeprefix(prefix) for w in computed.warnings if w.startswith(prefix)]
    errors = [e.removeprefix(prefix) for e in problems.messages]
    return ours, errors, shown.rstrip("\n").rsplit("\n", 1)[-1], len(section.read_text().splitlines())


@pytest.mark.parametrize(
    ("typed", "value", "places", "unit"),
    [
        ("15.0", "15.0", 1, ""),
        (15, "15", 0, ""),
        (6.65, "6.65", 2, ""),
        ("24%", "24", 0, "%"),
        ("26.0 %", "26.0", 1, "%"),
        ("£1,234", "1234", 0, "£"),
        ("-£4,000.50", "-4000.50", 2, "£"),
        ("+4.8", "4.8", 1, ""),
        ("−14.3%", "-14.3", 1, "%"),
    ],
)
def test_typed_values_keep_their_kind_and_precision(typed, value, places, unit):
    parsed = parse_typed(typed)
    assert (str(parsed.value), parsed.places, parsed.unit) == (value, places, unit)


@pytest.mark.parametrize("typed", ["lots", "12a", "£5%", "", True, None, [1]])
def test_what_is_not_a_typed_number_is_refused(typed):
    with pytest.raises(ValueError, match="expected a typed number such as 15.0, '24%' or '£1,234'|both money"):
        parse_typed(typed)


def test_a_yaml_float_keeps_the_digits_it_was_typed_with():
    doc = parse_yaml("a: 15.0\nb: 6.650\nc: 15\n", Path("x.yaml"))
    assert [parse_typed(doc.data[k]).places for k in "abc"] == [1, 3, 0]


def test_a_percentage_is_checked_against_a_percentage(tmp_path):
    warnings, errors, shown, line = merged(
        tmp_path,
        'ETE: {{ kpi.ete.latest.suitable | stated("64%") }} and {{ kpi.ete.latest.suitable | stated("60%") }}.',
    )
    assert errors == []
    assert shown == "ETE: 64.2% and 64.2%."
    assert warnings == [
        f"{line}: stated 60% for kpi.ete.latest.suitable (KPI 2 Education, training and employment: Children in "
        "suitable ETE at the end of their intervention) but the data give 64.2% (suitable.numerator 61, "
        "suitable.denominator 95)"
    ]


def test_a_value_of_another_kind_is_a_mismatch_not_a_pass(tmp_path):
    warnings, _, _, line = merged(tmp_path, 'FTE: {{ fte.latest.rate | stated("24%") }}.')
    assert warnings == [f"{line}: stated '24%' is a percentage, but fte.latest.rate is a rate per 100,000"]
    (tmp_path / "2").mkdir()
    warnings, _, _, line = merged(tmp_path / "2", 'FTE: {{ fte.latest.rate | stated("£194") }}.')
    assert warnings == [f"{line}: stated '£194' is an amount of money, but fte.latest.rate is a rate per 100,000"]


def test_money_is_checked_against_a_structured_total(tmp_path):
    text = 'Pooled: {{ budget.total | stated("£2,109,807") }}; {{ budget.total | stated("£2,100,000") }}.'
    warnings, errors, shown, line = merged(tmp_path, text)
    assert errors == []
    assert shown == "Pooled: £2,109,807; £2,109,807."
    assert warnings == [
        f"{line}: stated £2,100,000 for budget.total (Budget: pooled total) but the data give £2,109,807 "
        "(staffing 1,009,684, payments_in_kind 108,500, other_delegated 991,623)"
    ]


def test_a_trailing_zero_is_a_decimal_place_typed(tmp_path):
    # 193.65 rounds to 193.7 at one decimal place: a typed 194.0 claims 194.0, so it disagrees; 194 agrees.
    text = 'A: {{ fte.latest.rate | stated(194) }}. B: {{ fte.latest.rate | stated(194.0) }}. C: {{ fte.latest.rate | stated("194.0") }}.'
    warnings, _, _, line = merged(tmp_path, text)
    mismatch = (
        f"{line}: stated 194.0 for fte.latest.rate (First time entrants: First time entrants per 100,000 children "
        "aged 10-17) but the data give 194 (fte_count 61, population_10_17 31,500)"
    )
    assert warnings == [mismatch, mismatch]


def test_arithmetic_of_figures_is_checked_and_shown_at_the_precision_typed(tmp_path):
    text = (
        "Up by {{ (fte.latest.count - fte.previous.count) | stated(9) }}, not "
        "{{ (fte.latest.count.value - fte.previous.count.value) | stated(5) }}; "
        'rate {{ (fte.latest.rate - fte.previous.rate) | stated("27.0") }}.'
    )
    warnings, errors, shown, line = merged(tmp_path, text)
    assert errors == []
    assert shown == "Up by 9, not 9; rate 27.0."
    assert warnings == [f"{line}: stated 5, but the calculation gives 9"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "{{ fte.latest | stated(194) }}",
            "stated(194) can check a figure or a number worked out from figures; got the group 'fte.latest' "
            "(name one figure in it, e.g. 'fte.latest.<name>')",
        ),
        (
            "{{ 'many' | stated(3) }}",
            "stated(3) can check a figure or a number worked out from figures; got str 'many'",
        ),
        (
            "{{ fte.latest.rate | stated('lots') }}",
            "stated(): expected a typed number such as 15.0, '24%' or '£1,234'; got 'lots'",
        ),
    ],
)
def test_what_stated_cannot_check_is_an_error_naming_the_line(tmp_path, expression, message):
    warnings, errors, _, line = merged(tmp_path, f"Text {expression}.")
    assert errors == [f"{line}: {message}"]


def test_plan_yaml_stated_values_are_typed_values_too(tmp_path, capsys):
    from plan_builder.commands.cli import main

    plan = copy_example_plan(tmp_path)
    manifest = plan / "plan.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "  small_denominator: 30\n",
            '  small_denominator: 30\n  stated:\n    fte.latest.rate: 194.0\n    kpi.ete.latest.suitable: "64%"\n'
            '    fte.latest.count: "24%"\n',
        )
    )
    assert main(["figures", str(plan)]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if "plan.yaml" in line]
    lines = manifest.read_text().splitlines()
    at = {
        key: lines.index(next(t for t in lines if t.strip().startswith(key))) + 1
        for key in ("fte.latest.rate:", "fte.latest.count:")
    }
    assert [e for e in err if "stated" in e] == [
        f"warning: {manifest}:{at['fte.latest.rate:']}: stated 194.0 for fte.latest.rate (First time entrants: First "
        "time entrants per 100,000 children aged 10-17) but the data give 194 (fte_count 61, population_10_17 31,500)",
        f"warning: {manifest}:{at['fte.latest.count:']}: stated '24%' is a percentage, but fte.latest.count is a count",
    ]


def test_a_plan_yaml_stated_value_that_is_not_a_number_is_an_error(tmp_path, capsys):
    from plan_builder.commands.cli import main

    plan = copy_example_plan(tmp_path)
    manifest = plan / "plan.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "  small_denominator: 30\n", "  small_denominator: 30\n  stated:\n    fte.latest.rate: about 190\n"
        )
    )
    line = manifest.read_text().splitlines().index("    fte.latest.rate: about 190") + 1
    assert main(["check", str(plan)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert (
        f"error: {manifest}:{line}: performance.stated.fte.latest.rate: expected a typed number such as 15.0, '24%' or '£1,234'; got 'about 190'"
        in err
    )
