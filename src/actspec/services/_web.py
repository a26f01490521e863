"""Small WSGI plumbing shared by the mock services (GitHub, PyPI, crates.io).

Each mock is a class with a :class:`werkzeug.routing.Map`; :class:`RoutedApp` turns a
request into a call of the method ``on_<endpoint>(request, **url_args)`` and turns an
:class:`HTTPError` raised anywhere below it into the response it carries.  Nothing here
knows about a particular service.
"""

from __future__ import annotations

import copy
import io
import json
import tarfile
import threading
from typing import Any, Callable, Iterable

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect
from werkzeug.wrappers import Request, Response

from actspec.errors import HTTPError
from actspec.model import RunInfo

JOB_HEADER = "X-Actspec-Job"
CONTAINER_HEADER = "X-Actspec-Container"


def json_response(data: Any, status: int | str = 200, headers: dict[str, str] | None = None,
                  content_type: str = "application/json; charset=utf-8") -> Response:
    body = json.dumps(data, indent=None, separators=(",", ":"))
    return Response(body, status=status, headers=headers, content_type=content_type)


def base_url(request: Request) -> str:
    """``scheme://host:port/<mount>`` of the service that got ``request`` (no trailing slash)."""
    return request.host_url.rstrip("/") + request.script_root


def caller(request: Request) -> dict[str, str | None]:
    """Which job (and container) made the request, as the kit's shims announce it.

    Real clients (twine, cargo, goreleaser) do not send these headers; then both are None.
    """
    return {
        "job": request.headers.get(JOB_HEADER) or None,
        "container": request.headers.get(CONTAINER_HEADER) or None,
    }


def read_json(request: Request) -> Any:
    """The request body as JSON, or ``None`` when it is not valid JSON."""
    try:
        return json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


class RoutedApp:
    """Dispatch by ``url_map`` to ``on_<endpoint>`` methods; subclasses set ``url_map``."""

    url_map: Map
    # Read the whole body before dispatching, so a handler that takes a lock never waits on a
    # client's upload while holding it (one stalled client must not block everyone else).
    read_body_first = False

    def not_found(self, request: Request) -> Response:  # pragma: no cover - overridden
        return Response("Not Found\n", status=404, content_type="text/plain")

    def method_not_allowed(self, request: Request, valid: Iterable[str]) -> Response:
        return Response("Method Not Allowed\n", status=405, content_type="text/plain",
                        headers={"Allow": ", ".join(sorted(valid))})

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        adapter = self.url_map.bind_to_environ(environ)
        if self.read_body_first:
            request.get_data(cache=True)
        try:
            endpoint, args = adapter.match()
            response = getattr(self, f"on_{endpoint}")(request, **args)
        except RequestRedirect as redirect:
            response = redirect.get_response(environ)
        except NotFound:
            response = self.not_found(request)
        except MethodNotAllowed as exc:
            response = self.method_not_allowed(request, exc.valid_methods or ())
        except HTTPError as exc:
            response = exc.response
        return response(environ, start_response)


class SessionState:
    """A mock whose persistent state is one dict, ``_state``, guarded by ``_lock``.

    ``snapshot`` and ``restore`` copy it whole, so a chained run starts from exactly what
    the earlier run left and nothing a run does leaks into a snapshot already taken.
    """

    _lock: threading.RLock
    _state: dict[str, Any]

    def _empty(self) -> dict[str, Any]:
        raise NotImplementedError

    def snapshot(self) -> Any:
        with self._lock:
            return copy.deepcopy(self._state)

    def restore(self, state: Any) -> None:
        with self._lock:
            self._state = copy.deepcopy(state) if state is not None else self._empty()

    def begin_run(self, run: RunInfo) -> None:
        """A mock that keeps nothing per run ignores the run's identity."""

    def close(self) -> None:
        """The state lives in memory only: nothing to release."""


def tar_gz(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A gzip tar of ``(path, data)`` members with fixed mtimes: the registries' seed archives."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for path, data in members:
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mtime = 0
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()
