"""Command line: parse arguments, call the pipeline, report. Nothing else.

Exit codes: 0 success; 1 a problem in the plan's inputs (the message says which
file and line); 2 a usage error. Heavy libraries are imported inside commands so
that `--help` is instant.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plan_builder import __version__
from plan_builder.errors import PlanBuilderError


def _build(args: argparse.Namespace) -> int:
    if args.all:
        return _build_all(args)
    from plan_builder.pipeline import build

    result = build(
        Path(args.plan_dir), Path(args.output) if args.output else None, pdf=args.pdf, board_pack=args.board_pack
    )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"Wrote {result.path}")
    for path in [*result.appendix_documents, *([result.pdf] if result.pdf else [])]:
        print(f"Wrote {path}")
    if args.board_pack:
        print(f"Wrote {result.path.with_name(result.path.stem + '-board-pack.pdf')}")
    print(
        f"{result.sections} sections, {result.appendices} appendices, {result.tables} tables, "
        f"{result.figures} figures, {result.words:,} words, {len(result.warnings)} warnings"
    )
    if result.changes is not None:
        print(result.changes.short())
    return 0


def _diff(args: argparse.Namespace) -> int:
    from plan_builder.outputs.manifest import compare, last_two_manifests, read_manifest

    if args.old and args.new:
        old_path, new_path = Path(args.old), Path(args.new)
    elif args.old or args.new:
        print("error: give both OLD and NEW manifests, or neither (the last two builds)", file=sys.stderr)
        return 2
    else:
        old_path, new_path = last_two_manifests(Path(args.output))
    for line in compare(read_manifest(old_path), read_manifest(new_path)).lines():
        print(line)
    return 0


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
    print(f"check {verdict}: {len(report.errors)} errors, {len(report.warnings)} warnings ({checked})")
    return 1 if failed else 0


def _figures(args: argparse.Namespace) -> int:
    import json

    from plan_builder.figures.performance import compute_performance, load_performance_data
    from plan_builder.inputs.config import load_plan

    plan = load_plan(Path(args.plan_dir))
    data = load_performance_data(plan)
    if data is None:
        print("error: plan.yaml has no 'performance' section, so there are no figures", file=sys.stderr)
        return 1
    result = compute_performance(plan, data)
    figures = [f for f in result.figures.values() if not args.match or args.match in f.id]
    if args.json:
        payload = {
            "plan": plan.manifest.service.name,
            "period": plan.manifest.period,
            "figures": [f.to_json() for f in figures],
            "warnings": result.warnings,
        }
        print(json.dumps(payload, indent=2, default=str))
        return 0
    for figure in figures:
        rated = f"  {figure.rag.value}" if figure.rag else ""
        moved = f"  {figure.direction}" if figure.direction else ""
        print(f"{figure.id:50} {figure.display:>26}  {figure.period}{rated}{moved}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _make_templates(args: argparse.Namespace) -> int:
    from plan_builder.word.template_factory import make_templates

    for path in make_templates(Path(args.folder)):
        print(f"Wrote {path}")
    return 0


def _structures(args: argparse.Namespace) -> int:
    from plan_builder.inputs.structure import available_structures, load_structure

    for key in available_structures():
        structure = load_structure(key, key)
        print(f"{key}: {structure.name}")
        for heading in structure.required:
            print(f"  {heading.id:28} {heading.title}")
            for sub in heading.subheadings:
                print(f"  {'':28}   - {sub}")
    return 0


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="plan-builder",
        description="Build a YJB-format Youth Justice Plan (.docx) from Markdown, YAML and data files.",
    )
    parser.add_argument("--version", action="version", version=f"plan-builder {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="build the plan into a Word document")
    build.add_argument(
        "plan_dir", nargs="?", default=".", metavar="PLAN_DIR", help="folder with plan.yaml (default: .)"
    )
    build.add_argument("--output", "-o", metavar="DIR", help="output folder (default: PLAN_DIR/output)")
    build.add_argument(
        "--pdf", action="store_true", help="also write a PDF (needs LibreOffice); fills in contents page numbers"
    )
    build.add_argument(
        "--board-pack", action="store_true", help="also write one PDF of the plan and its separate appendices"
    )
    build.add_argument("--all", metavar="DIR", help="build every plan (folder with plan.yaml) under DIR in parallel")
    build.add_argument("--jobs", "-j", type=int, metavar="N", help="with --all: processes to use (default: cores)")
    build.set_defaults(handler=_build)

    watch = commands.add_parser("watch", help="rebuild whenever sections, data, templates or plan.yaml change")
    watch.add_argument(
        "plan_dir", nargs="?", default=".", metavar="PLAN_DIR", help="folder with plan.yaml (default: .)"
    )
    watch.add_argument("--output", "-o", metavar="DIR", help="output folder (default: PLAN_DIR/output)")
    watch.add_argument("--interval", type=float, default=0.5, metavar="SECONDS", help="how often to look (0.5)")
    watch.set_defaults(handler=_watch)

    check = commands.add_parser(
        "check",
        help="report every problem (schema, YJB headings, figures in text, accessibility) without writing the plan",
        description="Exit status: 0 no errors; 1 errors (with --strict, warnings count as errors).",
    )
    check.add_argument(
        "plan_dir", nargs="?", default=".", metavar="PLAN_DIR", help="folder with plan.yaml (default: .)"
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(handler=_check)

    figures = commands.add_parser("figures", help="list every computed figure with its inputs, RAG and direction")
    figures.add_argument(
        "plan_dir", nargs="?", default=".", metavar="PLAN_DIR", help="folder with plan.yaml (default: .)"
    )
    figures.add_argument("--json", action="store_true", help="print JSON (documented in docs/data-contract.md)")
    figures.add_argument("--match", metavar="TEXT", help="only figures whose id contains TEXT")
    figures.set_defaults(handler=_figures)

    diff = commands.add_parser("diff", help="what changed between two builds (default: the last two)")
    diff.add_argument("old", nargs="?", metavar="OLD_MANIFEST", help="an earlier build's .json manifest")
    diff.add_argument("new", nargs="?", metavar="NEW_MANIFEST", help="a later build's .json manifest")
    diff.add_argument("--output", "-o", default="output", metavar="DIR", help="where builds are (default: output)")
    diff.set_defaults(handler=_diff)

    templates = commands.add_parser("make-templates", help="regenerate the Word templates (styles, cover, sign-off)")
    templates.add_argument(
        "folder", nargs="?", default="templates", metavar="DIR", help="where to write them (default: templates)"
    )
    templates.set_defaults(handler=_make_templates)

    structures = commands.add_parser("structures", help="list the YJB section lists and their heading ids")
    structures.set_defaults(handler=_structures)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point for the `plan-builder` console script."""
    args = make_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except PlanBuilderError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; outputs already written are unchanged", file=sys.stderr)
        return 130
