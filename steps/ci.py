"""Steps of the CI and CodeQL features."""

from __future__ import annotations

from pytest_bdd import parsers, then

from actspec.bdd import checks
from actspec.bdd.phrases import quoted, split_names
from actspec.bdd.scenario import World


@then(parsers.re(r"`(?P<gate>[^`]+)` needs every other job"))
def _gate_needs_all(world: World, gate: str) -> None:
    checks.gate_covers_every_job(world.static_workflow(), world.known_jobs([gate])[0])


@then(parsers.re(r"`(?P<gate>[^`]+)` fails by its own check of the jobs it needs"))
def _gate_own_check(world: World, gate: str) -> None:
    checks.fails_by_its_steps(world.result, world.known_jobs([gate])[0])


@then(parsers.re(r"`(?P<job>[^`]+)` needs (?P<upstream>`.+)$"), converters={"upstream": split_names})
def _needs(world: World, job: str, upstream: list[str]) -> None:
    checks.declares_needs(world.static_workflow(), world.known_jobs([job])[0], world.known_jobs(upstream))


@then(parsers.re(r"`(?P<job>[^`]+)` started after (?P<upstream>`.+) finished"), converters={"upstream": split_names})
def _after(world: World, job: str, upstream: list[str]) -> None:
    checks.started_after(world.result, world.known_jobs([job])[0], world.known_jobs(upstream))


@then(parsers.parse("the workflow has the jobs {jobs}"), converters={"jobs": split_names})
def _has_jobs(world: World, jobs: list[str]) -> None:
    world.known_jobs(jobs)


@then(parsers.re(r'"(?P<artifact>[^"]+)" is uploaded exactly once, by `(?P<job>[^`]+)`'))
def _uploaded_once(world: World, artifact: str, job: str) -> None:
    checks.uploaded_once_by(world.result, artifact, world.known_jobs([job])[0])


@then(parsers.re(r'"(?P<artifact>[^"]+)" holds files matching (?P<patterns>".+)$'), converters={"patterns": quoted})
def _holds(world: World, artifact: str, patterns: list[str]) -> None:
    checks.artifact_holds(world.result, artifact, patterns)


@then(parsers.re(r'every leg of `(?P<job>[^`]+)` downloads "(?P<artifact>[^"]+)" with the bytes that were uploaded'))
def _downloads(world: World, job: str, artifact: str) -> None:
    checks.downloaded_by_every_leg(world.result, artifact, world.known_jobs([job])[0])


@then(parsers.re(r'the (?P<term>[\w-]+)=(?P<value>[\w.-]+) leg of `(?P<job>[^`]+)` downloads "(?P<artifact>[^"]+)" with the bytes that were uploaded'))
def _leg_downloads(world: World, term: str, value: str, job: str, artifact: str) -> None:
    checks.downloaded_by_every_leg(world.result, artifact, world.known_jobs([job])[0], only_leg=(world.axis(term), value))


@then(parsers.re(r"`(?P<job>[^`]+)` runs no build step"))
def _no_build(world: World, job: str) -> None:
    checks.runs_no_build(world.result, world.known_jobs([job])[0])


@then(parsers.re(r"the legs of `(?P<job>[^`]+)` cover every version in (?P<var>\w+)"))
def _cover_env(world: World, job: str, var: str) -> None:
    checks.matrix_is(world.result, world.known_jobs([job])[0], world.axis("python"), world.workflow_env_list(var),
                     "python")


@then(parsers.re(r"`(?P<job>[^`]+)` runs one leg on each of (?P<families>.+)$"))
def _os_legs(world: World, job: str, families: str) -> None:
    checks.os_families(world.result, world.known_jobs([job])[0], world.axis("os"), split_names(families))


@then("the workflow runs on every pull request, whatever its base branch")
def _every_pull_request(world: World) -> None:
    checks.runs_on_every_pull_request(world.static_workflow())


@then(parsers.re(r"neither `(?P<job_a>[^`]+)` nor `(?P<job_b>[^`]+)` depends on the other"))
def _independent(world: World, job_a: str, job_b: str) -> None:
    checks.independent(world.static_workflow(), *world.known_jobs([job_a, job_b]))


@then(parsers.re(r"`(?P<job_a>[^`]+)` and `(?P<job_b>[^`]+)` ran at the same time"))
def _overlap(world: World, job_a: str, job_b: str) -> None:
    checks.overlap(world.result, *world.known_jobs([job_a, job_b]))


@then(parsers.re(r"the legs of `(?P<job>[^`]+)` ran at the same time"))
def _legs_overlap(world: World, job: str) -> None:
    checks.legs_overlap(world.result, world.known_jobs([job])[0])


@then(parsers.re(r'(?P<jobs>`.+) restores? the Rust cache for the workspace "(?P<workspace>[^"]+)"'),
      converters={"jobs": split_names})
def _rust_restore(world: World, jobs: list[str], workspace: str) -> None:
    checks.rust_cache_restored(world.result, world.known_jobs(jobs), workspace)


@then(parsers.parse('no job saves the Rust cache of the workspace "{workspace}"'))
def _rust_no_save(world: World, workspace: str) -> None:
    checks.rust_cache_saves(world.result, workspace, expect_saved=False)


@then(parsers.parse('the Rust cache of the workspace "{workspace}" is saved'))
def _rust_save(world: World, workspace: str) -> None:
    checks.rust_cache_saves(world.result, workspace, expect_saved=True)


@then(parsers.re(r"(?P<jobs>`.+) restores? the (?:Rust|Go) cache that the push to (?P<branch>\S+) saved, with its files"),
      converters={"jobs": split_names})
def _cache_reused(world: World, jobs: list[str], branch: str) -> None:
    checks.cache_reused(world.result, world.earlier_result(), world.known_jobs(jobs), branch)


@then(parsers.re(r"every job that sets up uv restores the uv cache that the push to (?P<branch>\S+) saved, with its files"))
def _uv_cache_reused(world: World, branch: str) -> None:
    checks.uv_cache_reused(world.result, world.earlier_result(), branch)


@then("every job that sets up uv keeps setup-uv's cache on")
def _uv_cache(world: World) -> None:
    checks.setup_uv_cache(world.result)


@then("every job that sets up Go asks setup-go for a cache keyed on a dependency file")
def _go_cache(world: World) -> None:
    checks.setup_go_cache(world.result)


@then(parsers.parse('the repository has no workflow file "{name}"'))
def _no_workflow(world: World, name: str) -> None:
    checks.no_workflow_file(world.session.binding.root, name)


@then("the workflow declares a weekly schedule")
def _weekly(world: World) -> None:
    checks.weekly_schedule(world.static_workflow())


@then(parsers.parse("CodeQL was initialised for {languages}"), converters={"languages": split_names})
def _codeql(world: World, languages: list[str]) -> None:
    checks.codeql_languages(world.result, languages)


@then(parsers.re(r"the change detection counts `(?P<path>[^`]+)` as a change to (?P<component>[\w-]+)$"))
def _counts_as_change(world: World, component: str, path: str) -> None:
    checks.counts_as_change(world.result, component, path)
