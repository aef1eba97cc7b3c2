"""`plan-builder check`: everything that is wrong with a plan, in one report, before the board sees it.

Runs every stage except writing the document, and keeps going after a problem
wherever the stages allow, so an author sees all of them at once: schema errors
in each file, YJB completeness, figures in text against the data, the
accessibility audit of the built document (built in a temporary folder), and,
for plans marked final, small counts of children that could identify a child.

Exit codes: 0 no errors; 1 errors (with --strict, warnings count as errors).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plan_builder.checks.disclosure import check_disclosure
from plan_builder.errors import PlanBuilderError, Problems
from plan_builder.inputs.config import PLAN_DOCUMENT, Plan, Status
from plan_builder.outputs.names import document_stem


@dataclass
class CheckReport:
    """Errors and warnings, each one line naming file and line (or document location)."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was checked, for the summary line."""

    def failed(self, strict: bool) -> bool:
        """True if the check should exit 1."""
        return bool(self.errors or (strict and self.warnings))


def check_completeness(plan: Plan, sections: list, structure: object) -> list[str]:
    """Required YJB headings: present, in order (checked on load) and not empty; priority sub-headings."""
    problems = []
    for section in sections:
        text = re.sub(r"\{[{%#].*?[}%#]\}", "", section.body, flags=re.S)
        if not re.search(r"\w", text) and section.heading_id != "local":
            problems.append(f"{section.path}:{section.body_line}: section '{section.title}' has no text")
        heading = structure.heading(section.heading_id)  # type: ignore[attr-defined]
        if heading is None or not heading.subheadings:
            continue
        written = [
            re.sub(r"\s+", " ", m.group(1)).strip().lower()
            for m in re.finditer(r"^##\s+(.+?)\s*#*$", section.body, re.M)
        ]
        for sub in heading.subheadings:
            if sub.lower() not in written:
                problems.append(
                    f"{section.path}:{section.body_line}: '{section.title}' has no '## {sub}' sub-heading "
                    "(a YJB sub-heading of this section)"
                )
    return problems


def run_checks(plan_dir: Path) -> CheckReport:
    """Run every check on the plan in `plan_dir` and return the report.

    The plan goes through exactly the stages `build` runs (`pipeline.prepare`), which report
    each problem once; then come the checks only `check` makes: YJB completeness, and on the
    document it would write (built in a temporary folder), the accessibility audit and, for a
    final plan, disclosure control.
    """
    from plan_builder import pipeline

    report = CheckReport()
    problems = Problems()
    try:
        documents = pipeline.prepare_all_in_place(plan_dir, problems)  # check never writes into the output folder
    except PlanBuilderError as exc:
        report.errors += exc.problems
        return report
    report.errors += problems.messages
    for prepared in documents:
        report.warnings += [w for w in prepared.warnings if w not in report.warnings]
        if prepared.plan.kind == PLAN_DOCUMENT:
            report.warnings += check_completeness(prepared.plan, prepared.inputs.sections, prepared.inputs.structure)
    plan = documents[0]
    report.notes += [f"{len(plan.inputs.sections)} sections", f"{len(plan.computed.performance.figures)} figures"]
    if len(documents) > 1:
        report.notes.append(f"{len(documents)} documents")
    report.notes.append("narrative consistency")
    names = [prepared.record["document"] for prepared in documents]
    report.warnings += output_folder_problems(plan_dir / "output", names)
    with tempfile.TemporaryDirectory(prefix="plan-builder-check-") as scratch:
        for prepared in documents:
            _check_document(report, prepared, Path(scratch), several=len(documents) > 1)
    return report


def _check_document(report: CheckReport, prepared: Any, scratch: Path, *, several: bool) -> None:
    """The accessibility audit (and, for a final, disclosure control) of one document as it would be written."""
    if prepared.document is None:
        return
    if prepared.plan.manifest.status is Status.FINAL:
        threshold = prepared.plan.manifest.disclosure_threshold
        merged = [(r.section.path, r.section.body_line, r.text) for r in prepared.computed.rendered]
        report.warnings += check_disclosure(merged, prepared.computed.performance.figures, threshold)
        note = f"disclosure (counts of children under {threshold})"
        if note not in report.notes:
            report.notes.append(note)
    built = scratch / f"{prepared.plan.document}.docx"
    prepared.document.document.save(str(built))
    _audit(report, built, f"{document_stem(prepared.plan)}.docx" if several else "")


def output_folder_problems(folder: Path, document_names: list[str]) -> list[str]:
    """What an interrupted build or a hand edit left in the output folder, each with what to do.

    `check` never changes the output folder, so it reports: a set an interrupted build was
    putting in place (the next build finishes it), and a document that no longer matches its
    manifest's hash, has no manifest, or has PDFs or appendices from an earlier build beside it.
    """
    from plan_builder.outputs.manifest import set_problems, stale_siblings
    from plan_builder.outputs.recovery import pending_sets

    problems = [
        f"{journal}: an earlier build was interrupted while putting its files in place; run `plan-builder build` "
        "to finish it (check does not change the output folder)"
        for journal in pending_sets(folder)
    ]
    for name in document_names:
        problems += set_problems(folder / name) + stale_siblings(folder / name)
    return problems


def _audit(report: CheckReport, built: Path, label: str = "") -> None:
    try:
        from plan_builder.checks.audit import audit_document
    except ImportError:  # pragma: no cover - optional during development
        return
    audit = audit_document(built)
    for finding in audit.findings:
        line = f"{finding.location}: [{finding.rule}] {finding.message}"
        (report.errors if finding.severity == "error" else report.warnings).append(
            f"document {label}{' ' if label else ''}{line}"
        )
    if "accessibility audit" not in report.notes:
        report.notes.append("accessibility audit")
