"""The binding: how a repository under test plays the roles the spec talks about.

``actspec.yaml`` beside the repository's ``.github`` says which workflow file is the CI,
the CodeQL, the release-build and the release-publish workflow, which ``runs-on`` labels
exist, which actions map to which shim, how deployment environments and trusted
publishers are configured, and which steps are mocked at run time.  Pointing the kit at
another checkout means writing this file there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ghrules.deployments import deployment_rules

from actspec.errors import BindingError
from actspec.model import Change
from actspec.repository import binding_schema, workflow

FILE = "actspec.yaml"
# The document's matrix lists (Python versions, the Go test OSes, the integration variants,
# the release's platforms) and the axis names a repository that does not say otherwise uses for them.
MATRIX_AXES = {"python": "python", "os": "os", "variant": "variant", "platform": "platform"}


@dataclass(frozen=True)
class StepMock:
    """Replace a step (by id; ``*`` for every step) of a job by a shell command at run time."""

    job: str
    step: str
    run: str


@dataclass(frozen=True)
class StandIn:
    """A declared replacement for an action without a shim (binding ``standins:``).

    ``outputs`` and ``files`` (paths relative to the workspace) may use ``${{ inputs.<name> }}``;
    ``run`` is a bash command run after them.  All empty: a no-op that only records that it ran.
    """

    outputs: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    run: str | None = None


@dataclass
class Binding:
    root: Path
    repository: str
    default_branch: str
    workflows: dict[str, str]
    runners: list[str]
    shims: dict[str, str] = field(default_factory=dict)
    environments: dict[str, list[str]] = field(default_factory=dict)
    trusted_publishers: dict[str, Any] = field(default_factory=dict)
    step_mocks: dict[str, StepMock] = field(default_factory=dict)
    changes: dict[str, tuple[Change, ...]] = field(default_factory=dict)
    standins: dict[str, StandIn] = field(default_factory=dict)
    dynamic_runs_on: dict[str, list[str]] = field(default_factory=dict)
    matrix_axes: dict[str, str] = field(default_factory=lambda: dict(MATRIX_AXES))
    extra_jobs: tuple[str, ...] = ()  # jobs outside the document's table (binding ``extra_jobs:``)
    # component (an output of the change detection) -> paths that must count as a change to it
    path_rules: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # extra job -> the change set that makes it run (``extra_jobs:`` written as a mapping)
    extra_job_changes: dict[str, str] = field(default_factory=dict)

    def axis(self, term: str) -> str:
        """The matrix axis that carries the document's list ``term`` (``python``, ``os``,
        ``variant``, ``platform``) in this repository (binding ``matrix_axes:``); other words are axis names."""
        return self.matrix_axes.get(term, term)

    def change_set(self, name: str) -> tuple[Change, ...]:
        """The edits that stand for "a change to <name>" in this repository (binding ``changes:``)."""
        try:
            return self.changes[name]
        except KeyError:
            raise BindingError(
                f"the binding has no change set {name!r}; it has: {', '.join(self.changes)}"
            ) from None

    def workflow_path(self, role_or_path: str) -> Path:
        rel = self.workflows.get(role_or_path, role_or_path)
        path = self.root / rel
        if not path.is_file():
            roles = ", ".join(f"{k} ({v})" for k, v in self.workflows.items())
            raise BindingError(f"no workflow {role_or_path!r} in {self.root}; the binding knows: {roles}")
        return path

    def load_workflow(self, role_or_path: str) -> workflow.Workflow:
        return workflow.load(self.workflow_path(role_or_path))


def load(root: Path) -> Binding:
    """The binding at ``root``; a malformed one raises :class:`BindingError` with one line per problem."""
    path = root / FILE
    if not path.is_file():
        raise BindingError(f"{root} has no {FILE}: write one that maps workflow roles to files (see docs/binding.md)")
    data, problems = binding_schema.check_document(path, path.read_text())
    if problems:
        raise BindingError("\n".join(problems))
    mocks = {
        str(name): StepMock(job=str(m["job"]), step=str(m.get("step", "*")), run=str(m["run"]))
        for name, m in (data.get("step_mocks") or {}).items()
    }
    dynamic = {str(job): [str(label) for label in labels] for job, labels in (data.get("dynamic_runs_on") or {}).items()}
    runners = [str(r) for r in data.get("runners") or []]
    return Binding(
        root=root,
        repository=str(data["repository"]),
        default_branch=str(data.get("default_branch", "main")),
        workflows={str(k): str(v) for k, v in data["workflows"].items()},
        runners=list(dict.fromkeys(runners + [label for labels in dynamic.values() for label in labels])),
        shims={str(k): str(v) for k, v in (data.get("shims") or {}).items()},
        environments={str(k): deployment_rules(tags=v.get("tags", []), branches=v.get("branches", []))
                      if isinstance(v, dict) else list(v)
                      for k, v in (data.get("environments") or {}).items()},
        trusted_publishers=dict(data.get("trusted_publishers") or {}),
        step_mocks=mocks,
        extra_jobs=tuple(str(j) for j in data.get("extra_jobs") or ()),
        extra_job_changes={str(j): str(c) for j, c in (data.get("extra_jobs") or {}).items() if c}
        if isinstance(data.get("extra_jobs"), dict) else {},
        path_rules={str(k): tuple(str(p) for p in v) for k, v in (data.get("path_rules") or {}).items()},
        matrix_axes={**MATRIX_AXES, **{str(k): str(v) for k, v in (data.get("matrix_axes") or {}).items()}},
        changes={
            str(name): tuple(Change(path=str(c["path"]), op=c.get("op", "append"), text=str(c.get("text", "")),
                                    old=str(c.get("old", ""))) for c in edits)
            for name, edits in (data.get("changes") or {}).items()
        },
        standins={
            str(action): StandIn(outputs={str(k): str(v) for k, v in ((s or {}).get("outputs") or {}).items()},
                                 files={str(k): str(v) for k, v in ((s or {}).get("files") or {}).items()},
                                 run=(s or {}).get("run"))
            for action, s in (data.get("standins") or {}).items()
        },
        dynamic_runs_on=dynamic,
    )
