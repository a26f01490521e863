"""GitHub Actions OIDC id tokens and plain HTTP calls, for the publishing shims.

:func:`request_id_token` does what ``core.getIDToken(audience)`` of ``@actions/core`` does:
``GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud>`` with ``Authorization: Bearer
$ACTIONS_ID_TOKEN_REQUEST_TOKEN`` and returns the ``value`` of the JSON answer.  The request
also names the calling job (``X-Actspec-Job``, ``X-Actspec-Container``), which the kit's
mock GitHub needs to know the job's environment and permissions.  Errors carry the
message the token service answered, verbatim, so a shim can print it.

:func:`call` is a small JSON/bytes HTTP client over :mod:`actspec_shim.loopback` (every kit
service is on 127.0.0.1) that returns status, headers and body instead of raising on HTTP
errors.
"""

from __future__ import annotations

import os
import urllib.parse
from typing import Any

from actspec_shim import kit, loopback

TIMEOUT = 300.0


class IdTokenError(Exception):
    """No id token: the variables are missing or the token service refused."""


def call(method: str, url: str, *, json_body: Any = None, data: bytes | None = None,
         headers: dict[str, str] | None = None, identify: bool = True) -> loopback.Reply:
    """One HTTP request; HTTP errors are returned, network errors raise ``OSError``."""
    hdrs = dict(kit.identity_headers()) if identify else {}
    hdrs.update(headers or {})
    return loopback.exchange(method, url, headers=hdrs, body=data, json_body=json_body, timeout=TIMEOUT)


def request_id_token(audience: str) -> str:
    """An OIDC id token of the running job for ``audience`` (``core.getIDToken``)."""
    url = os.environ.get("ACTIONS_ID_TOKEN_REQUEST_URL", "")
    token = os.environ.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "")
    if not url:
        raise IdTokenError("Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable")
    if not token:
        raise IdTokenError("Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable")
    full = url + ("&" if "?" in url else "?") + "audience=" + urllib.parse.quote(audience, safe="")
    try:
        reply = call("GET", full, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    except OSError as exc:
        raise IdTokenError(f"Failed to get ID Token. Error Message: {exc}") from None
    if not reply.ok:
        raise IdTokenError(f"Failed to get ID Token. Error Code : {reply.status}. Error Message: {reply.message()}")
    data = reply.json()
    value = data.get("value") if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        raise IdTokenError("Response json body do not have ID Token field")
    return value
