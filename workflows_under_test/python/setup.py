"""Dynamic metadata of the cog SDK: version and the ``coglet`` extra.

In the repository, the version is read from crates/Cargo.toml and converted to PEP 440
by tools/version.py (the one implementation of that conversion).  When the wheel is
built from the sdist (``python -m build`` does that), the repository is not around any
more and the version is read back from the sdist's PKG-INFO.
"""

import importlib.util
from email.parser import Parser
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent


def _version() -> str:
    cargo_toml = HERE.parent / "crates" / "Cargo.toml"
    tool = HERE.parent / "tools" / "version.py"
    if cargo_toml.is_file() and tool.is_file():
        spec = importlib.util.spec_from_file_location("_cog_version", tool)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.pep440_version(cargo_toml)
    pkg_info = HERE / "PKG-INFO"
    if pkg_info.is_file():
        return Parser().parsestr(pkg_info.read_text(encoding="utf-8"))["Version"]
    raise RuntimeError(
        "cannot determine the cog version: no crates/Cargo.toml and no PKG-INFO"
    )


VERSION = _version()

setup(
    version=VERSION,
    extras_require={"coglet": [f"coglet>={VERSION},<1.0"]},
)
