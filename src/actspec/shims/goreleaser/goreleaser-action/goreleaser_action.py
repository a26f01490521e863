"""actspec shim of goreleaser/goreleaser-action: runs the kit's real, pinned goreleaser.

The real action downloads goreleaser; here it is the binary provisioning built from the Go
module (read-only mount, ``actspec_shim.setup.TOOLS``).  What the shim adds is only where
GitHub is: goreleaser reads GitHub's addresses from its configuration's ``github_urls``, so
the shim hands it a copy of the repository's configuration with ``github_urls`` pointing at
the kit's mock GitHub (``$GITHUB_API_URL``, laid out as GitHub Enterprise serves it:
``api/v3/`` and ``api/uploads/``).  The copy keeps the repository's text and line numbers,
so goreleaser's own messages about it stay true; the repository is not edited.  See README.md.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from typing import Any

import yaml

from actspec_shim import gha, setup

CONFIG_NAMES = (".config/goreleaser.yml", ".config/goreleaser.yaml", ".goreleaser.yml", ".goreleaser.yaml",
                "goreleaser.yml", "goreleaser.yaml")
CONFIG_FLAGS = ("-f", "--config")
# Commands that read the configuration (``goreleaser check`` too: it validates the copy).
WITH_CONFIG = ("release", "build", "check", "healthcheck", "changelog")
# Offline runs: goreleaser's ``go build`` may download neither modules nor a Go toolchain.
GO_ENV = {"GOPROXY": "off", "GOTOOLCHAIN": "local"}
# The kit's session Go build cache (a read-write mount, ``ActInvocation.go_cache_mount``).
GO_CACHE = os.environ.get("ACTSPEC_GO_CACHE", "/opt/actspec/go-build-cache")


def github_urls(api_url: str) -> dict[str, Any]:
    base = api_url.rstrip("/")
    return {"api": f"{base}/api/v3/", "upload": f"{base}/api/uploads/", "download": f"{base}/",
            "skip_tls_verify": False}


def find_config(args: list[str], workdir: str) -> tuple[int | None, str | None]:
    """(index of the config flag's value in ``args`` or None, the config path or None)."""
    for i, arg in enumerate(args):
        if arg in CONFIG_FLAGS and i + 1 < len(args):
            return i + 1, os.path.join(workdir, args[i + 1])
        for flag in CONFIG_FLAGS:
            if arg.startswith(flag + "="):
                args[i:i + 1] = [flag, arg[len(flag) + 1:]]
                return i + 1, os.path.join(workdir, args[i + 1])
    found = next((os.path.join(workdir, n) for n in CONFIG_NAMES if os.path.isfile(os.path.join(workdir, n))), None)
    return None, found


def pointed_at_the_mock(path: str, urls: dict[str, Any]) -> str:
    """A copy of the configuration at ``path`` whose ``github_urls`` are the mock's.

    Without ``github_urls`` the block is appended to the repository's text (line numbers
    stay); with one, the parsed configuration is written back with it replaced (noted in
    the log).  Text that is not a YAML mapping is copied as it is, for goreleaser to judge.
    """
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict) and "github_urls" in data:
        setup.note(f"{os.path.basename(path)} sets github_urls; the copy goreleaser reads points at the kit's mock GitHub")
        data["github_urls"] = urls
        text = yaml.safe_dump(data, sort_keys=False)
    elif isinstance(data, dict):
        block = yaml.safe_dump({"github_urls": urls}, sort_keys=False)
        text = text + ("" if text.endswith("\n") else "\n") + "# added by actspec: GitHub is the kit's mock\n" + block
    out_dir = os.path.join(gha.temp_dir(), "actspec-goreleaser")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, os.path.basename(path))
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text)
    return out


def dist_dir(config: str | None, workdir: str) -> str:
    try:
        with open(config or "", encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError):
        data = None
    dist = data.get("dist") if isinstance(data, dict) else None
    return os.path.join(workdir, dist or "dist")


def set_outputs(dist: str) -> None:
    """``artifacts`` and ``metadata``: goreleaser's own ``dist/*.json``, as the real action reads them."""
    for name in ("artifacts", "metadata"):
        path = os.path.join(dist, f"{name}.json")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                gha.set_output(name, json.dumps(json.load(fh)))


def run() -> int:
    distribution = gha.get_input("distribution", "goreleaser")
    if distribution != "goreleaser":
        gha.fail(f"actspec: only goreleaser (OSS) is provisioned, not {distribution}")
    bindir = setup.tool_bin("goreleaser")
    exe = os.path.join(bindir, "goreleaser")
    gha.add_path(bindir)
    provided = setup.first_version(setup.command_output([exe, "--version"]))
    requested = gha.get_input("version", "~> v2")
    gha.info(f"actspec: goreleaser {provided} at {exe} (requested {requested})")
    if gha.get_bool_input("install-only", False):
        return 0

    workdir = setup.resolve(os.path.join(gha.workspace(), gha.get_input("workdir", ".")))
    args = shlex.split(gha.get_input("args"))
    config: str | None = None
    if args and args[0] in WITH_CONFIG:
        index, config = find_config(args, workdir)
        if config is not None and os.path.isfile(config):
            copy = pointed_at_the_mock(config, github_urls(os.environ["GITHUB_API_URL"]))
            if index is None:
                args += ["--config", copy]
            else:
                args[index] = copy
    env = {**os.environ, **GO_ENV}
    if os.path.isdir(GO_CACHE):
        env["GOCACHE"] = GO_CACHE
        gha.info(f"actspec: goreleaser's go builds use the kit's session build cache {GO_CACHE}")
    gha.info(f"actspec: goreleaser {shlex.join(args)}")
    proc = subprocess.run([exe, *args], cwd=workdir, env=env)
    set_outputs(dist_dir(config, workdir))
    if proc.returncode != 0:
        gha.fail(f"goreleaser failed with exit code {proc.returncode}", proc.returncode)
    return 0


if __name__ == "__main__":
    gha.main(run)
