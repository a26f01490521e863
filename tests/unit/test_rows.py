"""An Examples table tagged ``@rows:<source>`` gets rows from the repository under test.

Each test builds a small bound project with ``pytester`` (a binding, a CI workflow whose gate
needs a job outside the document's table, a feature whose steps need no Docker) and collects
or runs it in-process: the computed rows must be there, named after what they are about.
"""

from __future__ import annotations

import textwrap

import pytest

from actspec.tooling import preflight

pytestmark = pytest.mark.unit

CONFTEST = """
    from pytest_bdd import given, parsers, then

    pytest_plugins = ["actspec.bdd.pytest_plugin", "actspec.bdd.feature_files"]

    @given(parsers.parse("the {role} workflow"))
    def _workflow(role):
        pass

    @given(parsers.parse("a pull request that changes {change}"))
    def _change(change):
        pass

    @given(parsers.re(r"every job other than (?P<keep>.+) is stubbed"))
    def _stub(keep):
        pass

    @then(parsers.re(r"`(?P<job>[^`]+)` counts"))
    def _counts(job):
        pass
"""
GATE = """
    Feature: Gate
      Scenario Outline: The gate fails when `<job>` fails
        Given the CI workflow
        And a pull request that changes <change>
        And every job other than `<job>`, `changes` and `ci-complete` is stubbed
        Then `<job>` counts

        @rows:gate-needs
        Examples: the document's table
          | job     | change |
          | test-go | go     |
"""
WORKFLOW = """
    on: pull_request
    jobs:
      changes: {runs-on: ubuntu-latest, steps: [{run: 'true'}]}
      test-go: {needs: [changes], runs-on: ubuntu-latest, steps: [{run: 'true'}]}
      e2e: {needs: [changes], runs-on: ubuntu-latest, steps: [{run: 'true'}]}
      ci-complete:
        needs: [changes, test-go, e2e]
        if: always()
        runs-on: ubuntu-latest
        steps: [{run: 'true'}]
"""
BINDING = """
    repository: o/r
    workflows: {ci: .github/workflows/ci.yaml}
    runners: [ubuntu-latest]
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setattr(preflight, "check_tools", lambda act, image, engines=None: None)
    pytester.makeini("[pytest]\nbdd_features_base_dir = features\n")
    pytester.makeconftest(textwrap.dedent(CONFTEST))
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "gate.feature").write_text(textwrap.dedent(GATE))
    (pytester.path / ".github" / "workflows").mkdir(parents=True)
    (pytester.path / ".github" / "workflows" / "ci.yaml").write_text(textwrap.dedent(WORKFLOW))
    return pytester


def bind(project: pytest.Pytester, extra: str) -> None:
    (project.path / "actspec.yaml").write_text(textwrap.dedent(BINDING) + extra)


def collect(project: pytest.Pytester) -> pytest.RunResult:
    return project.runpytest_inprocess("--repo", str(project.path), "--collect-only", "-q", "features/gate.feature")


def test_a_job_the_gate_needs_outside_the_table_gets_a_row_with_its_change_set(project: pytest.Pytester) -> None:
    bind(project, "extra_jobs: {e2e: integration-tests}\n")
    result = collect(project)
    ids = [ln for ln in result.outlines if "::" in ln]
    assert ids == ["features/gate.feature::test_the_gate_fails_when_job_fails[test-go-go]",
                   "features/gate.feature::test_the_gate_fails_when_job_fails[e2e-integration-tests]"], result.outlines


def test_the_rows_run_like_the_tables_rows(project: pytest.Pytester) -> None:
    bind(project, "extra_jobs: {e2e: integration-tests}\n")
    result = project.runpytest_inprocess("--repo", str(project.path), "--results-dir", str(project.path / "out"),
                                         "features/gate.feature", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*test_the_gate_fails_when_job_fails?e2e-integration-tests? PASSED*"])


def test_an_extra_job_the_gate_does_not_need_still_gets_its_row(project: pytest.Pytester) -> None:
    """The binding's list makes the row: a gate that stops needing the job loses no row."""
    workflow = project.path / ".github" / "workflows" / "ci.yaml"
    workflow.write_text(workflow.read_text().replace("[changes, test-go, e2e]", "[changes, test-go]"))
    bind(project, "extra_jobs: {e2e: integration-tests}\n")
    assert any(ln.endswith("[e2e-integration-tests]") for ln in collect(project).outlines)


def test_an_extra_job_without_a_change_set_is_one_line_naming_the_key(project: pytest.Pytester) -> None:
    bind(project, "extra_jobs: [e2e]\n")
    result = collect(project)
    result.stdout.fnmatch_lines(["*extra_jobs: `e2e` is a job the gate must need outside the document's table*"
                                 "name the change set that makes it run, `extra_jobs: {e2e: <change set>}`*"])


def test_the_steps_cast_gets_no_row(project: pytest.Pytester) -> None:
    """`changes` and `ci-complete` are named outright in the steps: the outline is not about them."""
    bind(project, "extra_jobs: {e2e: integration-tests}\n")
    assert not any("[changes" in ln or "[ci-complete" in ln for ln in collect(project).outlines)


# An outline whose every row comes from the binding's path_rules
PATHS = textwrap.dedent("""
    Feature: Paths
      Scenario Outline: `<path>` is a change to <component>
        Given the CI workflow
        Then `<path>` counts

        @rows:path-rules
        Examples:
          | component | path |
""")


def test_an_outline_the_binding_gives_no_rows_is_skipped_saying_why(project: pytest.Pytester) -> None:
    """A binding need not give every source: the outline says it has no rows, it does not
    stop the session (preflight reports what is wrong with the binding)."""
    (project.path / "features" / "gate.feature").write_text(PATHS)
    bind(project, "")
    result = project.runpytest_inprocess("--repo", str(project.path), "--results-dir", str(project.path / "out"),
                                         "features/gate.feature", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no rows: the table takes them from the repository under test (@rows:path-rules*"])


def test_the_binding_s_path_rules_are_the_rows(project: pytest.Pytester) -> None:
    (project.path / "features" / "gate.feature").write_text(PATHS)
    bind(project, "path_rules: {go: [cmd/x.go, go.mod], docs: [docs/a.md]}\n")
    ids = [ln.rpartition("[")[2] for ln in collect(project).outlines if "::" in ln]
    assert ids == ["go-cmd/x.go]", "go-go.mod]", "docs-docs/a.md]"]
