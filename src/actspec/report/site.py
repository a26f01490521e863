"""The static site: one self-contained ``index.html`` (inline CSS and SVG, no script).

Order of the page: the verdict with counts and the failed scenarios (each linking to the
job graph of the run it read), the scenarios grouped by document section, every act run
with its job graph, jobs, publishing timeline and ledger, then the spec coverage matrix
and the fidelity notes.  All text from features, tests, runs and docs is HTML-escaped.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

from actspec.report import graph
from actspec.report import md
from actspec.report import sections as sec
from actspec.report.data import Report, RunView, ScenarioView

SEP = " \u00b7 "
TIMELINE_FAMILIES = ("oidc.", "pypi.", "crates.", "release.", "registry.", "github.")
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


CSS = """
:root { --ok:#1a7f37; --okbg:#d2f4d8; --bad:#cf222e; --badbg:#ffd7d5; --skip:#6e7781; --skipbg:#eef0f2;
  --warn:#9a6700; --warnbg:#fff1b8; --xf:#8250df; --xfbg:#efe5ff; --fg:#1f2328; --muted:#57606a; --line:#d0d7de;
  --link:#0969da; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Helvetica, Arial, sans-serif;
  color: var(--fg); background:#fff; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
a { color: var(--link); }
header.top { padding: 18px 28px 8px; border-bottom: 1px solid var(--line); }
header.top h1 { margin: 0 0 4px; font-size: 26px; }
.meta { color: var(--muted); margin: 0; font-size: 13px; }
main, .wrap { padding: 0 28px 40px; max-width: 1500px; }
.verdict { margin: 16px 28px; padding: 14px 18px; border-radius: 8px; border: 2px solid; }
.verdict.fail { background: var(--badbg); border-color: var(--bad); }
.verdict.pass { background: var(--okbg); border-color: var(--ok); }
.verdict h2 { margin: 0 0 8px; font-size: 22px; }
.chips { list-style: none; padding: 0; margin: 6px 0; display: flex; flex-wrap: wrap; gap: 8px; }
.chip { padding: 3px 10px; border-radius: 14px; font-weight: 600; border: 1px solid; background:#fff; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; border: 1px solid; white-space: nowrap; }
.passed, .success { --c: var(--ok); --b: var(--okbg); }
.failed, .failure { --c: var(--bad); --b: var(--badbg); }
.skipped, .not-run { --c: var(--skip); --b: var(--skipbg); }
.xfailed { --c: var(--xf); --b: var(--xfbg); }
.cancelled, .unknown { --c: var(--warn); --b: var(--warnbg); }
.badge, .chip { color: var(--c); border-color: var(--c); background: var(--b); }
.failedlist { margin: 16px 28px; padding: 12px 18px; border-left: 6px solid var(--bad); background: #fff8f7; }
.failedlist h2 { margin: 0 0 8px; color: var(--bad); }
.failedlist li { margin: 0 0 12px; }
.failedlist .promise { font-weight: 700; font-size: 16px; }
pre.msg { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid var(--badbg); border-left: 4px solid var(--bad);
  padding: 6px 10px; margin: 6px 0; color: #82071e; }
nav.toc { margin: 10px 28px 0; padding: 10px 18px; background: #f6f8fa; border-radius: 8px; }
nav.toc ol { margin: 4px 0; columns: 2; }
h2.section { border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-top: 34px; }
.sectioncounts { font-size: 13px; font-weight: 400; margin-left: 10px; }
article.feature { margin: 14px 0 22px; padding: 10px 16px; border: 1px solid var(--line); border-radius: 8px; }
article.feature h3 { margin: 2px 0; }
.file { color: var(--muted); font-size: 13px; margin: 0 0 4px; }
.desc { white-space: pre-wrap; color: #404850; font-size: 14px; margin: 4px 0 8px; }
details.scenario { border-top: 1px solid #eaeef2; padding: 5px 0; }
details.scenario > summary { cursor: pointer; list-style-position: outside; }
details.scenario.failed > summary { font-weight: 700; }
.dur { color: var(--muted); font-size: 12px; margin-left: 6px; }
.tag { color: var(--muted); font-size: 12px; margin-left: 4px; }
ol.steps { margin: 4px 0 4px 10px; padding-left: 18px; }
ol.steps li { margin: 1px 0; }
ol.steps li.failed { color: var(--bad); font-weight: 700; }
ol.steps li.skipped, ol.steps li.not-run { color: var(--skip); }
.kw { font-weight: 700; display: inline-block; min-width: 3.2em; }
.st { font-size: 11px; margin-left: 6px; }
.also { color: var(--muted); font-size: 14px; }
section.run { margin: 22px 0; padding: 10px 16px; border: 1px solid var(--line); border-radius: 8px; }
section.run.failure { border-left: 6px solid var(--bad); }
section.run.success { border-left: 6px solid var(--ok); }
section.run h3 { margin: 4px 0 6px; }
dl.spec { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; font-size: 14px; }
dl.spec dt { color: var(--muted); }
dl.spec dd { margin: 0; }
.graph { overflow-x: auto; border: 1px solid #eaeef2; border-radius: 6px; padding: 6px; background: #fcfdfe; }
.graph svg { max-width: 100%; height: auto; }
.legend { font-size: 12px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 4px 0; }
.sw { display: inline-block; width: 14px; height: 12px; border: 1.5px solid var(--c); background: var(--b); vertical-align: middle; border-radius: 3px; }
.sw.skipped { border-style: dashed; }
.sw.artifact { border: 0; border-top: 2px dashed #0969da; background: none; height: 0; width: 22px; border-radius: 0; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
tr.refused td { background: var(--badbg); }
td.nowrap, td details > summary { white-space: nowrap; }
td.outputs { max-width: 420px; word-break: break-word; }
.tablewrap { overflow-x: auto; }
.fam { display: inline-block; width: 8px; height: 8px; border-radius: 4px; margin-right: 5px; background: #8c959f; }
.fam-oidc { background: #8250df; } .fam-pypi { background: #0969da; } .fam-crates { background: #bc4c00; } .fam-release { background: #1a7f37; }
.graph-fallback { display: flex; gap: 18px; align-items: flex-start; }
.graph-fallback .layer { display: flex; flex-direction: column; gap: 6px; }
a.jobbox { display: block; padding: 4px 8px; border: 1.5px solid var(--c); background: var(--b); color: var(--fg); border-radius: 6px; text-decoration: none; font-size: 12px; }
.problems { margin: 10px 28px; padding: 8px 14px; background: var(--warnbg); border-left: 5px solid var(--warn); }
.docs h2, .docs h3, .docs h4 { margin-top: 18px; }
.docs table.md td, .docs table.md th { font-size: 13px; }
pre { white-space: pre-wrap; }
"""


def badge(outcome: str) -> str:
    cls = outcome.replace(" ", "-")
    return f'<span class="badge {e(cls)}">{e(OUTCOME_LABEL.get(outcome, outcome))}</span>'


def result_badge(result: str) -> str:
    return f'<span class="badge {e(result)}">{e(result)}</span>'


class Site:
    def __init__(self, report: Report, out: Path, generated: float | None = None) -> None:
        self.r = report
        self.out = Path(out)
        self.generated = generated
        self.graph_errors: list[str] = []
        self._graphs: dict[str, str] = {}
        self.here = self.out  # directory of the page being written (relative links)
        self.index = ""  # how the page being written refers to index.html ("" on the index itself)

    # ------------------------------------------------------------------ helpers
    def rel_data(self, path: Path) -> str:
        return os.path.relpath(path, self.here).replace(os.sep, "/")

    def run_title(self, run: RunView) -> str:
        spec = run.spec
        wf = spec.get("workflow", "?")
        ev = spec.get("event", "?")
        where = spec.get("tag") or spec.get("branch") or ""
        return f"{wf} \u00b7 {ev}" + (f" on {where}" if where else "")

    def run_link(self, run_id: str) -> str:
        run = self.r.runs.get(run_id)
        if run is None:
            return f'<span class="mono" title="no result file for this run">{e(run_id)} (missing)</span>'
        page = ("" if self.index else "runs/") + run_page_name(run_id)
        return (f'<a href="{e(page)}">job graph of <span class="mono">{e(run_id)}</span></a> '
                f'<span class="tag">({e(self.run_title(run))}; <a href="{self.index}#{run_anchor(run_id)}">on this page</a>)</span>')

    def scenario_link(self, s: ScenarioView) -> str:
        return f'<a href="{self.index}#{e(s.anchor)}">{e(s.name)}</a>'

    # ------------------------------------------------------------------ page
    def render(self) -> str:
        counts = self.r.counts()
        total = sum(counts.values())
        failed = self.r.failed
        verdict = "FAILED" if failed else ("PASSED" if self.r.tests_found and counts["passed"] else "NO RESULTS")
        runs = self.runs_html()  # first: drawing the graphs may add to the problems shown at the top
        parts = [
            "<!doctype html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
            f"<title>actspec conformance: {e(verdict)}</title>",
            f"<style>{CSS}</style></head><body>",
            self.header(),
            self.verdict(counts, total, verdict),
            self.problems(),
            self.failed_list(failed),
            self.toc(),
            '<main>',
            self.sections_html(),
            self.other_tests_html(),
            runs,
            self.docs_html(),
            "</main></body></html>",
        ]
        return "\n".join(p for p in parts if p)

    def run_page(self, run: RunView) -> str:
        """``runs/<run_id>.html``: one run on its own page, its job graph first."""
        self.here, self.index = self.out / "runs", "../index.html"
        try:
            body = self.run_html(run)
        finally:
            self.here, self.index = self.out, ""
        return "\n".join([
            "<!doctype html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
            f"<title>act run {e(run.run_id)}: {e(self.run_title(run))}</title>",
            f"<style>{CSS}</style></head><body>",
            f'<header class="top"><h1>act run {e(self.run_title(run))}</h1>'
            f'<p class="meta"><a href="../index.html">\u2190 conformance report</a> \u00b7 '
            f'<a href="../index.html#{run_anchor(run.run_id)}">this run in the report</a></p></header>',
            f'<main>{body}</main></body></html>',
        ])

    def header(self) -> str:
        repos = sorted({str(r.spec.get("repo")) for r in self.r.runs.values() if r.spec.get("repo")})
        bits = [f"data: {e(self.r.data_dir)}", f"features: {e(self.r.features_dir)}"]
        if repos:
            bits.append("repositories under test: " + ", ".join(f'<span class="mono">{e(x)}</span>' for x in repos))
        if self.generated:
            bits.append(f"generated {e(fmt_time(self.generated))}")
        return ('<header class="top"><h1>actspec conformance report</h1>'
                f'<p class="meta">{SEP.join(bits)}</p>'
                '<p class="meta">The architecture document checked: ci-architecture.md.  '
                'Every scenario below ran real workflows under act (see the act runs).</p></header>')

    def verdict(self, counts: dict[str, int], total: int, verdict: str) -> str:
        cls = "fail" if verdict == "FAILED" else "pass" if verdict == "PASSED" else "fail"
        if verdict == "FAILED":
            head = f"{counts['failed']} of {total} scenarios failed"
        elif verdict == "PASSED":
            head = f"All {counts['passed'] + counts['xfailed']} scenarios that ran hold" + (
                f" ({counts['not run']} not run)" if counts["not run"] else "")
        else:
            head = "No test results found"
        chips = "".join(
            f'<li class="chip {e(k.replace(" ", "-"))}">{counts[k]} {e(OUTCOME_LABEL[k] if k != "failed" else "failed")}</li>'
            for k in ("failed", "passed", "xfailed", "skipped", "not run") if counts[k] or k in ("failed", "passed"))
        runs = list(self.r.runs.values())
        bad_runs = sum(1 for r in runs if r.status == "failure")
        kit = self.r.other_tests
        kit_failed = sum(1 for t in kit if t.outcome == "failed")
        lines = [f"{len(runs)} act runs ({bad_runs} with a failed, cancelled or hung job \u2014 often on purpose)"]
        if kit:
            lines.append(f"{len(kit)} kit tests outside the features ({kit_failed} failed)")
        return (f'<section id="summary" class="verdict {cls}"><h2>{e(verdict)}: {e(head)}</h2>'
                f'<ul class="chips">{chips}</ul><p class="meta">{e(SEP.join(lines))}</p></section>')

    def problems(self) -> str:
        probs = self.r.problems + self.graph_errors
        if not probs:
            return ""
        return ('<section class="problems"><strong>Report input problems</strong><ul>'
                + "".join(f"<li>{e(p)}</li>" for p in probs) + "</ul></section>")

    def failed_list(self, failed: list[ScenarioView]) -> str:
        if not failed:
            return ""
        items = []
        for s in failed:
            secs = ", ".join(x.title for x in (s.sections or [sec.UNSECTIONED]))
            runs = "; ".join(self.run_link(r) for r in s.runs) or "no act run recorded"
            ex = f' <span class="tag">example: {e(_example_text(s.example))}</span>' if s.example else ""
            items.append(
                f'<li><div class="promise"><a href="#{e(s.anchor)}">{e(s.name)}</a>{ex}</div>'
                f'<div>section: <strong>{e(secs)}</strong> \u00b7 feature: {e(s.feature.name)} '
                f'<span class="tag">{e(s.feature.file)}:{s.line}</span></div>'
                + self.failure_text(s)
                + (f'<div>failed step: {e(_failed_step(s))}</div>' if _failed_step(s) else "")
                + f"<div>{runs}</div></li>")
        return (f'<section id="failed" class="failedlist"><h2>Failed scenarios ({len(failed)}): promises of the document that do not hold</h2>'
                f'<ol>{"".join(items)}</ol></section>')

    def failure_text(self, s: ScenarioView) -> str:
        out = ""
        if s.error:
            out += f'<pre class="msg">{e(_clip(s.error, 2000))}</pre>'
        if s.message and s.message != s.error:
            out += (f'<pre class="msg">{e(s.message)}</pre>' if not s.error
                    else f'<div class="file">at {e(s.message)}</div>')
        return out

    def toc(self) -> str:
        rows = []
        for section, scen in self.grouped():
            c = _count(scen)
            rows.append(f'<li><a href="#sec-{e(section.slug)}">{e(section.title)}</a> {_mini_counts(c)}</li>')
        extra = ['<li><a href="#runs">Act runs</a></li>']
        if self.r.other_tests or self.r.unmatched:
            extra.insert(0, '<li><a href="#kit-tests">Other tests</a></li>')
        if "spec-coverage.md" in self.r.docs:
            extra.append('<li><a href="#coverage">Spec coverage</a></li>')
        if "fidelity.md" in self.r.docs:
            extra.append('<li><a href="#fidelity">Fidelity notes</a></li>')
        return f'<nav class="toc"><strong>Document sections</strong><ol>{"".join(rows)}</ol><ul>{"".join(extra)}</ul></nav>'

    def grouped(self) -> list[tuple[sec.Section, list[ScenarioView]]]:
        groups: dict[str, tuple[sec.Section, list[ScenarioView]]] = {}
        for s in self.r.scenarios:
            for x in s.sections or [sec.UNSECTIONED]:
                groups.setdefault(x.slug, (x, []))[1].append(s)
        return sorted(groups.values(), key=lambda g: sec.order_key(g[0]))

    # ------------------------------------------------------------------ sections
    def sections_html(self) -> str:
        out = []
        for section, scen in self.grouped():
            c = _count(scen)
            out.append(f'<section id="sec-{e(section.slug)}"><h2 class="section">{e(section.title)}'
                       f'<span class="sectioncounts">{_mini_counts(c)}</span></h2>')
            homed = [f for f in self.r.features if f.primary.slug == section.slug]
            for f in homed:
                out.append(self.feature_html(f))
            others = [s for s in scen if s.feature.primary.slug != section.slug]
            if others:
                out.append(f'<p class="also">Scenarios of features listed under other sections that also check '
                           f'\u201c{e(section.title)}\u201d:</p><ul class="also">')
                out += [f"<li>{badge(s.outcome)} {self.scenario_link(s)} <span class=\"tag\">({e(s.feature.name)})</span></li>"
                        for s in others]
                out.append("</ul>")
            out.append("</section>")
        return "\n".join(out)

    def feature_html(self, f: Any) -> str:
        c = _count(f.scenarios)
        total = sum(x.duration or 0 for x in f.scenarios)
        tags = " ".join(f'<span class="tag">@{e(t)}</span>' for t in sorted(f.tags))
        parts = [f'<article class="feature" id="feat-{e(_slug(f.file))}"><h3>Feature: {e(f.name)} '
                 f'<span class="sectioncounts">{_mini_counts(c)} <span class="dur">{e(fmt_duration(total))}</span></span></h3>'
                 f'<p class="file">{e(f.file)} {tags}</p>']
        if f.description:
            parts.append(f'<p class="desc">{e(f.description)}</p>')
        for s in f.scenarios:
            parts.append(self.scenario_html(s))
        parts.append("</article>")
        return "\n".join(parts)

    def scenario_html(self, s: ScenarioView) -> str:
        cls = s.outcome.replace(" ", "-")
        opened = " open" if s.outcome == "failed" else ""
        extra_tags = sorted(t for t in s.tags - s.feature.tags)
        tags = " ".join(f'<span class="tag">@{e(t)}</span>' for t in extra_tags)
        ex = f' <span class="tag">[{e(_example_text(s.example))}]</span>' if s.example else ""
        steps = "".join(
            f'<li class="{e(st.status.replace(" ", "-"))}"><span class="kw">{e(st.keyword)}</span> {e(st.name)}'
            f'<span class="st">{e(st.status)}{(" " + e(fmt_duration(st.duration))) if st.duration else ""}</span></li>'
            for st in s.steps)
        body = [f'<ol class="steps">{steps}</ol>']
        if s.fidelity:
            body.append('<p class="also">Checks GitHub behaviour act does not reproduce: '
                        + ", ".join(f'<a href="#fidelity">{e(fid)}</a>' for fid in s.fidelity)
                        + " (a strict xfail: it turns red the day act changes).</p>")
        if s.outcome != "passed":
            body.append(self.failure_text(s))
        if s.runs:
            body.append('<p class="also">act runs read: ' + "; ".join(self.run_link(r) for r in s.runs) + "</p>")
        if s.nodeid:
            body.append(f'<p class="file">test: <span class="mono">{e(s.nodeid)}</span></p>')
        return (f'<details class="scenario {e(cls)}" id="{e(s.anchor)}"{opened}><summary>{badge(s.outcome)} '
                f'{e(s.name)}{ex} <span class="dur">{e(fmt_duration(s.duration))}</span> {tags}</summary>'
                + "".join(body) + "</details>")

    def other_tests_html(self) -> str:
        kit, unmatched = self.r.other_tests, self.r.unmatched
        if not kit and not unmatched:
            return ""
        out = ['<section id="kit-tests"><h2 class="section">Other tests</h2>']
        if kit:
            c: dict[str, int] = {}
            for t in kit:
                c[t.outcome] = c.get(t.outcome, 0) + 1
            out.append("<p>Kit tests outside the features (unit, calibration, mutations): "
                       + ", ".join(f"{badge(k)} {v}" for k, v in sorted(c.items())) + "</p>")
            bad = [t for t in kit if t.outcome == "failed"]
            if bad:
                out.append("<table><tr><th>test</th><th>message</th></tr>" + "".join(
                    f'<tr class="refused"><td class="mono">{e(t.nodeid)}</td><td><pre>{e(_clip(t.why, 600))}</pre></td></tr>' for t in bad)
                    + "</table>")
        if unmatched:
            out.append("<p>Feature tests that match no scenario of the current feature files "
                       "(renamed or removed since the run?):</p><table><tr><th>test</th><th>outcome</th><th>message</th></tr>"
                       + "".join(f'<tr><td class="mono">{e(t.nodeid)}</td><td>{badge(t.outcome)}</td><td>{e(t.why)}</td></tr>'
                                 for t in unmatched) + "</table>")
        out.append("</section>")
        return "\n".join(out)

    # ------------------------------------------------------------------ runs
    def runs_html(self) -> str:
        out = ['<section id="runs"><h2 class="section">Act runs</h2>',
               '<p class="also">One act run per distinct run spec; scenarios asking about the same run share it.  '
               'Solid arrows are <code>needs</code>; dashed blue arrows are artifacts passed between jobs (from the ledger).</p>']
        if not self.r.runs:
            out.append("<p>No act run results in the data directory.</p>")
        for run in self.r.runs.values():
            out.append(self.run_html(run))
        out.append("</section>")
        return "\n".join(out)

    def run_html(self, run: RunView) -> str:
        anchor = run_anchor(run.run_id)
        spec = run.spec
        exit_code = run.data.get("exit_code")
        status = run.status
        parts = [f'<section class="run {e(status)}" id="{anchor}">',
                 f'<h3>{result_badge(status)} {e(self.run_title(run))} <span class="tag mono">{e(run.run_id)}</span></h3>']
        rows = [("workflow", spec.get("workflow")), ("repository", spec.get("repo")), ("event", spec.get("event")),
                ("branch", spec.get("branch")), ("base branch", spec.get("base_branch")), ("tag", spec.get("tag")),
                ("changes", _changes_text(spec.get("changes"))), ("failing jobs (injected)", ", ".join(spec.get("fail_jobs") or [])),
                ("seeds", _seeds_text(spec.get("seeds"))), ("after run", _after_text(spec.get("after"))),
                ("payload", json.dumps(dict(spec.get("payload") or []), sort_keys=True) if spec.get("payload") else ""),
                ("act exit code", exit_code), ("started", fmt_time(run.started)),
                ("duration", fmt_duration(run.duration)), ("hung job", run.data.get("hung_job")),
                ("mocks and stand-ins fired", "; ".join(run.data.get("fired") or []) or "none")]
        parts.append('<dl class="spec">' + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows
                                                      if v not in (None, "", [])) + "</dl>")
        readers = self.r.scenarios_of_run(run.run_id)
        if readers:
            parts.append('<p class="also">Read by: ' + "; ".join(f"{badge(s.outcome)} {self.scenario_link(s)}" for s in readers) + "</p>")
        else:
            parts.append('<p class="also">No scenario of this test session names this run (a calibration or earlier run).</p>')
        parts.append(self.graph_html(run, anchor))
        timeline = [x for x in run.ledger if str(x.get("kind", "")).startswith(TIMELINE_FAMILIES)]
        if timeline:
            parts.append(f'<h4>Publishing timeline ({len(timeline)} registry, OIDC and release events, in ledger order)</h4>')
            parts.append(self.ledger_table(run, timeline, timeline_cls=True))
        parts.append(self.jobs_table(run, anchor))
        if run.ledger:
            parts.append(f"<details><summary>Ledger: all {len(run.ledger)} entries</summary>{self.ledger_table(run, run.ledger)}</details>")
        for note in run.data.get("notes") or []:
            parts.append(f'<p class="also">note: {e(note)}</p>')
        links = [f'<a href="{e(self.rel_data(run.path))}">result JSON</a>']
        if run.log:
            links.append(f'<a href="{e(self.rel_data(run.log))}">act log</a>')
        parts.append(f'<p class="file">{SEP.join(links)}</p></section>')
        return "\n".join(parts)

    def graph_html(self, run: RunView, anchor: str) -> str:
        if run.run_id not in self._graphs:
            self._graphs[run.run_id] = self._graph_html(run, anchor)
        return self._graphs[run.run_id]

    def _graph_html(self, run: RunView, anchor: str) -> str:
        g = graph.build(run, anchor)
        why = g.external.pop("__why__", "")
        try:
            drawing = f'<div class="graph" id="{anchor}-graph">{graph.render_svg(graph.to_dot(g))}</div>'
        except (OSError, RuntimeError, ValueError) as exc:
            msg = f"run {run.run_id}: job graph drawn without Graphviz ({exc})"
            if not self.graph_errors or not any("Graphviz" in x for x in self.graph_errors):
                self.graph_errors.append(msg)
            drawing = f'<div class="graph" id="{anchor}-graph">{graph.html_fallback(g)}</div>'
        legend = ('<div class="legend">'
                  + "".join(f'<span><span class="sw {r}"></span> {r}</span>' for r in ("success", "failure", "skipped", "cancelled"))
                  + '<span><span class="sw artifact"></span> artifact</span>'
                  + (f"<span>needs from {e(g.needs_source)}</span>" if g.needs_source
                     else f"<span>needs edges not drawn: {e(why)}</span>")
                  + "</div>")
        return drawing + legend

    def jobs_table(self, run: RunView, anchor: str) -> str:
        rows = []
        seen: set[str] = set()
        failing = any(j.get("result") in ("failure", "cancelled") for j in run.jobs)
        for j in run.jobs:
            jid = str(j.get("job_id"))
            id_attr = ""
            if jid not in seen:
                seen.add(jid)
                id_attr = f' id="{anchor}-job-{e(_slug(jid))}"'
            dur = None
            if j.get("started") is not None and j.get("finished") is not None:
                dur = float(j["finished"]) - float(j["started"])
            steps = [s for s in j.get("steps") or [] if s.get("stage", "Main") == "Main"]
            step_html = ""
            if steps:
                step_html = ("<details><summary>" + f"{len(steps)} steps" + "</summary><ol>" + "".join(
                    f'<li class="{e(s.get("conclusion"))}">{e(_first_line(s.get("name")))} '
                    f'{result_badge(str(s.get("conclusion") or s.get("outcome") or "?"))}'
                    + (f' <span class="tag">outcome {e(s.get("outcome"))}</span>' if s.get("outcome") != s.get("conclusion") else "")
                    + "</li>" for s in steps) + "</ol></details>")
            outputs = ", ".join(f"{k}={v}" for k, v in (j.get("outputs") or {}).items())
            rows.append(f"<tr{id_attr}><td class=\"mono\">{e(jid)}</td><td>{e(j.get('leg'))}</td>"
                        f"<td>{result_badge(str(j.get('result')))}</td><td>{'yes' if j.get('ran') else 'no'}</td>"
                        f"<td class=\"nowrap\">{e(fmt_duration(dur) if j.get('ran') else '')}</td>"
                        f"<td class=\"outputs\">{e(_clip(outputs, 160))}</td>"
                        f"<td>{e(j.get('note'))}</td><td>{step_html}</td></tr>")
        table = ("<div class=\"tablewrap\"><table><tr><th>job</th><th>matrix leg</th><th>result</th><th>ran</th><th>duration</th>"
                 "<th>outputs</th><th>note</th><th>steps</th></tr>" + "".join(rows) + "</table></div>")
        opened = " open" if failing else ""
        return f"<details{opened}><summary>Jobs: {len(run.jobs)} jobs and matrix legs</summary>{table}</details>"

    def ledger_table(self, run: RunView, entries: Iterable[dict[str, Any]], timeline_cls: bool = False) -> str:
        rows = []
        for x in entries:
            kind = str(x.get("kind", ""))
            fam = kind.split(".", 1)[0]
            at = x.get("at")
            rel = f"+{float(at) - run.started:.1f} s" if at is not None and run.started else ""
            who = (x.get("job") or "") + (f" [{x.get('leg')}]" if x.get("leg") else "")
            ok = x.get("ok", True)
            details = ", ".join(f"{k}={_clip(_plain(v), 80)}" for k, v in sorted((x.get("details") or {}).items()))
            rows.append(f'<tr class="{"" if ok else "refused"}"><td>{e(x.get("seq"))}</td><td>{e(rel)}</td>'
                        f'<td><span class="fam fam-{e(fam)}"></span>{e(kind)}</td><td class="mono">{e(x.get("subject"))}</td>'
                        f'<td class="mono">{e(who)}</td><td>{"ok" if ok else "<strong>refused</strong>"}</td>'
                        f'<td>{e(_clip(details, 300))}</td></tr>')
        cls = ' class="timeline"' if timeline_cls else ""
        return (f'<div class="tablewrap"><table{cls}><tr><th>#</th><th>time</th><th>kind</th><th>subject</th><th>job [leg]</th>'
                f'<th>result</th><th>details</th></tr>{"".join(rows)}</table></div>')

    # ------------------------------------------------------------------ docs
    def docs_html(self) -> str:
        out = []
        if "spec-coverage.md" in self.r.docs:
            out.append('<section id="coverage" class="docs"><h2 class="section">Spec coverage</h2>'
                       '<p class="file">docs/spec-coverage.md: every statement of the document and the scenarios that check it; '
                       'a quoted scenario name carries the result of its runs in this report.</p>'
                       + self.annotate_coverage(md.to_html(_drop_title(self.r.docs["spec-coverage.md"]), "cov"))
                       + "</section>")
        if "fidelity.md" in self.r.docs:
            out.append('<section id="fidelity" class="docs"><h2 class="section">Fidelity notes</h2>'
                       '<p class="file">docs/fidelity.md: where act differs from GitHub and what the kit does about it.</p>'
                       + md.to_html(_drop_title(self.r.docs["fidelity.md"]), "fid") + "</section>")
        return "\n".join(out)

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
            worst = next(k for k in ("failed", "passed", "xfailed", "skipped", "not run") if c.get(k)) if c else "not run"
            label = OUTCOME_LABEL.get(worst, worst) if len(rows) == 1 else f"{c[worst]}/{len(rows)} {worst}"
            first = next((s for s in rows if s.outcome == worst), rows[0])
            mark = (f' <a class="badge {e(worst.replace(" ", "-"))}" href="#{e(first.anchor)}" '
                    f'title="{e(name)}">{e(label)}</a>')
            text = text.replace(quoted, quoted + mark)
        return text


# ---------------------------------------------------------------------- small text helpers

def _count(scenarios: Iterable[ScenarioView]) -> dict[str, int]:
    c: dict[str, int] = {}
    for s in scenarios:
        c[s.outcome] = c.get(s.outcome, 0) + 1
    return c


def _mini_counts(c: dict[str, int]) -> str:
    order = ("failed", "passed", "xfailed", "skipped", "not run")
    return " ".join(f'<span class="badge {e(k.replace(" ", "-"))}">{c[k]} {e(k)}</span>' for k in order if c.get(k))


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
