"""Shared code of the actspec shims (stand-ins for third-party GitHub Actions).

Runs inside the job container with the image's ``python3`` (3.11, standard library only);
the runner copies this package to ``/actspec/lib/actspec_shim`` and every shim step sets
``PYTHONPATH=/actspec/lib``.

* :mod:`actspec_shim.gha` -- the runner protocol: inputs, outputs, ``$GITHUB_ENV``,
  ``$GITHUB_PATH``, ``$GITHUB_STATE`` and workflow commands (``::error::`` ...).
* :mod:`actspec_shim.kit` -- the kit service client: ``ACTSPEC_KIT_URL``, the caller's
  identity headers (job and container id) and ledger records.
* :mod:`actspec_shim.loopback` -- the HTTP client of every shim: one request to a kit
  service on 127.0.0.1, cheap to import (a shim's Python starts once per step).
* :mod:`actspec_shim.archive` -- deterministic tar.gz packing and safe extraction.

GitHub's own rules (``@actions/glob`` patterns, artifact names, filter patterns) live beside
this package in :mod:`ghrules`, which the kit on the host uses too.
"""

__all__ = ["archive", "gha", "kit", "loopback"]
