"""Inline text as Markdown: runs of bold, italic and linked text, with Markdown's own characters escaped.

Text typed in Word must come out as the same text in the document plan-builder builds, so every
character Markdown, the figures' template syntax or plan-builder's prompts would read as syntax is
escaped: a `*` stays a star, `{{` stays two braces, `[[` is not a prompt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plan_builder.inputs.yamlio import NOT_IN_WORD

_SPECIAL = re.compile(r"([\\`*_\[\]])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+](?=\s)|\d+(?=[.)]\s)|:::|\|)")
_TEMPLATE = re.compile(r"\{(?=[{%#])")


@dataclass(frozen=True)
class Segment:
    """A piece of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


def escape_text(text: str) -> str:
    """Escape Markdown's inline syntax, character references and template syntax in plain text."""
    text = NOT_IN_WORD.sub("", text).replace("\t", " ")
    text = _ENTITY.sub("&amp;", text)
    text = _SPECIAL.sub(r"\\\1", text)
    # '{{', '{%' and '{#' would start the figures' template syntax: write the brace through it instead.
    return _TEMPLATE.sub("{{ '{' }}", text)


def escape_line_start(text: str) -> str:
    """Escape what would make a paragraph a heading, quote, list, block or table ('# ', '1. ', '::: ')."""

    def escape(match: re.Match[str]) -> str:
        space, found = match[1], match[2]
        if found[0].isdigit():
            return space + found + "\\"  # '1\. ' (the backslash goes before the dot, after the number)
        if found == ":::":
            return space + "&#58;::"
        return space + "\\" + found

    return _LINE_START.sub(escape, text, count=1)


def _wrap(text: str, before: str, after: str) -> str:
    """`**text**`, with surrounding spaces kept outside the markers (Markdown wants no space inside them)."""
    stripped = text.strip()
    if not stripped:
        return text
    start = text[: len(text) - len(text.lstrip())]
    end = text[len(text.rstrip()) :]
    return f"{start}{before}{stripped}{after}{end}"


def to_markdown(segments: list[Segment]) -> str:
    """Join segments into Markdown: adjacent pieces with the same formatting are merged first."""
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.link) == (segment.bold, segment.italic, segment.link):
            merged[-1] = Segment(last.text + segment.text, last.bold, last.italic, last.link)
        else:
            merged.append(segment)
    out = []
    for segment in merged:
        text = escape_text(segment.text)
        if segment.link:
            text = _wrap(text, "[", f"]({segment.link.replace(' ', '%20').replace(')', '%29')})")
        marker = "***" if segment.bold and segment.italic else "**" if segment.bold else "*" if segment.italic else ""
        text = _wrap(text, marker, marker)
        out.append(text)
    return re.sub(r"[ \u00a0]{2,}", " ", "".join(out)).strip()
