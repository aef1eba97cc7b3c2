"""`plan-builder data import`: a published table into the plan's long-format data file, without retyping."""

from __future__ import annotations

import argparse
from pathlib import Path

from plan_builder.commands.arguments import Subcommands

DATASETS = ("fte", "reoffending", "custody", "kpis", "population")


def register(commands: Subcommands) -> None:
    """Add `data import`."""
    data = commands.add_parser("data", help="import published tables (CSV, Excel, OpenDocument) into the plan's data")
    actions = data.add_subparsers(dest="data_command", metavar="COMMAND", required=True)
    reader = actions.add_parser(
        "import",
        help="read a published table and write or update the plan's data file for DATASET",
        description=(
            "Reads SOURCE (.csv, .xlsx, .xlsm, .xls or .ods) as plan.yaml's performance.datasets.DATASET.import "
            "describes it, prints what it understood (periods, areas, measures, suppressed cells, what it left "
            "out) and writes or updates the dataset's CSV file, reporting every value that changed. "
            "Exit status: 0 written; 1 a problem in the table or plan.yaml (nothing is written)."
        ),
    )
    reader.add_argument("source", metavar="SOURCE", help="the published table")
    reader.add_argument("--as", dest="dataset", required=True, choices=DATASETS, help="the dataset it gives")
    reader.add_argument("--plan", default=".", metavar="DIR", help="folder with plan.yaml (default: .)")
    reader.add_argument("--dry-run", action="store_true", help="show what would change without writing")
    reader.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    import tempfile

    from plan_builder.errors import ConfigError
    from plan_builder.inputs.config import load_plan
    from plan_builder.inputs.data import load_dataset
    from plan_builder.inputs.readers.delimited import decode_csv
    from plan_builder.inputs.schema import field_path
    from plan_builder.inputs.sources import import_table
    from plan_builder.inputs.sources.merge import merge, read_existing
    from plan_builder.inputs.sources.report import change_lines, understood_lines
    from plan_builder.outputs.write import write_atomic

    plan = load_plan(Path(args.plan))
    name = args.dataset
    performance = plan.manifest.performance
    manifest = plan.root / "plan.yaml"
    if performance is None or name not in performance.datasets:
        raise ConfigError(
            f"{manifest}: performance.datasets has no {name}; add it with the file to write "
            f"(for example '{name}: {{file: data/{name}.csv}}') and, unless the table already has "
            "plan-builder's columns, an import: block describing the table"
        )
    entry = performance.datasets[name]
    where = plan.source.where(("performance", "datasets", name))
    if entry.file is None or not entry.file.lower().endswith(".csv") or entry.sheet is not None:
        raise ConfigError(
            f"{where}: performance.datasets.{name}: data import writes a CSV file; give file: data/{name}.csv "
            f"(it is {entry.file or 'not given'})"
        )

    def locate(*keys: str | int) -> str:
        path = ("performance", "datasets", name, "import", *keys)
        return f"{plan.source.where(path)}: {field_path(path)}"

    result = import_table(Path(args.source), Path(args.source), name, entry.import_, locate)
    target, display = plan.path(entry.file), plan.display(entry.file)
    existing = read_existing(decode_csv(target.read_bytes(), display)) if target.is_file() else ([], [], "\n")
    merged = merge(name, existing, result.records, result.source)
    text = merged.text().encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="plan-builder-import-") as scratch:
        trial = Path(scratch) / target.name
        trial.write_bytes(text)
        load_dataset(name, trial, display)  # the file as it would be written meets the data contract
    if not args.dry_run:
        write_atomic(target, lambda handle: handle.write(text))
    for line in [*understood_lines(result), *change_lines(merged, str(display), not args.dry_run)]:
        print(line)
    if entry.provenance:
        print(f"Source in plan.yaml: {entry.provenance}; update source and released there if this is a newer release.")
    else:
        print(f"Name the source in plan.yaml ({where}): source: ..., released: YYYY-MM-DD, shown under the charts.")
    return 0
