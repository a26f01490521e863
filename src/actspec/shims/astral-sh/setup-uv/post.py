"""Post step of the setup-uv shim: save uv's cache folder unless the key was hit (see README.md).

Like the real action it prunes with the real ``uv cache prune --ci`` first, and fails the
step when the cache folder does not exist (nothing used uv's cache) unless
``ignore-nothing-to-cache`` says otherwise -- or the run is in structure mode, where the
steps that would have used it were stubbed.
"""

from __future__ import annotations

import os
import subprocess

from actspec_shim import cache as toolkit_cache
from actspec_shim import gha, setup
from setup_uv import STATE_KEY, STATE_MATCHED, STATE_PATH


def run() -> int:
    key = gha.get_state(STATE_KEY)
    if not key:
        return 0  # the cache was off
    if not gha.get_bool_input("save-cache", True):
        gha.info("save-cache is false. Skipping save cache step.")
        return 0
    if gha.get_state(STATE_MATCHED) == key:
        gha.info(f"Cache hit occurred on key {key}, not saving cache.")
        return 0
    path = gha.get_state(STATE_PATH)
    if gha.get_bool_input("prune-cache", True):
        gha.info("Pruning cache...")
        uv = os.path.join(setup.tool_bin("uv"), "uv")
        subprocess.run([uv, "cache", "prune", "--ci"], env={**os.environ, "UV_CACHE_DIR": path}, check=False)
    gha.info(f"Saving cache path: {path}")
    if not os.path.exists(path):
        if os.environ.get("ACTSPEC_RUN_MODE") == "structure":
            gha.info("actspec structure mode: the steps that would have used uv's cache were stubbed; nothing to save")
            return 0
        if gha.get_bool_input("ignore-nothing-to-cache", False):
            gha.info("No cacheable uv cache paths were found. Ignoring because ignore-nothing-to-cache is enabled.")
            return 0
        gha.fail(f"Cache path {path} does not exist on disk. This likely indicates that there are no dependencies "
                 "to cache. Consider disabling the cache input if it is not needed.")
    toolkit_cache.save([path], key)
    return 0


if __name__ == "__main__":
    gha.main(run)
