"""The tooling layer: the machine around the kit, for ``make`` rather than for scenarios.

``provision`` installs and starts what runs need (stdlib only: it runs before the virtualenv
exists); ``preflight`` checks it all before the first scenario and says in one line what is
missing; ``children`` runs child pytest sessions and stops them gently.  (``actspec.bench``,
which measures the kit, sits above every layer.)
"""
