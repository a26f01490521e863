"""actspec shim of actions/setup-python: records the request, exposes the image's python3.

It does NOT install other Python versions: whatever ``python-version`` asks for, later
steps get the image's python3 (also reachable as ``python`` and ``pip``).  See README.md.
"""

from __future__ import annotations

import os
import re
import sys

from actspec_shim import gha, setup
from ghrules import actions_glob

CACHE_PATTERNS = {
    "pip": ["**/requirements.txt", "**/pyproject.toml"],
    "pipenv": ["**/Pipfile.lock"],
    "poetry": ["**/poetry.lock"],
}


def versions_from_file(path: str) -> list[str]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    name = os.path.basename(path)
    if name == "pyproject.toml":
        match = re.search(r"^\s*requires-python\s*=\s*[\"']([^\"']+)[\"']", text, re.M)
        return [match.group(1).strip()] if match else []
    if name == ".tool-versions":
        match = re.search(r"^python\s+([^\n#]+)", text, re.M)
        return match.group(1).split() if match else []
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def run() -> int:
    requested = gha.get_multiline_input("python-version")
    version_file = gha.get_input("python-version-file")
    if requested and version_file:
        gha.warning("Both python-version and python-version-file inputs are specified, only python-version will be used.")
    elif not requested and version_file:
        path = setup.resolve(version_file)
        if not os.path.exists(path):
            gha.fail(f"The specified python version file at: {path} doesn't exist.")
        requested = versions_from_file(path)
    elif not requested:
        gha.warning(
            "Neither 'python-version' nor 'python-version-file' inputs were supplied. "
            "Attempting to find '.python-version' file."
        )
        path = setup.resolve(".python-version")
        if os.path.exists(path):
            requested = versions_from_file(path)
        else:
            gha.warning(".python-version doesn't exist.")

    python = setup.which("python3") or sys.executable
    provided = setup.first_version(setup.command_output([python, "--version"]))
    if requested:
        setup.note(
            f"setup-python installs nothing here: python {', '.join(requested)} was requested, "
            f"the image's python {provided} is used"
        )

    bindir = setup.bin_dir("python")
    setup.link(bindir, "python", python)
    setup.link(bindir, "python3", python)
    pip = setup.which("pip3")
    if pip:
        setup.link(bindir, "pip", pip)
        setup.link(bindir, "pip3", pip)
    if gha.get_bool_input("update-environment", True):
        prefix = os.path.dirname(os.path.dirname(os.path.realpath(python)))
        for name in ("pythonLocation", "Python_ROOT_DIR", "Python3_ROOT_DIR"):
            gha.export_variable(name, prefix)
        gha.export_variable("PKG_CONFIG_PATH", os.path.join(prefix, "lib", "pkgconfig"))
    # a setup-python interpreter accepts `pip install`; Debian's is "externally managed"
    gha.export_variable("PIP_BREAK_SYSTEM_PACKAGES", "1")

    cache = gha.get_input("cache")
    dep_files: list[str] = []
    if cache:
        if cache not in CACHE_PATTERNS:
            gha.fail(f"Caching for '{cache}' is not supported")
        dep_input = gha.get_input("cache-dependency-path")
        patterns = dep_input.splitlines() if dep_input else CACHE_PATTERNS[cache]
        cwd = os.getcwd()
        dep_files = actions_glob.find_files(actions_glob.parse_patterns(patterns, cwd), include_hidden=True)
        if not dep_files:
            gha.fail(
                f"No file in {cwd} matched to [{','.join(p.strip() for p in patterns if p.strip())}], "
                "make sure you have checked out the target repository"
            )
        setup.note(f"no {cache} cache is restored or saved")

    ws = gha.workspace()
    setup.record(
        "python",
        ", ".join(requested),
        requested=requested,
        version_file=version_file or None,
        provided=provided,
        matches=setup.all_match(requested, provided),
        cache=cache or None,
        dependency_files=[os.path.relpath(f, ws) for f in dep_files],
        architecture=gha.get_input("architecture") or None,
        allow_prereleases=gha.get_input("allow-prereleases", "false"),
        freethreaded=gha.get_input("freethreaded", "false"),
    )
    gha.set_output("python-version", provided or "")
    gha.set_output("python-path", os.path.join(bindir, "python"))
    gha.set_output("cache-hit", False)
    return 0


if __name__ == "__main__":
    gha.main(run)
