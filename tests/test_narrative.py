"""The narrative stage (`plan_builder.figures.narrative`): figures merged into untrusted section text.

Section text is rendered by a sandboxed Jinja environment. An unknown name is an
error naming the file, the line and the name; object internals, includes and
imports are refused. Bodies start on line 4 of a section file (after a three-line
front matter), so the body's third line is line 6.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import section_text
from hypothesis import given, settings
from hypothesis import strategies as st

from plan_builder.errors import SectionError
from plan_builder.figures.filters import FILTERS
from plan_builder.figures.narrative import make_environment, namespace, render_text

CHILD_FIRST = "sections/03-child-first.md"


def render(source: str, context: dict | None = None) -> str:
    env = make_environment(FILTERS)
    return render_text(env, source, context or {}, path=Path("s.md"), first_line=10)


def render_error(source: str, context: dict | None = None) -> list[str]:
    with pytest.raises(SectionError) as caught:
        render(source, context)
    return caught.value.problems


FIGURES = {"fte": namespace("fte", {"latest": {"rate": 151.5, "count": 42}})}


# Through the CLI: the cases an author meets first.


def test_unknown_figure_name(build_fails):
    build_fails(
        {CHILD_FIRST: section_text("child-first", "Intro.\n\nThe rate was {{ fte.latest.rate }} per 100,000.\n")},
        f"{CHILD_FIRST}:6: unknown name 'fte'",
    )


def test_object_internals_are_refused(build_fails):
    build_fails(
        {CHILD_FIRST: section_text("child-first", "Intro.\n\nSee {{ ''.__class__.__mro__ }} here.\n")},
        f"{CHILD_FIRST}:6: not allowed in section text: access to attribute '__class__' of 'str' object is unsafe.",
    )


def test_includes_are_refused_at_their_line(build_fails):
    build_fails(
        {CHILD_FIRST: section_text("child-first", "Intro.\n\n{% include '/etc/passwd' %}\n")},
        f"{CHILD_FIRST}:6: includes and imports are not allowed in section text",
    )


def test_includes_are_refused(make_plan, run_cli):
    root = make_plan({CHILD_FIRST: section_text("child-first", "Intro.\n\n{% include '/etc/passwd' %}\n")})

    run = run_cli(["build"], cwd=root)

    assert run.code == 1
    assert run.err.endswith(": includes and imports are not allowed in section text\n")
    assert run.err.startswith(f"error: {CHILD_FIRST}:")
    assert "root:" not in run.err
    assert not (root / "output").exists()


def test_template_syntax_error_names_the_line(build_fails):
    build_fails(
        {CHILD_FIRST: section_text("child-first", "Intro.\n\nThe rate was {{ fte.latest.rate per 100,000.\n")},
        f"{CHILD_FIRST}:6: template syntax error: expected token 'end of print statement', got 'per'",
    )


# The stage itself, with figures in the context.


def test_known_figures_render():
    assert render("Rate {{ fte.latest.rate }}, {{ fte.latest.count }} children.", FIGURES) == "Rate 151.5, 42 children."


def test_misspelt_figure_gives_the_full_dotted_name_and_line():
    assert render_error("one\ntwo\n{{ fte.latest.rat }}\n", FIGURES) == ["s.md:12: unknown name 'fte.latest.rat'"]


def test_attribute_of_a_number_is_reported_with_its_type():
    assert render_error("{{ fte.latest.rate.value }}", FIGURES) == ["s.md:10: unknown name 'value' on a float value"]


def test_jinja_globals_are_removed():
    assert render_error("{{ range(10) | list }}") == ["s.md:10: unknown name 'range'"]
    assert render_error("{{ lipsum() }}") == ["s.md:10: unknown name 'lipsum'"]


def test_private_names_of_a_namespace_are_refused():
    assert render_error("{{ fte._values }}", FIGURES) == [
        "s.md:10: not allowed in section text: unknown name 'fte._values'"
    ]


def test_imports_are_refused():
    assert render_error("{% import 'macros' as m %}") == [
        "s.md:10: includes and imports are not allowed in section text"
    ]


def test_arithmetic_error_names_the_line():
    assert render_error("a\n{{ 1 / 0 }}") == ["s.md:11: cannot render expression: division by zero"]


def test_long_date_filter_formats_gov_uk_style():
    assert render("{{ day | long_date }}", {"day": dt.date(2025, 6, 4)}) == "4 June 2025"


def test_long_date_of_a_non_date_is_an_author_error():
    assert render_error("{{ '2025-05-30' | long_date }}") == [
        "s.md:10: cannot render expression: long_date expects a date; got '2025-05-30'"
    ]


def test_text_without_fields_is_unchanged():
    text = "Plain text with {braces} and 100% of children.\n"
    assert render(text) == text


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_characters="{\r", blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"),
        max_size=200,
    )
)
def test_text_without_template_syntax_is_returned_exactly_as_jinja_would(text):
    env = make_environment(FILTERS)
    rendered = render_text(env, text, {}, path=Path("sections/x.md"), first_line=4)
    assert rendered == env.from_string(text).render({})


def test_the_same_template_text_compiles_once_per_process():
    from plan_builder.figures import narrative

    env = make_environment(FILTERS)
    source = "{{ 1 + 1 }} and {{ 'x' | upper }} " + "unique-3f9a"
    assert env.from_string(source).render() == "2 and X unique-3f9a"
    compiled = [key for key in narrative._CODE_CACHE if key[0] == source]
    assert len(compiled) == 1
    assert make_environment(FILTERS).from_string(source).render() == "2 and X unique-3f9a"
    assert [key for key in narrative._CODE_CACHE if key[0] == source] == compiled


def test_random_choices_are_not_available_so_builds_are_repeatable():
    env = make_environment(FILTERS)
    with pytest.raises(SectionError, match=r"s\.md:5: template syntax error: No filter named 'random'"):
        render_text(env, "x\n{{ [1, 2] | random }}", {}, path=Path("s.md"), first_line=4)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'x' * 10**10 }}", "repeating a value 10,000,000,000 times makes it too long"),
        ("{{ 2 ** 100000000 }}", "raising a number to the power 100,000,000 makes it too large"),
        ("{{ (((7**1000)**1000)**1000) is number }}", "raising a number to the power 1,000 makes it too large"),
        ('{% set a = "x" * 100000 %}{{ ([a] * 100000) | join }}', "joining these values makes the text too long"),
        ('{{ "x" | center(2000000000) }}', "a size of 2,000,000,000 is too large"),
        ('{{ "x".ljust(2000000000) }}', "a size of 2,000,000,000 is too large"),
        ('{{ "x" | indent(200000000) }}', "a size of 200,000,000 is too large"),
        ("{{ ('x' * 1000000) | replace('x', 'y' * 20) }}", "the replacement makes the text too long"),
        (
            '{{ "%02000000000d" | format(1) }}',
            "a number of a million or more in a format string (a width or precision) is too large",
        ),
        (
            '{{ "{:>2000000000}".format(1) }}',
            "a number of a million or more in a format string (a width or precision) is too large",
        ),
    ],
)
def test_expressions_that_would_exhaust_memory_or_time_are_refused(source, message):
    env = make_environment(FILTERS)
    with pytest.raises(SectionError) as caught:
        render_text(env, source, {}, path=Path("s.md"), first_line=4)
    assert str(caught.value) == f"s.md:4: not allowed in section text: {message}"
    ordinary = "{{ 'ab' * 3 }} {{ 2 ** 10 }} {{ 3 * 4 }} {{ [1, 2] | join(', ') }} {{ '%.1f' | format(2.345) }}"
    assert render_text(env, ordinary, {}, path=Path("s.md"), first_line=4) == "ababab 1024 12 1, 2 2.3"
