#!/usr/bin/env python3
"""Package versions for every artifact of the repository.

``crates/Cargo.toml`` is the single source of truth (lockstep versioning): its
``[workspace.package]`` (or ``[package]``) ``version`` is a semver string, used as is by
the coglet crate and the CLI, and converted to PEP 440 for the Python packages (cog SDK
and coglet wheel).  This module is the only implementation of that conversion: the SDK
build (python/setup.py), the coglet wheel build (crates/coglet/build_wheel.py) and the
CLI release build (mise task ``build:cog:release``) all call it.

    semver              PEP 440
    0.17.0              0.17.0
    0.17.0-alpha3       0.17.0a3      (also accepted: 0.17.0-alpha.3)
    0.17.0-beta1        0.17.0b1
    0.17.0-rc1          0.17.0rc1
    0.17.0-dev1         0.17.0.dev1

Anything else (other pre-release labels, a missing number, build metadata, a leading
``v``) is rejected with a :class:`VersionError`.

Command line (python3 stdlib only, works with Python 3.10+)::

    tools/version.py                 # PEP 440 version from crates/Cargo.toml
    tools/version.py --semver        # the semver string from crates/Cargo.toml
    tools/version.py 0.17.0-alpha3   # convert the given semver: 0.17.0a3
    tools/version.py --check-tag v0.17.0   # exit 1 unless tag == v<version>
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CARGO_TOML = ROOT / "crates" / "Cargo.toml"

_SEMVER = re.compile(
    r"^(?P<release>(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*))"
    r"(?:-(?P<label>alpha|beta|rc|dev)\.?(?P<number>0|[1-9][0-9]*))?$"
)
_PEP440_LABEL = {"alpha": "a", "beta": "b", "rc": "rc", "dev": ".dev"}


class VersionError(ValueError):
    """A version string that is not one of the accepted semver forms."""


def semver_to_pep440(version: str) -> str:
    """Convert an accepted semver string to its PEP 440 spelling."""
    match = _SEMVER.match(version.strip()) if isinstance(version, str) else None
    if match is None:
        raise VersionError(
            f"unsupported version {version!r}: expected MAJOR.MINOR.PATCH optionally "
            "followed by -alphaN, -betaN, -rcN or -devN (e.g. 0.17.0, 0.17.0-alpha3, "
            "0.17.0-rc.1)"
        )
    release, label, number = match.group("release", "label", "number")
    if label is None:
        return release
    return f"{release}{_PEP440_LABEL[label]}{number}"


def read_cargo_version(path: Path | str = CARGO_TOML) -> str:
    """The ``version`` of ``[workspace.package]`` (preferred) or ``[package]``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise VersionError(f"cannot read {path}: {exc}") from exc
    found: dict[str, str] = {}
    section = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("["):
            section = line.strip("[] ")
            continue
        m = re.match(r'^version\s*=\s*"([^"]*)"$', line)
        if m and section in ("workspace.package", "package"):
            found.setdefault(section, m.group(1))
    for section in ("workspace.package", "package"):
        if section in found:
            return found[section]
    raise VersionError(f"{path}: no version in [workspace.package] or [package]")


def pep440_version(path: Path | str = CARGO_TOML) -> str:
    """PEP 440 version of the Python packages, from crates/Cargo.toml."""
    return semver_to_pep440(read_cargo_version(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", nargs="?", help="semver string to convert")
    parser.add_argument(
        "--cargo-toml", default=str(CARGO_TOML), help="Cargo.toml to read"
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--semver", action="store_true", help="print the semver string")
    group.add_argument("--check-tag", metavar="TAG", help="verify TAG == v<version>")
    args = parser.parse_args(argv)
    try:
        semver = args.version or read_cargo_version(args.cargo_toml)
        pep440 = semver_to_pep440(semver)
    except VersionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.check_tag is not None:
        if args.check_tag != f"v{semver}":
            print(
                f"error: tag {args.check_tag!r} does not match version {semver!r} "
                f"(expected 'v{semver}')",
                file=sys.stderr,
            )
            return 1
        print(f"tag {args.check_tag} matches version {semver} (PEP 440: {pep440})")
        return 0
    print(semver if args.semver else pep440)
    return 0


if __name__ == "__main__":
    sys.exit(main())
