"""Stand-ins declared in the binding: the generated composite action, and what its step does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actspec.engine.runner import blame
from actspec.repository import binding, standins
from actspec.repository import workflow as wf

from .shim_support import entries

pytestmark = pytest.mark.unit

CI = """\
on: [push]
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - id: rel
        uses: acme/publish-release@v2
        with: {files: dist/*, tag_name: v1}
      - uses: github/codeql-action/init@v3
"""
BINDING = """\
repository: o/r
workflows: {ci: .github/workflows/ci.yaml}
runners: [ubuntu-latest]
standins:
  acme/publish-release:
    outputs: {url: "https://example.invalid/${{ inputs.tag_name }}"}
    files: {release.txt: made}
    run: echo published
"""


def test_a_stand_in_becomes_a_composite_action(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yaml").write_text(CI)
    (tmp_path / "actspec.yaml").write_text(BINDING)
    bound = binding.load(tmp_path)
    local = standins.local_repositories(bound, wf.load(tmp_path / ".github/workflows/ci.yaml"), tmp_path / "gen")
    assert local["github/codeql-action@v3"] == standins.SHIMS / "github/codeql-action"
    action = yaml.safe_load((local["acme/publish-release@v2"] / "action.yml").read_text())
    assert sorted(action["inputs"]) == ["files", "tag_name"]
    assert action["outputs"] == {"url": {"value": "${{ steps.standin.outputs.url }}"}}
    first, second = action["runs"]["steps"]
    assert first["env"]["ACTSPEC_STANDIN_OUTPUT_0"] == "https://example.invalid/${{ inputs.tag_name }}"
    assert first["env"]["ACTSPEC_STANDIN_FILE_0"] == "made"
    assert second == {"shell": "bash", "run": "echo published"}


def test_a_missing_shim_stops_the_run_with_every_action(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yaml").write_text(CI.replace("github/codeql-action/init", "other/thing"))
    (tmp_path / "actspec.yaml").write_text("repository: o/r\nworkflows: {ci: .github/workflows/ci.yaml}\n")
    with pytest.raises(standins.ShimError) as err:
        standins.local_repositories(binding.load(tmp_path), wf.load(tmp_path / ".github/workflows/ci.yaml"), tmp_path / "g")
    assert "acme/publish-release@v2 has no shim" in str(err.value)
    assert "{acme/publish-release: {outputs: {url: ''}}}" not in str(err.value)  # no workflow reads its outputs
    assert "other/thing@v3 has no shim" in str(err.value)


def test_the_stand_in_step_sets_outputs_writes_files_and_records(job, ledger) -> None:  # type: ignore[no-untyped-def]
    r = job.run("_lib/actspec_shim/standin.py", env={
        "ACTSPEC_STANDIN": "acme/publish-release@v2",
        "ACTSPEC_STANDIN_OUTPUTS": '["url", "id"]',
        "ACTSPEC_STANDIN_OUTPUT_0": "https://example.invalid/v1",
        "ACTSPEC_STANDIN_OUTPUT_1": "7",
        "ACTSPEC_STANDIN_FILES": '["out/release.txt"]',
        "ACTSPEC_STANDIN_FILE_0": "made\n",
    })
    assert r.code == 0, r.log
    assert r.outputs == {"url": "https://example.invalid/v1", "id": "7"}
    assert (job.workspace / "out/release.txt").read_text() == "made\n"
    [entry] = entries(ledger, "standin.run")
    assert entry.subject == "acme/publish-release@v2" and entry.job == "build"
    assert entry.details["files"] == ["out/release.txt"]


def test_an_abort_names_the_shim_or_stand_in_it_came_from(tmp_path: Path) -> None:
    shim = tmp_path / "shims" / "mine"
    gen = tmp_path / "run" / "standins" / "a_b_v1"
    local = {"my/action@v1": shim, "a/b@v1": gen}
    bound = tmp_path / "actspec.yaml"
    assert blame("failed to read 'action.yml' from action 'my/action@v1' with path '' of step: yaml: line 3", local, bound) == \
        f" because of the shim {shim} (action.yml)"
    assert blame(f"open {gen}/action.yml: bad", local, bound) == \
        f" because of the stand-in for a/b declared under `standins:` in {bound}"
    assert blame("Job 'build' failed", local, bound) == ""


def test_an_abort_is_cached_like_a_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from actspec.engine.runner import ActError, Runner
    from actspec.model import RunSpec

    calls = []

    def execute(self, spec):  # type: ignore[no-untyped-def]
        calls.append(spec)
        raise ActError("act aborted the run of ci.yaml because of the shim x: yaml: line 14")

    monkeypatch.setattr(Runner, "_execute", execute)
    runner = Runner(None, None, None, act=tmp_path / "act", image="i", workdir=tmp_path)  # type: ignore[arg-type]
    spec = RunSpec(workflow="ci")
    for _ in range(3):
        with pytest.raises(ActError, match="because of the shim x"):
            runner.run(spec)
    assert len(calls) == 1


def test_the_result_lists_the_mocks_and_stand_ins_that_fired() -> None:
    from actspec.ledger import Ledger
    from actspec.model import JobRun, RunResult, RunSpec

    ledger = Ledger()
    ledger.record("mock.step", "slow", job="build", step="slow")
    ledger.record("standin.run", "acme/publish-release@v2", job="release", leg="os=linux")
    ledger.record("artifact.upload", "dist", job="build")
    result = RunResult(RunSpec(workflow="ci"), Path("r"), "id", [JobRun("build", "build")], list(ledger), 0, 0.0, 1.0)
    assert result.fired() == ["step mock slow (job build, step slow)",
                              "stand-in acme/publish-release@v2 (job release [os=linux])"]
    assert result.to_json()["fired"] == result.fired()


def test_a_declared_stand_in_replaces_a_kit_shim(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yaml").write_text(CI)
    (tmp_path / "actspec.yaml").write_text(BINDING + "  github/codeql-action/init: {}\n")
    local = standins.local_repositories(binding.load(tmp_path), wf.load(tmp_path / ".github/workflows/ci.yaml"), tmp_path / "gen")
    assert local["github/codeql-action@v3"] == tmp_path / "gen" / "github_codeql-action_v3"
    assert (local["github/codeql-action@v3"] / "init" / "action.yml").is_file()
