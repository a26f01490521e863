"""Calibration: the GitHub Actions semantics the architecture document relies on, run by act.

Each test states GitHub's documented behaviour and checks what act did in real
containers.  Where act differs, the test is a strict xfail naming the divergence, and
docs/fidelity.md says how the kit deals with it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from actspec.bdd import checks, fidelity
from actspec.bdd.session import Session
from actspec.errors import ActError
from actspec.model import RunResult, RunSpec

REPO = Path(__file__).parent / "repo"
# The variable naming how many seconds the kit lets the hung calibration run go on (20 unless set).
HANG_TIMEOUT = "ACTSPEC_CALIBRATION_HANG_TIMEOUT"


@pytest.fixture(scope="module")
def calibration(actspec_factory) -> Session:
    return actspec_factory(REPO)


@pytest.fixture(scope="module")
def semantics(calibration: Session) -> RunResult:
    return calibration.runner.run(RunSpec(workflow="semantics"))


def test_every_job_of_the_workflow_is_in_the_result(semantics: RunResult) -> None:
    assert semantics.job_ids() == [
        "produce", "off", "after-off", "always-after-off", "breaks", "after-breaks", "report", "fan", "platforms",
        "steps",
    ]


def test_jobs_ran_in_containers(semantics: RunResult) -> None:
    log = semantics.log_path.read_text()
    assert "docker run image=actspec-runner:" in log
    assert semantics.legs("produce")[0].started is not None


def test_a_job_whose_if_is_false_is_skipped(semantics: RunResult) -> None:
    assert semantics.result("off") == "skipped"
    assert not semantics.ran("off")


def test_a_job_needing_a_skipped_job_is_skipped(semantics: RunResult) -> None:
    assert semantics.result("after-off") == "skipped"
    assert not semantics.ran("after-off")


def test_a_job_needing_a_failed_job_is_skipped(semantics: RunResult) -> None:
    assert semantics.result("breaks") == "failure"
    assert semantics.result("after-breaks") == "skipped"


def test_always_runs_after_a_skipped_dependency(semantics: RunResult) -> None:
    assert semantics.result("always-after-off") == "success"
    assert "off=skipped" in semantics.legs("always-after-off")[0].text()


def test_needs_result_reports_success_failure_and_skipped(semantics: RunResult) -> None:
    text = semantics.legs("report")[0].text()
    assert "produce=success off=skipped breaks=failure after-off=skipped" in text


def test_needs_result_of_a_job_skipped_after_a_failure_is_skipped(semantics: RunResult) -> None:
    # GitHub: a job skipped because a dependency failed has result `skipped`.
    assert "after-breaks=skipped" in semantics.legs("report")[0].text()


def test_job_outputs_flow_through_needs(semantics: RunResult) -> None:
    assert semantics.outputs("produce") == {"word": "hello", "legs": '["left", "right"]'}
    assert "word=hello" in semantics.legs("report")[0].text()


def test_a_matrix_from_fromjson_of_an_upstream_output_has_one_leg_per_value(semantics: RunResult) -> None:
    legs = semantics.legs("fan")
    assert sorted(leg.matrix["side"] for leg in legs) == ["left", "right"]
    assert all(leg.result == "success" for leg in legs)


@pytest.mark.fidelity("F16")
@pytest.mark.xfail(strict=True, reason=fidelity.reason("F16"))
def test_each_leg_of_a_matrix_driven_runs_on_sees_the_image_of_its_own_label(semantics: RunResult) -> None:
    # GitHub runs each leg on its own label's image, and ImageOS names it: the ubuntu and the
    # macOS leg see different values.  act gives both the first leg's (docs/fidelity.md F16).
    seen = {leg.matrix["os"]: re.search(r"image-os=(\S*)", leg.text()) for leg in semantics.legs("platforms")}
    assert sorted(seen) == ["macos-latest", "ubuntu-latest"] and all(seen.values()), seen
    values = {os_: found.group(1) for os_, found in seen.items() if found}
    assert len(set(values.values())) == 2, f"both legs saw one ImageOS: {values}"


def test_continue_on_error_keeps_the_job_going_with_outcome_failure_conclusion_success(semantics: RunResult) -> None:
    job = semantics.legs("steps")[0]
    tolerated = job.step("tolerated")
    assert (tolerated.outcome, tolerated.conclusion) == ("failure", "success")
    assert "tolerated outcome=failure conclusion=success" in job.text()


def test_a_failure_step_runs_after_a_failed_step_and_later_steps_do_not(semantics: RunResult) -> None:
    job = semantics.legs("steps")[0]
    assert job.step("broken").conclusion == "failure"
    assert job.step("rescue").conclusion == "success"
    assert "rescued" in job.text()
    assert job.step("unreached").conclusion == "skipped"
    assert semantics.result("steps") == "failure"


def test_a_matrix_from_workflow_env_is_rejected_as_on_github(calibration: Session) -> None:
    # GitHub's context availability table gives `strategy` only github, needs, vars and
    # inputs; act's schema check refuses the workflow the same way.
    with pytest.raises(ActError, match="Unknown Variable Access env"):
        calibration.runner.run(RunSpec(workflow="matrix-env"))


@pytest.mark.fidelity("F14")  # the xfail holds only for act's own abort (fidelity.ABORTS), not any ActError
@pytest.mark.xfail(strict=True, raises=ActError, reason=fidelity.reason("F14"))
def test_a_matrix_job_after_a_failed_dependency_is_skipped_and_always_jobs_run(calibration: Session) -> None:
    result = calibration.runner.run(RunSpec(workflow="matrix-after-failure"))
    assert result.result("fan") == "skipped"
    assert "produce=failure fan=skipped" in result.legs("final")[0].text()


@pytest.fixture(scope="module")
def timeouts(calibration: Session) -> RunResult:
    return calibration.runner.run(RunSpec(workflow="timeouts"))


def test_step_timeout_minutes_stops_the_step_and_fails_the_job(timeouts: RunResult) -> None:
    assert timeouts.legs("step-limit")[0].step("slow").conclusion == "failure"
    assert timeouts.result("step-limit") == "failure"
    assert timeouts.result("fast") == "success"


def test_a_step_over_its_timeout_reaches_dependents_as_failure_not_cancelled(timeouts: RunResult) -> None:
    # F15: act's only cancellation inside a run is a step's timeout-minutes; the job that
    # step belongs to ends `failure`, and that is what `needs.<job>.result` says.
    assert "step-limit=failure" in timeouts.legs("sees")[0].text()


def test_a_job_over_its_job_level_timeout_reaches_dependents_as_success(timeouts: RunResult) -> None:
    # F3 and F15: GitHub cancels a job over its job-level limit; act lets it finish, so the
    # jobs that need it read `success`.
    assert "job-limit=success" in timeouts.legs("sees")[0].text()


@pytest.mark.xfail(strict=True, reason="act ignores job-level timeout-minutes (only step-level is applied)")
def test_job_timeout_minutes_stops_the_job_and_fails_it(timeouts: RunResult) -> None:
    assert timeouts.result("job-limit") == "failure"


def test_the_kit_stops_a_hung_run_names_the_job_and_leaves_nothing(calibration: Session) -> None:
    from actspec.engine import hygiene

    before = hygiene.inventory()
    # test_interrupt.py runs this test in a child session and must be the one that ends it,
    # with Ctrl-C, however slowly a loaded machine starts the hung job: it sets a longer timeout.
    result = calibration.runner.run(RunSpec(workflow="hang", timeout=int(os.environ.get(HANG_TIMEOUT, "20"))))
    assert result.hung_job == "stuck"
    assert result.result("stuck") == "cancelled"
    assert result.result("quick") == "success"
    assert hygiene.inventory().minus(before).empty()


def test_a_cancelled_run_cancels_the_set_up_of_the_always_job_after_it(calibration: Session) -> None:
    # F15: act cancels only a whole run (SIGINT: Ctrl-C, the kit's run timeout, or the kit
    # cancelling the run while `stuck` runs, as here).  It logs the job it stopped as failed
    # (the kit reads it `cancelled`), then starts the `if: always()` job that needs it and
    # ends that job's set-up with "context canceled": no step of it runs, so no step ever
    # reads `needs.stuck.result`.
    result = calibration.runner.run(RunSpec(workflow="hang", cancel_during="stuck"))
    assert result.result("stuck") == "cancelled"
    sees = result.legs("sees")[0]
    assert sees.ran and sees.result == "failure"
    assert [s.step_id for s in sees.steps] == ["--setup-job"] and sees.steps[0].conclusion == "failure"
    assert "context canceled" in sees.text()


@pytest.mark.fidelity("F15")  # the xfail holds only for the words of checks.ran_its_steps (fidelity.CHECKS)
@pytest.mark.xfail(strict=True, reason=fidelity.reason("F15"))
def test_a_job_of_a_cancelled_run_reaches_its_always_dependents_as_cancelled(calibration: Session) -> None:
    # GitHub: jobs whose if: is always() still run in a cancelled run, and read the cancelled
    # job's result as `cancelled` (what a gate must count as a failure).
    result = calibration.runner.run(RunSpec(workflow="hang", cancel_during="stuck"))
    checks.ran_its_steps(result, "sees")
    assert "stuck=cancelled" in result.legs("sees")[0].text()
