"""Root conftest: the actspec pytest plugin and the step libraries.

Loaded for ``pytest features/`` and ``pytest tests/`` alike, so both see the same options
(``--repo``), the same preflight and the same shared act runs.  Feature files are collected
as test modules by :mod:`actspec.bdd.feature_files`.
"""

pytest_plugins = [
    "actspec.bdd.pytest_plugin",
    "actspec.bdd.feature_files",
    "actspec.bdd.changed",
    "steps.common",
    "steps.ci",
    "steps.release",
    "pytester",
]
