"""The in-process probes ask the session's own services, and what they do lands in its ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from actspec.bdd import checks, probes
from actspec.bdd.session import Session
from actspec.ledger import select
from actspec.repository import binding
from actspec.tooling.provision import ROOT


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    sess = Session(binding.load(ROOT / "workflows_under_test"), act=Path("/nonexistent/act"), image="unused")
    yield sess
    sess.close()


@pytest.mark.parametrize(("registry", "workflow", "environment", "ref", "refused_by", "text"), [
    ("pypi", "release-publish.yaml", "pypi", "refs/tags/v0.17.0", "", ""),
    ("pypi", "release-build.yaml", "pypi", "refs/tags/v0.17.0", "PyPI", "no corresponding publisher"),
    ("pypi", "release-publish.yaml", "pypi", "refs/heads/main", "GitHub", "is not allowed to deploy to pypi"),
    ("crates", "release-publish.yaml", "crates-io", "refs/tags/v0.17.0", "", ""),
    ("crates", "release-publish.yaml", None, "refs/tags/v0.17.0", "crates.io", "requires an environment"),
])
def test_upload_token_probe(session: Session, registry: str, workflow: str, environment: str | None, ref: str,
                            refused_by: str, text: str) -> None:
    answer = probes.ask_upload_token(session, registry, workflow, environment, ref)
    if refused_by:
        checks.token_refused(answer, refused_by, text)
    else:
        checks.token_granted(answer)
        assert select(answer.ledger, "oidc.exchange", ok=True)
    assert select(answer.ledger, "oidc.token"), "the id token request reached the session's ledger"
    assert {e.seq for e in answer.ledger} <= {e.seq for e in session.ledger.since(0)}
