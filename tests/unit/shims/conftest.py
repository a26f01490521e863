"""Fixtures for the shim tests: a live kit service and jobs to run shim scripts in.

No Docker: the shim scripts run as subprocesses of pytest with the environment a job step
would have (``INPUT_*``, ``GITHUB_OUTPUT`` & co. in a temp dir, ``GITHUB_WORKSPACE``,
``PYTHONPATH`` at the shims' library) and talk to the kit on 127.0.0.1.  Helpers live in
``shim_support.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from actspec.ledger import Ledger
from actspec.services.host import ServiceHost
from actspec.services.kit import KitService

from .shim_support import CONTAINER, Job, run_info


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture
def kit(ledger: Ledger) -> Iterator[KitService]:
    service = KitService(ledger)
    service.begin_run(run_info())
    yield service
    service.close()


@pytest.fixture
def host(kit: KitService) -> Iterator[ServiceHost]:
    h = ServiceHost([kit]).start()
    yield h
    h.stop()


@pytest.fixture
def job(tmp_path: Path, host: ServiceHost) -> Job:
    return Job(tmp_path / "job", host.base_url("kit"))


@pytest.fixture
def make_job(tmp_path: Path, host: ServiceHost):  # type: ignore[no-untyped-def]
    def make(name: str, container: str = CONTAINER) -> Job:
        return Job(tmp_path / f"job-{name}-{container[:6]}", host.base_url("kit"), name=name, container=container)

    return make
