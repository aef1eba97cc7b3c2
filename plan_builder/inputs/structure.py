"""YJB section lists, one data file per plan year, and the order check.

The YJB changes its required headings from time to time (2021, 2022, 2023), so
the lists live in `plan_builder/inputs/structures/*.yaml`: a new template is a new data
file, not a code change. A service can also follow a list published after this
release: `structure:` in plan.yaml then names a YAML file in the plan folder, in
the same format (`plan-builder structures --show 2024-25` prints one to start from).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from plan_builder.errors import ConfigError
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.yamlio import parse_yaml

HEADING_ID = re.compile(r"^[a-z][a-z0-9-]*$")
LOCAL_ID = "local"
"""The heading id of a section a service adds itself; no list may use it."""


class Heading(StrictModel):
    """A heading the YJB expects, with an id that section front matter refers to."""

    id: str
    title: str = Field(min_length=1)
    subheadings: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    """Other wordings of this heading (earlier YJB lists, council plans), so `plan-builder import` recognises it."""

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not HEADING_ID.match(value):
            raise ValueError("expected lower-case letters, digits and hyphens, e.g. 'child-first'")
        if value == LOCAL_ID:
            raise ValueError("'local' is kept for a service's own sections; choose another id")
        return value


class Structure(StrictModel):
    """The required headings of one plan year."""

    name: str
    from_period: str
    sections: list[Heading]
    appendices: list[Heading]
    optional: list[Heading] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Structure:
        ids = [h.id for h in self.all_headings]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"heading id used more than once: {', '.join(repeated)}")
        return self

    @property
    def all_headings(self) -> list[Heading]:
        """Every heading: sections, appendices, then the optional ones."""
        return [*self.sections, *self.appendices, *self.optional]

    def heading(self, heading_id: str) -> Heading | None:
        """Return the heading with `heading_id`, if this structure has one."""
        for heading in self.all_headings:
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


def is_structure_file(key: str) -> bool:
    """True if plan.yaml's `structure:` names a file of the service's own rather than a packaged list."""
    return key.lower().endswith((".yaml", ".yml"))


def load_structure(key: str | None, period: str, where: str = "plan.yaml", root: Path | None = None) -> Structure:
    """Load the structure named `key`, or the newest one that is not after `period`.

    `key` may be a packaged list ('2023-24') or a YAML file relative to the plan folder `root`.
    `where` ('plan.yaml:15') locates the manifest's `structure` key for error messages.
    """
    if key is not None and is_structure_file(key):
        return load_structure_file((root or Path()) / key, where)
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


def load_structure_file(path: Path, where: str = "plan.yaml") -> Structure:
    """A service's own section list: read each time (it may change while `watch` runs)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(
            f"{where}: structure: {path}: section list not found; start one with "
            f"`plan-builder structures --show {available_structures()[-1]} > {path.name}`"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: structure: {path}: cannot read the section list ({exc})") from exc
    return validate(Structure, parse_yaml(text, path))


def packaged_structure_text(key: str) -> str:
    """The YAML text of a packaged list, comments included (what `structures --show` prints)."""
    if key not in available_structures():
        raise ConfigError(f"unknown YJB section list {key!r}; available: {', '.join(available_structures())}")
    return (resources.files("plan_builder.inputs") / "structures" / f"{key}.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def _packaged_structure(key: str) -> Structure:
    """A packaged structure, read once per process (a frozen model: safe to share)."""
    resource = resources.files("plan_builder.inputs") / "structures" / f"{key}.yaml"
    doc = parse_yaml(resource.read_text(encoding="utf-8"), Path(f"plan_builder/inputs/structures/{key}.yaml"))
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
