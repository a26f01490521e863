"""``make mutate``: each generated mutant against the scenarios of the section it breaks.

Per mutant, a child pytest runs ``features/ --mutant NAME --maxfail=1`` (the first red
scenario kills it; the rest need not run) on the kit's engines, with a wall-clock limit.
The verdict is read from the child's ``tests.json``, never from its exit status alone:

* ``killed``      -- a selected scenario failed that passes against the unbroken repository
  (:class:`Baseline`: a scenario red there is deselected and the child runs again);
* ``survived``    -- scenarios ran and every one passed (the edit is kept as a diff);
* ``no-scenario`` -- nothing ran (every selected scenario skipped, or none selected): a
  survivor too, since a skipped scenario proves nothing;
* ``timeout``     -- the child did not finish in time: neither killed nor survived;
* ``error``       -- the child stopped before running anything (its last line is kept);
* ``equivalent``  -- the edit leaves the parsed workflow equal to the original, or its
  operator records why no run under act can tell them apart (``Mutant.equivalent``); not
  run, and not counted.

The score (killed of everything not equivalent) goes per document section into
``mutation.json`` in the results folder, which the report shows beside each section.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml
from pytest_bdd.parser import FeatureParser
from pytest_bdd.scenario import make_python_name

from actspec.mutants.edits import Mutant
from actspec.repository import workflow as wf
from actspec.tooling import children
from actspec.tooling.provision import ROOT

FILE = "mutation.json"
COUNTED = ("killed", "survived", "no-scenario", "timeout", "error")


@dataclass(frozen=True)
class Verdict:
    """What one mutant's child session showed."""

    name: str
    section: str
    rule: str
    path: str
    mode: str
    verdict: str
    seconds: float
    evidence: str  # the scenario that failed, the reason of an equivalent, the child's last line
    diff: str
    ran: int = 0


@dataclass
class SectionScore:
    killed: int = 0
    survived: int = 0
    equivalent: int = 0
    timeout: int = 0
    other: int = 0  # no-scenario and error
    mutants: list[str] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return self.killed + self.survived + self.timeout + self.other


def equivalent_reason(mutant: Mutant, root: Path) -> str | None:
    """Why a mutant cannot change behaviour, when that is provable without running it: what
    its operator knows act cannot produce, or a workflow edit GitHub's YAML reading maps to
    the same document."""
    if mutant.equivalent:
        return mutant.equivalent
    if not mutant.path.endswith((".yml", ".yaml")):
        return None
    text = (root / mutant.path).read_text()
    try:
        same = yaml.load(text, Loader=wf._Loader) == yaml.load(mutant.apply(text), Loader=wf._Loader)
    except yaml.YAMLError:
        return None
    return "the edited YAML reads as the same workflow (only layout or comments changed)" if same else None


@dataclass(frozen=True)
class _Session:
    """What one child pytest session reported (its ``tests.json``), or why it has none."""

    ran: int
    selected: int
    failed: tuple[str, str] | None  # nodeid and first line of the first red scenario
    seconds: float
    problem: str = ""  # "timeout" or the child's last line when it wrote no results
    outcomes: dict[str, str] = field(default_factory=dict)  # nodeid -> passed, failed, skipped, ...


def _child(args: list[str], *, timeout: float, engines: str | None, work: Path) -> _Session:
    out_dir = work / f"results-{len(list(work.glob('results-*')))}"
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:logging", "-p", "no:cacheprovider",
           "--results-dir", str(out_dir), *args] + (["--engines", engines] if engines else [])
    began = time.monotonic()
    child = children.run(cmd, cwd=ROOT, timeout=timeout)
    seconds = round(time.monotonic() - began, 1)
    if child.timed_out:
        return _Session(0, 0, None, seconds, "timeout")
    out = child.output
    tests_json = out_dir / "tests.json"
    if not tests_json.is_file():
        last = next((ln for ln in reversed(out.splitlines()) if ln.strip()), "no output")
        return _Session(0, 0, None, seconds, last)
    tests = json.loads(tests_json.read_text())
    failed = next(((node, str(t.get("error") or t.get("message") or "failed").strip().splitlines()[0][:200])
                   for node, t in tests.items() if t.get("outcome") == "failed"), None)
    ran = sum(t.get("outcome") in ("passed", "failed", "xfailed") for t in tests.values())
    return _Session(ran, len(tests), failed, seconds, outcomes={n: str(t.get("outcome")) for n, t in tests.items()})


class Baseline:
    """Does a scenario pass against the repository as it is?  A scenario that is red there
    (a deliberate divergence of ``examples/kiln``, say) cannot kill a mutant.

    Asked about one row of an outline whose rows all ask about the same run (no example
    value in its Given and When steps: all rows of "`<job>` starts only after <upstream>
    finished" are one act run), it runs every row of it in one child session, so mutants
    killed by other rows later find their answer known.  Rows that each make a run of their
    own (the gate outline's) are asked one at a time.  Answers are kept per row and mode.
    """

    def __init__(self, root: Path, *, timeout: float, engines: str | None) -> None:
        self.root, self.timeout, self.engines = root, timeout, engines
        self._known: dict[tuple[str, str], bool] = {}

    def passes(self, nodeid: str, mode: str, work: Path) -> bool:
        key = (nodeid, mode)
        if key not in self._known:
            scenario = nodeid.split("[", 1)[0] if _rows_share_a_run(nodeid) else nodeid
            s = _child([scenario, "--repo", str(self.root), "--mode", mode], timeout=self.timeout,
                       engines=self.engines, work=work)
            if not s.problem:
                for node, outcome in s.outcomes.items():
                    self._known[(node, mode)] = outcome in ("passed", "xfailed")
            self._known.setdefault(key, False)  # the child failed, or did not run this row
        return self._known[key]


def _rows_share_a_run(nodeid: str) -> bool:
    """Is ``nodeid`` a row of an outline whose Given and When steps name no example value?"""
    path, _, test = nodeid.partition("::")
    if "[" not in test:
        return False
    feature_file = ROOT / path
    try:
        feature = FeatureParser(str(feature_file.parent), feature_file.name).parse()
    except (OSError, ValueError):
        return False
    name = test.split("[", 1)[0]
    for title, scenario in feature.scenarios.items():
        if f"test_{make_python_name(title)}" == name:
            return not any("<" in step.name for step in scenario.steps if step.type in ("given", "when"))
    return False


def judge(mutant: Mutant, root: Path, *, timeout: float, engines: str | None, work: Path,
          baseline: Baseline | None = None) -> Verdict:
    """Run the mutant's child session (again without a scenario the baseline fails) and read its verdict."""
    diff = mutant.diff(root)
    reason = equivalent_reason(mutant, root)
    base = {"name": mutant.name, "section": mutant.section, "rule": mutant.rule, "path": mutant.path,
            "mode": mutant.mode, "diff": diff}
    if reason:
        return Verdict(**base, verdict="equivalent", seconds=0.0, evidence=reason)
    began = time.monotonic()
    red_before: list[str] = []
    while True:
        left = timeout - (time.monotonic() - began)
        args = [str(ROOT / "features"), "--repo", str(root), "--mutant", mutant.name, "--maxfail=1"]
        s = _child(args + [f"--deselect={n}" for n in red_before], timeout=max(left, 1.0), engines=engines, work=work)
        seconds = round(time.monotonic() - began, 1)
        note = f" (not counted, red without the edit too: {', '.join(red_before)})" if red_before else ""
        if s.problem == "timeout":
            return Verdict(**base, verdict="timeout", seconds=seconds,
                           evidence=f"the child session took longer than {timeout:.0f} s{note}")
        if s.problem:
            return Verdict(**base, verdict="error", seconds=seconds, evidence=s.problem)
        if s.failed is not None:
            node, why = s.failed
            if baseline is not None and not baseline.passes(node, mutant.mode, work):
                red_before.append(node)
                continue
            return Verdict(**base, verdict="killed", seconds=round(time.monotonic() - began, 1), ran=s.ran,
                           evidence=f"{node.split('::')[-1]}: {why}{note}")
        if s.ran <= 0:
            return Verdict(**base, verdict="no-scenario", seconds=seconds,
                           evidence=f"no scenario of section {mutant.section} ran in --mode {mutant.mode} "
                                    f"({s.selected} selected){note}")
        return Verdict(**base, verdict="survived", seconds=seconds, ran=s.ran,
                       evidence=f"{s.ran} scenario(s) of section {mutant.section} passed{note}")


def score(verdicts: list[Verdict]) -> dict[str, SectionScore]:
    sections: dict[str, SectionScore] = {}
    for v in verdicts:
        s = sections.setdefault(v.section, SectionScore())
        s.mutants.append(v.name)
        if v.verdict in ("killed", "survived", "equivalent", "timeout"):
            setattr(s, v.verdict, getattr(s, v.verdict) + 1)
        else:
            s.other += 1
    return sections


def write(out: Path, repo: Path, verdicts: list[Verdict], generated: int, seconds: float) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    sections = score(verdicts)
    data = {
        "repository": str(repo),
        "generated": generated,
        "seconds": round(seconds, 1),
        "sections": {k: {**asdict(v), "counted": v.counted} for k, v in sorted(sections.items())},
        "mutants": [asdict(v) for v in verdicts],
    }
    path = out / FILE
    path.write_text(json.dumps(data, indent=1))
    return path


def read(out: Path, repo: Path) -> list[Verdict]:
    """The verdicts an earlier ``run`` wrote for the same repository (``--resume``)."""
    path = out / FILE
    if not path.is_file():
        return []
    data = json.loads(path.read_text())
    if data.get("repository") != str(repo):
        return []
    return [Verdict(**m) for m in data["mutants"]]


def summary_line(verdicts: list[Verdict]) -> str:
    counted = [v for v in verdicts if v.verdict in COUNTED]
    killed = sum(v.verdict == "killed" for v in counted)
    pct = 100.0 * killed / len(counted) if counted else 0.0
    return f"mutation score: {killed} of {len(counted)} killed ({pct:.1f} %)"


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="mutate-"))
