"""Known divergences of act from GitHub, by the ids used in ``docs/fidelity.md``.

A scenario tagged ``@fidelity:<id>`` checks GitHub's behaviour that act does not
reproduce; it becomes a strict xfail with this reason, so it turns red when act changes.
A strict xfail must also fail only *for its own divergence*: :func:`explains` says whether
an exception is that divergence's signature (act's abort message for a divergence that
aborts the run; a check that did not hold, never an abort, for the others), so an xfail
cannot pass because act stopped for an unrelated reason.
"""

from __future__ import annotations

import re

from actspec.errors import RunError

DIVERGENCES: dict[str, str] = {
    "F1": "act ignores on.<event>.branches/tags/paths/types filters: it starts a workflow for every "
          "event of that name (docs/fidelity.md F1)",
    "F3": "act ignores job-level timeout-minutes (docs/fidelity.md F3)",
    "F14": "act evaluates the matrix of a job whose needs failed; when the matrix reads an output the "
           "failed job never set, act aborts the whole run instead of skipping that job (docs/fidelity.md F14)",
    "F15": "act never gives a job the result cancelled: it cancels only a whole run (SIGINT), and then runs no "
           "step of a later job, always() ones too, so no needs.<job>.result ever reads cancelled "
           "(docs/fidelity.md F15)",
    "F16": "act evaluates a matrix-driven runs-on in place on the job its legs share, so every leg gets the "
           "first leg's label and ImageOS (docs/fidelity.md F16)",
    "F6": "act ignores deployment environments and their protection rules (docs/fidelity.md F6)",
}

# Divergences act shows by aborting the run: the words of its abort (engine.runner keeps them).
ABORTS: dict[str, re.Pattern[str]] = {
    "F14": re.compile(r"act aborted the run of .+?: Failed to decode node .* into \*map\[string\]\[\]interface"),
}


# Divergences act shows by a check that does not hold in one way only: the words of that check
# (with act's own words it quotes).  F15: after a cancelled run act runs no step of a later
# job: the next stage's set-up ends "context canceled", later stages never start
# (tests/calibration pins the first; the gate feature's run shows the second).  F16: the legs
# of a matrix-driven runs-on ran and printed their ImageOS, and it was one value for both.
CHECKS: dict[str, re.Pattern[str]] = {
    "F15": re.compile(r"`[^`]+` ran none of its steps after the run was cancelled: act "
                      r"(?:never started it|ended its set-up \(context canceled\))"),
    "F16": re.compile(r"both legs saw one ImageOS"),
}


def explains(fid: str, exc: BaseException) -> bool:
    """Is ``exc`` what divergence ``fid`` looks like (not some other failure)?"""
    signature = ABORTS.get(fid)
    if signature is not None:
        return isinstance(exc, RunError) and signature.search(str(exc)) is not None
    signature = CHECKS.get(fid)
    if signature is not None:
        return isinstance(exc, AssertionError) and signature.search(str(exc)) is not None
    return isinstance(exc, AssertionError)


def reason(fid: str) -> str:
    try:
        return DIVERGENCES[fid]
    except KeyError:
        raise KeyError(f"unknown fidelity id {fid!r}; known: {', '.join(DIVERGENCES)} (see docs/fidelity.md)") from None
