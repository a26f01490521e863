"""pytest collects ``.feature`` files themselves: ``pytest features/ci/gate.feature`` runs that feature.

pytest-bdd binds scenarios to tests through a Python module that calls ``scenarios(...)``;
pytest then only knows that module, so a path to a feature file (pytest users' habit for
selecting what to run) finds nothing to collect, and only ``-k`` could select a feature.
Here each ``.feature`` file under ``bdd_features_base_dir`` is its own test module: a
:class:`FeatureFile` whose module object is built in memory with one pytest-bdd scenario
test per scenario (outlines parametrised by their examples, exactly as ``scenarios()``
binds them).  A folder (``pytest features/ci/``) collects the feature files inside it.

The steps stay where they are (``steps/``, loaded as plugins by the root ``conftest.py``),
so a feature file needs no companion module.

A feature with an Examples table tagged ``@rows:<source>`` is parsed afresh at every
collection and its computed rows added (:mod:`actspec.bdd.rows`, from the binding of
``--repo``) before the scenarios are bound: pytest-bdd's feature cache then holds the filled
feature, so a session pointed at another repository gets that repository's rows.
"""

from __future__ import annotations

import os
import types
from pathlib import Path

import pytest
from pytest_bdd import feature as bdd_feature
from pytest_bdd.parser import Feature, FeatureParser
from pytest_bdd.scenario import get_python_name_generator, scenario

from actspec.bdd import rows
from actspec.errors import SetupError
from actspec.repository import binding

SUFFIX = ".feature"


def features_base_dir(config: pytest.Config) -> Path | None:
    """``bdd_features_base_dir`` from the ini file, resolved against the rootdir; None if unset."""
    value = str(config.getini("bdd_features_base_dir") or "")
    return (config.rootpath / value).resolve() if value else None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A ``.feature`` file under the features base dir, or one named on the command line."""
    if file_path.suffix != SUFFIX:
        return None
    base = features_base_dir(parent.config)
    inside = base is not None and file_path.resolve().is_relative_to(base)
    if not (inside or parent.session.isinitpath(file_path)):
        return None
    return FeatureFile.from_parent(parent, path=file_path)


class FeatureFile(pytest.Module):
    """A feature file as a test module: one test per scenario, named as ``scenarios()`` names them."""

    def _getobj(self) -> types.ModuleType:
        module = types.ModuleType(self.path.stem, f"Scenarios of {self.path.name}")
        module.__file__ = str(self.path)
        names = module.__dict__
        feature, empty = self._feature()
        for scenario_name in feature.scenarios:
            bind = scenario(feature.filename, scenario_name, features_base_dir=str(self.path.parent))
            test = bind(_no_body)
            if scenario_name in empty:
                test = pytest.mark.skip(reason=empty[scenario_name])(test)
            name = next(n for n in get_python_name_generator(scenario_name) if n not in names)
            names[name] = test
        return module

    def _feature(self) -> tuple[Feature, dict[str, str]]:
        """The parsed feature, its ``@rows:`` tables filled for the repository under test, and
        the outlines left without rows (with why).

        A binding that does not load adds no rows: preflight reports it, with every other
        problem of the binding, before any scenario runs."""
        feature = FeatureParser(str(self.path.parent), self.path.name).parse()
        empty: dict[str, str] = {}
        if rows.sources(feature):
            try:
                bound = binding.load(Path(self.config.getoption("--repo")).resolve())
            except SetupError:
                bound = None
            try:
                if bound is not None:
                    empty = rows.fill(feature, bound)
            except SetupError as exc:
                raise self.CollectError(f"actspec: {exc}") from None
        # the key pytest-bdd's scenario() looks the feature up by
        bdd_feature.features[os.path.abspath(os.path.join(self.path.parent, feature.filename))] = feature
        return feature, empty


def _no_body() -> None:
    """The test body after the steps: everything a scenario checks is in its steps."""
