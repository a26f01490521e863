"""Package metadata: version and the coglet extra follow crates/Cargo.toml."""

import importlib.util
import os
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

import cog

ROOT = Path(__file__).resolve().parents[2]
INSTALLED = bool(os.environ.get("COG_EXPECT_INSTALLED"))


def _version_tool():
    spec = importlib.util.spec_from_file_location(
        "_cog_version", ROOT / "tools" / "version.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _expected_version():
    return _version_tool().pep440_version(ROOT / "crates" / "Cargo.toml")


@pytest.mark.skipif(not INSTALLED, reason="needs the installed cog wheel")
def test_installed_wheel_is_under_test():
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert Path(cog.__file__).resolve().is_relative_to(site)


@pytest.mark.skipif(not INSTALLED, reason="needs the installed cog wheel")
def test_version_is_cargo_version():
    assert cog.__version__ == _expected_version()
    assert metadata.version("cog") == _expected_version()


@pytest.mark.skipif(not INSTALLED, reason="needs the installed cog wheel")
def test_coglet_extra_pins_lockstep_version():
    version = _expected_version()
    requires = metadata.requires("cog") or []
    coglet = [Requirement(r) for r in requires if r.startswith("coglet")]
    assert len(coglet) == 1
    assert coglet[0].specifier == SpecifierSet(f">={version},<1.0")
    assert coglet[0].marker is not None
    assert coglet[0].marker.evaluate({"extra": "coglet"})
    assert not coglet[0].marker.evaluate({"extra": ""})
    assert metadata.metadata("cog")["Requires-Python"] == ">=3.10"


def test_coglet_version_is_none_or_lockstep():
    found = cog.coglet_version()
    assert found is None or found == _expected_version()
