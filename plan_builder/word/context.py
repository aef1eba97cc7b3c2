"""What a renderer has in hand while it writes one document: the target, counters and block renderers.

`RenderContext` travels through every renderer (Markdown, tables, each part's blocks); it lives
in its own module so that tables, paragraphs and Markdown can all use it without importing each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.shared import Emu

from plan_builder.outputs.cache import ImageCache
from plan_builder.palette import Colours
from plan_builder.word import layout

if TYPE_CHECKING:
    from docx.document import Document

    from plan_builder.word.template import PlanTemplate


@dataclass(frozen=True)
class BlockCall:
    """How a block was asked for: its argument, where (for messages), and whether the tool placed it."""

    argument: str = ""
    where: str = ""
    """'sections/09-performance.md:14' for a block an author placed; the section's file for one the tool placed."""
    by_tool: bool = False
    """True when plan-builder placed the block itself (the author did not write `::: name`)."""


Directive = Callable[["RenderContext", BlockCall], None]
"""A block bound to its data, as the Markdown walk calls it."""


@dataclass
class TocEntry:
    """A heading that the contents page lists."""

    level: int
    text: str
    bookmark: str


@dataclass
class RenderContext:
    """What the renderer needs while it writes one document: the target and running counters."""

    document: Document
    plan_root: Path
    directives: dict[str, Directive] = field(default_factory=dict)
    toc: list[TocEntry] = field(default_factory=list)
    figure_count: int = 0
    table_count: int = 0
    bookmark_count: int = 0
    drawing_id: int | None = None
    """The last drawing (picture) id used; None until the first picture is added."""
    warnings: list[str] = field(default_factory=list)
    text_width: Emu = layout.TEXT_WIDTH
    landscape: bool = False
    images: ImageCache = field(default_factory=lambda: ImageCache(None))
    """Rendered charts, cached by a hash of their data and style."""
    fragments: Any = None
    """The rendered-section cache (`fragments.FragmentCache`), which blocks may also use."""
    env: Any = None
    """The sandboxed Jinja environment, for blocks that render a docxtpl template (sign-off)."""
    template_digest: str = ""
    """A hash of the Word template and the plan's look settings: cached blocks refer to its style ids and
    colours, so it is part of their key."""
    colours: Colours = field(default_factory=Colours)
    """Table header and rating colours, from the template's table style and plan.yaml's `colours:`."""
    template: PlanTemplate | None = None
    """The opened template (its own header and footer are kept there), when the document came from one."""
    # Set per section by `render_markdown`:
    section_path: Path = Path()
    section_number: str = ""
    subheading_count: int = 0
    source_lines: list[str] = field(default_factory=list)
    source_first_line: int = 1

    def where(self, needle: str, *, heading: bool = False) -> str:
        """'file:line' of the source line containing `needle`, for error messages.

        With `heading`, only lines that are Markdown headings of that text match, so an
        earlier paragraph that mentions the same words is not blamed.
        """
        pattern = re.compile(r"^\s*#+\s*" + re.escape(needle) + r"\s*#*\s*$") if heading else None
        for index, line in enumerate(self.source_lines):
            found = pattern.match(line) if pattern else (needle and needle in line)
            if found:
                return f"{self.section_path}:{self.source_first_line + index}"
        return f"{self.section_path}:{self.source_first_line}"

    def next_bookmark(self) -> str:
        """Return a fresh bookmark name for a heading."""
        self.bookmark_count += 1
        return f"_Toc{self.bookmark_count:06d}"
