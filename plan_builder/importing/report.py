"""The import report: how each heading was mapped, and everything the author should check.

It is printed by `plan-builder import` and kept as `import-report.md` in the plan folder. Every
item names the section file and line it is about, so the author can go straight to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plan_builder.importing.candidates import Candidate
from plan_builder.importing.compose import Finding, ImportedSection

CHECK_ORDER = ("merge", "alt", "format", "skipped", "level", "note")
"""Findings the author must act on or check, in the order the report lists them."""


@dataclass
class SectionLine:
    """One imported section: its heading in Word, what it was mapped to, its file and what to check."""

    source: str
    heading_id: str
    title: str
    how: str
    file: str
    findings: list[Finding]
    tables: int
    pictures: int
    note: str = ""
    renamed: bool = False
    """The section takes the YJB's wording of the heading, not the document's."""

    @classmethod
    def of(cls, file: str, section: ImportedSection) -> SectionLine:
        """The report line of a written section."""
        yjb = section.match.heading.title if section.match.heading else section.title
        return cls(
            section.source,
            section.heading_id,
            yjb,
            section.match.how,
            file,
            list(section.findings),
            section.tables,
            len(section.pictures),
            renamed=section.renamed,
        )


@dataclass
class ImportReport:
    """Everything an import found, for the author."""

    source: Path | None = None
    folder: Path | None = None
    sections: list[SectionLine] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """YJB headings the document has no section for."""
    candidates: list[tuple[str, Candidate]] = field(default_factory=list)
    before: tuple[int, str] | None = None
    """(blocks before the first heading, where they were kept)."""
    notes: list[str] = field(default_factory=list)

    def findings(self, kind: str) -> list[str]:
        """'file:line: text' for every finding of `kind`."""
        return [f"{s.file}:{f.line}: {f.text}" for s in self.sections for f in s.findings if f.kind == kind]

    def text(self) -> str:
        """The report as Markdown text (it reads as plain text too)."""
        out = [f"# Import of {self.source.name if self.source else 'a Word plan'}", ""]
        matched = [s for s in self.sections if s.heading_id != "local"]
        local = [s for s in self.sections if s.heading_id == "local"]
        out.append(f"{len(self.sections)} sections: {len(matched)} mapped to YJB headings, {len(local)} local.")
        out += ["", "## Headings mapped to the YJB section list", ""]
        out += [
            f"- '{s.source}' -> {s.heading_id} ({s.title}), because {s.how} -> {s.file}"
            + ("; headed with the YJB's wording" if s.renamed else "")
            + (f"; {s.note}" if s.note else "")
            for s in matched
        ] or ["- none"]
        out += ["", "## Headings that match no YJB heading (kept as local sections)", ""]
        out += [f"- '{s.source}' -> {s.file}" + (f"; {s.note}" if s.note else "") for s in local] or ["- none"]
        out += ["", "## YJB headings the document has no section for", ""]
        out += [f"- {line}" for line in self.missing] or ["- none"]
        tables = sum(s.tables for s in self.sections)
        pictures = sum(s.pictures for s in self.sections)
        merges, alts = self.findings("merge"), self.findings("alt")
        out += ["", "## Tables and pictures", ""]
        out.append(f"- {tables} tables as Markdown tables; merged cells split in {len(merges)} place(s)")
        out.append(f"- {pictures} pictures written to images/; {len(alts)} without alt text")
        for kind, heading in (
            ("merge", "Merged cells split (check the cells read correctly)"),
            ("alt", "Pictures without alt text (a prompt marks each)"),
            ("format", "Pictures plan-builder cannot place"),
            ("skipped", "Not imported (a prompt marks each place)"),
            ("level", "Sub-headings moved to another level"),
            ("note", "Footnotes and endnotes"),
        ):
            found = self.findings(kind)
            if found:
                out += ["", f"## {heading}", "", *(f"- {line}" for line in found)]
        out += ["", "## Figures to replace with computed ones", ""]
        out.append("Typed figures go out of date; `plan-builder figures` lists the names of computed ones.")
        out.append("")
        out += [f"- {file}:{c.line}: {', '.join(c.numbers)} ({c.cue})" for file, c in self.candidates] or [
            "- none found"
        ]
        if self.before:
            out += ["", "## Before the first heading", ""]
            out.append(
                f"- {self.before[0]} paragraphs, tables or pictures (cover, contents, front pages) kept in "
                f"{self.before[1]}; they are not part of the plan (plan-builder makes its own cover and contents)"
            )
        if self.notes:
            out += ["", "## Notes", "", *(f"- {note}" for note in self.notes)]
        return "\n".join(out) + "\n"
