"""HTTP services the jobs of a run talk to, all on 127.0.0.1 in the pytest process.

Every service is a WSGI app mounted under its own prefix on one :class:`~actspec.services.host.ServiceHost`
and writes every state-changing request to the shared :class:`~actspec.ledger.Ledger`.
The runner asks each service for the environment variables a job needs to find it
(:meth:`Service.job_env`) and passes them to act in its ``--env-file``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Protocol

from actspec.model import RunInfo


class Service(Protocol):
    """A mock or kit endpoint.  ``name`` is its mount prefix (``/pypi``, ``/kit`` ...)."""

    name: str

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]: ...

    def job_env(self, base_url: str) -> dict[str, str]:
        """Variables a job container needs to reach this service mounted at ``base_url``."""
        ...

    def begin_run(self, run: RunInfo) -> None:
        """Called before act starts: per-run state (the run's identity, a fresh artifact store)."""
        ...

    def snapshot(self) -> Any:
        """Opaque copy of the persistent state, to chain a later run from it."""
        ...

    def restore(self, state: Any) -> None:
        """Reset to ``state`` (``None``: empty) before a run."""
        ...

    def seed(self, what: str, value: str) -> None:
        """Apply a named precondition (``Seed``) before a run."""
        ...

    def close(self) -> None:
        """End of the session: release what the service holds (temp dirs, blobs)."""
        ...
