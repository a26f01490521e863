"""The reader of act's --json log, on lines shaped like the ones act v0.2.87 prints."""

from __future__ import annotations

import json
from pathlib import Path

from actspec.engine.act import LogReader, container_name
from actspec.repository.workflow import load

WORKFLOW = """
name: wf
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      x: ${{ steps.s.outputs.x }}
      y: ${{ format('{0}', steps.s.outputs.x) }}
    steps: [{id: s, run: echo}]
  m:
    runs-on: ubuntu-latest
    strategy: {matrix: {py: ['3.10', '3.11']}}
    steps: [{run: echo}]
  never:
    runs-on: ubuntu-latest
    steps: [{run: echo}]
"""


def rec(job: str, job_id: str, msg: str, matrix: dict | None = None, **fields: object) -> str:
    return json.dumps({"level": "info", "job": job, "jobID": job_id, "matrix": matrix or {}, "msg": msg, **fields})


def reader(tmp_path: Path) -> LogReader:
    path = tmp_path / "wf.yaml"
    path.write_text(WORKFLOW)
    return LogReader(load(path))


def test_a_job_act_never_mentions_is_listed_as_skipped(tmp_path: Path) -> None:
    jobs = reader(tmp_path).finish()
    assert [(j.job_id, j.result, j.ran) for j in jobs] == [("a", "skipped", False), ("m", "skipped", False),
                                                           ("never", "skipped", False)]


def test_steps_outputs_and_job_outputs(tmp_path: Path) -> None:
    r = reader(tmp_path)
    r.feed(rec("wf/a", "a", "\u2b50 Run Set up job", step="Set up job"), 1.0)
    r.feed(rec("wf/a", "a", "hi\n", raw_output=True, stage="Main", step="echo", stepID=["s"]), 1.5)
    r.feed(rec("wf/a", "a", "  \u2705  Success - Main echo", stage="Main", step="echo", stepID=["s"], stepResult="success"))
    r.feed(rec("wf/a", "a", "  \u2699  ::set-output:: x=1", command="set-output", name="x", arg="1", stage="Main",
               step="echo", stepID=["s"]))
    r.feed(rec("wf/a", "a", "\U0001f3c1  Job succeeded", jobResult="success"), 2.0)
    a = r.finish()[0]
    assert (a.result, a.ran, a.started, a.finished) == ("success", True, 1.0, 2.0)
    assert a.step("s").outputs == {"x": "1"}
    assert a.outputs == {"x": "1"}, "a plain step-output reference is resolved; an expression is not"
    assert "hi\n" in a.text()


def test_continue_on_error_gives_outcome_failure_conclusion_success(tmp_path: Path) -> None:
    r = reader(tmp_path)
    common = dict(stage="Main", step="echo", stepID=["s"])
    r.feed(rec("wf/a", "a", "Failed but continue next step", **common))
    r.feed(rec("wf/a", "a", "  \u274c  Failure - Main echo", stepResult="failure", **common))
    r.feed(rec("wf/a", "a", "\U0001f3c1  Job succeeded", jobResult="success"))
    step = r.finish()[0].step("s")
    assert (step.outcome, step.conclusion) == ("failure", "success")


def test_matrix_legs_are_separate_and_a_sibling_failure_does_not_fail_a_passing_leg(tmp_path: Path) -> None:
    r = reader(tmp_path)
    for n, py, ok in ((1, "3.10", True), (2, "3.11", False)):
        job, matrix = f"wf/m-{n}", {"py": py}
        r.feed(rec(job, "m", "\u2b50 Run Set up job", matrix, step="Set up job"))
        result = "success" if ok else "failure"
        r.feed(rec(job, "m", "step", matrix, stage="Main", step="echo", stepID=["0"], stepResult=result))
    # act keeps one result per matrix job: both legs are logged as failed.
    r.feed(rec("wf/m-2", "m", "\U0001f3c1  Job failed", {"py": "3.11"}, jobResult="failure"))
    r.feed(rec("wf/m-1", "m", "\U0001f3c1  Job failed", {"py": "3.10"}, jobResult="failure"))
    legs = {j.matrix["py"]: j for j in r.finish() if j.job_id == "m"}
    assert legs["3.10"].result == "success" and "sibling" in legs["3.10"].note
    assert legs["3.11"].result == "failure"


def test_skipped_job_and_stopped_run(tmp_path: Path) -> None:
    r = reader(tmp_path)
    r.feed(json.dumps({"level": "debug", "job": "wf/never", "jobID": "never", "matrix": {}, "jobResult": "skipped",
                       "msg": "Skipping job 'never' due to 'false'"}))
    r.feed(rec("wf/a", "a", "\u2b50 Run Set up job", step="Set up job"))
    assert r.stop_running() == ["a"]
    jobs = {j.job_id: j for j in r.finish()}
    assert jobs["never"].result == "skipped" and not jobs["never"].ran
    assert jobs["a"].result == "cancelled"


def test_failure_summary_and_container_names(tmp_path: Path) -> None:
    r = reader(tmp_path)
    r.feed("Line: 3 Column 5: Unknown Variable Access env")
    r.feed("For more information, see: https://example.invalid")
    assert r.failure_summary() == "Line: 3 Column 5: Unknown Variable Access env"
    assert container_name("exp/d-2") == (
        "act-exp-d-2-c5dc1a9a9b47f37a67ec065972a9bf130a1a09998032049473a3951e031778b5"
    )


def test_an_abort_keeps_acts_whole_message_and_its_step(tmp_path: Path) -> None:
    """act prints only the first line after ``Error:``; the step's error record has all of it (issue 12.6)."""
    r = reader(tmp_path)
    full = "Line: 3 Column 3: Failed to match container-runs: Line: 4 Column 3: Unknown Property post\nLine: 5 Column 3: Unknown Property steps"
    r.feed(rec("wf/a", "a", full, level="error", step="my/broken@v1", stepID=["0"]))
    r.feed("Error: " + full.splitlines()[0])
    r.feed(full.splitlines()[1])
    assert r.abort_reason() == f"{full} (step my/broken@v1)"


def test_a_leg_act_never_ended_is_unreported_and_the_go_runtime_says_why(tmp_path: Path) -> None:
    r = reader(tmp_path)
    r.feed(rec("wf/a", "a", "\u2b50 Run Set up job", step="Set up job"))
    r.feed(rec("wf/m-1", "m", "\u2b50 Run Set up job", {"py": "3.10"}, step="Set up job"))
    r.feed(rec("wf/m-1", "m", "\U0001f3c1  Job succeeded", {"py": "3.10"}, jobResult="success"))
    r.feed("fatal error: concurrent map iteration and map write")
    r.feed("goroutine 61 [running]:")
    assert r.unreported() == ["a"]
    assert r.crash() == "fatal error: concurrent map iteration and map write"


def test_a_leg_the_kit_stopped_is_not_unreported(tmp_path: Path) -> None:
    r = reader(tmp_path)
    r.feed(rec("wf/a", "a", "\u2b50 Run Set up job", step="Set up job"))
    r.stop_running()
    assert r.unreported() == [] and r.crash() is None
