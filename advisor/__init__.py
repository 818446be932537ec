"""dvm-advisor: containers or virtual machines, from the article and measured here."""

from advisor.base.version import __version__

__all__ = ["__version__"]
