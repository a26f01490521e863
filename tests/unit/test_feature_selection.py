"""A maintainer's inner loop: select scenarios by feature file, by folder, or by what a diff touches.

Each test builds a small project with ``pytester`` (a binding, two workflows, features for
each, steps that need no Docker) and runs pytest on it in-process.  The preflight's tools
check is taken as passing: these scenarios run no act.
"""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from actspec.tooling import preflight

CONFTEST = """
    from pytest_bdd import given, parsers, then

    pytest_plugins = ["actspec.bdd.pytest_plugin", "actspec.bdd.feature_files", "actspec.bdd.changed"]

    @given(parsers.parse("the {role} workflow"))
    def _workflow(role):
        pass

    @given(parsers.parse("the draft release {tag} that release-build made"))
    def _draft(tag):
        pass

    @then(parsers.parse("{n} is fine"))
    def _fine(n):
        pass
"""
FEATURES = {
    "features/ci/gate.feature": """
        Feature: Gate
          Scenario: One
            Given the CI workflow
            Then 1 is fine

          Scenario Outline: Row <n>
            Given the CI workflow
            Then <n> is fine

            Examples:
              | n |
              | 2 |
              | 3 |
        """,
    "features/ci/matrices.feature": """
        Feature: Matrices
          Scenario: Legs
            Given the CI workflow
            Then 4 is fine
        """,
    "features/release/publish.feature": """
        Feature: Publish
          Scenario: After the draft
            Given the release-publish workflow
            And the draft release v1 that release-build made
            Then 5 is fine
        """,
    "features/release/sourcing.feature": """
        @workflow:sourcing.yaml
        Feature: Sourcing
          Scenario: Named by a tag
            Then 6 is fine
        """,
}
BINDING = """
    repository: o/r
    workflows:
      ci: .github/workflows/ci.yaml
      release-build: .github/workflows/release-build.yaml
      release-publish: .github/workflows/release-publish.yaml
    runners: [ubuntu-latest]
"""
WORKFLOW = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: 'true'\n"


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setattr(preflight, "check_tools", lambda act, image: None)
    pytester.makeini("[pytest]\nbdd_features_base_dir = features\n")
    pytester.makeconftest(textwrap.dedent(CONFTEST))
    for path, text in FEATURES.items():
        (pytester.path / path).parent.mkdir(parents=True, exist_ok=True)
        (pytester.path / path).write_text(textwrap.dedent(text))
    (pytester.path / "actspec.yaml").write_text(textwrap.dedent(BINDING))
    (pytester.path / ".github" / "workflows").mkdir(parents=True)
    for name in ("ci.yaml", "release-build.yaml", "release-publish.yaml", "sourcing.yaml"):
        (pytester.path / ".github" / "workflows" / name).write_text(WORKFLOW)
    (pytester.path / "docs").mkdir()
    (pytester.path / "docs" / "guide.md").write_text("# Guide\n")
    (pytester.path / "src.go").write_text("package main\n")
    for cmd in (["init", "-q", "-b", "main"], ["add", "-A"],
                ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "base"]):
        subprocess.run(["git", *cmd], cwd=pytester.path, check=True, capture_output=True)
    return pytester


def run(project: pytest.Pytester, *args: str) -> pytest.RunResult:
    return project.runpytest_inprocess("--repo", str(project.path), "--results-dir", str(project.path / "out"), *args)


def test_a_feature_file_runs_exactly_its_scenarios(project: pytest.Pytester) -> None:
    result = run(project, "features/ci/gate.feature")
    result.assert_outcomes(passed=3)
    result = run(project, "features/ci/gate.feature", "--collect-only", "-q")
    assert "features/ci/gate.feature::test_row_n[3]" in result.outlines


def test_a_folder_runs_the_features_inside_it(project: pytest.Pytester) -> None:
    run(project, "features/ci/").assert_outcomes(passed=4)
    run(project, "features/").assert_outcomes(passed=6)


def test_keyword_selection_still_works(project: pytest.Pytester) -> None:
    run(project, "features/", "-k", "row").assert_outcomes(passed=2, deselected=4)


def test_a_workflow_change_selects_the_scenarios_of_that_workflow(project: pytest.Pytester) -> None:
    (project.path / ".github" / "workflows" / "ci.yaml").write_text(WORKFLOW + "# edited\n")
    result = run(project, "features/", "--changed-since", "main")
    result.assert_outcomes(passed=4, deselected=2)
    result.stdout.fnmatch_lines(["actspec: --changed-since main: the change touches ci.yaml; 4 scenario(s) selected*"])


def test_a_release_build_change_selects_the_publish_that_follows_it(project: pytest.Pytester) -> None:
    (project.path / ".github" / "workflows" / "release-build.yaml").write_text(WORKFLOW + "# edited\n")
    run(project, "features/", "--changed-since", "main").assert_outcomes(passed=1, deselected=5)


def test_a_workflow_tag_names_the_workflow_a_feature_uses(project: pytest.Pytester) -> None:
    (project.path / ".github" / "workflows" / "sourcing.yaml").write_text(WORKFLOW + "# edited\n")
    result = run(project, "features/", "--changed-since", "main", "-v")
    result.assert_outcomes(passed=1, deselected=5)
    result.stdout.fnmatch_lines(["*sourcing.feature::test_named_by_a_tag PASSED*"])


def test_a_docs_only_change_selects_nothing_and_says_so(project: pytest.Pytester) -> None:
    (project.path / "docs" / "guide.md").write_text("# Guide, edited\n")
    (project.path / "NOTES.md").write_text("new, untracked\n")
    result = run(project, "features/", "--changed-since", "main")
    result.assert_outcomes(deselected=6)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*2 changed file(s), none that a scenario depends on (documentation only); "
                                 "no scenario to run"])


def test_a_source_or_binding_change_selects_everything(project: pytest.Pytester) -> None:
    (project.path / "src.go").write_text("package main // edited\n")
    result = run(project, "features/", "--changed-since", "main")
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(["*src.go changed: every scenario runs*"])


def test_an_unknown_ref_is_one_line(project: pytest.Pytester) -> None:
    result = run(project, "features/", "--changed-since", "no-such-branch")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    lines = [ln for ln in result.errlines if ln.startswith("ERROR: actspec:")]
    assert len(lines) == 1 and "no-such-branch" in lines[0] and "name a branch, tag or commit" in lines[0]
    result.assert_outcomes()
