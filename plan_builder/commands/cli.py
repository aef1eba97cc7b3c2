"""Command line: parse arguments, call the pipeline, report. Nothing else.

Each command (or group of related commands) lives in its own module under `commands/`
with a `register(commands)` function that adds its sub-parser; this module assembles
them and maps errors to exit codes. Exit codes: 0 success; 1 a problem in the plan's
inputs (the message says which file and line); 2 a usage error. Heavy libraries are
imported inside commands so that `--help` is instant.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from plan_builder import __version__
from plan_builder.errors import PlanBuilderError

COMMAND_MODULES = (
    "plan_builder.commands.build",
    "plan_builder.commands.check",
    "plan_builder.commands.circulate",
    "plan_builder.commands.history",
    "plan_builder.commands.new",
    "plan_builder.commands.import_plan",
    "plan_builder.commands.setup",
    "plan_builder.commands.template",
    "plan_builder.commands.data",
)
"""Modules that each register one or more sub-commands, in the order `--help` lists them."""


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="plan-builder",
        description="Build a YJB-format Youth Justice Plan (.docx) from Markdown, YAML and data files.",
    )
    parser.add_argument("--version", action="version", version=f"plan-builder {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point for the `plan-builder` console script (`argv` None: this process is the command)."""
    args = make_parser().parse_args(argv)
    args.whole_process = argv is None
    try:
        return int(args.handler(args))
    except PlanBuilderError as exc:
        for note in exc.notes:
            print(note, file=sys.stderr)
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; outputs already written are unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `plan-builder figures | head`: the reader has what it wanted
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so Python's own flush at exit does not fail again
        return 0
