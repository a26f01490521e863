"""Mock crates.io against the host's real cargo: publish, index, trusted publishing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from actspec.ledger import select
from actspec.services.crates import cargo_config, cargo_env, index_path, is_semver

from .conftest import Stack, release_run
from .support import (
    CARGO,
    cargo,
    crate_tarball,
    id_token,
    publish_body,
    publish_meta,
    write_crate,
)

pytestmark = pytest.mark.unit
needs_cargo = pytest.mark.skipif(CARGO is None, reason="cargo is not installed")


def cargo_home(stack: Stack, tmp: Path) -> Path:
    home = tmp / "cargo-home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(cargo_config(stack.base("crates")))
    return home


def exchange(stack: Stack, job: str = "publish-crates-io", audience: str = "crates.io") -> requests.Response:
    """What rust-lang/crates-io-auth-action does."""
    jwt = id_token(stack.env, job, audience=audience).json()["value"]
    return requests.post(stack.base("crates") + "/api/v1/trusted_publishing/tokens", json={"jwt": jwt}, timeout=10)


def put(stack: Stack, body: bytes, token: str | None) -> requests.Response:
    headers = {"Authorization": token} if token else {}
    return requests.put(stack.base("crates") + "/api/v1/crates/new", data=body, headers=headers, timeout=10)


def errors(r: requests.Response) -> str:
    body = r.json()
    [err] = body["errors"]
    return err["detail"]


@needs_cargo
def test_cargo_publish_then_depend_on_it(stack: Stack, tmp_path: Path) -> None:
    home = cargo_home(stack, tmp_path)
    pkg = write_crate(tmp_path / "coglet", "coglet", "0.17.0")
    r = cargo(["publish"], pkg, home, token=stack.crates.mint_token("coglet"))
    assert r.returncode == 0, r.stderr
    assert "Published coglet v0.17.0 at registry `actspec`" in r.stderr
    [entry] = select(stack.ledger, "crates.publish")
    assert entry.ok and entry.subject == "coglet@0.17.0" and entry.details["token"] == "api"
    assert entry.details["cksum"] == json.loads(
        requests.get(stack.base("crates") + "/index/co/gl/coglet", timeout=10).text)["cksum"]
    # a consumer resolves it through the sparse index, downloads it and checks the cksum
    user = write_crate(tmp_path / "user", "user", "0.1.0")
    with (user / "Cargo.toml").open("a") as f:
        f.write('coglet = { version = "=0.17.0", registry = "actspec" }\n')
    build = cargo(["build"], user, home)
    assert build.returncode == 0, build.stderr
    assert "Downloaded coglet v0.17.0 (registry `actspec`)" in build.stderr


@needs_cargo
def test_cargo_publish_through_environment_variables(stack: Stack, tmp_path: Path) -> None:
    home = tmp_path / "empty-home"
    home.mkdir()
    pkg = write_crate(tmp_path / "coglet", "coglet", "0.17.0-alpha3")
    r = cargo(["publish", "--no-verify"], pkg, home, token=stack.crates.mint_token("coglet"),
              extra_env=cargo_env(stack.base("crates")))
    assert r.returncode == 0, r.stderr
    assert stack.crates.versions("coglet") == ["0.17.0-alpha3"]


@needs_cargo
def test_duplicate_version(stack: Stack, tmp_path: Path) -> None:
    home = cargo_home(stack, tmp_path)
    token = stack.crates.mint_token("coglet")
    pkg = write_crate(tmp_path / "coglet", "coglet", "0.17.0")
    assert cargo(["publish", "--no-verify"], pkg, home, token=token).returncode == 0
    # cargo itself looks at the index first and stops
    again = cargo(["publish", "--no-verify"], pkg, home, token=token)
    assert again.returncode != 0
    assert "crate coglet@0.17.0 already exists on `actspec` index" in again.stderr
    # a client that does not look (or a race) gets crates.io's answer
    r = put(stack, publish_body(publish_meta("coglet", "0.17.0"), crate_tarball("coglet", "0.17.0")), token)
    assert r.status_code == 400 and errors(r) == "crate version `0.17.0` is already uploaded"
    r = put(stack, publish_body(publish_meta("coglet", "0.17.0+build.5"), crate_tarball("coglet", "0.17.0+build.5")),
            token)
    assert errors(r) == "crate version `0.17.0+build.5` is already uploaded"
    assert [e.ok for e in select(stack.ledger, "crates.publish")] == [True, False, False]


def test_seeded_version_is_taken(stack: Stack) -> None:
    stack.crates.seed("version", "coglet@0.17.0")
    r = put(stack, publish_body(publish_meta("coglet", "0.17.0"), crate_tarball("coglet", "0.17.0")),
            stack.crates.mint_token("coglet"))
    assert r.status_code == 400 and "is already uploaded" in errors(r)


@needs_cargo
def test_bad_token_403(stack: Stack, tmp_path: Path) -> None:
    home = cargo_home(stack, tmp_path)
    pkg = write_crate(tmp_path / "coglet", "coglet", "0.17.0")
    r = cargo(["publish", "--no-verify"], pkg, home, token="cio-not-minted-here")
    assert r.returncode != 0
    assert "the remote server responded with an error (status 403 Forbidden): authentication failed" in r.stderr
    body = publish_body(publish_meta("coglet", "0.17.0"), crate_tarball("coglet", "0.17.0"))
    assert errors(put(stack, body, None)) == "this action requires authentication"
    other = put(stack, body, stack.crates.mint_token("somethingelse"))
    assert other.status_code == 403
    assert errors(other) == "this token does not have the required permissions to perform this action"
    assert [e.details["status"] for e in select(stack.ledger, "crates.publish")] == [403, 403, 403]


def test_validation_errors(stack: Stack) -> None:
    token = stack.crates.mint_token()
    r = put(stack, publish_body(publish_meta("coglet", "0.17"), crate_tarball("coglet", "0.17")), token)
    assert r.status_code == 400 and errors(r) == '"0.17" is an invalid semver version'
    r = put(stack, publish_body(publish_meta("coglet", "0.17.0"), crate_tarball("coglet", "0.17.0",
                                                                                  manifest_version="0.16.0")), token)
    assert r.status_code == 400 and "`Cargo.toml` says `coglet@0.16.0`" in errors(r)
    r = put(stack, publish_body(publish_meta("coglet", "0.17.0", description=None, license=None),
                                crate_tarball("coglet", "0.17.0")), token)
    assert errors(r).startswith("missing or empty metadata fields: description, license. Please see")
    r = put(stack, publish_body(publish_meta("coglet", "0.17.0"), crate_tarball("other", "0.17.0")), token)
    assert errors(r) == "invalid path found: other-0.17.0/Cargo.toml"
    r = put(stack, b"\x05\x00", token)
    assert r.status_code == 400


def test_semver_and_index_paths() -> None:
    for good in ("0.17.0", "0.17.0-alpha3", "1.0.0-rc.1+build.7", "0.0.0-pre"):
        assert is_semver(good), good
    for bad in ("0.17", "01.0.0", "1.0.0-", "v1.0.0", "1.0.0-01", "broken"):
        assert not is_semver(bad), bad
    assert [index_path(n) for n in ("a", "ab", "abc", "coglet", "Serde")] == \
        ["1/a", "2/ab", "3/a/abc", "co/gl/coglet", "se/rd/serde"]


def test_index_config(stack: Stack) -> None:
    cfg = requests.get(stack.base("crates") + "/index/config.json", timeout=10).json()
    assert cfg == {"dl": stack.base("crates") + "/api/v1/crates", "api": stack.base("crates"), "auth-required": False}
    assert requests.get(stack.base("crates") + "/index/co/gl/coglet", timeout=10).status_code == 404


# ---------------------------------------------------------------- trusted publishing

@needs_cargo
def test_trusted_publishing_then_cargo_publish_then_revoke(stack: Stack, tmp_path: Path) -> None:
    r = exchange(stack)
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    home = cargo_home(stack, tmp_path)
    pkg = write_crate(tmp_path / "coglet", "coglet", "0.17.0")
    pub = cargo(["publish", "--no-verify"], pkg, home, token=token)
    assert pub.returncode == 0, pub.stderr
    # the token is scoped to the crates whose configs matched
    other = write_crate(tmp_path / "other", "other", "1.0.0")
    denied = cargo(["publish", "--no-verify"], other, home, token=token)
    assert denied.returncode != 0
    assert "(status 403 Forbidden): The provided access token is not valid for crate `other`" in denied.stderr
    # revoke, as crates-io-auth-action's post step does
    rv = requests.delete(stack.base("crates") + "/api/v1/trusted_publishing/tokens",
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert rv.status_code == 204
    pkg2 = write_crate(tmp_path / "coglet2", "coglet", "0.17.1")
    after = cargo(["publish", "--no-verify"], pkg2, home, token=token)
    assert "authentication failed" in after.stderr
    kinds = [(e.kind, e.ok) for e in stack.ledger if e.kind != "oidc.token"]
    assert kinds == [("oidc.exchange", True), ("crates.publish", True), ("crates.publish", False),
                     ("oidc.revoke", True), ("crates.publish", False)]
    # cargo sends no job header: the trusted-publishing token remembers its job (until revoked)
    assert [e.job for e in stack.ledger][:-1] == ["publish-crates-io"] * 5
    assert list(stack.ledger)[-1].job is None
    ex = select(stack.ledger, "oidc.exchange")[0]
    assert ex.details["crates"] == ["coglet"] and ex.details["claims"]["environment"] == "crates-io"


def test_exchange_refuses_other_workflow(stack: Stack) -> None:
    stack.github.begin_run(release_run(workflow=".github/workflows/other.yaml"))
    r = exchange(stack)
    assert r.status_code == 400
    assert errors(r) == ("The Trusted Publishing config for repository `replicate/cog` does not match the workflow "
                         "filename `other.yaml` in the JWT. Expected workflow filenames: `release-publish.yaml`")


def test_exchange_refuses_other_environment(stack: Stack) -> None:
    r = exchange(stack, job="publish-pypi-coglet")
    assert errors(r) == ("The Trusted Publishing config for repository `replicate/cog` does not match the environment "
                         "`pypi` in the JWT. Expected environments: `crates-io`")
    r = exchange(stack, job="publish-no-env")
    assert errors(r).startswith("The Trusted Publishing config for repository `replicate/cog` requires an environment")
    assert [e.ok for e in select(stack.ledger, "oidc.exchange")] == [False, False]


def test_exchange_refuses_bad_jwts(stack: Stack) -> None:
    assert errors(exchange(stack, audience="pypi")) == "Failed to decode JWT"
    r = requests.post(stack.base("crates") + "/api/v1/trusted_publishing/tokens", json={"jwt": "nope"}, timeout=10)
    assert r.status_code == 400 and errors(r) == "Failed to decode JWT"
    jwt = id_token(stack.env, "publish-crates-io", audience="crates.io").json()["value"]
    url = stack.base("crates") + "/api/v1/trusted_publishing/tokens"
    assert requests.post(url, json={"jwt": jwt}, timeout=10).status_code == 200
    assert errors(requests.post(url, json={"jwt": jwt}, timeout=10)) == "JWT has already been used"
    missing = requests.delete(url, timeout=10)
    assert missing.status_code == 401 and errors(missing) == "Missing authorization header"


def test_snapshot_restore(stack: Stack) -> None:
    stack.crates.seed("version", "coglet@0.16.0")
    snap = stack.crates.snapshot()
    stack.crates.restore(None)
    assert stack.crates.versions("coglet") == []
    stack.crates.restore(snap)
    assert stack.crates.versions("coglet") == ["0.16.0"]
    assert requests.get(stack.base("crates") + "/api/v1/crates/coglet/0.16.0/download", timeout=10).content == \
        stack.crates.crate_bytes("coglet", "0.16.0")
