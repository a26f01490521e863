"""actspec shim of actions/setup-go: records the request, exposes the image's go, caches its module and build caches (see README.md)."""

from __future__ import annotations

import json
import os
import re

from actspec_shim import cache as toolkit_cache
from actspec_shim import gha, setup
from ghrules import actions_glob

STATE_KEY = "CACHE_KEY"
STATE_MATCHED = "CACHE_RESULT"
STATE_PATHS = "CACHE_PATHS"


def parse_version_file(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as fh:
        contents = fh.read()
    name = os.path.basename(path)
    if name in ("go.mod", "go.work"):
        if os.environ.get("GOTOOLCHAIN") != "local":
            match = re.search(r"^toolchain go(1\.\d+(?:\.\d+|rc\d+)?)", contents, re.M)
            if match:
                return match.group(1)
        match = re.search(r"^go (\d+(?:\.\d+)*)", contents, re.M)
        return match.group(1) if match else ""
    if name == ".tool-versions":
        match = re.search(r"^golang\s+([^\n#]+)", contents, re.M)
        return match.group(1).strip() if match else ""
    return contents.strip()


def dependency_files(cache_dependency_path: str) -> tuple[list[str], str | None]:
    """The files that would key setup-go's cache, and the real action's complaint if any."""
    ws = gha.workspace()
    if not cache_dependency_path:
        if not os.path.isfile(os.path.join(ws, "go.sum")):
            return [], f"Dependencies file is not found in {ws}. Supported file pattern: go.sum"
        return [os.path.join(ws, "go.sum")], None
    files = actions_glob.find_files(actions_glob.parse_patterns(cache_dependency_path, ws), include_hidden=True)
    if not files:
        return [], "Some specified paths were not resolved, unable to cache dependencies."
    return files, None


def image_os(os_release: str = "/etc/os-release") -> str:
    """The runner image's name for the key's ``ImageOS`` part: ``<ID><major VERSION_ID>``
    from ``os_release`` (``debian12`` for the kit's image), "" when the file says neither.

    The real action puts ``$ImageOS`` there, which names the runner image a job runs on.
    act's ``ImageOS`` cannot be used: it derives the value from the job's ``runs-on`` label,
    and for a label read from the matrix (``runs-on: ${{ matrix.os }}``) it evaluates the
    job that all legs share in place, so every leg gets the label of whichever leg came
    first, a different one from run to run (docs/fidelity.md F16): the same leg would look
    for another key in the pull request than the one it saved on main.  Every leg runs in
    the kit's one image (F5), so the image's own name is the faithful value.
    """
    try:
        with open(os_release, encoding="utf-8") as fh:
            fields = dict(line.rstrip("\n").split("=", 1) for line in fh if "=" in line)
    except OSError:
        return ""
    name = fields.get("ID", "").strip('"')
    version = fields.get("VERSION_ID", "").strip('"').split(".")[0]
    return f"{name}{version}"


def cache_key(version: str, dep_files: list[str]) -> str:
    """setup-go's primary key: ``setup-go-<RUNNER_OS>-<arch>-<ImageOS>-go-<version>-<hash of the
    dependency files>``, the ImageOS part naming the image (:func:`image_os`).

    There are no restore keys: setup-go restores only an exact match.
    """
    runner_os = os.environ.get("RUNNER_OS", "Linux")
    image = image_os() if runner_os == "Linux" else ""
    return f"setup-go-{runner_os}-x64-{image + '-' if image else ''}go-{version}-{actions_glob.hash_file_list(dep_files)}"


def restore_cache(version: str, dep_files: list[str], goenv: dict[str, str]) -> bool:
    """Restore GOMODCACHE and GOCACHE under setup-go's key; the post step saves them on a miss."""
    paths = [p for p in (goenv.get("GOMODCACHE"), goenv.get("GOCACHE")) if p]
    key = cache_key(version, dep_files)
    gha.save_state(STATE_KEY, key)
    gha.save_state(STATE_PATHS, json.dumps(paths))
    found = toolkit_cache.restore(paths, key)
    if found is None:
        gha.info("Cache is not found")
        return False
    gha.save_state(STATE_MATCHED, found.key)
    gha.info(f"Cache restored from key: {found.key} ({found.files} files)")
    return found.exact


def run() -> int:
    version = gha.get_input("go-version")
    version_file = gha.get_input("go-version-file")
    from_file = None
    if version and version_file:
        gha.warning("Both go-version and go-version-file inputs are specified, only go-version will be used")
    if not version and version_file:
        if not os.path.exists(setup.resolve(version_file)):
            gha.fail(f"The specified go version file at: {version_file} does not exist")
        from_file = parse_version_file(setup.resolve(version_file))
        version = from_file
    gha.export_variable("GOTOOLCHAIN", "local")
    cache = gha.get_bool_input("cache", True)
    gha.info(f"Setup go version spec {version}")

    go = setup.which("go")
    if not go:
        gha.fail("actspec: the runner image has no go on PATH")
    raw = setup.command_output([go, "version"]).strip()
    parts = raw.split(" ")
    provided = parts[2][2:] if len(parts) > 2 and parts[2].startswith("go") else None
    if version:
        setup.note(f"setup-go installs nothing here: go {version} was requested, the image's go {provided} is used")
    try:
        goenv = json.loads(setup.command_output([go, "env", "-json"]) or "{}")
    except ValueError:
        goenv = {}
    gopath = goenv.get("GOPATH") or os.path.join(os.path.expanduser("~"), "go")
    os.makedirs(os.path.join(gopath, "bin"), exist_ok=True)
    gha.add_path(os.path.join(gopath, "bin"))

    dep_files: list[str] = []
    cache_problem = None
    cache_path_input = gha.get_input("cache-dependency-path")
    if cache:
        dep_files, cache_problem = dependency_files(cache_path_input)
        if cache_problem:
            gha.warning(f"Restore cache failed: {cache_problem}")
    cache_hit = bool(cache and dep_files) and restore_cache(provided or version or "", dep_files, goenv)
    gha.info(raw)

    ws = gha.workspace()
    setup.record(
        "go",
        version or "",
        requested=version or None,
        version_file=version_file or None,
        version_from_file=from_file,
        provided=provided,
        matches=setup.version_matches(version, provided),
        cache=cache,
        cache_dependency_path=gha.get_multiline_input("cache-dependency-path"),
        dependency_files=[os.path.relpath(f, ws) for f in dep_files],
        cache_problem=cache_problem,
        check_latest=gha.get_input("check-latest", "false"),
        architecture=gha.get_input("architecture") or None,
    )
    gha.set_output("go-version", provided or "")
    gha.set_output("cache-hit", cache_hit)
    gha.set_output("go-path", gopath)
    gha.set_output("go-root", goenv.get("GOROOT", ""))
    gha.set_output("go-cache", goenv.get("GOCACHE", ""))
    gha.set_output("go-mod-cache", goenv.get("GOMODCACHE", ""))
    return 0


if __name__ == "__main__":
    gha.main(run)
