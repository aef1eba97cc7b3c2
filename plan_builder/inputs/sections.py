"""Narrative sections: Markdown files with YAML front matter.

Front matter says which YJB heading the file fills (`heading: child-first`);
the title defaults to the YJB's wording. Each loaded `Section` keeps the line
where its body starts so that later errors point at the author's own line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator

from plan_builder.errors import SectionError
from plan_builder.inputs.files import read_input_text
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.structure import Structure
from plan_builder.inputs.yamlio import parse_yaml

LOCAL_HEADING = "local"


class FrontMatter(StrictModel):
    """Keys allowed at the top of a section file."""

    heading: str = Field(default=LOCAL_HEADING, min_length=1)
    """YJB heading id this file fills (see `plan-builder structures`), or 'local' (the default) for a
    section of the service's own, such as every section of a board report."""
    title: str | None = None
    """Heading text; defaults to the YJB wording. Required for local sections."""
    numbered: bool = True
    """False for unnumbered front matter such as a foreword."""

    @model_validator(mode="after")
    def _local_needs_title(self) -> FrontMatter:
        if self.heading == LOCAL_HEADING and not self.title:
            raise ValueError("give a 'heading:' (a YJB heading id) or, for a section of your own, a 'title:'")
        return self


@dataclass(frozen=True)
class Section:
    """One narrative section, ready to render."""

    path: Path
    heading_id: str
    title: str
    numbered: bool
    body: str
    body_line: int
    """1-based line in `path` where `body` starts."""
    is_appendix: bool = False
    separate_document: bool = False
    blocks: tuple[str, ...] = ()
    """Blocks plan-builder places at the end of the section (a document kind's default outline)."""


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """Return (front matter, body, body's first line); front matter is required."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise SectionError(f"{path}:1: front matter: expected the file to start with '---' and a 'heading:' key")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    raise SectionError(f"{path}:1: front matter: no closing '---' line")


def load_section(
    path: Path,
    display_path: Path,
    structure: Structure,
    *,
    is_appendix: bool = False,
    separate_document: bool = False,
    listed_at: str = "plan.yaml",
) -> Section:
    """Read one section file and validate its front matter against `structure`.

    `listed_at` is the manifest entry ('plan.yaml:18: sections[2]') named if the file is missing.
    """
    try:
        text = read_input_text(path)
    except FileNotFoundError as exc:
        raise SectionError(f"{listed_at}: {display_path}: section file not found") from exc
    except UnicodeDecodeError as exc:
        raise SectionError(f"{display_path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:  # a folder, a name too long, no permission
        raise SectionError(f"{listed_at}: {display_path}: cannot read the section file ({exc.strerror})") from exc
    header, body, body_line = split_front_matter(text, display_path)
    doc = parse_yaml(header, display_path, line_offset=1)
    if doc.data is not None and not isinstance(doc.data, dict):
        raise SectionError(f"{display_path}:2: front matter: expected 'key: value' lines")
    front = validate(FrontMatter, doc, error_type=SectionError)
    heading = structure.heading(front.heading)
    if heading is None and front.heading != LOCAL_HEADING:
        known = ", ".join(h.id for h in [*structure.optional, *structure.required])
        raise SectionError(
            f"{doc.where(('heading',))}: front matter: heading: unknown YJB heading {front.heading!r} "
            f"for '{structure.name}'; expected one of: {known}, or 'local'"
        )
    title = front.title or (heading.title if heading else "")
    return Section(
        path=display_path,
        heading_id=front.heading,
        title=title,
        numbered=front.numbered,
        body=body,
        body_line=body_line,
        is_appendix=is_appendix,
        separate_document=separate_document,
    )
