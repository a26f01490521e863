"""GitHub Actions OIDC id tokens and plain HTTP calls, for the publishing shims.

:func:`request_id_token` does what ``core.getIDToken(audience)`` of ``@actions/core`` does:
``GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud>`` with ``Authorization: Bearer
$ACTIONS_ID_TOKEN_REQUEST_TOKEN`` and returns the ``value`` of the JSON answer.  The request
also names the calling job (``X-Actspec-Job``, ``X-Actspec-Container``), which the kit's
mock GitHub needs to know the job's environment and permissions.  Errors carry the
message the token service answered, verbatim, so a shim can print it.

:func:`call` is a small JSON/bytes HTTP client (no proxies: every kit service is on
127.0.0.1) that returns status, headers and body instead of raising on HTTP errors.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from actspec_shim import kit

TIMEOUT = 300.0
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class IdTokenError(Exception):
    """No id token: the variables are missing or the token service refused."""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8")) if self.body else None
        except (ValueError, UnicodeDecodeError):
            return None

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace").strip()

    def message(self) -> str:
        """``message`` of a JSON body, the ``errors[].detail`` of crates.io, else the text."""
        data = self.json()
        if isinstance(data, dict):
            if isinstance(data.get("message"), str):
                return data["message"]
            errors = data.get("errors")
            if isinstance(errors, list):
                details = [str(e.get("detail") or e.get("description") or e) for e in errors if isinstance(e, dict)]
                if details:
                    return "; ".join(details)
        return self.text()


def call(method: str, url: str, *, json_body: Any = None, data: bytes | None = None,
         headers: dict[str, str] | None = None, identify: bool = True) -> Reply:
    """One HTTP request; HTTP errors are returned, network errors raise ``OSError``."""
    hdrs = dict(kit.identity_headers()) if identify else {}
    hdrs.update(headers or {})
    body = data
    if json_body is not None:
        body = json.dumps(json_body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=body, method=method, headers=hdrs)
    try:
        with _OPENER.open(req, timeout=TIMEOUT) as resp:
            return Reply(resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read())
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())


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
