"""Client of the kit service (artifacts, caches, ledger records) for the shims.

The kit's base URL comes from ``ACTSPEC_KIT_URL``; every request names its caller with
``X-Actspec-Job`` (``$GITHUB_JOB``) and ``X-Actspec-Container`` (the Docker id of the job
container, read from ``/proc/self/mountinfo`` or ``/proc/self/cgroup``), which the runner maps
back to the matrix leg after the run.  Proxies are never used: the kit is on 127.0.0.1.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from typing import Any, BinaryIO

from actspec_shim import gha, loopback

TIMEOUT = 900.0

_MOUNTINFO_ID = re.compile(r"/containers/([0-9a-f]{64})/(?:hostname|hosts|resolv\.conf)")
_CGROUP_ID = re.compile(r"(?:docker[-/]|containerd[-/]|/)([0-9a-f]{64})(?:\.scope)?\b")


def container_id(mountinfo: str = "/proc/self/mountinfo", cgroup: str = "/proc/self/cgroup") -> str:
    """The Docker id (64 hex digits) of the container this process runs in, or ``""``.

    ``ACTSPEC_CONTAINER_ID`` overrides (tests).  Docker bind-mounts ``hostname``, ``hosts``
    and ``resolv.conf`` from ``<docker root>/containers/<id>/``, which shows in mountinfo even
    with cgroup v2 and host networking; cgroup v1 paths (``/docker/<id>``) are the fallback.
    """
    override = os.environ.get("ACTSPEC_CONTAINER_ID")
    if override is not None:
        return override
    for path, pattern in ((mountinfo, _MOUNTINFO_ID), (cgroup, _CGROUP_ID)):
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except OSError:
            continue
        match = pattern.search(text)
        if match:
            return match.group(1)
    return ""


def kit_url() -> str:
    """``ACTSPEC_KIT_URL`` without a trailing slash; fails the step when it is missing."""
    url = os.environ.get("ACTSPEC_KIT_URL", "").strip()
    if not url:
        gha.fail(
            "ACTSPEC_KIT_URL is not set: this step is an actspec shim and needs the kit service "
            "(run the workflow through actspec, which passes ACTSPEC_KIT_URL to every job)"
        )
    return url.rstrip("/")


def identity_headers() -> dict[str, str]:
    headers = {"X-Actspec-Job": os.environ.get("GITHUB_JOB", "")}
    cid = container_id()
    if cid:
        headers["X-Actspec-Container"] = cid
    return headers


def url_for(path: str, params: dict[str, Any] | list[tuple[str, str]] | None = None) -> str:
    url = kit_url() + "/" + path.lstrip("/")
    if params:
        url += "?" + urllib.parse.urlencode(params, doseq=True)
    return url


def request(
    method: str,
    path: str,
    *,
    params: dict[str, Any] | list[tuple[str, str]] | None = None,
    body: bytes | BinaryIO | None = None,
    length: int | None = None,
    json_body: Any = None,
    headers: dict[str, str] | None = None,
    out: BinaryIO | None = None,
) -> loopback.Reply:
    """One HTTP request to the kit.  With ``out``, a 2xx body is streamed into it."""
    hdrs = identity_headers()
    hdrs.update(headers or {})
    try:
        return loopback.exchange(method, url_for(path, params), headers=hdrs, body=body, json_body=json_body,
                                 length=length, out=out, timeout=TIMEOUT)
    except OSError as exc:
        gha.fail(f"actspec kit service unreachable at {kit_url()}: {exc}")


def record(kind: str, subject: str, details: dict[str, Any] | None = None, *, ok: bool = True) -> dict[str, Any]:
    """Append a ledger entry through ``POST /record``; fails the step if the kit refuses."""
    resp = request("POST", "record", json_body={"kind": kind, "subject": subject, "details": details or {}, "ok": ok})
    if not resp.ok:
        gha.fail(f"actspec kit refused the {kind} record ({resp.status}): {resp.message()}")
    return resp.json() or {}
