"""Before any scenario runs, a missing piece stops pytest with one line naming the fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from actspec.provision import ROOT


def features(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "features/", "-q", "-p", "no:cacheprovider",
         "--results-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env}, timeout=120,
    )


def error_lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.startswith("ERROR: actspec:")]


def fake_act(tmp_path: Path, version: str = "0.2.87") -> Path:
    """An executable that answers ``--version`` like act, so the Docker check is reached without act."""
    act = tmp_path / "fake-act"
    act.write_text(f"#!/bin/sh\necho act version {version}\n")
    act.chmod(0o755)
    return act


def test_docker_down_is_one_line_and_nothing_runs(tmp_path: Path) -> None:
    proc = features(tmp_path, DOCKER_HOST=f"unix://{tmp_path}/no-docker.sock", ACTSPEC_ACT=str(fake_act(tmp_path)))
    assert proc.returncode == 4
    assert error_lines(proc) == [
        "ERROR: actspec: Docker does not answer: start the engine (`make setup` starts dockerd when none runs)"
    ]
    assert "passed" not in proc.stdout and "failed" not in proc.stdout


def test_missing_act_names_make_setup(tmp_path: Path) -> None:
    proc = features(tmp_path, ACTSPEC_ACT=str(tmp_path / "act"))
    assert proc.returncode == 4
    [line] = error_lines(proc)
    assert "act is missing" in line and "make setup" in line


def test_a_repository_without_binding_is_named(tmp_path: Path) -> None:
    proc = features(tmp_path, ACTSPEC_REPO=str(tmp_path))
    assert proc.returncode == 4
    [line] = error_lines(proc)
    assert str(tmp_path) in line and "actspec.yaml" in line


def test_a_malformed_workflow_is_named_with_its_line(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yaml").write_text("on: push\njobs:\n  a: [unclosed\n")
    (tmp_path / "actspec.yaml").write_text("repository: o/r\nworkflows:\n  ci: .github/workflows/ci.yaml\n")
    proc = features(tmp_path, ACTSPEC_REPO=str(tmp_path))
    assert proc.returncode == 4
    [line] = error_lines(proc)
    assert "ci.yaml:" in line and "malformed YAML" in line
