"""cog SDK of the kiln example."""

__version__ = "0.1.0"
