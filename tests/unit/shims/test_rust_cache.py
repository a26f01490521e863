"""Swatinem/rust-cache shim (restore at main, save at post) against a live kit service."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .shim_support import entries, run_info, write

pytestmark = pytest.mark.unit

RESTORE = "Swatinem/rust-cache/restore.py"
SAVE = "Swatinem/rust-cache/save.py"
INPUTS = {"workspaces": "crates -> target"}


@pytest.fixture
def rust_job(make_job, tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(name: str = "test-rust", lock: str = "# lock v1\n"):  # type: ignore[no-untyped-def]
        job = make_job(name)
        fakebin = job.root / "fakebin"
        write(fakebin, {"rustc": "#!/bin/sh\necho 'rustc 1.85.0 (4d91de4e4 2025-02-17)'\n"
                                 "echo 'binary: rustc'\necho 'commit-hash: 4d91de4e48198da2e33413efdcd9cd2cc0c46688'\n"
                                 "echo 'commit-date: 2025-02-17'\necho 'host: x86_64-unknown-linux-gnu'\n"
                                 "echo 'release: 1.85.0'\n"})
        os.chmod(fakebin / "rustc", 0o755)
        job.extra_env.update({
            "PATH": f"{fakebin}:{os.environ['PATH']}",
            "CARGO_HOME": str(job.root / "cargo-home"),
        })
        write(job.workspace, {
            "crates/Cargo.toml": "[workspace]\nmembers = ['coglet']\n",
            "crates/Cargo.lock": lock,
            "crates/coglet/Cargo.toml": "[package]\nname = 'coglet'\n",
        })
        return job

    return make


def build(job) -> None:  # type: ignore[no-untyped-def]
    """What `cargo build` would leave behind: registry downloads and target artifacts."""
    write(Path(job.extra_env["CARGO_HOME"]), {"registry/cache/index.crates.io/serde-1.0.0.crate": "crate"})
    write(job.workspace, {"crates/target/debug/deps/libserde.rlib": "rlib"})


def test_miss_then_save_then_exact_hit(rust_job, ledger):
    first = rust_job()
    r = first.run(RESTORE, INPUTS)
    assert r.code == 0, r.log
    assert r.outputs["cache-hit"] == "false"
    assert "No cache found." in r.stdout
    assert r.env["CARGO_INCREMENTAL"] == "0"
    key = json.loads(r.state["RUST_CACHE_CONFIG"])["key"]
    assert key.startswith("v0-rust-test-rust-Linux-x64-")
    assert len(key.removeprefix("v0-rust-test-rust-Linux-x64-").split("-")) == 2

    build(first)
    s = first.run(SAVE, {"save-if": "true"})
    assert s.code == 0, s.log
    [saved] = entries(ledger, "cache.save")
    assert saved.ok and saved.details["saved"] is True and saved.subject == key
    assert saved.job == "test-rust"
    assert str(first.workspace / "crates" / "target") in saved.details["paths"]

    second = rust_job()
    r2 = second.run(RESTORE, INPUTS)
    assert r2.code == 0, r2.log
    assert r2.outputs["cache-hit"] == "true"
    # the restored files are back in place (absolute paths: the first job's tree)
    assert (first.workspace / "crates/target/debug/deps/libserde.rlib").read_text() == "rlib"
    restores = entries(ledger, "cache.restore")
    assert [e.details["hit"] for e in restores] == [False, True]
    assert restores[1].details["exact"] is True and restores[1].details["matched_key"] == key
    s2 = second.run(SAVE, {"save-if": "true"})
    assert "Cache up-to-date." in s2.stdout
    skipped = entries(ledger, "cache.save")[-1]
    assert skipped.details == {**skipped.details, "saved": False, "skipped": True, "reason": "exact key hit"}


def test_save_if_false_skips_and_records(rust_job, ledger):
    job = rust_job()
    assert job.run(RESTORE, INPUTS).code == 0
    build(job)
    s = job.run(SAVE, {"save-if": "false"})
    assert s.code == 0, s.log
    [entry] = entries(ledger, "cache.save")
    assert entry.ok and entry.details["saved"] is False
    assert entry.details["skipped"] is True and entry.details["reason"] == "save-if false"
    assert entry.details["container"] is not None


def test_pull_request_restores_main_cache_but_does_not_save(rust_job, kit, ledger):
    main_job = rust_job()
    assert main_job.run(RESTORE, INPUTS).code == 0
    build(main_job)
    assert main_job.run(SAVE, {"save-if": "true"}).code == 0

    kit.begin_run(run_info("refs/pull/7/merge", base_ref="main"))
    pr_job = rust_job()
    r = pr_job.run(RESTORE, INPUTS)
    assert r.outputs["cache-hit"] == "true"
    restore = entries(ledger, "cache.restore")[-1]
    assert restore.details["matched_scope"] == "refs/heads/main"
    assert pr_job.run(SAVE, {"save-if": "false"}).code == 0
    assert [e.details["saved"] for e in entries(ledger, "cache.save")] == [True, False]


def test_feature_branch_cache_is_invisible_to_other_branches(rust_job, kit, ledger):
    kit.begin_run(run_info("refs/heads/feature-a"))
    a = rust_job()
    assert a.run(RESTORE, INPUTS).code == 0
    build(a)
    assert a.run(SAVE, {}).code == 0
    kit.begin_run(run_info("refs/heads/feature-b"))
    b = rust_job()
    assert b.run(RESTORE, INPUTS).outputs["cache-hit"] == "false"
    assert entries(ledger, "cache.restore")[-1].details["hit"] is False


def test_lockfile_change_is_a_partial_hit(rust_job, ledger):
    old = rust_job(lock="# lock v1\n")
    assert old.run(RESTORE, INPUTS).code == 0
    build(old)
    assert old.run(SAVE, {}).code == 0
    new = rust_job(lock="# lock v2\n")
    r = new.run(RESTORE, INPUTS)
    assert r.outputs["cache-hit"] == "false"
    restore = entries(ledger, "cache.restore")[-1]
    assert restore.details["hit"] is True and restore.details["exact"] is False
    assert restore.details["matched_key"] != restore.subject
    # a partial hit is saved again under the new key
    assert new.run(SAVE, {}).code == 0
    assert entries(ledger, "cache.save")[-1].details["saved"] is True


def test_existing_key_is_not_overwritten(rust_job, ledger):
    a, b = rust_job("same-job"), rust_job("same-job")
    assert a.run(RESTORE, INPUTS).code == 0
    assert b.run(RESTORE, INPUTS).code == 0  # both miss: they ran concurrently
    build(a)
    assert a.run(SAVE, {}).code == 0
    s = b.run(SAVE, {})
    assert s.code == 0  # rust-cache only warns
    assert any("Unable to reserve cache with key" in w for w in s.warnings())
    saves = entries(ledger, "cache.save")
    assert [e.ok for e in saves] == [True, False] and saves[1].details["status"] == 409


def test_seeded_cache_is_found(rust_job, kit, ledger):
    job = rust_job()
    r = job.run(RESTORE, {**INPUTS, "lookup-only": "true"})
    key = json.loads(r.state["RUST_CACHE_CONFIG"])["key"]
    kit.seed("cache", key)
    job2 = rust_job()
    r2 = job2.run(RESTORE, INPUTS)
    assert r2.outputs["cache-hit"] == "true"


def test_shared_key_and_cache_on_failure(rust_job):
    job = rust_job()
    r = job.run(RESTORE, {**INPUTS, "shared-key": "shared", "prefix-key": "v1-rust", "cache-on-failure": "true"})
    assert r.code == 0, r.log
    assert json.loads(r.state["RUST_CACHE_CONFIG"])["key"].startswith("v1-rust-shared-Linux-x64-")
    assert r.env["CACHE_ON_FAILURE"] == "true"


def test_snapshot_and_restore_chain_caches(rust_job, kit):
    job = rust_job()
    assert job.run(RESTORE, INPUTS).code == 0
    build(job)
    assert job.run(SAVE, {}).code == 0
    state = kit.snapshot()
    kit.restore(None)
    assert kit.caches() == {}
    kit.restore(state)
    assert len(kit.caches()) == 1


def test_setup_rust_toolchain_caches_too(rust_job, ledger):
    job = rust_job("lint")
    r = job.run("actions-rust-lang/setup-rust-toolchain/setup.py", {"components": "clippy", "cache-workspaces": "crates -> target"},
                env={"INPUT_RUSTFLAGS": "-D warnings"})
    assert r.code == 0, r.log
    assert r.env["RUSTFLAGS"] == "-D warnings"
    [setup_entry] = entries(ledger, "setup.rust")
    assert setup_entry.subject == "stable" and setup_entry.details["toolchain_from"] == "default"
    assert entries(ledger, "cache.restore")
    build(job)
    s = job.run("actions-rust-lang/setup-rust-toolchain/post.py", {"cache-save-if": "true"})
    assert s.code == 0, s.log
    assert entries(ledger, "cache.save")[-1].details["saved"] is True
