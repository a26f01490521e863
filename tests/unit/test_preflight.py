"""Before any scenario runs, a missing piece stops pytest with one line naming the fix.

Each test runs the kit's own ``features/`` in-process with pytest's ``pytester``; the piece
that is missing is faked (a dead Docker socket, an act path with nothing there, a broken
repository) and the others are taken as present, so no test needs Docker.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actspec.tooling import preflight, provision
from actspec.tooling.provision import ROOT


def features(pytester: pytest.Pytester, tmp_path: Path, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(str(ROOT / "features"), "-q", "--results-dir", str(tmp_path / "results"),
                                        *args)


def error_lines(result: pytest.RunResult) -> list[str]:
    return [ln for ln in result.outlines + result.errlines if ln.startswith("ERROR: actspec:")]


def fake_act(tmp_path: Path, version: str = provision.ACT_VERSION) -> Path:
    """An executable that answers ``--version`` like act, so the Docker check is reached without act."""
    act = tmp_path / "fake-act"
    act.write_text(f"#!/bin/sh\necho act version {version}\n")
    act.chmod(0o755)
    return act


def test_docker_down_is_one_line_and_nothing_runs(pytester: pytest.Pytester, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    monkeypatch.setenv("ACTSPEC_ACT", str(fake_act(tmp_path)))
    result = features(pytester, tmp_path)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert error_lines(result) == [
        "ERROR: actspec: Docker does not answer: start the engine (`make setup` starts dockerd when none runs)"
    ]
    result.assert_outcomes()


def test_missing_act_names_make_setup(pytester: pytest.Pytester, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight, "check_docker", lambda: None)
    monkeypatch.setenv("ACTSPEC_ACT", str(tmp_path / "act"))
    result = features(pytester, tmp_path)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    [line] = error_lines(result)
    assert "act is missing" in line and "make setup" in line
    result.assert_outcomes()


def test_a_repository_without_binding_is_named(pytester: pytest.Pytester, tmp_path: Path) -> None:
    result = features(pytester, tmp_path, "--repo", str(tmp_path))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    [line] = error_lines(result)
    assert str(tmp_path) in line and "actspec.yaml" in line
    result.assert_outcomes()


def test_a_malformed_workflow_is_named_with_its_line(pytester: pytest.Pytester, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yaml").write_text("on: push\njobs:\n  a: [unclosed\n")
    (repo / "actspec.yaml").write_text("repository: o/r\nworkflows:\n  ci: .github/workflows/ci.yaml\n")
    result = features(pytester, tmp_path, "--repo", str(repo))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    [line] = error_lines(result)
    assert "ci.yaml:" in line and "malformed YAML" in line
    result.assert_outcomes()


def test_tests_that_need_no_docker_run_without_it(pytester: pytest.Pytester, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """``-m unit`` deselects the scenarios before the preflight looks: Docker down does not matter."""
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    result = features(pytester, tmp_path, "-m", "unit")
    assert error_lines(result) == []
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    assert result.parseoutcomes().get("deselected", 0) > 0


def test_unknown_actions_are_one_line_each_with_a_snippet_and_nothing_runs(pytester: pytest.Pytester,
                                                                            tmp_path: Path) -> None:
    """Every action with neither a shim nor a stand-in is one ``ERROR: actspec:`` line with the
    binding snippet that declares it, all at once, before any scenario (issue 12.3)."""
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yaml").write_text(
        "on: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - id: rel\n        uses: acme/publish-release@v2\n"
        "      - uses: golangci/golangci-lint-action@v6\n      - uses: docker/login-action@v3\n"
        "      - run: echo ${{ steps.rel.outputs.url }}\n")
    roles = "".join(f"  {role}: .github/workflows/ci.yaml\n" for role in ("ci", "codeql", "release-build", "release-publish",
                                                                     "wheel-sourcing"))
    (repo / "actspec.yaml").write_text(f"repository: o/r\nworkflows:\n{roles}runners: [ubuntu-latest]\n")
    result = features(pytester, tmp_path, "--repo", str(repo))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    where = repo / "actspec.yaml"
    assert error_lines(result) == [
        f"ERROR: actspec: ci.yaml: acme/publish-release@v2 has no shim: declare a stand-in in {where}, "
        "e.g. `standins: {acme/publish-release: {outputs: {url: ''}}}`",
        f"ERROR: actspec: ci.yaml: golangci/golangci-lint-action@v6 has no shim: declare a stand-in in {where}, "
        "e.g. `standins: {golangci/golangci-lint-action: {}}`",
        f"ERROR: actspec: ci.yaml: docker/login-action@v3 has no shim: declare a stand-in in {where}, "
        "e.g. `standins: {docker/login-action: {}}`",
    ]
    result.assert_outcomes()


def test_unprovisioned_runner_tools_are_one_line_naming_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(provision, "RUNNER_TOOLS", tmp_path)
    (tmp_path / "mise" / "bin").mkdir(parents=True)
    (tmp_path / "mise" / "bin" / "mise").write_text("")
    with pytest.raises(preflight.PreflightError) as err:
        preflight.check_runner_tools()
    assert str(err.value) == (f"node, uv, goreleaser missing under {tmp_path}: run `make setup` "
                              "(or `python -m actspec.tooling.provision node uv goreleaser`)")
