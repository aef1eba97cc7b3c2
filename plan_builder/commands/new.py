"""`plan-builder new`: start a plan folder, asking for what is missing when run in a terminal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from plan_builder.commands.arguments import Subcommands

ASKED = (
    ("service", "Service name (e.g. Northmoor Youth Justice Service)", None),
    ("period", "Plan period (e.g. 2026-27)", None),
    ("nation", "England or Wales", "England"),
    ("councils", "Council or councils the service covers, separated by commas (Enter to fill in later)", ""),
)
"""(option, question, default) for each value `new` asks for in a terminal; None: an answer is needed."""


def register(commands: Subcommands) -> None:
    """Add the new command."""
    new = commands.add_parser(
        "new",
        help="start a new plan folder: plan.yaml, a section per YJB heading, data files",
        description="Writes plan.yaml, one section file per heading of the YJB section list for the period "
        "(each with a prompt saying what the YJB expects there), data files with their column headings, and "
        "the structured YAML files with an example. Run in a terminal, it asks for what is not given.",
    )
    new.add_argument("folder", metavar="DIR", help="the new plan folder (must not exist yet, or be empty)")
    new.add_argument(
        "--service", metavar="NAME", help="the service's full name, e.g. 'Northmoor Youth Justice Service'"
    )
    new.add_argument("--period", metavar="YYYY-YY", help="the plan period, e.g. 2026-27")
    new.add_argument("--nation", choices=("England", "Wales"), help="England (default) or Wales")
    new.add_argument("--councils", metavar="A,B", help="the council or councils the service covers, comma-separated")
    new.set_defaults(handler=_new)


def ask_missing(args: argparse.Namespace, ask: Callable[[str], str] | None) -> list[str]:
    """Fill in missing values by asking (when `ask` is given); return the options still missing."""
    missing = []
    for option, question, default in ASKED:
        if getattr(args, option) is not None:
            continue
        answer = ask(f"{question}: ").strip() if ask else ""
        if option == "nation":
            answer = answer.capitalize()  # typed 'wales' means Wales
        if answer or default is not None:
            setattr(args, option, answer or default)
        else:
            missing.append(f"--{option}")
    return missing


def _new(args: argparse.Namespace) -> int:
    from plan_builder.starter.new import NewPlan, write_new_plan

    missing = ask_missing(args, input if sys.stdin.isatty() else None)
    if missing:
        needed = " and ".join(missing)
        print(f"error: plan-builder new: give {needed} (or run it in a terminal to be asked)", file=sys.stderr)
        return 2
    councils = tuple(c.strip() for c in (args.councils or "").split(",") if c.strip())
    spec = NewPlan(service=args.service.strip(), period=args.period.strip(), nation=args.nation, councils=councils)
    folder = Path(args.folder)
    written = write_new_plan(folder, spec)
    sections = sum(1 for path in written if path.parent.name == "sections")
    print(f"Started {folder}: plan.yaml, {sections} sections, {len(written) - sections - 1} data and help files")
    print(f"Next: fill in the [[prompts]] (plan-builder check {folder} lists them), then plan-builder build {folder}")
    return 0
