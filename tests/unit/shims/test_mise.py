"""jdx/mise-action shim: the provisioned real mise on PATH, offline, and what it records."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from actspec.tooling import provision

from .shim_support import entries, write

pytestmark = [
    pytest.mark.unit,
    pytest.mark.skipif(not provision.runner_tool("mise").is_file(),
                       reason="mise is not provisioned: `python -m actspec.tooling.provision mise`"),
]

MISE_TOML = """
[tools]
go = "1.22"

[env]
_.path = "./bin"
GREETING = "hello"

[tasks._setup_dist]
hide = true
run = "mkdir -p dist"

[tasks."build:sdk"]
description = "Build SDK"
depends = ["_setup_dist"]
run = ["echo sdk > dist/sdk.txt", "echo built $GREETING"]

[tasks.fail]
run = ["echo first", "exit 3", "echo never > never.txt"]
"""


@pytest.fixture
def mise(job):  # type: ignore[no-untyped-def]
    """Run the shim, then a ``mise`` command with the PATH and env the shim gave later steps."""
    job.extra_env["ACTSPEC_TOOLS"] = str(provision.RUNNER_TOOLS)
    write(job.workspace, {"mise.toml": MISE_TOML})
    r = job.run("jdx/mise-action/mise_action.py", {"cache": "false"})
    assert r.code == 0, r.log

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": os.pathsep.join([*r.path, os.environ["PATH"]]), "HOME": str(job.home), **r.env}
        return subprocess.run(["mise", *args], cwd=job.workspace, env=env, capture_output=True, text=True)

    call.step = r  # type: ignore[attr-defined]
    return call


def test_the_shim_puts_the_real_mise_on_path_offline(mise, ledger):
    step = mise.step
    assert step.env["MISE_OFFLINE"] == "1" and step.env["MISE_AUTO_INSTALL"] == "false"
    assert step.env["GREETING"] == "hello"
    assert str(provision.runner_tool("mise").parent) in step.path
    (entry,) = entries(ledger, "setup.mise")
    assert entry.details["provided"] == provision.MISE_VERSION
    assert entry.details["tools"] == {"go": "1.22"}
    assert entry.details["config_files"] == ["mise.toml"]
    assert "build:sdk" in entry.details["tasks"] and "_setup_dist" in entry.details["tasks"]
    assert "mise install not run (offline): go" in step.log
    assert mise("--version").stdout.startswith(provision.MISE_VERSION)


def test_a_task_runs_its_depends_with_the_config_env(mise, job):
    p = mise("run", "build:sdk")
    assert p.returncode == 0, p.stderr
    assert (job.workspace / "dist" / "sdk.txt").read_text() == "sdk\n"
    assert "built hello" in p.stdout


def test_a_failing_command_stops_the_task_with_its_status(mise, job):
    p = mise("run", "fail")
    assert p.returncode == 3
    assert not (job.workspace / "never.txt").exists()


def test_an_unknown_task_fails_with_mises_own_message(mise):
    p = mise("run", "nope")
    assert p.returncode == 1
    assert "mise ERROR no task nope found" in p.stderr


def test_without_a_provisioned_mise_the_step_fails_in_one_line(job, tmp_path: Path):
    job.extra_env["ACTSPEC_TOOLS"] = str(tmp_path / "none")
    r = job.run("jdx/mise-action/mise_action.py")
    assert r.code == 1
    assert r.errors() == [f"actspec: mise is not provisioned at {tmp_path / 'none'}/mise/bin: run `make setup` on the host"]
