"""`plan-builder template check TEMPLATE.docx`: what a council's Word template gives a plan, before any build."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plan_builder.commands.arguments import Subcommands


def register(commands: Subcommands) -> None:
    """Add the template command and its check sub-command."""
    template = commands.add_parser("template", help="check a Word template (a council's own) before building with it")
    actions = template.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="report what a template has, what plan-builder adds to it and what plan.yaml maps",
        description=(
            "Open TEMPLATE (.docx or .dotx) as a build would and report every style plan-builder writes with "
            "(the template's own, mapped under styles: in plan.yaml, or added), its header and footer, table "
            "header colours and links. Exit status: 0 the template can be used; 1 it cannot (each problem named)."
        ),
    )
    check.add_argument("template", metavar="TEMPLATE", help="the Word template (.docx or .dotx)")
    check.add_argument(
        "--plan",
        metavar="PLAN_DIR",
        default=".",
        help="plan folder whose plan.yaml gives styles:, colours: and the cover and sign-off templates (default: .)",
    )
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from plan_builder.documents.plan import FIELD_NAMES, style_choices
    from plan_builder.errors import TemplateError
    from plan_builder.inputs.config import MANIFEST_NAME, load_plan
    from plan_builder.inputs.templates import template_file
    from plan_builder.word.inspect import describe_template
    from plan_builder.word.template import open_plan_template

    plan_dir = Path(args.plan)
    plan = load_plan(plan_dir) if (plan_dir / MANIFEST_NAME).is_file() else None
    if plan is None and args.plan != ".":
        raise TemplateError(f"{plan_dir / MANIFEST_NAME}: not found; --plan names a plan folder")
    path = Path(args.template)
    template = open_plan_template(path, path, style_choices(plan) if plan else {})
    chosen = plan.manifest.colours.table_header if plan else None
    others = []
    if plan is not None:
        found = [template_file(plan, "cover_template"), template_file(plan, "signoff_template")]
        others = [(t.path, t.display) for t in found]
    report = describe_template(template, FIELD_NAMES, (chosen.fill, chosen.text) if chosen else None, others)
    for line in report.lines:
        print(line)
    if plan is None:
        print(f"(no {MANIFEST_NAME} here: no styles: mapping; give --plan PLAN_DIR to use a plan's)")
    for warning in template.page_number_warnings() + template.readability_warnings():
        print(f"warning: {warning}", file=sys.stderr)
    for problem in report.problems:
        print(f"error: {problem}", file=sys.stderr)
    verdict = "cannot be used" if report.problems else "can be used"
    print(f"template check: {path} {verdict} ({len(report.problems)} problems)")
    return 1 if report.problems else 0
