"""`plan-builder build --all DIR`: build many plans in parallel, keep going past failures.

Every folder under DIR that holds a plan.yaml is built in a process pool (one
process per core by default). Progress is printed as each plan finishes; a plan
that fails is reported with its errors and does not stop the others. All plans
share one render cache, so sections they have in common are rendered once.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from plan_builder.errors import PlanBuilderError

SKIPPED_FOLDERS = {"output", ".venv", ".git", "node_modules", "__pycache__"}


@dataclass(frozen=True)
class PlanOutcome:
    """What happened to one plan."""

    plan_dir: str
    document: str | None
    warnings: int
    errors: list[str]
    seconds: float


@dataclass
class BatchResult:
    """All outcomes, in the order the plans were found."""

    outcomes: list[PlanOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[PlanOutcome]:
        """Plans that did not build."""
        return [o for o in self.outcomes if o.errors]


def find_plans(root: Path) -> list[Path]:
    """Folders under `root` (or `root` itself) that contain a plan.yaml, in name order."""
    found = []
    for folder, subfolders, files in os.walk(root):
        if "__init__.py" in files:  # Python code (plan-builder's own starter files among it), never a plan
            subfolders[:] = []
            continue
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS and not d.startswith("."))
        if "plan.yaml" in files:
            found.append(Path(folder))
    return sorted(found)


def build_one(plan_dir: str, output: str | None, cache_dir: str | None) -> PlanOutcome:
    """Build one plan; plan problems become the outcome's errors (a bug still raises)."""
    from plan_builder.pipeline import build

    started = time.perf_counter()
    try:
        result = build(
            Path(plan_dir),
            Path(output) / Path(plan_dir).name if output else None,
            cache_dir=Path(cache_dir) if cache_dir else None,
        )
    except PlanBuilderError as exc:
        return PlanOutcome(plan_dir, None, 0, exc.problems, time.perf_counter() - started)
    return PlanOutcome(plan_dir, str(result.path), len(result.warnings), [], time.perf_counter() - started)


def warm_up() -> None:
    """Load, once in the parent, what every build needs, so that forked workers inherit it.

    That is the modules a build imports only when it needs them (structured parts,
    Markdown, chart drawing, Word templates) and the Markdown parser; then the
    collector is told these objects are permanent, so it does not walk them again
    in every worker.
    """
    import gc
    import importlib

    import plan_builder.pipeline  # noqa: F401
    from plan_builder.parts.loading import LOADERS
    from plan_builder.word.markdown import parse_markdown

    for module, _ in LOADERS.values():
        importlib.import_module(module)
    for module in ("docxtpl", "PIL.Image", "PIL.ImageDraw", "PIL.ImageFont", "plan_builder.word.raster"):
        importlib.import_module(module)
    parse_markdown("warm-up")
    gc.freeze()


def build_all(
    root: Path,
    *,
    jobs: int | None = None,
    output: Path | None = None,
    report: Callable[[str], None] = print,
) -> BatchResult:
    """Build every plan under `root` with `jobs` processes (default: one per core)."""
    plans = find_plans(root)
    started = time.perf_counter()
    result = BatchResult()
    if not plans:
        raise PlanBuilderError(f"{root}: no plan.yaml found in this folder or below it")
    cache_dir = os.environ.get("PLAN_BUILDER_CACHE_DIR") or str((output or root) / ".plan-builder-cache")
    workers = max(1, min(jobs or os.cpu_count() or 1, len(plans)))
    outcomes: dict[str, PlanOutcome] = {}
    # fork shares the parent's imported modules, so workers start at once (Linux); spawn elsewhere.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        warm_up()

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        futures = {
            pool.submit(build_one, str(plan), str(output) if output else None, cache_dir): plan for plan in plans
        }
        for done, future in enumerate(as_completed(futures), start=1):
            outcome = future.result()
            outcomes[outcome.plan_dir] = outcome
            status = "FAILED" if outcome.errors else "ok"
            report(
                f"[{done:>{len(str(len(plans)))}}/{len(plans)}] {status:6} {outcome.plan_dir} ({outcome.seconds:.2f} s)"
            )
    result.outcomes = [outcomes[str(plan)] for plan in plans]
    result.seconds = time.perf_counter() - started
    return result
