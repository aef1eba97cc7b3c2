"""What the accessibility audit reports: its rules and messages, each finding, and the report.

Kept apart from the walk over the document (`audit`) so that the rules can be read, and
reworded, in one place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ALT_HINT = "; right-click it > View Alt Text and describe what it shows"
LINK_HINT = "; give the Hyperlink style an underline and a colour of its own (Styles pane > Hyperlink > Modify)"

Severity = Literal["error", "warning"]


# Every finding the audit can report: key -> (rule id, severity, message template).
MESSAGES: dict[str, tuple[str, Severity, str]] = {
    "no-title": ("title", "error", "the document has no title; set the Title property (File > Info)"),
    "file-title": ("title", "error", "the document title '{title}' is a file name; give it a meaningful title"),
    "no-language": ("language", "error", "the document has no language; set the Language property to en-GB"),
    "bad-language": ("language", "error", "the document language '{tag}' is not a language tag such as en-GB"),
    "no-text-language": ("language", "error", "no default text language; set w:lang in the Normal style to en-GB"),
    "bad-text-language": ("language", "error", "the default text language '{tag}' is not a tag such as en-GB"),
    "skipped": ("headings", "error", "heading '{text}' is Heading {level} but {before}: use Heading {fix}"),
    "empty-heading": ("headings", "error", "empty Heading {level}; give it text or remove it"),
    "no-h1": ("headings", "error", "the document has no Heading 1; use it for each top-level section"),
    "no-alt": ("alt-text", "error", "picture has no alt text" + ALT_HINT),
    "no-header-row": ("table-header", "error", "the first row is not marked as a header row (Repeat as header row)"),
    "merged-across": ("merged-cells", "error", "cell merged across {span} columns; split it"),
    "merged-down": ("merged-cells", "error", "cell merged with the cell below it; split it"),
    "colour-only": ("rag-colour", "error", "cell coloured {fill} ({hue}) has no text: colour without words"),
    "low-contrast": ("contrast", "error", "text colour {text} on fill {fill} has contrast {ratio:.2f}:1; 4.5:1 needed"),
    "faint-text": (
        "contrast",
        "warning",
        "{runs} in style '{style}': colour {text} has contrast {ratio:.2f}:1 on the white page; 4.5:1 needed",
    ),
    "vague-link": ("link-text", "error", "link text '{text}' does not say where the link goes"),
    "bare-url": ("link-text", "error", "link text '{text}' is a bare web address; describe the destination"),
    "empty-link": ("link-text", "error", "link has no visible text"),
    "link-look": (
        "link-look",
        "error",
        "{runs} in links (style '{style}'): {problem}; a link must be marked by more than colour" + LINK_HINT,
    ),
    "small-text": ("font-size", "error", "{runs} in style '{style}' at {size} pt; body text must be at least 11 pt"),
    "spacing": ("empty-paragraphs", "warning", "{count} empty paragraphs in a row used for spacing"),
    "no-toc": ("document", "warning", "about {pages} pages but no table of contents; add one"),
}


@dataclass(frozen=True)
class Finding:
    """One accessibility problem: which rule, how serious, what is wrong and where."""

    rule: str
    severity: Severity
    message: str
    location: str

    def line(self) -> str:
        """The finding as one report line: 'error: LOCATION: [rule] message'."""
        return f"{self.severity}: {self.location}: [{self.rule}] {self.message}"


@dataclass
class AuditReport:
    """Every finding of one audit: properties, the body in reading order, headers and footers, then totals.

    The totals (text too small, faint text on the page) are one finding per style,
    located at the first occurrence, so a 60-page plan does not give 1,000 lines.
    """

    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Findings that make the document fail WCAG 2.1 AA."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings worth fixing that do not on their own fail the document."""
        return [f for f in self.findings if f.severity == "warning"]

    def lines(self) -> list[str]:
        """One line per finding, as the CLI prints them."""
        return [finding.line() for finding in self.findings]

    def to_json(self) -> dict[str, Any]:
        """The report as a JSON-ready object, for the build manifest or CI."""
        findings = [asdict(finding) for finding in self.findings]
        return {"errors": len(self.errors), "warnings": len(self.warnings), "findings": findings}
