"""The features judge a repository the kit was not written with: examples/kiln.

kiln implements the document's CI with other incidental names (dorny/paths-filter, matrix
axes ``python-version``/``platform``/``runtime``, extra jobs, an output-driven matrix) and
one deliberate divergence per area (its README).  The CI features run against it in a
child pytest in structure mode; exactly the scenarios its divergences break must fail,
each with the document's rule in its message, and the real-work scenarios must be
skipped, never passed.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pytest_bdd.parser import FeatureParser
from pytest_bdd.scenario import make_python_name

from actspec.tooling import children
from actspec.tooling.provision import ROOT

KILN = ROOT / "examples" / "kiln"

# test name (pytest-bdd's) -> what its failure message must say (the divergence, then the document's rule)
EXPECTED_FAILURES = {
    "test_the_workflow_declares_its_triggers_all_pull_requests_and_pushes_to_main":
        "`on.push.branches` is ['main', 'release/**']; the document: it runs on push to main only",
    "test_a_pull_request_that_changes_change_runs_only_the_jobs_that_care[python-":
        "ran but should not: fmt-rust; the document: a job runs only when the files it cares about changed",
    "test_a_pull_request_that_changes_change_runs_only_the_jobs_that_care[python and docs-":
        "ran but should not: fmt-rust; the document: a job runs only when the files it cares about changed",
    "test_the_gate_depends_on_every_other_job_of_the_ci_workflow":
        "the single gate job depends on all other jobs); its needs leave out: docs-check",
    "test_the_gate_fails_when_job_fails_and_runs_anyway[docs-check-docs]":  # the row the binding's extra_jobs gives
        "`ci-complete` should end failure but ended success",
    "test_job_declares_that_it_depends_on_upstream[test-go-`build-sdk`]":
        "`test-go` should need build-sdk (the document's jobs table",
    "test_job_starts_only_after_upstream_finished[test-go-`build-sdk`]":
        "before `build-sdk` finished (the document's jobs table: it depends on build-sdk)",
    "test_consumer_downloads_artifact[test-go-CogPackage]":
        "did not download CogPackage; the document: artifacts are built once and reused",
    "test_changing_supported_pythons_changes_every_python_matrix":
        "`test-coglet-python` should run one leg per python (matrix axis `python-version`) in ['3.12', '3.13']; "
        "act ran legs for ['3.10', '3.11', '3.12', '3.13']; the document: the Python versions are defined once, "
        "in SUPPORTED_PYTHONS",
    "test_the_go_cache_is_configured_through_setupgo":
        "`lint-go` turns setup-go's cache off (`cache: false`); the document: the Go cache is built into setup-go",
}


def real_work_tests() -> set[str]:
    """pytest-bdd's test names of the ``@real-work`` scenarios of features/ci, read from the
    features' own tags (so a new real-work scenario is checked without editing this file)."""
    names = set()
    for path in sorted((ROOT / "features" / "ci").glob("*.feature")):
        feature = FeatureParser(str(path.parent), path.name).parse()
        for name, scenario in feature.scenarios.items():
            if any(tag.startswith("real-work") for tag in scenario.tags | feature.tags):
                names.add("test_" + make_python_name(name))
    return names


def _cases(report: Path) -> list[ET.Element]:
    return list(ET.parse(report).getroot().iter("testcase"))


def _outcome(case: ET.Element) -> tuple[str, str]:
    for kind in ("failure", "error", "skipped"):
        node = case.find(kind)
        if node is not None:
            return kind, f"{node.get('message', '')}\n{node.text or ''}"
    return "passed", ""


@pytest.mark.act
def test_kiln_fails_exactly_for_its_divergences(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    child = children.run(
        [sys.executable, "-m", "pytest", "features/ci", "-q", "-p", "no:logging", "--repo", str(KILN),
         "--mode", "structure", "--results-dir", str(tmp_path / "results"), f"--junitxml={report}"],
        cwd=ROOT,
    )
    assert report.exists(), f"the features did not run against kiln:\n{child.output[-5000:]}"
    failed: dict[str, str] = {}
    real_work, skipped_for_it = real_work_tests(), set()
    for case in _cases(report):
        name = case.get("name", "")
        kind, text = _outcome(case)
        if name.partition("[")[0] in real_work:
            assert kind == "skipped" and "needs real work" in text, f"{name} should be skipped in structure mode: {kind}"
            skipped_for_it.add(name.partition("[")[0])
        elif kind in ("failure", "error"):
            failed[name] = text
        else:
            assert "needs real work" not in text, f"{name} is skipped as real work but has no @real-work tag"
    assert skipped_for_it == real_work, f"real-work scenarios that did not run at all: {sorted(real_work - skipped_for_it)}"
    unexpected = {n: t.strip().splitlines()[-1:] for n, t in failed.items()
                  if not any(n.startswith(prefix) for prefix in EXPECTED_FAILURES)}
    assert not unexpected, f"scenarios failed that kiln keeps: {unexpected}"
    for prefix, says in EXPECTED_FAILURES.items():
        hits = [t for n, t in failed.items() if n.startswith(prefix)]
        assert hits, f"{prefix} should fail against kiln, but passed"
        assert all(says in t for t in hits), f"{prefix} failed without saying {says!r}: {hits[0][-800:]}"
