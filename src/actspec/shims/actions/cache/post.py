"""Post step of the actions/cache shim: save unless the primary key was an exact hit (see README.md)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from actspec_shim import gha  # noqa: E402
from cache_action import save_from_state  # noqa: E402

if __name__ == "__main__":
    gha.main(save_from_state)
