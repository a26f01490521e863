"""actions/cache shim against the live kit cache service: miss, save in post, exact and prefix hits."""

from __future__ import annotations

from pathlib import Path

import pytest

from .shim_support import entries, write

pytestmark = pytest.mark.unit


def test_miss_then_post_saves_then_an_exact_hit_restores(make_job, ledger) -> None:  # type: ignore[no-untyped-def]
    first = make_job("build")
    write(first.workspace, {"deps/a.txt": "A\n"})
    inputs = {"path": "deps\n", "key": "deps-v1", "restore-keys": "deps-"}
    r = first.run("actions/cache/main.py", inputs)
    assert r.code == 0, r.log
    assert r.outputs["cache-hit"] == "false" and "Cache not found for input keys: deps-v1, deps-" in r.log
    r = first.run("actions/cache/post.py")
    assert r.code == 0, r.log
    [saved] = [e for e in entries(ledger, "cache.save") if e.details.get("saved")]
    assert saved.subject == "deps-v1" and saved.details["paths"] == ["deps"]

    second = make_job("test")
    restored = Path(second.workspace)
    r = second.run("actions/cache/main.py", inputs)
    assert r.code == 0, r.log
    assert r.outputs["cache-hit"] == "true"
    # the archive holds absolute paths: the first job's workspace is where the files come back
    assert (first.workspace / "deps/a.txt").read_text() == "A\n" and restored.is_dir()
    r = second.run("actions/cache/post.py")
    assert "Cache hit occurred on the primary key deps-v1, not saving cache." in r.log


def test_a_restore_key_prefix_hit_is_not_an_exact_hit_and_post_saves(make_job, ledger) -> None:  # type: ignore[no-untyped-def]
    job = make_job("build")
    write(job.workspace, {"deps/a.txt": "A\n"})
    job.run("actions/cache/save/save.py", {"path": "deps", "key": "deps-old"})
    r = job.run("actions/cache/restore/restore.py", {"path": "deps", "key": "deps-new", "restore-keys": "deps-"})
    assert r.code == 0, r.log
    assert r.outputs == {"cache-primary-key": "deps-new", "cache-matched-key": "deps-old", "cache-hit": "false"}
    other = make_job("other")
    write(other.workspace, {"deps/b.txt": "B\n"})
    other.run("actions/cache/main.py", {"path": "deps", "key": "deps-new", "restore-keys": "deps-"})
    other.run("actions/cache/post.py")
    assert [e.subject for e in entries(ledger, "cache.save") if e.details.get("saved")] == ["deps-old", "deps-new"]


def test_a_different_path_is_another_cache_version(job) -> None:  # type: ignore[no-untyped-def]
    write(job.workspace, {"deps/a.txt": "A\n", "other/b.txt": "B\n"})
    job.run("actions/cache/save/save.py", {"path": "deps", "key": "k"})
    r = job.run("actions/cache/restore/restore.py", {"path": "other", "key": "k"})
    assert r.outputs["cache-hit"] == "false"


@pytest.mark.parametrize(("inputs", "message"), [
    ({"path": "deps"}, "Input required and not supplied: key"),
    ({"path": "deps", "key": "a,b"}, "Key Validation Error: a,b cannot contain commas."),
    ({"path": "deps", "key": "k" * 513}, f"Key Validation Error: {'k' * 513} cannot be larger than 512 characters."),
    ({"path": "deps", "key": "nothing", "fail-on-cache-miss": "true"},
     "Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input key: nothing"),
])
def test_the_real_actions_errors(job, inputs, message) -> None:  # type: ignore[no-untyped-def]
    r = job.run("actions/cache/main.py", inputs)
    assert r.code == 1 and r.errors() == [message]


def test_nothing_to_save_is_a_warning(job, ledger) -> None:  # type: ignore[no-untyped-def]
    r = job.run("actions/cache/save/save.py", {"path": "missing-dir", "key": "k"})
    assert r.code == 0
    assert r.warnings() == ["Path Validation Error: Path(s) specified in the action for caching do(es) not exist, "
                            "hence no cache is being saved."]
    [skip] = entries(ledger, "cache.save")
    assert skip.details["skipped"] is True
