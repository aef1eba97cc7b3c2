"""A document as a whole: its title, cover fields, running header and footer, properties.

Everything a reader sees about the document itself (as opposed to its sections) is decided
here, from plan.yaml and the document's kind: the plan says "Youth Justice Plan 2025-26", a
board report "Performance report to the management board, Jan-Mar 2025".
"""

from __future__ import annotations

from typing import Any

from plan_builder import palette
from plan_builder.figures.formatting import long_date
from plan_builder.inputs.config import Plan
from plan_builder.inputs.kinds import KINDS, Kind
from plan_builder.inputs.look import STYLE_ROLES
from plan_builder.word.template import StyleChoice


def kind_of(plan: Plan) -> Kind:
    """The kind of the document `plan` is seen as."""
    return KINDS[plan.kind]


def reporting_period(plan: Plan) -> str:
    """What the document covers: a further document's own period, else the plan's."""
    entry = plan.entry
    return entry.period if entry and entry.period else plan.manifest.period


def plan_subject(plan: Plan) -> str:
    """The running title in the header and the properties' subject: 'Youth Justice Plan 2025-26'."""
    entry = plan.entry
    if entry and entry.title:
        return entry.title
    return kind_of(plan).default_title.format(period=reporting_period(plan))


def plan_title(plan: Plan) -> str:
    """The document title, used on the cover and in the properties."""
    return f"{plan.manifest.service.name}: {plan_subject(plan)}"


def status_line(plan: Plan) -> str:
    """'Draft version 0.3' or 'Final version 1.0'."""
    manifest = plan.manifest
    return f"{manifest.status.label} version {manifest.version}"


def footer_text(plan: Plan) -> str:
    """The footer's left-hand text: 'Draft version 0.3, 30 May 2025'."""
    return f"{status_line(plan)}, {long_date(plan.manifest.as_of)}"


def keywords(plan: Plan) -> str:
    """Document keywords: what the document is, its period and service."""
    return f"{kind_of(plan).keywords}; {reporting_period(plan)}; {plan.manifest.service.name}"


def cover_fields(plan: Plan) -> dict[str, Any]:
    """Fields available to the cover template (templates/cover.docx) and the sign-off template."""
    manifest = plan.manifest
    manager = manifest.service.manager
    entry = plan.entry
    return {
        "service_name": manifest.service.name,
        "short_name": manifest.service.header_name,
        "document_title": plan_subject(plan),
        "document_kind": kind_of(plan).name,
        "audience": (entry.audience if entry else None) or "",
        "period": manifest.period,
        "reporting_period": reporting_period(plan),
        "local_authorities": ", ".join(manifest.service.local_authorities),
        "status": manifest.status.label,
        "version": manifest.version,
        "status_line": status_line(plan),
        "date": long_date(manifest.as_of),
        "board_name": manifest.board.name,
        "chair_name": manifest.board.chair.name,
        "chair_role": manifest.board.chair.role,
        "manager_name": manager.name if manager else "",
        "manager_role": manager.role if manager else "",
    }


FIELD_NAMES = (
    "service_name",
    "short_name",
    "period",
    "local_authorities",
    "status",
    "version",
    "status_line",
    "date",
    "board_name",
    "chair_name",
    "chair_role",
    "manager_name",
    "manager_role",
    "document_title",
    "document_kind",
    "audience",
    "reporting_period",
    "title",
)
"""The fields a template's header or footer can hold (`running_fields`), besides `page` and `pages`."""


def running_fields(plan: Plan) -> dict[str, str]:
    """Fields a template's own header or footer can hold (`{{ title }}`...): the cover's, and the running title.

    `{{ page }}` and `{{ pages }}` (the page numbers) are Word fields, added by the renderer.
    """
    return {**{k: str(v) for k, v in cover_fields(plan).items()}, "title": plan_subject(plan)}


def style_choices(plan: Plan) -> dict[str, StyleChoice]:
    """plan.yaml's `styles:` as plan-builder's style name -> the template's style, with where each is set."""
    source = plan.source
    return {
        STYLE_ROLES[role]: StyleChoice(name, f"{source.where(('styles', role))}: styles.{role}")
        for role, name in plan.manifest.styles.items()
    }


def document_colours(plan: Plan, template_header: tuple[str | None, str | None]) -> palette.Colours:
    """The table colours: plan.yaml's `colours:`, else the template's table style (header row) or plan-builder's."""
    chosen = plan.manifest.colours
    defaults = palette.Colours()
    pairs = {
        name: (pair.fill, pair.text) if (pair := getattr(chosen, name)) is not None else getattr(defaults, name)
        for name in ("green", "amber_green", "amber", "red_amber", "red", "dark_red", "not_rated")
    }
    header = (chosen.table_header.fill, chosen.table_header.text) if chosen.table_header else template_header
    return palette.Colours(table_header=header, **pairs)
