"""The one place the version is set."""

__version__ = "0.1.0"
