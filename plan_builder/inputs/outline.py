"""The plan's outline: its section files loaded in manifest order and checked against the YJB section list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plan_builder.errors import Problems, SectionError
from plan_builder.inputs.config import PLAN_DOCUMENT, Plan, Status
from plan_builder.inputs.kinds import KINDS
from plan_builder.inputs.sections import LOCAL_HEADING, Section, load_section
from plan_builder.inputs.structure import Structure, check_order

UPDATE_HEADINGS = ("progress-on-previous-plan", "performance", "priorities")
"""What the YJB expects an annual update of a multi-year plan to cover (a lighter list than a plan's)."""


def document_sections(plan: Plan, structure: Structure, problems: Problems) -> list[Section]:
    """A document's sections: those it lists, or (a further document listing none) its kind's default outline."""
    if plan.document == PLAN_DOCUMENT or plan.manifest.sections or plan.manifest.appendices:
        return load_sections(plan, structure, problems)
    where = plan.source.where(("documents", plan.document))
    line = int(where.rsplit(":", 1)[-1]) if where.rsplit(":", 1)[-1].isdigit() else 1
    return [
        Section(plan.source.path, entry.heading or LOCAL_HEADING, entry.title, True, "", line, blocks=entry.blocks)
        for entry in KINDS[plan.kind].outline
    ]


def validate_outline(plan: Plan, structure: Structure, sections: list[Section], *, partial: bool = False) -> list[str]:
    """The YJB heading checks a document's kind calls for: all for a plan, a shorter list for an update.

    `partial` means some section files could not be read (see `validate_structure`).
    """
    checks = KINDS[plan.kind].yjb_headings
    if checks == "all":
        return validate_structure(plan, structure, sections, partial=partial)
    if checks == "update":
        present = {s.heading_id for s in sections}
        where = manifest_where(plan, ("documents", plan.document))
        return [
            f"{where}: documents.{plan.document}: an annual update usually covers "
            f"'{heading.title}' ({heading.id}); no section has that heading"
            for heading_id in UPDATE_HEADINGS
            if heading_id not in present and (heading := structure.heading(heading_id)) is not None
        ]
    return []


def load_sections(plan: Plan, structure: Structure, problems: Problems) -> list[Section]:
    """Load every section and appendix listed in the manifest, in order; record each broken one's problems."""
    sections = []
    for key, entries, is_appendix in (
        ("sections", plan.manifest.sections, False),
        ("appendices", plan.manifest.appendices, True),
    ):
        for index, entry in enumerate(entries):
            try:
                section = load_section(
                    plan.path(entry.file),
                    plan.display(entry.file),
                    structure,
                    is_appendix=is_appendix,
                    separate_document=entry.separate_document,
                    listed_at=f"{manifest_where(plan, (key, index))}: {key}[{index}]",
                )
            except SectionError as exc:
                problems.add(exc)  # keep going: report every section's problems at once
                continue
            sections.append(section)
    return sections


def manifest_where(plan: Plan, key: tuple[str | int, ...]) -> str:
    """'plan.yaml:LINE' for a manifest key (with the plan folder, as every other path in messages)."""
    return plan.source.where(key)


def _entry_key(plan: Plan, section: Section) -> tuple[str | int, ...]:
    for key, entries in (("sections", plan.manifest.sections), ("appendices", plan.manifest.appendices)):
        for index, entry in enumerate(entries):
            if plan.display(entry.file) == section.path:
                return (key, index)
    return ("sections",)


def validate_structure(
    plan: Plan, structure: Structure, sections: list[Section], *, partial: bool = False
) -> list[str]:
    """Check the sections against the YJB list; return warnings, raise on errors.

    `partial` means some section files could not be read: which headings they fill is unknown,
    so no heading is reported missing (their own problems are reported).
    """
    report = check_order(structure, [s.heading_id for s in sections])
    problems = []
    for heading_id in report.out_of_order:
        section = next(s for s in sections if s.heading_id == heading_id)
        key = _entry_key(plan, section)
        problems.append(
            f"{manifest_where(plan, key)}: {key[0]}[{key[1]}]: {section.path} ('{section.title}') "
            f"is out of YJB order for '{structure.name}'"
        )
    seen: dict[str, Path] = {}
    for section in sections:
        if section.heading_id in seen and section.heading_id != "local":
            problems.append(
                f"{section.path}:2: heading {section.heading_id!r} is already filled by {seen[section.heading_id]}"
            )
        seen[section.heading_id] = section.path
    if problems:
        raise SectionError(*problems)
    if partial:
        return []
    where = manifest_where(plan, ("sections",))
    missing = [f"{where}: sections: required YJB heading missing: '{h.title}' ({h.id})" for h in report.missing]
    if missing and plan.manifest.status is Status.FINAL:
        raise SectionError(*missing)
    return missing


@dataclass(frozen=True)
class SectionTitle:
    """A section's Heading 1 as the document shows it, and how its sub-headings are numbered."""

    text: str
    """'4. Voice of the child', 'Appendix 2: Budget costs and contributions', or an unnumbered title."""
    sub_number: str
    """The prefix of its sub-headings ('4'), or '' when they are not numbered."""
    appendix: int = 0
    """The appendix number (0 for a section)."""


def section_titles(sections: list[Section], number_headings: bool) -> list[SectionTitle]:
    """Each section's numbered title, in order: the document's headings and the changes page use the same."""
    titles = []
    counters = {"section": 0, "appendix": 0}
    for section in sections:
        if section.is_appendix:
            counters["appendix"] += 1
            titles.append(SectionTitle(f"Appendix {counters['appendix']}: {section.title}", "", counters["appendix"]))
        elif section.numbered and number_headings:
            counters["section"] += 1
            titles.append(SectionTitle(f"{counters['section']}. {section.title}", str(counters["section"])))
        else:
            titles.append(SectionTitle(section.title, ""))
    return titles
