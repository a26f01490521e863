"""A test session's shared state: one service host, one ledger, one runner with its run cache."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Callable

from actspec.engine import engines, hygiene, sandbox
from actspec.engine.runner import ACT_RECORD, ENGINE_DOWN, Runner, log_name
from actspec.engine.shared import SharedRuns
from actspec.ledger import Ledger
from actspec.repository.binding import Binding
from actspec.services import Service
from actspec.services.crates import CratesService
from actspec.services.github import GitHubService
from actspec.services.host import ServiceHost
from actspec.services.kit import KitService
from actspec.services.oidc import TrustedPublisher
from actspec.services.pypi import PyPIService


def make_services(bound: Binding, ledger: Ledger, workdir: Path) -> list[Service]:
    """The kit endpoints and the GitHub, PyPI and crates.io mocks, configured from the binding.

    ``trusted_publishers`` in the binding reads ``{registry: {project: [{workflow, environment}]}}``;
    the repository is the binding's.
    """
    github = GitHubService(ledger, environments=bound.environments)

    def publishers(registry: str) -> dict[str, list[TrustedPublisher]]:
        table = bound.trusted_publishers.get(registry) or {}
        return {
            project: [TrustedPublisher(bound.repository, str(p["workflow"]), p.get("environment"))
                      for p in (entries if isinstance(entries, list) else [entries])]
            for project, entries in table.items()
        }

    return [
        KitService(ledger, default_branch=bound.default_branch, workdir=workdir),
        github,
        PyPIService(ledger, verifier=github.verifier(), trusted_publishers=publishers("pypi")),
        CratesService(ledger, verifier=github.verifier(), trusted_publishers=publishers("crates")),
    ]


PREFIX = "actspec-"
OWNER = ".owner-pid"


def sweep_stale() -> list[str]:
    """Clean up after sessions whose pytest process is gone (killed before it could).

    For each act such a session started that still runs: stop it (SIGINT, then SIGKILL) and
    only then remove anything; its job containers go by their label on the engine it ran on,
    its act volumes too when that engine's lock is free (held by a live run otherwise, whose
    volumes must stay).  A folder whose act could not be stopped is left.  Returns one line
    per thing done, for the terminal.
    """
    done: list[str] = []
    for owner in Path(tempfile.gettempdir()).glob(f"{PREFIX}*/{OWNER}"):
        pid: int | str = "?"
        try:
            pid = int(owner.read_text().strip())
            os.kill(pid, 0)
            continue
        except PermissionError:
            continue  # alive, another user's
        except (ProcessLookupError, ValueError, OSError):
            pass  # gone, or its owner file unreadable
        folder, clean = owner.parent, True
        for record in sorted(folder.glob(f"*/{ACT_RECORD}")):
            clean = _sweep_run(record, done) and clean
        if clean:
            shutil.rmtree(folder, ignore_errors=True)
            done.append(f"removed the temp dir {folder} of pytest session {pid}, which was killed")
    return done


def _sweep_run(record: Path, done: list[str]) -> bool:
    """Stop the act of one run of a dead session and remove what it left; False if act lives on."""
    try:
        info = json.loads(record.read_text())
        pid, label, host, started = int(info["pid"]), str(info["label"]), str(info["engine"]), float(info["started"])
    except (OSError, ValueError, KeyError):
        return True
    if _is_act_of(pid, label):
        done.append(f"stopping act (pid {pid}) of run {label}, left running by a killed session")
        for sig, wait in ((signal.SIGINT, 20.0), (signal.SIGKILL, 10.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, sig)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and _is_act_of(pid, label):
                time.sleep(0.2)
            if not _is_act_of(pid, label):
                break
        if _is_act_of(pid, label):
            done.append(f"act (pid {pid}) of run {label} did not stop; its folder {record.parent} is left")
            return False
    engine = engines.Engine(-1, host)
    try:
        cli = engine.client(timeout=30)
        lease = engines.try_lock(engine)
        try:
            removed = hygiene.cleanup_run(label, started, cli) if lease else hygiene.remove_labelled(label, cli)
        finally:
            if lease:
                lease.release()
    except ENGINE_DOWN:
        done.append(f"run {label}: its Docker engine {host} does not answer; nothing removed there")
        return True
    done.extend(f"a killed session left {r} on {host} (its run {label}): removed" for r in removed)
    return True


def _is_act_of(pid: int, label: str) -> bool:
    """``pid`` is alive and is the act of run ``label`` (not a process that reused the pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    stat = engines.proc_stat(pid)
    return stat is not None and stat[0] != "Z" and f"actspec.run={label}".encode() in cmdline


class Session:
    def __init__(
        self,
        bound: Binding,
        *,
        act: Path,
        image: str,
        tools: Path | None = None,
        keep: bool = False,
        progress: Callable[[str], None] | None = None,
        mode: str = "full",
        engine_pool: engines.Pool | None = None,
        shared: SharedRuns | None = None,
    ) -> None:
        self.binding = bound
        self.mode = mode  # "full", or "structure" (actspec.repository.structure): every run of the session
        self.ledger = Ledger()
        self.keep = keep
        self.progress = progress or (lambda _m: None)
        for line in sweep_stale():
            self.progress(line)
        self.workdir = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.workdir / OWNER).write_text(str(os.getpid()))
        self.services = make_services(bound, self.ledger, self.workdir)
        self.host = ServiceHost(self.services).start()
        self.runner = Runner(bound, self.host, self.ledger, act=act, image=image, workdir=self.workdir, tools=tools,
                             progress=progress, keep=keep, engine_pool=engine_pool, shared=shared)

    def run_built(self, program: bytes, args: list[str]) -> str:
        """Run a program the workflow under test built, in a container of the runner image."""
        return sandbox.run_built(self.runner.image, program, args, workdir=self.workdir)

    def write_results(self, out: Path) -> list[str]:
        """Every run's machine-readable result and every act log, for the report and for a
        user reading why a run gave no result; returns the file names."""
        out.mkdir(parents=True, exist_ok=True)
        written: list[str] = []
        for result in self.runner.results.values():
            (out / f"{result.run_id}.json").write_text(json.dumps(result.to_json(), indent=1, default=str))
            written.append(f"{result.run_id}.json")
        for run_id, log in self.runner.logs.items():
            if log.exists():
                shutil.copy(log, out / log_name(run_id))
                written.append(log_name(run_id))
        return written

    def close(self) -> None:
        self.host.stop()
        for svc in self.services:
            svc.close()
        live = self.runner.live_acts()
        if live:  # a second Ctrl-C cut the stop short: the next session's sweep stops act
            self.progress(f"act (pid {', '.join(map(str, live))}) is still stopping; {self.workdir} is left "
                          "for the next session to clean up")
        elif not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)
