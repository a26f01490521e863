"""A pytest session's own faults: broken tools, deselected tests, a shared results folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from actspec.bdd import results_dir
from actspec.errors import SetupError
from actspec.tooling import preflight
from actspec.tooling.preflight import PreflightError, check_act, check_repository
from actspec.tooling.provision import ACT_VERSION, ROOT


def _script(path: Path, text: str, mode: int = 0o755) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


@pytest.mark.parametrize(("make", "says"), [
    (lambda d: d / "missing", "act is missing at"),
    (lambda d: (d / "a-folder").mkdir() or d / "a-folder", "is a directory, not the act binary"),
    (lambda d: _script(d / "act", "#!/bin/sh\necho act version 0.2.87\n", 0o644), "is not executable"),
    (lambda d: _script(d / "act", "this is not a program\n\x00\x01"), "cannot be run"),
    (lambda d: _script(d / "act", "#!/bin/sh\necho act version 0.2.70\n"), "is version 0.2.70"),
    (lambda d: _script(d / "act", "#!/bin/sh\nexit 3\n"), "is version unknown"),
    (lambda d: _script(d / "act", "#!/bin/sh\nsleep 30\n"), "did not answer `act --version` within"),
])
def test_a_broken_act_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make, says: str) -> None:
    monkeypatch.setattr(preflight, "ACT_VERSION_TIMEOUT", 1)
    with pytest.raises(PreflightError) as err:
        check_act(make(tmp_path))
    assert says in str(err.value) and "\n" not in str(err.value)


def test_the_pinned_act_passes(tmp_path: Path) -> None:
    check_act(_script(tmp_path / "act", f"#!/bin/sh\necho act version {ACT_VERSION}\n"))


def test_a_workflow_github_would_refuse_stops_preflight(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yaml").write_text(
        "on: push\njobs:\n  build: {runs-on: x}\n  build: {runs-on: y}\n")
    (tmp_path / "actspec.yaml").write_text("repository: o/r\nworkflows:\n  ci: .github/workflows/ci.yaml\n")
    with pytest.raises(SetupError) as err:
        check_repository(tmp_path)
    assert str(err.value).endswith("ci.yaml:4: 'build' is already defined (line 3); remove one of them")


def _no_tools_env(tmp_path: Path) -> dict[str, str]:
    """No docker on PATH, no act where the kit looks, a Docker socket that is not there."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("git", "sh", "env"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}:{bin_dir}", "ACTSPEC_ACT": str(tmp_path / "no-act"),
            "DOCKER_HOST": f"unix://{tmp_path}/no-docker.sock"}


def test_deselected_act_tests_need_no_act_and_no_docker(tmp_path: Path) -> None:
    """``-m unit`` and ``-k`` deselect before the preflight looks: no act, no Docker, no error."""
    env = _no_tools_env(tmp_path)
    for selection in (["-m", "unit"], ["-k", "no_such_scenario"]):
        proc = subprocess.run([sys.executable, "-m", "pytest", "features/", "-q", "-p", "no:cacheprovider",
                               "--results-dir", str(tmp_path / "r"), *selection],
                              cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 5, proc.stdout + proc.stderr  # nothing selected, and no usage error
        assert "ERROR: actspec" not in proc.stdout + proc.stderr


def test_a_unit_test_runs_without_act_or_docker(tmp_path: Path) -> None:
    env = _no_tools_env(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-m", "unit", "-q", "-p", "no:cacheprovider",
                           "tests/unit/test_workflow.py", "--results-dir", str(tmp_path / "r")],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_results_folder_keeps_the_users_files(tmp_path: Path) -> None:
    out = tmp_path / "results"
    out.mkdir()
    mine = [out / "notes.json", out / "build.log", out / "sub.json"]
    for path in mine:
        path.write_text("the user's")
    (out / "run-1.json").write_text("{}")
    results_dir.remember(out, ["run-1.json", "../outside.json", "/etc/passwd", "sub/x.json"])
    (tmp_path / "outside.json").write_text("outside")
    results_dir.clear(out)
    assert not (out / "run-1.json").exists()
    assert all(p.read_text() == "the user's" for p in mine)
    assert (tmp_path / "outside.json").exists()
    assert not (out / results_dir.MANIFEST).exists()


def test_backticked_text_that_names_no_job_is_not_an_unknown_job(tmp_path: Path) -> None:
    """Only step arguments written to take a job are checked against the workflow."""
    (tmp_path / "wf.yaml").write_text("on: push\njobs:\n  build: {runs-on: x, steps: [{run: 'true'}]}\n")
    (tmp_path / "demo.feature").write_text(textwrap.dedent("""\
        Feature: Demo
          Scenario: Quotes a file
            Given the ci workflow
            Then the log mentions `README.md`
            And `build` ran

          Scenario: Names a job that is not there
            Given the ci workflow
            Then `deploy` ran
        """))
    (tmp_path / "conftest.py").write_text(textwrap.dedent(f"""\
        from types import SimpleNamespace

        import pytest

        from actspec.repository.workflow import load

        pytest_plugins = ["actspec.bdd.pytest_plugin"]


        @pytest.fixture(scope="session")
        def actspec():
            return SimpleNamespace(binding=SimpleNamespace(load_workflow=lambda role: load({str(tmp_path / 'wf.yaml')!r})))
        """))
    (tmp_path / "test_demo.py").write_text(textwrap.dedent("""\
        from pytest_bdd import given, parsers, scenarios, then

        scenarios("demo.feature")


        @given("the ci workflow")
        def _wf():
            pass


        @then(parsers.re(r"the log mentions `(?P<text>[^`]+)`"))
        def _mentions(text):
            pass


        @then(parsers.re(r"`(?P<job>[^`]+)` ran"))
        def _ran(job):
            pass
        """))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf",
                           "--results-dir", str(tmp_path / "r")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    out = proc.stdout + proc.stderr
    assert "1 failed, 1 passed" in out, out
    assert "job(s) deploy not in wf.yaml; its jobs are: build" in out
    assert "README.md" not in out.split("short test summary")[-1]
