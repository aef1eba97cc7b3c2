"""Performance stage: load the configured datasets, compute every figure, expose them to text.

`load_performance_data` reads files (the only I/O); `compute_performance` is pure;
`figure_namespace` arranges figures by their dotted ids for section text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plan_builder.errors import DataError, PlanBuilderError, Problems
from plan_builder.figures.kpis import kpi_indicator, kpi_rows, load_kpi_definitions
from plan_builder.figures.local import LocalIndicator, compute_local, load_local_indicators
from plan_builder.figures.metrics import (
    CUSTODY,
    DATASET_PREFIXES,
    FTE,
    PerformanceResult,
    compute_indicator,
    reoffending_indicator,
    reoffending_rows,
    rows_from_records,
)
from plan_builder.figures.narrative import namespace
from plan_builder.figures.pending import PendingItem, PendingValue
from plan_builder.figures.stated import check_stated
from plan_builder.inputs.config import Plan
from plan_builder.inputs.data import Dataset, load_dataset
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


def load_performance_data(plan: Plan, problems: Problems | None = None) -> PerformanceData | None:
    """Read every dataset named in `performance.datasets`, and the local indicators.

    A dataset that cannot be read is left out and its problems recorded in `problems`, so
    that every data file's problems are reported in one run. Without `problems`, they are
    raised together at the end.
    """
    config = plan.manifest.performance
    if config is None:
        return None
    if problems is None:
        problems = Problems()
        data = load_performance_data(plan, problems)
        problems.raise_if_any()
        return data
    datasets: dict[str, Dataset] = {}
    broken: list[PendingItem] = []
    for name, source in config.datasets.items():
        if source.pending is not None or source.file is None:
            continue
        display = plan.display(source.file)
        try:
            datasets[name] = load_dataset(name, plan.path(source.file), display, source.sheet)
        except DataError as exc:
            problems.add(exc)
            where = plan.source.where(("performance", "datasets", name))
            broken.append(PendingItem(name, str(display), "", where, shown=f"Not available: {display} has errors"))
    for key in sorted(plan.left_out):  # named wrongly in plan.yaml: that problem is reported already
        if key.startswith("performance.datasets."):
            dataset = key.rpartition(".")[2]
            where = plan.source.where(("performance", "datasets", dataset))
            broken.append(PendingItem(dataset, "", "", where, shown="Not available: plan.yaml names it wrongly"))
    pending = [
        PendingItem(
            name, source.pending.source, source.pending.due, plan.source.where(("performance", "datasets", name))
        )
        for name, source in config.datasets.items()
        if source.pending is not None
    ]
    pending += [
        PendingItem(ident, item.source, item.due, plan.source.where(("performance", "pending", ident)))
        for ident, item in config.pending.items()
    ]
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
    return PerformanceData(datasets, local, local_doc, pending, broken)


def compute_performance(plan: Plan, data: PerformanceData) -> PerformanceResult:
    """Compute all figures, series and summary rows from the loaded data."""
    config = plan.manifest.performance
    if config is None:
        raise ValueError("compute_performance needs a plan with a 'performance' section")
    result = PerformanceResult(pending=list(data.pending), broken=list(data.broken))
    sets = data.datasets
    if "fte" in sets:
        compute_indicator(
            result,
            FTE,
            rows_from_records(sets["fte"].records, "period_start", "period_end", ("fte_count", "population_10_17")),
            config,
            title="First time entrants per 100,000 children aged 10-17",
        )
    if "reoffending" in sets:
        cohorts = reoffending_rows(sets["reoffending"])
        for kind in ("annual", "quarterly"):
            compute_indicator(result, reoffending_indicator(kind), cohorts[kind], config)
    if "custody" in sets:
        compute_indicator(
            result,
            CUSTODY,
            rows_from_records(
                sets["custody"].records, "period_start", "period_end", ("custodial_sentences", "population_10_17")
            ),
            config,
            title="Custodial sentences per 1,000 children aged 10-17",
        )
    if "kpis" in sets:
        definitions = load_kpi_definitions()
        rows, warnings = kpi_rows(sets["kpis"], definitions)
        result.warnings.extend(warnings)
        for definition in definitions:
            if definition.id in rows:
                compute_indicator(result, kpi_indicator(definition), rows[definition.id], config)
    if data.local and data.local_doc is not None:
        compute_local(result, data.local, data.local_doc)
    for figure_id, stated in config.stated.items():
        where = plan.source.where(("performance", "stated", figure_id))
        if figure_id not in result.figures:
            result.warnings.append(f"{where}: performance.stated: no figure called {figure_id!r}")
            continue
        check_stated(result, result.figures[figure_id], stated, where)
    return result


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
