"""What the report is made of: features (parsed by pytest-bdd), test outcomes, act runs.

Inputs, all produced by a pytest run that uses the kit:

* ``<data>/tests.json``: pytest node id -> outcome, duration, failure line, the act runs the
  test read and, for scenarios, the feature, scenario, example row, tags and step statuses;
* ``<data>/<run_id>.json``: :meth:`actspec.model.RunResult.to_json` of every act run;
* the feature files, parsed with pytest-bdd's own parser so the scenarios, example rows and
  rendered step texts are exactly the ones pytest-bdd ran.

Tests are matched to scenarios by the facts the kit's plugin records (feature file,
scenario template, example row); for an older ``tests.json`` without them, by the test
name pytest-bdd generates (``test_<scenario slug>[<example values joined by ->]``) in the
feature file's directory.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ghrules import results

from actspec.report import sections as sec

OUTCOMES = ("failed", "passed", "xfailed", "skipped", "not run")


@dataclass
class StepView:
    keyword: str
    name: str
    status: str  # passed | failed | skipped | not run | unknown
    duration: float | None = None


@dataclass
class ScenarioView:
    feature: "FeatureView"
    name: str
    template: str
    line: int
    example: dict[str, str]
    tags: set[str]
    sections: list[sec.Section]
    fidelity: list[str]
    steps: list[StepView]
    anchor: str
    nodeid: str | None = None
    outcome: str = "not run"
    duration: float | None = None
    message: str = ""
    error: str = ""
    runs: list[str] = field(default_factory=list)

    @property
    def why(self) -> str:
        """The failure as a person reads it: the exception message, else pytest's last line."""
        return self.error or self.message

    @property
    def primary(self) -> sec.Section:
        return self.sections[0] if self.sections else sec.UNSECTIONED


@dataclass
class FeatureView:
    name: str
    file: str
    description: str
    tags: set[str]
    scenarios: list[ScenarioView] = field(default_factory=list)

    @property
    def sections(self) -> list[sec.Section]:
        seen: dict[str, sec.Section] = {}
        for s in self.scenarios:
            for x in s.sections or [sec.UNSECTIONED]:
                seen.setdefault(x.slug, x)
        return sorted(seen.values(), key=sec.order_key)

    @property
    def primary(self) -> sec.Section:
        own = sec.from_tags(self.tags)
        if own:
            return own[0]
        return self.sections[0] if self.scenarios else sec.UNSECTIONED


@dataclass
class RunView:
    run_id: str
    data: dict[str, Any]
    path: Path
    log: Path | None

    @property
    def spec(self) -> dict[str, Any]:
        return self.data.get("spec") or {}

    @property
    def jobs(self) -> list[dict[str, Any]]:
        return list(self.data.get("jobs") or [])

    @property
    def ledger(self) -> list[dict[str, Any]]:
        return sorted(self.data.get("ledger") or [], key=lambda e: (e.get("seq") or 0))

    @property
    def started(self) -> float:
        return float(self.data.get("started") or 0.0)

    @property
    def duration(self) -> float | None:
        a, b = self.data.get("started"), self.data.get("finished")
        return (float(b) - float(a)) if a is not None and b is not None else None

    def job_result(self, job_id: str) -> str:
        return results.worst(str(j.get("result")) for j in self.jobs if j.get("job_id") == job_id)

    @property
    def status(self) -> str:
        """``failure`` when a job failed or was cancelled or act exited non-zero, else ``success``."""
        if any(results.is_bad(str(j.get("result"))) for j in self.jobs) or self.data.get("hung_job"):
            return "failure"
        return "success" if not self.data.get("exit_code") else "failure"


@dataclass
class OtherTest:
    nodeid: str
    outcome: str
    duration: float | None
    message: str
    error: str = ""

    @property
    def why(self) -> str:
        return self.error or self.message


@dataclass(frozen=True)
class MutationView:
    """One section's score from ``make mutate`` (``mutation.json``): how strong its promise is."""

    killed: int
    counted: int
    equivalent: list[dict[str, Any]]  # each: name, rule, evidence (the reason)
    survivors: list[dict[str, Any]]   # each: name, rule, verdict, evidence, diff
    timeouts: int

    @property
    def text(self) -> str:
        pct = f" ({100 * self.killed / self.counted:.0f} %)" if self.counted else ""
        return f"mutants: {self.killed} of {self.counted} killed{pct}"


def load_mutation(data_dir: Path) -> tuple[dict[str, MutationView], str, list[str]]:
    """The score per section slug, the summary line, and problems reading ``mutation.json``."""
    path = data_dir / "mutation.json"
    if not path.is_file():
        return {}, "", []
    try:
        data = json.loads(path.read_text())
        mutants = list(data["mutants"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return {}, "", [f"{path.name}: unreadable mutation score ({exc})"]
    views: dict[str, MutationView] = {}
    for slug in sorted({str(m["section"]) for m in mutants}):
        mine = [m for m in mutants if m["section"] == slug]
        counted = [m for m in mine if m["verdict"] != "equivalent"]
        views[slug] = MutationView(
            killed=sum(m["verdict"] == "killed" for m in counted), counted=len(counted),
            equivalent=[m for m in mine if m["verdict"] == "equivalent"],
            survivors=[m for m in counted if m["verdict"] in ("survived", "no-scenario", "error")],
            timeouts=sum(m["verdict"] == "timeout" for m in counted))
    killed = sum(v.killed for v in views.values())
    counted = sum(v.counted for v in views.values())
    line = (f"mutation score: {killed} of {counted} killed ({100 * killed / counted:.1f} %), "
            f"{len(mutants)} of {data.get('generated', len(mutants))} generated mutants judged") if counted else ""
    return views, line, []


@dataclass
class Report:
    features: list[FeatureView]
    runs: dict[str, RunView]
    other_tests: list[OtherTest]
    unmatched: list[OtherTest]
    data_dir: Path
    features_dir: Path
    docs: dict[str, str]
    tests_found: bool
    problems: list[str] = field(default_factory=list)
    mutation: dict[str, MutationView] = field(default_factory=dict)
    mutation_line: str = ""

    @property
    def scenarios(self) -> list[ScenarioView]:
        return [s for f in self.features for s in f.scenarios]

    def counts(self) -> dict[str, int]:
        counts = {k: 0 for k in OUTCOMES}
        for s in self.scenarios:
            counts[s.outcome if s.outcome in counts else "not run"] += 1
        return counts

    @property
    def failed(self) -> list[ScenarioView]:
        return [s for s in self.scenarios if s.outcome == "failed"]

    def scenarios_of_run(self, run_id: str) -> list[ScenarioView]:
        return [s for s in self.scenarios if run_id in s.runs]


# --------------------------------------------------------------------------- features

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def python_name(name: str) -> str:
    """The test function name pytest-bdd 9 generates for a scenario (``make_python_name``)."""
    try:
        from pytest_bdd.scenario import make_python_name
        return f"test_{make_python_name(name)}"
    except ImportError:  # pragma: no cover
        return "test_" + re.sub(r"^[^a-z_]+", "", re.sub(r"\W", "", name.replace(" ", "_"))).lower()


def parse_features(features_dir: Path) -> tuple[list[Any], list[str]]:
    """Every ``*.feature`` under ``features_dir``, parsed with pytest-bdd's parser, in path order."""
    from pytest_bdd.parser import FeatureParser

    parsed, problems = [], []
    for path in sorted(features_dir.rglob("*.feature")):
        rel = path.relative_to(features_dir)
        try:
            parsed.append(FeatureParser(str(features_dir), str(rel)).parse())
        except Exception as exc:  # a broken feature file must not hide the rest of the report
            problems.append(f"{path}: cannot parse: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
    return parsed, problems


def _contexts(template: Any) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for examples in template.examples:
        rows.extend(examples.as_contexts())
    return rows or [{}]


def build_features(parsed: list[Any], root: Path) -> list[FeatureView]:
    views: list[FeatureView] = []
    for feature in parsed:
        rel_file = os.path.relpath(feature.filename, root)
        fv = FeatureView(name=feature.name, file=rel_file, description=(feature.description or "").strip(),
                         tags=set(feature.tags))
        for template in feature.scenarios.values():
            rule_tags = template.rule.tags if template.rule is not None else set()
            tags = set(template.tags) | set(feature.tags) | set(rule_tags)
            for i, ctx in enumerate(_contexts(template)):
                rendered = template.render(ctx)
                anchor = f"sc-{_slug(rel_file)}-{template.line_number}" + (f"-{i}" if ctx else "")
                fv.scenarios.append(ScenarioView(
                    feature=fv, name=rendered.name, template=template.name, line=template.line_number,
                    example=dict(ctx), tags=tags, sections=sec.from_tags(tags), fidelity=sec.fidelity_ids(tags),
                    steps=[StepView(st.keyword, st.name, "not run") for st in rendered.steps], anchor=anchor,
                ))
        views.append(fv)
    return views


# --------------------------------------------------------------------------- tests

def _example_key(example: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), str(v)) for k, v in example.items()))


def _apply(s: ScenarioView, nodeid: str, entry: dict[str, Any]) -> None:
    s.nodeid = nodeid
    outcome = str(entry.get("outcome") or "not run")
    s.outcome = outcome if outcome in OUTCOMES else ("failed" if outcome == "error" else outcome)
    dur = entry.get("duration")
    s.duration = float(dur) if isinstance(dur, (int, float)) else None
    s.message = str(entry.get("message") or "")
    s.error = str(entry.get("error") or "")
    s.runs = [str(r) for r in entry.get("runs") or []]
    steps = entry.get("steps")
    if isinstance(steps, list) and steps:
        s.steps = [StepView(str(st.get("keyword", "")), str(st.get("name", "")), str(st.get("status", "unknown")),
                            st.get("duration")) for st in steps if isinstance(st, dict)]
    elif s.outcome == "passed":
        for st in s.steps:
            st.status = "passed"
    elif s.outcome in ("failed", "xfailed"):
        for st in s.steps:
            st.status = "unknown"
    elif s.outcome == "skipped":
        for st in s.steps:
            st.status = "skipped"


def match_tests(features: list[FeatureView], tests: dict[str, dict[str, Any]], root: Path,
                features_dir: Path) -> tuple[list[OtherTest], list[OtherTest]]:
    """Attach each test's outcome to its scenario; return (non-scenario tests, unmatched scenario tests)."""
    by_facts: dict[tuple[str, str, tuple[tuple[str, str], ...]], ScenarioView] = {}
    by_name: dict[tuple[str, str, str], ScenarioView] = {}
    for fv in features:
        fdir = os.path.dirname(fv.file)
        for s in fv.scenarios:
            by_facts.setdefault((fv.file, s.template, _example_key(s.example)), s)
            param = "-".join(s.example.values()) if s.example else ""
            by_name.setdefault((fdir, python_name(s.template), param), s)
    features_rel = os.path.relpath(features_dir, root)
    other: list[OtherTest] = []
    unmatched: list[OtherTest] = []
    for nodeid, entry in tests.items():
        if not isinstance(entry, dict):
            continue
        target: ScenarioView | None = None
        if entry.get("feature_file") and entry.get("scenario_template") is not None:
            ffile = str(entry["feature_file"])
            if os.path.isabs(ffile):
                ffile = os.path.relpath(ffile, root)
            target = by_facts.get((ffile, str(entry["scenario_template"]), _example_key(entry.get("example") or {})))
        if target is None:
            path, _, rest = nodeid.partition("::")
            m = re.fullmatch(r"(?P<func>[^\[]+)(?:\[(?P<param>.*)\])?", rest)
            if m:
                target = by_name.get((os.path.dirname(path), m.group("func"), m.group("param") or ""))
        item = OtherTest(nodeid, str(entry.get("outcome") or "?"), entry.get("duration"), str(entry.get("message") or ""),
                         str(entry.get("error") or ""))
        if target is not None:
            _apply(target, nodeid, entry)
        elif entry.get("scenario") or nodeid.startswith(features_rel.rstrip("/") + "/"):
            unmatched.append(item)
        else:
            other.append(item)
    return other, unmatched


# --------------------------------------------------------------------------- runs

def load_runs(data_dir: Path) -> tuple[dict[str, RunView], list[str]]:
    runs: dict[str, RunView] = {}
    problems: list[str] = []
    if not data_dir.is_dir():
        return runs, problems
    for path in sorted(data_dir.glob("*.json")):
        if path.name in ("tests.json", "mutation.json"):
            continue
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            problems.append(f"{path.name}: unreadable run result ({exc})")
            continue
        if not isinstance(data, dict) or "run_id" not in data:
            continue
        run_id = str(data["run_id"])
        log = path.with_suffix(".log")
        runs[run_id] = RunView(run_id, data, path, log if log.exists() else None)
    ordered = dict(sorted(runs.items(), key=lambda kv: (kv[1].started, kv[0])))
    return ordered, problems


def load(data_dir: Path, features_dir: Path, docs_dir: Path | None) -> Report:
    data_dir, features_dir = Path(data_dir), Path(features_dir)
    root = features_dir.parent
    problems: list[str] = []
    parsed, feature_problems = parse_features(features_dir) if features_dir.is_dir() else ([], [])
    problems += feature_problems
    if not features_dir.is_dir():
        problems.append(f"no feature directory at {features_dir}")
    features = build_features(parsed, root)
    tests_path = data_dir / "tests.json"
    tests: dict[str, Any] = {}
    if tests_path.exists():
        try:
            loaded = json.loads(tests_path.read_text())
            tests = loaded if isinstance(loaded, dict) else {}
        except ValueError as exc:
            problems.append(f"{tests_path}: unreadable ({exc})")
    else:
        problems.append(f"no {tests_path}: run `make conformance` (or pytest features/) first; every scenario shows as not run")
    other, unmatched = match_tests(features, tests, root, features_dir)
    runs, run_problems = load_runs(data_dir)
    problems += run_problems
    docs: dict[str, str] = {}
    if docs_dir is not None:
        for name in ("spec-coverage.md", "fidelity.md"):
            p = Path(docs_dir) / name
            if p.is_file():
                docs[name] = p.read_text()
    mutation, mutation_line, mutation_problems = load_mutation(data_dir)
    problems += mutation_problems
    return Report(features=features, runs=runs, other_tests=other, unmatched=unmatched, data_dir=data_dir,
                  features_dir=features_dir, docs=docs, tests_found=tests_path.exists(), problems=problems,
                  mutation=mutation, mutation_line=mutation_line)
