"""Numbers in imported text that look like performance figures: candidates to replace with computed ones.

Last year's plan typed its figures; this year's should compute them (`{{ fte.latest.rate }}`), so
that they agree with the data and change when it does. A sentence is a candidate when it holds a
percentage or a rate, or a count next to the name of an indicator. Years, periods and dates are
not counted. Tables are reported once each, by their first column's indicator names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INDICATORS = re.compile(
    r"first[- ]time entrants?|\bFTEs?\b|re-?offend\w*|custod\w*|remand\w*|\bETE\b|education, training|"
    r"accommodation|\bKPIs?\b|key performance|out[- ]of[- ]court|\bOOCDs?\b|serious (?:youth )?violence|"
    r"victims?|\bSEND\b|\bALN\b|substance misuse|mental health|caseload|cohort|binary rate|frequency rate|"
    r"\brates?\b|national standards",
    re.IGNORECASE,
)
PERCENT = re.compile(r"\b\d+(?:\.\d+)?\s?(?:%|per ?cent\b|percentage points?\b)", re.IGNORECASE)
RATE = re.compile(r"\b\d[\d,]*(?:\.\d+)?\s+per\s+(?:1,?000|10,?000|100,?000)\b", re.IGNORECASE)
NUMBER = re.compile(r"(?<![\w.£$-])\d[\d,]*(?:\.\d+)?(?![\w%-]|\.\d)")
NOT_COUNTS = re.compile(
    r"\b(?:19|20)\d\d(?:[-/]\d\d(?:\d\d)?)?\b|"  # years and periods: 2024, 2024-25, 2024/25
    r"\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*|"  # dates: 30 June
    r"\b(?:section|appendix|table|figure|kpi|page|priority|standard|tier|level|phase|year|version|outcome)\s+\d+|"
    r"\b\d+\s*(?:-|to|and|or)\s*\d+(?:[- ]years?[- ]olds?|\b)|\b\d+[- ]years?[- ]olds?|"  # ages: 10 to 17
    r"(?:\bx|\u00d7|(?<!\d )per)\s+(?:100,?000|10,?000|1,?000|100)\b|"  # a rate's unit, not a figure
    r"\(\s*\d+\s*[,)]",  # a list's count in brackets
    re.IGNORECASE,
)
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
NUMERIC_CELL = re.compile(r"^[+\-\u2212]?\d[\d,.]*\s*(?:%|/\s*\d[\d,]*)?(?:\s.*)?$")


@dataclass(frozen=True)
class Candidate:
    """Figures typed in a sentence or table that plan-builder could compute instead."""

    line: int
    numbers: list[str]
    cue: str
    """The indicator words near them ('reoffending'), or 'table'."""


def _short(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 3].rstrip() + "..."


def _plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("*", "")


def sentence_candidates(text: str) -> tuple[list[str], str] | None:
    """(figures, indicator cue) if a sentence holds performance-like figures, else None."""
    text = _plain(text)
    masked = NOT_COUNTS.sub(lambda m: " " * len(m[0]), text)
    figures = [m[0].strip() for m in PERCENT.finditer(masked)] + [m[0].strip() for m in RATE.finditer(masked)]
    cue = INDICATORS.search(text)
    if cue:
        taken = " ".join(figures)
        figures += [n for m in NUMBER.finditer(masked) if (n := m[0].rstrip(",")) and n not in taken]
    if not figures:
        return None
    ordered = sorted(dict.fromkeys(figures), key=masked.find)
    return ordered, (cue[0].lower() if cue else "a percentage or rate")


def find_candidates(body: str, first_line: int) -> list[Candidate]:
    """Candidates in a section's Markdown (starting at line `first_line` of its file)."""
    found: list[Candidate] = []
    lines = body.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("|"):
            start = index
            while index < len(lines) and lines[index].startswith("|"):
                index += 1
            table = [[_plain(c).strip() for c in row.strip().strip("|").split(" | ")] for row in lines[start:index]]
            numbers = [cell for row in table[2:] for cell in row[1:] if NUMERIC_CELL.match(cell) and "£" not in cell]
            names = [_short(row[0]) for row in table[2:] if INDICATORS.search(row[0])]
            if len(numbers) >= 2 and names:
                found.append(
                    Candidate(
                        first_line + start,
                        numbers[:3] + (["..."] if len(numbers) > 3 else []),
                        "table: " + "; ".join(names[:2]) + ("; ..." if len(names) > 2 else ""),
                    )
                )
            continue
        if not line.startswith(("#", "![", "[[", "Table:")):
            for sentence in SENTENCE.split(re.sub(r"^\s*(?:\d+\.|[-*+])\s+", "", line)):
                hit = sentence_candidates(sentence)
                if hit:
                    found.append(Candidate(first_line + index, *hit))
        index += 1
    return found
