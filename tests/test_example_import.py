"""The example plan's first time entrants come from a published-style wide table, without retyping a number."""

from __future__ import annotations

from conftest import REPO_ROOT, copy_example_plan

from plan_builder.inputs.readers import read_table


def test_the_example_plan_is_imported_from_its_published_table(tmp_path, run_cli):
    plan = copy_example_plan(tmp_path)
    before = (plan / "data" / "first-time-entrants.csv").read_text()
    run = run_cli(["data", "import", str(REPO_ROOT / "data/sources/fte-by-area.xlsx"), "--as", "fte"], cwd=plan)
    assert run.code == 0, run.err
    assert "Wrote data/first-time-entrants.csv: 0 row(s) added, 0 updated, 30 unchanged, 0 kept" in run.out
    assert (plan / "data" / "first-time-entrants.csv").read_text() == before


def test_the_committed_table_is_what_its_script_writes(tmp_path):
    import runpy

    script = runpy.run_path(str(REPO_ROOT / "docs/examples/make_source_tables.py"))
    fresh = tmp_path / "fte-by-area.xlsx"
    assert script["main"](["make_source_tables.py", str(fresh)]) == 0
    committed = REPO_ROOT / "data/sources/fte-by-area.xlsx"
    for sheet in ("Contents", "Table 2.1"):
        assert read_table(fresh, fresh, sheet).rows == read_table(committed, committed, sheet).rows
