"""Engines under faults: a run whose engine dies, two sessions on one engine, a session killed mid-run.

Each test runs real act in Docker; the child pytest sessions run the calibration suite's
workflows (``tests/calibration/repo``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import docker
import pytest

from actspec.bdd.session import Session
from actspec.engine import engines, hygiene
from actspec.engine.runner import EngineLost
from actspec.model import RunSpec
from actspec.tooling import preflight, provision

REPO = Path(__file__).parents[1] / "calibration" / "repo"
SPARE = 9  # the kit engine this module starts for itself and stops again


def inventories(engine_list: list[engines.Engine]) -> dict[str, hygiene.Inventory]:
    return {e.host: hygiene.inventory(e.client()) for e in engine_list}


def child_pytest(tmp: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "tests/calibration/test_semantics.py", "-q", "-p", "no:logging",
         "-p", "no:xdist", "--engines", "1", *args],
        cwd=provision.ROOT, env={**os.environ, "TMPDIR": str(tmp)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


def wait_for_container(cli: docker.DockerClient, name: str, child: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if cli.containers.list(filters={"label": hygiene.LABEL, "name": name}):
            return
        if child is not None and child.poll() is not None:
            pytest.fail(f"the run ended before the fault:\n{child.stdout.read() if child.stdout else ''}")
        time.sleep(0.5)
    pytest.fail(f"no {name} container within 300 s")


def acts_of(tmp: Path) -> list[int]:
    """Pids of act processes whose working directory is under ``tmp``."""
    out = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if Path(os.readlink(proc / "exe")).name == "act" and str(tmp) in os.readlink(proc / "cwd"):
                out.append(int(proc.name))
        except OSError:
            continue
    return out


@pytest.fixture
def spare(actspec_factory) -> engines.KitEngine:  # noqa: ARG001 (preflight)
    kit = engines.KitEngine.at(SPARE)
    kit.start(print)
    env = {**os.environ, **kit.engine.env()}
    tag = provision.image_tag()
    if subprocess.run(["docker", "image", "inspect", tag], capture_output=True, env=env).returncode != 0:
        save = subprocess.Popen(["docker", "save", tag], stdout=subprocess.PIPE)
        subprocess.run(["docker", "load", "-q"], stdin=save.stdout, capture_output=True, env=env, check=True)
        save.wait()
    yield kit
    kit.stop(print)


def test_a_run_whose_engine_dies_fails_with_one_line_naming_it_and_leaves_nothing_elsewhere(
        spare: engines.KitEngine) -> None:
    victim = spare.engine
    others = [e for e in engines.running() if e.host != victim.host]
    before = inventories(others)
    sess = Session(preflight.check_repository(REPO), act=provision.act_path(), image=provision.image_tag(),
                   engine_pool=engines.Pool([victim]))

    def kill_the_engine() -> None:
        wait_for_container(victim.client(), "act-hang-stuck")
        os.kill(spare.pid() or 0, signal.SIGKILL)

    killer = threading.Thread(target=kill_the_engine, daemon=True)
    killer.start()
    try:
        with pytest.raises(EngineLost) as lost:
            sess.runner.run(RunSpec(workflow="hang", timeout=240))
    finally:
        sess.close()
        killer.join(timeout=10)
    message = str(lost.value)
    assert "\n" not in message and victim.name in message and "stopped answering" in message, message
    after = inventories(others)
    for host, inv in after.items():
        assert inv.minus(before[host]).empty(), f"{host} holds {inv.minus(before[host]).describe()}"
    # The killed daemon's containerd still runs the job: a restarted daemon takes it over,
    # and the job goes before the engine does.
    spare.start(print)
    for c in victim.client().containers.list(all=True, filters={"label": hygiene.LABEL}):
        c.remove(force=True, v=True)


def test_two_sessions_started_at_once_on_one_engine_both_pass(tmp_path: Path, actspec_factory) -> None:  # noqa: ARG001
    before = hygiene.inventory()
    children = [child_pytest(tmp_path, "-k", "every_job_of_the_workflow", "--results-dir", str(tmp_path / f"r{i}"))
                for i in range(2)]
    outs = [c.communicate(timeout=900)[0] for c in children]
    for child, out in zip(children, outs):
        assert child.returncode == 0, out
    # One engine, one act run at a time: the sessions' job legs never overlapped.
    spans = []
    for i in range(2):
        [run] = [json.loads(p.read_text()) for p in (tmp_path / f"r{i}").glob("*.json") if p.name != "tests.json"]
        times = [t for job in run["jobs"] for t in (job["started"], job["finished"]) if t]
        spans.append((min(times), max(times)))
    first, second = sorted(spans)
    assert first[1] <= second[0], f"the two sessions' runs overlapped on one engine: {spans}"
    assert hygiene.inventory().minus(before).empty()
    assert not list(tmp_path.glob("actspec-*"))


def test_after_a_sigkill_mid_run_the_next_session_stops_its_act_and_cleans_up(tmp_path: Path, actspec_factory) -> None:  # noqa: ARG001
    before = hygiene.inventory()
    killed = child_pytest(tmp_path, "-k", "hung", "--results-dir", str(tmp_path / "r1"))
    wait_for_container(docker.from_env(), "act-hang-stuck", killed)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    left = list(tmp_path.glob("actspec-*"))
    assert left, "the killed session left no temp dir to sweep"
    nxt = child_pytest(tmp_path, "-k", "matrix_from_workflow_env", "--results-dir", str(tmp_path / "r2"))
    out, _ = nxt.communicate(timeout=600)
    assert nxt.returncode == 0, out
    assert "which was killed" in out, out
    assert not acts_of(tmp_path), "an act of the killed session still runs"
    assert not any(p.exists() for p in left), f"left: {left}"
    assert hygiene.inventory().minus(before).empty(), hygiene.inventory().minus(before).describe()


def test_identical_specs_run_once_across_xdist_workers(tmp_path: Path, actspec_factory) -> None:  # noqa: ARG001
    # --dist each: every worker runs every test, so both need the same spec at the same time.
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/calibration/test_semantics.py", "-q", "-p", "no:logging",
         "-k", "every_job_of_the_workflow or jobs_ran_in_containers", "-n", "2", "--dist", "each",
         "--results-dir", str(tmp_path / "r")],
        cwd=provision.ROOT, env={**os.environ, "TMPDIR": str(tmp_path)}, capture_output=True, text=True, timeout=900,
    )
    assert child.returncode == 0, child.stdout + child.stderr
    runs = {p.stem for p in (tmp_path / "r").glob("*.json") if p.name != "tests.json"}
    assert len(runs) == 1, f"the two workers made {len(runs)} act runs of one spec: {sorted(runs)}"
    assert not list(tmp_path.glob("actspec-*"))
