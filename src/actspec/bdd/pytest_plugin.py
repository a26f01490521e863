"""pytest plugin: options, preflight, the shared session, and run results for the report.

Registered by the root ``conftest.py``.  Any test that uses the ``actspec`` fixture is an
``act`` test; before the first of them runs, the preflight checks Docker, act and the image
and stops pytest with one line if something is missing.
"""

from __future__ import annotations

import contextlib
import fcntl
import inspect
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pytest

from actspec.bdd import fidelity, results_dir
from actspec.bdd.scenario import JOB_ARGUMENTS, split_names
from actspec.bdd.session import Session
from actspec.engine import engines
from actspec.engine.shared import SharedRuns
from actspec.errors import PreflightError, RunError, SetupError
from actspec.mutants import generate
from actspec.repository import binding, structure
from actspec.tooling import preflight, provision

DEFAULT_REPO = provision.ROOT / "workflows_under_test"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("actspec")
    group.addoption("--repo", default=os.environ.get("ACTSPEC_REPO", str(DEFAULT_REPO)),
                    help="repository under test (a checkout with actspec.yaml); env ACTSPEC_REPO")
    group.addoption("--mode", choices=structure.MODES, default=os.environ.get("ACTSPEC_MODE", "full"),
                    help="full: every step does its work; structure: build, test and lint steps are stubbed, "
                         "@real-work scenarios skipped (env ACTSPEC_MODE)")
    group.addoption("--keep-runs", action="store_true", help="keep run directories (repositories, logs) for debugging")
    group.addoption("--results-dir", default=os.environ.get("ACTSPEC_RESULTS", str(provision.ROOT / "report" / "data")),
                    help="where run results are written for the report")
    group.addoption("--engines", default=None,
                    help="how many Docker engines to run act on (default: engine 0 and every engine "
                         "`python -m actspec.tooling.provision engines` started); env ACTSPEC_ENGINES")
    group.addoption("--mutant", default=None, metavar="NAME",
                    help="run the scenarios of the document section the generated mutant NAME breaks, against "
                         "a copy of --repo with that one edit, in the mode it names "
                         "(`python -m actspec.mutants list` names them)")
    group.addoption("--section", default=None, metavar="NAME",
                    help="only the scenarios citing the document section NAME (an @section: tag)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "act: runs real act in Docker")
    config.addinivalue_line("markers", "section(name): the architecture document section a scenario checks")
    config.addinivalue_line("markers", "fidelity(id): a strict xfail that passes only for act's divergence <id>")
    config.addinivalue_line("markers", "real_work(what): needs real builds/tests; skipped in --mode structure")
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    if config.getoption("--mutant"):
        _break_the_copy(config)


_MUTANT_COPY = pytest.StashKey[Path]()
_MUTANT_NAMES = pytest.StashKey[tuple[str, ...]]()  # the jobs, files and values its rule names


def _break_the_copy(config: pytest.Config) -> None:
    """``--mutant NAME``: the session's repository becomes a copy of ``--repo`` with the
    mutant's one edit; only the scenarios of the section it breaks are selected."""
    name = config.getoption("--mutant")
    root = Path(config.getoption("--repo")).resolve()
    try:
        found = {m.name: m for m in generate(binding.load(root))}
    except SetupError as exc:
        raise pytest.UsageError(f"actspec: --mutant: {exc}") from None
    if name not in found:
        near = [n for n in found if name.split("/")[-1] in n][:5] or list(found)[:5]
        raise pytest.UsageError(f"actspec: --mutant: {root.name} has no generated mutant {name!r} "
                                f"(e.g. {', '.join(near)}; `python -m actspec.mutants list` names all {len(found)})")
    mutant = found[name]
    copy = Path(tempfile.mkdtemp(prefix="mutant-"))
    config.stash[_MUTANT_COPY] = copy
    config.stash[_MUTANT_NAMES] = tuple(dict.fromkeys(re.findall(r"`([^`]+)`", mutant.rule)))
    config.option.repo = str(mutant.materialise(root, copy / root.name))
    config.option.mode = mutant.mode
    if not config.getoption("--section"):
        config.option.section = mutant.section


def pytest_unconfigure(config: pytest.Config) -> None:
    copy = config.stash.get(_MUTANT_COPY, None)
    if copy is not None:
        shutil.rmtree(copy, ignore_errors=True)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (a CI job cancelled, ``timeout``) takes the Ctrl-C path, so cleanup runs."""
    raise KeyboardInterrupt(f"signal {signum}")


def _act_path() -> Path:
    return provision.act_path()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses a session ``act`` (before ``-m``/``-k`` deselect anything);
    in ``--mode structure``, skip the scenarios that need real work, saying why."""
    structure_mode = config.getoption("--mode") == "structure"
    section = config.getoption("--section")
    if section:
        cited = [i for i in items if any(section in m.args for m in i.iter_markers("section"))]
        config.hook.pytest_deselected(items=[i for i in items if i not in cited])
        items[:] = cited
    if config.getoption("--mutant"):
        # --maxfail=1 stops at the first red scenario: the ones that run nothing come first,
        # then those that name more of what the broken rule names (its job, say); only the
        # order changes, every scenario of the section still runs until one is red
        names = config.stash.get(_MUTANT_NAMES, ())
        items.sort(key=lambda i: (_runs_something(i), -_mentions(i, names)))
    for item in items:
        real_work = item.get_closest_marker("real_work")
        if structure_mode and real_work is not None:
            what = real_work.args[0] if real_work.args else "real builds and tests"
            item.add_marker(pytest.mark.skip(reason=f"needs real work ({what}); --mode structure stubs build, "
                                                    "test and lint steps, so this scenario could not fail there"))
        if _uses(item) & {"actspec", "actspec_factory"}:
            item.add_marker(pytest.mark.act)


def _template(item: pytest.Item) -> object | None:
    """The pytest-bdd scenario a test runs (its steps), or None for a test that is not one."""
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    try:
        return scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
    except TypeError:  # an unhashable test object: not a scenario
        return None


def _roles(item: pytest.Item) -> set[str]:
    """The workflow roles a scenario names (``Given the <role> workflow``), for preflight."""
    template = _template(item)
    steps = [str(step.name) for step in getattr(template, "steps", [])]
    return {m.group("role").lower() for m in map(WORKFLOW_STEP.match, steps) if m}


def _mentions(item: pytest.Item, names: tuple[str, ...]) -> int:
    """How many of ``names`` a scenario's test id (its example values) or its steps name."""
    template = _template(item)
    text = " ".join([item.nodeid, *(str(s.name) for s in getattr(template, "steps", []))])
    return sum(name in text for name in names)


def _runs_something(item: pytest.Item) -> bool:
    """Does the scenario have a ``When`` step (the steps that run a workflow or a probe)?"""
    template = _template(item)
    return template is None or any(str(getattr(s, "keyword", "")).strip() == "When"
                                   for s in getattr(template, "steps", []))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Preflight for the tests that will run: after ``-m``/``-k``, and never for a unit test.

    ``make unit`` must pass on a machine without Docker or act, so only a selected test that
    uses the session (and is not marked ``unit``) asks for Docker, act and the image.
    """
    config = session.config
    if config.getoption("collectonly"):
        return
    selected = [item for item in session.items if item.get_closest_marker("unit") is None]
    used = [_uses(item) for item in selected]
    if not any({"actspec", "actspec_factory"} & u for u in used):
        return
    try:
        if any("actspec" in u for u in used):
            roles = set().union(*(_roles(item) for item in selected))
            preflight.check_repository(Path(config.getoption("--repo")).resolve(), roles)
        preflight.check_tools(_act_path(), provision.image_tag(), _engines(config))
    except SetupError as exc:
        raise pytest.UsageError(*[f"actspec: {line}" for line in str(exc).splitlines()]) from None


def _engines(config: pytest.Config) -> list[engines.Engine]:
    try:
        return engines.running(engines.wanted(config.getoption("--engines")))
    except engines.EngineError as exc:
        raise PreflightError(str(exc)) from None


def _shared_runs(request: pytest.FixtureRequest) -> SharedRuns | None:
    """Under pytest-xdist: the directory the workers of this invocation share (xdist's docs)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return None
    base = request.getfixturevalue("tmp_path_factory").getbasetemp().parent
    return SharedRuns(base / "actspec-shared")


def _uses(item: pytest.Item) -> set[str]:
    """The fixtures a test uses, a scenario's step functions (and what they ask for) included.

    pytest-bdd resolves a scenario's steps only when it runs, so they are matched here the
    way it will match them; a scenario whose steps never reach the session needs no act.
    Worked out once per test (collection asks twice).
    """
    cached = item.stash.get(_USES, None)
    if cached is not None:
        return cached
    used = set(getattr(item, "fixturenames", ()))
    for step_func in _step_functions(item):
        used |= _fixture_closure(item, inspect.signature(step_func).parameters)
    item.stash[_USES] = used
    return used


_USES = pytest.StashKey[set[str]]()


def _step_functions(item: pytest.Item) -> list[Callable[..., object]]:
    from pytest_bdd.scenario import find_fixturedefs_for_step
    from pytest_bdd.steps import step_function_context_registry

    template: Any = _template(item)
    if template is None:
        return []
    callspec = getattr(item, "callspec", None)
    example = dict(callspec.params.get("_pytest_bdd_example") or {}) if callspec is not None else {}
    manager = item.session._fixturemanager
    out: list[Callable[..., object]] = []
    for step in template.render(example).steps:
        for fixturedef in find_fixturedefs_for_step(step=step, fixturemanager=manager, node=item):
            context = step_function_context_registry.get(fixturedef.func)
            if context is not None:
                out.append(context.step_func)
    return out


def _fixture_closure(item: pytest.Item, names: Iterable[str]) -> set[str]:
    """``names`` and every fixture they request, as pytest would resolve them for ``item``."""
    manager = item.session._fixturemanager
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for fixturedef in manager.getfixturedefs(name, item) or ():
            todo.extend(fixturedef.argnames)
    return seen


@pytest.fixture(scope="session")
def actspec_factory(request: pytest.FixtureRequest) -> Iterator[Callable[[Path], Session]]:
    """Sessions by repository root: the features use ``--repo``, the calibration suite its own."""
    config = request.config
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    sessions: dict[Path, Session] = {}
    began = time.time()
    pool = engines.Pool(_engines(config))
    shared = _shared_runs(request)

    capture = config.pluginmanager.get_plugin("capturemanager")

    def progress(msg: str) -> None:
        """On the terminal even while a test's output is captured."""
        if reporter is None:
            return
        with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
            reporter.write_line(f"  act | {msg}")

    def get(root: Path) -> Session:
        root = root.resolve()
        if root not in sessions:
            sessions[root] = Session(preflight.check_repository(root), act=_act_path(), image=provision.image_tag(),
                                     tools=provision.RUNNER_TOOLS, keep=config.getoption("--keep-runs"), progress=progress,
                                     mode=config.getoption("--mode"), engine_pool=pool, shared=shared)
        return sessions[root]

    try:
        yield get
    finally:
        out = Path(config.getoption("--results-dir"))
        if sessions:
            # this session's runs only; a user's files stay, and so do the files other xdist
            # workers of this invocation wrote (newer than this one's start)
            results_dir.clear(out, older_than=began)
        for sess in sessions.values():
            results_dir.remember(out, sess.write_results(out))
            sess.close()


@pytest.fixture(scope="session")
def actspec(actspec_factory: Callable[[Path], Session], request: pytest.FixtureRequest) -> Session:
    """The session for the repository under test (``--repo``)."""
    return actspec_factory(Path(request.config.getoption("--repo")))


_OUTCOMES = pytest.StashKey[dict[str, dict[str, object]]]()


def record_runs(item: pytest.Item, run_ids: list[str]) -> None:
    """Remember which act runs a test looked at, for the report."""
    entry = item.config.stash.setdefault(_OUTCOMES, {}).setdefault(item.nodeid, {})
    entry["runs"] = list(dict.fromkeys(run_ids))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """Each test's outcome, duration and failure line, written to tests.json for the report."""
    report: pytest.TestReport = yield
    if _only_its_own_divergence(item, call, report):
        pass  # the report now names the divergence and the other reason
    elif call.excinfo is not None and call.excinfo.errisinstance((SetupError, RunError)):
        report.longrepr = f"actspec: {call.excinfo.value}"  # the user's mistake: its one line, no traceback
    entry = item.config.stash.setdefault(_OUTCOMES, {}).setdefault(item.nodeid, {})
    if report.when == "call" or report.outcome != "passed":
        xfailed = hasattr(report, "wasxfail") and report.skipped
        lines = str(report.longreprtext).strip().splitlines() if report.failed else []
        entry.update(outcome="xfailed" if xfailed else report.outcome, when=report.when,
                     duration=round(report.duration, 3), message=lines[-1] if lines else "")
        crash = getattr(getattr(report.longrepr, "reprcrash", None), "message", "") if report.failed else ""
        entry.update(error=str(crash).strip(), **_scenario_facts(item))
    return report


def _only_its_own_divergence(item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport) -> bool:
    """A ``@fidelity:<id>`` xfail whose test failed for another reason is a failure, not an xfail
    (True when the report was turned into that failure)."""
    marker = item.get_closest_marker("fidelity")
    if marker is None or not (hasattr(report, "wasxfail") and report.skipped) or call.excinfo is None:
        return False
    fid = str(marker.args[0])
    if fidelity.explains(fid, call.excinfo.value):
        return False
    del report.wasxfail
    report.outcome = "failed"
    first = (str(call.excinfo.value).strip().splitlines() or [call.excinfo.typename])[0]
    report.longrepr = (f"actspec: @fidelity:{fid} expects its own divergence ({fidelity.reason(fid)}); "
                       f"this test failed for another reason: {call.excinfo.typename}: {first}")
    return True


def _scenario_facts(item: pytest.Item) -> dict[str, object]:
    """For a pytest-bdd test: its feature, scenario, example row, tags and each step's status.

    Steps come from pytest-bdd's own per-test report (``failed`` flags and durations, in
    execution order); the first failed step is ``failed``, the steps after it ``skipped``,
    steps never reached ``not run``.  Empty for tests that are not scenarios.
    """
    try:
        from pytest_bdd import reporting
        from pytest_bdd.scenario import scenario_wrapper_template_registry
    except ImportError:  # pragma: no cover - pytest-bdd is a dependency
        return {}
    func = getattr(item, "obj", None)
    try:
        template = scenario_wrapper_template_registry.get(func)  # type: ignore[arg-type]
    except TypeError:
        return {}
    if template is None:
        return {}
    callspec = getattr(item, "callspec", None)
    example = dict(callspec.params.get("_pytest_bdd_example") or {}) if callspec is not None else {}
    rendered = template.render(example)
    feature = template.feature
    done = reporting.scenario_reports_registry.get(item)
    step_reports = done.step_reports if done is not None else []
    steps: list[dict[str, object]] = []
    failed_seen = False
    for i, step in enumerate(rendered.steps):
        status, duration = "not run", 0.0
        if i < len(step_reports):
            rep = step_reports[i]
            if rep.failed and not failed_seen:
                status, failed_seen = "failed", True
            elif failed_seen:
                status = "skipped"
            elif rep.stopped is not None:
                status = "passed"
            duration = round(rep.duration, 3)
        steps.append({"keyword": step.keyword, "name": step.name, "line": step.line_number,
                      "status": status, "duration": duration})
    rule_tags = template.rule.tags if template.rule is not None else set()
    try:
        feature_file = str(Path(feature.filename).resolve().relative_to(item.config.rootpath))
    except ValueError:
        feature_file = feature.filename
    return {
        "feature": feature.name,
        "feature_file": feature_file,
        "scenario": rendered.name,
        "scenario_template": template.name,
        "scenario_line": template.line_number,
        "example": example,
        "tags": sorted(set(template.tags) | set(feature.tags) | set(rule_tags)),
        "steps": steps,
    }


def pytest_sessionfinish(session: pytest.Session) -> None:
    outcomes = session.config.stash.get(_OUTCOMES, None)
    if outcomes:
        out = Path(session.config.getoption("--results-dir"))
        out.mkdir(parents=True, exist_ok=True)
        if not os.environ.get("PYTEST_XDIST_WORKER"):
            (out / "tests.json").write_text(json.dumps(outcomes, indent=1, default=str))
            return
        # pytest-xdist: every worker adds its tests to the file, one worker at a time; a
        # sidecar names the invocation (xdist's test run uid) that wrote it.
        fd = os.open(out / ".tests.json.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            path, run = out / "tests.json", out / ".tests.json.run"
            uid = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
            same = path.exists() and run.exists() and run.read_text() == uid
            merged = {**(json.loads(path.read_text()) if same else {}), **outcomes}
            path.write_text(json.dumps(merged, indent=1, default=str))
            run.write_text(uid)
        finally:
            os.close(fd)


def pytest_bdd_apply_tag(tag: str, function: object) -> bool | None:
    """``@fidelity:<id>`` makes a strict xfail naming act's divergence; ``@section:<name>`` cites the document."""
    kind, _, value = tag.partition(":")
    if kind == "fidelity":
        pytest.mark.xfail(strict=True, reason=fidelity.reason(value))(function)
        pytest.mark.fidelity(value)(function)
        return True
    if kind == "section":
        pytest.mark.section(value)(function)
        return True
    if kind == "real-work":
        pytest.mark.real_work(*([value.replace("-", " ")] if value else []))(function)
        return True
    return None


WORKFLOW_STEP = re.compile(r"^the (?P<role>[\w-]+) workflow$")


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: object, scenario: object) -> None:
    """Fail a scenario that names an unknown job before anything runs, with one line.

    Only what a step is written to take as a job (an argument in :data:`JOB_ARGUMENTS`)
    counts; anything else a step quotes in backticks (a file, a command) is not a job name.
    """
    steps = list(getattr(scenario, "steps", []))
    roles = [m.group("role").lower() for m in (WORKFLOW_STEP.match(str(s.name)) for s in steps) if m]
    if not roles:
        return
    sess: Session = request.getfixturevalue("actspec")
    wf = sess.binding.load_workflow(roles[0])
    named = {name for step in steps for name in _job_arguments(request, step)}
    unknown = sorted(named - set(wf.jobs))
    if unknown:
        pytest.fail(
            f"{getattr(scenario, 'name', 'scenario')}: job(s) {', '.join(unknown)} not in {wf.path.name}; "
            f"its jobs are: {', '.join(wf.jobs)}",
            pytrace=False,
        )


def _job_arguments(request: pytest.FixtureRequest, step: object) -> list[str]:
    """The job names a step passes to its step function (pytest-bdd's own parse of the step)."""
    from pytest_bdd.scenario import get_step_function

    context = get_step_function(request, step)  # type: ignore[arg-type]
    if context is None:
        return []
    args = context.parser.parse_arguments(str(getattr(step, "name", ""))) or {}
    names: list[str] = []
    for key, raw in args.items():
        if key not in JOB_ARGUMENTS:
            continue
        # The step's own converter reads the phrase ("no job" is no name, not a job called that).
        value = context.converters[key](raw) if key in context.converters else raw
        names += [str(v) for v in value] if isinstance(value, list) else split_names(str(value))
    return names
