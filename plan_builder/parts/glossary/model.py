"""Glossary "Common youth justice terms": packaged defaults, the plan's own terms, and an abbreviation check.

The YJB template ends with a glossary whose first line asks services to "add any
locally used terminology". So the glossary starts from a default list written for
plan-builder (`plan_builder/defaults/glossary.yaml`), and the plan's glossary file
adds local terms, overrides default definitions (same term, any case) and removes
default terms it does not want.

Plain-language guidance asks for every abbreviation to be explained, so
`undefined_abbreviations` lists abbreviations the text uses that the glossary
does not define. "Defined" means present in the glossary: an abbreviation spelt
out in a section but missing from the glossary is still reported, because the
glossary is where a reader who skipped that paragraph will look.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import Field

from plan_builder.errors import ConfigError, SourceLocation
from plan_builder.inputs.config import Plan
from plan_builder.inputs.files import read_input_text
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.yamlio import YamlDocument, parse_yaml

DEFAULTS_DISPLAY = Path("plan_builder/defaults/glossary.yaml")
CAPTION = "Common youth justice terms"

# Two or more capitals, possibly with digits (YJS, AIM3), then an optional plural 's' (KPIs).
# Jinja expressions are matched first and skipped, so raw section files can be scanned too.
_SCAN = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\b(?P<abbr>[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)s?\b",
    re.DOTALL,
)
_ROMAN = re.compile(r"[IVX]+")  # 'Part II', 'Phase IV': numerals, not abbreviations

# Abbreviations a general reader knows without explanation. The GOV.UK style guide
# treats UK, US, EU, VAT and MP as well known; the rest are as familiar (NHS, GP, BBC,
# HM as in 'HM Courts'), are everyday words (ID, IT, OK, TV, PDF, COVID), or are part
# of a name (GOV in GOV.UK). Anything else, including NHS bodies' own abbreviations,
# belongs in the glossary or, for a plan, its `ignore_abbreviations`.
UBIQUITOUS = frozenset(
    {"UK", "US", "EU", "UN", "NHS", "HM", "MP", "GP", "VAT", "BBC", "ID", "IT", "OK", "TV", "PDF", "COVID", "GOV"}
)


class TermEntry(StrictModel):
    """One glossary entry as written in YAML."""

    term: str
    """The word, phrase or abbreviation being defined, as it should appear in the table."""
    definition: str
    """One or two plain-English sentences; for an abbreviation, start with what it stands for."""
    abbreviation: bool | None = None
    """True if the term is an abbreviation; inferred from the term (all capitals) when left out."""


class DefaultGlossaryFile(StrictModel):
    """The packaged default list."""

    terms: list[TermEntry]


class GlossaryFile(StrictModel):
    """The plan's glossary file (listed in plan.yaml under `structured: glossary`)."""

    use_defaults: bool = True
    """Start from plan-builder's default list of youth justice terms."""
    terms: list[TermEntry] = Field(default_factory=list)
    """Local terms; a term that matches a default (ignoring case) replaces its definition."""
    remove: list[str] = Field(default_factory=list)
    """Default terms to leave out of this plan's glossary."""
    ignore_abbreviations: list[str] = Field(default_factory=list)
    """Capitalised words that are not jargon, so the abbreviation check should not report them."""


@dataclass(frozen=True)
class GlossaryEntry:
    """A term in the finished glossary."""

    term: str
    definition: str
    abbreviation: bool
    source: SourceLocation
    local: bool = False
    """True if the plan's glossary file supplied it (a local term or an override)."""


@dataclass(frozen=True)
class Glossary:
    """The plan's glossary, sorted alphabetically ignoring case, with non-fatal problems."""

    entries: tuple[GlossaryEntry, ...]
    ignore: tuple[str, ...] = ()
    """Abbreviations the plan asked the check not to report, sorted (a set would hash differently in each run)."""
    source: Path | None = None
    """The plan's glossary file as shown in messages, or None for the defaults alone."""
    warnings: list[str] = field(default_factory=list)

    @property
    def abbreviations(self) -> frozenset[str]:
        """Every abbreviation that appears in a term ('KPI', and 'VRP' from 'West Pennine VRP')."""
        return frozenset(token for entry in self.entries for token in abbreviation_tokens(entry.term))


def abbreviation_tokens(text: str) -> list[str]:
    """Abbreviation-like words in `text`, singular ('KPIs' gives 'KPI'), skipping Jinja expressions."""
    return [match["abbr"] for match in _SCAN.finditer(text) if match["abbr"]]


def _key(term: str) -> str:
    return term.casefold()


def _entries(terms: list[TermEntry], doc: YamlDocument, *, local: bool) -> list[GlossaryEntry]:
    """Check each term and definition is present and no term appears twice; raise listing every problem."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    entries = []
    for index, item in enumerate(terms):
        key = ("terms", index)
        if not item.term:
            problems.append(f"{doc.where((*key, 'term'))}: terms[{index}].term: the term is empty")
            continue
        if not item.definition:
            problems.append(
                f"{doc.where((*key, 'definition'))}: terms[{index}].definition: "
                f"the definition of {item.term!r} is empty; explain the term in one or two sentences"
            )
        first = seen.setdefault(_key(item.term), index)
        if first != index:
            problems.append(
                f"{doc.where((*key, 'term'))}: terms[{index}].term: {item.term!r} is already defined "
                f"at line {doc.line_of(('terms', first, 'term'))}; keep one entry"
            )
        abbreviation = item.abbreviation
        if abbreviation is None:
            abbreviation = abbreviation_tokens(item.term) == [item.term]
        entries.append(
            GlossaryEntry(
                term=item.term,
                definition=item.definition,
                abbreviation=abbreviation,
                source=SourceLocation(doc.path, doc.line_of(key)),
                local=local,
            )
        )
    if problems:
        raise ConfigError(*problems)
    return entries


def load_default_terms() -> list[GlossaryEntry]:
    """Read and check the packaged default terms (`plan_builder/defaults/glossary.yaml`), once per process."""
    return list(_default_terms())


@lru_cache(maxsize=1)
def _default_terms() -> tuple[GlossaryEntry, ...]:
    text = (resources.files("plan_builder.inputs") / "defaults" / "glossary.yaml").read_text(encoding="utf-8")
    doc = parse_yaml(text, DEFAULTS_DISPLAY)
    return tuple(_entries(validate(DefaultGlossaryFile, doc).terms, doc, local=False))


def load_glossary(path: Path | None, display: Path | None, plan: Plan) -> Glossary:
    """Build the plan's glossary from the defaults and the plan's glossary file.

    Args:
        path: The plan's glossary file, or None to use the default terms alone.
        display: How to show `path` in messages (relative to the plan directory).
        plan: The loaded plan (kept for the signature every structured part shares).

    Returns:
        The merged glossary, sorted by term ignoring case, with warnings for
        `remove` entries that have no effect.

    Raises:
        ConfigError: The file is missing, is not valid YAML or breaks the schema,
            a term or definition is empty, a term appears twice, or the result is empty.
    """
    defaults = load_default_terms()
    if path is None:
        return Glossary(entries=_sorted(defaults))
    shown = display or path
    if not path.is_file():
        raise ConfigError(f"{shown}: glossary file not found (listed in plan.yaml under 'structured: glossary')")
    try:
        text = read_input_text(path)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read the glossary file ({exc.strerror or exc})") from exc
    doc = parse_yaml(text, shown)  # parsed under the shown name so syntax errors name it too
    spec = validate(GlossaryFile, doc)
    local = _entries(spec.terms, doc, local=True)
    warnings: list[str] = []
    merged = {_key(entry.term): entry for entry in defaults} if spec.use_defaults else {}
    local_keys = {_key(entry.term) for entry in local}
    default_keys = {_key(entry.term) for entry in defaults}
    for index, name in enumerate(spec.remove):
        where = doc.where(("remove", index))
        if not spec.use_defaults:
            warnings.append(f"{where}: remove: {name!r} has no effect because use_defaults is false")
        elif _key(name) not in default_keys:
            warnings.append(f"{where}: remove: {name!r} is not a default glossary term, so there is nothing to remove")
        elif _key(name) in local_keys:
            warnings.append(f"{where}: remove: {name!r} is also under 'terms', so the plan's definition is kept")
        merged.pop(_key(name), None)
    merged.update({_key(entry.term): entry for entry in local})
    if not merged:
        raise ConfigError(f"{doc.where(('terms',))}: terms: the glossary is empty; add terms or set use_defaults: true")
    ignore = tuple(
        sorted({token for word in spec.ignore_abbreviations for token in abbreviation_tokens(word) or [word]})
    )
    return Glossary(entries=_sorted(merged.values()), ignore=ignore, source=shown, warnings=warnings)


def _sorted(entries: Iterable[GlossaryEntry]) -> tuple[GlossaryEntry, ...]:
    return tuple(sorted(entries, key=lambda entry: (_key(entry.term), entry.term)))


def undefined_abbreviations(glossary: Glossary, texts: Iterable[tuple[Path, int, str]]) -> list[str]:
    """Warn once for each abbreviation the text uses that the glossary does not define.

    Args:
        glossary: The plan's glossary.
        texts: (section file, line of the first line of `text`, text) for each section,
            in document order. Jinja expressions in the text are skipped.

    Returns:
        One warning per abbreviation, at its first occurrence, in order of appearance.
    """
    known = glossary.abbreviations | set(glossary.ignore) | UBIQUITOUS
    hint = (
        f"add it to {glossary.source}"
        if glossary.source
        else "add it to a glossary file listed in plan.yaml under 'structured: glossary'"
    )
    reported: set[str] = set()
    warnings = []
    for path, first_line, text in texts:
        for match in _SCAN.finditer(text):
            token = match["abbr"]
            if not token or token in known or token in reported or _ROMAN.fullmatch(token):
                continue
            reported.add(token)
            line = first_line + text.count("\n", 0, match.start())
            warnings.append(f"{path}:{line}: abbreviation {token!r} is used but not in the glossary ({hint})")
    return warnings
