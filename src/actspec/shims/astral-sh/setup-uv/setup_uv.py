"""actspec shim of astral-sh/setup-uv: records the request, exposes the image's uv if it has one.

It downloads nothing.  When the runner image has no ``uv``, the step still succeeds (the real
action would have installed uv) and warns that later ``uv``/``uvx`` steps will fail.
See README.md.
"""

from __future__ import annotations

import os
import subprocess

from actspec_shim import gha, setup


def run() -> int:
    requested = gha.get_input("version")
    version_file = gha.get_input("version-file")
    python_version = gha.get_input("python-version")
    workdir = gha.get_input("working-directory") or gha.workspace()
    activate = gha.get_bool_input("activate-environment", False)
    enable_cache = gha.get_input("enable-cache", "auto")

    uv = setup.which("uv")
    uvx = setup.which("uvx")
    provided = setup.first_version(setup.command_output([uv, "--version"])) if uv else None
    if uv:
        if requested:
            setup.note(f"setup-uv installs nothing here: uv {requested} was requested, the image's uv {provided} is used")
    else:
        setup.note("the runner image has no uv; later steps that run uv or uvx will fail")

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
        if not uv:
            setup.note("activate-environment needs uv; no venv was created")
        else:
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
        matches=setup.version_matches(requested, provided),
        python_version=python_version or None,
        activate_environment=activate,
        enable_cache=enable_cache,
        cache_dependency_glob=gha.get_multiline_input("cache-dependency-glob"),
        cache_suffix=gha.get_input("cache-suffix") or None,
    )
    gha.set_output("uv-version", provided or "")
    gha.set_output("uv-path", uv or "")
    gha.set_output("uvx-path", uvx or "")
    gha.set_output("cache-hit", False)
    gha.set_output("python-version", python_version)
    gha.set_output("venv", venv)
    return 0


if __name__ == "__main__":
    gha.main(run)
