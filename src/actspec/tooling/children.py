"""Child pytest sessions (mutations, mutants, the example repository), stopped the way a user stops one.

``subprocess.run`` answers a timeout or a Ctrl-C of the parent by SIGKILLing the child: the
child then cannot stop its act or remove its job containers, and what it left waits for the
next session's sweep.  A child here gets SIGINT first, as a Ctrl-C would give it, time to
clean up, and SIGKILL only after that; a second Ctrl-C while it cleans up is the user's
"now": SIGKILL at once.  A parent that dies without a word (SIGKILL, a crash) still stops
its child: the child gets SIGINT when the parent's thread that started it is gone
(``setpriv --pdeathsig``), instead of running on with nobody reading its output.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

GRACE = 60.0  # seconds a child gets to stop its act and clean up after SIGINT


@dataclass(frozen=True)
class ChildResult:
    """How a child session ended: its exit status (None if it had to be stopped) and its output."""

    returncode: int | None
    output: str
    timed_out: bool = False


def run(cmd: list[str], *, cwd: Path, timeout: float | None = None, env: dict[str, str] | None = None) -> ChildResult:
    """Run ``cmd`` in its own process group, stdout and stderr together; stop it gently when cut short."""
    proc = subprocess.Popen(["setpriv", "--pdeathsig", "INT", "--", *cmd], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        return ChildResult(None, stop(proc), timed_out=True)
    except BaseException:
        stop(proc)
        raise
    return ChildResult(proc.returncode, out)


def stop(proc: subprocess.Popen[str]) -> str:
    """SIGINT to the child's process group, SIGKILL after :data:`GRACE` seconds; what it printed."""
    for sig, wait in ((signal.SIGINT, GRACE), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            out, _ = proc.communicate(timeout=wait)
            return out or ""
        except subprocess.TimeoutExpired:
            continue
        except KeyboardInterrupt:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            raise
    return ""
