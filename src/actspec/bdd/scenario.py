"""The state of one Gherkin scenario: the run it describes, and the run's result.

Steps only parse words; they call these methods.  A scenario builds a :class:`RunSpec`
(``Given``), runs it (``When``, served from the session's run cache when another
scenario asked for the same run), and asserts on the :class:`RunResult` (``Then``, see
:mod:`actspec.bdd.checks`).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any

from actspec.bdd.session import Session
from actspec.errors import BindingError, UnknownName
from actspec.model import Change, RunResult, RunSpec, Seed
from actspec.repository.workflow import Workflow, change_detection

TOKEN = re.compile(r"`([^`]+)`")
# Names of step arguments that hold job ids (a step "written to name a job"); only these are
# checked against the workflow before a scenario runs, other backticked text is not a job.
JOB_ARGUMENTS = frozenset({"job", "jobs", "gate", "upstream", "job_a", "job_b"})


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
        self.spec = RunSpec(workflow=role, mode="structure" if self.session.mode == "structure" else "full")

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

    def change_only(self, path: str) -> None:
        """The head commit changes ``path`` alone: a line added (the file created if missing).
        A change detection reads names only; the line is a ``#`` comment because the file may be
        the workflow itself, which act must still parse (YAML, TOML and INI read it as a comment)."""
        assert self.spec is not None
        self._update(changes=self.spec.changes + (Change(path, "append", "# actspec: a change to this path"),))

    def run_change_detection(self) -> RunResult:
        """Run only the change detection (act's ``-j``): the job whose outputs other jobs' ``if:``
        read.  One container answers what it decides; nothing downstream needs to run."""
        detectors = change_detection(self.static_workflow().path)
        if len(detectors) != 1:
            raise AssertionError(f"{self.static_workflow().path.name} should have one change-detection job (whose "
                                 f"outputs other jobs' if: read); it has {', '.join(detectors) or 'none'}")
        self._update(job=detectors[0])
        return self.run()

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

    def cancel_during(self, job: str) -> None:
        """The run is cancelled while ``job`` runs (``RunSpec.cancel_during``)."""
        self.known_jobs([job])
        self._update(cancel_during=job)

    def stub_all_but(self, keep: list[str]) -> None:
        """Every job not in ``keep`` runs, but its bash steps succeed without doing anything."""
        assert self.spec is not None
        self.known_jobs(keep)
        stubbed = tuple(j for j in self.static_workflow().jobs if j not in keep)
        self._update(stub_jobs=stubbed)

    def seed(self, service: str, what: str, value: str = "") -> None:
        assert self.spec is not None
        self._update(seeds=self.spec.seeds + (Seed(service, what, value),))

    def payload(self, key: str, value: object) -> None:
        assert self.spec is not None
        self._update(payload=self.spec.payload + ((key, value),))

    def same_commits_as(self, other: RunSpec) -> None:
        self._update(changes=other.changes)

    def chain(self, previous: RunSpec) -> None:
        self._update(after=previous)

    def after_push(self, branch: str, *names: str) -> None:
        """The run starts from what a real earlier run left: a push to ``branch`` with these changes.

        What the push saved (caches, releases) is in the services' state when this run
        begins; nothing is planted by the kit.
        """
        assert self.spec is not None
        edits: tuple[Change, ...] = ()
        for name in names:
            edits += self.session.binding.change_set(name)
        earlier = dataclasses.replace(self.spec, event="push", branch=branch, base_branch=branch, changes=edits, after=None)
        self._update(after=earlier)

    def earlier_result(self) -> RunResult:
        """The result of the run this one was chained after (run once, shared like any run)."""
        if self.spec is None or self.spec.after is None:
            raise AssertionError("the scenario names no earlier run: add `Given an earlier push to <branch> that changed <what>`")
        return self.session.runner.run(self.spec.after)

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
    def axis(self, term: str) -> str:
        """The matrix axis carrying the document's list ``term`` in the repository under test."""
        return self.session.binding.axis(term)

    def known_jobs(self, names: list[str]) -> list[str]:
        """``names`` if each is a job of the scenario's workflow, else one clear line."""
        wf = self.static_workflow()
        for name in names:
            if name not in wf.jobs:
                raise UnknownName(f"job `{name}` is not in {wf.path.name}; its jobs are: {', '.join(wf.jobs)}")
        return names


# -- release pipeline ----------------------------------------------------------------------
# A release is two chained runs: release-build for a tag push, then release-publish for the
# ``release`` event that publishing the draft sends; the second starts from the mocks'
# state the first left (the draft release).

CARGO_TOML = "crates/Cargo.toml"


_CARGO_VERSION = re.compile(r'^\[(?:workspace\.)?package\][^\[]*?^version\s*=\s*"(?P<version>[^"]+)"', re.M | re.S)


def _cargo_version_block(world: World) -> re.Match[str]:
    """The ``[workspace.package]`` (or, for a single crate, ``[package]``) table of
    crates/Cargo.toml up to its ``version`` line: "the single source of truth" for every
    package's version ("Package Versioning")."""
    path = world.session.binding.root / CARGO_TOML
    if not path.is_file():
        raise BindingError(f"{CARGO_TOML} is missing from {world.session.binding.root}: the document's release "
                           f"features read the version from it (\"Package Versioning\")")
    m = _CARGO_VERSION.search(path.read_text())
    if m is None:
        raise BindingError(f"{CARGO_TOML} declares no version in [workspace.package] or [package]: add "
                           f'`version = "X.Y.Z"` there, the version every package is released at')
    return m


def cargo_version(world: World) -> str:
    """The version crates/Cargo.toml declares in the repository under test (base commit)."""
    return _cargo_version_block(world).group("version")


def tag_version(tag: str) -> str:
    """The version a release tag names: ``v0.17.0-alpha3`` is version ``0.17.0-alpha3``."""
    return tag[1:] if tag.startswith("v") else tag


def commit_on(world: World, branch: str, *, changes: tuple[str, ...] = (), version: str | None = None) -> None:
    """The head commit is on ``branch``: the base itself (nothing to change, branch ``main``),
    or a new commit there with the binding's change sets and/or a new Cargo.toml version."""
    world.event("push", branch=branch)
    if changes:
        world.change(*changes)
    if version is not None:
        set_cargo_version(world, version)


def set_cargo_version(world: World, version: str) -> None:
    """The head commit holds ``version`` in crates/Cargo.toml.  A repository already at that
    version is left as it is, so a feature's example version (the document's ``0.17.0``) costs
    no commit where it already holds, and a repository at another version gets the commit a
    maintainer makes before tagging ("Stable Releases" step 1).  Only the package table's
    ``version`` line changes, never a dependency's."""
    block = _cargo_version_block(world)
    if block.group("version") == version:
        return
    start, end = block.span("version")
    text = block.group(0)
    rel_start, rel_end = start - block.start(), end - block.start()
    world.edit(CARGO_TOML, text, text[:rel_start] + version + text[rel_end:])


def push_tag(world: World, tag: str) -> None:
    """Push ``tag``, put on the head commit (a ``push`` event of ``refs/tags/<tag>``)."""
    assert world.spec is not None
    world.event("push", branch=world.spec.branch, base=world.spec.base_branch, tag=tag)


def release_build_spec(world: World, tag: str, branch: str, version: str | None = None) -> RunSpec:
    """The release-build run for ``tag`` on ``branch``, with Cargo.toml at ``version`` (by
    default the tag's: a draft exists only for a tag that matched it), built exactly as the
    build features build it, so that both share one act run."""
    build = World(world.session)
    build.use_workflow("release-build")
    commit_on(build, branch, version=version or tag_version(tag))
    push_tag(build, tag)
    assert build.spec is not None
    return build.spec


def publish_after(world: World, build: RunSpec) -> None:
    """This scenario's run is release-publish for the release ``build`` left as a draft:
    the runner publishes that draft (the maintainer's click) and sends the ``release`` event.
    The repository is the build's (same branch, same commits, same tag)."""
    if world.workflow is None or world.workflow.path.name != world.session.binding.workflow_path(
            "release-publish").name:
        world.use_workflow("release-publish")
    world.event("release", branch=build.branch, tag=build.tag)
    world.same_commits_as(build)  # the tag names the same commit
    world.chain(build)


def service_state(world: World, service: str, spec: RunSpec | None = None) -> Any:
    """What the mock ``service`` held when the run of ``spec`` (default: this scenario's) ended."""
    spec = spec or world.spec
    if spec is None:
        raise AssertionError("no run to look at")
    states = world.session.runner.state_after(spec)
    if service not in states:
        raise AssertionError(f"no state of the {service} mock was kept for this run")
    return states[service]
