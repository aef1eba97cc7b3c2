"""The long fault run: builds killed at random, finals and drafts built concurrently, and what each left behind.

    .venv/bin/python benchmarks/faults.py                 # 100 random kills, 40 concurrent finals, 40 drafts
    .venv/bin/python benchmarks/faults.py --kills 20 --finals 8 --drafts 8   # a quick run

The plan is a copy of the example plan (or the tiny test plan with --tiny), in a scratch folder.

- Random kills: each build (a draft, every fifth a final of a new version, and with --pdf-every N
  every Nth with --pdf) is started and killed with SIGKILL at a random moment within its usual
  duration. After each kill the output folder may hold temporary files, and a mismatched set only
  while a journal says how to finish it; the next build must finish or clear it. PDF kills also
  check that LibreOffice and the scratch folder are gone within 10 s.
- Concurrent finals: rounds of --racers builds of one new final version started at once: exactly
  one may write it; the others must stop with the "already exists" error.
- Concurrent drafts: rounds of --racers builds into one folder: all succeed, none loses its
  history manifest.

At the end every document must match its manifest's hash, with no journal and no stray file.
Prints the counts and writes them to --json (default output/faults.json).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from fault_tools import (  # noqa: E402
    FolderState,
    folder_state,
    kill,
    kill_moment,
    office_processes,
    run_build,
    start_build,
)


def make_plan(root: Path, tiny: bool) -> Path:
    """A copy of the example plan (or the tiny test plan) to build and break."""
    plan = root / "plan"
    if tiny:
        from conftest import write_plan

        return write_plan(plan)
    plan.mkdir(parents=True)
    shutil.copy(REPO / "plan.yaml", plan / "plan.yaml")
    for folder in ("sections", "data", "templates"):
        shutil.copytree(REPO / folder, plan / folder)
    return plan


def set_status(plan: Path, status: str, version: str) -> None:
    lines = (plan / "plan.yaml").read_text().splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("status:"):
            lines[index] = f"status: {status}\n"
        elif line.startswith("version:"):
            lines[index] = f'version: "{version}"\n'
    (plan / "plan.yaml").write_text("".join(lines))


def timed_build(plan: Path, *args: str) -> float:
    started = time.monotonic()
    result = run_build(plan, *args)
    if result.returncode != 0:
        raise SystemExit(f"a normal build failed:\n{result.stderr}")
    return time.monotonic() - started


def random_kills(plan: Path, kills: int, pdf_every: int, rng: random.Random, report: dict) -> None:
    output = plan / "output"
    duration = {"draft": timed_build(plan), "pdf": timed_build(plan, "--pdf") if pdf_every else 0.0}
    report["build_seconds"] = {k: round(v, 2) for k, v in duration.items()}
    outcomes: Counter[str] = Counter()
    for number in range(1, kills + 1):
        pdf = bool(pdf_every) and number % pdf_every == 0
        final = not pdf and number % 5 == 0
        set_status(plan, "final" if final else "draft", f"5.{number}" if final else "0.3")
        process = start_build(plan, *(["--pdf"] if pdf else []))
        when = kill_moment(process, output, duration["pdf" if pdf else "draft"], number % 4, rng)
        outcomes[f"kill moment: {when}"] += 1
        scratch = list(output.glob(".plan-builder-pdf.*.partial")) if pdf else []
        kill(process)
        state = folder_state(output)
        outcomes["finished before the kill" if process.returncode == 0 else _stage(state)] += 1
        if not state.safe_after_a_kill:
            report["failures"].append(f"kill {number}: unsafe state {state}")
        if not state.consistent:
            outcomes[repair(plan, number, final, report)] += 1
        if pdf:
            outcomes["pdf kills"] += 1
            _check_pdf_cleanup(scratch, number, report)
    report["random_kills"] = dict(sorted(outcomes.items()))


def repair(plan: Path, number: int, final: bool, report: dict) -> str:
    """Build again right after a kill that left something, and check that the set is whole again."""
    result = run_build(plan)
    state = folder_state(plan / "output")
    refused = final and result.returncode == 1 and "this final version already exists" in result.stderr
    if not state.consistent or not (result.returncode == 0 or refused):
        report["failures"].append(f"kill {number}: the next build did not repair the folder: {state} {result.stderr}")
    if "Finished an earlier build that was interrupted" in result.stderr:
        return "next build: finished the interrupted set"
    return "next build: cleared what was left (temporary files, a finished journal)"


def _stage(state: FolderState) -> str:
    if state.pending:
        return "left: a set being put in place (journal)"
    if state.strays:
        return "left: temporary files only"
    return "left: nothing"


def _check_pdf_cleanup(scratch: list[Path], number: int, report: dict) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not any(path.exists() or office_processes(path.name) for path in scratch):
            return
        time.sleep(0.2)
    report["failures"].append(f"kill {number}: the PDF scratch folder or LibreOffice was still there after 10 s")


def concurrent_finals(plan: Path, builds: int, racers: int, report: dict) -> None:
    output = plan / "output"
    winners: Counter[int] = Counter()
    refused = 0
    for round_number in range(builds // racers):
        version = f"7.{round_number}"
        set_status(plan, "final", version)
        results = race(plan, racers)
        ok = [r for r in results if r.returncode == 0 and "Wrote" in r.stdout]
        stopped = [r for r in results if r.returncode == 1 and "this final version already exists" in r.stderr]
        winners[len(ok)] += 1
        refused += len(stopped)
        if len(ok) != 1 or len(stopped) != racers - 1:
            report["failures"].append(f"final round {round_number}: {len(ok)} builds wrote version {version}")
        state = folder_state(output)
        if not state.consistent:
            report["failures"].append(f"final round {round_number}: {state}")
    report["concurrent_finals"] = {
        "builds": builds // racers * racers,
        "rounds": builds // racers,
        "rounds by number of writers": {str(k): v for k, v in sorted(winners.items())},
        "refused with 'already exists'": refused,
    }


def concurrent_drafts(plan: Path, builds: int, racers: int, report: dict) -> None:
    output = plan / "output"
    set_status(plan, "draft", "0.3")
    before = len(folder_state(output).history)
    succeeded = 0
    for _ in range(builds // racers):
        results = race(plan, racers)
        succeeded += sum(1 for r in results if r.returncode == 0)
    state = folder_state(output)
    report["concurrent_drafts"] = {
        "builds": builds // racers * racers,
        "succeeded": succeeded,
        "history manifests added": len(state.history) - before,
    }
    if len(state.history) - before != succeeded:
        report["failures"].append(f"concurrent drafts: {succeeded} builds, {len(state.history) - before} manifests")


def race(plan: Path, racers: int) -> list[subprocess.CompletedProcess[str]]:
    processes = [start_build(plan) for _ in range(racers)]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100, help="random kills (default 100)")
    parser.add_argument("--pdf-every", type=int, default=10, help="every Nth kill builds with --pdf (0: none)")
    parser.add_argument("--finals", type=int, default=40, help="concurrent final builds in all (default 40)")
    parser.add_argument("--drafts", type=int, default=40, help="concurrent draft builds in all (default 40)")
    parser.add_argument("--racers", type=int, default=4, help="builds started at once in each round (default 4)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--tiny", action="store_true", help="the tiny test plan instead of the example plan")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and print where it is")
    parser.add_argument("--json", default=str(REPO / "output" / "faults.json"), help="where to write the counts")
    args = parser.parse_args()
    if args.pdf_every and shutil.which("soffice") is None:
        print("LibreOffice not found: no --pdf kills", file=sys.stderr)
        args.pdf_every = 0
    scratch = Path(tempfile.mkdtemp(prefix="plan-builder-faults-"))
    plan = make_plan(scratch, args.tiny)
    report: dict = {"failures": []}
    started = time.monotonic()
    random_kills(plan, args.kills, args.pdf_every, random.Random(args.seed), report)  # noqa: S311
    concurrent_finals(plan, args.finals, args.racers, report)
    concurrent_drafts(plan, args.drafts, args.racers, report)
    set_status(plan, "draft", "0.3")
    timed_build(plan)
    end = folder_state(plan / "output")
    report["end"] = {
        "documents": len(end.documents),
        "every document matches its manifest": not end.mismatched,
        "journals left": len(end.pending),
        "stray files": len(end.strays),
        "history manifests": len(end.history),
        "LibreOffice processes left": len(office_processes(".plan-builder-pdf.")),
    }
    if not end.consistent:
        report["failures"].append(f"end: {end}")
    report["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(report, indent=2))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2))
    if args.keep:
        print(f"scratch folder: {scratch}", file=sys.stderr)
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
