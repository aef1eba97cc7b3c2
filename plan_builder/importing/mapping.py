"""Which YJB heading a Word heading is: by its text, numbering and 'Appendix N:' set aside.

A heading matches a YJB heading when its words are the YJB title or one of its aliases (other
wordings in earlier YJB lists and council plans, kept in the section list files), when it
contains one of them, or when it is spelt almost the same. The report says which rule matched,
so an author can see and correct a surprising mapping.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from plan_builder.inputs.structure import Heading, Structure, available_structures, load_structure

NUMBERING = re.compile(
    r"^\s*(?:(?:section|part|chapter)\s+)?(?:\d+(?:\.\d+)+\.?|\d+[.):]|[ivx]+[.)]|[a-h][.)])\s*",
    re.IGNORECASE,
)
APPENDIX = re.compile(
    r"^\s*(?:appendix|appendices|annex|annexe)\b\s*(?:[0-9]+|[a-z](?![a-z])|[ivx]+(?![a-z]))?\s*[:.\-\u2013\u2014]?\s*",
    re.IGNORECASE,
)
SIMILAR = 0.82
"""How alike (difflib ratio) a heading must be to a YJB wording to count as a misspelling of it."""


@dataclass(frozen=True)
class HeadingMatch:
    """A Word heading and the YJB heading it was matched to (None: a local section), and why."""

    heading: Heading | None
    how: str
    appendix: bool


def strip_numbering(text: str) -> tuple[str, bool]:
    """('Child First', True) for '3. Child First': the text without its number, and whether it had one."""
    stripped = NUMBERING.sub("", text, count=1).strip()
    return (stripped, True) if stripped and stripped != text.strip() else (text.strip(), False)


def split_appendix(text: str) -> tuple[str, bool]:
    """('Budget', True) for 'Appendix 2: Budget'."""
    match = APPENDIX.match(text)
    if match and match.end() < len(text):
        return text[match.end() :].strip(), True
    return text, False


def normalise(text: str) -> str:
    """Lower case, '&' as 'and', no punctuation: how headings are compared."""
    text = text.lower().replace("&", " and ").replace("\u2019", "'")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).replace("'", "").split())


def wordings(structure: Structure) -> list[tuple[Heading, list[str]]]:
    """Each heading of `structure` with the wordings it is known by (normalised, longest first).

    The wordings are its title and the aliases of its id in this list or in any packaged one.
    """
    aliases: dict[str, set[str]] = {}
    for key in available_structures():
        for heading in load_structure(key, key).all_headings:
            aliases.setdefault(heading.id, set()).update(heading.aliases)
    found = []
    for heading in structure.all_headings:
        names = {normalise(heading.title), *(normalise(a) for a in [*heading.aliases, *aliases.get(heading.id, ())])}
        found.append((heading, sorted((n for n in names if n), key=len, reverse=True)))
    return found


def match_heading(text: str, structure: Structure, known: list[tuple[Heading, list[str]]]) -> HeadingMatch:
    """The YJB heading `text` (a Word heading, numbering already stripped) stands for, if any."""
    rest, appendix = split_appendix(text)
    candidates = [(h, names) for h, names in known if not appendix or h in structure.appendices]
    words = normalise(rest)
    for heading, _names in candidates:
        if words == normalise(heading.title):
            return HeadingMatch(heading, "the YJB title", appendix)
    for heading, names in candidates:
        if words in names:
            return HeadingMatch(heading, f"the wording '{words}'", appendix)
    contained = [
        (len(name), heading, name)
        for heading, names in candidates
        for name in names
        if len(name) >= 5 and f" {name} " in f" {words} "
    ]
    if contained:
        _, heading, name = max(contained, key=lambda item: item[0])
        return HeadingMatch(heading, f"it contains '{name}'", appendix)
    scored = [
        (difflib.SequenceMatcher(None, words, name).ratio(), heading, name)
        for heading, names in candidates
        for name in names
    ]
    if scored:
        ratio, heading, name = max(scored, key=lambda item: item[0])
        if ratio >= SIMILAR:
            return HeadingMatch(heading, f"it is spelt almost like '{name}'", appendix)
    return HeadingMatch(None, "no YJB heading matches", appendix)
