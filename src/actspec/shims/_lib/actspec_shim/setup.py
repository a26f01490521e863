"""Helpers of the setup-* shims: they install nothing, they record what was asked and expose
the tools already in the runner image, or the real tools the kit provisioned (:data:`TOOLS`).

Each records one ledger entry ``setup.<tool>`` (subject: the requested version, or ``""``)
whose details say what was requested, what the image provides (``provided``) and whether
they agree (``matches``: ``None`` when there was nothing to compare).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import Any

from actspec_shim import gha, kit


# The kit's pinned real tools (mise, uv, goreleaser), each in ``<TOOLS>/<tool>/bin``: a
# read-only mount of the provisioned ``.tools/runner`` (the runner's ``tools_mount``).
TOOLS = os.environ.get("ACTSPEC_TOOLS", "/opt/actspec/tools")


def tool_bin(tool: str) -> str:
    """The folder holding the provisioned ``tool``; fails the step when the kit has none."""
    folder = os.path.join(TOOLS, tool, "bin")
    if not os.path.isfile(os.path.join(folder, tool)):
        gha.fail(f"actspec: {tool} is not provisioned at {folder}: run `make setup` on the host")
    return folder


def record(tool: str, subject: str, **details: Any) -> None:
    kit.record(f"setup.{tool}", subject, details)


def which(cmd: str) -> str | None:
    return shutil.which(cmd)


def command_output(args: list[str]) -> str:
    """stdout+stderr of ``args`` (``""`` when the command is missing or fails to start)."""
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (proc.stdout or "") + (proc.stderr or "")


def first_version(text: str) -> str | None:
    match = re.search(r"(\d+\.\d+(?:\.\d+)?(?:[-.+][0-9A-Za-z.-]+)?)", text)
    return match.group(1) if match else None


def version_matches(requested: str | None, provided: str | None) -> bool | None:
    """Does ``provided`` satisfy ``requested`` (``1.22``, ``1.22.x``, ``>=1.21``, ``^1.2``, ``stable``...)?

    Only a plain version prefix is compared (``1.22`` matches ``1.22.5``); anything else --
    ranges, aliases such as ``stable`` or ``latest`` -- answers ``None`` (not judged).
    """
    if not requested or not provided:
        return None
    req = requested.strip().lstrip("v")
    req = re.sub(r"(\.[x*])+$", "", req)
    if not re.fullmatch(r"\d+(\.\d+)*", req):
        return None
    want = req.split(".")
    have = re.split(r"[.+-]", provided.lstrip("v"))
    return have[: len(want)] == want


def all_match(requested: list[str], provided: str | None) -> bool | None:
    """:func:`version_matches` over several requests: False if any differs, None if any is not judged."""
    results = [version_matches(r, provided) for r in requested]
    if not results or any(r is None for r in results):
        return None
    return all(results)


def bin_dir(name: str) -> str:
    """A fresh directory ``$RUNNER_TEMP/actspec-<name>/bin``, put on PATH for later steps."""
    path = os.path.join(gha.temp_dir(), f"actspec-{name}", "bin")
    os.makedirs(path, exist_ok=True)
    gha.add_path(path)
    return path


def link(directory: str, name: str, target: str) -> str:
    path = os.path.join(directory, name)
    if os.path.lexists(path):
        os.unlink(path)
    os.symlink(target, path)
    return path


def note(message: str) -> None:
    """An ``actspec:`` line in the step log saying what the shim did not do."""
    gha.info(f"actspec: {message}")


def resolve(path: str) -> str:
    return os.path.normpath(os.path.join(gha.workspace(), os.path.expanduser(path)))
