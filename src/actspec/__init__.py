"""actspec: run real GitHub Actions workflows under nektos/act and check them against a spec.

The folder tree is the layering; each layer imports only those listed before it:

* top level      -- the vocabulary every layer shares: ``model`` (``RunSpec``, ``RunResult``),
  ``ledger`` (the one ordered record of artifacts, uploads, tokens and releases), ``profile``
  (where a run's time went), ``errors`` (the one exception hierarchy);
* ``services``   -- the HTTP services the jobs talk to (kit endpoints, GitHub, PyPI, crates.io);
* ``repository`` -- what is read from the repository under test and its binding (workflows,
  ``actspec.yaml``, stand-ins, structure mode, the starter binding of ``actspec init``);
* ``engine``     -- one ``RunSpec`` run by act in Docker into one ``RunResult``;
* ``shims``      -- the local actions that replace third-party ones inside job containers;
* ``tooling``    -- provisioning, the preflight check of the machine, child pytest sessions;
* ``mutants``    -- generated one-edit breaks of the bound workflows and ``make mutate``'s score
  (child pytest sessions; it imports nothing of ``bdd``);
* ``bdd``        -- the pytest-bdd layer: session, scenarios, checks, probes, plugins;
* ``report``     -- the conformance report, from the results the BDD layer writes;
* ``bench``      -- ``make bench``, on top of everything.

GitHub's own rules (filter patterns, ``@actions/glob``, artifact names, result order) live
in the standard-library package ``ghrules`` (``shims/_lib/ghrules``), shared with the shims.

Nothing here decides what *would* run: act runs the workflow and the result is read back.
"""

from actspec.model import JobRun, RunResult, RunSpec, StepRun

__all__ = ["JobRun", "RunResult", "RunSpec", "StepRun"]
