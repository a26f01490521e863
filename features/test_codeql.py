"""Collector for features/codeql.feature (see features/ci/test_ci.py)."""

from pytest_bdd import scenarios

scenarios("codeql.feature")
