"""Mock crates.io: the publish API cargo uses, a sparse index, trusted publishing.

Mounted at ``/crates``; a job sees the base URL as ``ACTSPEC_CRATES_URL``.

* ``PUT <base>/api/v1/crates/new`` -- ``cargo publish``'s upload: u32-LE length + JSON
  metadata + u32-LE length + ``.crate`` (gzip tar).  ``Authorization`` carries the token
  as cargo sends it (raw; a ``Bearer `` prefix is accepted too).  Checks, with crates.io's
  status codes and ``{"errors": [{"detail": ...}]}`` wording: metadata JSON, semver
  version, authentication (tokens this mock minted: trusted-publishing tokens or API
  tokens from :meth:`CratesService.mint_token`), the token's crate scope, required
  metadata (description, license), the tarball (every path under ``<name>-<vers>/``, a
  ``Cargo.toml`` whose ``package.name``/``package.version`` equal the metadata -- that
  comparison's wording is the kit's), and version reuse (``crate version `X` is already
  uploaded``; build metadata does not make a version new).  The SHA-256 of the ``.crate``
  becomes the index ``cksum``.
* ``GET <base>/index/config.json`` and the index files at the standard paths
  (``1/a``, ``2/ab``, ``3/a/abc``, ``co/gl/coglet``), one JSON line per version;
  ``GET <base>/api/v1/crates/<name>/<version>/download`` serves the ``.crate``;
  ``GET <base>/api/v1/crates/<name>[/<version>]`` the API's crate/version info.
* ``POST <base>/api/v1/trusted_publishing/tokens`` (``{"jwt": ...}`` -> ``{"token": ...}``)
  and ``DELETE`` of the same path (``Authorization: Bearer <token>``, 204): crates.io's
  trusted publishing.  The JWT is verified (signature, ``iss``, ``aud`` = ``crates.io``
  as ``rust-lang/crates-io-auth-action`` requests it, expiry), may be used once (``jti``),
  and is matched like crates.io does: repository (case-insensitive), the workflow file of
  ``workflow_ref``, then environment (a config without one accepts any).  The token lives
  30 minutes and may publish the crates whose configs matched.  ``repository_owner_id``
  is not compared (the kit's configuration has none).

How cargo is pointed here: see :func:`cargo_config` / :func:`cargo_env`.

Run state (crates, versions, ``.crate`` files) is what :meth:`CratesService.snapshot` /
``restore`` carry; tokens and the set of exchanged JWT ids belong to the session.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping, Sequence

from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from actspec.errors import OIDCError, Refusal
from actspec.ledger import Ledger
from actspec.services import crates_rules
from actspec.services._web import (
    RoutedApp,
    SessionState,
    base_url,
    caller,
    json_response,
    read_json,
    tar_gz,
)
from actspec.services.crates_rules import is_semver, strip_build
from actspec.services.oidc import TrustedPublisher, Verifier

__all__ = ["CratesService", "TrustedPublisher", "cargo_config", "cargo_env", "is_semver", "index_path",
           "REGISTRY_NAME"]

REGISTRY_NAME = "actspec"
TOKEN_LIFETIME = 30 * 60  # crates.io trusted-publishing tokens: 30 minutes
def index_path(name: str) -> str:
    """The sparse-index path of a crate (``1/a``, ``2/ab``, ``3/a/abc``, ``co/gl/coglet``)."""
    n = name.lower()
    if len(n) == 1:
        return f"1/{n}"
    if len(n) == 2:
        return f"2/{n}"
    if len(n) == 3:
        return f"3/{n[0]}/{n}"
    return f"{n[:2]}/{n[2:4]}/{n}"


def cargo_config(base_url: str) -> str:
    """Cargo configuration (TOML) that sends a plain ``cargo publish`` to this mock.

    The mock becomes the default registry (``registry.default``), reached over a plain-HTTP
    sparse index, and its token is whatever ``CARGO_REGISTRY_TOKEN`` holds when cargo runs
    (the variable workflows set for crates.io), read by cargo's built-in
    ``cargo:token-from-stdout`` provider.  Put it in ``$CARGO_HOME/config.toml`` of the job
    (verified with cargo 1.95 on the host and the runner image's cargo 1.96: a plain-HTTP
    sparse registry and this provider both work).

    Caveat: a build's dependencies still come from crates.io, but every cargo command that
    uses *the default registry* now uses the mock -- not only ``publish``/``yank``/``owner``
    but also ``cargo install <crate>`` and ``cargo add`` (both were checked: they look the
    crate up in the mock and fail).  Give this configuration only to jobs or steps that
    publish.
    """
    base = base_url.rstrip("/")
    return (
        "# written by actspec: cargo's registry commands go to the mock crates.io\n"
        "[registry]\n"
        f'default = "{REGISTRY_NAME}"\n'
        "\n"
        f"[registries.{REGISTRY_NAME}]\n"
        f'index = "sparse+{base}/index/"\n'
        'credential-provider = ["cargo:token-from-stdout", "sh", "-c", "printf %s \\"$CARGO_REGISTRY_TOKEN\\""]\n'
    )


def cargo_env(base_url: str) -> dict[str, str]:
    """The same as :func:`cargo_config`, as ``CARGO_*`` environment variables.

    Cargo splits an environment-variable credential provider on spaces, so the provider
    here is ``printenv CARGO_REGISTRY_TOKEN`` (cargo trims the trailing newline).
    """
    base = base_url.rstrip("/")
    up = REGISTRY_NAME.upper().replace("-", "_")
    return {
        "CARGO_REGISTRY_DEFAULT": REGISTRY_NAME,
        f"CARGO_REGISTRIES_{up}_INDEX": f"sparse+{base}/index/",
        f"CARGO_REGISTRIES_{up}_CREDENTIAL_PROVIDER": "cargo:token-from-stdout printenv CARGO_REGISTRY_TOKEN",
    }


def placeholder_crate(name: str, version: str) -> bytes:
    """A small ``.crate`` (gzip tar with ``Cargo.toml`` and ``src/lib.rs``) -- used by seeds."""
    top = f"{name}-{version}"
    manifest = (f'[package]\nname = "{name}"\nversion = "{version}"\nedition = "2021"\n'
                'description = "seeded by actspec"\nlicense = "MIT"\n').encode()
    return tar_gz(((f"{top}/Cargo.toml", manifest), (f"{top}/src/lib.rs", b"")))


@dataclass
class _Token:
    kind: str  # "api" or "trustpub"
    crates: tuple[str, ...] | None  # names or glob patterns (api) / exact names (trustpub); None: any
    expires: float | None
    job: str | None = None  # the job whose id token was exchanged for this token

    def allows(self, crate: str) -> bool:
        if self.crates is None:
            return True
        return any(fnmatch.fnmatchcase(crate.lower(), p.lower()) for p in self.crates)


_UNVERIFIED_KEYS = ("iss", "aud", "sub", "repository")
_VERIFIED_KEYS = (*_UNVERIFIED_KEYS, "repository_owner", "ref", "sha", "workflow_ref", "job_workflow_ref",
                  "environment", "jti", "run_id", "event_name")


class CratesService(RoutedApp, SessionState):
    """The mock crates.io.  See the module docstring for what is emulated.

    ``verifier``: the mock GitHub's verifier (without one, trusted publishing refuses
    every JWT).  ``trusted_publishers``: ``{crate: [TrustedPublisher, ...]}``.
    """

    name = "crates"

    def __init__(self, ledger: Ledger, *, verifier: Verifier | None = None,
                 trusted_publishers: Mapping[str, Sequence[TrustedPublisher]] | None = None,
                 audience: str = "crates.io") -> None:
        self.ledger = ledger
        self.verifier = verifier
        self.audience = audience
        self.trusted_publishers: dict[str, list[TrustedPublisher]] = {
            k.lower(): list(v) for k, v in (trusted_publishers or {}).items()
        }
        self._lock = threading.RLock()
        self._tokens: dict[str, _Token] = {}
        self._used_jti: set[str] = set()
        self._state: dict[str, Any] = self._empty()
        self.url_map = Map([
            Rule("/api/v1/crates/new", endpoint="publish", methods=["PUT"]),
            Rule("/api/v1/crates/<crate>", endpoint="crate_info", methods=["GET"]),
            Rule("/api/v1/crates/<crate>/<version>", endpoint="version_info", methods=["GET"]),
            Rule("/api/v1/crates/<crate>/<version>/download", endpoint="download", methods=["GET", "HEAD"]),
            Rule("/api/v1/trusted_publishing/tokens", endpoint="trustpub_tokens", methods=["POST", "DELETE"]),
            Rule("/index/config.json", endpoint="index_config", methods=["GET", "HEAD"]),
            Rule("/index/<path:path>", endpoint="index_file", methods=["GET", "HEAD"]),
        ])

    # ------------------------------------------------------------------ Service protocol

    def job_env(self, base_url: str) -> dict[str, str]:
        return {"ACTSPEC_CRATES_URL": base_url.rstrip("/")}

    def seed(self, what: str, value: str) -> None:
        """Preconditions: ``version`` ``coglet@0.17.0`` (or ``coglet==0.17.0``): that version
        is already published (a placeholder ``.crate``), so publishing it again fails."""
        if what != "version":
            raise ValueError(f"crates: unknown seed {what!r}")
        name, sep, version = value.partition("@")
        if not sep:
            name, sep, version = value.partition("==")
        name, version = name.strip(), version.strip()
        if not sep or not is_semver(version):
            raise ValueError(f"crates seed version {value!r}: expected 'name@semver'")
        data = placeholder_crate(name, version)
        meta = {"name": name, "vers": version, "deps": [], "features": {}, "links": None}
        with self._lock:
            self._store(meta, data)

    # ------------------------------------------------------------------ kit-side helpers

    def mint_token(self, crates: str | Iterable[str] | None = None, *, expires_in: float | None = None) -> str:
        """An API token (``cio...``) scoped to ``crates`` (names or ``*`` patterns), or to all."""
        scope = None if crates is None else ((crates,) if isinstance(crates, str) else tuple(crates))
        token = "cio" + secrets.token_hex(16)
        with self._lock:
            self._tokens[token] = _Token("api", scope, time.time() + expires_in if expires_in else None)
        return token

    def versions(self, crate: str) -> list[str]:
        with self._lock:
            entry = self._state["crates"].get(crate.lower())
            return [v["vers"] for v in entry["versions"]] if entry else []

    def crate_bytes(self, crate: str, version: str) -> bytes:
        with self._lock:
            return self._find_version(crate, version)["data"]

    # ------------------------------------------------------------------ state

    @staticmethod
    def _empty() -> dict[str, Any]:
        return {"crates": {}}

    def _find_version(self, crate: str, version: str) -> dict[str, Any]:
        entry = self._state["crates"].get(crate.lower())
        for v in (entry or {}).get("versions", []):
            if v["vers"] == version:
                return v
        raise KeyError(f"{crate}@{version}")

    @staticmethod
    def _index_line(meta: dict[str, Any], cksum: str) -> dict[str, Any]:
        deps = []
        for d in meta.get("deps") or []:
            explicit = d.get("explicit_name_in_toml")
            dep = {
                "name": explicit or d.get("name"), "req": d.get("version_req", "*"),
                "features": list(d.get("features") or []), "optional": bool(d.get("optional", False)),
                "default_features": bool(d.get("default_features", True)), "target": d.get("target"),
                "kind": d.get("kind") or "normal", "registry": d.get("registry"),
            }
            if explicit:
                dep["package"] = d.get("name")
            deps.append(dep)
        features, features2 = {}, {}
        for feat, items in (meta.get("features") or {}).items():
            target = features2 if any(i.startswith("dep:") or "?/" in i for i in items) else features
            target[feat] = list(items)
        line: dict[str, Any] = {"name": meta["name"], "vers": meta["vers"], "deps": deps, "cksum": cksum,
                                "features": features, "yanked": False, "links": meta.get("links")}
        if features2:
            line["features2"] = features2
            line["v"] = 2
        if meta.get("rust_version"):
            line["rust_version"] = meta["rust_version"]
        return line

    def _store(self, meta: dict[str, Any], data: bytes) -> dict[str, Any]:
        cksum = hashlib.sha256(data).hexdigest()
        entry = self._state["crates"].setdefault(meta["name"].lower(), {"name": meta["name"], "versions": []})
        record = {"vers": meta["vers"], "cksum": cksum, "data": data, "line": self._index_line(meta, cksum),
                  "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")}
        entry["versions"].append(record)
        return record

    # ------------------------------------------------------------------ publish

    def not_found(self, request: Request) -> Response:
        return json_response({"errors": [{"detail": "Not Found"}]}, 404)

    def _token(self, header: str | None) -> _Token:
        if not header:
            raise Refusal(403, "this action requires authentication")
        raw = header[len("Bearer "):] if header.startswith("Bearer ") else header
        token = self._tokens.get(raw.strip())
        if token is None or (token.expires is not None and time.time() > token.expires):
            raise Refusal(403, "authentication failed")
        return token

    def _token_quiet(self, request: Request) -> _Token | None:
        try:
            return self._token(request.headers.get("Authorization"))
        except Refusal:
            return None

    def on_publish(self, request: Request) -> Response:
        """Route: ``cargo publish``.  The body is read before the lock; the ledger learns the
        crate and version as soon as the metadata names them, and the token's kind once known."""
        who = caller(request)
        token = self._token_quiet(request)
        # cargo sends no X-Actspec-Job; a trusted-publishing token knows the job it was minted for
        job = who["job"] or (token.job if token else None)
        body = request.get_data()
        subject, details = "?", {}
        try:
            raw_json, crate = crates_rules.split_body(body)
            meta = crates_rules.metadata(raw_json)
            subject, details = f"{meta['name']}@{meta['vers']}", {"crate": meta["name"], "version": meta["vers"]}
            crates_rules.check_identity(meta)
            token = self._token(request.headers.get("Authorization"))
            details["token"] = token.kind
            with self._lock:
                record = self._publish(meta, crate, token)
        except Refusal as refusal:
            self.ledger.record("crates.publish", subject, job=job, ok=False, status=refusal.status,
                               message=refusal.message, container=who["container"], **details)
            return json_response({"errors": [{"detail": refusal.message}]}, refusal.status)
        self.ledger.record("crates.publish", subject, job=job, ok=True, status=200, message="",
                           container=who["container"], cksum=record["cksum"], size=len(crate), **details)
        return json_response({
            "crate": {"id": meta["name"], "name": meta["name"], "newest_version": meta["vers"],
                      "max_version": meta["vers"], "description": meta.get("description"), "versions": None},
            "warnings": {"invalid_categories": [], "invalid_badges": [], "other": []},
        })

    def _publish(self, meta: dict[str, Any], crate: bytes, token: _Token) -> dict[str, Any]:
        """The checks after authentication, in crates.io's order, then the store."""
        name, vers = meta["name"], meta["vers"]
        if not token.allows(name):
            if token.kind == "trustpub":
                raise Refusal(403, f"The provided access token is not valid for crate `{name}`")
            raise Refusal(403, "this token does not have the required permissions to perform this action")
        crates_rules.check_required_fields(meta)
        crates_rules.check_manifest_matches(meta, crates_rules.manifest(crate, name, vers))
        entry = self._state["crates"].get(name.lower())
        if entry is not None:
            if entry["name"] != name:
                raise Refusal(400, f"crate was previously named `{entry['name']}`")
            if any(strip_build(v["vers"]) == strip_build(vers) for v in entry["versions"]):
                raise Refusal(400, f"crate version `{vers}` is already uploaded")
        return self._store(meta, crate)

    # ------------------------------------------------------------------ index, downloads, API reads

    def on_index_config(self, request: Request) -> Response:
        base = base_url(request)
        return json_response({"dl": f"{base}/api/v1/crates", "api": base, "auth-required": False})

    def on_index_file(self, request: Request, path: str) -> Response:
        name = path.rsplit("/", 1)[-1].lower()
        with self._lock:
            entry = self._state["crates"].get(name)
            if entry is None or index_path(name) != path.lower():
                return Response("Not Found\n", 404, content_type="text/plain")
            text = "".join(json.dumps(v["line"], separators=(",", ":")) + "\n" for v in entry["versions"])
        etag = '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(text, 200, content_type="text/plain; charset=utf-8", headers={"ETag": etag})

    def on_download(self, request: Request, crate: str, version: str) -> Response:
        with self._lock:
            try:
                data = self._find_version(crate, version)["data"]
            except KeyError:
                return self.not_found(request)
        return Response(data, 200, content_type="application/gzip")

    def _version_json(self, request: Request, name: str, v: dict[str, Any]) -> dict[str, Any]:
        return {"crate": name, "num": v["vers"], "checksum": v["cksum"], "yanked": False,
                "dl_path": f"/api/v1/crates/{name}/{v['vers']}/download", "created_at": v["created_at"],
                "crate_size": len(v["data"])}

    def on_crate_info(self, request: Request, crate: str) -> Response:
        with self._lock:
            entry = self._state["crates"].get(crate.lower())
            if entry is None:
                return json_response({"errors": [{"detail": f"crate `{crate}` does not exist"}]}, 404)
            versions = [self._version_json(request, entry["name"], v) for v in entry["versions"]]
        newest = versions[-1]["num"]
        stable = [v["num"] for v in versions if "-" not in strip_build(v["num"])]
        return json_response({"crate": {"id": entry["name"], "name": entry["name"], "newest_version": newest,
                                        "max_version": newest, "max_stable_version": stable[-1] if stable else None},
                              "versions": list(reversed(versions))})

    def on_version_info(self, request: Request, crate: str, version: str) -> Response:
        with self._lock:
            try:
                v = self._find_version(crate, version)
            except KeyError:
                return json_response({"errors": [{"detail": f"crate `{crate}` does not have a version `{version}`"}]},
                                     404)
            name = self._state["crates"][crate.lower()]["name"]
            return json_response({"version": self._version_json(request, name, v)})

    # ------------------------------------------------------------------ trusted publishing

    def on_trustpub_tokens(self, request: Request) -> Response:
        """Route: trade a GitHub id token for a crates.io token (``DELETE``: revoke one).

        What the ledger keeps of a refused exchange grows with each stage passed: nothing
        for a body that is not a JWT, the unverified claims once it decodes, the verified
        ones after the signature check.
        """
        if request.method == "DELETE":
            return self._revoke(request)
        who = caller(request)
        job, claims = who["job"], {}
        try:
            jwt_text = crates_rules.jwt_of(read_json(request))
            unverified = self._decode(jwt_text)
            claims = crates_rules.seen_claims(unverified, _UNVERIFIED_KEYS)
            job = job or (self.verifier.job_of(unverified) if self.verifier else None)
            with self._lock:
                verified = self._verify(jwt_text, unverified)
                claims = crates_rules.seen_claims(verified, _VERIFIED_KEYS)
                if verified["jti"] in self._used_jti:
                    raise Refusal(400, "JWT has already been used")
                crates = crates_rules.matching_crates(verified, self.trusted_publishers)
                token, expires = self._mint(verified["jti"], crates, claims, job)
        except Refusal as refusal:
            self.ledger.record("oidc.exchange", "crates.io", job=job, ok=False, status=refusal.status,
                               message=refusal.message, registry="crates", claims=claims, reason=refusal.reason,
                               container=who["container"])
            return json_response({"errors": [{"detail": refusal.message}]}, refusal.status)
        self.ledger.record("oidc.exchange", "crates.io", job=job, ok=True, status=200, message="",
                           registry="crates", claims=claims, crates=crates, expires=expires,
                           container=who["container"])
        return json_response({"token": token})

    def _decode(self, jwt_text: str) -> dict[str, Any]:
        if self.verifier is None:
            raise Refusal(400, "Failed to decode JWT", reason="crates.io mock has no verifier")
        try:
            return self.verifier.unverified(jwt_text)[1]
        except OIDCError as exc:
            raise Refusal(400, "Failed to decode JWT", reason=exc.message) from None

    def _verify(self, jwt_text: str, unverified: dict[str, Any]) -> dict[str, Any]:
        """Signature, issuer, audience and expiry, with crates.io's message for each failure."""
        assert self.verifier is not None  # _decode refused already
        try:
            return self.verifier.verify(jwt_text, self.audience)
        except OIDCError as exc:
            message = {"issuer": f"Unsupported JWT issuer: {unverified.get('iss')}", "no-kid": "Missing JWT key ID",
                       "unknown-kid": "Invalid JWT key ID"}.get(exc.code, "Failed to decode JWT")
            raise Refusal(400, message, reason=exc.message) from None

    def _mint(self, jti: str, crates: list[str], claims: dict[str, Any], job: str | None) -> tuple[str, int]:
        """Spend the JWT and mint a trusted-publishing token for ``crates``: (token, expiry)."""
        self._used_jti.add(jti)
        expires = int(time.time()) + TOKEN_LIFETIME
        token = "cio_tp_" + secrets.token_hex(24)
        self._tokens[token] = _Token("trustpub", tuple(crates), expires, job=job)
        return token, expires

    def _revoke(self, request: Request) -> Response:
        who = caller(request)
        header = request.headers.get("Authorization")
        status, message, revoked = 204, "", False
        job = who["job"]
        if not header:
            status, message = 401, "Missing authorization header"
        elif not header.startswith("Bearer "):
            status, message = 401, "Invalid authorization header"
        else:
            with self._lock:
                token = self._tokens.get(header[len("Bearer "):].strip())
                if token is not None and token.kind == "trustpub":
                    del self._tokens[header[len("Bearer "):].strip()]
                    revoked = True
                    job = job or token.job
        self.ledger.record("oidc.revoke", "crates.io", job=job, ok=status == 204, status=status,
                           message=message, registry="crates", revoked=revoked, container=who["container"])
        if status != 204:
            return json_response({"errors": [{"detail": message}]}, status)
        return Response(status=204)
