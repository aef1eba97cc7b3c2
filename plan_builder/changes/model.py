"""What changed between two versions of a plan, in a reader's words: the result `compare` returns.

Figures are named by their label, area and period as the document names them; sections by
their number and title, with the sentences that changed; risks, actions, budget lines and
National Standards by row. The changes page, `plan-builder diff` and the build output all
show this one result. File names and figure ids are kept for `--verbose` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from plan_builder.changes.sentences import SentenceChange

ARROW = "->"


@dataclass(frozen=True)
class FigureChange:
    """A figure whose value or rating changed, or that is new or gone."""

    name: str
    """'First time entrants per 100,000 children aged 10-17, Jan-Dec 2024'."""
    old: str
    """As shown before, e.g. '178' or '26.0% (Green)'; 'none' when the figure is new."""
    new: str
    ident: str
    """The figure's id ('fte.latest.rate'), shown with --verbose only."""


@dataclass(frozen=True)
class SectionChange:
    """A section added, removed or changed, with the sentences that changed."""

    kind: Literal["added", "removed", "changed"]
    title: str
    """'4. Voice of the child' (as it is now; as it was for a removed section)."""
    file: str
    """The section's file, shown with --verbose only."""
    old_title: str = ""
    """The title before, when it changed."""
    sentences: list[SentenceChange] = field(default_factory=list)
    wording_known: bool = True
    """False when the older build kept no text to compare with (a manifest from before plan-builder 0.x)."""

    def heading(self) -> str:
        """'4. Voice of the child', 'New section: 6. Board development' or a renamed section's both titles."""
        if self.kind == "added":
            return f"New section: {self.title}"
        if self.kind == "removed":
            return f"Section removed: {self.title}"
        if self.old_title and self.old_title != self.title:
            return f"{self.title} (was {self.old_title})"
        return self.title

    def details(self) -> list[str]:
        """One line per changed sentence, or why there are none."""
        if self.kind != "changed":
            return []
        if not self.wording_known:
            return ["The text changed (the earlier build did not keep its text, so the sentences cannot be shown)."]
        if not self.sentences:
            return ["The wording is unchanged; its layout or the tables placed in it changed."]
        return [change.describe() for change in self.sentences]


@dataclass(frozen=True)
class RowChange:
    """A row of the risk register, action plan, budget or National Standards: a field changed, or it is new or gone."""

    part: str
    """'risks', 'actions', 'budget' or 'standards'."""
    row: str
    """What a reader calls the row: 'Risk R3 (Children are criminally exploited)'."""
    field: str = ""
    """The field that changed ('residual score'); '' when the whole row is new or gone."""
    kind: Literal["changed", "added", "removed"] = "changed"
    old: str = ""
    new: str = ""

    @property
    def what(self) -> str:
        """'Risk R3 (...): residual score', or the row alone when it was added or removed."""
        return f"{self.row}: {self.field}" if self.field else self.row

    def describe(self) -> str:
        """'Risk R3 (...): residual score: 9 (Medium) -> 12 (Medium)', '...: added' or '...: removed'."""
        if self.kind != "changed":
            return f"{self.what}: {self.kind}"
        return f"{self.what}: {self.old or 'blank'} {ARROW} {self.new or 'blank'}"


@dataclass
class Changes:
    """Everything that differs between an older and a newer build of a plan."""

    old_version: str
    old_label: str
    """'version 0.2 (draft) as circulated to Board, 12 June 2025'."""
    new_label: str
    status: tuple[str, str] | None = None
    figures: list[FigureChange] = field(default_factory=list)
    sections: list[SectionChange] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    """Input files whose content changed: shown with --verbose only."""

    @property
    def empty(self) -> bool:
        """True when a reader would see no difference."""
        return not (self.status or self.figures or self.sections or self.rows)

    def summary(self) -> str:
        """'2 sections, 4 figures and 1 row of the risk register, ... have changed.' (only what did change)."""
        rows = len({(row.part, row.row) for row in self.rows})
        counts = [_count(len(self.sections), "section"), _count(len(self.figures), "figure")]
        counts.append(_count(rows, "row") + " of the risk register, action plan, budget or National Standards")
        counts = [count for count in counts if not count.startswith("0 ")]
        if not counts:
            return "Only the status has changed." if self.status else "Nothing has changed."
        text = counts[0] if len(counts) == 1 else f"{', '.join(counts[:-1])} and {counts[-1]}"
        return f"{text} {'has' if len(counts) == 1 and counts[0].startswith('1 ') else 'have'} changed."

    def lines(self, *, verbose: bool = False) -> list[str]:
        """The changes as text, one item a line: what `plan-builder diff` prints."""
        out = [f"Changes from {self.old_label} to {self.new_label}:"]
        if self.empty:
            out.append("No changes a reader would see.")
        if self.status:
            out.append(f"Status: {self.status[0]} {ARROW} {self.status[1]}")
        if self.sections:
            out.append(f"Sections changed ({len(self.sections)}):")
            for section in self.sections:
                out.append(f"  {section.heading()}" + (f" ({section.file})" if verbose else ""))
                out += [f"    {line}" for line in section.details()]
        if self.figures:
            out.append(f"Figures changed ({len(self.figures)}):")
            out += [f"  {f.name}: {f.old} {ARROW} {f.new}" + (f" [{f.ident}]" if verbose else "") for f in self.figures]
        if self.rows:
            out.append(f"Risks, actions, budget and standards changed ({len(self.rows)}):")
            out += [f"  {row.describe()}" for row in self.rows]
        if verbose:
            out.append(f"Input files changed ({len(self.inputs)}):")
            out += [f"  {name}" for name in self.inputs]
        return out


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
