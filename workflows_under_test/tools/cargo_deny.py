#!/usr/bin/env python3
"""Offline license, source and advisory check of the Rust workspace.

A stand-in for cargo-deny (not available offline).

    python3 tools/cargo_deny.py [crates]

Reads ``crates/deny.toml`` (policy), ``crates/Cargo.toml`` and its members' manifests,
and ``crates/Cargo.lock``, and fails when:

* a workspace crate has no license, or one outside ``[licenses] allow``;
* ``Cargo.lock`` is missing or does not list a workspace member;
* a locked third-party crate comes from a source outside ``[sources] allow-registry``,
  or is not vetted in ``[bans] vetted`` (name + allowed license);
* a locked crate matches a ``[[advisories.known]]`` entry.

Python stdlib only (tomllib: Python 3.11+).
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    sys.exit("error: tools/cargo_deny.py needs Python 3.11+ (tomllib)")


def _load(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SystemExit(f"error: {path}: {exc}")


def _version_tuple(version: str) -> tuple[int, ...]:
    core = version.split("+")[0].split("-")[0]
    return tuple(int(part) for part in core.split("."))


def _licenses_ok(expr: str, allow: set[str]) -> bool:
    # Simple SPDX: "A", "A OR B", "A/B" (any allowed alternative is enough).
    alternatives = [a.strip(" ()") for a in expr.replace("/", " OR ").split(" OR ")]
    return any(a in allow for a in alternatives if a)


def check(crates: Path) -> list[str]:
    problems: list[str] = []
    policy = _load(crates / "deny.toml")
    allow = set(policy.get("licenses", {}).get("allow", []))
    registries = set(policy.get("sources", {}).get("allow-registry", []))
    vetted = {c["name"]: c for c in policy.get("bans", {}).get("vetted", [])}
    advisories = policy.get("advisories", {}).get("known", [])

    workspace = _load(crates / "Cargo.toml")
    shared = workspace.get("workspace", {}).get("package", {})
    members: dict[str, str] = {}
    for member in workspace.get("workspace", {}).get("members", []):
        manifest = _load(crates / member / "Cargo.toml")
        package = manifest.get("package", {})
        name = package.get("name", member)
        license_ = package.get("license")
        if isinstance(license_, dict) and license_.get("workspace"):
            license_ = shared.get("license")
        if not license_:
            problems.append(f"{name}: no license")
        elif not _licenses_ok(license_, allow):
            problems.append(f"{name}: license {license_!r} is not allowed")
        members[name] = member
        for table in ("dependencies", "build-dependencies", "dev-dependencies"):
            for dep, spec in (manifest.get(table) or {}).items():
                if isinstance(spec, dict) and "git" in spec:
                    problems.append(f"{name}: git dependency {dep} is not allowed")

    lock_path = crates / "Cargo.lock"
    if not lock_path.is_file():
        return problems + [f"{lock_path}: missing (commit Cargo.lock)"]
    packages = _load(lock_path).get("package", [])
    locked = {p["name"] for p in packages}
    for name in members:
        if name not in locked:
            problems.append(f"Cargo.lock: workspace crate {name} missing (stale lock?)")
    for pkg in packages:
        name, version, source = pkg["name"], pkg["version"], pkg.get("source")
        if source is not None:
            if source not in registries:
                problems.append(f"{name} {version}: source {source} is not allowed")
            if name not in vetted:
                problems.append(f"{name} {version}: third-party crate not vetted")
            elif not _licenses_ok(vetted[name].get("license", ""), allow):
                problems.append(f"{name} {version}: license is not allowed")
        for adv in advisories:
            below = adv.get("vulnerable-below")
            if adv.get("package") == name and below:
                if _version_tuple(version) < _version_tuple(below):
                    problems.append(f"{name} {version}: {adv['id']} (fixed in {below})")
    return problems


def main(argv: list[str]) -> int:
    crates = Path(
        argv[0] if argv else Path(__file__).resolve().parent.parent / "crates"
    )
    problems = check(crates)
    for problem in problems:
        print(f"error: {problem}")
    if problems:
        return 1
    print(f"licenses ok, sources ok, advisories ok ({crates})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
