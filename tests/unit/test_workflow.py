"""Static workflow facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from actspec.errors import WorkflowError
from actspec.repository.workflow import load


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "w.yaml"
    path.write_text(text)
    return path


def test_on_and_off_are_keys_not_booleans(tmp_path: Path) -> None:
    wf = load(write(tmp_path, "on: push\njobs:\n  off: {runs-on: x, steps: []}\n  b: {needs: off, runs-on: x}\n"))
    assert wf.on == {"push": {}}
    assert wf.jobs["b"].needs == ("off",)


def test_labels_include_matrix_values_named_by_runs_on(tmp_path: Path) -> None:
    wf = load(write(tmp_path, """
on: push
jobs:
  t:
    runs-on: ${{ matrix.os }}
    strategy: {matrix: {os: [ubuntu-latest, macos-latest], include: [{os: macos-14}]}}
    steps: [{uses: actions/setup-go@v5}, {uses: ./local}, {uses: github/codeql-action/init@v3}]
"""))
    assert wf.runner_labels() == {"ubuntu-latest", "macos-latest", "macos-14"}
    assert wf.action_refs() == {"actions/setup-go@v5", "github/codeql-action/init@v3"}


def test_permissions_job_level_wins(tmp_path: Path) -> None:
    wf = load(write(tmp_path, """
on: push
permissions: {id-token: write}
jobs:
  a: {runs-on: x, steps: []}
  b: {runs-on: x, permissions: {contents: read}, environment: {name: pypi}, steps: []}
"""))
    assert wf.grants("a", "id-token") and not wf.grants("b", "id-token")
    assert not wf.grants("b", "contents") and wf.grants("a", "contents") is False
    assert wf.jobs["b"].environment == "pypi"


def test_malformed_yaml_is_one_line_with_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(WorkflowError) as err:
        load(write(tmp_path, "on: push\njobs:\n  a: [unclosed\n"))
    assert str(err.value).startswith(str(tmp_path / "w.yaml") + ":") and "\n" not in str(err.value)


def test_unknown_needs_and_unknown_job(tmp_path: Path) -> None:
    with pytest.raises(WorkflowError, match="needs unknown job 'z'"):
        load(write(tmp_path, "on: push\njobs:\n  a: {runs-on: x, needs: z}\n"))
    wf = load(write(tmp_path, "on: push\njobs:\n  a: {runs-on: x}\n"))
    with pytest.raises(KeyError, match="has no job 'b'; its jobs are: a"):
        wf.job("b")


@pytest.mark.parametrize(("text", "where", "says"), [
    ("on: push\njobs:\n  a: {runs-on: x}\n  a: {runs-on: y}\n", ":4", "'a' is already defined (line 3)"),
    ("on: push\njobs:\n  a: {runs-on: x, needs: b}\n  b:\n    runs-on: x\n    needs: [a]\n", ":6",
     "creates a cycle in the dependency graph (a -> b -> a)"),
    ("on: push\njobs:\n  a: {runs-on: x, needs: a}\n", ":3", "creates a cycle"),
    ("on: push\njob:\n  a: {runs-on: x}\n", ":2", "unexpected top-level key 'job'"),
    ("on: push\njobs:\n  a:\n    runs-on: x\n    needs: 5\n", ":5", "`needs` must be a job id or a list of job ids, not 5"),
    ("on: push\njobs:\n  a: {runs-on: x, steps: {run: x}}\n", ":3", "`steps` must be a list"),
    ("on: push\njobs:\n  a: {runs-on: x, outputs: [x]}\n", ":3", "`outputs` must be a mapping"),
    ("jobs:\n  a: {runs-on: x}\n", "", "required key `on` is missing"),
    ("on: push\njobs:\n  a: {runs-on: x, strategy: fast}\n", None, None),
])
def test_a_workflow_github_would_refuse_is_one_line_with_its_line(
        tmp_path: Path, text: str, where: str | None, says: str | None) -> None:
    path = write(tmp_path, text)
    if says is None:
        load(path)  # a strange strategy is act's business, not a crash
        return
    with pytest.raises(WorkflowError) as err:
        load(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}{where}: ") and says in message, message
