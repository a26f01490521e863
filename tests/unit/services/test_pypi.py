"""Mock PyPI against the real clients: twine uploads, pip installs, trusted publishing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from actspec.ledger import select

from .conftest import Stack, release_run
from .support import (
    build_sdist,
    build_wheel,
    id_token,
    local_env,
    twine_upload,
    upload_form,
)

pytestmark = pytest.mark.unit

COGLET_TAG = "cp310-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64"


def legacy(stack: Stack) -> str:
    return stack.base("pypi") + "/legacy/"


def exchange(stack: Stack, job: str = "publish-pypi-coglet", audience: str = "pypi") -> requests.Response:
    """The trusted-publishing dance a publish action does: id token -> mint-token."""
    aud = requests.get(stack.base("pypi") + "/_/oidc/audience", timeout=10).json()["audience"]
    assert aud == "pypi"
    jwt = id_token(stack.env, job, audience=audience).json()["value"]
    return requests.post(stack.base("pypi") + "/_/oidc/mint-token", json={"token": jwt}, timeout=10)


def sdk_and_coglet(tmp: Path) -> tuple[list[Path], list[Path]]:
    coglet = [build_wheel(tmp, "coglet", "0.17.0", tag=COGLET_TAG, requires_python=">=3.10")]
    cog = [build_wheel(tmp, "cog", "0.17.0", requires_python=">=3.10", provides_extra=("coglet",),
                       requires_dist=('coglet<1.0,>=0.17.0; extra == "coglet"',)),
           build_sdist(tmp, "cog", "0.17.0", requires_python=">=3.10", provides_extra=("coglet",),
                       requires_dist=('coglet<1.0,>=0.17.0; extra == "coglet"',))]
    return coglet, cog


def test_twine_upload_then_pip_install(stack: Stack, tmp_path: Path) -> None:
    coglet, cog = sdk_and_coglet(tmp_path / "dist")
    # coglet's wheel is not for this machine's platform: publish a pure one too so pip can install it
    coglet.append(build_wheel(tmp_path / "dist", "coglet", "0.17.0", tag="py3-none-any", requires_python=">=3.10"))
    token = stack.pypi.mint_token(["cog", "coglet"])
    r = twine_upload(legacy(stack), token, *coglet)
    assert r.returncode == 0, r.stdout + r.stderr
    r = twine_upload(legacy(stack), token, *cog)
    assert r.returncode == 0, r.stdout + r.stderr

    uploads = select(stack.ledger, "pypi.upload")
    assert [(e.subject, e.ok) for e in uploads] == [(p.name, True) for p in coglet + cog]
    assert uploads[0].details["project"] == "coglet" and uploads[0].details["token"] == "api"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=local_env(), timeout=300)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-cache-dir", "--index-url",
         stack.base("pypi") + "/simple/", "cog[coglet]==0.17.0"],
        capture_output=True, text=True, env=local_env(), timeout=300)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    assert "Successfully installed cog-0.17.0 coglet-0.17.0" in pip.stdout
    show = subprocess.run([str(venv / "bin" / "python"), "-c", "import cog, coglet; print(cog.VERSION, coglet.VERSION)"],
                          capture_output=True, text=True, timeout=60)
    assert show.stdout.split() == ["0.17.0", "0.17.0"]


def test_simple_index_formats(stack: Stack, tmp_path: Path) -> None:
    _coglet, cog = sdk_and_coglet(tmp_path)
    assert twine_upload(legacy(stack), stack.pypi.mint_token("cog"), *cog).returncode == 0
    html = requests.get(stack.base("pypi") + "/simple/cog/", timeout=10)
    assert html.headers["Content-Type"].startswith("text/html")
    wheel = cog[0]
    import hashlib

    sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert f'/files/{wheel.name}#sha256={sha}"' in html.text
    assert 'data-requires-python="&gt;=3.10"' in html.text
    js = requests.get(stack.base("pypi") + "/simple/cog/", timeout=10,
                      headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    assert js.headers["Content-Type"] == "application/vnd.pypi.simple.v1+json"
    body = js.json()
    assert body["meta"]["api-version"] == "1.1" and body["versions"] == ["0.17.0"]
    files = {f["filename"]: f for f in body["files"]}
    assert files[wheel.name]["hashes"]["sha256"] == sha
    assert files[wheel.name]["requires-python"] == ">=3.10"
    # PEP 714: "core-metadata"; never "dist-info-metadata", on which pip 23.0 (Debian's) crashes
    assert "dist-info-metadata" not in files[wheel.name]
    assert files[wheel.name]["data-dist-info-metadata"] == files[wheel.name]["core-metadata"]
    meta = requests.get(files[wheel.name]["url"] + ".metadata", timeout=10)
    assert b"Name: cog" in meta.content
    assert hashlib.sha256(meta.content).hexdigest() == files[wheel.name]["core-metadata"]["sha256"]
    assert requests.get(files[wheel.name]["url"], timeout=10).content == wheel.read_bytes()
    info = requests.get(stack.base("pypi") + "/pypi/cog/json", timeout=10).json()
    assert info["info"]["version"] == "0.17.0" and set(info["releases"]) == {"0.17.0"}
    assert requests.get(stack.base("pypi") + "/simple/nope/", timeout=10).status_code == 404
    assert "cog" in requests.get(stack.base("pypi") + "/simple/", timeout=10).text


def test_duplicate_file_rejected_with_warehouse_wording(stack: Stack, tmp_path: Path) -> None:
    token = stack.pypi.mint_token("cog")
    first = build_wheel(tmp_path / "a", "cog", "0.17.0")
    assert twine_upload(legacy(stack), token, first).returncode == 0
    # byte-identical re-upload: PyPI answers 200 and changes nothing
    assert twine_upload(legacy(stack), token, first).returncode == 0
    # same name, other content: the real rejection
    second = build_wheel(tmp_path / "b", "cog", "0.17.0", payload="CHANGED = True\n")
    r = twine_upload(legacy(stack), token, second)
    assert r.returncode != 0
    out = " ".join((r.stdout + r.stderr).split())
    assert "400 Bad Request" in out
    assert "File already exists ('cog-0.17.0-py3-none-any.whl', with blake2_256 hash" in out
    assert "See https://pypi.org/help/#file-name-reuse for more information." in out
    entries = select(stack.ledger, "pypi.upload")
    assert [(e.ok, e.details.get("noop")) for e in entries] == [(True, False), (True, True), (False, None)]
    assert entries[2].details["message"].startswith("File already exists ('cog-0.17.0-py3-none-any.whl'")


def test_seeded_version_collides(stack: Stack, tmp_path: Path) -> None:
    stack.pypi.seed("version", "cog==0.17.0")
    r = twine_upload(legacy(stack), stack.pypi.mint_token("cog"), build_sdist(tmp_path, "cog", "0.17.0"))
    assert r.returncode != 0
    assert "File already exists ('cog-0.17.0.tar.gz'" in " ".join((r.stdout + r.stderr).split())
    wheel = build_wheel(tmp_path, "coglet", "0.17.0", tag=COGLET_TAG)
    stack.pypi.seed("file", wheel.name)
    r = twine_upload(legacy(stack), stack.pypi.mint_token("coglet"), wheel)
    # rich wraps twine's output at any character: compare without whitespace
    assert f"Filealreadyexists('{wheel.name}'" in "".join((r.stdout + r.stderr).split())


def test_bad_token_403(stack: Stack, tmp_path: Path) -> None:
    r = twine_upload(legacy(stack), "pypi-not-a-real-token", build_wheel(tmp_path, "cog", "0.17.0"))
    assert r.returncode != 0
    out = " ".join((r.stdout + r.stderr).split())
    assert "403 Forbidden" in out
    assert "Invalid or non-existent authentication information. See https://pypi.org/help/#invalid-auth" in out
    [entry] = select(stack.ledger, "pypi.upload")
    assert not entry.ok and entry.details["status"] == 403


def test_token_for_another_project_refused(stack: Stack, tmp_path: Path) -> None:
    r = twine_upload(legacy(stack), stack.pypi.mint_token("coglet"), build_wheel(tmp_path, "cog", "0.17.0"))
    assert r.returncode != 0
    assert "Invalid API Token: project-scoped token is not valid for project: 'cog'" in " ".join(
        (r.stdout + r.stderr).split())


def test_invalid_version_400(stack: Stack, tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path, "cog", "0.17.0")
    fields, files = upload_form(wheel, version="0.17.0-not..valid")
    r = requests.post(legacy(stack), data=fields, files=files, auth=("__token__", stack.pypi.mint_token("cog")),
                      timeout=10)
    assert r.status_code == 400
    assert r.reason == ("'0.17.0-not..valid' is invalid for 'version'. See "
                        "https://packaging.python.org/specifications/core-metadata for more information.")
    fields, files = upload_form(wheel, version="0.17.0+local")
    r = requests.post(legacy(stack), data=fields, files=files, auth=("__token__", stack.pypi.mint_token("cog")),
                      timeout=10)
    assert r.status_code == 400 and "The use of local versions in '0.17.0+local' is not allowed." in r.reason
    # form and file name disagree
    fields, files = upload_form(wheel, version="0.17.1")
    r = requests.post(legacy(stack), data=fields, files=files, auth=("__token__", stack.pypi.mint_token("cog")),
                      timeout=10)
    assert r.status_code == 400 and r.reason == "Version in filename should be '0.17.1' not '0.17.0'."


def test_wheel_metadata_must_match_and_digests_must_match(stack: Stack, tmp_path: Path) -> None:
    token = stack.pypi.mint_token("cog")
    liar = build_wheel(tmp_path / "x", "cog", "0.17.0", metadata_version_field="0.16.0")
    r = twine_upload(legacy(stack), token, liar)
    # twine takes name/version from METADATA, so the form says 0.16.0 and the file name 0.17.0
    assert r.returncode != 0 and "Version in filename should be '0.16.0' not '0.17.0'." in " ".join(
        (r.stdout + r.stderr).split())
    # a client that takes the version from the file name: the kit's METADATA check catches it
    fields, files = upload_form(liar)
    r = requests.post(legacy(stack), data=fields, files=files, auth=("__token__", token), timeout=10)
    assert r.status_code == 400
    assert r.reason == ("Wheel 'cog-0.17.0-py3-none-any.whl' METADATA says cog 0.16.0, "
                        "but the upload is cog 0.17.0.")
    wheel = build_wheel(tmp_path / "y", "cog", "0.17.0")
    fields, files = upload_form(wheel, sha256_digest="0" * 64)
    r = requests.post(legacy(stack), data=fields, files=files, auth=("__token__", token), timeout=10)
    assert r.status_code == 400 and r.reason.startswith("The digest supplied does not match")
    bad_platform = build_wheel(tmp_path / "z", "coglet", "0.17.0", tag="cp310-abi3-linux_x86_64")
    r = twine_upload(legacy(stack), stack.pypi.mint_token("coglet"), bad_platform)
    assert "has an unsupported platform tag 'linux_x86_64'" in " ".join((r.stdout + r.stderr).split())


# ---------------------------------------------------------------- trusted publishing

def test_trusted_publishing_then_upload(stack: Stack, tmp_path: Path) -> None:
    r = exchange(stack)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True and body["token"].startswith("pypi-") and body["expires"] > 0
    coglet, cog = sdk_and_coglet(tmp_path)
    assert twine_upload(legacy(stack), body["token"], *coglet).returncode == 0
    # both projects share the publisher, so the one token may upload both (as on PyPI)
    assert twine_upload(legacy(stack), body["token"], *cog).returncode == 0
    [ex] = select(stack.ledger, "oidc.exchange")
    assert ex.ok and ex.details["projects"] == ["cog", "coglet"]
    # neither the exchange request nor twine named a job: the id token's job is remembered
    assert ex.job == "publish-pypi-coglet"
    assert [e.job for e in select(stack.ledger, "pypi.upload")] == ["publish-pypi-coglet"] * 3
    assert ex.details["claims"]["environment"] == "pypi"
    assert ex.details["claims"]["job_workflow_ref"].endswith("release-publish.yaml@refs/tags/v0.17.0")
    assert [e.details["token"] for e in select(stack.ledger, "pypi.upload")] == ["oidc"] * 3


def test_oidc_token_not_valid_for_other_project(stack: Stack, tmp_path: Path) -> None:
    stack.pypi.seed("project", "other")
    token = exchange(stack).json()["token"]
    r = twine_upload(legacy(stack), token, build_wheel(tmp_path, "other", "1.0.0"))
    assert r.returncode != 0
    assert "Invalid API Token: OIDC scoped token is not valid for project 'other'" in " ".join(
        (r.stdout + r.stderr).split())


def _invalid(r: requests.Response, code: str) -> str:
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["message"] == "Token request failed"
    [err] = body["errors"]
    assert err["code"] == code
    return err["description"]


def test_exchange_refuses_other_workflow(stack: Stack) -> None:
    stack.github.begin_run(release_run(workflow=".github/workflows/other.yaml"))
    desc = _invalid(exchange(stack), "invalid-publisher")
    assert desc == "valid token, but no corresponding publisher (Publisher with matching claims was not found)"
    [ex] = select(stack.ledger, "oidc.exchange")
    assert not ex.ok and "workflow 'other.yaml'" in ex.details["reason"]


def test_exchange_refuses_other_environment(stack: Stack) -> None:
    # publish-crates-io runs in environment crates-io; PyPI's publishers want pypi
    _invalid(exchange(stack, job="publish-crates-io"), "invalid-publisher")
    # ... and a job without any environment does not match an environment-bound publisher either
    _invalid(exchange(stack, job="publish-no-env"), "invalid-publisher")


def test_exchange_refuses_bad_tokens(stack: Stack) -> None:
    # minted for crates.io: audience mismatch
    assert _invalid(exchange(stack, audience="crates.io"), "invalid-token") == "malformed or invalid token"
    assert "audience" in select(stack.ledger, "oidc.exchange")[-1].details["reason"]
    r = requests.post(stack.base("pypi") + "/_/oidc/mint-token", json={"token": "garbage"}, timeout=10)
    _invalid(r, "invalid-token")
    r = requests.post(stack.base("pypi") + "/_/oidc/mint-token", json={}, timeout=10)
    _invalid(r, "invalid-payload")
    # a JWT is good for one exchange
    jwt = id_token(stack.env, "publish-pypi-coglet", audience="pypi").json()["value"]
    first = requests.post(stack.base("pypi") + "/_/oidc/mint-token", json={"token": jwt}, timeout=10)
    assert first.status_code == 200
    again = requests.post(stack.base("pypi") + "/_/oidc/mint-token", json={"token": jwt}, timeout=10)
    _invalid(again, "invalid-reuse-token")


def test_snapshot_restore(stack: Stack, tmp_path: Path) -> None:
    assert twine_upload(legacy(stack), stack.pypi.mint_token("cog"), build_wheel(tmp_path, "cog", "0.17.0")).returncode == 0
    snap = stack.pypi.snapshot()
    stack.pypi.restore(None)
    assert stack.pypi.projects() == {}
    stack.pypi.restore(snap)
    assert stack.pypi.projects() == {"cog": ["0.17.0"]}
