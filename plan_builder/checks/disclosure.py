"""Disclosure control for a final plan: small counts of children, which could identify a child.

Only counts of children can identify children, so only they are checked: the columns a
section's table declares in its caption (`Table: Referrals by source {children}`), and the
counts behind the KPI table for the KPIs that count children. Counts of actions, staff,
board members or risks are never flagged. A count of 0 identifies nobody and is not flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from plan_builder.figures.figure import Figure
from plan_builder.figures.kpis import load_kpi_definitions
from plan_builder.inputs.tables import small_children_counts

ADVICE = "small numbers can identify children (suppress or combine before publishing)"


def check_disclosure(sections: list[tuple[Path, int, str]], figures: Mapping[str, Figure], threshold: int) -> list[str]:
    """Counts of children below `threshold`, in section tables (as declared) and in the KPI table.

    Args:
        sections: (file, line where the text starts, text merged with the figures) for each section.
        figures: the computed figures by id.
        threshold: counts from 1 to `threshold - 1` are flagged.

    Returns:
        One warning per small count: 'file:line: table ..., row ..., column ...: count 3 is below 5; ...'.
    """
    found: list[str] = []
    for path, first_line, text in sections:
        found += small_children_counts(text, path, first_line, threshold)
    return found + kpi_small_counts(figures, threshold)


def kpi_small_counts(figures: Mapping[str, Figure], threshold: int) -> list[str]:
    """Small numerators or denominators of the latest KPI figures whose KPI counts children."""
    counts_children = {d.id for d in load_kpi_definitions() if d.counts == "children"}
    found = []
    for ident, figure in figures.items():
        parts = ident.split(".")
        if len(parts) != 4 or parts[0] != "kpi" or parts[2] != "latest" or parts[1] not in counts_children:
            continue
        small = [int(v) for v in figure.inputs.values() if v is not None and 0 < v < threshold]
        if small:
            found.append(
                f"the KPI table, row '{figure.label}' ({ident}, {figure.period}), column 'Counts': "
                f"count {small[0]} is below {threshold}; {ADVICE}"
            )
    return found
