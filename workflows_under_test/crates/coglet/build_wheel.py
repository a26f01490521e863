#!/usr/bin/env python3
"""Build the coglet wheel: the Rust extension module packaged as a cp310-abi3 wheel.

Runs ``cargo build --release --offline`` in ``crates/`` (or uses an existing build with
``--no-cargo``) and writes ``dist/coglet-<PEP 440 version>-cp310-abi3-<platform>.whl``
containing ``coglet/__init__.py``, ``coglet/_version.py`` and the shared library as
``coglet/_coglet.abi3.so``.  The version comes from ``crates/Cargo.toml`` through
``tools/version.py``.  Python stdlib only.

    python3 crates/coglet/build_wheel.py                       # linux_x86_64
    python3 crates/coglet/build_wheel.py \\
        --platform manylinux_2_17_aarch64.manylinux2014_aarch64 \\
        --target aarch64-unknown-linux-gnu --cargo "cargo zigbuild"
    python3 crates/coglet/build_wheel.py \\
        --platform macosx_11_0_arm64 --target aarch64-apple-darwin
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.util
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CRATES = HERE.parent
ROOT = CRATES.parent
PYTHON_TAG = "cp310"
ABI_TAG = "abi3"
REQUIRES_PYTHON = ">=3.10"
# Zip timestamps: SOURCE_DATE_EPOCH when set, else a fixed date (reproducible wheels).
FIXED_DATE = (2020, 1, 1, 0, 0, 0)


def _version_tool():
    spec = importlib.util.spec_from_file_location(
        "_cog_version", ROOT / "tools" / "version.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _zip_date() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return FIXED_DATE
    import time

    t = time.gmtime(max(int(epoch), 315532800))  # zip cannot go before 1980
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)


def cargo_build(cargo: str, target: str | None) -> None:
    cmd = shlex.split(cargo) + ["--release", "--offline", "-p", "coglet"]
    if target:
        cmd += ["--target", target]
    print("+", " ".join(shlex.quote(c) for c in cmd), flush=True)
    subprocess.run(cmd, cwd=CRATES, check=True)


def find_library(target: str | None) -> Path:
    target_dir = Path(os.environ.get("CARGO_TARGET_DIR") or CRATES / "target")
    if not target_dir.is_absolute():
        target_dir = CRATES / target_dir
    release = target_dir / target / "release" if target else target_dir / "release"
    for name in ("libcoglet.so", "libcoglet.dylib"):
        if (release / name).is_file():
            return release / name
    raise SystemExit(
        f"error: no libcoglet.so or libcoglet.dylib in {release}; build first"
    )


def _record_line(arcname: str, data: bytes) -> str:
    digest = (
        base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    )
    return f"{arcname},sha256={digest},{len(data)}"


def build_wheel(library: Path, version: str, platform: str, out_dir: Path) -> Path:
    if not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)*", platform):
        raise SystemExit(f"error: invalid platform tag {platform!r}")
    tag = f"{PYTHON_TAG}-{ABI_TAG}-{platform}"
    dist_info = f"coglet-{version}.dist-info"
    package = HERE / "python" / "coglet"
    files: list[tuple[str, bytes]] = [
        ("coglet/__init__.py", (package / "__init__.py").read_bytes()),
        ("coglet/_version.py", f'__version__ = "{version}"\n'.encode()),
        ("coglet/_coglet.abi3.so", library.read_bytes()),
    ]
    metadata = (
        "Metadata-Version: 2.1\n"
        "Name: coglet\n"
        f"Version: {version}\n"
        "Summary: Rust core of cog (CPython stable-ABI extension module)\n"
        "Home-page: https://github.com/replicate/cog\n"
        "License: Apache-2.0\n"
        f"Requires-Python: {REQUIRES_PYTHON}\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: Programming Language :: Rust\n"
        "Description-Content-Type: text/markdown\n"
        "\n"
        "# coglet\n\n"
        "The Rust core of [cog](https://github.com/replicate/cog), built as a CPython\n"
        "extension module against the stable ABI (one wheel for CPython 3.10+).\n"
        'Install it with the SDK: `pip install "cog[coglet]"`.\n'
    )
    wheel = (
        "Wheel-Version: 1.0\n"
        "Generator: coglet-build_wheel\n"
        "Root-Is-Purelib: false\n"
        # One Tag line per platform of a compressed tag set
        # (manylinux_2_17_x86_64.manylinux2014_x86_64).
        + "".join(f"Tag: {PYTHON_TAG}-{ABI_TAG}-{p}\n" for p in platform.split("."))
    )
    files += [
        (f"{dist_info}/METADATA", metadata.encode()),
        (f"{dist_info}/WHEEL", wheel.encode()),
    ]
    record = "".join(_record_line(name, data) + "\n" for name, data in files)
    record += f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode()))

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"coglet-{version}-{tag}.whl"
    date = _zip_date()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if name.endswith(".so") else 0o644
            info.external_attr = (0o100000 | mode) << 16
            zf.writestr(info, data)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the coglet cp310-abi3 wheel.")
    parser.add_argument(
        "--platform",
        default="linux_x86_64",
        help="wheel platform tag (default linux_x86_64)",
    )
    parser.add_argument("--target", help="cargo target triple (default: host)")
    parser.add_argument(
        "--cargo", default="cargo build", help="build command (default 'cargo build')"
    )
    parser.add_argument("--no-cargo", action="store_true", help="use an existing build")
    parser.add_argument(
        "--out-dir", default=str(ROOT / "dist"), help="default: <repo>/dist"
    )
    args = parser.parse_args(argv)

    tool = _version_tool()
    try:
        version = tool.pep440_version(CRATES / "Cargo.toml")
    except tool.VersionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.no_cargo:
        cargo_build(args.cargo, args.target)
    path = build_wheel(
        find_library(args.target), version, args.platform, Path(args.out_dir)
    )
    print(f"built {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
