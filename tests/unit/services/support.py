"""Helpers for the mock-service tests: tiny real distributions and crates, real clients.

Everything here talks to 127.0.0.1 only: pip gets ``--index-url`` and no other source
(the machine's ``PIP_FIND_LINKS`` & co. are removed from its environment), cargo gets a
private ``CARGO_HOME`` whose only registry is the mock.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import requests

VENV_BIN = Path(sys.executable).parent
TWINE = str(VENV_BIN / "twine")
CARGO = shutil.which("cargo")


def local_env(**extra: str) -> dict[str, str]:
    """The test process's environment minus anything that could reach another host."""
    env = {k: v for k, v in os.environ.items()
           if not k.upper().startswith(("PIP_", "CARGO_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"))}
    env.update({"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
                "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"})
    env.update(extra)
    return env


# ---------------------------------------------------------------- Python distributions

def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(out: Path, name: str, version: str, *, tag: str = "py3-none-any", metadata_version: str = "2.1",
                metadata_name: str | None = None, metadata_version_field: str | None = None,
                requires_python: str | None = None, requires_dist: tuple[str, ...] = (),
                provides_extra: tuple[str, ...] = (), payload: str = "") -> Path:
    """A tiny, complete wheel (METADATA, WHEEL, RECORD, one module) written to ``out``."""
    dist = name.replace("-", "_").lower()
    info = f"{dist}-{version}.dist-info"
    meta = [f"Metadata-Version: {metadata_version}", f"Name: {metadata_name or name}",
            f"Version: {metadata_version_field or version}", f"Summary: tiny {name} for actspec tests"]
    if requires_python:
        meta.append(f"Requires-Python: {requires_python}")
    meta += [f"Provides-Extra: {e}" for e in provides_extra]
    meta += [f"Requires-Dist: {r}" for r in requires_dist]
    files = {
        f"{dist}/__init__.py": f"VERSION = {version!r}\n{payload}".encode(),
        f"{info}/METADATA": ("\n".join(meta) + "\n").encode(),
        f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: actspec-tests\nRoot-Is-Purelib: true\nTag: {tag}\n".encode(),
    }
    record = "".join(f"{p},{_record_hash(d)},{len(d)}\n" for p, d in files.items()) + f"{info}/RECORD,,\n"
    files[f"{info}/RECORD"] = record.encode()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{dist}-{version}-{tag}.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for p, d in files.items():
            zf.writestr(p, d)
    return path


def build_sdist(out: Path, name: str, version: str, *, requires_python: str | None = None,
                requires_dist: tuple[str, ...] = (), provides_extra: tuple[str, ...] = ()) -> Path:
    """A tiny sdist (PEP 625 name, ``PKG-INFO`` at the top) written to ``out``."""
    dist = name.replace("-", "_").lower()
    top = f"{dist}-{version}"
    meta = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    if requires_python:
        meta.append(f"Requires-Python: {requires_python}")
    meta += [f"Provides-Extra: {e}" for e in provides_extra]
    meta += [f"Requires-Dist: {r}" for r in requires_dist]
    files = {f"{top}/PKG-INFO": ("\n".join(meta) + "\n").encode(),
             f"{top}/pyproject.toml": f'[project]\nname = "{name}"\nversion = "{version}"\n'.encode(),
             f"{top}/{dist}/__init__.py": b""}
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{top}.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        for p, d in files.items():
            ti = tarfile.TarInfo(p)
            ti.size = len(d)
            tf.addfile(ti, io.BytesIO(d))
    return path


def twine_upload(repo_url: str, password: str, *files: Path, username: str = "__token__") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TWINE, "upload", "--disable-progress-bar", "--non-interactive", "--repository-url", repo_url,
         "-u", username, "-p", password, *map(str, files)],
        capture_output=True, text=True, env=local_env(COLUMNS="400"), timeout=120,  # rich wraps at COLUMNS
    )


def upload_form(path: Path, **overrides: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The multipart fields twine would send for ``path`` (for hand-crafted bad uploads)."""
    data = path.read_bytes()
    if path.name.endswith(".whl"):
        name, version = path.name.split("-")[:2]
        filetype, pyversion = "bdist_wheel", "py3"
    else:
        name, version = path.name[: -len(".tar.gz")].rsplit("-", 1)
        filetype, pyversion = "sdist", "source"
    fields = {":action": "file_upload", "protocol_version": "1", "metadata_version": "2.1", "name": name,
              "version": version, "filetype": filetype, "pyversion": pyversion,
              "sha256_digest": hashlib.sha256(data).hexdigest(),
              "blake2_256_digest": hashlib.blake2b(data, digest_size=32).hexdigest()}
    fields.update(overrides)
    return fields, {"content": (path.name, data, "application/octet-stream")}


# ---------------------------------------------------------------- crates

def write_crate(root: Path, name: str, version: str, *, description: str | None = "tiny crate for actspec tests",
                license: str | None = "MIT") -> Path:
    """A cargo package directory with no dependencies (so nothing is fetched)."""
    root.mkdir(parents=True, exist_ok=True)
    lines = ["[package]", f'name = "{name}"', f'version = "{version}"', 'edition = "2021"']
    if description:
        lines.append(f'description = "{description}"')
    if license:
        lines.append(f'license = "{license}"')
    (root / "Cargo.toml").write_text("\n".join(lines) + "\n\n[dependencies]\n")
    (root / "src").mkdir(exist_ok=True)
    (root / "src" / "lib.rs").write_text("pub fn answer() -> u32 { 42 }\n")
    return root


def cargo(args: list[str], cwd: Path, cargo_home: Path, token: str | None = None,
          extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    assert CARGO is not None
    env = local_env(CARGO_HOME=str(cargo_home), CARGO_TARGET_DIR=str(cwd / "target"), CARGO_TERM_COLOR="never")
    # keep the toolchain reachable: rustup's proxies need RUSTUP_HOME / the real cargo home's toolchains
    env.setdefault("RUSTUP_HOME", os.environ.get("RUSTUP_HOME", str(Path.home() / ".rustup")))
    if token is not None:
        env["CARGO_REGISTRY_TOKEN"] = token
    env.update(extra_env or {})
    return subprocess.run([CARGO, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def publish_body(meta: dict[str, Any], crate: bytes) -> bytes:
    raw = json.dumps(meta).encode()
    return struct.pack("<I", len(raw)) + raw + struct.pack("<I", len(crate)) + crate


def crate_tarball(name: str, version: str, manifest_name: str | None = None,
                  manifest_version: str | None = None) -> bytes:
    top = f"{name}-{version}"
    manifest = (f'[package]\nname = "{manifest_name or name}"\nversion = "{manifest_version or version}"\n'
                'edition = "2021"\n').encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for p, d in ((f"{top}/Cargo.toml", manifest), (f"{top}/src/lib.rs", b"")):
            ti = tarfile.TarInfo(p)
            ti.size = len(d)
            tf.addfile(ti, io.BytesIO(d))
    return buf.getvalue()


def publish_meta(name: str, version: str, **extra: Any) -> dict[str, Any]:
    meta = {"name": name, "vers": version, "deps": [], "features": {}, "authors": [],
            "description": "tiny crate", "license": "MIT", "links": None}
    meta.update(extra)
    return meta


# ---------------------------------------------------------------- GitHub OIDC

def id_token(env: dict[str, str], job: str, audience: str | None = None,
             bearer: str | None = None) -> requests.Response:
    """What a shim does: GET ``$ACTIONS_ID_TOKEN_REQUEST_URL&audience=...`` as ``job``."""
    url = env["ACTIONS_ID_TOKEN_REQUEST_URL"] + (f"&audience={audience}" if audience else "")
    token = env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] if bearer is None else bearer
    return requests.get(url, headers={"Authorization": f"Bearer {token}", "X-Actspec-Job": job}, timeout=10)
