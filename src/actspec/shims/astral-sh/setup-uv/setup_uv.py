"""actspec shim of astral-sh/setup-uv: puts the kit's real, pinned uv on PATH, offline, and
restores uv's cache from the kit's cache service as the real action does.

The real action downloads uv; here uv and uvx are the binaries provisioning took from uv's
PyPI wheel (read-only mount, ``actspec_shim.setup.TOOLS``).  Later steps get ``UV_OFFLINE=1``
and ``UV_PYTHON_DOWNLOADS=never`` (settings uv honours): a run may reach loopback only, so
uv uses no index and downloads no Python.  With the cache on, ``UV_CACHE_DIR`` is the
action's cache folder, restored here under setup-uv's key and saved by ``post.py``.
See README.md.
"""

from __future__ import annotations

import os
import subprocess

from actspec_shim import cache as toolkit_cache
from actspec_shim import gha, setup
from ghrules import actions_glob

# Exported to later steps: no package index, no Python downloads (a run reaches loopback only).
OFFLINE = {"UV_OFFLINE": "1", "UV_PYTHON_DOWNLOADS": "never"}

# setup-uv v6's own defaults for the inputs that shape its cache.
DEFAULT_DEPENDENCY_GLOB = ("**/*requirements*.txt\n**/*requirements*.in\n**/*constraints*.txt\n"
                           "**/*constraints*.in\n**/pyproject.toml\n**/uv.lock\n**/*.py.lock")
CACHE_VERSION = "1"
STATE_KEY = "cache-key"
STATE_MATCHED = "cache-matched-key"
STATE_PATH = "cache-path"


def cache_enabled(value: str) -> bool:
    """``enable-cache``: ``auto`` (the default) is on exactly on GitHub-hosted runners, which
    GitHub marks with ``RUNNER_ENVIRONMENT=github-hosted`` (the kit sets it for every job)."""
    if value == "auto":
        return os.environ.get("RUNNER_ENVIRONMENT") == "github-hosted"
    return value == "true"


def cache_local_path() -> str:
    """``cache-local-path``, by default ``setup-uv-cache`` in the runner's temp folder."""
    return gha.get_input("cache-local-path") or os.path.join(gha.temp_dir(), "setup-uv-cache")


def python_for_key(uv: str, python_version: str, workdir: str) -> str:
    """The Python version in the key: the ``python-version`` input, else what ``uv python find``
    finds in the working directory (its ``--version``), else ``unknown``."""
    if python_version:
        return python_version
    found = setup.command_output([uv, "python", "find", "--directory", workdir]).strip().splitlines()
    if found and os.path.isfile(found[-1]):
        version = setup.first_version(setup.command_output([found[-1], "--version"]))
        if version:
            return version
    return "unknown"


def cache_key(python: str, patterns: list[str], prune: bool) -> str:
    """setup-uv's primary key: ``setup-uv-1-<arch>-<platform>-<python>[-pruned]-<hash of the
    dependency files, or no-dependency-glob>[-<cache-suffix>]``.  There are no restore keys:
    setup-uv restores only this exact key."""
    digest = actions_glob.hash_files(patterns, gha.workspace()) if patterns else ""
    if patterns and not digest:
        gha.warning(f"No file matched to [{','.join(patterns)}]. The cache will never get invalidated. Make sure you "
                    "have checked out the target repository and configured the cache-dependency-glob input correctly.")
    suffix = gha.get_input("cache-suffix")
    return (f"setup-uv-{CACHE_VERSION}-x86_64-unknown-linux-gnu-{python}{'-pruned' if prune else ''}"
            f"-{digest or 'no-dependency-glob'}{'-' + suffix if suffix else ''}")


def restore_cache(key: str, path: str) -> bool:
    """Restore uv's cache folder under ``key`` (exact match only); the post step saves on a miss."""
    gha.save_state(STATE_KEY, key)
    gha.save_state(STATE_PATH, path)
    gha.set_output("cache-key", key)
    if not gha.get_bool_input("restore-cache", True):
        gha.info("restore-cache is false. Skipping restore cache step.")
        return False
    gha.info(f"Trying to restore uv cache from GitHub Actions cache with key: {key}")
    found = toolkit_cache.restore([path], key)
    if found is None:
        gha.info(f"No GitHub Actions cache found for key: {key}")
        return False
    gha.save_state(STATE_MATCHED, found.key)
    gha.info(f"uv cache restored from GitHub Actions cache with key: {found.key} ({found.files} files)")
    return True


def run() -> int:
    requested = gha.get_input("version")
    version_file = gha.get_input("version-file")
    python_version = gha.get_input("python-version")
    workdir = gha.get_input("working-directory") or gha.workspace()
    activate = gha.get_bool_input("activate-environment", False)
    enable_cache = gha.get_input("enable-cache", "auto")
    cache = cache_enabled(enable_cache)

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

    cache_path = cache_local_path() if cache or gha.get_input("cache-local-path") else ""
    if cache_path:
        gha.export_variable("UV_CACHE_DIR", cache_path)
        os.environ["UV_CACHE_DIR"] = cache_path

    venv = ""
    if activate:
        venv = os.path.join(workdir, ".venv")
        args = [uv, "venv", venv] + (["--python", python_version] if python_version else [])
        proc = subprocess.run(args, cwd=workdir)
        if proc.returncode != 0:
            gha.fail(f"uv venv failed with exit code {proc.returncode}")
        gha.export_variable("VIRTUAL_ENV", venv)
        gha.add_path(os.path.join(venv, "bin"))

    key, cache_hit = "", False
    glob = gha.get_input("cache-dependency-glob") or DEFAULT_DEPENDENCY_GLOB
    patterns = [p.strip() for p in glob.splitlines() if p.strip()]
    if cache:
        python = python_for_key(uv, python_version, workdir)
        key = cache_key(python, patterns, gha.get_bool_input("prune-cache", True))
        cache_hit = restore_cache(key, cache_path)

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
        cache=cache,
        cache_key=key or None,
        cache_local_path=cache_path or None,
        cache_dependency_glob=patterns,
        cache_suffix=gha.get_input("cache-suffix") or None,
    )
    gha.set_output("uv-version", provided or "")
    gha.set_output("uv-path", uv)
    gha.set_output("uvx-path", uvx)
    gha.set_output("cache-hit", cache_hit)
    gha.set_output("python-version", python_version)
    gha.set_output("venv", venv)
    return 0


if __name__ == "__main__":
    gha.main(run)
