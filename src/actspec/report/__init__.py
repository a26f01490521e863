"""The conformance report: a static, offline site and a Markdown summary from a test run.

``python -m actspec.report [--data report/data] [--out report/site]`` reads what a pytest run
with the kit left in the results directory (``tests.json`` and one ``<run_id>.json`` per act
run), the feature files and ``docs/``, and writes ``<out>/index.html`` and
``report/summary.md``.  See ``docs/report.md``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from actspec.report import data, site, summary


@dataclass
class Built:
    index: Path
    summary: Path
    report: data.Report


def build(data_dir: Path, out: Path, *, features_dir: Path, docs_dir: Path | None,
          summary_path: Path | None = None, generated: float | None = None) -> Built:
    """Write the site and the summary; return where they are and what they were made of."""
    out = Path(out)
    report = data.load(Path(data_dir), Path(features_dir), docs_dir)
    out.mkdir(parents=True, exist_ok=True)
    pages = site.Site(report, out, generated=time.time() if generated is None else generated)
    index = out / "index.html"
    index.write_text(pages.render(), encoding="utf-8")
    runs_dir = out / "runs"
    runs_dir.mkdir(exist_ok=True)
    for stale in runs_dir.glob("*.html"):
        stale.unlink()
    for run in report.runs.values():
        (runs_dir / site.run_page_name(run.run_id)).write_text(pages.run_page(run), encoding="utf-8")
    summary_path = Path(summary_path) if summary_path is not None else out.parent / "summary.md"
    summary_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        shown = str(index.relative_to(summary_path.parent))
    except ValueError:
        shown = str(index)
    summary_path.write_text(summary.render(report, shown), encoding="utf-8")
    return Built(index=index, summary=summary_path, report=report)
