"""OpenID Connect pieces shared by the mock GitHub (the issuer) and the mock registries.

The mock GitHub signs id tokens with :class:`Issuer` (a per-session RSA key, RS256, a
``kid`` in the header, the public half served as a JWKS).  PyPI and crates.io receive such
a token in a trusted-publishing exchange and check it with a :class:`Verifier`: signature,
``iss``, ``aud``, ``exp``/``nbf``/``iat`` -- nothing is skipped, so a token minted for the
wrong audience or one that expired is refused the way the real registries refuse it.

:class:`TrustedPublisher` is the registry-side configuration ("project X may be published
from repository R, workflow file W, environment E"), shared by both registries.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any, Callable

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from actspec.errors import OIDCError

ALGORITHM = "RS256"
WORKFLOWS_DIR = ".github/workflows/"


@dataclass(frozen=True)
class TrustedPublisher:
    """One trusted-publisher entry of a registry project (PyPI project or crate).

    ``workflow_filename`` is the bare file name (``release-publish.yaml``), as both
    registries ask for it.  ``environment`` ``None`` (or empty) means "any environment, or
    none"; otherwise the token's ``environment`` claim must equal it (case-insensitively).
    """

    repository: str
    workflow_filename: str
    environment: str | None = None

    @property
    def env(self) -> str:
        return (self.environment or "").lower()


def workflow_filename(workflow_ref: str | None, repository: str | None) -> str | None:
    """``release-publish.yaml`` from ``owner/repo/.github/workflows/release-publish.yaml@ref``.

    ``None`` when the reference is not of that shape (or names another repository).
    """
    if not workflow_ref or not repository:
        return None
    path, sep, _ref = workflow_ref.partition("@")
    if not sep:
        return None
    prefix = f"{repository}/{WORKFLOWS_DIR}"
    if not path.lower().startswith(prefix.lower()):
        return None
    name = path[len(prefix):]
    return name if name and "/" not in name else None


class Issuer:
    """The signing side: one RSA key per session (kept across runs; it is not run state)."""

    def __init__(self, key_size: int = 2048) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
        self.kid = secrets.token_hex(16)
        self._lock = threading.Lock()
        self._issuer_url: str | None = None
        self._jobs: dict[str, str] = {}  # jti -> the job the token was minted for

    @property
    def issuer_url(self) -> str | None:
        """The ``iss`` of every token: the mock GitHub's base URL, once it is known."""
        with self._lock:
            return self._issuer_url

    @issuer_url.setter
    def issuer_url(self, value: str) -> None:
        with self._lock:
            self._issuer_url = value.rstrip("/")

    def sign(self, claims: dict[str, Any], job: str | None = None) -> str:
        """Sign ``claims``; remember which ``job`` asked (by ``jti``) for :meth:`job_of`."""
        if job is not None and claims.get("jti"):
            with self._lock:
                self._jobs[str(claims["jti"])] = job
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self.kid, "typ": "JWT"})

    def job_of(self, jti: str) -> str | None:
        """The job a token was minted for (GitHub's claims do not say; the kit remembers)."""
        with self._lock:
            return self._jobs.get(jti)

    def public_jwks(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        jwk.update({"kid": self.kid, "use": "sig", "alg": ALGORITHM})
        return {"keys": [jwk]}

    def verifier(self) -> Verifier:
        return Verifier(self.public_jwks, lambda: self.issuer_url, job_of=self.job_of)


class Verifier:
    """Checks a token the way a relying party does: by the issuer's published keys.

    ``jwks`` and ``issuer`` are callables so that a verifier made before the mock GitHub
    knows its own URL still sees it later.
    """

    REQUIRED = ("iss", "aud", "exp", "iat", "nbf", "sub", "jti")

    def __init__(self, jwks: Callable[[], dict[str, Any]], issuer: Callable[[], str | None],
                 leeway: float = 5.0, job_of: Callable[[str], str | None] | None = None) -> None:
        self._jwks = jwks
        self._issuer = issuer
        self._job_of = job_of
        self.leeway = leeway

    def job_of(self, claims: dict[str, Any]) -> str | None:
        """The job whose id-token request produced these (verified) claims, if known.

        Lets a registry attribute an exchange -- and every upload made with the token it
        minted -- to a job even when the client (twine, cargo) sends no ``X-Actspec-Job``.
        """
        if self._job_of is None or not claims.get("jti"):
            return None
        return self._job_of(str(claims["jti"]))

    @property
    def issuer(self) -> str | None:
        return self._issuer()

    def unverified(self, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """Header and claims without any check (for error messages); raises ``malformed``."""
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except (jwt.InvalidTokenError, TypeError, ValueError) as exc:
            raise OIDCError("malformed", f"not a JWT: {exc}") from None
        if not isinstance(claims, dict):
            raise OIDCError("malformed", "JWT payload is not an object")
        return header, claims

    def verify(self, token: str, audience: str) -> dict[str, Any]:
        """Verified claims of ``token`` for ``audience``, or :class:`OIDCError`."""
        header, unverified = self.unverified(token)
        issuer = self.issuer
        if issuer is None or unverified.get("iss") != issuer:
            raise OIDCError("issuer", f"unsupported issuer {unverified.get('iss')!r} (expected {issuer!r})")
        kid = header.get("kid")
        if not kid:
            raise OIDCError("no-kid", "JWT header has no key ID")
        keys = {k.get("kid"): k for k in self._jwks().get("keys", [])}
        if kid not in keys:
            raise OIDCError("unknown-kid", f"no key {kid!r} in the issuer's JWKS")
        if header.get("alg") != ALGORITHM:
            raise OIDCError("invalid", f"unexpected algorithm {header.get('alg')!r}")
        key = jwt.PyJWK(keys[kid]).key
        try:
            return jwt.decode(
                token,
                key=key,
                algorithms=[ALGORITHM],
                audience=audience,
                issuer=issuer,
                leeway=self.leeway,
                options={"require": list(self.REQUIRED), "verify_signature": True},
            )
        except jwt.ExpiredSignatureError:
            raise OIDCError("expired", "token has expired") from None
        except jwt.InvalidAudienceError:
            raise OIDCError("audience", f"audience mismatch: expected {audience!r}, got {unverified.get('aud')!r}") from None
        except jwt.ImmatureSignatureError:
            raise OIDCError("immature", "token is not yet valid (nbf/iat in the future)") from None
        except jwt.InvalidSignatureError:
            raise OIDCError("signature", "signature verification failed") from None
        except jwt.MissingRequiredClaimError as exc:
            raise OIDCError("claims", f"missing required claim {exc.claim!r}") from None
        except jwt.InvalidTokenError as exc:
            raise OIDCError("invalid", f"invalid token: {exc}") from None
