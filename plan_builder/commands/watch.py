"""`plan-builder watch`: rebuild whenever a section, data file, template or the manifest changes.

Polls file times and sizes (no extra dependencies, works on network drives) and
rebuilds in the same process, so imports are paid once and the render cache is
kept in memory: a rebuild re-renders only the sections whose text or data changed.
Errors are printed and watching goes on; the last good document stays in place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from plan_builder.errors import PlanBuilderError
from plan_builder.inputs.data import DatasetMemo, remembering_datasets
from plan_builder.outputs.cache import cache_dir_for
from plan_builder.outputs.fragments import FragmentCache
from plan_builder.pipeline import BuildResult, build
from plan_builder.wording import counted

WATCHED_FOLDERS = ("sections", "data", "templates")
Snapshot = dict[Path, tuple[int, int]]


def snapshot(plan_dir: Path) -> Snapshot:
    """Modification time and size of every input file.

    YAML files beside plan.yaml count too: a service's own YJB section list (`structure: my-list.yaml`) lives there.
    """
    files = [plan_dir / "plan.yaml", *sorted(p for p in plan_dir.glob("*.y*ml") if p.name != "plan.yaml")]
    for folder in WATCHED_FOLDERS:
        base = plan_dir / folder
        if base.is_dir():
            files += [p for p in base.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))]
    state = {}
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def changes(before: Snapshot, after: Snapshot) -> set[Path]:
    """Files added, removed or modified between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


@dataclass
class Rebuild:
    """One rebuild: what triggered it, how long it took, and its result or error."""

    changed: set[Path]
    seconds: float
    result: BuildResult | None
    errors: list[str]


class Watcher:
    """Keeps the render cache, and the data files it has read, between builds of one plan."""

    def __init__(self, plan_dir: Path, output_dir: Path | None = None) -> None:
        self.plan_dir = plan_dir
        self.output_dir = output_dir or plan_dir / "output"
        self.fragments = FragmentCache(cache_dir_for(self.output_dir) / "fragments")
        self.state = snapshot(plan_dir)
        self.last_warnings: list[str] | None = None
        self.datasets = DatasetMemo()
        """Data files already read: one whose bytes are unchanged is not read again."""

    def rebuild(self, changed: set[Path]) -> Rebuild:
        """Build now (after `changed` files changed); never raises for a plan problem."""
        started = time.perf_counter()
        try:
            with remembering_datasets(self.datasets):
                result = build(self.plan_dir, self.output_dir, fragments=self.fragments)
            errors: list[str] = []
        except PlanBuilderError as exc:
            result, errors = None, exc.problems
        return Rebuild(changed, time.perf_counter() - started, result, errors)

    def poll(self) -> set[Path]:
        """Files changed since the last poll."""
        current = snapshot(self.plan_dir)
        changed = changes(self.state, current)
        self.state = current
        return changed

    def run(
        self,
        report: Callable[[str], None] = print,
        *,
        interval: float = 0.5,
        settle: float = 0.2,
        max_rebuilds: int | None = None,
    ) -> None:
        """Build once, then rebuild on every change until interrupted (or `max_rebuilds` is reached)."""
        report(f"Watching {self.plan_dir} (plan.yaml, sections/, data/, templates/); Ctrl+C to stop.")
        self._report(self.rebuild(set()), report)
        done = 0
        while max_rebuilds is None or done < max_rebuilds:
            time.sleep(interval)
            changed = self.poll()
            if not changed:
                continue
            time.sleep(settle)  # let an editor finish saving
            changed |= self.poll()
            self._report(self.rebuild(changed), report)
            done += 1

    def _report(self, rebuild: Rebuild, report: Callable[[str], None]) -> None:
        names = ", ".join(sorted(_shown(p, self.plan_dir) for p in rebuild.changed)) or "first build"
        if rebuild.result is None:
            report(f"{names}: build failed in {rebuild.seconds:.2f} s; the previous document is unchanged.")
            for error in rebuild.errors:
                report(f"  error: {error}")
            return
        result = rebuild.result
        summary = result.changes.short() if result.changes else ""
        others = len(result.documents) - 1
        shown = result.path.name + (f" and {counted(others, 'other document')}" if others > 0 else "")
        report(f"{names}: rebuilt {shown} in {rebuild.seconds:.2f} s. {summary}".rstrip())
        warnings = result.every_warning()
        if warnings == self.last_warnings:
            if warnings:
                report(f"  {len(warnings)} warning(s), as before")
            return
        self.last_warnings = warnings
        for warning in warnings:
            report(f"  warning: {warning}")


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
