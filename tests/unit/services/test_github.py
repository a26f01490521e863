"""Mock GitHub: releases REST subset (with ``requests``) and the Actions OIDC token service."""

from __future__ import annotations

import hashlib
import time

import jwt
import pytest
import requests

from actspec.errors import OIDCError
from actspec.ledger import select
from actspec.services.oidc import workflow_filename

from .conftest import REPO, Stack, release_run
from .support import id_token

pytestmark = pytest.mark.unit


def api(stack: Stack, method: str, path: str, token: str | None = "default", job: str | None = None,
        **kw: object) -> requests.Response:
    headers = dict(kw.pop("headers", {}) or {})  # type: ignore[arg-type]
    if token == "default":
        token = stack.github.token
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if job is not None:
        headers["X-Actspec-Job"] = job
    return requests.request(method, stack.base("github") + path, headers=headers, timeout=10, **kw)  # type: ignore[arg-type]


def create(stack: Stack, tag: str = "v0.17.0", draft: bool = True, **kw: object) -> requests.Response:
    return api(stack, "POST", f"/repos/{REPO}/releases", json={"tag_name": tag, "name": tag, "draft": draft,
                                                                  "prerelease": False, "body": "notes"}, **kw)


# ---------------------------------------------------------------- releases

def test_draft_release_lifecycle(stack: Stack) -> None:
    r = create(stack, job="create-draft-release")
    assert r.status_code == 201, r.text
    rel = r.json()
    assert rel["draft"] is True and rel["tag_name"] == "v0.17.0" and rel["published_at"] is None
    upload_url = rel["upload_url"]
    assert upload_url.endswith("/assets{?name,label}")
    assert upload_url.startswith(stack.base("github") + "/uploads/repos/replicate/cog/releases/")

    # upload to the templated URL, as clients expand it
    url = upload_url.replace("{?name,label}", "?name=cog_Linux_x86_64")
    up = requests.post(url, data=b"\x7fELF binary", timeout=10,
                       headers={"Authorization": f"token {stack.github.token}", "Content-Type": "application/octet-stream"})
    assert up.status_code == 201, up.text
    asset = up.json()
    assert asset["name"] == "cog_Linux_x86_64" and asset["size"] == len(b"\x7fELF binary")
    assert asset["digest"] == "sha256:" + hashlib.sha256(b"\x7fELF binary").hexdigest()

    dup = requests.post(url, data=b"other", timeout=10, headers={"Authorization": f"Bearer {stack.github.token}"})
    assert dup.status_code == 422
    assert dup.json()["errors"] == [{"resource": "ReleaseAsset", "code": "already_exists", "field": "name"}]

    # drafts: invisible by tag and to anonymous callers, visible by id and in the list with a token
    assert api(stack, "GET", f"/repos/{REPO}/releases/tags/v0.17.0").status_code == 404
    assert api(stack, "GET", f"/repos/{REPO}/releases/{rel['id']}", token=None).status_code == 404
    assert api(stack, "GET", f"/repos/{REPO}/releases/{rel['id']}").json()["id"] == rel["id"]
    assert [x["id"] for x in api(stack, "GET", f"/repos/{REPO}/releases").json()] == [rel["id"]]
    assert api(stack, "GET", f"/repos/{REPO}/releases", token=None).json() == []
    assets = api(stack, "GET", f"/repos/{REPO}/releases/{rel['id']}/assets").json()
    assert [a["name"] for a in assets] == ["cog_Linux_x86_64"]
    raw = api(stack, "GET", f"/repos/{REPO}/releases/assets/{asset['id']}",
              headers={"Accept": "application/octet-stream"})
    assert raw.content == b"\x7fELF binary"
    assert stack.github.asset_bytes("v0.17.0", "cog_Linux_x86_64") == b"\x7fELF binary"

    # the maintainer publishes it: the payload of the release event
    payload_release = stack.github.publish("v0.17.0")
    assert payload_release["draft"] is False and payload_release["published_at"]
    assert [a["name"] for a in payload_release["assets"]] == ["cog_Linux_x86_64"]
    by_tag = api(stack, "GET", f"/repos/{REPO}/releases/tags/v0.17.0", token=None)
    assert by_tag.status_code == 200 and by_tag.json()["id"] == rel["id"]
    assert api(stack, "GET", f"/repos/{REPO}/releases/latest").json()["tag_name"] == "v0.17.0"

    kinds = [(e.kind, e.subject, e.ok) for e in stack.ledger]
    assert kinds == [("release.create", "v0.17.0", True), ("release.asset", "v0.17.0/cog_Linux_x86_64", True),
                     ("release.asset", "v0.17.0/cog_Linux_x86_64", False), ("release.publish", "v0.17.0", True)]
    assert select(stack.ledger, "release.create")[0].job == "create-draft-release"


def test_the_enterprise_layout_serves_the_same_api(stack: Stack) -> None:
    """go-github clients given an API URL (goreleaser's github_urls) call ``api/v3/`` and ``api/uploads/``."""
    r = api(stack, "POST", f"/api/v3/repos/{REPO}/releases", json={"tag_name": "v0.17.0", "draft": True})
    assert r.status_code == 201, r.text
    up = api(stack, "POST", f"/api/uploads/repos/{REPO}/releases/{r.json()['id']}/assets?name=cog", data=b"x",
             headers={"User-Agent": "goreleaser/2.15.1"})
    assert up.status_code == 201, up.text
    assert api(stack, "GET", "/api/v3/rate_limit").json()["resources"]["core"]["remaining"] == 5000
    (asset,) = select(stack.ledger, "release.asset")
    assert asset.details["user_agent"] == "goreleaser/2.15.1"


def test_an_endpoint_the_mock_lacks_is_501_naming_it(stack: Stack) -> None:
    r = api(stack, "GET", f"/api/v3/repos/{REPO}/commits")
    assert r.status_code == 501
    assert r.json()["message"] == f"actspec: the mock GitHub does not serve GET /api/v3/repos/{REPO}/commits"
    (entry,) = select(stack.ledger, "github.unserved")
    assert entry.subject == f"GET /api/v3/repos/{REPO}/commits" and entry.ok is False


def test_published_release_owns_its_tag(stack: Stack) -> None:
    first = create(stack, draft=False)
    assert first.status_code == 201
    again = create(stack, draft=False)
    assert again.status_code == 422
    body = again.json()
    assert body["message"] == "Validation Failed"
    assert body["errors"] == [{"resource": "Release", "code": "already_exists", "field": "tag_name"}]
    # drafts do not own tags: two drafts may share one, but neither can be published now
    other = create(stack, tag="v0.18.0")
    assert create(stack, tag="v0.18.0").status_code == 201
    patch = api(stack, "PATCH", f"/repos/{REPO}/releases/{other.json()['id']}", json={"tag_name": "v0.17.0",
                                                                                       "draft": False})
    assert patch.status_code == 422
    rejected = select(stack.ledger, "release.publish", ok=False)
    assert rejected and rejected[0].details["status"] == 422


def test_patch_publishes_a_draft(stack: Stack) -> None:
    rel = create(stack).json()
    r = api(stack, "PATCH", f"/repos/{REPO}/releases/{rel['id']}", json={"draft": False})
    assert r.status_code == 200 and r.json()["draft"] is False
    assert [e.kind for e in stack.ledger] == ["release.create", "release.publish"]


def test_writes_need_the_token(stack: Stack) -> None:
    missing = create(stack, token=None)
    assert missing.status_code == 401 and missing.json()["message"] == "Requires authentication"
    bad = create(stack, token="ghs_wrong")
    assert bad.status_code == 401
    assert bad.json()["message"] == "Bad credentials"
    assert bad.json()["documentation_url"].startswith("https://docs.github.com/")
    other_repo = api(stack, "POST", "/repos/someone/else/releases", json={"tag_name": "v1"})
    assert other_repo.status_code == 403 and other_repo.json()["message"] == "Resource not accessible by integration"
    read_only = create(stack, job="read-only-job")
    assert read_only.status_code == 403
    entries = select(stack.ledger, "release.create")
    assert [e.ok for e in entries] == [False, False, False, False]
    assert [e.details["status"] for e in entries] == [401, 401, 403, 403]
    assert entries[0].details["message"] == "Requires authentication"


def test_seeded_and_restored_state(stack: Stack) -> None:
    stack.github.restore(None)
    stack.github.seed("draft", "v0.17.0")
    stack.github.seed("asset", "v0.17.0/checksums.txt")
    stack.github.begin_run(release_run())
    [rel] = stack.github.releases()
    assert rel["draft"] and [a["name"] for a in rel["assets"]] == ["checksums.txt"]
    snap = stack.github.snapshot()
    stack.github.publish("v0.17.0")
    stack.github.restore(snap)
    assert stack.github.releases()[0]["draft"] is True


# ---------------------------------------------------------------- OIDC

def test_id_token_claims_and_signature(stack: Stack) -> None:
    r = id_token(stack.env, "publish-pypi-coglet", audience="pypi")
    assert r.status_code == 200, r.text
    token = r.json()["value"]
    header = jwt.get_unverified_header(token)
    jwks = requests.get(stack.base("github") + "/.well-known/jwks", timeout=10).json()
    [key] = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["RS256"], audience="pypi",
                        issuer=stack.base("github"))
    assert claims["sub"] == "repo:replicate/cog:environment:pypi"
    assert claims["repository"] == REPO and claims["repository_owner"] == "replicate"
    assert claims["ref"] == "refs/tags/v0.17.0" and claims["ref_type"] == "tag"
    assert claims["workflow_ref"] == "replicate/cog/.github/workflows/release-publish.yaml@refs/tags/v0.17.0"
    assert claims["job_workflow_ref"] == claims["workflow_ref"]
    assert claims["environment"] == "pypi" and claims["event_name"] == "release" and claims["run_id"] == "4242"
    assert claims["exp"] - claims["iat"] == 300 and claims["jti"]
    assert stack.github.verifier().verify(token, "pypi")["jti"] == claims["jti"]
    [entry] = select(stack.ledger, "oidc.token")
    assert entry.ok and entry.job == "publish-pypi-coglet" and entry.subject == "pypi"


def test_id_token_default_audience_and_ref_subject(stack: Stack) -> None:
    token = id_token(stack.env, "publish-no-env").json()["value"]
    claims = stack.github.verifier().verify(token, "https://github.com/replicate")
    assert claims["sub"] == "repo:replicate/cog:ref:refs/tags/v0.17.0"
    assert "environment" not in claims


@pytest.mark.parametrize("job,expect", [
    ("verify-release", "lacks 'permissions: id-token: write'"),
    ("no-such-job", "is not a job of"),
])
def test_id_token_refused_for_job(stack: Stack, job: str, expect: str) -> None:
    r = id_token(stack.env, job, audience="pypi")
    assert r.status_code == 403
    assert expect in r.json()["message"]
    [entry] = select(stack.ledger, "oidc.token")
    assert not entry.ok and entry.details["status"] == 403 and entry.job == job


def test_id_token_refused_with_wrong_bearer(stack: Stack) -> None:
    r = id_token(stack.env, "publish-pypi-coglet", audience="pypi", bearer="nope")
    assert r.status_code == 401
    assert select(stack.ledger, "oidc.token", ok=False)[0].details["status"] == 401


def test_id_token_refused_when_environment_rules_do_not_match(stack: Stack) -> None:
    stack.github.begin_run(release_run(ref="refs/heads/main"))
    r = id_token(stack.env, "publish-pypi-coglet", audience="pypi")
    assert r.status_code == 403
    message = r.json()["message"]
    assert "environment 'pypi'" in message and "['tag:v*']" in message and "refs/heads/main" in message
    # a job without an environment is not subject to deployment rules
    assert id_token(stack.env, "publish-no-env").status_code == 200


def test_verifier_checks_everything(stack: Stack) -> None:
    verifier = stack.github.verifier()
    good = id_token(stack.env, "publish-crates-io", audience="crates.io").json()["value"]
    with pytest.raises(OIDCError) as aud:
        verifier.verify(good, "pypi")
    assert aud.value.code == "audience"
    head, body, sig = good.split(".")
    tampered = ".".join([head, body, sig[:-4] + ("AAAA" if not sig.endswith("AAAA") else "BBBB")])
    with pytest.raises(OIDCError) as bad_sig:
        verifier.verify(tampered, "crates.io")
    assert bad_sig.value.code == "signature"
    claims = jwt.decode(good, options={"verify_signature": False})
    # the same claims signed by another key, with the real kid: signature check fails
    from cryptography.hazmat.primitives.asymmetric import rsa

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other, algorithm="RS256", headers={"kid": stack.github.issuer.kid})
    with pytest.raises(OIDCError) as forged_err:
        verifier.verify(forged, "crates.io")
    assert forged_err.value.code == "signature"
    expired = stack.github.issuer.sign({**claims, "iat": int(time.time()) - 900, "exp": int(time.time()) - 600})
    with pytest.raises(OIDCError) as exp:
        verifier.verify(expired, "crates.io")
    assert exp.value.code == "expired"
    wrong_iss = stack.github.issuer.sign({**claims, "iss": "https://token.actions.githubusercontent.com"})
    with pytest.raises(OIDCError) as iss:
        verifier.verify(wrong_iss, "crates.io")
    assert iss.value.code == "issuer"
    with pytest.raises(OIDCError) as junk:
        verifier.verify("not-a-jwt", "crates.io")
    assert junk.value.code == "malformed"


def test_workflow_filename() -> None:
    assert workflow_filename("o/r/.github/workflows/release.yaml@refs/tags/v1", "o/r") == "release.yaml"
    assert workflow_filename("o/r/.github/workflows/release.yaml", "o/r") is None
    assert workflow_filename("x/y/.github/workflows/release.yaml@refs/tags/v1", "o/r") is None
