"""Engines, their locks, the sweep of a killed session and the results xdist workers share."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from actspec.bdd import session
from actspec.engine import engines
from actspec.engine.runner import ACT_RECORD
from actspec.engine.shared import Shared, SharedRuns, decode, encode
from actspec.ledger import Entry
from actspec.model import Change, JobRun, RunResult, RunSpec, Seed, StepRun
from actspec.services.kit import CacheEntry

pytestmark = pytest.mark.unit


@pytest.fixture
def lock_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ACTSPEC_LOCK_DIR", str(tmp_path / "locks"))
    return tmp_path / "locks"


def a_result() -> RunResult:
    before = RunSpec(workflow="release-build", tag="v1.0.0", seeds=(Seed("pypi", "version", "cog==0.1"),))
    spec = RunSpec(workflow="ci", event="pull_request", changes=(Change("a.py", "write", "x = 1\n"),),
                   payload=(("number", 7), ("labels", ["x"])), fail_jobs=("build-sdk",), after=before)
    job = JobRun(job_id="build", name="Build", matrix={"os": "linux"}, result="failure", ran=True, started=1.0,
                 finished=2.0, outputs={"v": "1"}, log=["line 1\n", "line 2\n"], note="n",
                 steps=[StepRun("s1", "Step", "Main", "failure", "success", {"o": "p"})])
    entry = Entry(3, 1.5, "artifact.upload", "wheel", "build", "os=linux", True, {"size": 10})
    return RunResult(spec=spec, repo=Path("/r"), run_id="abc-123", jobs=[job], ledger=[entry], exit_code=1, started=1.0, finished=3.0,
                     log_path=Path("/tmp/act.log"), hung_job=None, notes=["cleanup removed container x"])


def test_a_run_result_round_trips_through_json_with_its_ledger_and_logs() -> None:
    result = a_result()
    again = RunResult.from_json(json.loads(json.dumps(result.to_json(logs=True))))
    assert again == result
    assert again.spec.key() == result.spec.key()
    assert again.ledger[0].details == {"size": 10}


def test_service_state_with_bytes_int_keys_and_cache_entries_round_trips(tmp_path: Path) -> None:
    blob = tmp_path / "kit" / "caches" / "blob1"
    blob.parent.mkdir(parents=True)
    blob.write_bytes(b"tarball")
    entry = CacheEntry(id=1, key="k", scope="refs/heads/main", version=None, paths=("~/.cargo",), blob=str(blob),
                       size=7, job="build")
    state = {"github": {"releases": {1001: {"assets": [1002], "draft": True}}, "next_id": 1003},
             "pypi": {"files": {"a.whl": {"data": b"\x00\x01", "metadata": None}}},
             "kit": {"caches": {"k": entry}}}
    blobs = tmp_path / "shared" / "blobs"
    blobs.mkdir(parents=True)
    back = decode(json.loads(json.dumps(encode(state, blobs))))
    assert back["github"] == state["github"] and back["pypi"] == state["pypi"]
    kept = back["kit"]["caches"]["k"]
    assert kept.paths == ("~/.cargo",) and Path(kept.blob).parent == blobs
    blob.unlink()  # the worker that made it closed its session: the shared copy stays
    assert Path(kept.blob).read_bytes() == b"tarball"


def test_a_second_worker_reads_the_first_workers_result_instead_of_running(tmp_path: Path) -> None:
    shared = SharedRuns(tmp_path / "shared")
    result = a_result()
    key = result.spec.key()
    with shared.claim(key, result.spec) as found:
        assert found is None
        shared.put(key, Shared(result=result, states={"pypi": {"serial": 2}}))
    with shared.claim(key, result.spec) as found:
        assert found is not None and found.result == result and found.states == {"pypi": {"serial": 2}}


def test_the_lock_file_is_never_followed_through_a_symlink(lock_dir: Path, tmp_path: Path) -> None:
    victim = tmp_path / "precious"
    victim.write_text("keep me")
    engine = engines.Engine(0, "unix:///nowhere.sock")
    lock_dir.mkdir()
    engine.lock_path().symlink_to(victim)
    with pytest.raises(engines.EngineError, match="symbolic link"):
        engines.try_lock(engine)
    assert victim.read_text() == "keep me"


def test_the_lock_file_is_private(lock_dir: Path) -> None:
    lease = engines.try_lock(engines.Engine(0, "unix:///nowhere.sock"))
    assert lease is not None
    lease.release()
    assert (engines.Engine(0, "unix:///nowhere.sock").lock_path().stat().st_mode & 0o777) == 0o600


def test_a_child_that_inherits_the_lease_keeps_the_engine_locked_after_its_parent_lets_go(lock_dir: Path) -> None:
    engine = engines.Engine(0, "unix:///nowhere.sock")
    lease = engines.try_lock(engine)
    assert lease is not None
    child = subprocess.Popen(["sleep", "60"], pass_fds=(lease.fd,))
    try:
        lease.release()  # the pytest process is gone, act is not
        assert engines.try_lock(engine) is None
    finally:
        child.kill()
        child.wait()
    again = engines.try_lock(engine)
    assert again is not None
    again.release()


def test_distinct_runs_take_distinct_engines(lock_dir: Path) -> None:
    pool = engines.Pool([engines.Engine(0, "unix:///a.sock"), engines.Engine(1, "unix:///b.sock")])
    first, second = pool.acquire(print), pool.acquire(print)
    assert {first.engine.index, second.engine.index} == {0, 1}
    first.release()
    second.release()


def test_the_number_of_engines_is_checked_and_defaults_to_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACTSPEC_ENGINES", raising=False)
    assert engines.wanted(None) is None
    assert engines.wanted("3") == 3
    monkeypatch.setenv("ACTSPEC_ENGINES", "2")
    assert engines.wanted(None) == 2
    for bad in ("0", "two"):
        with pytest.raises(engines.EngineError, match="at least 1"):
            engines.wanted(bad)
    assert 1 <= engines.default_count() <= max(1, (os.cpu_count() or 1) // 2)


def test_a_pidfile_naming_another_process_is_not_taken_for_the_kits_daemon(tmp_path: Path) -> None:
    kit = engines.KitEngine(1, tmp_path / "1")
    kit.base.mkdir()
    kit.pidfile.write_text(str(os.getpid()))  # not a dockerd started with this pidfile
    assert kit.pid() is None
    kit.stop(print)
    assert not kit.base.exists()  # its folder goes, the process named in it lives on


def test_the_sweep_stops_a_dead_sessions_act_reports_it_and_then_removes_its_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    dead = subprocess.Popen(["true"])
    dead.wait()
    folder = tmp_path / "actspec-dead"
    run = folder / "run1"
    run.mkdir(parents=True)
    (folder / session.OWNER).write_text(str(dead.pid))
    act = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "--label", "actspec.run=run1"],
                           start_new_session=True)
    (run / ACT_RECORD).write_text(json.dumps({"pid": act.pid, "engine": f"unix://{tmp_path}/gone.sock",
                                              "label": "run1", "started": time.time()}))
    # right after the spawn /proc/<pid>/cmdline can still be empty (seen under load); the
    # sweep meets acts of sessions long dead, so wait until this one shows its label
    deadline = time.monotonic() + 10
    while b"actspec.run=run1" not in Path(f"/proc/{act.pid}/cmdline").read_bytes() and time.monotonic() < deadline:
        time.sleep(0.01)
    live = tmp_path / "actspec-live"
    live.mkdir()
    (live / session.OWNER).write_text(str(os.getpid()))
    try:
        lines = session.sweep_stale()
        assert act.wait(timeout=30) is not None
    finally:
        if act.poll() is None:
            act.kill()
    assert any(f"stopping act (pid {act.pid})" in ln for ln in lines), lines
    assert not folder.exists() and live.exists()


def test_a_restarted_engine_forgets_a_containerd_that_died_with_its_daemon(tmp_path: Path) -> None:
    """Where nothing reaps orphans, the killed daemon's containerd is a zombie dockerd would wait for."""
    kit = engines.KitEngine(9, tmp_path)
    pidfile = tmp_path / "exec" / "containerd" / "containerd.pid"
    pidfile.parent.mkdir(parents=True)
    zombie = subprocess.Popen(["true"])
    time.sleep(0.5)  # exited, not yet waited for: a zombie
    pidfile.write_text(str(zombie.pid))
    kit._forget_dead_containerd()
    assert not pidfile.exists()
    zombie.wait()
    pidfile.write_text(str(os.getpid()))  # a live process: kept
    kit._forget_dead_containerd()
    assert pidfile.exists()


def test_stopping_a_dead_engine_kills_the_shims_and_containers_it_left(tmp_path: Path) -> None:
    """A stand-in shim (named like containerd's, naming this engine's root) and its child go."""
    base = tmp_path / "9"
    fake = tmp_path / "containerd-shim-runc-v2"
    fake.symlink_to("/bin/bash")
    # The stand-in outlives its child, as a real shim does: the kill of the child must not end
    # it before the kill meant for it arrives.
    shim = subprocess.Popen([str(fake), "-c", "sleep 300 & while :; do wait; done", "-address", f"{base}/exec/containerd/containerd.sock"])
    time.sleep(0.5)
    children = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == shim.pid]
    assert children
    engines.KitEngine(9, base).stop(print)
    assert shim.wait(timeout=10) == -9
    time.sleep(0.2)
    for child in children:
        assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1][:3]


def _ppid(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def test_a_daemon_the_kit_starts_runs_the_kits_build_once_it_is_complete(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "engine" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "dockerd").write_text("")
    monkeypatch.setattr(engines, "ENGINE_BIN", bin_dir)
    monkeypatch.setattr(engines, "ENGINE_STAMP", bin_dir.parent / "built")
    assert engines.dockerd_launch()[0] == "dockerd"  # no stamp: a build cut short is not used
    (bin_dir.parent / "built").write_text("pins\n")
    binary, env = engines.dockerd_launch()
    assert binary == str(bin_dir / "dockerd")
    assert env["PATH"].split(":")[0] == str(bin_dir)  # its containerd and runc, not Debian's
    assert engines.KitEngine.at(3, tmp_path).command()[0] == binary
