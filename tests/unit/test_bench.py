"""``make bench`` selects real scenarios: its gate rows still name a feature file and match."""

from __future__ import annotations

import subprocess
import sys

from actspec import bench
from actspec.tooling.provision import ROOT


def test_the_parallel_gate_rows_select_four_scenarios() -> None:
    out = subprocess.run([sys.executable, "-m", "pytest", *bench.GATE_ROWS, "--collect-only", "-q", "-p", "no:cacheprovider"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    rows = [line for line in out.stdout.splitlines() if "::test_the_gate_fails_when_job_fails" in line]
    assert len(rows) == 4, out.stdout
