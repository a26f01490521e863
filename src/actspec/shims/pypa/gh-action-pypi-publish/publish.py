"""actspec shim for pypa/gh-action-pypi-publish: trusted publishing + the real twine.

Steps, as the real action takes them:

1. without a ``password`` (and with ``user`` ``__token__``), trusted publishing: ask the
   index for its OIDC audience (``GET <index>/_/oidc/audience``), get the job's id token
   for it from GitHub, trade it at ``POST <index>/_/oidc/mint-token`` for a short-lived
   upload token;
2. ``twine check`` the distributions (``verify-metadata``);
3. ``twine upload --repository-url <index>/legacy/ -u __token__`` every file of
   ``packages-dir``.

``<index>`` is always the kit's mock PyPI (``$ACTSPEC_PYPI_URL``), whatever
``repository-url`` says; the log says so.  Refusals are printed as the index or GitHub
answered them, and fail the step.
"""

from __future__ import annotations

import glob
import hashlib
import os
import subprocess
import sys

from actspec_shim import gha
from actspec_shim.idtoken import IdTokenError, call, request_id_token

DEFAULT_URL = "https://upload.pypi.org/legacy/"
HERE = os.path.dirname(os.path.abspath(__file__))
DIST_SUFFIXES = (".whl", ".tar.gz", ".zip")


def exchange_failure(detail: str) -> None:
    gha.fail("Trusted publishing exchange failure: " + detail)


def trusted_publishing_token(index: str) -> str:
    """The upload token minted for this job's id token (steps 1 of the module docstring)."""
    reply = call("GET", f"{index}/_/oidc/audience")
    data = reply.json()
    if not reply.ok or not isinstance(data, dict) or not data.get("audience"):
        exchange_failure(f"the index at {index} does not support trusted publishing "
                         f"(audience request answered {reply.status}: {reply.message()})")
    audience = str(data["audience"])
    try:
        id_token = request_id_token(audience)
    except IdTokenError as exc:
        exchange_failure(f"OpenID Connect token retrieval failed: {exc}\n"
                         "The job needs `permissions: id-token: write` (and an environment that allows this ref).")
    reply = call("POST", f"{index}/_/oidc/mint-token", json_body={"token": id_token})
    data = reply.json()
    if not reply.ok or not isinstance(data, dict) or not data.get("token"):
        reasons = []
        for err in (data or {}).get("errors", []) if isinstance(data, dict) else []:
            reasons.append(f"* `{err.get('code')}`: {err.get('description')}")
        listed = "\n".join(reasons) or reply.message()
        exchange_failure(f"the index refused the token request ({reply.status}): "
                         f"{(data or {}).get('message', '') if isinstance(data, dict) else ''}\n{listed}\n"
                         "This usually means the project's trusted publisher (repository, workflow file, "
                         "environment) does not match this job.")
    token = str(data["token"])
    print(f"::add-mask::{token}", flush=True)
    gha.info(f"Trusted publishing: exchanged the job's id token (audience {audience!r}) for an upload token")
    return token


def distributions(packages_dir: str) -> list[str]:
    files = sorted(f for f in glob.glob(os.path.join(packages_dir, "*"))
                   if os.path.isfile(f) and f.endswith(DIST_SUFFIXES))
    return files


def twine(args: list[str], env: dict[str, str]) -> int:
    cmd = [sys.executable, os.path.join(HERE, "twine_with_identity.py"), *args]
    return subprocess.run(cmd, env=env).returncode


def run() -> int:
    index = os.environ.get("ACTSPEC_PYPI_URL", "").rstrip("/")
    if not index:
        gha.fail("ACTSPEC_PYPI_URL is not set: this is the actspec shim of pypa/gh-action-pypi-publish and "
                 "uploads to the kit's mock PyPI only")
    user = gha.get_input("user", "__token__")
    password = gha.get_input("password")
    configured = gha.get_input("repository-url", DEFAULT_URL)
    packages_dir = gha.get_input("packages-dir", "dist").rstrip("/") or "."
    upload_url = f"{index}/legacy/"
    gha.info(f"repository-url {configured} -> actspec mock PyPI {upload_url}")

    files = distributions(packages_dir)
    if not files:
        gha.fail(f"No distributions found in {packages_dir}/ (expected *.whl, *.tar.gz or *.zip)")
    gha.info("Distributions: " + ", ".join(os.path.basename(f) for f in files))

    trusted = not password
    if trusted:
        if user != "__token__":
            gha.fail(f"Trusted publishing needs user '__token__', got {user!r} without a password")
        password = trusted_publishing_token(index)
    else:
        gha.warning("Using a user-provided password/API token, not trusted publishing")

    env = {**os.environ, "TWINE_USERNAME": user, "TWINE_PASSWORD": password, "TWINE_NON_INTERACTIVE": "1"}
    if gha.get_bool_input("verify-metadata", True):
        gha.info("Checking the distributions' metadata (twine check)")
        if twine(["check", "--strict", *files], env) != 0:
            gha.fail("twine check found problems in the distributions' metadata")
    if gha.get_bool_input("print-hash", False):
        for f in files:
            data = open(f, "rb").read()
            gha.info(f"{os.path.basename(f)}: SHA256 {hashlib.sha256(data).hexdigest()} "
                     f"MD5 {hashlib.md5(data).hexdigest()} "
                     f"BLAKE2-256 {hashlib.blake2b(data, digest_size=32).hexdigest()}")
    if trusted and gha.get_bool_input("attestations", True):
        gha.notice("attestations: requested; the actspec shim does not produce PEP 740 attestations (no Sigstore)")

    args = ["upload", "--non-interactive", "--repository-url", upload_url, "--disable-progress-bar"]
    if gha.get_bool_input("skip-existing", False):
        args.append("--skip-existing")
    if gha.get_bool_input("verbose", False):
        args.append("--verbose")
    code = twine(args + files, env)
    if code != 0:
        gha.fail(f"twine upload to {upload_url} failed (exit {code}); the index's answer is printed above")
    gha.info(f"Uploaded {len(files)} file(s) to {upload_url}")
    return 0


if __name__ == "__main__":
    gha.main(run)
