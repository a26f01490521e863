"""Main step of the actions/cache shim: restore, and remember the keys for the post step (see README.md)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from actspec_shim import gha  # noqa: E402
from cache_action import restore  # noqa: E402

if __name__ == "__main__":
    gha.main(lambda: restore(save_state=True))
