"""Post step of the setup-go shim: save the Go caches unless the primary key was hit (see README.md)."""

from __future__ import annotations

import json
import os

from actspec_shim import cache as toolkit_cache
from actspec_shim import gha
from setup_go import STATE_KEY, STATE_MATCHED, STATE_PATHS


def run() -> int:
    key = gha.get_state(STATE_KEY)
    if not key:
        return 0  # caching was off, or the main step found no dependency file
    if gha.get_state(STATE_MATCHED) == key:
        gha.info(f"Cache hit occurred on the primary key {key}, not saving cache.")
        return 0
    declared = json.loads(gha.get_state(STATE_PATHS) or "[]")
    paths = [p for p in declared if os.path.isdir(p)]
    if not paths:
        gha.warning("There are no cache folders on the disk")
        return 0
    # The cache version is derived from the paths the restore asked for; a folder that does
    # not exist (GOMODCACHE of a module without dependencies) must not change it.
    toolkit_cache.save(paths, key, declared=declared)
    return 0


if __name__ == "__main__":
    gha.main(run)
