"""actspec shim of jdx/mise-action: installs the mise stand-in on PATH and records the request.

No tool of ``[tools]`` is installed: later steps get the runner image's tools.  See README.md.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys

from actspec_shim import gha, setup

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mise_standin  # noqa: E402


def run() -> int:
    workdir = gha.get_input("working_directory") or gha.workspace()
    workdir = setup.resolve(workdir)
    mise_toml = os.environ.get("INPUT_MISE_TOML", "")
    if mise_toml.strip():
        with open(os.path.join(workdir, "mise.toml"), "w", encoding="utf-8") as fh:
            fh.write(mise_toml)
    tool_versions = os.environ.get("INPUT_TOOL_VERSIONS", "")
    if tool_versions.strip():
        with open(os.path.join(workdir, ".tool-versions"), "w", encoding="utf-8") as fh:
            fh.write(tool_versions)

    bindir = setup.bin_dir("mise")
    target = os.path.join(bindir, "mise")
    shutil.copyfile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "mise_standin.py"), target)
    os.chmod(target, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    gha.info(f"actspec: installed the mise stand-in at {target} (tasks only; no tools are installed)")

    if gha.get_input("experimental", "false").lower() == "true":
        gha.export_variable("MISE_EXPERIMENTAL", "1")
    if gha.get_input("log_level"):
        gha.export_variable("MISE_LOG_LEVEL", gha.get_input("log_level"))

    try:
        cfg = mise_standin.load(workdir)
    except mise_standin.MiseError as exc:
        gha.fail(f"mise: {exc}")
    exported: list[str] = []
    if gha.get_input("env", "true").lower() == "true":
        env, paths = mise_standin.config_env(cfg, dict(os.environ))
        for p in reversed(paths):
            gha.add_path(p)
        for key, value in sorted(env.items()):
            if key != "PATH" and os.environ.get(key) != value:
                gha.export_variable(key, value)
                exported.append(key)

    ws = gha.workspace()
    tools = {str(k): (v if isinstance(v, (str, int, float, bool)) else (v.get("version") if isinstance(v, dict) else v))
             for k, v in cfg.tools.items()}
    install = gha.get_input("install", "true")
    if install.lower() == "true" and tools:
        setup.note(f"mise install skipped: {len(tools)} tool(s) of the config are not installed; the image's tools are used")
    setup.record(
        "mise",
        gha.get_input("version") or "",
        requested=gha.get_input("version") or None,
        install=install,
        install_args=gha.get_input("install_args") or None,
        cache=gha.get_input("cache", "true"),
        working_directory=os.path.relpath(workdir, ws),
        config_files=[os.path.relpath(f, ws) for f in cfg.files],
        tools=tools,
        tasks=sorted(cfg.tasks),
        env_exported=exported,
    )
    gha.set_output("cache-hit", False)
    return 0


if __name__ == "__main__":
    gha.main(run)
