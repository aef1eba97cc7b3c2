"""`plan-builder import`: last year's Word plan into a plan folder, with a report of what to check."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from plan_builder.commands.arguments import Subcommands

if TYPE_CHECKING:
    from plan_builder.importing.folder import Imported
    from plan_builder.importing.model import WordPlan

TITLE = re.compile(
    r"^\s*(?P<service>.*?)\s*[:\-\u2013\u2014]?\s*youth justice (?:strategic )?(?:plan|strategy)\b", re.IGNORECASE
)
PERIOD = re.compile(r"\b(20\d\d)\s*[-/\u2013]\s*(?:20)?(\d\d)\b")


def register(commands: Subcommands) -> None:
    """Add the import command."""
    parser = commands.add_parser(
        "import",
        help="bring a Word plan (.docx) into a plan folder as Markdown sections, with a report",
        description="Converts a Word plan into a plan folder (a new one, or an existing plan folder): headings "
        "mapped to YJB heading ids, text, lists, tables, pictures with their alt text, and footnotes. The report "
        "(also written to import-report.md) lists each mapping, headings that match none, merged cells, pictures "
        "without alt text and typed figures to replace with computed ones. Word is read with python-docx: "
        "neither Word nor LibreOffice is needed.",
    )
    parser.add_argument("source", metavar="OLD.docx", help="the Word plan to import")
    parser.add_argument(
        "folder",
        nargs="?",
        metavar="DIR",
        help="the plan folder: an existing one (with plan.yaml) or a new one (default: the current folder if it "
        "has plan.yaml, else a new folder named after the document)",
    )
    parser.add_argument("--service", metavar="NAME", help="for a new folder: the service's full name")
    parser.add_argument(
        "--period", metavar="YYYY-YY", help="for a new folder: the plan period (default: the document's)"
    )
    parser.add_argument("--nation", choices=("England", "Wales"), help="for a new folder: England (default) or Wales")
    parser.add_argument("--councils", metavar="A,B", help="for a new folder: the council or councils covered")
    parser.set_defaults(handler=_import)


def title_facts(title: str) -> dict[str, str]:
    """The service name and period a title such as 'X Youth Justice Service: Youth Justice Plan 2025-26' gives."""
    facts = {}
    if match := TITLE.match(title):
        service = match["service"].strip(" :-\u2013\u2014")
        if service:
            facts["service"] = service
    if match := PERIOD.search(title):
        facts["period"] = f"{match[1]}-{match[2]}"
    return facts


def _import(args: argparse.Namespace) -> int:
    from plan_builder.importing.reader import read_word_plan

    source = Path(args.source)
    word = read_word_plan(source)
    folder = Path(args.folder) if args.folder else (Path() if Path("plan.yaml").is_file() else Path(source.stem))
    if (folder / "plan.yaml").is_file():
        given = [f"--{name}" for name in ("service", "period", "nation", "councils") if getattr(args, name)]
        if given:
            kept = folder / "plan.yaml"
            print(f"warning: {', '.join(given)}: for a new folder only; {kept} is kept as it is", file=sys.stderr)
        imported = _into_plan(word, folder, source)
    else:
        result = _into_new_folder(args, word, folder, source)
        if result is None:
            return 2
        imported = result
    print(imported.report.text(), end="")
    print(f"\nWrote {len(imported.files)} files into {folder}, with this report in {folder / 'import-report.md'}")
    return 0


def _into_plan(word: WordPlan, folder: Path, source: Path) -> Imported:
    from plan_builder.importing.folder import import_into_plan
    from plan_builder.inputs.config import load_plan
    from plan_builder.inputs.structure import load_structure

    plan = load_plan(folder)
    manifest = plan.manifest
    structure = load_structure(manifest.structure, manifest.period, plan.source.where(("structure",)), plan.root)
    entries = [entry.file for entry in [*manifest.sections, *manifest.appendices]]
    return import_into_plan(word, folder, structure, entries, source)


def _into_new_folder(args: argparse.Namespace, word: WordPlan, folder: Path, source: Path) -> Imported | None:
    from plan_builder.commands.new import ask_missing
    from plan_builder.importing.folder import import_into_new_folder
    from plan_builder.inputs.structure import load_structure
    from plan_builder.starter.new import NewPlan, check_new_plan

    facts = title_facts(word.title)
    taken = [name for name in ("service", "period") if getattr(args, name) is None and name in facts]
    for name in taken:
        setattr(args, name, facts[name])
    missing = ask_missing(args, input if sys.stdin.isatty() else None)
    if missing:
        needed = " and ".join(missing)
        print(
            f"error: plan-builder import: the document's title does not say its {needed.replace('--', '')}; "
            f"give {needed} (or run it in a terminal to be asked)",
            file=sys.stderr,
        )
        return None
    councils = tuple(c.strip() for c in (args.councils or "").split(",") if c.strip())
    spec = NewPlan(service=args.service.strip(), period=args.period.strip(), nation=args.nation, councils=councils)
    check_new_plan(spec)
    structure = load_structure(None, spec.period, where="--period")
    notes = []
    if taken:
        said = " and ".join(f"{name} '{facts[name]}'" for name in taken)
        notes.append(f"{said} taken from the document's title (to start next year's plan from it, give --period)")
    return import_into_new_folder(word, folder, structure, spec, source, notes)
