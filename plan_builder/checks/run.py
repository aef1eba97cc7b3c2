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

from plan_builder.errors import PlanBuilderError, Problems
from plan_builder.inputs.config import Plan, Status
from plan_builder.outputs.cache import ImageCache, cache_dir_for
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
    """Run every check on the plan in `plan_dir` and return the report.

    The plan goes through exactly the stages `build` runs (`pipeline.prepare`), which report
    each problem once; then come the checks only `check` makes: YJB completeness, and on the
    document it would write (built in a temporary folder), the accessibility audit and, for a
    final plan, disclosure control.
    """
    from plan_builder import pipeline

    report = CheckReport()
    problems = Problems()
    cache_dir = cache_dir_for(plan_dir / "output")
    try:
        # Read-only use of the caches: check never writes into the output folder.
        images, fragments = ImageCache(cache_dir), FragmentCache(cache_dir / "fragments")
        prepared = pipeline.prepare(plan_dir, plan_dir / "output", images, fragments, problems)
    except PlanBuilderError as exc:
        report.errors += exc.problems
        return report
    report.errors += problems.messages
    inputs = prepared.inputs
    report.warnings += prepared.warnings
    report.warnings += check_completeness(prepared.plan, inputs.sections, inputs.structure)
    report.notes += [f"{len(inputs.sections)} sections", f"{len(prepared.computed.performance.figures)} figures"]
    report.notes.append("narrative consistency")
    report.warnings += output_folder_problems(plan_dir / "output", prepared.record["document"])
    if prepared.document is None:
        return report
    with tempfile.TemporaryDirectory(prefix="plan-builder-check-") as scratch:
        built = Path(scratch) / "plan.docx"
        prepared.document.document.save(str(built))
        _audit(report, built)
        if prepared.plan.manifest.status is Status.FINAL:
            report.warnings += check_disclosure(built, prepared.plan.manifest.disclosure_threshold)
            report.notes.append(f"disclosure (counts under {prepared.plan.manifest.disclosure_threshold})")
    return report


def output_folder_problems(folder: Path, document_name: str) -> list[str]:
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
    document = folder / document_name
    return problems + set_problems(document) + stale_siblings(document)


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
