"""Collector for features/ci/: one pytest test per scenario and example row.

``pytest features/`` finds Gherkin through these collector modules; steps live in
``steps/`` and are loaded by the root ``conftest.py``.
"""

from pytest_bdd import scenarios

scenarios("ci")
