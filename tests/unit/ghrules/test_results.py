"""The job result of matrix legs, the way ``needs.<job>.result`` reports it."""

from __future__ import annotations

import pytest
from ghrules import results


@pytest.mark.parametrize(("legs", "expected"), [
    (["success", "failure", "cancelled"], "failure"),
    (["success", "cancelled", "skipped"], "cancelled"),
    (["skipped", "success"], "success"),
    (["skipped"], "skipped"),
    ([], "skipped"),
])
def test_worst(legs: list[str], expected: str) -> None:
    assert results.worst(legs) == expected
