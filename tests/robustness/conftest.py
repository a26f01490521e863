"""The robustness suite: one regression per class of bad input or fault (docs/robustness.md).

Every test here runs without Docker and act, so it is marked ``unit`` and runs in
``make unit`` as well as ``make test``.  The live mock stack is the services tests' one.
"""

from __future__ import annotations

import pytest

from tests.unit.services.conftest import stack  # noqa: F401  (the fixture, shared)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/robustness/" in str(item.fspath):
            item.add_marker(pytest.mark.unit)
