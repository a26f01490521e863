"""``make bench``: what the kit costs on top of act, for one CI-sized run.

Runs the CI workflow for a pull request that touches every component twice: once through
the kit (repository, services, act, log reading, ledger, cleanup) and once as a bare act
call with the same command line (the repository, event and services prepared beforehand
and not timed).  Prints both wall times, their ratio, the number of job containers and the
kit process's peak memory.  Numbers, not pass/fail: targets are read off this report.
"""

from __future__ import annotations

import argparse
import json
import resource
import secrets
import subprocess
import time
from pathlib import Path

from actspec import binding, hygiene, provision
from actspec.model import RunSpec
from actspec.session import Session

DEFAULT_CHANGES = ("go", "rust", "python", "integration-tests")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(provision.ROOT / "workflows_under_test"))
    parser.add_argument("--workflow", default="ci")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    bound = binding.load(Path(args.repo).resolve())
    session = Session(bound, act=provision.act_path(), image=provision.image_tag())
    try:
        changes = tuple(c for name in DEFAULT_CHANGES if name in bound.changes for c in bound.change_set(name))
        spec = RunSpec(workflow=args.workflow, event="pull_request",
                       branch="bench", changes=changes)
        t0 = time.monotonic()
        result = session.runner.run(spec)
        kit = time.monotonic() - t0

        workflow = bound.load_workflow(args.workflow)
        run_id = f"bench-{secrets.token_hex(3)}"
        inv = session.runner.prepare(spec, workflow, run_id, session.workdir / run_id)
        started = time.time()
        t0 = time.monotonic()
        try:
            subprocess.run(inv.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=inv.workdir)
        finally:
            bare = time.monotonic() - t0
            hygiene.cleanup_run(run_id, started)
    finally:
        session.close()

    figures = {
        "workflow": workflow.path.name,
        "legs_run": sum(1 for j in result.jobs if j.ran),
        "kit_seconds": round(kit, 2),
        "bare_act_seconds": round(bare, 2),
        "ratio": round(kit / bare, 3) if bare else None,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:>18}: {value}")


if __name__ == "__main__":
    main()
