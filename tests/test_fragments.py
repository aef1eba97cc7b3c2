"""The rendered-section cache: a cached build is the same document; a change re-renders only its section."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_example_plan
from docx_outline import normalised_body

from plan_builder.fragments import FragmentCache
from plan_builder.pipeline import build

ROOT = Path(__file__).resolve().parent.parent


def test_cached_build_is_the_same_document(tmp_path):
    plan = copy_example_plan(tmp_path)
    uncached = build(plan, tmp_path / "a", fragments=FragmentCache(None))
    build(plan, tmp_path / "b")  # fills the on-disk cache
    disk = FragmentCache(tmp_path / "b" / ".cache" / "fragments")
    cached = build(plan, tmp_path / "b", fragments=disk)
    assert disk.misses == 0 and disk.hits == 21  # the cover and 20 sections
    assert normalised_body(cached.path) == normalised_body(uncached.path)


def test_a_data_change_re_renders_only_the_sections_that_show_it(tmp_path):
    plan = copy_example_plan(tmp_path)
    cache = FragmentCache(None)
    build(plan, tmp_path / "out", fragments=cache)
    csv = plan / "data" / "custody.csv"
    csv.write_text(
        csv.read_text().replace(
            "2024-01-01,2024-12-31,Calderbrook,6,31500", "2024-01-01,2024-12-31,Calderbrook,4,31500"
        )
    )
    cache.hits = cache.misses = 0
    changed = build(plan, tmp_path / "out", fragments=cache)
    # Only the performance section changes: later sections start from the same figure and
    # table numbers as before (no table was added or removed), so they are reused. Inside it,
    # the summary table and the custody chart are redrawn; the KPI table and the other two
    # charts (with their data tables) are reused.
    assert cache.misses == 3
    assert cache.hits == 20 + 3
    fresh = build(plan, tmp_path / "fresh", fragments=FragmentCache(None))
    assert normalised_body(changed.path) == normalised_body(fresh.path)


def test_a_narrative_edit_re_renders_that_section(tmp_path):
    plan = copy_example_plan(tmp_path)
    cache = FragmentCache(None)
    build(plan, tmp_path / "out", fragments=cache)
    section = plan / "sections" / "03-child-first.md"
    section.write_text(section.read_text() + "\nOne more sentence.\n")
    cache.hits = cache.misses = 0
    changed = build(plan, tmp_path / "out", fragments=cache)
    assert cache.misses == 1
    fresh = build(plan, tmp_path / "fresh", fragments=FragmentCache(None))
    assert normalised_body(changed.path) == normalised_body(fresh.path)
