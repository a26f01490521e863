"""actspec: run real GitHub Actions workflows under nektos/act and check them against a spec.

The package is split the way act splits itself:

* ``model``      -- the value types: what to run (``RunSpec``) and what happened (``RunResult``);
* ``workflow``   -- reading workflow YAML for the *static* facts a check needs (job ids, needs, labels);
* ``repo``       -- materialising the repository under test as a real git repository per run;
* ``events``     -- event payloads shaped like the ones GitHub sends;
* ``act``        -- the act command line and the parser of its ``--json`` log;
* ``runner``     -- one act run end to end, with timeouts and Docker hygiene;
* ``ledger``     -- the one ordered record of artifacts, uploads, tokens and releases;
* ``services``   -- the HTTP services the jobs talk to (kit endpoints and the registry mocks);
* ``errors``     -- the one exception hierarchy (setup, run and service errors);
* ``probes``     -- questions asked of the session's services without an act run.

GitHub's own rules (filter patterns, ``@actions/glob``, artifact names, result order) live
in the standard-library package ``ghrules`` (``shims/_lib/ghrules``), shared with the shims.

Nothing here decides what *would* run: act runs the workflow and the result is read back.
"""

from actspec.model import JobRun, RunResult, RunSpec, StepRun

__all__ = ["JobRun", "RunResult", "RunSpec", "StepRun"]
