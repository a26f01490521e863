"""Main step of the rust-lang/crates-io-auth-action shim (see README.md).

Gets the job's OIDC id token for the registry's audience (its host name, ``crates.io``),
trades it at ``POST <registry>/api/v1/trusted_publishing/tokens`` for a temporary token,
masks it, sets the output ``token`` and keeps it in the action's state for the post step.
The registry is the kit's mock crates.io (``$ACTSPEC_CRATES_URL``) whatever ``url`` says,
and cargo's default registry is pointed at it for the job's later steps.
"""

from __future__ import annotations

import os
import urllib.parse

from actspec_shim import gha
from actspec_shim.idtoken import IdTokenError, call, request_id_token

REGISTRY = "actspec"


def point_cargo_at(base: str) -> None:
    """``cargo publish`` of later steps goes to the mock, with CARGO_REGISTRY_TOKEN as token."""
    up = REGISTRY.upper()
    wanted = {
        "CARGO_REGISTRY_DEFAULT": REGISTRY,
        f"CARGO_REGISTRIES_{up}_INDEX": f"sparse+{base}/index/",
        f"CARGO_REGISTRIES_{up}_CREDENTIAL_PROVIDER": "cargo:token-from-stdout printenv CARGO_REGISTRY_TOKEN",
    }
    for name, value in wanted.items():
        if not os.environ.get(name):
            gha.export_variable(name, value)
    gha.info(f"cargo's default registry for the next steps: the actspec mock crates.io ({base})")


def run() -> int:
    base = os.environ.get("ACTSPEC_CRATES_URL", "").rstrip("/")
    if not base:
        gha.fail("ACTSPEC_CRATES_URL is not set: this is the actspec shim of rust-lang/crates-io-auth-action and "
                 "talks to the kit's mock crates.io only")
    url = gha.get_input("url", "https://crates.io").rstrip("/")
    audience = urllib.parse.urlparse(url).hostname or url
    gha.info(f"Registry {url} -> actspec mock crates.io {base}; id-token audience {audience!r}")
    try:
        jwt = request_id_token(audience)
    except IdTokenError as exc:
        gha.fail(f"Failed to retrieve the GitHub OIDC token: {exc}. The job needs `permissions: id-token: write`.")
    reply = call("POST", f"{base}/api/v1/trusted_publishing/tokens", json_body={"jwt": jwt})
    data = reply.json()
    if not reply.ok or not isinstance(data, dict) or not data.get("token"):
        gha.fail(f"Failed to retrieve token from Cargo registry. Status: {reply.status}. "
                 f"Response: {reply.message()}")
    token = str(data["token"])
    print(f"::add-mask::{token}", flush=True)
    gha.set_output("token", token)
    gha.save_state("token", token)
    gha.save_state("registry", base)
    gha.info("Retrieved a temporary crates.io token (revoked by the post step)")
    point_cargo_at(base)
    return 0


if __name__ == "__main__":
    gha.main(run)
