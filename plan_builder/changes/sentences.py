"""A section's text as a reader sees it, in sentences, and which words changed between two versions.

Section text is Markdown with the figures already merged in. Markup a reader never sees
(emphasis marks, link targets, block lines such as `::: risk-register`, table rules) is
dropped; each table row and heading is a unit of its own, and paragraphs and list items are
split into sentences. Two versions are then aligned sentence by sentence, and a changed
sentence says which words went and which came.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from plan_builder.changes.align import align, ratio

LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|?$")
HEADING = re.compile(r"^#{1,6}\s+")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\u201d\u2019]?\s+(?=[A-Z0-9\u00a3\"'(\u201c\u2018])")
INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"Image: \1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?!\s)(.+?)(?<!\s)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
]


@dataclass(frozen=True)
class SentenceChange:
    """A sentence added, removed or changed; for a changed one, the words that went and came."""

    kind: Literal["added", "removed", "changed"]
    text: str
    """The sentence now (for a removed one: as it was)."""
    before: str = ""
    """A changed sentence as it was."""
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()

    def describe(self) -> str:
        """'Changed: "Fifteen children joined." (removed "Twelve"; added "Fifteen")' and the like."""
        if self.kind != "changed":
            return f'{self.kind.capitalize()}: "{self.text}"'
        words = [f"removed {_quoted(self.removed)}"] if self.removed else []
        words += [f"added {_quoted(self.added)}"] if self.added else []
        return f'Changed: "{self.text}" ({"; ".join(words)})'


def _quoted(phrases: tuple[str, ...]) -> str:
    return ", ".join(f'"{phrase}"' for phrase in phrases)


def plain_text(markdown: str) -> str:
    """Inline Markdown as read: '**Rise** in [FTEs](https://...)' -> 'Rise in FTEs'."""
    for pattern, replacement in INLINE:
        markdown = pattern.sub(replacement, markdown)
    return " ".join(markdown.split())


def sentences(markdown: str) -> list[str]:
    """The text of a section as units a reader can point at: sentences, headings and table rows."""
    units: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        text = plain_text(" ".join(paragraph))
        units.extend(part for part in SENTENCE_END.split(text) if part)
        paragraph.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or line.startswith(":::") or line == "\\pagebreak":
            flush()
        elif line.startswith("|"):
            flush()
            if not TABLE_RULE.match(line):
                units.append(" | ".join(plain_text(cell) for cell in line.strip("|").split("|")))
        elif HEADING.match(line):
            flush()
            units.append(plain_text(HEADING.sub("", line)))
        elif LIST_ITEM.match(raw):
            flush()
            paragraph.append(LIST_ITEM.sub("", raw))
        else:
            paragraph.append(line.lstrip("> ") if line.startswith(">") else line)
    flush()
    return units


def word_changes(old: str, new: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The phrases removed from `old` and added in `new`, word by word."""
    before, after = old.split(), new.split()
    removed: list[str] = []
    added: list[str] = []
    for step_old, step_new in _changed_runs(before, after):
        if step_old:
            removed.append(_phrase(step_old))
        if step_new:
            added.append(_phrase(step_new))
    return tuple(removed), tuple(added)


def _phrase(words: list[str]) -> str:
    """Words as quoted in a change: '+16.2%,' is shown as '+16.2%' (the comma did not change)."""
    text = " ".join(words)
    return text.strip(",;:.") or text


def _changed_runs(before: list[str], after: list[str]) -> list[tuple[list[str], list[str]]]:
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, before, after, autojunk=False)
    return [(before[i1:i2], after[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def sentence_changes(old_text: str, new_text: str) -> list[SentenceChange]:
    """Each sentence added, removed or changed between two versions of a section's text, in reading order."""
    old, new = sentences(old_text), sentences(new_text)
    old_words, new_words = [s.split() for s in old], [s.split() for s in new]
    steps = align(old, new, lambda i, j: ratio(old_words[i], new_words[j]))
    changes: list[SentenceChange] = []
    for step in steps:
        if step.kind == "added" and step.new is not None:
            changes.append(SentenceChange("added", new[step.new]))
        elif step.kind == "removed" and step.old is not None:
            changes.append(SentenceChange("removed", old[step.old]))
        elif step.kind == "changed" and step.old is not None and step.new is not None:
            removed, added = word_changes(old[step.old], new[step.new])
            changes.append(SentenceChange("changed", new[step.new], old[step.old], removed, added))
    return changes
