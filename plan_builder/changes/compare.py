"""Compare two build manifests and say what changed in a reader's words.

The older manifest is usually the last circulated version (`outputs/circulate.py`); it may
also be any earlier build. Manifests written before sections' text, figures' labels and
parts' rows were recorded still compare: figures are then named by id and sections say
only that their text changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from plan_builder.changes.model import Changes, FigureChange, RowChange, SectionChange
from plan_builder.changes.sentences import sentence_changes
from plan_builder.figures.formatting import long_date

NONE = "none"
"""Shown for a figure that did not exist in one of the two builds."""


def describe_build(manifest: Mapping[str, Any]) -> str:
    """'version 0.2 (draft) as circulated to Board, 12 June 2025' or 'version 0.3 (draft) built 2025-06-20 10:15'."""
    plan = manifest.get("plan", {})
    name = f"version {plan.get('version', '?')} ({plan.get('status', '?')})"
    circulations = manifest.get("circulations") or []
    if circulations:
        last = circulations[-1]
        when = long_date(dt.date.fromisoformat(str(last["on"])[:10]))
        return f"{name} as circulated " + (f"to {last['to']}" if last.get("to") else f"on {when}")
    built = str(manifest.get("built_at", "?"))
    return f"{name} built {built[:10]} {built[11:16]}".rstrip()


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> Changes:
    """What differs between the builds of two manifests, in the order a reader meets it."""
    old_plan, new_plan = old.get("plan", {}), new.get("plan", {})
    changes = Changes(
        old_version=str(old_plan.get("version", "?")),
        old_label=describe_build(old),
        new_label=describe_build(new),
    )
    if old_plan.get("status") != new_plan.get("status"):
        changes.status = (str(old_plan.get("status")), str(new_plan.get("status")))
    changes.sections = compare_sections(old.get("sections", {}), new.get("sections", {}))
    changes.figures = compare_figures(old.get("figures", {}), new.get("figures", {}), new_plan.get("area", ""))
    changes.rows = compare_parts(old.get("parts", {}), new.get("parts", {}))
    old_inputs, new_inputs = old.get("inputs", {}), new.get("inputs", {})
    changes.inputs = sorted(n for n in set(old_inputs) | set(new_inputs) if old_inputs.get(n) != new_inputs.get(n))
    return changes


def compare_sections(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[SectionChange]:
    """Sections added, removed or whose text changed, in the new plan's order (removed ones last)."""
    found: list[SectionChange] = []
    for name, after in new.items():
        before = old.get(name)
        title = after.get("title") or name
        if before is None:
            found.append(SectionChange("added", title, name))
            continue
        old_title = before.get("title") or title  # a manifest from before titles were kept
        renamed = _unnumbered(old_title) != _unnumbered(title)
        if before.get("sha256") == after.get("sha256") and not renamed:
            continue
        known = "text" in before and "text" in after
        sentences = sentence_changes(before["text"], after["text"]) if known else []
        found.append(SectionChange("changed", title, name, old_title if renamed else "", sentences, known))
    found += [SectionChange("removed", before.get("title") or name, name) for name, before in old.items()
              if name not in new]  # fmt: skip
    return found


def _unnumbered(title: str) -> str:
    """'4. Voice of the child' -> 'Voice of the child' (a section moving up one is not a change of title)."""
    number, dot, rest = title.partition(". ")
    return rest if dot and number.isdigit() else title


def figure_name(ident: str, summary: Mapping[str, Any], home_area: str) -> str:
    """'First time entrants per 100,000 children aged 10-17, Jan-Dec 2024': label, area (if not the plan's), period.

    Labels are 'Group: measure'; the group is dropped when the measure repeats it
    ('First time entrants: First time entrants per 100,000 ...').
    """
    label = str(summary.get("label") or ident)
    group, colon, measure = label.partition(": ")
    if colon and group.lower() in measure.lower():
        label = measure[:1].upper() + measure[1:]
    parts = [label]
    area = summary.get("area")
    if area and area != home_area:
        parts.append(str(area))
    if summary.get("period"):
        parts.append(str(summary["period"]))
    return ", ".join(parts)


def _shown(summary: Mapping[str, Any] | None) -> str:
    if summary is None:
        return NONE
    rag = summary.get("rag")
    return f"{summary.get('display')} ({rag})" if rag and rag != "Not rated" else str(summary.get("display"))


PART_TOTALS = ("budget.", "actions.", "risks.", "staffing.")
"""Figures that are a structured part's totals: their changes are told once, by the part's rows."""


def compare_figures(old: Mapping[str, Any], new: Mapping[str, Any], home_area: str) -> list[FigureChange]:
    """Figures whose value or rating changed, or that are new or gone, in the new build's order.

    The structured parts' totals are left out: the parts' rows say the same in their own words.
    """
    found = []
    for ident in [*new, *(i for i in old if i not in new)]:
        if ident.startswith(PART_TOTALS):
            continue
        before, after = old.get(ident), new.get(ident)
        if (
            before is not None
            and after is not None
            and ((before.get("value"), before.get("rag")) == (after.get("value"), after.get("rag")))
        ):
            continue
        name = figure_name(ident, after or before or {}, home_area)
        shown_before = _shown(before)
        if before is not None and after is not None and before.get("period") != after.get("period"):
            shown_before += f" ({before.get('period')})"
        found.append(FigureChange(name, shown_before, _shown(after), ident))
    return found


PART_ORDER = ("risks", "actions", "budget", "standards")


def compare_parts(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[RowChange]:
    """Rows of the structured parts whose fields changed, or that are new or gone."""
    found: list[RowChange] = []
    for part in PART_ORDER:
        before = {row["key"]: row for row in old.get(part, [])}
        after = {row["key"]: row for row in new.get(part, [])}
        for key, row in after.items():
            previous = before.get(key)
            if previous is None:
                found.append(RowChange(part, row["label"], kind="added"))
                continue
            for field, value in row["fields"].items():
                was = previous["fields"].get(field, "")
                if was != value:
                    found.append(RowChange(part, row["label"], field, "changed", was, value))
        found += [RowChange(part, row["label"], kind="removed") for key, row in before.items() if key not in after]
    return found
