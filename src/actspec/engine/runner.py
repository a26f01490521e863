"""One act run end to end: ``Runner.run(spec) -> RunResult``.

The runner materialises the repository, builds the event, prepares the services and the
``/actspec`` mount, starts act, reads its JSON log as it streams (so a long run shows
progress and a hung one can be named), and always cleans up Docker afterwards.  Identical
specs are run once per session: :meth:`Runner.run` caches by :meth:`RunSpec.key`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from docker.errors import DockerException
from requests.exceptions import RequestException

from actspec import profile
from actspec.engine import engines, events, hygiene
from actspec.engine.act import ActInvocation, LogReader
from actspec.engine.shared import Shared, SharedRuns
from actspec.errors import ActError, BindingError, SetupError
from actspec.ledger import Entry, Ledger
from actspec.model import JobFacts, RunInfo, RunResult, RunSpec
from actspec.repository import standins, structure
from actspec.repository.binding import FILE, Binding
from actspec.repository.repo import RepoFacts, materialise
from actspec.repository.workflow import Workflow
from actspec.services.github import GitHubService
from actspec.services.host import ServiceHost

SHIMS = Path(__file__).parents[1] / "shims"
# Beside each run's act.log: act's pid, its engine and its run label, for the sweep of a
# session that was killed while act ran (``actspec.bdd.session.sweep_stale``).
ACT_RECORD = "act.json"
# What the Docker SDK raises when the engine is gone: before a call, or in the middle of one.
ENGINE_DOWN = (DockerException, RequestException)
SHIM_LIB = SHIMS / "_lib"
# Every job runs as on a GitHub-hosted runner (the kit maps each ``runs-on`` label to its
# image), and GitHub says so to the job: setup-uv's default ``enable-cache: auto`` reads it.
HOSTED_RUNNER_ENV = {"RUNNER_ENVIRONMENT": "github-hosted"}
# Tells the shims that the run's build, test and lint steps are stubbed (structure mode), so
# a shim whose real action fails when those steps left nothing behind (setup-uv's save of an
# empty uv cache) says so instead of failing the job and changing the graph.
STRUCTURE_ENV = {"ACTSPEC_RUN_MODE": "structure"}
WORKSPACES = Path(os.environ.get("ACTSPEC_WORKSPACES", "/run/actspec/work"))
HOOK = """\
# actspec run-time hook, sourced by every bash step through BASH_ENV.
# 1. It applies the run's step mocks (injected failures, replaced steps) to the step's own
#    shell, not to shells the step starts.  A mock's step is a step id / index, `*` (every
#    step) or `run` (every run: step of the job itself, not a shim's: those have
#    GITHUB_ACTION_PATH (composite) or ACTSPEC_SHIM (exec.js) set);
#    the command `-` runs the step as written (structure mode keeps those steps).
# 2. It writes down every command the step's bash shells run (theirs and nested ones, a
#    DEBUG trap) and, when the step's shell exits, records them in the ledger as
#    `step.commands`: what a job ran, read by checks such as "runs no build step".
if [ -z "${ACTSPEC_HOOKED:-}" ]; then
  export ACTSPEC_HOOKED=1
  if [ -s /actspec/mocks.tsv ]; then
    while IFS=$'\\t' read -r _job _step _name _cmd; do
      if [ "$_job" = "${GITHUB_JOB:-}" ] && { [ "$_step" = "*" ] || [ "$_step" = "${GITHUB_ACTION:-}" ] \\
           || { [ "$_step" = "run" ] && [ -z "${GITHUB_ACTION_PATH:-}${ACTSPEC_SHIM:-}" ]; }; }; then
        [ "$_cmd" = "-" ] && break
        if [ "$_name" != "-" ]; then
          PYTHONPATH=/actspec/lib python3 -m actspec_shim.mock "$_name" "${GITHUB_ACTION:-}" >/dev/null 2>&1 || true
        fi
        eval "$_cmd"
        exit $?
      fi
    done < /actspec/mocks.tsv
  fi
  if [ -n "${ACTSPEC_KIT_URL:-}" ]; then
    export ACTSPEC_COMMANDS="${RUNNER_TEMP:-/tmp}/actspec-commands-$$"
    trap 'PYTHONPATH=/actspec/lib python3 -m actspec_shim.commands "$ACTSPEC_COMMANDS" || true' EXIT
  fi
fi
if [ -n "${ACTSPEC_COMMANDS:-}" ]; then
  trap 'printf "%s\\n" "$BASH_COMMAND" >> "$ACTSPEC_COMMANDS"' DEBUG
fi
"""
INJECTED_FAILURE = 'echo "::error::actspec: failure injected into job $GITHUB_JOB"; exit 1'
HELD = 'echo "actspec: job $GITHUB_JOB runs until the run is cancelled"; sleep 3600'
STUBBED = 'echo "actspec: step stubbed to succeed in job $GITHUB_JOB"; exit 0'


class EngineLost(ActError):
    """The run's Docker engine stopped answering while act ran."""


class ActCrashed(ActError):
    """act ended before it reported every job it had started, and the kit had not stopped it:
    a crash of act's own (a Go ``fatal error``) or a kill from outside.  Such an end says
    nothing about the workflow."""


def crash_cause(exit_code: int, last_words: str | None) -> str:
    """Why act ended, in a few words: the Go runtime's message, the signal, or the exit code."""
    if last_words:
        return last_words
    if exit_code < 0:
        try:
            name = signal.Signals(-exit_code).name
        except ValueError:  # a real-time signal has no name of its own
            name = f"signal {-exit_code}"
        return f"killed by {name}, perhaps for want of memory"
    return f"exit code {exit_code} with no error of its own"


def log_name(run_id: str) -> str:
    """The name the session gives a run's act log in its results folder."""
    return f"{run_id}.log"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Runner:
    def __init__(
        self,
        binding: Binding,
        host: ServiceHost,
        ledger: Ledger,
        *,
        act: Path,
        image: str,
        workdir: Path,
        tools: Path | None = None,
        progress: Callable[[str], None] | None = None,
        keep: bool = False,
        engine_pool: engines.Pool | None = None,
        shared: SharedRuns | None = None,
    ) -> None:
        self.binding = binding
        self.host = host
        self.ledger = ledger
        self.act = act
        self.image = image
        self.tools = tools
        self.workdir = workdir
        self.progress = progress or (lambda _m: None)
        self.keep = keep
        self.results: dict[str, RunResult] = {}
        self.aborts: dict[str, ActError | BindingError] = {}
        # Every act log of the session, by run id: a result's, and those of runs that gave
        # none (an abort, the first attempt of a run act crashed in), which a user needs most.
        self.logs: dict[str, Path] = {}
        self._states: dict[str, dict[str, Any]] = {}
        self._lock = threading.RLock()
        self.engines = engine_pool or engines.Pool([engines.primary()])
        self.shared = shared
        self._acts: set[subprocess.Popen[str]] = set()

    # -- public ---------------------------------------------------------------------------
    def run(self, spec: RunSpec) -> RunResult:
        """The result of ``spec``, running act only if no identical spec ran this session."""
        with self._lock:
            key = spec.key()
            if key in self.aborts:
                raise self.aborts[key]  # an abort is a result too: one act run, not one per scenario
            if key not in self.results:
                try:
                    self.results[key] = self._attempt(spec) if self.shared is None else self._shared_run(key, spec)
                except (ActError, BindingError) as exc:
                    self.aborts[key] = exc
                    raise
            return self.results[key]

    def live_acts(self) -> list[int]:
        """Pids of act processes this runner started that are still alive (a second Ctrl-C)."""
        return [p.pid for p in self._acts if p.poll() is None]

    def _shared_run(self, key: str, spec: RunSpec) -> RunResult:
        """Across pytest-xdist workers: the first to claim ``key`` runs act, the others read."""
        assert self.shared is not None
        with self.shared.claim(key, spec) as stored:
            if stored is not None:
                if stored.error is not None or stored.result is None:
                    raise ActError(stored.error or "another worker's run left no result")
                self._states[key] = stored.states
                return stored.result
            try:
                result = self._attempt(spec)
            except EngineLost:
                raise  # not the workflow's fault: another worker may try again
            except ActError as exc:
                self.shared.put(key, Shared(error=str(exc)))
                raise
            self.shared.put(key, Shared(result=result, states=self._states.get(key, {})))
            return result

    def state_after(self, spec: RunSpec) -> dict[str, Any]:
        """Each service's state as the run of ``spec`` left it (running it if needed)."""
        self.run(spec)
        return self._states.get(spec.key(), {})

    # -- one run --------------------------------------------------------------------------
    def _attempt(self, spec: RunSpec) -> RunResult:
        """Run ``spec``, once more if act itself crashed.

        act has a known data race that now and then kills it while many legs run
        (nektos/act#2199, ``fatal error: concurrent map iteration and map write``).  A crash
        gives no result for the workflow, so the run is made again from the same service
        state; the result's notes say so.  A second crash is the run's error.
        """
        try:
            return self._execute(spec)
        except ActCrashed as first:
            self.progress(f"{first}; running it once more")
            result = self._execute(spec)
            result.notes.append(f"this is the second attempt: {first}")
            return result

    def _execute(self, spec: RunSpec) -> RunResult:
        workflow = self.binding.load_workflow(spec.workflow)
        if spec.after is not None:
            self.run(spec.after)
        run_id = f"{spec.key()}-{secrets.token_hex(3)}"
        run_dir = self.workdir / run_id
        log_path = self.logs[run_id] = run_dir / "act.log"
        started = time.time()
        mark = self.ledger.mark()
        try:
            inv = self.prepare(spec, workflow, run_id, run_dir)
            reader = LogReader(workflow, progress=lambda m: self.progress(f"[{workflow.path.name}] {m}"))
            # The engine is leased from before the run's first container to after its
            # cleanup, so the cleanup sees this run's volumes only.
            lease = self.engines.acquire(self.progress)
            engine = lease.engine
            try:
                try:
                    watch = hygiene.ContainerWatch(run_id, engine.client())
                except ENGINE_DOWN:
                    raise EngineLost(f"{engine.name} does not answer: {restart_hint(engine)}") from None
                try:
                    exit_code, hung, cancelled = self._act(inv, reader, log_path, spec, lease)
                finally:
                    containers = watch.close()
                    removed, lost = self._cleanup(engine, run_id, started)
            finally:
                lease.release()
        finally:
            if not self.keep:
                shutil.rmtree(facts_path(run_dir), ignore_errors=True)
        if lost or (exit_code != 0 and not engine.answers()):
            raise EngineLost(f"{engine.name} stopped answering during the run of {workflow.path.name} "
                             f"(act exit code {exit_code}): {restart_hint(engine)}")
        jobs = reader.finish()
        # When the kit stopped act (its timeout, a cancel the scenario asks for), how act
        # ended is the kit's doing; otherwise it is act's, and a bad end of act is an error.
        act_ended_it = hung is None and not cancelled
        if exit_code != 0 and not any(j.ran for j in jobs) and act_ended_it:
            reason = reader.failure_summary()
            raise ActError(f"act could not run {workflow.path.name}{blame(reason, inv.local_repos, self.binding.root / FILE)}: {reason}")
        abort = reader.abort_reason() if act_ended_it else None
        if abort:
            raise ActError(f"act aborted the run of {workflow.path.name}{blame(abort, inv.local_repos, self.binding.root / FILE)}: {abort}")
        unreported = reader.unreported() if act_ended_it else []
        if unreported:
            raise ActCrashed(f"act ended during the run of {workflow.path.name} before it reported "
                             f"{', '.join(unreported)} ({crash_cause(exit_code, reader.crash())}); its log: {log_name(run_id)} "
                             "in the results folder")
        self._states[spec.key()] = {name: svc.snapshot() for name, svc in self.host.services.items()}
        ledger = self._attribute(self.ledger.since(mark), reader, containers)
        notes = [f"cleanup removed {r}" for r in removed if not r.startswith("volume act-toolcache")]
        if spec.mode == "structure":
            notes.append("structure mode: build, test and lint steps were stubbed")
        if cancelled:
            notes.append(f"the run was cancelled (act stopped with SIGINT) while `{spec.cancel_during}` ran")
        return RunResult(
            spec=spec, repo=self.binding.root, run_id=run_id, jobs=jobs, ledger=ledger, exit_code=exit_code,
            started=started, finished=time.time(), log_path=log_path, hung_job=hung, notes=notes,
            profile=profile.summarise(watch.events, {name: (run.job_id, run.leg) for name, run in reader.legs_by_container().items()}),
        )

    def prepare(self, spec: RunSpec, workflow: Workflow, run_id: str, run_dir: Path) -> ActInvocation:
        """Everything before act starts: services, repository, event, mount; the act command."""
        run_dir.mkdir(parents=True)
        local_repos = self._shims(workflow, run_dir)
        self._restore_services(spec)
        facts = materialise(
            self.binding.root, facts_path(run_dir),
            branch=spec.branch, base_branch=spec.base_branch, changes=spec.changes, tag=spec.tag,
            remote_url=f"https://github.com/{self.binding.repository}.git",
        )
        payload = self._payload(spec, facts)
        event_path = run_dir / "event.json"
        event_path.write_text(json.dumps(payload, indent=2))
        self._begin_run(run_id, spec, workflow, facts, payload)
        invocation = ActInvocation(
            act=self.act,
            workdir=facts.path,
            workflow=facts.path / workflow.path.relative_to(self.binding.root),
            event=spec.event,
            event_path=event_path,
            image=self.image,
            labels=workflow.runner_labels() | set(self.binding.runners),
            env={**self.host.job_env(), **HOSTED_RUNNER_ENV, **(STRUCTURE_ENV if spec.mode == "structure" else {}),
                 "BASH_ENV": "/actspec/hook.sh", "GITHUB_REPOSITORY": self.binding.repository},
            secrets={"GITHUB_TOKEN": self._github_token()},
            local_repos=local_repos,
            run_label=run_id,
            kit_mount=self._kit_mount(run_dir, spec, workflow),
            artifact_dir=run_dir / "act-artifacts",
            artifact_port=free_port(),
            cache_dir=run_dir / "act-cache",
            action_cache=run_dir / "act-actions",
            workspace=workspace_path(self.binding.repository),
            inputs_dir=run_dir,
            tools_dir=self.tools,
            node=self._node(),
            go_cache=self._go_cache() if self.tools is not None else None,
            job=spec.job,
        )
        invocation.write_inputs()
        return invocation

    # -- pieces ---------------------------------------------------------------------------
    def _shims(self, workflow: Workflow, run_dir: Path) -> dict[str, Path]:
        """``owner/repo@ref`` -> local shim or generated stand-in, for every action the workflow uses."""
        return standins.local_repositories(self.binding, workflow, run_dir / "standins")

    def _restore_services(self, spec: RunSpec) -> None:
        states = self._states.get(spec.after.key(), {}) if spec.after is not None else {}
        for name, svc in self.host.services.items():
            svc.restore(states.get(name))
        for seed in spec.seeds:
            if seed.service not in self.host.services:
                raise SetupError(f"seed for unknown service {seed.service!r}; services: {', '.join(self.host.services)}")
            self.host.services[seed.service].seed(seed.what, seed.value)

    def _payload(self, spec: RunSpec, facts: RepoFacts) -> dict[str, Any]:
        repo = events.repository(self.binding.repository, self.binding.default_branch)
        if spec.event == "push":
            base = events.push(facts, repo)
        elif spec.event in ("pull_request", "pull_request_target"):
            base = events.pull_request(facts, repo)
        elif spec.event == "schedule":
            crons = spec.payload_dict().get("schedule") or ""
            base = events.schedule(repo, str(crons))
        elif spec.event == "workflow_dispatch":
            base = events.workflow_dispatch(facts, repo)
        elif spec.event == "release":
            github = self._github()
            if github is None or not facts.tag:
                raise SetupError("a release event needs the github mock and a tag: add `Given the tag <tag> is pushed` to the scenario")
            base = events.release(github.publish(facts.tag), repo)
        else:
            base = {"repository": repo}
        return events.merge(base, spec.payload_dict())

    def _begin_run(self, run_id: str, spec: RunSpec, workflow: Workflow, facts: RepoFacts,
                   payload: dict[str, Any]) -> None:
        refs = events.refs(spec.event, payload, facts.branch)
        info = RunInfo(
            run_id=run_id,
            repository=self.binding.repository,
            ref=refs.ref,
            base_ref=refs.base_ref,
            head_ref=refs.head_ref,
            sha=facts.head_sha,
            workflow=str(workflow.path.relative_to(self.binding.root)),
            event_name=spec.event,
            jobs={j: JobFacts(d.environment, workflow.grants(j, "id-token"), workflow.grants(j, "contents"))
                  for j, d in workflow.jobs.items()},
            workflow_name=workflow.name,
            environments=self.binding.environments,
        )
        for svc in self.host.services.values():
            svc.begin_run(info)

    def _github(self) -> GitHubService | None:
        github = self.host.services.get("github")
        return github if isinstance(github, GitHubService) else None

    def _github_token(self) -> str:
        github = self._github()
        return github.token if github is not None else "ghs_actspec_" + secrets.token_hex(8)

    def _node(self) -> Path | None:
        """Provisioning's Node 20 (``.tools/runner/node/bin/node``), when the runs get the tools."""
        if self.tools is None:
            return None
        node = self.tools / "node" / "bin" / "node"
        return node if node.is_file() else None

    def _go_cache(self) -> Path:
        """One Go build cache per session, shared by the runs' goreleaser builds.

        goreleaser cross-compiles the CLI (and the standard library) for every target of
        ``.goreleaser.yaml`` in every release run; with a cold cache that is minutes per run
        on two cores.  go reuses a package only when its inputs hash the same, so the
        binaries are the ones a cold build makes.
        """
        path = self.workdir / "go-build-cache"
        path.mkdir(exist_ok=True)
        return path

    def _kit_mount(self, run_dir: Path, spec: RunSpec, workflow: Workflow) -> Path:
        mount = run_dir / "kit"
        mount.mkdir()
        if SHIM_LIB.is_dir():
            shutil.copytree(SHIM_LIB, mount / "lib", ignore=shutil.ignore_patterns("__pycache__"))
        (mount / "hook.sh").write_text(HOOK)
        rows = [f"{job}\t*\t-\t{INJECTED_FAILURE}" for job in spec.fail_jobs]
        rows += [f"{job}\t*\t-\t{STUBBED}" for job in spec.stub_jobs]
        rows += [f"{spec.cancel_during}\t*\t-\t{HELD}"] if spec.cancel_during else []
        rows += [f"{m.job}\t{m.step}\t{name}\t{m.run}" for name, m in self.binding.step_mocks.items()]
        if spec.mode == "structure":
            rows += [f"{job}\t{step}\t-\t{cmd}" for job, step, cmd in structure.plan(workflow).mock_rows()]
        (mount / "mocks.tsv").write_text("".join(r + "\n" for r in rows))
        return mount

    @staticmethod
    def _cleanup(engine: engines.Engine, run_id: str, started: float) -> tuple[list[str], bool]:
        """Hygiene on the run's engine only; (what was removed, whether the engine is gone)."""
        try:
            return hygiene.cleanup_run(run_id, started, engine.client()), False
        except ENGINE_DOWN:
            if engine.answers():
                raise
            return [], True

    def _act(self, inv: ActInvocation, reader: LogReader, log_path: Path, spec: RunSpec,
             lease: engines.Lease) -> tuple[int, str | None, bool]:
        """Run act on the leased engine, feeding its log to ``reader``; (exit code, hung job or
        None, whether the kit cancelled the run as ``spec.cancel_during`` asks).

        act inherits the lease's locked descriptor, so the engine stays locked while act lives
        even if this process dies first; and it gets SIGINT when this process's thread dies
        (``setpriv --pdeathsig``), so it stops its containers instead of running on unowned.
        """
        log_path.write_text(f"# {inv.shell()}\n")
        env = {**os.environ, "NO_COLOR": "1", **lease.engine.env()}
        env.pop("GITHUB_ACTIONS", None)
        proc = subprocess.Popen(
            ["setpriv", "--pdeathsig", "INT", "--", *inv.command()], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True, env=env, start_new_session=True, cwd=inv.workdir, pass_fds=(lease.fd,),
        )
        self._acts.add(proc)
        (log_path.parent / ACT_RECORD).write_text(json.dumps(
            {"pid": proc.pid, "engine": lease.engine.host, "label": inv.run_label, "started": time.time()}))

        broken: list[Exception] = []

        def pump() -> None:
            assert proc.stdout is not None
            error = drain(proc.stdout, log_path, inv.mask, reader.feed)
            if error is not None:
                broken.append(error)

        thread = threading.Thread(target=pump, daemon=True)
        thread.start()
        hung: str | None = None
        cancelled = False
        deadline = time.monotonic() + spec.timeout
        try:
            while proc.poll() is None:
                if spec.cancel_during and reader.in_steps(spec.cancel_during):
                    stopped = reader.stop_running(f"cancelled: the run was stopped while {spec.cancel_during} ran")
                    self.progress(f"cancelling the run while {spec.cancel_during} runs; still running: {', '.join(stopped)}")
                    cancelled = True
                    stop(proc)
                    break
                if time.monotonic() >= deadline:
                    hung = ", ".join(reader.stop_running()) or "(no job had started)"
                    self.progress(f"timeout after {spec.timeout:.0f}s; still running: {hung}")
                    stop(proc)
                    break
                try:
                    proc.wait(timeout=0.5)
                except subprocess.TimeoutExpired:
                    continue
        except BaseException:
            stop(proc)
            raise
        finally:
            thread.join(timeout=10)
        if proc.returncode is not None:
            self._acts.discard(proc)
        if broken:
            raise broken[0]
        return proc.returncode if proc.returncode is not None else -1, hung, cancelled

    def _attribute(self, entries: list[Entry], reader: LogReader, containers: dict[str, str]) -> list[Entry]:
        """Give ledger entries from job containers their job and matrix leg."""
        legs = reader.legs_by_container()
        out = []
        for e in entries:
            run = legs.get(containers.get(str(e.details.get("container", "")), ""))
            if run is not None:
                e = dataclasses.replace(e, job=e.job or run.job_id, leg=run.leg or e.leg)
            out.append(e)
        return out


def restart_hint(engine: engines.Engine) -> str:
    if engine.index == 0:
        return "restart that Docker daemon (`make setup` starts dockerd when none runs)"
    return "restart it with `.venv/bin/python -m actspec.tooling.provision engines`"


def blame(message: str, local_repos: dict[str, Path], binding_file: Path) -> str:
    """`` because of <file>`` when act's message is about a shim or a stand-in, not the workflow.

    act names the action (``owner/repo@ref``) or the directory it read the action.yml from;
    a generated stand-in comes from the binding's ``standins:`` entry.
    """
    for ref, path in sorted(local_repos.items()):
        name = ref.partition("@")[0]
        if str(path) in message or re.search(rf"(?<![\w.-]){re.escape(name)}(?:/[\w./-]*)?@", message):
            if "standins" in path.parts:
                return f" because of the stand-in for {name} declared under `standins:` in {binding_file}"
            return f" because of the shim {path} (action.yml)"
    return ""


def workspace_path(repository: str) -> Path:
    """The workspace every run's job containers see: ``<WORKSPACES>/<name>/<name>``, shaped like
    GitHub's ``/home/runner/work/<name>/<name>`` and the same in every run and session (an
    empty mount point on the host; see :attr:`ActInvocation.workspace`)."""
    name = repository.rsplit("/", 1)[-1]
    path = WORKSPACES / name / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def facts_path(run_dir: Path) -> Path:
    """The materialised repository, the large part of a run directory."""
    return run_dir / "repo"


def drain(lines: Iterable[str], log_path: Path, mask: Callable[[str], str],
          feed: Callable[[str, float], None]) -> Exception | None:
    """Copy act's output to its log and the reader for as long as act writes; the reader's
    first error, if any.

    act blocks on a full pipe, so a pump that stopped early (a progress line to a terminal
    that is gone, say) would hang the run with its containers up.  After the reader fails,
    the log still gets every line (masked: act masks secrets, not the job env's tokens),
    and the error is the caller's to raise once act has ended.
    """
    error: Exception | None = None
    with open(log_path, "a") as log:
        for line in lines:
            line = mask(line)
            log.write(line)
            if error is None:
                try:
                    feed(line, time.time())
                except Exception as exc:  # noqa: BLE001 -- handed to the caller
                    error = exc
    return error


def stop(proc: subprocess.Popen[str]) -> None:
    """Stop act and everything it started: SIGINT first (act then stops its containers)."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGINT, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
