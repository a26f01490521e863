"""actspec shim of jdx/mise-action: puts the kit's real, pinned mise on PATH, offline.

The real action downloads mise and runs ``mise install``; here mise is the provisioned binary
(read-only mount, see ``actspec_shim.setup.TOOLS``) and nothing is downloaded: later steps get
``MISE_OFFLINE=1`` and ``MISE_AUTO_INSTALL=false``, settings mise itself honours (no version
lookups, no downloads, no installs on ``mise run``).  Tools a ``[tools]`` section declares are
not installed, so mise leaves them inactive and commands find the runner image's tools on PATH.
See README.md.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from actspec_shim import gha, setup

# Exported to later steps and used for the shim's own mise calls.
OFFLINE = {"MISE_OFFLINE": "1", "MISE_AUTO_INSTALL": "false"}


def action_env() -> dict[str, str]:
    """What the real action sets unless already set: the cwd's configs are trusted, prompts answered."""
    wanted = {"MISE_TRUSTED_CONFIG_PATHS": os.getcwd(), "MISE_YES": "1"}
    return {k: v for k, v in wanted.items() if not os.environ.get(k)}


def mise(exe: str, workdir: str, *args: str) -> Any:
    """The JSON a ``mise ... --json`` command prints; its own error message fails the step."""
    proc = subprocess.run([exe, *args], cwd=workdir, capture_output=True, text=True,
                          env={**os.environ, **OFFLINE, **action_env()})
    if proc.returncode != 0:
        gha.fail(f"mise {' '.join(args)} failed:\n{proc.stderr.strip()}")
    return json.loads(proc.stdout or "null")


def write_inputs(workdir: str) -> None:
    """``mise_toml`` / ``tool_versions`` inputs become files of the working directory, as in the action."""
    for name, file in (("INPUT_MISE_TOML", "mise.toml"), ("INPUT_TOOL_VERSIONS", ".tool-versions")):
        text = os.environ.get(name, "")
        if text.strip():
            with open(os.path.join(workdir, file), "w", encoding="utf-8") as fh:
                fh.write(text)


def export_env(exe: str, workdir: str) -> list[str]:
    """The config's ``[env]`` as mise computes it (``mise env --json``), exported to later steps."""
    env = mise(exe, workdir, "env", "--json")
    current = os.environ.get("PATH", "").split(os.pathsep)
    for entry in reversed([p for p in env.pop("PATH", "").split(os.pathsep) if p and p not in current]):
        gha.add_path(entry)
    exported = []
    for key, value in sorted(env.items()):
        if os.environ.get(key) != value:
            gha.export_variable(key, value)
            exported.append(key)
    return exported


def run() -> int:
    workdir = setup.resolve(gha.get_input("working_directory") or gha.workspace())
    write_inputs(workdir)
    bindir = setup.tool_bin("mise")
    exe = os.path.join(bindir, "mise")
    gha.add_path(bindir)
    for key, value in {**OFFLINE, **action_env()}.items():
        gha.export_variable(key, value)
    if gha.get_input("experimental", "false").lower() == "true":
        gha.export_variable("MISE_EXPERIMENTAL", "1")
    if gha.get_input("log_level"):
        gha.export_variable("MISE_LOG_LEVEL", gha.get_input("log_level"))
    version = setup.first_version(setup.command_output([exe, "--version"]))
    gha.info(f"actspec: mise {version} at {exe} (offline: tools are not installed, the image's are used)")

    ws = gha.workspace()
    configs = mise(exe, workdir, "config", "ls", "--json")
    config_files = [os.path.relpath(c["path"], ws) for c in configs if c["path"].startswith(ws + os.sep)]
    tools = {name: entries[0].get("requested_version")
             for name, entries in sorted(mise(exe, workdir, "ls", "--current", "--json").items()) if entries}
    tasks = sorted(t["name"] for t in mise(exe, workdir, "tasks", "ls", "--json", "--all", "--hidden"))
    exported = export_env(exe, workdir) if gha.get_input("env", "true").lower() == "true" else []
    install = gha.get_input("install", "true")
    if install.lower() == "true" and tools:
        setup.note(f"mise install not run (offline): {', '.join(tools)} of the config stay uninstalled; "
                   "the image's tools are used")
    setup.record(
        "mise",
        gha.get_input("version") or "",
        requested=gha.get_input("version") or None,
        provided=version,
        matches=setup.version_matches(gha.get_input("version") or None, version),
        install=install,
        install_args=gha.get_input("install_args") or None,
        cache=gha.get_input("cache", "true"),
        working_directory=os.path.relpath(workdir, ws),
        config_files=config_files,
        tools=tools,
        tasks=tasks,
        env_exported=exported,
    )
    gha.set_output("cache-hit", False)
    return 0


if __name__ == "__main__":
    gha.main(run)
