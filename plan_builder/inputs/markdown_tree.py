"""Section Markdown parsed into an element tree: what the Word writer walks and the checks read.

Python-Markdown with tables and sane lists; raw HTML is switched off (it shows as text).
Its table reader quietly pads a short row and drops an extra cell; here each such row is
marked (`ROW_CELLS`, `ROW_SOURCE`) so that `inputs/tables.py` can report it
with its line.
No python-docx here: the checks use this tree too.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from typing import Any

from plan_builder.inputs.yamlio import NOT_IN_WORD

ROW_CELLS = "data-cells"
"""Attribute of a table row (`tr`) whose cell count differs from its header's: how many cells it has."""
ROW_SOURCE = "data-source"
"""Attribute of every table row: the row's text as written, to find its line."""
INLINE_MARKUP = re.compile(r"[\\`\[\]!<>&*_\x02\x03]|  \n")
"""What any inline pattern of Python-Markdown needs to find in a text (code, escapes, links, pictures,
autolinks, entities, emphasis, hard line breaks) or its placeholders; text without it is plain."""


@lru_cache(maxsize=1)
def _markdown() -> tuple[Any, Any]:
    """One configured parser, reused (building one costs more than parsing a section).

    Imported here, not at the top: a build whose sections all come from the cache never parses Markdown.
    """
    import markdown
    from markdown.extensions.tables import TableProcessor
    from markdown.treeprocessors import Treeprocessor
    from markdown.util import AtomicString

    class CaptureTree(Treeprocessor):
        """Keep the finished element tree; hand back an empty one, so no time goes on serialising it to HTML."""

        root: ET.Element | None = None

        def run(self, root: ET.Element) -> ET.Element:
            self.root = root
            return ET.Element(self.md.doc_tag)

    class PlainText(Treeprocessor):
        """Mark text that holds no inline Markdown as atomic, so the inline processor passes it by.

        The inline processor tries each of its patterns on every text in the tree, which made
        large tables slow: most table cells are plain text, and for those it changes nothing.
        """

        def run(self, root: ET.Element) -> None:
            for element in root.iter():
                if element.text and not INLINE_MARKUP.search(element.text):
                    element.text = AtomicString(element.text)
                if element.tail and not INLINE_MARKUP.search(element.tail):
                    element.tail = AtomicString(element.tail)

    class CountedTables(TableProcessor):
        """Python-Markdown's table reader, marking each row with more or fewer cells than the header."""

        def _build_row(self, row: str, parent: ET.Element, align: Any) -> None:
            super()._build_row(row, parent, align)
            cells = len(self._split_row(row))
            parent[-1].set(ROW_SOURCE, row)
            if cells != len(align):
                parent[-1].set(ROW_CELLS, str(cells))

    md = markdown.Markdown(extensions=["tables", "sane_lists"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    tables = md.parser.blockprocessors["table"]
    md.parser.blockprocessors.register(CountedTables(md.parser, tables.config), "table", 75)
    capture = CaptureTree(md)
    md.treeprocessors.register(PlainText(md), "plain-text", 25)  # before 'inline' (20)
    md.treeprocessors.register(capture, "capture", -10)
    return md, capture


def parse_markdown(text: str) -> ET.Element:
    """Parse Markdown with tables and sane lists; raw HTML is kept as literal text."""
    md, capture = _markdown()
    md.reset()
    capture.root = None
    md.convert(text)
    # Python-Markdown skips its tree processors for blank text: an empty section has no elements.
    if capture.root is None:
        return ET.Element("div")
    _restore_stashed(capture.root, md.htmlStash.rawHtmlBlocks)
    for code in capture.root.iter("code"):
        # Python-Markdown escapes a code span's text for HTML output; Word wants the characters.
        if code.text:
            code.text = code.text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return capture.root


# Python-Markdown sets character references aside ('&amp;' becomes STX 'wzxhzdk:0' ETX) and
# writes '&' in e-mail autolinks as STX 'amp' ETX; its HTML postprocessors put them back, but
# the tree is captured before those run, and Word cannot hold the control characters.
@lru_cache(maxsize=1)
def _stash_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    from markdown.util import AMP_SUBSTITUTE, ETX, STX

    stashed = re.compile(re.escape(STX) + r"wzxhzdk:(\d+)" + re.escape(ETX))
    return stashed, re.compile(re.escape(AMP_SUBSTITUTE) + r"(#\d+;|#x[0-9a-fA-F]+;|[a-zA-Z0-9]+;)?")


def _restore_stashed(root: ET.Element, stash: list[str]) -> None:
    """Put the characters that references such as '&amp;' and '&#169;' stand for back into the tree."""

    def character(reference: str) -> str:
        return NOT_IN_WORD.sub("", html.unescape(reference))  # '&#12;': as html.unescape drops '&#1;'

    stashed, amp_reference = _stash_patterns()

    def restore(text: str) -> str:
        text = stashed.sub(lambda m: character(stash[int(m[1])]) if int(m[1]) < len(stash) else "", text)
        return amp_reference.sub(lambda m: character("&" + (m[1] or "")), text)

    for element in root.iter():
        if element.text:
            element.text = restore(element.text)
        if element.tail:
            element.tail = restore(element.tail)
        for name, value in element.attrib.items():
            element.set(name, restore(value))
