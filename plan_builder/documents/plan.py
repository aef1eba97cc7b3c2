"""The YJB Youth Justice Plan as a document: its title, cover fields, running header and footer, properties.

Everything a reader sees about the document itself (as opposed to its sections) is
decided here, from plan.yaml alone.
"""

from __future__ import annotations

from typing import Any

from plan_builder.figures.formatting import long_date
from plan_builder.inputs.config import Plan


def plan_title(plan: Plan) -> str:
    """The document title, used on the cover and in the properties."""
    manifest = plan.manifest
    return f"{manifest.service.name}: Youth Justice Plan {manifest.period}"


def plan_subject(plan: Plan) -> str:
    """The running title: 'Youth Justice Plan 2025-26' (header, properties' subject)."""
    return f"Youth Justice Plan {plan.manifest.period}"


def status_line(plan: Plan) -> str:
    """'Draft version 0.3' or 'Final version 1.0'."""
    manifest = plan.manifest
    return f"{manifest.status.label} version {manifest.version}"


def footer_text(plan: Plan) -> str:
    """The footer's left-hand text: 'Draft version 0.3, 30 May 2025'."""
    return f"{status_line(plan)}, {long_date(plan.manifest.as_of)}"


def keywords(plan: Plan) -> str:
    """Document keywords: what the document is, its period and service."""
    manifest = plan.manifest
    return f"youth justice plan; {manifest.period}; {manifest.service.name}"


def cover_fields(plan: Plan) -> dict[str, Any]:
    """Fields available to the cover template (templates/cover.docx) and the sign-off template."""
    manifest = plan.manifest
    manager = manifest.service.manager
    return {
        "service_name": manifest.service.name,
        "short_name": manifest.service.header_name,
        "period": manifest.period,
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
