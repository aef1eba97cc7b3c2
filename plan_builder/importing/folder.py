"""Bring a Word plan into a plan folder: a new one (a whole plan, as `new` writes) or an existing one.

Sections are put in YJB order (a heading the YJB list does not have stays after the one it
followed), YJB headings the document lacks get the starter's prompt, and everything before the
first heading (cover, contents) is kept in `imported/before-first-heading.md` rather than lost.
In an existing plan, only a section still holding nothing but its starter prompts is replaced;
a section with the service's own text is left alone and the imported one written beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from plan_builder.errors import PlanBuilderError, SectionError, WordImportError
from plan_builder.importing.candidates import find_candidates
from plan_builder.importing.compose import ImportedSection, SplitPlan, split_sections, write_body
from plan_builder.importing.mapping import HeadingMatch
from plan_builder.importing.model import WordPlan
from plan_builder.importing.report import ImportReport, SectionLine
from plan_builder.inputs.prompts import PROMPT
from plan_builder.inputs.sections import split_front_matter
from plan_builder.inputs.structure import Heading, Structure
from plan_builder.inputs.yamlio import parse_yaml
from plan_builder.starter.new import (
    NewPlan,
    check_folder_is_new,
    data_files,
    plan_yaml,
    section_text,
    write_files,
    write_folder,
)

BEFORE_FILE = "imported/before-first-heading.md"
REPORT_FILE = "import-report.md"


@dataclass
class Placed:
    """An imported section (or a YJB heading the document lacks) with the file it goes to."""

    file: str
    appendix: bool
    section: ImportedSection | None
    heading: Heading | None = None
    """For a missing YJB heading: the heading its prompt is written for."""


@dataclass
class Imported:
    """The files an import writes, and its report."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    report: ImportReport = field(default_factory=ImportReport)


def slug(text: str) -> str:
    """'our-approach-to-trauma' for a file name."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return words[:50].rstrip("-") or "section"


def _rank(structure: Structure, heading: Heading) -> tuple[bool, int]:
    """Where a YJB heading goes: (is an appendix, its position); the foreword first."""
    if heading in structure.appendices:
        return True, structure.appendices.index(heading)
    if heading in structure.sections:
        return False, structure.sections.index(heading) + 1
    return False, 0


def place_sections(split: SplitPlan, structure: Structure, report: ImportReport) -> list[Placed]:
    """Order the sections as the YJB list does and give each a file; one section per YJB heading."""
    used: set[str] = set()
    keyed: list[tuple[tuple[bool, int, int], Placed]] = []
    last: tuple[bool, int] = (False, 0)
    for order, section in enumerate(split.sections):
        heading = section.match.heading
        if heading is not None and heading.id in used:
            report.notes.append(f"'{section.source}' is a second section for {heading.id}: kept as a local section")
            section.match = HeadingMatch(None, f"{heading.id} was already filled", section.match.appendix)
            heading = None
        if heading is not None:
            used.add(heading.id)
            last = _rank(structure, heading)
            number = (90 + last[1]) if last[0] else last[1]
            name = f"sections/{number:02d}-{heading.id}.md"
        else:
            last = (section.match.appendix or last[0], last[1])
            number = (90 + last[1]) if last[0] else last[1]
            name = f"sections/{number:02d}-{slug(section.title)}.md"
        keyed.append(((last[0], last[1], order), Placed(name, last[0], section)))
    for heading in [*structure.sections, *structure.appendices]:
        if heading.id not in used:
            appendix, position = _rank(structure, heading)
            number = (90 + position) if appendix else position
            key = (appendix, position, -1)
            keyed.append((key, Placed(f"sections/{number:02d}-{heading.id}.md", appendix, None, heading)))
    placed = [item for _, item in sorted(keyed, key=lambda pair: pair[0])]
    taken: set[str] = set()
    for item in placed:  # two local sections with the same title after the same heading
        base, count = item.file.removesuffix(".md"), 2
        while item.file in taken:
            item.file, count = f"{base}-{count}.md", count + 1
        taken.add(item.file)
    return placed


def generated_here(file: str, heading_id: str) -> list[str]:
    """A note for a section whose tables plan-builder can make itself from the plan's data."""
    from plan_builder.parts.registry import BLOCKS

    made = [block.summary for block in BLOCKS if heading_id in block.placed_in and block.name != "signoff"]
    if heading_id == "sign-off":
        return [f"{file}: plan-builder adds the sign-off table itself (from plan.yaml): delete the imported one"]
    if not made:
        return []
    return [
        f"{file}: plan-builder makes {', '.join(made)} here from the plan's data; the imported tables are last "
        "year's: delete them once the data is in plan.yaml"
    ]


def section_file(section: ImportedSection, first_picture: list[int], notes: dict[int, str], level: int) -> str:
    """The whole section file: front matter, then the Markdown body."""
    front = section.front_matter()
    write_body(section, len(front) + 1, level, first_picture, notes)
    return "\n".join(front) + "\n" + section.body


def compose_import(word: WordPlan, structure: Structure, spec: NewPlan | None, first_picture: int = 1) -> Imported:
    """Every file of the import, and its report. With `spec`, a whole new plan folder (plan.yaml, data...)."""
    imported = Imported()
    report = imported.report
    split = split_sections(word, structure)
    if not split.sections:
        raise WordImportError(
            "the document has no headings to divide it into sections: give each section a Heading 1 style in Word "
            "(Home > Styles) and import it again"
        )
    if split.section_level == 2:
        report.notes.append("sections are Heading 2 in this document (Heading 1 is only its title): cut there")
    pictures = [first_picture]
    placed = place_sections(split, structure, report)
    for item in placed:
        if item.section is None:
            if spec is not None and item.heading is not None:
                imported.files[item.file] = section_text(item.heading, spec, numbered=True)
                report.missing.append(f"{item.heading.id} ({item.heading.title}) -> {item.file}: the YJB prompt")
            elif item.heading is not None:
                report.missing.append(f"{item.heading.id} ({item.heading.title}): the plan's own section is unchanged")
            continue
        imported.files[item.file] = section_file(item.section, pictures, word.notes, split.section_level)
        report.sections.append(SectionLine.of(item.file, item.section))
        if item.section.tables:
            report.notes += generated_here(item.file, item.section.heading_id)
        first_line = len(item.section.front_matter()) + 1
        report.candidates += [(item.file, c) for c in find_candidates(item.section.body, first_line)]
        for name, picture in item.section.pictures:
            imported.files[f"images/{name}"] = picture.data
    if split.before:
        before = ImportedSection("(before the first heading)", HeadingMatch(None, "", False), "", numbered=False)
        before.blocks = split.before
        write_body(before, 1, split.section_level, pictures, word.notes)
        imported.files[BEFORE_FILE] = before.body
        report.before = (len(split.before), BEFORE_FILE)
        for name, picture in before.pictures:
            imported.files[f"images/{name}"] = picture.data
    if spec is not None:
        key = structure.from_period
        sections = [p.file for p in placed if not p.appendix]
        appendices = [p.file for p in placed if p.appendix]
        foreword = [p for p in placed if p.section and p.section.heading_id == "foreword"]
        if foreword and foreword[0].file in sections:
            sections.remove(foreword[0].file)
            sections.insert(0, foreword[0].file)
        imported.files["plan.yaml"] = plan_yaml(spec, key, sections, appendices, "plan-builder import")
        imported.files.update({k: v for k, v in data_files(spec).items() if k not in imported.files})
    return imported


def import_into_new_folder(
    word: WordPlan, folder: Path, structure: Structure, spec: NewPlan, source: Path, notes: list[str]
) -> Imported:
    """A whole plan folder from the Word plan (the folder must be new or empty); `notes` go into the report."""
    check_folder_is_new(folder)
    imported = compose_import(word, structure, spec)
    imported.report.source, imported.report.folder = source, folder
    imported.report.notes += notes
    imported.files[REPORT_FILE] = imported.report.text()
    write_folder(folder, imported.files)
    return imported


def starter_only(text: str) -> bool:
    """True for a section file that still holds nothing but its front matter, sub-headings and prompts."""
    try:
        body = split_front_matter(text, Path("section.md"))[1]
    except SectionError:  # not a section file: the service's own
        return False
    rest = PROMPT.sub("", body)
    rest = re.sub(r"^#+ .*$", "", rest, flags=re.M)
    return not re.search(r"\w", rest)


def existing_sections(folder: Path, entries: list[str]) -> dict[str, str]:
    """Heading id -> section file, for the sections an existing plan.yaml lists."""
    found: dict[str, str] = {}
    for entry in entries:
        path = folder / entry
        try:
            front = split_front_matter(path.read_text(encoding="utf-8"), Path(entry))[0]
            data = parse_yaml(front, Path(entry)).data
        except (OSError, UnicodeDecodeError, PlanBuilderError):  # left for `check` to report
            continue
        if isinstance(data, dict) and isinstance(data.get("heading"), str):
            found.setdefault(data["heading"], entry)
    return found


def import_into_plan(word: WordPlan, folder: Path, structure: Structure, entries: list[str], source: Path) -> Imported:
    """Import into an existing plan: replace sections still holding only prompts, never the service's text."""
    images = folder / "images"
    taken = [int(m[1]) for p in images.glob("imported-*") if (m := re.match(r"imported-(\d+)", p.name))]
    imported = compose_import(word, structure, None, first_picture=max(taken, default=0) + 1)
    report = imported.report
    report.source, report.folder = source, folder
    by_heading = existing_sections(folder, entries)
    renamed: dict[str, str] = {}
    for line in report.sections:
        existing = by_heading.get(line.heading_id) if line.heading_id != "local" else None
        if existing is None:
            target = line.file if not (folder / line.file).exists() else f"imported/{line.file}"
            line.note = f"not in plan.yaml: add `- {target}` under sections: (or appendices:)"
        elif starter_only((folder / existing).read_text(encoding="utf-8")):
            target = existing
            line.note = "replaced the starter prompts"
        else:
            target = f"imported/{existing}"
            line.note = f"{existing} has your own text, so it was kept: the imported text is in {target}"
        renamed[line.file] = target
        line.file = target
    report.candidates = [(renamed.get(name, name), candidate) for name, candidate in report.candidates]
    files: dict[str, str | bytes] = {}
    for name, content in imported.files.items():
        files[renamed.get(name, name)] = content
    if (folder / BEFORE_FILE).exists():
        files.pop(BEFORE_FILE, None)
        report.before = (report.before[0], f"{BEFORE_FILE} (not written: it exists already)") if report.before else None
    files[REPORT_FILE] = report.text()
    write_files(folder, files)
    imported.files = files
    return imported
