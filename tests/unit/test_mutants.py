"""Generated mutants: one edit each, read from any bound repository's YAML (no act)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from actspec.bdd import fidelity
from actspec.errors import ActError, SetupError
from actspec.mutants import generate, run
from actspec.repository import binding
from actspec.repository import workflow as wf

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
REPOS = [ROOT / "workflows_under_test", ROOT / "examples" / "kiln"]


@pytest.fixture(scope="module", params=REPOS, ids=lambda p: p.name)
def mutants(request: pytest.FixtureRequest) -> tuple[Path, list]:
    return request.param, generate(binding.load(request.param))


def test_every_mutant_is_one_hunk_of_one_file_that_still_parses(mutants: tuple[Path, list]) -> None:
    root, found = mutants
    parsed: dict[str, object] = {}
    for m in found:
        diff = m.diff(root)
        assert diff.count("\n@@ ") == 1, f"{m.name}: {diff}"
        after = m.apply((root / m.path).read_text())
        if m.path.endswith((".yml", ".yaml")):  # what run.equivalent_reason asks: none reads as the original
            original = parsed.setdefault(m.path, yaml.load((root / m.path).read_text(), Loader=wf._Loader))
            assert yaml.load(after, Loader=wf._Loader) != original, m.name


def test_the_bundled_repository_gets_mutants_of_every_operator() -> None:
    found = generate(binding.load(REPOS[0]))
    sections = Counter(m.section for m in found)
    assert len(found) >= 40
    assert {"ci-jobs", "branch-protection", "python-version-matrix", "ci-yaml", "caching-strategy", "release-workflow",
            "github-environment-setup", "package-versioning"} <= set(sections)
    names = {m.name for m in found}
    assert {"branch-protection/ci-complete-fails-on-cancelled", "branch-protection/ci-complete-runs-whatever-happened",
            "ci-jobs/go-change-includes-go.mod", "github-environment-setup/publish-crates-io-publishes-without-a-stored-token",
            "package-versioning/rc-spelled-rc"} <= names


def test_the_gate_and_change_detection_come_from_the_yaml_not_from_job_names(tmp_path: Path) -> None:
    """kiln names no job like the bundled repository's path rules; its filters file is found."""
    found = {m.name: m for m in generate(binding.load(REPOS[1]))}
    assert found["ci-jobs/go-change-includes-go.mod"].path == ".github/filters.yml"
    assert "branch-protection/ci-complete-counts-e2e" in found


def test_limit_spreads_over_sections() -> None:
    from actspec.mutants.__main__ import _spread

    found = generate(binding.load(REPOS[0]))
    picked = _spread(found, 9)
    assert len({m.section for m in picked}) == 9


def test_the_score_counts_everything_but_equivalents() -> None:
    def v(verdict: str) -> run.Verdict:
        return run.Verdict(name=verdict, section="s", rule="", path="", mode="", verdict=verdict, seconds=0,
                           evidence="", diff="")
    verdicts = [v("killed"), v("killed"), v("survived"), v("timeout"), v("equivalent")]
    assert run.summary_line(verdicts) == "mutation score: 2 of 4 killed (50.0 %)"
    assert run.score(verdicts)["s"].counted == 4


def test_a_fidelity_xfail_holds_only_for_its_own_divergence() -> None:
    own = ActError("act aborted the run of ci.yaml: Failed to decode node {4 0 !!map} into "
                   "*map[string][]interface {}: yaml: unmarshal errors:")
    assert fidelity.explains("F14", own)
    assert not fidelity.explains("F14", ActError("act aborted the run of ci.yaml: image not found"))
    assert not fidelity.explains("F14", AssertionError("`ci-complete` should run"))
    assert fidelity.explains("F1", AssertionError("ci.yaml should not run"))
    assert not fidelity.explains("F1", SetupError("no change set 'x'"))


def test_a_strict_xfail_that_fails_for_another_reason_is_a_failure(pytester: pytest.Pytester) -> None:
    """In-process, with the kit's plugin: F14's xfail holds for act's own abort only."""
    pytester.makepyfile(test_demo='''
        import pytest
        from actspec.errors import ActError

        @pytest.mark.fidelity("F14")
        @pytest.mark.xfail(strict=True, reason="F14")
        def test_its_own_divergence():
            raise ActError("act aborted the run of ci.yaml: Failed to decode node {4 0 !!map} into "
                           "*map[string][]interface {}: yaml: unmarshal errors:")

        @pytest.mark.fidelity("F14")
        @pytest.mark.xfail(strict=True, reason="F14")
        def test_another_abort():
            raise ActError("act aborted the run of ci.yaml: no such image")

        @pytest.mark.fidelity("F1")
        @pytest.mark.xfail(strict=True, reason="F1")
        def test_a_check_that_does_not_hold():
            assert False, "ci.yaml started for a push to another branch"
    ''')
    pytester.makeini("[pytest]\n")
    result = pytester.runpytest_inprocess("-p", "actspec.bdd.pytest_plugin", "--results-dir",
                                          str(pytester.path / "results"))
    result.assert_outcomes(xfailed=2, failed=1)
    result.stdout.fnmatch_lines(["*@fidelity:F14 expects its own divergence*another reason: ActError: act aborted*no such image*"])


def test_f15_xfail_holds_only_for_the_gate_act_never_let_run() -> None:
    never = AssertionError("`ci-complete` ran none of its steps after the run was cancelled: act never started it "
                           "(skipped). act reported: ...")
    set_up = AssertionError("`ci-complete` ran none of its steps after the run was cancelled: act ended its set-up "
                            "(context canceled), so it decided nothing")
    assert fidelity.explains("F15", never) and fidelity.explains("F15", set_up)
    assert not fidelity.explains("F15", AssertionError("`lint-go` should end cancelled but ended success"))
    assert not fidelity.explains("F15", AssertionError("`ci-complete` should fail by its own check; its steps: x=success"))


def test_a_scenario_red_without_the_edit_is_deselected_and_the_mutant_judged_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The baseline asks a row whose outline shares one run about every row at once; its red
    rows cannot kill, and the mutant is judged again without them."""
    outline = "features/ci/dependencies.feature::test_job_starts_only_after_upstream_finished"
    red, green = f"{outline}[a]", f"{outline}[b]"
    calls: list[list[str]] = []

    def child(args: list[str], **_: object) -> run._Session:
        calls.append(args)
        if "--mutant" not in args:  # the baseline: row a is red without the edit, row b is green
            return run._Session(2, 2, (red, "red"), 1.0, outcomes={red: "failed", green: "passed"})
        if f"--deselect={red}" not in args:
            return run._Session(1, 2, (red, "red"), 1.0, outcomes={red: "failed"})
        return run._Session(1, 1, (green, "AssertionError: started too early"), 1.0, outcomes={green: "failed"})

    monkeypatch.setattr(run, "_child", child)
    repo = REPOS[0]
    mutant = generate(binding.load(repo))[0]
    baseline = run.Baseline(repo, timeout=60, engines=None)
    verdict = run.judge(mutant, repo, timeout=60, engines=None, work=tmp_path, baseline=baseline)
    assert verdict.verdict == "killed"
    assert verdict.evidence.startswith("test_job_starts_only_after_upstream_finished[b]: AssertionError")
    assert "red without the edit too" in verdict.evidence
    assert [c[0] for c in calls if "--mutant" not in c] == [outline]  # the whole outline, once


def test_the_baseline_asks_a_row_that_makes_its_own_run_alone() -> None:
    gate_row = "features/ci/gate.feature::test_the_gate_fails_when_job_fails_and_runs_anyway[build-sdk-python]"
    shared_row = "features/ci/build_once.feature::test_consumer_downloads_artifact[test-go-CogPackage]"
    assert not run._rows_share_a_run(gate_row)  # `<job>` fails, a pull request that changes <change>
    assert run._rows_share_a_run(shared_row)  # one Background run for every row


def test_a_matrix_value_an_include_entry_names_again_is_an_equivalent(tmp_path: Path) -> None:
    """Dropping `linux-x64` from the list leaves its include entry, which GitHub (and act) run as
    a leg of its own: a run under act showed all three legs, so the mutant is not counted."""
    found = {m.name: m for m in generate(binding.load(REPOS[0]))}
    platform = [m for n, m in found.items() if n.startswith("release-workflow/build-coglet-wheels-platform-")]
    assert len(platform) == 3 and all("include" in m.equivalent for m in platform)
    assert not any(m.equivalent for n, m in found.items() if "/test-go-os-" in n)  # no include entries there
