"""``--changed-since REF``: run only the scenarios of the workflows a change touches.

A maintainer who edits the gate should not wait for the release suite.  The change is what
``git diff REF`` (plus untracked files) shows in the git repository that holds the
repository under test; each changed file selects scenarios:

- a workflow file (``.github/workflows/*``): the scenarios that use that workflow;
- a feature file of the kit: that feature's scenarios;
- documentation (``docs/``, ``*.md``, ``*.rst``, ``*.txt``, ``LICENSE*``) and the kit's own
  ``tests/``: none (no scenario's outcome depends on them);
- anything else -- the binding ``actspec.yaml``, a local action, the repository's sources
  (every workflow builds or packages them), the kit's library, steps, shims or
  configuration: every scenario.

A scenario uses the workflows its steps name, by role (``the CI workflow``, ``the draft
release ... that release-build made``) or by file name (``a job of release-publish.yaml``),
and those a ``@workflow:<role or file>`` tag on the feature or scenario names (for a feature
whose sentences name none).  Only scenarios are filtered; other tests are left alone.  When
nothing is selected the session says so in one line and ends successfully.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from actspec.errors import BindingError
from actspec.repository.binding import Binding
from actspec.repository.binding import load as load_binding
from actspec.tooling import provision

OPTION = "--changed-since"
DOC_SUFFIXES = {".md", ".rst", ".txt", ".adoc"}
KIT_QUIET = ("docs/", "tests/")
_NOTHING = pytest.StashKey[bool]()


class ChangeError(RuntimeError):
    """The diff cannot be taken (not a git repository, an unknown ref); the message is one line."""


@dataclass(frozen=True)
class Selection:
    """What a change selects: every scenario, or those of some workflow and feature files."""

    everything: bool
    workflows: frozenset[str]  # workflow file names (``ci.yaml``)
    features: frozenset[Path]  # feature files changed themselves
    reason: str  # one line: which file decided, or that only documentation changed

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.workflows or self.features)


def changed_files(root: Path, ref: str) -> tuple[Path, list[str]]:
    """The git top level holding ``root`` and the files changed since ``ref`` (relative to it)."""

    def git(*args: str, cwd: Path = root) -> str:
        try:
            proc = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, timeout=60)
        except FileNotFoundError:
            raise ChangeError(f"{OPTION} needs git, which is not installed") from None
        if proc.returncode != 0:
            why = (proc.stderr.strip().splitlines() or ["git failed"])[-1]
            raise ChangeError(f"{OPTION} {ref}: cannot diff {root} against {ref!r} ({why}); "
                              "name a branch, tag or commit of that repository")
        return proc.stdout

    top = Path(git("rev-parse", "--show-toplevel").strip())
    tracked = git("diff", "--name-only", ref, "--").splitlines()
    untracked = git("ls-files", "--others", "--exclude-standard", cwd=top).splitlines()
    return top, sorted({f for f in tracked + untracked if f})


def _is_doc(rel: PurePosixPath) -> bool:
    return (rel.parts[:1] == ("docs",) or rel.suffix.lower() in DOC_SUFFIXES
            or rel.name.upper().startswith("LICENSE"))


def classify(top: Path, files: list[str], binding: Binding, kit_root: Path) -> Selection:
    """Which scenarios ``files`` (relative to ``top``) select, by the rules of the module docstring."""
    root, kit_root = binding.root.resolve(), kit_root.resolve()
    workflows: set[str] = set()
    features: set[Path] = set()
    for name in files:
        path = (top / name).resolve()
        if path.is_relative_to(root):
            rel = PurePosixPath(path.relative_to(root).as_posix())
            if rel.parts[:2] == (".github", "workflows"):
                workflows.add(rel.name)
            elif not _is_doc(rel):
                return Selection(True, frozenset(), frozenset(), f"{name} changed: every scenario runs")
        elif path.is_relative_to(kit_root):
            rel = PurePosixPath(path.relative_to(kit_root).as_posix())
            if rel.suffix == ".feature":
                features.add(path)
            elif not (_is_doc(rel) or str(rel).startswith(KIT_QUIET)):
                return Selection(True, frozenset(), frozenset(), f"{name} is part of the kit: every scenario runs")
    named = sorted(workflows) + [str(f.relative_to(kit_root)) for f in sorted(features)]
    reason = (f"the change touches {', '.join(named)}" if named else
              f"{len(files)} changed file(s), none that a scenario depends on (documentation only)"
              if files else "nothing changed")
    return Selection(False, frozenset(workflows), frozenset(features), reason)


def scenario_workflows(item: pytest.Item, binding: Binding) -> set[str] | None:
    """The workflow file names a scenario uses (see the module docstring); None for other tests."""
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    try:
        template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
    except TypeError:
        return None
    if template is None:
        return None
    by_role = {role: PurePosixPath(path).name for role, path in binding.workflows.items()}
    callspec = getattr(item, "callspec", None)
    example = dict(callspec.params.get("_pytest_bdd_example") or {}) if callspec is not None else {}
    words = [step.name for step in template.render(example).steps]
    words += [str(m.args[0]) for m in item.iter_markers("workflow") if m.args]
    used: set[str] = set()
    for text in words:
        for role, filename in by_role.items():
            if re.search(rf"(?<![\w-]){re.escape(role)}(?![\w])", text, re.I) or filename in text:
                used.add(filename)
        used.update(m.group(0) for m in re.finditer(r"[\w.-]+\.ya?ml\b", text))
    return used


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("actspec").addoption(
        OPTION, metavar="REF", default=None,
        help="run only the scenarios of the workflows that `git diff REF` of the repository under test touches")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "workflow(name): a workflow (role or file) the scenario uses")


def pytest_bdd_apply_tag(tag: str, function: object) -> bool | None:
    """``@workflow:<role or file>`` names a workflow a scenario uses that its sentences do not."""
    kind, _, value = tag.partition(":")
    if kind != "workflow":
        return None
    pytest.mark.workflow(value)(function)
    return True


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ref = config.getoption(OPTION)
    if ref is None:
        return
    root = Path(config.getoption("--repo")).resolve()
    try:
        binding = load_binding(root)
        top, files = changed_files(root, ref)
    except (BindingError, ChangeError) as exc:
        raise pytest.UsageError(f"actspec: {exc}") from None
    selection = classify(top, files, binding, provision.ROOT)
    keep, drop = [], []
    for item in items:
        used = None if selection.everything else scenario_workflows(item, binding)
        if used is None or used & selection.workflows or item.path.resolve() in selection.features:
            keep.append(item)
        else:
            drop.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
    scenarios = sum(1 for item in keep if scenario_workflows(item, binding) is not None)
    config.stash[_NOTHING] = scenarios == 0
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        tail = "no scenario to run" if scenarios == 0 else f"{scenarios} scenario(s) selected, {len(drop)} deselected"
        reporter.write_line(f"actspec: {OPTION} {ref}: {selection.reason}; {tail}")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """A change that selects no scenario has nothing to check: that is a success, not exit 5."""
    if session.config.stash.get(_NOTHING, False) and session.exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK
