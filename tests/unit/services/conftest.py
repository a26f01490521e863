"""A live mock GitHub + PyPI + crates.io on 127.0.0.1, with a release-publish run begun.

The run mirrors the spec's ``release-publish.yaml``: ``publish-pypi-coglet`` and
``publish-pypi-sdk`` in environment ``pypi``, ``publish-crates-io`` in ``crates-io``, all
with ``id-token: write``; ``verify-release`` without it.  Both environments only allow
``v*`` tags, and the trusted publishers are the ones the spec's setup section lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import pytest

from actspec.ledger import Ledger
from actspec.model import JobFacts, RunInfo
from actspec.services.crates import CratesService
from actspec.services.github import GitHubService
from actspec.services.host import ServiceHost
from actspec.services.oidc import TrustedPublisher
from actspec.services.pypi import PyPIService

REPO = "replicate/cog"
WORKFLOW = ".github/workflows/release-publish.yaml"
PYPI_PUBLISHER = TrustedPublisher(REPO, "release-publish.yaml", "pypi")
CRATES_PUBLISHER = TrustedPublisher(REPO, "release-publish.yaml", "crates-io")
JOBS = {
    "verify-release": JobFacts(),
    "publish-pypi-coglet": JobFacts(environment="pypi", id_token_write=True),
    "publish-pypi-sdk": JobFacts(environment="pypi", id_token_write=True),
    "publish-crates-io": JobFacts(environment="crates-io", id_token_write=True),
    "publish-no-env": JobFacts(id_token_write=True),
    "create-draft-release": JobFacts(contents_write=True),
    "read-only-job": JobFacts(contents_write=False),
}


def release_run(ref: str = "refs/tags/v0.17.0", workflow: str = WORKFLOW, **kw: object) -> RunInfo:
    return RunInfo(run_id="4242", repository=REPO, ref=ref, sha="a" * 40, workflow=workflow,
                   event_name="release", jobs=dict(JOBS), workflow_name="Release Publish", **kw)  # type: ignore[arg-type]


@dataclass
class Stack:
    ledger: Ledger
    github: GitHubService
    pypi: PyPIService
    crates: CratesService
    host: ServiceHost
    env: dict[str, str]

    def base(self, name: str) -> str:
        return self.host.base_url(name)


@pytest.fixture
def stack() -> Iterator[Stack]:
    ledger = Ledger()
    github = GitHubService(ledger, environments={"pypi": ["tag:v*"], "crates-io": ["tag:v*"]})
    pypi = PyPIService(ledger, verifier=github.verifier(),
                       trusted_publishers={"cog": [PYPI_PUBLISHER], "coglet": [PYPI_PUBLISHER]})
    crates = CratesService(ledger, verifier=github.verifier(), trusted_publishers={"coglet": [CRATES_PUBLISHER]})
    host = ServiceHost([github, pypi, crates]).start()
    env = host.job_env()
    for svc in (github, pypi, crates):
        svc.restore(None)
        svc.begin_run(release_run())
    yield Stack(ledger, github, pypi, crates, host, env)
    host.stop()
