"""Evidence that cannot be forged: the ledger holds only what the services observed."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
import requests

from actspec.ledger import Ledger, select
from actspec.services.host import ServiceHost
from actspec.services.kit import KitService
from tests.unit.services.conftest import Stack, release_run
from tests.unit.services.support import id_token


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[tuple[str, Ledger]]:
    ledger = Ledger()
    service = KitService(ledger, workdir=tmp_path)
    host = ServiceHost([service]).start()
    yield host.base_url("kit"), ledger
    host.stop()
    service.close()


def record(base: str, body: object) -> requests.Response:
    return requests.post(f"{base}/record", json=body, headers={"X-Actspec-Job": "forger"}, timeout=10)


FORGED = ["pypi.upload", "crates.publish", "release.publish", "release.create", "release.asset", "oidc.exchange",
          "oidc.token", "oidc.revoke", "artifact.upload", "artifact.download", "cache.restore"]


@pytest.mark.parametrize("kind", FORGED)
def test_a_step_cannot_record_what_only_a_service_observes(kit: tuple[str, Ledger], kind: str) -> None:
    base, ledger = kit
    r = record(base, {"kind": kind, "subject": "cog-0.17.0.tar.gz", "details": {"status": 200}, "ok": True})
    assert r.status_code == 403
    assert r.json()["message"].startswith("Resource not accessible by integration")
    assert select(ledger, kind) == []  # nothing reaches the ledger, so no check can read it


def test_a_cache_save_may_be_recorded_only_as_not_saved(kit: tuple[str, Ledger]) -> None:
    base, ledger = kit
    assert record(base, {"kind": "cache.save", "subject": "k", "details": {"saved": True}}).status_code == 403
    assert record(base, {"kind": "cache.save", "subject": "k", "details": {"saved": False, "skipped": True}}).status_code == 201
    assert record(base, {"kind": "setup.go", "subject": "1.24", "details": {}}).status_code == 201
    assert [e.kind for e in ledger] == ["cache.save", "setup.go"]
    assert [e.details.get("saved") for e in select(ledger, "cache.save")] == [False]


@pytest.mark.parametrize("body", [
    {"kind": "setup.go", "subject": "x", "details": {"kind": "pypi.upload"}},
    {"kind": "setup.go", "subject": "x", "details": {"ok": True}},
    {"kind": "setup.go", "subject": "x", "details": {"job": "other"}},
    {"kind": "setup.go", "subject": "x", "details": {"subject": "y"}},
    {"kind": "setup.go", "subject": "x", "details": {"leg": "y"}},
    {"kind": "setup.go", "subject": "x", "details": {"container": "y"}},
    {"kind": "setup.go", "subject": "x", "ok": "yes"},
    {"kind": "setup.go", "subject": 5},
    {"kind": "setup.go", "subject": "x", "details": []},
    {"kind": "Setup Go", "subject": "x"},
    {"kind": 7, "subject": "x"},
    ["not", "an", "object"],
    "just a string",
])
def test_a_malformed_record_is_400_never_500(kit: tuple[str, Ledger], body: object) -> None:
    base, ledger = kit
    r = record(base, body)
    assert r.status_code == 400, r.text
    assert list(ledger) == []


def test_a_body_that_is_not_json_is_400(kit: tuple[str, Ledger]) -> None:
    base, _ledger = kit
    for path, method in (("/record", "POST"), ("/cache/lookup", "POST")):
        r = requests.request(method, base + path, data=b"\xff\xfe{", timeout=10)
        assert r.status_code == 400, (path, r.text)
    r = requests.post(base + "/cache/lookup", json={"key": "k", "restore_keys": "not-a-list"}, timeout=10)
    assert r.status_code == 400 and "restore_keys must be a list of strings" in r.json()["message"]


@pytest.mark.parametrize(("ref", "allowed"), [
    ("refs/tags/v0.17.0", True),
    ("refs/heads/v-not-a-tag", False),  # a branch named like the tag pattern
    ("refs/heads/v0.17.0", False),
    ("refs/pull/7/merge", False),
])
def test_a_tag_only_environment_admits_no_branch(stack: Stack, ref: str, allowed: bool) -> None:
    stack.github.begin_run(release_run(ref=ref))
    r = id_token(stack.env, "publish-pypi-coglet", audience="pypi")
    assert (r.status_code == 200) is allowed, r.text
    if not allowed:
        assert "deployment rules" in r.json()["message"]
        assert select(stack.ledger, "oidc.exchange") == []  # PyPI never saw a token to trade
