"""The shims' HTTP client: one request to a kit service on the loopback address.

Every shim and both of the step hook's recorders start a Python in the job container to
talk to the kit, and a stubbed job leg starts several of them.  With ``urllib.request`` each
start imported ``http.client``, ``email`` and ``ssl``, and importing the shim library took
about 95 ms on the 2-core machine; with this client it takes about 49 ms (``docs/design.md``,
"What one engine call costs").  The kit's services need little: plain HTTP on 127.0.0.1,
with bodies sized by ``Content-Length`` or sent chunked.  This client speaks exactly that
over a socket.

It refuses any address but the loopback one: whatever a workflow puts in the kit's
variables, a shim never sends traffic off the machine.  No proxy is ever used.
"""

from __future__ import annotations

import json
import socket
from typing import Any, BinaryIO, Iterator
from urllib.parse import urljoin, urlsplit

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_CHUNK = 1 << 20
_BODILESS = {204, 304}
_REDIRECTS = {301, 302, 303, 307, 308}
_MAX_REDIRECTS = 5


class LoopbackOnly(OSError):
    """A URL that is not plain HTTP on the loopback address."""


class Reply:
    """A service's answer.  A plain class: ``dataclasses`` would import ``inspect``, the
    largest import a shim's start would pay for."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.status, self.headers, self.body = status, headers, body

    def __repr__(self) -> str:
        return f"Reply({self.status}, {len(self.body)} bytes)"

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        """The body as JSON; ``None`` when it is empty or not JSON."""
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


def exchange(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | BinaryIO | None = None,
    json_body: Any = None,
    length: int | None = None,
    out: BinaryIO | None = None,
    timeout: float,
) -> Reply:
    """Send one request and return the answer (header names in lower case).

    ``json_body`` is sent as JSON (``Content-Type: application/json`` unless ``headers``
    name another).  A ``body`` that is a file is streamed and needs its ``length``.  With ``out``, a 2xx
    body is written there and the reply's body is empty.  A GET or HEAD follows redirects
    (werkzeug's to a route's trailing slash, say), as ``urllib`` did.  HTTP errors are
    returned like any answer; a service that cannot be reached raises ``OSError``.
    """
    if json_body is not None:
        body = json.dumps(json_body).encode()
        headers = {"Content-Type": "application/json", **(headers or {})}
    for _ in range(_MAX_REDIRECTS):
        reply = _once(method, url, headers, body, length, out, timeout)
        if reply.status not in _REDIRECTS or method not in ("GET", "HEAD") or "location" not in reply.headers:
            return reply
        url = urljoin(url, reply.headers["location"])
    raise ConnectionError(f"{url}: more than {_MAX_REDIRECTS} redirects")


def _once(method: str, url: str, headers: dict[str, str] | None, body: bytes | BinaryIO | None,
          length: int | None, out: BinaryIO | None, timeout: float) -> Reply:
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise LoopbackOnly(f"{url}: the kit's services are plain HTTP on 127.0.0.1")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close",
             "Accept-Encoding: identity"]
    if isinstance(body, bytes):
        length = len(body)
    elif body is None:
        length = 0 if method in ("POST", "PUT", "PATCH") else None
    elif length is None:
        raise ValueError("a streamed request body needs its length")
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if isinstance(body, bytes):
            sock.sendall(body)
        elif body is not None:
            for chunk in iter(lambda: body.read(_CHUNK), b""):
                sock.sendall(chunk)
        with sock.makefile("rb") as answer:
            status, answer_headers = _head(answer)
            chunks = _body(answer, answer_headers, method == "HEAD" or status in _BODILESS)
            if out is not None and 200 <= status < 300:
                for chunk in chunks:
                    out.write(chunk)
                return Reply(status, answer_headers)
            return Reply(status, answer_headers, b"".join(chunks))


def _head(answer: BinaryIO) -> tuple[int, dict[str, str]]:
    """The status line and headers; a repeated header's values joined by commas."""
    status_line = answer.readline().decode("latin-1")
    fields = status_line.split(None, 2)
    if len(fields) < 2 or not fields[0].startswith("HTTP/") or not fields[1].isdigit():
        raise ConnectionError(f"not an HTTP answer: {status_line.strip()!r}")
    headers: dict[str, str] = {}
    while True:
        line = answer.readline().decode("latin-1").rstrip("\r\n")
        if not line:
            return int(fields[1]), headers
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()


def _body(answer: BinaryIO, headers: dict[str, str], empty: bool) -> Iterator[bytes]:
    """The body's bytes, by ``Content-Length``, chunks, or up to the connection's close."""
    if empty:
        return
    if "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size = int(answer.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                return
            yield _exactly(answer, size)
            answer.readline()  # the CRLF after each chunk
    elif "content-length" in headers:
        left = int(headers["content-length"])
        while left > 0:
            chunk = _exactly(answer, min(left, _CHUNK))
            left -= len(chunk)
            yield chunk
    else:
        yield from iter(lambda: answer.read(_CHUNK), b"")


def _exactly(answer: BinaryIO, size: int) -> bytes:
    data = answer.read(size)
    if len(data) != size:
        raise ConnectionError(f"the answer ended {size - len(data)} bytes early")
    return data
