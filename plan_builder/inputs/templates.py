"""Which Word template file a plan uses: its own, or the copies packaged with plan-builder.

A new plan needs no `templates/` folder: when plan.yaml names no template and the plan has
no `templates/<name>.docx` of its own, the packaged default is used. `plan-builder
make-templates` writes editable copies of the defaults into the plan, which are then used
instead. Only *which file* is decided here; opening it and checking its styles is the
renderer's job (`word/document.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from plan_builder.errors import TemplateError
from plan_builder.inputs.config import Plan

TemplateKind = Literal["template", "cover_template", "signoff_template"]

DEFAULT_NAMES: dict[TemplateKind, str] = {
    "template": "plan-template.docx",
    "cover_template": "cover.docx",
    "signoff_template": "signoff.docx",
}
"""The file name of each template, in a plan's `templates/` folder and in the package."""

PLAN_TEMPLATES_FOLDER = "templates"
BUILT_IN = "plan-builder's built-in"
"""How messages name a packaged template: "plan-builder's built-in cover.docx"."""


@dataclass(frozen=True)
class TemplateFile:
    """A template to open, and how messages name it."""

    path: Path
    display: Path
    built_in: bool = False


def packaged_template(name: str) -> Path:
    """The path of a template shipped inside the package (`plan_builder/inputs/defaults/templates/`).

    plan-builder is installed as files (pip, pipx, uv), never zipped, so the resource is a real file.
    """
    return Path(str(resources.files("plan_builder.inputs") / "defaults" / "templates" / name))


def template_file(plan: Plan, kind: TemplateKind) -> TemplateFile:
    """The template of `kind` this plan uses.

    Named in plan.yaml: that file, which must exist. Not named: the plan's own
    `templates/<name>.docx` if there is one, else the packaged default.
    """
    named: str | None = getattr(plan.manifest, kind)
    name = DEFAULT_NAMES[kind]
    if named is not None:
        path = plan.path(named)
        if not path.exists():  # something that is not a file is refused, by type, when it is opened
            raise TemplateError(
                f"{plan.source.where((kind,))}: {kind}: {plan.display(named)}: Word template not found; "
                f"remove `{kind}:` from plan.yaml to use plan-builder's own {name}, or run "
                f"`plan-builder make-templates {PLAN_TEMPLATES_FOLDER}` to write editable copies to start from"
            )
        return TemplateFile(path, Path(named))
    own = f"{PLAN_TEMPLATES_FOLDER}/{name}"
    if plan.path(own).exists():
        return TemplateFile(plan.path(own), Path(own))
    return TemplateFile(packaged_template(name), Path(f"{BUILT_IN} {name}"), built_in=True)
