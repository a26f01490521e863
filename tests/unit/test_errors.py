"""The error hierarchy: a user's mistake raised inside a test is reported as its one line."""

from __future__ import annotations

import pytest

from actspec import errors

pytest_plugins = ["pytester"]


def test_every_kit_error_is_an_actspec_error() -> None:
    setup = (errors.PreflightError, errors.BindingError, errors.WorkflowError, errors.ChangeError, errors.UnknownName)
    assert all(issubclass(e, errors.SetupError) for e in setup)
    assert issubclass(errors.ActError, errors.RunError)
    assert all(issubclass(e, errors.ServiceError) for e in (errors.HTTPError, errors.KitError, errors.OIDCError))
    assert issubclass(errors.UnknownName, AssertionError)  # it fails the scenario rather than erroring it


def test_a_setup_error_in_a_test_is_one_line(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["actspec.bdd.pytest_plugin"]\n')
    pytester.makepyfile(test_bad_binding='''
        from actspec.errors import BindingError

        def helper():
            raise BindingError("actspec.yaml names no workflow 'ci': add `ci: .github/workflows/ci.yaml`")

        def test_uses_the_binding():
            helper()
    ''')
    result = pytester.runpytest("-p", "no:cacheprovider", "--results-dir", str(pytester.path / "results"))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["actspec: actspec.yaml names no workflow 'ci': add `ci: .github/workflows/ci.yaml`"])
    assert "def helper" not in result.stdout.str()
