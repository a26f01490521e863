"""``make bench``: where the time goes, for the whole suite and for one run of each kind.

Numbers, not pass/fail: the speed targets are read off this report, never asserted by a
timed test.  It prints

1. **the suite**, from the results directory the last ``pytest features/`` wrote (every run's
   :class:`~actspec.model.RunResult` carries the engine's profile of its containers): the
   wall time of the act runs, how many distinct runs and job legs there were, and a lower
   bound with the ratio of the measured time to it.  The lower bound of a run is the
   critical path of its stages (a job's stage is one more than the deepest job it needs; act
   starts a stage when the previous one has ended), each leg costing the measured container
   start and stop plus the time its processes really ran in the container -- what no
   runner could avoid short of caching the work itself;
2. **one stubbed gate row and one full pull-request run** of the CI workflow, run now: the
   per-leg profile (container up/down, execs, the file copies act makes for every step,
   time between calls) and the cost of a stubbed leg;
3. **the same pull request in structure mode** (``--mode structure``);
4. **the kit's overhead** over a bare act call with the same command line (the repository,
   event and services prepared beforehand and not timed);
5. with ``--parallel`` (``make bench`` passes it), **what parallel engines buy**: gate rows
   (each a distinct act run) through pytest with N=1 and N=2 engines and two pytest-xdist
   workers, ``--repeat`` times each, as medians.  N=2 needs engine 1 (``ACTSPEC_ENGINES=2
   python -m actspec.tooling.provision engines``); without it only the N=1 rows are measured.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from actspec.bdd.session import Session
from actspec.engine import engines, hygiene
from actspec.errors import ActspecError
from actspec.model import RunSpec
from actspec.profile import LegProfile, RunProfile
from actspec.repository import binding
from actspec.repository.workflow import Workflow
from actspec.tooling import provision

DEFAULT_CHANGES = ("go", "rust", "python", "integration-tests")
GATE_ROW = ("build-sdk", "python")  # the gate outline's first row: the job that fails, the change
# Gate outline rows timed with 1 and 2 engines, and the (engines, xdist workers) configurations.
GATE_ROWS = ("features/ci/gate.feature", "-k", "gate_fails_when_job_fails and (fmt-go or lint-go or fmt-python or lint-python)")
PARALLEL = ((1, 2), (2, 2))


def parallel_figures(repeat: int) -> dict[str, Any]:
    """Median wall time of the gate rows per (engines, workers) configuration."""
    available = len(engines.running())
    out: dict[str, Any] = {"rows": GATE_ROWS[-1]}
    for count, workers in PARALLEL:
        name = f"engines={count} workers={workers}"
        if count > available:
            out[name] = f"not measured: {available} engine(s) running"
            continue
        times = []
        for _ in range(repeat):
            with tempfile.TemporaryDirectory(prefix="actspec-bench-") as results:
                cmd = [sys.executable, "-m", "pytest", *GATE_ROWS, "-q", "-n", str(workers), "--engines", str(count),
                       "--results-dir", results]
                t0 = time.monotonic()
                proc = subprocess.run(cmd, cwd=provision.ROOT, capture_output=True, text=True)
                times.append(time.monotonic() - t0)
            if proc.returncode != 0:
                out[name] = f"failed: {(proc.stdout.strip().splitlines() or [str(proc.returncode)])[-1]}"
                break
        else:
            out[name] = f"{statistics.median(times):.1f} s (median of {repeat})"
    return out


def stages(workflow: Workflow) -> dict[str, int]:
    """Each job's stage: 0 without needs, else one more than the deepest job it needs."""
    depth: dict[str, int] = {}

    def of(job: str) -> int:
        if job not in depth:
            depth[job] = 1 + max((of(n) for n in workflow.jobs[job].needs), default=-1)
        return depth[job]

    for job in workflow.jobs:
        of(job)
    return depth


def container_cost(legs: list[LegProfile]) -> float:
    """The median time a job container takes to come up and go away again."""
    costs = [leg.up + leg.down for leg in legs if leg.up or leg.down]
    return statistics.median(costs) if costs else 0.0


def lower_bound(profile: RunProfile, stage_of: dict[str, int], cost: float) -> float:
    """Critical path of the run's stages, each leg at ``cost`` plus its processes' own time."""
    per_stage: dict[int, float] = {}
    for leg in profile.legs:
        stage = stage_of.get(leg.job, 0)
        per_stage[stage] = max(per_stage.get(stage, 0.0), cost + leg.exec_seconds)
    return sum(per_stage.values())


def suite_figures(results: Path, bound: binding.Binding) -> dict[str, Any] | None:
    """Figures of the last pytest session's act runs, from ``results``."""
    runs = []
    for path in sorted(results.glob("*.json")):
        if path.name == "tests.json":
            continue
        data = json.loads(path.read_text())
        # Only runs of the bench's repository: the folder holds whatever session ran last
        # (the calibration suite's workflows, another --repo).
        if "run_id" in data and data["spec"]["workflow"] in bound.workflows:
            runs.append(data)
    if not runs:
        return None
    profiles = [RunProfile.from_json(r.get("profile")) for r in runs]
    cost = container_cost([leg for p in profiles for leg in p.legs])
    workflows: dict[str, dict[str, int]] = {}
    bound_total = 0.0
    for run, prof in zip(runs, profiles):
        role = run["spec"]["workflow"]
        if role not in workflows:
            workflows[role] = stages(bound.load_workflow(role))
        bound_total += lower_bound(prof, workflows[role], cost)
    act_seconds = sum(r["finished"] - r["started"] for r in runs)
    wall = max(r["finished"] for r in runs) - min(r["started"] for r in runs)
    return {
        "act_runs": len(runs),
        "job_legs": sum(1 for r in runs for j in r["jobs"] if j["ran"]),
        "wall_of_runs_s": round(wall, 1),
        "act_seconds": round(act_seconds, 1),
        "container_cost_s": round(cost, 3),
        "lower_bound_s": round(bound_total, 1),
        "ratio_to_lower_bound": round(act_seconds / bound_total, 2) if bound_total else None,
        "per_run_profile": _profile_totals(profiles),
    }


def _profile_totals(profiles: list[RunProfile]) -> dict[str, float]:
    return RunProfile([leg for p in profiles for leg in p.legs]).totals()


def run_figures(session: Session, spec: RunSpec, stubbed: tuple[str, ...]) -> dict[str, Any]:
    t0 = time.monotonic()
    result = session.runner.run(spec)
    wall = time.monotonic() - t0
    workflow = session.binding.load_workflow(spec.workflow)
    cost = container_cost(result.profile.legs)
    stub_legs = [leg for leg in result.profile.legs if leg.job in stubbed]
    bound_s = lower_bound(result.profile, stages(workflow), cost)
    return {
        "wall_s": round(wall, 1),
        "legs_run": sum(1 for j in result.jobs if j.ran),
        "lower_bound_s": round(bound_s, 1),
        "ratio_to_lower_bound": round(wall / bound_s, 2) if bound_s else None,
        "stubbed_leg_s": round(statistics.mean(leg.up + leg.alive + leg.down for leg in stub_legs), 2) if stub_legs else None,
        "profile": result.profile.totals(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(provision.ROOT / "workflows_under_test"))
    parser.add_argument("--workflow", default="ci")
    parser.add_argument("--results-dir", default=str(provision.ROOT / "report" / "data"),
                        help="where the last pytest session wrote its run results")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--parallel", action="store_true", help="also time gate rows with 1 and 2 engines")
    parser.add_argument("--repeat", type=int, default=3, help="runs per parallel configuration (median)")
    args = parser.parse_args(argv)
    try:
        _bench(args)
    except ActspecError as exc:
        raise SystemExit(f"actspec bench: {exc}") from None


def engine_figures() -> dict[str, Any]:
    """Which daemon the runs below went to: copies into containers cost ten times more on
    Debian's docker.io 20.10 than on moby 23 and later (docs/design.md, "Which dockerd")."""
    engine = engines.primary()
    client = engine.client()
    try:
        return {"host": engine.host, "dockerd": client.version().get("Version")}
    finally:
        client.close()


def _bench(args: argparse.Namespace) -> None:
    bound = binding.load(Path(args.repo).resolve())
    figures: dict[str, Any] = {"engine": engine_figures(), "suite": suite_figures(Path(args.results_dir), bound)}
    session = Session(bound, act=provision.act_path(), image=provision.image_tag(), tools=provision.RUNNER_TOOLS)
    try:
        workflow = bound.load_workflow(args.workflow)
        failing, change = GATE_ROW
        keep = (failing, "changes", "ci-complete")
        stubbed = tuple(j for j in workflow.jobs if j not in keep)
        gate = RunSpec(workflow=args.workflow, event="pull_request", branch="bench-gate",
                       changes=bound.change_set(change), fail_jobs=(failing,), stub_jobs=stubbed)
        figures["stubbed_gate_row"] = run_figures(session, gate, stubbed)

        changes = tuple(c for name in DEFAULT_CHANGES if name in bound.changes for c in bound.change_set(name))
        full = RunSpec(workflow=args.workflow, event="pull_request", branch="bench", changes=changes)
        figures["full_pull_request"] = run_figures(session, full, ())
        # The same pull request in structure mode (build, test and lint steps stubbed).
        figures["structure_pull_request"] = run_figures(session, dataclasses.replace(full, mode="structure"), ())

        run_id = f"bench-{secrets.token_hex(3)}"
        inv = session.runner.prepare(full, workflow, run_id, session.workdir / run_id)
        lease = engines.lock(engines.primary())  # the bare run and its cleanup hold engine 0 too
        started = time.time()
        t0 = time.monotonic()
        try:
            subprocess.run(inv.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=inv.workdir)
        finally:
            bare = time.monotonic() - t0
            hygiene.cleanup_run(run_id, started)
            lease.release()
        kit = figures["full_pull_request"]["wall_s"]
        figures["kit_overhead"] = {"kit_s": kit, "bare_act_s": round(bare, 1),
                                   "ratio": round(kit / bare, 3) if bare else None,
                                   "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    finally:
        session.close()
    if args.parallel:
        figures["parallel_engines"] = parallel_figures(args.repeat)

    if args.json:
        print(json.dumps(figures))
        return
    for section, values in figures.items():
        print(f"{section}:")
        if values is None:
            print("  (no results of this repository's workflows: run `pytest features/` first)")
            continue
        for key, value in values.items():
            print(f"  {key:>22}: {value}")


if __name__ == "__main__":
    main()
