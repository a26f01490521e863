"""jdx/mise-action shim and its `mise` stand-in."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .shim_support import entries, write

pytestmark = pytest.mark.unit

MISE_TOML = """
[tools]
go = "latest"
"rust" = { version = "1.93.0", components = "rustfmt" }

[env]
_.path = "./bin"
GREETING = "hello"
ROOT_SEEN = "{{env.REPO_ROOT | default(value=config_root)}}"

[tasks._setup_dist]
hide = true
run = "mkdir -p dist"

[tasks."build:sdk"]
description = "Build SDK"
depends = ["_setup_dist"]
run = ["echo sdk > dist/sdk.txt", "echo built $GREETING"]

[tasks.fmt]
alias = "format"
description = "Check formatting"
run = [{ tasks = ["fmt:a", "fmt:b"] }]

[tasks."fmt:a"]
run = "echo a >> order.txt"

[tasks."fmt:b"]
run = "echo b >> order.txt"

[tasks.args]
run = "echo args: > args.txt; echo"

[tasks.script]
run = '''
#!/usr/bin/env bash
set -e
echo "script $1" > script.txt
'''

[tasks.fail]
run = ["echo first", "exit 3", "echo never > never.txt"]

[tasks.sub]
dir = "sub"
run = "pwd > where.txt"

[tasks.envtask]
env = { LOCAL = "x" }
run = "echo $LOCAL $GREETING > env.txt"
"""


@pytest.fixture
def mise(job):  # type: ignore[no-untyped-def]
    write(job.workspace, {"mise.toml": MISE_TOML, "sub/.keep": ""})
    r = job.run("jdx/mise-action/mise_action.py", {"cache": "false"})
    assert r.code == 0, r.log
    exe = next(Path(p) / "mise" for p in r.path if (Path(p) / "mise").exists())

    def call(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {"PATH": os.environ["PATH"], "HOME": str(job.home)}
        return subprocess.run([str(exe), *args], cwd=str(cwd or job.workspace), env=env, capture_output=True, text=True)

    call.setup_result = r  # type: ignore[attr-defined]
    return call


def test_mise_action_records_and_exports_env(mise, job, ledger):
    r = mise.setup_result
    [e] = entries(ledger, "setup.mise")
    assert e.details["tasks"] == sorted(["_setup_dist", "build:sdk", "fmt", "fmt:a", "fmt:b", "args", "script", "fail", "sub", "envtask"])
    assert e.details["tools"] == {"go": "latest", "rust": "1.93.0"}
    assert e.details["config_files"] == ["mise.toml"]
    assert r.env["GREETING"] == "hello"
    assert r.env["ROOT_SEEN"] == str(job.workspace)
    assert str(job.workspace / "bin") in r.path


def test_run_task_with_depends(mise, job):
    p = mise("run", "build:sdk")
    assert p.returncode == 0, p.stderr
    assert (job.workspace / "dist" / "sdk.txt").read_text() == "sdk\n"
    assert "built hello" in p.stdout
    assert "[build:sdk] $ echo sdk > dist/sdk.txt" in p.stderr


def test_unknown_task_fails_like_mise(mise):
    p = mise("run", "nope")
    assert p.returncode == 1
    assert p.stderr.splitlines()[0] == "mise ERROR no task nope found"


def test_failing_task_stops_with_its_exit_status(mise, job):
    p = mise("run", "fail")
    assert p.returncode == 3
    assert "first" in p.stdout
    assert "[fail] ERROR task failed" in p.stderr
    assert not (job.workspace / "never.txt").exists()


def test_subtasks_alias_and_order(mise, job):
    p = mise("run", "format")
    assert p.returncode == 0, p.stderr
    assert (job.workspace / "order.txt").read_text() == "a\nb\n"


def test_args_are_appended(mise, job):
    p = mise("run", "args", "one", "two words")
    assert p.returncode == 0, p.stderr
    assert "one two words" in p.stdout


def test_shebang_script_gets_args(mise, job):
    p = mise("run", "script", "X")
    assert p.returncode == 0, p.stderr
    assert (job.workspace / "script.txt").read_text() == "script X\n"


def test_task_dir_and_env(mise, job):
    assert mise("run", "sub").returncode == 0
    assert (job.workspace / "sub" / "where.txt").read_text().strip() == str(job.workspace / "sub")
    assert mise("run", "envtask").returncode == 0
    assert (job.workspace / "env.txt").read_text() == "x hello\n"


def test_runs_from_a_subdirectory_in_the_config_root(mise, job):
    p = mise("run", "build:sdk", cwd=job.workspace / "sub")
    assert p.returncode == 0, p.stderr
    assert (job.workspace / "dist" / "sdk.txt").exists()


def test_tasks_lists_visible_tasks(mise):
    p = mise("tasks")
    assert p.returncode == 0
    names = [line.split()[0] for line in p.stdout.splitlines()]
    assert "build:sdk" in names and "_setup_dist" not in names
    assert any(line.startswith("fmt ") and "Check formatting" in line for line in p.stdout.splitlines())


def test_no_tasks_outside_a_project(mise, tmp_path):
    p = mise("run", "x", cwd=tmp_path)
    assert p.returncode == 1
    assert "no tasks defined in" in p.stderr


def test_mise_task_shorthand_and_exec(mise, job):
    assert mise("fmt:a").returncode == 0
    p = mise("exec", "--", "sh", "-c", "echo $GREETING")
    assert p.stdout.strip() == "hello"
