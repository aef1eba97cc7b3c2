"""Prompts: notes to the author, written `[[like this]]`, that stand in for text not yet written.

`plan-builder new` fills every section with a prompt saying what the YJB expects under its
heading, and `plan-builder import` leaves one where it needs a decision (a picture without alt
text). Until the author replaces a prompt, a draft shows it as highlighted text, `build` and
`check` report it with its file and line, and a final plan cannot be built. plan.yaml can hold
prompts too (a chair's name not yet known).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plan_builder.inputs.yamlio import Key, YamlDocument

PROMPT = re.compile(r"\[\[(?P<text>(?:(?!\]\]|\n[ \t]*\n).)+?)\]\]", re.S)
"""`[[...]]` within one paragraph (a blank line ends it)."""
SHOWN_CHARACTERS = 70
"""How much of a prompt a message quotes."""


@dataclass(frozen=True)
class Prompt:
    """One prompt: where it is and what it says."""

    where: str
    """'sections/03-child-first.md:6' or 'plan.yaml:9'."""
    text: str

    def message(self, *, final: bool = False) -> str:
        """The warning (or, for a final plan, the error) that reports it."""
        text = re.sub(r"\s+", " ", self.text).strip()
        shown = text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 2].rsplit(" ", 1)[0] + "..."
        message = f"{self.where}: prompt not yet replaced: [[{shown}]]"
        if final:
            message += "; a final plan cannot be built until every prompt is replaced with the plan's own text"
        return message


def find_prompts(text: str, path: Path, first_line: int = 1) -> list[Prompt]:
    """Every prompt in `text` (which starts at line `first_line` of `path`), in order."""
    return [
        Prompt(f"{path}:{first_line + text.count(chr(10), 0, match.start())}", match["text"])
        for match in PROMPT.finditer(text)
    ]


def _strings(value: Any, key: Key) -> Iterator[tuple[Key, str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, (*key, str(name)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*key, index))


def find_yaml_prompts(doc: YamlDocument) -> list[Prompt]:
    """Every prompt in the values of a YAML file (comments are not values, so they never count)."""
    return [
        Prompt(doc.where(key), match["text"])
        for key, value in _strings(doc.data, ())
        for match in PROMPT.finditer(value)
    ]


def mark_prompts(text: str, start: str, end: str) -> str:
    """Replace each `[[prompt]]` with its text between the `start` and `end` marks the Word writer highlights.

    Emphasis markers inside a prompt are dropped: a highlighted run is one piece of plain text.
    """
    return PROMPT.sub(lambda match: start + re.sub(r"[*_`]", "", match["text"]).strip() + end, text)
