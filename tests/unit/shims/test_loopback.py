"""The shims' HTTP client against the same werkzeug server the kit's services run on."""

from __future__ import annotations

import io
import sys
import threading
from typing import Iterator

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from .shim_support import LIB

pytestmark = pytest.mark.unit

sys.path.insert(0, str(LIB))
from actspec_shim import loopback  # noqa: E402

BIG = bytes(range(256)) * 9000  # more than one read of the client's


@Request.application
def app(request: Request) -> Response:
    if request.path == "/echo":
        body = request.get_data()
        return Response(body, headers={"X-Method": request.method, "X-Length": str(len(body)),
                                       "X-Seen": request.headers.get("X-Actspec-Job", ""),
                                       "X-Type": request.headers.get("Content-Type", "")})
    if request.path == "/chunked":
        return Response(iter([BIG[:5000], BIG[5000:]]), direct_passthrough=True)  # no length: chunked
    if request.path == "/moved":
        return Response(status=308, headers={"Location": "/echo"})
    if request.path == "/empty":
        return Response(status=204)
    return Response("no such thing", status=404)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_bytes_body_and_headers(base: str):
    reply = loopback.exchange("POST", f"{base}/echo", headers={"X-Actspec-Job": "lint"}, body=b"hello", timeout=5)
    assert (reply.status, reply.body, reply.headers["x-method"], reply.headers["x-seen"]) == (200, b"hello", "POST", "lint")


def test_streamed_body_needs_and_sends_its_length(base: str):
    reply = loopback.exchange("PUT", f"{base}/echo", body=io.BytesIO(BIG), length=len(BIG), timeout=5)
    assert (reply.status, reply.headers["x-length"], reply.body) == (200, str(len(BIG)), BIG)
    with pytest.raises(ValueError):
        loopback.exchange("PUT", f"{base}/echo", body=io.BytesIO(b"x"), timeout=5)


def test_chunked_answer_streams_into_out(base: str):
    out = io.BytesIO()
    reply = loopback.exchange("GET", f"{base}/chunked", out=out, timeout=5)
    assert (reply.status, reply.body, out.getvalue()) == (200, b"", BIG)


def test_error_answers_are_returned_not_written_to_out(base: str):
    out = io.BytesIO()
    reply = loopback.exchange("GET", f"{base}/nothing", out=out, timeout=5)
    assert (reply.status, reply.text(), out.getvalue()) == (404, "no such thing", b"")


def test_get_follows_redirects_and_post_does_not(base: str):
    assert loopback.exchange("GET", f"{base}/moved", timeout=5).status == 200
    assert loopback.exchange("POST", f"{base}/moved", body=b"", timeout=5).status == 308


def test_bodiless_answer(base: str):
    reply = loopback.exchange("DELETE", f"{base}/empty", timeout=5)
    assert (reply.status, reply.body, reply.ok) == (204, b"", True)


@pytest.mark.parametrize("url", ["https://127.0.0.1:1/x", "http://10.0.0.1/x", "http://example.com/x"])
def test_only_plain_http_on_loopback(url: str):
    with pytest.raises(loopback.LoopbackOnly):
        loopback.exchange("GET", url, timeout=5)


def test_unreachable_service_raises_oserror():
    with pytest.raises(OSError):
        loopback.exchange("GET", "http://127.0.0.1:9/x", timeout=5)


@pytest.mark.parametrize("body, message", [
    (b'{"message": "no such artifact"}', "no such artifact"),
    (b'{"errors": [{"detail": "crate exists"}, {"detail": "too big"}]}', "crate exists; too big"),
    (b"plain words\n", "plain words"),
])
def test_reply_message_reads_each_services_error_shape(body: bytes, message: str):
    assert loopback.Reply(400, {}, body).message() == message


def test_json_body_is_sent_as_json_unless_headers_name_another_type(base: str):
    reply = loopback.exchange("POST", f"{base}/echo", json_body={"kind": "x"}, timeout=5)
    assert (reply.json(), reply.headers["x-type"]) == ({"kind": "x"}, "application/json")
    reply = loopback.exchange("POST", f"{base}/echo", json_body=[1], headers={"Content-Type": "text/plain"}, timeout=5)
    assert (reply.json(), reply.headers["x-type"]) == ([1], "text/plain")
