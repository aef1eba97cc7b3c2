"""Watch mode and batch builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plan_builder.commands.batch import build_all, find_plans
from plan_builder.commands.cli import main
from plan_builder.commands.watch import Watcher, changes, snapshot
from plan_builder.inputs import data
from tests.conftest import copy_example_plan

ROOT = Path(__file__).resolve().parent.parent


def test_snapshot_sees_edits_additions_and_removals(make_plan):
    root = make_plan()
    before = snapshot(root)
    (root / "sections" / "03-child-first.md").write_text("---\nheading: child-first\n---\nChanged text.\n")
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "new.csv").write_text("a\n")
    (root / "sections" / "92-glossary.md").unlink()
    assert changes(before, snapshot(root)) == {
        root / "sections" / "03-child-first.md",
        root / "data" / "new.csv",
        root / "sections" / "92-glossary.md",
    }


def test_find_plans_leaves_out_python_code_and_hidden_folders(tmp_path):
    for folder in ("a", "b/c", "tool/starter/files", ".hidden", "d/output"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "plan.yaml").write_text("service: x\n")
    (tmp_path / "tool" / "__init__.py").write_text("")  # like plan-builder's own packaged starter plan.yaml
    assert find_plans(tmp_path) == [tmp_path / "a", tmp_path / "b" / "c"]
    assert find_plans(ROOT) == [ROOT]  # the repository: the example plan only


def test_watcher_rebuilds_and_survives_errors(make_plan):
    root = make_plan()
    watcher = Watcher(root)
    lines: list[str] = []
    first = watcher.rebuild(set())
    assert first.result is not None and first.errors == []
    section = root / "sections" / "03-child-first.md"
    section.write_text("---\nheading: child-first\n---\n{{ nope }}\n")
    changed = watcher.poll()
    broken = watcher.rebuild(changed)
    assert broken.result is None
    assert broken.errors == [f"{section}:4: unknown name 'nope'"]
    watcher._report(broken, lines.append)
    assert lines == [
        f"sections/03-child-first.md: build failed in {broken.seconds:.2f} s; the previous document is unchanged.",
        f"  error: {section}:4: unknown name 'nope'",
    ]
    section.write_text("---\nheading: child-first\n---\nFixed.\n")
    fixed = watcher.rebuild(watcher.poll())
    assert fixed.result is not None
    assert fixed.result.changes is not None and fixed.result.changes.sections == ["sections/03-child-first.md"]


@pytest.mark.slow
def test_watch_reads_again_only_the_data_file_that_changed(tmp_path, monkeypatch):
    plan = copy_example_plan(tmp_path)
    read: list[str] = []
    loader = data._load_dataset
    monkeypatch.setattr(data, "_load_dataset", lambda name, *rest: read.append(name) or loader(name, *rest))
    watcher = Watcher(plan)
    first = watcher.rebuild(set())
    assert first.result is not None and sorted(read) == ["custody", "fte", "kpis", "population", "reoffending"]
    read.clear()
    custody = plan / "data" / "custody.csv"
    custody.write_text(
        custody.read_text().replace("2024-01-01,2024-12-31,Calderbrook,6,", "2024-01-01,2024-12-31,Calderbrook,4,")
    )
    second = watcher.rebuild(watcher.poll())
    assert read == ["custody"]
    assert second.result is not None and second.result.changes is not None
    changed = {ident: (old, new) for ident, old, new in second.result.changes.figures}
    assert changed["custody.latest.sentences"] == ("6", "4")  # the new count, not the remembered one
    read.clear()
    assert watcher.rebuild(set()).result is not None and read == []  # nothing changed: nothing read
    data.load_dataset("custody", custody, custody)  # outside watch: always read
    assert read == ["custody"]


@pytest.mark.slow
def test_batch_builds_every_plan_and_reports_failures(make_plan, tmp_path, capsys):
    plans = tmp_path / "plans"
    plans.mkdir()
    good = make_plan()
    shutil.copytree(good, plans / "alpha")
    shutil.copytree(good, plans / "beta")
    shutil.copytree(good, plans / "gamma")
    broken = plans / "beta" / "sections" / "03-child-first.md"
    broken.write_text("---\nheading: child-first\n---\n{{ nope }}\n")
    assert find_plans(plans) == [plans / "alpha", plans / "beta", plans / "gamma"]
    code = main(["build", "--all", str(plans), "--jobs", "2"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out.splitlines()[-1].startswith("3 plans in ")
    assert captured.out.splitlines()[-1].endswith(": 2 built, 1 failed")
    assert captured.err.splitlines() == [f"{plans / 'beta'}: failed", f"  error: {broken}:4: unknown name 'nope'"]
    assert (plans / "alpha" / "output" / "testford-youth-justice-service-2025-26-draft.docx").is_file()
    assert (plans / "gamma" / "output" / "testford-youth-justice-service-2025-26-draft.docx").is_file()


@pytest.mark.slow
def test_batch_shares_one_render_cache(make_plan, tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    good = make_plan()
    for name in ("one", "two"):
        shutil.copytree(good, plans / name)
    result = build_all(plans, jobs=1, report=lambda line: None)
    assert [o.errors for o in result.outcomes] == [[], []]
    assert (plans / ".plan-builder-cache" / "fragments").is_dir()
