"""actspec shim of astral-sh/setup-uv: puts the kit's real, pinned uv on PATH, offline.

The real action downloads uv; here uv and uvx are the binaries provisioning took from uv's
PyPI wheel (read-only mount, ``actspec_shim.setup.TOOLS``).  Later steps get ``UV_OFFLINE=1``
and ``UV_PYTHON_DOWNLOADS=never`` (settings uv honours): a run may reach loopback only, so
uv uses no index and downloads no Python.  See README.md.
"""

from __future__ import annotations

import os
import subprocess

from actspec_shim import gha, setup

# Exported to later steps: no package index, no Python downloads (a run reaches loopback only).
OFFLINE = {"UV_OFFLINE": "1", "UV_PYTHON_DOWNLOADS": "never"}


def run() -> int:
    requested = gha.get_input("version")
    version_file = gha.get_input("version-file")
    python_version = gha.get_input("python-version")
    workdir = gha.get_input("working-directory") or gha.workspace()
    activate = gha.get_bool_input("activate-environment", False)
    enable_cache = gha.get_input("enable-cache", "auto")

    bindir = setup.tool_bin("uv")
    uv, uvx = os.path.join(bindir, "uv"), os.path.join(bindir, "uvx")
    gha.add_path(bindir)
    for key, value in OFFLINE.items():
        gha.export_variable(key, value)
        os.environ[key] = value
    provided = setup.first_version(setup.command_output([uv, "--version"]))
    matches = setup.version_matches(requested, provided)
    if requested and matches is False:
        setup.note(f"uv {requested} was requested; the kit's pinned uv {provided} is used")

    if python_version:
        gha.export_variable("UV_PYTHON", python_version)
    tool_dir = gha.get_input("tool-dir")
    if tool_dir:
        gha.export_variable("UV_TOOL_DIR", tool_dir)
    tool_bin_dir = gha.get_input("tool-bin-dir")
    if tool_bin_dir:
        gha.export_variable("UV_TOOL_BIN_DIR", tool_bin_dir)
        gha.add_path(tool_bin_dir)

    venv = ""
    if activate:
        venv = os.path.join(workdir, ".venv")
        args = [uv, "venv", venv] + (["--python", python_version] if python_version else [])
        proc = subprocess.run(args, cwd=workdir)
        if proc.returncode != 0:
            gha.fail(f"uv venv failed with exit code {proc.returncode}")
        gha.export_variable("VIRTUAL_ENV", venv)
        gha.add_path(os.path.join(venv, "bin"))

    setup.record(
        "uv",
        requested or "",
        requested=requested or None,
        version_file=version_file or None,
        provided=provided,
        matches=matches,
        python_version=python_version or None,
        activate_environment=activate,
        enable_cache=enable_cache,
        cache_dependency_glob=gha.get_multiline_input("cache-dependency-glob"),
        cache_suffix=gha.get_input("cache-suffix") or None,
    )
    gha.set_output("uv-version", provided or "")
    gha.set_output("uv-path", uv)
    gha.set_output("uvx-path", uvx)
    gha.set_output("cache-hit", False)
    gha.set_output("python-version", python_version)
    gha.set_output("venv", venv)
    return 0


if __name__ == "__main__":
    gha.main(run)
