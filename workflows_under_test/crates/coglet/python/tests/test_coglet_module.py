"""Tests of the installed coglet wheel (run by the CI job test-coglet-python).

The wheel must be installed in the interpreter running pytest; with
COGLET_EXPECT_INSTALLED=1 a missing coglet is a failure, otherwise these tests skip.
"""

import importlib.util
import os
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]

if os.environ.get("COGLET_EXPECT_INSTALLED"):
    import coglet
else:
    coglet = pytest.importorskip("coglet")


def _version_tool():
    spec = importlib.util.spec_from_file_location(
        "_cog_version", ROOT / "tools" / "version.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_imported_from_site_packages():
    site = Path(sysconfig.get_paths()["platlib"]).resolve()
    assert Path(coglet.__file__).resolve().is_relative_to(site)


def test_extension_is_abi3():
    ext = Path(coglet._coglet.__file__)
    assert ext.name == "_coglet.abi3.so"


def test_versions_follow_cargo_toml():
    tool = _version_tool()
    semver = tool.read_cargo_version(ROOT / "crates" / "Cargo.toml")
    assert coglet.__crate_version__ == semver
    assert coglet._coglet.__version__ == semver
    assert coglet.__version__ == tool.semver_to_pep440(semver)


def test_greet():
    assert coglet.greet("cog") == "Hello, cog!"
    assert coglet.greet("") == "Hello, world!"
    assert coglet.greet("Zoë") == "Hello, Zoë!"
    with pytest.raises(TypeError):
        coglet.greet(42)


def test_add():
    assert coglet.add(2, 40) == 42
    assert coglet.add(-(2**63), 0) == -(2**63)
    with pytest.raises(OverflowError):
        coglet.add(2**63 - 1, 1)
    with pytest.raises(OverflowError):
        coglet.add(2**64, 0)
    with pytest.raises(TypeError):
        coglet.add(1)
    with pytest.raises(TypeError):
        coglet.add("1", 2)


def test_runs_on_this_interpreter():
    assert sys.version_info >= (3, 10)
