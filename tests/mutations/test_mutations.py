"""The features fail against broken workflows: each mutation must turn a scenario red.

A copy of the repository under test gets one deliberate break; the selected scenarios
run against it in a child pytest (``--repo`` pointing at the copy), which must report at
least one failed scenario.  This is what keeps the features from being scenarios that
cannot fail.

Each module names the mode its mutations run in (``MODE``): a break of the CI workflow's
graph (a ``needs``, an ``if:``, a matrix, the gate) is seen in ``--mode structure``, where
act runs the real workflow with the builds stubbed, at a fraction of a full run's cost; the
release breaks concern what is built and published, so they run in full.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from actspec.model import Change
from actspec.repository.repo import apply_change, source_files
from actspec.tooling import children
from actspec.tooling.provision import ROOT

REPO = ROOT / "workflows_under_test"
SOURCES = ["tests.mutations.ci_mutations", "tests.mutations.release_mutations"]


def mutations() -> list[tuple[str, str, str, str, str, str]]:
    """(name, path, old, new, -k selection, mode) of every hand-written mutation."""
    found = []
    for name in SOURCES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        found += [(*m, module.MODE) for m in module.MUTATIONS]
    return found


def broken_copy(dest: Path, path: str, old: str, new: str) -> Path:
    for rel in source_files(REPO):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, dest / rel)
    apply_change(dest, Change(path, "replace", new, old))
    return dest


@pytest.mark.mutation
@pytest.mark.parametrize(("name", "path", "old", "new", "select", "mode"), mutations(), ids=[m[0] for m in mutations()])
def test_a_broken_workflow_turns_a_scenario_red(
    tmp_path: Path, name: str, path: str, old: str, new: str, select: str, mode: str
) -> None:
    copy = broken_copy(tmp_path / "repo", path, old, new)
    report = tmp_path / "junit.xml"
    child = children.run(
        [sys.executable, "-m", "pytest", "features", "-q", "-p", "no:logging", "--repo", str(copy), "-k", select,
         "--mode", mode,
         "--maxfail=1",  # one red scenario kills the mutation: the rest need not run
         "--results-dir", str(tmp_path / "results"), f"--junitxml={report}"],
        cwd=ROOT,
    )
    assert report.exists(), f"the features did not run against the broken copy:\n{child.output[-5000:]}"
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    ran, failed = int(suite.get("tests", 0)), int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    assert ran > skipped, f"-k {select!r} selected no scenario that runs in --mode {mode} ({skipped} skipped)"
    assert failed > 0, (f"mutation {name!r}: every selected scenario still passed in --mode {mode} "
                        f"({ran - skipped} ran, {skipped} skipped)")
