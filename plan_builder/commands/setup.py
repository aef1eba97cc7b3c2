"""`plan-builder structures` and `plan-builder make-templates`: what a plan is built on."""

from __future__ import annotations

import argparse
from pathlib import Path

from plan_builder.commands.arguments import Subcommands


def register(commands: Subcommands) -> None:
    """Add the structures and make-templates commands."""
    templates = commands.add_parser(
        "make-templates", help="write editable copies of the Word templates (styles, cover, sign-off)"
    )
    templates.add_argument(
        "folder", nargs="?", default="templates", metavar="DIR", help="where to write them (default: templates)"
    )
    templates.add_argument(
        "--force", action="store_true", help="replace templates in DIR that differ from plan-builder's (edited ones)"
    )
    templates.set_defaults(handler=_make_templates)

    structures = commands.add_parser(
        "structures",
        help="list the YJB section lists and their heading ids",
        description="Without --show: every packaged list, its heading ids and the periods it is used for.",
    )
    structures.add_argument(
        "--show",
        metavar="ID",
        help="print the list ID (e.g. 2024-25) as YAML, to copy into the plan folder and edit "
        "(then name the file in plan.yaml: structure: my-list.yaml)",
    )
    structures.set_defaults(handler=_structures)


def _make_templates(args: argparse.Namespace) -> int:
    from plan_builder.word.template_factory import make_templates

    written, kept = make_templates(Path(args.folder), replace=args.force)
    for path in written:
        print(f"Wrote {path}")
    for path in kept:
        print(f"Kept {path}: it differs from plan-builder's (edited?); to replace it, run again with --force")
    return 1 if kept else 0


def _structures(args: argparse.Namespace) -> int:
    from plan_builder.inputs.structure import available_structures, load_structure, packaged_structure_text

    if args.show:
        print(packaged_structure_text(args.show), end="")
        return 0
    keys = available_structures()
    for index, key in enumerate(keys):
        structure = load_structure(key, key)
        if index + 1 == len(keys):
            used = f"{key} and every later period"
        else:
            start = int(keys[index + 1][:4]) - 1
            last = f"{start}-{(start + 1) % 100:02d}"
            used = key if last == key else f"{key} to {last}"
        print(f"{key}: {structure.name} (default for {used})")
        for heading in structure.required:
            print(f"  {heading.id:28} {heading.title}")
            for sub in heading.subheadings:
                print(f"  {'':28}   - {sub}")
    return 0
