"""`plan-builder diff`: what changed between two versions, in words, and optionally as tracked changes in Word."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from plan_builder.commands.arguments import Subcommands


def register(commands: Subcommands) -> None:
    """Add the diff command."""
    diff = commands.add_parser(
        "diff", help="what changed since the last circulated version (or between two builds or documents)"
    )
    diff.add_argument("old", nargs="?", metavar="OLD", help="an earlier build's .json manifest or .docx document")
    diff.add_argument("new", nargs="?", metavar="NEW", help="a later build's .json manifest or .docx document")
    diff.add_argument("--output", "-o", default="output", metavar="DIR", help="where builds are (default: output)")
    diff.add_argument(
        "--document", "-d", default="plan", metavar="NAME", help="which document's builds (default: the plan)"
    )
    diff.add_argument(
        "--verbose", "-v", action="store_true", help="also name the input files that changed and each figure's id"
    )
    diff.add_argument(
        "--docx", metavar="OUT.docx", help="also write the new document with Word tracked changes against the old"
    )
    diff.set_defaults(handler=_diff)


def _diff(args: argparse.Namespace) -> int:
    from plan_builder.changes.compare import compare
    from plan_builder.errors import OutputError
    from plan_builder.outputs.versions import default_versions, version_at

    if bool(args.old) != bool(args.new):
        print("error: give both OLD and NEW, or neither (the last circulated version and the latest build)",
              file=sys.stderr)  # fmt: skip
        return 2
    old, new = (
        (version_at(Path(args.old)), version_at(Path(args.new)))
        if args.old
        else default_versions(Path(args.output), args.document)
    )
    if old.manifest is not None and new.manifest is not None:
        for line in compare(old.manifest, new.manifest).lines(verbose=args.verbose):
            print(line)
    elif not args.docx:
        lacking = old if old.manifest is None else new
        raise OutputError(
            f"{lacking.source}: no build manifest beside it ({lacking.source.with_suffix('.json').name}), so its "
            "changes cannot be put in words; --docx OUT.docx writes the tracked changes from the two documents"
        )
    if args.docx:
        _write_tracked(old.document, new.document, old.source, new.source, Path(args.docx))
    return 0


def _write_tracked(old: Path | None, new: Path | None, old_source: Path, new_source: Path, target: Path) -> None:
    from plan_builder.errors import OutputError
    from plan_builder.outputs.write import write_atomic
    from plan_builder.word.revisions import read_document, tracked_changes_document

    if old is None or new is None:
        source = old_source if old is None else new_source
        raise OutputError(f"{source}: its document is not kept beside it; give the two .docx files to compare")
    for path in (old, new):
        read_document(path.read_bytes(), path)  # names the file that is not a Word document
    data, counts = tracked_changes_document(old.read_bytes(), new.read_bytes(), date=dt.datetime.now().astimezone())
    write_atomic(target, lambda handle: handle.write(data))
    print(f"Wrote {target} ({counts.insertions} insertions, {counts.deletions} deletions)")
