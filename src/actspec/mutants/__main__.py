"""``python -m actspec.mutants list|run``: the generated mutants of a bound repository, and their score.

``run`` judges ``--parallel`` mutants at a time (default one; each child session takes the
first free engine for each of its runs, so more than one per engine only waits); its last line is ``mutation score: K of N killed (P %)``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
import time
from pathlib import Path

from actspec.errors import SetupError
from actspec.mutants import generate, run
from actspec.repository import binding
from actspec.tooling.provision import ROOT


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m actspec.mutants")
    parser.add_argument("command", choices=["list", "run"])
    parser.add_argument("--repo", default=str(ROOT / "workflows_under_test"), help="a checkout with actspec.yaml")
    parser.add_argument("--section", action="append", default=[], help="only mutants breaking this section (repeatable)")
    parser.add_argument("--only", action="append", default=[], help="only this mutant (repeatable)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many mutants, spread over the sections")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds a mutant's child session may take")
    parser.add_argument("--budget", type=float, default=0.0,
                        help="seconds for the whole run: no mutant starts after that (the rest are listed as not judged)")
    parser.add_argument("--parallel", type=int, default=1,
                        help="mutants judged at once (their act runs share the engines; one per engine is enough)")
    parser.add_argument("--engines", default=None, help="passed to each child session (see --engines of pytest)")
    parser.add_argument("--resume", action="store_true",
                        help=f"keep the verdicts of the {run.FILE} already in --results-dir and judge only the rest")
    parser.add_argument("--results-dir", default=str(ROOT / "report" / "data"), help=f"where {run.FILE} goes")
    args = parser.parse_args(argv)
    repo = Path(args.repo).resolve()
    try:
        mutants = generate(binding.load(repo))
    except SetupError as exc:
        print(f"actspec: {exc}", file=sys.stderr)
        return 2
    chosen = [m for m in mutants if (not args.section or m.section in args.section)
              and (not args.only or m.name in args.only)]
    unknown = set(args.only) - {m.name for m in mutants}
    if unknown:
        print(f"actspec: no generated mutant {', '.join(sorted(unknown))} (`list` names them)", file=sys.stderr)
        return 2
    if args.limit:
        chosen = _spread(chosen, args.limit)
    if args.command == "list":
        for m in chosen:
            print(f"{m.name}\t{m.mode}\t{m.rule}")
        print(f"{len(chosen)} of {len(mutants)} generated mutants")
        return 0
    verdicts: list[run.Verdict] = run.read(Path(args.results_dir), repo) if args.resume else []
    judged = {v.name for v in verdicts}
    chosen = [m for m in chosen if m.name not in judged]
    print(f"{len(chosen)} of {len(mutants)} generated mutants of {repo}"
          + (f" ({len(judged)} judged before)" if judged else ""))
    began = time.monotonic()
    lock = threading.Lock()
    baseline = run.Baseline(repo, timeout=args.timeout, engines=args.engines)
    queue = list(enumerate(chosen, 1))
    skipped: list[str] = []

    def worker() -> None:
        """Take the next mutant until none is left or the budget is spent."""
        while True:
            with lock:
                if not queue:
                    return
                if args.budget and time.monotonic() - began > args.budget:
                    skipped.extend(m.name for _, m in queue)
                    queue.clear()
                    return
                i, m = queue.pop(0)
            work = run.scratch()
            try:
                v = run.judge(m, repo, timeout=args.timeout, engines=args.engines, work=work, baseline=baseline)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            with lock:
                verdicts.append(v)
                print(f"[{i}/{len(chosen)}] {v.verdict:<11} {v.seconds:7.1f}s  {m.name}  -- {v.evidence}", flush=True)
                run.write(Path(args.results_dir), repo, verdicts, len(mutants), time.monotonic() - began)

    threads = [threading.Thread(target=worker) for _ in range(max(1, args.parallel))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if skipped:
        print(f"budget of {args.budget:.0f} s spent: {len(skipped)} mutants not judged ({', '.join(skipped)})")
    for section, s in sorted(run.score(verdicts).items()):
        print(f"  {section:<26} killed {s.killed} of {s.counted}"
              + (f", {s.equivalent} equivalent" if s.equivalent else "")
              + (f", {s.timeout} timed out" if s.timeout else ""))
    for v in verdicts:
        if v.verdict in ("survived", "no-scenario", "timeout", "error"):
            print(f"{v.verdict}: {v.name} ({v.rule}): {v.evidence}\n{v.diff}")
    print(f"{time.monotonic() - began:.0f} s for {len(verdicts)} mutants")
    print(run.summary_line(verdicts))
    return 0


def _spread(mutants: list, limit: int) -> list:
    """``--limit N``: round-robin over the sections, so a subset still scores every section."""
    by: dict[str, list] = {}
    for m in mutants:
        by.setdefault(m.section, []).append(m)
    out: list = []
    while len(out) < limit and any(by.values()):
        for queue in by.values():
            if queue and len(out) < limit:
                out.append(queue.pop(0))
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
