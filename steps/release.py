"""Steps of the release features (features/release/): thin wrappers over
:mod:`actspec.bdd.scenario` (what to run) and :mod:`actspec.bdd.checks` (what must hold).

A release is two chained runs: ``release-build`` for a tag push, then ``release-publish``
for the ``release`` event that publishing the draft sends.  A publish scenario names the
build it follows ("the draft release v0.17.0 that release-build made from the tip of
main"); that build run is the very one the build scenarios ask for, so it runs once.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from actspec.bdd import checks, probes, scenario
from actspec.bdd.phrases import (
    affirmed,
    environment,
    first_column,
    only_jobs,
    quoted,
    quoted_pairs,
    quoted_versions,
    registry,
    split_names,
)
from actspec.bdd.probes import TokenAnswer
from actspec.bdd.scenario import World

# -- Given ----------------------------------------------------------------------------------


@given(parsers.re(r"the tip of (?P<branch>\S+?)(?: at version (?P<version>\S+))?$"))
def _tip(world: World, branch: str, version: str | None) -> None:
    """"at version X": the tip holds X in Cargo.toml (a commit setting it where it differs)."""
    scenario.commit_on(world, branch, version=version)


@given(parsers.re(r"a commit on (?P<branch>\S+) that changes (?P<what>.+?)(?:, at version (?P<version>\S+))?$"),
       converters={"what": split_names})
def _commit_changes(world: World, branch: str, what: list[str], version: str | None) -> None:
    scenario.commit_on(world, branch, changes=tuple(what), version=version)


@given(parsers.re(r"a commit on (?P<branch>\S+) that sets the version in crates/Cargo\.toml to (?P<version>\S+)$"))
def _commit_version(world: World, branch: str, version: str) -> None:
    scenario.commit_on(world, branch, version=version)


@given(parsers.parse("the tag {tag} is pushed"))
def _tag(world: World, tag: str) -> None:
    scenario.push_tag(world, tag)


@given(parsers.re(r"the draft release (?P<tag>\S+) that release-build made from the tip of (?P<branch>\S+)$"))
def _draft_from_tip(world: World, tag: str, branch: str) -> None:
    scenario.publish_after(world, scenario.release_build_spec(world, tag, branch))


@given(parsers.re(r"the draft release (?P<tag>\S+) that release-build made from a commit on (?P<branch>\S+) "
                  r"setting the version to (?P<version>\S+)$"))
def _draft_from_commit(world: World, tag: str, branch: str, version: str) -> None:
    scenario.publish_after(world, scenario.release_build_spec(world, tag, branch, version))


@given(parsers.parse('PyPI already has "{requirement}"'))
def _pypi_has(world: World, requirement: str) -> None:
    world.seed("pypi", "version", requirement)


# -- When -----------------------------------------------------------------------------------


@when("a maintainer publishes the draft release")
def _publish(world: World) -> None:
    checks.publishing_a_draft(world.spec)
    world.run()


# -- Then: jobs -------------------------------------------------------------------------------


@then("every job succeeds")
def _all_succeed(world: World) -> None:
    checks.every_job_succeeds(world.result)


@then(parsers.re(r'the log of `(?P<job>[^`]+)` says "(?P<text>[^"]+)"'))
def _log_says(world: World, job: str, text: str) -> None:
    checks.job_log_says(world.result, world.known_jobs([job])[0], text)


@then(parsers.re(r'the log of `(?P<job>[^`]+)` names (?P<words>".+)$'), converters={"words": quoted})
def _log_names(world: World, job: str, words: list[str]) -> None:
    checks.job_log_names(world.result, world.known_jobs([job])[0], words)


@then(parsers.re(r"`(?P<job>[^`]+)` outputs (?P<pairs>[\w-]+ \".*)$"), converters={"pairs": quoted_pairs})
def _outputs(world: World, job: str, pairs: dict[str, str]) -> None:
    checks.job_outputs(world.result, world.known_jobs([job])[0], pairs)


@then("nothing is built")
def _nothing_built(world: World) -> None:
    checks.nothing_built(world.result)


# -- Then: the GitHub release -----------------------------------------------------------------


@then("no release is created")
def _no_release(world: World) -> None:
    checks.no_release(scenario.service_state(world, "github"), world.result)


@then(parsers.parse("the draft release {tag} holds exactly these programs, wheels and sdists:"))
def _draft_assets(world: World, tag: str, datatable: list[list[str]]) -> None:
    checks.draft_release_with(scenario.service_state(world, "github"), tag, first_column(datatable))


@then(parsers.re(r"`(?P<job>[^`]+)` runs one leg per platform: (?P<platforms>.+)$"))
def _platform_legs(world: World, job: str, platforms: str) -> None:
    checks.legs_per_platform(world.result, world.known_jobs([job])[0], world.axis("platform"), split_names(platforms))


@then(parsers.re(r"the release (?P<tag>\S+) (?P<marked>is|is not) marked as a pre-release"),
      converters={"marked": affirmed})
def _prerelease(world: World, tag: str, marked: bool) -> None:
    checks.release_prerelease_flag(scenario.service_state(world, "github"), tag, marked)


@then(parsers.re(r"the CLI for (?P<platform>\S+ \S+) of the release (?P<tag>\S+) reports version (?P<version>\S+)$"))
def _cli_version(world: World, platform: str, tag: str, version: str) -> None:
    github = scenario.service_state(world, "github", checks.build_behind(world.spec))
    asset = checks.cli_program(github, tag, platform)
    checks.cli_reports(probes.release_binary_output(world.session, github, tag, asset, "version"), tag, asset, version)


@then(parsers.re(r"every wheel and sdist of the release (?P<tag>\S+) has version (?P<version>\S+)$"))
def _release_versions(world: World, tag: str, version: str) -> None:
    checks.release_versions(scenario.service_state(world, "github", checks.build_behind(world.spec)), tag, version)


# -- Then: registries -------------------------------------------------------------------------


@then(parsers.re(r'PyPI receives one "(?P<pattern>[^"]+)" for each of (?P<platforms>.+)$'), converters={"platforms": split_names})
def _pypi_receives_platforms(world: World, pattern: str, platforms: list[str]) -> None:
    checks.pypi_received_for_platforms(world.result, pattern, platforms)


@then(parsers.re(r"PyPI receives (?P<files>\".+)$"), converters={"files": quoted})
def _pypi_receives(world: World, files: list[str]) -> None:
    checks.pypi_received(world.result, files)


@then(parsers.parse('PyPI receives no file of "{project}"'))
def _pypi_nothing(world: World, project: str) -> None:
    checks.pypi_received_nothing_of(world.result, project)


@then(parsers.parse('PyPI refuses "{project}" with "{message}"'))
def _pypi_refuses(world: World, project: str, message: str) -> None:
    checks.pypi_refused(world.result, project, message)


@then(parsers.parse('"{first}" reaches PyPI before "{second}"'))
def _before(world: World, first: str, second: str) -> None:
    checks.reached_pypi_before(world.result, first, second)


@then(parsers.parse('crates.io receives "{crate}"'))
def _crates(world: World, crate: str) -> None:
    checks.crates_received(world.result, crate)


@then(parsers.parse('every upload was authorised by a token minted for "{workflow}" in its job\'s environment'))
def _trusted(world: World, workflow: str) -> None:
    checks.uploads_trusted(world.result, world.static_workflow(), workflow)


@then(parsers.re(r"PyPI holds exactly (?P<versions>.+)$"), converters={"versions": quoted_versions})
def _pypi_holds(world: World, versions: dict[str, str]) -> None:
    checks.pypi_versions(scenario.service_state(world, "pypi"), versions)


@then(parsers.parse('the published "{project}" {version} requires "{requirement}" for its extra "{extra}"'))
def _extra(world: World, project: str, version: str, requirement: str, extra: str) -> None:
    checks.extra_requires(scenario.service_state(world, "pypi"), project, version, extra, requirement)


@then(parsers.parse('"{requirement}" installs with pip from that PyPI, with cog {cog} and coglet {coglet}'))
def _pip(world: World, requirement: str, cog: str, coglet: str) -> None:
    versions = {"cog": cog, "coglet": coglet}
    checks.pip_installed(probes.pip_install(world.session, world.result.spec, requirement, tuple(versions)), versions)


# -- SDK wheel sourcing ---------------------------------------------------------------------------

@then(parsers.re(r"a (?P<cli>dev|released) CLI with (?P<dist>a wheel|no wheel) in dist/ and (?P<variable>\w+) "
                 r"(?P<value>.+?) gets it from (?P<source>pypi|file|none|error): (?P<installs>.+)$"))
def _wheel_source(world: World, cli: str, dist: str, variable: str, value: str, source: str, installs: str) -> None:
    checks.wheel_source(world.result, cli=cli, dist=dist, variable=variable, value=value,
                        source=source, installs=installs.strip(), version=scenario.cargo_version(world))


# -- registries already holding a version ---------------------------------------------------------


@given(parsers.parse('PyPI already has the file "{filename}"'))
def _pypi_has_file(world: World, filename: str) -> None:
    world.seed("pypi", "file", filename)


@given(parsers.parse('crates.io already has "{crate}"'))
def _crates_has(world: World, crate: str) -> None:
    world.seed("crates", "version", crate)


# -- triggers ---------------------------------------------------------------------------------


@given(parsers.parse('the release event says the release was "{action}"'))
def _release_action(world: World, action: str) -> None:
    world.payload("action", action)


@then(parsers.parse("the workflow is triggered only by {event}"))
def _only_trigger(world: World, event: str) -> None:
    checks.only_trigger(world.static_workflow(), event)


@then(parsers.re(r"its tag filter (?P<matches>matches|does not match) (?P<tags>.+)$"),
      converters={"matches": affirmed, "tags": split_names})
def _tag_filter(world: World, matches: bool, tags: list[str]) -> None:
    checks.tag_filter_matches(world.static_workflow(), tags, matches)


@then(parsers.parse("the workflow declares the trigger release for types {types}"), converters={"types": split_names})
def _release_types(world: World, types: list[str]) -> None:
    checks.declares_release_types(world.static_workflow(), types)


# -- trusted publishers (asked directly, no workflow run) ---------------------------------------


@when(parsers.re(r"a job of (?P<workflow>\S+) in (?P<environment>the environment \S+|no environment) at "
                 r"(?P<ref>\S+) asks (?P<registry>PyPI|crates\.io) for an upload token"),
      converters={"environment": environment, "registry": registry}, target_fixture="token_answer")
def _ask_token(world: World, workflow: str, environment: str | None, ref: str, registry: str) -> TokenAnswer:
    return probes.ask_upload_token(world.session, registry, workflow, environment, ref)


@then(parsers.re(r"the token is granted$"))
def _granted(token_answer: TokenAnswer) -> None:
    checks.token_granted(token_answer)


@then(parsers.re(r'the token is refused by (?P<who>GitHub|PyPI|crates\.io): "(?P<text>[^"]+)"'))
def _refused(token_answer: TokenAnswer, who: str, text: str) -> None:
    checks.token_refused(token_answer, who, text)


# -- permissions, secrets, environments (static) -----------------------------------------------


@then(parsers.re(r"(?P<jobs>only `.+`|no job) gets? (?P<scope>[\w-]+): write$"), converters={"jobs": only_jobs})
def _only_grant(world: World, jobs: list[str], scope: str) -> None:
    checks.only_jobs_grant(world.static_workflow(), scope, world.known_jobs(jobs))


@then("the workflow uses no secret but GITHUB_TOKEN")
def _no_secrets(world: World) -> None:
    checks.no_secret_but_github_token(world.static_workflow())


@then(parsers.re(r"(?P<jobs>`.+`) deploys? to the environment (?P<environment>\S+)$"), converters={"jobs": split_names})
def _deploys(world: World, jobs: list[str], environment: str) -> None:
    checks.deploys_to(world.static_workflow(), world.known_jobs(jobs), environment)


@then(parsers.parse("the binding restricts the environment {environment} to the tags {patterns}"),
      converters={"patterns": split_names})
def _environment_rules(world: World, environment: str, patterns: list[str]) -> None:
    checks.environment_restricted_to(world.session.binding, environment, patterns)


@then(parsers.re(r'(?P<registry>PyPI|crates\.io) trusts (?P<workflow>\S+) in the environment (?P<environment>\S+) '
                 r'to publish (?P<projects>".+)$'), converters={"registry": registry, "projects": quoted})
def _publishers(world: World, registry: str, workflow: str, environment: str, projects: list[str]) -> None:
    checks.trusted_publishers(world.session.binding, registry, workflow, environment, projects)
