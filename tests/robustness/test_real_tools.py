"""A user's mistake in what the real tools read gets the tool's own message, not the kit's.

The workflows' steps run the real goreleaser and the real mise (provisioned, pinned); a
mistake in ``.goreleaser.yaml`` or a task name that does not exist must fail with their
words, and nothing may reach the mock GitHub.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from actspec.tooling import provision
from tests.unit.services.conftest import Stack
from tests.unit.services.test_goreleaser_shim import CONFIG, SCRIPT, goreleaser_job
from tests.unit.shims.conftest import host, job, kit, ledger  # noqa: F401  (the shims' fixtures)
from tests.unit.shims.shim_support import Job, write


@pytest.mark.skipif(not provision.runner_tool("goreleaser").is_file(), reason="goreleaser is not provisioned")
def test_an_unknown_goreleaser_key_fails_with_goreleasers_own_message(tmp_path: Path, stack: Stack) -> None:
    job = goreleaser_job(tmp_path, stack, CONFIG + "relase_notes: oops\n")
    r = job.run(SCRIPT, {"args": "release --clean"})
    assert r.code == 1
    assert "field relase_notes not found in type config.Project" in r.log
    assert not [e for e in stack.ledger if e.kind.startswith("release.")]


@pytest.mark.skipif(not provision.runner_tool("mise").is_file(), reason="mise is not provisioned")
def test_a_missing_mise_task_fails_with_mises_own_message(job: Job) -> None:  # noqa: F811
    job.extra_env["ACTSPEC_TOOLS"] = str(provision.RUNNER_TOOLS)
    write(job.workspace, {"mise.toml": '[tasks."lint:go"]\nrun = "true"\n'})
    step = job.run("jdx/mise-action/mise_action.py")
    assert step.code == 0, step.log
    env = {"PATH": os.pathsep.join([*step.path, os.environ["PATH"]]), "HOME": str(job.home), **step.env}
    proc = subprocess.run(["mise", "run", "lint:rust"], cwd=job.workspace, env=env, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "mise ERROR no task lint:rust found" in proc.stderr
