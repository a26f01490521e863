"""``make bench`` selects real scenarios: its gate rows still name a feature file and match."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from actspec import bench
from actspec.repository import binding
from actspec.tooling.provision import ROOT


def test_the_parallel_gate_rows_select_four_scenarios() -> None:
    out = subprocess.run([sys.executable, "-m", "pytest", *bench.GATE_ROWS, "--collect-only", "-q", "-p", "no:cacheprovider"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    rows = [line for line in out.stdout.splitlines() if "::test_the_gate_fails_when_job_fails" in line]
    assert len(rows) == 4, out.stdout


def test_the_suite_figures_leave_out_runs_of_other_repositories(tmp_path: Path) -> None:
    """The results folder holds whatever session ran last (the calibration suite, say)."""
    (tmp_path / "r.json").write_text(json.dumps({"run_id": "x", "spec": {"workflow": "semantics"}, "jobs": []}))
    assert bench.suite_figures(tmp_path, binding.load(ROOT / "workflows_under_test")) is None
