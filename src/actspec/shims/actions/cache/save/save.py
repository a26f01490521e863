"""actions/cache/save shim: runs the save half of ../cache_action.py (see ../README.md)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import cache_action  # noqa: E402
from actspec_shim import gha  # noqa: E402

if __name__ == "__main__":
    gha.main(cache_action.save_inputs)
