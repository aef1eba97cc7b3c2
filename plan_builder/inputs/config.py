"""The plan manifest (`plan.yaml`): schema, defaults and loading.

The manifest says which service the plan is for, which period and YJB section
list it follows, its status and date, which Word templates to use, and the
ordered list of section files. Models are frozen, so the rest of the pipeline
receives plain read-only data.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.sources.spec import ImportSpec, check_range
from plan_builder.inputs.yamlio import YamlDocument, load_yaml

MANIFEST_NAME = "plan.yaml"
PERIOD_PATTERN = re.compile(r"^(20\d\d)-(\d\d)$")
NAME_MAX = 255
"""The longest file or folder name common file systems allow (in bytes); a longer one cannot even be looked up."""


def _plan_file(value: str) -> str:
    if any(len(name.encode()) > NAME_MAX for name in re.split(r"[/\\]", value)):
        raise ValueError(f"a file or folder name in this path is longer than {NAME_MAX} characters")
    if len(value.encode()) > 4 * NAME_MAX:
        raise ValueError(f"the path is longer than {4 * NAME_MAX} characters")
    return value


PlanFile = Annotated[str, Field(min_length=1), AfterValidator(_plan_file)]
"""A path in plan.yaml to a file in the plan folder."""


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


class Pending(StrictModel):
    """Data the plan is waiting for: where it comes from and when it is due."""

    source: str = Field(min_length=1)
    """e.g. 'YJB reoffending data'."""
    due: str = Field(min_length=1)
    """e.g. 'August 2025'."""


class DataSource(StrictModel):
    """Where a dataset lives (a CSV file or a sheet of a workbook), where it came from; or that it is pending."""

    file: PlanFile | None = None
    sheet: str | None = None
    header_row: int | None = Field(default=None, ge=1)
    """The row of column names, when it is not the first (or the first of `range`)."""
    range: str | None = None
    """Only these cells of the sheet, e.g. 'A3:G40'."""
    pending: Pending | None = None
    """Mark the dataset as not yet arrived: every figure from it shows a 'Data due' placeholder."""
    source: str | None = Field(default=None, min_length=1)
    """Where the figures come from, e.g. 'Youth Justice Statistics 2023-24, supplementary table 2.1';
    shown under the charts and tables and recorded in the build manifest."""
    released: dt.date | None = None
    """The source's release date."""
    import_: ImportSpec | None = Field(default=None, alias="import")
    """How `plan-builder data import` reads the published table into `file`."""

    _range = field_validator("range")(check_range)

    @property
    def provenance(self) -> str:
        """'Youth Justice Statistics 2023-24 (released 30 January 2025)', or '' when no source is named."""
        if not self.source:
            return ""
        released = f" (released {self.released.day} {self.released:%B %Y})" if self.released else ""
        return f"{self.source}{released}"

    @model_validator(mode="after")
    def _file_or_pending(self) -> DataSource:
        if self.file is None and self.pending is None:
            raise ValueError("give a file, or mark the dataset pending")
        return self


def _source(value: object) -> object:
    if isinstance(value, dict):
        return {k: ({"file": v} if isinstance(v, str) else v) for k, v in value.items()}
    return value


RagWord = Literal["Green", "Amber/Green", "Amber", "Red/Amber", "Red"]


class Band(StrictModel):
    """One band of a banded RAG rule: values at or better than `limit` (by the figure's polarity)."""

    rag: RagWord
    limit: float | None = None
    """The band's edge in the figure's unit; the last (worst) band has none."""


class RagRule(StrictModel):
    """How a figure is rated: against a target, a comparator area, its direction of travel, or bands.

    The scheme is named (`scheme:`) or follows from what is given: `target` rates against a
    target, `bands` by value bands, `comparator` against an area; `scheme: direction` rates an
    improvement Green, no change Amber and a worsening Red (words configurable).
    """

    scheme: Literal["comparator", "target", "direction", "bands"] | None = None
    target: float | None = None
    """Target value in the figure's own unit (e.g. 80 for 80%)."""
    tolerance: float = 0
    """Amber band beyond the target, in the figure's unit (percentage points for %)."""
    comparator: Literal["family", "region", "pcc", "national"] | None = None
    tolerance_pct: float = 5
    """With `comparator`: Amber when worse than the comparator by at most this %."""
    bands: list[Band] = Field(default_factory=list)
    """Best band first; each holds values at or better than its limit."""
    improving: RagWord = "Green"
    no_change: RagWord = "Amber"
    worsening: RagWord = "Red"

    @model_validator(mode="before")
    @classmethod
    def _scheme_from_what_is_given(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("scheme") is None:
            given = [key for key in ("target", "bands", "comparator") if data.get(key) is not None]
            if len(given) != 1:
                raise ValueError("give one of: a target, bands, a comparator, or scheme: direction")
            return {**data, "scheme": given[0]}
        return data

    @model_validator(mode="after")
    def _complete(self) -> RagRule:
        if self.scheme == "target" and self.target is None:
            raise ValueError("scheme 'target' needs a target")
        bands = self.bands
        if self.scheme == "bands" and (
            len(bands) < 2 or any(b.limit is None for b in bands[:-1]) or bands[-1].limit is not None
        ):
            raise ValueError("bands: list two or more, best first, each with a limit except the last")
        return self


ChangeKind = Literal["percent", "points", "difference"]
"""How a change is expressed: per cent change, percentage points, or the difference in the measure's unit."""


class Performance(StrictModel):
    """Performance data: which files, which area is the service, who it is compared with."""

    area: str = Field(min_length=1)
    """The service's own area name, as it appears in the data's `area` column."""
    comparators: dict[Literal["family", "region", "pcc", "national"], str] = Field(default_factory=dict)
    """Area names of the comparators, e.g. family: 'YJS family', national: 'England and Wales'."""
    datasets: dict[Literal["fte", "reoffending", "custody", "kpis", "population"], DataSource] = Field(
        default_factory=dict
    )
    headline: dict[str, str] = Field(default_factory=dict)
    """Which period shape is the headline of a measure, by indicator ('fte': 'oct_sep'); default: the
    shape of the most recent period in the data."""
    changes: dict[str, ChangeKind] = Field(default_factory=dict)
    """How each measure's change is expressed, by measure id ('custody.rate': difference)."""
    local_indicators: PlanFile | None = None
    """YAML file of locally defined indicators."""
    small_denominator: int = Field(default=30, ge=1)
    """Figures with fewer children than this in their denominator carry a caveat that rates swing."""
    rag: dict[str, RagRule] = Field(default_factory=dict)
    """RAG rules by figure id, overriding the defaults."""
    stated: dict[str, float] = Field(default_factory=dict)
    """Values typed elsewhere (e.g. a board report) to check against the computed ones, by figure id."""
    pending: dict[str, Pending] = Field(default_factory=dict)
    """Single figures (by id) still to arrive; they show a 'Data due' placeholder."""
    members: dict[str, list[str]] = Field(default_factory=dict)
    """A comparator the data has no rows for, by its area name -> the areas whose counts add up to it
    (a YJS family from its member services)."""

    _sources = field_validator("datasets", mode="before")(_source)

    @model_validator(mode="after")
    def _members_of_comparators(self) -> Performance:
        for group, areas in self.members.items():
            if group not in self.comparators.values():
                raise ValueError(f"members: {group!r} is not a comparator (performance.comparators)")
            if not areas or len(set(areas)) != len(areas) or group in areas:
                raise ValueError(f"members: {group!r}: list its member areas, each once (and not itself)")
        return self


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
    template: PlanFile = "templates/plan-template.docx"
    cover_template: PlanFile = "templates/cover.docx"
    signoff_template: PlanFile = "templates/signoff.docx"
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
    """A loaded manifest together with where it lives."""

    root: Path
    manifest: Manifest
    source: YamlDocument

    model_config = StrictModel.model_config | {"arbitrary_types_allowed": True}

    def path(self, relative: str) -> Path:
        """Resolve a manifest path against the plan directory."""
        return self.root / relative

    def display(self, relative: str) -> Path:
        """How messages name a plan file: as the user would type it from where they ran the command."""
        return self.root / relative


def load_plan(root: Path) -> Plan:
    """Load and validate `plan.yaml` from the plan directory `root`."""
    doc = load_yaml(root / MANIFEST_NAME)
    manifest = validate(Manifest, doc)
    return Plan(root=root, manifest=manifest, source=doc)
