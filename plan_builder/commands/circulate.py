"""`plan-builder circulate`: keep the current build as the version a board or partner saw."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from plan_builder.commands.arguments import Subcommands, add_output, add_plan_dir


def register(commands: Subcommands) -> None:
    """Add the circulate command."""
    circulate = commands.add_parser(
        "circulate",
        help="keep the current build as a circulated version (output/circulated/); later changes are shown against it",
    )
    add_plan_dir(circulate)
    add_output(circulate)
    circulate.add_argument(
        "--to",
        default="",
        metavar="WHO",
        help='who it went to, e.g. "Board, 12 June 2025" (shown in the version history)',
    )
    circulate.add_argument(
        "--on",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date it was circulated, if not today (the history row's date)",
    )
    circulate.add_argument(
        "--document", "-d", default="plan", metavar="NAME", help="which document ('plan', or a name under documents:)"
    )
    circulate.set_defaults(handler=_circulate)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD; got {text!r}") from exc


def _circulate(args: argparse.Namespace) -> int:
    from plan_builder.errors import ConfigError
    from plan_builder.inputs.config import load_plan
    from plan_builder.outputs.circulate import circulate, circulated_summary, history_author

    plan_dir = Path(args.plan_dir)
    whole = load_plan(plan_dir)
    if args.document not in whole.document_names():
        raise ConfigError(
            f"{whole.source.path}: no document called {args.document!r}; expected one of: "
            f"{', '.join(whole.document_names())}"
        )
    plan = whole.for_document(args.document)
    folder = Path(args.output) if args.output else plan_dir / "output"
    done = circulate(plan, folder, to=args.to, on=args.on)
    circulation = done.circulation
    audience = f" to {args.to}" if args.to else ""
    if done.again:
        print(f"Version {circulation.version} was circulated before and this build reads the same; recorded{audience}.")
    else:
        print(f"Circulated version {circulation.version}{audience}; kept, never to be overwritten:")
    for path in done.files:
        print(f"  {path}")
    row = circulation.record["circulations"][-1]
    print(
        "Later builds list it in the version history and show their changes against it. To word its row yourself, "
        "add it to document_control in plan.yaml:\n"
        f'  - {{version: "{circulation.version}", date: {row["on"][:10]}, author: {history_author(plan)}, '
        f'summary: "{circulated_summary(row)}"}}'
    )
    return 0
