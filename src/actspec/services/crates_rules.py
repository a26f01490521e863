"""crates.io's publish and trusted-publishing rules, as pure functions.

Each function returns what the next step needs or raises :class:`~actspec.errors.Refusal`
with crates.io's status and ``detail`` wording; the mock (:mod:`actspec.services.crates`)
chains them and keeps the state (crates, tokens, used JWT ids).

Metadata types follow crates.io's ``PublishMetadata`` (serde): a field of the wrong type is
``400 invalid upload request: invalid type: <what was sent>, expected <what serde wanted>``,
serde's wording without its ``at line L column C`` suffix (the kit does not track columns).
"""

from __future__ import annotations

import io
import json
import re
import struct
import tarfile
import tomllib
from typing import Any, Iterable, Mapping, Sequence

from actspec.errors import Refusal
from actspec.services.oidc import TrustedPublisher, workflow_filename

MANIFEST_HELP = "https://doc.rust-lang.org/cargo/reference/manifest.html"

_NUM = r"(?:0|[1-9][0-9]*)"
_PRE_ID = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_SEMVER = re.compile(rf"{_NUM}\.{_NUM}\.{_NUM}(?:-{_PRE_ID}(?:\.{_PRE_ID})*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?")
_CRATE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")

# PublishMetadata's fields: which JSON type serde expects for each ("?": null allowed).
_STRING, _OPT_STRING, _STRINGS, _BOOL = "a string", "a string?", "a sequence of strings", "a boolean"
_METADATA_FIELDS: dict[str, str] = {
    "name": _STRING, "vers": _STRING, "description": _OPT_STRING, "homepage": _OPT_STRING,
    "documentation": _OPT_STRING, "readme": _OPT_STRING, "readme_file": _OPT_STRING, "license": _OPT_STRING,
    "license_file": _OPT_STRING, "repository": _OPT_STRING, "links": _OPT_STRING, "rust_version": _OPT_STRING,
    "authors": _STRINGS, "keywords": _STRINGS, "categories": _STRINGS,
}
_DEPENDENCY_FIELDS: dict[str, str] = {
    "name": _STRING, "version_req": _STRING, "features": _STRINGS, "optional": _BOOL, "default_features": _BOOL,
    "target": _OPT_STRING, "kind": _OPT_STRING, "registry": _OPT_STRING, "explicit_name_in_toml": _OPT_STRING,
}


def is_semver(version: str) -> bool:
    """SemVer 2.0 (what crates.io requires of ``vers``)."""
    return _SEMVER.fullmatch(version) is not None


def strip_build(version: str) -> str:
    return version.split("+", 1)[0]


def split_body(body: bytes) -> tuple[bytes, bytes]:
    """cargo's publish body: u32-LE length + JSON metadata + u32-LE length + ``.crate``."""
    if len(body) < 4:
        raise Refusal(400, "invalid metadata length")
    (json_len,) = struct.unpack_from("<I", body, 0)
    if len(body) < 4 + json_len:
        raise Refusal(400, "invalid metadata length")
    raw_json = body[4:4 + json_len]
    if len(body) < 8 + json_len:
        raise Refusal(400, "invalid tarball length")
    (crate_len,) = struct.unpack_from("<I", body, 4 + json_len)
    crate = body[8 + json_len:8 + json_len + crate_len]
    if len(crate) != crate_len:
        raise Refusal(400, "invalid tarball length")
    return raw_json, crate


def _serde_kind(value: Any) -> str:
    """How serde_json names an unexpected value in ``invalid type: ...``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean `{json.dumps(value)}`"
    if isinstance(value, int):
        return f"integer `{value}`"
    if isinstance(value, float):
        return f"floating point `{value}`"
    if isinstance(value, str):
        return f"string {json.dumps(value)}"
    return "sequence" if isinstance(value, list) else "map"


def _check_type(value: Any, expected: str) -> None:
    if expected == _OPT_STRING and value is None:
        return
    if expected in (_STRING, _OPT_STRING):
        ok, wanted = isinstance(value, str), "a string"
    elif expected == _BOOL:
        ok, wanted = isinstance(value, bool), "a boolean"
    else:
        if isinstance(value, list):
            for item in value:
                _check_type(item, _STRING)
            return
        ok, wanted = False, "a sequence"
    if not ok:
        raise Refusal(400, f"invalid upload request: invalid type: {_serde_kind(value)}, expected {wanted}")


def metadata(raw_json: bytes) -> dict[str, Any]:
    """The publish metadata, parsed and typed as crates.io's serde model wants it."""
    try:
        meta = json.loads(raw_json.decode("utf-8"))
    except UnicodeDecodeError:
        raise Refusal(400, "json body was not valid utf-8") from None
    except ValueError as exc:
        raise Refusal(400, f"invalid upload request: {exc}") from None
    if not isinstance(meta, dict):
        raise Refusal(400, f"invalid upload request: invalid type: {_serde_kind(meta)}, expected struct PublishMetadata")
    for field in ("name", "vers"):
        if field not in meta:
            raise Refusal(400, f"invalid upload request: missing field `{field}`")
    for field, expected in _METADATA_FIELDS.items():
        if field in meta:
            _check_type(meta[field], expected)
    deps = meta.get("deps", [])
    if not isinstance(deps, list):
        raise Refusal(400, f"invalid upload request: invalid type: {_serde_kind(deps)}, expected a sequence")
    for dep in deps:
        if not isinstance(dep, dict):
            raise Refusal(400, f"invalid upload request: invalid type: {_serde_kind(dep)}, "
                               "expected struct EncodableCrateDependency")
        for field, expected in _DEPENDENCY_FIELDS.items():
            if field in dep:
                _check_type(dep[field], expected)
    features = meta.get("features", {})
    if not isinstance(features, dict):
        raise Refusal(400, f"invalid upload request: invalid type: {_serde_kind(features)}, expected a map")
    for items in features.values():
        _check_type(items, _STRINGS)
    return meta


def check_identity(meta: Mapping[str, Any]) -> None:
    name, vers = meta["name"], meta["vers"]
    if not _CRATE_NAME.fullmatch(name):
        raise Refusal(400, f"invalid crate name: `{name}`")
    if not is_semver(vers):
        raise Refusal(400, f"{json.dumps(vers)} is an invalid semver version")


def check_required_fields(meta: Mapping[str, Any]) -> None:
    missing = []
    if not (meta.get("description") or "").strip():
        missing.append("description")
    if not (meta.get("license") or "").strip() and not (meta.get("license_file") or "").strip():
        missing.append("license")
    if missing:
        raise Refusal(400, f"missing or empty metadata fields: {', '.join(missing)}. Please see {MANIFEST_HELP} "
                           "for more information on configuring these fields")


def manifest(crate: bytes, name: str, vers: str) -> dict[str, Any]:
    """The ``Cargo.toml`` of the ``.crate``, after crates.io's tarball checks."""
    prefix = f"{name}-{vers}/"
    try:
        with tarfile.open(fileobj=io.BytesIO(crate), mode="r:gz") as tf:
            members = tf.getmembers()
            for m in members:
                if not m.name.startswith(prefix):
                    raise Refusal(400, f"invalid path found: {m.name}")
                if m.islnk() or m.issym():
                    raise Refusal(400, f"unexpected symlink or hard link found: {m.name}")
            wanted = next((m for m in members if m.name == prefix + "Cargo.toml"), None)
            if wanted is None:
                raise Refusal(400, "uploaded tarball is missing a `Cargo.toml` manifest file")
            handle = tf.extractfile(wanted)
            text = handle.read().decode("utf-8") if handle else ""
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError):
        raise Refusal(400, "uploaded tarball is malformed or too large when decompressed") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Refusal(400, f"failed to parse `Cargo.toml` manifest file\n\n{exc}") from None


def check_manifest_matches(meta: Mapping[str, Any], parsed: Mapping[str, Any]) -> None:
    """The kit's own check: the ``Cargo.toml`` inside must describe the crate being published."""
    package = parsed.get("package") or {}
    if not isinstance(package, dict) or package.get("name") != meta["name"] or package.get("version") != meta["vers"]:
        got = package if isinstance(package, dict) else {}
        raise Refusal(400, f"metadata says `{meta['name']}@{meta['vers']}` but the uploaded `Cargo.toml` says "
                           f"`{got.get('name')}@{got.get('version')}`")


# -- trusted publishing ---------------------------------------------------------------------

def jwt_of(data: Any) -> str:
    if not isinstance(data, dict) or not isinstance(data.get("jwt"), str):
        raise Refusal(400, "invalid request body: expected {\"jwt\": \"...\"}")
    return data["jwt"]


def matching_crates(claims: Mapping[str, Any], publishers: Mapping[str, Sequence[TrustedPublisher]]) -> list[str]:
    """The crates whose trusted-publishing configs accept these verified claims, as crates.io matches.

    Repository (case-insensitive), then the workflow file of ``workflow_ref``, then the
    environment (a config without one accepts any); each miss has crates.io's message.
    """
    repo = str(claims.get("repository") or "")
    if "/" not in repo:
        raise Refusal(400, "Unexpected `repository` value")
    fname = workflow_filename(str(claims.get("workflow_ref") or ""), repo)
    if fname is None:
        raise Refusal(400, "Unexpected `workflow_ref` value")
    configs = [(crate, p) for crate, pubs in publishers.items() for p in pubs if p.repository.lower() == repo.lower()]
    if not configs:
        raise Refusal(400, f"No Trusted Publishing config found for repository `{repo}`.")
    mismatched = [f"`{p.workflow_filename}`" for _c, p in configs if p.workflow_filename != fname]
    configs = [(c, p) for c, p in configs if p.workflow_filename == fname]
    if not configs:
        raise Refusal(400, f"The Trusted Publishing config for repository `{repo}` does not match the workflow "
                           f"filename `{fname}` in the JWT. Expected workflow filenames: {', '.join(mismatched)}")
    env = claims.get("environment")
    kept = [c for c, p in configs if not p.env or (env and p.env == str(env).lower())]
    if not kept:
        expected = ", ".join(f"`{p.environment}`" for _c, p in configs if p.environment)
        if env:
            raise Refusal(400, f"The Trusted Publishing config for repository `{repo}` does not match the "
                               f"environment `{env}` in the JWT. Expected environments: {expected}")
        raise Refusal(400, f"The Trusted Publishing config for repository `{repo}` requires an environment, but the "
                           f"JWT does not specify one. Expected environments: {expected}")
    return sorted(set(kept))


def seen_claims(claims: Mapping[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    return {k: claims.get(k) for k in keys}
