"""YJB section lists, one data file per plan year, and the order check.

The YJB changes its required headings from time to time (2021, 2022, 2023), so
the lists live in `plan_builder/structures/*.yaml`: a new template is a new data
file, not a code change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import Field

from plan_builder.errors import ConfigError
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.yamlio import parse_yaml


class Heading(StrictModel):
    """A heading the YJB expects, with an id that section front matter refers to."""

    id: str
    title: str
    subheadings: list[str] = Field(default_factory=list)


class Structure(StrictModel):
    """The required headings of one plan year."""

    name: str
    from_period: str
    sections: list[Heading]
    appendices: list[Heading]
    optional: list[Heading] = Field(default_factory=list)

    def heading(self, heading_id: str) -> Heading | None:
        """Return the heading with `heading_id`, if this structure has one."""
        for heading in [*self.sections, *self.appendices, *self.optional]:
            if heading.id == heading_id:
                return heading
        return None

    @property
    def required(self) -> list[Heading]:
        """Required headings in YJB order: sections, then appendices."""
        return [*self.sections, *self.appendices]


def available_structures() -> list[str]:
    """Keys of the packaged structures, oldest first ('2022-23', '2023-24', ...)."""
    folder = resources.files("plan_builder.inputs") / "structures"
    return sorted(item.name.removesuffix(".yaml") for item in folder.iterdir() if item.name.endswith(".yaml"))


def load_structure(key: str | None, period: str, where: str = "plan.yaml") -> Structure:
    """Load the structure named `key`, or the newest one that is not after `period`.

    `where` ('plan.yaml:15') locates the manifest's `structure` key for error messages.
    """
    keys = available_structures()
    if key is None:
        candidates = [k for k in keys if k <= period]
        if not candidates:
            raise ConfigError(
                f"{where}: period: no YJB section list covers period {period}; available: {', '.join(keys)}"
            )
        key = candidates[-1]
    if key not in keys:
        raise ConfigError(f"{where}: structure: unknown YJB section list {key!r}; available: {', '.join(keys)}")
    return _packaged_structure(key)


@lru_cache(maxsize=8)
def _packaged_structure(key: str) -> Structure:
    """A packaged structure, read once per process (a frozen model: safe to share)."""
    resource = resources.files("plan_builder.inputs") / "structures" / f"{key}.yaml"
    doc = parse_yaml(resource.read_text(encoding="utf-8"), Path(f"plan_builder/structures/{key}.yaml"))
    return validate(Structure, doc)


@dataclass(frozen=True)
class OrderReport:
    """Which required headings are missing and which are out of YJB order."""

    missing: list[Heading]
    out_of_order: list[str]


def check_order(structure: Structure, heading_ids: list[str]) -> OrderReport:
    """Compare the plan's heading ids with the structure's required order."""
    present = set(heading_ids)
    missing = [h for h in structure.required if h.id not in present]
    order = {h.id: index for index, h in enumerate(structure.required)}
    ranked = [order[h] for h in heading_ids if h in order]
    out_of_order = []
    highest = -1
    for heading_id, rank in zip([h for h in heading_ids if h in order], ranked, strict=True):
        if rank < highest:
            out_of_order.append(heading_id)
        highest = max(highest, rank)
    return OrderReport(missing=missing, out_of_order=out_of_order)
