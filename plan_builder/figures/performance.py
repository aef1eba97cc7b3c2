"""Performance stage: load the configured datasets, compute every figure, expose them to text.

`load_performance_data` reads files (the only I/O); `compute_performance` is pure;
`figure_namespace` arranges figures by their dotted ids for section text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plan_builder.errors import DataError, PlanBuilderError, Problems
from plan_builder.figures.figure import Figure
from plan_builder.figures.groups import add_groups
from plan_builder.figures.indicators import compute_indicator
from plan_builder.figures.kpis import KpiNote, kpi_indicator, kpi_rows, load_kpi_definitions, load_kpi_notes
from plan_builder.figures.local import LocalIndicator, load_local_indicators
from plan_builder.figures.measures import CUSTODY, FTE, Indicator, Row, reoffending_indicator, rows_from_records
from plan_builder.figures.narrative import namespace
from plan_builder.figures.pending import PendingItem, PendingValue
from plan_builder.figures.populations import (
    IMPLIED_PCT,
    POPULATION,
    fill_populations,
    missing_populations,
    population_table,
    population_warnings,
)
from plan_builder.figures.reoffending import reoffending_rows
from plan_builder.figures.result import DATASET_PREFIXES, PerformanceResult
from plan_builder.figures.scorecard import compute_local
from plan_builder.figures.stated import check_stated, parse_typed
from plan_builder.inputs.config import Plan
from plan_builder.inputs.data import Dataset, load_dataset
from plan_builder.inputs.performance_settings import Performance
from plan_builder.inputs.yamlio import YamlDocument


@dataclass(frozen=True)
class PerformanceData:
    """Everything read from disk for the figures, and what is still pending."""

    datasets: dict[str, Dataset]
    local: list[LocalIndicator]
    local_doc: YamlDocument | None
    pending: list[PendingItem] = field(default_factory=list)
    broken: list[PendingItem] = field(default_factory=list)
    """Datasets that could not be read: their figures stand in as placeholders, so that section
    text using them reports no errors of its own while the data errors are reported."""
    kpi_notes: dict[str, KpiNote] = field(default_factory=dict)
    """Each KPI's board adopter and commentary, by KPI id."""


def load_performance_data(plan: Plan, problems: Problems | None = None) -> PerformanceData | None:
    """Read every dataset named in `performance.datasets`, the local indicators and the KPI notes.

    A file that cannot be read is left out and its problems recorded in `problems`, so that
    every data file's problems are reported in one run; its figures stand in as placeholders.
    Without `problems`, they are raised together at the end.
    """
    config = plan.manifest.performance
    if config is None:
        return None
    if problems is None:
        problems = Problems()
        data = load_performance_data(plan, problems)
        problems.raise_if_any()
        return data
    datasets, broken = _load_datasets(plan, config, problems)
    local: list[LocalIndicator] = []
    local_doc = None
    if config.local_indicators:
        try:
            local, local_doc = load_local_indicators(
                plan.path(config.local_indicators), plan.display(config.local_indicators)
            )
        except PlanBuilderError as exc:
            problems.add(exc)
            shown = f"Not available: {plan.display(config.local_indicators)} has errors"
            where = plan.source.where(("performance", "local_indicators"))
            broken.append(PendingItem("local", "", "", where, shown=shown))
    notes: dict[str, KpiNote] = {}
    if config.kpi_notes:
        try:
            notes = load_kpi_notes(
                plan.path(config.kpi_notes), plan.display(config.kpi_notes), load_kpi_definitions(plan.manifest.period)
            )
        except PlanBuilderError as exc:
            problems.add(exc)
    return PerformanceData(datasets, local, local_doc, _pending(plan, config), broken, notes)


def _load_datasets(plan: Plan, config: Performance, problems: Problems) -> tuple[dict[str, Dataset], list[PendingItem]]:
    """The datasets that load, and placeholders for those that do not (or that plan.yaml names wrongly)."""
    datasets: dict[str, Dataset] = {}
    broken: list[PendingItem] = []
    for name, source in config.datasets.items():
        if source.pending is not None or source.file is None:
            continue
        display = plan.display(source.file)
        try:
            datasets[name] = load_dataset(
                name, plan.path(source.file), display, source.sheet, source.header_row, source.range
            )
        except DataError as exc:
            problems.add(exc)
            where = plan.source.where(("performance", "datasets", name))
            broken.append(PendingItem(name, str(display), "", where, shown=f"Not available: {display} has errors"))
    for key in sorted(plan.left_out):  # named wrongly in plan.yaml: that problem is reported already
        if key.startswith("performance.datasets."):
            dataset = key.rpartition(".")[2]
            where = plan.source.where(("performance", "datasets", dataset))
            broken.append(PendingItem(dataset, "", "", where, shown="Not available: plan.yaml names it wrongly"))
    return datasets, broken


def _pending(plan: Plan, config: Performance) -> list[PendingItem]:
    """Datasets and single figures plan.yaml marks as still to arrive."""
    pending = [
        PendingItem(
            name, source.pending.source, source.pending.due, plan.source.where(("performance", "datasets", name))
        )
        for name, source in config.datasets.items()
        if source.pending is not None
    ]
    return pending + [
        PendingItem(ident, item.source, item.due, plan.source.where(("performance", "pending", ident)))
        for ident, item in config.pending.items()
    ]


def compute_performance(plan: Plan, data: PerformanceData, problems: Problems | None = None) -> PerformanceResult:
    """Compute all figures, series and summary rows from the loaded data.

    Problems that stop a part of the computation (a local indicator's unreadable period) are
    added to `problems`, or raised at the end when none is given.
    """
    config = plan.manifest.performance
    if config is None:
        raise ValueError("compute_performance needs a plan with a 'performance' section")
    own = problems if problems is not None else Problems()
    result = PerformanceResult(pending=list(data.pending), broken=list(data.broken), kpi_notes=dict(data.kpi_notes))
    sets = data.datasets
    table = population_table(sets.get("population"))
    with_population: dict[str, list[Row]] = {}
    for name in ("fte", "reoffending", "custody"):
        if name not in sets:
            continue
        if name == "reoffending":
            cohorts, warnings = reoffending_rows(sets["reoffending"])
            result.warnings += warnings
            for kind in ("annual", "quarterly"):
                if cohorts[kind]:
                    _compute(result, config, name, reoffending_indicator(kind), cohorts[kind])
            continue
        indicator, count = (FTE, "fte_count") if name == "fte" else (CUSTODY, "custodial_sentences")
        rows = rows_from_records(sets[name].records, "period_start", "period_end", (count, POPULATION))
        with_population[name] = rows
        filled = fill_populations(rows, table)
        result.warnings += missing_populations("first time entrant" if name == "fte" else "custody", filled)
        _compute(result, config, name, indicator, filled, TITLES[name])
    result.warnings += population_warnings(with_population, table)
    if "kpis" in sets:
        definitions = load_kpi_definitions(plan.manifest.period)
        rows_by_kpi, warnings = kpi_rows(sets["kpis"], definitions)
        result.warnings.extend(warnings)
        for definition in definitions:
            if definition.id in rows_by_kpi:
                _compute(result, config, "kpis", kpi_indicator(definition), rows_by_kpi[definition.id])
    if data.local and data.local_doc is not None:
        compute_local(result, data.local, data.local_doc, config.area, config.small_denominator, own)
    _check_stated(plan, result)
    if problems is None:
        own.raise_if_any()
    return result


def _compute(
    result: PerformanceResult, config: Performance, name: str, indicator: Indicator, rows: list[Row], title: str = ""
) -> None:
    """One indicator, with comparators made from their members and the dataset's source named under its charts."""
    rows, notes, warnings = add_groups(rows, config.members, {config.area, *config.comparators.values()})
    result.warnings += [warning for warning in warnings if warning not in result.warnings]
    source = config.datasets[name].provenance if name in config.datasets else ""
    if source:
        result.sources[name] = source
    compute_indicator(result, indicator, rows, config, title=title or None, notes=tuple(notes), source=source)


TITLES = {
    "fte": "First time entrants per 100,000 children aged 10-17",
    "custody": "Custodial sentences per 1,000 children aged 10-17",
}


def _check_stated(plan: Plan, result: PerformanceResult) -> None:
    """Typed values in plan.yaml (`performance.stated`) against the computed figures, and the population they imply."""
    config = plan.manifest.performance
    if config is None:
        return
    for figure_id, stated in config.stated.items():
        where = plan.source.where(("performance", "stated", figure_id))
        figure = result.figures.get(figure_id)
        if figure is None:
            result.warnings.append(f"{where}: performance.stated: no figure called {figure_id!r}")
            continue
        check_stated(result, figure, stated, where)
        _check_implied_population(result, figure, float(parse_typed(stated).value), where)


def _check_implied_population(result: PerformanceResult, figure: Figure, stated: float, where: str) -> None:
    """Warn when a typed FTE or custody rate implies a population far from the one the data hold."""
    population = figure.inputs.get(POPULATION)
    counts = [v for k, v in figure.inputs.items() if k != POPULATION and v is not None]
    scale = {"fte": 100_000, "custody": 1_000}.get(figure.id.split(".")[0])
    if not (population and counts and scale and stated):
        return
    implied = counts[0] / stated * scale
    gap = abs(implied - population) / population * 100
    if gap > IMPLIED_PCT:
        result.warnings.append(
            f"{where}: the stated {stated:g} for {figure.id} implies {implied:,.0f} children aged 10-17 "
            f"({counts[0]:g} / {stated:g} x {scale:,}), {gap:.0f}% away from the population the data hold "
            f"({population:,.0f}); check the rate and the population"
        )


def figure_namespace(result: PerformanceResult) -> dict[str, Any]:
    """Arrange figures and period labels as nested namespaces: `fte.latest.rate`.

    A pending dataset's whole group, or a single pending figure, is a `PendingValue`
    that renders as its 'Data due' placeholder.
    """
    tree: dict[str, Any] = {}
    items: list[tuple[str, Any]] = [*result.figures.items(), *result.periods.items()]
    items += [(item.what, PendingValue(item)) for item in result.pending if "." in item.what]
    whole = [item for item in [*result.pending, *result.broken] if "." not in item.what]
    for ident, value in items:
        node = tree
        *parents, leaf = ident.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    spaces: dict[str, Any] = {key: namespace(key, value) for key, value in tree.items()}
    for item in whole:
        spaces[DATASET_PREFIXES.get(item.what, item.what)] = PendingValue(item)
    return spaces
