"""The benchmark's plan generator (benchmarks/generate.py) writes plans that build.

One generated plan is built (twice the example, perturbed numbers); the batch is
checked for distinct, deterministic inputs without building each plan.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, BuiltPlan

from plan_builder.figures.performance import compute_performance, load_performance_data
from plan_builder.inputs.config import load_plan
from plan_builder.pipeline import build


def _load_generate():
    spec = importlib.util.spec_from_file_location("bench_generate", REPO_ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generate()


def _files(result_or_plan: object) -> int:
    return result_or_plan.sections + result_or_plan.appendices  # type: ignore[attr-defined]


@pytest.mark.slow
def test_scaled_plan_builds_with_the_extra_sections_tables_and_charts(
    example_build: BuiltPlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAN_BUILDER_CACHE_DIR", str(tmp_path / "cache"))
    plan = generate.generate_plan(tmp_path / "plan", scale=2, seed=1, name="Service 7")

    result = build(plan, tmp_path / "out")

    base = example_build.result
    extra = _files(base)  # scale 2: one extra local section per example section file
    charts = extra // generate.CHART_EVERY
    assert result.path.name == "service-7-2025-26-draft.docx"
    assert _files(result) == 2 * _files(base)
    assert result.tables == base.tables + extra + charts  # one narrative table each, plus each chart's data
    assert result.figures == base.figures + charts
    assert result.words > 1.9 * base.words


def test_every_chart_series_the_generator_cycles_through_exists(tmp_path: Path) -> None:
    plan = load_plan(generate.generate_plan(tmp_path / "plan", seed=3))

    series = compute_performance(plan, load_performance_data(plan)).series

    assert set(generate.CHART_SERIES) <= set(series)


def test_batch_plans_have_their_own_names_and_numbers_and_are_deterministic(tmp_path: Path) -> None:
    plans = generate.generate_batch(tmp_path / "a", 3)
    again = generate.generate_batch(tmp_path / "b", 3)

    assert [p.name for p in plans] == ["service-001", "service-002", "service-003"]
    assert "name: Service 002" in (plans[1] / "plan.yaml").read_text(encoding="utf-8")
    changed = ("data/first-time-entrants.csv", "data/custody.csv", "data/reoffending.csv", "data/risks.yaml")
    for name in (*changed, "sections/01-introduction.md"):
        contents = [(p / name).read_bytes() for p in plans]
        assert len(set(contents)) == 3, name
        assert contents == [(p / name).read_bytes() for p in again], name
        assert contents[0] != (REPO_ROOT / name).read_bytes(), name


def test_seed_zero_at_scale_one_is_the_example_plan(tmp_path: Path) -> None:
    plan = generate.generate_plan(tmp_path / "plan")

    for folder in ("sections", "data"):
        for source in sorted(p for p in (REPO_ROOT / folder).rglob("*") if p.is_file()):
            relative = source.relative_to(REPO_ROOT)
            assert (plan / relative).read_bytes() == source.read_bytes(), relative
