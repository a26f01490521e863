"""Tokens stay off act's command line and out of stored logs; the workflow's builds never run on the host."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from actspec.bdd import checks, probes
from actspec.engine.act import ActInvocation

TOKEN = "ghs_" + "s3cr3t" * 6
ID_TOKEN = "idt-" + "q" * 40


def invocation(tmp_path: Path, **secrets: str) -> ActInvocation:
    return ActInvocation(
        act=Path("/usr/bin/act"), workdir=tmp_path, workflow=tmp_path / "ci.yaml", event="push",
        event_path=tmp_path / "event.json", image="img", labels={"ubuntu-latest"},
        env={"ACTIONS_ID_TOKEN_REQUEST_TOKEN": ID_TOKEN, "ACTSPEC_KIT_URL": "http://127.0.0.1:1/kit"},
        secrets={"GITHUB_TOKEN": TOKEN, **secrets}, local_repos={}, run_label="r", kit_mount=tmp_path,
        artifact_dir=tmp_path, artifact_port=1, cache_dir=tmp_path, action_cache=tmp_path, inputs_dir=tmp_path,
    )


def test_no_token_is_on_acts_command_line(tmp_path: Path) -> None:
    inv = invocation(tmp_path)
    inv.write_inputs()
    line = inv.shell()
    assert TOKEN not in line and ID_TOKEN not in line
    assert ["--secret-file", str(inv.secret_file)] == inv.command()[inv.command().index("--secret-file"):][:2]
    for path in (inv.secret_file, inv.env_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert f"GITHUB_TOKEN='{TOKEN}'" in inv.secret_file.read_text()
    assert f"ACTIONS_ID_TOKEN_REQUEST_TOKEN='{ID_TOKEN}'" in inv.env_file.read_text()


def test_a_value_dotenv_would_misread_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="OTHER"):
        invocation(tmp_path, OTHER="it's").write_inputs()


def test_tokens_are_masked_in_what_the_log_keeps(tmp_path: Path) -> None:
    inv = invocation(tmp_path)
    line = f'{{"msg": "env ACTIONS_ID_TOKEN_REQUEST_TOKEN={ID_TOKEN} token {TOKEN}"}}'
    masked = inv.mask(line)
    assert TOKEN not in masked and ID_TOKEN not in masked and masked.count("***") == 2
    assert inv.mask("http://127.0.0.1:1/kit") == "http://127.0.0.1:1/kit"  # URLs are not secrets


def test_the_release_cli_probe_never_executes_on_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("a probe tried to run a program on the host")

    for name in ("run", "Popen", "call", "check_output"):
        monkeypatch.setattr(subprocess, name, refuse)
    monkeypatch.setattr(os, "execv", refuse)
    state = {"releases": {1: {"id": 1, "repo": "replicate/cog", "tag_name": "v0.17.0", "draft": True, "assets": [7],
                              "created_at": "t", "prerelease": False}},
             "assets": {7: {"id": 7, "name": "cog_linux_amd64", "data": b"\x7fELF..."}}}
    ran: list[tuple[bytes, list[str]]] = []

    class InContainer:
        def run_built(self, program: bytes, args: list[str]) -> str:
            ran.append((program, args))
            return "cog version 0.17.0 (built 2026-01-01)"

    output = probes.release_binary_output(InContainer(), state, "v0.17.0", "cog_linux_amd64", "version")  # type: ignore[arg-type]
    checks.cli_reports(output, "v0.17.0", "cog_linux_amd64", "0.17.0")
    assert ran == [(b"\x7fELF...", ["version"])]


def test_the_real_tools_are_read_only_and_only_the_go_cache_is_writable(tmp_path: Path) -> None:
    """Job containers get the provisioned tools read-only; the one writable kit folder is the Go cache."""
    inv = invocation(tmp_path)
    inv.tools_dir, inv.go_cache = tmp_path / "tools", tmp_path / "gocache"
    options = inv.command()[inv.command().index("--container-options") + 1]
    assert f"-v {tmp_path / 'tools'}:/opt/actspec/tools:ro" in options
    assert f"-v {tmp_path / 'gocache'}:/opt/actspec/go-build-cache" in options
    assert f"-v {tmp_path}:/actspec:ro" in options
