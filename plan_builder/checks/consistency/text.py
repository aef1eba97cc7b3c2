"""The section text as the consistency checks read it: masked, split into sentences and tokens.

Merged figures (`{{ ... }}`) become runs of a marker character so that offsets still point into
the author's text; Jinja tags, headings, code and table cell borders become hard sentence
boundaries; text in an `{% if %}` branch that would not be shown is blanked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2.exceptions import TemplateError

from plan_builder.figures.figure import Figure


def word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list, as a set."""
    return frozenset(words.split())


CLAUSE_WORDS = word_set("while whilst whereas but although though however")

SLOTS = ("latest", "previous", "change")
COMPARATORS = ("family", "region", "pcc", "national")
YEAR = re.compile(r"(?:19|20)\d\d")
_REF, _STOP = "\x01", "\x02"  # a merged figure; a hard sentence boundary (Jinja tag, blank line, table cell)
_JINJA = re.compile(r"\{\{(.*?)\}\}|\{%-?\s*(\w+)(.*?)-?%\}|\{#.*?#\}", re.S)
_REF_ID = re.compile(r"\s*-?\s*([A-Za-z_]\w*(?:\.\w+)*)(.*)", re.S)
_HIDDEN = re.compile(
    r"^(?:```|~~~).*?^(?:```|~~~)[^\n]*|^(?::::|[ \t]*#)[^\n]*", re.M | re.S
)  # code, directives, headings
_BREAK = re.compile(r"\n(?=[ \t\r]*(?:\n|$|[-*+>]\s|\d+[.)]\s))")  # paragraphs and list items are sentences apart
SENTENCE_END = re.compile(rf"{_STOP}+|[.!?]+(?=[\s{_REF}\"')\]]|$)")
_TOKEN = re.compile(
    rf"(?P<ref>{_REF}+)|(?P<clause>;)"
    r"|(?P<num>(?<![\w.,/\-−–])(?P<sign>[-+−–])?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?![\w/]|[-–.,]\d)"
    r"(?P<unit>\s?%|\s?per ?cent\b|\s?percentage points?\b|\s?pp\b|\s?points?\b)?)"
    r"|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)"
)
Found = list[tuple[int, str]]
"""Problems found in one section: (offset in the body, message)."""


@dataclass
class Token:
    """A word, a typed number or a merged figure of the masked text, with the clause it is in."""

    kind: str  # "word", "num" or "ref"
    text: str  # lower-cased word, number as typed, or a ref's figure id ("" if not a figure)
    start: int
    end: int
    clause: int
    match: re.Match[str] | None = None
    time: str = ""  # a ref that shows a period: "latest", "previous" or "any"


@dataclass
class Anchor:
    """What a direction word can describe: a merged figure, or a figure's name followed by a typed number."""

    first: int
    last: int
    ids: tuple[str, ...]
    name: str = ""  # the name as typed; "" for a merged figure

    @property
    def measure(self) -> set[str]:
        """The measures the anchor may mean, each as its latest figure's id."""
        return {sibling(i, "latest") or i for i in self.ids}


def condition(env: Any, source: str, context: Mapping[str, Any]) -> bool | None:
    """Whether an `{% if %}` condition holds for these figures, or None if it cannot be told."""
    try:
        return bool(env.compile_expression(source, undefined_to_none=False)(**context))
    except (TemplateError, TypeError, ValueError, ArithmeticError):
        return None  # unknown (a period label, a typo): neither branch is checked


def mask_text(body: str, env: Any, context: Mapping[str, Any]) -> tuple[str, dict[int, str]]:
    """A same-length copy of `body`: merged figures as _REF runs, boundaries as _STOP, hidden text blanked."""
    parts: list[str] = []
    refs: dict[int, str] = {}
    stack: list[list[bool | None]] = []  # per open `if`: [this branch shown, an earlier branch shown]
    position = 0
    for match in [*_JINJA.finditer(body), None]:
        shown = all(level[0] is True for level in stack)
        text = body[position : match.start() if match else len(body)]
        parts.append(text if shown else re.sub(r"[^\n]", " ", text))
        if match is None:
            break
        position, length, tag = match.end(), match.end() - match.start(), match.group(2)
        if match.group(1) is not None and shown:
            refs[match.start()] = match.group(1)
        parts.append(_REF * length if match.start() in refs else (_STOP if tag else " ") * length)
        if tag == "if":
            stack.append([condition(env, match.group(3), context)] * 2)
        elif tag in ("elif", "else") and stack:
            level = stack[-1]
            if level[1] is not False:
                level[0] = False if level[1] else None
            else:
                level[0] = level[1] = True if tag == "else" else condition(env, match.group(3), context)
        elif tag == "endif" and stack:
            stack.pop()
    text = _HIDDEN.sub(lambda m: _STOP * len(m.group()), "".join(parts))
    return _BREAK.sub(_STOP, text).replace("|", _STOP), refs


def tokenize(masked: str, begin: int, end: int, refs: dict[int, str], figures: Mapping[str, Figure]) -> list[Token]:
    """The tokens of `masked[begin:end]` (one sentence), numbered by clause."""
    tokens: list[Token] = []
    clause = 0
    for m in _TOKEN.finditer(masked, begin, end):
        kind = m.lastgroup if m.lastgroup in ("ref", "clause", "word") else "num"
        if kind == "clause" or m.group().lower() in CLAUSE_WORDS:
            clause += 1
        elif kind == "ref":
            parsed = _REF_ID.match(refs.get(m.start(), ""))
            ident, rest = (parsed.group(1).removesuffix(".value"), parsed.group(2)) if parsed else ("", "")
            period = ident not in figures or re.search(r"\|\s*period\b", rest) is not None
            time = next((s for s in ("previous", "latest") if f".{s}." in ident), "any") if period else ""
            tokens.append(Token("ref", ident if ident in figures else "", m.start(), m.end(), clause, time=time))
        else:
            text = re.sub(r"['’]s$", "", m.group().lower()) if kind == "word" else m.group()  # family's -> family
            tokens.append(Token(kind, text, m.start(), m.end(), clause, m))
    return tokens


def slot_of(fid: str) -> str | None:
    """A figure id's slot: 'latest', 'previous' or 'change' (None for a comparator)."""
    return next((part for part in fid.split(".")[1:] if part in SLOTS), None)


def sibling(fid: str, slot: str) -> str | None:
    """The same measure in another slot: ('fte.latest.rate', 'change') -> 'fte.change.rate'; None for comparators."""
    own = slot_of(fid)
    if own is None:
        return None
    parts = fid.split(".")
    parts[parts.index(own, 1)] = slot
    return ".".join(parts)


def literal(match: re.Match[str]) -> tuple[Decimal, int, bool]:
    """A typed number as (signed value, decimal places typed, whether a sign was typed)."""
    frac, sign = match.group("frac") or "", match.group("sign")
    value = Decimal(("-" if sign and sign != "+" else "") + match.group("digits").replace(",", "") + frac)
    return value, max(len(frac) - 1, 0), sign is not None
