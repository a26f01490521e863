"""cog: containers for machine learning (Python SDK)."""

from importlib import metadata as _metadata

from cog.predictor import BasePredictor
from cog.types import Input, ValidationError

try:
    __version__ = _metadata.version("cog")
except _metadata.PackageNotFoundError:  # running from a source checkout
    __version__ = "0+unknown"


def coglet_version():
    """Version of the installed coglet (the optional Rust core), or None."""
    try:
        import coglet
    except ImportError:
        return None
    return coglet.__version__


__all__ = ["BasePredictor", "Input", "ValidationError", "__version__", "coglet_version"]
