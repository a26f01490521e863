"""``make mutate``: each generated mutant against the scenarios of the section it breaks.

Per mutant, a child pytest runs ``features/ --mutant NAME --maxfail=1`` (the first red
scenario kills it; the rest need not run) on the kit's engines, with a wall-clock limit.
The verdict is read from the child's JUnit XML, never from its exit status alone:

* ``killed``      -- at least one selected scenario failed or errored;
* ``survived``    -- scenarios ran and every one passed (the edit is kept as a diff);
* ``no-scenario`` -- nothing ran (every selected scenario skipped, or none selected): a
  survivor too, since a skipped scenario proves nothing;
* ``timeout``     -- the child did not finish in time: neither killed nor survived;
* ``error``       -- the child stopped before running anything (its last line is kept);
* ``equivalent``  -- the edit leaves the parsed workflow equal to the original, so no run
  can tell them apart; not run, and not counted.

The score (killed of everything not equivalent) goes per document section into
``mutation.json`` in the results folder, which the report shows beside each section.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from actspec.mutants.edits import Mutant
from actspec.repository import workflow as wf
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
    """Why a mutant cannot change behaviour, when that is provable without running it: a
    workflow edit GitHub's YAML reading maps to the same document."""
    if not mutant.path.endswith((".yml", ".yaml")):
        return None
    text = (root / mutant.path).read_text()
    try:
        same = yaml.load(text, Loader=wf._Loader) == yaml.load(mutant.apply(text), Loader=wf._Loader)
    except yaml.YAMLError:
        return None
    return "the edited YAML reads as the same workflow (only layout or comments changed)" if same else None


def judge(mutant: Mutant, root: Path, *, timeout: float, engines: str | None, work: Path) -> Verdict:
    """Run the mutant's child session and read its verdict."""
    diff = mutant.diff(root)
    reason = equivalent_reason(mutant, root)
    base = {"name": mutant.name, "section": mutant.section, "rule": mutant.rule, "path": mutant.path,
            "mode": mutant.mode, "diff": diff}
    if reason:
        return Verdict(**base, verdict="equivalent", seconds=0.0, evidence=reason)
    junit = work / "junit.xml"
    cmd = [sys.executable, "-m", "pytest", str(ROOT / "features"), "-q", "-p", "no:logging", "-p", "no:cacheprovider",
           "--repo", str(root), "--mutant", mutant.name, "--maxfail=1",
           "--results-dir", str(work / "results"), f"--junitxml={junit}"]
    if engines:
        cmd += ["--engines", engines]
    began = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        return Verdict(**base, verdict="timeout", seconds=round(time.monotonic() - began, 1),
                       evidence=f"the child session took longer than {timeout:.0f} s")
    seconds = round(time.monotonic() - began, 1)
    if not junit.exists():
        last = next((ln for ln in reversed(out.splitlines()) if ln.strip()), "no output")
        return Verdict(**base, verdict="error", seconds=seconds, evidence=last)
    suite = ET.parse(junit).getroot()
    suite = suite.find("testsuite") if suite.tag == "testsuites" else suite
    assert suite is not None
    tests, skipped = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
    for case in suite.iter("testcase"):
        bad = case.find("failure")
        if bad is None:
            bad = case.find("error")
        if bad is not None:
            message = (bad.get("message") or "").strip().splitlines()
            return Verdict(**base, verdict="killed", seconds=seconds, ran=tests - skipped,
                           evidence=f"{case.get('name')}: {message[0][:200] if message else bad.tag}")
    if tests - skipped <= 0:
        return Verdict(**base, verdict="no-scenario", seconds=seconds,
                       evidence=f"no scenario of section {mutant.section} ran in --mode {mutant.mode} "
                                f"({tests} selected, {skipped} skipped)")
    return Verdict(**base, verdict="survived", seconds=seconds, ran=tests - skipped,
                   evidence=f"{tests - skipped} scenario(s) of section {mutant.section} passed")


def _stop(proc: subprocess.Popen[str]) -> None:
    """SIGTERM takes the child's Ctrl-C path (its act runs stop, containers go); SIGKILL after a grace."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    except ProcessLookupError:
        pass


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
