"""Rust toolchain "setup" shared by the dtolnay/rust-toolchain and setup-rust-toolchain shims.

Nothing is installed.  The requested toolchain, components and targets are recorded in a
``setup.rust`` ledger entry next to what the image provides; later steps use the image's
rustc/cargo.  When the image has no ``rustup``, a stand-in (``rustup_standin.py``) is put on
PATH so that the common ``rustup default stable`` / ``rustup component add`` lines of a
workflow still run (they change nothing).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from typing import Any

from actspec_shim import gha, setup

TOOLCHAIN = re.compile(
    r"^(stable|beta|nightly|\d+\.\d+(\.\d+)?)(-\d{4}-\d{2}-\d{2})?(-[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+(-[a-z0-9_]+)?)?$"
)
HOST = "x86_64-unknown-linux-gnu"
COMPONENT_PROBES = {
    "rustfmt": [["cargo", "fmt", "--version"], ["rustfmt", "--version"]],
    "clippy": [["cargo", "clippy", "--version"], ["cargo-clippy", "--version"]],
    "cargo": [["cargo", "--version"]],
    "rustc": [["rustc", "--version"]],
    "rust-std": [["rustc", "--version"]],
    "rust-docs": [],
    "rust-analyzer": [["rust-analyzer", "--version"]],
    "rust-src": [],
    "llvm-tools": [],
    "llvm-tools-preview": [],
}


def split_list(text: str) -> list[str]:
    return [p for p in re.split(r"[\s,]+", text or "") if p]


def _probe(args: list[str]) -> bool:
    exe = shutil.which(args[0])
    if not exe:
        return False
    out = setup.command_output([exe, *args[1:]])
    return bool(re.search(r"\d+\.\d+", out)) and "no such" not in out.lower() and "not installed" not in out.lower()


def component_available(name: str) -> bool | None:
    """True/False when the image can be probed for the component, None when it cannot."""
    probes = COMPONENT_PROBES.get(name.removesuffix("-preview"), COMPONENT_PROBES.get(name))
    if not probes:
        return None
    return any(_probe(p) for p in probes)


def install_rustup_standin() -> str | None:
    """Put the rustup stand-in on PATH when the image has no rustup; its path, or None."""
    if shutil.which("rustup"):
        return None
    bindir = setup.bin_dir("rustup")
    target = os.path.join(bindir, "rustup")
    shutil.copyfile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rustup_standin.py"), target)
    os.chmod(target, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    return target


def rustc_facts() -> dict[str, str]:
    out = setup.command_output(["rustc", "-vV"]) if shutil.which("rustc") else ""
    facts: dict[str, str] = {}
    for line in out.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            facts[key.strip()] = value.strip()
    return facts


def setup_toolchain(toolchain: str, components: list[str], targets: list[str], *, source: str,
                    extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Record the request, expose the image's toolchain; returns facts for the outputs."""
    facts = rustc_facts()
    provided = facts.get("release")
    date = facts.get("commit-date", "")
    commit = facts.get("commit-hash", "")
    cachekey = (date.replace("-", "") + commit[:4]) if date and commit else ""

    missing = [c for c in components if component_available(c) is False]
    unknown = [c for c in components if component_available(c) is None]
    standin = install_rustup_standin()
    home = os.environ.get("CARGO_HOME") or os.path.join(os.path.expanduser("~"), ".cargo")
    gha.add_path(os.path.join(home, "bin"))

    if toolchain:
        setup.note(f"rust toolchain {toolchain} requested; the image's rustc {provided} is used (nothing installed)")
    if missing:
        setup.note(f"the runner image has no {', '.join(missing)}; steps that need them will fail")
    if targets:
        setup.note(f"targets {', '.join(targets)} are not installed (only the image's host target {HOST})")
    if standin:
        setup.note(f"the image has no rustup; a stand-in that changes nothing is at {standin}")

    matches = setup.version_matches(toolchain, provided) if re.match(r"^\d", toolchain or "") else None
    details: dict[str, Any] = {
        "toolchain": toolchain,
        "toolchain_from": source,
        "components": components,
        "targets": targets,
        "provided": provided,
        "matches": matches,
        "missing_components": missing,
        "unchecked_components": unknown,
        "rustup": "stand-in" if standin else ("image" if shutil.which("rustup") else None),
    }
    details.update(extra or {})
    setup.record("rust", toolchain, **details)
    return {"provided": provided or "", "cachekey": cachekey, "host": facts.get("host", HOST)}


def export_if_unset(name: str, value: str) -> None:
    if not os.environ.get(name):
        gha.export_variable(name, value)
