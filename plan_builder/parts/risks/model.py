"""Risk register: scores computed as impact x likelihood, rated by bands, drawn as a heat map.

Scales of 3, 4 or 5 points are supported. Some registers use 1 for the highest
risk (seed 002 did, and its scores were misread); such scales are converted so
that internally a higher number always means a worse risk, with a warning.
Typed scores are checked, never trusted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator

from plan_builder.errors import ConfigError
from plan_builder.figures.formatting import long_date
from plan_builder.inputs.config import Plan
from plan_builder.inputs.schema import StrictModel, validate
from plan_builder.inputs.yamlio import YamlDocument, load_yaml

if TYPE_CHECKING:
    pass


DEFAULT_BANDS: dict[int, list[tuple[int, str, str]]] = {
    # scale: [(highest score in band, rating, colour)]
    3: [(2, "Low", "green"), (4, "Medium", "amber"), (9, "High", "red")],
    4: [(3, "Low", "green"), (6, "Medium", "amber"), (16, "High", "red")],
    5: [(6, "Low", "green"), (12, "Medium", "amber"), (20, "High", "red"), (25, "Very high", "dark-red")],
}


class Band(StrictModel):
    """A rating band: scores up to `up_to` (inclusive) get `rating`."""

    up_to: int = Field(ge=1)
    rating: str
    colour: Literal["green", "amber", "red", "dark-red"]


class Scores(StrictModel):
    """Impact and likelihood as typed, with an optional typed score to check."""

    impact: int
    likelihood: int
    stated_score: int | None = None


def _text_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


class RiskEntry(StrictModel):
    """One risk as written in the YAML file."""

    title: str = Field(min_length=1)
    cause: str = ""
    consequence: str = ""
    owner: str = Field(min_length=1)
    inherent: Scores
    controls: list[str] = Field(default_factory=list)
    further_actions: list[str] = Field(default_factory=list)
    residual: Scores
    review: dt.date

    _lists = field_validator("controls", "further_actions", mode="before")(_text_list)


class RiskFile(StrictModel):
    """The risk register file."""

    scale: Literal[3, 4, 5] = 5
    highest: int = Field(default=5, description="the scale value that means the highest risk: 1 or the scale size")
    bands: list[Band] | None = None
    risks: list[RiskEntry] = Field(min_length=1)


@dataclass(frozen=True)
class Score:
    """A computed score on the internal 'higher is worse' scale."""

    impact: int
    likelihood: int
    score: int
    rating: str
    colour: str


@dataclass(frozen=True)
class Risk:
    """A risk with its computed inherent and residual scores."""

    ref: str
    entry: RiskEntry
    inherent: Score
    residual: Score


@dataclass
class RiskRegister:
    """The computed register: risks ordered by residual score, highest first."""

    scale: int
    risks: list[Risk]
    bands: list[Band]
    warnings: list[str] = field(default_factory=list)


def _rating(score: int, bands: list[Band]) -> Band:
    for band in bands:
        if score <= band.up_to:
            return band
    return bands[-1]


def load_risks(path: Path, display: Path, plan: Plan) -> RiskRegister:
    """Read the register, check every score against the scale, compute scores and ratings."""
    doc = load_yaml(path, display)
    register = validate(RiskFile, doc)
    scale = register.scale
    if register.highest not in (1, scale):
        raise ConfigError(
            f"{doc.where(('highest',))}: highest: expected 1 or {scale} (the scale size); got {register.highest}"
        )
    inverted = register.highest == 1
    warnings = []
    if inverted:
        warnings.append(
            f"{doc.where(('highest',))}: highest: 1 means the highest risk in this register, which is unusual; "
            f"scores are converted so that {scale} x {scale} = {scale * scale} is the worst"
        )
    bands = register.bands or [Band(up_to=u, rating=r, colour=c) for u, r, c in DEFAULT_BANDS[scale]]  # type: ignore[arg-type]
    if bands[-1].up_to < scale * scale:
        raise ConfigError(f"{doc.where(('bands',))}: bands: the last band must reach {scale * scale}")
    problems: list[str] = []
    risks = [
        _risk(doc, index, entry, (scale, inverted, bands), plan, (problems, warnings))
        for index, entry in enumerate(register.risks)
    ]
    if problems:
        raise ConfigError(*problems)
    ordered = sorted(risks, key=lambda r: (-r.residual.score, -r.inherent.score, r.entry.title))
    numbered = [Risk(f"R{i}", r.entry, r.inherent, r.residual) for i, r in enumerate(ordered, start=1)]
    return RiskRegister(scale=scale, risks=numbered, bands=bands, warnings=warnings)


def _risk(
    doc: YamlDocument,
    index: int,
    entry: RiskEntry,
    scoring: tuple[int, bool, list[Band]],
    plan: Plan,
    found: tuple[list[str], list[str]],
) -> Risk:
    """One risk scored at both stages; its problems and warnings go to `found` (problems, warnings)."""
    scale, inverted, bands = scoring
    problems, warnings = found
    scores: dict[str, Score] = {}
    for stage in ("inherent", "residual"):
        typed: Scores = getattr(entry, stage)
        for name in ("impact", "likelihood"):
            value = getattr(typed, name)
            if not 1 <= value <= scale:
                problems.append(
                    f"{doc.where(('risks', index, stage, name))}: risk '{entry.title}': {stage}.{name}: "
                    f"expected 1 to {scale}; got {value}"
                )
        impact = scale + 1 - typed.impact if inverted else typed.impact
        likelihood = scale + 1 - typed.likelihood if inverted else typed.likelihood
        band = _rating(impact * likelihood, bands)
        scores[stage] = Score(impact, likelihood, impact * likelihood, band.rating, band.colour)
        typed_score = typed.impact * typed.likelihood
        if typed.stated_score is not None and typed.stated_score != typed_score:
            warnings.append(
                f"{doc.where(('risks', index, stage, 'stated_score'))}: risk '{entry.title}': "
                f"{stage} score stated as {typed.stated_score} but impact {typed.impact} x likelihood "
                f"{typed.likelihood} = {typed_score}"
            )
    if scores["residual"].score > scores["inherent"].score:
        warnings.append(
            f"{doc.where(('risks', index, 'residual'))}: risk '{entry.title}': residual score "
            f"{scores['residual'].score} is higher than the inherent score {scores['inherent'].score}; "
            "controls should not increase a risk"
        )
    if entry.review < plan.manifest.as_of:
        warnings.append(
            f"{doc.where(('risks', index, 'review'))}: risk '{entry.title}': review date "
            f"{long_date(entry.review)} is before the plan's date {long_date(plan.manifest.as_of)}"
        )
    return Risk(ref="", entry=entry, inherent=scores["inherent"], residual=scores["residual"])
