"""The kit's own Docker engine: built once per pin, and never a reason for setup to stop."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from actspec.engine import engines
from actspec.tooling import provision

pytestmark = pytest.mark.unit


@pytest.fixture
def engine_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "engine" / "bin"
    monkeypatch.setattr(engines, "ENGINE_BIN", bin_dir)
    monkeypatch.setattr(engines, "ENGINE_STAMP", bin_dir.parent / "built")
    monkeypatch.setattr(provision, "apt_install", lambda *packages: None)
    monkeypatch.setattr(provision, "TOOLS", tmp_path)
    return bin_dir


def _go(calls: list[list[str]], fail: str | None = None):  # type: ignore[no-untyped-def]
    def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 1 if fail and any(fail in part for part in cmd) else 0)
    return run


def test_each_part_is_built_once_per_pin(engine_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(provision.subprocess, "run", _go(calls))
    assert provision.ensure_engine_build()
    assert [c[-1].split("@")[0].rsplit("/", 1)[-1] for c in calls] == [
        "dockerd", "containerd", "containerd-shim-runc-v2", "runc"]
    assert "seccomp" in calls[-1]  # runc filters syscalls as Docker's default profile asks
    calls.clear()
    assert provision.ensure_engine_build() and calls == []  # the stamp matches: nothing to build


def test_a_build_that_fails_leaves_no_stamp_and_says_so(engine_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(provision.subprocess, "run", _go([], fail="containerd"))
    assert not provision.ensure_engine_build()
    assert not engines.ENGINE_STAMP.exists()
    assert "could not build containerd" in capsys.readouterr().out
    assert engines.dockerd_launch()[0] == "dockerd"  # the machine's dockerd serves


def test_every_daemon_the_kit_starts_sets_up_no_networking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jobs use the host's network; with the port proxy on, moby 2 refuses to start where
    docker.io's docker-proxy is not installed (a fresh machine)."""
    started: list[list[str]] = []
    monkeypatch.setattr(provision, "docker_answers", lambda: False)
    monkeypatch.setattr(provision, "ensure_engine_build", lambda: True)
    monkeypatch.setattr(provision, "_start_dockerd", lambda cmd, env, log: started.append(cmd) or True)
    provision.ensure_docker()
    extra = engines.KitEngine.at(1).command()
    for flag in ("--bridge=none", "--iptables=false", "--ip6tables=false", "--userland-proxy=false"):
        assert flag in started[0] and flag in extra
