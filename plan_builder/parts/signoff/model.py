"""Sign-off: who signs the plan and what the sign-off page says, by status.

By default the board chair signs; `signatories:` in plan.yaml lists one per partner instead.
A draft says it is not yet signed and must not be published; a final carries the dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plan_builder.figures.formatting import long_date
from plan_builder.inputs.config import Plan, Signatory, Status
from plan_builder.inputs.templates import template_file


@dataclass(frozen=True)
class SignOff:
    """The sign-off template and the fields it is rendered with."""

    template: Path
    display: Path
    fields: dict[str, Any]
    digest: str = ""
    """A hash of the template file, so a rendered sign-off is reused only while the template is unchanged."""


def signoff_of(plan: Plan, common: Mapping[str, Any]) -> SignOff:
    """The sign-off block's data: the signatories' rows, the statement for this status, and `common` fields."""
    manifest = plan.manifest
    final = manifest.status is Status.FINAL
    chair = manifest.board.chair
    signatories = manifest.signatories or [
        Signatory(name=chair.name, role=chair.role, organisation=chair.organisation or manifest.board.name)
    ]
    rows = []
    for person in signatories:
        signed = person.signed_on is not None
        rows.append(
            {
                "name": person.name,
                "role": person.role,
                "organisation": person.organisation or manifest.board.name,
                "signature": "Signed" if signed and final else "Not yet signed",
                "date": long_date(person.signed_on) if person.signed_on is not None else "Not yet signed",
            }
        )
    if final:
        statement = f"This plan was approved by the {manifest.board.name} and is signed on its behalf."
    else:
        statement = (
            f"This is a {manifest.status.label.lower()} (version {manifest.version}). "
            "It is not yet signed and must not be published."
        )
    fields = {"signatories": rows, "signoff_statement": statement, "approval_note": manifest.approval or "", **common}
    template = template_file(plan, "signoff_template")
    return SignOff(template.path, template.display, fields)
