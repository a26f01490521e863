"""coglet: the Rust core of cog, as a CPython stable-ABI (abi3) extension module."""

from coglet._coglet import add, greet
from coglet._coglet import version as _crate_version
from coglet._version import __version__

#: The coglet crate version (semver); ``__version__`` is its PEP 440 spelling.
__crate_version__ = _crate_version()

__all__ = ["__crate_version__", "__version__", "add", "greet"]
