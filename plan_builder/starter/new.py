"""A new plan folder: plan.yaml, one section per YJB heading, empty data files, commented examples.

Everything is composed in memory from packaged text (`starter/files/`) and written only when the
whole folder is ready, into a folder that is new or empty, so nothing a service already has is
overwritten. Each section holds a prompt saying what the YJB expects under its heading; the
result builds at once, with the prompts highlighted and every dataset marked pending.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import yaml

from plan_builder.errors import ConfigError
from plan_builder.inputs.config import PERIOD_PATTERN
from plan_builder.inputs.data import CONTRACT
from plan_builder.inputs.structure import Heading, Structure, load_structure

DATA_FILES = {
    "fte": "data/first-time-entrants.csv",
    "reoffending": "data/reoffending.csv",
    "custody": "data/custody.csv",
    "kpis": "data/kpis.csv",
}
"""The performance datasets a new plan has, by dataset name (their columns come from the data contract)."""
STRUCTURED_FILES = ("risks", "budget", "standards", "actions", "staffing", "glossary", "local-indicators")
SERVICE_SUFFIX = re.compile(
    r"\s+(youth justice service|youth offending service|youth offending team|youth justice team|yjs|yos|yot)$",
    re.IGNORECASE,
)
NATION_WORDS = {
    "England": {
        "needs": "special educational needs and disabilities (SEND)",
        "needs_short": "SEND",
        "funders": "the local authority, police, the police and crime commissioner, probation and health",
    },
    "Wales": {
        "needs": "additional learning needs (ALN)",
        "needs_short": "ALN",
        "funders": "the local authority, police, the police and crime commissioner, probation, health "
        "and the Welsh Government",
    },
}
"""The words that differ between English and Welsh plans (Wales: ALN for SEND, the Welsh Government's money)."""


@dataclass(frozen=True)
class NewPlan:
    """What `plan-builder new` was told about the plan."""

    service: str
    period: str
    nation: str = "England"
    councils: tuple[str, ...] = ()
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def area(self) -> str:
        """The area's own name: 'Northmoor' for 'Northmoor Youth Justice Service' (the data's `area`)."""
        return SERVICE_SUFFIX.sub("", self.service).strip() or self.service


def check_new_plan(spec: NewPlan) -> None:
    """The service name, period and nation `new` was given, checked before anything is written."""
    problems = []
    if not spec.service.strip():
        problems.append("--service: the service's name is empty")
    match = PERIOD_PATTERN.match(spec.period)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        problems.append(f"--period: expected a plan period like '2026-27' (two consecutive years); got {spec.period!r}")
    if spec.nation not in NATION_WORDS:
        problems.append(f"--nation: expected 'England' or 'Wales'; got {spec.nation!r}")
    if problems:
        raise ConfigError(*problems)


@lru_cache(maxsize=16)
def _packaged(name: str) -> str:
    return (resources.files("plan_builder.starter") / "files" / name).read_text(encoding="utf-8")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _notes() -> dict[str, Any]:
    data = yaml.safe_load(_packaged("notes.yaml"))
    return data if isinstance(data, dict) else {}


def section_text(heading: Heading, spec: NewPlan, *, numbered: bool = True) -> str:
    """A section file: front matter naming the heading, then a prompt (and one per YJB sub-heading)."""
    notes = _notes()
    words = {**NATION_WORDS[spec.nation], "period": spec.period}
    note = notes.get("headings", {}).get(heading.id)
    lines = ["---", f"heading: {heading.id}"]
    if not numbered:
        lines.append("numbered: false")
    lines += ["---", _prompt(note.format(**words) if note else f"the section '{heading.title}'.")]
    sub_notes = notes.get("subheadings", {}).get(heading.id, {})
    for sub in heading.subheadings:
        sub_note = sub_notes.get(sub)
        lines += ["", f"## {sub}", "", _prompt(sub_note.format(**words) if sub_note else f"{sub}.")]
    return "\n".join(lines) + "\n"


def _prompt(text: str) -> str:
    return f"[[To write: {' '.join(text.split())}]]"


def section_files(structure: Structure) -> tuple[list[tuple[str, Heading, bool]], list[tuple[str, Heading]]]:
    """(file, heading, numbered) for the foreword and each section; (file, heading) for each appendix."""
    sections = [(f"sections/00-{h.id}.md", h, False) for h in structure.optional if h.id == "foreword"]
    sections += [(f"sections/{n:02d}-{h.id}.md", h, True) for n, h in enumerate(structure.sections, start=1)]
    appendices = [(f"sections/{n:02d}-{h.id}.md", h) for n, h in enumerate(structure.appendices, start=90)]
    return sections, appendices


def plan_yaml(
    spec: NewPlan, structure_key: str, sections: list[str], appendices: list[str], started_by: str = "plan-builder new"
) -> str:
    """plan.yaml for the new plan: what is known filled in, prompts for what is not, and the command that made it."""
    area = spec.area
    short = f"  short_name: {_quoted(area + ' YJS')}\n" if area != spec.service else ""
    councils = list(spec.councils) or ["[[the council or councils the service covers]]"]
    region = (
        "    region: Wales"
        if spec.nation == "Wales"
        else "    # region: [[your region's name in the data, e.g. North West]]"
    )
    return Template(_packaged("plan.yaml")).substitute(
        service_name=spec.service,
        service_name_yaml=_quoted(spec.service),
        short_name_line=short,
        councils_yaml="[" + ", ".join(_quoted(c) for c in councils) + "]",
        nation=spec.nation,
        period=spec.period,
        structure=structure_key,
        today=spec.today.isoformat(),
        started_by=started_by,
        area_yaml=_quoted(area),
        region_line=region,
        section_lines="\n".join(f"  - {name}" for name in sections),
        appendix_lines="\n".join(f"  - {name}" for name in appendices),
    )


def data_files(spec: NewPlan) -> dict[str, str]:
    """The data folder: CSV files with their headings only, and the structured YAML files with examples."""
    files = {path: ",".join(CONTRACT[name][0]) + "\n" for name, path in DATA_FILES.items()}
    start = int(spec.period[:4])
    welsh = (
        "#  - {agency: welsh-government, staffing: 0, payments_in_kind: 0, other_delegated: 0}\n"
        if spec.nation == "Wales"
        else ""
    )
    values = {
        "service_name": spec.service,
        "period": spec.period,
        "previous_period": f"{start - 1}-{start % 100:02d}",
        "review_date": f"{start + 1}-03-31",  # the end of the plan period
        "as_at": f"{start}-03-31",
        "council_example": _quoted(spec.councils[0]) if spec.councils else '"[[the council]]"',
        "welsh_government_line": welsh,
    }
    for name in STRUCTURED_FILES:
        files[f"data/{name}.yaml"] = Template(_packaged(f"data/{name}.yaml")).substitute(values)
    files["data/README.md"] = Template(_packaged("data/README.md")).substitute(values)
    return files


def starter_files(spec: NewPlan) -> dict[str, str]:
    """Every file of the new plan, by path relative to its folder."""
    check_new_plan(spec)
    structure = load_structure(None, spec.period, where="--period")
    key = structure.from_period
    sections, appendices = section_files(structure)
    files = {"plan.yaml": plan_yaml(spec, key, [s[0] for s in sections], [a[0] for a in appendices])}
    files.update({name: section_text(heading, spec, numbered=numbered) for name, heading, numbered in sections})
    files.update({name: section_text(heading, spec) for name, heading in appendices})
    files.update(data_files(spec))
    files["images/README.md"] = "Pictures for the plan (organisation chart, photographs): PNG or JPEG files.\n"
    return files


def write_new_plan(folder: Path, spec: NewPlan) -> list[Path]:
    """Write a new plan into `folder`, which must not exist yet or be empty; return the files written."""
    files = starter_files(spec)
    check_folder_is_new(folder)
    return write_folder(folder, files)


def check_folder_is_new(folder: Path) -> None:
    """A new plan goes into a new or empty folder: nothing a service already has is overwritten."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConfigError(
            f"{folder}: already exists and is not empty; `plan-builder new` starts a plan in a new folder "
            "(to bring last year's Word plan into an existing plan, use `plan-builder import`)"
        )


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write each of `files` (path relative to `root` -> UTF-8 text or bytes), making its folders."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def write_folder(folder: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write `files` (relative path -> text or bytes) as the new folder `folder` (absent or empty).

    They are written beside the target and renamed into place: an interrupted run leaves no half-made plan.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        write_files(scratch, files)
        if folder.exists():
            folder.rmdir()  # empty (checked by the caller)
        scratch.rename(folder)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return [folder / name for name in files]
