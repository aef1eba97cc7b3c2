"""`plan-builder diff`: what changed between two builds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plan_builder.commands.arguments import Subcommands


def register(commands: Subcommands) -> None:
    """Add the diff command."""
    diff = commands.add_parser("diff", help="what changed between two builds (default: the last two)")
    diff.add_argument("old", nargs="?", metavar="OLD_MANIFEST", help="an earlier build's .json manifest")
    diff.add_argument("new", nargs="?", metavar="NEW_MANIFEST", help="a later build's .json manifest")
    diff.add_argument("--output", "-o", default="output", metavar="DIR", help="where builds are (default: output)")
    diff.add_argument(
        "--document", "-d", default="plan", metavar="NAME", help="which document's builds (default: the plan)"
    )
    diff.set_defaults(handler=_diff)


def _diff(args: argparse.Namespace) -> int:
    from plan_builder.outputs.manifest import compare, last_two_manifests, read_manifest

    if args.old and args.new:
        old_path, new_path = Path(args.old), Path(args.new)
    elif args.old or args.new:
        print("error: give both OLD and NEW manifests, or neither (the last two builds)", file=sys.stderr)
        return 2
    else:
        old_path, new_path = last_two_manifests(Path(args.output), args.document)
    for line in compare(read_manifest(old_path), read_manifest(new_path)).lines():
        print(line)
    return 0
