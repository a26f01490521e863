"""How job results order: the one result GitHub reports for a job with several matrix legs.

``needs.<job>.result`` of a matrix job is ``failure`` when any leg failed, else
``cancelled`` when any leg was cancelled, else ``success`` when any leg succeeded, else
``skipped``.  The report colours a job's node by the same rule.
"""

from __future__ import annotations

from typing import Iterable

# Worst first: the first of these that any leg has is the job's result.
ORDER = ("failure", "cancelled", "success", "skipped")


def worst(results: Iterable[str]) -> str:
    """The job result of legs with ``results`` (``skipped`` when there are none)."""
    present = set(results)
    return next((r for r in ORDER if r in present), "skipped")


def is_bad(result: str) -> bool:
    """Whether a leg with ``result`` makes its run red: it failed or was cancelled."""
    return result in ("failure", "cancelled")
