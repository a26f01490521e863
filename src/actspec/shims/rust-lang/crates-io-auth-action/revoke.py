"""Post step of the rust-lang/crates-io-auth-action shim: revoke the temporary token."""

from __future__ import annotations

from actspec_shim import gha
from actspec_shim.idtoken import call


def run() -> int:
    token = gha.get_state("token")
    base = gha.get_state("registry")
    if not token or not base:
        gha.info("No token to revoke")
        return 0
    reply = call("DELETE", f"{base}/api/v1/trusted_publishing/tokens", headers={"Authorization": f"Bearer {token}"})
    if not reply.ok:
        gha.warning(f"Failed to revoke the temporary token. Status: {reply.status}. Response: {reply.message()}")
        return 0
    gha.info("Revoked the temporary crates.io token")
    return 0


if __name__ == "__main__":
    gha.main(run)
