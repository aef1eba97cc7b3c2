"""Merge figures into section text, and report what the merged text shows that is not right.

Each section's text is rendered with the figures (`narrative.render_text`); then two things are
reported, each with the file and line: a value typed in `stated(...)` that disagrees with the
figure or calculation beside it, and a figure with no value (missing on purpose in the data,
or not computable), which the text shows as a highlighted 'Not available' placeholder rather
than 'n/a (...)' in the middle of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from plan_builder.figures.figure import Figure
from plan_builder.figures.narrative import render_text
from plan_builder.figures.pending import MARK_END, MARK_START
from plan_builder.figures.stated import keep_typed_digits

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from plan_builder.inputs.sections import Section

PLACEHOLDER = re.compile(f"{MARK_START}(.*?){MARK_END}", re.S)


def merge_section(
    env: ImmutableSandboxedEnvironment,
    section: Section,
    context: Mapping[str, Any],
    figures: Mapping[str, Figure],
    found: list[tuple[int, str]],
) -> tuple[str, list[str]]:
    """Render one section's text; return it with its warnings ('file:line: ...').

    `found` is the list the environment's `stated` filter records into; it is emptied first.
    Raises `SectionError` naming the file and line when the text cannot be rendered.
    """
    found.clear()
    text = render_text(env, keep_typed_digits(section.body), context, path=section.path, first_line=section.body_line)
    warnings = [f"{section.path}:{section.body_line + line - 1}: {message}" for line, message in found]
    return text, warnings + unavailable_in_text(section, text, figures)


def unavailable_in_text(section: Section, text: str, figures: Mapping[str, Figure]) -> list[str]:
    """One warning for each 'Not available' placeholder a figure left in the merged text."""
    missing: dict[str, Figure] = {}
    for candidate in figures.values():
        if candidate.value is None and not candidate.alias_of:  # a figure's own id, not a repeat of it
            missing.setdefault(candidate.placeholder, candidate)
    if not missing or MARK_START not in text:
        return []
    warnings = []
    for match in PLACEHOLDER.finditer(text):
        figure = missing.get(match[1])
        if figure is None:
            continue  # a 'Data due' placeholder: outstanding data is listed on its own
        line = section.body_line + text.count("\n", 0, match.start())
        warnings.append(
            f"{section.path}:{line}: {figure.id} has no value ({figure.reason}); the text shows a highlighted "
            f"'{figure.placeholder}': give the data, or rewrite the sentence"
        )
    return warnings
