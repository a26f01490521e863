"""Value types: what to run (:class:`RunSpec`), the run in progress (:class:`RunInfo`) and
what act reported (:class:`RunResult`).

A ``RunSpec`` is pure data so that two scenarios asking about the same run can share it:
:meth:`RunSpec.key` hashes everything that can change what act does.  A ``RunResult``
holds every job of the workflow -- one :class:`JobRun` per matrix leg -- whether act ran it
or not, so an assertion about a job that did not run reads ``skipped`` instead of failing
with a missing key.  A ``RunInfo`` is the run's identity as GitHub states it (the
``github`` context, id token claims); the runner builds it once per run and hands the same
value to every service.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from ghrules import results

from actspec.ledger import Entry
from actspec.profile import RunProfile

Result = Literal["success", "failure", "skipped", "cancelled"]


@dataclass(frozen=True)
class Change:
    """One edit the run's head commit makes on top of the base commit.

    ``op`` is ``write`` (create or overwrite with ``text``), ``append`` (add ``text`` at the
    end), ``replace`` (substitute ``old`` by ``text``; the edit fails loudly when ``old`` is
    absent, so a scenario never silently tests an unchanged file) or ``delete``.
    """

    path: str
    op: Literal["write", "append", "replace", "delete"] = "append"
    text: str = ""
    old: str = ""


@dataclass(frozen=True)
class Seed:
    """Initial state of a mock service before the run, e.g. a version already on PyPI."""

    service: str
    what: str
    value: str = ""


@dataclass(frozen=True)
class RunSpec:
    """Everything that decides one act run of the session's repository under test.

    ``workflow`` is a role of the binding or a path inside the repository.  ``branch`` is the branch whose
    tip is the head commit; ``base_branch`` the branch a pull request targets; ``tag`` a tag
    put on the head commit (for tag pushes).  ``payload`` is merged over the event payload the
    kit builds.  ``fail_jobs`` names jobs whose steps are made to fail at run time, and
    ``stub_jobs`` jobs whose bash steps are replaced by a successful no-op (the repository
    files are never edited for either).  ``after`` chains runs: the mocks start from
    the state the earlier run left (a draft release, say).  ``mode`` ``structure`` stubs
    every build, test and lint step and keeps what decides the graph (``actspec.repository.structure``).
    ``cancel_during`` cancels the run while that job runs: its bash steps are held, and the
    kit stops act (SIGINT, what Ctrl-C sends: act's only way to cancel) once the job has begun
    its steps, as a maintainer cancelling the run would (act then ends the legs it stopped and
    the set-up of the ``always()`` jobs after them: docs/fidelity.md F15).
    ``job`` runs that one job alone (act's ``-j``; every other job is ``skipped``): a question
    only that job answers, such as what the change detection decides, costs one container.
    """

    workflow: str
    event: str = "push"
    branch: str = "main"
    base_branch: str = "main"
    tag: str | None = None
    changes: tuple[Change, ...] = ()
    payload: tuple[tuple[str, Any], ...] = ()
    fail_jobs: tuple[str, ...] = ()
    stub_jobs: tuple[str, ...] = ()
    seeds: tuple[Seed, ...] = ()
    after: RunSpec | None = None
    timeout: float = 900.0
    mode: Literal["full", "structure"] = "full"
    job: str | None = None
    cancel_during: str | None = None

    def key(self) -> str:
        """Stable hash of the spec; equal keys mean one act run can answer both."""
        blob = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunSpec:
        """The spec ``asdict`` gave (JSON has lists where the spec has tuples)."""
        return cls(
            workflow=data["workflow"], event=data["event"], branch=data["branch"],
            base_branch=data["base_branch"], tag=data["tag"],
            changes=tuple(Change(**c) for c in data["changes"]),
            payload=tuple((k, v) for k, v in data["payload"]),
            fail_jobs=tuple(data["fail_jobs"]), stub_jobs=tuple(data["stub_jobs"]),
            seeds=tuple(Seed(**s) for s in data["seeds"]),
            after=cls.from_json(data["after"]) if data.get("after") else None, timeout=data["timeout"],
            mode=data.get("mode", "full"), job=data.get("job"), cancel_during=data.get("cancel_during"),
        )

    def payload_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.payload}


@dataclass(frozen=True)
class JobFacts:
    """What the workflow YAML says about one job, as far as GitHub's checks care.

    ``environment`` is the job's ``environment:`` (name), ``id_token_write`` whether its
    effective ``permissions`` grant ``id-token: write``, ``contents_write`` whether they
    grant ``contents: write`` (``None``: unknown, not enforced).
    """

    environment: str | None = None
    id_token_write: bool = False
    contents_write: bool | None = None


@dataclass(frozen=True)
class RunInfo:
    """The identity of the run in progress, as GitHub puts it in the ``github`` context,
    tokens and payloads.

    ``ref`` is ``github.ref`` (``refs/heads/x``, ``refs/tags/x``, ``refs/pull/<n>/merge``);
    ``base_ref`` and ``head_ref`` are the branch names a pull request targets and comes from
    (``None`` for other events), as in ``github.base_ref`` / ``github.head_ref``.
    ``workflow`` is the workflow file's path in the repository
    (``.github/workflows/release-publish.yaml``), ``workflow_name`` its ``name:`` (the
    ``workflow`` claim; defaults to the path).  ``environments`` overrides a service's
    deployment rules for this run when not ``None``.
    """

    run_id: str
    repository: str
    ref: str
    sha: str
    workflow: str
    event_name: str
    base_ref: str | None = None
    head_ref: str | None = None
    jobs: dict[str, JobFacts] = field(default_factory=dict)
    workflow_name: str | None = None
    actor: str = "actspec"
    run_number: int = 1
    run_attempt: int = 1
    environments: dict[str, list[str]] | None = None

    @property
    def ref_type(self) -> str:
        """``tag`` for a tag ref, else ``branch`` (GitHub's ``github.ref_type``)."""
        return "tag" if self.ref.startswith("refs/tags/") else "branch"


@dataclass
class StepRun:
    """One step of one job leg as act logged it.

    ``outcome`` is the raw result, ``conclusion`` the one after ``continue-on-error`` -- the
    same split GitHub's ``steps`` context makes.
    """

    step_id: str
    name: str
    stage: str
    outcome: str
    conclusion: str
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class JobRun:
    """One job, or one matrix leg of a job.  ``leg`` is the matrix as key=value text."""

    job_id: str
    name: str
    matrix: dict[str, Any] = field(default_factory=dict)
    result: Result = "skipped"
    steps: list[StepRun] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    started: float | None = None
    finished: float | None = None
    log: list[str] = field(default_factory=list)
    ran: bool = False
    note: str = ""

    @property
    def leg(self) -> str:
        return ",".join(f"{k}={v}" for k, v in sorted(self.matrix.items()))

    @property
    def label(self) -> str:
        """The job, and its matrix leg when it has one, as the kit's progress lines name it."""
        return self.job_id + (f" ({self.leg})" if self.matrix else "")

    def step(self, name_or_id: str) -> StepRun:
        for s in self.steps:
            if s.stage == "Main" and name_or_id in (s.step_id, s.name):
                return s
        raise KeyError(f"job {self.job_id!r} has no step {name_or_id!r}; steps: {[s.name for s in self.steps]}")

    def text(self) -> str:
        return "".join(self.log)


@dataclass
class RunResult:
    """What act did with one :class:`RunSpec`: every job leg, the ledger slice, the log.

    ``repo`` is the root of the repository under test the run was made from.
    """

    spec: RunSpec
    repo: Path
    run_id: str
    jobs: list[JobRun]
    ledger: list[Entry]
    exit_code: int
    started: float
    finished: float
    log_path: Path | None = None
    hung_job: str | None = None
    notes: list[str] = field(default_factory=list)
    profile: RunProfile = field(default_factory=RunProfile)

    def job_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for j in self.jobs:
            seen.setdefault(j.job_id, None)
        return list(seen)

    def legs(self, job_id: str) -> list[JobRun]:
        legs = [j for j in self.jobs if j.job_id == job_id]
        if not legs:
            raise KeyError(f"the workflow has no job {job_id!r}; its jobs are: {', '.join(self.job_ids())}")
        return legs

    def result(self, job_id: str) -> Result:
        """The job's result the way ``needs.<job>.result`` reports a (matrix) job on GitHub."""
        return results.worst(leg.result for leg in self.legs(job_id))  # type: ignore[return-value]

    def ran(self, job_id: str) -> bool:
        return any(leg.ran for leg in self.legs(job_id))

    def outputs(self, job_id: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for leg in self.legs(job_id):
            out.update(leg.outputs)
        return out

    @property
    def duration(self) -> float:
        return self.finished - self.started

    def fired(self) -> list[str]:
        """The binding's step mocks and stand-ins that ran, from the ledger (``mock.step``, ``standin.run``)."""
        out: dict[str, None] = {}
        for e in self.ledger:
            where = f"job {e.job}" + (f" [{e.leg}]" if e.leg else "")
            if e.kind == "mock.step":
                out[f"step mock {e.subject} ({where}, step {e.details.get('step', '')})"] = None
            elif e.kind == "standin.run":
                out[f"stand-in {e.subject} ({where})"] = None
        return list(out)

    def to_json(self, logs: bool = False) -> dict[str, Any]:
        """Machine-readable form, written beside the logs for the report.

        ``logs`` adds each leg's log lines, so that :meth:`from_json` gives back the same
        result (pytest-xdist workers share results this way).
        """
        return {
            "run_id": self.run_id,
            "key": self.spec.key(),
            "spec": {"repo": str(self.repo), **asdict(self.spec)},
            "exit_code": self.exit_code,
            "started": self.started,
            "finished": self.finished,
            "hung_job": self.hung_job,
            "notes": self.notes,
            "fired": self.fired(),
            "jobs": [
                {
                    "job_id": j.job_id,
                    "name": j.name,
                    "matrix": j.matrix,
                    "leg": j.leg,
                    "result": j.result,
                    "ran": j.ran,
                    "started": j.started,
                    "finished": j.finished,
                    "outputs": j.outputs,
                    "note": j.note,
                    "steps": [asdict(s) for s in j.steps],
                    **({"log": j.log} if logs else {}),
                }
                for j in self.jobs
            ],
            "ledger": [e.to_json() for e in self.ledger],
            "profile": self.profile.to_json(),
            **({"log_path": str(self.log_path) if self.log_path else None} if logs else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], spec: RunSpec | None = None) -> RunResult:
        """The result :meth:`to_json` (with ``logs``) wrote; ``spec`` defaults to the one it names."""
        jobs = [
            JobRun(job_id=j["job_id"], name=j["name"], matrix=dict(j["matrix"]), result=j["result"],
                   steps=[StepRun(**s) for s in j["steps"]], outputs=dict(j["outputs"]), started=j["started"],
                   finished=j["finished"], log=list(j.get("log", [])), ran=j["ran"], note=j["note"])
            for j in data["jobs"]
        ]
        return cls(
            spec=spec if spec is not None else RunSpec.from_json(data["spec"]), repo=Path(data["spec"]["repo"]),
            run_id=data["run_id"], jobs=jobs,
            ledger=[Entry.from_json(e) for e in data["ledger"]], exit_code=data["exit_code"],
            started=data["started"], finished=data["finished"],
            log_path=Path(data["log_path"]) if data.get("log_path") else None,
            hung_job=data["hung_job"], notes=list(data["notes"]), profile=RunProfile.from_json(data.get("profile")),
        )
