"""The `performance:` part of plan.yaml: which data files, who the service is compared with, how figures are rated.

Kept apart from the rest of the manifest (config.py) because the figures stage reads it and
nothing else: datasets and their sources, comparators, headline shapes, change kinds, RAG rules,
typed values to check, and data still pending.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from plan_builder.inputs.schema import PlanFile, StrictModel, TypedNumber
from plan_builder.inputs.sources.spec import ImportSpec, check_range


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
    kpi_notes: PlanFile | None = None
    """YAML file of each KPI's board adopter and commentary, shown with the KPI table."""
    local_indicators: PlanFile | None = None
    """YAML file of locally defined indicators."""
    small_denominator: int = Field(default=30, ge=1)
    """Figures with fewer children than this in their denominator carry a caveat that rates swing."""
    rag: dict[str, RagRule] = Field(default_factory=dict)
    """RAG rules by figure id, overriding the defaults."""
    stated: dict[str, TypedNumber] = Field(default_factory=dict)
    """Values typed elsewhere (e.g. a board report) to check against the computed ones, by figure id, at the
    precision typed: `15.0` is checked to one decimal place; '24%' and '£1,234' only against their kind."""
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
