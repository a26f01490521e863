"""Helpers of the shim tests: run a shim script as a job step would, read the env files."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actspec.ledger import Ledger
from actspec.model import RunInfo

SHIMS = Path(__file__).resolve().parents[3] / "src" / "actspec" / "shims"
LIB = SHIMS / "_lib"
CONTAINER = "c0ffee" * 10 + "abcd"


def run_info(ref: str = "refs/heads/main", *, event: str | None = None, base_ref: str | None = None) -> RunInfo:
    """A run of ``ci.yaml`` in acme/widget on ``ref`` (a push, or a pull request for ``refs/pull/``)."""
    event = event or ("pull_request" if ref.startswith("refs/pull/") else "push")
    return RunInfo(run_id="r1", repository="acme/widget", ref=ref, sha="0" * 40, workflow="ci.yaml",
                   event_name=event, base_ref=base_ref)


def parse_env_file(path: Path) -> dict[str, str]:
    """Read a ``$GITHUB_OUTPUT``-style file (``k=v`` and ``k<<DELIM`` blocks)."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delim = line.split("<<", 1)
            i += 1
            buf = []
            while i < len(lines) and lines[i] != delim:
                buf.append(lines[i])
                i += 1
            out[key] = "\n".join(buf)
        elif "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
        i += 1
    return out


@dataclass
class StepResult:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    env: dict[str, str]
    path: list[str]
    state: dict[str, str]

    @property
    def log(self) -> str:
        return self.stdout + self.stderr

    def errors(self) -> list[str]:
        return [line[len("::error::"):] for line in self.stdout.splitlines() if line.startswith("::error::")]

    def warnings(self) -> list[str]:
        return [line[len("::warning::"):] for line in self.stdout.splitlines() if line.startswith("::warning::")]


@dataclass
class Job:
    """One job's view: a workspace, a runner temp dir and the env files, reused across steps."""

    root: Path
    kit_url: str
    name: str = "build"
    container: str = CONTAINER
    extra_env: dict[str, str] = field(default_factory=dict)
    state: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.workspace = self.root / "workspace"
        self.temp = self.root / "runner-temp"
        self.home = self.root / "home"
        self.files = self.root / "files"
        for d in (self.workspace, self.temp, self.home, self.files):
            d.mkdir(parents=True, exist_ok=True)
        self._n = 0

    def run(self, script: str, inputs: dict[str, str] | None = None, *, cwd: Path | None = None,
            env: dict[str, str] | None = None, args: list[str] | None = None) -> StepResult:
        """Run ``src/actspec/shims/<script>`` as a step with ``inputs`` (names as in action.yml)."""
        self._n += 1
        n = self._n
        output, genv, gpath, gstate = (self.files / f"{kind}-{n}" for kind in ("output", "env", "path", "state"))
        for f in (output, genv, gpath, gstate):
            f.write_text("")
        full_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "PYTHONPATH": str(LIB),
            "ACTSPEC_KIT_URL": self.kit_url,
            "ACTSPEC_CONTAINER_ID": self.container,
            "GITHUB_JOB": self.name,
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_ENV": str(genv),
            "GITHUB_PATH": str(gpath),
            "GITHUB_STATE": str(gstate),
            "GITHUB_REPOSITORY": "acme/widget",
            "GITHUB_RUN_ID": "4242",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REF": "refs/heads/main",
            "RUNNER_TEMP": str(self.temp),
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
        }
        for k, v in self.state.items():
            full_env[f"STATE_{k}"] = v
        full_env.update(self.extra_env)
        for k, v in (inputs or {}).items():
            full_env["INPUT_" + k.upper().replace("-", "_")] = v
        full_env.update(env or {})
        proc = subprocess.run(
            [sys.executable, str(SHIMS / script), *(args or [])],
            cwd=str(cwd or self.workspace),
            env=full_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        state = parse_env_file(gstate)
        self.state.update(state)
        return StepResult(
            proc.returncode,
            proc.stdout,
            proc.stderr,
            parse_env_file(output),
            parse_env_file(genv),
            [p for p in gpath.read_text().splitlines() if p],
            state,
        )


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content)


def entries(ledger: Ledger, kind: str) -> list[Any]:
    return [e for e in ledger if e.kind == kind]
