"""`plan-builder build` and `plan-builder watch`: write the documents."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from plan_builder.commands.arguments import Subcommands, add_output, add_plan_dir
from plan_builder.wording import counted

if TYPE_CHECKING:
    from plan_builder.pipeline import BuildResult


def register(commands: Subcommands) -> None:
    """Add the build and watch commands."""
    build = commands.add_parser("build", help="build the plan into a Word document")
    add_plan_dir(build)
    add_output(build)
    build.add_argument(
        "--pdf", action="store_true", help="also write a PDF (needs LibreOffice); fills in contents page numbers"
    )
    build.add_argument(
        "--board-pack", action="store_true", help="also write one PDF of the plan and its separate appendices"
    )
    build.add_argument(
        "--document", "-d", metavar="NAME", help="build only this document ('plan', or a name under documents:)"
    )
    build.add_argument("--all", metavar="DIR", help="build every plan (folder with plan.yaml) under DIR in parallel")
    build.add_argument("--jobs", "-j", type=int, metavar="N", help="with --all: processes to use (default: cores)")
    build.set_defaults(handler=_build)

    watch = commands.add_parser("watch", help="rebuild whenever sections, data, templates or plan.yaml change")
    add_plan_dir(watch)
    add_output(watch)
    watch.add_argument("--interval", type=float, default=0.5, metavar="SECONDS", help="how often to look (0.5)")
    watch.set_defaults(handler=_watch)


def _build(args: argparse.Namespace) -> int:
    if args.all:
        return _build_all(args)
    from plan_builder.pipeline import build

    if getattr(args, "whole_process", False):
        # What is imported lives until the command ends: keep it out of the cycle collector's
        # full passes, which otherwise walk every class and schema again (a cached build 8% faster).
        gc.freeze()
    result = build(
        Path(args.plan_dir),
        Path(args.output) if args.output else None,
        pdf=args.pdf,
        board_pack=args.board_pack,
        document=args.document,
        on_wait=lambda line: print(line, file=sys.stderr, flush=True),
    )
    for note in result.notes:
        print(note, file=sys.stderr)
    for warning in result.every_warning():
        print(f"warning: {warning}", file=sys.stderr)
    for built in result.documents:
        _report(built)
    return 0


def _report(result: BuildResult) -> None:
    """What one document's build wrote, in a few lines."""
    print(f"Wrote {result.path}")
    for path in [*result.appendix_documents, *([result.pdf] if result.pdf else [])]:
        print(f"Wrote {path}")
    if result.board_pack:
        print(f"Wrote {result.board_pack}")
    if result.tracked is not None:
        print(f"Wrote {result.tracked.describe()}")
    counts = [
        counted(result.sections, "section"),
        counted(result.appendices, "appendix", "appendices"),
        counted(result.tables, "table"),
        counted(result.figures, "figure"),
        counted(result.words, "word"),
        counted(len(result.warnings), "warning"),
    ]
    print(", ".join(counts))
    if result.changes is not None:
        print(result.changes.short())


def _build_all(args: argparse.Namespace) -> int:
    from plan_builder.commands.batch import build_all

    result = build_all(
        Path(args.all),
        jobs=args.jobs,
        output=Path(args.output) if args.output else None,
        report=lambda line: print(line, flush=True),
    )
    built = len(result.outcomes) - len(result.failed)
    print(f"{len(result.outcomes)} plans in {result.seconds:.1f} s: {built} built, {len(result.failed)} failed")
    for outcome in result.failed:
        print(f"{outcome.plan_dir}: failed", file=sys.stderr)
        for error in outcome.errors:
            print(f"  error: {error}", file=sys.stderr)
    return 1 if result.failed else 0


def _watch(args: argparse.Namespace) -> int:
    from plan_builder.commands.watch import Watcher

    watcher = Watcher(Path(args.plan_dir), Path(args.output) if args.output else None)
    try:
        watcher.run(lambda line: print(line, flush=True), interval=args.interval)
    except KeyboardInterrupt:
        print("Stopped watching.")
    return 0
