"""One threaded HTTP server on 127.0.0.1 that hosts every service under its prefix.

A single port keeps the act command line short and leaves nothing to clean up but one
thread.  Binding to 127.0.0.1 is deliberate: job containers use host networking, so the
loopback address is reachable from them and from nothing else.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Iterable

from werkzeug.serving import BaseWSGIServer, make_server

# Request lines are noise next to the ledger, which records every state-changing request.
logging.getLogger("werkzeug").setLevel(logging.WARNING)

from actspec.services import Service


class ServiceHost:
    def __init__(self, services: Iterable[Service]) -> None:
        self.services: dict[str, Service] = {s.name: s for s in services}
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, name="actspec-services", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def base_url(self, name: str) -> str:
        return f"{self.url}/{name}"

    def start(self) -> ServiceHost:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def job_env(self) -> dict[str, str]:
        env: dict[str, str] = {}
        for name, svc in self.services.items():
            env.update(svc.job_env(self.base_url(name)))
        return env

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """The WSGI app of every service under its prefix; also what in-process probes call."""
        path: str = environ.get("PATH_INFO", "")
        head, _, rest = path.lstrip("/").partition("/")
        svc = self.services.get(head)
        if svc is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [f"actspec: no service mounted at /{head}\n".encode()]
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + "/" + head
        environ["PATH_INFO"] = "/" + rest
        return svc.wsgi(environ, start_response)
