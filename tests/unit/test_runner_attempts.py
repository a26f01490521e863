"""A crash of act itself is not a result of the workflow: the runner makes the run once more."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_a_crash_of_act_is_run_once_more_and_the_result_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from actspec.engine.runner import ActCrashed, Runner
    from actspec.model import RunResult, RunSpec

    spec = RunSpec(workflow="ci")
    outcomes: list[object] = [ActCrashed("act ended before it reported lint (fatal error: concurrent map writes)"),
                              RunResult(spec, Path("r"), "id", [], [], 0, 0.0, 1.0)]

    def execute(self, spec):  # type: ignore[no-untyped-def]
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(Runner, "_execute", execute)
    runner = Runner(None, None, None, act=tmp_path / "act", image="i", workdir=tmp_path)  # type: ignore[arg-type]
    result = runner.run(spec)
    assert outcomes == []
    assert result.notes == ["this is the second attempt: act ended before it reported lint (fatal error: concurrent map writes)"]


def test_a_second_crash_of_act_is_the_runs_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from actspec.engine.runner import ActCrashed, Runner
    from actspec.model import RunSpec

    calls = []

    def execute(self, spec):  # type: ignore[no-untyped-def]
        calls.append(spec)
        raise ActCrashed(f"act ended before it reported lint (killed by SIGKILL), attempt {len(calls)}")

    monkeypatch.setattr(Runner, "_execute", execute)
    runner = Runner(None, None, None, act=tmp_path / "act", image="i", workdir=tmp_path)  # type: ignore[arg-type]
    for _ in range(2):
        with pytest.raises(ActCrashed, match="attempt 2"):
            runner.run(RunSpec(workflow="ci"))
    assert len(calls) == 2


@pytest.mark.parametrize(("exit_code", "last_words", "cause"), [
    (2, "fatal error: concurrent map writes", "fatal error: concurrent map writes"),
    (-9, None, "killed by SIGKILL, perhaps for want of memory"),
    (-40, None, "killed by signal 40, perhaps for want of memory"),
    (1, None, "exit code 1 with no error of its own"),
])
def test_the_cause_of_an_early_end_of_act(exit_code: int, last_words: str | None, cause: str) -> None:
    from actspec.engine.runner import crash_cause

    assert crash_cause(exit_code, last_words) == cause


def test_the_log_of_a_run_without_a_result_reaches_the_results_folder(tmp_path: Path) -> None:
    """A crashed or aborted run has no result, and its log is what a user needs to read."""
    from types import SimpleNamespace

    from actspec.bdd.session import Session

    crashed = tmp_path / "work" / "abc-1" / "act.log"
    crashed.parent.mkdir(parents=True)
    crashed.write_text("fatal error: concurrent map writes\n")
    gone = tmp_path / "work" / "abc-2" / "act.log"  # act never started: no log to keep
    session = SimpleNamespace(runner=SimpleNamespace(results={}, logs={"abc-1": crashed, "abc-2": gone}))
    out = tmp_path / "results"
    assert Session.write_results(session, out) == ["abc-1.log"]  # type: ignore[arg-type]
    assert (out / "abc-1.log").read_text() == "fatal error: concurrent map writes\n"
