"""`plan-builder check` and `plan-builder figures`: what is wrong with a plan, and every figure it computes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plan_builder.commands.arguments import Subcommands, add_plan_dir
from plan_builder.wording import counted


def register(commands: Subcommands) -> None:
    """Add the check and figures commands."""
    check = commands.add_parser(
        "check",
        help="report every problem (schema, YJB headings, figures in text, accessibility) without writing the plan",
        description="Exit status: 0 no errors; 1 errors (with --strict, warnings count as errors).",
    )
    add_plan_dir(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(handler=_check)

    figures = commands.add_parser("figures", help="list every computed figure with its inputs, RAG and direction")
    add_plan_dir(figures)
    figures.add_argument("--json", action="store_true", help="print JSON (documented in docs/data-contract.md)")
    figures.add_argument("--match", metavar="TEXT", help="only figures whose id contains TEXT")
    figures.set_defaults(handler=_figures)


def _check(args: argparse.Namespace) -> int:
    from plan_builder.checks.run import run_checks

    report = run_checks(Path(args.plan_dir))
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    failed = report.failed(args.strict)
    checked = ", ".join(report.notes) or "the manifest"
    verdict = "FAILED" if failed else "passed"
    counts = f"{counted(len(report.errors), 'error')}, {counted(len(report.warnings), 'warning')}"
    print(f"check {verdict}: {counts} ({checked})")
    return 1 if failed else 0


def _figures(args: argparse.Namespace) -> int:
    import json

    from plan_builder.errors import Problems
    from plan_builder.pipeline import prepare_in_place

    problems = Problems()
    prepared = prepare_in_place(Path(args.plan_dir), problems)
    result = prepared.computed.performance
    if not result.figures and not problems:
        print(
            "error: this plan has no figures: plan.yaml has no 'performance' section and lists no budget, "
            "actions, risks or staffing under 'structured'",
            file=sys.stderr,
        )
        return 1
    figures = [f for f in result.figures.values() if not args.match or args.match in f.id]
    if args.json:
        payload = {
            "plan": prepared.plan.manifest.service.name,
            "period": prepared.plan.manifest.period,
            "figures": [f.to_json() for f in figures],
            "errors": problems.messages,
            "warnings": prepared.warnings,
        }
        print(json.dumps(payload, indent=2, default=str))
        return 1 if problems else 0
    for figure in figures:
        rated = f"  {figure.rag.value}" if figure.rag else ""
        moved = f"  {figure.direction}" if figure.direction else ""
        print(f"{figure.id:50} {figure.display:>26}  {figure.period}{rated}{moved}")
    for error in problems.messages:
        print(f"error: {error}", file=sys.stderr)
    for warning in prepared.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 1 if problems else 0
