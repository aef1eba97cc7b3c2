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

from plan_builder.checks.disclosure import check_disclosure
from plan_builder.errors import PlanBuilderError, Problems
from plan_builder.inputs.config import Plan, Status


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
        prepared = pipeline.prepare_in_place(plan_dir, problems)  # check never writes into the output folder
    except PlanBuilderError as exc:
        report.errors += exc.problems
        return report
    report.errors += problems.messages
    inputs = prepared.inputs
    report.warnings += prepared.warnings
    report.warnings += check_completeness(prepared.plan, inputs.sections, inputs.structure)
    report.notes += [f"{len(inputs.sections)} sections", f"{len(prepared.computed.performance.figures)} figures"]
    report.notes.append("narrative consistency")
    if prepared.document is None:
        return report
    if prepared.plan.manifest.status is Status.FINAL:
        threshold = prepared.plan.manifest.disclosure_threshold
        merged = [(r.section.path, r.section.body_line, r.text) for r in prepared.computed.rendered]
        report.warnings += check_disclosure(merged, prepared.computed.performance.figures, threshold)
        report.notes.append(f"disclosure (counts of children under {threshold})")
    with tempfile.TemporaryDirectory(prefix="plan-builder-check-") as scratch:
        built = Path(scratch) / "plan.docx"
        prepared.document.document.save(str(built))
        _audit(report, built)
    return report


def _audit(report: CheckReport, built: Path) -> None:
    try:
        from plan_builder.checks.audit import audit_document
    except ImportError:  # pragma: no cover - optional during development
        return
    audit = audit_document(built)
    for finding in audit.findings:
        line = f"{finding.location}: [{finding.rule}] {finding.message}"
        (report.errors if finding.severity == "error" else report.warnings).append(f"document {line}")
    report.notes.append("accessibility audit")
