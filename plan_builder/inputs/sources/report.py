"""What `plan-builder data import` says it understood and changed, as lines of text for the analyst to check."""

from __future__ import annotations

from plan_builder.inputs.sources import TableImport
from plan_builder.inputs.sources.merge import Merged

LISTED = 12
"""Lines listed of a long list before 'and N more'."""


def _listed(items: list[str], indent: str = "  ") -> list[str]:
    shown = [f"{indent}{item}" for item in items[:LISTED]]
    if len(items) > LISTED:
        shown.append(f"{indent}and {len(items) - LISTED} more")
    return shown


def understood_lines(result: TableImport) -> list[str]:
    """Periods, areas, measures, missing cells, footnotes and what was left out."""
    understood = result.understood
    lines = [
        f"Read {understood.table}: {understood.layout}; {understood.rows_read} row(s) used, "
        f"{len(result.records)} record(s) of {result.dataset}."
    ]
    periods = [f"{label} ({where})" for label, where in understood.periods.items()]
    lines.append(f"Periods ({len(periods)}): {', '.join(periods)}")
    lines.append(f"Areas ({len(understood.areas)}):")
    for area, labels in understood.areas.items():
        summed = " (summed)" if len(labels) > 1 and "every row" not in labels[0] else ""
        source = ", ".join(labels) if labels != [area] else "as labelled"
        lines.append(f"  {area}: {source}{summed}")
    lines.append("Measures: " + "; ".join(f"{field} from {where}" for field, where in understood.measures.items()))
    if understood.missing:
        lines.append(
            f"Cells marked missing ({len(understood.missing)}): loaded as missing with their reason, never as 0:"
        )
        lines += _listed([f"{ref}: {why.described} ({whose})" for ref, why, whose in understood.missing])
    if understood.footnotes:
        lines.append(
            f"Footnote markers removed ({len(understood.footnotes)}): {', '.join(understood.footnotes[:LISTED])}"
        )
    if understood.left_out:
        lines.append("Not imported:")
        lines += _listed(understood.left_out)
    return lines


def change_lines(merged: Merged, target: str, wrote: bool) -> list[str]:
    """Rows added, updated, unchanged and kept, with each changed cell."""
    verb = "Wrote" if wrote else "Would write (--dry-run)"
    lines = [
        f"{verb} {target}: {len(merged.added)} row(s) added, {len(merged.changed)} updated, "
        f"{merged.unchanged} unchanged, {merged.kept} kept (not in this table)."
    ]
    if merged.changed:
        lines.append("Updated:")
        lines += _listed(merged.changed)
    if merged.added and len(merged.added) <= LISTED:
        lines.append("Added: " + "; ".join(merged.added))
    return lines
