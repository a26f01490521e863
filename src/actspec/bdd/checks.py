"""Assertions the features make, phrased in the architecture document's vocabulary.

Each takes a :class:`RunResult`, a workflow (for the few static facts), a typed view of
what a mock held when a run ended (:mod:`actspec.services.views`) or a probe's answer
(:mod:`actspec.bdd.probes`), and raises an ``AssertionError`` whose message says what the
document expects and what happened.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from email.parser import BytesParser
from pathlib import Path

from ghrules import filters
from ghrules.deployments import deployment_rules
from packaging.requirements import Requirement
from packaging.utils import (
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from actspec.bdd.probes import PipInstall, TokenAnswer
from actspec.ledger import Entry, select
from actspec.model import RunResult, RunSpec
from actspec.repository import platforms
from actspec.repository.binding import Binding
from actspec.repository.platforms import Platform
from actspec.repository.workflow import Workflow
from actspec.services.views import Asset, DistFile, Release, dist_files, releases

# Commands that build a distributable (a wheel, an sdist, a binary): "build" as the commands a
# job ran show it (``step.commands`` in the ledger), whatever its steps are called.  Compiling
# for a test run (``go test``, ``cargo test``, ``go run``) builds no artifact and is not one.
BUILD_COMMAND = re.compile(
    r"(?:^|[\s;&|(`])(?:python[\d.]* -m (?:build|pip wheel)|pip3? wheel|uv build|maturin build|cargo build"
    r"|go build|go install|goreleaser (?:build|release)|(?:mise|task|just|make) (?:run )?build\b|\S*build_wheel)"
)

# The document's rules that checks over what ran state when they fail.
PATH_FILTERING = ("the document: a job runs only when the files it cares about changed (the jobs table's "
                  "\"Runs when\"; \"Design Principles\" 2)")
TRIGGERS = "the document: a workflow starts only for the events, branches and tags its section names"
LIST_RULES = {
    "python": "the document: the Python versions are defined once, in SUPPORTED_PYTHONS (\"Python Version Matrix\")",
    "os": "the document's jobs table: Go tests run on ubuntu and macos",
    "variant": "the document's jobs table: integration tests run for the variants cog and cog-rust",
}


def _table(result: RunResult) -> str:
    rows = []
    for job in result.job_ids():
        legs = result.legs(job)
        detail = ", ".join(f"{leg.leg or '-'}={leg.result}" for leg in legs) if legs[0].matrix else legs[0].result
        rows.append(f"{job}: {detail}")
    return "; ".join(rows)


def ran_exactly(result: RunResult, expected: list[str], outside: tuple[str, ...] = (), *, rule: str) -> None:
    """The jobs that ran are exactly ``expected``; every other job was skipped.  Jobs
    ``outside`` the document's table (the binding's ``extra_jobs``) are not judged; ``rule``
    is the document's rule the message states."""
    ran = [j for j in result.job_ids() if result.ran(j) and j not in outside]
    missing = [j for j in expected if j not in ran]
    extra = [j for j in ran if j not in expected]
    assert not missing and not extra, (
        f"expected exactly these jobs to run: {', '.join(expected)}; "
        f"did not run: {', '.join(missing) or 'none'}; ran but should not: {', '.join(extra) or 'none'}; "
        f"{rule}. act reported: {_table(result)}"
    )
    for j in result.job_ids():
        if j not in expected and j not in outside:
            assert result.result(j) == "skipped", f"{j} did not run but its result is {result.result(j)}"


def ran_its_steps(result: RunResult, job: str) -> None:
    """``job`` got past act's set-up into steps of its own (after a cancelled run act starts
    none: docs/fidelity.md F15, whose xfails hold only for this check's words)."""
    after = " after the run was cancelled" if result.spec.cancel_during else ""
    for leg in result.legs(job):
        if not leg.ran:
            raise AssertionError(f"`{job}` ran none of its steps{after}: act never started it "
                                 f"({leg.result}). act reported: {_table(result)}")
        if not [s for s in leg.steps if not s.step_id.startswith("--")]:  # act's set-up and complete-job steps
            said = next((ln.strip() for ln in leg.log if "cancel" in ln), "no reason logged")
            raise AssertionError(f"`{job}` ran none of its steps{after}: act ended its set-up ({said}), so it "
                                 f"decided nothing. act reported: {_table(result)}")


def fails_by_its_steps(result: RunResult, job: str) -> None:
    """``job`` ran its own steps and one of them failed: its verdict, not an end act gave it
    before any of its steps ran."""
    ran_its_steps(result, job)
    for leg in result.legs(job):
        own = [s for s in leg.steps if not s.step_id.startswith("--")]
        assert any(s.conclusion == "failure" for s in own), (
            f"`{job}` should fail by its own check; its steps: "
            f"{', '.join(f'{s.name}={s.conclusion}' for s in own)}. act reported: {_table(result)}")


def counts_as_change(result: RunResult, component: str, path: str) -> None:
    """The change-detection job that ran (``RunSpec.job``) reported ``component`` as changed:
    its output of that name, as act reported it, is ``true``."""
    job = result.spec.job
    if job is None:
        raise AssertionError("the scenario ran more than the change detection: use `When only the change detection runs`")
    outputs = result.outputs(job)
    assert outputs.get(component) == "true", (
        f"a pull request changing only `{path}` should be a change to {component}, but `{job}` output "
        f"{component}={outputs.get(component, '(none)')} (its outputs: "
        f"{', '.join(f'{k}={v}' for k, v in sorted(outputs.items())) or 'none'}; binding `path_rules:`); "
        f"{PATH_FILTERING}"
    )


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
    assert not missing, (f"`{gate}` must depend on every other job (the document: the single gate job depends on "
                         f"all other jobs); its needs leave out: {', '.join(missing)}")


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


def matrix_is(result: RunResult, job: str, axis: str, expected: list[str], term: str | None = None) -> None:
    """The legs that ran carry exactly ``expected`` on the matrix axis ``axis`` (the axis the
    binding names for the document's list ``term``: ``python``, ``os``, ``variant``)."""
    actual = matrix_values(result, job, axis)
    what = f"{term} (matrix axis `{axis}`)" if term and term != axis else f"`{axis}`"
    rule = f"; {LIST_RULES[term]}" if term in LIST_RULES else ""
    assert actual == sorted(expected), (
        f"`{job}` should run one leg per {what} in {sorted(expected)}; act ran legs for {actual or 'none'}"
        + (_axes_hint(result, job, axis) if "None" in actual else rule)
    )


def _axes_hint(result: RunResult, job: str, axis: str) -> str:
    axes = sorted({k for leg in result.legs(job) for k in leg.matrix})
    return (f"; its matrix has no axis `{axis}` (its axes: {', '.join(axes) or 'none'}): "
            "name the right one under `matrix_axes:` in the binding")


def os_families(result: RunResult, job: str, axis: str, families: list[str]) -> None:
    """One leg per operating system of the document's list (``ubuntu``, ``macos``): the label
    on ``axis`` names the family first (``ubuntu-latest``, ``ubuntu-24.04-arm``, ``macos-14``)."""
    labels = matrix_values(result, job, axis)
    seen = sorted({label.split("-")[0].lower() for label in labels})
    assert seen == sorted(f.lower() for f in families), (
        f"`{job}` should run on {' and '.join(families)} (one leg each at least); its legs ran on the "
        f"`{axis}` labels {labels or 'none'}" + (_axes_hint(result, job, axis) if "None" in labels else f"; {LIST_RULES['os']}")
    )


def declares_branches(workflow: Workflow, event: str, branches: list[str]) -> None:
    """The workflow *declares* ``on.<event>.branches`` (a static fact, see docs/fidelity.md F1)."""
    assert event in workflow.on, f"{workflow.path.name} has no `{event}` trigger; it has: {', '.join(workflow.on)}"
    declared = workflow.on[event].get("branches") if isinstance(workflow.on[event], dict) else None
    assert declared is not None, f"{workflow.path.name}: `on.{event}` has no `branches` filter, so it runs for every branch"
    assert sorted(map(str, declared)) == sorted(branches), (
        f"{workflow.path.name}: `on.{event}.branches` is {declared}; the document: it runs on {event} to "
        f"{' and '.join(branches)} only"
    )


PROBE_BRANCHES = ("main", "develop", "feature/x", "release/1.2")


def runs_on_every_pull_request(workflow: Workflow) -> None:
    """"runs on all PRs": a ``pull_request`` trigger that no branch filter narrows (a
    ``branches`` filter, if any, must match every base branch; no ``branches-ignore``)."""
    name = workflow.path.name
    assert "pull_request" in workflow.on, (
        f"{name} has no `pull_request` trigger (the document: it runs on all PRs); it has: {', '.join(workflow.on)}")
    trigger = workflow.on["pull_request"] if isinstance(workflow.on["pull_request"], dict) else {}
    ignored = trigger.get("branches-ignore")
    assert not ignored, f"{name}: `on.pull_request.branches-ignore` {ignored} leaves out PRs; the document: it runs on all PRs"
    declared = trigger.get("branches")
    if declared is not None:
        patterns = [str(p) for p in (declared if isinstance(declared, list) else [declared])]
        missed = [b for b in PROBE_BRANCHES if not filters.included(patterns, b)]
        assert not missed, (
            f"{name}: `on.pull_request.branches` {declared} does not match PRs to {', '.join(missed)}; "
            "the document: it runs on all PRs")


def weekly_schedule(workflow: Workflow) -> None:
    crons = [str(e.get("cron")) for e in workflow.on.get("schedule") or [] if isinstance(e, dict)]
    assert crons, f"{workflow.path.name} has no `schedule` trigger"
    weekly = [c for c in crons if len(c.split()) == 5 and c.split()[2] == "*" and c.split()[3] == "*"
              and re.fullmatch(r"[0-6]|sun|mon|tue|wed|thu|fri|sat", c.split()[4], re.I)]
    assert weekly, f"{workflow.path.name}: no schedule runs once a week: {crons}"


def declares_needs(workflow: Workflow, job: str, upstream: list[str]) -> None:
    missing = [u for u in upstream if u not in needs(workflow, job)]
    assert not missing, (f"`{job}` should need {', '.join(upstream)} (the document's jobs table: it depends on "
                         f"{', '.join(upstream)}); its needs are: {', '.join(sorted(needs(workflow, job)))}")


def started_after(result: RunResult, job: str, upstream: list[str]) -> None:
    legs = [leg for leg in result.legs(job) if leg.ran and leg.started]
    assert legs, f"`{job}` did not run"
    start = min(leg.started for leg in legs)  # type: ignore[type-var]
    for up in upstream:
        ups = [leg for leg in result.legs(up) if leg.ran and leg.finished]
        assert ups, f"`{up}` did not run, so `{job}` cannot have waited for it"
        end = max(leg.finished for leg in ups)  # type: ignore[type-var]
        assert start >= end, (f"`{job}` started {end - start:.2f}s before `{up}` finished (the document's jobs "
                              f"table: it depends on {up})")


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


def downloaded_by_every_leg(result: RunResult, artifact: str, job: str,
                            only_leg: tuple[str, str] | None = None) -> None:
    """Each leg of ``job`` (or only the legs whose matrix axis ``only_leg[0]`` is ``only_leg[1]``)
    downloaded the uploaded bytes."""
    ups = uploads(result, artifact)
    assert len(ups) == 1, f"{artifact} should have one upload to compare with; saw {len(ups)}"
    uploaded = _digests(ups[0])
    legs = [leg for leg in result.legs(job)
            if leg.ran and (only_leg is None or str(leg.matrix.get(only_leg[0])) == only_leg[1])]
    wanted = "=".join(only_leg) if only_leg else ""
    assert legs, f"`{job}` has no leg {wanted} that ran, so it cannot have downloaded {artifact}"
    by_leg = {e.leg or "": e for e in downloads(result, artifact) if e.job == job}
    for leg in legs:
        entry = by_leg.get(leg.leg or "")
        assert entry is not None, (f"{leg.job_id} ({leg.leg or 'no matrix'}) did not download {artifact}; the document: "
                                   "artifacts are built once and reused across test jobs")
        assert _digests(entry) == uploaded, f"{leg.job_id} ({leg.leg}) downloaded other bytes than were uploaded"


def runs_no_build(result: RunResult, job: str) -> None:
    """"Build once, test many": no leg of ``job`` ran a build command (read from the commands
    its steps ran, ``step.commands``) or uploaded an artifact of its own."""
    rule = "the document: artifacts are built once and reused across test jobs"
    recorded = select(result.ledger, "step.commands", job=job)
    for leg in result.legs(job):
        if not leg.ran:
            continue
        where = f"`{job}` ({leg.leg or 'no matrix'})"
        mine = [e for e in recorded if (e.leg or "") == leg.leg]
        assert mine, f"{where}: the kit's hook recorded no command of its steps, so what it ran is unknown"
        built = [f"{c} (step {e.subject})" for e in mine for c in e.details.get("commands", []) if BUILD_COMMAND.search(c)]
        assert not built, f"{where} builds instead of reusing: it ran {'; '.join(built)}; {rule}"
    ups = [e.subject for e in select(result.ledger, "artifact.upload", job=job)]
    assert not ups, f"`{job}` uploads artifacts of its own: {ups}; {rule}"


def _workspace_target(workspace: str) -> str:
    """``"crates -> target"`` (rust-cache's ``workspaces`` notation) -> ``crates/target``."""
    root, _, target = (part.strip() for part in workspace.partition("->"))
    return f"{root}/{target or 'target'}"


def _holds(entry: Entry, target: str) -> bool:
    """The cache entry (a lookup or a save) covers the workspace's target directory: that is
    what makes it the Rust cache, whatever else the job caches (pip, Go, a linter's data)."""
    return any(str(p).rstrip("/").endswith(target) for p in entry.details.get("paths") or [])


def rust_cache_restored(result: RunResult, jobs: list[str], workspace: str) -> None:
    """Each of ``jobs`` looked up the Rust cache: a cache with the workspace's target directory in it."""
    wanted = _workspace_target(workspace)
    restores = select(result.ledger, "cache.restore")
    for job in jobs:
        mine = [e for e in restores if e.job == job]
        assert mine, f"`{job}` did not restore the Rust cache (restores seen: {sorted({str(e.job) for e in restores})})"
        assert any(_holds(e, wanted) for e in mine), (
            f"`{job}` restored no cache with the workspace target {wanted} (the document: rust-cache with the "
            f"workspace `{workspace}`): {[e.details.get('paths') for e in mine]}"
        )


def rust_cache_saves(result: RunResult, workspace: str, expect_saved: bool) -> None:
    """Whether any job saved the Rust cache (an entry with the workspace's target directory);
    other caches a job saves are not the document's Rust cache rule."""
    wanted = _workspace_target(workspace)
    saves = [e for e in select(result.ledger, "cache.save") if e.details.get("saved") and _holds(e, wanted)]
    if expect_saved:
        assert saves, f"no job saved the Rust cache of {wanted}"
    else:
        assert not saves, (f"the Rust cache of {wanted} was saved by: {', '.join(sorted({str(e.job) for e in saves}))}; "
                           "the document: it is saved only on main branch pushes")


def _uv_cache_folders(result: RunResult, job: str) -> set[str]:
    """The folders setup-uv made uv's cache in ``job`` (its ``cache-local-path``)."""
    return {str(e.details["cache_local_path"]) for e in select(result.ledger, "setup.uv", job=job)
            if e.details.get("cache_local_path")}


def cache_reused(result: RunResult, earlier: RunResult, jobs: list[str], branch: str, cache: str = "") -> None:
    """Each of ``jobs`` restored, from ``branch``'s scope, an entry that the earlier run saved,
    and received its files ("Caching Strategy": pull requests restore main's cache).

    All three facts are the kit cache service's own records: the earlier run's ``cache.save``,
    this run's ``cache.restore`` lookup and the ``cache.download`` of the archive, which the
    restore step makes before any later step of the job runs.  ``cache="uv"`` counts only
    lookups of the folder setup-uv gave uv as its cache in that job.
    """
    saved = {e.subject for e in select(earlier.ledger, "cache.save") if e.details.get("saved")}
    assert saved, f"the push to {branch} saved no cache, so there was nothing to reuse"
    scope = f"refs/heads/{branch}"
    for job in jobs:
        lookups = [e for e in select(result.ledger, "cache.restore") if e.job == job]
        if cache == "uv":
            folders = _uv_cache_folders(result, job)
            assert folders, f"`{job}` set up no uv cache (astral-sh/setup-uv with its cache on); the document: the Python/uv cache is built into setup-uv"
            lookups = [e for e in lookups if folders & {str(p) for p in e.details.get("paths") or []}]
        assert lookups, f"`{job}` did not look {'the ' + cache + ' ' if cache else 'a '}cache up"
        hits = [e for e in lookups if e.details.get("hit") and e.details.get("matched_key") in saved
                and e.details.get("matched_scope") == scope]
        assert hits, (f"`{job}` did not restore what the push to {branch} saved: it looked up "
                      f"{[(e.subject, e.details.get('matched_key'), e.details.get('matched_scope')) for e in lookups]}, "
                      f"the push saved {sorted(saved)}")
        got = [e for e in select(result.ledger, "cache.download")
               if e.job == job and e.subject in saved and int(e.details.get("files") or 0) > 0]
        assert got, f"`{job}` found {branch}'s cache entry but never received its files"


def uv_cache_reused(result: RunResult, earlier: RunResult, branch: str) -> None:
    """Every job of the run that set up uv restored the uv cache the earlier push to ``branch``
    saved, with its files.  The document names the mechanism (setup-uv), not the jobs, so the
    jobs are the ones the setup-uv shim reported in this run."""
    cache_reused(result, earlier, sorted({str(e.job) for e in _uv_setups(result)}), branch, cache="uv")


def _uv_setups(result: RunResult) -> list[Entry]:
    """The setup-uv shim's records of the run; there must be one, as the document has the
    Python/uv cache come with setup-uv."""
    setups = select(result.ledger, "setup.uv")
    assert setups, "no job set up uv with astral-sh/setup-uv; the document: the Python/uv cache is built into setup-uv"
    return setups


def setup_go_cache(result: RunResult) -> None:
    """"Go Cache: built into actions/setup-go": every setup-go keeps its cache on and keys it on
    a dependency file, the ones ``cache-dependency-path`` names or setup-go's default ``go.sum``."""
    setups = select(result.ledger, "setup.go")
    assert setups, "no job set up Go with actions/setup-go; the document: the Go cache is built into setup-go"
    for e in setups:
        assert e.details.get("cache", True), (
            f"`{e.job}` turns setup-go's cache off (`cache: false`); the document: the Go cache is built into setup-go")
        assert e.details.get("dependency_files"), (
            f"`{e.job}`: setup-go found no dependency file to key its cache on "
            f"({e.details.get('cache_problem') or 'none resolved'}; cache-dependency-path: "
            f"{e.details.get('cache_dependency_path') or 'unset, so go.sum'})")


def setup_uv_cache(result: RunResult) -> None:
    """"Python/uv Cache: built into astral-sh/setup-uv": every setup-uv in the run keeps its
    cache on, whether by ``enable-cache: true`` or by the default ``auto`` on a GitHub-hosted runner."""
    for e in _uv_setups(result):
        assert e.details.get("cache"), (
            f"`{e.job}` runs setup-uv with its cache off (enable-cache: {e.details.get('enable_cache')}); "
            "the document: the Python/uv cache is built into setup-uv")


def no_workflow_file(root: Path, name: str) -> None:
    assert not (root / ".github" / "workflows" / name).exists(), f"{name} still exists in .github/workflows"


def codeql_languages(result: RunResult, languages: list[str]) -> None:
    seen = sorted({str(lang) for e in select(result.ledger, "codeql.init") for lang in _as_list(e.details.get("languages"))})
    assert seen == sorted(languages), f"CodeQL was initialised for {seen}, expected {sorted(languages)}"


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [p.strip() for p in str(value or "").split(",") if p.strip()]


# -- release pipeline -----------------------------------------------------------------------
# Checks of the release features (features/release/).  Registry and release facts come
# from the ledger (what reached a mock, in order) and from the mocks' state when a run
# ended (``actspec.bdd.scenario.service_state``).


def job_log_says(result: RunResult, job: str, text: str) -> None:
    logs = "".join(leg.text() for leg in result.legs(job))
    assert text in logs, f"the log of `{job}` does not say {text!r}; its last lines:\n" + "\n".join(
        logs.strip().splitlines()[-15:])


def job_log_names(result: RunResult, job: str, words: list[str]) -> None:
    """The log of ``job`` names each of ``words`` (the tag, the branch the rule requires):
    the job refused for the reason the scenario is about, in whatever words the repository
    chose for its error."""
    logs = "".join(leg.text() for leg in result.legs(job))
    missing = [w for w in words if w not in logs]
    assert not missing, f"the log of `{job}` does not name {', '.join(missing)}; its last lines:\n" + "\n".join(
        logs.strip().splitlines()[-15:])


def job_outputs(result: RunResult, job: str, expected: dict[str, str]) -> None:
    actual = result.outputs(job)
    wrong = {k: actual.get(k) for k, v in expected.items() if actual.get(k) != v}
    assert not wrong, f"`{job}` outputs {wrong} where {({k: expected[k] for k in wrong})} was expected (all: {actual})"


def _the_release(github_state: dict, tag: str) -> Release:
    rels = releases(github_state, tag)
    assert rels, f"no release for {tag}"
    return rels[0]


RELEASE_PLATFORMS = ("the document (\"Release Workflow\"): the release is built for 3 platforms, "
                     "linux x64/arm64 and macos arm64")
# A row of a release's asset table: "the CLI for <platform>", "<file glob> for <platform>" or "<file glob>".
ASSET_ROW = re.compile(r"^(?:the CLI|(?P<glob>\S+)) for (?P<platform>\S+ \S+)$")


def wheel_platform(filename: str) -> Platform | None:
    """The platform a wheel's platform tags name (``manylinux_2_28_aarch64`` is linux arm64);
    None for a pure-Python wheel.  Raises ``ValueError`` for a name that is no wheel's."""
    tags = {t.platform for t in parse_wheel_filename(filename)[3]}
    return None if tags == {"any"} else platforms.spelled(".".join(sorted(tags)))


def asset_kind(asset: Asset) -> tuple[str, Platform | None]:
    """What a release asset is, from its contents and the packaging rules, never from one
    repository's naming: ``program`` (an executable, with the platform its header names),
    ``wheel`` (with the platform of its tags; None for a pure-Python wheel), ``sdist``, or
    ``other`` (checksums, notes: files the document does not name)."""
    program = platforms.of_program(asset.data)
    if program is not None:
        return "program", program
    try:
        if asset.name.endswith(".whl"):
            return "wheel", wheel_platform(asset.name)
        if asset.name.endswith(".tar.gz"):
            parse_sdist_filename(asset.name)
            return "sdist", None
    except ValueError:
        pass
    return "other", None


def _row_matches(row: str, asset: Asset) -> bool:
    kind, platform = asset_kind(asset)
    m = ASSET_ROW.match(row)
    if m is None:
        return kind in ("wheel", "sdist") and fnmatch.fnmatchcase(asset.name, row)
    wanted = platforms.spelled(m["platform"])
    if m["glob"] is None:
        return kind == "program" and platform == wanted
    return kind == "wheel" and platform == wanted and fnmatch.fnmatchcase(asset.name, m["glob"])


def draft_release_with(github_state: dict, tag: str, rows: list[str]) -> None:
    """Exactly one release for ``tag``, a draft, whose programs, wheels and sdists are exactly
    ``rows``, one asset each: ``the CLI for linux x64`` (an executable for that platform, by its
    header), ``coglet-0.17.0-cp310-abi3-*.whl for macos arm64`` (a wheel of that name whose
    platform tag is that platform's), ``cog-0.17.0.tar.gz``.  Other files (a checksums list)
    are not the document's and are not judged."""
    rels = releases(github_state, tag)
    others = [f"{r.tag_name} (draft={r.draft})" for r in releases(github_state) if r.tag_name != tag]
    assert rels, f"no release for {tag}; releases: {others or 'none'}"
    assert len(rels) == 1, f"{len(rels)} releases for {tag}, expected one draft: {[(r.id, r.draft) for r in rels]}"
    rel = rels[0]
    assert rel.draft, f"the release {tag} is not a draft: it was published"
    for row in rows:
        if (m := ASSET_ROW.match(row)) is not None and platforms.spelled(m["platform"]) is None:
            raise AssertionError(f"the asset row {row!r} names no platform (linux x64, linux arm64, macos arm64)")
    attached = [f"{a.name} ({kind}{' for ' + str(p) if p else ''})" for a in rel.assets for kind, p in [asset_kind(a)]]
    unmatched = [row for row in rows if sum(_row_matches(row, a) for a in rel.assets) != 1]
    extra = [a.name for a in rel.assets if asset_kind(a)[0] != "other" and not any(_row_matches(r, a) for r in rows)]
    assert not unmatched and not extra, (
        f"draft {tag}: no single asset for {unmatched or 'none'}; programs, wheels or sdists no row names: "
        f"{extra or 'none'}; attached: {', '.join(sorted(attached))}; {RELEASE_PLATFORMS}, the CLI by goreleaser, "
        "then the wheels")


def cli_program(github_state: dict, tag: str, platform: str) -> str:
    """The name of the release's one CLI program for ``platform`` (``linux x64``), found by its
    executable header, whatever the repository called it."""
    wanted = platforms.spelled(platform)
    assert wanted is not None, f"{platform!r} names no platform"
    rel = _the_release(github_state, tag)
    found = [a.name for a in rel.assets if asset_kind(a) == ("program", wanted)]
    assert len(found) == 1, (
        f"release {tag} should hold one CLI program for {wanted}; it holds {found or 'none'} "
        f"(its assets: {rel.asset_names()}); {RELEASE_PLATFORMS}")
    return found[0]


def legs_per_platform(result: RunResult, job: str, axis: str, expected: list[str]) -> None:
    """One leg of ``job`` per platform of ``expected`` (the document's words: ``linux x64``),
    read from the matrix axis ``axis`` (binding ``matrix_axes.platform``) however the
    repository spells each platform there (``linux-x64``, ``x86_64-unknown-linux-gnu``)."""
    values = matrix_values(result, job, axis)
    if "None" in values:
        raise AssertionError(f"`{job}` should run one leg per platform of the release" + _axes_hint(result, job, axis))
    want = sorted(str(p) for p in map(platforms.spelled, expected) if p is not None)
    got = sorted(str(p) if p else f"{v!r} (no platform)" for v, p in ((v, platforms.spelled(v)) for v in values))
    assert len(want) == len(expected) and got == want, (
        f"`{job}` should run one leg per platform {', '.join(want)}; its legs ran for the `{axis}` values "
        f"{values or 'none'} ({', '.join(got) or 'none'}); {RELEASE_PLATFORMS}")


def release_prerelease_flag(github_state: dict, tag: str, expected: bool) -> None:
    rels = releases(github_state, tag)
    assert rels, f"no release for {tag}"
    assert all(r.prerelease == expected for r in rels), (
        f"release {tag} is marked prerelease={rels[0].prerelease}, expected {expected}")


def no_release(github_state: dict, result: RunResult) -> None:
    rels = [f"{r.tag_name} (draft={r.draft})" for r in releases(github_state)]
    assert not rels, f"releases exist: {rels}"
    writes = [f"{e.kind} {e.subject}" for e in select(result.ledger, "release.") if e.ok]
    assert not writes, f"the run changed releases: {writes}"


def nothing_built(result: RunResult) -> None:
    ups = [f"{e.subject} by {e.job}" for e in select(result.ledger, "artifact.upload", ok=True)]
    assert not ups, f"artifacts were uploaded: {ups}"


def _uploads(result: RunResult, project: str | None = None) -> list[Entry]:
    return [e for e in select(result.ledger, "pypi.upload", ok=True)
            if project is None or e.details.get("project") == canonicalize_name(project)]


def pypi_received(result: RunResult, files: list[str]) -> None:
    got = [e.subject for e in _uploads(result) if not e.details.get("noop")]
    missing = [f for f in files if f not in got]
    assert not missing, f"PyPI did not receive {missing}; it received {got or 'nothing'}"


def pypi_received_for_platforms(result: RunResult, pattern: str, expected: list[str]) -> None:
    """PyPI received one wheel named like ``pattern`` (``coglet-0.17.0-cp310-abi3-*.whl``) for
    each platform of ``expected`` (``linux x64``), told by its platform tags, not its spelling."""
    got = [e.subject for e in _uploads(result) if not e.details.get("noop")]
    wheels = [(f, wheel_platform(f)) for f in got if f.endswith(".whl") and fnmatch.fnmatchcase(f, pattern)]
    missing = [p for p in expected if sum(found == platforms.spelled(p) for _, found in wheels) != 1]
    assert not missing, (f"PyPI should receive one {pattern} for each of {', '.join(expected)}; none or several for "
                         f"{', '.join(missing)}; it received {got or 'nothing'}; {RELEASE_PLATFORMS}")


def pypi_received_nothing_of(result: RunResult, project: str) -> None:
    got = [e.subject for e in _uploads(result, project)]
    assert not got, f"PyPI received files of {project}: {got}"


def pypi_refused(result: RunResult, project: str, message: str) -> None:
    refused = [e for e in select(result.ledger, "pypi.upload", ok=False)
               if e.details.get("project") == canonicalize_name(project)]
    assert refused, f"PyPI refused no upload of {project}"
    assert any(message in str(e.details.get("message", "")) for e in refused), (
        f"PyPI refused {project} with {[e.details.get('message') for e in refused]}, not {message!r}")


def reached_pypi_before(result: RunResult, first: str, second: str) -> None:
    a, b = _uploads(result, first), _uploads(result, second)
    assert a, f"{first} never reached PyPI"
    assert b, f"{second} never reached PyPI"
    last_a = max(e.seq for e in a)
    first_b = min(e.seq for e in b)
    assert last_a < first_b, (
        f"{second} reached PyPI ({', '.join(e.subject for e in b)}) before every file of {first} had "
        f"({', '.join(e.subject for e in a)}): ledger order {[(e.seq, e.subject) for e in a + b]}")


def crates_received(result: RunResult, crate_at_version: str) -> None:
    got = [e.subject for e in select(result.ledger, "crates.publish", ok=True)]
    assert crate_at_version in got, f"crates.io did not receive {crate_at_version}; it received {got or 'nothing'}"


def uploads_trusted(result: RunResult, workflow: Workflow, workflow_file: str) -> None:
    """Every upload used a token minted by trusted publishing for a token of ``workflow_file``,
    exchanged by a job of that workflow in the environment the job declares; no API token."""
    pypi = _uploads(result)
    crates = select(result.ledger, "crates.publish", ok=True)
    assert pypi or crates, "nothing was uploaded to PyPI or crates.io"
    exchanges = select(result.ledger, "oidc.exchange", ok=True)
    for e in pypi:
        assert e.details.get("token") == "oidc", f"{e.subject} was uploaded with a {e.details.get('token')} token"
    for e in crates:
        assert e.details.get("token") == "trustpub", f"{e.subject} was published with a {e.details.get('token')} token"
    for registry, ups in (("pypi", pypi), ("crates", crates)):
        if not ups:
            continue
        minted = [x for x in exchanges if x.details.get("registry") == registry]
        assert minted, f"uploads reached {registry} but no trusted-publishing exchange happened there"
        for x in minted:
            claims = x.details.get("claims") or {}
            ref = str(claims.get("job_workflow_ref") or claims.get("workflow_ref") or "")
            assert f"/.github/workflows/{workflow_file}@" in ref, (
                f"{registry} token for `{x.job}` was minted for {ref!r}, not {workflow_file}")
            job_env = workflow.job(x.job).environment if x.job in workflow.jobs else None
            assert job_env and claims.get("environment") == job_env, (
                f"{registry} token for `{x.job}` carries environment {claims.get('environment')!r}; "
                f"the job declares {job_env!r}")
    for e in pypi:
        assert any(x.job == e.job and x.details.get("registry") == "pypi" for x in exchanges), (
            f"{e.subject} was uploaded by `{e.job}`, which minted no PyPI token")


def _pypi_file(pypi_state: dict, project: str, version: str, suffix: str) -> DistFile:
    for f in dist_files(pypi_state, project):
        if Version(f.version) == Version(version) and f.filename.endswith(suffix):
            return f
    raise AssertionError(f"PyPI has no {suffix} of {project} {version}; it has: "
                         f"{sorted(f.filename for f in dist_files(pypi_state))}")


def extra_requires(pypi_state: dict, project: str, version: str, extra: str, requirement: str) -> None:
    """The wheel's METADATA on the index makes ``project[extra]`` require ``requirement``."""
    wheel = _pypi_file(pypi_state, project, version, ".whl")
    meta = BytesParser().parsebytes(wheel.metadata or b"")
    reqs = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
    for_extra = [r for r in reqs if r.marker is not None and r.marker.evaluate({"extra": extra})
                 and not r.marker.evaluate({"extra": ""})]
    want = Requirement(requirement)
    assert extra in (meta.get_all("Provides-Extra") or []), f"{wheel.filename} does not provide the extra {extra!r}"
    assert any(r.name == want.name and r.specifier == want.specifier for r in for_extra), (
        f"{project}[{extra}] requires {[str(r) for r in for_extra] or 'nothing'}, expected {requirement}")


def cli_reports(output: str, tag: str, asset: str, expected: str) -> None:
    """``output`` of the release's CLI asked for its version names version ``expected``."""
    assert output.startswith(f"cog version {expected} ") or output == f"cog version {expected}", (
        f"{asset} of {tag} reports {output!r}, expected version {expected}")


def release_versions(github_state: dict, tag: str, pep440: str) -> list[str]:
    """Every wheel and sdist attached to ``tag`` carries ``pep440`` (PEP 440 spelling)."""
    seen = []
    for name in _the_release(github_state, tag).asset_names():
        if name.endswith(".whl"):
            version = parse_wheel_filename(name)[1]
        elif name.endswith(".tar.gz"):
            version = parse_sdist_filename(name)[1]
        else:
            continue
        assert str(version) == pep440 and name.count(pep440) == 1, f"{name} is not of version {pep440}"
        assert Version(pep440) == version
        seen.append(name)
    assert seen, f"release {tag} has no wheel or sdist"
    return seen


def pypi_versions(pypi_state: dict, expected: dict[str, str]) -> None:
    have: dict[str, set[str]] = {}
    for f in dist_files(pypi_state):
        have.setdefault(f.project, set()).add(f.version)
    for project, version in expected.items():
        got = have.get(canonicalize_name(project), set())
        assert got == {version}, f"PyPI has {project} {sorted(got) or 'nothing'}, expected exactly {version}"


def tag_filter_matches(workflow: Workflow, tags: list[str], expected: bool) -> None:
    """Whether a push of each tag passes the workflow's ``on.push`` branch and tag filters."""
    push = workflow.on.get("push")
    assert isinstance(push, dict) and push.get("tags"), f"{workflow.path.name} declares no `on.push.tags` filter"
    for tag in tags:
        matched = filters.push_triggers(push, f"refs/tags/{tag}")
        assert matched == expected, (
            f"the tag filter {push['tags']} {'matches' if matched else 'does not match'} {tag!r}")


def declares_release_types(workflow: Workflow, types: list[str]) -> None:
    rel = workflow.on.get("release")
    assert isinstance(rel, dict) and rel.get("types"), f"{workflow.path.name} has no `on.release.types` filter"
    assert sorted(map(str, rel["types"])) == sorted(types), (
        f"{workflow.path.name}: `on.release.types` is {rel['types']}, expected {types}")


def only_trigger(workflow: Workflow, event: str) -> None:
    assert list(workflow.on) == [event], f"{workflow.path.name} is triggered by {list(workflow.on)}, not only {event}"


# "SDK Wheel Sourcing": the table's rows, as the binding's wheel-sourcing workflow reports them
# (docs/binding.md, `workflows`): one line `wheel-source {...}` per row.
WHEEL_SOURCE_MARK = "wheel-source "
# The table's Behavior column, by the row's value (and, when unset, the CLI).
WHEEL_SOURCING_RULES = {
    ("released", "(unset)"): "Released CLI: Install `cog==<version>` from PyPI",
    ("dev", "(unset)"): "Dev CLI (in repo): Auto-detect `dist/cog-*.whl` if present, else PyPI",
    "pypi": "Force PyPI: Install latest from PyPI",
    "pypi:0.12.0": "Specific version: Install `cog==0.12.0` from PyPI",
    "a local wheel file": "Local wheel: Install from local file",
    "dist": "Force dist: Install from `dist/` (error if missing)",
}


def _sourcing_rule(cli: str, variable: str, value: str) -> str:
    """The document's row for this situation, as the failure message states it."""
    rule = WHEEL_SOURCING_RULES.get(value) or WHEEL_SOURCING_RULES.get((cli, value), "")
    coglet = "; \"Same pattern for COGLET_WHEEL (but coglet is optional by default)\"" if variable == "COGLET_WHEEL" else ""
    return f"the document (\"SDK Wheel Sourcing\"): {rule}{coglet}"
_ANSWER_KEYS = {"cli": ("dev", "released"), "dist": ("a wheel", "no wheel"), "variable": ("COG_WHEEL", "COGLET_WHEEL"),
                "value": None, "source": ("pypi", "file", "none", "error")}


@dataclass(frozen=True)
class WheelSourceAnswer:
    """One row of "SDK Wheel Sourcing" as the repository's CLI answered it: which CLI (``dev``,
    ``released``), whether dist/ held a wheel, the variable and the row's value (``(unset)``,
    ``pypi``, ``pypi:0.12.0``, ``a local wheel file``, ``dist``), ``setting`` (what the variable
    was set to: the local wheel's path), and the answer: ``source`` with the requirement
    (``spec``), the file (``path``) or the CLI's ``error`` and ``exit`` status."""

    cli: str
    dist: str
    variable: str
    value: str
    source: str
    setting: str = ""
    spec: str = ""
    path: str = ""
    error: str = ""
    exit: int = 0


def _answer(workflow: str, line: str) -> WheelSourceAnswer:
    """A ``wheel-source {...}`` line -> its answer; a line that breaks the format is one message
    naming what it lacks, so a repository's reporting workflow is fixed from the message."""
    def bad(problem: str) -> str:
        return (f"{workflow}: a wheel-source line {problem}: {line.strip()!r}; "
                "its format is in docs/binding.md (`workflows`, wheel-sourcing)")

    try:
        row = json.loads(line.partition(WHEEL_SOURCE_MARK)[2])
    except json.JSONDecodeError as exc:
        raise AssertionError(bad(f"is not JSON ({exc})")) from None
    assert isinstance(row, dict), bad("is not a JSON object")
    for key, allowed in _ANSWER_KEYS.items():
        assert isinstance(row.get(key), str), bad(f"has no {key!r}")
        assert allowed is None or row[key] in allowed, bad(f"has {key!r} {row[key]!r}, not one of {', '.join(allowed)}")
    fields = {k: row[k] for k in ("setting", "spec", "path", "error") if isinstance(row.get(k), str)}
    needed = {"pypi": "spec", "file": "path", "error": "error"}.get(row["source"])
    assert needed is None or needed in fields, bad(f"of source {row['source']} has no {needed!r}")
    assert row["value"] != "a local wheel file" or fields.get("setting"), bad("of a local wheel has no 'setting'")
    return WheelSourceAnswer(**{k: row[k] for k in _ANSWER_KEYS}, **fields, exit=int(row.get("exit") or 0))


def wheel_sources(result: RunResult) -> list[WheelSourceAnswer]:
    """The answers the jobs of the wheel-sourcing run printed."""
    rows = [_answer(result.spec.workflow, line) for job in result.job_ids() for leg in result.legs(job)
            for line in leg.text().splitlines() if WHEEL_SOURCE_MARK + "{" in line]
    assert rows, f"no job of {result.spec.workflow} printed a `{WHEEL_SOURCE_MARK}{{...}}` line (docs/binding.md)"
    return rows


def wheel_source(result: RunResult, *, cli: str, dist: str, variable: str, value: str,
                 source: str, installs: str, version: str) -> None:
    """One row of the "SDK Wheel Sourcing" table, as the CLI resolved it in the run.  In
    ``installs``, ``VERSION`` is the repository's version (``version``, crates/Cargo.toml's, in
    its PEP 440 spelling); a file is the document's pattern (``dist/cog-*.whl``) or ``the local
    wheel file`` (the file the variable named); ``an error`` is a refusal (exit status and message)."""
    rows = [r for r in wheel_sources(result) if (r.cli, r.dist, r.variable, r.value) == (cli, dist, variable, value)]
    assert len(rows) == 1, f"{result.spec.workflow} reported {len(rows)} answers for {cli} CLI, {dist}, {variable}={value}"
    row = rows[0]
    where = f"a {cli} CLI with {dist} in dist/ and {variable} {value}"
    expected = installs.replace("VERSION", str(Version(version)))
    rule = _sourcing_rule(cli, variable, value)
    assert row.source == source, f"{where}: source is {row.source} ({row}), expected {source}; {rule}"
    if source == "pypi":
        assert row.spec == expected, f"{where}: installs {row.spec!r} from PyPI, expected {expected!r}; {rule}"
    elif source == "file" and installs == "the local wheel file":
        assert row.path == row.setting, f"{where}: installs {row.path!r}, not the local wheel {row.setting!r}; {rule}"
    elif source == "file":
        folder, _, pattern = expected.rpartition("/")
        parent, _, name = row.path.rpartition("/")
        assert ("/" + parent).endswith("/" + folder) and fnmatch.fnmatchcase(name, pattern), (
            f"{where}: installs {row.path!r}, expected {expected}; {rule}")
    elif source == "none":
        assert installs == "nothing" and not row.spec, f"{where}: installs {row.spec!r}, expected nothing"
    elif source == "error":  # "error if missing": the document says that it fails, not in which words
        assert row.exit != 0 and row.error, (
            f"{where}: the CLI answered exit {row.exit} {row.error!r}, expected it to fail with a message; "
            f"{rule}")


def only_jobs_grant(workflow: Workflow, scope: str, jobs: list[str]) -> None:
    """Exactly ``jobs`` get ``<scope>: write`` on their GITHUB_TOKEN (static)."""
    granted = sorted(j for j in workflow.jobs if workflow.grants(j, scope))
    assert granted == sorted(jobs), (
        f"{workflow.path.name}: the jobs with `{scope}: write` are {granted or 'none'}, expected {sorted(jobs) or 'none'}")


def secrets_used(workflow: Workflow) -> list[str]:
    return sorted(set(re.findall(r"secrets\.([A-Za-z_][A-Za-z0-9_]*)", workflow.path.read_text())))


def deploys_to(workflow: Workflow, jobs: list[str], environment: str) -> None:
    wrong = {j: workflow.job(j).environment for j in jobs if workflow.job(j).environment != environment}
    assert not wrong, f"{workflow.path.name}: these jobs do not deploy to {environment!r}: {wrong}"


def token_granted(answer: TokenAnswer) -> None:
    assert answer.granted, f"the upload token was refused by {answer.refused_by}: {answer.message}"


def token_refused(answer: TokenAnswer, who: str, text: str) -> None:
    """Refused by ``who`` (``GitHub``, ``PyPI``, ``crates.io``) with a message containing ``text``."""
    assert not answer.granted, f"the upload token was granted; {who} should have refused it"
    expected = {"GitHub": "GitHub", "PyPI": "pypi", "crates.io": "crates"}[who]
    assert answer.refused_by == expected and text in answer.message, (
        f"refused by {answer.refused_by} with {answer.message!r}, expected {who} saying {text!r}")


def pip_installed(install: PipInstall, versions: dict[str, str]) -> None:
    """pip installed each distribution at its version, and each imports with that ``__version__``."""
    assert install.ok, f"pip install from the mock PyPI failed:\n{install.output}"
    got = {name: install.installed.get(name) for name in versions}
    assert got == versions, f"pip installed {install.installed}, expected {versions}"
    assert install.imported == versions, (
        f"the installed packages do not import with their versions: {install.imported or install.import_error}")


def no_secret_but_github_token(workflow: Workflow) -> None:
    used = secrets_used(workflow)
    assert used in ([], ["GITHUB_TOKEN"]), f"{workflow.path.name} uses the secrets {used}"


# -- the release scenarios' own shape, and the binding's release settings ---------------------


def publishing_a_draft(spec: RunSpec | None) -> RunSpec:
    """The scenario's run is release-publish after a draft; else one line saying how to name it."""
    assert spec is not None and spec.event == "release", (
        "name the draft first: `Given the draft release <tag> that release-build made from ...`")
    return spec


def build_behind(spec: RunSpec | None) -> RunSpec:
    """The release-build run behind a scenario: its own, or the one a publish follows."""
    assert spec is not None, "no run to look at: start the scenario with `Given the <role> workflow`"
    return spec.after if spec.event == "release" and spec.after is not None else spec


def every_job_succeeds(result: RunResult) -> None:
    for job in result.job_ids():
        job_result(result, job, "success")


def environment_restricted_to(binding: Binding, environment: str, patterns: list[str]) -> None:
    """The binding's deployment environment allows exactly these tag/branch patterns."""
    rules = binding.environments.get(environment)
    assert rules is not None, f"the binding declares no environment {environment!r}"
    expected = deployment_rules(tags=patterns)
    assert sorted(rules) == sorted(expected), f"environment {environment} allows {rules}, expected {expected}"


def trusted_publishers(binding: Binding, registry: str, workflow: str, environment: str, projects: list[str]) -> None:
    """``registry`` trusts exactly ``workflow`` in ``environment`` for each of ``projects``, and no other project."""
    table = binding.trusted_publishers.get(registry) or {}
    assert sorted(table) == sorted(projects), (
        f"{registry} has trusted publishers for {sorted(table)}, expected {projects}")
    for project in projects:
        entries = table[project] if isinstance(table[project], list) else [table[project]]
        pairs = [(str(e.get("workflow")), e.get("environment")) for e in entries]
        assert pairs == [(workflow, environment)], f"{registry} {project}: trusted publishers {pairs}"
