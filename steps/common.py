"""Steps shared by every feature: choosing the workflow, the event, the change, and running it."""

from __future__ import annotations

from typing import Iterator

import pytest
from pytest_bdd import given, parsers, then, when

from actspec.bdd import checks
from actspec.bdd.phrases import job_result, split_names
from actspec.bdd.pytest_plugin import record_runs
from actspec.bdd.scenario import World
from actspec.bdd.session import Session


@pytest.fixture
def world(actspec: Session, request: pytest.FixtureRequest) -> Iterator[World]:
    w = World(actspec)
    yield w
    record_runs(request.node, w.runs)


@given(parsers.parse("the {role} workflow"))
def _workflow(world: World, role: str) -> None:
    world.use_workflow(role.lower())


@given(parsers.parse("a pull request to {base} that changes {what}"), converters={"what": split_names})
def _pull_request(world: World, base: str, what: list[str]) -> None:
    world.event("pull_request", branch="change-under-test", base=base)
    world.change(*what)


@given(parsers.re(r"a pull request to (?P<base>\S+) whose only change is `(?P<path>[^`]+)`$"))
def _pull_request_path(world: World, base: str, path: str) -> None:
    world.event("pull_request", branch="change-under-test", base=base)
    world.change_only(path)


@given(parsers.parse("an earlier push to {branch} that changed {what}"), converters={"what": split_names})
def _after_push(world: World, branch: str, what: list[str]) -> None:
    world.after_push(branch, *what)


@given(parsers.parse("a push to {branch} that changes {what}"), converters={"what": split_names})
def _push(world: World, branch: str, what: list[str]) -> None:
    world.event("push", branch=branch)
    world.change(*what)


@given("a scheduled run")
def _scheduled(world: World) -> None:
    world.event("schedule")


@given("a manual run")
def _manual(world: World) -> None:
    world.event("workflow_dispatch")


@given(parsers.re(r"the job `(?P<job>[^`]+)` fails"))
def _inject_failure(world: World, job: str) -> None:
    world.fail(job)


@given(parsers.re(r"the run is cancelled while `(?P<job>[^`]+)` runs"))
def _cancel(world: World, job: str) -> None:
    world.cancel_during(job)


@given(parsers.re(r"every job other than (?P<keep>`.+) is stubbed to succeed"), converters={"keep": split_names})
def _stub(world: World, keep: list[str]) -> None:
    world.stub_all_but(keep)


@given(parsers.parse("the pull request sets {name} to '{value}'"))
def _set_env(world: World, name: str, value: str) -> None:
    world.set_workflow_env(name, value)


@when("only the change detection runs")
def _detection_runs(world: World) -> None:
    world.run_change_detection()


@when("the workflow runs")
def _runs(world: World) -> None:
    world.run()


@then(parsers.parse("only these jobs run: {jobs}"), converters={"jobs": split_names})
def _only(world: World, jobs: list[str]) -> None:
    checks.ran_exactly(world.result, world.known_jobs(jobs), world.session.binding.extra_jobs,
                       rule=checks.PATH_FILTERING)


@then(parsers.parse("these jobs are skipped: {jobs}"), converters={"jobs": split_names})
def _skipped(world: World, jobs: list[str]) -> None:
    checks.skipped(world.result, world.known_jobs(jobs))


@then("no job runs")
def _none_runs(world: World) -> None:
    checks.ran_exactly(world.result, [], rule=checks.TRIGGERS)


@then(parsers.re(r"`(?P<job>[^`]+)` (?P<outcome>succeeds|fails|is skipped|is cancelled)$"),
      converters={"outcome": job_result})
def _outcome(world: World, job: str, outcome: str) -> None:
    checks.job_result(world.result, world.known_jobs([job])[0], outcome)


@then(parsers.re(r"`(?P<job>[^`]+)` runs$"))
def _runs_job(world: World, job: str) -> None:
    checks.ran(world.result, world.known_jobs([job]))


@then(parsers.re(r"every leg of `(?P<job>[^`]+)` (?P<outcome>succeeds|fails)$"), converters={"outcome": job_result})
def _every_leg(world: World, job: str, outcome: str) -> None:
    checks.every_leg(world.result, world.known_jobs([job])[0], outcome)


@then(parsers.re(r"`(?P<job>[^`]+)` runs for (?P<axis>[\w-]+) (?P<values>.+)$"), converters={"values": split_names})
def _matrix(world: World, job: str, axis: str, values: list[str]) -> None:
    checks.matrix_is(world.result, world.known_jobs([job])[0], world.axis(axis), values, axis)


@then(parsers.parse("the workflow declares the trigger {event} for branches {branches}"),
      converters={"branches": split_names})
def _declares(world: World, event: str, branches: list[str]) -> None:
    checks.declares_branches(world.static_workflow(), event, branches)
