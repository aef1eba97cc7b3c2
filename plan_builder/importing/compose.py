"""Split an imported Word plan at its section headings and write each section as Markdown.

Every block becomes the Markdown plan-builder renders back to the same thing: sub-headings as
'##' (never skipping a level), lists, pipe tables with their 'Table: ...' captions, pictures with
their alt text and caption, and footnotes as numbered notes at the end of the section. Where the
author must decide something (a picture without alt text, a chart that could not be brought
across) a [[prompt]] marks the place. Each section remembers the line of what the report names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from plan_builder.importing.inline import escape_text
from plan_builder.importing.mapping import HeadingMatch, match_heading, strip_numbering, wordings
from plan_builder.importing.model import (
    Block,
    Caption,
    Heading,
    ListItem,
    Orientation,
    Paragraph,
    Picture,
    Skipped,
    Table,
    WordPlan,
)
from plan_builder.inputs.structure import Structure

PLACEABLE = (".png", ".jpg", ".jpeg", ".gif", ".bmp")
"""Picture formats plan-builder places (as `word/images.py` accepts)."""
NOTE_REFERENCE = re.compile(r"\\\[(\d+)\\\]")


@dataclass
class Finding:
    """Something the report tells the author about, at a line of the section it is in."""

    line: int
    kind: str
    """'merge', 'picture', 'alt', 'skipped', 'format', 'level', 'note'."""
    text: str


@dataclass
class ImportedSection:
    """One section of the Word plan, mapped and written as Markdown."""

    source: str
    """The heading as written in the Word document."""
    match: HeadingMatch
    title: str
    """The heading's words without number or 'Appendix N:'."""
    numbered: bool
    blocks: list[Block] = field(default_factory=list)
    body: str = ""
    findings: list[Finding] = field(default_factory=list)
    pictures: list[tuple[str, Picture]] = field(default_factory=list)
    """(file name under images/, picture)."""
    tables: int = 0
    optional: bool = False
    """The YJB heading is an optional one (the foreword)."""

    @property
    def heading_id(self) -> str:
        """The YJB heading id, or 'local'."""
        return self.match.heading.id if self.match.heading else "local"

    @property
    def renamed(self) -> bool:
        """True when the section takes the YJB's wording in place of the document's (required headings only).

        The YJB asks for its headings; an optional one (the foreword) keeps the document's own wording.
        """
        heading = self.match.heading
        return heading is not None and not self.optional and self.title.lower() != heading.title.lower()

    def front_matter(self) -> list[str]:
        """The front matter lines: the heading id, the document's title where it is kept, numbering."""
        lines = ["---", f"heading: {self.heading_id}"]
        heading = self.match.heading
        if heading is None or (self.optional and self.title.lower() != heading.title.lower()):
            lines.append(f"title: {json.dumps(self.title, ensure_ascii=False)}")
        if not self.numbered:
            lines.append("numbered: false")
        return [*lines, "---"]


@dataclass
class SplitPlan:
    """The document cut at its section headings."""

    before: list[Block]
    """Everything before the first section heading (cover, contents, front pages)."""
    sections: list[ImportedSection]
    section_level: int


def split_sections(plan: WordPlan, structure: Structure) -> SplitPlan:
    """Cut the document at its section headings (Heading 1, or Heading 2 when Heading 1 is only the title)."""
    levels = [b.level for b in plan.blocks if isinstance(b, Heading)]
    level = 2 if levels.count(1) <= 1 and levels.count(2) >= 3 else 1
    known = wordings(structure)
    numbered_any = any(strip_numbering(b.text)[1] for b in plan.blocks if isinstance(b, Heading) and b.level == level)
    before: list[Block] = []
    sections: list[ImportedSection] = []
    landscape = False
    for block in plan.blocks:
        if isinstance(block, Orientation):
            landscape = block.landscape
        if isinstance(block, Heading) and block.level <= level:
            if block.level < level:  # the title above the sections
                before.append(block)
                continue
            words, numbered = strip_numbering(block.text)
            match = match_heading(words, structure, known)
            title = _appendix_title(words) if match.appendix else words
            unnumbered = numbered_any and not numbered and not match.appendix
            optional = match.heading is not None and match.heading in structure.optional  # the foreword: unnumbered
            numbered = not unnumbered and not optional
            sections.append(ImportedSection(block.text, match, title, numbered=numbered, optional=optional))
            if landscape:  # the section starts on landscape pages
                sections[-1].blocks.append(Orientation(True))
        elif sections:
            sections[-1].blocks.append(block)
        else:
            before.append(block)
    for section in sections:  # a turn at the very end of a section belongs to the next one (plan-builder
        while section.blocks and isinstance(section.blocks[-1], Orientation):  # ends each section portrait)
            section.blocks.pop()
    return SplitPlan([b for b in before if not isinstance(b, Orientation)], sections, level)


def _appendix_title(words: str) -> str:
    from plan_builder.importing.mapping import split_appendix

    return split_appendix(words)[0]


class _Writer:
    """Writes one section's blocks as Markdown lines, counting lines for the report."""

    def __init__(self, section: ImportedSection, first_line: int, section_level: int, next_picture: list[int]) -> None:
        self.section = section
        self.lines: list[str] = []
        self.first_line = first_line
        self.section_level = section_level
        self.level = 1
        self.next_picture = next_picture
        self.notes: list[int] = []

    @property
    def line(self) -> int:
        """The file line the next written line will have."""
        return self.first_line + len(self.lines)

    def blank(self) -> None:
        """End the block before: Markdown blocks are separated by a blank line."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def paragraph(self, text: str) -> None:
        self.blank()
        self.lines.append(text)
        self.notes += [int(n) for n in NOTE_REFERENCE.findall(text)]

    def heading(self, block: Heading) -> None:
        words = strip_numbering(block.text)[0]
        level = block.level - self.section_level + 1
        wanted = level
        level = min(level, self.level + 1, 4)
        if level != wanted:
            self.section.findings.append(
                Finding(
                    self.line + 1,
                    "level",
                    f"sub-heading '{words}' moved to level {level} (Markdown "
                    f"{'#' * level}): a heading may not skip a level, and plan-builder goes to '####'",
                )
            )
        self.level = level
        self.paragraph(f"{'#' * level} {escape_text(words)}")

    def items(self, items: list[ListItem]) -> None:
        self.blank()
        ordered: bool | None = None
        for item in items:
            depth = min(item.level, 1)
            if depth == 0 and ordered is not None and item.ordered != ordered:
                self.lines.append("")  # a bulleted list after a numbered one is a new list
            ordered = item.ordered if depth == 0 else ordered
            marker = "1." if item.ordered else "-"
            self.lines.append(f"{'    ' * depth}{marker} {item.text}")
            self.notes += [int(n) for n in NOTE_REFERENCE.findall(item.text)]

    def table(self, table: Table, caption: str | None) -> None:
        self.section.tables += 1
        if caption:
            self.paragraph(f"Table: {caption}")
        self.blank()
        start = self.line
        rows = table.rows or [[""]]
        self.lines.append("| " + " | ".join(rows[0]) + " |")
        right = table.right or [False] * len(rows[0])
        self.lines.append("|" + "|".join(" ---: " if r else " --- " for r in right) + "|")
        for row in rows[1:]:
            self.lines.append("| " + " | ".join(row) + " |")
        for merge in table.merges:
            where = f"row {merge.row}" if merge.rows == 1 else f"rows {merge.row}-{merge.row + merge.rows - 1}"
            cols = (
                f"column {merge.column}"
                if merge.columns == 1
                else (f"columns {merge.column}-{merge.column + merge.columns - 1}")
            )
            self.section.findings.append(
                Finding(
                    start,
                    "merge",
                    f"table: merged cell ({where}, {cols}: '{_short(merge.text)}') split into "
                    f"{merge.rows * merge.columns} cells, each with its text",
                )
            )

    def picture(self, picture: Picture, caption: str | None) -> None:
        number = self.next_picture[0]
        self.next_picture[0] += 1
        name = f"imported-{number:02d}{'.jpg' if picture.suffix == '.jpeg' else picture.suffix}"
        self.section.pictures.append((name, picture))
        path = f"images/{name}"
        if picture.suffix not in PLACEABLE:
            self.section.findings.append(
                Finding(
                    self.line + 1,
                    "format",
                    f"picture {path} is a {picture.suffix} file, which plan-builder "
                    "cannot place: save it as PNG and put it in with ![alt text](images/....png)",
                )
            )
            self.paragraph(
                f"[[Picture {path} was here: plan-builder cannot place {picture.suffix} files; save it "
                "as a PNG file and write ![what it shows](images/the-file.png) in place of this note.]]"
            )
            return
        alt = picture.alt
        title = f' "{caption.replace(chr(34), "&quot;")}"' if caption else ""
        if not alt:
            self.section.findings.append(
                Finding(self.line + 1, "alt", f"picture {path} has no alt text: a prompt asks for one")
            )
            self.paragraph(f"![Picture without alt text]({path}{title})")
            self.paragraph(
                "[[This picture had no alt text in the Word document: replace 'Picture without alt "
                "text' above with a description of what it shows, then delete this note.]]"
            )
            return
        self.section.findings.append(Finding(self.line + 1, "picture", f"picture {path}: alt text kept"))
        alt_text = escape_text(" ".join(alt.split()))
        self.paragraph(f"![{alt_text}]({path}{title})")

    def skipped(self, block: Skipped) -> None:
        self.section.findings.append(Finding(self.line + 1, "skipped", block.what))
        self.paragraph(f"[[Not imported: {escape_text(block.what)}.]]")


def _short(text: str, size: int = 40) -> str:
    text = re.sub(r"\\(.)", r"\1", text)
    return text if len(text) <= size else text[: size - 3].rstrip() + "..."


def write_body(
    section: ImportedSection, first_line: int, level: int, next_picture: list[int], notes: dict[int, str]
) -> None:
    """Write the section's Markdown into `section.body`; its first line is line `first_line` of its file."""
    writer = _Writer(section, first_line, level, next_picture)
    blocks = section.blocks
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, Caption) and block.kind == "Table" and isinstance(following, Table):
            writer.table(following, block.text)
            index += 2
            continue
        if isinstance(block, Caption) and block.kind == "Figure" and isinstance(following, Picture):
            writer.picture(following, block.text)
            index += 2
            continue
        if isinstance(block, Picture) and isinstance(following, Caption) and following.kind == "Figure":
            writer.picture(block, following.text)
            index += 2
            continue
        if isinstance(block, ListItem):
            end = index
            while end < len(blocks) and isinstance(blocks[end], ListItem):
                end += 1
            writer.items([b for b in blocks[index:end] if isinstance(b, ListItem)])
            index = end
            continue
        _write_one(writer, block)
        index += 1
    writer.blank()
    first_note = writer.line
    for number in dict.fromkeys(writer.notes):
        writer.paragraph(f"\\[{number}\\] {notes.get(number, '')}".rstrip())
    if writer.notes:
        section.findings.append(
            Finding(
                first_note,
                "note",
                f"{len(set(writer.notes))} footnote(s) kept as numbered notes at the end of the section",
            )
        )
    section.body = "\n".join(writer.lines).strip("\n") + "\n"


def _write_one(writer: _Writer, block: Block) -> None:
    if isinstance(block, Heading):
        writer.heading(block)
    elif isinstance(block, Paragraph):
        writer.paragraph(f"> {block.text}" if block.quote else block.text)
    elif isinstance(block, Table):
        writer.table(block, None)
    elif isinstance(block, Picture):
        writer.picture(block, None)
    elif isinstance(block, Caption):
        writer.paragraph(f"{block.kind}: {block.text}")
    elif isinstance(block, Orientation):
        writer.paragraph("::: landscape" if block.landscape else "::: portrait")
    elif isinstance(block, Skipped):
        writer.skipped(block)
