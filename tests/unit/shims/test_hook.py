"""The kit's BASH_ENV hook: step mocks (`*`, a step id, `run`, keep `-`) and `step.commands`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from actspec.engine import runner
from actspec.ledger import Ledger, select
from actspec.services.host import ServiceHost

from .shim_support import CONTAINER, LIB

pytestmark = pytest.mark.unit


@pytest.fixture
def mount(tmp_path: Path) -> Path:
    root = tmp_path / "actspec"
    shutil.copytree(LIB, root / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "hook.sh").write_text(runner.HOOK.replace("/actspec/", f"{root}/"))
    # job, step selector, mock name ("-": the kit's own row, not recorded), command; first match wins
    rows = [("b", "keep", "-", "-"), ("b", "run", "-", "echo stubbed; exit 0"), ("c", "*", "-", "echo all; exit 3")]
    (root / "mocks.tsv").write_text("".join("\t".join(r) + "\n" for r in rows))
    return root


def _step(mount: Path, job: str, action: str, script: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {"PATH": os.environ["PATH"], "BASH_ENV": str(mount / "hook.sh"), "GITHUB_JOB": job,
            "GITHUB_ACTION": action, "RUNNER_TEMP": str(mount.parent), "ACTSPEC_CONTAINER_ID": CONTAINER, **env}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                          capture_output=True, text=True, env=full)


def test_mock_selectors(mount: Path) -> None:
    assert _step(mount, "b", "3", "echo real").stdout.strip() == "stubbed"
    assert _step(mount, "b", "keep", "echo real").stdout.strip() == "real"
    inside_an_action = _step(mount, "b", "3", "echo real", GITHUB_ACTION_PATH="/actions/x")
    assert inside_an_action.stdout.strip() == "real"
    a_javascript_shim = _step(mount, "b", "3", "echo real", ACTSPEC_SHIM="/actions/y")
    assert a_javascript_shim.stdout.strip() == "real"
    every = _step(mount, "c", "keep", "echo real")
    assert (every.stdout.strip(), every.returncode) == ("all", 3)
    assert _step(mount, "d", "1", "echo real").stdout.strip() == "real"


def test_commands_of_a_step_reach_the_ledger(mount: Path, host: ServiceHost, ledger: Ledger) -> None:
    script = 'x=$(echo hi); bash -c "cargo --version >/dev/null 2>&1 || true"; exit 4'
    proc = _step(mount, "d", "build", script, ACTSPEC_KIT_URL=host.base_url("kit"))
    assert proc.returncode == 4, proc.stderr  # the step's own status survives the recorder
    entries = select(ledger, "step.commands")
    assert [e.subject for e in entries] == ["build"]
    commands = entries[0].details["commands"]
    assert "x=$(echo hi)" in commands and any(c.startswith("cargo --version") for c in commands)
    assert not any("actspec_shim" in c or c.startswith("trap ") for c in commands)


def test_a_stubbed_step_records_nothing(mount: Path, host: ServiceHost, ledger: Ledger) -> None:
    _step(mount, "b", "3", "cargo build", ACTSPEC_KIT_URL=host.base_url("kit"))
    assert not select(ledger, "step.commands")
