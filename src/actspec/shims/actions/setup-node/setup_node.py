"""actspec shim of actions/setup-node: records the request, exposes the image's node (see README.md)."""

from __future__ import annotations

import json
import os
import re
import urllib.parse

from actspec_shim import gha, setup


def version_from_file(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    name = os.path.basename(path)
    if name == "package.json":
        try:
            data = json.loads(text)
        except ValueError:
            return ""
        return str((data.get("volta") or {}).get("node") or (data.get("engines") or {}).get("node") or "")
    if name == ".tool-versions":
        match = re.search(r"^(?:nodejs|node)\s+([^\n#]+)", text, re.M)
        return match.group(1).strip() if match else ""
    return text.strip().lstrip("v")


def write_npmrc(registry: str, scope: str) -> None:
    if not registry.endswith("/"):
        registry += "/"
    npmrc = os.environ.get("NPM_CONFIG_USERCONFIG") or os.path.join(gha.temp_dir(), ".npmrc")
    if not scope and registry.startswith("https://npm.pkg.github.com"):
        scope = os.environ.get("GITHUB_REPOSITORY_OWNER", "")
    if scope and not scope.startswith("@"):
        scope = "@" + scope
    host = urllib.parse.urlsplit(registry)
    auth = f"//{host.netloc}{host.path}:_authToken=${{NODE_AUTH_TOKEN}}"
    registry_line = f"{scope.lower() + ':' if scope else ''}registry={registry}"
    with open(npmrc, "w", encoding="utf-8") as fh:
        fh.write(auth + "\n" + registry_line + "\n")
    gha.export_variable("NPM_CONFIG_USERCONFIG", npmrc)
    gha.export_variable("NODE_AUTH_TOKEN", os.environ.get("NODE_AUTH_TOKEN", "XXXXX-XXXXX-XXXXX-XXXXX"))


def run() -> int:
    requested = gha.get_input("node-version")
    version_file = gha.get_input("node-version-file")
    if requested and version_file:
        gha.warning("Both node-version and node-version-file inputs are specified, only node-version will be used")
    elif version_file:
        path = setup.resolve(version_file)
        if not os.path.exists(path):
            gha.fail(f"The specified node version file at: {path} does not exist")
        requested = version_from_file(path)
    node = setup.which("node")
    provided = setup.first_version(setup.command_output([node, "--version"])) if node else None
    if requested:
        setup.note(f"setup-node installs nothing here: node {requested} was requested, the image's node {provided} is used")
    registry = gha.get_input("registry-url")
    if registry:
        write_npmrc(registry, gha.get_input("scope"))
    setup.record(
        "node",
        requested or "",
        requested=requested or None,
        version_file=version_file or None,
        provided=provided,
        matches=setup.version_matches(requested, provided),
        registry_url=registry or None,
        cache=gha.get_input("cache") or None,
        cache_dependency_path=gha.get_multiline_input("cache-dependency-path"),
    )
    gha.set_output("node-version", f"v{provided}" if provided else "")
    gha.set_output("cache-hit", False)
    return 0


if __name__ == "__main__":
    gha.main(run)
