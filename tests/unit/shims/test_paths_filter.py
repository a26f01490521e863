"""The dorny/paths-filter shim against a real git repository (no Docker)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from actspec.ledger import Ledger, select

from .shim_support import Job

pytestmark = pytest.mark.unit

SCRIPT = "dorny/paths-filter/paths_filter.py"
FILTERS = """\
go:
  - 'cmd/**'
  - 'go.mod'
  - 'go.sum'
docs: ['docs/**', '**/*.md']
ci: .github/workflows/ci.yml
not-docs:
  - '!docs/**'
"""


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(job: Job) -> tuple[Path, str]:
    ws = job.workspace
    _git(ws, "init", "-q", "-b", "main")
    _git(ws, "config", "user.email", "t@example.com")
    _git(ws, "config", "user.name", "t")
    for path in ("cmd/main.go", "docs/a.md", ".github/filters.yaml"):
        (ws / path).parent.mkdir(parents=True, exist_ok=True)
        (ws / path).write_text(FILTERS if path.endswith("filters.yaml") else "x\n")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-qm", "base")
    return ws, _git(ws, "rev-parse", "HEAD")


def _push(job: Job, before: str) -> dict[str, str]:
    event = job.root / "event.json"
    event.write_text(json.dumps({"before": before}))
    result = job.run(SCRIPT, {"filters": ".github/filters.yaml", "list-files": "json"},
                     env={"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(event)})
    assert result.code == 0, result.log
    return result.outputs


def test_a_push_marks_the_filters_its_files_match(job: Job, repo: tuple[Path, str], ledger: Ledger) -> None:
    ws, base = repo
    (ws / "go.sum").write_text("x\n")
    (ws / "README.md").write_text("x\n")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-qm", "head")
    out = _push(job, base)
    assert (out["go"], out["docs"], out["ci"], out["not-docs"]) == ("true", "true", "false", "true")
    assert json.loads(out["go_files"]) == ["go.sum"] and out["docs_count"] == "1"
    assert json.loads(out["changes"]) == ["go", "docs", "not-docs"]
    assert select(ledger, "paths-filter.result")[0].details["files"] == ["README.md", "go.sum"]


def test_a_docs_only_change_matches_docs_only(job: Job, repo: tuple[Path, str]) -> None:
    ws, base = repo
    (ws / "docs" / "b.md").write_text("x\n")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-qm", "head")
    out = _push(job, base)
    assert (out["go"], out["docs"], out["not-docs"]) == ("false", "true", "false")


def test_an_unknown_base_counts_every_file(job: Job, repo: tuple[Path, str]) -> None:
    out = _push(job, "0" * 40)
    assert (out["go"], out["docs"], out["ci"]) == ("true", "true", "false")


def test_inline_filters_and_every(job: Job, repo: tuple[Path, str]) -> None:
    ws, base = repo
    (ws / "cmd" / "x_test.go").write_text("x\n")
    _git(ws, "add", "-A")
    _git(ws, "commit", "-qm", "head")
    event = job.root / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}}}))
    result = job.run(SCRIPT, {"filters": "tests:\n  - 'cmd/**'\n  - '**/*_test.go'\n", "predicate-quantifier": "every"},
                     env={"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)})
    assert result.code == 0, result.log
    assert result.outputs["tests"] == "true" and result.outputs["tests_count"] == "1"
