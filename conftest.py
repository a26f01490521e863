"""Root conftest: the actspec pytest plugin and the step libraries.

Loaded for ``pytest features/`` and ``pytest tests/`` alike, so both see the same options
(``--repo``), the same preflight and the same shared act runs.
"""

pytest_plugins = [
    "actspec.pytest_plugin",
    "steps.common",
    "steps.ci",
    "steps.release",
]
