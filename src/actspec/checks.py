"""Assertions the features make, phrased in the architecture document's vocabulary.

Each takes a :class:`RunResult` (or a workflow, for the few static facts) and raises an
``AssertionError`` whose message says what the document expects and what act did.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from actspec.ledger import Entry, select
from actspec.model import RunResult
from actspec.workflow import Workflow

BUILD_STEP = re.compile(r"\bbuild[:_-]|python3? -m build|cargo build|build_wheel", re.I)


def _table(result: RunResult) -> str:
    rows = []
    for job in result.job_ids():
        legs = result.legs(job)
        detail = ", ".join(f"{leg.leg or '-'}={leg.result}" for leg in legs) if legs[0].matrix else legs[0].result
        rows.append(f"{job}: {detail}")
    return "; ".join(rows)


def ran_exactly(result: RunResult, expected: list[str]) -> None:
    """The jobs that ran are exactly ``expected``; every other job was skipped."""
    ran = [j for j in result.job_ids() if result.ran(j)]
    missing = [j for j in expected if j not in ran]
    extra = [j for j in ran if j not in expected]
    assert not missing and not extra, (
        f"expected exactly these jobs to run: {', '.join(expected)}; "
        f"did not run: {', '.join(missing) or 'none'}; ran but should not: {', '.join(extra) or 'none'}. "
        f"act reported: {_table(result)}"
    )
    for j in result.job_ids():
        if j not in expected:
            assert result.result(j) == "skipped", f"{j} did not run but its result is {result.result(j)}"


def ran(result: RunResult, jobs: list[str]) -> None:
    for job in jobs:
        assert result.ran(job), f"`{job}` did not run ({result.result(job)}). act reported: {_table(result)}"


def skipped(result: RunResult, jobs: list[str]) -> None:
    for job in jobs:
        assert result.result(job) == "skipped" and not result.ran(job), (
            f"`{job}` should be skipped but was {result.result(job)}. act reported: {_table(result)}"
        )


def job_result(result: RunResult, job: str, expected: str) -> None:
    actual = result.result(job)
    assert actual == expected, f"`{job}` should end {expected} but ended {actual}. act reported: {_table(result)}"


def every_leg(result: RunResult, job: str, expected: str) -> None:
    bad = [f"{leg.leg}={leg.result}" for leg in result.legs(job) if leg.result != expected]
    assert not bad, f"every leg of `{job}` should end {expected}; these did not: {', '.join(bad)}"


def matrix_values(result: RunResult, job: str, axis: str) -> list[str]:
    values = [str(leg.matrix.get(axis)) for leg in result.legs(job) if leg.ran]
    return sorted(values)


def needs(workflow: Workflow, job: str) -> set[str]:
    return set(workflow.job(job).needs)


def gate_covers_every_job(workflow: Workflow, gate: str) -> None:
    others = set(workflow.jobs) - {gate}
    missing = sorted(others - needs(workflow, gate))
    assert not missing, f"`{gate}` must depend on every other job; its needs leave out: {', '.join(missing)}"


def uploads(result: RunResult, artifact: str) -> list[Entry]:
    return select(result.ledger, "artifact.upload", subject=artifact, ok=True)


def downloads(result: RunResult, artifact: str) -> list[Entry]:
    return select(result.ledger, "artifact.download", subject=artifact, ok=True)


def uploaded_once_by(result: RunResult, artifact: str, job: str) -> None:
    ups = uploads(result, artifact)
    who = [f"{e.job}" for e in ups]
    assert len(ups) == 1 and ups[0].job == job, (
        f"{artifact} should be uploaded exactly once, by `{job}`; uploads seen: {who or 'none'}"
    )


def overlap(result: RunResult, a: str, b: str) -> None:
    la = [leg for leg in result.legs(a) if leg.ran and leg.started and leg.finished]
    lb = [leg for leg in result.legs(b) if leg.ran and leg.started and leg.finished]
    assert la and lb, f"both `{a}` and `{b}` must run to compare their times"
    start_a, end_a = min(x.started for x in la), max(x.finished for x in la)  # type: ignore[type-var]
    start_b, end_b = min(x.started for x in lb), max(x.finished for x in lb)  # type: ignore[type-var]
    assert start_a < end_b and start_b < end_a, (
        f"`{a}` ({start_a:.2f}-{end_a:.2f}) and `{b}` ({start_b:.2f}-{end_b:.2f}) did not overlap in time"
    )


def quoted(text: str) -> list[str]:
    """``"a" and "b"`` -> ["a", "b"]."""
    return re.findall(r'"([^"]+)"', text)


def matrix_is(result: RunResult, job: str, axis: str, expected: list[str]) -> None:
    actual = matrix_values(result, job, axis)
    assert actual == sorted(expected), (
        f"`{job}` should run one leg per {axis} in {sorted(expected)}; act ran legs for {actual or 'none'}"
    )


def declares_branches(workflow: Workflow, event: str, branches: list[str]) -> None:
    """The workflow *declares* ``on.<event>.branches`` (a static fact, see docs/fidelity.md F1)."""
    assert event in workflow.on, f"{workflow.path.name} has no `{event}` trigger; it has: {', '.join(workflow.on)}"
    declared = workflow.on[event].get("branches") if isinstance(workflow.on[event], dict) else None
    assert declared is not None, f"{workflow.path.name}: `on.{event}` has no `branches` filter, so it runs for every branch"
    assert sorted(map(str, declared)) == sorted(branches), (
        f"{workflow.path.name}: `on.{event}.branches` is {declared}, expected {branches}"
    )


def weekly_schedule(workflow: Workflow) -> None:
    crons = [str(e.get("cron")) for e in workflow.on.get("schedule") or [] if isinstance(e, dict)]
    assert crons, f"{workflow.path.name} has no `schedule` trigger"
    weekly = [c for c in crons if len(c.split()) == 5 and c.split()[2] == "*" and c.split()[3] == "*"
              and re.fullmatch(r"[0-6]|sun|mon|tue|wed|thu|fri|sat", c.split()[4], re.I)]
    assert weekly, f"{workflow.path.name}: no schedule runs once a week: {crons}"


def declares_needs(workflow: Workflow, job: str, upstream: list[str]) -> None:
    missing = [u for u in upstream if u not in needs(workflow, job)]
    assert not missing, f"`{job}` should need {', '.join(upstream)}; its needs are: {', '.join(sorted(needs(workflow, job)))}"


def started_after(result: RunResult, job: str, upstream: list[str]) -> None:
    legs = [leg for leg in result.legs(job) if leg.ran and leg.started]
    assert legs, f"`{job}` did not run"
    start = min(leg.started for leg in legs)  # type: ignore[type-var]
    for up in upstream:
        ups = [leg for leg in result.legs(up) if leg.ran and leg.finished]
        assert ups, f"`{up}` did not run, so `{job}` cannot have waited for it"
        end = max(leg.finished for leg in ups)  # type: ignore[type-var]
        assert start >= end, f"`{job}` started {end - start:.2f}s before `{up}` finished"


def ancestors(workflow: Workflow, job: str) -> set[str]:
    seen: set[str] = set()
    todo = list(needs(workflow, job))
    while todo:
        j = todo.pop()
        if j not in seen:
            seen.add(j)
            todo += needs(workflow, j)
    return seen


def independent(workflow: Workflow, a: str, b: str) -> None:
    assert a not in ancestors(workflow, b), f"`{b}` depends on `{a}` (through needs)"
    assert b not in ancestors(workflow, a), f"`{a}` depends on `{b}` (through needs)"


def legs_overlap(result: RunResult, job: str) -> None:
    legs = [leg for leg in result.legs(job) if leg.ran and leg.started and leg.finished]
    assert len(legs) > 1, f"`{job}` ran {len(legs)} leg(s); need several to compare"
    latest_start = max(leg.started for leg in legs)  # type: ignore[type-var]
    earliest_end = min(leg.finished for leg in legs)  # type: ignore[type-var]
    assert latest_start < earliest_end, f"the legs of `{job}` ran one after another, not at the same time"


def artifact_holds(result: RunResult, artifact: str, patterns: list[str]) -> None:
    ups = uploads(result, artifact)
    assert ups, f"{artifact} was never uploaded"
    names = [Path(str(f["path"])).name for f in ups[0].details.get("files", [])]
    for pattern in patterns:
        assert any(fnmatch.fnmatch(n, pattern) for n in names), f"{artifact} has no file matching {pattern}: {names}"


def _digests(entry: Entry) -> dict[str, str]:
    return {Path(str(f["path"])).name: str(f["sha256"]) for f in entry.details.get("files", [])}


def downloaded_by_every_leg(result: RunResult, artifact: str, job: str) -> None:
    ups = uploads(result, artifact)
    assert len(ups) == 1, f"{artifact} should have one upload to compare with; saw {len(ups)}"
    uploaded = _digests(ups[0])
    legs = [leg for leg in result.legs(job) if leg.ran]
    assert legs, f"`{job}` did not run, so it cannot have downloaded {artifact}"
    by_leg = {e.leg or "": e for e in downloads(result, artifact) if e.job == job}
    for leg in legs:
        entry = by_leg.get(leg.leg or "")
        assert entry is not None, f"{leg.job_id} ({leg.leg or 'no matrix'}) did not download {artifact}"
        assert _digests(entry) == uploaded, f"{leg.job_id} ({leg.leg}) downloaded other bytes than were uploaded"


def runs_no_build(result: RunResult, job: str) -> None:
    for leg in result.legs(job):
        builders = [s.name for s in leg.steps if BUILD_STEP.search(s.name)]
        assert not builders, f"`{job}` ({leg.leg or 'no matrix'}) runs build steps: {builders}"
        ups = [e.subject for e in select(result.ledger, "artifact.upload", job=job)]
        assert not ups, f"`{job}` uploads artifacts of its own: {ups}"


def rust_cache_restored(result: RunResult, workspace: str) -> None:
    rust_jobs = {e.job for e in select(result.ledger, "setup.rust")} | {e.job for e in select(result.ledger, "cache.")}
    restores = select(result.ledger, "cache.restore")
    assert restores, "no job restored the Rust cache"
    for e in restores:
        assert workspace in str(e.details.get("workspaces", "")), f"`{e.job}` restored a cache for {e.details.get('workspaces')}"
    missing = sorted(j for j in rust_jobs if j and j not in {e.job for e in restores})
    assert not missing, f"these Rust jobs did not restore the Rust cache: {', '.join(missing)}"


def rust_cache_saves(result: RunResult, expect_saved: bool) -> None:
    saves = [e for e in select(result.ledger, "cache.save") if e.details.get("saved")]
    if expect_saved:
        assert saves, "no job saved the Rust cache"
    else:
        assert not saves, f"the Rust cache was saved by: {', '.join(sorted({str(e.job) for e in saves}))}"


def setup_go_cache(result: RunResult) -> None:
    setups = select(result.ledger, "setup.go")
    assert setups, "no job set up Go"
    for e in setups:
        dep = e.details.get("cache-dependency-path") or e.details.get("cache_dependency_path")
        assert dep, f"`{e.job}` set up Go without a cache-dependency-path: {e.details}"


def no_workflow_file(root: Path, name: str) -> None:
    assert not (root / ".github" / "workflows" / name).exists(), f"{name} still exists in .github/workflows"


def codeql_languages(result: RunResult, languages: list[str]) -> None:
    seen = sorted({str(lang) for e in select(result.ledger, "codeql.init") for lang in _as_list(e.details.get("languages"))})
    assert seen == sorted(languages), f"CodeQL was initialised for {seen}, expected {sorted(languages)}"


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [p.strip() for p in str(value or "").split(",") if p.strip()]
