"""``report/summary.md``: the verdict, the failed scenarios and every scenario by section, as
Markdown that renders on a code host (and in a GitHub job summary).  All text is escaped.
"""

from __future__ import annotations

from actspec.report import md
from actspec.report import sections as sec
from actspec.report.data import Report, ScenarioView
from actspec.report.site import OUTCOME_LABEL, fmt_duration

ICON = {"passed": "\u2705", "failed": "\u274c", "xfailed": "\u2796", "skipped": "\u23ed\ufe0f", "not run": "\u2b1c"}


def _code(text: str) -> str:
    """An inline code span that survives any backticks inside ``text``."""
    ticks = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _outcome(s: ScenarioView) -> str:
    return f"{ICON.get(s.outcome, '')} {OUTCOME_LABEL.get(s.outcome, s.outcome)}"


def render(report: Report, site_index: str | None = None) -> str:
    counts = report.counts()
    total = sum(counts.values())
    failed = report.failed
    if failed:
        head = f"# \u274c actspec conformance: {counts['failed']} of {total} scenarios failed"
    elif report.tests_found and counts["passed"]:
        head = f"# \u2705 actspec conformance: all {counts['passed'] + counts['xfailed']} scenarios that ran hold"
    else:
        head = "# actspec conformance: no test results"
    lines = [head, ""]
    lines += ["| failed | passed | act diverges (xfail) | skipped | not run | total |",
              "|---:|---:|---:|---:|---:|---:|",
              f"| {counts['failed']} | {counts['passed']} | {counts['xfailed']} | {counts['skipped']} | {counts['not run']} | {total} |",
              ""]
    bad_runs = sum(1 for r in report.runs.values() if r.status == "failure")
    if report.mutation_line:
        lines.append(f"{report.mutation_line} (`make mutate`).")
    lines.append(f"{len(report.runs)} act runs ({bad_runs} with a failed, cancelled or hung job, often on purpose).")
    kit_failed = [t for t in report.other_tests if t.outcome == "failed"]
    if report.other_tests:
        lines.append(f"{len(report.other_tests)} kit tests outside the features, {len(kit_failed)} failed.")
    if site_index:
        lines.append(f"Full report with job graphs: {_code(site_index)}.")
    lines.append("")
    for p in report.problems:
        lines.append(f"> **input problem:** {md.escape(p)}")
    if report.problems:
        lines.append("")

    if failed:
        lines += ["## Failed scenarios", ""]
        for s in failed:
            secs = ", ".join(x.title for x in (s.sections or [sec.UNSECTIONED]))
            ex = f" ({md.escape(', '.join(f'{k}={v}' for k, v in s.example.items()))})" if s.example else ""
            lines.append(f"- **{md.escape(s.name)}**{ex}  ")
            lines.append(f"  section: **{md.escape(secs)}**; feature: {md.escape(s.feature.name)} "
                         f"({_code(f'{s.feature.file}:{s.line}')})  ")
            why = s.why.strip().splitlines()
            if why:
                lines.append(f"  {_code(why[0][:300])}  ")
            if s.error and s.message:
                lines.append(f"  at {_code(s.message)}  ")
            if s.runs:
                lines.append("  act runs: " + ", ".join(_code(r) for r in s.runs))
        lines.append("")

    if kit_failed:
        lines += ["## Failed kit tests", ""]
        lines += [f"- {_code(t.nodeid)}: {_code(t.why.splitlines()[0][:300]) if t.why.strip() else 'failed'}" for t in kit_failed]
        lines.append("")

    lines += ["## Scenarios by document section", ""]
    groups: dict[str, tuple[sec.Section, list[ScenarioView]]] = {}
    for s in report.scenarios:
        x = s.primary
        groups.setdefault(x.slug, (x, []))[1].append(s)
    for section, scen in sorted(groups.values(), key=lambda g: sec.order_key(g[0])):
        c: dict[str, int] = {}
        for s in scen:
            c[s.outcome] = c.get(s.outcome, 0) + 1
        tally = ", ".join(f"{v} {k}" for k, v in sorted(c.items()))
        mv = report.mutation.get(section.slug)
        score = f"; {mv.text}" if mv else ""
        lines += [f"### {md.escape(section.title)} ({tally}{score})", "",
                  "| result | scenario | feature | duration | also checks |", "|---|---|---|---:|---|"]
        for s in scen:
            name = md.escape(s.name)
            if s.example:
                name += " \u2014 " + md.escape(", ".join(f"{k}={v}" for k, v in s.example.items()))
            also = ", ".join(md.escape(x.title) for x in s.sections[1:])
            lines.append(f"| {_outcome(s)} | {name} | {md.escape(s.feature.name)} | {fmt_duration(s.duration)} | {also} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
