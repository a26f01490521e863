"""The act command line, and the reader of act's ``--json`` log.

act is the engine: which job ran, was skipped or failed is read from what act logged while
it ran the workflow in Docker.  The reader only collects; the one place it corrects act is
documented in ``docs/fidelity.md`` (act keeps a single result per matrix job, so a leg whose
own steps all passed is reported ``failure`` when a sibling failed; the reader gives each
leg the result of its own steps).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from actspec.model import JobRun, StepRun
from actspec.repository.workflow import EXPR, Workflow

# Job environment variables whose values are credentials: masked in stored logs like secrets.
SENSITIVE_ENV = re.compile(r"TOKEN|SECRET|PASSWORD|CREDENTIAL", re.I)
STEP_OUTPUT_REF = re.compile(r"steps\.([\w-]+)\.outputs\.([\w-]+)")
# Job containers stand for GitHub's hosted runner, a virtual machine whose jobs no seccomp
# filter confines, so the kit starts them without Docker's default profile.  It is also the
# cheapest of act's engine calls made cheaper: runc compiles and loads that filter for every
# process it starts, and act starts one per step (an exec of `true`: 60-69 ms with the
# profile, 38-40 ms without; a stubbed gate row 14.4 s against 12.6 s, docs/design.md).
JOB_CONTAINER_SECURITY = "--security-opt seccomp=unconfined"


@dataclass
class ActInvocation:
    """Everything the act command line is made of; one per run."""

    act: Path
    workdir: Path
    workflow: Path
    event: str
    event_path: Path
    image: str
    labels: set[str]
    env: dict[str, str]
    secrets: dict[str, str]
    local_repos: dict[str, Path]
    run_label: str
    kit_mount: Path
    artifact_dir: Path
    artifact_port: int
    cache_dir: Path
    action_cache: Path
    inputs_dir: Path
    # The real tools the shims put on PATH (mise, uv, goreleaser), mounted read-only at
    # ``tools_mount``; None mounts nothing.
    tools_dir: Path | None = None
    tools_mount: str = "/opt/actspec/tools"
    # The JavaScript actions' runtime, mounted read-only over the image's node, which act
    # starts for every step of a JavaScript action: GitHub's Node 20 (``provision.NODE_VERSION``)
    # instead of Debian's 18 without a start-up snapshot.  None keeps the image's.
    node: Path | None = None
    node_mount: str = "/usr/bin/node"
    # The session's Go build cache, mounted read-write for the goreleaser shim's builds (go's
    # cache is content-addressed and safe for concurrent use); None mounts nothing.
    go_cache: Path | None = None
    go_cache_mount: str = "/opt/actspec/go-build-cache"
    concurrent_jobs: int = 16
    job: str | None = None  # run only this job (``-j``), as RunSpec.job asks
    # The workspace path the job containers see.  act (on Linux) gives containers the host
    # path of ``--directory``, and every run materialises its repository somewhere else; on
    # GitHub the workspace is the same path in every run, and caches depend on that (the
    # cache version is a hash of the absolute paths cached).  So act runs in a mount
    # namespace of its own where the run's repository is bind-mounted at this one path:
    # concurrent runs each see their own repository there, and the mount ends with act.
    workspace: Path | None = None

    def _in_workspace(self, path: Path) -> Path:
        return self.workspace / path.relative_to(self.workdir) if self.workspace else path

    @property
    def env_file(self) -> Path:
        return self.inputs_dir / "act.env"

    @property
    def secret_file(self) -> Path:
        return self.inputs_dir / "act.secrets"

    def write_inputs(self) -> None:
        """The job environment and the secrets as act's dotenv files, readable by the owner only.

        Tokens never go on act's command line (``ps`` shows it to every user of the machine).
        Values are single-quoted, which godotenv takes literally (no ``$`` expansion).
        """
        for path, values in ((self.env_file, self.env), (self.secret_file, self.secrets)):
            bad = sorted(k for k, v in values.items() if "'" in v or "\n" in v or not re.fullmatch(r"[A-Za-z_]\w*", k))
            if bad:
                raise ValueError(f"cannot pass {', '.join(bad)} to act: names must be identifiers and values "
                                 "may not hold a quote or a newline")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.writelines(f"{k}='{v}'\n" for k, v in sorted(values.items()))

    def mask(self, text: str) -> str:
        """``text`` with every secret and token value replaced by ``***`` (for stored logs)."""
        for value in self._sensitive():
            text = text.replace(value, "***")
        return text

    def _sensitive(self) -> list[str]:
        values = [*self.secrets.values(), *(v for k, v in self.env.items() if SENSITIVE_ENV.search(k))]
        return sorted({v for v in values if len(v) >= 4}, key=len, reverse=True)

    def command(self) -> list[str]:
        options = f"--label actspec.run={self.run_label} {JOB_CONTAINER_SECURITY} -v {self.kit_mount}:/actspec:ro"
        if self.tools_dir is not None:
            options += f" -v {self.tools_dir}:{self.tools_mount}:ro"
        if self.node is not None:
            options += f" -v {self.node}:{self.node_mount}:ro"
        if self.go_cache is not None:
            options += f" -v {self.go_cache}:{self.go_cache_mount}"
        prefix: list[str] = []
        if self.workspace is not None:
            prefix = ["unshare", "--mount", "--propagation", "private", "--",
                      "sh", "-c", 'mount --bind "$0" "$1" && shift && exec "$@"', str(self.workdir), str(self.workspace)]
        cmd = prefix + [
            str(self.act),
            self.event,
            "--json",
            "--verbose",
            "--rm",
            "--pull=false",
            "--action-offline-mode",
            "--use-new-action-cache",
            "--network", "host",
            "--container-daemon-socket", "-",
            "--container-options", options,
            "--directory", str(self._in_workspace(self.workdir)),
            "--workflows", str(self._in_workspace(self.workflow)),
            "--eventpath", str(self.event_path),
            "--artifact-server-path", str(self.artifact_dir),
            "--artifact-server-addr", "127.0.0.1",
            "--artifact-server-port", str(self.artifact_port),
            "--cache-server-path", str(self.cache_dir),
            "--cache-server-addr", "127.0.0.1",
            "--cache-server-port", "0",
            "--action-cache-path", str(self.action_cache),
            "--concurrent-jobs", str(self.concurrent_jobs),
            "--defaultbranch", "main",
        ]
        if self.job is not None:
            cmd += ["--job", self.job]
        for label in sorted(self.labels):
            cmd += ["--platform", f"{label}={self.image}"]
        for ref, path in sorted(self.local_repos.items()):
            cmd += ["--local-repository", f"{ref}={path}"]
        cmd += ["--env-file", str(self.env_file), "--secret-file", str(self.secret_file)]
        return cmd

    def shell(self) -> str:
        """The command as one line, for logs and for reproducing a run by hand."""
        return shlex.join(self.command())


def container_name(act_job: str) -> str:
    """The job container name act gives the leg it logs as ``act_job`` (``<workflow>/<job>-<n>``).

    Mirrors act's ``createContainerName`` so that a container seen by a kit service can be
    traced back to its matrix leg after the run.
    """
    name = re.sub(r"[^a-zA-Z0-9]", "-", f"act-{act_job}").replace("--", "-")
    return f"{name[:63].strip('-')}-{hashlib.sha256(name.encode()).hexdigest()}"


@dataclass
class _Leg:
    run: JobRun
    act_job: str = ""
    act_result: str | None = None
    continue_on_error: set[str] = field(default_factory=set)
    stopped: bool = False
    stop_note: str = ""
    in_steps: bool = False  # past its set-up: a step of its own began


class LogReader:
    """Incremental parser of act's JSON log lines into :class:`JobRun` legs.

    ``feed`` takes one line and the time it was received (act's own timestamps have only
    second resolution, too coarse to tell whether two jobs overlapped).
    """

    def __init__(self, workflow: Workflow, progress: Callable[[str], None] | None = None) -> None:
        self.workflow = workflow
        self.progress = progress or (lambda _msg: None)
        self.legs: dict[tuple[str, str], _Leg] = {}
        self.errors: list[str] = []
        self.fatal: list[str] = []
        self.other: list[str] = []
        self.step_errors: list[tuple[str, str]] = []  # (step, message) of a step's own error records

    def _leg(self, rec: dict[str, Any]) -> _Leg:
        job_id = rec["jobID"]
        matrix = rec.get("matrix") or {}
        key = (job_id, json.dumps(matrix, sort_keys=True))
        if key not in self.legs:
            decl = self.workflow.jobs.get(job_id)
            self.legs[key] = _Leg(
                JobRun(job_id=job_id, name=decl.name if decl else job_id, matrix=dict(matrix)), act_job=str(rec.get("job", "")).rstrip()  # act pads names to align its log
            )
        return self.legs[key]

    def feed(self, line: str, received: float | None = None) -> None:
        at = received if received is not None else time.time()
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            if line.strip():
                self.other.append(line.rstrip())
            return
        msg = str(rec.get("msg", ""))
        if rec.get("level") in ("error", "fatal") and "jobID" not in rec:
            self.errors.append(msg)
            if rec.get("level") == "fatal":
                self.fatal.append(msg)
        if "jobID" not in rec:
            return
        if rec.get("level") == "error" and rec.get("step"):
            self.step_errors.append((str(rec["step"]), msg.strip()))
        leg = self._leg(rec)
        run = leg.run
        label = run.label
        if rec.get("raw_output"):
            run.log.append(msg)
            return
        if rec.get("level") in ("info", "warning", "error") and not msg.startswith("  \U0001f433"):
            run.log.append(msg.rstrip("\n") + "\n")
        if msg.startswith("\u2b50 Run Main"):
            leg.in_steps = True
        if msg.startswith("\u2b50 Run Set up job"):
            run.ran = True
            run.started = at
            self.progress(f"{label}: started")
        ids = rec.get("stepID") or rec.get("stepid") or []
        step_id = str(ids[0]) if isinstance(ids, list) and ids else None
        if msg.startswith("Failed but continue next step") and step_id:
            leg.continue_on_error.add(step_id)
        if rec.get("command") == "set-output" and step_id:
            self._step(leg, rec, step_id).outputs[str(rec.get("name"))] = str(rec.get("arg", ""))
        if "stepResult" in rec:
            step = self._step(leg, rec, step_id or str(rec.get("step")))
            step.outcome = str(rec["stepResult"])
            failed_but_continued = step.step_id in leg.continue_on_error and step.outcome == "failure"
            step.conclusion = "success" if failed_but_continued else step.outcome
        if "jobResult" in rec:
            leg.act_result = str(rec["jobResult"])
            run.finished = at
            if leg.act_result == "skipped":
                run.started = run.started or at
                self.progress(f"{label}: skipped")
            else:
                self.progress(f"{label}: finished ({self._leg_result(leg)})")

    def _step(self, leg: _Leg, rec: dict[str, Any], step_id: str) -> StepRun:
        stage = str(rec.get("stage") or "Main")
        name = str(rec.get("step") or step_id)
        for s in leg.run.steps:
            if s.step_id == step_id and s.stage == stage:
                return s
        step = StepRun(step_id=step_id, name=name, stage=stage, outcome="", conclusion="")
        leg.run.steps.append(step)
        return step

    def stop_running(self, why: str = "stopped by the kit's run timeout") -> list[str]:
        """The run is being stopped: legs still running end ``cancelled``, as on GitHub."""
        running = [leg for leg in self.legs.values() if leg.run.ran and leg.act_result is None]
        for leg in running:
            leg.stopped, leg.stop_note = True, why
        return sorted({leg.run.job_id for leg in running})

    def unreported(self) -> list[str]:
        """Legs act started and never gave a result, though the kit did not stop them: act
        itself ended early (a crash of its own, or a kill from outside)."""
        return [leg.run.label for leg in self.legs.values() if leg.run.ran and leg.act_result is None and not leg.stopped]

    def crash(self) -> str | None:
        """The Go runtime's own last words when act crashed (``fatal error: ...`` or
        ``panic: ...``, printed outside act's JSON log), else None."""
        for line in self.other:
            if line.startswith(("fatal error: ", "panic: ")):
                return line.strip()
        return None

    def in_steps(self, job_id: str) -> bool:
        """Has a leg of ``job_id`` begun a step of its own (not only its set-up)?"""
        return any(leg.in_steps and leg.act_result is None for (j, _), leg in self.legs.items() if j == job_id)

    def _leg_result(self, leg: _Leg) -> str:
        if leg.stopped:
            leg.run.note = leg.stop_note
            return "cancelled"
        own_failure = any(s.conclusion == "failure" for s in leg.run.steps)
        if leg.act_result == "failure" and leg.run.matrix and not own_failure:
            leg.run.note = "act reported failure for a sibling matrix leg; this leg's own steps all passed"
            return "success"
        return leg.act_result or "cancelled"

    def failure_summary(self) -> str:
        """Why act ran nothing, in one line: its error records and the plain lines it printed."""
        lines = [ln.strip() for ln in self.other + self.errors if ln.strip()]
        lines = [ln for ln in lines if not ln.startswith(("For more information", "Error: "))] or lines
        return "; ".join(dict.fromkeys(lines)) or "act printed no reason"

    def abort_reason(self) -> str | None:
        """act's own fatal error (a broken action.yml, an undecodable matrix), not a failed job."""
        fatal = [ln[len("Error: "):] for ln in self.other if ln.startswith("Error: ")]
        fatal = [ln for ln in fatal if not re.fullmatch(r"Job '.*' failed", ln.strip())]
        fatal = self.fatal + fatal
        if not fatal:
            return None
        first = fatal[0].strip()
        for step, msg in self.step_errors:  # act prints only the first line after `Error:`; its record has all
            if msg.startswith(first):
                return f"{msg} (step {step})"
        return first

    def legs_by_container(self) -> dict[str, JobRun]:
        return {container_name(leg.act_job): leg.run for leg in self.legs.values() if leg.act_job}

    def finish(self) -> list[JobRun]:
        """Every job of the workflow, in file order, legs in the order act started them."""
        out: list[JobRun] = []
        for job_id, decl in self.workflow.jobs.items():
            legs = [leg for (jid, _), leg in self.legs.items() if jid == job_id]
            if not legs:
                out.append(JobRun(job_id=job_id, name=decl.name, result="skipped", note="act did not report this job"))
                continue
            for leg in legs:
                run = leg.run
                if leg.act_result is None and not leg.stopped:
                    run.result = "cancelled"
                    run.note = "act reported no result"
                else:
                    run.result = self._leg_result(leg)  # type: ignore[assignment]
                run.outputs = self._job_outputs(decl.outputs, run)
                out.append(run)
        return out

    @staticmethod
    def _job_outputs(declared: dict[str, str], run: JobRun) -> dict[str, str]:
        """Job outputs that are plain references to a step output of this leg.

        act interpolates job outputs internally but does not log them; a plain
        ``${{ steps.<id>.outputs.<name> }}`` is a lookup, not an evaluation, so it is
        resolved here.  Anything else is left out (see docs/fidelity.md).
        """
        outputs: dict[str, str] = {}
        for key, expr in declared.items():
            m = EXPR.fullmatch(expr.strip())
            ref = STEP_OUTPUT_REF.fullmatch(m.group(1)) if m else None
            if not ref:
                continue
            for s in run.steps:
                if s.step_id == ref.group(1) and ref.group(2) in s.outputs:
                    outputs[key] = s.outputs[ref.group(2)]
        return outputs
