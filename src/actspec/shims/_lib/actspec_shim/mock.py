"""Record that a step mock of the binding fired: ``python3 -m actspec_shim.mock <name> <step>``.

Run by the step hook (``/actspec/hook.sh``) just before it replaces a step, so the ledger,
and from it the report, says which mocks stood in for which steps.  A refused record must
not change what the step does, so failures are ignored by the hook.
"""

from __future__ import annotations

import sys

from actspec_shim import kit

if __name__ == "__main__":
    kit.record("mock.step", sys.argv[1], {"step": sys.argv[2] if len(sys.argv) > 2 else ""})
