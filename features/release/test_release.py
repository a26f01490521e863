"""Collector for features/release/: one pytest test per scenario and example row.

``pytest features/`` finds Gherkin through these collector modules; steps live in
``steps/release.py`` and ``steps/common.py``, loaded by the root ``conftest.py``.
"""

from pytest_bdd import scenarios

scenarios("release")
