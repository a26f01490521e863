"""Run the SDK tests against the installed cog when there is one, else the source tree.

CI (job test-python) installs the CogPackage wheel and sets COG_EXPECT_INSTALLED=1, so
the tests exercise what was built; locally ``mise run test:python`` falls back to
``python/`` when cog is not installed.
"""

import importlib.util
import os
import sys
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parent.parent

if importlib.util.find_spec("cog") is None and not os.environ.get(
    "COG_EXPECT_INSTALLED"
):
    sys.path.insert(0, str(PYTHON_DIR))
