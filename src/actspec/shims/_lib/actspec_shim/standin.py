"""A stand-in declared in the binding (``standins:``): set its outputs, write its files, record that it ran.

The runner generates one composite action per stand-in whose first step runs this module;
the values arrive through the step's ``env:`` (act has evaluated any expressions in them),
the names as JSON lists.  The command a stand-in runs, if any, is the action's second step.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from actspec_shim import gha, kit


def main() -> None:
    ref = os.environ["ACTSPEC_STANDIN"]
    outputs = json.loads(os.environ.get("ACTSPEC_STANDIN_OUTPUTS") or "[]")
    files = json.loads(os.environ.get("ACTSPEC_STANDIN_FILES") or "[]")
    for i, name in enumerate(outputs):
        gha.set_output(name, os.environ.get(f"ACTSPEC_STANDIN_OUTPUT_{i}", ""))
    written = []
    for i, rel in enumerate(files):
        path = Path(gha.workspace()) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(os.environ.get(f"ACTSPEC_STANDIN_FILE_{i}", ""))
        written.append(rel)
    kit.record("standin.run", ref, {"outputs": outputs, "files": written,
                                    "run": os.environ.get("ACTSPEC_STANDIN_RUN", "")})
    gha.info(f"actspec: stand-in for {ref} (declared in actspec.yaml): "
             f"outputs {', '.join(outputs) or 'none'}, files {', '.join(written) or 'none'}")


if __name__ == "__main__":
    gha.main(main)
