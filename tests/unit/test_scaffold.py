"""``python -m actspec init`` on the bundled repository without its binding writes an equivalent one (issue 12.1)."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from actspec.repository import binding, scaffold
from actspec.tooling import preflight
from actspec.tooling.provision import ROOT

BUNDLED = ROOT / "workflows_under_test"
KILN = ROOT / "examples" / "kiln"
DOCUMENT = ROOT.parent / "shared" / "spec" / "ci-architecture.md"
# The components of ci.yaml's change detection, as its header comment documents them.
RULES = {
    "go": ["cmd/*", "pkg/*", "go.mod", "go.sum"],
    "rust": ["crates/*", "tools/*"],
    "python": ["python/*", "tools/*", "pytest.ini", ".flake8"],
    "integration-tests": ["integration-tests/*"],
    "ci-workflow": [".github/workflows/ci.yaml"],
}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(BUNDLED, dest, ignore=shutil.ignore_patterns("target", "__pycache__", ".venv", "dist"))
    (dest / "actspec.yaml").unlink()
    return dest


def init(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "actspec", "init", str(path), *args],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


def component(path: str) -> set[str]:
    hits = {name for name, globs in RULES.items() if any(fnmatch.fnmatch(path, g) for g in globs)}
    return hits or {"docs"}


def test_init_writes_a_binding_equivalent_to_the_bundled_one(copy: Path) -> None:
    proc = init(copy)
    assert proc.returncode == 0, proc.stderr
    ours, today = binding.load(copy), binding.load(BUNDLED)
    preflight.check_repository(copy, ("ci", "codeql", "release-build", "release-publish", "wheel-sourcing"))
    assert (ours.repository, ours.default_branch, ours.workflows) == (today.repository, today.default_branch, today.workflows)
    used = {label for role in today.workflows for label in today.load_workflow(role).runner_labels()}
    assert used <= set(ours.runners) <= set(today.runners)
    assert ours.trusted_publishers == today.trusted_publishers
    assert ours.environments == today.environments
    assert (ours.matrix_axes, ours.extra_jobs) == (today.matrix_axes, today.extra_jobs)
    # path_rules: one path per rule, init's inert files where the binding names hand-picked ones
    assert {k: len(v) for k, v in ours.path_rules.items()} == {k: len(v) for k, v in today.path_rules.items()}
    assert set(ours.changes) == set(today.changes)
    for name, edits in ours.changes.items():
        assert {frozenset(component(e.path)) for e in edits} == {frozenset(component(e.path)) for e in today.changes[name]}, name
    assert ours.standins == {} and "could not decide: environments" in proc.stdout


def test_init_never_overwrites_a_users_binding(copy: Path) -> None:
    (copy / "actspec.yaml").write_text("# my edits\n")
    proc = init(copy)
    assert proc.returncode == 0
    assert (copy / "actspec.yaml").read_text() == "# my edits\n"
    assert (copy / "actspec.yaml.new").is_file() and "is left as it is (--force overwrites it)" in proc.stdout
    assert init(copy, "--force").returncode == 0
    assert (copy / "actspec.yaml").read_text() != "# my edits\n"


def test_init_writes_a_stand_in_for_each_action_without_a_shim(copy: Path) -> None:
    ci = copy / ".github" / "workflows" / "ci.yaml"
    ci.write_text(ci.read_text().replace("      - uses: actions/setup-go@v5\n",
                                         "      - id: lint\n        uses: golangci/golangci-lint-action@v6\n"
                                         "      - run: echo ${{ steps.lint.outputs.report }}\n"
                                         "      - uses: actions/setup-go@v5\n", 1))
    proc = init(copy)
    assert "could not decide: standins.golangci/golangci-lint-action: no shim" in proc.stdout
    assert binding.load(copy).standins == {"golangci/golangci-lint-action": binding.StandIn(outputs={"report": ""})}
    preflight.check_repository(copy)


def test_init_on_a_folder_without_workflows_is_one_line(tmp_path: Path) -> None:
    proc = init(tmp_path)
    assert proc.returncode == 2 and proc.stderr.strip() == f"actspec init: {tmp_path} has no .github/workflows/: point it at a repository checkout"


def test_init_reads_a_paths_filter_and_dynamic_runs_on(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    for d in ("cli", "sdk", "docs"):
        (tmp_path / d).mkdir()
    (tmp_path / ".github" / "filters.yml").write_text("cli: ['cli/**', 'go.mod']\nsdk: ['sdk/**']\n")
    (tmp_path / ".github" / "workflows" / "pipeline.yml").write_text(
        "name: Pipeline\non:\n  pull_request:\n  push:\n    branches: [trunk]\njobs:\n"
        "  detect:\n    runs-on: ubuntu-22.04\n    steps:\n"
        "      - uses: dorny/paths-filter@v3\n        with: {filters: .github/filters.yml}\n"
        "  build:\n    runs-on: ${{ fromJson(needs.detect.outputs.runners) }}\n"
        "    steps: [{run: 'true'}, {uses: acme/unknown-action@v1}]\n")
    proc = init(tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "actspec.yaml").read_text()
    assert "default_branch: trunk" in text and "runners: [ubuntu-22.04, ubuntu-latest]" in text
    assert "dynamic_runs_on: {build: [ubuntu-latest]}" in text
    assert "- {path: cli/ACTSPEC_TOUCHED.md" in text and "- {path: sdk/ACTSPEC_TOUCHED.md" in text
    assert "could not decide: repository:" in proc.stdout and "could not decide: workflows.codeql" in proc.stdout
    assert "standins.dorny/paths-filter" not in proc.stdout  # the kit ships a paths-filter shim
    assert "could not decide: standins.acme/unknown-action: no shim" in proc.stdout


def test_init_on_kiln_needs_only_the_edits_its_readme_lists(tmp_path: Path) -> None:
    """examples/kiln/actspec.yaml is init's starter plus the README's one edit: `repository:`."""
    dest = tmp_path / "kiln"
    shutil.copytree(KILN, dest)
    (dest / "actspec.yaml").unlink()
    proc = init(dest)
    assert proc.returncode == 0, proc.stderr
    assert "could not decide: repository:" in proc.stdout
    ours, kept = binding.load(dest), binding.load(KILN)
    assert ours.repository == "OWNER/NAME" and kept.repository == "example/kiln"
    assert (ours.workflows, ours.runners, ours.matrix_axes, ours.extra_jobs, ours.extra_job_changes, ours.path_rules,
            ours.changes) == \
        (kept.workflows, kept.runners, kept.matrix_axes, kept.extra_jobs, kept.extra_job_changes, kept.path_rules,
         kept.changes)
    # kiln has no release-build workflow: the release's `platform` list keeps the default axis name
    assert ours.matrix_axes == {"python": "python-version", "os": "platform", "variant": "runtime", "platform": "platform"}
    assert ours.extra_jobs == ("docs-check", "e2e")
    # read from each job's if: (`docs`; `integration`, the features' integration-tests)
    assert ours.extra_job_changes == {"docs-check": "docs", "e2e": "integration-tests"}
    assert set(ours.changes) == set(scaffold.FEATURE_CHANGES)  # `integration` is the features' integration-tests


@pytest.mark.skipif(not DOCUMENT.is_file(), reason=f"the architecture document is not at {DOCUMENT}")
def test_inits_words_of_the_document_are_the_documents() -> None:
    """The jobs table, the integration variants and the deployment pattern init matches against."""
    text = DOCUMENT.read_text()
    table = text[text.index("| Job |"):]
    table = table[:table.index("\n\n")]
    assert tuple(re.findall(r"^\| `([\w-]+)` \|", table, re.M)) == scaffold.DOCUMENT_CI_JOBS
    assert "matrix: " + ", ".join(scaffold.DOCUMENT_VARIANTS) in text
    assert f"**Add pattern**: `{scaffold.DOCUMENT_DEPLOY_PATTERN}`" in text
