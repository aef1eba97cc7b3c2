"""Benchmark plan-builder against the targets of issue 7, with pandoc on the same text as the yardstick.

Every measured build runs in a fresh process (Python start, imports and build all
count, as they do for a user), except the watch-mode rebuild, which is timed inside
one long-lived process as `plan-builder watch` would be. Each child's peak memory
is its maximum resident set size, read with os.wait4. Results are printed as a
Markdown table and written to output/benchmark.json. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import EXAMPLE_PLAN, generate_batch, generate_plan  # noqa: E402

CACHE_ENV = "PLAN_BUILDER_CACHE_DIR"
SUMMARY = re.compile(r"(\d+) sections, (\d+) appendices, (\d+) tables, (\d+) figures, ([\d,]+) words")
WATCH_CSV = "data/first-time-entrants.csv"
"""The data file the watch benchmark edits: one count of the service's latest year."""


# --- running and measuring a child process -------------------------------------------------


@dataclass
class Run:
    """One child process: wall time, peak RSS of the child (or its largest waited-for descendant), output."""

    seconds: float
    peak_mib: float
    stdout: str
    tree_peak_mib: float | None = None
    other_cpu_s: float = 0.0
    """CPU-seconds the rest of the machine used meanwhile: a measure of contention, ideally about 0."""


def _tree_rss_mib(pid: int) -> float:
    """Resident memory of `pid` and all its descendants now, from /proc (0 where unreadable)."""
    total, stack, page = 0, [pid], os.sysconf("SC_PAGE_SIZE")
    while stack:
        current = stack.pop()
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * page
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, IndexError, ValueError):
            continue
        stack.extend(int(child) for child in children)
    return total / 2**20


def run_child(command: Sequence[str | Path], env: dict[str, str] | None = None, *, sample_tree: bool = False) -> Run:
    """Run `command` to completion; raise with its stderr if it fails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        machine, own = _cpu_seconds(), os.times()
        started = time.perf_counter()
        process = subprocess.Popen([str(c) for c in command], stdout=out, stderr=err, env=env)
        tree_peak = 0.0
        stop = threading.Event()

        def sample() -> None:
            nonlocal tree_peak
            while not stop.wait(0.2):
                tree_peak = max(tree_peak, _tree_rss_mib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if sample_tree:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        stop.set()
        machine_after, own_after = _cpu_seconds(), os.times()
        other = 0.0
        if machine is not None and machine_after is not None:
            ours = usage.ru_utime + usage.ru_stime + (own_after.user - own.user) + (own_after.system - own.system)
            other = max(0.0, machine_after[0] - machine[0] - ours)
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} exited {process.returncode}:\n{stderr[-3000:]}")
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return Run(seconds, peak, stdout, tree_peak if sample_tree else None, other)


def _cpu_seconds() -> tuple[float, float] | None:
    """(busy, total) CPU-seconds of the whole machine since boot, from /proc/stat; None where unavailable."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    total = sum(fields[:8])  # guest time is already counted in user time
    return (total - fields[3] - fields[4]) / tick, total / tick  # busy = all but idle and iowait


def busy_cpus(seconds: float = 1.0) -> float:
    """How many CPUs' worth of work is running now (0.0 where unknown)."""
    before = _cpu_seconds()
    time.sleep(seconds)
    after = _cpu_seconds()
    if before is None or after is None or after[1] == before[1]:
        return 0.0
    return (os.cpu_count() or 1) * (after[0] - before[0]) / (after[1] - before[1])


IDLE = 0.25
"""CPUs' worth of other work below which the machine counts as quiet."""


def wait_idle(seconds: float, log: Callable[[str], None]) -> float:
    """Wait up to `seconds` for the machine to be quiet; return how busy it is now."""
    busy = busy_cpus()
    deadline = time.monotonic() + seconds
    while busy > IDLE and time.monotonic() < deadline:
        log(f"waiting for the machine to be idle: {busy:.2f} CPUs busy")
        time.sleep(9)
        busy = busy_cpus()
    return busy


def child_env(cache: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if cache is None:
        env.pop(CACHE_ENV, None)
    else:
        env[CACHE_ENV] = str(cache)
    return env


def build_command(plan_dir: Path, output: Path, document: str | None = "plan") -> list[str | Path]:
    """`plan-builder build`: of the plan alone (what every row but 'documents' measures), or of every document."""
    return [sys.executable, "-m", "plan_builder", "build", plan_dir, "--output", output] + (
        ["--document", document] if document else []
    )


# --- results ------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the results table."""

    key: str
    measure: str
    seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    other_cpu_s: list[float] = field(default_factory=list)
    """Per child process: CPU-seconds used by other processes on the machine meanwhile."""
    wall_s: list[float] = field(default_factory=list)
    """Per child process: its wall time (for the watch row, more than the rebuilds it timed)."""
    ratio: float | None = None
    """Median over the median of pandoc on the same text."""
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def other_load(self) -> float | None:
        """Share of the machine's CPU time that other processes used while this row ran."""
        if not self.wall_s:
            return None
        return sum(self.other_cpu_s) / (sum(self.wall_s) * (os.cpu_count() or 1))


def _fmt(value: float | None, digits: int = 2, suffix: str = "") -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{suffix}"


def table(rows: list[Row]) -> str:
    lines = [
        "| measure | median (s) | runs | ratio to pandoc | target | met? | peak RSS (MiB) | other load |",
        "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: |",
    ]
    for row in rows:
        met = {True: "yes", False: "**no**", None: "n/a"}[row.met]
        peak = _fmt(max(row.peak_mib), 0) if row.peak_mib else "n/a"
        other = _fmt(None if row.other_load is None else 100 * row.other_load, 0, "%")
        lines.append(
            f"| {row.measure} | {_fmt(row.median)} | {len(row.seconds)} | {_fmt(row.ratio, 2, 'x')} "
            f"| {row.target} | {met} | {peak} | {other} |"
        )
    return "\n".join(lines)


# --- the narrative for pandoc -----------------------------------------------------------------


def narrative_markdown(plan_dir: Path) -> str:
    """The plan's section bodies in manifest order, as plain Markdown pandoc can take.

    Front matter becomes a level-1 heading; directive lines (`::: chart ...`) are
    dropped because they are generated content, not text; Jinja tags are removed and
    each `{{ ... }}` expression becomes a number, so pandoc converts as many words as
    the plan's own text holds.
    """
    import yaml

    manifest = yaml.safe_load((plan_dir / "plan.yaml").read_text(encoding="utf-8"))
    parts = []
    for entry in [*manifest["sections"], *manifest.get("appendices", [])]:
        file = entry["file"] if isinstance(entry, dict) else entry
        text = (plan_dir / file).read_text(encoding="utf-8")
        _, header, body = text.split("---\n", 2)
        front = yaml.safe_load(header)
        title = front.get("title") or str(front["heading"]).replace("-", " ").capitalize()
        body = re.sub(r"\{\{.*?\}\}", "123", body)
        body = re.sub(r"\{%.*?%\}", "", body)
        body = "\n".join(line for line in body.splitlines() if not line.startswith(":::"))
        parts.append(f"# {title}\n\n{body.strip()}\n")
    return "\n".join(parts)


def pandoc_path() -> tuple[str | None, str]:
    """The pandoc binary (from the pypandoc-binary wheel, else on PATH) and its version, or (None, why)."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path(), pypandoc.get_pandoc_version()
    except (ImportError, OSError) as exc:
        on_path = shutil.which("pandoc")
        if on_path:
            return on_path, "on PATH"
        return None, f"not available ({exc}); install it with: .venv/bin/pip install pypandoc-binary"


# --- the measurements ---------------------------------------------------------------------------


class Bench:
    """Runs each measurement into a Row; `work` is a scratch folder removed at the end."""

    def __init__(self, work: Path, runs: int, log: Callable[[str], None], idle_wait: float = 0.0) -> None:
        self.work = work
        self.idle_wait = idle_wait
        self.runs = runs
        self.log = log
        self._count = 0

    def fresh(self, name: str) -> Path:
        """A new, not yet existing path under the scratch folder."""
        self._count += 1
        return self.work / f"{self._count:04d}-{name}"

    def repeat(self, row: Row, runs: int, once: Callable[[], Run]) -> list[Run]:
        if self.idle_wait:
            wait_idle(self.idle_wait, self.log)
        results = []
        for index in range(runs):
            result = once()
            row.seconds.append(result.seconds)
            row.peak_mib.append(result.peak_mib)
            row.other_cpu_s.append(result.other_cpu_s)
            row.wall_s.append(result.seconds)
            results.append(result)
            self.log(
                f"  {row.key} run {index + 1}/{runs}: {result.seconds:.2f} s, {result.peak_mib:.0f} MiB, "
                f"other work {result.other_cpu_s:.1f} CPU-s"
            )
        return results

    def pandoc(self, key: str, measure: str, plan_dir: Path, binary: str | None, why: str) -> Row:
        row = Row(key, measure)
        if binary is None:
            row.note = why
            row.measure += f" ({why})"
            return row
        source = self.fresh("narrative.md")
        source.write_text(narrative_markdown(plan_dir), encoding="utf-8")
        row.note = f"{len(source.read_text(encoding='utf-8').split()):,} words"
        command = [binary, "-f", "markdown", "-t", "docx", "-o", self.work / "pandoc.docx", source]
        run_child(command)  # warm-up: page cache
        self.repeat(row, self.runs, lambda: run_child(command))
        return row

    def cold(
        self, key: str, measure: str, plan_dir: Path, cache: Callable[[], Path], document: str | None = "plan"
    ) -> tuple[Row, str]:
        """Fresh-process builds; `cache()` gives the cache folder (PLAN_BUILDER_CACHE_DIR) for each run."""
        row = Row(key, measure)
        runs = self.repeat(
            row,
            self.runs,
            lambda: run_child(build_command(plan_dir, self.fresh("out"), document), child_env(cache())),
        )
        match = SUMMARY.search(runs[-1].stdout)
        return row, match.group(0) if match else runs[-1].stdout.strip()

    def watch(self, key: str) -> Row:
        plan_dir = generate_plan(self.fresh("watch-plan"), name="Calderbrook Youth Justice Service")
        command = [sys.executable, __file__, "--child-watch", plan_dir, str(self.runs)]
        if self.idle_wait:
            wait_idle(self.idle_wait, self.log)
        result = run_child(command, child_env(self.fresh("cache")))
        report = json.loads(result.stdout.strip().splitlines()[-1])
        label = "watch: rebuild after one data file changes"
        if report["mode"] != "watcher":
            label = "watch (not available: full build in a warm process)"
        row = Row(key, label, seconds=report["times"], peak_mib=[result.peak_mib])
        row.other_cpu_s, row.wall_s = [result.other_cpu_s], [result.seconds]
        if report["mode"] != "watcher":
            row.note = report["mode"]
        for index, seconds in enumerate(report["times"]):
            self.log(f"  {key} run {index + 1}/{self.runs}: {seconds:.2f} s")
        return row

    def batch(self, key: str, count: int, runs: int, jobs: int) -> Row:
        root = self.fresh("batch")
        plans = set(generate_batch(root, count))
        help_text = run_child([sys.executable, "-m", "plan_builder", "build", "--help"]).stdout
        if "--all" in help_text:
            jobs_flag = ["--jobs", str(jobs)] if "--jobs" in help_text else []
            command: list[str | Path] = [sys.executable, "-m", "plan_builder", "build", "--all", root, *jobs_flag]
            label = f"batch: {count} generated plans, `{' '.join(['build --all DIR', *jobs_flag])}`"
        else:
            command = [sys.executable, __file__, "--child-batch", root, str(jobs)]
            label = f"batch: {count} generated plans (`build --all` not available: pool of {jobs} processes)"
        row = Row(key, label)

        def once() -> Run:
            # Start each run from the generated plans alone: no outputs, no cache a previous
            # run left (in each plan's output/, or shared beside the plans).
            for entry in root.iterdir():
                if entry in plans:
                    continue
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            for plan in plans:
                shutil.rmtree(plan / "output", ignore_errors=True)
            # PLAN_BUILDER_CACHE_DIR unset: the batch's own default cache applies (emptied above).
            return run_child(command, child_env(None), sample_tree=True)

        results = self.repeat(row, runs, once)
        tree = max(r.tree_peak_mib or 0.0 for r in results)
        row.note = f"largest single process {max(row.peak_mib):.0f} MiB; whole process tree up to {tree:.0f} MiB"
        return row


# --- child modes: run inside a fresh process by the benchmark ------------------------------------


def _edit_watched_csv(path: Path, step: int) -> None:
    """Change the service's latest first-time-entrant count to a new value."""
    raw = path.read_bytes().decode("utf-8")
    ending = "\r\n" if "\r\n" in raw else "\n"
    lines = raw.split(ending)
    header = lines[0].split(",")
    column = header.index("fte_count")
    latest = max(i for i, line in enumerate(lines) if ",Calderbrook," in line)
    cells = lines[latest].split(",")
    cells[column] = str(61 + step)
    lines[latest] = ",".join(cells)
    path.write_bytes(ending.join(lines).encode("utf-8"))


def child_watch(plan_dir: Path, runs: int) -> None:
    """Time `Watcher.rebuild({csv})` after each edit, or full builds when there is no watcher."""
    from plan_builder.pipeline import build

    output = plan_dir / "output"
    csv_path = (plan_dir / WATCH_CSV).resolve()
    try:
        from plan_builder.commands.watch import Watcher  # type: ignore[import-not-found]
    except ImportError as exc:
        watcher, mode = None, f"no plan_builder.commands.watch.Watcher: {exc}"
    else:
        watcher, mode = Watcher(plan_dir, output), "watcher"
        if not hasattr(watcher, "rebuild"):
            watcher, mode = None, "Watcher has no rebuild()"
    everything = {p.resolve() for p in plan_dir.rglob("*") if p.is_file() and output not in p.parents}

    def rebuild(changed: set[Path]) -> None:
        if watcher is None:
            build(plan_dir, output)
            return
        outcome = watcher.rebuild(changed)
        errors = getattr(outcome, "errors", None)  # a watcher reports plan problems instead of raising
        if errors:
            raise RuntimeError(f"watch rebuild failed: {errors}")

    rebuild(everything)  # the initial build, as `watch` does on start
    times = []
    for step in range(1, runs + 1):
        _edit_watched_csv(csv_path, step)
        started = time.perf_counter()
        rebuild({csv_path})
        times.append(time.perf_counter() - started)
    print(json.dumps({"mode": mode, "times": times}))


def _build_one(plan_dir: Path) -> str:
    from plan_builder.pipeline import build

    return str(build(plan_dir).path)


def child_batch(root: Path, jobs: int) -> None:
    """Build every plan folder under `root` with a process pool (stand-in for `build --all`)."""
    from concurrent.futures import ProcessPoolExecutor

    import plan_builder.pipeline  # noqa: F401  imported once here, inherited by forked workers

    plans = sorted(p.parent for p in root.glob("*/plan.yaml"))
    with ProcessPoolExecutor(jobs) as pool:
        built = list(pool.map(_build_one, plans))
    print(f"built {len(built)} plans")


# --- profile ---------------------------------------------------------------------------------------


def profile(work: Path, top: int) -> str:
    """cProfile one cold build of the example (empty cache) in a fresh process; top entries by cumulative time."""
    run_child(build_command(EXAMPLE_PLAN, work / "warm-up"), child_env(work / "warm-up-cache"))  # .pyc, fonts
    stats_file = work / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", stats_file, "-m", "plan_builder", "build", EXAMPLE_PLAN]
    run_child([*command, "--output", work / "profile-out"], child_env(work / "profile-cache"))
    report = stats_file.with_suffix(".txt")
    with report.open("w") as handle:
        pstats.Stats(str(stats_file), stream=handle).sort_stats("cumulative").print_stats(top)
    return report.read_text()


# --- main ---------------------------------------------------------------------------------------------


MEASURES = ("cold", "documents", "warm", "watch", "big", "huge", "batch")
"""Rows that `--only` can pick; the pandoc rows always run, as every ratio needs them."""


def measure(args: argparse.Namespace, work: Path, log: Callable[[str], None]) -> dict[str, Any]:
    bench = Bench(work, args.runs, log, args.wait_idle)
    binary, pandoc_version = pandoc_path()
    rows: dict[str, Row] = {}
    sizes: dict[str, str] = {}
    wanted = set(args.only)

    log("pandoc on the example's narrative")
    rows["pandoc"] = bench.pandoc(
        "pandoc", "pandoc: the example's narrative Markdown to .docx", EXAMPLE_PLAN, binary, pandoc_version
    )
    log("warm-up build (bytecode, fonts)")
    run_child(build_command(EXAMPLE_PLAN, bench.fresh("warm-up")), child_env(bench.fresh("cache")))

    if "cold" in wanted:
        log("cold build, no cache")
        rows["cold"], sizes["1x"] = bench.cold(
            "cold", "cold build, no cache (fresh process)", EXAMPLE_PLAN, lambda: bench.fresh("cache")
        )
    if "documents" in wanted:
        log("cold build of all four documents, no cache")
        rows["documents"], sizes["documents"] = bench.cold(
            "documents",
            "cold build, all four documents of the example (plan, board report, scorecard, progress report)",
            EXAMPLE_PLAN,
            lambda: bench.fresh("cache"),
            document=None,
        )
    if "warm" in wanted:
        log("cold build, warm cache")
        warm_cache = bench.fresh("warm-cache")
        run_child(build_command(EXAMPLE_PLAN, bench.fresh("out")), child_env(warm_cache))  # fills the cache
        rows["warm"], _ = bench.cold("warm", "cold build, warm cache (fresh process)", EXAMPLE_PLAN, lambda: warm_cache)
    if "watch" in wanted:
        log("watch-mode rebuild")
        rows["watch"] = bench.watch("watch")
    if "big" in wanted:
        log(f"plan {args.scale} times larger")
        big = generate_plan(bench.fresh(f"x{args.scale}"), scale=args.scale, name="Calderbrook Youth Justice Service")
        rows["pandoc_big"] = bench.pandoc(
            "pandoc_big", f"pandoc: the {args.scale}x plan's narrative", big, binary, pandoc_version
        )
        # A file where the cache folder should be: every cache read and write fails, which the
        # caches tolerate by design, so every one of the larger plan's charts and sections is
        # rendered even where the generator repeated one.
        no_cache = work / "cache-disabled"
        no_cache.write_text("not a folder: disables the caches\n")
        rows["big"], sizes[f"{args.scale}x"] = bench.cold(
            "big", f"cold build, {args.scale}x plan, cache disabled (fresh process)", big, lambda: no_cache
        )
    if "huge" in wanted:
        # Building must be linear in the document's size: four times the larger plan in at
        # most 4.5 times its time (measured in this run, so both see the same machine).
        huge_scale = args.scale * 4
        log(f"plan {huge_scale} times larger")
        huge = generate_plan(bench.fresh(f"x{huge_scale}"), scale=huge_scale, name="Calderbrook Youth Justice Service")
        no_cache = work / "cache-disabled"
        no_cache.write_text("not a folder: disables the caches\n")
        rows["huge"], sizes[f"{huge_scale}x"] = bench.cold(
            "huge", f"cold build, {huge_scale}x plan, cache disabled (fresh process)", huge, lambda: no_cache
        )
    if "batch" in wanted:
        log(f"batch of {args.batch}")
        rows["batch"] = bench.batch("batch", args.batch, args.batch_runs, args.jobs)

    def median(key: str) -> float | None:
        return rows[key].median if key in rows else None

    def ratio(key: str, yardstick: str) -> float | None:
        ours, theirs = median(key), median(yardstick)
        return ours / theirs if ours is not None and theirs else None

    scaling = ratio("big", "cold")
    targets: dict[str, tuple[str, bool | None, float | None]] = {
        "cold": ("<= 2 s", _le(median("cold"), 2.0), ratio("cold", "pandoc")),
        "documents": (
            f"<= 2x the plan alone (is {_fmt(ratio('documents', 'cold'))}x)",
            _le(ratio("documents", "cold"), 2.0),
            None,
        ),
        "warm": ("<= 3x pandoc", _le(ratio("warm", "pandoc"), 3.0), ratio("warm", "pandoc")),
        "watch": ("<= 1.0x pandoc", _le(ratio("watch", "pandoc"), 1.0), ratio("watch", "pandoc")),
        "big": (
            f"<= {args.scale}x cold build (is {_fmt(scaling)}x)",
            _le(scaling, float(args.scale)),
            ratio("big", "pandoc_big"),
        ),
        "huge": (
            f"<= 4.5x the {args.scale}x plan (is {_fmt(ratio('huge', 'big'))}x)",
            _le(ratio("huge", "big"), 4.5),
            None,
        ),
        "batch": (
            "< 60 s for 150" if args.batch == 150 else "< 60 s for 150 (not run at 150)",
            _le(median("batch"), 60.0, strict=True) if args.batch == 150 else None,
            None,
        ),
    }
    for key, (target, met, to_pandoc) in targets.items():
        if key in rows:
            rows[key].target, rows[key].met, rows[key].ratio = target, met, to_pandoc
    for key in ("pandoc", "pandoc_big"):
        if key in rows and binary:
            rows[key].ratio = 1.0

    peaks = [max(rows[k].peak_mib) for k in MEASURES if k in rows and rows[k].peak_mib]
    peak = max(peaks) if peaks else None
    return {
        "rows": rows,
        "sizes": sizes,
        "peak_mib": peak,
        "peak_met": peak < 250 if peak is not None else None,
        "pandoc": {"path": binary, "version": pandoc_version},
        "scaling": scaling,
    }


def _le(value: float | None, limit: float, *, strict: bool = False) -> bool | None:
    if value is None:
        return None
    return value < limit if strict else value <= limit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median reported; default 5)")
    parser.add_argument("--quick", action="store_true", help="smoke test: 1 run, a batch of 10")
    parser.add_argument("--batch", type=int, default=150, help="plans in the batch (default 150)")
    parser.add_argument(
        "--batch-runs", type=int, default=1, help="runs of the batch (default 1: one run of 150 plans takes minutes)"
    )
    parser.add_argument(
        "--only",
        type=lambda text: [part for part in text.split(",") if part],
        default=list(MEASURES),
        metavar="ROWS",
        help=f"comma-separated subset of: {','.join(MEASURES)} (default: all; pandoc always runs)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="parallel builds in the batch (default 2)")
    parser.add_argument("--scale", type=int, default=10, help="size of the larger plan (default 10)")
    parser.add_argument(
        "--json", type=Path, default=EXAMPLE_PLAN / "output" / "benchmark.json", help="where to write the results"
    )
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=25,
        metavar="N",
        help="instead: cProfile one cold build and print the top N entries by cumulative time",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (printed) for inspection")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="before each measurement, wait up to SECONDS for other work on the machine to finish (default: 0)",
    )
    parser.add_argument(
        "--no-pyc",
        action="store_true",
        help="do not cache bytecode in the children (each cold start then compiles plan_builder again)",
    )
    parser.add_argument("--child-watch", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child-batch", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_watch:
        child_watch(Path(args.child_watch[0]), int(args.child_watch[1]))
        return 0
    if args.child_batch:
        child_batch(Path(args.child_batch[0]), int(args.child_batch[1]))
        return 0
    unknown = set(args.only) - set(MEASURES)
    if unknown:
        parser.error(f"--only: unknown row(s) {', '.join(sorted(unknown))}; expected some of {', '.join(MEASURES)}")
    if args.quick:
        args.runs, args.batch, args.batch_runs = 1, min(args.batch, 10), 1

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    work = Path(tempfile.mkdtemp(prefix="plan-builder-bench-"))
    # A user's installed plan-builder has its bytecode cached after the first run. Where
    # PYTHONDONTWRITEBYTECODE is set (as on some CI and sandbox machines) every fresh
    # process would compile plan_builder again, so the children cache bytecode in the
    # scratch folder instead; the warm-up build fills it. --no-pyc measures without.
    env_note = "bytecode cached (PYTHONPYCACHEPREFIX in the scratch folder)"
    if args.no_pyc:
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        env_note = "no bytecode cache (--no-pyc)"
    else:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    load_before = wait_idle(args.wait_idle, log)
    if load_before > IDLE:
        log(f"warning: {load_before:.2f} CPUs busy before starting: other work on this machine inflates timings")
    try:
        if args.profile:
            print(profile(work, args.profile))
            return 0
        started = time.perf_counter()
        result = measure(args, work, log)
        elapsed = time.perf_counter() - started
    finally:
        if args.keep:
            log(f"scratch folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    rows: dict[str, Row] = result["rows"]
    print(table(list(rows.values())))
    print()
    if result["peak_mib"] is not None:
        print(
            f"Peak memory (largest single process over all builds): {result['peak_mib']:.0f} MiB; "
            f"target < 250 MiB: {'met' if result['peak_met'] else 'NOT met'}"
        )
    for name, size in result["sizes"].items():
        print(f"{name} plan: {size}")
    for row in rows.values():
        if row.note:
            print(f"{row.key}: {row.note}")
    load_after = busy_cpus()
    print(
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, pandoc {result['pandoc']['version']}, "
        f"{env_note}; CPUs busy with other work: {load_before:.2f} before, {load_after:.2f} after; "
        f"benchmark took {elapsed:.0f} s"
    )

    args.json.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "pandoc": result["pandoc"],
        "options": {k: str(v) for k, v in vars(args).items() if not k.startswith("child")},
        "rows": [{**asdict(row), "median": row.median} for row in rows.values()],
        "sizes": result["sizes"],
        "peak_mib": result["peak_mib"],
        "peak_met": result["peak_met"],
        "seconds": elapsed,
        "bytecode": env_note,
        "other_cpu_load": {"before": load_before, "after": load_after},
    }
    args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
