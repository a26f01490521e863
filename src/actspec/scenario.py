"""The state of one Gherkin scenario: the run it describes, and the run's result.

Steps only parse words; they call these methods.  A scenario builds a :class:`RunSpec`
(``Given``), runs it (``When``, served from the session's run cache when another
scenario asked for the same run), and asserts on the :class:`RunResult` (``Then``, see
:mod:`actspec.checks`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field

from actspec.model import Change, RunResult, RunSpec, Seed
from actspec.session import Session
from actspec.workflow import Workflow

TOKEN = re.compile(r"`([^`]+)`")


class UnknownName(AssertionError):
    """A step names a job that the workflow does not have."""


def split_names(text: str) -> list[str]:
    """```a`, `b` and `c``` or ``a, b and c`` -> ["a", "b", "c"]; ``none``/``nothing`` -> []."""
    text = text.strip()
    if text.lower() in ("", "none", "nothing", "-"):
        return []
    ticks = TOKEN.findall(text)
    if ticks:
        return ticks
    return [p.strip() for p in re.split(r",|\band\b", text) if p.strip()]


@dataclass
class World:
    session: Session
    spec: RunSpec | None = None
    workflow: Workflow | None = None
    _result: RunResult | None = None
    runs: list[str] = field(default_factory=list)
    _env_overrides: dict[str, str] = field(default_factory=dict)

    # -- Given ----------------------------------------------------------------------------
    def use_workflow(self, role: str) -> None:
        self.workflow = self.session.binding.load_workflow(role)
        self.spec = RunSpec(repo=str(self.session.binding.root), workflow=role)

    def _update(self, **changes: object) -> None:
        if self.spec is None:
            raise AssertionError("no workflow chosen: start the scenario with `Given the <role> workflow`")
        self.spec = dataclasses.replace(self.spec, **changes)  # type: ignore[arg-type]
        self._result = None

    def event(self, event: str, *, branch: str | None = None, base: str | None = None, tag: str | None = None) -> None:
        default = self.session.binding.default_branch
        self._update(event=event, branch=branch or default, base_branch=base or default, tag=tag)

    def change(self, *names: str) -> None:
        """Add the binding's change sets (``go``, ``rust``, ``docs``, ...) to the head commit."""
        assert self.spec is not None
        edits: tuple[Change, ...] = ()
        for name in names:
            edits += self.session.binding.change_set(name)
        self._update(changes=self.spec.changes + edits)

    def edit(self, path: str, old: str, new: str) -> None:
        assert self.spec is not None
        self._update(changes=self.spec.changes + (Change(path, "replace", new, old),))

    def set_workflow_env(self, name: str, value: str) -> None:
        """Change a workflow-level ``env`` variable in the head commit, as a pull request would."""
        wf = self.static_workflow()
        if name not in wf.env:
            raise AssertionError(f"{wf.path.name} defines no workflow-level env {name!r}; it has: {', '.join(wf.env)}")
        text = wf.path.read_text()
        line = next((ln for ln in text.splitlines() if re.match(rf"\s*{re.escape(name)}\s*:", ln)), None)
        if line is None:
            raise AssertionError(f"cannot find the line defining {name} in {wf.path.name}")
        indent = line[: len(line) - len(line.lstrip())]
        rel = str(wf.path.relative_to(self.session.binding.root))
        self.edit(rel, line, f"{indent}{name}: '{value}'")
        self._env_overrides[name] = value

    def workflow_env_list(self, name: str) -> list[str]:
        """A JSON-list workflow env value as the run saw it (after this scenario's edits)."""
        raw = self._env_overrides.get(name, self.static_workflow().env.get(name))
        if raw is None:
            raise AssertionError(f"{self.static_workflow().path.name} defines no workflow-level env {name!r}")
        return [str(v) for v in json.loads(str(raw))]

    def static_workflow(self) -> Workflow:
        """The workflow file as committed in the repository under test (its declarations)."""
        if self.workflow is None:
            raise AssertionError("no workflow chosen: start the scenario with `Given the <role> workflow`")
        return self.workflow

    def fail(self, job: str) -> None:
        assert self.spec is not None
        self.known_jobs([job])
        self._update(fail_jobs=tuple(sorted({*self.spec.fail_jobs, job})))

    def seed(self, service: str, what: str, value: str = "") -> None:
        assert self.spec is not None
        self._update(seeds=self.spec.seeds + (Seed(service, what, value),))

    def payload(self, key: str, value: object) -> None:
        assert self.spec is not None
        self._update(payload=self.spec.payload + ((key, value),))

    def chain(self, previous: RunSpec) -> None:
        self._update(after=previous)

    # -- When -----------------------------------------------------------------------------
    def run(self) -> RunResult:
        if self.spec is None:
            raise AssertionError("no workflow chosen: start the scenario with `Given the <role> workflow`")
        self._result = self.session.runner.run(self.spec)
        self.runs.append(self._result.run_id)
        return self._result

    @property
    def result(self) -> RunResult:
        if self._result is None:
            raise AssertionError("the scenario has not run the workflow yet: add a `When` step")
        return self._result

    # -- names ----------------------------------------------------------------------------
    def known_jobs(self, names: list[str]) -> list[str]:
        """``names`` if each is a job of the scenario's workflow, else one clear line."""
        wf = self.static_workflow()
        for name in names:
            if name not in wf.jobs:
                raise UnknownName(f"job `{name}` is not in {wf.path.name}; its jobs are: {', '.join(wf.jobs)}")
        return names
