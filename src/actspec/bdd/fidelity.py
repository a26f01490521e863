"""Known divergences of act from GitHub, by the ids used in ``docs/fidelity.md``.

A scenario tagged ``@fidelity:<id>`` checks GitHub's behaviour that act does not
reproduce; it becomes a strict xfail with this reason, so it turns red when act changes.
"""

from __future__ import annotations

DIVERGENCES: dict[str, str] = {
    "F1": "act ignores on.<event>.branches/tags/paths/types filters: it starts a workflow for every "
          "event of that name (docs/fidelity.md F1)",
    "F3": "act ignores job-level timeout-minutes (docs/fidelity.md F3)",
    "F14": "act evaluates the matrix of a job whose needs failed; when the matrix reads an output the "
           "failed job never set, act aborts the whole run instead of skipping that job (docs/fidelity.md F14)",
    "F6": "act ignores deployment environments and their protection rules (docs/fidelity.md F6)",
}


def reason(fid: str) -> str:
    try:
        return DIVERGENCES[fid]
    except KeyError:
        raise KeyError(f"unknown fidelity id {fid!r}; known: {', '.join(DIVERGENCES)} (see docs/fidelity.md)") from None
