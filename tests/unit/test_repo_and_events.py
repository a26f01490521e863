"""Repository materialisation and event payloads, without Docker."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from actspec.engine import events
from actspec.errors import ChangeError
from actspec.model import Change, RunSpec
from actspec.repository.repo import materialise


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "crates").mkdir(parents=True)
    (src / "crates" / "lib.rs").write_text("fn main() {}\n")
    (src / "README.md").write_text("hello\n")
    return src


def test_base_and_head_commits_carry_exactly_the_changes(source: Path, tmp_path: Path) -> None:
    facts = materialise(source, tmp_path / "r1", branch="feature", base_branch="main",
                        changes=(Change("crates/lib.rs", "append", "// touched"),), tag=None)
    assert facts.base_sha != facts.head_sha
    assert facts.changed == ("crates/lib.rs",)
    branch = subprocess.run(["git", "branch", "--show-current"], cwd=facts.path, capture_output=True, text=True)
    assert branch.stdout.strip() == "feature"


def test_same_spec_same_shas(source: Path, tmp_path: Path) -> None:
    a = materialise(source, tmp_path / "a", branch="main", base_branch="main", tag="v1.0.0")
    b = materialise(source, tmp_path / "b", branch="main", base_branch="main", tag="v1.0.0")
    assert (a.base_sha, a.head_sha) == (b.base_sha, b.head_sha)
    assert a.changed == ()


def test_a_replace_that_does_not_apply_fails_loudly(source: Path, tmp_path: Path) -> None:
    with pytest.raises(ChangeError, match="does not contain"):
        materialise(source, tmp_path / "r", branch="main", base_branch="main",
                    changes=(Change("README.md", "replace", "x", old="absent"),))


def test_push_and_pull_request_payloads(source: Path, tmp_path: Path) -> None:
    facts = materialise(source, tmp_path / "r", branch="feature", base_branch="main",
                        changes=(Change("README.md", "append", "more"),))
    repo = events.repository("replicate/cog", "main")
    push = events.push(facts, repo)
    assert (push["ref"], push["before"], push["after"]) == ("refs/heads/feature", facts.base_sha, facts.head_sha)
    pr = events.pull_request(facts, repo)
    assert pr["pull_request"]["base"]["sha"] == facts.base_sha
    assert pr["pull_request"]["head"]["ref"] == "feature"
    assert events.merge(pr, {"pull_request.base.ref": "dev"})["pull_request"]["base"]["ref"] == "dev"
    assert events.refs("push", push, facts.branch) == events.Refs("refs/heads/feature")
    assert events.refs("pull_request", pr, facts.branch) == events.Refs("refs/pull/1/merge", "main", "feature")
    assert events.refs("pull_request_target", pr, facts.branch) == events.Refs("refs/heads/main", "main", "feature")
    assert events.refs("schedule", events.schedule(repo, "0 3 * * 1"), "main").ref == "refs/heads/main"
    assert events.refs("release", events.release({"tag_name": "v1.2.3"}, repo), "main").ref == "refs/tags/v1.2.3"


def test_tag_push_payload(source: Path, tmp_path: Path) -> None:
    facts = materialise(source, tmp_path / "r", branch="main", base_branch="main", tag="v0.17.0")
    push = events.push(facts, events.repository("replicate/cog", "main"))
    assert push["ref"] == "refs/tags/v0.17.0" and push["before"] == events.ZERO_SHA


def test_spec_key_is_stable_and_sensitive() -> None:
    a = RunSpec(workflow="ci", changes=(Change("a", "append", "x"),))
    assert a.key() == RunSpec(workflow="ci", changes=(Change("a", "append", "x"),)).key()
    assert a.key() != RunSpec(workflow="ci", fail_jobs=("test-rust",)).key()
