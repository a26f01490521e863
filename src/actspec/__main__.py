"""``python -m actspec <command>``: ``init PATH`` writes a starter binding (see :mod:`actspec.repository.scaffold`)."""

from __future__ import annotations

import sys

from actspec.repository import scaffold

COMMANDS = {"init": scaffold.main}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python -m actspec {{{','.join(COMMANDS)}}} ...", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
