"""goreleaser-action shim: the real, provisioned goreleaser against the live mock GitHub.

One linux/amd64 target of a one-file Go program, so the build is seconds; the release
features run the bundled configuration in job containers.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from actspec.tooling import provision

from ..shims.shim_support import Job, write

pytestmark = [
    pytest.mark.unit,
    pytest.mark.skipif(not provision.runner_tool("goreleaser").is_file(),
                       reason="goreleaser is not provisioned: `python -m actspec.tooling.provision goreleaser`"),
]
SCRIPT = "goreleaser/goreleaser-action/goreleaser_action.py"
CONFIG = """\
version: 2
project_name: hello
builds:
  - main: .
    binary: hello
    env: [CGO_ENABLED=0]
    goos: [linux]
    goarch: [amd64]
archives:
  - formats: [binary]
    name_template: "{{ .Binary }}_{{ .Os }}_{{ .Arch }}"
checksum:
  name_template: checksums.txt
release:
  draft: true
  replace_existing_draft: true
"""


def tagged_repo(job: Job, config: str) -> None:
    write(job.workspace, {"go.mod": "module example.com/hello\n\ngo 1.19\n",
                          "main.go": 'package main\n\nfunc main() { println("hello") }\n',
                          ".goreleaser.yaml": config, ".gitignore": "dist/\n"})
    for cmd in (["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "c"],
                ["tag", "v0.17.0"], ["remote", "add", "origin", "https://github.com/replicate/cog.git"]):
        subprocess.run(["git", *cmd], cwd=job.workspace, check=True)


def goreleaser_job(tmp_path: Path, stack, config: str) -> Job:  # type: ignore[no-untyped-def]
    job = Job(tmp_path / "create-draft-release", "http://127.0.0.1:9/kit", name="create-draft-release")
    job.extra_env.update(stack.env)
    job.extra_env.update(ACTSPEC_TOOLS=str(provision.RUNNER_TOOLS), GITHUB_TOKEN=stack.github.token,
                         GITHUB_REPOSITORY="replicate/cog", GITHUB_REF="refs/tags/v0.17.0",
                         GOCACHE=str(tmp_path / "gocache"), HOME=str(tmp_path))
    tagged_repo(job, config)
    return job


def test_goreleasers_own_requests_create_the_draft_and_upload(tmp_path: Path, stack) -> None:  # type: ignore[no-untyped-def]
    job = goreleaser_job(tmp_path, stack, CONFIG)
    r = job.run(SCRIPT, {"distribution": "goreleaser", "args": "release --clean"})
    assert r.code == 0, r.log
    writes = [e for e in stack.ledger if e.kind in ("release.create", "release.asset")]
    assert (writes[0].kind, writes[0].subject) == ("release.create", "v0.17.0")
    assert sorted((e.kind, e.subject) for e in writes[1:]) == [
        ("release.asset", "v0.17.0/checksums.txt"), ("release.asset", "v0.17.0/hello_linux_amd64")]
    assert writes[0].details["draft"] is True
    # goreleaser's own GitHub client (go-github), not a shim's urllib or a step's curl
    assert all(e.details["user_agent"].startswith("go-github/") for e in writes), [e.details["user_agent"] for e in writes]
    assert not [e for e in stack.ledger if e.kind == "github.unserved"]
    (rel,) = stack.github.releases("replicate/cog")
    assert rel["draft"] and sorted(a["name"] for a in rel["assets"]) == ["checksums.txt", "hello_linux_amd64"]
    assert json.loads(r.outputs["metadata"])["tag"] == "v0.17.0"
    assert "github_urls" not in (job.workspace / ".goreleaser.yaml").read_text()  # the repository's file is untouched

