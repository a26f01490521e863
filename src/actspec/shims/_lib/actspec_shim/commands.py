"""Record what one step ran: the commands the kit's BASH_ENV hook wrote down.

The hook (``actspec.engine.runner.HOOK``) appends every command a bash shell of the step runs
(``$BASH_COMMAND`` in a DEBUG trap, nested bash shells included) to one file; when the
step's own shell exits, this turns the file into one ledger entry ``step.commands`` whose
subject is the step (``$GITHUB_ACTION``: its id, or its index) and whose ``commands`` are
the distinct commands in the order they first ran.  Checks read what a job *did* from it
instead of guessing from step names.
"""

from __future__ import annotations

import os
import sys

from actspec_shim import kit

MAX_COMMANDS = 400
MAX_LENGTH = 400


def distinct_commands(lines: list[str]) -> list[str]:
    """The commands in first-run order, without repeats, the hook's own ``trap`` lines and
    the recorder itself; long ones cut, and at most ``MAX_COMMANDS``."""
    seen: dict[str, None] = {}
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("trap ") or "actspec_shim.commands" in line:
            continue
        seen.setdefault(line[:MAX_LENGTH], None)
        if len(seen) >= MAX_COMMANDS:
            break
    return list(seen)


def main(path: str) -> int:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
        os.unlink(path)
    except OSError:
        return 0  # the step ran no command of its own (or another recorder took the file)
    commands = distinct_commands(lines)
    if commands:
        kit.record("step.commands", os.environ.get("GITHUB_ACTION", ""), {"commands": commands})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
