"""Cache scopes of the kit: a run restores from its own ref, then from the branch a pull
request targets, then from the default branch, and saves only to its own ref."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Iterator

import pytest
from werkzeug.test import Client

from actspec.ledger import Ledger
from actspec.model import RunInfo
from actspec.services.kit import KitService


def _tar_gz() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = b"cached"
        info = tarfile.TarInfo("target/cached")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _run(ref: str, event: str = "push", base_ref: str | None = None) -> RunInfo:
    return RunInfo(run_id="r", repository="acme/widget", ref=ref, sha="0" * 40, workflow="ci.yaml",
                   event_name=event, base_ref=base_ref, head_ref="feature" if base_ref else None)


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[KitService]:
    service = KitService(Ledger(), default_branch="main", workdir=tmp_path)
    yield service
    service.close()


def _save(client: Client, key: str) -> int:
    return client.put("/cache", query_string={"key": key, "path": "target"}, data=_tar_gz()).status_code


def _restored_scope(client: Client, key: str, *restore_keys: str) -> str | None:
    answer = client.post("/cache/lookup", json={"key": key, "restore_keys": list(restore_keys), "paths": ["target"]})
    assert answer.status_code == 200
    return answer.get_json().get("scope")


def test_pull_request_restores_its_base_branch_then_saves_only_its_own_ref(kit: KitService) -> None:
    client = Client(kit.wsgi)
    kit.begin_run(_run("refs/heads/main"))
    assert _save(client, "deps-1") == 201
    kit.begin_run(_run("refs/heads/release-1.x"))
    assert _save(client, "deps-1") == 201

    kit.begin_run(_run("refs/pull/3/merge", "pull_request", base_ref="release-1.x"))
    assert _restored_scope(client, "deps-1") == "refs/heads/release-1.x"  # base before default
    assert _save(client, "deps-2") == 201
    assert _restored_scope(client, "deps-", "deps-") == "refs/pull/3/merge"  # own ref first

    kit.begin_run(_run("refs/heads/release-1.x"))
    assert _restored_scope(client, "deps-2") is None  # the pull request wrote only its own ref
    assert _restored_scope(client, "deps-1") == "refs/heads/release-1.x"
    assert {c["scope"] for c in kit.caches().values()} == {"refs/heads/main", "refs/heads/release-1.x", "refs/pull/3/merge"}


def test_push_restores_the_default_branch(kit: KitService) -> None:
    client = Client(kit.wsgi)
    kit.begin_run(_run("refs/heads/main"))
    assert _save(client, "deps-1") == 201
    kit.begin_run(_run("refs/heads/feature"))
    assert _restored_scope(client, "deps-1") == "refs/heads/main"


def test_a_restore_that_receives_the_archive_is_recorded_with_its_files(kit: KitService) -> None:
    """``cache.download`` is the service's evidence that the cached files reached the job."""
    client = Client(kit.wsgi)
    kit.begin_run(_run("refs/heads/main"))
    assert _save(client, "deps-1") == 201
    kit.begin_run(_run("refs/pull/3/merge", "pull_request", base_ref="main"))
    found = client.post("/cache/lookup", json={"key": "deps-1", "paths": ["target"]}).get_json()
    assert client.get(f"/cache/blob/{found['id']}", headers={"X-Actspec-Job": "build-rust"}).status_code == 200
    saved, lookup, download = (e for e in kit.ledger.since(0) if e.kind.startswith("cache."))
    assert (saved.kind, saved.details["files"]) == ("cache.save", 1)
    assert (lookup.kind, lookup.details["matched_scope"]) == ("cache.restore", "refs/heads/main")
    assert download.kind == "cache.download" and download.job == "build-rust"
    assert download.details["files"] == 1 and download.details["matched_scope"] == "refs/heads/main"
    assert download.details["scope"] == "refs/pull/3/merge"
