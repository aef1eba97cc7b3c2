"""Output file names: the document stem and every name built on it, in one place."""

from __future__ import annotations

from plan_builder.inputs.config import PLAN_DOCUMENT, Plan, Status
from plan_builder.outputs.write import slug

STEM_NAME_MAX = 100
"""Characters of the service name's slug kept in output file names."""


def document_stem(plan: Plan) -> str:
    """The file name without extension: '<service>-<period>-<status>', or '<service>-<document>-<status>'.

    A further document is named by its key under `documents:`; a final adds '-v<version>' (never overwritten).
    """
    manifest = plan.manifest
    # A long service name is shortened so that the names built on the stem ('~$' lock files,
    # '.<name>.XXXXXXXX.partial' temporary files, '-appendix-N.docx') fit the file system's 255.
    name = slug(manifest.service.name)[:STEM_NAME_MAX].rstrip("-")
    which = manifest.period if plan.document == PLAN_DOCUMENT else plan.document
    stem = f"{name}-{which}-{manifest.status.value}"
    return f"{stem}-v{manifest.version}" if manifest.status is Status.FINAL else stem


def appendix_file_name(plan: Plan, number: int) -> str:
    """File name of an appendix written as its own document."""
    return f"{document_stem(plan)}-appendix-{number}.docx"


def board_pack_name(plan: Plan) -> str:
    """File name of the board pack: the plan and its separate appendices in one PDF."""
    return f"{document_stem(plan)}-board-pack.pdf"


def tracked_changes_name(plan: Plan) -> str:
    """File name of the plan with Word revisions against the last circulated version."""
    return f"{document_stem(plan)}-tracked-changes.docx"
