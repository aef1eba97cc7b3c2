"""What a Word plan is made of, as the importer reads it: blocks of text, lists, tables and pictures.

The reader (`reader.py`, the only module that touches python-docx) turns the document body into
these plain values; the rest of the importer (mapping headings, writing Markdown, the report)
works on them alone. Inline text is already Markdown (bold, italic, links, escaped characters).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """A heading paragraph: its level (1 = a section) and its text as written."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text (Markdown inline), or a quotation."""

    text: str
    quote: bool = False


@dataclass(frozen=True)
class ListItem:
    """One item of a bulleted or numbered list, at nesting `level` (0 or more)."""

    text: str
    ordered: bool
    level: int = 0


@dataclass(frozen=True)
class Caption:
    """A 'Table 3: ...' or 'Figure 2: ...' caption (the number is dropped: plan-builder numbers them)."""

    kind: str
    """'Table' or 'Figure'."""
    text: str


@dataclass(frozen=True)
class Merge:
    """A merged cell, split into the cells it covered (each gets its text)."""

    row: int
    """1-based row of its top-left cell."""
    column: int
    """1-based column of its top-left cell."""
    rows: int
    columns: int
    text: str


@dataclass(frozen=True)
class Table:
    """A table as a grid of cell texts (Markdown inline; row 0 is the header row)."""

    rows: list[list[str]]
    merges: list[Merge] = field(default_factory=list)
    right: list[bool] = field(default_factory=list)
    """Per column: every body cell is right-aligned (numbers), so the Markdown column is too."""


@dataclass(frozen=True)
class Picture:
    """A picture: its file content, its alt text ('' when it has none) and the name it came with."""

    data: bytes
    suffix: str
    """'.png', '.jpeg', ...: from the package part."""
    alt: str
    name: str = ""


@dataclass(frozen=True)
class Orientation:
    """The pages turn landscape (or back to portrait) here: a section break in Word, `::: landscape` in Markdown."""

    landscape: bool


@dataclass(frozen=True)
class Skipped:
    """Something the importer cannot bring across (a chart object, an external picture), for the report."""

    what: str


Block = Heading | Paragraph | ListItem | Caption | Table | Picture | Orientation | Skipped


@dataclass
class WordPlan:
    """The document body in order, with its footnotes, title and where it came from."""

    blocks: list[Block]
    notes: dict[int, str]
    """Footnote and endnote texts by the number they are shown with ('[3]' in the text)."""
    title: str = ""
    """The document's title (its properties, else its first Title paragraph)."""
