"""``python -m actspec.report``: build the conformance site and summary from a results dir."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from actspec.report import build

ROOT = Path(__file__).resolve().parents[3]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m actspec.report", description=__doc__)
    p.add_argument("--data", type=Path, default=Path(os.environ.get("ACTSPEC_RESULTS", ROOT / "report" / "data")),
                   help="results dir written by the test run (default report/data; env ACTSPEC_RESULTS)")
    p.add_argument("--out", type=Path, default=ROOT / "report" / "site", help="site directory (default report/site)")
    p.add_argument("--summary", type=Path, default=None, help="Markdown summary (default: <out>/../summary.md)")
    p.add_argument("--features", type=Path, default=ROOT / "features", help="feature files (default features/)")
    p.add_argument("--docs", type=Path, default=ROOT / "docs",
                   help="directory with spec-coverage.md and fidelity.md (default docs/)")
    args = p.parse_args(argv)
    built = build(args.data, args.out, features_dir=args.features, docs_dir=args.docs, summary_path=args.summary)
    r = built.report
    counts = r.counts()
    print(f"report: {built.index} ({sum(counts.values())} scenarios: {counts['failed']} failed, "
          f"{counts['passed']} passed, {counts['xfailed']} xfailed, {counts['skipped']} skipped, "
          f"{counts['not run']} not run; {len(r.runs)} act runs)")
    print(f"report: summary {built.summary}")
    for problem in r.problems:
        print(f"report: note: {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
