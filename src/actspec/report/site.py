"""The static site: one self-contained ``index.html`` (inline CSS and SVG, no script).

Order of the page: the verdict with counts and the failed scenarios (each linking to the
job graph of the run it read), the scenarios grouped by document section, every act run
with its job graph, jobs, publishing timeline and ledger, then the spec coverage matrix
and the fidelity notes.  The HTML is in Jinja2 templates (``templates/``, autoescaped, so all
text from features, tests, runs and docs is HTML-escaped); this module prepares what they show.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import jinja2
from markupsafe import Markup

from actspec.report import graph, md
from actspec.report import sections as sec
from actspec.report.data import Report, RunView, ScenarioView

SEP = " \u00b7 "
TIMELINE_FAMILIES = ("oidc.", "pypi.", "crates.", "release.", "registry.", "github.")
COUNT_ORDER = ("failed", "passed", "xfailed", "skipped", "not run")
OUTCOME_LABEL = {
    "passed": "passed",
    "failed": "FAILED",
    "xfailed": "act diverges (xfail)",
    "skipped": "skipped",
    "not run": "not run",
}


def e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "x"


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    m, s = divmod(int(round(seconds)), 60)
    return f"{m} min {s:02d} s"


def fmt_time(ts: float | None) -> str:
    if not ts:
        return ""
    return _dt.datetime.fromtimestamp(float(ts), _dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def run_anchor(run_id: str) -> str:
    return f"run-{_slug(run_id)}"


def run_page_name(run_id: str) -> str:
    return f"{_slug(run_id)}.html"




def _escaped(value: Any) -> Markup:
    """Every ``{{ value }}`` as :func:`e` escapes it (None shows as nothing); markup made here passes."""
    return value if isinstance(value, Markup) else Markup(e(value))


def _environment() -> jinja2.Environment:
    """The templates under ``templates/``, autoescaped; the helpers they call are globals."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("actspec.report", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                             finalize=_escaped)
    env.globals.update(
        sep=SEP, labels=OUTCOME_LABEL, order=COUNT_ORDER, slug=_slug, clip=_clip,
        fmt_duration=fmt_duration, fmt_time=fmt_time, run_anchor=run_anchor, run_page_name=run_page_name,
        example_text=_example_text, first_line=_first_line, failed_step=_failed_step, count=_count,
        total_duration=lambda scenarios: sum(x.duration or 0 for x in scenarios),
        section_titles=lambda s: ", ".join(x.title for x in (s.sections or [sec.UNSECTIONED])),
        spec_rows=_spec_rows, timeline_of=_timeline, job_rows=_job_rows, ledger_time=_ledger_time,
        ledger_details=_ledger_details)
    return env


class Site:
    def __init__(self, report: Report, out: Path, generated: float | None = None) -> None:
        self.r = report
        self.out = Path(out)
        self.generated = generated
        self.graph_errors: list[str] = []
        self._graphs: dict[str, Markup] = {}
        self.here = self.out  # directory of the page being written (relative links)
        self.index = ""  # how the page being written refers to index.html ("" on the index itself)
        self.env = _environment()

    # ------------------------------------------------------------------ helpers
    def rel_data(self, path: Path) -> str:
        return os.path.relpath(path, self.here).replace(os.sep, "/")

    def run_title(self, run: RunView) -> str:
        spec = run.spec
        wf = spec.get("workflow", "?")
        ev = spec.get("event", "?")
        where = spec.get("tag") or spec.get("branch") or ""
        return f"{wf} \u00b7 {ev}" + (f" on {where}" if where else "")

    # ------------------------------------------------------------------ pages
    def render(self) -> str:
        counts = self.r.counts()
        total = sum(counts.values())
        failed = self.r.failed
        verdict = "FAILED" if failed else ("PASSED" if self.r.tests_found and counts["passed"] else "NO RESULTS")
        # first: drawing the graphs may add to the problems shown at the top
        runs = Markup(self.env.get_template("runs.html.j2").render(site=self, r=self.r))
        if verdict == "FAILED":
            head = f"{counts['failed']} of {total} scenarios failed"
        elif verdict == "PASSED":
            head = f"All {counts['passed'] + counts['xfailed']} scenarios that ran hold" + (
                f" ({counts['not run']} not run)" if counts["not run"] else "")
        else:
            head = "No test results found"
        all_runs = list(self.r.runs.values())
        bad_runs = sum(1 for r in all_runs if r.status == "failure")
        kit = self.r.other_tests
        lines = [f"{len(all_runs)} act runs ({bad_runs} with a failed, cancelled or hung job \u2014 often on purpose)"]
        if self.r.mutation_line:
            lines.append(self.r.mutation_line)
        if kit:
            kit_failed = sum(1 for t in kit if t.outcome == "failed")
            lines.append(f"{len(kit)} kit tests outside the features ({kit_failed} failed)")
        kit_counts: dict[str, int] = {}
        for t in kit:
            kit_counts[t.outcome] = kit_counts.get(t.outcome, 0) + 1
        docs = self.r.docs
        coverage = (Markup(self.annotate_coverage(md.to_html(_drop_title(docs["spec-coverage.md"]), "cov")))
                    if "spec-coverage.md" in docs else None)
        fidelity = Markup(md.to_html(_drop_title(docs["fidelity.md"]), "fid")) if "fidelity.md" in docs else None
        return self.env.get_template("index.html.j2").render(
            site=self, r=self.r, verdict=verdict, head=head, counts=counts, summary_lines=lines,
            repos=sorted({str(r.spec.get("repo")) for r in all_runs if r.spec.get("repo")}),
            generated=self.generated, problems=self.r.problems + self.graph_errors, failed=failed,
            grouped=self.grouped(), kit_counts=sorted(kit_counts.items()), runs=runs, coverage=coverage,
            fidelity=fidelity)

    def run_page(self, run: RunView) -> str:
        """``runs/<run_id>.html``: one run on its own page, its job graph first."""
        self.here, self.index = self.out / "runs", "../index.html"
        try:
            return self.env.get_template("run.html.j2").render(site=self, run=run)
        finally:
            self.here, self.index = self.out, ""

    def grouped(self) -> list[tuple[sec.Section, list[ScenarioView]]]:
        groups: dict[str, tuple[sec.Section, list[ScenarioView]]] = {}
        for s in self.r.scenarios:
            for x in s.sections or [sec.UNSECTIONED]:
                groups.setdefault(x.slug, (x, []))[1].append(s)
        return sorted(groups.values(), key=lambda g: sec.order_key(g[0]))

    # ------------------------------------------------------------------ runs
    def graph_html(self, run: RunView, anchor: str) -> Markup:
        """The run's job graph (drawn once per run: the index and the run page share it)."""
        if run.run_id not in self._graphs:
            self._graphs[run.run_id] = self._graph_html(run, anchor)
        return self._graphs[run.run_id]

    def _graph_html(self, run: RunView, anchor: str) -> Markup:
        g = graph.build(run, anchor)
        why = g.external.pop("__why__", "")
        try:
            drawing = graph.render_svg(graph.to_dot(g))
        except (OSError, RuntimeError, ValueError) as exc:
            msg = f"run {run.run_id}: job graph drawn without Graphviz ({exc})"
            if not self.graph_errors or not any("Graphviz" in x for x in self.graph_errors):
                self.graph_errors.append(msg)
            drawing = graph.html_fallback(g)
        return Markup(self.env.get_template("graph.html.j2").render(
            anchor=anchor, drawing=Markup(drawing), needs_source=g.needs_source, why=why))

    # ------------------------------------------------------------------ docs
    def annotate_coverage(self, text: str) -> str:
        """After each quoted scenario name, a badge with the outcome of that scenario (all its rows)."""
        by_template: dict[str, list[ScenarioView]] = {}
        for s in self.r.scenarios:
            by_template.setdefault(s.template, []).append(s)
        for name in sorted(by_template, key=len, reverse=True):
            rows = by_template[name]
            quoted = f"&quot;{md.inline(name)}&quot;"
            if quoted not in text:
                continue
            c = _count(rows)
            worst = next(k for k in COUNT_ORDER if c.get(k)) if c else "not run"
            label = OUTCOME_LABEL.get(worst, worst) if len(rows) == 1 else f"{c[worst]}/{len(rows)} {worst}"
            first = next((s for s in rows if s.outcome == worst), rows[0])
            mark = (f' <a class="badge {e(worst.replace(" ", "-"))}" href="#{e(first.anchor)}" '
                    f'title="{e(name)}">{e(label)}</a>')
            text = text.replace(quoted, quoted + mark)
        return text


# ---------------------------------------------------------------------- what the run templates show

def _spec_rows(run: RunView) -> list[tuple[str, Any]]:
    """The run spec as (label, value) rows, empty values left out."""
    spec = run.spec
    rows = [("workflow", spec.get("workflow")), ("repository", spec.get("repo")), ("event", spec.get("event")),
            ("branch", spec.get("branch")), ("base branch", spec.get("base_branch")), ("tag", spec.get("tag")),
            ("changes", _changes_text(spec.get("changes"))),
            ("failing jobs (injected)", ", ".join(spec.get("fail_jobs") or [])),
            ("seeds", _seeds_text(spec.get("seeds"))), ("after run", _after_text(spec.get("after"))),
            ("payload", json.dumps(dict(spec.get("payload") or []), sort_keys=True) if spec.get("payload") else ""),
            ("act exit code", run.data.get("exit_code")), ("started", fmt_time(run.started)),
            ("duration", fmt_duration(run.duration)), ("hung job", run.data.get("hung_job")),
            ("mocks and stand-ins fired", "; ".join(run.data.get("fired") or []) or "none")]
    return [(k, v) for k, v in rows if v not in (None, "", [])]


def _timeline(run: RunView) -> list[dict[str, Any]]:
    return [x for x in run.ledger if str(x.get("kind", "")).startswith(TIMELINE_FAMILIES)]


@dataclass
class _JobRow:
    job_id: str
    job: dict[str, Any]
    first: bool  # the first leg of its job carries the job's anchor
    duration: float | None
    steps: list[dict[str, Any]]
    outputs: str


def _job_rows(run: RunView) -> list[_JobRow]:
    rows, seen = [], set()
    for j in run.jobs:
        jid = str(j.get("job_id"))
        dur = None
        if j.get("started") is not None and j.get("finished") is not None:
            dur = float(j["finished"]) - float(j["started"])
        rows.append(_JobRow(jid, j, jid not in seen, dur,
                            [s for s in j.get("steps") or [] if s.get("stage", "Main") == "Main"],
                            ", ".join(f"{k}={v}" for k, v in (j.get("outputs") or {}).items())))
        seen.add(jid)
    return rows


def _ledger_time(run: RunView, entry: dict[str, Any]) -> str:
    at = entry.get("at")
    return f"+{float(at) - run.started:.1f} s" if at is not None and run.started else ""


def _ledger_details(entry: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_clip(_plain(v), 80)}" for k, v in sorted((entry.get("details") or {}).items()))


# ---------------------------------------------------------------------- small text helpers

def _count(scenarios: Iterable[ScenarioView]) -> dict[str, int]:
    c: dict[str, int] = {}
    for s in scenarios:
        c[s.outcome] = c.get(s.outcome, 0) + 1
    return c


def _example_text(example: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in example.items())


def _failed_step(s: ScenarioView) -> str:
    for st in s.steps:
        if st.status == "failed":
            return f"{st.keyword} {st.name}"
    return ""


def _drop_title(markdown: str) -> str:
    """The document without its leading ``# Title`` line (the page gives the section its own title)."""
    lines = markdown.lstrip().splitlines()
    return "\n".join(lines[1:]) if lines and re.match(r"#\s", lines[0]) else markdown


def _first_line(text: Any) -> str:
    lines = str(text or "").strip().splitlines()
    first = lines[0] if lines else ""
    return _clip(first, 90) + (" \u2026" if len(lines) > 1 else "")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _plain(v: Any) -> str:
    return v if isinstance(v, str) else json.dumps(v, sort_keys=True, default=str)


def _changes_text(changes: Any) -> str:
    if not changes:
        return ""
    return ", ".join(f"{c.get('op', 'append')} {c.get('path')}" if isinstance(c, dict) else str(c) for c in changes)


def _seeds_text(seeds: Any) -> str:
    if not seeds:
        return ""
    return ", ".join(f"{s.get('service')}:{s.get('what')}={s.get('value')}" if isinstance(s, dict) else str(s) for s in seeds)


def _after_text(after: Any) -> str:
    if not isinstance(after, dict):
        return ""
    return f"{after.get('workflow')} \u00b7 {after.get('event')} on {after.get('tag') or after.get('branch')} (services start from its end state)"
