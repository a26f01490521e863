"""A child session cut short gets SIGINT and time to clean up, never a bare SIGKILL first."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from actspec.tooling import children

CHILD = """
import pathlib, signal, sys, time
def stop(*_):
    pathlib.Path(sys.argv[1]).write_text("cleaned up")
    sys.exit(2)
signal.signal(signal.SIGINT, stop)
print("started", flush=True)
time.sleep(60)
"""


def test_a_child_that_runs_too_long_is_interrupted_and_cleans_up(tmp_path: Path) -> None:
    mark = tmp_path / "mark"
    result = children.run([sys.executable, "-c", CHILD, str(mark)], cwd=tmp_path, timeout=1.5)
    assert result.timed_out and result.returncode is None
    assert mark.read_text() == "cleaned up"
    assert "started" in result.output


def test_a_child_that_finishes_gives_its_status_and_output(tmp_path: Path) -> None:
    result = children.run([sys.executable, "-c", "print('hello'); raise SystemExit(3)"], cwd=tmp_path)
    assert (result.returncode, result.output.strip(), result.timed_out) == (3, "hello", False)



PARENT = """
import subprocess
import sys
import time
from pathlib import Path
from actspec.tooling import children
children.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], cwd=Path(sys.argv[3]))
"""
READY_CHILD = CHILD.replace('print("started", flush=True)', 'pathlib.Path(sys.argv[1] + ".ready").touch()')


def test_a_child_whose_parent_is_killed_is_interrupted_and_cleans_up(tmp_path: Path) -> None:
    """SIGKILL gives the parent no chance to stop its child; the kernel's parent-death signal does."""
    mark = tmp_path / "mark"
    parent = subprocess.Popen([sys.executable, "-c", PARENT, READY_CHILD, str(mark), str(tmp_path)])
    _wait_for(Path(f"{mark}.ready"))
    parent.kill()
    parent.wait()
    _wait_for(mark)
    assert mark.read_text() == "cleaned up"


def _wait_for(path: Path, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert path.exists(), f"{path.name} did not appear within {seconds:.0f} s"
