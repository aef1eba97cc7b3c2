"""`plan-builder check`: everything that is wrong with a plan, in one report, before the board sees it.

Runs every stage except writing the document, and keeps going after a problem
wherever the stages allow, so an author sees all of them at once: schema errors
in each file, YJB completeness, figures in text against the data, the
accessibility audit of the built document (built in a temporary folder), and,
for plans marked final, small numbers that could identify children.

Exit codes: 0 no errors; 1 errors (with --strict, warnings count as errors).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from plan_builder.errors import PlanBuilderError
from plan_builder.inputs.config import Plan, Status, load_plan
from plan_builder.outputs.cache import ImageCache
from plan_builder.outputs.fragments import FragmentCache

SMALL_COUNT = re.compile(r"^\s*(\d{1,3})\s*$")
SMALL_RATIO = re.compile(r"^\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")


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


def _collect(report: CheckReport, exc: PlanBuilderError) -> None:
    report.errors.extend(exc.problems)


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


def check_disclosure(document_path: Path, threshold: int) -> list[str]:
    """Counts below `threshold` in tables: small numbers can identify children in a published plan."""
    import docx

    document = docx.Document(str(document_path))
    flagged = []
    for index, table in enumerate(document.tables, start=1):
        header = [cell.text.strip() for cell in table.rows[0].cells]
        for row_number, row in enumerate(table.rows[1:], start=2):
            for column, cell in enumerate(row.cells):
                text = cell.text
                numbers = []
                if match := SMALL_COUNT.match(text):
                    numbers = [int(match[1])]
                elif match := SMALL_RATIO.match(text):
                    numbers = [int(match[1]), int(match[2])]
                small = [n for n in numbers if 0 < n < threshold]
                if small:
                    name = header[column] if column < len(header) else f"column {column + 1}"
                    first = row.cells[0].text.strip()
                    flagged.append(
                        f"table {index}, row {row_number} ('{first[:40]}'), column '{name}': count {small[0]} is below "
                        f"{threshold}; small numbers can identify children (suppress or combine before publishing)"
                    )
    return flagged


def run_checks(plan_dir: Path) -> CheckReport:
    """Run every check on the plan in `plan_dir` and return the report."""
    from plan_builder import pipeline
    from plan_builder.inputs.structure import load_structure

    report = CheckReport()
    try:
        plan = load_plan(plan_dir)
    except PlanBuilderError as exc:
        _collect(report, exc)
        return report
    try:
        structure = load_structure(
            plan.manifest.structure, plan.manifest.period, where=pipeline.manifest_where(plan, ("structure",))
        )
        sections = pipeline.load_sections(plan, structure)
        report.warnings += pipeline.validate_structure(plan, structure, sections)
        report.warnings += check_completeness(plan, sections, structure)
        report.notes.append(f"{len(sections)} sections")
    except PlanBuilderError as exc:
        _collect(report, exc)
        return report
    try:
        inputs = pipeline.load_inputs(plan)
        computed = pipeline.compute(plan, inputs)
    except PlanBuilderError as exc:
        _collect(report, exc)
        return report
    report.warnings += inputs.warnings + computed.warnings
    report.notes.append(f"{len(computed.performance.figures)} figures")
    try:
        from plan_builder.checks.consistency import check_narrative

        raw = [(s.path, s.body_line, s.body) for s in inputs.sections]
        report.warnings += check_narrative(raw, computed.performance.figures)
        report.notes.append("narrative consistency")
    except ImportError:  # pragma: no cover - optional during development
        pass
    with tempfile.TemporaryDirectory(prefix="plan-builder-check-") as scratch:
        try:
            cache_dir = pipeline.cache_dir_for(plan_dir / "output")
            # Read-only use of the caches: check never writes into the output folder.
            rendered_plan = pipeline.render(
                plan, inputs, computed, ImageCache(cache_dir), FragmentCache(cache_dir / "fragments")
            )
        except PlanBuilderError as exc:
            _collect(report, exc)
            return report
        report.warnings += rendered_plan.ctx.warnings
        built = Path(scratch) / "plan.docx"
        rendered_plan.document.save(str(built))
        _audit(report, built)
        if plan.manifest.status is Status.FINAL:
            report.warnings += check_disclosure(built, plan.manifest.disclosure_threshold)
            report.notes.append(f"disclosure (counts under {plan.manifest.disclosure_threshold})")
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
