"""Markers that stand for a number a table does not give, and footnote markers: the one list of them.

Published statistics never print a withheld number as a blank or a zero: they print a
symbol. The Ministry of Justice writes "*" for a count suppressed because it is small and
".." for one not available or not applicable; the Government Statistical Service's newer
symbols are "[c]" (confidential, suppressed), "[x]" (not available) and "[z]" (not
applicable); older tables write plain "c" and "x". A cell holding only a footnote marker
("(1)", "[note 3]") gives no number either: the note says why. Every such cell loads as a
missing value with its reason ("suppressed in the source"), never as zero and never as an
error; every figure that needs it shows "n/a" with that reason, and tables show the short
word ("suppressed").

Footnote markers in labels ("Number of children in cohort(1)(2)", "2021 [note 4]") are
removed before a label is read, and a number followed by one ("45 (1)") is that number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SUPPRESSED = "suppressed"
NOT_AVAILABLE = "not available"
NOT_APPLICABLE = "not applicable"
SEE_NOTE = "see note"
KINDS = (SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE)
"""The kinds a source's own marker can be declared as (`import.markers` in plan.yaml)."""

MARKERS = {
    "*": SUPPRESSED,
    "c": SUPPRESSED,
    "[c]": SUPPRESSED,
    "x": NOT_AVAILABLE,
    "[x]": NOT_AVAILABLE,
    "..": NOT_AVAILABLE,
    "[z]": NOT_APPLICABLE,
}
"""Cell values that stand for a missing number, and what each means (lower case)."""

CANONICAL = {SUPPRESSED: "[c]", NOT_AVAILABLE: "[x]", NOT_APPLICABLE: "[z]"}
"""The symbol plan-builder writes into a long-format data file for each kind."""

MARKERS_TEXT = "'*', '..', 'x', 'c', '[c]', '[x]', '[z]' or a footnote such as '(1)' or '[note 3]'"
"""The markers, for messages."""

_FOOTNOTE = re.compile(r"\(\d{1,3}\)|\[\s*note\s*\d{1,3}\s*\]|\[\d{1,3}\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+", re.I)
_ONLY_FOOTNOTES = re.compile(rf"^(?:\s*(?:{_FOOTNOTE.pattern}))+\s*$", re.I)


@dataclass(frozen=True)
class Missing:
    """Why a cell gives no number: its kind, and the symbol the source wrote."""

    kind: str
    """'suppressed', 'not available', 'not applicable' or 'see note'."""
    symbol: str
    """As written: '*', '..', '[note 3]'."""

    @property
    def reason(self) -> str:
        """Why the number is missing, as figures say it: 'suppressed in the source'."""
        if self.kind == SEE_NOTE:
            return f"not given in the source: see {self.notes}"
        return f"{self.kind} in the source"

    @property
    def described(self) -> str:
        """The reason with the symbol, for reports: "suppressed in the source ('*')"."""
        return self.reason if self.kind == SEE_NOTE else f"{self.reason} ({self.symbol!r})"

    @property
    def notes(self) -> str:
        """'note 3', or 'notes 1 and 2', for a footnote marker."""
        numbers = re.findall(r"\d+", self.symbol)
        if len(numbers) == 1:
            return f"note {numbers[0]}"
        return f"notes {', '.join(numbers[:-1])} and {numbers[-1]}" if numbers else "its notes"

    @property
    def canonical(self) -> str:
        """What a long-format data file holds for it: '[c]', '[x]', '[z]', or '[note 3]' for a footnote."""
        if self.kind == SEE_NOTE:
            return "".join(f"[note {n}]" for n in re.findall(r"\d+", self.symbol)) or self.symbol
        return CANONICAL[self.kind]


def missing_marker(raw: Any, overrides: dict[str, str] | None = None) -> Missing | None:
    """The `Missing` a cell's value stands for, or None when it is not a marker.

    `overrides` maps a source's own symbols to kinds (a table whose '..' means not applicable).
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    kind = (overrides or {}).get(text) or (overrides or {}).get(text.lower()) or MARKERS.get(text.lower())
    if kind is not None:
        return Missing(kind, text)
    if text and _ONLY_FOOTNOTES.match(text):
        return Missing(SEE_NOTE, re.sub(r"\s+", " ", text))
    return None


def kind_of(reason: str) -> str:
    """The short word tables show for a reason `Missing.reason` wrote ('suppressed'), or '' for any other reason."""
    if reason.startswith("not given in the source: see "):
        return SEE_NOTE
    return next((kind for kind in KINDS if reason.startswith(f"{kind} in the source")), "")


def strip_footnotes(text: str) -> str:
    """A label without its footnote markers and extra spaces: 'Number of children in cohort(1)(2)' -> '... cohort'."""
    return re.sub(r"\s+", " ", _FOOTNOTE.sub(" ", text)).strip()


def has_footnote(text: str) -> bool:
    """True when `text` carries a footnote marker."""
    return bool(_FOOTNOTE.search(text))
