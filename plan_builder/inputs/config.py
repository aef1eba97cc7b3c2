"""The plan manifest (`plan.yaml`): schema, defaults and loading.

The manifest says which service the plan is for, which period and YJB section
list it follows, its status and date, which Word templates to use, and the
ordered list of section files. Models are frozen, so the rest of the pipeline
receives plain read-only data.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from plan_builder.errors import ConfigError, Problems
from plan_builder.inputs.look import Colours, StyleName, StyleRole
from plan_builder.inputs.performance_settings import Performance
from plan_builder.inputs.schema import PlanFile, StrictModel, clean_location, validate
from plan_builder.inputs.yamlio import YamlDocument, load_yaml

MANIFEST_NAME = "plan.yaml"
PERIOD_PATTERN = re.compile(r"^(20\d\d)-(\d\d)$")


class Status(str, Enum):
    """Where the plan is in its approval cycle."""

    DRAFT = "draft"
    BOARD_REVIEW = "board-review"
    FINAL = "final"

    @property
    def label(self) -> str:
        """Human label used on the cover, footer and watermark."""
        return {"draft": "Draft", "board-review": "Board review", "final": "Final"}[self.value]


class Person(StrictModel):
    """A named person and their role, e.g. the board chair."""

    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    organisation: str | None = None


class Service(StrictModel):
    """The youth justice service the plan is for."""

    name: str = Field(min_length=1)
    """Full name, e.g. 'Calderbrook Youth Justice Service'."""
    short_name: str | None = None
    """Short name used in the header, e.g. 'Calderbrook YJS'. Defaults to `name`."""
    local_authorities: list[str] = Field(min_length=1)
    """The local authority or authorities the service covers."""
    nation: str = "England"
    """England or Wales (Wales adds the Welsh Government budget row and ALN wording)."""
    region: str | None = None
    manager: Person | None = None
    """The service manager or head of service, shown on the cover."""

    @field_validator("nation")
    @classmethod
    def _known_nation(cls, value: str) -> str:
        if value not in ("England", "Wales"):
            raise ValueError("expected 'England' or 'Wales'")
        return value

    @property
    def header_name(self) -> str:
        """The name shown in running headers."""
        return self.short_name or self.name


class Board(StrictModel):
    """The youth justice management or partnership board."""

    name: str = Field(min_length=1)
    chair: Person


class Signatory(StrictModel):
    """Someone who signs the plan: by default the board chair; optionally one per partner."""

    name: str = Field(min_length=1)
    role: str = Field(min_length=1)
    organisation: str = ""
    signed_on: dt.date | None = None
    """Date signed; leave empty until the plan is signed."""


class Structured(StrictModel):
    """YAML files holding the plan's structured parts; each is optional (leave the key out, not empty)."""

    risks: PlanFile | None = None
    budget: PlanFile | None = None
    standards: PlanFile | None = None
    actions: PlanFile | None = None
    staffing: PlanFile | None = None
    glossary: PlanFile | None = None


class VersionEntry(StrictModel):
    """One row of the document-control (version history) table."""

    version: str = Field(min_length=1)
    date: dt.date
    author: str = Field(min_length=1)
    summary: str = Field(min_length=1)


class SectionEntry(StrictModel):
    """One entry of the ordered section list."""

    file: PlanFile
    """Path of the Markdown file, relative to the plan directory."""
    separate_document: bool = False
    """Appendices only: write this appendix as its own .docx beside the plan."""


def _entries(value: object) -> object:
    """Allow a bare path string as shorthand for `{file: path}`."""
    if isinstance(value, list):
        return [{"file": item} if isinstance(item, str) else item for item in value]
    return value


PLAN_DOCUMENT = "plan"
"""The name of the plan itself among a plan folder's documents."""

DocumentKind = Literal["plan-update", "performance-report", "scorecard", "progress-report"]
"""Documents made from the plan's data besides the plan itself."""


class ActionPlanEntry(StrictModel):
    """An action plan a document reports progress on (a progress report can have several)."""

    file: PlanFile
    name: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]*$")
    """How sections place it (`::: action-plan NAME`); default: the file name without '.yaml'."""

    @property
    def key(self) -> str:
        """The name blocks use."""
        return self.name or Path(self.file).stem


class DocumentEntry(StrictModel):
    """A further document from the same data (board report, scorecard, progress report, annual update).

    Unset keys take the plan's values.
    """

    kind: DocumentKind
    title: str | None = Field(default=None, min_length=1)
    """The document's title; default: its kind's ('Performance report to the partnership board')."""
    period: str | None = Field(default=None, min_length=1)
    """What it reports on, as the reader sees it: 'Jan-Mar 2025', 'Q4 2024-25'; default: the plan's period."""
    audience: str | None = None
    """Who receives it, e.g. the board and its meeting date; shown on the cover."""
    status: Status | None = None
    version: str | None = Field(default=None, pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$", max_length=40)
    as_of: dt.date | None = None
    document_control: list[VersionEntry] = Field(default_factory=list)
    sections: list[SectionEntry] = Field(default_factory=list)
    """Its own sections (a plan's section file can be listed again); none: the kind's default outline."""
    appendices: list[SectionEntry] = Field(default_factory=list)
    action_plans: list[ActionPlanEntry] = Field(default_factory=list)
    """Action plans it reports on, each from its own file with its own statuses and stated counts."""

    _normalise_sections = field_validator("sections", "appendices", mode="before")(_entries)
    _normalise_plans = field_validator("action_plans", mode="before")(_entries)


class Manifest(StrictModel):
    """The whole `plan.yaml`."""

    service: Service
    period: str
    """Plan period as 'YYYY-YY', e.g. '2025-26' (April to March)."""
    structure: str | None = None
    """YJB section list to follow, e.g. '2023-24'. Defaults to the newest list not after `period`."""
    board: Board
    status: Status = Status.DRAFT
    version: str = Field(default="0.1", pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$", max_length=40)
    as_of: dt.date
    """The date the plan speaks from; every date in the document derives from it, not the clock."""
    language: str = "en-GB"
    template: PlanFile | None = None
    """The Word template (styles and page setup). Default: templates/plan-template.docx if the plan has
    one, else plan-builder's own (see `inputs/templates.py`)."""
    cover_template: PlanFile | None = None
    """The cover (a docxtpl template). Default: templates/cover.docx, else plan-builder's own."""
    signoff_template: PlanFile | None = None
    """The sign-off page (a docxtpl template). Default: templates/signoff.docx, else plan-builder's own."""
    styles: dict[StyleRole, StyleName] = Field(default_factory=dict)
    """The template's own style for a role, e.g. heading_1: CBMC Heading 1 (see STYLE_ROLES)."""
    colours: Colours = Field(default_factory=Colours)
    """Table header and rating colours (fill and text), instead of the template's and plan-builder's."""
    section_page_breaks: bool = True
    """Start each top-level section (and appendix) on a new page, whatever the template's headings do."""
    signatories: list[Signatory] = Field(default_factory=list)
    """Who signs the plan. Empty means the board chair alone."""
    approval: str | None = None
    """How the plan is approved and submitted, shown under the signatures."""
    contents_levels: int = Field(default=1, ge=1, le=3)
    """Heading levels listed on the contents page (1: sections only)."""
    disclosure_threshold: int = Field(default=5, ge=1)
    """In final plans, table counts below this are flagged: small numbers can identify children."""
    number_headings: bool = True
    """Number section headings ('3. Child First', '3.1 ...') as YJB plans do."""
    document_control: list[VersionEntry] = Field(default_factory=list)
    """Version history shown in a document-control table after the contents page."""
    changes_page: bool = False
    """Drafts only: add a 'Changes since version N' page comparing with the last build of another version."""
    performance: Performance | None = None
    structured: Structured = Field(default_factory=Structured)
    sections: list[SectionEntry] = Field(min_length=1)
    appendices: list[SectionEntry] = Field(default_factory=list)
    documents: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)], DocumentEntry] = Field(
        default_factory=dict
    )
    """Further documents built from the same data, by name (the name goes into their file names)."""

    _normalise_sections = field_validator("sections", "appendices", mode="before")(_entries)

    @field_validator("period")
    @classmethod
    def _valid_period(cls, value: str) -> str:
        match = PERIOD_PATTERN.match(value)
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError("expected a plan period like '2025-26' (two consecutive years)")
        return value

    @field_validator("as_of", mode="before")
    @classmethod
    def _date_only(cls, value: object) -> object:
        if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            raise ValueError("expected a date as YYYY-MM-DD")
        return value

    @field_validator("documents")
    @classmethod
    def _not_named_plan(cls, value: dict[str, DocumentEntry]) -> dict[str, DocumentEntry]:
        if PLAN_DOCUMENT in value:
            raise ValueError(f"'{PLAN_DOCUMENT}' is the plan itself; give the document another name")
        return value

    @model_validator(mode="after")
    def _no_duplicate_files(self) -> Manifest:
        files = [entry.file for entry in [*self.sections, *self.appendices]]
        duplicates = sorted({f for f in files if files.count(f) > 1})
        if duplicates:
            raise ValueError(f"section file listed more than once: {', '.join(duplicates)}")
        return self

    @property
    def start_year(self) -> int:
        """First calendar year of the plan period (2025 for '2025-26')."""
        return int(self.period[:4])


class Plan(StrictModel):
    """A loaded manifest together with where it lives, as seen by one of its documents.

    `manifest` is what the document is built from: for the plan itself, plan.yaml as written;
    for a further document (`document` names it), plan.yaml with that document's sections,
    status, version and date in place of the plan's.
    """

    root: Path
    manifest: Manifest
    source: YamlDocument
    document: str = PLAN_DOCUMENT
    """Which document: 'plan', or a name under `documents:`."""
    left_out: frozenset[str] = frozenset()
    """Keys of plan.yaml left out because their values are wrong ('structured.budget'); their problems are
    reported, and what they name (a data file, a structured part) counts as broken, not as absent."""

    model_config = StrictModel.model_config | {"arbitrary_types_allowed": True}

    @property
    def entry(self) -> DocumentEntry | None:
        """The `documents:` entry of a further document (None for the plan itself)."""
        return None if self.document == PLAN_DOCUMENT else self.manifest.documents[self.document]

    @property
    def kind(self) -> str:
        """'plan', or the further document's kind ('performance-report', ...)."""
        entry = self.entry
        return entry.kind if entry else PLAN_DOCUMENT

    def for_document(self, name: str) -> Plan:
        """The plan as the document `name` sees it ('plan' gives the plan itself)."""
        if name == PLAN_DOCUMENT:
            return self
        entry = self.manifest.documents[name]
        manifest = self.manifest
        update = {
            "sections": entry.sections,
            "appendices": entry.appendices,
            "status": entry.status or manifest.status,
            "version": entry.version or manifest.version,
            "as_of": entry.as_of or manifest.as_of,
            "document_control": entry.document_control,
            "changes_page": False,
        }
        return self.model_copy(update={"manifest": manifest.model_copy(update=update), "document": name})

    def document_names(self) -> list[str]:
        """Every document of the plan folder: the plan first, then `documents:` in file order."""
        return [PLAN_DOCUMENT, *self.manifest.documents]

    def path(self, relative: str) -> Path:
        """Resolve a manifest path against the plan directory."""
        return self.root / relative

    def display(self, relative: str) -> Path:
        """How messages name a plan file: as the user would type it from where they ran the command."""
        return self.root / relative


def load_plan(root: Path, problems: Problems | None = None) -> Plan:
    """Load and validate `plan.yaml` from the plan directory `root`.

    With `problems`, a manifest whose mistakes lie in keys the rest of the plan can do without
    (an unknown key, a bad option, one structured part or dataset) is loaded without them and its
    problems recorded, so that one run also reports every other file's. Mistakes in what
    everything depends on (the service, period, section list) are raised.
    """
    doc = load_yaml(root / MANIFEST_NAME)
    try:
        return Plan(root=root, manifest=validate(Manifest, doc), source=doc)
    except ConfigError as exc:
        if problems is None:
            raise
        manifest, left_out = _without_broken_keys(doc, exc)
        problems.add(exc)
        return Plan(root=root, manifest=manifest, source=doc, left_out=frozenset(left_out))


ESSENTIAL = ("service", "board", "period", "as_of", "structure", "sections", "appendices")
"""Top-level keys the rest of the plan is read through: they are never left out."""
LISTS = ("structure", "sections", "appendices")
"""Keys that nothing inside can be left out of: the section list would no longer be the author's."""
ENTRY_LEVEL = {("performance", "datasets"): 3, ("performance", "rag"): 3, ("performance", "stated"): 3,
               ("performance", "pending"): 3, ("structured",): 2}  # fmt: skip
"""Keys holding one entry per name: a mistake inside an entry leaves out the whole entry."""


def _without_broken_keys(doc: YamlDocument, error: ConfigError) -> tuple[Manifest, set[str]]:
    """The manifest validated without the keys that have mistakes, and those keys ('structured.budget').

    Each round leaves out the deepest key holding a mistake (or its whole entry), and tries again
    one level up if that is not enough. Raises `error` when an essential key would have to go.
    """
    data = copy.deepcopy(doc.data)
    left_out: set[str] = set()
    for _ in range(6):
        try:
            return Manifest.model_validate(data), left_out
        except ValidationError as exc:
            locations = [clean_location(e["loc"]) for e in exc.errors()]
        for location in locations:
            key = _key_to_leave_out(data, location)
            if key is None or key[0] in LISTS or key == (key[0],) and key[0] in ESSENTIAL:
                raise error
            parent = data
            for part in key[:-1]:
                parent = parent[part]
            parent.pop(key[-1], None)
            left_out.add(".".join(map(str, key)))
    raise error


def _key_to_leave_out(data: Any, location: tuple[str | int, ...]) -> tuple[str, ...] | None:
    """The mapping key to drop for a mistake at `location`: the deepest one still present, up to an entry."""
    keys: list[str] = []
    node = data
    for part in location:
        if not isinstance(part, str) or not isinstance(node, dict) or part not in node:
            break
        keys.append(part)
        node = node[part]
    for prefix, depth in ENTRY_LEVEL.items():
        if tuple(keys[: len(prefix)]) == prefix and len(keys) > depth - 1:
            keys = keys[:depth]
    return tuple(keys) or None
