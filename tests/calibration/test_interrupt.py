"""Ctrl-C in the middle of a run leaves nothing behind: no container, volume, network or temp dir."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docker

from actspec.engine import hygiene
from actspec.tooling.provision import ROOT

from .test_semantics import HANG_TIMEOUT


def test_ctrl_c_during_a_run_cleans_up(tmp_path: Path, actspec_factory) -> None:  # noqa: ARG001 (preflight)
    before = hygiene.inventory()
    child_tmp = tmp_path / "tmp"
    child_tmp.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-m", "pytest", "tests/calibration/test_semantics.py", "-q", "-p", "no:logging",
         "-k", "hung", "--results-dir", str(tmp_path / "results")],
        cwd=ROOT, env={**os.environ, "TMPDIR": str(child_tmp), HANG_TIMEOUT: "600"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    cli = docker.from_env()
    stuck = {"label": hygiene.LABEL, "name": "act-hang-stuck"}
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not cli.containers.list(filters=stuck):
        assert child.poll() is None, f"the run ended before it could be interrupted:\n{child.stdout.read() if child.stdout else ''}"
        time.sleep(0.5)
    assert cli.containers.list(filters=stuck), "the hung job's container did not start within 300 s"
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=120)
    assert child.returncode != 0, out
    left = hygiene.inventory().minus(before)
    assert left.empty(), f"the interrupted run left {left.describe()}"
    assert not list(child_tmp.glob("actspec-*")), f"temp dirs left: {list(child_tmp.iterdir())}"
