"""GitHub's rules, each written once, for the kit on the host and the shims in job containers.

The package uses the standard library only and imports nothing outside itself, because it
runs in two places under one name, ``ghrules``: on the host (the kit's checks, services and
report; ``pyproject.toml`` installs it beside ``actspec``) and inside job containers (the
runner copies ``shims/_lib`` to ``/actspec/lib``, which the shims put on ``PYTHONPATH``).

* :mod:`ghrules.filters` -- workflow filter patterns (``on.push.branches``, ``tags``,
  ``paths`` and their ``-ignore`` lists) with act's ``pkg/workflowpattern`` semantics, and
  whether a push of a ref passes a trigger's branch and tag filters;
* :mod:`ghrules.actions_glob` -- path patterns the way ``@actions/glob`` reads them, the
  upload root rule of ``actions/upload-artifact``, and minimatch for artifact names;
* :mod:`ghrules.artifacts` -- the artifact name and file path checks of ``@actions/artifact``;
* :mod:`ghrules.results` -- how job results order, and the one result of a matrix job;
* :mod:`ghrules.deployments` -- which refs an environment's deployment policies admit.
"""

__all__ = ["actions_glob", "artifacts", "deployments", "filters", "results"]
